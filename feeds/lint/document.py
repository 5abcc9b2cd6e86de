"""The XML document itself: safe parse, parser errors, format, DOCTYPE, characters."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal, cast

from lxml import etree

from feeds.layout import ATOM_NS
from feeds.lint.rdf import is_rdf_feed
from feeds.lint.report import Report, quote
from feeds.lint.tree import WELL_KNOWN_PREFIXES, display, line_of

_Format = Literal["rss", "atom", "opml", "rdf"]


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


def parse(data: bytes) -> tuple[etree._Element | None, list[tuple[str, int | None, str]]]:
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


PARSE_ADVICE = {
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
    """'rss', 'atom', 'opml' or 'rdf' (RSS 1.0/0.90) by the root element of a safe parse;
    None for anything else."""
    root, _ = parse(data)
    return None if root is None else root_format(root)


def root_format(root: etree._Element) -> _Format | None:
    if root.tag == "rss":  # RSS 2.0: <rss> in no namespace
        return "rss"
    if root.tag == f"{{{ATOM_NS}}}feed":  # RFC 4287 §4.1.1
        return "atom"
    if root.tag == "opml":  # OPML 1.0/2.0: <opml> in no namespace
        return "opml"
    if is_rdf_feed(root):  # RSS 1.0 / 0.90: <rdf:RDF> around an RSS channel
        return "rdf"
    return None


def clark_to_display(tag: str) -> str:
    qname = etree.QName(tag)
    return f"{{{qname.namespace}}}{qname.localname}" if qname.namespace else qname.localname


def lint_doctype(root: etree._Element, data: bytes, report: Report) -> None:
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
                f"the DOCTYPE declares the external entity {quote(entity.name)} "
                f"(SYSTEM {quote(entity.system_url)}); external entities are never loaded, and a "
                "reader that loads them may leak local files: remove the DOCTYPE",
            )
        else:
            report.add(
                "EntityDeclaration",
                line,
                f"the DOCTYPE declares the entity {quote(entity.name)}; entities are not expanded "
                "here and can be used for expansion bombs: remove the DOCTYPE and write the "
                "text itself",
            )


def _declaration_line(data: bytes, name: str) -> int | None:
    """The line of `<!ENTITY name` in an ASCII-compatible document (lxml does not keep it)."""
    pattern = rb"<!ENTITY\s+(?:%\s+)?" + re.escape(name.encode("utf-8")) + rb"\s"
    match = re.search(pattern, data)
    return None if match is None else data.count(b"\n", 0, match.start()) + 1


# W3C BadCharacters: C1 controls and U+FFFD are legal XML but almost always mojibake
# (Windows-1252 or Latin-1 text decoded the wrong way); XML 1.0 §2.2 discourages U+007F-U+009F.
_BAD_CHARS = re.compile("[\x80-\x9f\ufffd]")


def lint_characters(root: etree._Element, report: Report) -> None:
    """Suspicious characters anywhere, and well-known prefixes bound to the wrong namespace."""
    for el in root.iter(etree.Element):
        prefix = el.prefix
        if prefix in WELL_KNOWN_PREFIXES:
            expected = WELL_KNOWN_PREFIXES[prefix]
            actual = etree.QName(el).namespace
            if actual != expected:
                report.add(
                    "ReservedPrefix",
                    line_of(el),
                    f"the prefix {prefix!r} is bound to {quote(actual or '')} but readers expect "
                    f"{quote(expected)}; fix the xmlns:{prefix} declaration",
                    field=display(el),
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
                line_of(el),
                f"<{display(el)}> contains U+{ord(bad.group()):04X}, usually the sign of "
                "text decoded with the wrong encoding; re-decode the source text (e.g. as "
                "Windows-1252) or remove the character",
                field=display(el),
            )
