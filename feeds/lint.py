"""Lint any RSS 2.0 or Atom 1.0 file: a safe parse, then the rules of the specs, reported under
the W3C Feed Validation Service's rule names (and levels) wherever it has the same check.

`lint_feed(data, file)` is lint mode (any feed, W3C levels); `strict=True` is site mode, where
house rules turn some warnings into errors and add checks only our own feeds must pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from types import MappingProxyType
from typing import Any, Literal, cast

from lxml import etree

from feeds.findings import Finding, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    """One lint rule. `level` is the lint-mode level (the W3C service's where it has the check;
    None when the rule runs in site mode only); `strict_level` applies in site mode."""

    name: str
    level: Severity | None
    strict_level: Severity
    summary: str
    w3c: bool  # the W3C Feed Validation Service uses this name for the same check


def _rules(*rules: Rule) -> Mapping[str, Rule]:
    return MappingProxyType({rule.name: rule for rule in rules})


# fmt: off
RULES: Mapping[str, Rule] = _rules(
    # XML: well-formedness and safety (XML 1.0 §2, Namespaces in XML 1.0 §5)
    Rule("SAXError", ERROR, ERROR, "not well-formed XML", True),
    Rule("InvalidCharacter", ERROR, ERROR, "a character XML 1.0 forbids, raw or as &#...;", False),
    Rule("UnicodeError", ERROR, ERROR, "bytes that are not valid in the document's encoding", True),
    Rule("UndefinedNamedEntity", ERROR, ERROR, "an entity XML does not define (&nbsp;)", True),
    Rule("MissingNamespace", ERROR, ERROR, "an element prefix with no xmlns declaration", True),
    Rule("EntityDeclaration", ERROR, ERROR, "the DOCTYPE declares entities (not expanded)", False),
    Rule("ContainsSystemEntity", ERROR, ERROR, "the DOCTYPE declares an external entity", True),
    Rule("ValidatorLimit", ERROR, ERROR, "too deep or too large for a safe parse", True),
    Rule("UnsupportedFormat", ERROR, ERROR, "neither RSS 2.0 nor Atom 1.0", False),
    Rule("BadCharacters", WARNING, WARNING, "C1 control characters or U+FFFD (mojibake)", True),
    Rule("ReservedPrefix", WARNING, ERROR, "a well-known prefix bound to another namespace", True),
    # shared structure
    Rule("MissingElement", ERROR, ERROR, "a required element is missing", True),
    Rule("DuplicateElement", ERROR, ERROR, "a single-valued element appears twice", True),
    Rule("MissingAttribute", ERROR, ERROR, "a required attribute is missing", True),
    Rule("InvalidFullLink", ERROR, ERROR, "a link or id that is not an absolute URI", True),
    # RSS 2.0
    Rule("InvalidRSSVersion", ERROR, ERROR, "rss version is not 2.0 (or 0.91/0.92)", True),
    Rule("InvalidRFC2822Date", ERROR, ERROR, "not an RFC 822 date-time", True),
    Rule("IncorrectDOW", ERROR, ERROR, "the weekday does not match the date", True),
    Rule("ProblematicalRFC822Date", WARNING, ERROR, "an RFC 822 date readers may misread", True),
    Rule("ItemMustContainTitleOrDescription", ERROR, ERROR, "item without title and description",
         True),
    Rule("MissingGuid", WARNING, ERROR, "item without guid", True),
    Rule("DuplicateValue", ERROR, ERROR, "two items with the same guid", True),
    Rule("InvalidHttpGUID", ERROR, ERROR, "permalink guid that is not a full URL", True),
    Rule("InvalidPermalink", ERROR, ERROR, "permalink guid with a non-web scheme (tag:, urn:)",
         True),
    Rule("InvalidBooleanAttribute", ERROR, ERROR, "isPermaLink is not true or false", True),
    Rule("PermalinkMismatch", None, ERROR, "permalink guid differs from the item link", False),
    Rule("InvalidURLAttribute", ERROR, ERROR, "enclosure url is not a full http(s) URL", True),
    Rule("InvalidIntegerAttribute", ERROR, ERROR, "enclosure length is not an integer >= 0",
         True),
    Rule("InvalidMIMEAttribute", ERROR, ERROR, "enclosure type is not a MIME type", True),
    Rule("MissingAtomSelfLink", WARNING, ERROR, "channel without atom:link rel=self", True),
    # Atom 1.0
    Rule("InvalidRFC3339Date", ERROR, ERROR, "not an RFC 3339 date-time with a zone", True),
    Rule("DuplicateEntries", WARNING, ERROR, "two entries with the same id", True),
    Rule("MissingSelf", WARNING, ERROR, "feed without link rel=self", True),
    Rule("MissingHref", ERROR, ERROR, "link without href", True),
    Rule("RelativeSelf", WARNING, ERROR, "relative rel=self link and no absolute xml:base", True),
    Rule("RelativeLink", WARNING, ERROR, "relative link and no absolute xml:base", False),
    Rule("InvalidTextType", ERROR, ERROR, "text construct type not text, html or xhtml", True),
    Rule("UndefinedElement", ERROR, ERROR, "raw markup inside a text or html construct", True),
    Rule("MissingXhtmlDiv", ERROR, ERROR, "type=xhtml without its xhtml:div wrapper", True),
    Rule("MissingContentOrAlternate", ERROR, ERROR, "entry without content or alternate link",
         True),
    # HTML carried in feeds
    Rule("SecurityRisk", WARNING, ERROR, "HTML with script, style, iframe, object...", True),
    Rule("SecurityRiskAttr", WARNING, ERROR, "HTML with on* event-handler attributes", True),
    Rule("SecurityRiskURL", WARNING, ERROR, "HTML with javascript:, vbscript: or data: URLs",
         False),
    Rule("ContainsRelRef", WARNING, ERROR, "HTML with relative URLs", True),
)
# fmt: on

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# W3C ReservedPrefix: prefixes readers match by habit, with the namespace they stand for.
_WELL_KNOWN_PREFIXES = {
    "atom": ATOM_NS,
    "content": CONTENT_NS,
    "dc": DC_NS,
    "dcterms": "http://purl.org/dc/terms/",
    "media": "http://search.yahoo.com/mrss/",
}

_MAX_QUOTED = 80


def _q(value: str) -> str:
    """A value quoted for a message, shortened when long."""
    if len(value) > _MAX_QUOTED:
        value = value[: _MAX_QUOTED - 1] + "…"
    return repr(value)


# --------------------------------------------------------------------------- report


@dataclass(slots=True)
class _Report:
    """The findings of one lint call (a local accumulator, never shared between calls)."""

    file: str
    strict: bool
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        rule: str,
        line: int | None,
        message: str,
        *,
        entry: str | None = None,
        field: str | None = None,
    ) -> None:
        spec = RULES[rule]
        level = spec.strict_level if self.strict else spec.level
        if level is None:
            return
        self.findings.append(
            Finding(
                file=self.file,
                rule=rule,
                level=level,
                message=message,
                line=line,
                entry=entry,
                field=field,
            )
        )


# --------------------------------------------------------------------------- parsing

_Format = Literal["rss", "atom"]


def _parser() -> etree.XMLParser:
    # No entity expansion, no DTD loading, no network, libxml2's default size and depth limits.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _parse(data: bytes) -> tuple[etree._Element | None, list[tuple[str, int | None, str]]]:
    """The root element, or None with the parser's errors as (rule, line, message)."""
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        errors = [
            (_parse_rule(entry.type_name, entry.message), entry.line or None, entry.message)
            for entry in parser.error_log
            if entry.level >= etree.ErrorLevels.ERROR
        ]
        if not errors:
            errors = [("SAXError", getattr(exc, "lineno", None), str(exc))]
        return None, errors
    return root, []


