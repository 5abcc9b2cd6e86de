"""Namespaces and the element helpers the RSS and Atom checks share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import cast

from lxml import etree

from feeds.layout import ATOM_NS, CONTENT_NS, DC_NS, MEDIA_NS
from feeds.lint.report import Report, quote
from feeds.lint.urls import bad_uri_char, is_absolute_uri

ATOM = f"{{{ATOM_NS}}}"  # the Clark-notation prefix of Atom tags

# W3C ReservedPrefix: prefixes readers match by habit, with the namespace they stand for.
WELL_KNOWN_PREFIXES = {
    "atom": ATOM_NS,
    "content": CONTENT_NS,
    "dc": DC_NS,
    "dcterms": "http://purl.org/dc/terms/",
    "media": MEDIA_NS,
}
_PREFIXES = {ns: prefix for prefix, ns in WELL_KNOWN_PREFIXES.items()}


def display(el: etree._Element) -> str:
    """An element's name as a reader of the file would write it: `content:encoded`, `title`."""
    qname = etree.QName(el)
    ns = qname.namespace
    if ns is None or (ns == ATOM_NS and not el.prefix):
        return qname.localname
    prefix = el.prefix or _PREFIXES.get(ns)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def child_groups(parent: etree._Element) -> dict[str, list[etree._Element]]:
    """Child elements grouped by Clark-notation tag, in document order."""
    groups: dict[str, list[etree._Element]] = {}
    for child in parent.iterchildren(etree.Element):
        groups.setdefault(str(child.tag), []).append(child)
    return groups


def text_of(el: etree._Element) -> str:
    return raw_text(el).strip()


def raw_text(el: etree._Element) -> str:
    """An element's text as written, surrounding whitespace included."""
    return "".join(cast("Iterable[str]", el.itertext()))


def line_of(el: etree._Element) -> int | None:
    return cast("int | None", el.sourceline)  # lxml-stubs types sourceline as "..."


def duplicates(
    groups: Mapping[str, list[etree._Element]],
    tags: Iterable[str],
    parent: str,
    report: Report,
    entry: str | None = None,
) -> None:
    for tag in tags:
        for extra in groups.get(tag, [])[1:]:
            name = display(extra)
            report.add(
                "DuplicateElement",
                line_of(extra),
                f"<{parent}> contains more than one <{name}>; keep exactly one",
                entry=entry,
                field=name,
            )


def missing(
    report: Report, line: int | None, parent: str, name: str, why: str, entry: str | None = None
) -> None:
    report.add(
        "MissingElement",
        line,
        f"<{parent}> has no <{name}>; {why}",
        entry=entry,
        field=name,
    )


def first(groups: Mapping[str, list[etree._Element]], tag: str) -> etree._Element | None:
    found = groups.get(tag)
    return found[0] if found else None


def full_link(el: etree._Element, report: Report, what: str, entry: str | None = None) -> None:
    value = text_of(el)
    if bad_uri_char(value) is not None:
        uri_char(el, value, report, what, entry)
    elif not is_absolute_uri(value):
        report.add(
            "InvalidFullLink",
            line_of(el),
            f"{what} {quote(value)} is not an absolute URI; write the full address "
            "(https://example.com/...) or, for an id, a tag: or urn: URI",
            entry=entry,
            field=display(el),
        )


def uri_char(
    el: etree._Element,
    value: str,
    report: Report,
    what: str,
    entry: str | None = None,
    *,
    field: str | None = None,
) -> None:
    """W3C InvalidUriChar: a character RFC 3986 forbids inside a URI (a space, a quote...)."""
    char = bad_uri_char(value) or ""
    report.add(
        "InvalidUriChar",
        line_of(el),
        f"{what} {quote(value)} contains {char!r}, which a URI cannot hold (RFC 3986 §2); "
        "percent-encode it (a space is %20)",
        entry=entry,
        field=field or display(el),
    )
