"""The static-site generators a site may move from (issue 18): their names, their permalink
settings as each writes them, and the default each uses. Checked once, when the config is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from feeds.configvalues import ConfigError, mapping_value, string_value

GENERATORS = ("hugo", "jekyll", "pelican")

# Each generator's default article URL, in its own syntax.
# Hugo: a page's path below content/, its file name (or slug) as the last part, ending in /.
# Jekyll: `permalink: date` (https://jekyllrb.com/docs/permalinks/#built-in-formats).
# Pelican: ARTICLE_URL = '{slug}.html' (pelican/settings.py DEFAULT_CONFIG).
DEFAULT_PERMALINK = {
    "hugo": "/:sections/:slugorfilename/",
    "jekyll": "/:categories/:year/:month/:day/:title:output_ext",
    "pelican": "{slug}.html",
}
# Jekyll's named styles (`permalink: pretty` in _config.yml).
JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
HUGO_TOKENS = (
    "year", "month", "day", "section", "sections", "slug", "slugorfilename", "title",
    "filename", "contentbasename",
)  # fmt: skip
JEKYLL_TOKENS = (
    "year", "month", "day", "i_month", "i_day", "short_year", "y_day", "title", "slug",
    "categories", "output_ext",
)  # fmt: skip
PELICAN_TOKENS = ("slug", "category", "lang", "date:%Y", "date:%m", "date:%d")

# A colon token (`:year`, Hugo and Jekyll) or a brace token (`{slug}`, Pelican).
_COLON = re.compile(r":([a-z_]+)")
_BRACE = re.compile(r"\{([^{}]*)\}")


def tokens_of(generator: str) -> tuple[str, ...]:
    return {"hugo": HUGO_TOKENS, "jekyll": JEKYLL_TOKENS, "pelican": PELICAN_TOKENS}[generator]


def split_permalink(generator: str, pattern: str) -> list[tuple[str, str]]:
    """The pattern as (literal text, token) pairs, token "" for trailing text. Raises
    ValueError naming an unknown token. Jekyll style names are expanded first."""
    if generator == "jekyll":
        pattern = JEKYLL_STYLES.get(pattern, pattern)
    known = tokens_of(generator)
    token_re = _BRACE if generator == "pelican" else _COLON
    parts: list[tuple[str, str]] = []
    start = 0
    for match in token_re.finditer(pattern):
        name = match.group(1)
        if name not in known:
            raise ValueError(
                f"has the unknown {generator} token {match.group(0)!r}; the known ones are "
                + ", ".join((f"{{{t}}}" if generator == "pelican" else f":{t}") for t in known)
            )
        parts.append((pattern[start : match.start()], name))
        start = match.end()
    parts.append((pattern[start:], ""))
    return parts


def permalink_error(generator: str, pattern: str) -> str | None:
    """Why `pattern` is not a permalink setting of `generator`, or None when it is."""
    if not pattern.strip():
        return "is empty; give the old site's permalink setting, or leave the key out"
    try:
        split_permalink(generator, pattern)
    except ValueError as error:
        return str(error)
    return None


@dataclass(frozen=True, slots=True)
class OldSite:
    """`ids:` in the config: the generator the site moved from, whose front-matter keys and
    file names are read as it read them, and whose links and ids the feeds keep.
    `permalinks` maps a Hugo section (first folder below content_dir) to its pattern; the
    pattern of "" applies everywhere else (for Jekyll and Pelican: everywhere)."""

    generator: str
    permalinks: tuple[tuple[str, str], ...]

    def permalink(self, section: str) -> str:
        patterns = dict(self.permalinks)
        return patterns.get(section, patterns[""])


def parse_ids(value: object) -> OldSite | None:
    """The `ids:` section (None when absent), or ConfigError naming the key."""
    if value is None:
        return None
    ids = mapping_value("ids", value, {"generator", "permalink"})
    raw_generator = ids.get("generator")
    if raw_generator is None:
        raise ConfigError("ids.generator", None, f"is missing; use one of {', '.join(GENERATORS)}")
    generator = string_value("ids.generator", raw_generator).strip().lower()
    if generator not in GENERATORS:
        raise ConfigError(
            "ids.generator",
            raw_generator,
            f"is not a known generator; use one of {', '.join(GENERATORS)}",
        )
    written = ids.get("permalink")
    patterns: dict[str, str] = {"": DEFAULT_PERMALINK[generator]}
    if isinstance(written, dict) and generator == "hugo":
        for section, pattern in mapping_value("ids.permalink", written, None).items():
            key = f"ids.permalink.{section}"
            patterns[string_value(key, section).strip("/")] = _checked(generator, key, pattern)
    elif written is not None:
        patterns[""] = _checked(generator, "ids.permalink", written)
    return OldSite(generator, tuple(sorted(patterns.items())))


def _checked(generator: str, key: str, pattern: object) -> str:
    text = string_value(key, pattern)
    error = permalink_error(generator, text)
    if error is not None:
        raise ConfigError(key, text, error)
    return text
