"""The feeds benchmark (issue 6): times `feeds` against Hugo and Pelican on the same corpus.

    .venv/bin/python bench/run.py --sizes 1000,10000 --with-hugo --with-pelican [--repeat 3]

For each size it generates (or reuses) the corpus of bench/corpus.py, then runs every tool as
a separate process and measures it from outside:

- wall time: `time.perf_counter` around the process;
- CPU time: the child's user + system time from `os.wait4` (which includes every descendant
  the child waited for, so process-pool workers are counted);
- memory: `ru_maxrss` from `os.wait4` is the largest single process (parent or one worker);
  a sampler also sums the resident set of the whole process tree every 10 ms (`/proc`), and
  its peak is the "peak RSS" column: the sum over the workers, as the issue asks. Shared
  copy-on-write pages of forked workers count once per process, so it errs on the high side;
  the "peak PSS" column (every 100 ms, `/proc/PID/smaps_rollup`) shares each page among the
  processes mapping it, so the tree's sum counts every page once.

feeds steps: cold build (output and cache deleted first), no-change rebuild, `feeds validate`
(site mode), and one-article rebuilds (add, edit, delete), each followed by a clean build
of the same content into another folder and a byte-for-byte comparison of every file.
Hugo and Pelican: cold build and a rebuild after adding one article (Pelican with its content
cache on). Results: a Markdown table on stdout and in bench/work/results.md, raw numbers in
bench/work/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import corpus_newsroom
from own_corpus import prepare_own_corpus

RECIPES = {"bench": corpus, "newsroom": corpus_newsroom}  # --recipe: the corpus generators

BENCH = Path(__file__).resolve().parent
NOW = "2026-11-26T12:00:00Z"
PAGE = os.sysconf("SC_PAGE_SIZE")
ADDED_SLUG = "bench-added-article"
ADDED_DATE = "2026-10-31T18:30:00+00:00"  # newer than every generated article


@dataclass
class Run:
    """One measured process."""

    wall: float  # seconds
    cpu: float  # user + system seconds, descendants included
    max_rss: int  # KiB, the largest single process (ru_maxrss)
    peak_rss: int  # KiB, peak of the sampled sum over the process tree
    procs: int  # most processes seen at once in the tree
    rc: int
    output: str = ""  # the tail of stdout + stderr
    peak_pss: int = 0  # KiB, peak of the proportional set size summed over the tree


@dataclass
class Step:
    size: int
    tool: str
    step: str
    runs: list[Run]
    note: str = ""
    load: str = ""  # /proc/loadavg before the step
    failed: bool = False  # an incremental result that differs from a clean build, or no clean build

    @property
    def best(self) -> Run:
        """The run with the median wall time (the only run when there is one)."""
        ordered = sorted(self.runs, key=lambda r: r.wall)
        return ordered[(len(ordered) - 1) // 2]


@dataclass
class Results:
    machine: dict[str, str]
    command: str
    steps: list[Step] = field(default_factory=list)


# --- measuring one process ---------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    """`pid` and every descendant, through /proc/PID/task/TID/children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE // 1024
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def pss_kib(pid: int) -> int:
    """The proportional set size (shared pages divided among their processes), or 0."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
        return 0
    return 0


def compile_feeds() -> None:
    """Write the bytecode of the feeds package being measured, as an installed package has it:
    with PYTHONDONTWRITEBYTECODE set (some CI images set it) every timed process would
    otherwise compile feeds' modules again, about 0.1 s a start."""
    import compileall

    import feeds

    compileall.compile_dir(str(Path(feeds.__file__).parent), quiet=1)


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `command` to completion and measure it (see the module docstring)."""
    peak = {"rss": 0, "procs": 0, "pss": 0}
    done = threading.Event()
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)

        def sample() -> None:
            count = 0
            while not done.is_set():
                pids = process_tree(process.pid)
                peak["rss"] = max(peak["rss"], sum(rss_kib(p) for p in pids))
                peak["procs"] = max(peak["procs"], len(pids))
                if count % 10 == 0:  # the kernel walks every page for it: less often
                    peak["pss"] = max(peak["pss"], sum(pss_kib(p) for p in pids))
                count += 1
                done.wait(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss=usage.ru_maxrss,
        peak_rss=max(peak["rss"], usage.ru_maxrss),
        procs=peak["procs"],
        rc=process.returncode,
        output="\n".join(text.strip().splitlines()[-12:]),
        peak_pss=peak["pss"],
    )


def load_average() -> str:
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


# --- the corpus ----------------------------------------------------------------------------


def ensure_corpus(
    work: Path, size: int, seed: int, tools: tuple[str, ...], recipe: str = "bench"
) -> Path:
    """The corpus folder for recipe+size+seed, regenerated when missing, stale or lacking a
    tool."""
    generator = RECIPES[recipe]
    prefix = "corpus" if recipe == "bench" else f"corpus-{recipe}"
    folder = work / f"{prefix}-{size}-s{seed}"
    manifest_path = folder / "corpus.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("generator") == generator.generator_version() and set(tools) <= set(
            manifest.get("tools", [])
        ):
            return folder
        known = generator.TOOLS
        tools = tuple(sorted(set(tools) | set(manifest.get("tools", [])), key=known.index))
    print(
        f"bench: generating {size} {recipe} articles (seed {seed}) for {', '.join(tools)} ...",
        flush=True,
    )
    generator.write_corpus(folder, size, seed, tools)
    # A build trusts no stat younger than feeds.reading.RACY_NS (2 s) when it starts: wait
    # it out, or the cold build leaves the newest files untrusted and the "no-change" rebuild
    # after it reads them again (at 1M: 100 s instead of 12 s).
    time.sleep(2.5)
    return folder


def remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def compare_trees(left: Path, right: Path) -> str:
    """'' when both folders hold the same files with the same bytes, else the first difference."""

    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(left), files(right)
    if a.keys() != b.keys():
        only = sorted(a.keys() ^ b.keys())
        return f"{len(only)} file(s) in one output only, e.g. {only[0]}"
    for name in sorted(a):
        if a[name].read_bytes() != b[name].read_bytes():
            return f"{name} differs"
    return ""


# --- feeds ---------------------------------------------------------------------------------


CHANGES = ("add", "edit", "delete")  # the one-article rebuilds, each compared with a clean build


def feeds_steps(
    folder: Path, size: int, repeat: int, feeds_bin: Path, changes: tuple[str, ...] = CHANGES
) -> list[Step]:
    config = folder / "config.yaml"
    clean_config = folder / "config-clean.yaml"
    clean_config.write_text(
        config.read_text(encoding="utf-8").replace(
            "output_dir: public", "output_dir: public-clean\ncache_dir: .feeds-clean"
        ),
        encoding="utf-8",
    )
    build = [str(feeds_bin), "build", "--config", str(config), "--now", NOW, "--quiet"]
    clean = [str(feeds_bin), "build", "--config", str(clean_config), "--now", NOW, "--quiet"]
    validate = [str(feeds_bin), "validate", "--config", str(config), "--now", NOW]
    output, cache = folder / "public", folder / ".feeds"
    steps: list[Step] = []

    def step(
        name: str, runs: list[Run], note: str = "", load: str = "", failed: bool = False
    ) -> Step:
        bad = [r for r in runs if r.rc != 0]
        if bad:
            note = (note + "; " if note else "") + f"exit {bad[0].rc}: {bad[0].output[-300:]}"
        made = Step(size, "feeds", name, runs, note, load, failed)
        steps.append(made)
        _progress(made)
        return made

    load = load_average()
    cold = []
    for _ in range(repeat):
        remove(output, cache)
        cold.append(measure(build, folder))
    step("cold build", cold, load=load)
    step("no-change rebuild", [measure(build, folder) for _ in range(repeat)])
    step("validate (site)", [measure(validate, folder) for _ in range(repeat)])

    manifest = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    newest = folder / manifest["newest"]["feeds"]
    original = newest.read_bytes()
    category = manifest.get("added_category", "Culture: Podcasts")
    added = folder / "content" / ("culture" if category else "") / f"{ADDED_SLUG}.md"
    added_text = _added_article(category)
    try:
        for name, change in (
            ("add one article", lambda: added.write_text(added_text, encoding="utf-8")),
            ("edit one article", lambda: newest.write_bytes(_edited(original))),
            ("delete one article", newest.unlink),
        ):
            if name.split()[0] not in changes:
                continue
            change()
            run = measure(build, folder)
            remove(folder / "public-clean", folder / ".feeds-clean")
            reference = measure(clean, folder)
            difference = compare_trees(output, folder / "public-clean")
            if reference.rc != 0:
                note = f"NOT compared: the clean build exited {reference.rc}"
            else:
                note = (
                    f"NOT identical to a clean build: {difference}"
                    if difference
                    else ("output identical to a clean build")
                )
            step(name, [run], note, failed=reference.rc != 0 or bool(difference))
    finally:
        newest.write_bytes(original)
        remove(added, folder / "public-clean", folder / ".feeds-clean")
    return steps


def _added_article(category: str | None) -> str:
    return (
        "---\n"
        'title: "Benchmark: One More Article"\n'
        f"date: {ADDED_DATE}\n"
        + (f'category: "{category}"\n' if category else "")
        + "tags: [benchmark]\n"
        "author: Bench Newsroom\n"
        "---\n"
        "A new article, published while the site holds all the others.\n\n"
        "## What changed\n\nOne *file* was added; `feeds build` ran again.\n"
    )


_TITLE_LINE = re.compile(r'^(title: *(?:"[^"\\\n]*|[A-Za-z0-9][^\n#:"\']*?))("?) *$', re.M)


def _edited(original: bytes) -> bytes:
    """The article with ' (updated)' at the end of its title (when the title is a plain or a
    simple double-quoted scalar) and one more paragraph at the end of its body."""
    text = _TITLE_LINE.sub(r"\1 (updated)\2", original.decode("utf-8"), count=1)
    return f"{text.rstrip()}\n\nUpdate: a correction.\n".encode()


# --- Hugo and Pelican --------------------------------------------------------------------


def hugo_steps(folder: Path, size: int, repeat: int, hugo: str) -> list[Step]:
    site = folder / "hugo"
    command = [hugo, "--quiet", "--cacheDir", str(site / ".hugo-cache")]
    steps: list[Step] = []
    load = load_average()
    cold = []
    for _ in range(repeat):
        remove(site / "public", site / "resources", site / ".hugo-cache")
        cold.append(measure(command, site))
    steps.append(Step(size, "hugo", "cold build", cold, _rc_note(cold), load))
    _progress(steps[-1])
    added = site / "content" / "posts" / f"{ADDED_SLUG}.md"
    try:
        added.write_text(
            '---\ntitle: "Benchmark: One More Article"\ndate: 2026-10-31T18:30:00Z\n'
            f"slug: {ADDED_SLUG}\ncategories: [Culture, Culture/Podcasts]\n---\n"
            "A new article.\n",
            encoding="utf-8",
        )
        run = measure(command, site)
        steps.append(Step(size, "hugo", "add one article", [run], _rc_note([run])))
        _progress(steps[-1])
    finally:
        remove(added)
    return steps


def ensure_pelican(work: Path) -> Path:
    """A separate venv with Pelican + Markdown (never the project's dependencies)."""
    venv = work / "pelican-venv"
    pelican = venv / "bin" / "pelican"
    python = venv / "bin" / "python"
    if pelican.exists():
        check = subprocess.run([str(python), "-c", "import pelican, markdown"], check=False)
        if check.returncode == 0:
            return pelican
    print("bench: installing pelican + markdown into bench/work/pelican-venv ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "pelican",
            "markdown",
        ],
        check=True,
    )
    return pelican


