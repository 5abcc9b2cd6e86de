"""`feeds validate --format sarif` and the text output's rule links (feeds/findingformats.py).

The SARIF log is checked against the required properties and value rules of the SARIF 2.1.0
JSON schema (sarif-schema-2.1.0.json, OASIS), copied here by hand: a code host that reads
SARIF rejects a log that misses them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from click.testing import CliRunner

from feeds.cli import cli
from feeds.findingformats import RULES_DOC, artifact_uri, as_sarif, as_text, rule_url
from feeds.findings import Finding, Severity
from feeds.lint import RULES

CORPUS = Path(__file__).parent / "corpus" / "lint"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"

# SARIF 2.1.0 schema: "required" of each object we write, and the enum of result.level.
REQUIRED = {
    "sarifLog": ("version", "runs"),
    "run": ("tool",),
    "tool": ("driver",),
    "toolComponent": ("name",),
    "reportingDescriptor": ("id",),
    "result": ("message",),
    "message": ("text",),  # the schema's anyOf: text or id; we always write text
    "multiformatMessageString": ("text",),
}
LEVELS = ("none", "note", "warning", "error")


def is_absolute_uri(value: str) -> bool:  # "format": "uri" (RFC 3986 absolute)
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value) is not None


def check_sarif(log: dict[str, object]) -> list[str]:
    """The schema violations in `log` (the parts of the schema a log from feeds can touch)."""
    problems: list[str] = []

    def need(obj: object, kind: str, where: str) -> dict[str, object]:
        if not isinstance(obj, dict):
            problems.append(f"{where}: not an object")
            return {}
        problems.extend(f"{where}: no {key}" for key in REQUIRED[kind] if key not in obj)
        return obj

    top = need(log, "sarifLog", "log")
    if top.get("version") != "2.1.0":
        problems.append("log: version is not 2.1.0")
    runs = top.get("runs")
    if not isinstance(runs, list) or not runs:
        return [*problems, "log: runs is not a non-empty array"]
    for r, run_obj in enumerate(runs):
        run = need(run_obj, "run", f"runs[{r}]")
        driver = need(
            need(run.get("tool"), "tool", "tool").get("driver"), "toolComponent", "driver"
        )
        rules = driver.get("rules", [])
        assert isinstance(rules, list)
        ids = []
        for i, rule_obj in enumerate(rules):
            rule = need(rule_obj, "reportingDescriptor", f"rules[{i}]")
            ids.append(rule.get("id"))
            if "shortDescription" in rule:
                need(
                    rule["shortDescription"],
                    "multiformatMessageString",
                    f"rules[{i}].shortDescription",
                )
            help_uri = rule.get("helpUri")
            if help_uri is not None and not (
                isinstance(help_uri, str) and is_absolute_uri(help_uri)
            ):
                problems.append(f"rules[{i}]: helpUri {help_uri!r} is not an absolute URI")
            level = rule.get("defaultConfiguration", {}).get("level")  # type: ignore[union-attr]
            if level not in LEVELS:
                problems.append(f"rules[{i}]: defaultConfiguration.level {level!r}")
        results = run.get("results", [])
        assert isinstance(results, list)
        for i, result_obj in enumerate(results):
            result = need(result_obj, "result", f"results[{i}]")
            need(result.get("message"), "message", f"results[{i}].message")
            if result.get("level") not in LEVELS:
                problems.append(f"results[{i}]: level {result.get('level')!r}")
            index = result.get("ruleIndex")
            if index is not None and (
                not isinstance(index, int) or ids[index] != result.get("ruleId")
            ):
                problems.append(f"results[{i}]: ruleIndex does not point at ruleId")
            for location in result.get("locations", []):  # type: ignore[union-attr]
                physical = location.get("physicalLocation", {})
                if not ({"artifactLocation", "address"} & set(physical)):
                    problems.append(f"results[{i}]: physicalLocation without artifactLocation")
                region = physical.get("region")
                if region is not None and not (
                    isinstance(region.get("startLine"), int) and region["startLine"] >= 1
                ):
                    problems.append(f"results[{i}]: region.startLine {region.get('startLine')!r}")
    return problems


FINDINGS = [
    Finding("feeds/all.rss.xml", "InvalidUriChar", Severity.ERROR, "a space", line=10, entry="e1"),
    Finding("feeds/all.rss.xml", "MissingGuid", Severity.WARNING, "no guid", line=14),
    Finding("feeds/all.rss.xml", "InvalidUriChar", Severity.ERROR, "a quote", line=20),
    Finding("https://news.example.com/feed", "MissingValidators", Severity.WARNING, "no ETag"),
]


def test_the_sarif_log_has_what_the_schema_requires() -> None:
    log = as_sarif(FINDINGS, "https://docs.example.com/feeds/rules.md")
    assert check_sarif(log) == []
    [run] = log["runs"]  # type: ignore[misc]
    driver = run["tool"]["driver"]
    assert driver["name"] == "feeds"
    assert [r["id"] for r in driver["rules"]] == [
        "InvalidUriChar",
        "MissingGuid",
        "MissingValidators",
    ]
    assert driver["rules"][0]["helpUri"] == "https://docs.example.com/feeds/rules.md#invalidurichar"
    assert driver["rules"][0]["defaultConfiguration"] == {"level": "error"}
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "warning"}
    first, second, third, fourth = run["results"]
    assert first == {
        "ruleId": "InvalidUriChar",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "a space"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "feeds/all.rss.xml"},
                    "region": {"startLine": 10},
                }
            }
        ],
        "properties": {"entry": "e1"},
    }
    assert (second["ruleIndex"], second["level"]) == (1, "warning")
    assert third["ruleIndex"] == 0
    assert fourth["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "https://news.example.com/feed"}}}
    ]  # no line: no region (startLine must be >= 1)


def test_the_checker_catches_what_it_checks() -> None:
    log = as_sarif(FINDINGS, "docs/rules.md")  # relative: no helpUri is written at all
    assert check_sarif(log) == []
    assert "helpUri" not in json.dumps(log)
    broken = json.loads(json.dumps(as_sarif(FINDINGS, "https://x.example/rules.md")))
    del broken["version"]
    broken["runs"][0]["results"][0]["level"] = "fatal"
    broken["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    broken["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "rules.md#x"
    del broken["runs"][0]["tool"]["driver"]["rules"][1]["id"]
    assert check_sarif(broken) == [
        "log: no version",
        "log: version is not 2.1.0",
        "rules[0]: helpUri 'rules.md#x' is not an absolute URI",
        "rules[1]: no id",
        "results[0]: level 'fatal'",
        "results[1]: ruleIndex does not point at ruleId",
        "results[1]: region.startLine 0",
    ]


def test_artifact_uris() -> None:
    assert artifact_uri("public/feeds/a b.rss.xml") == "public/feeds/a%20b.rss.xml"
    assert artifact_uri("/srv/public/all.rss.xml") == "file:///srv/public/all.rss.xml"
    assert artifact_uri("https://news.example.com/feed?x=1") == "https://news.example.com/feed?x=1"


def test_cli_writes_sarif_with_links_to_this_checkouts_rules_page() -> None:
    path = CORPUS / "rss-InvalidUriChar.xml"
    result = CliRunner().invoke(cli, ["validate", "--format", "sarif", str(path)])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert check_sarif(log) == []
    [rule] = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["helpUri"] == DOCS.as_uri() + "#invalidurichar"
    assert urlsplit(rule["helpUri"]).path == str(DOCS)
    [res] = log["runs"][0]["results"]
    assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": 10}
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == path.as_uri()


def test_text_output_links_each_finding_to_its_section() -> None:
    path = CORPUS / "atom-DuplicateAtomLink.xml"
    result = CliRunner().invoke(
        cli, ["validate", "--rules-url", "https://docs.example.com/rules.md", str(path)]
    )
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{path}:13: error DuplicateAtomLink: ")
    assert line.endswith(" (rule: https://docs.example.com/rules.md#duplicateatomlink)")
    assert as_text(FINDINGS[1], "x/rules.md").endswith("(rule: x/rules.md#missingguid)")


def test_every_link_lands_on_a_heading_of_the_rules_page() -> None:
    # GitHub and other renderers make "## DuplicateAtomLink" the anchor #duplicateatomlink.
    anchors = {m.lower() for m in re.findall(r"^## (\S+)$", DOCS.read_text(), re.M)}
    assert RULES_DOC == DOCS
    assert {rule_url(name, "x").split("#")[1] for name in RULES} <= anchors
