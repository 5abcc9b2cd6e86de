"""The preview server, over real HTTP on loopback: types, validators, 304s, gzip, HEAD,
traversal attempts, browser/reader content negotiation, and files replaced under it."""

from __future__ import annotations

import gzip
import http.client
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from feeds.httpheaders import (
    accepts_gzip,
    content_type,
    etag_matches,
    modified_since,
    wants_page,
)
from feeds.publish import publish_files
from feeds.serve import Refused, Target, make_server, parse_target

CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8"
)
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
READER = "application/rss+xml, application/xml;q=0.9, */*;q=0.8"

RSS = b'<rss version="2.0"/>\n'
RSS_ETAG = '"81338eea262d975f62a665f70269ceaa"'  # sha256sum of RSS, first 32 hex digits
RSS_MTIME = 1_700_000_000  # Tue, 14 Nov 2023 22:13:20 GMT
BIG = b"<feed>" + b"<entry>compressible text</entry>" * 200 + b"</feed>"
SECRET = b"TOP SECRET: never served"

SITE = {
    "index.html": b"<!doctype html><title>Feeds</title>",
    "feeds.opml": b"<opml version='2.0'/>",
    "sitemap.xml": b"<urlset/>",
    "style.css": b"body{}",
    "logo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 600,
    "data.json": b"{}",
    "blob.bin": b"\x00\x01",
    "feeds/all.rss.xml": RSS,
    "feeds/all.atom.xml": BIG,
    "feeds/all.json": b'{"version": "https://jsonfeed.org/version/1.1"}',
    "feeds/all.html": b"<!doctype html><title>All articles</title>",
    "feeds/category/tech.atom.xml": b"<feed/>",  # no sibling page
}


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes


@dataclass
class Site:
    root: Path
    port: int

    def request(
        self, path: str, headers: dict[str, str] | None = None, method: str = "GET"
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()

    def raw(self, request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(request)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Site]]:
    servers = []

    def start(max_age: int = 300, quiet: bool = True) -> Site:
        root = tmp_path / "public"
        if not root.exists():
            assert publish_files(root, SITE).ok
            os.utime(root / "feeds/all.rss.xml", (RSS_MTIME, RSS_MTIME))
            (tmp_path / "secret.txt").write_bytes(SECRET)
            (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
            (root / "outside").symlink_to(tmp_path)
            (root / ".hidden").write_bytes(SECRET)
        server = make_server(root, port=0, max_age=max_age, quiet=quiet)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        servers.append((server, thread))
        return Site(root=root, port=server.server_address[1])

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def site(serve: Callable[..., Site]) -> Site:
    return serve()


# --- pure helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "segments", "directory"),
    [
        ("/", (), True),
        ("/feeds/all.rss.xml", ("feeds", "all.rss.xml"), False),
        ("/feeds/", ("feeds",), True),
        ("//feeds///all.rss.xml", ("feeds", "all.rss.xml"), False),
        ("/feeds/all.rss.xml?utm=x#top", ("feeds", "all.rss.xml"), False),
        ("/feeds/caf%C3%A9.rss.xml", ("feeds", "café.rss.xml"), False),
        ("http://example.org/feeds/all.rss.xml", ("feeds", "all.rss.xml"), False),
    ],
)
def test_parse_target(raw: str, segments: tuple[str, ...], directory: bool) -> None:
    assert parse_target(raw) == Target(segments=segments, directory=directory)


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("feeds/all.rss.xml", 400),
        ("*", 400),
        ("/a%00b", 400),
        ("/a\x00b", 400),
        ("/a\x1bb", 400),
        ("/%ff%fe", 400),  # not UTF-8
        ("/../etc/passwd", 404),
        ("/feeds/../../etc/passwd", 404),
        ("/%2e%2e/etc/passwd", 404),
        ("/%2E%2E/etc/passwd", 404),
        ("/.%2e/etc/passwd", 404),
        ("/feeds%2f..%2f..%2fetc%2fpasswd", 404),
        ("/feeds%2F..", 404),
        ("/..%5cetc%5cpasswd", 404),
        ("/..\\etc\\passwd", 404),
        ("/./feeds/all.rss.xml", 404),
        ("/.git/config", 404),
        ("/feeds/.all.rss.xml.0123456789ab.tmp", 404),
        ("http://example.org/../etc/passwd", 404),
    ],
)
def test_parse_target_refuses(raw: str, status: int) -> None:
    with pytest.raises(Refused) as caught:
        parse_target(raw)
    assert caught.value.status == status


