"""The feed files of a plan (`feeds.feedfiles.render_all`), on its own: a feed whose
fingerprint and published file are as the cache says is reused and not rendered (it is not
in `files`, which holds every file rendered); a touched file or a changed feed is rendered
again; a feed the checker refuses is in `refused`, not in `files`.

The site: three articles in two categories (Phones, Laptops), RSS and Atom, so six feed
files. `publish` writes what was rendered and returns the cache a build would keep (each
file's fingerprint, size and mtime, as `feeds.build` records them)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from factories import category, make_article, make_config
from sites import refuse_in_lint

from feeds.cache import BuildCache, FileState
from feeds.config import Config
from feeds.contents import ContentSource
from feeds.feedfiles import Rendered, render_all
from feeds.keys import content_key
from feeds.model import Article
from feeds.parallel import Workers
from feeds.plan import plan_site

PHONES, LAPTOPS = category("Phones"), category("Laptops")
ARTICLES = (
    make_article("pocket", published="2024-05-03T10:00:00+02:00", categories=[PHONES]),
    make_article("fold", published="2024-05-02T10:00:00+02:00", categories=[PHONES]),
    make_article("light", published="2024-05-01T10:00:00+02:00", categories=[LAPTOPS]),
)
ALL = {
    "feeds/all.rss.xml",
    "feeds/all.atom.xml",
    "feeds/category/phones.rss.xml",
    "feeds/category/phones.atom.xml",
    "feeds/category/laptops.rss.xml",
    "feeds/category/laptops.atom.xml",
}


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


def contents_of(config: Config, articles: Sequence[Article]) -> ContentSource:
    """Entry content as a build has it: each article's content key from its file's state, its
    body from this build's reading."""
    states = {
        article.source: FileState(
            0, 0, 0, 0, "", (), (dataclasses.replace(article, body=""),), (content_key(article),)
        )
        for article in articles
    }
    bodies = {article.source: article.body for article in articles}
    return ContentSource(config, BuildCache(), bodies, states)


def render(
    config: Config,
    cache: BuildCache | None = None,
    articles: Sequence[Article] = ARTICLES,
    *,
    validate: bool = True,
    workers: int = 1,
) -> Rendered:
    plan = plan_site(articles, config)
    with Workers(workers) as pool:
        rendered = render_all(
            config, plan, cache or BuildCache(), contents_of(config, articles), validate, None,
            pool, workers,
        )  # fmt: skip
    return rendered


