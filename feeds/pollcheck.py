"""What a polite poller cares about in a feed fetched over HTTP (issue 15), as pure checks of
the recorded exchange: redirects (permanent or temporary), the status, Content-Type and charset
against the document, validators and the conditional re-request, compression, caching, the
body size, rel=self against the fetched URL and WebSub hubs. `feeds.fetch` records the
exchange; nothing here touches the network.
"""

from __future__ import annotations

import codecs
import enum
import json
import re
from dataclasses import dataclass
from urllib.parse import quote as percent_encode
from urllib.parse import urlsplit, urlunsplit

from feeds.findings import Finding
from feeds.lint import detect_format
from feeds.lint.document import parse
from feeds.lint.report import Report, quote
from feeds.lint.tree import line_of

PERMANENT = (301, 308)  # RFC 9110 §15.4.2, §15.4.9
TEMPORARY = (302, 303, 307)  # RFC 9110 §15.4.3, §15.4.4, §15.4.8
REDIRECTS = PERMANENT + TEMPORARY
COMPRESS_FROM = 1024  # bodies smaller than this gain little from gzip
_FEED_TYPES = {
    "rss": ("application/rss+xml", "application/xml", "text/xml"),
    "atom": ("application/atom+xml", "application/xml", "text/xml"),
    "rdf": ("application/rdf+xml", "application/rss+xml", "application/xml", "text/xml"),
    "opml": ("text/x-opml", "application/xml", "text/xml"),
    "json": ("application/feed+json", "application/json"),
}
_BEST_TYPE = {fmt: types[0] for fmt, types in _FEED_TYPES.items()}
_GENERIC_TYPES = ("application/xml", "text/xml", "application/json")
_XML_DECL = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Stop(enum.Enum):
    """Why the fetch ended before a final response was read."""

    FAILED = "FetchFailed"  # connection refused, DNS, TLS, timeout, a broken response
    NON_HTTP_REDIRECT = "RedirectToNonHttp"
    TOO_MANY_REDIRECTS = "TooManyRedirects"


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP response as received. `body` is decoded (gzip/deflate undone) and holds at
    most the poller's maximum; `wire_bytes` is what came over the connection."""

    url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    wire_bytes: int = 0
    truncated: bool = False

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass(frozen=True, slots=True)
class HubProbe:
    url: str
    status: int | None  # None: no HTTP answer
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Poll:
    """One poll of `url`: every response in order (redirects, then the final one), why it
    stopped early (if it did), the conditional re-request and the hub probes."""

    url: str
    responses: tuple[Response, ...]
    max_bytes: int
    stop: Stop | None = None
    stop_detail: str = ""
    conditional: Response | None = None
    conditional_error: str | None = None
    hubs: tuple[HubProbe, ...] = ()

    @property
    def final(self) -> Response | None:
        last = self.responses[-1] if self.responses else None
        return None if last is None or self.stop is not None else last


@dataclass(frozen=True, slots=True)
class FeedLink:
    rel: str
    href: str
    line: int | None


def feed_links(body: bytes) -> list[FeedLink]:
    """The feed's own links: an Atom feed's or an RSS channel's atom:link elements (a safe
    parse), or JSON Feed 1.1's `feed_url` (as rel=self) and WebSub `hubs` (as rel=hub)."""
    if body_format(body) == "json":
        return _json_links(body)
    root, _ = parse(body)
    if root is None:
        return []
    atom = "{http://www.w3.org/2005/Atom}"
    parent = root.find("channel") if root.tag == "rss" else root
    if parent is None:
        return []
    return [
        FeedLink((el.get("rel") or "alternate").strip(), el.get("href", "").strip(), line_of(el))
        for el in parent.iterchildren(f"{atom}link")
    ]


_LINK_VALUE = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
_REL = re.compile(r"""(?i);\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""")


