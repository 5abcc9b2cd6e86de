"""What the validator reports (lint and round trip), in one shape, ready for `--format json`."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import asdict, dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the validator noticed about one feed file.

    `rule` is a stable name (the W3C Feed Validation Service's name where it has the same
    check, e.g. `InvalidRFC2822Date`; otherwise our own CamelCase name). `entry` is the
    entry's id/guid when the finding is about one entry. `expected`/`found` are set for
    round-trip differences.
    """

    file: str
    rule: str
    level: Severity
    message: str
    line: int | None = None
    entry: str | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["level"] = self.level.value
        return {
            key: data[key]
            for key in (
                "file",
                "line",
                "rule",
                "level",
                "entry",
                "field",
                "expected",
                "found",
                "message",
            )
        }

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.level.value} {self.rule}: {self.message}"
        if self.entry:
            text += f" [entry {self.entry}]"
        if self.expected is not None or self.found is not None:
            text += f" (expected {self.expected!r}, found {self.found!r})"
        return text


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error (warnings alone never block publishing)."""
    return any(f.level is Severity.ERROR for f in findings)