def publish(config: Config, rendered: Rendered, cache: BuildCache | None = None) -> BuildCache:
    """Write the files rendered; the cache with every feed's state, as published."""
    feeds = dict(cache.feeds) if cache is not None else {}
    for path, state in rendered.states.items():
        if path in rendered.files:
            target = config.output_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(rendered.files[path])
            stat = target.stat()
            state = dataclasses.replace(state, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
        feeds[path] = state
    return BuildCache(feeds=feeds)


def test_a_first_render_renders_and_checks_every_feed(config: Config) -> None:
    rendered = render(config)

    assert set(rendered.files) == set(rendered.states) == set(rendered.fingerprints) == ALL
    assert (rendered.findings, rendered.refused, rendered.cut) == ([], [], [])
    assert b"<title>Pocket</title>" in rendered.files["feeds/category/phones.rss.xml"]
    assert b"Light" not in rendered.files["feeds/category/phones.rss.xml"]
    for path, data in rendered.files.items():
        state = rendered.states[path]
        assert state.fingerprint == rendered.fingerprints[path]
        assert (state.size, state.kept) == (len(data), None)
    assert set(rendered.feed_memo) == ALL  # the round-trip memo keys each check read


def test_an_unchanged_feed_with_an_untouched_file_is_reused_not_rendered(config: Config) -> None:
    first = render(config)
    cache = publish(config, first)

    again = render(config, cache)

    assert again.files == {}  # nothing rendered
    assert all(again.states[path] is cache.feeds[path] for path in ALL)
    assert again.fingerprints == first.fingerprints
    assert (again.findings, again.refused) == ([], [])


def test_a_touched_file_is_rendered_again(config: Config) -> None:
    first = render(config)
    cache = publish(config, first)
    touched = config.output_dir / "feeds/category/laptops.atom.xml"
    os.utime(touched, ns=(1_000_000_000, 1_000_000_000))  # same bytes, another mtime

    again = render(config, cache)

    assert set(again.files) == {"feeds/category/laptops.atom.xml"}
    assert (
        again.files["feeds/category/laptops.atom.xml"]
        == first.files["feeds/category/laptops.atom.xml"]
    )
    assert all(again.states[path] is cache.feeds[path] for path in ALL - set(again.files))


def test_an_edited_file_is_rendered_again(config: Config) -> None:
    first = render(config)
    cache = publish(config, first)
    (config.output_dir / "feeds/all.rss.xml").write_bytes(b"<rss/>")

    again = render(config, cache)

    assert again.files == {"feeds/all.rss.xml": first.files["feeds/all.rss.xml"]}


def test_a_changed_article_renders_the_feeds_that_hold_it(config: Config) -> None:
    first = render(config)
    cache = publish(config, first)
    edited = (*ARTICLES[:2], dataclasses.replace(ARTICLES[2], title="Lighter"))

    again = render(config, cache, edited)

    assert set(again.files) == {
        "feeds/all.rss.xml",
        "feeds/all.atom.xml",
        "feeds/category/laptops.rss.xml",
        "feeds/category/laptops.atom.xml",
    }
    assert b"<title>Lighter</title>" in again.files["feeds/category/laptops.rss.xml"]
    assert (
        again.states["feeds/category/phones.rss.xml"]
        is cache.feeds["feeds/category/phones.rss.xml"]
    )


def test_a_feed_the_checker_refuses_is_not_in_files(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_in_lint(monkeypatch, "category/phones.atom.xml")

    rendered = render(config)

    assert rendered.refused == ["feeds/category/phones.atom.xml"]
    assert set(rendered.files) == set(rendered.states) == ALL - {"feeds/category/phones.atom.xml"}
    assert [(f.file, f.rule) for f in rendered.findings] == [
        ("feeds/category/phones.atom.xml", "Injected")
    ]


def test_a_refused_feed_is_rendered_again_next_time(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        refuse_in_lint(patched, "category/phones.atom.xml")
        first = render(config)
    cache = publish(config, first)  # without the refused feed

    again = render(config, cache)

    assert set(again.files) == {"feeds/category/phones.atom.xml"}
    assert again.refused == []


def test_without_validation_nothing_is_refused(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_in_lint(monkeypatch, "category/phones.atom.xml")

    rendered = render(config, validate=False)

    assert set(rendered.files) == ALL
    assert (rendered.findings, rendered.refused) == ([], [])


def test_a_cut_feed_reports_its_cut_when_rendered_and_when_reused(config: Config) -> None:
    tight = dataclasses.replace(config, feeds=dataclasses.replace(config.feeds, max_bytes=1500))
    first = render(tight)
    assert ("feeds/all.atom.xml", 1, 3) in first.cut  # (path, entries kept, entries planned)
    assert first.states["feeds/all.atom.xml"].kept == 1
    assert first.files["feeds/all.atom.xml"].count(b"<entry>") == 1
    cache = publish(tight, first)

    again = render(tight, cache)

    assert again.files == {}
    assert sorted(again.cut) == sorted(first.cut)


def test_several_processes_render_the_same_files(config: Config) -> None:
    alone = render(config, workers=1)
    shared = render(config, workers=2)

    assert shared.files == alone.files
    assert shared.states == alone.states
    assert (shared.findings, shared.refused) == (alone.findings, alone.refused) == ([], [])
