"""Bytes of a content file -> text with LF line ends. Never raises.

A byte order mark decides (UTF-8, UTF-16, UTF-32; the mark is removed). Without one the
file must be UTF-8; anything else is read as Windows-1252 with a warning, the encoding
word processors on Windows save by default, where every byte means some character.
"""

from __future__ import annotations

import codecs

# Longest first: the UTF-32 LE mark FF FE 00 00 begins with the UTF-16 LE mark FF FE.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _cp1252_table() -> dict[int, str]:
    """Latin-1 text -> Windows-1252 text: only 0x80-0x9F differ. The five bytes
    Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) keep their Latin-1 meaning
    (C1 controls, which normalisation later drops like any control character)."""
    table: dict[int, str] = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


_CP1252 = _cp1252_table()


def _unify_line_ends(text: str) -> str:
    # CRLF (Windows) and lone CR (classic Mac OS) both become LF.
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line number of a byte offset, counting LF, CRLF and lone CR line ends."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _decode_with_bom(data: bytes, bom: bytes, codec: str, name: str) -> tuple[str, str | None]:
    body = data[len(bom) :]
    try:
        return body.decode(codec), None
    except UnicodeDecodeError as error:
        text = body.decode(codec, errors="replace")
        warning = (
            f"starts with a {name} byte order mark but is not valid {name} "
            f"(at byte {error.start + len(bom)}); "
            "unreadable bytes were replaced by U+FFFD; save the file again as UTF-8"
        )
        return text, warning


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Decode a content file: (text, warning or None). The warning is a message fragment
    for a `Problem` about the whole file ("is not UTF-8; read as Windows-1252 ...").

    Line ends become LF. Control characters (NUL included) are left in place: cleaning
    characters is `textclean`'s job, so a file that holds NUL bytes is still read.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            # FF FE 00 00 is also a UTF-16 LE mark followed by U+0000: only take UTF-32
            # when the length fits it, else fall through to the UTF-16 mark.
            if name == "UTF-32" and len(data) % 4:
                continue
            text, warning = _decode_with_bom(data, bom, codec, name)
            return _unify_line_ends(text), warning
    try:
        return _unify_line_ends(data.decode("utf-8")), None
    except UnicodeDecodeError as error:
        bad = data[error.start]
        line = _line_of(data, error.start)
    # Latin-1 maps every byte; the table turns 0x80-0x9F into Windows-1252's characters.
    text = data.decode("latin-1").translate(_CP1252)
    warning = (
        f"is not UTF-8 (byte 0x{bad:02X} on line {line}); read as Windows-1252; "
        "check its quotes and accented letters, and save the file as UTF-8"
    )
    return _unify_line_ends(text), warning
