"""OPML 1.0/2.0 subscription lists (opml.org/spec2.opml), as the W3C service checks them:
version, head and its dates, body, outlines (text, type, xmlUrl, htmlUrl) and their HTML."""

from __future__ import annotations

from lxml import etree

from feeds.lint.atom import implausible
from feeds.lint.dates import RFC822_EXAMPLE, check_rfc822, implausible_rfc822
from feeds.lint.html import Where, html_value
from feeds.lint.report import Report, quote
from feeds.lint.rss import rss_date
from feeds.lint.tree import child_groups, duplicates, first, line_of, missing, text_of
from feeds.lint.urls import is_absolute_uri

_VERSIONS = ("1.0", "1.1", "2.0")
# OPML 2.0 "<head>": every child is optional and appears at most once.
_HEAD = ("title", "dateCreated", "dateModified", "ownerName", "ownerEmail", "ownerId",
         "expansionState", "vertScrollState", "windowTop", "windowLeft", "windowBottom",
         "windowRight")  # fmt: skip
_HTML_ATTRIBUTES = ("text", "title", "description")  # OPML 2.0: text may hold HTML markup
_URL_ATTRIBUTES = ("xmlUrl", "htmlUrl", "url")
# Attributes that make an outline a subscription or a link, so it needs a type (W3C).
_FEED_ATTRIBUTES = ("description", "htmlUrl", "language", "title", "version", "xmlUrl")


def lint_opml(opml: etree._Element, report: Report) -> None:
    version = opml.get("version")
    if version is None:
        report.add(
            "MissingAttribute",
            line_of(opml),
            '<opml> has no version attribute; write <opml version="2.0">',
            field="version",
        )
    elif version.strip() not in _VERSIONS:
        report.add(
            "InvalidOPMLVersion",
            line_of(opml),
            f'<opml version={quote(version)}> is not an OPML version; write version="2.0"',
            field="version",
        )
    groups = child_groups(opml)
    for name in ("head", "body"):
        if name not in groups:
            missing(report, line_of(opml), "opml", name,
                    "an OPML document has a head and a body: add it")  # fmt: skip
    duplicates(groups, ("head", "body"), "opml", report)
    _undefined(opml, ("head", "body"), report)
    head = first(groups, "head")
    if head is not None:
        _lint_head(head, report)
    body = first(groups, "body")
    if body is not None:
        if first(child_groups(body), "outline") is None:
            missing(report, line_of(body), "body", "outline",
                    "OPML 2.0 requires at least one outline in the body")  # fmt: skip
        _undefined(body, ("outline",), report)
        for outline in body.iterchildren("outline"):
            _lint_outline(outline, report)


def _undefined(parent: etree._Element, known: tuple[str, ...], report: Report) -> None:
    """W3C UndefinedElement: OPML defines no other elements there (namespaced ones extend)."""
    for child in parent.iterchildren(etree.Element):
        tag = str(child.tag)
        if tag.startswith("{") or tag in known:
            continue
        why = (
            "OPML 2.0 lists <docs>, but the W3C validator rejects it: remove it if the file "
            "must pass there"
            if tag == "docs" and parent.tag == "head"
            else f"OPML defines no <{tag}> in <{parent.tag}>: remove it or put it in a namespace"
        )
        report.add(
            "UndefinedElement",
            line_of(child),
            f"<{parent.tag}> contains <{tag}>; {why}",
            field=tag,
        )


def _lint_head(head: etree._Element, report: Report) -> None:
    groups = child_groups(head)
    duplicates(groups, _HEAD, "head", report)
    _undefined(head, _HEAD, report)
    for name in ("dateCreated", "dateModified"):  # OPML 2.0: RFC 822 date-times
        el = first(groups, name)
        if el is not None:
            rss_date(el, report)
    for name in ("title", "ownerName"):
        el = first(groups, name)
        if el is not None:
            html_value(text_of(el), Where(line_of(el), name, None, False, atom=False), report)


def _lint_outline(outline: etree._Element, report: Report) -> None:
    line = line_of(outline)
    attrs = outline.attrib
    entry = attrs.get("xmlUrl") or attrs.get("text") or None
    # OPML 2.0 "<outline>": text is the one required attribute.
    if "text" not in attrs:
        report.add(
            "MissingAttribute",
            line,
            "<outline> has no text attribute; OPML 2.0 requires it on every outline "
            "(for a feed, its title)",
            entry=entry,
            field="outline@text",
        )
    kind = attrs.get("type")
    if kind is not None and kind.strip().lower() == "rss":
        # OPML 2.0 "Subscription lists": type="rss" outlines carry xmlUrl (and title).
        for name, rule, what in (("xmlUrl", "MissingXmlURL", "the feed's URL"),
                                 ("title", "MissingTitleAttr", "the feed's title")):  # fmt: skip
            if name not in attrs:
                report.add(
                    rule,
                    line,
                    f'<outline type="rss"> has no {name} attribute; add {what}',
                    entry=entry,
                    field=f"outline@{name}",
                )
    elif kind is None and len(attrs) > 1 and any(a in attrs for a in _FEED_ATTRIBUTES):
        report.add(
            "MissingOutlineType",
            line,
            '<outline> has feed attributes but no type; add type="rss" for a feed '
            '(type="link" for a web page)',
            entry=entry,
            field="outline@type",
        )
    for name in _URL_ATTRIBUTES:
        value = attrs.get(name)
        if value is not None and not is_absolute_uri(value):
            report.add(
                "InvalidFullLink",
                line,
                f"outline {name} {quote(value)} is not an absolute URI; write the full "
                "address (https://example.com/...)",
                entry=entry,
                field=f"outline@{name}",
            )
    created = attrs.get("created")
    if created is not None:
        _created(outline, created, report, entry)
    for name in _HTML_ATTRIBUTES:
        value = attrs.get(name)
        if value is not None:
            html_value(value, Where(line, f"outline@{name}", entry, False, atom=False), report)
    _undefined(outline, ("outline",), report)
    for child in outline.iterchildren("outline"):
        _lint_outline(child, report)


def _created(outline: etree._Element, value: str, report: Report, entry: str | None) -> None:
    found = check_rfc822(value)
    if found is None:
        implausible(outline, implausible_rfc822(value), report, entry, field="outline@created")
        return
    rule, problem = found
    advice = (
        f"write an RFC 822 date-time, e.g. {RFC822_EXAMPLE}"
        if rule != "IncorrectDOW"
        else "correct the weekday or drop it"
    )
    report.add(
        rule,
        line_of(outline),
        f"outline created {problem}; {advice}",
        entry=entry,
        field="outline@created",
    )
