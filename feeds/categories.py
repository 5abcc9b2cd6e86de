"""Category paths, slugs, canonical display names and aliases.

A category is a path of display names, root first (`Phones: Accessories`). Names that differ
only in case, spacing or Unicode composition are one category (`category_key`); each level
has an ASCII slug (`slugify`) used as a path segment of its feed's URL and file name, so a
slug can never be empty, `.`/`..`, hidden, or contain `/`. Everything site-wide (which
spelling is shown, which names collide) is decided here without regard to input order.

Config `categories:` entries (keys are names or `A: B` paths) name, describe and merge:
- an entry's `title`, else the entry's own spelling, is the display name of its category;
- an alias that is a single name, listed under an entry that is a single name, renames that
  name at any level (`Handys` -> `Phones`, also in `Reviews: Handys`);
- any other alias (or any alias of a path entry) replaces the start of a path it matches:
  `aliases: ["Gadgets: Phones"]` under `Phones` turns `Gadgets: Phones: Cases` into
  `Phones: Cases`; the longest matching alias wins.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from feeds.config import CategoryConfig, Config, ConfigError
from feeds.model import Article, Category, Problem
from feeds.textclean import clean_text

MAX_NAME = 200  # characters per level; a longer "name" is a paragraph pasted into the field
MAX_DEPTH = 8  # levels per path; each level is a folder under feeds/category/
MAX_SLUG = 80  # characters per slug (a file name stays far below NAME_MAX = 255 bytes)

_EXAMPLE = "write a name such as 'Phones' or a path such as 'Phones: Accessories'"


# --- names and paths --------------------------------------------------------------------


def _has_word(name: str) -> bool:
    """A letter, a digit or a pictographic symbol (emoji are Unicode category So)."""
    return any(c.isalnum() or unicodedata.category(c) == "So" for c in name)


def parse_category_path(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`split_category_path`, also returning what `clean_text` removed (as warnings)."""
    levels: list[str] = []
    warnings: list[str] = []
    parts = text.split(":")
    if len(parts) > MAX_DEPTH:
        raise ValueError(
            f"has {len(parts)} levels; a category path has at most {MAX_DEPTH} "
            "(':' separates levels)"
        )
    cleaned = [clean_text(part) for part in parts]
    if len(parts) == 1 and not cleaned[0][0]:
        raise ValueError(f"is empty; {_EXAMPLE}, or remove the key")
    for name, notes in cleaned:
        warnings.extend(n for n in notes if n not in warnings)
        if not name:
            raise ValueError(f"has an empty level (nothing between ':' separators); {_EXAMPLE}")
        if not _has_word(name):
            raise ValueError(
                f"has a level {name!r} with no letter, digit or emoji; name the category "
                "with words (':' separates levels)"
            )
        if len(name) > MAX_NAME:
            raise ValueError(
                f"has a level of {len(name)} characters; a category name has at most "
                f"{MAX_NAME}: shorten it"
            )
        levels.append(name)
    return tuple(levels), tuple(warnings)


def split_category_path(text: str) -> tuple[str, ...]:
    """`"Phones: Accessories"` -> `("Phones", "Accessories")`: each level cleaned
    (`clean_text`: controls and bidi overrides removed, whitespace collapsed, NFC).

    Raises ValueError, with a message saying what to do, for an empty path or level, a level
    with no letter, digit or emoji (`---`, `?!`, `/`, `.`), a level longer than `MAX_NAME`
    characters or more than `MAX_DEPTH` levels.
    """
    return parse_category_path(text)[0]


def category_key(name: str) -> str:
    """The identity of a name: cleaned and compatibility-casefolded (Unicode's compatibility
    caseless matching: NFKD, casefold, then NFKC), so `Phones`, ` phones `, `PHONES` and
    full-width `Ｐｈｏｎｅｓ` are one category."""
    text, _ = clean_text(name)
    for _ in range(4):  # to a fixed point: a key is its own key (`¯` -> ` ̄` -> `̄`)
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFD", text).casefold())
        key = clean_text(unicodedata.normalize("NFKC", folded.casefold()))[0]
        if key == text:
            break
        text = key
    return key


# Category names repeat across thousands of articles: remember their keys and slugs.
_cached_key = functools.lru_cache(maxsize=16384)(category_key)


