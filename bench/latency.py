"""Publish latency, measured from outside (issue 14).

    .venv/bin/python bench/latency.py [--corpus bench/work/corpus-100000-s6] [--saves 20]

1. `feeds build --watch` runs on the corpus (built first when it has no output yet).
2. The newest article (`corpus.json` names it) gets a new title and is saved, `--saves`
   times; each time the clock starts when the file is closed and stops when every feed file
   that carries the article (found by its link before the first save) has been replaced on
   disk and holds the new title; a second time is taken when the watcher reports the build
   ended (its state saved after publishing). The next save waits for that report. The
   watcher's process tree is sampled for its peak memory (PSS and RSS) all along.
   With `--new N`, N new articles are then written one by one (each a copy of the newest with
   another title, in its folder), each timed until the site feed files hold it.
3. The watcher is stopped, and the same edit is built by a fresh `feeds build` process, timed
   as a whole (`--fresh` times, the median reported): the one-article rebuild as a CMS hook
   would run it.

The article is restored at the end (and rebuilt). Prints the latencies, their median, min and
max, and the load average before and after; exits 1 when a save was not published within
`--timeout` seconds or a build failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BENCH, NOW, compile_feeds, load_average, measure, process_tree, pss_kib, rss_kib

_TITLE = re.compile(r"^title: .*$", re.M)


def feeds_of(output: Path, link: str) -> list[Path]:
    """The RSS and Atom files under `output/feeds` with an entry whose link (RSS) or id
    (Atom) ends in `link` (a body that links to the article does not count)."""
    needles = (f"{link}</link>".encode(), f"{link}</id>".encode())
    return sorted(
        p
        for p in (output / "feeds").rglob("*.xml")
        if p.is_file() and any(needle in p.read_bytes() for needle in needles)
    )


def retitled(original: str, title: str) -> str:
    return _TITLE.sub(f"title: {json.dumps(title)}", original, count=1)


class Watcher:
    """`feeds build --watch` in its own process group; counts the builds it reports."""

    def __init__(self, feeds: Path, config: Path) -> None:
        command = [str(feeds), "build", "--watch", "--config", str(config), "--now", NOW]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.builds = 0
        self.ended: list[float] = []  # perf_counter at each build's summary line
        self.watching = False
        self.failed = 0
        self.lines: list[str] = []
        self.peak_kib = {"pss": 0, "rss": 0}  # of the whole process tree
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        """The tree's peak: RSS every 20 ms, PSS (the kernel walks every page) every 200 ms."""
        count = 0
        while self.process.poll() is None:
            pids = process_tree(self.process.pid)
            peak = self.peak_kib
            peak["rss"] = max(peak["rss"], sum(map(rss_kib, pids)))
            if count % 10 == 0:
                peak["pss"] = max(peak["pss"], sum(map(pss_kib, pids)))
            count += 1
            time.sleep(0.02)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip())
                self.watching = self.watching or line.startswith("feeds: watching ")
                self._changed.notify_all()
                if " errors, " in line:  # the summary line that ends every build
                    self.ended.append(time.perf_counter())
                    self.builds += 1
                    self.failed += not line.startswith("feeds: 0 errors")
                    self._changed.notify_all()

    def wait_builds(self, count: int, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.builds >= count, timeout)

    def wait_watching(self, timeout: float) -> bool:
        """True once the watcher said it watches (then a second for its watches to settle)."""
        with self._changed:
            watching = self._changed.wait_for(lambda: self.watching, timeout)
        time.sleep(1.0)
        return watching

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def wait_published(files: list[Path], marker: bytes, before: dict[Path, int], limit: float) -> bool:
    """Poll (1 ms) until each file is a new file (inode) holding `marker`."""
    todo = set(files)
    while todo and time.perf_counter() < limit:
        for path in list(todo):
            try:
                if os.stat(path).st_ino != before[path] and marker in path.read_bytes():
                    todo.discard(path)
            except FileNotFoundError:
                continue
        if todo:
            time.sleep(0.001)
    return not todo


news: list[float] = []  # seconds from a new article's file written to its feeds replaced