def test_a_target_url_is_canonical_and_never_protocol_relative() -> None:
    assert Target(("feeds",), directory=True).url() == "/feeds/"
    assert Target(("evil.example", "x y"), directory=True).url() == "/evil.example/x%20y/"
    assert Target((), directory=True).url() == "/"


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("feeds/all.rss.xml", "application/rss+xml; charset=utf-8"),
        ("feeds/category/a/b.atom.xml", "application/atom+xml; charset=utf-8"),
        ("feeds/all.json", "application/feed+json; charset=utf-8"),
        ("data.json", "application/json; charset=utf-8"),
        ("feeds.opml", "text/x-opml; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("feeds/style.xsl", "text/xsl; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("logo.PNG", "image/png"),
        ("blob.bin", "application/octet-stream"),
    ],
)
def test_content_type(relative: str, expected: str) -> None:
    assert content_type(relative) == expected


@pytest.mark.parametrize(
    ("accept", "page"),
    [
        (CHROMIUM, True),
        (FIREFOX, True),
        ("text/html", True),
        ("text/html;q=0.9, application/xml;q=0.8", True),
        (READER, False),
        (None, False),  # no header: */*
        ("*/*", False),
        ("", False),
        ("text/*", False),  # HTML is not preferred over xml types that text/* also covers
        ("text/html, application/rss+xml;q=0.5", False),  # names a feed type
        ("text/html, application/atom+xml;q=0.1", False),
        ("text/html, application/feed+json;q=0.1", False),
        ("text/html, application/xml", False),  # a tie goes to the feed
        ("text/html;q=0.5, */*", False),  # everything else preferred
        ("text/html;q=0, */*;q=0.8", False),
        ("application/rss+xml;q=0, text/html", True),  # q=0 means "not acceptable"
        ("TEXT/HTML", True),
        ("text/html;q=2", False),  # malformed weight: the range is dropped
    ],
)
def test_wants_page(accept: str | None, page: bool) -> None:
    assert wants_page(accept) is page


@pytest.mark.parametrize(
    ("header", "gzip_ok"),
    [
        (None, False),
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("GZIP", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("gzip;q=0.001", True),
        ("br, *;q=0.5", True),
        ("*", True),
        ("br, *;q=0", False),
        ("gzip;q=0, *", False),  # an explicit gzip entry wins over the wildcard
        ("identity", False),
        ("", False),
    ],
)
def test_accepts_gzip(header: str | None, gzip_ok: bool) -> None:
    assert accepts_gzip(header) is gzip_ok


@pytest.mark.parametrize(
    ("header", "match"),
    [
        ('"abc"', True),
        ('W/"abc"', True),  # weak comparison (RFC 9110 §13.1.2)
        ('"x", "abc"', True),
        ('"x",W/"abc"', True),
        ("*", True),
        ('"abcd"', False),
        ('"x", "y"', False),
        ("abc", False),  # not an entity-tag
        ("", False),
    ],
)
def test_etag_matches(header: str, match: bool) -> None:
    assert etag_matches(header, "abc") is match


def test_modified_since() -> None:
    assert modified_since("Tue, 14 Nov 2023 22:13:20 GMT", RSS_MTIME + 0.9) is False
    assert modified_since("Tue, 14 Nov 2023 22:13:21 GMT", RSS_MTIME) is False
    assert modified_since("Tue, 14 Nov 2023 22:13:19 GMT", RSS_MTIME) is True
    assert modified_since("Tuesday, 14-Nov-23 22:13:20 GMT", RSS_MTIME) is False  # RFC 850
    assert modified_since("yesterday", RSS_MTIME) is True


# --- over HTTP ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feeds/all.rss.xml", "application/rss+xml; charset=utf-8"),
        ("/feeds/all.atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feeds/all.json", "application/feed+json; charset=utf-8"),
        ("/feeds/all.html", "text/html; charset=utf-8"),
        ("/feeds.opml", "text/x-opml; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/logo.png", "image/png"),
        ("/blob.bin", "application/octet-stream"),
    ],
)
def test_content_types_over_http(site: Site, path: str, expected: str) -> None:
    response = site.request(path)
    assert response.status == 200
    assert response.headers["Content-Type"] == expected
    assert response.body == SITE[path.lstrip("/")]


def test_a_feed_carries_validators_and_caching_headers(site: Site) -> None:
    response = site.request("/feeds/all.rss.xml")
    assert response.status == 200
    assert response.body == RSS
    assert response.headers["ETag"] == RSS_ETAG
    assert response.headers["Last-Modified"] == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Content-Length"] == str(len(RSS))
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    assert response.headers.get("Content-Encoding") is None


