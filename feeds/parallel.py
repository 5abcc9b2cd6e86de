"""More than one core for big builds: a few forked worker processes that each run a function
on a share of the work and send the result back through a pipe.

- The workers are forked once per build, early, before the build loads its big state, so
  what they share with the build process stays small (the resident set of a forked process
  counts every page it inherited).
- `run` gives share 0 to the build process itself and one share to each worker; results come
  back in the order of the shares, so nothing depends on the number of workers or on which
  finished first. `deal` hands out units one at a time to whichever process is free, for
  work whose results are keyed (the build process looks in on the workers while it works).
- A worker that fails (killed, out of memory, or raising) has its share run again in the
  build process: a genuine error is then raised there, as it would be without workers.
- A worker closes every file descriptor it inherited but its two pipes (the build lock
  above all: a killed build must not leave its lock held by a worker), ignores SIGINT
  (Ctrl-C is the build process's to handle) and, on Linux, dies with the build process.
- No workers are forked while other threads run (`feeds serve --watch` builds in a thread):
  a forked child would inherit locks those threads hold.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import pickle
import select
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any, TypeVar

from feeds.codec import dump

T = TypeVar("T")
R = TypeVar("R")

WORKERS_ENV = "FEEDS_WORKERS"
MAX_WORKERS = 8
# Items per process in one round of `Workers.map`: a worker holds one round's results, and
# one round's pickle crosses the pipe at a time (issue 14: at a million files, a worker
# holding its whole share and sending it as one message was a GiB of the peak).
MAP_ROUND = 20_000


def worker_count(requested: int | None = None) -> int:
    """How many processes a big build may use: `requested`, else $FEEDS_WORKERS, else the
    CPUs this process may run on (at most `MAX_WORKERS`); 1 while other threads run."""
    if threading.active_count() > 1:
        return 1
    if requested is None:
        text = os.environ.get(WORKERS_ENV, "").strip()
        if text.isdigit() and int(text) > 0:
            requested = int(text)
        else:
            try:
                requested = len(os.sched_getaffinity(0))
            except (AttributeError, OSError):
                requested = os.cpu_count() or 1
    return max(1, min(requested, MAX_WORKERS))


@dataclass(slots=True)
class _Child:
    pid: int
    tasks: IO[bytes]
    results: IO[bytes]
    alive: bool = True


class Workers:
    """`count` processes for one build: this one and `count - 1` forked workers (started on
    entering the `with` block, ended on leaving it). With `count == 1` nothing is forked and
    every share runs here."""

    def __init__(self, count: int = 1) -> None:
        self.count = max(1, count)
        self._children: list[_Child] = []

    def __enter__(self) -> Workers:
        if self.count > 1 and hasattr(os, "fork"):
            for _ in range(self.count - 1):
                child = _fork()
                if child is None:
                    break
                self._children.append(child)
        self.count = 1 + len(self._children)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for child in self._children:
            with contextlib.suppress(OSError):
                child.tasks.close()
            if kind is not None and child.alive:  # do not wait for work no one will use
                with contextlib.suppress(OSError):
                    os.kill(child.pid, signal.SIGKILL)
        for child in self._children:
            with contextlib.suppress(OSError):
                child.results.close()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child.pid, 0)
        self._children = []
        self.count = 1

    def run(self, function: Callable[..., R], shares: Sequence[tuple[Any, ...]]) -> list[R]:
        """`[function(*share) for share in shares]`, the shares run side by side (at most
        `count` of them: share 0 here, share i on worker i)."""
        if len(shares) > self.count:
            raise ValueError(f"{len(shares)} shares for {self.count} processes")
        sent: list[_Child | None] = [None]
        for child, share in zip(self._children, shares[1:], strict=False):
            sent.append(_send(child, (function, share)))
        results: list[R] = [function(*shares[0])] if shares else []
        for index in range(1, len(shares)):
            target = sent[index]
            outcome = _receive(target) if target is not None else None
            if outcome is None:  # the worker failed: do its share here
                results.append(function(*shares[index]))
            else:
                results.append(outcome[0])
        return results

    def deal(
        self,
        function: Callable[..., R],
        common: tuple[Any, ...],
        units: Sequence[Any],
        take: Callable[[R], None],
    ) -> None:
        """`function(*common, unit, poll)` for every unit, each given to the next process
        free (in order: put the costliest first, for an even end). The build process runs
        units itself, calling `poll()` every few items of one: it takes in what a worker sent
        and hands that worker the next unit (`poll` is None on a worker). `take(result)` gets
        every result in the build process, in the order they come. A unit whose worker failed
        runs here."""
        _Dealer(self._children, function, common, units, take).run()

    def map(
        self, function: Callable[..., list[R]], common: tuple[Any, ...], items: Sequence[T]
    ) -> list[R]:
        """`function(*common, items)` (which returns one result per item, in order) with the
        items dealt out to the processes in turn, in rounds of at most `MAP_ROUND` items per
        process; the results in the order of `items`."""
        count = min(self.count, len(items))
        if count <= 1:
            return function(*common, list(items))
        merged: list[R] = []
        step = MAP_ROUND * count
        for begin in range(0, len(items), step):
            merged.extend(self._map_round(function, common, items[begin : begin + step]))
        return merged

    def _map_round(
        self, function: Callable[..., list[R]], common: tuple[Any, ...], items: Sequence[T]
    ) -> list[R]:
        count = min(self.count, len(items))
        shares = [list(items[start::count]) for start in range(count)]
        results = self.run(function, [(*common, share) for share in shares])
        merged: list[R] = [None] * len(items)  # type: ignore[list-item]
        for start, result in enumerate(results):
            if len(result) != len(shares[start]):
                raise RuntimeError(f"{function.__name__} returned {len(result)} results")
            merged[start::count] = result
        return merged


class _Dealer:
    """One `Workers.deal`: the units not yet given, those a worker failed, and which unit each
    busy worker has (by the descriptor its result comes on)."""

    def __init__(
        self,
        children: Sequence[_Child],
        function: Callable[..., Any],
        common: tuple[Any, ...],
        units: Sequence[Any],
        take: Callable[[Any], None],
    ) -> None:
        self.children, self.function, self.common = children, function, common
        self.units, self.take = units, take
        self.todo = deque(range(len(units)))
        self.failed: list[int] = []
        self.busy: dict[int, tuple[_Child, int]] = {}

    def run(self) -> None:
        for child in self.children:
            self._give(child)
        while True:
            if self.failed or self.todo:
                index = self.failed.pop() if self.failed else self.todo.popleft()
                self.take(self.function(*self.common, self.units[index], self.poll))
            elif self.busy:
                self.poll(wait=True)
            else:
                return

    def poll(self, wait: bool = False) -> None:
        """Take in the results that came (`wait`: at least one) and give their workers more."""
        if not self.busy:
            return
        ready, _, _ = select.select(list(self.busy), [], [], None if wait else 0)
        for fd in ready:
            child, index = self.busy.pop(fd)
            outcome = _receive(child)
            if outcome is None:  # raised or died: the unit runs here
                self.failed.append(index)
            else:
                self.take(outcome[0])
            self._give(child)

    def _give(self, child: _Child) -> None:
        if not self.todo:
            return
        index = self.todo.popleft()
        if _send(child, (self.function, (*self.common, self.units[index], None))) is None:
            self.todo.appendleft(index)  # a worker that is gone: the others, or this process
            return
        self.busy[child.results.fileno()] = (child, index)


def split(costs: Sequence[tuple[str, float]], count: int) -> list[list[str]]:
    """Deal out named groups of work to `count` processes, the costliest first, each to the
    least loaded process (ties: the lower index); groups of equal cost in name order."""
    loads = [0.0] * count
    shares: list[list[str]] = [[] for _ in range(count)]
    for name, cost in sorted(costs, key=lambda item: (-item[1], item[0])):
        target = min(range(count), key=lambda index: (loads[index], index))
        loads[target] += cost
        shares[target].append(name)
    return [share for share in shares if share]


# The function `run_inherited`'s workers run: set before they are forked, so they find it in
# the memory they inherit instead of receiving it through a pipe.
_INHERITED: Callable[..., Any] | None = None


def run_inherited(
    function: Callable[..., R], shares: Sequence[tuple[Any, ...]]
) -> tuple[list[R], int]:
    """`[function(*share) for share in shares]` on a process each, forked now (share 0 here),
    and how many processes ran them (a share whose fork failed runs here): `function` and
    all it reaches (a closure, a bound method of the state) are inherited, not pickled, so
    only the shares and the results cross a pipe."""
    global _INHERITED
    _INHERITED = function
    try:
        with collector_off_inherited(), Workers(len(shares)) as late:
            done = late.run(_run_inherited, shares[: late.count])
            return done + [function(*share) for share in shares[late.count :]], late.count
    finally:
        _INHERITED = None


@contextlib.contextmanager
def collector_off_inherited() -> Iterator[None]:
    """The cycle collector kept off every object alive now, which workers forked inside the
    block inherit (`gc.freeze`: a collection would touch, and so copy, every page it walked),
    and after the block too when the caller had frozen them already (freezes do not nest:
    one unfreeze ends all). A build's workers also inherit its paused collector."""
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def _run_inherited(*share: Any) -> Any:
    assert _INHERITED is not None
    return _INHERITED(*share)


