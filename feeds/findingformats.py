"""The validator's findings as a person reads them (each linked to its rule's section of
docs/rules.md), as JSON, and as SARIF 2.1.0 for CI systems and code hosts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit

from feeds.findings import Finding, Severity
from feeds.lint.rules import RULES, Rule
from feeds.version import __version__

# docs/rules.md beside the package: present in a source checkout or an editable install.
RULES_DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"


def default_rules_url() -> str:
    """Where the rule pages are: docs/rules.md as a file: URI, or its repository path."""
    return RULES_DOC.as_uri() if RULES_DOC.is_file() else "docs/rules.md"


def rule_url(rule: str, base: str) -> str:
    """The section of `rule` in the rules page at `base` (a heading's anchor is its
    lower-cased name, as Markdown renderers make it)."""
    return f"{base.split('#')[0]}#{rule.lower()}"


def as_text(finding: Finding, base: str) -> str:
    """One line: file:line, level, rule, message, and the rule's page."""
    return f"{finding} (rule: {rule_url(finding.rule, base)})"


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False)


def _is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme) and (parts.scheme == "file" or bool(parts.netloc))


def artifact_uri(file: str) -> str:
    """A finding's file as a SARIF artifactLocation.uri (SARIF 2.1.0 §3.4.3: a URI reference;
    a relative path stays relative to the run's working folder, an http(s) URL stays as it is)."""
    if _is_absolute(file) and urlsplit(file).scheme in ("http", "https", "file"):
        return file
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")


def _sarif_rule(rule: Rule | None, name: str, base: str) -> dict[str, object]:
    summary = rule.summary if rule is not None else name
    level = (rule.level or rule.strict_level) if rule is not None else None
    descriptor: dict[str, object] = {
        "id": name,
        "name": name,
        "shortDescription": {"text": summary},
        "defaultConfiguration": {"level": (level or Severity.WARNING).value},
    }
    url = rule_url(name, base)
    if _is_absolute(url):  # SARIF 2.1.0 §3.49.12: helpUri is an absolute URI
        descriptor["helpUri"] = url
    return descriptor


def _sarif_result(finding: Finding, index: int) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": {"uri": artifact_uri(finding.file)}}
    if finding.line is not None and finding.line >= 1:  # §3.30.5: startLine >= 1
        physical["region"] = {"startLine": finding.line}
    result: dict[str, object] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": finding.level.value,  # "error" and "warning" are SARIF levels (§3.27.10)
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
    }
    if finding.entry:
        result["properties"] = {"entry": finding.entry}
    return result


def as_sarif(
    findings: Sequence[Finding], base: str, rules: Mapping[str, Rule] = RULES
) -> dict[str, object]:
    """One SARIF 2.1.0 log with one run: the rules the findings name (with their helpUri)
    and one result per finding."""
    names = list(dict.fromkeys(f.rule for f in findings))
    index = {name: i for i, name in enumerate(names)}
    driver = {
        "name": "feeds",
        "version": __version__,
        "rules": [_sarif_rule(rules.get(name), name, base) for name in names],
    }
    if _is_absolute(base):
        driver["informationUri"] = base.split("#")[0]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": driver},
                "results": [_sarif_result(f, index[f.rule]) for f in findings],
            }
        ],
    }
