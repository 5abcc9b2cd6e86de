"""Lint's recall and false-alarm rate on the lint corpus (tests/corpus/lint/).

An invalid case is named `<format>-<Rule>[--variant].<ext>` and counts as caught when lint
reports `Rule` for it; a valid case is named `valid-...` and is a false alarm when lint
reports any error for it (the W3C service's "valid": no errors, warnings allowed). Site-only
rules (no lint-mode level) are checked in site mode.

    .venv/bin/python bench/lint_recall.py [CORPUS_DIR] [--json]

Exit code 1 when recall is under 95% or false alarms over 1% (issue 15's bar).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from feeds.findings import Finding, Severity
from feeds.lint import RULES, lint_feed
from feeds.lint.jsonfeed import lint_json_feed

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "lint"
MIN_RECALL = 0.95
MAX_FALSE_ALARMS = 0.01


@dataclass(frozen=True, slots=True)
class Score:
    invalid: int
    caught: int
    valid: int
    false_alarms: int
    missed: tuple[str, ...]  # invalid files whose rule lint did not report
    alarmed: tuple[str, ...]  # valid files with an error

    @property
    def recall(self) -> float:
        return self.caught / self.invalid if self.invalid else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.valid if self.valid else 0.0

    @property
    def passes(self) -> bool:
        return self.recall >= MIN_RECALL and self.false_alarm_rate <= MAX_FALSE_ALARMS


def intended_rule(path: Path) -> str | None:
    """`rss-InvalidRFC2822Date--day.xml` -> `InvalidRFC2822Date`; None for a valid case."""
    if path.name.startswith("valid-"):
        return None
    return path.stem.split("-", 1)[1].split("--")[0]


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.suffix in (".xml", ".json"))


def lint_case(path: Path, *, strict: bool = False) -> list[Finding]:
    lint = lint_json_feed if path.suffix == ".json" else lint_feed
    return lint(path.read_bytes(), path.name, strict=strict)


def score(corpus: Path = CORPUS) -> Score:
    invalid = caught = valid = false_alarms = 0
    missed: list[str] = []
    alarmed: list[str] = []
    for path in corpus_files(corpus):
        rule = intended_rule(path)
        if rule is None:
            valid += 1
            if any(f.level is Severity.ERROR for f in lint_case(path)):
                false_alarms += 1
                alarmed.append(path.name)
            continue
        invalid += 1
        site_only = rule in RULES and RULES[rule].level is None
        if rule in {f.rule for f in lint_case(path, strict=site_only)}:
            caught += 1
        else:
            missed.append(path.name)
    return Score(invalid, caught, valid, false_alarms, tuple(missed), tuple(alarmed))


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--json"]
    result = score(Path(args[0]) if args else CORPUS)
    if "--json" in argv:
        print(json.dumps({
            "invalid": result.invalid, "caught": result.caught, "recall": result.recall,
            "valid": result.valid, "false_alarms": result.false_alarms,
            "false_alarm_rate": result.false_alarm_rate,
            "missed": result.missed, "alarmed": result.alarmed,
        }, indent=2))  # fmt: skip
    else:
        print(f"recall: {result.caught} of {result.invalid} invalid cases ({result.recall:.1%})")
        print(
            f"false alarms: {result.false_alarms} of {result.valid} valid cases "
            f"({result.false_alarm_rate:.1%})"
        )
        for name in result.missed:
            print(f"  missed: {name}")
        for name in result.alarmed:
            print(f"  false alarm: {name}")
    return 0 if result.passes else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
