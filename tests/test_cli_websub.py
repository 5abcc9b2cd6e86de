"""`feeds build` with `websub.hub`: hub links in the feeds, one ping per changed feed after
writing, nothing when nothing changed, and a hub that is down never fails the build."""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from feeds.cli import cli

NOW = "2026-11-26T12:00:00Z"


@pytest.fixture
def hub() -> Iterator[tuple[str, list[str]]]:
    topics: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            form = urllib.parse.parse_qs(body)
            assert form["hub.mode"] == ["publish"]
            topics.extend(form["hub.url"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", topics
    server.shutdown()
    server.server_close()


def make_site(root: Path, hub_url: str) -> Path:
    (root / "content").mkdir()
    (root / "config.yaml").write_text(
        "site:\n  title: T\n  url: https://news.example.org/\n  description: D\n"
        "  language: en\n  timezone: UTC\n"
        f"websub: {{hub: '{hub_url}'}}\n",
        encoding="utf-8",
    )
    for name, category in (("a", "Phones"), ("b", "Laptops")):
        write_article(root, name, category, "First version.")
    return root / "config.yaml"


def write_article(root: Path, name: str, category: str, body: str) -> None:
    (root / "content" / f"{name}.md").write_text(
        f"---\ntitle: Article {name}\ndate: 2026-01-0{len(name)} 10:00\n"
        f"category: {category}\n---\n{body}\n",
        encoding="utf-8",
    )


def build(config: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", "--config", str(config), "--now", NOW])
    return result.exit_code, result.output


def test_changed_feeds_are_announced_once_each(tmp_path: Path, hub: tuple[str, list[str]]) -> None:
    hub_url, topics = hub
    config = make_site(tmp_path, hub_url)
    code, output = build(config)
    assert code == 0, output
    base = "https://news.example.org/feeds/"
    assert sorted(topics) == sorted(
        base + path
        for path in (
            "all.rss.xml",
            "all.atom.xml",
            "category/phones.rss.xml",
            "category/phones.atom.xml",
            "category/laptops.rss.xml",
            "category/laptops.atom.xml",
        )
    )
    atom = (tmp_path / "public/feeds/all.atom.xml").read_text(encoding="utf-8")
    assert f'href="{hub_url}" rel="hub"' in atom or f'rel="hub" href="{hub_url}"' in atom

    topics.clear()
    assert build(config)[0] == 0
    assert topics == []  # nothing changed, nothing announced

    write_article(tmp_path, "a", "Phones", "Second version.")
    assert build(config)[0] == 0
    assert sorted(topics) == sorted(
        base + path
        for path in (
            "all.rss.xml",
            "all.atom.xml",
            "category/phones.rss.xml",
            "category/phones.atom.xml",
        )
    )


def test_a_hub_that_is_down_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = make_site(tmp_path, f"http://127.0.0.1:{port}/")
    code, output = build(config)
    assert code == 0
    warnings = [line for line in output.splitlines() if line.startswith("warning: WebSub")]
    assert len(warnings) == 1  # one line for the six feeds that failed alike
    assert "6 changed feeds (first: https://news.example.org/feeds/" in warnings[0]
    assert "not announced: hub unreachable" in warnings[0]
    assert (tmp_path / "public/feeds/all.atom.xml").exists()
