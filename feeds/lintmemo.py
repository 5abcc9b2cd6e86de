"""The lint memo: the site-mode lint findings of a feed file, kept under a digest of its exact
bytes so a file linted once (by the build) is not linted again (by `feeds validate` or a later
build) while its bytes are the same (issue 14). Only the lint is memoised, never the round trip.

The key is a digest of a salt, the kind of lint (XML or JSON Feed), the mode, the embed hosts
and the bytes. The salt is a digest of the source of every module the lint runs (`feeds/lint/`,
`findings`, `layout`) with the lxml, libxml2 and Python versions, computed once per process:
any change to lint code gives other keys, with no number to bump. Findings are kept without
their file name (`Report` puts it in `Finding.file` only) and given the name they are asked
for, so a finding is the same whether the file was linted now or before.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import secrets
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from feeds.codec import pickle_by_constructor
from feeds.findings import Finding
from feeds.lint import lint_feed
from feeds.lint.jsonfeed import lint_json_document, load_json
from feeds.lint.report import Report
from feeds.version import __version__


@dataclasses.dataclass(frozen=True, slots=True)
class LintEntry:
    """One file's lint: its `lint_key`, its findings (file name left empty) and, for JSON Feed,
    whether the document could be read further (a JSON object)."""

    key: bytes
    findings: tuple[Finding, ...]
    readable: bool = True


pickle_by_constructor(LintEntry, Finding)

XmlLint = Callable[..., list[Finding]]  # `lint_feed`'s signature

# The modules whose code decides a lint finding (lint's row in DEVELOPERS.md's table).
_LINT_SOURCES = ("lint", "findings.py", "layout.py", "lintmemo.py")
PACKAGE = Path(__file__).resolve().parent  # where those sources are


@functools.cache
def lint_salt() -> bytes:
    """The digest of the lint code and the libraries it runs on (see the module docstring).
    A source that cannot be read gives a salt of this process only (no memo is reused)."""
    digest = hashlib.sha256(b"feeds lint memo 1\0")
    versions = (__version__, etree.LXML_VERSION, etree.LIBXML_VERSION, sys.version)
    digest.update(repr(versions).encode())
    package = PACKAGE
    try:
        for name in _LINT_SOURCES:
            found = sorted((package / name).rglob("*.py")) if name == "lint" else [package / name]
            if not found:
                raise OSError(f"no source in {package / name}")
            for path in found:
                source = path.read_bytes()
                digest.update(f"{path.relative_to(package)}\0{len(source)}\0".encode())
                digest.update(source)
    except OSError:
        digest.update(secrets.token_bytes(16))
    return digest.digest()


def lint_key(data: bytes, kind: str, *, strict: bool, iframe_hosts: tuple[str, ...]) -> bytes:
    """The memo key of linting `data` as `kind` ("xml" or "json") in the given mode."""
    digest = hashlib.sha256(lint_salt())
    digest.update(repr((kind, strict, iframe_hosts)).encode())
    digest.update(b"\0")
    digest.update(data)
    return digest.digest()


def _unnamed(found: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(dataclasses.replace(finding, file="") for finding in found)


def _named(found: Iterable[Finding], file: str) -> list[Finding]:
    return [dataclasses.replace(finding, file=file) for finding in found]


class LintMemo:
    """Site-mode lint findings by `lint_key` (those given, and those linted here); `last` is
    the entry of the file linted last (the build keeps it for the file it wrote)."""

    def __init__(self, known: Iterable[Any] = ()) -> None:
        self.entries = {e.key: e for e in known if isinstance(e, LintEntry)}
        self.last: LintEntry | None = None

    def lint_xml(
        self, data: bytes, file: str, iframe_hosts: tuple[str, ...], lint: XmlLint = lint_feed
    ) -> list[Finding]:
        """`lint(data, file, strict=True, iframe_hosts=...)` (`lint_feed`), once per bytes."""
        key = lint_key(data, "xml", strict=True, iframe_hosts=iframe_hosts)
        entry = self.entries.get(key)
        if entry is None:
            found = lint(data, file, strict=True, iframe_hosts=iframe_hosts)
            entry = self.entries[key] = LintEntry(key, _unnamed(found))
        self.last = entry
        return _named(entry.findings, file)

    def lint_json(self, data: bytes, report: Report) -> Any:
        """JSON Feed's lint as the round trip starts: the findings go to `report` (site mode);
        the decoded document, or None when it is not a JSON object to read further."""
        key = lint_key(data, "json", strict=report.strict, iframe_hosts=report.iframe_hosts)
        entry = self.entries.get(key)
        if entry is None:
            mine = Report(file=report.file, strict=report.strict, iframe_hosts=report.iframe_hosts)
            document = load_json(data, mine)
            readable = document is not None and lint_json_document(document, mine)
            entry = self.entries[key] = LintEntry(key, _unnamed(mine.findings), readable)
        elif entry.readable:  # these bytes decoded to an object before: they do now
            document = load_json(data, Report(file=report.file, strict=report.strict))
        else:
            document = None
        self.last = entry
        report.findings.extend(_named(entry.findings, report.file))
        return document if entry.readable else None
