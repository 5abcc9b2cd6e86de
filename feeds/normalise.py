"""Raw records -> `Article`s, every field type-checked before use; then site-wide checks.

Rules an editor can rely on (the README's input table repeats them):
- A key with an empty value (YAML `key:` / JSON null) is the same as a missing key.
  Unknown keys are one warning listing them; they are ignored.
- Text fields take text only: a number, date, true/false, list or mapping where text belongs
  is an error (quote it). Containers are never turned into text, so a YAML alias bomb
  cannot explode in a message.
- `title` is required, cleaned (`clean_text`) and plain text (`<` and `&` are characters).
  A title over 1,000 characters is cut at a word boundary to at most 300 characters ending
  in `…`, with a warning.
- `date` is required, `updated` defaults to it; an `updated` before the date is a warning and
  becomes the date. A date must lie in 1000-9999 as the feeds write it (RFC 822/3339).
  A number is Unix time: seconds, or milliseconds from 1e11 (`dates.parse_date`, issue 18).
- `expires` (issue 18, Hugo's expiryDate): a date; the article leaves every feed from then on.
- `category` or `categories` (not both): text or a list of texts, each a path
  (`Phones: Accessories`). No category is allowed: the article is in the site feed only.
- `tags`: text (split at commas) or a list of texts (not split).
- `author`: a name, or `{name, email}`; missing -> the site's author is used when rendering.
  A list of them (or `authors:`) is a byline of several, in order, each name once.
- `summary`: plain text. If it contains HTML tags (`<p>`, `<b>`, `<a href>`, ... from a known
  list) they are removed, block tags leaving a space, and entities are decoded.
- `slug`: explicit, else the file name (made safe with a warning if it is not a URL
  segment), else made from the title (with a warning unless `id` is given). Explicit slugs
  must be one safe path segment (no `/` or `\\`, not `.`/`..`, no leading `.`, no spaces or
  control characters, at most 200 characters); they are NFC-normalised and percent-encoded in
  the link.
- `link`: explicit http(s) URL (relative ones resolve against `site.url`), else
  `site.permalink` with `{url}`, `{slug}`, `{year}`, `{month}`, `{day}` (the date in the site
  zone). Non-ASCII is percent-encoded (hosts with IDNA).
- `id`: an explicit `http:`, `https:`, `urn:` or `tag:` IRI is used as is; any other text or
  whole number is a local id, published as `urn:uuid:` + uuid5(NAMESPACE_URL, site.url + "#"
  + id) (RFC 4122 §4.3: stable, and unique to the site). Without `id`, the id is the link.
  Categories, build time, file order and output format never enter an id.
- `draft`: true or false only (YAML booleans, not the text "yes"). `feed` likewise;
  `feed: false` keeps a valid article out of every feed (issue 16).
- `lang`: a BCP 47 tag (RFC 5646 syntax, canonical case), else the site's language.
- `image`: a URL, resolved against the article's link, or `{url, width, height, credit}`
  (issue 16: Media RSS thumbnail size and credit). `enclosure`: `{url, type, length}`;
  url resolved like `image`, type a MIME type, length whole bytes >= 0 (default 0, which the
  RSS Advisory Board recommends when the size is unknown).
- The body only loses characters XML 1.0 cannot carry (a warning says how many). A body over
  `MAX_BODY` characters is an error: its HTML would pass the 10 MB a safe XML parser (libxml2
  without XML_PARSE_HUGE, as in `feeds.lint` and most feed readers) accepts in one text node,
  and the feed holding it could not be published at all.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Sequence

from feeds.bylines import read_authors
from feeds.categories import resolve_categories
from feeds.config import Config
from feeds.imagefields import read_picture
from feeds.model import Article, Problem, RawRecord, shorten
from feeds.oldids import old_identity
from feeds.podcastfields import read_episode
from feeds.recordfields import (
    RecordFields,
    read_body,
    read_categories,
    read_date,
    read_draft,
    read_in_feeds,
    read_lang,
    read_summary,
    read_tags,
    read_title,
    read_updated,
    warn_unknown_keys,
)
from feeds.recordlinks import read_enclosure, read_id, read_link, read_slug


def normalise_record(raw: RawRecord, config: Config) -> tuple[Article, tuple[Problem, ...]]:
    """One raw record -> an `Article` and its warnings (rules in the module docstring).

    Raises `ContentError` with the first error; its problem names the record's source, the
    field, the value and what to do.
    """
    record = RecordFields(raw)
    warn_unknown_keys(record)
    title = read_title(record)
    tz = config.site.tzinfo
    published = read_date(record, "date", tz, config.dayfirst)
    updated = read_updated(record, published, tz, config.dayfirst)
    categories = read_categories(record, config)
    tags = read_tags(record)
    authors = read_authors(record)
    summary = read_summary(record)
    slug = read_slug(record, raw.default_slug, title)
    link = read_link(record, config, slug, published)
    article_id = read_id(record, config, link)
    if raw.old_path is not None and config.ids is not None:  # issue 18: as the old site had them
        written_link = link if record.get("link") is not None else None
        written_id = article_id if record.get("id") is not None else None
        link, article_id = old_identity(
            config, raw.old_path, slug, published, written_link, written_id
        )
    draft = read_draft(record)
    image, image_info = read_picture(record, link)
    enclosure = read_enclosure(record, link)
    body = read_body(record, raw.body)
    expires = None  # issue 18: out of the feeds from then on (Hugo's expiryDate)
    if record.get("expires") is not None:
        expires = read_date(record, "expires", tz, config.dayfirst)
    article = Article(
        source=raw.source,
        slug=slug,
        id=article_id,
        link=link,
        title=title,
        published=published,
        updated=updated,
        categories=categories,
        body=body,
        body_format=raw.body_format,
        tags=tags,
        authors=authors,
        summary=summary,
        image=image,
        enclosure=enclosure,
        draft=draft,
        episode=read_episode(record, link),
        in_feeds=read_in_feeds(record),
        lang=read_lang(record),
        image_info=image_info,
        expires=expires,
    )
    return article, tuple(record.warnings)


# --- site-wide --------------------------------------------------------------------------


# Speed (issue 6): attrgetter builds the sort key in C, twice as fast as a lambda.
_SITE_ORDER = operator.attrgetter("source", "id", "slug", "link")
_ID, _LINK = operator.attrgetter("id"), operator.attrgetter("link")


def resolve_site(
    articles: Sequence[Article], config: Config
) -> tuple[tuple[Article, ...], tuple[Problem, ...]]:
    """The articles that can be published together, and the problems that kept others out.

    Two articles with the same id or the same link are one ERROR naming both sources, and
    neither is published (which one is meant cannot be known). With the default permalink a
    shared link means a shared slug, and the problem says so; with a dated permalink
    (`{year}/{slug}`) equal slugs on different dates are different articles. Then
    `resolve_categories`. Pass only what is to be published (no drafts), so a draft cannot
    block a published article. The result is sorted by source; input order never matters.
    """
    ordered = sorted(articles, key=_SITE_ORDER)
    ids, links = list(map(_ID, ordered)), list(map(_LINK, ordered))
    if len(set(ids)) == len(ids) and len(set(links)) == len(links):  # as most builds find
        return resolve_categories(ordered, config, in_order=True)
    by_id: dict[str, list[int]] = defaultdict(list)
    by_link: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(ordered):
        by_id[article.id].append(index)
        by_link[article.link].append(index)
    problems: list[Problem] = []
    reported: set[tuple[int, ...]] = set()
    # Only shared links and ids are sorted (issue 6: sorting every one cost more than the rest).
    for link in sorted(link for link, group in by_link.items() if len(group) > 1):
        group = tuple(by_link[link])
        reported.add(group)
        problems.append(_duplicate(ordered, group, "link", link))
    for article_id in sorted(i for i, group in by_id.items() if len(group) > 1):
        group = tuple(by_id[article_id])
        if group not in reported:
            reported.add(group)
            problems.append(_duplicate(ordered, group, "id", article_id))
    left_out = {index for group in reported for index in group}
    kept = [a for i, a in enumerate(ordered) if i not in left_out] if left_out else ordered
    resolved, category_problems = resolve_categories(kept, config, in_order=True)
    return resolved, tuple(problems) + category_problems


def _duplicate(
    ordered: Sequence[Article], group: tuple[int, ...], field: str, value: str
) -> Problem:
    first, *others = (ordered[i] for i in group)
    names = ", ".join(a.source for a in others)
    if field == "link" and all(a.slug == first.slug for a in others):
        return Problem(
            first.source,
            "slug",
            shorten(first.slug),
            f"is also the slug of {names}, so they share the link {value}; neither is "
            "published: give one of them another slug",
        )
    return Problem(
        first.source,
        field,
        shorten(value),
        f"is also the {field} of {names}; an entry's {field} must be unique, so neither is "
        f"published: give one of them another {field} (or slug)",
    )
