"""Tests for feeds.lint: the corpus under tests/corpus/lint/, rule levels, dates, URLs, HTML
content, safe parsing (billion laughs, XXE, no network) and never raising on any bytes."""

from __future__ import annotations

import json
import re
import socket
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feeds.findings import Finding, Severity
from feeds.lint import (
    RULES,
    check_rfc822,
    check_rfc3339,
    detect_format,
    is_absolute_uri,
    lint_feed,
)
from feeds.lint.source import Written, source_map, written

CORPUS = Path(__file__).parent / "corpus" / "lint"
BROKEN = sorted(p for p in CORPUS.glob("*.xml") if not p.name.startswith("valid-"))
VALID = sorted(CORPUS.glob("valid-*.xml"))
XML_RULES = {name for name, rule in RULES.items() if rule.stage == "xml"}


def intended_rule(path: Path) -> str:
    """`rss-InvalidRFC2822Date--day.xml` -> `InvalidRFC2822Date` (the file names the fault)."""
    return path.stem.split("-", 1)[1].split("--")[0]


def rules_of(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


# --------------------------------------------------------------------------- corpus


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_file_is_flagged_by_its_rule_and_nothing_else(path: Path) -> None:
    rule = intended_rule(path)
    strict = RULES[rule].level is None  # a site-mode-only rule
    findings = lint_feed(path.read_bytes(), path.name, strict=strict)
    assert rules_of(findings) == {rule}, [str(f) for f in findings]
    assert all(f.file == path.name and f.message for f in findings)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
@pytest.mark.parametrize("strict", [False, True], ids=["lint", "site"])
def test_valid_file_is_clean(path: Path, strict: bool) -> None:
    assert lint_feed(path.read_bytes(), path.name, strict=strict) == []


def test_corpus_covers_every_rule_in_every_format() -> None:
    assert len(BROKEN) >= 25
    assert {intended_rule(p) for p in BROKEN} == XML_RULES
    assert sum(p.name.startswith("rss-") for p in BROKEN) >= 10
    assert sum(p.name.startswith("atom-") for p in BROKEN) >= 10
    assert sum(p.name.startswith("opml-") for p in BROKEN) >= 10
    assert len(VALID) >= 5


def test_site_only_rule_is_silent_in_lint_mode() -> None:
    data = (CORPUS / "rss-PermalinkMismatch.xml").read_bytes()
    assert lint_feed(data, "f.xml") == []
    [finding] = lint_feed(data, "f.xml", strict=True)
    assert finding.level is Severity.ERROR


# --------------------------------------------------------------------------- levels

# The W3C Feed Validation Service's level for each of its rules we reuse, copied by hand from
# its src/feedvalidator/logging.py (class X(Error) / class X(Warning)).
W3C_LEVELS = {
    "SAXError": Severity.ERROR,
    "UnicodeError": Severity.ERROR,
    "UndefinedNamedEntity": Severity.ERROR,
    "MissingNamespace": Severity.ERROR,
    "ValidatorLimit": Severity.ERROR,
    "BadCharacters": Severity.WARNING,
    "ReservedPrefix": Severity.WARNING,
    "MissingElement": Severity.ERROR,
    "DuplicateElement": Severity.ERROR,
    "MissingAttribute": Severity.ERROR,
    "InvalidFullLink": Severity.ERROR,
    "InvalidRSSVersion": Severity.ERROR,
    "InvalidRFC2822Date": Severity.ERROR,
    "IncorrectDOW": Severity.ERROR,
    "ProblematicalRFC822Date": Severity.WARNING,
    "ItemMustContainTitleOrDescription": Severity.ERROR,
    "MissingGuid": Severity.WARNING,
    "DuplicateValue": Severity.ERROR,
    "InvalidHttpGUID": Severity.ERROR,
    "InvalidPermalink": Severity.ERROR,
    "InvalidBooleanAttribute": Severity.ERROR,
    "InvalidURLAttribute": Severity.ERROR,
    "InvalidIntegerAttribute": Severity.ERROR,
    "InvalidMIMEAttribute": Severity.ERROR,
    "MissingAtomSelfLink": Severity.WARNING,
    "InvalidRFC3339Date": Severity.ERROR,
    "DuplicateEntries": Severity.WARNING,
    "MissingSelf": Severity.WARNING,
    "MissingHref": Severity.ERROR,
    "RelativeSelf": Severity.WARNING,
    "InvalidTextType": Severity.ERROR,
    "UndefinedElement": Severity.ERROR,
    "MissingXhtmlDiv": Severity.ERROR,
    "MissingContentOrAlternate": Severity.ERROR,
    "SecurityRisk": Severity.WARNING,
    "SecurityRiskAttr": Severity.WARNING,
    "ContainsRelRef": Severity.WARNING,
    "ContainsHTML": Severity.WARNING,
    "ContainsUndeclaredHTML": Severity.WARNING,
    "CharacterData": Severity.WARNING,
    "ImplausibleDate": Severity.WARNING,
    "DuplicateUpdated": Severity.WARNING,
    "InvalidOPMLVersion": Severity.ERROR,
    "MissingXmlURL": Severity.WARNING,
    "MissingTitleAttr": Severity.WARNING,
    "MissingOutlineType": Severity.WARNING,
    "InvalidUriChar": Severity.ERROR,
    "UnexpectedWhitespace": Severity.ERROR,
    "DuplicateAtomLink": Severity.ERROR,
    # `feeds validate URL` (pollcheck.py)
    "UnexpectedContentType": Severity.WARNING,
    "EncodingMismatch": Severity.WARNING,
    "SelfDoesntMatchLocation": Severity.WARNING,
    "HttpError": Severity.ERROR,
    "DuplicateEnclosure": Severity.WARNING,
    "NonSpecificMediaType": Severity.WARNING,
}


def test_lint_mode_uses_the_w3c_levels() -> None:
    ours = {name: rule.level for name, rule in RULES.items() if rule.w3c}
    # ContainsSystemEntity is only "info" at W3C; we refuse such documents.
    del ours["ContainsSystemEntity"]
    # TempRedirect and Uncompressed are "info" at W3C; lint has no info level, and both cost
    # every poller on every poll, so they are warnings (never errors).
    assert (ours.pop("TempRedirect"), ours.pop("Uncompressed")) == (Severity.WARNING,) * 2
    assert ours == W3C_LEVELS


# Legitimate content can trip these (two articles updated in the same minute, a title about
# <em>, an article from 1985): the build refuses a feed on any site-mode error, so site mode
# does not report the content advisories at all (BadCharacters stays a warning).
CONTENT_WARNINGS = {
    "BadCharacters",
    "CharacterData",
    "ContainsHTML",
    "ContainsUndeclaredHTML",
    "DuplicateUpdated",
    "ImplausibleDate",
}


def test_site_mode_makes_every_rule_an_error_except_content_warnings() -> None:
    softer = {
        name
        for name, rule in RULES.items()
        if rule.strict_level is not Severity.ERROR and name in XML_RULES
    }
    assert softer == CONTENT_WARNINGS
    assert RULES["BadCharacters"].strict_level is Severity.WARNING
    assert all(RULES[name].strict_level is None for name in softer - {"BadCharacters"})


@pytest.mark.parametrize(
    "path",
    [p for p in BROKEN if intended_rule(p) in CONTENT_WARNINGS],
    ids=lambda p: p.name,
)
def test_content_warnings_stay_warnings_in_site_mode(path: Path) -> None:
    assert {f.level for f in lint_feed(path.read_bytes(), path.name)} == {Severity.WARNING}
    site = lint_feed(path.read_bytes(), path.name, strict=True)
    assert all(f.level is Severity.WARNING for f in site)  # never refuses a feed
    assert intended_rule(path) == "BadCharacters" or site == []


def test_duplicate_atom_id_is_a_warning_in_lint_mode_and_an_error_in_site_mode() -> None:
    data = (CORPUS / "atom-DuplicateEntries.xml").read_bytes()
    [lint] = lint_feed(data, "science.atom")
    [site] = lint_feed(data, "science.atom", strict=True)
    assert (lint.level, site.level) == (Severity.WARNING, Severity.ERROR)
    assert site == Finding(
        file="science.atom",
        rule="DuplicateEntries",
        level=Severity.ERROR,
        message="entry id 'https://news.example.com/first' is already used by the entry on "
        "line 9; give every entry its own id",
        line=16,
        entry="https://news.example.com/first",
        field="id",
    )


# --------------------------------------------------------------------------- where and what


def test_item_finding_names_line_entry_and_field() -> None:
    [finding] = lint_feed((CORPUS / "rss-IncorrectDOW.xml").read_bytes(), "world.rss")
    assert finding == Finding(
        file="world.rss",
        rule="IncorrectDOW",
        level=Severity.ERROR,
        message="<pubDate> 'Wed, 05 Mar 2024 09:30:00 +0000': 5 Mar 2024 is a Tue; correct "
        "the weekday or drop it",
        line=12,
        entry="https://news.example.com/first",
        field="pubDate",
    )


def test_channel_finding_has_no_entry() -> None:
    [finding] = lint_feed((CORPUS / "rss-MissingElement.xml").read_bytes(), "f.rss")
    assert (finding.line, finding.entry, finding.field) == (3, None, "description")
    assert finding.message == (
        "<channel> has no <description>; RSS 2.0 requires title, link and description on the "
        "channel: add it"
    )


def test_item_without_guid_is_named_by_its_link() -> None:
    [finding] = lint_feed((CORPUS / "rss-MissingGuid.xml").read_bytes(), "f.rss")
    assert (finding.entry, finding.field, finding.line) == (
        "https://news.example.com/first",
        "guid",
        8,
    )


def test_parse_error_points_at_the_line() -> None:
    [finding] = lint_feed((CORPUS / "rss-InvalidCharacter.xml").read_bytes(), "f.rss")
    assert finding.line == 9
    assert "invalid xmlChar value 1" in finding.message
    assert "XML 1.0 forbids this character" in finding.message


def test_missing_namespace_says_which_declaration_to_add() -> None:
    [finding] = lint_feed((CORPUS / "rss-MissingNamespace.xml").read_bytes(), "f.rss")
    assert finding.line == 14
    assert 'xmlns:content="http://purl.org/rss/1.0/modules/content/"' in finding.message


def test_findings_come_in_document_order() -> None:
    data = (CORPUS / "valid-rss-basic.xml").read_bytes()
    data = data.replace(b"+0000</pubDate>", b"EST</pubDate>")
    data = data.replace(b"<link>https://news.example.com/world/</link>", b"<link>/</link>")
    findings = lint_feed(data, "f.rss")
    assert [(f.rule, f.line) for f in findings] == [
        ("InvalidFullLink", 5),
        ("ProblematicalRFC822Date", 14),
    ]


def test_bad_characters_are_found_in_attribute_values_too() -> None:
    data = (CORPUS / "valid-rss-basic.xml").read_text(encoding="utf-8")
    data = data.replace(
        'domain="https://news.example.com/categories">World', 'domain="x">World\u0092s'
    )
    data = data.replace('domain="x"', 'domain="https://news.example.com/categories\u0085"')
    [finding] = lint_feed(data.encode(), "f.rss")
    assert (finding.rule, finding.level, finding.line) == ("BadCharacters", Severity.WARNING, 16)
    assert "U+0092" in finding.message or "U+0085" in finding.message


def test_raw_markup_in_rss_description_is_flagged_and_still_checked() -> None:
    data = (
        (CORPUS / "valid-rss-basic.xml")
        .read_bytes()
        .replace(
            b"The harbour reopened on Tuesday morning.",
            b'The harbour <img src="x.png" onload="go()"/> reopened.',
        )
    )
    findings = lint_feed(data, "f.rss")
    assert sorted((f.rule, f.field) for f in findings) == [
        ("ContainsRelRef", "description"),
        ("SecurityRiskAttr", "description"),
        ("UndefinedElement", "description"),
    ]


def test_older_rss_versions_are_accepted() -> None:
    for version in (b"0.91", b"0.92"):
        data = (CORPUS / "valid-rss-basic.xml").read_bytes()
        data = data.replace(b'version="2.0"', b'version="' + version + b'"')
        assert lint_feed(data, "f.rss") == []


def test_missing_self_link_is_an_error_in_site_mode() -> None:
    data = (CORPUS / "rss-MissingAtomSelfLink.xml").read_bytes()
    [finding] = lint_feed(data, "f.rss", strict=True)
    assert (finding.rule, finding.level, finding.field) == (
        "MissingAtomSelfLink",
        Severity.ERROR,
        "atom:link",
    )


def test_unsupported_format_names_the_root() -> None:
    [finding] = lint_feed((CORPUS / "xml-UnsupportedFormat.xml").read_bytes(), "f.xml")
    assert finding.message.startswith("the root element is '{http://www.w3.org/1999/xhtml}html'")


# --------------------------------------------------------------------------- detect_format


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<rss version="2.0"><channel/></rss>', "rss"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "atom"),
        (b'<a:feed xmlns:a="http://www.w3.org/2005/Atom"/>', "atom"),
        (b'<opml version="2.0"><head/><body/></opml>', "opml"),
        (b'<opml xmlns="http://example.com/opml"/>', None),
        (b'<feed xmlns="http://purl.org/atom/ns#"/>', None),  # Atom 0.3
        (b"<feed/>", None),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', None),
        (  # RSS 1.0
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>',
            "rdf",
        ),
        (  # RSS 0.90
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel/></rdf:RDF>',
            "rdf",
        ),
        (b"<rss>", None),
        (b"", None),
        (b"\x00\xff garbage", None),
    ],
)
def test_detect_format(data: bytes, expected: str | None) -> None:
    assert detect_format(data) == expected