def add_new(
    article: Path,
    original: str,
    output: Path,
    watcher: Watcher,
    args: argparse.Namespace,
    added: list[Path],
    builds: int,
) -> bool:
    """`--new` times: a new article beside the newest one (its date, so it lands in the site
    feed and its category's), timed until both site feed files hold its title."""
    files = [output / "feeds" / "all.rss.xml", output / "feeds" / "all.atom.xml"]
    for number in range(args.new):
        before = {p: os.stat(p).st_ino for p in files}
        marker = f"Latency new article {number}"
        path = article.with_name(f"latency-new-{number}{article.suffix}")
        added.append(path)
        path.write_text(retitled(original, marker), encoding="utf-8")
        start = time.perf_counter()
        seen = wait_published(files, marker.encode(), before, start + args.timeout)
        news.append(time.perf_counter() - start)
        print(f"latency: new article {number + 1}: {news[-1] * 1000:.0f} ms", flush=True)
        if not (seen and watcher.wait_builds(builds + number + 1, args.timeout)):
            return False
        time.sleep(0.2)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=BENCH / "work" / "corpus-100000-s6")
    parser.add_argument("--saves", type=int, default=20, help="0: no watcher, fresh runs only")
    parser.add_argument("--fresh", type=int, default=5, help="fresh-process rebuilds to time")
    parser.add_argument(
        "--new", type=int, default=0, help="new articles to add under the watcher, timed"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per save")
    args = parser.parse_args(argv)
    compile_feeds()
    feeds = Path(sys.executable).parent / "feeds"
    folder = args.corpus.resolve()
    config, output = folder / "config.yaml", folder / "public"
    manifest = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    article = folder / manifest["newest"]["feeds"]
    original = article.read_text(encoding="utf-8")
    build = [str(feeds), "build", "--config", str(config), "--now", NOW, "--quiet"]
    if not (output / "feeds").is_dir():
        print("latency: building the corpus once ...", flush=True)
        subprocess.run(build, check=True)
    link = f"/articles/{article.stem}/"
    files = feeds_of(output, link)
    print(f"latency: {article.name} is in {len(files)} feed files; load {load_average()}")
    latencies: list[float] = []
    to_end: list[float] = []  # from each save to its build's summary line
    added: list[Path] = []  # new articles' files, removed at the end
    ok = True
    watcher = Watcher(feeds, config) if args.saves > 0 else None
    try:
        ok = watcher is None or (watcher.wait_builds(1, 600) and watcher.wait_watching(60))
        for number in range(1, args.saves + 1 if ok else 0):
            before = {p: os.stat(p).st_ino for p in files}
            marker = f"Latency probe {number}"
            article.write_text(retitled(original, marker), encoding="utf-8")
            start = time.perf_counter()
            seen = wait_published(files, marker.encode(), before, start + args.timeout)
            latencies.append(time.perf_counter() - start)
            ok = (
                seen
                and watcher is not None
                and watcher.wait_builds(number + 1, args.timeout)
                and ok
            )
            # the first build to end after the save (the last save's had ended before it: the
            # loop waited for it); another one a save may start ends later still
            ended = [t for t in watcher.ended if t > start] if watcher else []
            if not seen or not ended:
                print(f"latency: save {number}: not published", flush=True)
                break
            to_end.append(ended[0] - start)
            print(
                f"latency: save {number}: {latencies[-1] * 1000:.0f} ms to published, "
                f"{to_end[-1] * 1000:.0f} ms to the build's end",
                flush=True,
            )
            time.sleep(0.2)  # saves apart, as an editor's are
        if ok and watcher is not None:
            ok = add_new(article, original, output, watcher, args, added, len(latencies) + 1)
    finally:
        if watcher is not None:
            watcher.stop()
        for path in added:
            path.unlink(missing_ok=True)
    fresh = []
    try:
        for number in range(args.fresh):
            article.write_text(retitled(original, f"Fresh probe {number}"), encoding="utf-8")
            fresh.append(measure(build, folder))
    finally:
        article.write_text(original, encoding="utf-8")
        restored = subprocess.run(build, check=False)
    ok = (
        ok
        and not (watcher and watcher.failed)
        and all(r.rc == 0 for r in fresh)
        and restored.returncode == 0
    )
    if latencies:
        print(
            f"latency: save to published, {len(latencies)} saves: median "
            f"{statistics.median(latencies) * 1000:.0f} ms (min {min(latencies) * 1000:.0f}, "
            f"max {max(latencies) * 1000:.0f})"
        )
    if to_end:
        print(
            f"latency: save to the build's end, {len(to_end)} saves: median "
            f"{statistics.median(to_end) * 1000:.0f} ms (min {min(to_end) * 1000:.0f}, "
            f"max {max(to_end) * 1000:.0f})"
        )
    if watcher is not None:
        peak = watcher.peak_kib
        print(
            f"latency: the watcher's process tree: peak PSS {peak['pss'] // 1024} MiB, "
            f"RSS {peak['rss'] // 1024} MiB"
        )
    if news:
        print(
            f"latency: new article to published, {len(news)} articles: median "
            f"{statistics.median(news) * 1000:.0f} ms (min {min(news) * 1000:.0f}, "
            f"max {max(news) * 1000:.0f})"
        )
    if fresh:
        walls = [r.wall for r in fresh]
        print(
            f"latency: one-article rebuild as a fresh process, {len(fresh)} runs: median "
            f"{statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f})"
        )
    print(f"latency: load after {load_average()}; {'ok' if ok else 'FAILED'}")
    if not ok and watcher is not None:
        print("\n".join(watcher.lines[-20:]), file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
