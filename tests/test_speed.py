"""Speed changes made in other modules for issue 6 change nothing a user can see: feedparser
reads text buffered by expat exactly as it reads it in pieces."""

from __future__ import annotations

from pathlib import Path

import feedparser
import feedparser.api
import pytest

import feeds.validate.xml_reader

GOLDEN = Path(__file__).parent / "golden"
DRIVER = "feeds.validate.xml_reader"  # the SAX driver module feedparser is told to use
ESCAPED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
    b'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T &amp; U'
    b"</title><link>https://e.org/</link><description>D</description><item><title>A &lt;b&gt;"
    b"</title><guid>https://e.org/a</guid><content:encoded>&lt;p&gt;One &amp;amp; "
    + b"two &lt;em&gt;x&lt;/em&gt; " * 6000
    + b"&lt;/p&gt;</content:encoded></item></channel></rss>\n"
)


def parse(data: bytes, buffered: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patched:
        drivers = [d for d in feedparser.api.PREFERRED_XML_PARSERS if d != DRIVER]
        if buffered:
            drivers.insert(0, DRIVER)
        patched.setattr(feedparser.api, "PREFERRED_XML_PARSERS", drivers)
        return feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)


@pytest.mark.parametrize(
    "name", sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.xml"))
)
def test_buffered_text_reads_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (GOLDEN / name).read_bytes()
    assert parse(data, True, monkeypatch) == parse(data, False, monkeypatch)


def test_buffered_text_reads_long_escaped_html_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Longer than expat's buffer (64 KiB): handed over in more than one piece."""
    buffered = parse(ESCAPED, True, monkeypatch)
    assert buffered == parse(ESCAPED, False, monkeypatch)
    content = buffered.entries[0].content[0].value  # type: ignore[attr-defined]
    assert content.startswith("<p>One &amp; two <em>x</em> two")
    assert len(content) > 1 << 16


def test_the_round_trip_uses_the_buffered_driver() -> None:
    assert feedparser.api.PREFERRED_XML_PARSERS[0] == DRIVER
    parser = feeds.validate.xml_reader.create_parser()
    parser.reset()
    assert parser._parser.buffer_text  # type: ignore[attr-defined]  # expat's, set on reset
