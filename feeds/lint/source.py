"""The source text behind a parsed document: how each character of an element's text or of an
attribute value was written (literally, as an entity, in CDATA, or as a hexadecimal character
reference). A parse cannot tell `&amp;` from `&#x26;`; the RSS Best Practices Profile can.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from lxml import etree

# The markup of a well-formed document (XML 1.0 §2.5-2.8, §3.1, §4.1), matched in order.
# Attribute values may hold ">" but never "<" (§3.1 AttValue), so a tag ends at the first ">"
# outside quotes.
_TAG_BODY = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_DOCTYPE = (
    r"""!DOCTYPE(?:[^\[>"']|"[^"]*"|'[^']*')*"""
    r"""(?:\[(?:<!--.*?-->|<\?.*?\?>|"[^"]*"|'[^']*'|[^\]"'])*\])?\s*>"""
)
# One leading "<" lets the regex engine skip text quickly.
_MARKUP = re.compile(
    r"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|" + _DOCTYPE
    + r"|(?P<end>/" + _TAG_BODY + r">)|(?P<start>" + _TAG_BODY + r">))",
    re.DOTALL,
)  # fmt: skip
# The pieces of character data inside an element (XML 1.0 §4.1 references, §2.7 CDATA).
_PIECES = re.compile(
    r"<!\[CDATA\[(?P<cdata>.*?)\]\]>|<!--.*?-->|<\?.*?\?>|<" + _TAG_BODY + ">"
    r"|&#[xX](?P<hex>[0-9a-fA-F]+);|&#(?P<dec>[0-9]+);|&(?P<name>[^;\s&<]+);|(?P<text>[^<&]+)",
    re.DOTALL,
)
_PREDEFINED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}  # XML 1.0 §4.6


@dataclass(frozen=True, slots=True)
class Written:
    """Character data as a reader gets it, with the positions of the characters the source
    wrote as hexadecimal character references (`&#x26;`)."""

    text: str
    hex_at: frozenset[int]


def written(raw: str) -> Written:
    """Decode the source of an element's content or an attribute value (child tags, comments
    and processing instructions dropped), remembering which characters were hex references."""
    parts: list[str] = []
    hex_at: set[int] = set()
    size = 0
    for piece in _PIECES.finditer(raw):
        kind = piece.lastgroup
        if kind == "hex":
            code = int(piece["hex"], 16)
            value = chr(code) if code <= 0x10FFFF else ""
            hex_at.update(range(size, size + len(value)))
        elif kind == "dec":
            code = int(piece["dec"])
            value = chr(code) if code <= 0x10FFFF else ""
        elif kind == "name":
            # Undeclared or DTD-declared entities are never expanded here (see document.parse).
            value = _PREDEFINED.get(piece["name"], "")
        elif kind in ("cdata", "text"):
            value = piece[kind]
        else:
            value = ""
        parts.append(value)
        size += len(value)
    return Written("".join(parts), frozenset(hex_at))


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Where each element's start tag and content lie in the decoded source text."""

    text: str
    spans: tuple[tuple[int, int, int], ...]  # (tag start, content start, content end)
    index: dict[etree._Element, int]  # element -> position in document order

    def content(self, el: etree._Element) -> Written | None:
        at = self.index.get(el)
        if at is None:
            return None
        _, start, end = self.spans[at]
        return written(self.text[start:end])

    def attribute(self, el: etree._Element, name: str) -> Written | None:
        """`name` is the attribute's name as written (no namespace handling needed here)."""
        at = self.index.get(el)
        if at is None:
            return None
        begin, start, _ = self.spans[at]
        found = re.search(
            r"\s" + re.escape(name) + r"""\s*=\s*(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)')""",
            self.text[begin:start],
        )
        if found is None:
            return None
        return written(found["d"] if found["d"] is not None else found["s"])


def source_map(data: bytes, root: etree._Element) -> SourceMap | None:
    """The source map of a document lxml parsed as `root`; None when the bytes cannot be
    decoded again or their markup does not line up with the parsed elements."""
    encoding = root.getroottree().docinfo.encoding or "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        return None
    text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    spans: list[list[int]] = []
    open_: list[int] = []
    for match in _MARKUP.finditer(text):
        if match["start"] is not None:
            spans.append([match.start(), match.end(), match.end()])
            if not match["start"].endswith("/>"):
                open_.append(len(spans) - 1)
        elif match["end"] is not None and open_:
            spans[open_.pop()][2] = match.start()
    elements = list(root.iter(etree.Element))
    if len(elements) != len(spans) or open_:
        return None
    return SourceMap(
        text=text,
        spans=tuple((a, b, c) for a, b, c in spans),
        index={el: i for i, el in enumerate(elements)},
    )
