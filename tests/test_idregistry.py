"""Ids are forever (issue 11): a build in which published articles would get another id
stops with exit 1 before any reader sees them again, unless `--accept-new-ids`; a site that
moves keeps every id with `site.id_base`. Ids are read back from the published bytes with
feedparser and json, as readers get them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import feedparser
from click.testing import CliRunner
from factories import make_article
from sites import NOW, SITE_URL, Site, snapshot

import feeds.reading
from feeds.cli import cli
from feeds.config import ConfigError
from feeds.idregistry import (
    IDS_FILE,
    Published,
    RegistryMemo,
    new_ids,
    reader_digest,
    save_ids,
)
from feeds.model import Author

NEW_URL = "https://www.inc.example.org/"


def _cli(site: Site, *extra: str) -> tuple[int, str, str]:
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW.isoformat()]
    result = CliRunner().invoke(cli, [*arguments, *extra])
    return result.exit_code, result.stdout, result.stderr


def _ids(output: Path) -> dict[str, list[tuple[str, str]]]:
    """Every feed file's entries as (id, link), read as a reader reads them."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((output / "feeds").rglob("*")):
        name = path.relative_to(output).as_posix()
        if name.endswith((".rss.xml", ".atom.xml")):
            parsed = feedparser.parse(path.read_bytes())
            found[name] = [(e.id, e.link) for e in parsed.entries]
        elif name.endswith(".json"):
            items = json.loads(path.read_bytes())["items"]
            found[name] = [(i["id"], i["url"]) for i in items]
    return found


def _move(site: Site, *, id_base: str | None) -> None:
    site.settings["site"]["url"] = NEW_URL
    if id_base is not None:
        site.settings["site"]["id_base"] = id_base
    site.save_config()


def test_a_site_moved_with_id_base_keeps_every_id_end_to_end(site: Site) -> None:
    site.settings["feeds"]["formats"] = ["rss", "atom", "json"]
    site.save_config()
    assert _cli(site)[0] == 0
    before = _ids(site.output)
    assert len(before) == 24 and ("feeds/all.json") in before
    ids_before = {path: [i for i, _ in entries] for path, entries in before.items()}
    assert "https://inc.example.org/articles/chip-news/" in ids_before["feeds/all.atom.xml"]

    _move(site, id_base=SITE_URL)
    code, _, stderr = _cli(site)

    assert (code, stderr) == (0, "")
    after = _ids(site.output)
    assert {path: [i for i, _ in entries] for path, entries in after.items()} == ids_before
    links = [link for entries in after.values() for _, link in entries]
    assert links and all(link.startswith(NEW_URL) for link in links)  # the site did move
    assert all(
        i.startswith(("https://inc.example.org/", "urn:uuid:"))
        for i in ids_before["feeds/all.rss.xml"]
    )


def test_moving_site_url_without_id_base_stops_and_publishes_nothing(site: Site) -> None:
    assert _cli(site)[0] == 0
    published = snapshot(site.output)
    _move(site, id_base=None)

    code, _, stderr = _cli(site)

    assert code == 1
    assert "feeds: 10 published articles would get a new id" in stderr
    assert (
        "content/computing/chip-news.md: https://inc.example.org/articles/chip-news/ -> "
        "https://www.inc.example.org/articles/chip-news/"
    ) in stderr
    assert "and 5 more" in stderr and "site.id_base" in stderr and "--accept-new-ids" in stderr
    assert snapshot(site.output) == published
    # intended: accepted once, then the new ids are the ones kept
    assert _cli(site, "--accept-new-ids")[:3:2] == (0, "")
    assert (
        "https://www.inc.example.org/articles/chip-news/"
        in (site.output / "feeds/all.atom.xml").read_text()
    )
    assert _cli(site)[:3:2] == (0, "")


def test_a_permalink_change_stops(site: Site) -> None:
    assert _cli(site)[0] == 0
    site.settings["site"]["permalink"] = "{url}{year}/{slug}.html"
    site.save_config()

    code, _, stderr = _cli(site)

    assert code == 1 and "10 published articles would get a new id" in stderr


def test_a_renamed_file_is_caught_and_id_keeps_it(site: Site) -> None:
    assert _cli(site)[0] == 0
    site.move("computing/chip-news.md", "computing/small-chip.md")

    code, _, stderr = _cli(site)

    assert code == 1
    assert (
        "1 published article would get a new id, so every subscriber would see it again as "
        "new (content/computing/small-chip.md: https://inc.example.org/articles/chip-news/ -> "
        "https://inc.example.org/articles/small-chip/)"
    ) in stderr
    # the fix the message names: keep the old id
    site.edit(
        "computing/small-chip.md",
        "title: ",
        "id: https://inc.example.org/articles/chip-news/\ntitle: ",
    )
    assert _cli(site)[:3:2] == (0, "")


