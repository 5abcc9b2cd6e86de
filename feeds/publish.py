"""Putting bytes into the output folder: atomic writes, write-if-changed, stale removal, and
the build lock.

A reader of the output folder sees, for every file, either the complete old bytes or the
complete new bytes, whenever the build dies: each file goes to a temporary file in the same
folder, is flushed to disk, and replaces the old one with `os.replace` (rename(2) is atomic
within one file system). A file whose bytes would not change is not touched, so its
modification time, and every HTTP validator derived from it, stays.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from feeds.layout import FEEDS_DIR, is_feed_path

_NAME_MAX = 255  # bytes per path segment on Linux file systems (NAME_MAX)
_TEMP_TOKEN = 12  # hex digits of randomness in a temporary file name
_TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")  # see _temp_path

Opener = Callable[[Path], BinaryIO]
"""How a temporary file is opened for writing; the seam tests use to inject ENOSPC or EROFS.
It is given a path that does not exist yet and must create it."""


class PublishError(Exception):
    """A path that cannot be written or locked; `path` is the file as the user should see it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True, slots=True)
class PublishReport:
    """What `publish_files` did (or, in a dry run, would do); paths relative and sorted.

    `failed` pairs a relative path with a message naming the file, the OS error and the fix.
    """

    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


# What to do about an OS error, by errno; the message always keeps the OS's own words too.
_ADVICE = {
    errno.ENOSPC: "the disk is full; free some space and build again",
    errno.EDQUOT: "the disk quota is used up; free some space and build again",
    errno.EROFS: "the file system is read-only; remount it read-write or point output_dir "
    "at a writable folder, then build again",
    errno.EACCES: "permission denied; give the user running the build write access, "
    "then build again",
    errno.EPERM: "operation not permitted; give the user running the build write access, "
    "then build again",
    errno.ENOTDIR: "a file is in the way where a folder is needed; remove it and build again",
    errno.EISDIR: "a folder is in the way where a file is needed; remove it and build again",
    errno.EEXIST: "a file is in the way where a folder is needed; remove it and build again",
    errno.ENAMETOOLONG: "the name is too long for the file system; shorten the category "
    "name or slug",
    errno.EIO: "the disk reported an I/O error; check the disk, then build again",
}


def explain(error: OSError) -> str:
    """An OS error as `reason (ECODE): what to do`, keeping the OS's own words."""
    code = errno.errorcode.get(error.errno or 0, "")
    reason = error.strerror or str(error)
    shown = f"{reason} ({code})" if code else reason
    advice = _ADVICE.get(error.errno or 0, "check the output folder, then build again")
    return f"{shown}: {advice}"


def safe_target(output_dir: Path, relative: str) -> Path:
    """The path `relative` names inside `output_dir`, or `PublishError` if it could escape.

    `relative` is a POSIX path of plain segments: not absolute, no backslash or NUL, no empty,
    `.`/`..` or hidden (`.x`) segment, each segment at most 255 bytes, and no symbolic link
    on the way may lead outside `output_dir`. Hidden names are refused so that a target can
    never collide with a temporary file (`.NAME.XXXX.tmp`) or a dotfile such as `.htaccess`.
    """
    shown = repr(relative)
    if not relative:
        raise PublishError(shown, "is empty: a published file needs a name")
    if "\x00" in relative:
        raise PublishError(shown, "contains a NUL character: check the slug that produced it")
    if "\\" in relative:
        raise PublishError(shown, "contains a backslash: use '/' between folders")
    if relative.startswith("/"):
        raise PublishError(shown, "is absolute: published paths are relative to output_dir")
    for segment in relative.split("/"):
        if segment == "":
            raise PublishError(shown, "has an empty segment ('//' or a trailing '/')")
        if segment in (".", ".."):
            raise PublishError(shown, f"has a {segment!r} segment: it could leave output_dir")
        if segment.startswith("."):
            raise PublishError(
                shown, f"has a hidden segment {segment!r}: names must not start with '.'"
            )
        if len(segment.encode("utf-8", "surrogatepass")) > _NAME_MAX:
            raise PublishError(
                shown,
                f"has a segment longer than {_NAME_MAX} bytes: shorten the category name or slug",
            )
    target = output_dir / PurePosixPath(relative)
    root = os.path.realpath(output_dir)
    if os.path.commonpath([root, os.path.realpath(target)]) != root:
        raise PublishError(
            shown, f"leads outside {output_dir} through a symbolic link: remove the link"
        )
    return target


