"""Feed bytes for one planned feed: `render_feed` dispatches on the format to the writers
(`rss_atom` through feedgen, `json_feed`), which share the representation rules of `rules`
with the validator. `fit_feed` applies the size budget (`feeds.max_bytes`). The writers are
imported when first used, so importing `feeds.render.rules` (as the validator does) loads no
writer and no feedgen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from feeds.render.rules import ContentFn, feed_content

if TYPE_CHECKING:
    from feeds.config import Config
    from feeds.plan import FeedSpec

__all__ = ["ContentFn", "fit_feed", "render_feed"]


def render_feed(feed: FeedSpec, fmt: str, config: Config, content: ContentFn) -> bytes:
    """The complete file for `feed` in `fmt` (`rss`, `atom` or `json`): UTF-8, deterministic.

    Raises `ContentError` naming the article and field when a text holds a character XML 1.0
    cannot carry, or a date cannot be written with a four-digit year (normalisation keeps
    both out; this is the last guard before the writer)."""
    from feeds.render.json_feed import render_json
    from feeds.render.rss_atom import render_xml

    carried = feed_content(feed, content)  # the feed's content policy (issue 16)
    if fmt == "json":
        return render_json(feed, config, carried)
    if fmt not in ("rss", "atom"):
        raise ValueError(f"unknown feed format {fmt!r}; use rss, atom or json")
    return render_xml(feed, fmt, config, carried)


def fit_feed(
    feed: FeedSpec, fmt: str, config: Config, content: ContentFn
) -> tuple[FeedSpec, bytes]:
    """The feed as it should be published in `fmt` under the size budget, and its bytes
    (`budget.fit_to_budget`)."""
    from feeds.render.budget import fit_to_budget

    return fit_to_budget(feed, fmt, config, content, render_feed)
