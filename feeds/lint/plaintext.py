"""Plain text that looks like HTML: W3C ContainsHTML, ContainsUndeclaredHTML, CharacterData.

Titles, categories and author names are plain text (RSS 2.0; RFC 4287 §3.1.1.1 for Atom
type="text"), yet many readers render them as HTML. So markup there is reported, and the RSS
Best Practices Profile ("Character Data") asks RSS publishers to write "&" and "<" in plain
text as the hexadecimal references &#x26; and &#x3C;, the form most readers show as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from html.entities import name2codepoint

from lxml import etree

from feeds.layout import DC_NS
from feeds.lint.report import Report, quote
from feeds.lint.source import SourceMap, Written, source_map
from feeds.lint.tree import ATOM, display, line_of, text_of

# Element names of the HTML Living Standard, with its obsolete ones (§16), lower case.
_HTML_NAMES = """
    a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
    caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i
    iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript
    object ol optgroup option output p param picture pre progress q rp rt ruby s samp script
    search section select slot small source span strong style sub summary sup table tbody td
    template textarea tfoot th thead time title tr track u ul var video wbr
    acronym applet basefont bgsound big blink center dir font frame frameset isindex keygen
    listing marquee menuitem multicol nextid nobr noembed noframes plaintext rb rtc spacer
    strike tt xmp
"""
HTML_ELEMENTS = frozenset(_HTML_NAMES.split())
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9]*)>")
# What an HTML reader decodes: a named reference it knows, or a numeric one.
_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);?")
_MARKUP = re.compile(r"<[/A-Za-z]")  # the start of a tag, to an HTML reader

_RSS_CHANNEL = ("title", "description", "copyright", "category", "managingEditor", "webMaster",
                f"{{{DC_NS}}}rights")  # fmt: skip
_RSS_ITEM = ("title", "category", "source", "author", f"{{{DC_NS}}}rights")
_ATOM_TEXT = tuple(ATOM + n for n in ("title", "subtitle", "rights", "summary", "content"))


@dataclass(frozen=True, slots=True)
class _Text:
    """One plain-text value: an element's text, or an attribute when `attribute` is set."""

    el: etree._Element
    name: str  # the field, as findings name it
    entry: str | None
    rule: str  # ContainsHTML or ContainsUndeclaredHTML
    attribute: str | None = None


@dataclass(slots=True)
class _Source:
    """The document's source map, built on first use (most feeds never need it)."""

    data: bytes
    root: etree._Element
    built: bool = False
    map: SourceMap | None = None

    def written(self, text: _Text) -> Written | None:
        if not self.built:
            self.map, self.built = source_map(self.data, self.root), True
        if self.map is None:
            return None
        if text.attribute is not None:
            return self.map.attribute(text.el, text.attribute)
        return self.map.content(text.el)


def lint_plain_text(root: etree._Element, fmt: str, data: bytes, report: Report) -> None:
    """ContainsHTML / ContainsUndeclaredHTML / CharacterData for an RSS or Atom document."""
    source = _Source(data, root)
    if fmt == "rss":
        version = (root.get("version") or "").strip()
        texts = _rss_texts(root)
        profile = version.startswith("2.")  # the profile is about RSS 2.x
    else:
        texts = _atom_texts(root)
        profile = False
    for text in texts:
        _check(text, source, profile, report)


def _check(text: _Text, source: _Source, profile: bool, report: Report) -> None:
    el, name = text.el, text.name
    # `_children` yields childless elements only, so .text is all of an element's text.
    value = el.get(text.attribute) if text.attribute else (el.text or "").strip()
    if value is None or ("<" not in value and "&" not in value):
        return
    tags = [t for t in _END_TAG.findall(value) if t.lower() in HTML_ELEMENTS]
    if tags:
        report.add(text.rule, line_of(el), _end_tag_message(text, value, tags[0]),
                   entry=text.entry, field=name)  # fmt: skip
        return
    if not _references(value) and not (profile and _MARKUP.search(value)):
        return
    # Only the source tells `&amp;` or `&lt;` (reported) from `&#x26;` or `&#x3C;` (meant).
    written = source.written(text) or Written(value, frozenset())
    shown = written.text  # as written in the source, so positions match `hex_at`
    reference = next((m for m in _references(shown) if m.start() not in written.hex_at), None)
    if reference is not None:
        report.add(
            text.rule,
            line_of(el),
            f"{_where(text)} {quote(shown.strip())} contains the text {quote(reference.group())}, "
            "which "
            f"a reader that takes it for HTML shows as {quote(unescape(f'&{reference.group(1)};'))}"
            "; write the character itself, or write its '&' as &#x26; to keep the text",
            entry=text.entry,
            field=name,
        )
        return
    markup = next((m for m in _MARKUP.finditer(shown) if m.start() not in written.hex_at), None)
    if profile and markup is not None:
        report.add(
            "CharacterData",
            line_of(el),
            f"{_where(text)} {quote(shown.strip())} has its '<' written as &lt; or in CDATA; "
            "the RSS Best Practices Profile asks for '&' and '<' in plain text as &#x26; and "
            "&#x3C;, so that readers do not take the text for HTML",
            entry=text.entry,
            field=name,
        )


