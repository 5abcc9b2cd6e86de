"""Local preview server for the output folder that answers like a careful production server.

Only files inside the output folder are served, read fresh on every request (a build may
replace them at any moment). Conditional GET follows RFC 9110 §13: a strong `ETag` from the
bytes for identity responses, a weak one for gzip (as nginx does), `Last-Modified` from the
file's mtime, 304 for `If-None-Match` (weak comparison) or else `If-Modified-Since`.
A browser asking for a feed URL gets the feed's HTML page instead (`Vary: Accept`).
The header rules (media types, negotiation, validators) are `feeds.httpheaders`'.
"""

from __future__ import annotations

import email.utils
import errno
import gzip
import hashlib
import os
import socket
import socketserver
import stat
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from feeds.httpheaders import (
    accepts_gzip,
    content_type,
    etag_matches,
    is_compressible,
    modified_since,
    wants_page,
)
from feeds.layout import feed_page_path, is_feed_path

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


# Holding up under load, like a production server: a listen backlog of 511 (nginx's), a cap on
# connections served at once (more wait in the backlog or, past it, get 503), an idle timeout
# while a request's headers arrive and between requests (nginx's client_header_timeout and
# keepalive_timeout), and a pause instead of a busy loop when accept fails for want of file
# descriptors.
BACKLOG = 511
MAX_CONNECTIONS = 256
HEADER_TIMEOUT = 60.0  # seconds
_OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
    b"Connection: close\r\n\r\n"
)


class PreviewServer(ThreadingHTTPServer):
    """Serves `root`; keeps a small cache of ETags keyed on (path, inode, mtime_ns, size)."""

    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, root: Path, host: str, port: int, max_age: int, quiet: bool) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.root = root
        self.max_age = max_age
        self.quiet = quiet
        self.header_timeout = HEADER_TIMEOUT
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._etags: dict[tuple[str, int, int, int], str] = {}
        self._etag_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def limit(self, *, max_connections: int, header_timeout: float) -> None:
        """Other limits than the defaults (tests); before `serve_forever`."""
        self._slots = threading.BoundedSemaphore(max_connections)
        self.header_timeout = header_timeout

    def get_request(self) -> tuple[socket.socket, Any]:
        try:
            return super().get_request()
        except OSError as error:
            if error.errno in _OUT_OF_RESOURCES:  # the client waits in the backlog meanwhile
                time.sleep(0.1)
            raise

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            with suppress(OSError):
                request.settimeout(1.0)
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

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


# RFC 9110 §15.4.5: a 304 carries the validators and caching headers the 200 would have.
_NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary")


def _existing(root: Path, relative: str, *, allow_folder: bool = False) -> str | None:
    """The real path of `relative` if it is a regular file (or folder) inside `root`."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, relative)) if relative else real_root
    if real != real_root and os.path.commonpath([real_root, real]) != real_root:
        return None  # a symbolic link pointing outside
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or (allow_folder and stat.S_ISDIR(mode)):
        return real
    return None


def _locate(root: Path, target: Target) -> _File | str:
    """The file a target names, a redirect URL for a bare folder, or `Refused(404)`."""
    relative = target.relative
    real = _existing(root, relative, allow_folder=True)
    if real is None:
        raise Refused(HTTPStatus.NOT_FOUND)
    if os.path.isdir(real):
        if target.segments and not target.directory:
            return Target(target.segments, directory=True).url()
        relative = f"{relative}/index.html" if relative else "index.html"
        real = _existing(root, relative)
        if real is None:
            raise Refused(HTTPStatus.NOT_FOUND)
    elif target.directory:
        raise Refused(HTTPStatus.NOT_FOUND)  # `/feeds/all.rss.xml/` is not a file
    return _File(real=real, relative=relative)


def _negotiate(root: Path, found: _File, accept: str | None) -> tuple[_File, list[str]]:
    """The file to send for `found`, and the request headers the response varies on: a feed
    with an HTML page varies on `Accept` too, and a browser's navigation gets the page."""
    vary = ["Accept-Encoding"]
    if is_feed_path(found.relative):
        page = _existing(root, feed_page_path(found.relative))
        if page is not None:
            vary.insert(0, "Accept")
            if wants_page(accept):
                found = _File(real=page, relative=feed_page_path(found.relative))
    return found, vary


def _read(real: str) -> tuple[os.stat_result, bytes] | None:
    """The stat and bytes of the regular file at `real`; None when it is gone or not one."""
    try:
        # O_NONBLOCK: a FIFO swapped in after the check must not hang the thread.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None
        return info, stream.read()


def _unchanged(request: Message, opaque: str, mtime: float) -> bool:
    """Whether the client's copy is current: `If-None-Match` decides when sent, else
    `If-Modified-Since` (RFC 9110 §13.2.2)."""
    if_none_match = request.get("If-None-Match")
    if_modified_since = request.get("If-Modified-Since")
    if if_none_match is not None:
        return etag_matches(if_none_match, opaque)
    if if_modified_since is not None:
        return not modified_since(if_modified_since, mtime)
    return False


def _response(
    file: _File,
    info: os.stat_result,
    data: bytes,
    opaque: str,
    vary: list[str],
    request: Message,
    max_age: int,
) -> tuple[HTTPStatus, dict[str, str], bytes | None]:
    """The status, headers and body (None: no body) answering `request` with `data`: gzip when
    the type compresses and the client takes it, a 304 when its copy is current."""
    media_type = content_type(file.relative)
    compress = is_compressible(media_type) and accepts_gzip(request.get("Accept-Encoding"))
    headers = {
        "Content-Type": media_type,
        "Last-Modified": email.utils.formatdate(info.st_mtime, usegmt=True),
        # A gzip body is a different byte sequence: its validator is weak (as nginx's).
        "ETag": f'W/"{opaque}"' if compress else f'"{opaque}"',
        "Cache-Control": f"public, max-age={max_age}",
        "X-Content-Type-Options": "nosniff",
    }
    if is_compressible(media_type):
        headers["Vary"] = ", ".join(vary)
    elif "Accept" in vary:
        headers["Vary"] = "Accept"
    if _unchanged(request, opaque, info.st_mtime):
        kept = {name: headers[name] for name in _NOT_MODIFIED_HEADERS if name in headers}
        return HTTPStatus.NOT_MODIFIED, kept, None
    body = gzip.compress(data, mtime=0) if compress else data
    if compress:
        headers["Content-Encoding"] = "gzip"
    headers["Content-Length"] = str(len(body))
    return HTTPStatus.OK, headers, body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feeds-preview"
    sys_version = ""
    server: PreviewServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.header_timeout)  # on every read and write

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
        root = self.server.root
        try:
            found = _locate(root, parse_target(self.path))
        except Refused as refused:
            self._plain(refused.status)
            return
        if isinstance(found, str):  # a folder asked for without its trailing slash
            self._plain(HTTPStatus.MOVED_PERMANENTLY, extra={"Location": found})
            return
        found, vary = _negotiate(root, found, self.headers.get("Accept"))
        read = _read(found.real)
        if read is None:
            self._plain(HTTPStatus.NOT_FOUND)
            return
        info, data = read
        opaque = self.server.etag_for(found.real, info, data)
        status, headers, body = _response(
            found, info, data, opaque, vary, self.headers, self.server.max_age
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body is not None and not head:
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
