"""The site configuration: `config.yaml` parsed into a typed, frozen `Config`.

Every key is checked for type and meaning here, so later stages never see a bad setting:
an unknown key, a wrong type, an unknown time zone or a relative URL raises `ConfigError`
naming the key and the value.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter

from feeds.configvalues import (
    FEED_KINDS,
    content_policies_value,
    content_policy_value,
    iframe_hosts_value,
)
from feeds.configvalues import ConfigError as ConfigError
from feeds.configvalues import (
    absolute_url_value as _absolute_url,
)
from feeds.configvalues import (
    bool_value as _bool,
)
from feeds.configvalues import (
    folder_value as _folder,
)
from feeds.configvalues import (
    int_value as _int,
)
from feeds.configvalues import (
    mapping_value as _mapping,
)
from feeds.configvalues import (
    optional_url_value as _optional_url,
)
from feeds.configvalues import (
    string_list_value as _string_list,
)
from feeds.configvalues import (
    string_value as _string,
)
from feeds.droplines import pattern_error
from feeds.model import Author
from feeds.oldsites import OldSite, parse_ids
from feeds.showconfig import ShowConfig, ShowConfigError, parse_show
from feeds.sqlconfig import SqlSource, parse_sources
from feeds.yamlload import YamlError, load_yaml

FORMATS = ("rss", "atom", "json")


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str
    url: str
    description: str
    language: str
    timezone: str
    author: Author | None = None
    feeds_url: str = ""  # where the output folder is served; defaults to `url`
    permalink: str = "{url}articles/{slug}/"
    category_url: str = ""  # a category's web page, e.g. "{url}{path}/"; "" = its feed page
    icon: str | None = None
    logo: str | None = None
    podcast: ShowConfig | None = None  # the whole site is a podcast show (issue 17)
    id_base: str = ""  # the site.url ids are made from (a moved site keeps its old ids)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class CategoryConfig:
    """How a category is named and described; `aliases` are other names merged into it."""

    title: str | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()
    podcast: ShowConfig | None = None  # a podcast show (issue 17)
    content: str | None = None  # full | summary | both: this category's feeds (issue 16)
    image: str | None = None  # the feed's image: RSS <image>, Atom logo, JSON icon (issue 16)


@dataclass(frozen=True, slots=True)
class FeedsConfig:
    max_items: int = 50
    formats: tuple[str, ...] = ("rss", "atom")
    archive: bool = False  # RFC 5005 archived feeds
    archive_page_size: int = 50
    max_bytes: int | None = None
    stylesheet: str | None = None  # optional <?xml-stylesheet?> href
    pages: bool = True  # index.html, feeds.opml and one HTML page per feed
    # issue 16: categories whose articles are in no feed; tag and author feeds
    exclude_categories: tuple[str, ...] = ()
    tag_feeds: bool = False
    tag_min_articles: int = 5  # a tag feed needs this many articles (one-off tags get none)
    author_feeds: bool = False
    # full | summary | both per feed kind (site, category, tag, author); issue 16
    content: Mapping[str, str] = field(default_factory=lambda: dict.fromkeys(FEED_KINDS, "full"))
    ttl: int | None = None  # minutes: RSS <ttl>, sy:updatePeriod/sy:updateFrequency (issue 16)
    by_language: bool = False  # a feed set per language under feeds/<lang>/ (issue 16)
    news_sitemap: bool = False  # news-sitemap.xml for Google News (issue 16)


@dataclass(frozen=True, slots=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    max_age: int = 300


# content.exclude: glob patterns (fnmatch) for files below content_dir that are not articles.
CONTENT_EXCLUDE = ("README*", "_*", "*.draft.*")


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration. Paths are absolute; `base_dir` is the config file's folder."""

    site: SiteConfig
    base_dir: Path
    content_dir: Path
    output_dir: Path
    cache_dir: Path
    feeds: FeedsConfig = FeedsConfig()
    dayfirst: bool = False
    categories: Mapping[str, CategoryConfig] = field(default_factory=dict)
    drop_lines: tuple[str, ...] = ()
    serve: ServeConfig = ServeConfig()
    websub_hub: str | None = None
    static_dir: Path | None = None  # files copied as they are into output_dir
    content_exclude: tuple[str, ...] = CONTENT_EXCLUDE
    allow_iframes: tuple[str, ...] = ()  # html.allow_iframes: embed hosts (issue 16)
    ids: OldSite | None = None  # the generator a site moved from (issue 18)
    sources: tuple[SqlSource, ...] = ()  # SQL queries whose rows are articles (issue 18)

    @property
    def feeds_url(self) -> str:
        return self.site.feeds_url or self.site.url

    def display_path(self, path: Path) -> str:
        """A path as the user should see it in messages: relative to the config folder."""
        try:
            return path.relative_to(self.base_dir).as_posix()
        except ValueError:
            return path.as_posix()


