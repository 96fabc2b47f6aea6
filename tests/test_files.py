"""Bounded reads and safe writes: only regular files are read, devices and links written through."""

from __future__ import annotations

import io
import os
import stat
import threading
from pathlib import Path

import pytest

from align.atomic import remove_leftovers, write_bytes
from align.errors import InputError
from align.reading import read_file, read_stream

# --------------------------------------------------------------------------- reading


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello")
    assert read_file(path) == b"hello"


def test_dev_zero_is_refused_at_once() -> None:
    with pytest.raises(InputError, match=r"/dev/zero: is a device, not a regular file"):
        read_file("/dev/zero")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    reader = threading.Thread(target=lambda: _capture(outcome, fifo), daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # blocked in open(): release it so the test run can end
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], InputError) and "a pipe (FIFO)" in str(outcome[0])


def _capture(outcome: list[BaseException], path: Path) -> None:
    try:
        read_file(path)
    except BaseException as error:  # handed to the test thread
        outcome.append(error)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_file(tmp_path)


def test_the_limit_holds_for_a_stream_that_never_ends() -> None:
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    with pytest.raises(InputError, match=r"stdin: it has more than the limit of 1,000 bytes"):
        read_stream(io.BufferedReader(Endless()), name="stdin", max_bytes=1000)


def test_a_stream_within_the_limit_is_read_whole() -> None:
    assert read_stream(io.BytesIO(b"x" * 1000), name="s", max_bytes=1000) == b"x" * 1000


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    with pytest.raises(InputError, match=r"big\.txt: the file has 11 bytes, more than the limit"):
        read_file(path, max_bytes=10)


# --------------------------------------------------------------------------- writing


def test_a_new_file_gets_the_users_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        write_bytes(b"data", tmp_path / "new.txt")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["new.txt"]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(b"old")
    path.chmod(0o604)
    write_bytes(b"new", path)
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o604


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_bytes(b"new", link)
    assert link.is_symlink() and target.read_bytes() == b"new"


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "later.txt")
    write_bytes(b"new", link)
    assert link.is_symlink() and (tmp_path / "later.txt").read_bytes() == b"new"


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_bytes(b"through the pipe", fifo)
    reader.join(timeout=10)
    assert received == [b"through the pipe"] and stat.S_ISFIFO(fifo.stat().st_mode)


def _device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private copy of /dev/null (minor 3) or /dev/full (7) where we may make one (root).

    So that a regression replaces the copy, never the machine's device; without root the
    real device is used, which a non-root rename cannot replace.
    """
    if os.geteuid() != 0:
        return Path("/dev") / name
    path = tmp_path / name
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path


def test_a_null_device_stays_a_device(tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    write_bytes(b"nothing", null)
    assert stat.S_ISCHR(null.stat().st_mode)


def test_a_full_device_is_an_error(tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    with pytest.raises(InputError, match=r"cannot write .*full: No space left on device"):
        write_bytes(b"x" * 10, full)
    assert stat.S_ISCHR(full.stat().st_mode)


def test_a_directory_is_not_replaced(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        write_bytes(b"x", tmp_path)
    assert tmp_path.is_dir()


def test_leftover_temporaries_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "p.tmx"
    (tmp_path / ".p.tmx.0123abcd.part").write_bytes(b"half")
    (tmp_path / ".p.tmx.notmine.part").write_bytes(b"someone else's")
    (tmp_path / ".p.tmxx.0123abcd.part").write_bytes(b"another file's")
    assert remove_leftovers(target) == 1
    assert sorted(os.listdir(tmp_path)) == [".p.tmx.notmine.part", ".p.tmxx.0123abcd.part"]