def test_an_edited_id_stops(site: Site) -> None:
    assert _cli(site)[0] == 0
    site.edit("computing/chip-news.md", "title: ", "id: chip-2026\ntitle: ")

    code, _, stderr = _cli(site)

    assert code == 1 and "1 published article would get a new id" in stderr
    assert (
        "content/computing/chip-news.md: https://inc.example.org/articles/chip-news/ -> urn:uuid:"
        in stderr
    )


def test_new_and_removed_articles_are_no_id_change(site: Site) -> None:
    assert _cli(site)[0] == 0
    site.remove("computing/chip-news.md")
    site.write(
        "computing/fresh.md", "---\ntitle: Fresh\ndate: 2026-11-20\ncategory: Computing\n---\nx\n"
    )

    assert _cli(site)[:3:2] == (0, "")


def test_records_that_move_within_a_file_keep_their_ids() -> None:
    """A record inserted above others shifts their `file:LINE` sources: no id changed."""
    first = make_article(id="urn:a", title="A", source="wire.jsonl:1")
    second = make_article(id="urn:b", title="B", source="wire.jsonl:2")
    previous = {
        "wire.jsonl:1": Published("urn:a", "A", first.published.isoformat()),
        "wire.jsonl:2": Published("urn:b", "B", second.published.isoformat()),
    }
    inserted = make_article(id="urn:new", title="New", source="wire.jsonl:1")
    moved = [
        inserted,
        make_article(id="urn:a", title="A", source="wire.jsonl:2"),
        make_article(id="urn:b", title="B", source="wire.jsonl:3"),
    ]

    assert new_ids(previous, moved) == []


def test_id_base_is_checked_like_site_url(site: Site) -> None:
    site.settings["site"]["id_base"] = "https://inc.example.org/?x=1"
    site.save_config()

    try:
        site.config()
    except ConfigError as error:
        assert "site.id_base" in str(error)
    else:
        raise AssertionError("a query in site.id_base was accepted")


# -- reader digests stay as registries hold them ---------------------------------------------


def test_reader_digest_is_the_digest_registries_hold() -> None:
    """The digest is blake2b-96 of the body key and the article's repr with source, body and
    draft blanked: registries written since issue 11 hold it, so the text is written out here
    by hand; a change to it would report every article of every site as changed once."""
    article = make_article(
        "digest-pin",
        title="Digest pin",
        published="2021-01-08T14:30:00+00:00",
        categories=(),
        body="<p>not in the digest</p>",
        tags=("a", "b"),
        draft=True,
    )
    text = (
        "body-key Article(source='', slug='digest-pin', "
        "id='https://news.example.org/articles/digest-pin/', "
        "link='https://news.example.org/articles/digest-pin/', title='Digest pin', "
        "published=datetime.datetime(2021, 1, 8, 14, 30, tzinfo=datetime.timezone.utc), "
        "updated=datetime.datetime(2021, 1, 8, 14, 30, tzinfo=datetime.timezone.utc), "
        "categories=(), body='', body_format=<BodyFormat.HTML: 'html'>, tags=('a', 'b'), "
        "authors=(), summary=None, image=None, enclosure=None, draft=False, episode=None, "
        "in_feeds=True, lang=None, image_info=None, expires=None)"
    )
    expected = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    assert reader_digest(article, "body-key") == expected
    moved = dataclasses.replace(article, source="content/elsewhere.md", body="other", draft=False)
    assert reader_digest(moved, "body-key") == expected  # the file's name and body key only
    assert reader_digest(dataclasses.replace(article, title="Digest pin!"), "body-key") != expected


def test_reader_digest_with_given_texts_is_the_same_digest() -> None:
    """Issue 14: reading passes the texts of shared category lists and bylines, made once;
    the digest must be the one `repr` gives (the pin above), whatever the field holds."""
    made: list[object] = []

    def texts(value: object) -> str:
        made.append(value)
        return repr(value)

    authors = (Author("Zoë O'Brien", "zoe@example.org"), Author('Li \\ "Ming"', None))
    for article in (
        make_article("plain"),
        make_article("none", categories=(), authors=()),
        make_article("many", categories=("Phones", "Science: Space"), authors=authors),
        make_article("odd", categories=("Économie: Café «noir»",), tags=("x'y",)),
    ):
        made.clear()
        assert reader_digest(article, "key", texts) == reader_digest(article, "key")
        assert made == [article.categories, article.authors]
    wrong = reader_digest(make_article("plain"), "key", lambda value: "()")
    assert wrong != reader_digest(make_article("plain"), "key")  # the texts are digested