def test_detect_format_reads_utf16_with_bom() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"/>'.encode("utf-16")
    assert detect_format(data) == "rss"


# --------------------------------------------------------------------------- safe parsing


def test_billion_laughs_is_refused_without_expanding() -> None:
    data = (CORPUS / "rss-EntityDeclaration--billion-laughs.xml").read_bytes()
    findings = lint_feed(data, "laughs.rss")
    assert rules_of(findings) == {"EntityDeclaration"}
    assert all(f.level is Severity.ERROR for f in findings)
    shown = json.dumps([f.to_json() for f in findings]) + "".join(map(str, findings))
    assert "lollollol" not in shown
    assert detect_format(data) is None


def test_internal_entity_is_reported_and_not_expanded() -> None:
    data = (CORPUS / "rss-EntityDeclaration.xml").read_bytes()
    [finding] = lint_feed(data, "f.rss")
    assert finding.line == 3  # the <!ENTITY line
    assert "'site'" in finding.message
    assert "Example News." not in finding.message


def test_external_entity_to_etc_passwd_is_not_read() -> None:
    data = (CORPUS / "rss-ContainsSystemEntity--xxe.xml").read_bytes()
    findings = lint_feed(data, "xxe.rss")
    assert rules_of(findings) == {"ContainsSystemEntity"}
    shown = json.dumps([f.to_json() for f in findings])
    assert "root:" not in shown
    assert "/bin/" not in shown


