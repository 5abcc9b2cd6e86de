"""Issue 19: pending WebSub pings are build state. A local hub (http.server on 127.0.0.1)
that fails, then recovers: the next build, with no content change, sends exactly the pings
the hub missed, and none after that; a pending feed that changed again is pinged once."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_cli_websub import build, make_site, write_article

BASE = "https://news.example.org/feeds/"
ALL_SIX = sorted(
    BASE + path
    for path in (
        "all.rss.xml",
        "all.atom.xml",
        "category/phones.rss.xml",
        "category/phones.atom.xml",
        "category/laptops.rss.xml",
        "category/laptops.atom.xml",
    )
)


@dataclass
class Hub:
    url: str = ""
    failing: bool = True
    accepted: list[str] = field(default_factory=list)  # topics answered 204
    refused: list[str] = field(default_factory=list)  # topics answered 503


@pytest.fixture
def hub() -> Iterator[Hub]:
    state = Hub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            form = urllib.parse.parse_qs(body)
            assert form["hub.mode"] == ["publish"]
            (state.refused if state.failing else state.accepted).extend(form["hub.url"])
            self.send_response(503 if state.failing else 204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield state
    server.shutdown()
    server.server_close()


def test_missed_pings_are_sent_by_the_next_build_and_then_never(tmp_path: Path, hub: Hub) -> None:
    config = make_site(tmp_path, hub.url)
    code, output = build(config)
    assert code == 0, output
    assert sorted(set(hub.refused)) == ALL_SIX  # tried (with retries), all refused
    assert "0 of 6 changed feeds announced" in output and "6 pending" in output

    hub.failing = False
    code, output = build(config)  # no content change
    assert code == 0, output
    assert sorted(hub.accepted) == ALL_SIX  # exactly the missed pings, each once
    assert "6 of 6" in output and "0 pending" in output

    hub.accepted.clear()
    assert build(config)[0] == 0
    assert build(config)[0] == 0
    assert hub.accepted == []  # none after that


def test_a_pending_feed_that_changed_again_is_pinged_once(tmp_path: Path, hub: Hub) -> None:
    config = make_site(tmp_path, hub.url)
    assert build(config)[0] == 0
    hub.failing = False
    write_article(tmp_path, "a", "Phones", "Second version.")  # all and phones change again
    assert build(config)[0] == 0
    assert sorted(hub.accepted) == ALL_SIX


def test_a_lost_or_broken_pending_file_is_nothing_pending(tmp_path: Path, hub: Hub) -> None:
    config = make_site(tmp_path, hub.url)
    assert build(config)[0] == 0
    pending = tmp_path / ".feeds" / "websub-pending.json"
    assert pending.exists()
    pending.write_text("{not json", encoding="utf-8")
    hub.failing = False
    code, output = build(config)
    assert code == 0, output
    assert hub.accepted == []  # nothing readable was pending, nothing changed
    assert f"warning: WebSub: {pending}: unreadable" in output


def test_a_rebuilt_cache_keeps_the_pending_pings(tmp_path: Path, hub: Hub) -> None:
    config = make_site(tmp_path, hub.url)
    assert build(config)[0] == 0
    for path in (tmp_path / ".feeds").iterdir():  # the build cache is lost, the state stays
        if path.name != "websub-pending.json" and path.is_file():
            path.unlink()
    hub.failing = False
    assert build(config)[0] == 0
    assert sorted(hub.accepted) == ALL_SIX


def test_a_pending_feed_since_removed_is_not_pinged(tmp_path: Path, hub: Hub) -> None:
    config = make_site(tmp_path, hub.url)
    assert build(config)[0] == 0
    (tmp_path / "content" / "b.md").unlink()  # the Laptops feeds go away, "all" changes
    hub.failing = False
    assert build(config)[0] == 0
    assert sorted(hub.accepted) == sorted(
        BASE + path
        for path in (
            "all.rss.xml",
            "all.atom.xml",
            "category/phones.rss.xml",
            "category/phones.atom.xml",
        )
    )


def test_pings_another_build_recorded_meanwhile_are_not_lost(
    tmp_path: Path, hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    import feeds.websub

    config = make_site(tmp_path, hub.url)
    hub.failing = False
    assert build(config)[0] == 0
    pending = tmp_path / ".feeds" / "websub-pending.json"
    assert not pending.exists()
    laptops = BASE + "category/laptops.rss.xml"
    notify = feeds.websub.notify_hub

    def notify_while_another_build_records(hub_url: str, topics: list[str]) -> object:
        # Another build, pinging at the same time, found the hub refusing its Laptops feed.
        pending.write_text(json.dumps({"pending": [laptops]}), encoding="utf-8")
        return notify(hub_url, topics)

    monkeypatch.setattr(feeds.websub, "notify_hub", notify_while_another_build_records)
    write_article(tmp_path, "a", "Phones", "Second version.")  # all and phones change
    assert build(config)[0] == 0
    assert json.loads(pending.read_text(encoding="utf-8")) == {"pending": [laptops]}
