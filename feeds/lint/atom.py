"""Atom 1.0 (RFC 4287): feed, entries, links, dates, authors, text constructs."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from feeds.layout import XHTML_NS
from feeds.lint.dates import RFC3339_EXAMPLE, check_rfc3339, implausible_rfc3339
from feeds.lint.elements import ATOM_PARTS, check_parts
from feeds.lint.html import Where, html_field, lint_html, xhtml_elements
from feeds.lint.report import Report, quote
from feeds.lint.tree import (
    ATOM,
    child_groups,
    display,
    duplicates,
    first,
    full_link,
    line_of,
    missing,
    raw_text,
    text_of,
    uri_char,
)
from feeds.lint.urls import bad_uri_char, has_absolute_base, has_surrounding_space, is_absolute_uri

_FEED_SINGLE = tuple(
    ATOM + n for n in ("id", "title", "updated", "subtitle", "rights", "icon", "logo", "generator")
)
_ENTRY_SINGLE = tuple(
    ATOM + n for n in ("id", "title", "updated", "published", "summary", "content", "rights",
                        "source")
)  # fmt: skip
_TEXT_TYPES = ("text", "html", "xhtml")
_LINES_SHOWN = 5  # lines named in a DuplicateUpdated message


def implausible(
    el: etree._Element,
    problem: str | None,
    report: Report,
    entry: str | None = None,
    *,
    field: str | None = None,
) -> None:
    """Reports W3C ImplausibleDate (a warning in both modes: old articles are real). `field`
    names an attribute holding the date (`outline@created`), else the element is the date."""
    if problem is not None:
        name = field or display(el)
        report.add(
            "ImplausibleDate",
            line_of(el),
            f"{name if field else f'<{name}>'} {problem}; check the year (a date really that "
            "old may stay)",
            entry=entry,
            field=name,
        )


def unexpected_whitespace(
    value: str, el: etree._Element, report: Report, entry: str | None, field: str | None = None
) -> None:
    """W3C UnexpectedWhitespace: RFC 3339 dates, IRIs (atom:id, href) have no spaces; a
    reader comparing ids character by character (RFC 4287 §4.2.6.1) sees another id."""
    if has_surrounding_space(value):
        name = field or display(el)
        report.add(
            "UnexpectedWhitespace",
            line_of(el),
            f"{name if field else f'<{name}>'} is {quote(value)}, with whitespace around the "
            "value; remove the spaces and line breaks around it",
            entry=entry,
            field=name,
        )


def atom_date(el: etree._Element, report: Report, entry: str | None = None) -> None:
    unexpected_whitespace(raw_text(el), el, report, entry)
    value = text_of(el)
    problem = check_rfc3339(value)
    if problem is None:
        implausible(el, implausible_rfc3339(value), report, entry)
    else:
        name = display(el)
        report.add(
            "InvalidRFC3339Date",
            line_of(el),
            f"<{name}> {problem}; write an RFC 3339 date-time with a zone, e.g. {RFC3339_EXAMPLE}",
            entry=entry,
            field=name,
        )


def _has_author(groups: Mapping[str, list[etree._Element]]) -> bool:
    if f"{ATOM}author" in groups:
        return True
    source = first(groups, f"{ATOM}source")  # RFC 4287 §4.2.1: an atom:source author counts
    return source is not None and source.find(f"{ATOM}author") is not None


def _lint_authors(
    groups: Mapping[str, list[etree._Element]], report: Report, entry: str | None = None
) -> None:
    for author in groups.get(f"{ATOM}author", []):
        if author.find(f"{ATOM}name") is None:  # RFC 4287 §3.2.1: exactly one atom:name
            missing(report, line_of(author), "author", "name",
                    "every Atom author needs a name: add <name>", entry)  # fmt: skip


def lint_atom(feed: etree._Element, report: Report) -> None:
    groups = child_groups(feed)
    # RFC 4287 §4.1.1: atom:feed MUST contain exactly one atom:id, atom:title, atom:updated.
    for name in ("id", "title", "updated"):
        if ATOM + name not in groups:
            missing(report, line_of(feed), "feed", name,
                    "RFC 4287 requires id, title and updated on the feed: add it")  # fmt: skip
    duplicates(groups, _FEED_SINGLE, "feed", report)
    check_parts(feed, ATOM_PARTS, report)
    feed_id = first(groups, f"{ATOM}id")
    if feed_id is not None:
        unexpected_whitespace(raw_text(feed_id), feed_id, report, None)
        full_link(feed_id, report, "the feed id")
    updated = first(groups, f"{ATOM}updated")
    if updated is not None:
        atom_date(updated, report)
    for name in ("title", "subtitle", "rights"):
        for el in groups.get(ATOM + name, [])[:1]:
            _text_construct(el, report, None)
    _lint_authors(groups, report)
    if not check_atom_links(groups, report):
        report.add(
            "MissingSelf",
            line_of(feed),
            '<feed> has no <link rel="self">; add <link rel="self" href="URL of this feed" '
            'type="application/atom+xml"/>',
            field="link",
        )
    # RFC 4287 §4.1.1: atom:author is required on the feed only when an entry lacks one, so
    # a feed with no entries needs none (the W3C validator agrees).
    feed_author = _has_author(groups)
    entries = groups.get(f"{ATOM}entry", [])
    ids: dict[str, int | None] = {}
    times: dict[str, list[tuple[int | None, str | None]]] = {}
    for entry in entries:
        _lint_entry(entry, feed_author, ids, report)
        _collect_updated(entry, times)
    _duplicate_updated(times, report)


def _collect_updated(
    entry_el: etree._Element, updated: dict[str, list[tuple[int | None, str | None]]]
) -> None:
    el = entry_el.find(f"{ATOM}updated")
    if el is None or not (value := text_of(el)):
        return
    id_el = entry_el.find(f"{ATOM}id")
    entry = (text_of(id_el) or None) if id_el is not None else None
    updated.setdefault(value, []).append((line_of(el), entry))


def _duplicate_updated(
    updated: dict[str, list[tuple[int | None, str | None]]], report: Report
) -> None:
    # W3C DuplicateUpdated: entries sharing one atom:updated value (compared as written).
    # Legitimate (two articles edited in the same minute), so one warning per value.
    for value, places in updated.items():
        if len(places) < 2:
            continue
        shown = [str(line) for line, _ in places[:_LINES_SHOWN]]
        more = len(places) - len(shown)
        lines = ", ".join(shown) + (f" and {more} more" if more else "")
        line, entry = places[1]
        report.add(
            "DuplicateUpdated",
            line,
            f"{len(places)} entries have the same <updated> {quote(value)} (lines {lines}), "
            "often the sign of an update time that is not the real one, and readers that order "
            "entries by it cannot tell them apart; if these are the real times, keep them",
            entry=entry,
            field="updated",
        )


def _lint_entry(
    entry_el: etree._Element, feed_author: bool, ids: dict[str, int | None], report: Report
) -> None:
    groups = child_groups(entry_el)
    id_el = first(groups, f"{ATOM}id")
    entry = (text_of(id_el) or None) if id_el is not None else None
    line = line_of(entry_el)
    # RFC 4287 §4.1.2: exactly one atom:id, atom:title and atom:updated.
    for name in ("id", "title", "updated"):
        if ATOM + name not in groups:
            missing(report, line, "entry", name,
                    "RFC 4287 requires id, title and updated on every entry: add it",
                    entry)  # fmt: skip
    duplicates(groups, _ENTRY_SINGLE, "entry", report, entry)
    check_parts(entry_el, ATOM_PARTS, report, entry)
    if id_el is not None:
        unexpected_whitespace(raw_text(id_el), id_el, report, entry)
        full_link(id_el, report, "the entry id", entry)
        value = text_of(id_el)
        if value in ids:
            # RFC 4287 §4.1.1 lets one id repeat for versions of an entry; readers then keep
            # one of them, so our own feeds must never repeat an id.
            report.add(
                "DuplicateEntries",
                line_of(id_el),
                f"entry id {quote(value)} is already used by the entry on line {ids[value]}; "
                "give every entry its own id",
                entry=entry,
                field="id",
            )
        else:
            ids[value] = line_of(id_el)
    for name in ("updated", "published"):
        el = first(groups, ATOM + name)
        if el is not None:
            atom_date(el, report, entry)
    # RFC 4287 §4.1.1: an author on the feed, or on every entry (or its atom:source).
    if not feed_author and not _has_author(groups):
        missing(report, line, "entry", "author",
                "RFC 4287 requires an author on the feed or on every entry: add one",
                entry)  # fmt: skip
    _lint_authors(groups, report, entry)
    for name in ("title", "summary", "rights", "content"):
        el = first(groups, ATOM + name)
        if el is not None:
            _text_construct(el, report, entry)
    has_alternate = False
    for link in groups.get(f"{ATOM}link", []):
        rel_href = check_atom_link(link, report, entry)
        has_alternate = has_alternate or (rel_href is not None and rel_href[0] == "alternate")
    # RFC 4287 §4.1.1: no atom:content means at least one rel="alternate" link.
    if f"{ATOM}content" not in groups and not has_alternate:
        report.add(
            "MissingContentOrAlternate",
            line,
            '<entry> has neither <content> nor <link rel="alternate">; add the article\'s URL '
            "as an alternate link or include its content",
            entry=entry,
            field="content",
        )


def _text_construct(el: etree._Element, report: Report, entry: str | None) -> None:
    """RFC 4287 §3.1 text constructs (and §4.1.3 atom:content)."""
    name = display(el)
    is_content = etree.QName(el).localname == "content"
    kind = (el.get("type") or "text").strip()
    if is_content and (el.get("src") is not None or "/" in kind):
        return  # out-of-line or MIME-typed content (§4.1.3.3): nothing inline to check
    if kind not in _TEXT_TYPES:
        report.add(
            "InvalidTextType",
            line_of(el),
            f'<{name} type={quote(kind)}>: the type must be "text", "html" or "xhtml"',
            entry=entry,
            field=name,
        )
        return
    if kind in ("text", "html"):
        where = Where(line_of(el), name, entry, has_absolute_base(el), atom=True)
        html_field(el, where, report, is_html=kind == "html")
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
            line_of(el),
            f'<{name} type="xhtml"> must hold exactly one <div '
            'xmlns="http://www.w3.org/1999/xhtml"> around its markup',
            entry=entry,
            field=name,
        )
        return
    where = Where(line_of(el), name, entry, has_absolute_base(div), atom=True)
    lint_html(xhtml_elements(div), where, report)


def check_atom_links(groups: dict[str, list[etree._Element]], report: Report) -> bool:
    """Checks every atom:link among a feed's (or RSS channel's) children; True when one of
    them is `rel="self"` (RFC 4287 §4.1.1; RSS feeds carry it as atom:link too)."""
    has_self = False
    for link in groups.get(f"{ATOM}link", []):
        rel_href = check_atom_link(link, report)
        has_self = has_self or (rel_href is not None and rel_href[0] == "self")
    return has_self


def check_atom_link(
    link: etree._Element, report: Report, entry: str | None = None
) -> tuple[str, str] | None:
    """Checks one atom:link (RFC 4287 §4.2.7); returns (rel, href) when it has an href."""
    href = link.get("href")
    name = display(link)
    if href is None:
        report.add(
            "MissingHref",
            line_of(link),
            f"<{name}> has no href attribute (RFC 4287 §4.2.7.1); add the link's URL",
            entry=entry,
            field=name,
        )
        return None
    rel = (link.get("rel") or "alternate").strip()
    unexpected_whitespace(href, link, report, entry, f"<{name}> href")
    if bad_uri_char(href) is not None:
        uri_char(link, href, report, f"<{name}> href", entry)
    elif not is_absolute_uri(href) and not has_absolute_base(link):
        rule = "RelativeSelf" if rel == "self" else "RelativeLink"
        report.add(
            rule,
            line_of(link),
            f'<{name} rel="{rel}"> has the relative href {quote(href)} and no absolute xml:base '
            "is in scope; make it absolute (https://...)",
            entry=entry,
            field=name,
        )
    return rel, href
