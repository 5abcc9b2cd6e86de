"""The checks of `feeds validate URL` (feeds/pollcheck.py) on recorded exchanges written by hand:
every rule fires on its fault and stays silent on a good answer."""

from __future__ import annotations

import codecs
import gzip

import pytest

from feeds.findings import Severity
from feeds.pollcheck import (
    HubProbe,
    Poll,
    Response,
    Stop,
    check_poll,
    document_encoding,
    media_type,
    normal_url,
    summary,
)

URL = "https://news.example.com/feeds/all.rss.xml"
RSS = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>\n'
    b"<title>Example News</title><link>https://news.example.com/</link>"
    b"<description>News.</description>\n"
    b'<atom:link href="https://news.example.com/feeds/all.rss.xml" rel="self"/>\n'
    b'<atom:link href="https://hub.example.com/" rel="hub"/>\n'
    + b"<item><title>An item</title></item>\n" * 40
    + b"</channel></rss>\n"
)
GOOD_HEADERS = (
    ("Content-Type", "application/rss+xml; charset=utf-8"),
    ("Content-Encoding", "gzip"),
    ("ETag", 'W/"65e6e1a8-1a882"'),
    ("Last-Modified", "Tue, 05 Mar 2024 09:30:00 GMT"),
    ("Cache-Control", "max-age=300"),
    ("Vary", "Accept-Encoding"),
)


def ok(
    body: bytes = RSS, headers: tuple[tuple[str, str], ...] = GOOD_HEADERS, url: str = URL
) -> Response:
    return Response(url, 200, "OK", headers, body, wire_bytes=len(gzip.compress(body)))


NOT_MODIFIED = Response(URL, 304, "Not Modified", (("ETag", 'W/"65e6e1a8-1a882"'),))
HUB_OK = (HubProbe("https://hub.example.com/", 405),)


def poll(*responses: Response, **kwargs: object) -> Poll:
    values: dict[str, object] = {"conditional": NOT_MODIFIED, "hubs": HUB_OK, **kwargs}
    return Poll(URL, responses, 10_000_000, **values)  # type: ignore[arg-type]


def rules(p: Poll) -> list[str]:
    return [f.rule for f in check_poll(p)]


def without(name: str) -> tuple[tuple[str, str], ...]:
    return tuple(h for h in GOOD_HEADERS if h[0] != name)


def test_a_good_answer_has_no_findings() -> None:
    assert check_poll(poll(ok())) == []


def test_redirects_are_reported_permanent_or_temporary() -> None:
    moved = Response("http://news.example.com/rss", 301, "Moved Permanently", (("Location", URL),))
    found = Response("http://news.example.com/rss", 302, "Found", (("Location", URL),))
    [permanent] = check_poll(poll(moved, ok()))
    [temporary] = check_poll(poll(found, ok()))
    assert (permanent.rule, permanent.level) == ("PermanentRedirect", Severity.WARNING)
    assert permanent.message.startswith(
        f"http://news.example.com/rss answers 301 (permanent) to '{URL}': pollers move"
    )
    assert (temporary.rule, temporary.level) == ("TempRedirect", Severity.WARNING)
    assert "302 (temporary)" in temporary.message
    for status in (307, 303):
        assert rules(
            poll(Response("http://a.example/", status, "", (("Location", URL),)), ok())
        ) == ["TempRedirect"]
    assert rules(poll(Response("http://a.example/", 308, "", (("Location", URL),)), ok())) == [
        "PermanentRedirect"
    ]


@pytest.mark.parametrize(
    ("stop", "rule"),
    [
        (Stop.FAILED, "FetchFailed"),
        (Stop.NON_HTTP_REDIRECT, "RedirectToNonHttp"),
        (Stop.TOO_MANY_REDIRECTS, "TooManyRedirects"),
    ],
)
def test_a_stopped_fetch_is_an_error(stop: Stop, rule: str) -> None:
    stopped = Poll(URL, (), 10_000_000, stop, "what happened")
    [finding] = check_poll(stopped)
    assert (finding.rule, finding.level, finding.message) == (rule, Severity.ERROR, "what happened")
    assert finding.file == URL