def path_key(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(_cached_key(name) for name in names)


# --- slugs ------------------------------------------------------------------------------

# Letters NFKD does not decompose into ASCII (input is casefolded already).
_EXTRA = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
        "ı": "i", "ħ": "h", "ŋ": "ng", "ŧ": "t",
        "'": "", "’": "", "&": "-",
    }
)  # fmt: skip
# Punctuation and spaces become `-` silently; losing a letter, digit, symbol or one of these
# changes what the name says, so it costs a hash suffix.
_MEANINGFUL_PUNCT = frozenset("#%@*")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def slugify(name: str) -> str:
    """A name as one URL path segment and file name: `[a-z0-9-]`, never empty, never
    starting with `-` or `.`, at most `MAX_SLUG` characters. A function of `category_key`,
    so names that are one category have one slug.

    Transliterated (NFKD, combining marks dropped, `ß`->`ss`, `æ`->`ae`, `ø`->`o`, ...);
    separators and punctuation become `-`. When a letter, digit or symbol is lost on the
    way (CJK, Arabic, emoji, `+`, `#`), 8 hex digits of sha256(key) are appended so that
    `C++` (`c-…`) and `C` (`c`) stay apart; when nothing ASCII remains the slug is
    `c-` + those digits. Longer slugs are cut at a hyphen and get the same suffix.
    """
    key = category_key(name)
    out: list[str] = []
    lost = False
    for char in unicodedata.normalize("NFKD", key.translate(_EXTRA)):
        if char.isascii() and char.isalnum():
            out.append(char.lower())
            continue
        group = unicodedata.category(char)[0]
        if group == "M":  # accents split off by NFKD (and other marks: their letter counts)
            continue
        out.append("-")
        if group in "LNS" or char in _MEANINGFUL_PUNCT:
            lost = True
    slug = "-".join(part for part in "".join(out).split("-") if part)
    if not slug:
        return "c-" + _digest(key)
    if not lost and len(slug) <= MAX_SLUG:
        return slug
    room = MAX_SLUG - 9
    if len(slug) > room:
        slug = slug[:room]
        cut = slug.rfind("-")
        if cut > room // 2:
            slug = slug[:cut]
        slug = slug.strip("-")
    return f"{slug}-{_digest(key)}"


_cached_slug = functools.lru_cache(maxsize=16384)(slugify)


# --- config: names, titles, aliases -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str  # the config key as written
    levels: tuple[str, ...]
    slugs: tuple[str, ...]
    display: str  # title, else the entry's own spelling of its last level
    settings: CategoryConfig


@dataclass(frozen=True, slots=True)
class CategoryTable:
    """The config's `categories:` in the form lookups need."""

    by_slugs: Mapping[tuple[str, ...], _Entry]  # every entry, by its slug path
    by_last_slug: Mapping[str, _Entry]  # single-name entries: match the last level anywhere
    prefixes: Mapping[tuple[str, ...], tuple[str, ...]]  # alias key path -> canonical levels
    renames: Mapping[str, str]  # single-name alias key -> canonical name
    depth: int  # the longest prefix alias


_TABLES: dict[int, tuple[Mapping[str, CategoryConfig], CategoryTable]] = {}


def category_table(config: Config) -> CategoryTable:
    """The checked table for `config.categories` (built once per config, then cached).

    Raises ConfigError (key `categories.NAME...`) for an entry or alias that is not a
    valid path, one category listed twice, an alias claimed by two entries, or an alias
    that is itself an entry.
    """
    cached = _TABLES.get(id(config.categories))
    if cached is not None and cached[0] is config.categories:
        return cached[1]
    table = _build_table(config.categories)
    if len(_TABLES) >= 16:
        _TABLES.clear()
    _TABLES[id(config.categories)] = (config.categories, table)
    return table


def check_category_config(config: Config) -> None:
    """Raise ConfigError for a `categories:` section that cannot be used (see above)."""
    category_table(config)


def _config_path(key: str, text: str) -> tuple[str, ...]:
    try:
        return split_category_path(text)
    except ValueError as error:
        raise ConfigError(key, text, str(error)) from None


def _build_table(categories: Mapping[str, CategoryConfig]) -> CategoryTable:
    entries: dict[tuple[str, ...], _Entry] = {}
    owners: dict[tuple[str, ...], str] = {}  # alias key path -> entry name
    aliases: list[tuple[str, tuple[str, ...], _Entry]] = []
    for name in sorted(categories):
        settings = categories[name]
        levels = _config_path(f"categories.{name}", name)
        key = path_key(levels)
        if key in entries:
            other = entries[key].name
            raise ConfigError(
                f"categories.{name}", name, f"is the same category as {other!r}; merge the two"
            )
        title = clean_text(settings.title)[0] if settings.title is not None else ""
        entries[key] = _Entry(
            name=name,
            levels=levels,
            slugs=tuple(_cached_slug(level) for level in levels),
            display=title or levels[-1],
            settings=settings,
        )
        for i, alias in enumerate(settings.aliases):
            alias_levels = _config_path(f"categories.{name}.aliases[{i}]", alias)
            aliases.append((f"categories.{name}.aliases[{i}]", alias_levels, entries[key]))
    prefixes: dict[tuple[str, ...], tuple[str, ...]] = {}
    renames: dict[str, str] = {}
    for where, alias_levels, entry in aliases:
        key = path_key(alias_levels)
        if key == path_key(entry.levels):
            continue  # an alias that is the entry's own name merges nothing
        if key in entries:
            raise ConfigError(
                where,
                ": ".join(alias_levels),
                f"is a category of its own under categories: ({entries[key].name!r}); "
                "keep it as an entry or as an alias, not both",
            )
        if key in owners and owners[key] != entry.name:
            raise ConfigError(
                where,
                ": ".join(alias_levels),
                f"is also an alias of {owners[key]!r}; an alias can merge into one category",
            )
        owners[key] = entry.name
        if len(alias_levels) == 1 and len(entry.levels) == 1:
            renames[key[0]] = entry.levels[0]
        else:
            prefixes[key] = entry.levels
    return CategoryTable(
        by_slugs={entry.slugs: entry for entry in entries.values()},
        by_last_slug={e.slugs[0]: e for e in entries.values() if len(e.levels) == 1},
        prefixes=prefixes,
        renames=renames,
        depth=max((len(k) for k in prefixes), default=0),
    )


