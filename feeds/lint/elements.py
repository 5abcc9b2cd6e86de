"""Which elements RSS 2.0 and Atom 1.0 (RFC 4287) define in each parent, how often each may
appear, and the sub-elements and attributes they require (UndefinedElement, DuplicateElement,
MissingElement, MissingAttribute, DuplicateAtomLink). Elements in other namespaces are
extensions (RSS 2.0 "Extending RSS", RFC 4287 §6) and are never reported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from feeds.lint.report import Report, quote
from feeds.lint.tree import ATOM, child_groups, display, duplicates, full_link, line_of, missing
from feeds.lint.urls import is_absolute_uri


@dataclass(frozen=True, slots=True)
class Children:
    """What one parent element may hold. `single` and `required` are checked here only for
    the parts below channel/item and feed/entry (rss.py and atom.py check those two levels)."""

    known: frozenset[str]  # Clark tags the spec defines in this parent
    single: tuple[str, ...] = ()  # at most once
    required: tuple[str, ...] = ()  # at least once
    attributes: tuple[str, ...] = ()  # required attributes
    links: tuple[str, ...] = ()  # children whose text is a full URL
    link_attributes: tuple[str, ...] = ()  # attributes whose value is a full URL
    positive: tuple[str, ...] = ()  # attributes that are whole numbers above 0


# RSS 2.0 "Required channel elements", "Optional channel elements" (a lower-case
# `textinput` is RSS 1.0's; the W3C validator reports it in RSS 2.0 as undefined too).
_CHANNEL = frozenset({
    "title", "link", "description", "language", "copyright", "managingEditor", "webMaster",
    "pubDate", "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image",
    "rating", "textInput", "skipHours", "skipDays", "item",
})  # fmt: skip
# RSS 2.0 "Elements of <item>"
_ITEM = frozenset({"title", "link", "description", "author", "category", "comments",
                   "enclosure", "guid", "pubDate", "source"})  # fmt: skip
_IMAGE = ("url", "title", "link", "width", "height", "description")  # RSS 2.0 <image>
_TEXT_INPUT = ("title", "description", "name", "link")  # RSS 2.0 <textInput>
RSS_PARTS: Mapping[str, Children] = {
    "channel": Children(_CHANNEL, links=("docs",)),
    "item": Children(_ITEM, links=("comments",)),
    "image": Children(frozenset(_IMAGE), _IMAGE, ("url", "title", "link"), links=("url", "link")),
    "textInput": Children(frozenset(_TEXT_INPUT), _TEXT_INPUT, _TEXT_INPUT, links=("link",)),
    # RSS 2.0 <cloud>: five required attributes (port a TCP port), no content
    "cloud": Children(
        frozenset(),
        attributes=("domain", "port", "path", "registerProcedure", "protocol"),
        positive=("port",),
    ),
    "skipHours": Children(frozenset({"hour"})),
    "skipDays": Children(frozenset({"day"})),
    "source": Children(frozenset(), attributes=("url",), link_attributes=("url",)),
}


def _atom(*names: str) -> tuple[str, ...]:
    return tuple(ATOM + name for name in names)


# RFC 4287 §4.1.1 atom:feed, §4.1.2 atom:entry, §4.2.11 atom:source, §3.2 person constructs
_SOURCE = _atom("author", "category", "contributor", "generator", "icon", "id", "link", "logo",
                "rights", "subtitle", "title", "updated")  # fmt: skip
_ENTRY = _atom("author", "category", "content", "contributor", "id", "link", "published",
               "rights", "source", "summary", "title", "updated")  # fmt: skip
_PERSON = _atom("name", "uri", "email")
ATOM_PARTS: Mapping[str, Children] = {
    ATOM + "feed": Children(frozenset((*_SOURCE, ATOM + "entry"))),
    ATOM + "entry": Children(frozenset(_ENTRY)),
    ATOM + "source": Children(
        frozenset(_SOURCE),
        _atom("generator", "icon", "id", "logo", "rights", "subtitle", "title", "updated"),
    ),
    ATOM + "author": Children(frozenset(_PERSON), _PERSON),
    ATOM + "contributor": Children(frozenset(_PERSON), _PERSON, _atom("name")),
    ATOM + "category": Children(frozenset(), attributes=("term",)),  # §4.2.2.1
}


# Entries and items are checked one by one by their format's module (with their id).
_CHECKED_BY_CALLER = ("item", ATOM + "entry")


def _undefined(child: etree._Element, parent: str, report: Report, entry: str | None) -> None:
    name = display(child)
    report.add(
        "UndefinedElement",
        line_of(child),
        f"<{parent}> has a <{name}> element, which its spec does not define there; check the "
        "spelling and case, or put an extension element in its own namespace",
        entry=entry,
        field=name,
    )


def check_parts(
    el: etree._Element, parts: Mapping[str, Children], report: Report, entry: str | None = None
) -> None:
    """Checks `el` against its row of `parts` and descends into every child that has a row.
    RSS rows name no-namespace tags; Atom rows name Atom tags. Never descends into text
    constructs or foreign markup."""
    spec = parts[str(el.tag)]
    parent = display(el)
    atom = str(el.tag).startswith(ATOM)
    for attr in spec.attributes:
        if el.get(attr) is None:
            report.add(
                "MissingAttribute",
                line_of(el),
                f'<{parent}> has no {attr} attribute; the spec requires it: add {attr}="..."',
                entry=entry,
                field=f"{parent}@{attr}",
            )
    groups = child_groups(el)
    for tag, children in groups.items():
        ours = tag.startswith(ATOM) if atom else not tag.startswith("{")
        if ours and tag not in spec.known:
            _undefined(children[0], parent, report, entry)
    for name in spec.required:
        if name not in groups:
            short = etree.QName(name).localname
            missing(report, line_of(el), parent, short,
                    f"the spec requires it in <{parent}>: add it", entry)  # fmt: skip
    if el.tag not in (ATOM + "feed", ATOM + "entry", "channel", "item"):
        duplicates(groups, spec.single, parent, report, entry)
    for name in spec.links:
        for link in groups.get(name, [])[:1]:
            full_link(link, report, f"<{parent}><{name}>", entry)
    _check_attributes(el, spec, parent, report, entry)
    for tag, children in groups.items():
        if tag in parts and tag not in _CHECKED_BY_CALLER:
            for child in children:
                check_parts(child, parts, report, entry)
    if atom:
        duplicate_alternates(groups.get(ATOM + "link", []), parent, report, entry)


def _check_attributes(
    el: etree._Element, spec: Children, parent: str, report: Report, entry: str | None
) -> None:
    for attr in spec.link_attributes:
        value = el.get(attr)
        if value is not None and not is_absolute_uri(value):
            report.add(
                "InvalidFullLink",
                line_of(el),
                f"<{parent} {attr}={quote(value)}> is not an absolute URI; write the full "
                "address (https://example.com/...)",
                entry=entry,
                field=f"{parent}@{attr}",
            )
    for attr in spec.positive:
        value = el.get(attr)
        if value is not None and not (value.strip().isdigit() and int(value) > 0):
            report.add(
                "InvalidIntegerAttribute",
                line_of(el),
                f"<{parent} {attr}={quote(value)}> is not a whole number above 0; write the "
                "port number, e.g. 80",
                entry=entry,
                field=f"{parent}@{attr}",
            )


def duplicate_alternates(
    links: list[etree._Element], parent: str, report: Report, entry: str | None = None
) -> None:
    """RFC 4287 §4.1.1/§4.1.2: no two rel="alternate" links with the same type and hreflang."""
    seen: dict[tuple[str, str], int | None] = {}
    for link in links:
        if (link.get("rel") or "alternate").strip() != "alternate":
            continue
        key = ((link.get("type") or "").strip().lower(), (link.get("hreflang") or "").lower())
        if key not in seen:
            seen[key] = line_of(link)
            continue
        report.add(
            "DuplicateAtomLink",
            line_of(link),
            f'<{parent}> has a second <link rel="alternate"> with type {key[0] or "(none)"!r} '
            f"and hreflang {key[1] or '(none)'!r} (the first is on line {seen[key]}); RFC 4287 "
            "allows one per type and language: remove it or give it its own type or hreflang",
            entry=entry,
            field="link",
        )