def test_a_status_other_than_200_is_an_error() -> None:
    gone = Response(URL, 410, "Gone", (("Content-Type", "text/html"),), b"<html/>")
    [finding] = check_poll(poll(gone))
    assert (finding.rule, finding.level) == ("HttpError", Severity.ERROR)
    assert (
        finding.message
        == f"{URL} answered 410 Gone; pollers get no feed: serve the feed with 200 OK"
    )


def test_a_cut_body_is_too_large_and_nothing_else_is_said() -> None:
    cut = Response(URL, 200, "OK", GOOD_HEADERS, RSS[:100], wire_bytes=100, truncated=True)
    [finding] = check_poll(Poll(URL, (cut,), 100))
    assert (finding.rule, finding.level) == ("FeedTooLarge", Severity.ERROR)
    assert "over 100 bytes" in finding.message


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf-8",
        "text/plain",
        "application/octet-stream",
        None,
        "application/atom+xml",
    ],
)
def test_a_type_that_is_not_the_feeds_is_reported(content_type: str | None) -> None:
    headers = without("Content-Type") + ((("Content-Type", content_type),) if content_type else ())
    [finding] = check_poll(poll(ok(headers=headers)))
    assert (finding.rule, finding.level, finding.field) == (
        "UnexpectedContentType",
        Severity.WARNING,
        "Content-Type",
    )
    assert finding.message.endswith("serve it as application/rss+xml; charset=utf-8")


@pytest.mark.parametrize(
    "content_type", ["application/rss+xml", "APPLICATION/RSS+XML;charset=utf8"]
)
def test_the_feeds_own_type_is_accepted(content_type: str) -> None:
    headers = (*without("Content-Type"), ("Content-Type", content_type))
    assert check_poll(poll(ok(headers=headers))) == []


@pytest.mark.parametrize("content_type", ["application/xml; charset=UTF-8", "text/xml"])
def test_a_generic_xml_type_is_a_warning(content_type: str) -> None:
    headers = (*without("Content-Type"), ("Content-Type", content_type))
    [finding] = check_poll(poll(ok(headers=headers)))
    assert (finding.rule, finding.level) == ("NonSpecificMediaType", Severity.WARNING)
    assert "a type for any XML document" in finding.message
    assert finding.message.endswith("serve it as application/rss+xml; charset=utf-8")


def test_a_charset_that_is_not_the_documents_is_reported() -> None:
    headers = (
        *without("Content-Type"),
        ("Content-Type", "application/rss+xml; charset=ISO-8859-1"),
    )
    [finding] = check_poll(poll(ok(headers=headers)))
    assert (finding.rule, finding.level) == ("EncodingMismatch", Severity.WARNING)
    assert finding.message.startswith(
        "the server says charset=ISO-8859-1 but the document is utf-8"
    )
    # The XML declaration decides: a Latin-1 document served as Latin-1 is fine.
    latin = RSS.replace(b'encoding="utf-8"', b'encoding="ISO-8859-1"')
    assert check_poll(poll(ok(latin, headers))) == []
    # A UTF-16 document (its BOM decides) served with charset=utf-8 is not.
    utf16 = codecs.BOM_UTF16_LE + RSS.decode().replace(
        'encoding="utf-8"', 'encoding="utf-16"'
    ).encode("utf-16-le")
    assert rules(poll(ok(utf16))) == ["EncodingMismatch"]


def test_no_validators_is_reported_and_no_re_request_is_expected() -> None:
    headers = tuple(h for h in GOOD_HEADERS if h[0] not in ("ETag", "Last-Modified"))
    [finding] = check_poll(poll(ok(headers=headers), conditional=None))
    assert (finding.rule, finding.level, finding.field) == (
        "MissingValidators",
        Severity.WARNING,
        "ETag",
    )
    assert "neither ETag nor Last-Modified" in finding.message


def test_a_re_request_that_is_not_answered_304_is_reported() -> None:
    [ignored] = check_poll(poll(ok(), conditional=ok()))
    assert (ignored.rule, ignored.level) == ("ConditionalGetIgnored", Severity.WARNING)
    assert (
        "with If-None-Match and If-Modified-Since for unchanged bytes answered 200"
        in ignored.message
    )
    [failed] = check_poll(poll(ok(), conditional=None, conditional_error="timed out"))
    assert failed.rule == "ConditionalGetIgnored" and "(timed out)" in failed.message
    only_date = without("ETag")
    [dated] = check_poll(poll(ok(headers=only_date), conditional=ok(headers=only_date)))
    assert "with If-Modified-Since for unchanged bytes" in dated.message


