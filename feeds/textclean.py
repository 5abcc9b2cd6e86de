"""Character-level cleaning of text before it reaches a feed: what XML 1.0 cannot carry,
invisible controls that reorder or hide text, and stray whitespace.

XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
Anything outside that set makes the whole feed ill-formed, so it never leaves this module.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# XML 1.0 §2.2 forbids these outright: C0 controls except tab, LF and CR; lone surrogates
# (a Python str can hold them, e.g. from JSON "\ud800"); U+FFFE and U+FFFF.
# The one home of this rule: config, normalisation, body and the renderer all use it.
_XML_ILLEGAL = r"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
XML_ILLEGAL = re.compile(f"[{_XML_ILLEGAL}]")
_C0_ILLEGAL = bytes(c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D))


def has_xml_illegal(value: str) -> bool:
    """Whether `value` holds a character XML 1.0 §2.2 forbids. Speed (issue 14): found in its
    UTF-8 bytes in C (bytes.translate; U+FFFE and U+FFFF are EF BF BE and EF BF BF, and only a
    lone surrogate cannot be encoded): five times faster than the class regex on a body."""
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return (
        len(data.translate(None, _C0_ILLEGAL)) != len(data)
        or b"\xef\xbf\xbe" in data
        or b"\xef\xbf\xbf" in data
    )


# Word's manual line break (Shift+Enter) is a vertical tab, its page break a form feed: they
# separate words, so they become a space (titles) or a line feed (bodies), not nothing.
_BREAKS = "\x0b\x0c"

# Also removed from one-line text (titles, names, summaries):
# - DEL and the C1 controls (XML 1.0 §2.2 discourages them; they are mojibake in practice);
# - bidi embedding/override (U+202A-U+202E) and isolate (U+2066-U+2069) controls, which can
#   make a title display in another order than it reads (Unicode TR9; CVE-2021-42574);
# - zero-width space, word joiner and a stray BOM, which make equal-looking names differ.
# Kept: ZWNJ U+200C (Persian, Indic scripts), ZWJ U+200D (emoji sequences) and the
# directional marks LRM/RLM/ALM (U+200E, U+200F, U+061C), which carry no state.
_C1 = r"\x7f-\x9f"
_BIDI = r"\u202a-\u202e\u2066-\u2069"
_INVISIBLE = r"\u200b\u2060\ufeff"
_UNWANTED_RE = re.compile(f"[{_XML_ILLEGAL}{_C1}{_BIDI}{_INVISIBLE}]")

_KINDS = (
    (re.compile(f"[{_XML_ILLEGAL}]"), "control character(s) XML 1.0 cannot carry"),
    (re.compile(f"[{_C1}]"), "DEL/C1 control character(s)"),
    (re.compile(f"[{_BIDI}]"), "bidi embedding/override/isolate control(s)"),
    (re.compile(f"[{_INVISIBLE}]"), "invisible zero-width character(s)"),
)


def _codepoints(found: list[str]) -> str:
    """`U+0000, U+0007`: the distinct characters, at most five, in code point order."""
    distinct = sorted(set(found))
    shown = ", ".join(f"U+{ord(c):04X}" for c in distinct[:5])
    return shown + (", ..." if len(distinct) > 5 else "")


def _clean_text(value: str) -> tuple[str, tuple[str, ...]]:
    """One-line text (a title, a name, a summary) as a feed may carry it, plus what was removed.

    Removes the characters listed above, turns every whitespace run (line breaks included)
    into one space, strips the ends and normalises to NFC (W3C character model), so names
    that look the same compare equal. Markup characters (`<`, `&`) are left alone: this is
    text, and the XML writer escapes it. Each warning reads like
    `removed 2 control character(s) XML 1.0 cannot carry (U+0000, U+0007)`.
    """
    warnings: list[str] = []
    if _UNWANTED_RE.search(value):
        for pattern, what in _KINDS:
            found = pattern.findall(value)
            if found:
                warnings.append(f"removed {len(found)} {what} ({_codepoints(found)})")
        for char in _BREAKS:
            value = value.replace(char, " ")
        value = _UNWANTED_RE.sub("", value)
    text = " ".join(value.split())
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text, tuple(warnings)


# each text cleaned once, for up to 65,536 texts (speed, issue 14: names, tags and category
# levels recur across a site's articles)
clean_text = functools.lru_cache(maxsize=65536)(_clean_text)


def xml_safe(value: str) -> tuple[str, int]:
    """A body with only the characters XML 1.0 forbids removed (vertical tab and form feed
    become a line feed); returns the text and how many characters were removed or replaced.
    Everything else, whitespace and markup included, is left exactly as written."""
    if not has_xml_illegal(value):
        return value, 0
    count = len(XML_ILLEGAL.findall(value))
    for char in _BREAKS:
        value = value.replace(char, "\n")
    return XML_ILLEGAL.sub("", value), count


def xml_illegal_char(value: str) -> str | None:
    """The first character of `value` that XML 1.0 §2.2 forbids, or None."""
    found = XML_ILLEGAL.search(value) if has_xml_illegal(value) else None
    return None if found is None else found.group()


def strip_xml_illegal(value: str) -> str:
    """`value` without the characters XML 1.0 §2.2 forbids."""
    return XML_ILLEGAL.sub("", value) if has_xml_illegal(value) else value