def _parse_rule(type_name: str, message: str) -> str:
    """The rule for one libxml2 error, by its stable error-type name."""
    text = message.lower()
    if type_name == "ERR_INVALID_ENCODING" or "encoding" in text or "utf-8" in text:
        return "UnicodeError"
    if type_name in ("ERR_INVALID_CHAR", "ERR_INVALID_CHARREF"):
        return "InvalidCharacter"
    if type_name in ("ERR_UNDECLARED_ENTITY", "WAR_UNDECLARED_ENTITY"):
        return "UndefinedNamedEntity"
    if type_name == "NS_ERR_UNDEFINED_NAMESPACE":
        return "MissingNamespace"
    if type_name in ("ERR_ENTITY_IS_EXTERNAL", "ERR_EXT_ENTITY_STANDALONE"):
        return "ContainsSystemEntity"
    if type_name in ("ERR_ENTITY_LOOP", "ERR_ENTITY_AMPLIFICATION") or "amplification" in text:
        return "EntityDeclaration"
    if type_name == "ERR_RESOURCE_LIMIT" or "huge" in text:
        return "ValidatorLimit"
    return "SAXError"


_PARSE_ADVICE = {
    "SAXError": "the file is not well-formed XML; fix the markup (readers reject the whole feed)",
    "InvalidCharacter": "XML 1.0 forbids this character even as a character reference; "
    "remove it (control characters other than tab, newline and carriage return cannot appear)",
    "UnicodeError": "the bytes do not match the declared encoding; save the file as UTF-8 or "
    "declare its real encoding in <?xml ... encoding=...?>",
    "UndefinedNamedEntity": "XML knows only &amp; &lt; &gt; &quot; &apos;; write the character "
    "itself or a numeric reference such as &#160;",
    "MissingNamespace": "declare the prefix on the root element, e.g. "
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" or '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"',
    "ContainsSystemEntity": "external entities are never loaded here; remove the DOCTYPE",
    "EntityDeclaration": "the DOCTYPE declares entities that would expand beyond safe limits "
    "(an entity-expansion bomb); remove the DOCTYPE",
    "ValidatorLimit": "the document exceeds the safe parser's limits (10 MB per text node, "
    "nesting depth 256); shorten the content",
}


def detect_format(data: bytes) -> str | None:
    """'rss' or 'atom' by the root element of a safe parse; None for anything else."""
    root, _ = _parse(data)
    return None if root is None else _root_format(root)


def _root_format(root: etree._Element) -> _Format | None:
    if root.tag == "rss":  # RSS 2.0: <rss> in no namespace
        return "rss"
    if root.tag == f"{{{ATOM_NS}}}feed":  # RFC 4287 §4.1.1
        return "atom"
    return None


# --------------------------------------------------------------------------- entry point


def lint_feed(data: bytes, file: str, *, strict: bool = False) -> list[Finding]:
    """All findings for one feed file, in document order. Never raises on any bytes.

    `strict=False` is lint mode (any feed; W3C levels). `strict=True` is site mode: the house
    rules for feeds this project writes (see `RULES[...].strict_level`).
    """
    report = _Report(file=file, strict=strict)
    root, errors = _parse(data)
    if root is None:
        seen: set[tuple[str, int | None]] = set()
        for rule, line, message in errors:
            if (rule, line) in seen:
                continue
            seen.add((rule, line))
            report.add(rule, line, f"{message.strip().rstrip('.')}: {_PARSE_ADVICE[rule]}")
        return report.findings

    _lint_doctype(root, data, report)
    fmt = _root_format(root)
    if fmt is None:
        report.add(
            "UnsupportedFormat",
            _line(root),
            f"the root element is {_q(_clark_to_display(root.tag))}; this linter reads RSS 2.0 "
            '(<rss version="2.0">) and Atom 1.0 (<feed xmlns="http://www.w3.org/2005/Atom">)',
        )
        return report.findings
    _lint_characters(root, report)
    if fmt == "rss":
        _lint_rss(root, report)
    else:
        _lint_atom(root, report)
    report.findings.sort(key=lambda f: f.line or 0)
    return report.findings


