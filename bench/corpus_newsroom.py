"""A second benchmark corpus (issue 14): a general newsroom, unlike bench/corpus.py's.

    python bench/corpus_newsroom.py --size 10000 --out bench/work/newsroom-10k [--seed 6]

What differs from bench/corpus.py, after the issue's description of a corpus we did not
write: ~600-700 words an article (mean ~660) with more links and more lists; 51 categories,
flat ones (`Opinion`) and nested ones (`World: Europe`, and the parents themselves), each
with a Zipf size (weight 1/rank**1.1, ranks shuffled by the seed); seven date styles (the
five of bench/corpus.py, among them RFC 822 and `Tuesday, Mar 23, 2021, 10:18`, plus ISO
8601 in UTC with `Z` and `23 March 2021 10:18`); tags drawn from ordinary English words,
among them the YAML 1.1 booleans `off`, `no`, `yes` and `on`, written as plain scalars as a
CMS export writes them, and titles that are one such word (`No`) or hold one (`On the
Road`). Same seed and size, same bytes (`random.Random(seed)` only).

Hugo gets the same articles with every string quoted (its YAML reads `off` as false) and,
as in bench/corpus.py, each nested article filed under its parent and its leaf, so it
builds the same feeds: the site feed and one per category, 52 per format.
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
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

BENCH = Path(__file__).resolve().parent
DEFAULT_SEED = corpus.DEFAULT_SEED
ZIPF_EXPONENT = 1.1
TWO_CATEGORIES = 0.08

FLAT = ("Opinion", "Obituaries", "Weather", "Letters", "Corrections", "Puzzles", "Video")
FLAT += ("Photography", "Travel", "Food", "Education", "Health", "Fashion", "Cars", "Religion")
NESTED: dict[str, tuple[str, ...]] = {
    "World": ("Europe", "Africa", "Asia", "Americas", "Middle East"),
    "Politics": ("Elections", "Parliament", "Courts", "Policy", "Local Government"),
    "Economy": ("Markets", "Companies", "Jobs", "Energy", "Property"),
    "Sport": ("Football", "Cricket", "Tennis", "Athletics", "Cycling"),
    "Science": ("Space", "Climate", "Medicine", "Nature", "Archaeology"),
    "Culture": ("Film", "Music", "Theatre", "Podcasts", "Television"),
}
# A category is a path of one or two names; articles are filed under any of the 51.
CATEGORIES: tuple[tuple[str, ...], ...] = (
    *((name,) for name in FLAT),
    *((parent,) for parent in NESTED),
    *((parent, child) for parent, children in NESTED.items() for child in children),
)
DATE_STYLES = (*corpus.DATE_STYLES, "iso_zulu", "day_month_long")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August")
_MONTH_NAMES += ("September", "October", "November", "December")
YAML11_WORDS = ("off", "no", "yes", "on")  # booleans in YAML 1.1, text in YAML 1.2

_VOCABULARY = """
the a of to and in that is for on with as it was by at from this be are have has will not
its their more new said but which they one year about than after also were would could
people city council government minister police court team season match players coach
school children parents families hospital doctors patients nurses health water river road
rail station bus train airport flight weather storm rain flood heat summer winter spring
market prices shop workers union strike wages rent homes housing plan budget tax vote
election campaign party leader member committee report inquiry evidence witness judge
film music stage album festival museum gallery artist writer book library village farm
food restaurant chef harvest coast island mountain park forest garden neighbours street
morning evening weekend week month today yesterday tomorrow again still only ever never
"""
_WORDS = tuple(_VOCABULARY.split())
_TAG_VOCABULARY = """
weekend family garden travel winter summer budget housing transport rain football school
music film history local review interview analysis explainer obituary recipe holiday
climate election court health money jobs energy science books theatre nature coast farming
"""
_TAGS = tuple(sorted({*_TAG_VOCABULARY.split(), *YAML11_WORDS, "live blog", "long read"}))
_TITLE_START = ("Council", "Storm", "Minister", "Village", "Court", "Festival", "Hospital")
_TITLE_START += ("Rail", "Market", "Coach", "Museum", "Farmers", "Teachers", "River")
_TITLE_VERB = ("Backs", "Rejects", "Delays", "Opens", "Closes", "Wins", "Loses", "Plans")
_TITLE_VERB += ("Warns on", "Looks Again at", "Says Yes to", "Says No to", "Turns Off")
_TITLE_END = ("New Homes", "Bus Fares", "the Budget", "Flood Defences", "Summer Season")
_TITLE_END += ("Night Trains", "the Old Bridge", "School Meals", "a Second Vote", "the Lights")
_ONE_WORD_TITLES = ("No", "Yes", "On", "Off", "Why", "Enough")
_AUTHORS = corpus._AUTHORS


@dataclass(frozen=True, slots=True)
class Story:
    """One generated article, independent of any tool's file format."""

    number: int
    slug: str
    title: str
    instant: datetime  # UTC, whole minutes
    date_style: str
    date_text: str
    categories: tuple[tuple[str, ...], ...]  # paths of one or two names
    tags: tuple[str, ...]
    author: tuple[str, str | None]
    summary: str | None
    body: str  # Markdown
    words: int