def header_links(response: Response) -> list[FeedLink]:
    """RFC 8288 Link headers: `<https://hub.example/>; rel="hub"` (WebSub §4 discovery)."""
    links = []
    for key, value in response.headers:
        if key.lower() != "link":
            continue
        for match in _LINK_VALUE.finditer(value):
            rel = _REL.search(match.group(2))
            for name in ((rel.group(1) or rel.group(2)) if rel else "").split():
                links.append(FeedLink(name.lower(), match.group(1).strip(), None))
    return links


def poll_links(response: Response) -> list[FeedLink]:
    """The response's own links: Link headers first (WebSub §4), then the document's."""
    return [*header_links(response), *feed_links(response.body)]


def _json_links(body: bytes) -> list[FeedLink]:
    try:
        document = json.loads(body.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return []  # lint reports it (NotWellFormed)
    if not isinstance(document, dict):
        return []
    links = []
    if isinstance(document.get("feed_url"), str):
        links.append(FeedLink("self", document["feed_url"].strip(), None))
    hubs = document.get("hubs")
    for hub in hubs if isinstance(hubs, list) else []:
        # JSON Feed 1.1 "hubs": objects with type and url; WebSub is the one pollers use.
        websub = isinstance(hub, dict) and str(hub.get("type", "")).lower() == "websub"
        if websub and isinstance(hub.get("url"), str):
            links.append(FeedLink("hub", hub["url"].strip(), None))
    return links


# RFC 3986 reserved and unreserved characters and "%": kept as they are when an IRI's path
# and query are mapped to a URI (RFC 3987 §3.1: everything else percent-encoded as UTF-8).
URI_SAFE = "/?#[]@!$&'()*+,;=:%-._~"


def uri_path(text: str) -> str:
    """An IRI path or query as a URI's (RFC 3987 §3.1), escapes in upper case (§6.2.2.1)."""
    return re.sub(r"%[0-9a-f]{2}", lambda m: m.group().upper(), percent_encode(text, URI_SAFE))


def normal_url(url: str) -> str:
    """RFC 3986 §6.2.2-6.2.3 normalisation for comparing: case of scheme and host, default
    port, empty path, IRI characters and escapes; the fragment dropped."""
    parts = urlsplit(url.strip())
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii").lower()
        port = parts.port
    except ValueError:  # not IDNA-encodable, a bad port: compare as written
        return url.strip()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port is None or port == default else f"{host}:{port}"
    path, query = uri_path(parts.path or "/"), uri_path(parts.query)
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def document_encoding(body: bytes) -> str:
    """The encoding an XML parser uses (XML 1.0 Appendix F): the BOM, else the XML
    declaration, else UTF-8; as Python's codec name."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    match = _XML_DECL.match(body)
    return _codec(match.group(1).decode("ascii")) if match else "utf-8"


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name.lower()


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """(type/subtype in lower case, the charset parameter or None) of a Content-Type."""
    if not content_type:
        return "", None
    kind, *params = content_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return kind.strip().lower(), charset


def body_format(body: bytes) -> str | None:
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return "json"
    return detect_format(body)


def check_poll(poll: Poll) -> list[Finding]:
    """The HTTP findings of one poll, at the levels in `lint/rules.py` (stage "http")."""
    report = Report(file=poll.url, strict=False)
    _check_redirects(poll, report)
    if poll.stop is not None:
        report.add(poll.stop.value, None, poll.stop_detail)
        return report.findings
    final = poll.final
    if final is None:
        return report.findings
    if final.status != 200:
        report.add(
            "HttpError",
            None,
            f"{final.url} answered {final.status} {final.reason}; pollers get no feed: serve "
            "the feed with 200 OK",
        )
        return report.findings
    if final.truncated:
        report.add(
            "FeedTooLarge",
            None,
            f"the body is over {poll.max_bytes:,} bytes and was not read to the end (nor linted); "
            "pollers give up on such feeds: serve fewer entries (feeds.max_entries, "
            "feeds.max_bytes) and move the rest to archives",
        )
        return report.findings
    _check_type(final, report)
    _check_validators(poll, final, report)
    _check_transfer(final, report)
    _check_links(poll, final, report)
    return report.findings


def _check_redirects(poll: Poll, report: Report) -> None:
    for response in poll.responses:
        if response.status not in REDIRECTS:
            continue
        target = response.header("Location") or ""
        if response.status in PERMANENT:
            report.add(
                "PermanentRedirect",
                None,
                f"{response.url} answers {response.status} (permanent) to {quote(target)}: "
                "pollers move their subscription there; link the new address everywhere",
            )
        else:
            report.add(
                "TempRedirect",
                None,
                f"{response.url} answers {response.status} (temporary) to {quote(target)}: "
                "pollers keep polling the old address and pay a redirect every time; serve the "
                "feed at the address people subscribe to, or redirect with 301/308 if it moved",
            )


def _check_type(final: Response, report: Report) -> None:
    content_type = final.header("Content-Type")
    kind, charset = media_type(content_type)
    fmt = body_format(final.body)
    accepted = _FEED_TYPES.get(fmt or "", ())
    if fmt is not None and kind not in accepted:
        report.add(
            "UnexpectedContentType",
            None,
            f"the feed is served as {quote(content_type or '(no Content-Type)')}; readers and "
            f"browsers may not take it for a feed: serve it as {_BEST_TYPE[fmt]}; charset=utf-8",
            field="Content-Type",
        )
    elif fmt is not None and kind in _GENERIC_TYPES:
        report.add(
            "NonSpecificMediaType",
            None,
            f"the feed is served as {quote(content_type or '')}, a type for any "
            f"{kind.split('/')[1].upper()} document; readers and browsers recognise feeds by "
            f"their own type: serve it as {_BEST_TYPE[fmt]}; charset=utf-8",
            field="Content-Type",
        )
    if charset is None:
        return
    actual = "utf-8" if fmt == "json" else document_encoding(final.body)
    if _codec(charset) != actual:
        # RFC 7303 §3.2 (RFC 8259 §8.1 for JSON): the charset parameter wins over the
        # document's own declaration, so readers decode with the wrong table.
        report.add(
            "EncodingMismatch",
            None,
            f"the server says charset={charset} but the document is {actual}; readers decode "
            f"with the server's charset: send charset={actual} (or none)",
            field="Content-Type",
        )


def _check_validators(poll: Poll, final: Response, report: Report) -> None:
    etag, modified = final.header("ETag"), final.header("Last-Modified")
    if etag is None and modified is None:
        report.add(
            "MissingValidators",
            None,
            "the response has neither ETag nor Last-Modified, so every poll downloads the whole "
            "feed again (RFC 9110 §8.8): let the server send them (nginx and `feeds serve` do "
            "for static files)",
            field="ETag",
        )
        return
    sent = " and ".join(
        name for name, value in (("If-None-Match", etag), ("If-Modified-Since", modified)) if value
    )
    if poll.conditional is None:
        report.add(
            "ConditionalGetIgnored",
            None,
            f"the re-request with {sent} failed ({poll.conditional_error}); pollers sending "
            "validators get no answer",
        )
    elif poll.conditional.status != 304:
        report.add(
            "ConditionalGetIgnored",
            None,
            f"the re-request with {sent} for unchanged bytes answered "
            f"{poll.conditional.status} instead of 304 Not Modified (RFC 9110 §13.1): every "
            "poll downloads the whole feed; make the server honour its own validators",
        )


def _check_transfer(final: Response, report: Report) -> None:
    coding = (final.header("Content-Encoding") or "identity").strip().lower()
    vary = [v.strip().lower() for v in (final.header("Vary") or "").split(",")]
    if coding in ("gzip", "x-gzip", "deflate") and not {"accept-encoding", "*"} & set(vary):
        # RFC 9110 §12.5.5: a response chosen by Accept-Encoding names it in Vary, or a shared
        # cache hands the gzip bytes to a client that never asked for them.
        report.add(
            "MissingVary",
            None,
            f"the feed is sent {coding}-compressed without Vary: Accept-Encoding; a shared "
            "cache may give the compressed bytes to a reader that cannot read them: add "
            "Vary: Accept-Encoding (nginx: gzip_vary on)",
            field="Vary",
        )
    if coding not in ("gzip", "x-gzip", "deflate") and len(final.body) >= COMPRESS_FROM:
        report.add(
            "Uncompressed",
            None,
            f"the {len(final.body):,}-byte feed is sent uncompressed although the request "
            "offered gzip and deflate; feeds compress to a fifth or less: turn on gzip for "
            "the feed's media type",
            field="Content-Encoding",
        )
    cache = final.header("Cache-Control")
    if cache is None and final.header("Expires") is None:
        report.add(
            "MissingCacheControl",
            None,
            "the response has no Cache-Control (or Expires), so caches and pollers guess how "
            "long it stays fresh: send e.g. Cache-Control: max-age=300",
            field="Cache-Control",
        )
    elif cache is not None and "no-store" in cache.lower():
        report.add(
            "MissingCacheControl",
            None,
            f"Cache-Control: {cache} forbids keeping the response, so a poller cannot send "
            "validators next time: use max-age (and no-cache if it must revalidate)",
            field="Cache-Control",
        )


def _check_links(poll: Poll, final: Response, report: Report) -> None:
    fetched = {normal_url(poll.url), normal_url(final.url)}
    from_header = set(header_links(final))
    for link in poll_links(final):
        if link.rel == "self" and link.href and normal_url(link.href) not in fetched:
            where = "the Link header's rel=self" if link in from_header else "rel=self"
            report.add(
                "SelfDoesntMatchLocation",
                link.line,
                f"{where} is {quote(link.href)} but the feed was fetched from {final.url}; "
                "readers and WebSub hubs use the self link as the feed's address: make it the "
                "URL the feed is served from",
                field="link",
            )
    for hub in poll.hubs:
        if hub.status is None or hub.status >= 500:
            why = hub.error or f"it answered {hub.status}"
            report.add(
                "HubUnreachable",
                None,
                f"the WebSub hub {hub.url} did not answer ({why}); subscribers relying on it "
                "get no pushes: fix or remove the rel=hub link",
                field="link",
            )


def summary(poll: Poll) -> list[str]:
    """What the poll saw, one line per fact, for a person."""
    lines = [f"GET {poll.url}"]
    for response in poll.responses:
        if response.status in REDIRECTS:
            kind = "permanent" if response.status in PERMANENT else "temporary"
            target = response.header("Location")
            lines.append(f"  {response.status} {response.reason} ({kind}) -> {target}")
    if poll.stop is not None:
        lines.append(f"  stopped: {poll.stop_detail}")
    final = poll.final
    if final is None:
        return lines
    coding = final.header("Content-Encoding")
    wire = f", {final.wire_bytes:,} bytes {coding} on the wire" if coding else ""
    size = (
        f"over {poll.max_bytes:,} bytes (cut)" if final.truncated else f"{len(final.body):,} bytes"
    )
    lines.append(f"  {final.status} {final.reason}, {size}{wire}")
    lines.append(f"  Content-Type: {final.header('Content-Type') or '(none)'}")
    if final.status != 200:
        return lines
    lines.append(f"  document: {body_format(final.body) or 'not a feed'}, "
                 f"{document_encoding(final.body)}")  # fmt: skip
    for name in ("ETag", "Last-Modified", "Cache-Control", "Expires"):
        lines.append(f"  {name}: {final.header(name) or '(none)'}")
    if poll.conditional is not None:
        answer = f"{poll.conditional.status} {poll.conditional.reason}"
        lines.append(f"  conditional re-request: {answer}")
    elif poll.conditional_error:
        lines.append(f"  conditional re-request: failed ({poll.conditional_error})")
    from_header = set(header_links(final))
    for link in poll_links(final):
        if link.rel in ("self", "hub"):
            source = " (Link header)" if link in from_header else ""
            lines.append(f"  rel={link.rel}: {link.href}{source}")
    for hub in poll.hubs:
        answer = f"answered {hub.status}" if hub.status is not None else f"no answer ({hub.error})"
        lines.append(f"  hub {hub.url}: {answer}")
    return lines
