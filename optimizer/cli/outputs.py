"""Where commands write: checked before any work, so an odd output place is bad usage (exit 2).

A folder option (``--out``) must name a folder that exists or can be created, and that this
process can write into; a file option must name a file in such a folder. Each check writes and
removes one small probe file, so a read-only or full file system is found before a long solve,
not after it. Errors met while writing later (the disk fills up meanwhile) are turned into the
same one-line message by :func:`optimizer.cli.common.guarded`.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

# What an OSError means when it comes from writing output: the place, not the program.
OUTPUT_ERRNOS = frozenset(
    {
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EFBIG,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EEXIST,
        errno.ENAMETOOLONG,
        errno.ELOOP,
        errno.EXDEV,
    }
)


class OutputError(Exception):
    """An output place that cannot be written: one line naming the option and the path."""


def writable_folder(path: str | Path, option: str = "--out") -> Path:
    """``path`` as a folder this process can write into, or raise. Nothing is created: the
    probe goes into the folder, or into its nearest existing parent when it is still to be
    made (the command makes it when it writes)."""
    folder = Path(path)
    if str(path).strip() == "":
        raise OutputError(f"{option}: expected a folder name")
    kind = _kind(folder)
    if kind is not None and kind != "a folder":
        raise OutputError(f"{option} {folder}: expected a folder, got {kind}")
    existing = folder
    if kind is None:
        for parent in folder.absolute().parents:  # a file where a folder is expected, higher up
            parent_kind = _kind(parent)
            if parent_kind is not None:
                if parent_kind != "a folder":
                    shown = (
                        parent.relative_to(Path.cwd())
                        if parent.is_relative_to(Path.cwd())
                        else parent
                    )
                    raise OutputError(f"{option} {folder}: {shown} is {parent_kind}, not a folder")
                existing = parent
                break
    try:
        fd, probe = tempfile.mkstemp(prefix=".posture-probe-", dir=existing)
        try:
            os.write(fd, b"probe\n")
        finally:
            os.close(fd)
            Path(probe).unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"{option} {folder}: cannot write there: {_reason(exc)}") from None
    return folder


def writable_file(path: str | Path, option: str = "--out") -> Path:
    """``path`` as a regular file to (re)write, in a writable folder, or raise."""
    target = Path(path)
    kind = _kind(target)
    if kind is not None and kind != "a regular file":
        raise OutputError(f"{option} {target}: expected a file, got {kind}")
    writable_folder(target.parent if str(target.parent) else Path("."), option)
    return target


def describe(exc: OSError) -> str:
    """One line for an OSError met while writing output."""
    where = exc.filename if exc.filename is not None else ""
    return f"cannot write {where}: {_reason(exc)}" if where else f"cannot write: {_reason(exc)}"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return exc.strerror or str(exc) or type(exc).__name__


def _kind(path: Path) -> str | None:
    try:
        mode = path.stat().st_mode
    except OSError:  # missing, or below a file (ENOTDIR): the caller looks further up
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    return "a special file"
