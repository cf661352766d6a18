"""The file formats a command can read an instance from, and the one function that reads them.

``posture`` instances (YAML/TOML, :func:`optimizer.instance.load_instance`), OR-Library set
covering files (:mod:`optimizer.instance.orlib`) and maximal covering files
(:mod:`optimizer.instance.mclp`, which need a radius S and a number of sites p). Every format
becomes an ordinary :class:`~optimizer.instance.Instance`; ``--set`` overrides apply to all.
"""

from __future__ import annotations

import re
from pathlib import Path

from optimizer.instance.mclp import read_mclp
from optimizer.instance.orlib import read_orlib_scp
from optimizer.instance.reader import apply_override, load_instance, validate
from optimizer.instance.schema import Instance

FORMATS = ("posture", "orlib-scp", "mclp")
_SCP = re.compile(r"^scp.*\.txt$", re.IGNORECASE)
_MCLP = re.compile(r"(\.coords\.txt|\.informsjoc\.txt|^swain\.(txt|dat))$", re.IGNORECASE)


class FormatUsage(ValueError):
    """Options that do not go together (a usage error: CLI exit code 2)."""


def infer_format(path: str | Path) -> str:
    """The format a file name suggests: ``scp*.txt``, the MCLP file names, else posture."""
    name = Path(path).name
    if _SCP.match(name):
        return "orlib-scp"
    if _MCLP.search(name):
        return "mclp"
    return "posture"


def load_any(
    path: str | Path,
    fmt: str | None = None,
    radius: float | None = None,
    stations: int | None = None,
    overrides: list[str] | tuple[str, ...] = (),
) -> Instance:
    """Read ``path`` in format ``fmt`` (inferred from the name when None), then apply overrides.

    ``radius`` and ``stations`` belong to the ``mclp`` format and are required there; giving
    them with another format raises :class:`FormatUsage`.
    """
    if fmt is None:
        fmt = infer_format(path)
        if fmt == "posture" and (radius is not None or stations is not None):
            fmt = "mclp"  # a node file under another name: the options say what it is
    if fmt not in FORMATS:
        raise FormatUsage(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt != "mclp" and (radius is not None or stations is not None):
        raise FormatUsage(f"--radius and --stations belong to --format mclp, not {fmt}")
    if fmt == "posture":
        return load_instance(path, overrides)
    if fmt == "mclp":
        if radius is None or stations is None:
            raise FormatUsage("--format mclp needs --radius S and --stations P")
        instance = read_mclp(path, radius, stations)
    else:
        instance = read_orlib_scp(path)
    if not overrides:
        return instance
    data = instance.model_dump(mode="json")  # lists, not tuples: overrides index them
    for item in overrides:
        apply_override(data, item)
    return validate(data, Path(path))
