"""Language tags (issue 16): BCP 47 (RFC 5646) well-formedness and the canonical case of a
tag, for an article's `lang` and the per-language feed sets."""

from __future__ import annotations

import re

# RFC 5646 §2.1 `langtag` (and a private-use tag alone): language (2-3 letters with up to
# three extlangs; 4 letters are reserved and 5-8 only for registered languages, of which
# there are none, so both are refused), script, region, variants, extensions, private use.
_LANGTAG = re.compile(
    r"(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3})"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+)",
    re.IGNORECASE | re.ASCII,
)


def language_tag(text: str) -> str | None:
    """`text` as a well-formed BCP 47 tag in RFC 5646 §2.1.1's case (`de`, `zh-Hant-TW`,
    `en-US`), or None when it is not one (`_` is not a separator: `de_DE` is refused)."""
    if not _LANGTAG.fullmatch(text):
        return None
    subtags = text.split("-")
    out = [subtags[0].lower()]
    extension = False
    for subtag in subtags[1:]:
        extension = extension or len(subtag) == 1  # after a singleton, all lower case
        if not extension and len(subtag) == 4 and subtag.isalpha():
            out.append(subtag.title())  # script
        elif not extension and len(subtag) == 2 and subtag.isalpha():
            out.append(subtag.upper())  # region
        else:
            out.append(subtag.lower())
    return "-".join(out)


# Folders under feeds/ that a language set's folder (feeds/<tag>/) must not be (issue 16).
RESERVED = frozenset({"all", "archive", "author", "category", "full", "tag"})