def feed_shares(feeds: Sequence[tuple[str, str, int]], count: int) -> list[list[int]]:
    """Feed files (format, feed key, entries) dealt to `count` processes, as indexes: all
    files of one format together when there are as many formats as processes (an entry's
    bytes recur only within one format, so each is parsed once), else by format and
    top-level category; balanced by entries (a JSON entry costs a third: no XML parse)."""
    by_format = len({fmt for fmt, _, _ in feeds}) >= count
    groups: dict[str, list[int]] = {}
    for index, (fmt, key, _) in enumerate(feeds):
        name = fmt if by_format else f"{fmt} {key.split('/', 1)[0]}"
        groups.setdefault(name, []).append(index)
    costs = [
        (name, sum(feeds[i][2] * (1 if feeds[i][0] == "json" else 3) + 5 for i in group))
        for name, group in groups.items()
    ]
    return [sorted(i for name in names for i in groups[name]) for names in split(costs, count)]


# -- the two ends of a worker ------------------------------------------------------------------


def _fork() -> _Child | None:
    task_read, task_write = os.pipe()
    result_read, result_write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        for fd in (task_read, task_write, result_read, result_write):
            os.close(fd)
        return None
    if pid == 0:  # the worker
        code = 1
        try:
            os.close(task_write)
            os.close(result_read)
            _detach(task_read, result_write)
            _serve(os.fdopen(task_read, "rb"), os.fdopen(result_write, "wb"))
            code = 0
        finally:
            os._exit(code)
    os.close(task_read)
    os.close(result_write)
    return _Child(pid, os.fdopen(task_write, "wb"), os.fdopen(result_read, "rb"))


