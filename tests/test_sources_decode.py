"""feeds.sources.decode: byte order marks, the Windows-1252 fallback, line ends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.model import Level, Problem
from feeds.sources import ReaderOptions, decode_bytes, read_source


def test_plain_utf8_has_no_warning() -> None:
    assert decode_bytes("Grüße, naïve café — ok\n".encode()) == ("Grüße, naïve café — ok\n", None)


def test_empty_file() -> None:
    assert decode_bytes(b"") == ("", None)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfcaf\xc3\xa9", "café"),  # UTF-8 BOM
        (b"\xff\xfec\x00a\x00f\x00\xe9\x00", "café"),  # UTF-16 LE BOM
        (b"\xfe\xff\x00c\x00a\x00f\x00\xe9", "café"),  # UTF-16 BE BOM
        (b"\xff\xfe\x00\x00c\x00\x00\x00\xe9\x00\x00\x00", "cé"),  # UTF-32 LE BOM
        (b"\x00\x00\xfe\xff\x00\x00\x00c\x00\x00\x00\xe9", "cé"),  # UTF-32 BE BOM
        (b"\xff\xfe\x3d\xd8\x00\xde", "\U0001f600"),  # UTF-16 surrogate pair: 😀
    ],
)
def test_byte_order_mark_picks_the_encoding_and_is_removed(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == (expected, None)


def test_utf16_le_mark_followed_by_nul_is_not_taken_for_utf32() -> None:
    # FF FE 00 00 starts both marks; six bytes cannot be UTF-32.
    assert decode_bytes(b"\xff\xfe\x00\x00a\x00") == ("\x00a", None)


def test_utf16_file_with_crlf() -> None:
    data = "\ufeffone\r\ntwo\rthree".encode("utf-16-le")
    assert decode_bytes(data) == ("one\ntwo\nthree", None)


def test_broken_utf16_is_replaced_with_a_warning() -> None:
    text, warning = decode_bytes(b"\xff\xfea\x00b")  # odd length: the last byte is half a unit
    assert text == "a\ufffd"
    assert warning == (
        "starts with a UTF-16 byte order mark but is not valid UTF-16 (at byte 4); "
        "unreadable bytes were replaced by U+FFFD; save the file again as UTF-8"
    )


def test_windows_1252_curly_quotes_with_warning() -> None:
    text, warning = decode_bytes(b"He said \x93hi\x94 \x96 it\x92s \x80 5\n")
    assert text == "He said “hi” – it’s € 5\n"
    assert warning == (
        "is not UTF-8 (byte 0x93 on line 1); read as Windows-1252; "
        "check its quotes and accented letters, and save the file as UTF-8"
    )


def test_latin1_text_reads_as_windows_1252() -> None:
    text, warning = decode_bytes(b"title: Caf\xe9 in M\xfcnchen\n")
    assert text == "title: Café in München\n"
    assert warning is not None and warning.startswith("is not UTF-8 (byte 0xE9 on line 1)")


def test_warning_names_the_line_counting_every_line_end() -> None:
    # LF, CRLF and lone CR each end one line: the bad byte is on line 4.
    _, warning = decode_bytes(b"a\nb\r\nc\rd \xff")
    assert warning is not None and warning.startswith("is not UTF-8 (byte 0xFF on line 4)")


def test_bytes_undefined_in_windows_1252_map_as_latin1() -> None:
    text, warning = decode_bytes(b"\x81\x8d\x8f\x90\x9d \x9c")
    assert text == "\x81\x8d\x8f\x90\x9d œ"
    assert warning is not None


def test_truncated_utf8_sequence_falls_back() -> None:
    text, warning = decode_bytes(b"ok \xe2\x80")  # first two bytes of an en dash
    assert text == "ok â€"
    assert warning is not None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\rb", "a\n\nb"),
        (b"a\r\r\nb", "a\n\nb"),
        (b"a\n\rb", "a\n\nb"),
    ],
)
def test_line_ends_become_lf(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == (expected, None)


def test_nul_and_control_characters_are_kept() -> None:
    assert decode_bytes(b"a\x00b\x01c\x1f\x7f") == ("a\x00b\x01c\x1f\x7f", None)


def test_bom_is_removed_once() -> None:
    assert decode_bytes(b"\xef\xbb\xbf\xef\xbb\xbfx") == ("\ufeffx", None)


def test_read_source_reports_the_fallback_as_a_warning_and_keeps_the_record() -> None:
    result = read_source("content/a.md", b"---\ntitle: Caf\xe9\n---\nBody\n", ReaderOptions())
    assert [r.fields for r in result.records] == [{"title": "Café"}]
    assert result.problems == (
        Problem(
            "content/a.md",
            "file",
            None,
            "is not UTF-8 (byte 0xE9 on line 2); read as Windows-1252; "
            "check its quotes and accented letters, and save the file as UTF-8",
            Level.WARNING,
        ),
    )


def test_read_source_reads_utf16_with_crlf() -> None:
    data = "---\r\ntitle: Ünïcode\r\n---\r\nBody\r\n".encode("utf-16")  # with a BOM
    result = read_source("a.md", data, ReaderOptions())
    assert result.problems == ()
    assert result.records[0].fields == {"title": "Ünïcode"}
    assert result.records[0].body == "Body\n"


@given(st.binary())
def test_decoding_never_raises_and_leaves_no_cr(data: bytes) -> None:
    text, _ = decode_bytes(data)
    assert "\r" not in text


@given(st.text().filter(lambda t: not t.startswith("\ufeff")))
def test_utf8_text_without_cr_comes_back_unchanged(text: str) -> None:
    text = text.replace("\r", "")
    assert decode_bytes(text.encode("utf-8")) == (text, None)
