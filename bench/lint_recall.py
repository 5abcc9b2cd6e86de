"""Lint's recall and false-alarm rate on the lint corpus (tests/corpus/lint/).

An invalid case is named `<format>-<Rule>[--variant].<ext>` and counts as caught when lint
reports `Rule` for it; a valid case is named `valid-...` and is a false alarm when lint
reports any error for it (the W3C service's "valid": no errors, warnings allowed), or when
it is named after a rule (`valid-<format>-<Rule>...`) and that rule is reported. Site-only
rules (no lint-mode level) are checked in site mode. `.xml` files are RSS, Atom, RDF or OPML,
`.json` JSON Feed, `.yaml` a recorded HTTP exchange checked as `feeds validate URL` checks
one (feeds/pollcheck.py; its bodies are other files of the corpus).

    .venv/bin/python bench/lint_recall.py [CORPUS_DIR] [--json]

Exit code 1 when recall is under 95% or false alarms over 1% (issue 15's bar).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feeds.findings import Finding, Severity
from feeds.lint import RULES, lint_feed
from feeds.lint.jsonfeed import lint_json_feed
from feeds.pollcheck import HubProbe, Poll, Response, Stop, check_poll

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


def guarded_rule(path: Path) -> str | None:
    """The rule a valid case shows silent: `valid-rss-IncorrectDOW.xml` -> `IncorrectDOW`;
    None for a valid case named after no rule (`valid-rss-basic.xml`)."""
    parts = path.stem.split("-", 2)
    if not path.name.startswith("valid-") or len(parts) < 3:
        return None
    name = parts[2].split("--")[0]
    return name if name in RULES else None


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.suffix in (".xml", ".json", ".yaml"))


def _response(data: dict[str, Any], url: str, corpus: Path) -> Response:
    if "body" in data:
        body = (corpus / data["body"]).read_bytes()
    else:
        body = str(data.get("text", "")).encode("utf-8")
    return Response(
        url=data.get("url", url),
        status=int(data["status"]),
        reason=str(data.get("reason", "")),
        headers=tuple((str(k), str(v)) for k, v in (data.get("headers") or {}).items()),
        body=body,
        wire_bytes=len(body),
        truncated=bool(data.get("truncated", False)),
    )


def load_exchange(path: Path) -> Poll:
    """A recorded poll: `url`, `responses` (redirects, then the final answer; each answer's
    URL is the previous one's Location unless given), `stop` and `detail`, `conditional`,
    `hubs`, `max_bytes`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    url = data["url"]
    responses = []
    for item in data["responses"]:
        response = _response(item, url, path.parent)
        responses.append(response)
        url = response.header("Location") or url
    conditional = data.get("conditional")
    return Poll(
        url=data["url"],
        responses=tuple(responses),
        max_bytes=int(data.get("max_bytes", 10_000_000)),
        stop=Stop(data["stop"]) if data.get("stop") else None,
        stop_detail=str(data.get("detail", "")),
        conditional=_response(conditional, url, path.parent) if conditional else None,
        conditional_error=data.get("conditional_error"),
        hubs=tuple(
            HubProbe(h["url"], h.get("status"), h.get("error")) for h in data.get("hubs", [])
        ),
    )


def lint_case(path: Path, *, strict: bool = False) -> list[Finding]:
    if path.suffix == ".yaml":
        return check_poll(load_exchange(path))
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
            found = lint_case(path)
            guarded = guarded_rule(path)
            if any(f.level is Severity.ERROR or f.rule == guarded for f in found):
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
