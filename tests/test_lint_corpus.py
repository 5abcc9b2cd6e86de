"""The lint corpus as a measure (issue 15): an invalid and a valid case for every lint rule,
recall and false alarms reported by bench/lint_recall.py, and the rules the W3C validator
flags that lint used to miss, case by case, with the false alarms it used to raise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from feeds.findings import Finding, Severity
from feeds.lint import RULES, check_rfc822, lint_feed

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import lint_recall  # noqa: E402  (bench/ is a folder of scripts, not a package)

CORPUS = Path(__file__).parent / "corpus" / "lint"
# Round-trip and site rules compare a build with its records (tests/test_validate.py), so no
# single file can show them; every other rule has its cases here (HTTP ones as recorded
# exchanges, `http-<Rule>.yaml`).
LINT_RULES = {name for name, rule in RULES.items() if rule.stage in ("xml", "json", "http")}
EXCHANGES = sorted(CORPUS.glob("*http-*.yaml"))


def test_every_lint_rule_has_an_invalid_and_a_valid_case() -> None:
    names = [p.name for p in lint_recall.corpus_files(CORPUS)]
    invalid = {lint_recall.intended_rule(CORPUS / n) for n in names} - {None}
    valid = {n.split("-", 2)[2].split(".")[0].split("--")[0] for n in names if n.count("-") >= 2
             and n.startswith("valid-")}  # fmt: skip
    assert invalid == LINT_RULES
    assert not LINT_RULES - valid, sorted(LINT_RULES - valid)


def test_the_corpus_score_is_perfect() -> None:
    result = lint_recall.score(CORPUS)
    assert (result.missed, result.alarmed) == ((), ())
    assert result.invalid >= 170 and result.valid >= 110
    assert result.recall == 1.0 and result.false_alarm_rate == 0.0


REDIRECT_NOTES = {"PermanentRedirect", "TempRedirect"}  # the hops before a stop


@pytest.mark.parametrize("path", EXCHANGES, ids=lambda p: p.name)
def test_each_recorded_exchange_shows_its_rule_and_nothing_else(path: Path) -> None:
    findings = lint_recall.lint_case(path)
    found = {f.rule for f in findings}
    rule = lint_recall.intended_rule(path)
    if rule is None:  # valid: silent, but for the redirect it shows on purpose
        assert found <= REDIRECT_NOTES - {lint_recall.guarded_rule(path)}
    else:
        assert rule in found and found - {rule} <= REDIRECT_NOTES
    assert all(f.file == lint_recall.load_exchange(path).url and f.message for f in findings)


def test_a_valid_case_reporting_its_own_rule_is_a_false_alarm(tmp_path: Path) -> None:
    # A warning is no false alarm in a valid case (W3C's "valid"), unless the case is named
    # after that rule: valid-rss-MissingGuid.xml must not report MissingGuid.
    (tmp_path / "valid-rss-MissingGuid.xml").write_bytes(
        (CORPUS / "rss-MissingGuid.xml").read_bytes()
    )
    (tmp_path / "valid-rss-warned.xml").write_bytes((CORPUS / "rss-MissingGuid.xml").read_bytes())
    result = lint_recall.score(tmp_path)
    assert result.alarmed == ("valid-rss-MissingGuid.xml",)


def test_the_score_counts_a_miss_and_a_false_alarm(tmp_path: Path) -> None:
    # A fault lint cannot see (an invalid case named after a rule it does not break) and an
    # error in a "valid" case are each counted, by name.
    (tmp_path / "rss-DuplicateElement.xml").write_bytes(
        (CORPUS / "valid-rss-basic.xml").read_bytes()
    )
    (tmp_path / "valid-rss-x.xml").write_bytes((CORPUS / "rss-IncorrectDOW.xml").read_bytes())
    (tmp_path / "valid-rss-basic.xml").write_bytes((CORPUS / "valid-rss-basic.xml").read_bytes())
    result = lint_recall.score(tmp_path)
    assert (result.invalid, result.caught, result.valid, result.false_alarms) == (1, 0, 2, 1)
    assert result.missed == ("rss-DuplicateElement.xml",)
    assert result.alarmed == ("valid-rss-x.xml",)
    assert not result.passes


def test_the_script_reports_and_exits_zero() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "lint_recall.py")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(100.0%)" in done.stdout and "false alarms: 0 of" in done.stdout


# ------------------------------------------------------------------ the rules the issue names


def findings_of(name: str) -> list[Finding]:
    return lint_feed((CORPUS / name).read_bytes(), name)


@pytest.mark.parametrize(
    ("name", "line", "field"),
    [
        ("rss-DuplicateElement--copyright.xml", 9, "copyright"),
        ("rss-DuplicateElement--image-url.xml", 10, "url"),
        ("atom-DuplicateElement--author-name.xml", 13, "name"),
        ("rss-UndefinedElement--channel-guid.xml", 8, "guid"),
        ("rss-UndefinedElement--item-updated.xml", 14, "updated"),
        ("rss-UndefinedElement--case.xml", 14, "pubdate"),
        ("atom-UndefinedElement--entry-subtitle.xml", 13, "subtitle"),
        ("atom-UndefinedElement--typo.xml", 13, "summery"),
        ("rdf-UndefinedElement.xml", 14, "pubDate"),
        ("rss-InvalidUriChar.xml", 10, "link"),
        ("rss-InvalidUriChar--enclosure.xml", 14, "enclosure@url"),
        ("atom-InvalidUriChar.xml", 12, "link"),
        ("atom-InvalidUriChar--backslash.xml", 12, "link"),
        ("atom-InvalidUriChar--id.xml", 9, "id"),
        ("rss-InvalidFullLink--image.xml", 9, "url"),
        ("rss-InvalidFullLink--comments.xml", 14, "comments"),
        ("rdf-InvalidFullLink.xml", 13, "link"),
        ("rss-MissingElement--image-link.xml", 8, "link"),
        ("atom-MissingElement--contributor-name.xml", 13, "name"),
        ("rdf-MissingElement.xml", 3, "items"),
        ("rdf-MissingElement--item-link.xml", 11, "link"),
        ("rdf-MissingElement--rss090.xml", 3, "description"),
        ("atom-UnexpectedWhitespace.xml", 9, "id"),
        ("atom-UnexpectedWhitespace--updated.xml", 11, "updated"),
        ("atom-UnexpectedWhitespace--href.xml", 12, "<link> href"),
        ("rss-MissingAttribute--source.xml", 14, "source@url"),
        ("rss-MissingAttribute--cloud.xml", 8, "cloud@registerProcedure"),
        ("atom-MissingAttribute.xml", 13, "category@term"),
        ("rdf-MissingAttribute.xml", 11, "item@rdf:about"),
        ("atom-DuplicateAtomLink.xml", 13, "link"),
        ("atom-DuplicateAtomLink--feed.xml", 8, "link"),
    ],
)
def test_each_named_rule_is_an_error_at_its_line(name: str, line: int, field: str) -> None:
    rule = name.split("-", 1)[1].split("--")[0].removesuffix(".xml")
    [finding] = findings_of(name)
    assert (finding.rule, finding.level, finding.line, finding.field) == (
        rule,
        Severity.ERROR,
        line,
        field,
    )


def test_messages_quote_the_value_and_say_what_to_do() -> None:
    [space] = findings_of("rss-InvalidUriChar.xml")
    assert "'https://news.example.com/first story' contains ' '" in space.message
    assert "percent-encode" in space.message
    [twice] = findings_of("atom-DuplicateAtomLink.xml")
    assert "type 'text/html' and hreflang '(none)' (the first is on line 12)" in twice.message
    [undefined] = findings_of("rss-UndefinedElement--case.xml")
    assert "<item> has a <pubdate> element" in undefined.message
    assert "spelling and case" in undefined.message


# ------------------------------------------------------------------ false alarms no more


@pytest.mark.parametrize(
    "value",
    [
        "Tue, 05 Mar 2024 09:30:00 +0000 (UTC)",  # RFC 822 §3.1.4 comment
        "Tue, 05 Mar 2024 09:30:00 (Central European (winter) time) +0100",  # nested
        "Tue, 05 Mar 2024 09:30:00 GMT (a \\) quoted paren)",  # quoted-pair in a comment
        "Tue,  05 Mar 2024\n  09:30:00 +0000",  # folded whitespace (RFC 822 §3.1.1)
    ],
)
def test_rfc822_comments_and_folding_are_valid(value: str) -> None:
    assert check_rfc822(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "5 Mar 24 09:30 EST",  # one-digit day, two-digit year, no seconds, US zone
        "Tue, 5 Mar 2024 09:30 Z",  # military zone
        "tue, 05 mar 2024 09:30:00 gmt",  # lower case
    ],
)
def test_the_full_rfc822_range_is_at_most_a_warning(value: str) -> None:
    # The W3C validator accepts these RFC 822 forms with a warning, never an error.
    found = check_rfc822(value)
    assert found is not None and found[0] == "ProblematicalRFC822Date"
    assert RULES[found[0]].level is Severity.WARNING


def test_a_date_without_a_zone_is_an_error() -> None:
    # The W3C validator's loose RFC 822 form needs a zone too (InvalidRFC2822Date there).
    found = check_rfc822("Tue, 05 Mar 2024 09:30:00")
    assert found is not None and found[0] == "InvalidRFC2822Date"
    assert "it has no time zone" in found[1]


def test_a_commented_date_is_still_checked() -> None:
    assert check_rfc822("Wed, 05 Mar 2024 09:30:00 +0000 (UTC)") == (
        "IncorrectDOW",
        "'Wed, 05 Mar 2024 09:30:00 +0000 (UTC)': 5 Mar 2024 is a Tue",
    )
    assert check_rfc822("(just a comment)") is not None


def test_an_atom_feed_with_no_entries_and_no_author_is_valid() -> None:
    assert findings_of("valid-atom-MissingElement--no-entries.xml") == []
    # ... but an entry without an author still needs a feed author (RFC 4287 §4.1.1).
    [missing] = findings_of("atom-MissingElement--author.xml")
    assert (missing.rule, missing.field, missing.line) == ("MissingElement", "author", 15)