def category_weights(rng: random.Random) -> list[float]:
    """Zipf sizes over the 51 categories, ranks shuffled by the seed."""
    ranks = list(range(1, len(CATEGORIES) + 1))
    rng.shuffle(ranks)
    return [1 / rank**ZIPF_EXPONENT for rank in ranks]


def format_date(instant: datetime, style: str, rng: random.Random) -> str:
    """`instant` (UTC) written in `style` (bench/corpus.py's five, plus two)."""
    if style == "iso_zulu":
        return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == "day_month_long":
        return f"{instant.day} {_MONTH_NAMES[instant.month - 1]} {instant:%Y %H:%M}"
    return corpus.format_date(instant, style, rng)


def _sentence(rng: random.Random, slugs: list[str], links: float) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 20))
    words[0] = words[0].capitalize()
    for _ in range(2 if rng.random() < links / 2 else int(rng.random() < links)):
        i = rng.randrange(1, len(words))
        kind = rng.randrange(5)
        if kind == 0:
            words[i] = f"[{words[i]}](https://www.example.com/{words[i]}/{rng.randrange(9999)})"
        elif kind == 1 and slugs:
            words[i] = f"[{words[i]}](/articles/{rng.choice(slugs)}/)"
        elif kind == 2:
            words[i] = f"[{words[i]}](../{words[i]}-explained/)"
        elif kind == 3:
            words[i] = f"**{words[i]}**"
        else:
            words[i] = f"*{words[i]}*"
    return " ".join(words) + rng.choice("......?!")


def _word_count(rng: random.Random) -> int:
    if rng.random() < 0.05:
        return rng.randint(150, 250)  # briefs
    return max(300, min(2200, round(rng.lognormvariate(math.log(640), 0.28))))


def _body(rng: random.Random, target: int, slugs: list[str]) -> tuple[str, int]:
    blocks: list[str] = []
    words = 0
    while words < target:
        roll = rng.random()
        if roll < 0.1 and blocks:
            blocks.append("## " + " ".join(rng.choices(_WORDS, k=5)).capitalize())
            words += 5
        elif roll < 0.26:  # lists: twice as often as bench/corpus.py, some nested
            marker = rng.choice(("-", "*", "1."))
            items = []
            for _ in range(rng.randint(3, 7)):
                item = _sentence(rng, slugs, 0.5)
                items.append(f"{marker} {item}")
                words += item.count(" ") + 1
                if rng.random() < 0.1:
                    sub = _sentence(rng, slugs, 0.3)
                    items.append(f"    - {sub}")
                    words += sub.count(" ") + 1
            blocks.append("\n".join(items))
        elif roll < 0.29:
            quote = _sentence(rng, slugs, 0.2)
            blocks.append(f"> {quote}")
            words += quote.count(" ") + 1
        elif roll < 0.30:
            path = rng.choice(("/images/", "images/", "https://cdn.example.org/photos/"))
            blocks.append(f"![{rng.choice(_WORDS)}]({path}{rng.randrange(10**6)}.jpg)")
            words += 1
        else:
            sentences = [_sentence(rng, slugs, 0.4) for _ in range(rng.randint(2, 6))]
            blocks.append(" ".join(sentences))
            words += sum(s.count(" ") + 1 for s in sentences)
    return "\n\n".join(blocks) + "\n", words


