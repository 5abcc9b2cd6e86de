"""feeds.textclean: what XML 1.0 cannot carry, bidi and invisible controls, whitespace."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.textclean import (
    clean_text,
    has_xml_illegal,
    strip_xml_illegal,
    xml_illegal_char,
    xml_safe,
)

# XML 1.0 §2.2 Char, written out independently of the module under test.
XML_CHAR = re.compile("^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Any code point, lone surrogates included (JSON "\ud800" gives one), and plenty of controls.
ANY_TEXT = st.text() | st.lists(
    st.integers(0, 0x10FFFF) | st.integers(0, 0x20) | st.integers(0xD800, 0xDFFF)
).map(lambda codes: "".join(map(chr, codes)))


# --- clean_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Plain title", "Plain title"),
        ("  padded\t\n title \r\n", "padded title"),
        ("no\u00a0break\u2003em space", "no break em space"),
        ("Benchmarks: 8 Cores < 12 & more", "Benchmarks: 8 Cores < 12 & more"),
        ("<b>bold</b> &amp; kept", "<b>bold</b> &amp; kept"),
        ("Cafe\u0301", "Caf\u00e9"),  # NFC composes
        ("emoji 👩\u200d💻 kept", "emoji 👩\u200d💻 kept"),  # ZWJ sequence kept
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian ZWNJ kept
        ("\u05e9\u05dc\u05d5\u05dd \u200fmark", "\u05e9\u05dc\u05d5\u05dd \u200fmark"),  # RLM kept
        ("", ""),
        ("   ", ""),
    ],
)
def test_clean_text_keeps_text_and_collapses_whitespace(raw: str, clean: str) -> None:
    assert clean_text(raw) == (clean, ())


def test_clean_text_drops_xml_illegal_controls() -> None:
    assert clean_text("Bad\x00title\x07!") == (
        "Badtitle!",
        ("removed 2 control character(s) XML 1.0 cannot carry (U+0000, U+0007)",),
    )


def test_clean_text_turns_word_line_breaks_into_spaces() -> None:
    # Word writes Shift+Enter as a vertical tab: it separates words.
    assert clean_text("first line\x0bsecond\x0cthird") == (
        "first line second third",
        ("removed 2 control character(s) XML 1.0 cannot carry (U+000B, U+000C)",),
    )


def test_clean_text_drops_lone_surrogates_and_nonchars() -> None:
    assert clean_text("a\ud800b\uffffc\ufffe") == (
        "abc",
        ("removed 3 control character(s) XML 1.0 cannot carry (U+D800, U+FFFE, U+FFFF)",),
    )


def test_clean_text_strips_bidi_overrides_and_isolates() -> None:
    text = "\u202eevil\u202c and \u2066isolated\u2069"
    assert clean_text(text) == (
        "evil and isolated",
        ("removed 4 bidi embedding/override/isolate control(s) (U+202C, U+202E, U+2066, U+2069)",),
    )


def test_clean_text_removes_invisible_and_c1_characters() -> None:
    assert clean_text("zero\u200bwidth\ufeff \x85x\x9f") == (
        "zerowidth x",
        (
            "removed 2 DEL/C1 control character(s) (U+0085, U+009F)",
            "removed 2 invisible zero-width character(s) (U+200B, U+FEFF)",
        ),
    )


def test_clean_text_lists_at_most_five_code_points() -> None:
    _, warnings = clean_text("".join(chr(c) for c in range(1, 9)))
    assert warnings == (
        "removed 8 control character(s) XML 1.0 cannot carry "
        "(U+0001, U+0002, U+0003, U+0004, U+0005, ...)",
    )


@given(ANY_TEXT)
def test_clean_text_output_is_one_clean_line(value: str) -> None:
    clean, _ = clean_text(value)
    assert XML_CHAR.match(clean)
    assert not BIDI & set(clean)
    assert clean == clean.strip()
    assert "  " not in clean and "\n" not in clean
    assert clean_text(clean) == (clean, ())


# --- xml_safe ---------------------------------------------------------------------------


def test_xml_safe_leaves_legal_text_alone() -> None:
    body = "Line one\r\n\tindented <b>&nbsp;</b>\n\n\u202eRTL override kept in bodies"
    assert xml_safe(body) == (body, 0)


def test_xml_safe_drops_illegal_characters_and_counts_them() -> None:
    assert xml_safe("a\x00b\x1fc\ud83d\uffff") == ("abc", 4)


def test_xml_safe_turns_vertical_tab_and_form_feed_into_line_feeds() -> None:
    assert xml_safe("one\x0btwo\x0cthree") == ("one\ntwo\nthree", 2)


@given(ANY_TEXT)
def test_xml_safe_output_is_xml_and_idempotent(value: str) -> None:
    safe, count = xml_safe(value)
    assert XML_CHAR.match(safe)
    assert xml_safe(safe) == (safe, 0)
    if XML_CHAR.match(value):
        assert (safe, count) == (value, 0)
    else:
        assert count > 0


def _xml_char(code: int) -> bool:
    # XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def test_has_xml_illegal_agrees_with_the_char_production_on_every_code_point() -> None:
    wrong = [
        code
        for code in range(0x110000)
        if has_xml_illegal(f"ab{chr(code)}cd") is _xml_char(code)
        or has_xml_illegal("x" * 3000 + chr(code)) is _xml_char(code)
    ]
    assert wrong == []
    long_text = "Straße, 東京 and 😀 " * 500
    assert not has_xml_illegal(long_text) and not has_xml_illegal("")
    assert has_xml_illegal(long_text + "\ufffe") and has_xml_illegal("\udfff" + long_text)
    assert xml_illegal_char(long_text + "\x0b" + "\x00") == "\x0b"
    assert strip_xml_illegal(long_text + "\uffff\x01") == long_text
