"""Local preview server for the output folder that answers like a careful production server.

Only files inside the output folder are served, read fresh on every request (a build may
replace them at any moment). Conditional GET follows RFC 9110 §13: a strong `ETag` from the
bytes for identity responses, a weak one for gzip (as nginx does), `Last-Modified` from the
file's mtime, 304 for `If-None-Match` (weak comparison) or else `If-Modified-Since`.
A browser asking for a feed URL gets the feed's HTML page instead (`Vary: Accept`).
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import os
import re
import socket
import socketserver
import stat
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from feeds.layout import feed_page_path, is_feed_path

# Longest suffix first: `.rss.xml` before `.xml`. Feed JSON lives under feeds/ (see below).
_TYPES: tuple[tuple[str, str], ...] = (
    (".rss.xml", "application/rss+xml; charset=utf-8"),
    (".atom.xml", "application/atom+xml; charset=utf-8"),
    (".opml", "text/x-opml; charset=utf-8"),
    (".html", "text/html; charset=utf-8"),
    (".htm", "text/html; charset=utf-8"),
    (".xml", "application/xml; charset=utf-8"),
    (".xsl", "text/xsl; charset=utf-8"),
    (".json", "application/json; charset=utf-8"),
    (".css", "text/css; charset=utf-8"),
    (".js", "text/javascript; charset=utf-8"),
    (".txt", "text/plain; charset=utf-8"),
    (".svg", "image/svg+xml; charset=utf-8"),
    (".png", "image/png"),
    (".jpg", "image/jpeg"),
    (".jpeg", "image/jpeg"),
    (".gif", "image/gif"),
    (".webp", "image/webp"),
    (".avif", "image/avif"),
    (".ico", "image/vnd.microsoft.icon"),
    (".woff2", "font/woff2"),
    (".pdf", "application/pdf"),
    (".mp3", "audio/mpeg"),
    (".mp4", "video/mp4"),
)
_FEED_JSON = "application/feed+json; charset=utf-8"  # JSON Feed 1.1 §"Suggestions"
_DEFAULT_TYPE = "application/octet-stream"

# Media types that mean "I can read a feed". The specific ones, when named at all, always
# get the feed; the generic ones only when the client ranks them at least as high as HTML,
# because every browser names `application/xml;q=0.9` in its navigation Accept header.
_SPECIFIC_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_GENERIC_FEED_TYPES = ("application/xml", "text/xml", "application/json")

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_RANGE = re.compile(rf"^({_TOKEN})/({_TOKEN})$")
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")  # RFC 9110 §12.4.2
_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')  # RFC 9110 §8.8.3
_ETAG_CACHE_LIMIT = 4096
# Request lines are logged: escape control characters so a client cannot forge log lines.
_UNPRINTABLE = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}


class Refused(Exception):
    """A request target that is malformed (400) or points where nothing is served (404)."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


@dataclass(frozen=True, slots=True)
class Target:
    """A request target as plain path segments; `directory` when the URL ended with `/`."""

    segments: tuple[str, ...]
    directory: bool

    @property
    def relative(self) -> str:
        return "/".join(self.segments)

    def url(self) -> str:
        """The canonical, percent-encoded URL path of this target."""
        path = "/" + "/".join(quote(segment, safe="") for segment in self.segments)
        return path if path.endswith("/") or not self.directory else path + "/"


def parse_target(raw: str) -> Target:
    """Turn a request target into path segments, or raise `Refused`.

    400 for a target that is not a path (no leading `/`), bad percent-encoding, invalid UTF-8,
    or control characters (NUL included); 404 for anything that could leave the served folder
    or reach a hidden file: `.`/`..`/`.x` segments (also percent-encoded), encoded `/` or `\\`,
    and backslashes. Empty segments are merged (`//a` is `/a`); query and fragment ignored.
    """
    # An absolute-form target (RFC 9112 §3.2.2, `GET http://host/path`) names its path too.
    path = urlsplit(raw).path if "://" in raw and not raw.startswith("/") else raw
    path = path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        raise Refused(HTTPStatus.BAD_REQUEST)
    lowered = path.lower()
    if "%00" in lowered:
        raise Refused(HTTPStatus.BAD_REQUEST)
    if "%2f" in lowered or "%5c" in lowered:
        raise Refused(HTTPStatus.NOT_FOUND)
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise Refused(HTTPStatus.BAD_REQUEST) from None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in decoded):
        raise Refused(HTTPStatus.BAD_REQUEST)
    if "\\" in decoded:
        raise Refused(HTTPStatus.NOT_FOUND)
    segments = tuple(segment for segment in decoded.split("/") if segment)
    if any(segment.startswith(".") for segment in segments):
        raise Refused(HTTPStatus.NOT_FOUND)
    return Target(segments=segments, directory=decoded.endswith("/"))