@pytest.mark.parametrize("where", ["text", "attribute"])
def test_external_entity_to_a_local_file_never_reaches_any_output(
    tmp_path: Path, where: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4711")
    reference = (
        "<description>&xxe;</description>"
        if where == "text"
        else '<description>x</description><category domain="&xxe;">c</category>'
    )
    data = (CORPUS / "valid-rss-basic.xml").read_text(encoding="utf-8")
    data = data.replace(
        '<rss version="2.0"',
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n<rss version="2.0"',
    ).replace("<description>The harbour reopened on Tuesday morning.</description>", reference)
    findings = lint_feed(data.encode(), "xxe.rss")
    assert "ContainsSystemEntity" in rules_of(findings)
    shown = json.dumps([f.to_json() for f in findings]) + "".join(map(str, findings))
    assert "TOP-SECRET-4711" not in shown


def test_no_network_access_for_external_dtd_or_entities() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/evil"
        data = (
            f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{url}.dtd" [\n'
            f'  <!ENTITY % remote SYSTEM "{url}.ent"> %remote;\n'
            f'  <!ENTITY ext SYSTEM "{url}.txt">\n]>\n'
            '<rss version="2.0"><channel><title>&ext;</title></channel></rss>'
        ).encode()
        findings = lint_feed(data, "net.rss")
        assert "ContainsSystemEntity" in rules_of(findings)
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody knocked


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "value",
    [
        "Tue, 05 Mar 2024 09:30:00 +0000",
        "Tue, 05 Mar 2024 09:30:00 GMT",
        "Tue, 05 Mar 2024 09:30:00 UT",
        "Tue, 5 Mar 2024 09:30 -0545",
        "05 Mar 2024 09:30:00 +0100",
        "  Sat, 01 Jan 2000 00:00:00 +0000  ",
        "Thu, 04 Jul 1776 12:00:00 -0456",
        "Thu, 29 Feb 2024 23:59:60 +0000",  # a leap second
    ],
)
def test_rfc822_accepts(value: str) -> None:
    assert check_rfc822(value) is None


