"""Content written for Hugo, Jekyll or Pelican, read as that generator read it (issue 18):
its front-matter keys mapped to ours, and with `ids:` its file-name conventions and the URL
path it published the article at (`RawRecord.old_path`), from which normalisation makes the
link and the id that generator's feed used.

Key mapping applies to TOML front matter (Hugo's), Pelican `Key: value` headers (Pelican's),
and YAML front matter when `ids.generator` names the generator.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import quote

from feeds.model import Problem, RawRecord
from feeds.oldsites import OldSite, split_permalink

# Each generator's keys that are ours under another name (`None`: read by the code below).
_HUGO = {
    "title": "title", "date": "date", "lastmod": "updated", "draft": "draft",
    "categories": "categories", "tags": "tags", "slug": "slug", "summary": "summary",
    "author": "author", "expirydate": "expires", "image": "image",
    "publishdate": None, "description": None, "authors": None, "url": None,
}  # fmt: skip
_JEKYLL = {
    "title": "title", "date": "date", "last_modified_at": "updated", "draft": "draft",
    "slug": "slug", "author": "author", "tags": None, "categories": None, "category": None,
    "published": None, "excerpt": None, "description": None, "authors": None, "image": None,
    "permalink": None,
}  # fmt: skip
_PELICAN = {
    "title": "title", "date": "date", "modified": "updated", "category": "category",
    "tags": "tags", "slug": "slug", "author": "author", "summary": "summary",
    "authors": None, "status": None, "url": None, "lang": None, "translation": None,
}  # fmt: skip
# Keys the old generator used for its pages, never for a feed: dropped without a warning.
_PAGE_KEYS = {
    "hugo": {
        "aliases", "weight", "type", "layout", "menu", "toc", "keywords", "series", "linktitle",
        "markup", "outputs", "resources", "build", "cascade", "headless", "iscjklanguage",
        "translationkey", "sitemap", "params", "images",
    },
    "jekyll": {"layout", "comments", "sitemap", "redirect_from", "render_with_liquid", "toc"},
    "pelican": {"save_as", "template"},
}  # fmt: skip
_MAPS = {"hugo": _HUGO, "jekyll": _JEKYLL, "pelican": _PELICAN}
# Jekyll's DATE_FILENAME_MATCHER: `2026-01-02-slug.md`.
_JEKYLL_NAME = re.compile(r"^([0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2})-(.+)$")
# Pelican's default FILENAME_METADATA: a date at the start of the file name.
_PELICAN_NAME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})")
# Characters kept as they are in a URL path (RFC 3986 pchar and "/"); "%" keeps escapes.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_DATE_TOKENS = {
    "year": "{year}", "month": "{month}", "day": "{day}", "i_month": "{i_month}",
    "i_day": "{i_day}", "short_year": "{short_year}", "y_day": "{y_day}",
    "date:%Y": "{year}", "date:%m": "{month}", "date:%d": "{day}",
}  # fmt: skip


def dialect_fields(dialect: str, front: Mapping[str, object]) -> dict[str, object]:
    """Front matter in `dialect`'s keys -> ours. Hugo and Pelican keys are case-insensitive."""
    if dialect != "jekyll":
        front = {key.lower(): value for key, value in front.items()}
    names, dropped = _MAPS[dialect], _PAGE_KEYS[dialect]
    fields: dict[str, object] = {}
    for key, value in front.items():
        if key in dropped or value is None:
            continue
        ours = names.get(key, key) if key in names else key
        if ours is not None:
            fields[ours] = value
    if dialect == "hugo":
        _hugo_keys(front, fields)
    elif dialect == "jekyll":
        _jekyll_keys(front, fields)
    else:
        _pelican_keys(front, fields)
    return fields


def _hugo_keys(front: Mapping[str, object], fields: dict[str, object]) -> None:
    # Hugo publishes a page from its publishDate on (gohugo.io/content-management/front-matter)
    if front.get("publishdate") is not None:
        fields["date"] = front["publishdate"]
    if front.get("description") is not None and "summary" not in fields:
        fields["summary"] = front["description"]
    _joined_authors(front.get("authors"), fields)