def canonical_path(levels: tuple[str, ...], config: Config) -> tuple[str, ...]:
    """A cleaned path with the config's aliases applied (see the module docstring)."""
    table = category_table(config)
    if not table.prefixes and not table.renames:
        return levels
    keys = path_key(levels)
    start = 0
    for size in range(min(table.depth, len(levels)), 0, -1):
        target = table.prefixes.get(keys[:size])
        if target is not None:
            levels, keys, start = (
                target + levels[size:],
                path_key(target) + keys[size:],
                len(target),
            )
            break
    if table.renames:
        levels = levels[:start] + tuple(
            table.renames.get(key, level)
            for level, key in zip(levels[start:], keys[start:], strict=True)
        )
    return levels


def _entry_for(table: CategoryTable, slugs: tuple[str, ...]) -> _Entry | None:
    entry = table.by_slugs.get(slugs)
    return entry if entry is not None else table.by_last_slug.get(slugs[-1])


def configured_name(config: Config, slugs: tuple[str, ...]) -> str | None:
    """The name the config gives the category at `slugs` (its entry's title, else the
    entry's spelling), or None when no entry names it: then the articles' spelling shows."""
    entry = _entry_for(category_table(config), slugs)
    return None if entry is None else entry.display


def category_settings(config: Config, category: Category) -> CategoryConfig | None:
    """The config entry for a category: the entry for its exact path, else a single-name
    entry naming its last level. Matched by slug, so a display `title` does not hide it."""
    entry = _entry_for(category_table(config), category.slugs)
    return None if entry is None else entry.settings


def make_category(text: str, config: Config) -> tuple[Category, tuple[str, ...]]:
    """One category as an article names it: parsed, aliases applied, one slug per level.
    Returns the warnings of `clean_text`; raises ValueError like `split_category_path`."""
    levels, warnings = parse_category_path(text)
    levels = canonical_path(levels, config)
    return Category(slugs=tuple(_cached_slug(name) for name in levels), names=levels), warnings


# --- site-wide resolution ---------------------------------------------------------------


# (source, id, slug) of an article; attrgetter builds the sort key in C (issue 6: speed).
_order = operator.attrgetter("source", "id", "slug")


_Spelling = TypeVar("_Spelling", str, tuple[str, ...])


def most_used(spellings: Counter[_Spelling]) -> _Spelling:
    """The most used spelling; among equals the first in code point order (`Phones` before
    `phones`), so the choice never depends on which file came first."""
    return min(spellings, key=lambda s: (-spellings[s], s))


def resolve_categories(
    articles: Sequence[Article], config: Config, in_order: bool = False
) -> tuple[tuple[Article, ...], tuple[Problem, ...]]:
    """Site-wide category names, and the articles that can be published with them.

    Each category level is shown with one spelling everywhere: the config entry's `title`,
    else the entry's spelling, else the spelling most articles use (ties: `most_used`). Two
    different names that share a slug path (`Café`/`Cafe`, `C`/`C!`) under the same parent
    are one ERROR naming both and a file with each; every article filed under either is
    left out. Returns the kept articles sorted by source, and the problems. `in_order`:
    `articles` are sorted by source, id and slug already (`normalise.resolve_site`'s).
    """
    ordered = articles if in_order else sorted(articles, key=_order)
    # Speed (issue 6): a site's articles share a few hundred category lists, so everything
    # below is counted once per distinct list, weighted by how many articles have it.
    lists = [tuple((c.slugs, c.names) for c in article.categories) for article in ordered]
    groups: dict[CategoryList, list[int]] = defaultdict(list)
    for index, listed in enumerate(lists):
        groups[listed].append(index)
    problems, left_out = _collisions(groups, ordered)
    kept_by_list = {
        listed: [i for i in indexes if i not in left_out] for listed, indexes in groups.items()
    }
    display = _display_names(kept_by_list, category_table(config))
    renamed = {
        listed: displayed_categories(listed, display)
        for listed, kept in kept_by_list.items()
        if kept
    }
    resolved: list[Article] = []
    for index, article in enumerate(ordered):
        if index in left_out:
            continue
        categories = renamed[lists[index]]
        resolved.append(article if categories is None else replace(article, categories=categories))
    return tuple(resolved), tuple(problems)