@pytest.mark.parametrize(
    ("value", "rule", "why"),
    [
        ("2024-03-05T09:30:00Z", "InvalidRFC2822Date", "it looks like ISO 8601"),
        ("yesterday", "InvalidRFC2822Date", "is not an RFC 822 date-time"),
        ("Tue, 05 March 2024 09:30:00 +0000", "InvalidRFC2822Date", "not an RFC 822"),
        ("Fri, 30 Feb 2024 09:30:00 +0000", "InvalidRFC2822Date", "day 30 does not exist"),
        ("Thu, 29 Feb 2023 09:30:00 +0000", "InvalidRFC2822Date", "day 29 does not exist"),
        ("Tue, 05 Mar 2024 24:00:00 +0000", "InvalidRFC2822Date", "24:00:00 is not a time"),
        ("Tue, 05 Mar 2024 09:30:00 +0075", "InvalidRFC2822Date", "more than 59 minutes"),
        ("05 Mar 0000 09:30:00 +0000", "InvalidRFC2822Date", "there is no year 0"),
        ("Wed, 05 Mar 2024 09:30:00 +0000", "IncorrectDOW", "5 Mar 2024 is a Tue"),
        ("Fri, 09 Nov 1989 18:00:00 +0100", "IncorrectDOW", "9 Nov 1989 is a Thu"),
        ("Tue, 05 Mar 2024 09:30:00 EST", "ProblematicalRFC822Date", "'EST' is ambiguous"),
        ("Tue, 05 Mar 2024 09:30:00 Z", "ProblematicalRFC822Date", "'Z' is ambiguous"),
        ("Tue, 05 Mar 2024 09:30:00", "InvalidRFC2822Date", "it has no time zone"),
        ("Tue, 05 Mar 24 09:30:00 +0000", "ProblematicalRFC822Date", "two-digit year"),
        ("tue, 05 mar 2024 09:30:00 gmt", "ProblematicalRFC822Date", "case or spacing"),
    ],
)
def test_rfc822_rejects(value: str, rule: str, why: str) -> None:
    found = check_rfc822(value)
    assert found is not None
    assert found[0] == rule
    assert why in found[1]


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-05T09:30:00Z",
        "2024-03-05T09:30:00+05:30",
        "2024-03-05T09:30:00.123456-08:00",
        "2016-12-31T23:59:60Z",
        "0001-01-01T00:00:00Z",
        " 2024-02-29T00:00:00Z\n",
    ],
)
def test_rfc3339_accepts(value: str) -> None:
    assert check_rfc3339(value) is None


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2024-03-05T09:30:00", "it has no time zone"),
        ("2024-03-05", "a date without a time"),
        ("2024-03-05t09:30:00z", 'upper-case "T"'),
        ("2024-03-05 09:30:00Z", 'upper-case "T"'),
        ("2024-03-05T09:30Z", "the seconds are missing"),
        ("2024-03-05T09:30:00+0100", "the offset needs a colon"),
        ("2023-02-29T00:00:00Z", "day 29 does not exist in Feb 2023"),
        ("2024-13-01T00:00:00Z", "there is no month 13"),
        ("2024-03-05T24:00:00Z", "is not a time of day"),
        ("2024-03-05T09:30:00+24:00", "the offset +24:00 is out of range"),
        ("Tue, 05 Mar 2024 09:30:00 +0000", "an RFC 822 date as RSS writes them"),
        ("last Tuesday", "not an RFC 3339 date-time"),
    ],
)
def test_rfc3339_rejects(value: str, why: str) -> None:
    found = check_rfc3339(value)
    assert found is not None
    assert why in found


_AWARE = st.datetimes(
    min_value=datetime(1900, 1, 1),
    max_value=datetime(9999, 12, 30),
    timezones=st.builds(
        timezone, st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timedelta(minutes=m))
    ),
)


@given(_AWARE)
def test_rfc822_accepts_what_the_email_package_writes(moment: datetime) -> None:
    assert check_rfc822(format_datetime(moment.replace(microsecond=0))) is None


@given(_AWARE)
def test_a_wrong_weekday_is_always_caught(moment: datetime) -> None:
    text = format_datetime(moment.replace(microsecond=0))
    weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    wrong = weekdays[(weekdays.index(text[:3]) + 3) % 7]
    found = check_rfc822(wrong + text[3:])
    assert found is not None and found[0] == "IncorrectDOW"


@given(_AWARE)
def test_rfc3339_accepts_isoformat_with_an_offset(moment: datetime) -> None:
    assert check_rfc3339(moment.isoformat()) is None
    assert check_rfc3339(moment.astimezone(UTC).isoformat().replace("+00:00", "Z")) is None


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.com/a?b=c#d",
        "http://localhost:8000/",
        "tag:news.example.com,2024:first",
        "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
        "mailto:desk@example.com",
        "https://例え.jp/記事",
    ],
)
def test_absolute_uris(url: str) -> None:
    assert is_absolute_uri(url)


@pytest.mark.parametrize(
    "url",
    ["", "/first", "//cdn.example.com/x", "first", "#top", "http:/x", "http://",
     "https://exa mple.com/", "news.example.com/x", "C:\\feeds\\x.xml"],
)  # fmt: skip
def test_relative_or_broken_uris(url: str) -> None:
    assert not is_absolute_uri(url)


# --------------------------------------------------------------------------- HTML content


