"""A deterministic synthetic news corpus for the benchmark (issue 6).

    python bench/corpus.py --size 10000 --out bench/work/10k [--seed 6] [--tools feeds,hugo,pelican]

writes, from `random.Random(seed)` only (no clock, no machine state), the same articles for
three tools:

- `config.yaml` + `content/<parent>/<slug>.md` for feeds (YAML front matter, mixed date styles);
- `hugo/` (config, the feed templates from bench/hugo/, `content/posts/<slug>.md`);
- `pelican/` (pelicanconf.py from bench/pelican/, `content/<slug>.md` with a metadata header).

The corpus: 50 leaf categories under 10 parents with Zipf-like sizes, about one article in
ten filed under two categories, dates from 2015 to 2026-10-31, ~400 words per article with
a skew (some ~100, some ~2,000), and the Markdown a newsroom writes: headings, lists,
emphasis, absolute and relative links, inline and fenced code, now and then a table or an
image. Same seed and size, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
DEFAULT_SEED = 6
SITE_URL = "https://news.example.org/"
FIRST = datetime(2015, 1, 1, tzinfo=UTC)
LAST = datetime(2026, 11, 1, tzinfo=UTC)  # exclusive: nothing dated on or after this
ZIPF_EXPONENT = 1.1
TWO_CATEGORIES = 0.1  # share of articles filed under two leaf categories

PARENTS: dict[str, tuple[str, ...]] = {
    "Phones": ("Accessories", "Android", "iPhone", "Repairs", "Carriers"),
    "Computing": ("Laptops", "Chips", "Desktops", "Storage", "Peripherals"),
    "Software": ("Open Source", "Browsers", "Operating Systems", "Databases", "Languages"),
    "Security": ("Breaches", "Patches", "Privacy", "Passwords", "Malware"),
    "Networks": ("Broadband", "Wi-Fi", "Satellites", "5G", "Cables"),
    "Science": ("Space", "Physics", "Climate", "Biology", "Energy"),
    "Gaming": ("Consoles", "Handhelds", "PC Games", "Esports", "Retro"),
    "Mobility": ("E-Bikes", "Electric Cars", "Public Transport", "Batteries", "Drones"),
    "Business": ("Funding", "Factories", "Regulation", "Jobs", "Markets"),
    "Culture": ("Streaming", "Podcasts", "Books", "Social Media", "Music"),
}
LEAVES: tuple[tuple[str, str], ...] = tuple(
    (parent, child) for parent, children in PARENTS.items() for child in children
)

# Date styles an editor or a CMS export writes; the keys name them in the manifest and tests.
DATE_STYLES = ("iso_offset", "iso_space", "rfc822", "weekday_long", "month_ampm")
_OFFSETS = (0, 60, 120, -300, 330, -480, 540)  # minutes east of UTC
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_VOCABULARY = """
the a of to and in that is for on with as it was by at from this be are have has will
not its their more new said but which they one year about company than after also were
users would data system could network phone chip battery update version software release
market price people engineers device model service first last second week month today
report test feature support code server cloud app screen camera design power charge cable
storage memory speed signal launch team city research study energy satellite orbit game
console player league developer browser kernel patch breach password privacy regulator
factory supply funding investor startup job market streaming podcast music book platform
open source community project maintainer security researcher vulnerability exploit fix
laptop desktop keyboard display processor core thread benchmark performance efficient
cheaper faster smaller quieter reliable repairable modular wireless fibre broadband tower
carrier roaming spectrum antenna latency bandwidth throughput packet router mesh home
office school hospital station bike car bus train drone route commute charging grid solar
wind heat climate model carbon emission sensor telescope mission rocket launchpad crew
"""
_WORDS = tuple(_VOCABULARY.split())
_TITLE_VOCABULARY = """
Quiet Fast Cheap Modular Open Secure Tiny Bold Long-Awaited Surprise Rugged Foldable Green
Phone Laptop Chip Browser Kernel Satellite Console Battery Router Drone Bike Telescope App
Update Patch Launch Review Teardown Test Deal Shortage Recall Upgrade Outage Rollout Study
"""
_TITLE_WORDS = tuple(_TITLE_VOCABULARY.split())
_VERBS = (
    "Arrives",
    "Slips",
    "Doubles",
    "Wins",
    "Stalls",
    "Returns",
    "Lands",
    "Breaks a Record",
    "Gets Cheaper",
    "Faces Questions",
    "Goes Open Source",
)
_AUTHORS = (
    ("Amara Okafor", "amara.okafor@example.org"),
    ("Camille Lefèvre", "camille.lefevre@example.org"),
    ("Jonas Weber", None),
    ("Priya Raman", "priya.raman@example.org"),
    ("Mateo García", None),
    ("Zoë Hart", "zoe.hart@example.org"),
    ("Kenji Sato", "kenji.sato@example.org"),
    ("Fatima Zahra", None),
    ("Lars Nyberg", "lars.nyberg@example.org"),
    ("Olu Adeyemi", "olu.adeyemi@example.org"),
    ("Hannah Kowalski", None),
    ("Wei Chen", "wei.chen@example.org"),
)
_TAG_VOCABULARY = """
5g ai arm battery benchmark browser chips climate cloud console deals drone e-bike energy eu
fibre gpu hands-on interview linux macos open-source opinion privacy recall regulation repair
review risc-v rumour satellite security space startup streaming teardown tutorial usb-c wi-fi
windows
"""
_TAGS = tuple(
    sorted(
        {
            *_TAG_VOCABULARY.split(),
            "right to repair",
            "long read",
        }
    )
)
_CODE = (
    ("python", "def charge(level):\n    return min(100, level + 5)\n"),
    ("sh", "$ sudo apt install firmware-update\n$ fwupdmgr refresh\n"),
    ("json", '{"status": "ok", "items": [1, 2, 3]}\n'),
    ("", "GET /v2/status HTTP/1.1\nHost: api.example.com\n"),
)


@dataclass(frozen=True, slots=True)
class Piece:
    """One generated article, independent of any tool's file format."""

    number: int
    slug: str
    title: str
    instant: datetime  # UTC, whole minutes
    date_style: str
    date_text: str  # as written in the feeds front matter
    categories: tuple[tuple[str, str], ...]  # (parent, child) leaves
    tags: tuple[str, ...]
    author: tuple[str, str | None]
    summary: str | None
    body: str  # Markdown
    words: int


