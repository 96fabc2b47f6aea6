"""Writing files so that a reader (or a resumed run) never sees half of one.

For a regular file, or a path that does not exist yet, the data goes to a temporary file in
the same folder, is flushed to disk, and is then renamed over the target: on POSIX and Windows
the rename is atomic, so after a crash, ``kill -9`` or a full disk the target is either
absent, the old version, or the whole new one.

Anything else is written through, because renaming over it would destroy what the user
named: a device (``/dev/null``, ``/dev/full``) or a pipe gets the bytes, and a symbolic link
is followed, so its target is replaced and the link stays. A new file gets the permissions the
user's umask allows (as ``open`` would); a replaced file keeps its own.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import secrets
import stat
from pathlib import Path

from align.errors import InputError

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_TEMPORARY = re.compile(r"\.[0-9a-f]{8}\.part")  # what follows ".<name>" in a temporary's name


def write_bytes(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` (see the module); an I/O failure is an :class:`InputError`."""
    target = Path(os.path.realpath(path))
    try:
        try:
            info: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a directory")
        if info is None or stat.S_ISREG(info.st_mode):
            _replace(data, target, None if info is None else stat.S_IMODE(info.st_mode))
        else:
            _write_through(data, target)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from error


def write_text(text: str, path: Path) -> None:
    """Write ``text`` as UTF-8 to ``path`` (see :func:`write_bytes`)."""
    write_bytes(text.encode("utf-8"), path)


def _replace(data: bytes, target: Path, mode: int | None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.chmod(tmp, mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_leftovers(path: Path) -> int:
    """Delete the temporary files a killed writer of ``path`` left beside it; how many.

    Only for a caller that knows no other process is writing ``path`` now.
    """
    removed = 0
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        if _TEMPORARY.fullmatch(tmp.name[len(path.name) + 1 :]):
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
                removed += 1
    return removed


def _temporary(target: Path) -> tuple[int, Path]:
    """A new file beside ``target``, created with mode 0666 so that the umask decides."""
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        with contextlib.suppress(FileExistsError):
            return os.open(tmp, _NEW_FILE, 0o666), tmp


def _write_through(data: bytes, target: Path) -> None:
    with target.open("wb") as handle:
        handle.write(data)
        handle.flush()