_Node = tuple[str, ...]  # a slug path
_Key = tuple[str, ...]  # a `path_key`


def _collisions(
    groups: dict[CategoryList, list[int]], ordered: Sequence[Article]
) -> tuple[list[Problem], set[int]]:
    """The problems of names that share a slug path under the same parent (reported once, at
    the shallowest level), and the indexes of the articles they leave out. `groups` maps
    each distinct category list to the indexes of its articles in `ordered`."""
    # node (slug path) -> key path -> spelled path -> uses; and which lists use it
    spelled: dict[_Node, dict[_Key, Counter[tuple[str, ...]]]] = defaultdict(dict)
    users: dict[tuple[_Node, _Key], list[CategoryList]] = defaultdict(list)
    for listed, indexes in groups.items():
        for slugs, names in listed:
            keys = path_key(names)
            for depth in range(1, len(keys) + 1):
                node, key = slugs[:depth], keys[:depth]
                spelled[node].setdefault(key, Counter())[names[:depth]] += len(indexes)
                users[(node, key)].append(listed)

    def using(node: _Node, key: _Key) -> set[int]:
        return {index for listed in users[(node, key)] for index in groups[listed]}

    problems: list[Problem] = []
    left_out: set[int] = set()
    collided: set[_Node] = set()
    for node in sorted(spelled):
        by_key = spelled[node]
        if len({key[-1] for key in by_key}) < 2:
            continue  # one name (or names whose parents differ: reported at the parent)
        collided.add(node)
        if any(node[:depth] in collided for depth in range(1, len(node))):
            continue
        named: list[tuple[str, list[str]]] = []
        for key in sorted(by_key):
            out = using(node, key)
            left_out |= out
            named.append(
                (": ".join(most_used(by_key[key])), sorted(ordered[i].source for i in out))
            )
        count = len({i for key in by_key for i in using(node, key)})
        problems.append(_collision(node, named, count))
    return problems, left_out


CategoryList = tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (slugs, names) each


def _collision(
    node: tuple[str, ...], named: Sequence[tuple[str, list[str]]], count: int
) -> Problem:
    """One ERROR for names sharing a slug path: each name with a file that uses it."""

    def where(sources: list[str]) -> str:
        more = f" and {len(sources) - 1} more" if len(sources) > 1 else ""
        return f"in {sources[0]}{more}"

    shown = [f"{path!r} ({where(sources)})" for path, sources in named]
    listed = ", ".join(shown[:-1]) + " and " + shown[-1]
    articles = "article is" if count == 1 else "articles are"
    return Problem(
        named[0][1][0],
        "category",
        named[0][0],
        f"different categories {listed} would share the slug path {'/'.join(node)!r}; "
        "rename one, or merge them by listing one as an alias of the other under "
        f"categories: in the config; until then the {count} {articles} not published",
    )


def _display_names(
    kept: Mapping[CategoryList, Sequence[int]], table: CategoryTable
) -> dict[tuple[str, ...], str]:
    counts: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for listed, indexes in kept.items():
        for slugs, names in listed:
            for depth in range(1, len(slugs) + 1):
                counts[slugs[:depth]][names[depth - 1]] += len(indexes)
    display: dict[tuple[str, ...], str] = {}
    for node, spellings in counts.items():
        if not +spellings:  # only left-out articles use it
            continue
        entry = _entry_for(table, node)
        display[node] = entry.display if entry is not None else most_used(+spellings)
    return display


def displayed_categories(
    listed: CategoryList, display: Mapping[tuple[str, ...], str]
) -> tuple[Category, ...] | None:
    """The categories of articles filed under `listed` ((slugs, names) of each category as
    filed), displayed site-wide by `display` (a name for every slug path and its ancestors;
    each path once, sorted by slugs), or None when they are shown as filed."""
    categories: dict[tuple[str, ...], Category] = {}
    for slugs, _ in listed:
        names = tuple(display[slugs[:d]] for d in range(1, len(slugs) + 1))
        categories.setdefault(slugs, Category(slugs=slugs, names=names))
    resolved = tuple(categories[slugs] for slugs in sorted(categories))
    if [(c.slugs, c.names) for c in resolved] == list(listed):
        return None
    return resolved