def rss_with_content(html: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>T</title>
    <link>https://news.example.com/</link>
    <description>D</description>
    <atom:link href="https://news.example.com/feed.rss" rel="self" type="application/rss+xml"/>
    <item>
      <title>A</title>
      <link>https://news.example.com/a</link>
      <guid>https://news.example.com/a</guid>
      <content:encoded>{escape(html)}</content:encoded>
    </item>
  </channel>
</rss>""".encode()


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>Fine <a href="https://news.example.com/b">link</a></p>', set()),
        ("plain text saying a < b and c > d", set()),
        ('<a href="mailto:desk@example.com">mail</a>', set()),
        ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="">', set()),
        ("<SCRIPT>alert(1)</SCRIPT>", {"SecurityRisk"}),
        ("<style>body { display: none }</style>", {"SecurityRisk"}),
        ('<iframe src="https://x.example/"></iframe>', {"SecurityRisk"}),
        ('<object data="https://x.example/f.swf"></object>', {"SecurityRisk"}),
        ('<p><img src="https://x.example/i.png" OnError="steal()"></p>', {"SecurityRiskAttr"}),
        ('<a href="&#106;avascript:alert(1)">x</a>', {"SecurityRiskURL"}),
        ('<a href="  vbscript:msgbox(1)">x</a>', {"SecurityRiskURL"}),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', {"SecurityRiskURL"}),
        ('<form action="javascript:go()"><input type="submit"></form>', {"SecurityRiskURL"}),
        ('<a href="/local/path">x</a>', {"ContainsRelRef"}),
        ('<a href="//cdn.example.com/x">x</a>', {"ContainsRelRef"}),
        ('<a href="#footnote-1">1</a>', {"ContainsRelRef"}),
        ('<img srcset="https://x.example/a.jpg 1x, b.jpg 2x" alt="">', {"ContainsRelRef"}),
        ('<video poster="poster.jpg"></video>', {"ContainsRelRef"}),
        ('<img src=x onerror="alert(1)">', {"SecurityRiskAttr", "ContainsRelRef"}),
    ],
)
def test_html_content_checks(html: str, expected: set[str]) -> None:
    assert rules_of(lint_feed(rss_with_content(html), "f.rss")) == expected


def test_html_findings_are_one_per_rule_per_field() -> None:
    html = "<script>a()</script><script>b()</script><a href='/x'>x</a><a href='/y'>y</a>"
    findings = lint_feed(rss_with_content(html), "f.rss")
    assert sorted(f.rule for f in findings) == ["ContainsRelRef", "SecurityRisk"]
    assert {(f.field, f.entry) for f in findings} == {
        ("content:encoded", "https://news.example.com/a")
    }


def test_relative_refs_in_atom_content_resolve_against_an_absolute_xml_base() -> None:
    data = (CORPUS / "atom-ContainsRelRef.xml").read_bytes()
    based = data.replace(
        b'<content type="html">', b'<content type="html" xml:base="https://news.example.com/a/">'
    )
    assert lint_feed(based, "f.atom") == []
    relative_base = data.replace(b'<content type="html">', b'<content type="html" xml:base="a/">')
    assert rules_of(lint_feed(relative_base, "f.atom")) == {"ContainsRelRef"}


def test_security_risks_are_errors_in_site_mode() -> None:
    findings = lint_feed(rss_with_content("<script>x</script>"), "f.rss", strict=True)
    assert [(f.rule, f.level) for f in findings] == [("SecurityRisk", Severity.ERROR)]


# --------------------------------------------------------------------------- plain text


def rss_with_title(title: str, version: str = "2.0") -> bytes:
    """An RSS feed whose item title is `title`, written into the XML as it is (raw source)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="{version}" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>T</title>
    <link>https://news.example.com/</link>
    <description>D</description>
    <atom:link href="https://news.example.com/feed.rss" rel="self" type="application/rss+xml"/>
    <item>
      <title>{title}</title>
      <link>https://news.example.com/a</link>
      <guid>https://news.example.com/a</guid>
    </item>
  </channel>
</rss>""".encode()


# What the W3C service reports for each title (checked with its code, offline), except where
# a comment says otherwise.
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Why &lt;em&gt; matters", {"CharacterData"}),
        ("Why &#x3C;em&gt; matters", set()),
        ("Why &#x3c;em> matters", set()),
        ("Why &#60;em> matters", {"CharacterData"}),  # decimal is not the profile's form
        ("<![CDATA[Why <em> matters]]>", {"CharacterData"}),
        ("Tom &amp; Jerry &lt;3", set()),  # neither reads as markup
        ("AT&amp;T", set()),
        ("Fish &amp;amp; chips", {"ContainsHTML"}),
        ("Fish &#x26;amp; chips", set()),  # meant: the text really is "&amp;"
        ("&amp;#169; 2024", {"ContainsHTML"}),
        ("Lists &lt;/li&gt; here", {"ContainsHTML"}),
        ("Lists &#x3C;/li> here", {"ContainsHTML"}),  # an end tag, however it is written
        ("Lists &lt;/foo&gt; here", {"CharacterData"}),  # not an HTML element
        ("Why &lt;em&gt; and &#x3C;b> differ", {"CharacterData"}),
        # W3C: silent, because some '&#x' is on the line; we look at each '<'.
        ("Why &#x3C;em> and &lt;b> differ", {"CharacterData"}),
        # W3C: silent, because 'AT&T' sends it down its entity branch first.
        ("AT&amp;T &lt;b&gt;deal", {"CharacterData"}),
    ],
)
def test_plain_text_title(title: str, expected: set[str]) -> None:
    findings = lint_feed(rss_with_title(title), "f.rss")
    assert rules_of(findings) == expected
    assert all(f.level is Severity.WARNING for f in findings)


def test_character_data_is_only_about_rss_2() -> None:
    data = rss_with_title("Why &lt;em&gt; matters", version="0.92")
    assert lint_feed(data, "f.rss") == []
    assert rules_of(lint_feed(rss_with_title("a &lt;/b&gt;", "0.92"), "f.rss")) == {"ContainsHTML"}


def test_character_data_finding_names_the_title() -> None:
    [finding] = lint_feed(rss_with_title("Why &lt;em&gt; matters"), "f.rss")
    assert finding == Finding(
        file="f.rss",
        rule="CharacterData",
        level=Severity.WARNING,
        message="<title> 'Why <em> matters' has its '<' written as &lt; or in CDATA; the RSS "
        "Best Practices Profile asks for '&' and '<' in plain text as &#x26; and &#x3C;, so "
        "that readers do not take the text for HTML",
        line=10,
        entry="https://news.example.com/a",
        field="title",
    )


def test_entity_in_plain_text_says_what_a_reader_shows() -> None:
    [finding] = lint_feed(rss_with_title("Fish &amp;amp; chips"), "f.rss")
    assert finding.message == (
        "<title> 'Fish &amp; chips' contains the text '&amp;', which a reader that takes it "
        "for HTML shows as '&'; write the character itself, or write its '&' as &#x26; to "
        "keep the text"
    )


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("<description>D</description>", "<description>Use &lt;p&gt;</description>",
         "description"),
        ("<title>T</title>", "<title>&lt;b&gt;T</title>", "title"),
        ("<guid>", "<category>&lt;i&gt;x</category><guid>", "category"),
        ("<guid>", '<source url="https://x.example/rss">&lt;i&gt;x</source><guid>', "source"),
        ("<guid>", "<author>a@example.com (A &lt;b&gt;)</author><guid>", "author"),
        ("<guid>", "<dc:rights>&lt;i&gt;x</dc:rights><guid>", "dc:rights"),
    ],
)  # fmt: skip
def test_character_data_in_other_plain_text_elements(old: str, new: str, field: str) -> None:
    data = rss_with_title("A").decode().replace(old, new, 1).encode()
    [finding] = lint_feed(data, "f.rss")
    assert (finding.rule, finding.field) == ("CharacterData", field)


def test_dc_creator_and_html_elements_are_not_plain_text() -> None:
    data = rss_with_title("A").decode()
    data = data.replace("<guid>", "<dc:creator>&lt;b&gt;A</dc:creator><guid>")
    data = data.replace("<guid>", "<description>&lt;b&gt;A&lt;/b&gt;</description><guid>")
    assert lint_feed(data.encode(), "f.rss") == []


def test_plain_text_checks_read_the_source_in_any_encoding() -> None:
    hexed = rss_with_title("Why &#x3C;em> matters").decode()
    utf16 = hexed.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert lint_feed(utf16, "f.rss") == []
    plain = rss_with_title("Why &lt;em> matters").decode()
    utf16 = plain.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert rules_of(lint_feed(utf16, "f.rss")) == {"CharacterData"}


def test_markup_around_elements_does_not_confuse_the_source_map() -> None:
    data = rss_with_title("Why &#x3C;em> matters").decode()
    data = data.replace(
        "<rss ",
        "<!-- <title>&lt;x&gt;</title> -->\n<?pi <title> ?>\n<!DOCTYPE rss [ <!-- ] > --> ]>\n"
        "<rss ",
    ).replace(
        "<channel>",
        '<channel data-x="a > b"><!-- <item> --><![CDATA[ <title> ]]>',
    )
    assert lint_feed(data.encode(), "f.rss") == []  # the '<' is known to be &#x3C;


def atom_with(old: str, new: str) -> bytes:
    data = (CORPUS / "valid-atom-basic.xml").read_text(encoding="utf-8")
    assert old in data
    return data.replace(old, new, 1).encode()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("<title>Comet visible tonight</title>",
         "<title>Comet &lt;em&gt;visible&lt;/em&gt;</title>", {"ContainsUndeclaredHTML"}),
        ("<title>Comet visible tonight</title>",
         '<title type="html">Comet &lt;em&gt;visible&lt;/em&gt;</title>', set()),
        ("<title>Comet visible tonight</title>",
         "<title>Comet &lt;em&gt; visible</title>", set()),  # no CharacterData in Atom
        ('<summary type="text">Look north-east after 21:00.</summary>',
         '<summary type="text">Look &amp;amp; see</summary>', {"ContainsUndeclaredHTML"}),
        ('label="Science / Space"', 'label="Sci &amp;amp; Space"', {"ContainsHTML"}),
        ('label="Science / Space"', 'label="Sci &#x26;amp; Space"', set()),
        ('label="Science / Space"', "label='Sci &lt;/b&gt; Space'", {"ContainsHTML"}),
        ("<name>Example News</name>", "<name>Example &lt;/b&gt;</name>", {"ContainsHTML"}),
    ],
)  # fmt: skip
def test_atom_plain_text(old: str, new: str, expected: set[str]) -> None:
    findings = lint_feed(atom_with(old, new), "f.atom")
    assert rules_of(findings) == expected
    assert all(f.level is Severity.WARNING for f in findings)


def test_written_tells_hex_references_from_other_spellings() -> None:
    found = written("a&#x3C;b&lt;c<![CDATA[<d]]>&#60;e&amp;f&#x26;<!-- <g> --><i>h</i>")
    assert found.text == "a<b<c<d<e&f&h"
    assert found.hex_at == frozenset({1, 11})


def test_source_map_finds_each_elements_content_and_attributes() -> None:
    data = b"<a x=\"1 > 0\"><b y='&#x26;'>t&#x3C;</b><c/><d>u<e/>v</d></a>"
    root = etree.fromstring(data)
    found = source_map(data, root)
    assert found is not None
    b, c, d = root
    assert found.content(b) == Written("t<", frozenset({1}))
    assert found.attribute(b, "y") == Written("&", frozenset({0}))
    assert found.attribute(b, "z") is None
    assert found.content(c) == Written("", frozenset())
    assert found.content(d) == Written("uv", frozenset())


# Titles made of the pieces that matter here: markup-like and reference-like sequences.
_XML_TEXT_FOR_TITLES = st.lists(
    st.sampled_from(["<", ">", "&", "/", ";", "#", "x3C", "a", "b", "em", "amp", "copy", " ", "é"]),
    max_size=20,
).map("".join)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(title=_XML_TEXT_FOR_TITLES)
def test_hex_references_never_draw_character_data(title: str) -> None:
    hexed = title.replace("&", "&#x26;").replace("<", "&#x3C;")
    findings = lint_feed(rss_with_title(hexed), "f.rss")
    assert "CharacterData" not in rules_of(findings)
    # Only an HTML end tag is reported however it is written.
    if rules_of(findings):
        assert rules_of(findings) == {"ContainsHTML"}
        assert "</" in title


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(title=_XML_TEXT_FOR_TITLES)
def test_escaped_markup_draws_a_warning_exactly_when_it_looks_like_markup(title: str) -> None:
    findings = lint_feed(rss_with_title(escape(title)), "f.rss")
    looks_like_markup = re.search(r"<[/A-Za-z]", title) is not None
    assert ("CharacterData" in rules_of(findings)) <= looks_like_markup
    assert bool(findings) >= looks_like_markup


# --------------------------------------------------------------------------- dates in content


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Mon, 01 Jan 1990 00:00:00 +0100", set()),  # 1989 in UTC: the year as written counts
        ("Sun, 31 Dec 1989 23:59:59 -0500", {"ImplausibleDate"}),
        ("Sun, 01 Jun 1000 11:06:32 +0000", {"ImplausibleDate"}),
        ("Sun, 31 Dec 89 23:59:59 +0000", {"ProblematicalRFC822Date"}),  # one finding
        ("Thu, 31 Dec 2099 23:59:59 +0000", set()),  # no clock: the future is not checked
    ],
)
def test_implausible_rss_dates(date: str, expected: set[str]) -> None:
    data = rss_with_title("A").decode().replace("<guid>", f"<pubDate>{date}</pubDate><guid>")
    assert rules_of(lint_feed(data.encode(), "f.rss")) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("1990-01-01T00:00:00+01:00", set()),
        ("1989-12-31T23:00:00-05:00", {"ImplausibleDate"}),
        ("0001-01-01T00:00:00Z", {"ImplausibleDate"}),
        ("1989-12-31", {"InvalidRFC3339Date"}),
    ],
)
def test_implausible_atom_dates(date: str, expected: set[str]) -> None:
    data = atom_with(
        "<published>2024-03-05T08:00:00+01:00</published>", f"<published>{date}</published>"
    )
    assert rules_of(lint_feed(data, "f.atom")) == expected


def test_implausible_date_message() -> None:
    [finding] = lint_feed((CORPUS / "rss-ImplausibleDate.xml").read_bytes(), "f.rss")
    assert finding.message == (
        "<pubDate> 'Thu, 09 Nov 1989 18:00:00 +0100' is before 1990, which the W3C validator "
        "reports as implausible (usually a wrong year); check the year (a date really that "
        "old may stay)"
    )
    assert finding.field == "pubDate"


def atom_entries(*updated: str) -> bytes:
    entries = "".join(
        f"""
  <entry>
    <id>https://news.example.com/{n}</id>
    <title>Story {n}</title>
    <updated>{value}</updated>
    <link href="https://news.example.com/{n}"/>
  </entry>"""
        for n, value in enumerate(updated, start=1)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>https://news.example.com/</id>
  <title>Example News</title>
  <updated>2024-03-05T09:30:00Z</updated>
  <link rel="self" href="https://news.example.com/feed.atom"/>
  <author><name>Example News</name></author>{entries}
</feed>""".encode()


def test_duplicate_updated_is_one_warning_per_value() -> None:
    data = atom_entries(
        "2024-03-05T09:30:00Z",
        "2024-03-04T09:30:00Z",
        "2024-03-05T09:30:00Z",
        "2024-03-04T09:30:00Z",
        "2024-03-05T09:30:00Z",
    )
    at_23, at_29 = lint_feed(data, "f.atom")  # document order
    assert at_29 == Finding(
        file="f.atom",
        rule="DuplicateUpdated",
        level=Severity.WARNING,
        message="2 entries have the same <updated> '2024-03-04T09:30:00Z' (lines 17, 29), "
        "often the sign of an update time that is not the real one, and readers that order "
        "entries by it cannot tell them apart; if these are the real times, keep them",
        line=29,
        entry="https://news.example.com/4",
        field="updated",
    )
    assert (at_23.line, at_23.entry) == (23, "https://news.example.com/3")
    assert "3 entries have the same <updated> '2024-03-05T09:30:00Z' (lines 11, 23, 35)" in (
        at_23.message
    )


def test_duplicate_updated_names_at_most_five_lines() -> None:
    [finding] = lint_feed(atom_entries(*["2024-03-05T09:30:00Z"] * 8), "f.atom")
    assert "(lines 11, 17, 23, 29, 35 and 3 more)" in finding.message


def test_duplicate_updated_compares_values_as_written_like_w3c() -> None:
    # The same instant written in two zones is not reported (nor by the W3C service); the
    # feed's own <updated> does not count.
    data = atom_entries("2024-03-05T09:30:00Z", "2024-03-05T10:30:00+01:00")
    assert lint_feed(data, "f.atom") == []


# --------------------------------------------------------------------------- OPML


def opml_with(old: str, new: str) -> bytes:
    data = (CORPUS / "valid-opml.xml").read_text(encoding="utf-8")
    assert old in data
    return data.replace(old, new, 1).encode()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('<opml version="2.0">', '<opml version="1.0">', set()),
        ('<opml version="2.0">', '<opml version="1.1">', set()),
        ('type="rss" text="Example News"', 'type="RSS" text="Example News"', set()),
        ("<ownerName>", "<ex:note xmlns:ex='https://example.com/ns'>x</ex:note><ownerName>",
         set()),  # namespaced elements extend OPML
        ("<body>", "<body><p>x</p>", {"UndefinedElement"}),
        ('<outline text="Sections">', '<outline text="Sections"><item/>', {"UndefinedElement"}),
        ('<outline text="Sections">', '<outline text="Sections" title="Sections">',
         {"MissingOutlineType"}),
        ('text="About our feeds"', 'text="About &lt;script&gt;x()&lt;/script&gt;"',
         {"SecurityRisk"}),
        ('description="World &amp; science news"',
         'description="See &lt;a href=&quot;/about&quot;&gt;us&lt;/a&gt;"', {"ContainsRelRef"}),
        ('description="World &amp; science news"',
         'description="&lt;img src=&quot;https://x.example/i.png&quot; '
         'onerror=&quot;x()&quot;&gt;"',
         {"SecurityRiskAttr"}),
        ("<title>Example News: all feeds</title>", "<title>&lt;script&gt;x&lt;/script&gt;</title>",
         {"SecurityRisk"}),
        ("Mon, 04 Mar 2024 18:00:00 GMT", "Tue, 04 Mar 2024 18:00:00 GMT", {"IncorrectDOW"}),
        ("Mon, 04 Mar 2024 18:00:00 GMT", "Sat, 04 Mar 1989 18:00:00 GMT", {"ImplausibleDate"}),
        ("Tue, 05 Mar 2024 09:30:00 +0100", "Tue, 05 Mar 2024 09:30:00 EST",
         {"ProblematicalRFC822Date"}),
        ('url="https://news.example.com/feeds/"', 'url="feeds/"', {"InvalidFullLink"}),
    ],
)  # fmt: skip
def test_opml_checks(old: str, new: str, expected: set[str]) -> None:
    assert rules_of(lint_feed(opml_with(old, new), "feeds.opml")) == expected