def load_config(
    path: Path,
    *,
    content_dir: Path | None = None,
    output_dir: Path | None = None,
) -> Config:
    """Read and check a config file; `content_dir`/`output_dir` override the file's values."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError("config", str(path), f"cannot be read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError("config", str(path), "is not UTF-8 text") from None
    try:
        data = load_yaml(text)
    except YamlError as error:
        raise ConfigError("config", str(path), f"is not valid YAML: {error}") from None
    return parse_config(data, path.resolve().parent, content_dir=content_dir, output_dir=output_dir)


_TOP = {
    "site", "content_dir", "output_dir", "cache_dir", "feeds", "dates", "categories", "text",
    "serve", "websub", "static_dir", "content", "html", "ids", "sources",
}  # fmt: skip
_SITE = {
    "title",
    "url",
    "description",
    "language",
    "timezone",
    "author",
    "feeds_url",
    "permalink",
    "category_url",
    "icon",
    "logo",
    "podcast",
    "id_base",
}
_FEEDS = {
    "max_items",
    "formats",
    "archive",
    "archive_page_size",
    "max_bytes",
    "stylesheet",
    "pages",
    "exclude_categories",
    "tag_feeds",
    "tag_min_articles",
    "author_feeds",
    "content",
    "ttl",
    "by_language",
    "news_sitemap",
}

# tzdata file names that are not zones of a place: `localtime` is the machine's own zone.
_MACHINE_ZONES = {"localtime", "posixrules", "factory"}
# An email address as feeds write it (RSS 2.0 managingEditor, author): one @, no spaces,
# nothing a mail header would take as syntax; RFC 5321 caps a path at 254 characters.
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def parse_config(
    data: object,
    base_dir: Path,
    *,
    content_dir: Path | None = None,
    output_dir: Path | None = None,
) -> Config:
    """Turn the parsed YAML document into a `Config`, or raise `ConfigError`."""
    top = _mapping("config", data, _TOP)
    site = _parse_site(top.get("site"))
    # A command-line folder is relative to the working folder, a config one to the config's.
    content = _folder("content_dir", content_dir or top.get("content_dir", "content"))
    output = _folder("output_dir", output_dir or top.get("output_dir", "public"))
    content = content if content_dir else base_dir / content
    output = output if output_dir else base_dir / output
    cache = base_dir / _folder("cache_dir", top.get("cache_dir", ".feeds"))
    content, output, cache = (p.resolve() for p in (content, output, cache))
    if cache == output or output in cache.parents:
        raise ConfigError("cache_dir", str(cache), "must not be inside output_dir")
    if output == content or content in output.parents or output in content.parents:
        raise ConfigError("output_dir", str(output), "must not overlap content_dir")

    static = top.get("static_dir")
    static_dir = None if static is None else (base_dir / _string("static_dir", static)).resolve()
    if static_dir is not None:  # everything in it is published: never the site's own files
        _check_static_dir(static_dir, base_dir.resolve(), output, content, cache)

    dates = _mapping("dates", top.get("dates", {}), {"dayfirst"})
    text = _mapping("text", top.get("text", {}), {"drop_lines"})
    drop_lines = tuple(_string_list("text.drop_lines", text.get("drop_lines", [])))
    for i, pattern in enumerate(drop_lines):
        error = pattern_error(pattern)  # RE2: matching in linear time
        if error is not None:
            raise ConfigError(f"text.drop_lines[{i}]", pattern, error)

    websub = _mapping("websub", top.get("websub", {}), {"hub"})
    hub = websub.get("hub")
    content_keys = _mapping("content", top.get("content", {}), {"exclude"})
    exclude_value = content_keys.get("exclude", list(CONTENT_EXCLUDE))
    exclude = tuple(_string_list("content.exclude", exclude_value))
    for i, pattern in enumerate(exclude):
        if not pattern.strip():
            raise ConfigError(f"content.exclude[{i}]", pattern, "is empty: give a glob pattern")
    return Config(
        site=site,
        base_dir=base_dir,
        content_dir=content,
        output_dir=output,
        cache_dir=cache,
        feeds=_parse_feeds(top.get("feeds", {})),
        dayfirst=_bool("dates.dayfirst", dates.get("dayfirst", False)),
        categories=_parse_categories(top.get("categories", {}), site.url),
        drop_lines=drop_lines,
        serve=_parse_serve(top.get("serve", {})),
        websub_hub=None if hub is None else _absolute_url("websub.hub", hub),
        static_dir=static_dir,
        content_exclude=exclude,
        allow_iframes=iframe_hosts_value(
            "html.allow_iframes",
            _mapping("html", top.get("html", {}), {"allow_iframes"}).get("allow_iframes", []),
        ),
        ids=parse_ids(top.get("ids")),
        sources=parse_sources(top.get("sources"), base_dir),
    )


def _check_static_dir(static: Path, base: Path, output: Path, content: Path, cache: Path) -> None:
    for name, other in (("output_dir", output), ("content_dir", content), ("cache_dir", cache)):
        if static == other or other in static.parents or static in other.parents:
            raise ConfigError("static_dir", str(static), f"must not overlap {name}")
    if static == base or static in base.parents:
        raise ConfigError(
            "static_dir", str(static), "must not hold the config file; use a folder of its own"
        )


def _parse_site(value: object) -> SiteConfig:
    if value is None:
        raise ConfigError("site", None, "is required (title, url, description, language, timezone)")
    site = _mapping("site", value, _SITE)
    for key in ("title", "url", "description", "language", "timezone"):
        if key not in site:
            raise ConfigError(f"site.{key}", None, "is required")
    url = _absolute_url("site.url", site["url"], directory=True)
    timezone = _string("site.timezone", site["timezone"])
    if timezone.lower() in _MACHINE_ZONES:
        raise ConfigError(
            "site.timezone",
            timezone,
            "is the zone of the machine the build runs on, not of the site (feeds would change "
            "with the server); write an IANA name such as Europe/Berlin or UTC",
        )
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            "site.timezone", timezone, "is not an IANA time zone name (e.g. Europe/Berlin)"
        ) from None
    language = _string("site.language", site["language"])
    if not _LANGUAGE.match(language):
        raise ConfigError("site.language", language, "is not a language tag (e.g. en, de-AT)")
    permalink = _string("site.permalink", site.get("permalink", "{url}articles/{slug}/"))
    if "{slug}" not in permalink:
        raise ConfigError("site.permalink", permalink, "must contain {slug}")
    try:
        sample = permalink.format(url=url, slug="x", year="2000", month="01", day="01")
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(
            "site.permalink",
            permalink,
            f"unknown placeholder {error}; use {{url}}, {{slug}}, {{year}}, {{month}}, {{day}}",
        ) from None
    _absolute_url("site.permalink", sample)
    feeds_url = site.get("feeds_url")
    id_base = site.get("id_base")
    return SiteConfig(
        title=_string("site.title", site["title"], required=True),
        url=url,
        description=_string("site.description", site["description"]),
        language=language,
        timezone=timezone,
        author=_parse_author(site.get("author")),
        feeds_url=""
        if feeds_url is None
        else _absolute_url("site.feeds_url", feeds_url, directory=True),
        permalink=permalink,
        category_url=_category_url(site.get("category_url"), url),
        icon=_optional_url("site.icon", site.get("icon"), url),
        logo=_optional_url("site.logo", site.get("logo"), url),
        podcast=_parse_podcast("site.podcast", site.get("podcast"), url),
        id_base="" if id_base is None else _absolute_url("site.id_base", id_base, directory=True),
    )


def _category_url(value: object, url: str) -> str:
    """`site.category_url`: a template of `{url}` (site.url) and `{path}` (the category's
    slug path, `mac/hardware`) giving an absolute http(s) URL; "" when not configured."""
    if value is None:
        return ""
    template = _string("site.category_url", value, required=True).strip()
    if "{path}" not in template:
        raise ConfigError("site.category_url", template, "must contain {path}, e.g. {url}{path}/")
    try:
        fields = {field for _, field, _, _ in Formatter().parse(template) if field is not None}
    except ValueError as error:
        fields = {str(error)}
    if not fields <= {"url", "path"}:
        raise ConfigError(
            "site.category_url",
            template,
            f"unknown placeholder {sorted(fields - {'url', 'path'})}; use {{url}} and {{path}}, "
            "e.g. {url}{path}/",
        )
    sample = template.format(url=url, path="a/b")
    _absolute_url("site.category_url", sample)
    return template


def _parse_author(value: object) -> Author | None:
    if value is None:
        return None
    if isinstance(value, str):
        return Author(name=_string("site.author", value, required=True))
    author = _mapping("site.author", value, {"name", "email"})
    email = author.get("email")
    return Author(
        name=_string("site.author.name", author.get("name"), required=True),
        email=None if email is None else _author_email(email),
    )


def _author_email(value: object) -> str:
    email = _string("site.author.email", value).strip()
    if len(email) > 254 or not _EMAIL.match(email) or not email.isprintable():
        raise ConfigError(
            "site.author.email",
            value,
            "is not an email address; write it as name@example.org, or leave the key out",
        )
    return email


def _parse_feeds(value: object) -> FeedsConfig:
    feeds = _mapping("feeds", value, _FEEDS)
    formats = tuple(_string_list("feeds.formats", feeds.get("formats", ["rss", "atom"])))
    for name in formats:
        if name not in FORMATS:
            raise ConfigError("feeds.formats", name, f"unknown format; use {', '.join(FORMATS)}")
    if not formats:
        raise ConfigError(
            "feeds.formats", [], f"names no format; list at least one of {', '.join(FORMATS)}"
        )
    if len(set(formats)) != len(formats):
        raise ConfigError("feeds.formats", list(formats), "must list each format once")
    max_bytes = feeds.get("max_bytes")
    stylesheet = feeds.get("stylesheet")
    return FeedsConfig(
        max_items=_int("feeds.max_items", feeds.get("max_items", 50), minimum=1),
        formats=formats,
        archive=_bool("feeds.archive", feeds.get("archive", False)),
        archive_page_size=_int(
            "feeds.archive_page_size", feeds.get("archive_page_size", 50), minimum=1
        ),
        max_bytes=None if max_bytes is None else _int("feeds.max_bytes", max_bytes, minimum=1024),
        stylesheet=None
        if stylesheet is None
        else _string("feeds.stylesheet", stylesheet, required=True),
        pages=_bool("feeds.pages", feeds.get("pages", True)),
        exclude_categories=tuple(
            _string("feeds.exclude_categories", name, required=True)
            for name in _string_list(
                "feeds.exclude_categories", feeds.get("exclude_categories", [])
            )
        ),
        tag_feeds=_bool("feeds.tag_feeds", feeds.get("tag_feeds", False)),
        tag_min_articles=_int(
            "feeds.tag_min_articles", feeds.get("tag_min_articles", 5), minimum=1
        ),
        author_feeds=_bool("feeds.author_feeds", feeds.get("author_feeds", False)),
        content=content_policies_value("feeds.content", feeds.get("content", "full")),
        ttl=None
        if feeds.get("ttl") is None
        else _int("feeds.ttl", feeds["ttl"], minimum=1, maximum=525_600),  # a year
        by_language=_bool("feeds.by_language", feeds.get("by_language", False)),
        news_sitemap=_bool("feeds.news_sitemap", feeds.get("news_sitemap", False)),
    )


def _parse_podcast(key: str, value: object, base_url: str) -> ShowConfig | None:
    if value is None:
        return None
    try:
        return parse_show(key, value, base_url)
    except ShowConfigError as error:
        raise ConfigError(error.key, error.value, error.message) from None


def _parse_categories(value: object, base_url: str = "") -> dict[str, CategoryConfig]:
    categories = _mapping("categories", value, None)
    result: dict[str, CategoryConfig] = {}
    for name, settings in categories.items():
        key = f"categories.{name}"
        _string(key, name, required=True)
        entry = _mapping(
            key,
            settings if settings is not None else {},
            {"title", "description", "aliases", "podcast", "content", "image"},
        )
        title = entry.get("title")
        description = entry.get("description")
        result[str(name)] = CategoryConfig(
            title=None if title is None else _string(f"{key}.title", title, required=True),
            description=None if description is None else _string(f"{key}.description", description),
            aliases=tuple(_string_list(f"{key}.aliases", entry.get("aliases", []))),
            podcast=_parse_podcast(f"{key}.podcast", entry.get("podcast"), base_url),
            content=None
            if entry.get("content") is None
            else content_policy_value(f"{key}.content", entry["content"]),
            image=_optional_url(f"{key}.image", entry.get("image"), base_url),
        )
    return result


def _parse_serve(value: object) -> ServeConfig:
    serve = _mapping("serve", value, {"host", "port", "max_age"})
    return ServeConfig(
        host=_string("serve.host", serve.get("host", "127.0.0.1"), required=True),
        port=_int("serve.port", serve.get("port", 8000), minimum=0, maximum=65535),
        max_age=_int("serve.max_age", serve.get("max_age", 300), minimum=0),
    )


# Small typed readers: each names the key and the value it refuses.