def test_reading_makes_the_digests_of_shared_fields_once() -> None:
    shared = feeds.reading._Shared()
    byline = (Author("A. Writer", None),)
    first = shared(make_article("one", authors=byline))
    second = shared(make_article("two", authors=(Author("A. Writer", None),)))
    assert first.authors is second.authors and first.categories is second.categories
    assert shared.text(first.authors) == repr(byline)
    assert shared.text(second.authors) is shared.text(first.authors)  # made once
    other = (Author("B. Writer", None),)
    assert shared.text(other) == repr(other)


def test_ids_json_is_written_in_chunks_as_json_dumps_writes_it(tmp_path: Path) -> None:
    """Issue 14: the registry is encoded a batch at a time, never as one text; the bytes
    are still those of one `json.dumps` of the whole mapping."""
    registry = {
        f"posts/{n:05d}-caf\u00e9.md": Published(f"tag:x,2026:{n}", f'T "{n}"\n', "2026-01-01", "d")
        for n in range(4_500, 0, -1)  # more than two batches, given in reverse order
    }
    expected = json.dumps(
        {
            "version": 1,
            "generation": 1,
            "articles": {
                s: [e.id, e.title, e.published, e.digest] for s, e in sorted(registry.items())
            },
        },
        ensure_ascii=False,
    ).encode()
    save_ids(tmp_path, registry)
    assert (tmp_path / IDS_FILE).read_bytes() == expected
    save_ids(tmp_path, {})  # written whole again: the next generation
    assert (tmp_path / IDS_FILE).read_bytes() == b'{"version": 1, "generation": 2, "articles": {}}'
    save_ids(tmp_path, dict(list(registry.items())[:1]))
    assert json.loads((tmp_path / IDS_FILE).read_bytes())["articles"] == {
        "posts/04500-caf\u00e9.md": ["tag:x,2026:4500", 'T "4500"\n', "2026-01-01", "d"]
    }


def test_digests_made_as_files_are_read_are_those_of_the_published_articles(
    site: Site,
) -> None:
    """Issue 14: the registry takes each article's digest from its file's state, made when
    the file was read; it must be the digest of the article as published, also when
    site-wide resolution renamed its category (chip-news: `Computing` shows as `computing`)
    and for a record kept at its last good version."""
    from feeds.cache import load_cache
    from feeds.idregistry import load_ids, registry_of
    from feeds.site import prepare

    site.edit("exports/wire.jsonl", '"title": "Patch Day"', '"title": 7')  # now refused
    site.build()  # first build: patch-day is gone, nothing kept
    site.edit("exports/wire.jsonl", '"title": 7', '"title": "Patch Day"')
    site.build()
    site.edit("exports/wire.jsonl", '"title": "Patch Day"', '"title": ""')
    report = site.build()  # patch-day kept at its last good version
    assert report.kept, report.problems
    config = site.config()
    saved = load_ids(config.cache_dir)
    assert saved is not None
    prepared = prepare(config, load_cache(config.cache_dir), NOW)
    made = [prepared.contents.reader_digest(a) for a in prepared.articles]
    assert sum(d is not None for d in made) >= 8 and None in made  # most made; some not
    fresh = registry_of(prepared.articles, prepared.contents.digest)  # each digested now
    assert {s: e.digest for s, e in saved.items()} == {s: e.digest for s, e in fresh.items()}
    chip = next(a for a in prepared.articles if a.source.endswith("chip-news.md"))
    assert chip.categories[0].names == ("computing",)


def test_a_registry_made_with_and_without_a_memo_is_the_same() -> None:
    """A fresh process has no memo; a watcher has one. Both give each source its id, title,
    publication time and digest, from any iterable."""
    from feeds.idregistry import registry_of

    articles = [make_article(f"post-{n}", title=f"Post {n}", source=f"c/{n}.md") for n in (3, 1, 2)]

    def key(article: object) -> str:
        return "body key"

    memo = RegistryMemo()
    without = registry_of(iter(articles), key)
    with_memo = registry_of(iter(articles), key, memo)
    assert list(without) == list(with_memo) == ["c/1.md", "c/2.md", "c/3.md"]
    assert without == with_memo
    assert without["c/1.md"].title == "Post 1"
    assert without["c/1.md"].digest == reader_digest(articles[1], "body key")
    assert without["c/2.md"].published == "2021-01-08T14:30:00+01:00"
    assert len(memo.entries) == 3  # kept for the next build