def _clark_to_display(tag: str) -> str:
    qname = etree.QName(tag)
    return f"{{{qname.namespace}}}{qname.localname}" if qname.namespace else qname.localname


def _lint_doctype(root: etree._Element, data: bytes, report: _Report) -> None:
    # XML 1.0 §4.2: entity declarations. They are never expanded here; readers that do expand
    # them can hang (billion laughs) or read local files (XXE), so a feed must not declare any.
    dtd: Any = root.getroottree().docinfo.internalDTD  # lxml-stubs lack DTD.iterentities
    if dtd is None:
        return
    for entity in dtd.iterentities():
        line = _declaration_line(data, entity.name)
        if entity.system_url is not None:
            report.add(
                "ContainsSystemEntity",
                line,
                f"the DOCTYPE declares the external entity {_q(entity.name)} "
                f"(SYSTEM {_q(entity.system_url)}); external entities are never loaded, and a "
                "reader that loads them may leak local files: remove the DOCTYPE",
            )
        else:
            report.add(
                "EntityDeclaration",
                line,
                f"the DOCTYPE declares the entity {_q(entity.name)}; entities are not expanded "
                "here and can be used for expansion bombs: remove the DOCTYPE and write the "
                "text itself",
            )


def _declaration_line(data: bytes, name: str) -> int | None:
    """The line of `<!ENTITY name` in an ASCII-compatible document (lxml does not keep it)."""
    pattern = rb"<!ENTITY\s+(?:%\s+)?" + re.escape(name.encode("utf-8")) + rb"\s"
    match = re.search(pattern, data)
    return None if match is None else data.count(b"\n", 0, match.start()) + 1


# --------------------------------------------------------------------------- characters

# W3C BadCharacters: C1 controls and U+FFFD are legal XML but almost always mojibake
# (Windows-1252 or Latin-1 text decoded the wrong way); XML 1.0 §2.2 discourages U+007F-U+009F.
_BAD_CHARS = re.compile("[\x80-\x9f\ufffd]")


def _lint_characters(root: etree._Element, report: _Report) -> None:
    """Suspicious characters anywhere, and well-known prefixes bound to the wrong namespace."""
    for el in root.iter(etree.Element):
        prefix = el.prefix
        if prefix in _WELL_KNOWN_PREFIXES:
            expected = _WELL_KNOWN_PREFIXES[prefix]
            actual = etree.QName(el).namespace
            if actual != expected:
                report.add(
                    "ReservedPrefix",
                    _line(el),
                    f"the prefix {prefix!r} is bound to {_q(actual or '')} but readers expect "
                    f"{_q(expected)}; fix the xmlns:{prefix} declaration",
                    field=_display(el),
                )
    # One search over all text and attribute values; elements are visited only on a hit.
    everything = "".join(cast("Iterable[str]", root.itertext()))
    attributes = cast("list[str]", root.xpath("//@*"))
    if not _BAD_CHARS.search(everything) and not any(map(_BAD_CHARS.search, attributes)):
        return
    for el in root.iter(etree.Element):
        texts = [el.text or "", el.tail or "", *el.attrib.values()]
        bad = next((m for t in texts if (m := _BAD_CHARS.search(t))), None)
        if bad is not None:
            report.add(
                "BadCharacters",
                _line(el),
                f"<{_display(el)}> contains U+{ord(bad.group()):04X}, usually the sign of "
                "text decoded with the wrong encoding; re-decode the source text (e.g. as "
                "Windows-1252) or remove the character",
                field=_display(el),
            )


_PREFIXES = {ns: prefix for prefix, ns in _WELL_KNOWN_PREFIXES.items()}


def _display(el: etree._Element) -> str:
    """An element's name as a reader of the file would write it: `content:encoded`, `title`."""
    qname = etree.QName(el)
    ns = qname.namespace
    if ns is None or (ns == ATOM_NS and not el.prefix):
        return qname.localname
    prefix = el.prefix or _PREFIXES.get(ns)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


# --------------------------------------------------------------------------- dates

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_RFC822_EXAMPLE = "'Mon, 02 Jan 2006 15:04:05 +0000'"
_RFC3339_EXAMPLE = "'2006-01-02T15:04:05Z' or '2006-01-02T15:04:05+01:00'"

# RFC 822 §5.1 as tightened by RFC 2822 §3.3: [day ","] date time zone, four-digit year.
_RFC822 = re.compile(
    r"(?:(?P<dow>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(?P<day>\d{1,2}) "
    r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<year>\d{4}) "
    r"(?P<h>\d\d):(?P<m>\d\d)(?::(?P<s>\d\d))? (?P<zone>[+-]\d{4}|GMT|UT)"
)
# What RFC 822 also allows but readers misread (the W3C service's ProblematicalRFC822Date):
# two-digit years, North American zone names, military letters, no zone, odd case or spacing.
_RFC822_LOOSE = re.compile(
    r"(?:(?P<dow>mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?(?P<day>\d{1,2})\s+"
    r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(?P<year>\d{2}|\d{4})\s+"
    r"(?P<h>\d\d):(?P<m>\d\d)(?::(?P<s>\d\d))?"
    r"(?:\s+(?P<zone>[+-]\d{4}|ut|gmt|[ecmp][sd]t|[a-ik-z]))?",
    re.IGNORECASE,
)
_ISO_LIKE = re.compile(r"\d{4}-\d\d-\d\d")

