"""deploy/nginx.conf in a real nginx: types with charset, gzip, validators, 304 after an
unchanged republish, 200 with new bytes after a change, and the optional browser-page
snippet. nginx runs on a free loopback port with its own config, pid file and logs, and is
stopped by its pid."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from feeds.publish import publish_files

NGINX = Path("/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
DEPLOY = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf"

pytestmark = [
    pytest.mark.nginx,
    pytest.mark.skipif(
        not NGINX.exists() or not MIME_TYPES.exists(),
        reason="nginx not installed: apt-get install nginx-light (tests/test_nginx.py needs "
        f"{NGINX} and {MIME_TYPES})",
    ),
]

CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8"
)
READER = "application/rss+xml, application/xml;q=0.9, */*;q=0.8"

ENTRY = b"<item><title>An entry long enough to be worth compressing</title></item>"
SITE = {
    "index.html": b"<!doctype html><title>Feeds</title>",
    "feeds.opml": b"<opml version='2.0'><head/><body/></opml>",
    "feeds/all.rss.xml": b'<rss version="2.0"><channel>' + ENTRY * 20 + b"</channel></rss>",
    "feeds/all.atom.xml": b'<feed xmlns="http://www.w3.org/2005/Atom"/>',
    "feeds/all.json": b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
    "feeds/all.html": b"<!doctype html><title>All articles</title>",
    "feeds/category/tech.rss.xml": b'<rss version="2.0"><channel/></rss>',  # no page
}


def site_config(output: Path, port: int, *, pages: bool) -> str:
    """deploy/nginx.conf with only its address and root replaced (and `#[pages] ` removed)."""
    text = DEPLOY.read_text(encoding="utf-8")
    if pages:
        text, count = re.subn(r"(?m)^(\s*)#\[pages\] ?", r"\1", text)
        assert count > 0, "deploy/nginx.conf has no #[pages] lines"
    for old, new in (
        ("    listen 80;\n", f"    listen 127.0.0.1:{port};\n"),
        ("    listen [::]:80;\n", ""),
        ("    root /srv/site/public;\n", f"    root {output};\n"),
    ):
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old.strip()!r}"
        text = text.replace(old, new)
    return text


def main_config(work: Path, site: str) -> str:
    """What /etc/nginx/nginx.conf would wrap around a site, with every path in `work`."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the tmp folder
    temps = "".join(
        f"    {kind}_temp_path {work / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
        f"    access_log {work / 'access.log'};\n{temps}{site}\n}}\n"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes


@dataclass
class Nginx:
    output: Path
    port: int
    pid: int  # the master's, from its pid file
    process: subprocess.Popen[bytes]

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()


def stop(process: subprocess.Popen[bytes], pid: int) -> None:
    """Graceful shutdown by pid (SIGQUIT), then SIGTERM, then SIGKILL, each bounded."""
    for sig, wait in ((signal.SIGQUIT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


def start(work: Path, output: Path, *, pages: bool) -> Nginx:
    last_error = ""
    for _attempt in range(3):  # the free port may be taken between probe and bind
        port = free_port()
        conf = work / "nginx.conf"
        conf.write_text(main_config(work, site_config(output, port, pages=pages)))
        log = work / "error.log"
        log.write_text("")
        process = subprocess.Popen(
            [str(NGINX), "-p", f"{work}/", "-c", str(conf), "-e", str(log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = None
        try:
            deadline = time.monotonic() + 10
            while server is None and time.monotonic() < deadline and process.poll() is None:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), timeout=1),
                ):
                    text = (work / "nginx.pid").read_text().strip()
                    if text:  # nginx creates the file before it writes the pid
                        assert int(text) == process.pid  # daemon off: the master is ours
                        server = Nginx(output=output, port=port, pid=int(text), process=process)
                if server is None:
                    time.sleep(0.05)
        finally:
            if server is None:  # never leave an nginx behind, whatever went wrong
                stop(process, process.pid)
        if server is not None:
            return server
        last_error = log.read_text(errors="replace")
        if "Address already in use" not in last_error:
            break
    pytest.fail(f"nginx did not start:\n{last_error}")


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Callable[..., Nginx]]:
    started: list[Nginx] = []

    def run(*, pages: bool = False) -> Nginx:
        output = tmp_path / "public"
        if not output.exists():
            assert publish_files(output, SITE).written == tuple(sorted(SITE))
            (output / "feeds/.all.rss.xml.0123456789ab.tmp").write_bytes(b"half a feed")
        work = tmp_path / f"nginx-{len(started)}"
        work.mkdir()
        server = start(work, output, pages=pages)
        started.append(server)
        return server

    yield run
    for server in started:
        stop(server.process, server.pid)
        assert server.process.poll() is not None, "nginx survived SIGKILL"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/feeds/all.rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/category/tech.rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/all.atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feeds/all.json", "application/feed+json; charset=utf-8"),
        ("/feeds/all.html", "text/html; charset=utf-8"),
        ("/feeds.opml", "text/x-opml; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
    ],
)
def test_types_charset_and_caching_headers(
    nginx: Callable[..., Nginx], path: str, content_type: str
) -> None:
    server = nginx()
    response = server.get(path)
    assert response.status == 200
    assert response.headers["Content-Type"] == content_type
    assert response.body == SITE["index.html" if path == "/" else path.lstrip("/")]
    assert response.headers["Cache-Control"] == "max-age=300"
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', response.headers["ETag"])  # strong
    assert response.headers["Last-Modified"].endswith(" GMT")


def test_gzip_for_feeds_with_a_weak_etag(nginx: Callable[..., Nginx]) -> None:
    server = nginx()
    identity = server.get("/feeds/all.rss.xml")
    response = server.get("/feeds/all.rss.xml", {"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.body) == SITE["feeds/all.rss.xml"]
    assert response.headers["ETag"] == "W/" + identity.headers["ETag"]
    assert "Accept-Encoding" in response.headers.get_all("Vary", [])


def test_hidden_temp_files_are_not_served(nginx: Callable[..., Nginx]) -> None:
    server = nginx()
    response = server.get("/feeds/.all.rss.xml.0123456789ab.tmp")
    assert response.status == 404
    assert b"half a feed" not in response.body


def test_304_after_an_unchanged_republish_and_200_after_a_change(
    nginx: Callable[..., Nginx],
) -> None:
    server = nginx()
    first = server.get("/feeds/all.rss.xml")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    atom_etag = server.get("/feeds/all.atom.xml").headers["ETag"]

    report = publish_files(server.output, SITE)  # a rebuild with no change
    assert report.written == ()
    assert report.unchanged == tuple(sorted(SITE))
    assert server.get("/feeds/all.rss.xml", {"If-None-Match": etag}).status == 304
    assert server.get("/feeds/all.rss.xml", {"If-Modified-Since": modified}).status == 304

    # A real change of the same length, right away: the same second on most runs, where
    # nginx's "mtime-size" ETag would not change unless the writer moves the mtime on.
    changed = SITE["feeds/all.rss.xml"].replace(b"An entry", b"An ENTRY")
    assert len(changed) == len(SITE["feeds/all.rss.xml"])
    report = publish_files(server.output, {**SITE, "feeds/all.rss.xml": changed})
    assert report.written == ("feeds/all.rss.xml",)

    by_etag = server.get("/feeds/all.rss.xml", {"If-None-Match": etag})
    assert by_etag.status == 200
    assert by_etag.body == changed
    assert by_etag.headers["ETag"] != etag
    by_date = server.get("/feeds/all.rss.xml", {"If-Modified-Since": modified})
    assert by_date.status == 200
    assert by_date.body == changed
    # The other feeds were not touched and still answer 304 to their old validators.
    assert server.get("/feeds/all.atom.xml", {"If-None-Match": atom_etag}).status == 304


def test_the_pages_snippet_gives_browsers_the_page_and_readers_the_feed(
    nginx: Callable[..., Nginx],
) -> None:
    server = nginx(pages=True)
    for path in ("/feeds/all.rss.xml", "/feeds/all.atom.xml", "/feeds/all.json"):
        page = server.get(path, {"Accept": CHROMIUM})
        assert page.status == 200
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        assert page.body == SITE["feeds/all.html"]
        assert "Accept" in page.headers.get_all("Vary", [])
        feed = server.get(path, {"Accept": READER})
        assert feed.body == SITE[path.lstrip("/")]
        assert feed.headers["Content-Type"] != "text/html; charset=utf-8"
        assert "Accept" in feed.headers.get_all("Vary", [])
    no_page = server.get("/feeds/category/tech.rss.xml", {"Accept": CHROMIUM})
    assert no_page.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert no_page.body == SITE["feeds/category/tech.rss.xml"]


def test_without_the_snippet_a_browser_gets_the_feed(nginx: Callable[..., Nginx]) -> None:
    server = nginx()
    response = server.get("/feeds/all.rss.xml", {"Accept": CHROMIUM})
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert "Accept" not in response.headers.get_all("Vary", [])
