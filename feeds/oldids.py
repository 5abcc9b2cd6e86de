"""The link and the id an article had under the generator a site moved from (config `ids:`,
issue 18), so that switching to feeds sends no subscriber a duplicate:

- Hugo's embedded RSS template writes `<guid>{{ .Permalink }}</guid>`: the id is the link.
- jekyll-feed writes `<id>{{ post.id | absolute_url }}</id>`, and Jekyll's `Document#id` is
  `File.join(File.dirname(url), data["slug"])`: the link's folder, then the slug, without
  the extension or the trailing slash (`/2026/01/02/launch.html` -> `/2026/01/02/launch`).
- Pelican's feed writer gives `unique_id=get_tag_uri(link, item.date)`, feedgenerator's
  `tag:{host},{YYYY-MM-DD}:{path}/{fragment}` (the date as the site's zone shows it).
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlsplit

from feeds.config import Config
from feeds.fieldtext import PCHAR


def old_link(config: Config, path: str, published: datetime) -> str:
    """`site.url` + the article's old path, its date placeholders filled (site zone)."""
    local = published.astimezone(config.site.tzinfo)
    filled = path.format(
        year=f"{local.year:04d}",
        month=f"{local.month:02d}",
        day=f"{local.day:02d}",
        i_month=str(local.month),
        i_day=str(local.day),
        short_year=f"{local.year % 100:02d}",
        y_day=f"{local.timetuple().tm_yday:03d}",
    )
    return config.site.url.rstrip("/") + "/" + filled.lstrip("/")


def old_id(config: Config, generator: str, link: str, slug: str, published: datetime) -> str:
    """The id `generator`'s feed gave the article published at `link`."""
    if generator == "hugo":
        return link
    parts = urlsplit(link)
    if generator == "jekyll":
        site_path = urlsplit(config.site.url).path.rstrip("/")
        path = parts.path[len(site_path) :] if parts.path.startswith(site_path) else parts.path
        trimmed = path.rstrip("/")
        folder = trimmed[: trimmed.rfind("/")] if "/" in trimmed else ""
        return config.site.url.rstrip("/") + folder + "/" + quote(slug, safe=PCHAR)
    local = published.astimezone(config.site.tzinfo)
    return f"tag:{parts.hostname},{local:%Y-%m-%d}:{parts.path}/{parts.fragment}"


def old_identity(
    config: Config,
    path: str,
    slug: str,
    published: datetime,
    link: str | None,
    article_id: str | None,
) -> tuple[str, str]:
    """The article's (link, id): the ones written in its fields (`link`, `article_id`; None
    when not written) win, else the old generator's."""
    assert config.ids is not None
    made_link = link if link is not None else old_link(config, path, published)
    if article_id is not None:
        return made_link, article_id
    return made_link, old_id(config, config.ids.generator, made_link, slug, published)
