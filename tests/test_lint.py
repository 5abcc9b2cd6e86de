"""Tests for feeds.lint: the corpus under tests/corpus/lint/, rule levels, dates, URLs, HTML
content, safe parsing (billion laughs, XXE, no network) and never raising on any bytes."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feeds.findings import Finding, Severity
from feeds.lint import (
    RULES,
    check_rfc822,
    check_rfc3339,
    detect_format,
    is_absolute_uri,
    lint_feed,
)

CORPUS = Path(__file__).parent / "corpus" / "lint"
BROKEN = sorted(p for p in CORPUS.glob("*.xml") if not p.name.startswith("valid-"))
VALID = sorted(CORPUS.glob("valid-*.xml"))


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


def test_corpus_covers_every_rule_in_both_formats() -> None:
    assert len(BROKEN) >= 25
    assert {intended_rule(p) for p in BROKEN} == set(RULES)
    assert sum(p.name.startswith("rss-") for p in BROKEN) >= 10
    assert sum(p.name.startswith("atom-") for p in BROKEN) >= 10
    assert len(VALID) >= 4


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
}


def test_lint_mode_uses_the_w3c_levels() -> None:
    ours = {name: rule.level for name, rule in RULES.items() if rule.w3c}
    # ContainsSystemEntity is only "info" at W3C; we refuse such documents.
    del ours["ContainsSystemEntity"]
    assert ours == W3C_LEVELS


def test_site_mode_makes_every_rule_an_error_except_bad_characters() -> None:
    softer = {name for name, rule in RULES.items() if rule.strict_level is not Severity.ERROR}
    assert softer == {"BadCharacters"}


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
    [finding] = lint_feed((CORPUS / "xml-UnsupportedFormat--rss1.xml").read_bytes(), "f.rdf")
    assert finding.message.startswith(
        "the root element is '{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF'"
    )


# --------------------------------------------------------------------------- detect_format


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<rss version="2.0"><channel/></rss>', "rss"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"/>', "atom"),
        (b'<a:feed xmlns:a="http://www.w3.org/2005/Atom"/>', "atom"),
        (b'<feed xmlns="http://purl.org/atom/ns#"/>', None),  # Atom 0.3
        (b"<feed/>", None),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', None),
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
        ("Tue, 05 Mar 2024 09:30:00", "ProblematicalRFC822Date", "it has no time zone"),
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
    assert detect_format(data) in ("rss", "atom", None)


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
