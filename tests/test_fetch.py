"""`feeds validate URL` (feeds/fetch.py) against servers it did not write: `feeds serve` and a
real nginx with deploy/nginx.conf, serving the built sample site on loopback, and a
deliberately bad server (no validators, the wrong type and charset, redirects of every kind,
a body that never ends, a gzip bomb). Every server listens on 127.0.0.1 and is stopped by pid
or shut down by the test."""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from loopback import serving

from feeds.cli import cli
from feeds.fetch import PollOptions, poll_feed, validate_url

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-26T12:00:00Z"
FEEDS = Path(sys.executable).parent / "feeds"
PUBLIC_SELF = "https://news.example.org/feeds/all.rss.xml"  # the sample site's rel=self


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(port: int, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    pytest.fail(f"nothing listens on 127.0.0.1:{port}")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout


def rules_of(out: str) -> list[str]:
    return [f["rule"] for f in json.loads(out)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, built once."""
    root = tmp_path_factory.mktemp("sample")
    # Without html.allow_iframes: lint over HTTP has no site config, so the sample's allowed
    # embed would be a SecurityRisk warning there (as W3C says of any iframe).
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = re.sub(r"^html:\n  allow_iframes:.*\n", "", config, flags=re.M)
    (root / "config.yaml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "static", root / "static")
    result = CliRunner().invoke(cli, ["build", "--config", str(root / "config.yaml"), "--now", NOW])
    assert result.exit_code == 0, result.output
    return root


# ---------------------------------------------------------------- feeds serve


@pytest.fixture(scope="module")
def served(sample: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(FEEDS), "serve", "--config", str(sample / "config.yaml"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_feeds_serve_passes_every_http_check(served: str) -> None:
    url = f"{served}/feeds/all.rss.xml"
    code, out = run(url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"GET {url}"
    assert any(line.startswith("  200 OK, ") and "bytes gzip on the wire" in line for line in lines)
    assert "  Content-Type: application/rss+xml; charset=utf-8" in lines
    assert "  document: rss, utf-8" in lines
    assert "  Cache-Control: public, max-age=300" in lines
    assert "  conditional re-request: 304 Not Modified" in lines
    assert f"  rel=self: {PUBLIC_SELF}" in lines
    # The preview serves feeds whose self link is the public URL: the one finding, a warning.
    [finding] = [line for line in lines if not line.startswith(("GET ", "  "))]
    assert finding.startswith(f"{url}:")
    assert f"warning SelfDoesntMatchLocation: rel=self is '{PUBLIC_SELF}'" in finding


@pytest.mark.parametrize("path", ["/feeds/all.atom.xml", "/feeds.opml", "/feeds/all.rss.xml"])
def test_feeds_serve_feeds_lint_clean_over_http(served: str, path: str) -> None:
    code, out = run("--format", "json", f"{served}{path}")
    assert code == 0
    assert set(rules_of(out)) <= {"SelfDoesntMatchLocation"}


def test_feeds_serve_answers_the_validators_it_sends(served: str) -> None:
    poll = poll_feed(f"{served}/feeds/all.atom.xml")
    assert poll.final is not None and poll.final.header("ETag")
    assert poll.conditional is not None and poll.conditional.status == 304
    assert poll.final.header("Content-Encoding") == "gzip"
    assert poll.final.wire_bytes < len(poll.final.body)


def test_a_missing_feed_is_an_http_error(served: str) -> None:
    code, out = run("--format", "json", f"{served}/feeds/no-such.rss.xml")
    assert code == 1
    assert rules_of(out) == ["HttpError"]


# ---------------------------------------------------------------- nginx

nginx_helpers = pytest.importorskip("test_nginx")  # the same start/stop as tests/test_nginx.py


@pytest.fixture(scope="module")
def nginx(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not nginx_helpers.NGINX.exists() or not nginx_helpers.MIME_TYPES.exists():
        pytest.skip("nginx not installed: apt-get install nginx-light (.ci/run installs it)")
    work = tmp_path_factory.mktemp("nginx")
    server = nginx_helpers.start(work, sample / "public", pages=False)
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        nginx_helpers.stop(server.process, server.pid)


@pytest.mark.nginx
def test_nginx_with_the_deploy_config_passes_every_http_check(nginx: str) -> None:
    url = f"{nginx}/feeds/all.rss.xml"
    code, out = run(url)
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("  200 OK, ") and "bytes gzip on the wire" in line for line in lines)
    assert "  Content-Type: application/rss+xml; charset=utf-8" in lines
    assert "  Cache-Control: max-age=300" in lines
    assert "  conditional re-request: 304 Not Modified" in lines
    assert any(line.startswith('  ETag: W/"') for line in lines)  # gzip makes it weak
    assert [line.split(" ")[1:3] for line in lines if not line.startswith(("GET ", "  "))] == [
        ["warning", "SelfDoesntMatchLocation:"]
    ]


@pytest.mark.nginx
@pytest.mark.parametrize("path", ["/feeds/all.atom.xml", "/feeds.opml"])
def test_nginx_serves_every_format_as_pollers_want(nginx: str, path: str) -> None:
    code, out = run("--format", "json", f"{nginx}{path}")
    assert code == 0
    assert set(rules_of(out)) <= {"SelfDoesntMatchLocation"}


@pytest.mark.nginx
def test_nginx_redirects_a_folder_permanently(nginx: str) -> None:
    # nginx answers /feeds with 301 to /feeds/ (a folder); there is no index there: 404.
    code, out = run("--format", "json", f"{nginx}/feeds")
    assert rules_of(out) == ["PermanentRedirect", "HttpError"]
    assert code == 1


# ---------------------------------------------------------------- a bad server

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Bad Server News</title>
    <link>{base}/</link>
    <description>Served badly.</description>
    <atom:link href="{base}{path}" rel="self" type="application/rss+xml"/>
    <atom:link href="{hub}" rel="hub"/>
{items}  </channel>
</rss>
"""
ITEM = """    <item>
      <title>Story {n}</title>
      <link>{base}/story/{n}</link>
      <guid>{base}/story/{n}</guid>
      <pubDate>Tue, 05 Mar 2024 09:30:00 +0000</pubDate>
      <description>The text of story {n}, long enough to be worth compressing.</description>
    </item>
"""
DRIBBLE_SECONDS = 4.0  # the /slow body dribbles one byte each 0.2 s for this long


class Bad(http.server.BaseHTTPRequestHandler):
    """Each path shows one fault a poller meets in the wild."""

    protocol_version = "HTTP/1.1"
    hub = ""
    seen: ClassVar[list[tuple[str, dict[str, str]]]] = []  # (path, request headers), in order

    def log_message(self, format: str, *args: object) -> None:
        pass

    def feed(self, path: str) -> bytes:
        scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
        base = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        items = "".join(ITEM.format(base=base, n=n) for n in range(12))
        hub = self.hub or f"{base}/hub"
        return RSS.format(base=base, path=path, hub=hub, items=items).encode()

    def send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        Bad.seen.append((path, dict(self.headers.items())))
        good = {"Content-Type": "application/rss+xml; charset=utf-8", "Cache-Control": "max-age=60"}
        if path in ("/good.rss", "/caf%C3%A9.rss"):
            etag = '"v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send(304, {"ETag": etag})
                return
            body = gzip.compress(self.feed(path))
            headers = {**good, "ETag": etag, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
            self.send(200, headers, body)
        elif path == "/hub":
            self.send(405, {"Allow": "POST"})
        elif path == "/careless.rss":  # no validators, wrong type and charset, no gzip, no caching
            self.send(200, {"Content-Type": "text/html; charset=iso-8859-1"}, self.feed(path))
        elif path == "/etag-ignored.rss":
            headers = {**good, "ETag": f'"{time.monotonic_ns()}"', "Content-Encoding": "gzip",
                       "Vary": "Accept-Encoding"}  # fmt: skip
            self.send(200, headers, gzip.compress(self.feed(path)))
        elif path == "/moved":
            self.send(301, {"Location": "/good.rss"})
        elif path == "/found":
            self.send(302, {"Location": "/good.rss"})
        elif path == "/to-ftp":
            self.send(302, {"Location": "ftp://127.0.0.1/feed.rss"})
        elif path == "/loop":
            self.send(307, {"Location": "/loop"})
        elif path.startswith("/chain/"):
            self.send(302, {"Location": f"/chain/{int(path[7:]) + 1}"})
        elif path == "/huge.rss":
            self.send(200, good, self.feed(path) + b"<!-- padding -->" * 20_000)
        elif path == "/bomb.rss":  # 50 MB of zeros in 50 kB of gzip
            bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
            self.send(200, {**good, "Content-Encoding": "gzip", "ETag": '"b"'}, bomb)
        elif path == "/brotli.rss":
            self.send(
                200, {**good, "Content-Encoding": "br", "ETag": '"b"'}, b"\x8b\x02\x80abc\x03"
            )
        elif path == "/slow.rss":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            end = time.monotonic() + DRIBBLE_SECONDS
            with contextlib.suppress(OSError):
                while time.monotonic() < end:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
        else:
            self.send(404, {"Content-Type": "text/plain"}, b"not here")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # The validator hangs up on purpose (a body over the limit, a bomb, a slow body).
        if not isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def bad() -> Iterator[str]:
    with serving(Server(("127.0.0.1", 0), Bad)) as url:
        yield url


def test_the_good_path_of_the_test_server_is_clean(bad: str) -> None:
    code, out = run("--format", "json", f"{bad}/good.rss")
    assert (code, json.loads(out)) == (0, [])


def test_no_validators_wrong_type_no_gzip_no_caching_are_all_caught(bad: str) -> None:
    code, out = run("--format", "json", f"{bad}/careless.rss")
    assert code == 0  # warnings: the feed still works
    assert rules_of(out) == [
        "UnexpectedContentType",
        "EncodingMismatch",
        "MissingValidators",
        "Uncompressed",
        "MissingCacheControl",
    ]
    findings = json.loads(out)
    assert "served as 'text/html; charset=iso-8859-1'" in findings[0]["message"]
    assert "charset=iso-8859-1 but the document is utf-8" in findings[1]["message"]


def test_validators_the_server_does_not_honour_are_caught(bad: str) -> None:
    code, out = run("--format", "json", f"{bad}/etag-ignored.rss")
    assert (code, rules_of(out)) == (0, ["ConditionalGetIgnored"])


def test_redirects_are_followed_and_reported_by_kind(bad: str) -> None:
    code, out = run(f"{bad}/moved")
    assert code == 0
    assert "  301 Moved Permanently (permanent) -> /good.rss" in out.splitlines()
    assert "warning PermanentRedirect" in out
    # rel=self is the URL redirected to, which counts as the fetched URL
    assert "SelfDoesntMatchLocation" not in out
    code, out = run("--format", "json", f"{bad}/found")
    assert (code, rules_of(out)) == (0, ["TempRedirect"])


@pytest.mark.parametrize(
    ("path", "rule", "says"),
    [
        ("/to-ftp", "RedirectToNonHttp", "redirects to 'ftp://127.0.0.1/feed.rss' (not followed"),
        ("/loop", "TooManyRedirects", "(a redirect loop)"),
        ("/chain/0", "TooManyRedirects", "(more than 5 redirects)"),
    ],
)
def test_redirects_that_lead_nowhere_stop_with_an_error(
    bad: str, path: str, rule: str, says: str
) -> None:
    code, out = run("--format", "json", f"{bad}{path}")
    assert code == 1
    findings = json.loads(out)
    assert findings[-1]["rule"] == rule
    assert says in findings[-1]["message"]
    assert len(findings) <= 7  # at most 6 redirects reported, then the stop


def test_a_body_over_the_limit_is_cut_and_not_linted(bad: str) -> None:
    code, out = run("--format", "json", "--max-bytes", "100000", f"{bad}/huge.rss")
    assert (code, rules_of(out)) == (1, ["FeedTooLarge"])


def test_a_gzip_bomb_stops_at_the_limit(bad: str) -> None:
    started = time.monotonic()
    poll = poll_feed(f"{bad}/bomb.rss", PollOptions(max_bytes=1_000_000))
    assert poll.final is not None and poll.final.truncated
    assert len(poll.final.body) == 1_000_000
    assert time.monotonic() - started < 10


def test_an_encoding_that_was_not_offered_is_a_failed_fetch(bad: str) -> None:
    code, out = run("--format", "json", f"{bad}/brotli.rss")
    assert code == 1
    [finding] = json.loads(out)
    assert finding["rule"] == "FetchFailed"
    assert "Content-Encoding 'br', which was not offered" in finding["message"]


def test_a_body_that_never_ends_is_bounded_in_time(bad: str) -> None:
    started = time.monotonic()
    code, out = run("--format", "json", "--timeout", "1", f"{bad}/slow.rss")
    elapsed = time.monotonic() - started
    assert code == 1
    [finding] = json.loads(out)
    assert finding["rule"] == "FetchFailed"
    assert "no complete answer within 1 s" in finding["message"]
    assert elapsed < DRIBBLE_SECONDS - 1  # gave up before the server stopped dribbling


def test_an_unreachable_hub_is_caught(bad: str) -> None:
    Bad.hub = f"http://127.0.0.1:{free_port()}/hub"  # nothing listens there
    try:
        code, out = run("--format", "json", f"{bad}/good.rss")
    finally:
        Bad.hub = ""
    assert code == 0
    [finding] = json.loads(out)
    assert finding["rule"] == "HubUnreachable"
    assert "Connection refused" in finding["message"]


def test_nothing_listening_is_a_failed_fetch() -> None:
    poll, findings = validate_url(
        f"http://127.0.0.1:{free_port()}/feed.rss", PollOptions(timeout=2)
    )
    assert [f.rule for f in findings] == ["FetchFailed"]
    assert poll.responses == ()


def test_sarif_output_in_url_mode(bad: str) -> None:
    code, out = run("--format", "sarif", f"{bad}/careless.rss")
    assert code == 0
    [run_log] = json.loads(out)["runs"]
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_log["results"]
    }
    assert uris == {f"{bad}/careless.rss"}


def test_url_mode_is_only_for_http_urls(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "ftp://example.com/feed.rss"])
    assert result.exit_code == 2  # not a file, not an http(s) URL: a usage error
    assert "does not exist" in result.output


# ---------------------------------------------------------------- HTTPS

OPENSSL = shutil.which("openssl")


def make_certificate(folder: Path, name: str, san: str) -> tuple[Path, Path]:
    """A self-signed certificate for `san` (e.g. IP:127.0.0.1), made by the openssl program."""
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        [str(OPENSSL), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={name}", "-addext", f"subjectAltName={san}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    """The bad server's handler over TLS with a certificate for 127.0.0.1, and one whose
    certificate names another host: (base URL, the CA file, the wrong-host base URL)."""
    if OPENSSL is None:
        pytest.skip("openssl not installed: apt-get install openssl (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("tls")
    servers = []
    for name, san in (("loopback", "IP:127.0.0.1"), ("elsewhere", "DNS:news.example.org")):
        cert, key = make_certificate(folder, name, san)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server = Server(("127.0.0.1", 0), Bad)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, cert))
    (good, good_cert), (wrong, wrong_cert) = servers
    bundle = folder / "both.pem"
    bundle.write_bytes(good_cert.read_bytes() + wrong_cert.read_bytes())
    try:
        yield (
            f"https://127.0.0.1:{good.server_address[1]}",
            bundle,
            f"https://127.0.0.1:{wrong.server_address[1]}",
        )
    finally:
        for server, _ in servers:
            server.shutdown()
            server.server_close()


def test_https_with_a_trusted_certificate_is_polled_like_http(tls: tuple[str, Path, str]) -> None:
    base, bundle, _ = tls
    poll, findings = validate_url(f"{base}/good.rss", PollOptions(cafile=str(bundle)))
    assert findings == []
    assert poll.conditional is not None and poll.conditional.status == 304
    assert poll.hubs[0].status == 405  # the hub at the same https origin


def test_https_certificates_are_checked(tls: tuple[str, Path, str]) -> None:
    base, bundle, wrong = tls
    _, untrusted = validate_url(f"{base}/good.rss", PollOptions(timeout=5))
    assert [f.rule for f in untrusted] == ["FetchFailed"]
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted[0].message
    _, other_host = validate_url(f"{wrong}/good.rss", PollOptions(timeout=5, cafile=str(bundle)))
    assert [f.rule for f in other_host] == ["FetchFailed"]
    assert "IP address mismatch" in other_host[0].message or "match" in other_host[0].message


def test_an_iri_is_requested_as_its_uri(bad: str) -> None:
    # RFC 3987 §3.1: the path goes out percent-encoded as UTF-8; the feed's self link,
    # written as a URI, is the same address.
    poll, findings = validate_url(f"{bad}/café.rss")
    assert poll.final is not None and poll.final.status == 200
    assert findings == []


def test_a_poll_is_polite_and_asks_only_what_it_needs(bad: str) -> None:
    Bad.seen.clear()
    code, _ = run("--format", "json", f"{bad}/good.rss")
    assert code == 0
    # The feed, the same feed again with its validator, the hub it names: nothing else.
    assert [path for path, _ in Bad.seen] == ["/good.rss", "/good.rss", "/hub"]
    first, again, _ = (headers for _, headers in Bad.seen)
    assert first["User-Agent"].startswith("feeds/")
    assert first["Accept"].startswith("application/rss+xml, application/atom+xml")
    assert first["Accept-Encoding"] == "gzip, deflate"
    assert "If-None-Match" not in first
    assert again["If-None-Match"] == '"v1"'