def leaf_weights(rng: random.Random) -> list[float]:
    """Zipf-like sizes: the leaf at rank r gets weight 1/r**s; ranks shuffled by the seed so
    big and small categories sit under every parent."""
    ranks = list(range(1, len(LEAVES) + 1))
    rng.shuffle(ranks)
    return [1 / rank**ZIPF_EXPONENT for rank in ranks]


def format_date(instant: datetime, style: str, rng: random.Random) -> str:
    """`instant` (UTC) written in `style`; styles without an offset are UTC (the site zone)."""
    if style == "iso_offset":
        minutes = rng.choice(_OFFSETS)
        local = instant.astimezone(timezone(timedelta(minutes=minutes)))
        sign = "+" if minutes >= 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{hours:02d}:{mins:02d}"
    if style == "iso_space":
        return instant.strftime("%Y-%m-%d %H:%M")
    if style == "rfc822":
        day = _DAYS[instant.weekday()]
        return f"{day}, {instant.day:02d} {_MONTHS[instant.month - 1]} {instant:%Y %H:%M:%S} +0000"
    if style == "weekday_long":
        day = _DAY_NAMES[instant.weekday()]
        return f"{day}, {_MONTHS[instant.month - 1]} {instant.day}, {instant:%Y, %H:%M}"
    if style == "month_ampm":
        hour = instant.hour % 12 or 12
        half = "AM" if instant.hour < 12 else "PM"
        month = _MONTHS[instant.month - 1]
        return f"{month} {instant.day}, {instant.year}, {hour}:{instant.minute:02d} {half}"
    raise ValueError(f"unknown date style {style!r}")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _word_count(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.08:
        return rng.randint(100, 150)  # briefs
    if roll < 0.12:
        return rng.randint(1500, 2000)  # long reads
    return max(150, min(1200, round(rng.lognormvariate(math.log(360), 0.3))))


def _sentence(rng: random.Random, slugs: list[str], inline: bool) -> str:
    words = rng.choices(_WORDS, k=rng.randint(7, 18))
    words[0] = words[0].capitalize()
    if inline:
        i = rng.randrange(1, len(words))
        kind = rng.randrange(6)
        if kind == 0:
            words[i] = f"*{words[i]}*"
        elif kind == 1:
            words[i] = f"**{words[i]}**"
        elif kind == 2:
            words[i] = f"`{words[i]}()`"
        elif kind == 3:
            words[i] = f"[{words[i]}](https://www.example.com/{words[i]}/{rng.randrange(999)})"
        elif kind == 4 and slugs:  # a relative link to an earlier article
            words[i] = f"[{words[i]}](/articles/{rng.choice(slugs)}/)"
        else:
            words[i] = f"[{words[i]}](../{words[i]}-notes/)"
    return " ".join(words) + rng.choice(".....?!")


def _body(rng: random.Random, target: int, slugs: list[str]) -> tuple[str, int]:
    blocks: list[str] = []
    words = 0
    while words < target:
        roll = rng.random()
        if roll < 0.1 and blocks:
            blocks.append("## " + " ".join(rng.choices(_WORDS, k=4)).capitalize())
            words += 4
        elif roll < 0.17:
            marker = rng.choice(("-", "*", "1."))
            items = []
            for _ in range(rng.randint(3, 5)):
                item = _sentence(rng, slugs, rng.random() < 0.3)
                items.append(f"{marker} {item}")
                words += item.count(" ") + 1
            blocks.append("\n".join(items))
        elif roll < 0.2:
            language, code = rng.choice(_CODE)
            blocks.append(f"```{language}\n{code}```")
            words += code.count(" ") + 2
        elif roll < 0.21:
            rows = ["| Model | Price | Battery |", "| --- | ---: | ---: |"]
            for _ in range(rng.randint(2, 4)):
                name = rng.choice(_TITLE_WORDS)
                rows.append(
                    f"| {name} {rng.randint(1, 9)} | {rng.randint(99, 999)} € | "
                    f"{rng.randint(8, 30)} h |"
                )
            blocks.append("\n".join(rows))
            words += 12
        elif roll < 0.22:
            path = rng.choice(("/images/", "images/", "https://cdn.example.org/img/"))
            blocks.append(f"![{rng.choice(_WORDS)} photo]({path}{rng.randrange(10**6)}.jpg)")
            words += 2
        else:
            sentences = [
                _sentence(rng, slugs, rng.random() < 0.25) for _ in range(rng.randint(2, 6))
            ]
            blocks.append(" ".join(sentences))
            words += sum(s.count(" ") + 1 for s in sentences)
    return "\n\n".join(blocks) + "\n", words


def _title(rng: random.Random) -> str:
    first, second = rng.choice(_TITLE_WORDS), rng.choice(_TITLE_WORDS)
    title = f"{first} {second} {rng.choice(_VERBS)}"
    roll = rng.random()
    if roll < 0.1:
        title += f": {rng.choice(_WORDS).capitalize()} & {rng.choice(_WORDS)}"
    elif roll < 0.15:
        title = f'"{title}", Says {rng.choice(_AUTHORS)[0]}'
    elif roll < 0.2:
        title += f" <{rng.choice(_WORDS)}>"
    return title


def generate(size: int, seed: int = DEFAULT_SEED) -> list[Piece]:
    """`size` articles, in order of creation (number 0 first)."""
    rng = random.Random(seed)
    weights = leaf_weights(rng)
    span = int((LAST - FIRST).total_seconds() // 60)
    pieces: list[Piece] = []
    slugs: list[str] = []
    for number in range(size):
        title = _title(rng)
        slug = f"{slugify(title)[:48].strip('-')}-{number:06d}"
        instant = FIRST + timedelta(minutes=rng.randrange(span))
        style = rng.choice(DATE_STYLES)
        count = 2 if rng.random() < TWO_CATEGORIES else 1
        leaves: list[tuple[str, str]] = []
        while len(leaves) < count:
            leaf = rng.choices(LEAVES, weights=weights)[0]
            if leaf not in leaves:
                leaves.append(leaf)
        tags = tuple(sorted(set(rng.sample(_TAGS, rng.randint(0, 4)))))
        author = rng.choice(_AUTHORS)
        summary = _sentence(rng, [], False) if rng.random() < 0.4 else None
        body, words = _body(rng, _word_count(rng), slugs[-200:])
        pieces.append(
            Piece(
                number=number,
                slug=slug,
                title=title,
                instant=instant,
                date_style=style,
                date_text=format_date(instant, style, rng),
                categories=tuple(leaves),
                tags=tags,
                author=author,
                summary=summary,
                body=body,
                words=words,
            )
        )
        slugs.append(slug)
    return pieces


# --- writers: one per tool --------------------------------------------------------------

FEEDS_CONFIG = f"""\
# Synthetic benchmark site (bench/corpus.py); dates without an offset are UTC.
site:
  title: Bench News
  url: {SITE_URL}
  description: A synthetic newsroom for the feeds benchmark
  language: en
  timezone: UTC
  author: {{name: Bench Newsroom, email: newsroom@example.org}}
content_dir: content
output_dir: public
feeds:
  max_items: 50
  formats: [rss, atom]
"""


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def feeds_article(piece: Piece) -> str:
    lines = ["---", f"title: {_quoted(piece.title)}"]
    # ISO 8601 with an offset stays a plain scalar (YAML reads a timestamp), the others quoted
    if piece.date_style == "iso_offset":
        lines.append(f"date: {piece.date_text}")
    else:
        lines.append(f"date: {_quoted(piece.date_text)}")
    paths = [f"{parent}: {child}" for parent, child in piece.categories]
    if len(paths) == 1:
        lines.append(f"category: {_quoted(paths[0])}")
    else:
        lines.append("categories: [" + ", ".join(_quoted(p) for p in paths) + "]")
    if piece.tags:
        lines.append("tags: [" + ", ".join(_quoted(t) for t in piece.tags) + "]")
    name, email = piece.author
    if email:
        lines.append(f"author: {{name: {_quoted(name)}, email: {email}}}")
    else:
        lines.append(f"author: {_quoted(name)}")
    if piece.summary:
        lines.append(f"summary: {_quoted(piece.summary)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + piece.body


def feeds_path(piece: Piece) -> str:
    return f"content/{slugify(piece.categories[0][0])}/{piece.slug}.md"


def hugo_article(piece: Piece) -> str:
    # Hugo has no category tree: file each article under its parent and its leaf, so
    # Hugo builds the same 61 feeds as feeds (site + 10 parents + 50 leaves).
    terms: list[str] = []
    for parent, child in piece.categories:
        for term in (parent, f"{parent}/{child}"):
            if term not in terms:
                terms.append(term)
    lines = [
        "---",
        f"title: {_quoted(piece.title)}",
        f"date: {piece.instant.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"slug: {piece.slug}",
        "categories: [" + ", ".join(_quoted(t) for t in terms) + "]",
    ]
    if piece.tags:
        lines.append("tags: [" + ", ".join(_quoted(t) for t in piece.tags) + "]")
    lines.append(f"author: {_quoted(piece.author[0])}")
    if piece.summary:
        lines.append(f"summary: {_quoted(piece.summary)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + piece.body


def hugo_path(piece: Piece) -> str:
    return f"hugo/content/posts/{piece.slug}.md"


def pelican_article(piece: Piece) -> str:
    # Pelican has one category per article and no tree: the first leaf, as "Parent / Child".
    parent, child = piece.categories[0]
    lines = [
        f"Title: {piece.title}",
        f"Date: {piece.instant.strftime('%Y-%m-%d %H:%M')}",
        f"Category: {parent} / {child}",
        f"Slug: {piece.slug}",
        f"Authors: {piece.author[0]}",
    ]
    if piece.tags:
        lines.append("Tags: " + ", ".join(piece.tags))
    if piece.summary:
        lines.append(f"Summary: {piece.summary}")
    return "\n".join(lines) + "\n\n" + piece.body


def pelican_path(piece: Piece) -> str:
    return f"pelican/content/{piece.slug}.md"


WRITERS = {
    "feeds": (feeds_path, feeds_article),
    "hugo": (hugo_path, hugo_article),
    "pelican": (pelican_path, pelican_article),
}
TOOLS = tuple(WRITERS)


def generator_version() -> str:
    """Digest of this file and the tool templates: a cached corpus is stale when it changes."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for folder in (BENCH / "hugo", BENCH / "pelican"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(BENCH).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stats(pieces: list[Piece]) -> dict[str, object]:
    leaves = Counter(f"{p}: {c}" for piece in pieces for p, c in piece.categories)
    words = sorted(piece.words for piece in pieces)
    return {
        "articles": len(pieces),
        "words_mean": round(sum(words) / max(1, len(words))),
        "words_min": words[0] if words else 0,
        "words_max": words[-1] if words else 0,
        "date_styles": dict(sorted(Counter(p.date_style for p in pieces).items())),
        "two_categories": sum(len(p.categories) == 2 for p in pieces),
        "leaf_sizes": dict(leaves.most_common()),
    }


def newest_paths(pieces: list[Piece]) -> dict[str, str]:
    """Where the newest article lives for each tool (the benchmark edits and deletes it)."""
    newest = max(pieces, key=lambda piece: (piece.instant, piece.slug))
    return {tool: path_of(newest) for tool, (path_of, _) in WRITERS.items()}


def write_articles(
    out: Path, items: Sequence[Any], writers: Sequence[tuple[Callable[..., str], ...]]
) -> None:
    """Write each item once per (path_of, text_of) writer below `out`, making each folder once."""
    made: set[Path] = set()
    for path_of, text_of in writers:
        for item in items:
            path = out / path_of(item)
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_text(text_of(item), encoding="utf-8")


def write_corpus(
    out: Path, size: int, seed: int = DEFAULT_SEED, tools: tuple[str, ...] = TOOLS
) -> dict[str, object]:
    """Write the corpus for `tools` into `out` (emptied first); returns the manifest."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    pieces = generate(size, seed)
    if "feeds" in tools:
        (out / "config.yaml").write_text(FEEDS_CONFIG, encoding="utf-8")
    if "hugo" in tools:
        shutil.copytree(BENCH / "hugo", out / "hugo")
    if "pelican" in tools:
        (out / "pelican").mkdir()
        shutil.copy(BENCH / "pelican" / "pelicanconf.py", out / "pelican" / "pelicanconf.py")
    write_articles(out, pieces, [WRITERS[tool] for tool in tools])
    manifest = {
        "size": size,
        "seed": seed,
        "tools": list(tools),
        "generator": generator_version(),
        "newest": newest_paths(pieces),
        **stats(pieces),
    }
    (out / "corpus.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"comma-separated subset of {','.join(TOOLS)}"
    )
    args = parser.parse_args(argv)
    tools = tuple(t for t in args.tools.split(",") if t)
    unknown = [t for t in tools if t not in WRITERS]
    if unknown or args.size < 1:
        parser.error(f"unknown tool(s) {unknown}" if unknown else "--size must be at least 1")
    manifest = write_corpus(args.out, args.size, args.seed, tools)
    sizes = list(manifest["leaf_sizes"].values())  # type: ignore[union-attr]
    print(
        f"corpus: {args.size} articles (seed {args.seed}) -> {args.out} "
        f"[{', '.join(tools)}]; mean {manifest['words_mean']} words; "
        f"leaf categories {len(sizes)}, largest {sizes[0]}, smallest {sizes[-1]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
