"""The findings of one check (lint or round trip), each at its rule's level for the mode;
quoted values. The one report type of the validator."""

from __future__ import annotations

from dataclasses import dataclass, field

from feeds.findings import Finding
from feeds.lint.rules import RULES

_MAX_QUOTED = 80


def quote(value: str) -> str:
    """A value quoted for a message, shortened when long."""
    if len(value) > _MAX_QUOTED:
        value = value[: _MAX_QUOTED - 1] + "…"
    return repr(value)


@dataclass(slots=True)
class Report:
    """The findings of one check of one file (a local accumulator, never shared between
    calls). `strict` is site mode (the build's own feeds), else lint mode (any feed)."""

    file: str
    strict: bool
    findings: list[Finding] = field(default_factory=list)
    # Site mode: the embed hosts the site allows (`html.allow_iframes`, issue 16), whose
    # https iframes are no SecurityRisk here.
    iframe_hosts: tuple[str, ...] = ()

    def add(
        self,
        rule: str,
        line: int | None,
        message: str,
        *,
        entry: str | None = None,
        field: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        spec = RULES[rule]
        level = spec.strict_level if self.strict else spec.level
        if level is None:
            return
        self.findings.append(
            Finding(
                file=self.file,
                rule=rule,
                level=level,
                message=message,
                line=line,
                entry=entry,
                field=field,
                expected=expected,
                found=found,
            )
        )