def _references(value: str) -> list[re.Match[str]]:
    return [
        m
        for m in _REFERENCE.finditer(value)
        if m.group(1)[0] == "#" or m.group(1) in name2codepoint or m.group(1) == "apos"
    ]


def _where(text: _Text) -> str:
    if text.attribute:
        return f"<{display(text.el)} {text.attribute}=...>"
    return f"<{text.name}>"


def _end_tag_message(text: _Text, value: str, tag: str) -> str:
    found = f"{_where(text)} {quote(value)} contains the HTML end tag </{tag}>"
    if text.rule == "ContainsUndeclaredHTML":
        return (
            f'{found} but its type is "text"; if it is HTML, declare type="html" and escape '
            "it, otherwise remove the markup"
        )
    return (
        f"{found}; it is plain text, so readers show the tags as typed or take them for "
        "markup: remove the markup"
    )


def _entry_of(item: etree._Element) -> str | None:
    """How findings name an RSS item (guid, else link) or an Atom entry (id)."""
    for tag in ("guid", "link", f"{ATOM}id"):
        el = item.find(tag)
        if el is not None and (value := text_of(el)):
            return value
    return None


def _children(parent: etree._Element, tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """Children with one of `tags` and no child elements (raw markup is UndefinedElement)."""
    for child in parent.iterchildren(etree.Element):
        if child.tag in tags and len(child) == 0:
            yield child


def _rss_texts(rss: etree._Element) -> Iterator[_Text]:
    # The RSS elements W3C checks as plain text. (It also counts RSS 0.91 item descriptions;
    # RSS 2.0 and this linter read every item description as HTML.)
    for channel in rss.iterchildren("channel"):
        for el in _children(channel, _RSS_CHANNEL):
            yield _Text(el, display(el), None, "ContainsHTML")
        for image in channel.iterchildren("image"):
            for el in _children(image, ("title", "description")):
                yield _Text(el, f"image/{el.tag}", None, "ContainsHTML")
        for item in channel.iterchildren("item"):
            entry = _entry_of(item)
            for el in _children(item, _RSS_ITEM):
                yield _Text(el, display(el), entry, "ContainsHTML")


def _atom_texts(feed: etree._Element) -> Iterator[_Text]:
    yield from _atom_level(feed, None)
    for entry_el in feed.iterchildren(f"{ATOM}entry"):
        yield from _atom_level(entry_el, _entry_of(entry_el))


def _atom_level(parent: etree._Element, entry: str | None) -> Iterator[_Text]:
    """The plain text directly in a feed or an entry (RFC 4287 §3.1, §3.2, §4.2.2, §4.2.4)."""
    for el in _children(parent, _ATOM_TEXT):
        kind = (el.get("type") or "text").strip()
        if kind == "text" and el.get("src") is None:
            yield _Text(el, display(el), entry, "ContainsUndeclaredHTML")
    for el in _children(parent, (f"{ATOM}generator",)):
        yield _Text(el, "generator", entry, "ContainsHTML")
    for person in parent.iterchildren(f"{ATOM}author", f"{ATOM}contributor"):
        for el in _children(person, (f"{ATOM}name",)):
            yield _Text(el, f"{display(person)}/name", entry, "ContainsHTML")
    for category in parent.iterchildren(f"{ATOM}category"):
        if category.get("label") is not None:
            yield _Text(category, "category@label", entry, "ContainsHTML", attribute="label")