def test_an_uncompressed_feed_is_reported_only_when_big_enough() -> None:
    plain = without("Content-Encoding")
    [finding] = check_poll(poll(ok(headers=plain)))
    assert (finding.rule, finding.field) == ("Uncompressed", "Content-Encoding")
    assert f"the {len(RSS):,}-byte feed is sent uncompressed" in finding.message
    small = RSS.replace(b"<item><title>An item</title></item>\n" * 40, b"")
    assert len(small) < 1024
    assert check_poll(poll(ok(small, plain))) == []


def test_caching_headers() -> None:
    [missing] = check_poll(poll(ok(headers=without("Cache-Control"))))
    assert (missing.rule, missing.field) == ("MissingCacheControl", "Cache-Control")
    expires = (*without("Cache-Control"), ("Expires", "Tue, 05 Mar 2024 09:35:00 GMT"))
    assert check_poll(poll(ok(headers=expires))) == []
    no_store = (*without("Cache-Control"), ("Cache-Control", "private, no-store"))
    [stored] = check_poll(poll(ok(headers=no_store)))
    assert stored.rule == "MissingCacheControl" and "no-store" in stored.message


def test_a_self_link_that_is_not_the_fetched_url_is_reported_at_its_line() -> None:
    preview = "http://127.0.0.1:8000/feeds/all.rss.xml"
    [finding] = check_poll(
        Poll(preview, (ok(url=preview),), 10_000_000, conditional=NOT_MODIFIED, hubs=HUB_OK)
    )
    assert (finding.rule, finding.level, finding.line) == (
        "SelfDoesntMatchLocation",
        Severity.WARNING,
        4,
    )
    assert f"but the feed was fetched from {preview}" in finding.message
    # The URL redirected to counts, and so do case and default ports.
    moved = Response("http://news.example.com/rss", 301, "", (("Location", URL),))
    assert rules(
        Poll("http://news.example.com/rss", (moved, ok()), 10_000_000, conditional=NOT_MODIFIED)
    ) == ["PermanentRedirect"]
    assert normal_url("HTTPS://News.Example.com:443") == "https://news.example.com/"
    assert normal_url("http://a.example:8080/x?y=1#z") == "http://a.example:8080/x?y=1"
    assert normal_url("https://Bücher.example/käse?q=é") == (
        "https://xn--bcher-kva.example/k%C3%A4se?q=%C3%A9"
    )
    assert normal_url("https://a.example/k%c3%a4se") == normal_url("https://a.example/käse")
    assert normal_url("http://a.example:99999/") == "http://a.example:99999/"  # as written


def test_an_unreachable_hub_is_reported() -> None:
    down = (HubProbe("https://hub.example.com/", None, "Name or service not known"),)
    [finding] = check_poll(poll(ok(), hubs=down))
    assert (finding.rule, finding.level) == ("HubUnreachable", Severity.WARNING)
    assert "https://hub.example.com/ did not answer (Name or service not known)" in finding.message
    assert rules(poll(ok(), hubs=(HubProbe("https://hub.example.com/", 503),))) == [
        "HubUnreachable"
    ]
    assert rules(poll(ok(), hubs=(HubProbe("https://hub.example.com/", 400),))) == []


def test_json_feed_types_and_charset() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []}'
    json_headers = (*without("Content-Type"), ("Content-Type", "application/feed+json"))
    assert check_poll(poll(ok(body, json_headers))) == []
    generic = (*without("Content-Type"), ("Content-Type", "application/json"))
    assert rules(poll(ok(body, generic))) == ["NonSpecificMediaType"]
    latin = (*without("Content-Type"), ("Content-Type", "application/feed+json; charset=latin-1"))
    assert rules(poll(ok(body, latin))) == ["EncodingMismatch"]
    assert rules(poll(ok(body, (*without("Content-Type"), ("Content-Type", "text/plain"))))) == [
        "UnexpectedContentType"
    ]


