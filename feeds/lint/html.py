"""HTML carried in feeds: SecurityRisk*, ContainsRelRef, UndefinedElement."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from urllib.parse import urlsplit

from lxml import etree

from feeds.lint.report import Report, quote
from feeds.lint.tree import display, line_of, text_of
from feeds.lint.urls import scheme_of

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
class Where:
    """Where a piece of HTML sits in the feed, for the findings about it."""

    line: int | None
    field: str
    entry: str | None
    base_ok: bool  # relative references resolve (Atom, an absolute xml:base in scope)
    atom: bool


Elements = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (tag, attributes) in order

# Parsed fragments by digest: one entry's HTML is in several feed files (the site's, its
# categories', its tags'; RSS and Atom) and, under a watcher, in the next build's too; it is
# parsed once (issue 14). Bounded: emptied when full.
_PARSED: dict[bytes, Elements] = {}
_PARSED_MAX = 4096


def _html_elements(markup: str) -> Elements:
    """(tag, attributes) of every element in an HTML fragment, parsed without network access."""
    if "<" not in markup:
        return ()
    key = hashlib.blake2b(markup.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    found = _PARSED.get(key)
    if found is None:
        found = tuple(_parsed(markup))
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = found
    return found


def _parsed(markup: str) -> Iterator[tuple[str, tuple[tuple[str, str], ...]]]:
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
        yield str(el.tag).lower(), tuple((str(k).lower(), str(v)) for k, v in el.attrib.items())


def xhtml_elements(div: etree._Element) -> Iterator[tuple[str, list[tuple[str, str]]]]:
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


def _allowed_embed(attributes: Sequence[tuple[str, str]], hosts: tuple[str, ...]) -> bool:
    """An iframe whose `src` is https on a host the site allows (`html.allow_iframes`)."""
    if not hosts:
        return False
    src = dict(attributes).get("src", "")
    try:
        parts = urlsplit(src)
        return parts.scheme == "https" and not parts.username and parts.hostname in hosts
    except ValueError:
        return False


def lint_html(
    elements: Iterable[tuple[str, Sequence[tuple[str, str]]]], where: Where, report: Report
) -> None:
    """SecurityRisk*, ContainsRelRef: at most one finding per rule per piece of HTML."""
    found: dict[str, str] = {}
    for tag, attributes in elements:
        allowed = tag == "iframe" and _allowed_embed(attributes, report.iframe_hosts)
        if tag in _RISKY_ELEMENTS and not allowed and "SecurityRisk" not in found:
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
                scheme = scheme_of(squeezed)
                risky = scheme in ("javascript", "vbscript", "livescript") or (
                    scheme == "data" and not _SAFE_DATA.match(squeezed)
                )
                if risky and "SecurityRiskURL" not in found:
                    found["SecurityRiskURL"] = (
                        f"{where.field} has {name}={quote(value)} on <{tag}>; a {scheme}: URL can "
                        "run code in the reader when clicked: remove it or use an http(s) URL"
                    )
                elif (
                    name in _LINK_ATTRIBUTES
                    and scheme is None
                    and not where.base_ok
                    and "ContainsRelRef" not in found
                ):
                    found["ContainsRelRef"] = (
                        f"{where.field} has the relative URL {name}={quote(value.strip())} on "
                        f"<{tag}>; readers resolve it against the feed's address or not at all: "
                        "make it absolute (https://...)"
                    )
    for rule, message in found.items():
        report.add(rule, where.line, message, entry=where.entry, field=where.field)


def html_field(el: etree._Element, where: Where, report: Report, is_html: bool = True) -> None:
    """An element whose text is (escaped) HTML: RSS description and content:encoded, Atom
    text constructs of type text or html. Raw child elements are a mistake of their own."""
    children = list(el.iterchildren(etree.Element))
    raw = ((etree.QName(c).localname.lower(), _attributes(c)) for c in _descendants(children))
    parsed = _html_elements(text_of(el)) if is_html else ()
    if children:
        # W3C UndefinedElement: markup must be escaped (&lt;p&gt;) or wrapped in CDATA here.
        report.add(
            "UndefinedElement",
            line_of(children[0]),
            f"<{where.field}> contains the element <{display(children[0])}>; escape the "
            "markup (&lt;p&gt; or a CDATA section)"
            + (', or use type="xhtml" with an XHTML <div>' if where.atom else ""),
            entry=where.entry,
            field=where.field,
        )
    lint_html(chain(raw, parsed), where, report)


def html_value(value: str, where: Where, report: Report) -> None:
    """A string holding HTML outside an element's text (OPML 2.0 text, title, description)."""
    lint_html(_html_elements(value), where, report)


def _descendants(roots: list[etree._Element]) -> Iterator[etree._Element]:
    for root in roots:
        yield from root.iter(etree.Element)


def _attributes(el: etree._Element) -> list[tuple[str, str]]:
    return [(_xhtml_attr_name(str(k)), str(v)) for k, v in el.attrib.items()]