def publish_files(
    output_dir: Path,
    files: Mapping[str, bytes],
    *,
    stale: Iterable[str] = (),
    dry_run: bool = False,
    opener: Opener | None = None,
) -> PublishReport:
    """Make `output_dir` hold `files` (relative path -> bytes) and not hold `stale`.

    A file with exactly these bytes already is left alone (its mtime kept); any other is
    written atomically. One file failing (disk full, read-only, permissions) is recorded in
    `failed`, its published version left intact, and the rest carry on. `stale` paths that
    are also in `files` are kept. With `dry_run` nothing is touched.
    """
    tally = _Tally()
    staged = _stage_all(output_dir, files, dry_run, opener or _open_new, tally)
    # Feeds go live before the discovery files (OPML, index, feed pages) that list them: a
    # build killed in between never leaves a list naming a feed that is not there yet.
    staged.sort(key=lambda item: not is_feed_path(item[0]))  # stable: path order within
    _go_live(staged, tally)
    _remove_stale(output_dir, sorted(set(stale) - set(files)), dry_run, tally)
    return PublishReport(
        written=tuple(sorted(tally.written)),  # by path, whatever order they went live in
        unchanged=tuple(tally.unchanged),
        removed=tuple(tally.removed),
        failed=tuple(tally.failed),
    )