def pelican_steps(folder: Path, size: int, pelican: Path) -> list[Step]:
    site = folder / "pelican"
    base = [str(pelican), "-s", "pelicanconf.py", "-q"]
    cached = [*base, "-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
    steps: list[Step] = []
    load = load_average()
    remove(site / "output", site / "cache")
    cold = measure(base, site)
    steps.append(Step(size, "pelican", "cold build", [cold], _rc_note([cold]), load))
    _progress(steps[-1])
    warm = measure(cached, site)  # fills the content cache (not reported as a step)
    added = site / "content" / f"{ADDED_SLUG}.md"
    try:
        added.write_text(
            "Title: Benchmark: One More Article\nDate: 2026-10-31 18:30\n"
            f"Category: Culture / Podcasts\nSlug: {ADDED_SLUG}\n\nA new article.\n",
            encoding="utf-8",
        )
        run = measure(cached, site)
        note = _rc_note([warm, run]) or f"content cache on (cache-filling build {warm.wall:.1f} s)"
        steps.append(Step(size, "pelican", "add one article", [run], note))
        _progress(steps[-1])
    finally:
        remove(added)
    return steps


def _rc_note(runs: list[Run]) -> str:
    bad = [r for r in runs if r.rc != 0]
    return f"exit {bad[0].rc}: {bad[0].output[-300:]}" if bad else ""


# --- reporting -----------------------------------------------------------------------------


def _progress(step: Step) -> None:
    run = step.best
    print(
        f"bench: {step.size:>7} {step.tool:<8} {step.step:<20} {run.wall:7.2f} s wall "
        f"{run.cpu:7.2f} s cpu {run.peak_rss / 1024:7.0f} MiB {step.note[:80]}",
        flush=True,
    )


def machine() -> dict[str, str]:
    info = {
        "cpus": f"{os.cpu_count()} (usable: {len(os.sched_getaffinity(0))})",
        "cpu": "unknown",
        "memory": "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return info


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return "not available"
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


def _find(results: Results, size: int, tool: str, step: str) -> Run | None:
    for item in results.steps:
        if (item.size, item.tool, item.step) == (size, tool, step):
            return item.best
    return None


def report(results: Results, repeat: int) -> str:
    lines = ["# feeds benchmark results", ""]
    lines += [f"- command: `{results.command}`"]
    lines += [f"- {key}: {value}" for key, value in results.machine.items()]
    lines += [
        "",
        f"Wall and CPU: median of {repeat} run(s) for feeds' cold build, no-change rebuild and "
        "validate, and for Hugo's cold build; one run otherwise. CPU = user + system of the "
        "process and its workers. Peak RSS = peak of the summed resident set of the process "
        "tree (sampled every 10 ms); peak PSS = the same for the proportional set size (shared "
        "pages counted once, sampled every 100 ms); max RSS = largest single process "
        "(ru_maxrss).",
        "",
        "| articles | tool | step | wall s | CPU s | peak RSS MiB | peak PSS MiB | max RSS MiB "
        "| procs | articles/s | load before | note |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for step in results.steps:
        run = step.best
        rate = f"{step.size / run.wall:,.0f}" if step.step == "cold build" else ""
        lines.append(
            f"| {step.size:,} | {step.tool} | {step.step} | {run.wall:.2f} | {run.cpu:.2f} | "
            f"{run.peak_rss / 1024:.0f} | {run.peak_pss / 1024:.0f} | {run.max_rss / 1024:.0f} | "
            f"{run.procs} | {rate} | "
            f"{step.load} | {step.note.replace('|', '/').replace(chr(10), ' ')} |"
        )
    ratios = ["", "## Ratios and targets (issue 6)", ""]
    sizes = sorted({step.size for step in results.steps})
    for size in sizes:
        feeds_cold = _find(results, size, "feeds", "cold build")
        hugo_cold = _find(results, size, "hugo", "cold build")
        pelican_cold = _find(results, size, "pelican", "cold build")
        if feeds_cold and hugo_cold:
            wall = feeds_cold.wall / hugo_cold.wall
            memory = feeds_cold.peak_rss / hugo_cold.peak_rss
            target = " (target <= 1.0)" if size >= 10000 else ""
            ratios.append(
                f"- {size:,}: cold build feeds/hugo wall **{wall:.2f}x**{target}, "
                f"peak memory feeds/hugo **{memory:.2f}x**"
                + (" (target <= 0.25 at 100k)" if size >= 100000 else "")
            )
        if feeds_cold and pelican_cold:
            ratio = pelican_cold.wall / feeds_cold.wall
            ratios.append(
                f"- {size:,}: cold build pelican/feeds wall **{ratio:.1f}x**"
                + (" (target >= 10)" if size == 10000 else "")
            )
        for step in ("add one article", "edit one article", "delete one article"):
            run = _find(results, size, "feeds", step)
            if run:
                target = " (target < 0.5 s at 10k)" if size == 10000 else ""
                ratios.append(f"- {size:,}: feeds {step}: **{run.wall:.2f} s**{target}")
        feeds_add = _find(results, size, "feeds", "add one article")
        for tool in ("hugo", "pelican"):
            other = _find(results, size, tool, "add one article")
            if feeds_add and other:
                ratios.append(
                    f"- {size:,}: add one article {tool}/feeds wall "
                    f"**{other.wall / feeds_add.wall:.1f}x**"
                )
        unchanged = _find(results, size, "feeds", "no-change rebuild")
        if unchanged and size >= 100000:
            ratios.append(
                f"- {size:,}: no-change rebuild **{unchanged.wall:.2f} s** (target < 2 s)"
            )
    return "\n".join(lines + ratios) + "\n"


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        sizes.append(int(float(part[:-1]) * 1000) if part.endswith("k") else int(part))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated, e.g. 1000,10k,100k")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument(
        "--recipe",
        choices=sorted(RECIPES),
        default="bench",
        help="corpus generator: bench (bench/corpus.py) or newsroom (bench/corpus_newsroom.py)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        help="time feeds on your own folder of articles instead (a site folder with "
        "config.yaml, or a bare content folder); it is copied below --work, never changed",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per repeated step")
    parser.add_argument("--with-hugo", action="store_true", help="also time hugo (on PATH)")
    parser.add_argument(
        "--with-pelican", action="store_true", help="also time Pelican (own venv, installed)"
    )
    parser.add_argument("--hugo-sizes", help="sizes to run Hugo at (default: all); e.g. 1000,10000")
    parser.add_argument(
        "--pelican-sizes", help="sizes to run Pelican at (default: all); e.g. 1000,10000"
    )
    parser.add_argument(
        "--changes",
        default=",".join(CHANGES),
        help="one-article rebuilds to time, each then compared with a clean build "
        "(default add,edit,delete; e.g. edit alone at 1M, where a clean build takes minutes)",
    )
    parser.add_argument("--work", type=Path, default=BENCH / "work")
    parser.add_argument(
        "--results", default="results", help="name of the results files in --work (.md, .json)"
    )
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    hugo_sizes = set(parse_sizes(args.hugo_sizes)) if args.hugo_sizes else set(sizes)
    pelican_sizes = set(parse_sizes(args.pelican_sizes)) if args.pelican_sizes else set(sizes)
    changes = tuple(c.strip() for c in args.changes.split(",") if c.strip())
    if set(changes) - set(CHANGES):
        parser.error(f"--changes takes some of {','.join(CHANGES)}, not {args.changes!r}")

    feeds_bin = Path(sys.executable).parent / "feeds"
    if not feeds_bin.exists():
        parser.error(f"no feeds command next to {sys.executable}; run with .venv/bin/python")
    hugo = shutil.which("hugo") if args.with_hugo else None
    if args.with_hugo and hugo is None:
        print("bench: hugo is not on PATH; skipping Hugo", file=sys.stderr)
    args.work.mkdir(parents=True, exist_ok=True)
    compile_feeds()
    pelican = ensure_pelican(args.work) if args.with_pelican else None

    info = machine()
    info["feeds"] = _version([str(feeds_bin), "--version"])
    if hugo:
        info["hugo"] = _version([hugo, "version"])
    if pelican:
        info["pelican"] = _version([str(pelican), "--version"])
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results = Results(machine=info, command=command)

    if args.corpus is not None:
        try:
            folder = prepare_own_corpus(args.corpus, args.work)
        except (OSError, ValueError) as error:
            parser.error(str(error))
        size = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))["size"]
        results.steps += feeds_steps(folder, size, args.repeat, feeds_bin, changes)
        sizes = []
    for size in sizes:
        tools = ["feeds"]
        if hugo and size in hugo_sizes:
            tools.append("hugo")
        if pelican and size in pelican_sizes:
            tools.append("pelican")
        folder = ensure_corpus(args.work, size, args.seed, tuple(tools), args.recipe)
        results.steps += feeds_steps(folder, size, args.repeat, feeds_bin, changes)
        if "hugo" in tools and hugo:
            results.steps += hugo_steps(folder, size, args.repeat, hugo)
        if "pelican" in tools and pelican:
            results.steps += pelican_steps(folder, size, pelican)

    text = report(results, args.repeat)
    print()
    print(text)
    (args.work / f"{args.results}.md").write_text(text, encoding="utf-8")
    raw = {
        "machine": results.machine,
        "command": results.command,
        "steps": [
            {
                **{k: v for k, v in asdict(s).items() if k != "runs"},
                "runs": [asdict(r) for r in s.runs],
            }
            for s in results.steps
        ],
    }
    (args.work / f"{args.results}.json").write_text(
        json.dumps(raw, indent=1) + "\n", encoding="utf-8"
    )
    return exit_code(results.steps)


def exit_code(steps: list[Step]) -> int:
    """1 when a build failed or an incremental result differs from a clean build, else 0."""
    return 1 if any(any(r.rc != 0 for r in s.runs) or s.failed for s in steps) else 0


if __name__ == "__main__":
    sys.exit(main())