def test_helpers() -> None:
    assert media_type('application/rss+xml; Charset="UTF-8"') == ("application/rss+xml", "UTF-8")
    assert media_type(None) == ("", None)
    assert document_encoding(b"<rss/>") == "utf-8"
    assert document_encoding(b"<?xml version='1.0' encoding='windows-1252'?><rss/>") == "cp1252"
    assert (
        document_encoding(codecs.BOM_UTF8 + b"<?xml version='1.0' encoding='latin-1'?>") == "utf-8"
    )


def test_summary_names_every_fact() -> None:
    moved = Response("http://news.example.com/rss", 301, "Moved Permanently", (("Location", URL),))
    lines = summary(
        Poll(
            "http://news.example.com/rss",
            (moved, ok()),
            10_000_000,
            conditional=NOT_MODIFIED,
            hubs=HUB_OK,
        )
    )
    assert lines[0] == "GET http://news.example.com/rss"
    assert f"  301 Moved Permanently (permanent) -> {URL}" in lines
    assert (
        f"  200 OK, {len(RSS):,} bytes, {len(gzip.compress(RSS)):,} bytes gzip on the wire" in lines
    )
    assert "  Content-Type: application/rss+xml; charset=utf-8" in lines
    assert "  document: rss, utf-8" in lines
    assert '  ETag: W/"65e6e1a8-1a882"' in lines
    assert "  Cache-Control: max-age=300" in lines
    assert "  conditional re-request: 304 Not Modified" in lines
    assert f"  rel=self: {URL}" in lines
    assert "  hub https://hub.example.com/: answered 405" in lines


def test_json_feed_url_and_websub_hubs_are_its_self_and_hub_links() -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [],'
        b' "feed_url": "https://news.example.com/feed.json",'
        b' "hubs": [{"type": "WebSub", "url": "https://hub.example.com/"},'
        b' {"type": "rssCloud", "url": "https://cloud.example.com/"}]}'
    )
    headers = (*without("Content-Type"), ("Content-Type", "application/feed+json"))
    fetched = "https://news.example.com/feeds/all.json"
    [finding] = check_poll(
        Poll(fetched, (ok(body, headers, fetched),), 10_000_000, conditional=NOT_MODIFIED)
    )
    assert finding.rule == "SelfDoesntMatchLocation"
    assert finding.message.startswith("rel=self is 'https://news.example.com/feed.json'")
    lines = summary(Poll(fetched, (ok(body, headers, fetched),), 10_000_000))
    assert "  rel=self: https://news.example.com/feed.json" in lines
    assert "  rel=hub: https://hub.example.com/" in lines
    assert not any("cloud.example.com" in line for line in lines)
    assert check_poll(poll(ok(b'{"feed_url": 1, "hubs": "x"', headers))) == []


def test_a_compressed_answer_names_accept_encoding_in_vary() -> None:
    [finding] = check_poll(poll(ok(headers=without("Vary"))))
    assert (finding.rule, finding.level, finding.field) == ("MissingVary", Severity.WARNING, "Vary")
    assert "gzip-compressed without Vary: Accept-Encoding" in finding.message
    for vary in ("Accept, Accept-Encoding", "accept-encoding", "*"):
        assert check_poll(poll(ok(headers=(*without("Vary"), ("Vary", vary))))) == []
    plain = tuple(h for h in GOOD_HEADERS if h[0] not in ("Vary", "Content-Encoding"))
    assert rules(poll(ok(headers=plain))) == ["Uncompressed"]  # no gzip: no Vary needed


def test_link_headers_are_links_too() -> None:
    # RFC 8288 Link headers; WebSub §4 discovers the hub and self there.
    body = RSS.replace(b'<atom:link href="https://hub.example.com/" rel="hub"/>\n', b"")
    headers = (
        *GOOD_HEADERS,
        ("Link", '<https://hub2.example.com/>; rel="hub", <https://elsewhere.example/f>; rel=self'),
    )
    [finding] = check_poll(poll(ok(body, headers)))
    assert finding.rule == "SelfDoesntMatchLocation"
    assert finding.message.startswith("the Link header's rel=self is 'https://elsewhere.example/f'")
    lines = summary(poll(ok(body, headers)))
    assert "  rel=hub: https://hub2.example.com/ (Link header)" in lines
    assert f"  rel=self: {URL}" in lines
