"""The SQL-source benchmark (issue 18): a one-row insert rebuild against a one-file change
rebuild at the same size, paired.

    .venv/bin/python bench/sql.py --size 10000 --repeat 3

It writes the corpus of bench/corpus.py (feeds' Markdown files), loads the same articles
into an SQLite table (`articles`: one row per file, the front matter as columns, the date as
Unix seconds), and builds two sites from them with the same settings: `files/` (content_dir)
and `sql/` (a `sources:` query, no content folder). After a cold and a no-change build of
each, every round changes one article on each side, alternately: a new file in `files/`
and a new row in `sql/`, each followed by a timed `feeds build`; then both sides are built
clean into other folders and compared byte for byte with their incremental output. The
result (medians and the ratio) goes to stdout and bench/work/results-sql-<size>.md.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import run

BENCH = Path(__file__).resolve().parent
QUERY = (
    "SELECT slug, title, date, categories, tags, author, summary, body FROM articles ORDER BY slug"
)


def front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def unix(value: object) -> int | str:
    """A YAML timestamp as Unix seconds; text dates stay text (the five corpus styles)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return int(aware.timestamp())
    return str(value)


def load_rows(content: Path, database: Path) -> int:
    with sqlite3.connect(database) as db:
        db.execute(
            "CREATE TABLE articles (slug TEXT PRIMARY KEY, title TEXT, date, categories TEXT, "
            "tags TEXT, author TEXT, summary TEXT, body TEXT)"
        )
        rows = []
        for path in sorted(content.rglob("*.md")):
            front, body = front_matter(path)
            category = front.get("category") or "|".join(front.get("categories") or [])
            author = front.get("author")
            if isinstance(author, dict):
                author = author.get("name")
            rows.append((
                path.stem, front["title"], unix(front["date"]), category,
                ",".join(front.get("tags") or []), author, front.get("summary"), body,
            ))  # fmt: skip
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()
    return len(rows)


def sql_config(files_config: str) -> str:
    settings = yaml.safe_load(files_config)
    settings.pop("content_dir", None)
    settings["content_dir"] = "no-content"  # absent: the source stands instead
    settings["sources"] = [{
        "name": "cms", "sql": "sqlite:///cms.db", "query": QUERY, "key": "slug",
        "fields": {"tags": {"split": ","}, "categories": {"split": "|"}},
    }]  # fmt: skip
    return yaml.safe_dump(settings, sort_keys=False)


def timed_build(folder: Path, config: str = "config.yaml") -> run.Run:
    feeds_bin = Path(sys.executable).parent / "feeds"
    command = [
        str(feeds_bin),
        "build",
        "--config",
        str(folder / config),
        "--now",
        run.NOW,
        "--quiet",
    ]
    measured = run.measure(command, folder)
    if measured.rc != 0:
        raise SystemExit(f"feeds build in {folder} exited {measured.rc}: {measured.output[-500:]}")
    return measured


def clean_copy_matches(folder: Path) -> str:
    clean = folder / "config-clean.yaml"
    text = (folder / "config.yaml").read_text(encoding="utf-8")
    clean.write_text(
        text.replace("output_dir: public", "output_dir: public-clean\ncache_dir: .feeds-clean")
    )
    run.remove(folder / "public-clean", folder / ".feeds-clean")
    timed_build(folder, "config-clean.yaml")
    return run.compare_trees(folder / "public", folder / "public-clean")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="paired rounds")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--work", type=Path, default=BENCH / "work")
    args = parser.parse_args(argv)
    root = args.work / f"sql-{args.size}"
    if root.exists():
        shutil.rmtree(root)
    files, sql = root / "files", root / "sql"
    corpus.write_corpus(files, args.size, seed=args.seed, tools=("feeds",))
    sql.mkdir(parents=True)
    rows = load_rows(files / "content", sql / "cms.db")
    config = (files / "config.yaml").read_text(encoding="utf-8")
    (sql / "config.yaml").write_text(sql_config(config), encoding="utf-8")
    cold = {side: timed_build(folder) for side, folder in (("files", files), ("sql", sql))}
    same = {side: timed_build(folder) for side, folder in (("files", files), ("sql", sql))}
    one: dict[str, list[float]] = {"files": [], "sql": []}
    rss: dict[str, int] = {"files": 0, "sql": 0}  # KiB: the largest one-article build
    for number in range(args.repeat):
        slug = f"bench-added-{number}"
        (files / "content" / f"{slug}.md").write_text(
            f'---\ntitle: "Added {number}"\ndate: 2026-10-31T18:{30 + number:02d}:00+00:00\n'
            f'category: "Culture: Podcasts"\n---\nOne more article.\n',
            encoding="utf-8",
        )
        measured = timed_build(files)
        one["files"].append(measured.wall)
        rss["files"] = max(rss["files"], measured.peak_rss)
        with sqlite3.connect(sql / "cms.db") as db:
            db.execute(
                "INSERT INTO articles (slug, title, date, categories, body) VALUES (?, ?, ?, ?, ?)",
                (
                    slug,
                    f"Added {number}",
                    1793471400 + 60 * number,
                    "Culture: Podcasts",
                    "One more article.\n",
                ),
            )  # fmt: skip  (1793471400 is 2026-10-31 18:30:00 UTC)
        db.close()
        measured = timed_build(sql)
        one["sql"].append(measured.wall)
        rss["sql"] = max(rss["sql"], measured.peak_rss)
    checks = {side: clean_copy_matches(folder) for side, folder in (("files", files), ("sql", sql))}
    files_median, sql_median = statistics.median(one["files"]), statistics.median(one["sql"])
    lines = [
        f"# SQL source vs files at {args.size:,} articles ({rows:,} rows), "
        f"{args.repeat} paired rounds",
        "",
        f"machine: {run.machine()}",
        f"load before: {run.load_average()}",
        "",
        "| step | files (s) | sql (s) |",
        "| --- | --- | --- |",
        f"| cold build | {cold['files'].wall:.2f} | {cold['sql'].wall:.2f} |",
        f"| no-change rebuild | {same['files'].wall:.2f} | {same['sql'].wall:.2f} |",
        f"| one article added (median) | {files_median:.2f} | {sql_median:.2f} |",
        f"| peak RSS, cold build (MiB) | {cold['files'].peak_rss / 1024:.0f} | "
        f"{cold['sql'].peak_rss / 1024:.0f} |",
        f"| peak RSS, one article added (MiB) | {rss['files'] / 1024:.0f} | "
        f"{rss['sql'] / 1024:.0f} |",
        "",
        f"one-row insert / one-file change: **{sql_median / files_median:.2f}x** "
        f"(rounds: files {', '.join(f'{t:.2f}' for t in one['files'])}; "
        f"sql {', '.join(f'{t:.2f}' for t in one['sql'])})",
        "",
        "identical to a clean build: "
        + ", ".join(
            f"{side} {'yes' if not diff else 'NO: ' + diff}" for side, diff in checks.items()
        ),
    ]
    text = "\n".join(lines) + "\n"
    (args.work / f"results-sql-{args.size}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if not any(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