def _jekyll_keys(front: Mapping[str, object], fields: dict[str, object]) -> None:
    # Jekyll: `categories`/`tags` are a list or a space-separated string; `category` one.
    categories = _words(front.get("categories")) + _words(front.get("category"))
    if categories:
        fields["categories"] = list(dict.fromkeys(categories))
    tags = _words(front.get("tags"))
    if tags:
        fields["tags"] = tags
    if front.get("published") is False:  # Jekyll leaves `published: false` posts out
        fields["draft"] = True
    summary = front.get("excerpt", front.get("description"))
    if summary is not None:
        fields["summary"] = summary
    image = front.get("image")
    if isinstance(image, Mapping):  # jekyll-feed: post.image.path | default: post.image
        image = image.get("path")
    if image is not None:
        fields["image"] = image
    _joined_authors(front.get("authors"), fields)


def _pelican_keys(front: Mapping[str, object], fields: dict[str, object]) -> None:
    status = front.get("status")
    # Pelican leaves drafts and hidden articles out of its feeds.
    if isinstance(status, str) and status.strip().lower() in ("draft", "hidden"):
        fields["draft"] = True
    translation = front.get("translation")
    if isinstance(translation, str) and translation.strip().lower() == "true":
        fields["draft"] = True  # a translation is in the translation feeds only
    _joined_authors(front.get("authors"), fields)


def _words(value: object) -> list[object]:
    if isinstance(value, str):
        return list(value.split())
    if isinstance(value, list):
        return list(value)
    return [] if value is None else [value]


def _joined_authors(value: object, fields: dict[str, object]) -> None:
    """Several authors as one name (`Ada, Grace`): a feed entry shows them together."""
    if value is None or "author" in fields:
        return
    if isinstance(value, str):
        names = [name.strip() for name in value.split(",") if name.strip()]
    elif isinstance(value, list):
        names = value
    else:
        fields["author"] = value  # normalisation names the wrong type
        return
    if all(isinstance(name, str) for name in names):
        fields["author"] = ", ".join(str(name) for name in names) if names else None
    else:
        fields["author"] = names


# --- the old site's conventions (with `ids:`) ------------------------------------------


def old_site_record(raw: RawRecord, relative: str, front: Mapping[str, object], old: OldSite
                    ) -> RawRecord | Problem:  # fmt: skip
    """`raw` (its fields in our keys; `front` the front matter as written) with `old`'s
    file-name conventions applied and the URL path `old` published it at (`old_path`); or
    the problem that keeps it out. `relative` is the file's path below content_dir."""
    folder, name = posixpath.split(relative)
    stem = posixpath.splitext(name)[0]
    fields = dict(raw.fields)
    if old.generator == "hugo":
        return _hugo(raw, _lowered(front), fields, folder, stem, old)
    if old.generator == "jekyll":
        return _jekyll(raw, front, fields, stem, old)
    return _pelican(raw, _lowered(front), fields, folder, stem, old)


def _lowered(front: Mapping[str, object]) -> dict[str, object]:
    return {key.lower(): value for key, value in front.items()}


def _hugo(
    raw: RawRecord,
    front: Mapping[str, object],
    fields: dict[str, object],
    folder: str,
    stem: str,
    old: OldSite,
) -> RawRecord:
    if stem in ("index", "_index") and folder:  # a page bundle: the folder is the page
        folder, stem = posixpath.split(folder)
    slug = fields.get("slug")
    written_slug = slug if isinstance(slug, str) and slug.strip() else None
    url = front.get("url")
    title = fields.get("title")
    urlized_title = _urlize(title) if isinstance(title, str) else ""
    section = folder.split("/", 1)[0]
    if isinstance(url, str) and url.strip():
        path = _encoded(url.strip())  # Hugo: `url` is the page's path, as written
    else:
        values = {
            "section": section,
            "sections": folder,
            "slug": _urlize(written_slug) if written_slug else urlized_title,
            "slugorfilename": written_slug or stem,
            "title": urlized_title,
            "filename": stem,
            "contentbasename": stem,
        }
        # Hugo lower-cases paths (disablePathToLower = false) and makes spaces hyphens.
        path = _filled("hugo", old.permalink(section), values, lower=True)
    return _with(raw, fields, written_slug or stem, path)


