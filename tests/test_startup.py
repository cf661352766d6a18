"""Start-up: a command imports what it needs when it needs it.

Each check runs in a fresh interpreter (the test process has imported everything already) and
reads ``sys.modules``: which modules were imported, never how long it took.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import optimizer
from optimizer.cli import COMMANDS, SUMMARIES, LazyGroup, main

ROOT = Path(__file__).resolve().parents[1]

#: Heavy for a process that only prints help. numpy is not here: optimizer.solvers.base needs
#: it for the solver option checks that every command's options share.
HEAVY = (
    "pandas",
    "scipy",
    "matplotlib",
    "highspy",
    "pulp",
    "ortools",
    "dask",
    "pydantic",
    "optimizer.analysis",
    "optimizer.check",
    "optimizer.api",
    "optimizer.model",
    "optimizer.instance",
    "optimizer.brief",
)


def imported_after(code: str) -> set[str]:
    """The names in sys.modules of a fresh interpreter after it ran ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def among(loaded: set[str], names: tuple[str, ...] | set[str]) -> list[str]:
    """The packages of ``names`` that ``loaded`` holds (the package or any of its modules)."""
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in loaded))


def cli_run(args: list[str]) -> str:
    """Code that runs ``posture ARGS`` in-process (exit code 0 asserted)."""
    return (
        "from click.testing import CliRunner\nfrom optimizer.cli import main\n"
        f"r = CliRunner().invoke(main, {args!r})\n"
        "assert r.exit_code == 0, (r.exit_code, r.output)\n"
    )


def test_the_heavy_list_names_modules_that_are_there() -> None:
    # a misspelt name would make every check below pass
    for name in ("pandas", "scipy", "pydantic", "highspy"):
        __import__(name)
    loaded = imported_after("import optimizer.analysis.sensitivity, optimizer.check")
    found = among(loaded, HEAVY)
    assert {"pandas", "scipy", "pydantic", "optimizer.analysis", "optimizer.check"} <= set(found)


def test_importing_the_command_line_imports_nothing_heavy() -> None:
    loaded = imported_after("import optimizer.cli")
    assert among(loaded, HEAVY) == []
    assert "importlib.metadata" not in loaded  # the version is read by --version only


def test_posture_help_imports_no_command_module() -> None:
    loaded = imported_after(cli_run(["--help"]))
    assert among(loaded, HEAVY) == []
    assert "optimizer.cli" in loaded
    assert sorted(m for m in loaded if m.startswith("optimizer.cli.")) == []


# bench is left out: its --help shows the suites and data folder of the benchmark package,
# which imports the checker (a developer's command, not a user's).
@pytest.mark.parametrize("command", [name for name in COMMANDS if name != "bench"])
def test_command_help_imports_nothing_heavy(command: str) -> None:
    loaded = imported_after(cli_run([command, "--help"]))
    assert among(loaded, HEAVY) == []
    assert COMMANDS[command].split(":")[0] in loaded  # it did import the command


def test_solve_imports_neither_the_analysis_package_nor_the_checker() -> None:
    code = cli_run(["solve", "instances/baseline.yaml", "--no-write", "--no-us-dependency"])
    code += "assert 'plan        25 stations, cost 147.9' in r.output, r.output\n"
    loaded = imported_after(code)
    assert {"highspy", "pandas", "optimizer.model", "optimizer.api"} <= loaded  # it did solve
    assert among(loaded, ("optimizer.analysis", "optimizer.check", "matplotlib", "pulp")) == []


def test_importing_the_api_imports_neither_the_analysis_package_nor_the_checker() -> None:
    loaded = imported_after("import optimizer.api")
    assert among(loaded, ("optimizer.analysis", "optimizer.check", "matplotlib", "dask")) == []


def test_command_list_of_posture_help_is_clicks_own() -> None:
    """SUMMARIES give the same lines as click's format_commands, which imports every command."""
    assert list(SUMMARIES) == list(COMMANDS)
    for width in (40, 80, 100):
        ours = click.HelpFormatter(width=width)
        clicks = click.HelpFormatter(width=width)
        ctx = click.Context(main)
        main.format_commands(ctx, ours)
        click.Group.format_commands(main, ctx, clicks)
        assert ours.getvalue() == clicks.getvalue()
        assert "solve" in ours.getvalue()
    for name in COMMANDS:
        command = LazyGroup.get_command(main, click.Context(main), name)
        assert command is not None
        for limit in range(5, 200, 7):
            stub = click.Command(name, help=SUMMARIES[name])
            assert stub.get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_version_is_read_when_asked() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"posture, version {optimizer.__version__}\n"
    assert optimizer.__version__ not in ("", "0.0.0+unknown")  # the installed one was read


def test_copied_choices_match_the_library() -> None:
    from optimizer import api
    from optimizer.analysis import (
        attack,
        contributions,
        executors,
        montecarlo,
        sensitivity,
        tradeoff,
    )
    from optimizer.cli import choices
    from optimizer.instance import formats
    from optimizer.instance.schema import CoverageMode, Objective

    assert choices.FORMATS == formats.FORMATS
    assert tuple(m.value for m in CoverageMode) == choices.COVERAGE_MODES
    assert tuple(o.value for o in Objective) == choices.OBJECTIVES
    assert choices.ATTACK_METHODS == attack.METHODS
    assert choices.BACKSTOP_RULES == contributions.BACKSTOP_RULES
    assert choices.EXACT_MAX == contributions.EXACT_MAX
    assert choices.DISTRIBUTIONS == montecarlo.DISTRIBUTIONS
    assert choices.SENSITIVITY_TABLES == sensitivity.TABLES == api.TABLES
    assert choices.TRADEOFF_KINDS == tradeoff.KINDS
    assert choices.DEFAULT_CHAIN == executors.DEFAULT_CHAIN == api.DEFAULT_CHAIN