def content_type(relative: str) -> str:
    """The `Content-Type` for a served path (relative to the output folder, `/`-separated)."""
    name = relative.rsplit("/", 1)[-1].lower()
    if name.endswith(".json") and relative.startswith("feeds/"):
        return _FEED_JSON
    for suffix, media_type in _TYPES:
        if name.endswith(suffix):
            return media_type
    return _DEFAULT_TYPE


def parse_accept(header: str | None) -> tuple[tuple[str, float], ...]:
    """Media ranges and their weights (RFC 9110 §12.5.1), lower-cased; malformed ones dropped.

    No header at all means `*/*`.
    """
    if header is None:
        return (("*/*", 1.0),)
    ranges: list[tuple[str, float]] = []
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if not _MEDIA_RANGE.match(media):
            continue
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                weight = float(value) if _QVALUE.match(value) else -1.0
        if weight >= 0:
            ranges.append((media.lower(), weight))
    return tuple(ranges)


def quality(media_type: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The weight `ranges` give `media_type`: the most specific matching range decides."""
    kind = media_type.split("/", 1)[0] + "/*"
    for candidate in (media_type, kind, "*/*"):
        weights = [weight for media, weight in ranges if media == candidate]
        if weights:
            return max(weights)
    return 0.0


def wants_page(accept: str | None) -> bool:
    """True for a browser's navigation: HTML ranked above every feed type, none named."""
    ranges = parse_accept(accept)
    html = quality("text/html", ranges)
    if html <= 0:
        return False
    if any(media in _SPECIFIC_FEED_TYPES and weight > 0 for media, weight in ranges):
        return False
    feed_types = _SPECIFIC_FEED_TYPES + _GENERIC_FEED_TYPES
    return all(html > quality(media, ranges) for media in feed_types)


def accepts_gzip(header: str | None) -> bool:
    """Whether `Accept-Encoding` allows gzip (RFC 9110 §12.5.3); `q=0` means no.

    Without the header the server sends identity, as nginx does.
    """
    if header is None:
        return False
    weights: dict[str, float] = {}
    for item in header.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                weight = float(value) if _QVALUE.match(value) else 0.0
        if coding:
            weights[coding.lower()] = max(weight, weights.get(coding.lower(), 0.0))
    for name in ("gzip", "x-gzip"):
        if name in weights:
            return weights[name] > 0
    return weights.get("*", 0.0) > 0


def etag_matches(if_none_match: str, opaque: str) -> bool:
    """RFC 9110 §13.1.2: `*`, or any listed tag equal to `opaque` by weak comparison."""
    if if_none_match.strip() == "*":
        return True
    position = 0
    text = if_none_match.strip()
    while position < len(text):
        match = _ENTITY_TAG.match(text, position)
        if match is None:
            return False
        if match.group(2) == opaque:
            return True
        position = match.end()
    return False


def modified_since(if_modified_since: str, mtime: float) -> bool:
    """False when the file's mtime (whole seconds) is not after the given HTTP date.

    An unparseable date counts as modified (RFC 9110 §13.1.3: the header is then ignored).
    """
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return True
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return int(mtime) > since.timestamp()


def is_compressible(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0]
    return (
        essence.startswith("text/")
        or essence.endswith(("+xml", "+json"))
        or essence in ("application/xml", "application/json")
    )


class PreviewServer(ThreadingHTTPServer):
    """Serves `root`; keeps a small cache of ETags keyed on (path, inode, mtime_ns, size)."""

    daemon_threads = True

    def __init__(self, root: Path, host: str, port: int, max_age: int, quiet: bool) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.root = root
        self.max_age = max_age
        self.quiet = quiet
        self._etags: dict[tuple[str, int, int, int], str] = {}
        self._etag_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host up in DNS (socket.getfqdn): skip that.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def etag_for(self, path: str, info: os.stat_result, data: bytes) -> str:
        key = (path, info.st_ino, info.st_mtime_ns, info.st_size)
        with self._etag_lock:
            cached = self._etags.get(key)
        if cached is not None:
            return cached
        # 128 bits of SHA-256 of the bytes: equal bytes, equal tag, whoever wrote them.
        value = hashlib.sha256(data).hexdigest()[:32]
        with self._etag_lock:
            if len(self._etags) >= _ETAG_CACHE_LIMIT:
                self._etags.clear()
            self._etags[key] = value
        return value


def make_server(
    root: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    max_age: int = 300,
    quiet: bool = False,
) -> ThreadingHTTPServer:
    """A bound (not yet serving) HTTP server for the files in `root`; `port=0` picks a free
    one (see `server_address`). Call `serve_forever()` and, from another thread, `shutdown()`.
    `quiet` drops the one line per request it otherwise logs to stderr.
    """
    return PreviewServer(root, host, port, max_age, quiet)


@dataclass(frozen=True, slots=True)
class _File:
    real: str
    relative: str  # as the URL names it; decides the content type


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feeds-preview"
    sys_version = ""
    server: PreviewServer

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def version_string(self) -> str:
        return self.server_version

    def _not_allowed(self) -> None:
        # The request body is never read, so the connection cannot carry another request.
        self.close_connection = True
        self._plain(
            HTTPStatus.METHOD_NOT_ALLOWED, extra={"Allow": "GET, HEAD", "Connection": "close"}
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _not_allowed

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            line = (format % args).translate(_UNPRINTABLE)
            sys.stderr.write(f"{self.address_string()} - {line}\n")

    def _serve(self, *, head: bool) -> None:
        try:
            target = parse_target(self.path)
            found = self._locate(target)
        except Refused as refused:
            self._plain(refused.status)
            return
        if isinstance(found, str):  # a folder asked for without its trailing slash
            self._plain(HTTPStatus.MOVED_PERMANENTLY, extra={"Location": found})
            return
        vary = ["Accept-Encoding"]
        if is_feed_path(found.relative):
            page = self._existing(feed_page_path(found.relative))
            if page is not None:
                vary.insert(0, "Accept")
                if wants_page(self.headers.get("Accept")):
                    found = _File(real=page, relative=feed_page_path(found.relative))
        self._send_file(found, vary, head=head)

    def _locate(self, target: Target) -> _File | str:
        """The file a target names, a redirect URL for a bare folder, or `Refused(404)`."""
        relative = target.relative
        real = self._existing(relative, allow_folder=True)
        if real is None:
            raise Refused(HTTPStatus.NOT_FOUND)
        if os.path.isdir(real):
            if target.segments and not target.directory:
                return Target(target.segments, directory=True).url()
            relative = f"{relative}/index.html" if relative else "index.html"
            real = self._existing(relative)
            if real is None:
                raise Refused(HTTPStatus.NOT_FOUND)
        elif target.directory:
            raise Refused(HTTPStatus.NOT_FOUND)  # `/feeds/all.rss.xml/` is not a file
        return _File(real=real, relative=relative)

    def _existing(self, relative: str, *, allow_folder: bool = False) -> str | None:
        """The real path of `relative` if it is a regular file (or folder) inside the root."""
        root = os.path.realpath(self.server.root)
        real = os.path.realpath(os.path.join(root, relative)) if relative else root
        if real != root and os.path.commonpath([root, real]) != root:
            return None  # a symbolic link pointing outside
        try:
            mode = os.stat(real).st_mode
        except OSError:
            return None
        if stat.S_ISREG(mode) or (allow_folder and stat.S_ISDIR(mode)):
            return real
        return None

    def _send_file(self, found: _File, vary: list[str], *, head: bool) -> None:
        try:
            # O_NONBLOCK: a FIFO swapped in after the check must not hang the thread.
            fd = os.open(found.real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            self._plain(HTTPStatus.NOT_FOUND)
            return
        with os.fdopen(fd, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                self._plain(HTTPStatus.NOT_FOUND)
                return
            data = stream.read()
        media_type = content_type(found.relative)
        opaque = self.server.etag_for(found.real, info, data)
        compress = is_compressible(media_type) and accepts_gzip(self.headers.get("Accept-Encoding"))
        headers = {
            "Content-Type": media_type,
            "Last-Modified": email.utils.formatdate(info.st_mtime, usegmt=True),
            # A gzip body is a different byte sequence: its validator is weak (as nginx's).
            "ETag": f'W/"{opaque}"' if compress else f'"{opaque}"',
            "Cache-Control": f"public, max-age={self.server.max_age}",
            "X-Content-Type-Options": "nosniff",
        }
        if is_compressible(media_type):
            headers["Vary"] = ", ".join(vary)
        elif "Accept" in vary:
            headers["Vary"] = "Accept"

        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_none_match is not None:
            unchanged = etag_matches(if_none_match, opaque)
        elif if_modified_since is not None:
            unchanged = not modified_since(if_modified_since, info.st_mtime)
        else:
            unchanged = False
        if unchanged:
            # RFC 9110 §15.4.5: the validators and caching headers of the 200, no body.
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if name in headers:
                    self.send_header(name, headers[name])
            self.end_headers()
            return

        body = gzip.compress(data, mtime=0) if compress else data
        if compress:
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        self.send_response(HTTPStatus.OK)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _plain(self, status: HTTPStatus, *, extra: dict[str, str] | None = None) -> None:
        body = f"{status.value} {status.phrase}\n".encode("ascii")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