@dataclass(slots=True)
class _Tally:
    """What `publish_files` did so far, in the order it did it."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


_Staged = tuple[str, Path, Path]  # (relative, target, temp): written, flushed, not yet live


def _stage_all(
    output_dir: Path, files: Mapping[str, bytes], dry_run: bool, open_temp: Opener, tally: _Tally
) -> list[_Staged]:
    """Each file whose bytes change written to a temporary file beside its target, in path
    order; the others tallied as unchanged or failed (in a dry run: as written, none staged)."""
    staged: list[_Staged] = []
    for relative in sorted(files):
        data = files[relative]
        try:
            target = safe_target(output_dir, relative)
        except PublishError as error:
            tally.failed.append((relative, str(error)))
            continue
        if _has_bytes(target, data):
            tally.unchanged.append(relative)
            continue
        if dry_run:
            tally.written.append(relative)
            continue
        try:
            staged.append((relative, target, _stage(target, data, open_temp)))
        except OSError as error:
            tally.failed.append((relative, _cannot("write", target, error)))
    return staged


def _go_live(staged: list[_Staged], tally: _Tally) -> None:
    """Flush every staged file before any of them goes live (one fsync each, run side by side:
    the file system commits them together), then rename each over its target and flush the
    folders; a file that fails is removed and tallied, its published version intact."""
    flushed = _fsync_all([temp for _, _, temp in staged])
    folders: set[Path] = set()
    for (relative, target, temp), flush_error in zip(staged, flushed, strict=True):
        try:
            if flush_error is not None:
                raise flush_error
            _advance_mtime(target, temp)
            os.replace(temp, target)
        except OSError as failure:
            _remove_quietly(temp)
            tally.failed.append((relative, _cannot("write", target, failure)))
            continue
        folders.add(target.parent)
        tally.written.append(relative)
    for folder in sorted(folders):
        _fsync_dir(folder)


def _remove_stale(output_dir: Path, stale: list[str], dry_run: bool, tally: _Tally) -> None:
    """Remove each of `stale` that exists (in a dry run: tally it only), and the folders
    left empty."""
    for relative in stale:
        try:
            target = safe_target(output_dir, relative)
        except PublishError as error:
            tally.failed.append((relative, str(error)))
            continue
        if not os.path.lexists(target):
            continue
        if not dry_run:
            try:
                os.unlink(target)
                _fsync_dir(target.parent)
            except FileNotFoundError:
                continue
            except OSError as error:
                tally.failed.append((relative, _cannot("remove", target, error)))
                continue
            _remove_empty_parents(output_dir, target.parent)
        tally.removed.append(relative)


def remove_temp_files(output_dir: Path) -> None:
    """Delete the temporary files a killed build left behind (`.NAME.XXXX.tmp`), under
    `feeds/` and at the top of `output_dir`. Call it while holding the build lock. Symbolic
    links are never removed and hidden folders not walked."""
    with suppress(OSError):
        for entry in os.scandir(output_dir):
            if _TEMP_NAME.match(entry.name) and entry.is_file(follow_symlinks=False):
                _remove_quietly(Path(entry.path))
    for folder, dirs, names in os.walk(output_dir / FEEDS_DIR):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(folder)
        for name in names:
            path = here / name
            if name.startswith(".") and name.endswith(".tmp") and not path.is_symlink():
                _remove_quietly(path)


def _cannot(action: str, target: Path, error: OSError) -> str:
    if action == "remove":
        kept = "The file is still there."
    elif os.path.lexists(target):
        kept = "The published file is unchanged."
    else:
        kept = "The file was not published."
    return f"cannot {action} {target}: {explain(error)}. {kept}"


def write_file_atomically(
    target: Path, data: bytes | Iterable[bytes], temp: Path | None = None
) -> bool:
    """Replace one file (build state, a manifest) atomically: a temporary file beside it,
    fsync, rename, so a killed build leaves the old or the new file. False when it already
    holds `data` (left untouched). `data` may come in chunks, so a big state file is never
    held whole: then written first and compared after. `temp` names the temporary file when
    the folder's clean-up looks for another pattern than `_temp_path`'s. Raises `OSError`."""
    whole = isinstance(data, bytes)
    if isinstance(data, bytes) and not target.is_symlink() and _has_bytes(target, data):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = temp or _temp_path(target)
    try:
        with _open_new(temp) as stream:
            stream.writelines([data] if isinstance(data, bytes) else data)
            stream.flush()
            if not whole and not target.is_symlink() and _same_files(temp, target):
                _remove_quietly(temp)
                return False
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        _remove_quietly(temp)
        raise
    return True


def _same_files(one: Path, other: Path, block: int = 1 << 20) -> bool:
    """True when two regular files hold the same bytes (sizes first, then block by block)."""
    try:
        if os.stat(one).st_size != os.stat(other).st_size:
            return False
        with open(one, "rb") as first, open(other, "rb") as second:
            while chunk := first.read(block):
                if second.read(block) != chunk:
                    return False
    except OSError:
        return False
    return True


def _has_bytes(target: Path, data: bytes) -> bool:
    """True when `target` is a regular file holding exactly `data` (size checked first)."""
    try:
        if os.stat(target).st_size != len(data):
            return False
        with open(target, "rb") as existing:
            return existing.read(len(data) + 1) == data
    except OSError:
        return False


def _open_new(path: Path) -> BinaryIO:
    # O_EXCL: never reuse a file someone else made; mode 0o666 minus the umask, as `open` does,
    # so the web server can read what the build publishes.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    return os.fdopen(fd, "wb")


def _temp_path(target: Path) -> Path:
    # Hidden (never served as a feed, never a safe_target) and recognisable for clean-up.
    # The name is cut so that it fits NAME_MAX whatever the target's name is.
    stem = target.name.encode("utf-8", "surrogatepass")[:200].decode("utf-8", "ignore")
    return target.with_name(f".{stem or 'file'}.{secrets.token_hex(_TEMP_TOKEN // 2)}.tmp")


def _stage(target: Path, data: bytes, open_temp: Opener) -> Path:
    """Write `data` to a new temporary file beside `target`; the caller makes it live."""
    _make_folders(target.parent)
    temp = _temp_path(target)
    try:
        with open_temp(temp) as stream:
            stream.write(data)
            stream.flush()
    except BaseException:
        _remove_quietly(temp)
        raise
    return temp


def _fsync_all(paths: list[Path]) -> list[OSError | None]:
    """fsync(2) each file, several at once; the error for each file, or None."""

    def flush(path: Path) -> OSError | None:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            return error
        return None

    if len(paths) <= 1:
        return [flush(path) for path in paths]
    with ThreadPoolExecutor(max_workers=min(16, len(paths))) as pool:
        return list(pool.map(flush, paths))


def _advance_mtime(target: Path, temp: Path) -> None:
    """Give the new file a later whole-second mtime than the file it replaces.

    nginx's ETag (`"mtime-size"` in hex) and every `Last-Modified` have one-second resolution:
    new bytes of the same size written within the second of the old ones would otherwise keep
    the validators, and pollers would be told 304 for a feed that changed.
    """
    try:
        old = os.stat(target)
    except OSError:
        return
    new = os.stat(temp)
    old_second = old.st_mtime_ns // 1_000_000_000
    if new.st_mtime_ns // 1_000_000_000 <= old_second:
        later = (old_second + 1) * 1_000_000_000
        os.utime(temp, ns=(new.st_atime_ns, later))


def _make_folders(folder: Path) -> None:
    """Create `folder` and its missing parents, making each new entry durable in its parent."""
    missing: list[Path] = []
    current = folder
    while not current.is_dir() and current.parent != current:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            if not path.is_dir():
                raise
            continue
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename or a new name lives there) to disk.

    Best effort: some file systems refuse fsync(2) on a directory, and by then the change is
    already visible to readers, which is what atomicity promises them.
    """
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_empty_parents(output_dir: Path, folder: Path) -> None:
    """Remove `folder` and its parents while they are empty, stopping at `output_dir`."""
    root = os.path.realpath(output_dir)
    current = folder
    while True:
        real = os.path.realpath(current)
        if real == root or os.path.commonpath([root, real]) != root:
            return
        try:
            current.rmdir()
        except OSError:
            return
        _fsync_dir(current.parent)
        current = current.parent


def _remove_quietly(path: Path) -> None:
    with suppress(OSError):
        os.unlink(path)
