"""The bytes of one content file (`read_content`, the one place a content file is opened):
from inside content_dir only, never a FIFO, at most `MAX_FILE_BYTES`. A symbolic link is
followed when its target stays inside (`contentfiles.scan_content` says which)."""

from __future__ import annotations

import os
from pathlib import Path
from stat import S_ISREG

from feeds.config import Config

MAX_FILE_BYTES = 64 * 1024 * 1024  # per content file; fstat is checked before reading
FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC  # a folder to list (`os.open`)
OUTSIDE = (
    "is a symbolic link leading outside content_dir; content is read from inside "
    "content_dir only: copy what it points to into content_dir, or remove the link"
)
_THROUGH_A_LINK = OUTSIDE.replace("is a symbolic link", "it leads through a link")


class ContentFileError(OSError):
    """A content file refused before its bytes are read (`strerror` says why and what to do)."""


def inside(real: str, root: str) -> bool:
    """Whether the resolved path `real` is `root` or below it."""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


_ROOTS: dict[Path, str] = {}


class OpenFolder:
    """The folder a run of reads was last in, kept open between them (`read_content`'s
    `folder`): the files of one folder come one after another, and opening the folders on
    the way again for each cost a third of opening and reading it (issue 14). Close it when
    the run ends (`with`); a file that cannot be opened from it is looked for afresh."""

    def __init__(self) -> None:
        self.path: tuple[str, str] | None = None  # (resolved content_dir, folder below it)
        self.fd = -1

    def keep(self, path: tuple[str, str], fd: int) -> None:
        self.close()
        self.path, self.fd = path, fd

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
        self.path, self.fd = None, -1

    def __enter__(self) -> OpenFolder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def read_content(config: Config, relative: str, folder: OpenFolder | None = None) -> bytes:
    """The bytes of the content file at `relative` (a path `scan_content` gave). Raises
    `OSError` when it cannot be read: gone, leading outside content_dir since the scan, not a
    regular file (a FIFO is never waited on), or over `MAX_FILE_BYTES`. `folder` keeps the
    file's folder open for the next read."""
    root = _ROOTS.get(config.content_dir)
    if root is None:
        root = _ROOTS[config.content_dir] = os.path.realpath(config.content_dir)
    fd = _open_plain(root, relative, folder)
    if fd is None:  # a link on the way, or an error: resolved and checked whole
        real = os.path.realpath(config.content_dir / relative)
        if not inside(real, root):
            raise ContentFileError(0, _THROUGH_A_LINK)
        fd = os.open(real, _FILE_FLAGS)
    try:
        stat = os.fstat(fd)
        if not S_ISREG(stat.st_mode):
            raise ContentFileError(
                0, "it is not a regular file (a FIFO, device or socket): replace it with a file"
            )
        if stat.st_size > MAX_FILE_BYTES:
            raise _too_large(stat.st_size)
        data = _read_up_to_limit(fd, stat.st_size)  # it may have grown since fstat
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))
    return data


_FILE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_plain(root: str, relative: str, kept: OpenFolder | None) -> int | None:
    """The file opened folder by folder from `root` (openat(2), O_NOFOLLOW: no link
    followed), or from the folder `kept` holds open when it is the file's; None when a part
    is a link or cannot be opened. Speed (issue 14): realpath's lstat per part of the whole
    path cost more than the read."""
    *folders, name = parts = relative.split("/")
    if "" in parts or "." in parts or ".." in parts:
        return None
    path = (root, relative[: -len(name) - 1] if folders else "")
    if kept is not None and kept.path == path:
        try:
            return os.open(name, _FILE_FLAGS, dir_fd=kept.fd)
        except OSError:
            kept.close()  # gone or replaced since it was opened: opened afresh below
    try:
        at = os.open(root, FOLDER_FLAGS)
    except OSError:
        return None
    try:
        for folder in folders:
            below = os.open(folder, FOLDER_FLAGS | os.O_NOFOLLOW, dir_fd=at)
            os.close(at)
            at = below
        fd = os.open(name, _FILE_FLAGS, dir_fd=at)
    except OSError:
        os.close(at)
        return None
    if kept is None:
        os.close(at)
    else:
        kept.keep(path, at)
    return fd


def _read_up_to_limit(fd: int, size: int) -> bytes:
    """At most `MAX_FILE_BYTES + 1` bytes of `fd`, asked for in pieces near `size`: one
    buffered read(limit) allocated the whole 64 MiB for every file (issue 14)."""
    parts: list[bytes] = []
    total, want = 0, size + 1
    while total <= MAX_FILE_BYTES:
        part = os.read(fd, min(max(want, 1 << 16), MAX_FILE_BYTES + 1 - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
        want = 1 << 16
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _too_large(size: int) -> ContentFileError:
    return ContentFileError(
        0,
        f"it is {size:,} bytes; a content file is read up to {MAX_FILE_BYTES:,} bytes "
        f"({MAX_FILE_BYTES >> 20} MiB): split it into smaller files",
    )
