"""`feeds validate URL`: fetch a feed over HTTP(S) the way a polite poller does (the network
edge of the validator). Bounded: each request gets `timeout` seconds for its body and each
socket read waits at most that long; bodies are cut at `max_bytes` (decompressed size too, so
a gzip bomb stops there); at most 5 redirects, never to a non-http(s) URL. The checks of what
came back are pure functions in `feeds.pollcheck`.
"""

from __future__ import annotations

import http.client
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from feeds.findings import Finding
from feeds.lint import lint_feed
from feeds.lint.jsonfeed import lint_json_feed
from feeds.pollcheck import (
    REDIRECTS,
    HubProbe,
    Poll,
    Response,
    Stop,
    body_format,
    check_poll,
    poll_links,
    uri_path,
)
from feeds.version import __version__

USER_AGENT = f"feeds/{__version__} (feed validator)"
# What a feed reader asks for (RFC 9110 §12.5.1): the feed types first.
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
ACCEPT_ENCODING = "gzip, deflate"
_CHUNK = 65536
_HUB_BYTES = 65536  # a hub's answer is read this far and dropped
_MAX_HUBS = 3


@dataclass(frozen=True, slots=True)
class PollOptions:
    timeout: float = 10.0  # seconds per request
    max_bytes: int = 10_000_000  # body limit, on the wire and decompressed
    max_redirects: int = 5
    probe_hubs: bool = True
    cafile: str | None = None  # trust these CA certificates instead of the system's


class _TooSlow(Exception):
    pass


def _read_body(raw: http.client.HTTPResponse, limit: int, deadline: float) -> tuple[bytes, bool]:
    """Up to `limit` bytes of the body; True when there was more. Raises _TooSlow after the
    deadline."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        if time.monotonic() > deadline:
            raise _TooSlow
        chunk = raw.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)[:limit], True


def _decode(body: bytes, coding: str | None, limit: int) -> tuple[bytes, bool]:
    """The body with its Content-Encoding undone, at most `limit` bytes (True when cut)."""
    coding = (coding or "identity").strip().lower()
    if coding in ("identity", ""):
        return body, False
    # RFC 9110 §8.4.1.3: "deflate" is zlib data; some servers send raw deflate.
    tries = {"gzip": (31,), "x-gzip": (31,), "deflate": (15, -15)}.get(coding)
    if tries is None:
        raise ValueError(f"the server used Content-Encoding {coding!r}, which was not offered")
    error: zlib.error | None = None
    for wbits in tries:
        decoder = zlib.decompressobj(wbits)
        try:
            data = decoder.decompress(body, limit + 1)
        except zlib.error as exc:
            error = exc
            continue
        return data[:limit], len(data) > limit or bool(decoder.unconsumed_tail)
    raise ValueError(f"the {coding} body does not decompress: {error}")


def _connection(
    url: str, timeout: float, cafile: str | None
) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL")
    # RFC 3987 §3.1: an IRI's host goes out in IDNA, the rest of it percent-encoded as UTF-8.
    host = parts.hostname.encode("idna").decode("ascii")
    target = uri_path((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
    if parts.scheme == "https":
        # Certificates and host names are checked (ssl's defaults), against `cafile` if given.
        context = ssl.create_default_context(cafile=cafile)
        connection = http.client.HTTPSConnection(host, parts.port, timeout=timeout, context=context)
        return connection, target
    return http.client.HTTPConnection(host, parts.port, timeout=timeout), target


def request(
    url: str, headers: dict[str, str], timeout: float, limit: int, cafile: str | None = None
) -> Response:
    """One GET of `url` (redirects are not followed: they are answers to report). Raises
    OSError, http.client.HTTPException, ValueError or TimeoutError when there is no answer."""
    sent = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    sent.update(headers)
    deadline = time.monotonic() + timeout
    connection, target = _connection(url, timeout, cafile)
    try:
        connection.request("GET", target, headers=sent)
        raw = connection.getresponse()
        wire, cut = _read_body(raw, limit, deadline)
    finally:
        connection.close()
    body, cut_decoded = _decode(wire, raw.getheader("Content-Encoding"), limit)
    return Response(
        url=url,
        status=raw.status,
        reason=raw.reason,
        headers=tuple(raw.getheaders()),
        body=body,
        wire_bytes=len(wire),
        truncated=cut or cut_decoded,
    )


def _failure(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError | _TooSlow):
        return f"no complete answer within {timeout:g} s"
    return str(error) or type(error).__name__


_NO_ANSWER = (OSError, http.client.HTTPException, ValueError, _TooSlow)


def poll_feed(url: str, options: PollOptions = PollOptions()) -> Poll:
    """GET `url` as a poller does, following up to `max_redirects` http(s) redirects, then
    re-request the final URL with its validators and probe the feed's WebSub hubs."""
    responses: list[Response] = []
    current, seen = url, {url}
    while True:
        try:
            response = request(current, {}, options.timeout, options.max_bytes, options.cafile)
        except _NO_ANSWER as error:
            detail = f"{current}: {_failure(error, options.timeout)}"
            return Poll(url, tuple(responses), options.max_bytes, Stop.FAILED, detail)
        responses.append(response)
        location = response.header("Location")
        if response.status not in REDIRECTS or location is None:
            break
        target = urljoin(current, location.strip())
        stop = None
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            stop, why = Stop.NON_HTTP_REDIRECT, "not followed: pollers fetch http(s) only"
        elif target in seen:
            stop, why = Stop.TOO_MANY_REDIRECTS, "a redirect loop"
        elif len(responses) > options.max_redirects:
            stop, why = Stop.TOO_MANY_REDIRECTS, f"more than {options.max_redirects} redirects"
        if stop is not None:
            detail = f"{current} redirects to {target!r} ({why}); point it at the feed itself"
            return Poll(url, tuple(responses), options.max_bytes, stop, detail)
        current = target
        seen.add(target)
    final = responses[-1]
    conditional, conditional_error = _conditional(final, options)
    hubs = _probe_hubs(final, options) if options.probe_hubs and final.status == 200 else ()
    return Poll(url, tuple(responses), options.max_bytes, None, "", conditional,
                conditional_error, hubs)  # fmt: skip


