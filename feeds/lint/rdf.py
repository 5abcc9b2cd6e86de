"""RSS 1.0 and RSS 0.90 (RDF feeds, root rdf:RDF): recognised and checked for their required
elements, single elements, full links and rdf:about (RSS 1.0 §5; RSS 0.90 as Netscape wrote it).
"""

from __future__ import annotations

from lxml import etree

from feeds.lint.report import Report, quote
from feeds.lint.tree import child_groups, display, duplicates, full_link, line_of, missing

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS10_NS = "http://purl.org/rss/1.0/"
RSS090_NS = "http://my.netscape.com/rdf/simple/0.9/"
RDF_NAMESPACES = (RSS10_NS, RSS090_NS)

# RSS 1.0 §5.3-5.6 (0.90 has the same parts without rdf:about and channel/items).
_REQUIRED = {
    "channel": ("title", "link", "description"),
    "image": ("title", "url", "link"),
    "item": ("title", "link"),
    "textinput": ("title", "description", "name", "link"),
}
_KNOWN = {
    "channel": ("title", "link", "description", "image", "items", "textinput"),
    "image": ("title", "url", "link"),
    "item": ("title", "link", "description"),
    "textinput": ("title", "description", "name", "link"),
}
_LINKS = ("link", "url")


def is_rdf_feed(root: etree._Element) -> bool:
    """True for <rdf:RDF> holding a channel of RSS 1.0 or RSS 0.90."""
    if root.tag != f"{{{RDF_NS}}}RDF":
        return False
    return any(root.find(f"{{{ns}}}channel") is not None for ns in RDF_NAMESPACES)


def lint_rdf(root: etree._Element, report: Report) -> None:
    ns = RSS10_NS if root.find(f"{{{RSS10_NS}}}channel") is not None else RSS090_NS
    groups = child_groups(root)
    duplicates(groups, (f"{{{ns}}}channel", f"{{{ns}}}image", f"{{{ns}}}textinput"), "rdf:RDF",
               report)  # fmt: skip
    for tag, elements in groups.items():
        qname = etree.QName(tag)
        if qname.namespace == ns and qname.localname not in _REQUIRED:
            _undefined(elements[0], "rdf:RDF", report)
    abouts: dict[str, int | None] = {}
    for part in _REQUIRED:
        for el in groups.get(f"{{{ns}}}{part}", []):
            _lint_part(el, part, ns, report)
            about = el.get(f"{{{RDF_NS}}}about")
            if part == "item" and about is not None:
                _unique_about(el, about.strip(), abouts, report)
    if ns == RSS10_NS:
        channel = groups[f"{{{ns}}}channel"][0]
        if channel.find(f"{{{ns}}}items") is None:  # RSS 1.0 §5.3.5: channel/items is required
            missing(report, line_of(channel), "channel", "items",
                    "RSS 1.0 requires <items><rdf:Seq> listing every item's rdf:about")  # fmt: skip


def _lint_part(el: etree._Element, part: str, ns: str, report: Report) -> None:
    groups = child_groups(el)
    name = display(el)
    entry = None
    if ns == RSS10_NS and el.get(f"{{{RDF_NS}}}about") is None:  # RSS 1.0 §5.3-5.6
        report.add(
            "MissingAttribute",
            line_of(el),
            f"<{name}> has no rdf:about attribute; RSS 1.0 requires it (the URI of the "
            f'{part}): add rdf:about="..."',
            field=f"{name}@rdf:about",
        )
    for child in _REQUIRED[part]:
        if f"{{{ns}}}{child}" not in groups:
            missing(report, line_of(el), name, child,
                    f"RSS 1.0 and 0.90 require it in <{part}>: add it")  # fmt: skip
    known = {f"{{{ns}}}{child}" for child in _KNOWN[part]}
    duplicates(groups, sorted(known), name, report)
    for tag, children in groups.items():
        if etree.QName(tag).namespace == ns and tag not in known:
            _undefined(children[0], name, report)
    for child in _LINKS:
        for link in groups.get(f"{{{ns}}}{child}", [])[:1]:
            if part == "channel" or child in _REQUIRED[part]:
                full_link(link, report, f"<{name}><{child}>", entry)


def _unique_about(
    item: etree._Element, about: str, abouts: dict[str, int | None], report: Report
) -> None:
    """RSS 1.0 §5.5: an item's rdf:about is its URI, so two items cannot share one."""
    if about in abouts:
        report.add(
            "DuplicateValue",
            line_of(item),
            f"item rdf:about {quote(about)} is already used by the item on line {abouts[about]}; "
            "every item needs its own URI",
            entry=about,
            field="item@rdf:about",
        )
    else:
        abouts[about] = line_of(item)


def _undefined(child: etree._Element, parent: str, report: Report) -> None:
    name = display(child)
    report.add(
        "UndefinedElement",
        line_of(child),
        f"<{parent}> has a <{name}> element, which RSS 1.0 does not define there; check the "
        "spelling, or put an extension element in its own namespace",
        field=name,
    )