def _title(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.02:
        return rng.choice(_ONE_WORD_TITLES)
    title = f"{rng.choice(_TITLE_START)} {rng.choice(_TITLE_VERB)} {rng.choice(_TITLE_END)}"
    if roll < 0.1:
        return f"On the Road: {title}"
    if roll < 0.14:
        return f"{title}? No"
    return title


def generate(size: int, seed: int = DEFAULT_SEED) -> list[Story]:
    """`size` articles, in order of creation (number 0 first)."""
    rng = random.Random(seed)
    weights = category_weights(rng)
    span = int((corpus.LAST - corpus.FIRST).total_seconds() // 60)
    stories: list[Story] = []
    slugs: list[str] = []
    for number in range(size):
        title = _title(rng)
        slug = f"{corpus.slugify(title)[:48].strip('-')}-{number:06d}"
        instant = corpus.FIRST + timedelta(minutes=rng.randrange(span))
        style = rng.choice(DATE_STYLES)
        count = 2 if rng.random() < TWO_CATEGORIES else 1
        paths: list[tuple[str, ...]] = []
        while len(paths) < count:
            path = rng.choices(CATEGORIES, weights=weights)[0]
            if path not in paths:
                paths.append(path)
        tags = tuple(sorted(set(rng.sample(_TAGS, rng.randint(0, 5)))))
        summary = _sentence(rng, [], 0) if rng.random() < 0.3 else None
        body, words = _body(rng, _word_count(rng), slugs[-300:])
        stories.append(
            Story(
                number=number,
                slug=slug,
                title=title,
                instant=instant,
                date_style=style,
                date_text=format_date(instant, style, rng),
                categories=tuple(paths),
                tags=tags,
                author=rng.choice(_AUTHORS),
                summary=summary,
                body=body,
                words=words,
            )
        )
        slugs.append(slug)
    return stories


# --- writers ---------------------------------------------------------------------------

FEEDS_CONFIG = corpus.FEEDS_CONFIG.replace("Bench News", "Bench Newsroom").replace(
    "bench/corpus.py", "bench/corpus_newsroom.py"
)
# A plain YAML scalar needs no quotes: letters, digits, spaces and `'?,-` inside, no `: `.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,'?-]*[A-Za-z0-9?]|[A-Za-z]")


def _scalar(text: str) -> str:
    """`text` as a CMS export writes it: plain when YAML allows, else double-quoted."""
    return text if _PLAIN.fullmatch(text) else corpus._quoted(text)


def _category(path: tuple[str, ...]) -> str:
    return ": ".join(path)


def feeds_article(story: Story) -> str:
    lines = ["---", f"title: {_scalar(story.title)}"]
    # the date as the export wrote it: ISO forms plain (YAML timestamps), the others quoted
    if story.date_style in ("iso_offset", "iso_zulu"):
        lines.append(f"date: {story.date_text}")
    else:
        lines.append(f"date: {corpus._quoted(story.date_text)}")
    if len(story.categories) == 1:
        lines.append(f"category: {corpus._quoted(_category(story.categories[0]))}")
    else:
        lines.append("categories:")
        lines += [f"  - {corpus._quoted(_category(p))}" for p in story.categories]
    if story.tags and story.number % 2:  # both list styles, each tag a plain scalar
        lines.append("tags: [" + ", ".join(_scalar(t) for t in story.tags) + "]")
    elif story.tags:
        lines.append("tags:")
        lines += [f"  - {_scalar(t)}" for t in story.tags]
    name, email = story.author
    mapping = f"{{name: {name}, email: {email}}}"
    lines.append(f"author: {name}" if email is None else f"author: {mapping}")
    if story.summary:
        lines.append(f"summary: {_scalar(story.summary)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + story.body


def feeds_path(story: Story) -> str:
    return f"content/{corpus.slugify(story.categories[0][0])}/{story.slug}.md"


def hugo_terms(story: Story) -> list[str]:
    """The Hugo category terms: a nested article under its parent and its leaf."""
    terms: list[str] = []
    for path in story.categories:
        for term in ("/".join(path[: i + 1]) for i in range(len(path))):
            if term not in terms:
                terms.append(term)
    return terms


def hugo_article(story: Story) -> str:
    q = corpus._quoted  # every string quoted: Hugo's YAML reads `off` as false
    lines = [
        "---",
        f"title: {q(story.title)}",
        f"date: {story.instant.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        f"slug: {story.slug}",
        "categories: [" + ", ".join(q(t) for t in hugo_terms(story)) + "]",
    ]
    if story.tags:
        lines.append("tags: [" + ", ".join(q(t) for t in story.tags) + "]")
    lines.append(f"author: {q(story.author[0])}")
    if story.summary:
        lines.append(f"summary: {q(story.summary)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + story.body


def hugo_path(story: Story) -> str:
    return f"hugo/content/posts/{story.slug}.md"


WRITERS = {"feeds": (feeds_path, feeds_article), "hugo": (hugo_path, hugo_article)}
TOOLS = tuple(WRITERS)


def generator_version() -> str:
    """Digest of this file, bench/corpus.py and the Hugo templates."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(corpus.generator_version().encode())
    return digest.hexdigest()[:16]


def stats(stories: list[Story]) -> dict[str, object]:
    sizes = Counter(_category(path) for story in stories for path in story.categories)
    words = sorted(story.words for story in stories)
    return {
        "articles": len(stories),
        "words_mean": round(sum(words) / max(1, len(words))),
        "words_min": words[0] if words else 0,
        "words_max": words[-1] if words else 0,
        "date_styles": dict(sorted(Counter(s.date_style for s in stories).items())),
        "two_categories": sum(len(s.categories) == 2 for s in stories),
        "yaml11_tagged": sum(any(t in YAML11_WORDS for t in s.tags) for s in stories),
        "category_sizes": dict(sizes.most_common()),
    }


def write_corpus(
    out: Path, size: int, seed: int = DEFAULT_SEED, tools: tuple[str, ...] = TOOLS
) -> dict[str, object]:
    """Write the corpus for `tools` into `out` (emptied first); returns the manifest."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    stories = generate(size, seed)
    if "feeds" in tools:
        (out / "config.yaml").write_text(FEEDS_CONFIG, encoding="utf-8")
    if "hugo" in tools:
        shutil.copytree(BENCH / "hugo", out / "hugo")
        hugo_config = out / "hugo" / "config.yaml"
        hugo_config.write_text(
            hugo_config.read_text(encoding="utf-8").replace("Bench News", "Bench Newsroom"),
            encoding="utf-8",
        )
    corpus.write_articles(out, stories, [WRITERS[tool] for tool in tools])
    newest = max(stories, key=lambda story: (story.instant, story.slug))
    manifest = {
        "recipe": "newsroom",
        "size": size,
        "seed": seed,
        "tools": list(tools),
        "generator": generator_version(),
        "newest": {tool: path_of(newest) for tool, (path_of, _) in WRITERS.items()},
        "added_category": "Culture: Podcasts",
        **stats(stories),
    }
    (out / "corpus.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--tools", default=",".join(TOOLS), help="feeds,hugo or a subset")
    args = parser.parse_args(argv)
    tools = tuple(t for t in args.tools.split(",") if t)
    unknown = [t for t in tools if t not in WRITERS]
    if unknown or args.size < 1:
        parser.error(f"unknown tool(s) {unknown}" if unknown else "--size must be at least 1")
    manifest = write_corpus(args.out, args.size, args.seed, tools)
    sizes = list(manifest["category_sizes"].values())  # type: ignore[union-attr]
    print(
        f"corpus: {args.size} newsroom articles (seed {args.seed}) -> {args.out} "
        f"[{', '.join(tools)}]; mean {manifest['words_mean']} words; "
        f"categories {len(sizes)}, largest {sizes[0]}, smallest {sizes[-1]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