def _conditional(final: Response, options: PollOptions) -> tuple[Response | None, str | None]:
    """RFC 9110 §13.1: the re-request a poller sends next time, with the validators it got."""
    validators = {
        name: value
        for name, value in (
            ("If-None-Match", final.header("ETag")),
            ("If-Modified-Since", final.header("Last-Modified")),
        )
        if value
    }
    if final.status != 200 or not validators:
        return None, None
    try:
        answer = request(final.url, validators, options.timeout, options.max_bytes, options.cafile)
        return answer, None
    except _NO_ANSWER as error:
        return None, _failure(error, options.timeout)


def _probe_hubs(final: Response, options: PollOptions) -> tuple[HubProbe, ...]:
    # WebSub §4: hubs from the Link headers and the document, each probed once.
    hubs = list(dict.fromkeys(k.href for k in poll_links(final) if k.rel == "hub" and k.href))
    probes = []
    for hub in hubs[:_MAX_HUBS]:
        try:
            answer = request(
                urljoin(final.url, hub), {}, options.timeout, _HUB_BYTES, options.cafile
            )
        except _NO_ANSWER as error:
            probes.append(HubProbe(hub, None, _failure(error, options.timeout)))
        else:
            probes.append(HubProbe(hub, answer.status))
    return tuple(probes)


def validate_url(url: str, options: PollOptions = PollOptions()) -> tuple[Poll, list[Finding]]:
    """The poll of `url`, and its findings: the HTTP checks, then lint of the body (when a
    whole 200 response came back)."""
    poll = poll_feed(url, options)
    findings = check_poll(poll)
    final = poll.final
    if final is not None and final.status == 200 and not final.truncated:
        lint = lint_json_feed if body_format(final.body) == "json" else lint_feed
        findings.extend(lint(final.body, url))
    return poll, findings
