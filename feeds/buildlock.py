"""The build lock (`build_lock`): one build of a site at a time, held by the kernel (`flock`),
so a killed build never leaves it behind."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from feeds.publish import PublishError, explain

LOCK_NAME = "lock"  # in cache_dir


class LockHeld(Exception):
    """Another build holds the lock on `cache_dir`; `pid` is its process id when known."""

    def __init__(self, lock_path: Path, pid: int | None) -> None:
        who = "another build" if pid is None else f"another build (process {pid})"
        super().__init__(
            f"{who} is running and holds the lock {lock_path}: "
            "wait for it to finish, then build again"
        )
        self.lock_path = lock_path
        self.pid = pid


_LOCK_NOT_A_FILE = (
    "the build lock is not a regular file (a symbolic link, FIFO or device is in its "
    "place); it was left as it is: remove it and build again"
)


@contextmanager
def build_lock(cache_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive `flock` on `cache_dir/lock` for the duration of a build.

    The kernel releases the lock when the holder's file descriptor closes, including when the
    process is killed, so a crashed build never leaves a stale lock. When another build holds
    it: wait for it (`wait=True`) or raise `LockHeld` naming the holder's process id.
    Raises `PublishError` when `cache_dir` or the lock file cannot be created.
    """
    lock_path = cache_dir / LOCK_NAME
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Never through a link, never truncated on open (the holder's pid is in it), never
        # blocking (a FIFO put in its place): then it must be a regular file.
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(lock_path, flags, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise PublishError(str(lock_path), _LOCK_NOT_A_FILE) from None
        raise PublishError(
            str(lock_path), f"cannot create the build lock: {explain(error)}"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise PublishError(str(lock_path), _LOCK_NOT_A_FILE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise LockHeld(lock_path, _read_pid(fd)) from None
        # The holder's pid, for the message another build shows; informative only.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield
        finally:
            with suppress(OSError):
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
