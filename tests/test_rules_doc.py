"""docs/rules.md: one section per rule the validator can report, each with a bad and a good
example (issue 15). Sections others append for their own rules are welcome; a rule in RULES
without a section fails."""

from __future__ import annotations

import re
from pathlib import Path

from feeds.lint import RULES

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
_HEADING = re.compile(r"^## (\S+)\s*$", re.MULTILINE)


def sections(text: str) -> dict[str, str]:
    """Heading name -> the text up to the next `## ` heading (the first section of a name)."""
    found = list(_HEADING.finditer(text))
    ends = [m.start() for m in found[1:]] + [len(text)]
    out: dict[str, str] = {}
    for match, end in zip(found, ends, strict=True):
        out.setdefault(match.group(1), text[match.end() : end])
    return out


def problems(text: str, rules: list[str]) -> list[str]:
    parts = sections(text)
    headings = _HEADING.findall(text)
    out = [f"{name}: two sections" for name in sorted(set(headings)) if headings.count(name) > 1]
    for name in rules:
        body = parts.get(name)
        if body is None:
            out.append(f"{name}: no section")
            continue
        bad, good = body.find("\nBad:\n"), body.find("\nGood:\n")
        if bad < 0 or good < bad or body.count("```") < 4:
            out.append(f"{name}: no bad and good example")
    return out


def test_every_rule_has_a_section_with_a_bad_and_a_good_example() -> None:
    assert problems(DOC.read_text(encoding="utf-8"), list(RULES)) == []


def test_a_rule_without_a_section_fails_and_appended_sections_pass() -> None:
    text = DOC.read_text(encoding="utf-8")
    without = re.sub(r"^## InvalidUriChar\n.*?(?=^## )", "", text, flags=re.S | re.M)
    assert problems(without, list(RULES)) == ["InvalidUriChar: no section"]
    appended = (
        text + "\n## MediaInvalidMedium\n\nBad:\n\n```xml\nx\n```\n\nGood:\n\n```xml\ny\n```\n"
    )
    assert problems(appended, list(RULES)) == []
    no_example = text.replace("## DuplicateAtomLink\n", "## DuplicateAtomLink\n\nBad: none\n", 1)
    no_example = re.sub(r"(## DuplicateAtomLink\n.*?)\nGood:\n", r"\1\n", no_example, flags=re.S)
    assert problems(no_example, list(RULES)) == ["DuplicateAtomLink: no bad and good example"]
    assert problems(text + "\n## SAXError\n", list(RULES)) == ["SAXError: two sections"]


def test_the_examples_are_the_corpus_cases() -> None:
    # The InvalidUriChar section shows the corpus fault and its fix, byte for byte.
    body = sections(DOC.read_text(encoding="utf-8"))["InvalidUriChar"]
    assert "<link>https://news.example.com/first story</link>" in body
    assert "<link>https://news.example.com/first%20story</link>" in body
