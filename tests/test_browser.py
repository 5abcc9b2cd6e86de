"""A real browser and a feed reader ask for the same feed URL and each get what they can use.

A small site is built with the real build, served by `feeds.serve` on a free loopback port,
and opened in headless Chromium (Debian's `chromium`): the rendered DOM must be the feed's
HTML page (title, entries, subscription addresses), not the XML shown as text, while a feed
reader's request for the same URL gets the feed. Every Chromium run has a fresh profile, a
time limit, and its own process group, which is killed afterwards.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import struct
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lxml.html
import pytest
from loopback import serving
from lxml import etree

from feeds.build import build_site
from feeds.config import load_config
from feeds.serve import make_server

pytestmark = pytest.mark.chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TIMEOUT = 60  # seconds per Chromium run
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
)
READER_ACCEPT = "application/rss+xml, application/xml;q=0.9, */*;q=0.8"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

CONFIG = """\
site:
  title: Fixture News
  url: https://fixture.example/
  description: A small site for the browser test
  language: en
  timezone: Europe/Berlin
content_dir: content
output_dir: public
feeds:
  formats: [rss, atom, json]
"""
ARTICLES = {
    "phones/pocket-review.md": """\
---
title: "Pocket review: small & <mighty>"
date: 2026-11-20T09:00:00+01:00
category: Phones
---
A small phone, reviewed.
""",
    "phones/battery-swap.md": """\
---
title: Battery swaps are back
date: 2026-10-02T18:30:00+02:00
category: Phones
---
Batteries you can change yourself.
""",
    "science/comet.md": """\
---
title: A comet visits the inner solar system
date: 2026-11-24T07:15:00+01:00
category: Science
---
Look east before sunrise.
""",
    "science/fusion.md": """\
---
title: Fusion record, explained
date: 2026-09-15T12:00:00+02:00
category: Science
---
What the new record means.
""",
}
# Newest first, as the feeds and their pages list them (written by hand from ARTICLES).
ALL_TITLES = [
    "A comet visits the inner solar system",
    "Pocket review: small & <mighty>",
    "Battery swaps are back",
    "Fusion record, explained",
]


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    if CHROMIUM is None:
        pytest.skip("chromium not installed: apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built by the real build; its output folder."""
    root = tmp_path_factory.mktemp("site")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    for relative, text in ARTICLES.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    report = build_site(load_config(root / "config.yaml"), now=NOW)
    assert report.problems == () and report.findings == (), report
    return root / "public"


@pytest.fixture(scope="module")
def base_url(output: Path) -> Iterator[str]:
    """`feeds.serve` on a free loopback port, in a thread, for the whole module."""
    with serving(make_server(output, host="127.0.0.1", port=0, quiet=True)) as url:
        yield url


