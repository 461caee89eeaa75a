"""Atomic file writing: a killed run never leaves a half-written report.

A write that cannot happen (the target is a folder, the folder is read-only or missing and cannot
be made, the disk is full) raises :class:`OutputError` with a sentence naming the path; the CLI
turns it into exit 2. A target that is a symbolic link is written where the link points (the link
stays), so a report path linked into a shared folder keeps working.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from checker.errors import StarcheckError


class OutputError(StarcheckError):
    """A report that could not be written."""

    code = "output_error"


def _why(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "the disk is full"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (a read-only folder or file)"
    if e.errno == errno.EISDIR:
        return "it is a folder"
    if e.errno == errno.ENOENT:
        return "its folder does not exist"
    return e.strerror or str(e)


_TEMP_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL
               | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))


def _create_temp(folder: Path, name: str) -> tuple[int, str]:
    """A new file of our own beside the target, as tempfile.mkstemp makes one, but created with the
    permissions any new file gets (the umask applies): no chmod afterwards, and no reading of the umask,
    which can only be done by changing it for the whole process for a moment (a thread creating a file
    meanwhile would get the wrong permissions)."""
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def write_atomic(path: Path, text: str) -> None:
    """Write text to path via a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    if target.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name (or use --output-dir for a folder)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(target.parent, target.name)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {_why(e)}") from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise OutputError(f"cannot write {path}: {_why(e)}") from e
        raise