def test_opml_findings_name_the_outline() -> None:
    data = opml_with('htmlUrl="https://news.example.com/world/"', 'htmlUrl="/world/"')
    [finding] = lint_feed(data, "feeds.opml", strict=True)
    assert finding == Finding(
        file="feeds.opml",
        rule="InvalidFullLink",
        level=Severity.ERROR,
        message="outline htmlUrl '/world/' is not an absolute URI; write the full address "
        "(https://example.com/...)",
        line=13,
        entry="https://news.example.com/feeds/world.rss",
        field="outline@htmlUrl",
    )


def test_opml_docs_element_is_reported_as_the_w3c_service_does() -> None:
    [finding] = lint_feed((CORPUS / "opml-UndefinedElement--docs.xml").read_bytes(), "f.opml")
    assert finding.message == (
        "<head> contains <docs>; OPML 2.0 lists <docs>, but the W3C validator rejects it: "
        "remove it if the file must pass there"
    )


def test_opml_without_body_or_head() -> None:
    findings = lint_feed(b'<opml version="2.0"/>', "f.opml")
    assert [(f.rule, f.field) for f in findings] == [
        ("MissingElement", "head"),
        ("MissingElement", "body"),
    ]


# --------------------------------------------------------------------------- never raises


def _check_findings(findings: list[Finding]) -> None:
    for f in findings:
        assert f.rule in RULES
        assert isinstance(f.level, Severity)
        assert f.message


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_lint_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    _check_findings(lint_feed(data, "any.xml"))
    _check_findings(lint_feed(data, "any.xml", strict=True))
    assert detect_format(data) in ("rss", "atom", "opml", "rdf", None)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(VALID),
    st.integers(min_value=0),
    st.binary(max_size=40),
    st.integers(min_value=0, max_value=20),
)
def test_lint_never_raises_on_damaged_feeds(
    path: Path, position: int, junk: bytes, cut: int
) -> None:
    data = path.read_bytes()
    at = position % (len(data) + 1)
    damaged = data[:at] + junk + data[at + cut :]
    _check_findings(lint_feed(damaged, path.name))
    _check_findings(lint_feed(damaged, path.name, strict=True))


_XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\ufffe\uffff",
        min_codepoint=0x09,
    ).filter(lambda c: c in "\t\n\r" or c >= " "),
    max_size=200,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(title=_XML_TEXT, html=_XML_TEXT, link=_XML_TEXT)
def test_any_legal_text_in_a_feed_parses_and_lints(title: str, html: str, link: str) -> None:
    data = (CORPUS / "valid-rss-extensions.xml").read_text(encoding="utf-8")
    data = data.replace("Episode 12: Tides", escape(title)).replace(
        "How the moon moves the sea.", escape(html)
    )
    data = data.replace(
        "https://podcast.example.org/episodes/12#notes", escape(link, {'"': "&quot;"})
    )
    findings = lint_feed(data.encode("utf-8"), "f.rss")
    _check_findings(findings)
    assert not rules_of(findings) & {"SAXError", "InvalidCharacter", "UnicodeError"}


def test_an_html_fragment_parsed_once_gives_its_findings_wherever_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 14: lint keeps each fragment's parse (it is in several feed files); the findings
    still name the place they are found at, and the memo stays bounded."""
    import feeds.lint.html as html
    from feeds.lint.report import Report

    monkeypatch.setattr(html, "_PARSED", {})
    monkeypatch.setattr(html, "_PARSED_MAX", 2)
    risky = '<p onclick="x()">Hi <a href="rel/page">there</a></p>'
    found = []
    for line, entry in ((10, "urn:a"), (99, "urn:b")):
        report = Report(file="f.xml", strict=True)
        html.html_value(risky, html.Where(line, "description", entry, False, False), report)
        found.append(sorted((f.rule, f.line, f.entry) for f in report.findings))
    assert found == [
        [("ContainsRelRef", 10, "urn:a"), ("SecurityRiskAttr", 10, "urn:a")],
        [("ContainsRelRef", 99, "urn:b"), ("SecurityRiskAttr", 99, "urn:b")],
    ]
    for other in ("<b>one</b>", "<i>two</i>", "<u>three</u>"):
        where = html.Where(1, "title", None, True, False)
        html.html_value(other, where, Report(file="f", strict=True))
        assert len(html._PARSED) <= 2