# RFC 3339 §5.6 date-time, with RFC 4287 §3.3's upper-case "T" and "Z".
_RFC3339 = re.compile(
    r"(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)T(?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)"
    r"(?:\.\d+)?(?P<zone>Z|[+-]\d\d:\d\d)"
)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _check_clock(year: int, month: int, day: int, h: int, m: int, s: int) -> str | None:
    """Why these fields are no real date-time (a leap second is allowed), or None."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if not 1 <= day <= _days_in_month(year, month):
        return f"day {day} does not exist in {_MONTHS[month - 1]} {year}"
    if h > 23 or m > 59 or s > 60:
        return f"{h:02d}:{m:02d}:{s:02d} is not a time of day"
    return None


def _weekday(year: int, month: int, day: int) -> int:
    """0 = Monday, for any proleptic Gregorian date (Zeller's congruence)."""
    if month < 3:
        month += 12
        year -= 1
    k, j = year % 100, year // 100
    h = (day + 13 * (month + 1) // 5 + k + k // 4 + j // 4 + 5 * j) % 7  # 0 = Saturday
    return (h + 5) % 7


def check_rfc822(value: str) -> tuple[str, str] | None:
    """(rule, what is wrong) for an RSS 2.0 date (RFC 822 §5), or None when it is fine."""
    text = value.strip()
    strict = _RFC822.fullmatch(text)
    match = strict or _RFC822_LOOSE.fullmatch(text)
    if match is None:
        hint = (
            " (it looks like ISO 8601; RSS 2.0 dates use RFC 822)" if _ISO_LIKE.match(text) else ""
        )
        return "InvalidRFC2822Date", f"{_q(value)} is not an RFC 822 date-time{hint}"
    year = int(match["year"])
    if len(match["year"]) == 2:  # RFC 2822 §4.3: 00-49 are 20xx, 50-99 are 19xx
        year += 2000 if year < 50 else 1900
    month = _MONTHS.index(match["mon"].title()) + 1
    day = int(match["day"])
    problem = _check_clock(year, month, day, int(match["h"]), int(match["m"]), int(match["s"] or 0))
    zone = match["zone"]
    if problem is None and zone and zone[0] in "+-" and int(zone[3:]) > 59:
        problem = f"the zone offset {zone} has more than 59 minutes"
    if problem is not None or year == 0:
        return "InvalidRFC2822Date", f"{_q(value)}: {problem or 'there is no year 0'}"
    dow = match["dow"]
    if dow is not None and _WEEKDAYS.index(dow.title()) != _weekday(year, month, day):
        actual = _WEEKDAYS[_weekday(year, month, day)]
        return "IncorrectDOW", f"{_q(value)}: {day} {_MONTHS[month - 1]} {year} is a {actual}"
    if strict is None:
        if zone is None:
            why = "it has no time zone"
        elif len(match["year"]) == 2:
            why = "it has a two-digit year"
        elif zone.upper() not in ("GMT", "UT") and zone[0] not in "+-":
            why = f"the zone {zone!r} is ambiguous or obsolete"
        else:
            why = "its case or spacing is unusual"
        return "ProblematicalRFC822Date", f"{_q(value)}: {why}"
    return None


def check_rfc3339(value: str) -> str | None:
    """What is wrong with an Atom date (RFC 3339 §5.6, RFC 4287 §3.3), or None."""
    text = value.strip()
    match = _RFC3339.fullmatch(text)
    if match is None:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
            why = "a date without a time"
        elif re.fullmatch(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?", text):
            why = "it has no time zone"
        elif re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(Z|[+-]\d\d:\d\d)", text):
            why = "the seconds are missing"
        elif re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d{4}", text):
            why = "the offset needs a colon, as in +01:00"
        elif re.fullmatch(r"\d{4}-\d\d-\d\d[t ].*|.*\dz", text):
            why = 'Atom requires an upper-case "T" between date and time and an upper-case "Z"'
        elif _RFC822_LOOSE.fullmatch(text):
            why = "an RFC 822 date as RSS writes them; Atom dates are RFC 3339"
        else:
            why = "not an RFC 3339 date-time"
        return f"{_q(value)}: {why}"
    problem = _check_clock(
        int(match["year"]), int(match["mon"]), int(match["day"]),
        int(match["h"]), int(match["m"]), int(match["s"]),
    )  # fmt: skip
    zone = match["zone"]
    if problem is None and zone != "Z" and (int(zone[1:3]) > 23 or int(zone[4:]) > 59):
        problem = f"the offset {zone} is out of range"
    return None if problem is None else f"{_q(value)}: {problem}"


# --------------------------------------------------------------------------- URLs

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HIERARCHICAL = ("http", "https", "ftp")
_URL_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


def _scheme(url: str) -> str | None:
    match = _SCHEME.match(url)
    return match.group()[:-1].lower() if match else None


def is_absolute_uri(url: str) -> bool:
    """True for an absolute URI/IRI (RFC 3986 §4.3), with a host for http, https and ftp."""
    url = url.strip()
    scheme = _scheme(url)
    if scheme is None or _URL_FORBIDDEN.search(url):
        return False
    if scheme in _HIERARCHICAL:
        return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]", url) is not None
    return len(url) > len(scheme) + 1


def _is_web_url(url: str) -> bool:
    return is_absolute_uri(url) and _scheme(url.strip()) in ("http", "https")


def _has_absolute_base(el: etree._Element) -> bool:
    # XML Base §4.2 (RFC 4287 §2): relative references resolve against xml:base in scope.
    base = el.base
    return base is not None and is_absolute_uri(base)


# --------------------------------------------------------------------------- HTML content

# Elements the W3C service reports as SecurityRisk (not on its list of acceptable elements)
# that can run code, load other documents or restyle the reader's page.
# fmt: off
_RISKY_ELEMENTS = frozenset((
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "link", "meta", "param", "xmp", "plaintext",
))
_URL_ATTRIBUTES = frozenset((
    "href", "src", "srcset", "action", "formaction", "poster", "background", "cite",
    "longdesc", "xlink:href", "data", "codebase",
))
# fmt: on
# Attributes whose relative values a reader resolves against the wrong base (W3C checks a/@href
# and img/@src; media and srcset have the same problem).
_LINK_ATTRIBUTES = frozenset(("href", "src", "srcset", "poster"))
_URL_NOISE = re.compile(r"[\x00-\x20]")
_SAFE_DATA = re.compile(r"data:image/(png|gif|jpeg|webp)[;,]")


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a piece of HTML sits in the feed, for the findings about it."""

    line: int | None
    field: str
    entry: str | None
    base_ok: bool  # relative references resolve (Atom, an absolute xml:base in scope)
    atom: bool


def _html_elements(markup: str) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(tag, attributes) of every element in an HTML fragment, parsed without network access."""
    if "<" not in markup:
        return
    # A parser per fragment: lxml parsers must not be shared between threads.
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        doc = etree.fromstring(f"<html><body>{markup}</body></html>", parser)
    except (etree.LxmlError, ValueError):
        return
    if doc is None:
        return
    for el in doc.iter(etree.Element):
        if el.tag in ("html", "body") and el.getparent() in (None, doc):
            continue
        yield str(el.tag).lower(), [(str(k).lower(), str(v)) for k, v in el.attrib.items()]


def _xhtml_elements(div: etree._Element) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    for el in div.iter(etree.Element):
        if el is not div:
            yield etree.QName(el).localname.lower(), _attributes(el)


def _xhtml_attr_name(name: str) -> str:
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.split("}", 1)[1]
    return etree.QName(name).localname.lower() if name.startswith("{") else name.lower()


def _url_values(name: str, value: str) -> list[str]:
    if name == "srcset":  # HTML: comma-separated "url descriptor" candidates
        return [part.split()[0] for part in value.split(",") if part.split()]
    return [value]


def _lint_html(
    elements: Iterable[tuple[str, list[tuple[str, str]]]], where: _Where, report: _Report
) -> None:
    """SecurityRisk*, ContainsRelRef: at most one finding per rule per piece of HTML."""
    found: dict[str, str] = {}
    for tag, attributes in elements:
        if tag in _RISKY_ELEMENTS and "SecurityRisk" not in found:
            found["SecurityRisk"] = (
                f"{where.field} contains a <{tag}> element, which readers strip or, worse, run; "
                "remove it (sanitise the HTML before publishing)"
            )
        for name, raw in attributes:
            if name.startswith("on") and "SecurityRiskAttr" not in found:
                found["SecurityRiskAttr"] = (
                    f"{where.field} has an event-handler attribute {name}= on <{tag}>; "
                    "remove it (sanitise the HTML before publishing)"
                )
            if name not in _URL_ATTRIBUTES:
                continue
            for value in _url_values(name, raw):
                # WHATWG URL parsing drops ASCII tab/newline anywhere and C0/space at the ends,
                # so "java\tscript:" is still javascript:.
                squeezed = _URL_NOISE.sub("", value).lower()
                scheme = _scheme(squeezed)
                risky = scheme in ("javascript", "vbscript", "livescript") or (
                    scheme == "data" and not _SAFE_DATA.match(squeezed)
                )
                if risky and "SecurityRiskURL" not in found:
                    found["SecurityRiskURL"] = (
                        f"{where.field} has {name}={_q(value)} on <{tag}>; a {scheme}: URL can "
                        "run code in the reader when clicked: remove it or use an http(s) URL"
                    )
                elif (
                    name in _LINK_ATTRIBUTES
                    and scheme is None
                    and not where.base_ok
                    and "ContainsRelRef" not in found
                ):
                    found["ContainsRelRef"] = (
                        f"{where.field} has the relative URL {name}={_q(value.strip())} on "
                        f"<{tag}>; readers resolve it against the feed's address or not at all: "
                        "make it absolute (https://...)"
                    )
    for rule, message in found.items():
        report.add(rule, where.line, message, entry=where.entry, field=where.field)


def _html_field(el: etree._Element, where: _Where, report: _Report, is_html: bool = True) -> None:
    """An element whose text is (escaped) HTML: RSS description and content:encoded, Atom
    text constructs of type text or html. Raw child elements are a mistake of their own."""
    children = list(el.iterchildren(etree.Element))
    raw = ((etree.QName(c).localname.lower(), _attributes(c)) for c in _descendants(children))
    parsed = _html_elements(_text(el)) if is_html else iter(())
    if children:
        # W3C UndefinedElement: markup must be escaped (&lt;p&gt;) or wrapped in CDATA here.
        report.add(
            "UndefinedElement",
            _line(children[0]),
            f"<{where.field}> contains the element <{_display(children[0])}>; escape the "
            "markup (&lt;p&gt; or a CDATA section)"
            + (', or use type="xhtml" with an XHTML <div>' if where.atom else ""),
            entry=where.entry,
            field=where.field,
        )
    _lint_html(chain(raw, parsed), where, report)


def _descendants(roots: list[etree._Element]) -> Iterator[etree._Element]:
    for root in roots:
        yield from root.iter(etree.Element)


def _attributes(el: etree._Element) -> list[tuple[str, str]]:
    return [(_xhtml_attr_name(str(k)), str(v)) for k, v in el.attrib.items()]


# --------------------------------------------------------------------------- shared helpers


def _children(parent: etree._Element) -> dict[str, list[etree._Element]]:
    """Child elements grouped by Clark-notation tag, in document order."""
    groups: dict[str, list[etree._Element]] = {}
    for child in parent.iterchildren(etree.Element):
        groups.setdefault(str(child.tag), []).append(child)
    return groups


def _text(el: etree._Element) -> str:
    return "".join(cast("Iterable[str]", el.itertext())).strip()


def _line(el: etree._Element) -> int | None:
    return cast("int | None", el.sourceline)  # lxml-stubs types sourceline as "..."


def _duplicates(
    groups: Mapping[str, list[etree._Element]],
    tags: Iterable[str],
    parent: str,
    report: _Report,
    entry: str | None = None,
) -> None:
    for tag in tags:
        for extra in groups.get(tag, [])[1:]:
            name = _display(extra)
            report.add(
                "DuplicateElement",
                _line(extra),
                f"<{parent}> contains more than one <{name}>; keep exactly one",
                entry=entry,
                field=name,
            )


def _missing(
    report: _Report, line: int | None, parent: str, name: str, why: str, entry: str | None = None
) -> None:
    report.add(
        "MissingElement",
        line,
        f"<{parent}> has no <{name}>; {why}",
        entry=entry,
        field=name,
    )


def _first(groups: Mapping[str, list[etree._Element]], tag: str) -> etree._Element | None:
    found = groups.get(tag)
    return found[0] if found else None


def _full_link(el: etree._Element, report: _Report, what: str, entry: str | None = None) -> None:
    value = _text(el)
    if not is_absolute_uri(value):
        report.add(
            "InvalidFullLink",
            _line(el),
            f"{what} {_q(value)} is not an absolute URI; write the full address "
            "(https://example.com/...) or, for an id, a tag: or urn: URI",
            entry=entry,
            field=_display(el),
        )


def _atom_link(
    link: etree._Element, report: _Report, entry: str | None = None
) -> tuple[str, str] | None:
    """Checks one atom:link (RFC 4287 §4.2.7); returns (rel, href) when it has an href."""
    href = link.get("href")
    name = _display(link)
    if href is None:
        report.add(
            "MissingHref",
            _line(link),
            f"<{name}> has no href attribute (RFC 4287 §4.2.7.1); add the link's URL",
            entry=entry,
            field=name,
        )
        return None
    rel = (link.get("rel") or "alternate").strip()
    if not is_absolute_uri(href) and not _has_absolute_base(link):
        rule = "RelativeSelf" if rel == "self" else "RelativeLink"
        report.add(
            rule,
            _line(link),
            f'<{name} rel="{rel}"> has the relative href {_q(href)} and no absolute xml:base '
            "is in scope; make it absolute (https://...)",
            entry=entry,
            field=name,
        )
    return rel, href


# --------------------------------------------------------------------------- RSS 2.0

_A = f"{{{ATOM_NS}}}"
_CONTENT_ENCODED = f"{{{CONTENT_NS}}}encoded"
_RSS_VERSIONS = ("2.0", "0.91", "0.92")  # RSS 2.0 is compatible with 0.91 and 0.92
_CHANNEL_SINGLE = ("title", "link", "description", "language", "pubDate", "lastBuildDate",
                   "ttl", "image", "docs", "generator")  # fmt: skip
_ITEM_SINGLE = ("title", "link", "description", "guid", "pubDate", "author", "comments",
                "source", _CONTENT_ENCODED, f"{_A}updated", f"{_A}published")  # fmt: skip
_MIME = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?")


def _lint_rss(rss: etree._Element, report: _Report) -> None:
    version = rss.get("version")
    if version is None:
        report.add(
            "MissingAttribute",
            _line(rss),
            '<rss> has no version attribute; write <rss version="2.0">',
            field="version",
        )
    elif version.strip() not in _RSS_VERSIONS:
        report.add(
            "InvalidRSSVersion",
            _line(rss),
            f'<rss version={_q(version)}> is not RSS 2.0; write version="2.0"',
            field="version",
        )
    channels = [c for c in rss.iterchildren(etree.Element) if c.tag == "channel"]
    if not channels:
        _missing(report, _line(rss), "rss", "channel", "an RSS 2.0 feed has one channel")
        return
    for extra in channels[1:]:
        report.add(
            "DuplicateElement",
            _line(extra),
            "<rss> contains more than one <channel>; an RSS 2.0 feed has exactly one",
            field="channel",
        )
    _lint_channel(channels[0], report)


def _lint_channel(channel: etree._Element, report: _Report) -> None:
    groups = _children(channel)
    # RSS 2.0 "Required channel elements": title, link, description.
    for name in ("title", "link", "description"):
        if name not in groups:
            _missing(
                report, _line(channel), "channel", name,
                "RSS 2.0 requires title, link and description on the channel: add it",
            )  # fmt: skip
    _duplicates(groups, _CHANNEL_SINGLE, "channel", report)
    link = _first(groups, "link")
    if link is not None:
        _full_link(link, report, "the channel link")
    for name in ("pubDate", "lastBuildDate"):
        el = _first(groups, name)
        if el is not None:
            _rss_date(el, report)
    has_self = False
    for atom_link in groups.get(f"{_A}link", []):
        rel_href = _atom_link(atom_link, report)
        has_self = has_self or (rel_href is not None and rel_href[0] == "self")
    if not has_self:
        report.add(
            "MissingAtomSelfLink",
            _line(channel),
            '<channel> has no <atom:link rel="self">; add <atom:link href="URL of this feed" '
            'rel="self" type="application/rss+xml"/> (xmlns:atom="http://www.w3.org/2005/Atom")',
            field="atom:link",
        )
    guids: dict[str, int | None] = {}
    for item in groups.get("item", []):
        _lint_item(item, guids, report)


def _rss_date(el: etree._Element, report: _Report, entry: str | None = None) -> None:
    found = check_rfc822(_text(el))
    if found is not None:
        rule, problem = found
        advice = (
            f"write an RFC 822 date-time with a numeric or GMT zone, e.g. {_RFC822_EXAMPLE}"
            if rule != "IncorrectDOW"
            else "correct the weekday or drop it"
        )
        report.add(
            rule,
            _line(el),
            f"<{el.tag}> {problem}; {advice}",
            entry=entry,
            field=str(el.tag),
        )


def _lint_item(item: etree._Element, guids: dict[str, int | None], report: _Report) -> None:
    groups = _children(item)
    guid = _first(groups, "guid")
    link = _first(groups, "link")
    guid_text = _text(guid) if guid is not None else None
    entry = guid_text or (_text(link) if link is not None else None) or None
    line = _line(item)

    # RSS 2.0 "Elements of <item>": at least one of title or description must be present.
    if "title" not in groups and "description" not in groups:
        report.add(
            "ItemMustContainTitleOrDescription",
            line,
            "<item> has neither <title> nor <description>; RSS 2.0 requires at least one",
            entry=entry,
            field="item",
        )
    _duplicates(groups, _ITEM_SINGLE, "item", report, entry)
    if link is not None:
        _full_link(link, report, "the item link", entry)
    if guid is None:
        report.add(
            "MissingGuid",
            line,
            "<item> has no <guid>; add a permanent unique id so readers do not show the item "
            "again when it changes",
            entry=entry,
            field="guid",
        )
    else:
        _lint_guid(guid, link, guids, report)
    date = _first(groups, "pubDate")
    if date is not None:
        _rss_date(date, report, entry)
    for tag in (f"{_A}updated", f"{_A}published"):
        el = _first(groups, tag)
        if el is not None:
            _atom_date(el, report, entry)
    for tag in ("description", _CONTENT_ENCODED):
        # RSS 2.0: description may hold entity-encoded HTML; content:encoded holds HTML.
        el = _first(groups, tag)
        if el is not None:
            _html_field(
                el, _Where(_line(el), _display(el), entry, base_ok=False, atom=False), report
            )
    for enclosure in groups.get("enclosure", []):
        _lint_enclosure(enclosure, report, entry)


def _lint_guid(
    guid: etree._Element,
    link: etree._Element | None,
    guids: dict[str, int | None],
    report: _Report,
) -> None:
    value = _text(guid)
    entry = value or None
    line = _line(guid)
    if value in guids:
        report.add(
            "DuplicateValue",
            line,
            f"guid {_q(value)} is already used by the item on line {guids[value]}; "
            "every item needs its own guid",
            entry=entry,
            field="guid",
        )
    else:
        guids[value] = line
    flag = guid.get("isPermaLink")
    if flag is not None and flag not in ("true", "false"):
        report.add(
            "InvalidBooleanAttribute",
            line,
            f'isPermaLink={_q(flag)} must be "true" or "false"',
            entry=entry,
            field="guid",
        )
    # RSS 2.0: isPermaLink defaults to true, and then the guid is "a url that can be opened
    # in a Web browser".
    if flag not in (None, "true"):
        return
    if not _is_web_url(value):
        has_scheme = _scheme(value) is not None
        report.add(
            "InvalidPermalink" if has_scheme else "InvalidHttpGUID",
            line,
            f"guid {_q(value)} is a permalink (isPermaLink "
            f"{'is true' if flag else 'defaults to true'}) but not a full http(s) URL; "
            'add isPermaLink="false" or use the item\'s URL',
            entry=entry,
            field="guid",
        )
    elif link is not None and _text(link) != value:
        report.add(
            "PermalinkMismatch",
            line,
            f"guid {_q(value)} is a permalink but the item link is {_q(_text(link))}; "
            'our feeds mark a guid isPermaLink="true" only when it equals the link',
            entry=entry,
            field="guid",
        )


def _lint_enclosure(enclosure: etree._Element, report: _Report, entry: str | None) -> None:
    # RSS 2.0 <enclosure>: three required attributes, url (http), length (bytes), type (MIME).
    line = _line(enclosure)
    for attr in ("url", "length", "type"):
        if enclosure.get(attr) is None:
            report.add(
                "MissingAttribute",
                line,
                f"<enclosure> has no {attr} attribute; RSS 2.0 requires url, length and type",
                entry=entry,
                field=f"enclosure@{attr}",
            )
    url, length, mime = enclosure.get("url"), enclosure.get("length"), enclosure.get("type")
    if url is not None and not _is_web_url(url):
        report.add(
            "InvalidURLAttribute",
            line,
            f"enclosure url {_q(url)} is not a full http(s) URL; write the media file's "
            "absolute address",
            entry=entry,
            field="enclosure@url",
        )
    if length is not None and not re.fullmatch(r"\s*\d+\s*", length):
        report.add(
            "InvalidIntegerAttribute",
            line,
            f"enclosure length {_q(length)} is not a whole number of bytes; write the file "
            "size, or 0 when unknown",
            entry=entry,
            field="enclosure@length",
        )
    if mime is not None and not _MIME.fullmatch(mime.strip()):
        report.add(
            "InvalidMIMEAttribute",
            line,
            f"enclosure type {_q(mime)} is not a MIME type; write e.g. 'audio/mpeg'",
            entry=entry,
            field="enclosure@type",
        )


# --------------------------------------------------------------------------- Atom 1.0

_FEED_SINGLE = tuple(
    _A + n for n in ("id", "title", "updated", "subtitle", "rights", "icon", "logo", "generator")
)
_ENTRY_SINGLE = tuple(
    _A + n for n in ("id", "title", "updated", "published", "summary", "content", "rights",
                     "source")
)  # fmt: skip
_TEXT_TYPES = ("text", "html", "xhtml")


def _atom_date(el: etree._Element, report: _Report, entry: str | None = None) -> None:
    problem = check_rfc3339(_text(el))
    if problem is not None:
        name = _display(el)
        report.add(
            "InvalidRFC3339Date",
            _line(el),
            f"<{name}> {problem}; write an RFC 3339 date-time with a zone, e.g. {_RFC3339_EXAMPLE}",
            entry=entry,
            field=name,
        )


def _has_author(groups: Mapping[str, list[etree._Element]]) -> bool:
    if f"{_A}author" in groups:
        return True
    source = _first(groups, f"{_A}source")  # RFC 4287 §4.2.1: an atom:source author counts
    return source is not None and source.find(f"{_A}author") is not None


def _lint_authors(
    groups: Mapping[str, list[etree._Element]], report: _Report, entry: str | None = None
) -> None:
    for author in groups.get(f"{_A}author", []):
        if author.find(f"{_A}name") is None:  # RFC 4287 §3.2.1: exactly one atom:name
            _missing(report, _line(author), "author", "name",
                     "every Atom author needs a name: add <name>", entry)  # fmt: skip


def _lint_atom(feed: etree._Element, report: _Report) -> None:
    groups = _children(feed)
    # RFC 4287 §4.1.1: atom:feed MUST contain exactly one atom:id, atom:title, atom:updated.
    for name in ("id", "title", "updated"):
        if _A + name not in groups:
            _missing(report, _line(feed), "feed", name,
                     "RFC 4287 requires id, title and updated on the feed: add it")  # fmt: skip
    _duplicates(groups, _FEED_SINGLE, "feed", report)
    feed_id = _first(groups, f"{_A}id")
    if feed_id is not None:
        _full_link(feed_id, report, "the feed id")
    updated = _first(groups, f"{_A}updated")
    if updated is not None:
        _atom_date(updated, report)
    for name in ("title", "subtitle", "rights"):
        for el in groups.get(_A + name, [])[:1]:
            _text_construct(el, report, None)
    _lint_authors(groups, report)
    has_self = False
    for link in groups.get(f"{_A}link", []):
        rel_href = _atom_link(link, report)
        has_self = has_self or (rel_href is not None and rel_href[0] == "self")
    if not has_self:
        report.add(
            "MissingSelf",
            _line(feed),
            '<feed> has no <link rel="self">; add <link rel="self" href="URL of this feed" '
            'type="application/atom+xml"/>',
            field="link",
        )
    feed_author = _has_author(groups)
    entries = groups.get(f"{_A}entry", [])
    if not entries and not feed_author:
        _missing(report, _line(feed), "feed", "author",
                 "a feed without entries needs a feed-level author")  # fmt: skip
    ids: dict[str, int | None] = {}
    for entry in entries:
        _lint_entry(entry, feed_author, ids, report)


def _lint_entry(
    entry_el: etree._Element, feed_author: bool, ids: dict[str, int | None], report: _Report
) -> None:
    groups = _children(entry_el)
    id_el = _first(groups, f"{_A}id")
    entry = (_text(id_el) or None) if id_el is not None else None
    line = _line(entry_el)
    # RFC 4287 §4.1.2: exactly one atom:id, atom:title and atom:updated.
    for name in ("id", "title", "updated"):
        if _A + name not in groups:
            _missing(report, line, "entry", name,
                     "RFC 4287 requires id, title and updated on every entry: add it",
                     entry)  # fmt: skip
    _duplicates(groups, _ENTRY_SINGLE, "entry", report, entry)
    if id_el is not None:
        _full_link(id_el, report, "the entry id", entry)
        value = _text(id_el)
        if value in ids:
            # RFC 4287 §4.1.1 lets one id repeat for versions of an entry; readers then keep
            # one of them, so our own feeds must never repeat an id.
            report.add(
                "DuplicateEntries",
                _line(id_el),
                f"entry id {_q(value)} is already used by the entry on line {ids[value]}; "
                "give every entry its own id",
                entry=entry,
                field="id",
            )
        else:
            ids[value] = _line(id_el)
    for name in ("updated", "published"):
        el = _first(groups, _A + name)
        if el is not None:
            _atom_date(el, report, entry)
    # RFC 4287 §4.1.1: an author on the feed, or on every entry (or its atom:source).
    if not feed_author and not _has_author(groups):
        _missing(report, line, "entry", "author",
                 "RFC 4287 requires an author on the feed or on every entry: add one",
                 entry)  # fmt: skip
    _lint_authors(groups, report, entry)
    for name in ("title", "summary", "rights", "content"):
        el = _first(groups, _A + name)
        if el is not None:
            _text_construct(el, report, entry)
    has_alternate = False
    for link in groups.get(f"{_A}link", []):
        rel_href = _atom_link(link, report, entry)
        has_alternate = has_alternate or (rel_href is not None and rel_href[0] == "alternate")
    # RFC 4287 §4.1.1: no atom:content means at least one rel="alternate" link.
    if f"{_A}content" not in groups and not has_alternate:
        report.add(
            "MissingContentOrAlternate",
            line,
            '<entry> has neither <content> nor <link rel="alternate">; add the article\'s URL '
            "as an alternate link or include its content",
            entry=entry,
            field="content",
        )


def _text_construct(el: etree._Element, report: _Report, entry: str | None) -> None:
    """RFC 4287 §3.1 text constructs (and §4.1.3 atom:content)."""
    name = _display(el)
    is_content = etree.QName(el).localname == "content"
    kind = (el.get("type") or "text").strip()
    if is_content and (el.get("src") is not None or "/" in kind):
        return  # out-of-line or MIME-typed content (§4.1.3.3): nothing inline to check
    if kind not in _TEXT_TYPES:
        report.add(
            "InvalidTextType",
            _line(el),
            f'<{name} type={_q(kind)}>: the type must be "text", "html" or "xhtml"',
            entry=entry,
            field=name,
        )
        return
    if kind in ("text", "html"):
        where = _Where(_line(el), name, entry, _has_absolute_base(el), atom=True)
        _html_field(el, where, report, is_html=kind == "html")
        return
    children = list(el.iterchildren(etree.Element))
    # RFC 4287 §3.1.1.3: type="xhtml" content is a single xhtml:div.
    div = children[0] if len(children) == 1 else None
    if (
        div is None
        or div.tag != f"{{{XHTML_NS}}}div"
        or (el.text or "").strip()
        or (div.tail or "").strip()
    ):
        report.add(
            "MissingXhtmlDiv",
            _line(el),
            f'<{name} type="xhtml"> must hold exactly one <div '
            'xmlns="http://www.w3.org/1999/xhtml"> around its markup',
            entry=entry,
            field=name,
        )
        return
    where = _Where(_line(el), name, entry, _has_absolute_base(div), atom=True)
    _lint_html(_xhtml_elements(div), where, report)
