"""Lint any RSS 2.0, Atom 1.0 or OPML file: a safe parse, then the rules of the specs, reported
under the W3C Feed Validation Service's rule names (and levels) wherever it has the same check.

`lint_feed(data, file)` is lint mode (any feed, W3C levels); `strict=True` is site mode, where
house rules turn some warnings into errors and add checks only our own feeds must pass.
"""

from __future__ import annotations

from feeds.findings import Finding
from feeds.layout import ATOM_NS, CONTENT_NS, DC_NS, XHTML_NS
from feeds.lint.atom import lint_atom
from feeds.lint.dates import check_rfc822, check_rfc3339
from feeds.lint.document import (
    PARSE_ADVICE,
    clark_to_display,
    detect_format,
    lint_characters,
    lint_doctype,
    parse,
    root_format,
)
from feeds.lint.opml import lint_opml
from feeds.lint.plaintext import lint_plain_text
from feeds.lint.rdf import lint_rdf
from feeds.lint.report import Report, quote
from feeds.lint.rss import lint_rss
from feeds.lint.rules import ERROR, RULES, WARNING, Rule
from feeds.lint.tree import line_of
from feeds.lint.urls import is_absolute_uri

__all__ = [
    "ATOM_NS",
    "CONTENT_NS",
    "DC_NS",
    "ERROR",
    "RULES",
    "WARNING",
    "XHTML_NS",
    "Rule",
    "check_rfc822",
    "check_rfc3339",
    "detect_format",
    "is_absolute_uri",
    "lint_feed",
]


def lint_feed(
    data: bytes, file: str, *, strict: bool = False, iframe_hosts: tuple[str, ...] = ()
) -> list[Finding]:
    """All findings for one feed file, in document order. Never raises on any bytes.

    `strict=False` is lint mode (any feed; W3C levels). `strict=True` is site mode: the house
    rules for feeds this project writes (see `RULES[...].strict_level`). `iframe_hosts`: the
    embed hosts the site allows (`html.allow_iframes`, issue 16).
    """
    report = Report(file=file, strict=strict, iframe_hosts=iframe_hosts)
    root, errors = parse(data)
    if root is None:
        seen: set[tuple[str, int | None]] = set()
        for rule, line, message in errors:
            if (rule, line) in seen:
                continue
            seen.add((rule, line))
            report.add(rule, line, f"{message.strip().rstrip('.')}: {PARSE_ADVICE[rule]}")
        return report.findings

    lint_doctype(root, data, report)
    fmt = root_format(root)
    if fmt is None:
        report.add(
            "UnsupportedFormat",
            line_of(root),
            f"the root element is {quote(clark_to_display(root.tag))}; this linter reads RSS 2.0 "
            '(<rss version="2.0">), Atom 1.0 (<feed xmlns="http://www.w3.org/2005/Atom">), '
            "RSS 1.0/0.90 (<rdf:RDF> with a channel) and OPML (<opml>)",
        )
        return report.findings
    lint_characters(root, report)
    if fmt == "rss":
        lint_rss(root, report)
    elif fmt == "atom":
        lint_atom(root, report)
    elif fmt == "rdf":
        lint_rdf(root, report)
    else:
        lint_opml(root, report)
    if fmt in ("rss", "atom"):
        lint_plain_text(root, fmt, data, report)
    report.findings.sort(key=lambda f: f.line or 0)
    return report.findings