def _detach(*keep: int) -> None:
    """Close every inherited descriptor but stdio and `keep`; ignore Ctrl-C; die with the
    parent where the system can say so (Linux PR_SET_PDEATHSIG)."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, _max_fd())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent is already gone
            os._exit(1)


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (ValueError, OSError):
        return 65536


def _serve(tasks: IO[bytes], results: IO[bytes]) -> None:
    """Run tasks until the build process closes the pipe."""
    while True:
        try:
            function, share = pickle.load(tasks)
        except EOFError:
            return
        try:
            outcome: tuple[bool, Any] = (True, function(*share))
        except Exception as error:  # reported; the build process runs the share itself
            outcome = (False, f"{type(error).__name__}: {error}")
        dump(outcome, results)
        results.flush()


def _send(child: _Child, task: tuple[Callable[..., Any], tuple[Any, ...]]) -> _Child | None:
    if not child.alive:
        return None
    try:
        dump(task, child.tasks)
        child.tasks.flush()
    except (OSError, pickle.PicklingError, AttributeError, TypeError):  # e.g. a local function
        child.alive = False
        return None
    return child


def _receive(child: _Child) -> tuple[Any] | None:
    """The result of the task sent to `child`, or None when it failed."""
    try:
        ok, value = pickle.load(child.results)
    except Exception:  # EOF: the worker died
        child.alive = False
        return None
    return (value,) if ok else None