def test_max_age_comes_from_the_caller(serve: Callable[..., Site]) -> None:
    site = serve(max_age=60)
    assert site.request("/feeds/all.rss.xml").headers["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("if_none_match", [RSS_ETAG, "W/" + RSS_ETAG, f'"other", {RSS_ETAG}', "*"])
def test_if_none_match_gives_304(site: Site, if_none_match: str) -> None:
    response = site.request("/feeds/all.rss.xml", {"If-None-Match": if_none_match})
    assert response.status == 304
    assert response.body == b""
    assert response.headers["ETag"] == RSS_ETAG
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    assert response.headers.get("Content-Type") is None


def test_a_stale_if_none_match_gives_200(site: Site) -> None:
    response = site.request("/feeds/all.rss.xml", {"If-None-Match": '"stale"'})
    assert response.status == 200
    assert response.body == RSS


@pytest.mark.parametrize(
    ("since", "status"),
    [
        ("Tue, 14 Nov 2023 22:13:20 GMT", 304),
        ("Wed, 15 Nov 2023 00:00:00 GMT", 304),
        ("Tue, 14 Nov 2023 22:13:19 GMT", 200),
        ("not a date", 200),
    ],
)
def test_if_modified_since(site: Site, since: str, status: int) -> None:
    response = site.request("/feeds/all.rss.xml", {"If-Modified-Since": since})
    assert response.status == status
    assert response.body == (b"" if status == 304 else RSS)


def test_if_none_match_takes_precedence_over_if_modified_since(site: Site) -> None:
    headers = {"If-None-Match": '"stale"', "If-Modified-Since": "Wed, 15 Nov 2023 00:00:00 GMT"}
    assert site.request("/feeds/all.rss.xml", headers).status == 200


def test_head_has_the_headers_and_no_body(site: Site) -> None:
    response = site.request("/feeds/all.rss.xml", method="HEAD")
    assert response.status == 200
    assert response.body == b""
    assert response.headers["Content-Length"] == str(len(RSS))
    assert response.headers["ETag"] == RSS_ETAG
    assert response.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    # The connection stays usable: the server really sent no body.
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        for method in ("HEAD", "GET"):
            connection.request(method, "/feeds/all.rss.xml")
            answer = connection.getresponse()
            assert answer.read() == (b"" if method == "HEAD" else RSS)
    finally:
        connection.close()


def test_gzip_when_accepted_with_a_weak_etag(site: Site) -> None:
    identity = site.request("/feeds/all.atom.xml")
    response = site.request("/feeds/all.atom.xml", {"Accept-Encoding": "gzip, deflate"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.body) == BIG
    assert len(response.body) < len(BIG)
    assert response.headers["Content-Length"] == str(len(response.body))
    assert response.headers["ETag"] == "W/" + identity.headers["ETag"]
    assert identity.headers["ETag"].startswith('"')
    assert response.headers["Vary"] == "Accept, Accept-Encoding"  # feeds/all.html exists
    again = site.request(
        "/feeds/all.atom.xml",
        {"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]},
    )
    assert again.status == 304
    assert again.headers["ETag"] == response.headers["ETag"]


def test_no_gzip_when_refused_or_pointless(site: Site) -> None:
    refused = site.request("/feeds/all.atom.xml", {"Accept-Encoding": "gzip;q=0, br"})
    assert refused.headers.get("Content-Encoding") is None
    assert refused.body == BIG
    image = site.request("/logo.png", {"Accept-Encoding": "gzip"})
    assert image.headers.get("Content-Encoding") is None
    assert image.headers.get("Vary") is None
    assert image.body == SITE["logo.png"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/../secret.txt", 404),
        ("/feeds/../../secret.txt", 404),
        ("/%2e%2e/secret.txt", 404),
        ("/%2E%2E%2Fsecret.txt", 404),
        ("/feeds%2f..%2f..%2fsecret.txt", 404),
        ("/..%5csecret.txt", 404),
        ("/%252e%252e/secret.txt", 404),  # double-encoded: a literal `%2e%2e` folder
        ("//secret.txt", 404),
        (f"/{'a/' * 3}../../../../secret.txt", 404),
        ("/outside/secret.txt", 404),  # a folder symlink pointing out of the root
        ("/leak.txt", 404),  # a file symlink pointing out of the root
        ("/.hidden", 404),
        ("/%2ehidden", 404),
        ("/a%00/secret.txt", 400),
        ("/%ff", 400),
    ],
)
def test_traversal_attempts_never_leak(site: Site, path: str, status: int) -> None:
    response = site.request(path)
    assert response.status == status
    assert SECRET not in response.body


@pytest.mark.parametrize(
    ("request_line", "status"),
    [
        (b"GET /a\x00b HTTP/1.1", b"400"),
        (b"GET ../secret.txt HTTP/1.1", b"400"),
        (b"GET http://x/../secret.txt HTTP/1.1", b"404"),
        (b"GET http://x/index.html HTTP/1.1", b"200"),
    ],
)
def test_raw_request_targets(site: Site, request_line: bytes, status: bytes) -> None:
    answer = site.raw(request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.split(b" ", 2)[1] == status
    assert SECRET not in answer


def test_folders(site: Site) -> None:
    assert site.request("/").body == SITE["index.html"]
    assert site.request("/").headers["Content-Type"] == "text/html; charset=utf-8"
    redirect = site.request("/feeds")
    assert redirect.status == 301
    assert redirect.headers["Location"] == "/feeds/"
    assert site.request("/feeds/").status == 404  # no index.html, no listing
    (site.root / "feeds/index.html").write_bytes(b"feeds index")
    assert site.request("/feeds/").body == b"feeds index"
    assert site.request("/feeds/all.rss.xml/").status == 404
    assert site.request("/missing.rss.xml").status == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_get_405(site: Site, method: str) -> None:
    response = site.request("/feeds/all.rss.xml", method=method)
    assert response.status == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_an_unknown_method_gets_501(site: Site) -> None:
    assert site.request("/", method="BREW").status == 501


def test_a_browser_gets_the_page_and_a_reader_the_feed(site: Site) -> None:
    for accept in (CHROMIUM, FIREFOX):
        page = site.request("/feeds/all.rss.xml", {"Accept": accept})
        assert page.status == 200
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        assert page.body == SITE["feeds/all.html"]
        assert page.headers["Vary"] == "Accept, Accept-Encoding"
    feed = site.request("/feeds/all.rss.xml", {"Accept": READER})
    assert feed.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert feed.body == RSS
    assert feed.headers["Vary"] == "Accept, Accept-Encoding"
    assert feed.headers["ETag"] == RSS_ETAG
    json_page = site.request("/feeds/all.json", {"Accept": CHROMIUM})
    assert json_page.body == SITE["feeds/all.html"]


def test_the_page_variant_has_its_own_validators(site: Site) -> None:
    page = site.request("/feeds/all.rss.xml", {"Accept": CHROMIUM})
    assert page.headers["ETag"] != RSS_ETAG
    again = site.request(
        "/feeds/all.rss.xml", {"Accept": CHROMIUM, "If-None-Match": page.headers["ETag"]}
    )
    assert again.status == 304
    assert again.headers["Vary"] == "Accept, Accept-Encoding"


def test_a_feed_without_a_page_is_always_the_feed(site: Site) -> None:
    response = site.request("/feeds/category/tech.atom.xml", {"Accept": CHROMIUM})
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.body == b"<feed/>"
    assert response.headers["Vary"] == "Accept-Encoding"


def test_a_file_replaced_between_requests_is_served_fresh(site: Site) -> None:
    first = site.request("/feeds/all.rss.xml")
    report = publish_files(site.root, {"feeds/all.rss.xml": b'<rss version="2.0">new</rss>'})
    assert report.written == ("feeds/all.rss.xml",)
    second = site.request("/feeds/all.rss.xml", {"If-None-Match": first.headers["ETag"]})
    assert second.status == 200
    assert second.body == b'<rss version="2.0">new</rss>'
    assert second.headers["ETag"] != first.headers["ETag"]
    # An unchanged republish keeps the validator: pollers keep getting 304.
    assert publish_files(site.root, {"feeds/all.rss.xml": second.body}).unchanged
    third = site.request("/feeds/all.rss.xml", {"If-None-Match": second.headers["ETag"]})
    assert third.status == 304


def test_binds_loopback_by_default(tmp_path: Path) -> None:
    server = make_server(tmp_path, port=0)
    try:
        assert server.server_address[0] == "127.0.0.1"
    finally:
        server.server_close()


def test_logs_one_line_per_request_with_control_characters_escaped(
    serve: Callable[..., Site], capfd: pytest.CaptureFixture[str]
) -> None:
    site = serve(quiet=False)
    site.request("/index.html")
    site.raw(b"GET /\x1b[31mred HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("127.0.0.1 - ")
    assert lines[0].endswith('"GET /index.html HTTP/1.1" 200 -')
    assert lines[1].endswith('"GET /\\x1b[31mred HTTP/1.1" 400 -')


def test_quiet_logs_nothing(site: Site, capfd: pytest.CaptureFixture[str]) -> None:
    site.request("/index.html")
    site.request("/missing")
    assert capfd.readouterr().err == ""