def run_chromium(binary: str, profile: Path, *arguments: str) -> str:
    """Run headless Chromium once with a fresh profile; its stdout. The process group is
    killed afterwards (renderer and helper processes included), also on a timeout."""
    home = profile / "home"
    home.mkdir(parents=True)
    env = {
        **os.environ,
        "HOME": str(home),  # crash reports and caches stay in the temporary folder
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    command = [binary, *FLAGS, f"--user-data-dir={profile / 'profile'}", *arguments]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own process group: killpg reaches only what it started
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        pytest.fail(f"chromium did not finish within {TIMEOUT} s: {' '.join(command)}")
    finally:
        _kill_group(process.pid)
    assert process.returncode == 0, stderr.decode("utf-8", "replace")[-2000:]
    return stdout.decode("utf-8")


def _kill_group(group: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # every process of the group has exited
        os.killpg(group, signal.SIGKILL)


def dump_dom(binary: str, profile: Path, url: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(run_chromium(binary, profile, "--dump-dom", url))


def get(url: str, accept: str) -> tuple[http.client.HTTPResponse, bytes]:
    host, _, rest = url.removeprefix("http://").partition("/")
    name, _, port = host.partition(":")
    connection = http.client.HTTPConnection(name, int(port), timeout=10)
    try:
        connection.request("GET", "/" + rest, headers={"Accept": accept})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def vary(response: http.client.HTTPResponse) -> list[str]:
    return [part.strip() for part in (response.getheader("Vary") or "").split(",")]


# -- a browser gets the page -----------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".rss.xml", ".atom.xml", ".json"])
def test_browser_opening_the_site_feed_sees_its_page(
    chromium: str, base_url: str, tmp_path: Path, suffix: str
) -> None:
    dom = dump_dom(chromium, tmp_path, f"{base_url}/feeds/all{suffix}")
    # The HTML page, rendered: not the XML (or JSON) shown as text in a <pre>.
    assert dom.xpath("//pre") == []
    assert dom.findtext(".//title") == "Fixture News"
    assert dom.xpath("//h1/text()") == ["Fixture News"]
    assert dom.xpath("//main/ul[2]/li/a/text()") == ALL_TITLES
    assert dom.xpath("//main/ul[2]/li/a/@href")[1] == (
        "https://fixture.example/articles/pocket-review/"
    )
    assert dom.xpath("//main/ul[2]/li[1]//time/text()") == ["2026-11-24 07:15 CET"]
    assert [str(code.text_content()) for code in dom.xpath("//ul[@class='urls']//code")] == [
        "https://fixture.example/feeds/all.rss.xml",
        "https://fixture.example/feeds/all.atom.xml",
        "https://fixture.example/feeds/all.json",
    ]


def test_browser_opening_a_category_feed_sees_only_its_entries(
    chromium: str, base_url: str, tmp_path: Path
) -> None:
    dom = dump_dom(chromium, tmp_path, f"{base_url}/feeds/category/science.atom.xml")
    assert dom.xpath("//h1/text()") == ["Fixture News: Science"]
    assert dom.xpath("//main/ul[2]/li/a/text()") == [
        "A comet visits the inner solar system",
        "Fusion record, explained",
    ]


def test_browser_opening_the_site_sees_the_index_with_autodiscovery(
    chromium: str, base_url: str, tmp_path: Path
) -> None:
    dom = dump_dom(chromium, tmp_path, f"{base_url}/")
    assert dom.xpath("//h1/text()") == ["Fixture News: feeds"]
    assert [
        (link.get("rel"), link.get("type"), link.get("href"))
        for link in dom.xpath("/html/head/link")
    ] == [
        ("alternate", "application/rss+xml", "https://fixture.example/feeds/all.rss.xml"),
        ("alternate", "application/atom+xml", "https://fixture.example/feeds/all.atom.xml"),
        ("alternate", "application/feed+json", "https://fixture.example/feeds/all.json"),
        ("outline", "text/x-opml", "https://fixture.example/feeds.opml"),
    ]
    assert [
        (item.xpath("./a")[0].text, item.xpath("./span[@class='meta']")[0].text)
        for item in dom.xpath("//main/ul/li")
    ] == [("All articles", "4 articles"), ("Phones", "2 articles"), ("Science", "2 articles")]


# -- a feed reader gets the feed, and both answers say they vary -----------------------------


def recorded_accept(binary: str, profile: Path) -> str:
    """The `Accept` header Chromium sends when it navigates, recorded by a throwaway server."""
    seen: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Accept", ""))
            body = b"<!DOCTYPE html><title>recorded</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Recorder)) as url:
        run_chromium(binary, profile, "--dump-dom", f"{url}/x")
    assert seen, "chromium made no request"
    return seen[0]


def test_browser_and_reader_get_different_answers_for_one_url_both_with_vary_accept(
    chromium: str, base_url: str, output: Path, tmp_path: Path
) -> None:
    browser_accept = recorded_accept(chromium, tmp_path)
    assert browser_accept.startswith("text/html,")

    url = f"{base_url}/feeds/all.rss.xml"
    page, page_body = get(url, browser_accept)
    assert page.status == 200
    assert page.getheader("Content-Type") == "text/html; charset=utf-8"
    assert "Accept" in vary(page)
    assert page_body == (output / "feeds/all.html").read_bytes()

    feed, feed_body = get(url, READER_ACCEPT)
    assert feed.status == 200
    assert feed.getheader("Content-Type") == "application/rss+xml; charset=utf-8"
    assert "Accept" in vary(feed)
    assert feed_body == (output / "feeds/all.rss.xml").read_bytes()
    channel = etree.fromstring(feed_body, etree.XMLParser(resolve_entities=False))
    assert channel.tag == "rss"
    assert channel.xpath("channel/item/title/text()") == ALL_TITLES


# -- on a phone ------------------------------------------------------------------------------


def test_feed_page_renders_at_phone_size(chromium: str, base_url: str, tmp_path: Path) -> None:
    """A screenshot at 412x915 CSS px (a common phone). Set FEEDS_SCREENSHOT_DIR to keep it
    for a look; the test checks that Chromium painted a page of that size."""
    shot = tmp_path / "feed-page.png"
    run_chromium(
        chromium,
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=412,915",
        f"{base_url}/feeds/category/phones.rss.xml",
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (412, 915)
    keep = os.environ.get("FEEDS_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / shot.name)
