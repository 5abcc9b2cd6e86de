"""PostgreSQL sources against a real server (issue 18): Debian's `postgresql` binaries
(installed by .ci/run), a server started here on a private port and a temporary data folder
(as the `postgres` user when the tests run as root: initdb refuses root), stopped at the end.
Publish a row, rebuild, the feeds change; update it; delete it; and the server's own
read-only transaction and statement timeout at work."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from sites import SITE_URL, Site, make_site, snapshot

from feeds.request import BuildError

psycopg = pytest.importorskip(
    "psycopg", reason="psycopg 3 is not installed (pip install -e '.[test]'): PostgreSQL "
    "sources cannot be tested"
)  # fmt: skip


def _bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A running server: the URL of its `postgres` database (user `feeds`, trust auth on
    127.0.0.1 only)."""
    bindir = _bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (Debian's postgresql; .ci/run installs it)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: initdb cannot run as root")
    folder = Path(tempfile.mkdtemp(prefix="feeds-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    run = {"capture_output": True, "text": True, "timeout": 120}
    try:
        init = subprocess.run(
            _as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "feeds",
                             "--auth=trust", "-E", "UTF8", "--locale=C"]), **run,
        )  # fmt: skip
        if init.returncode != 0:
            pytest.skip(f"initdb failed: {init.stderr.strip()[-300:]}")
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        start = subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-o", options,
                             "-l", str(folder / "server.log"), "-w", "start"]), **run,
        )  # fmt: skip
        if start.returncode != 0:
            pytest.skip(f"the PostgreSQL server did not start: {start.stderr.strip()[-300:]}")
        yield f"postgresql://feeds@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            **run,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def sql(url: str, statement: str, *args: Any) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement, args)


@pytest.fixture
def cms(server: str) -> Iterator[str]:
    sql(server, "DROP TABLE IF EXISTS stories")
    sql(
        server,
        "CREATE TABLE stories (id integer PRIMARY KEY, slug text, headline text, "
        "published timestamptz, sections text[], body text, live boolean)",
    )
    yield server


def pg_site(root: Path, url: str, **source: Any) -> Site:
    site = make_site(root)
    site.settings["sources"] = [
        {
            "name": "newsroom",
            "sql": url,
            "query": "SELECT id, slug, headline, published AS date, sections AS categories, "
            "body FROM stories WHERE live ORDER BY id",
            "fields": {"title": "headline"},
            **source,
        }
    ]
    site.save_config()
    return site


def titles(site: Site, feed: str = "feeds/category/politics.atom.xml") -> dict[str, str]:
    path = site.output / feed
    if not path.exists():
        return {}
    return {e.link: e.title for e in feedparser.parse(path.read_bytes()).entries}


def test_publish_update_delete(tmp_path: Path, cms: str) -> None:
    site = pg_site(tmp_path, cms)
    assert site.build().errors == ()
    assert titles(site) == {}
    sql(
        cms,
        "INSERT INTO stories VALUES (1, 'vote', 'The vote', %s, ARRAY['Politics', 'Politics: EU'], "
        "'The **vote** is in.', true)",
        datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
    )
    report = site.build()
    assert report.errors == ()
    assert report.added == ("newsroom:1: The vote",)
    assert titles(site) == {SITE_URL + "articles/vote/": "The vote"}
    assert titles(site, "feeds/category/politics/eu.atom.xml") == {
        SITE_URL + "articles/vote/": "The vote"
    }
    entry = feedparser.parse(
        (site.output / "feeds/category/politics.atom.xml").read_bytes()
    ).entries[0]
    assert entry.published == "2026-11-20T08:00:00Z"
    assert "<strong>vote</strong>" in entry.content[0].value
    sql(cms, "UPDATE stories SET headline = 'The vote, counted' WHERE id = 1")
    report = site.build()
    assert (report.files_read, report.changed) == (1, ("newsroom:1: The vote, counted",))
    assert titles(site) == {SITE_URL + "articles/vote/": "The vote, counted"}
    sql(cms, "DELETE FROM stories WHERE id = 1")
    assert site.build().removed == ("newsroom:1: The vote, counted",)
    assert titles(site) == {}


def test_a_null_headline_is_refused_by_source_key_and_field(tmp_path: Path, cms: str) -> None:
    sql(cms, "INSERT INTO stories VALUES (7, 'x', NULL, now(), NULL, 'x', true)")
    report = pg_site(tmp_path, cms).build()
    assert [(p.source, p.field, p.value) for p in report.errors] == [("newsroom:7", "title", None)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (  # a cursor takes SELECT and VALUES only
            {"query": "DELETE FROM stories RETURNING id"},
            'the query failed: syntax error at or near "DELETE"',
        ),
        (  # a SELECT that would write, through a function: the transaction is read-only
            {"query": "SELECT wipe() AS id"},
            "the query failed: cannot execute DELETE in a read-only transaction",
        ),
        (
            {"query": "SELECT pg_sleep(30), 1 AS id", "timeout": 1},
            "the query ran over its timeout of 1 seconds and was stopped; make it faster or "
            "raise sources' timeout",
        ),
        ({"query": "SELECT * FROM nowhere"}, 'the query failed: relation "nowhere" does not exist'),
    ],
)
def test_the_server_refuses_and_every_feed_stays(
    tmp_path: Path, cms: str, change: dict[str, Any], message: str
) -> None:
    sql(cms, "INSERT INTO stories VALUES (1, 'kept', 'Kept', now(), ARRAY['Politics'], 'x', true)")
    sql(
        cms,
        "CREATE OR REPLACE FUNCTION wipe() RETURNS integer LANGUAGE sql AS "
        "'DELETE FROM stories; SELECT 1'",
    )
    site = pg_site(tmp_path, cms)
    site.build()
    before = snapshot(site.output)
    site.settings["sources"][0].update(change)
    site.save_config()
    with pytest.raises(BuildError) as caught:
        site.build()
    assert str(caught.value) == (
        f"source newsroom (postgresql {cms}): {message} (nothing was published, so every feed "
        "stays as it was)"
    )
    assert snapshot(site.output) == before
    with psycopg.connect(cms) as connection:  # the DELETE ran in a read-only transaction
        assert connection.execute("SELECT count(*) FROM stories").fetchone() == (1,)


def test_an_unreachable_server(tmp_path: Path, cms: str) -> None:
    site = pg_site(tmp_path, cms)
    site.build()
    before = snapshot(site.output)
    closed = f"postgresql://feeds@127.0.0.1:{_free_port()}/postgres"
    site.settings["sources"][0]["sql"] = closed
    site.save_config()
    with pytest.raises(BuildError) as caught:
        site.build()
    assert str(caught.value).startswith(f"source newsroom (postgresql {closed}): cannot connect: ")
    assert str(caught.value).endswith("(nothing was published, so every feed stays as it was)")
    assert snapshot(site.output) == before
