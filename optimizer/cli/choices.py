"""The choices and defaults the command options show in their help, as plain values.

Each is a copy of a library constant (named beside it) whose module is heavy to import (the
instance schema, the readers, the analysis package): ``posture X --help`` must not import them
to print a list of words. tests/test_startup.py checks every copy against its original.
"""

from __future__ import annotations

#: optimizer.instance.formats.FORMATS
FORMATS = ("posture", "orlib-scp", "mclp")
#: the values of optimizer.instance.schema.CoverageMode
COVERAGE_MODES = ("partial", "threshold")
#: the values of optimizer.instance.schema.Objective
OBJECTIVES = ("max-coverage", "min-cost", "max-min", "min-units")
#: optimizer.analysis.attack.METHODS
ATTACK_METHODS = ("cutting-planes", "enumeration")
#: optimizer.analysis.contributions.BACKSTOP_RULES and EXACT_MAX
BACKSTOP_RULES = ("us", "scenario")
EXACT_MAX = 12
#: optimizer.analysis.montecarlo.DISTRIBUTIONS
DISTRIBUTIONS = ("uniform", "triangular")
#: optimizer.analysis.sensitivity.TABLES
SENSITIVITY_TABLES = ("s1", "s2", "s3", "s4")
#: optimizer.analysis.tradeoff.KINDS
TRADEOFF_KINDS = ("front", "air", "sea")
#: optimizer.analysis.executors.DEFAULT_CHAIN
DEFAULT_CHAIN = 8