def _jekyll(
    raw: RawRecord, front: Mapping[str, object], fields: dict[str, object], stem: str, old: OldSite
) -> RawRecord | Problem:
    source = raw.source
    named = _JEKYLL_NAME.match(stem)
    if named is None:
        return Problem(
            source,
            "file",
            stem,
            "is not named like a Jekyll post (YYYY-MM-DD-title.md), so Jekyll never published "
            "it: rename it, or leave it out with content.exclude",
        )
    name_date, name_slug = named.groups()
    fields.setdefault("date", name_date)
    written_slug = fields.get("slug")
    slug = written_slug if isinstance(written_slug, str) and written_slug.strip() else name_slug
    # Jekyll: a post without a title is titled after its slug (Utils.titleize_slug).
    fields.setdefault("title", " ".join(word.capitalize() for word in name_slug.split("-")))
    categories = fields.get("categories")
    category_path = ""
    if isinstance(categories, list) and all(isinstance(c, str) for c in categories):
        category_path = "/".join(str(c).lower() for c in categories)
    written = front.get("permalink")
    pattern = written if isinstance(written, str) and written.strip() else old.permalink("")
    values = {
        "categories": category_path,
        "title": slug,
        "slug": re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-"),
        "output_ext": ".html",
    }
    try:
        path = _filled("jekyll", pattern, values, lower=False)
    except ValueError as error:
        return Problem(source, "permalink", written if isinstance(written, str) else None,
                       f"{error}; fix the permalink or remove it")  # fmt: skip
    return _with(raw, fields, slug, path)


def _pelican(
    raw: RawRecord,
    front: Mapping[str, object],
    fields: dict[str, object],
    folder: str,
    stem: str,
    old: OldSite,
) -> RawRecord:
    dated = _PELICAN_NAME.match(stem)
    if dated is not None:
        fields.setdefault("date", dated.group(1))
    # Pelican: the folder is the category (USE_FOLDER_AS_CATEGORY), else DEFAULT_CATEGORY.
    if "category" not in fields and "categories" not in fields:
        fields["category"] = posixpath.basename(folder) or "misc"
    written_slug = fields.get("slug")
    title = fields.get("title")
    if isinstance(written_slug, str) and written_slug.strip():
        slug = written_slug
    else:
        slug = pelican_slug(title) if isinstance(title, str) else stem  # SLUGIFY_SOURCE
        fields["slug"] = slug
    category = fields.get("category")
    lang = front.get("lang")
    url = front.get("url")
    if isinstance(url, str) and url.strip():
        path = _encoded("/" + url.strip().lstrip("/"))
    else:
        values = {
            "slug": slug,
            "category": pelican_slug(category) if isinstance(category, str) else "",
            "lang": lang if isinstance(lang, str) and lang.strip() else "en",  # DEFAULT_LANG
        }
        path = "/" + _filled("pelican", old.permalink(""), values, lower=False).lstrip("/")
    return _with(raw, fields, slug, path)


def _with(raw: RawRecord, fields: dict[str, object], slug: str, path: str) -> RawRecord:
    return RawRecord(raw.source, fields, raw.body, raw.body_format, slug, old_path=path)


def _filled(generator: str, pattern: str, values: dict[str, str], *, lower: bool) -> str:
    """The pattern with every token replaced: date tokens by `{year}`-style placeholders
    (normalisation fills them with the article's date), the others by `values`, encoded."""
    out: list[str] = []
    for literal, token in split_permalink(generator, pattern):
        out.append(_encoded(literal.lower() if lower else literal))
        if not token:
            continue
        if token in _DATE_TOKENS:
            out.append(_DATE_TOKENS[token])
        else:
            value = values[token]
            if lower:
                value = value.lower().replace(" ", "-")
            out.append(_encoded(value))
    path = re.sub(r"/{2,}", "/", "".join(out))  # an empty token leaves no empty segment
    return path if path.startswith("/") or generator == "pelican" else "/" + path


def _encoded(text: str) -> str:
    return quote(unicodedata.normalize("NFC", text), safe=_PATH_SAFE)


def _urlize(text: str) -> str:
    """Hugo's urlize for the path: lower case, spaces as hyphens, no punctuation but - _ ."""
    kept = "".join(c for c in text.strip().lower().replace(" ", "-") if c.isalnum() or c in "-_.")
    return kept


def pelican_slug(text: str) -> str:
    """Pelican's slugify with its default SLUG_REGEX_SUBSTITUTIONS: NFKC, ASCII letters
    (Pelican uses unidecode; here accents are dropped and other scripts kept out), everything
    but word characters, spaces and hyphens removed, runs of spaces and hyphens one hyphen,
    lower case."""
    value = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    value = value.encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip()
    return re.sub(r"[-\s]+", "-", value).lower()
