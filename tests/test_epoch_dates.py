"""Unix time (epoch seconds and milliseconds) as dates in structured records (issue 18).

Expected instants are written by hand (`date -u -d @1700000000` is 2023-11-14 22:13:20).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from sites import make_site

from feeds.dates import DateError, parse_date
from feeds.model import Level

BERLIN = ZoneInfo("Europe/Berlin")
WRITE = "write the full date, e.g. 2021-03-23 10:18"


def instant(value: object) -> datetime:
    return parse_date(value, BERLIN).instant


def error(value: object) -> str:
    with pytest.raises(DateError) as caught:
        parse_date(value, BERLIN)
    return str(caught.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),  # seconds
        (1_700_000_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),  # milliseconds
        (1_700_000_000_999, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),  # ms fraction dropped
        (1_700_000_000.75, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),  # fraction dropped
        (1_616_494_680_000.0, datetime(2021, 3, 23, 10, 18, tzinfo=UTC)),  # JSON 1.61e12
        (-1_000_000_000, datetime(1938, 4, 24, 22, 13, 20, tzinfo=UTC)),  # before 1970
        (-1_000_000_000.5, datetime(1938, 4, 24, 22, 13, 19, tzinfo=UTC)),  # rounded down
        (100_000_000, datetime(1973, 3, 3, 9, 46, 40, tzinfo=UTC)),  # the smallest read
        (99_999_999_999, datetime(5138, 11, 16, 9, 46, 39, tzinfo=UTC)),  # the largest seconds
        (100_000_000_000, datetime(1973, 3, 3, 9, 46, 40, tzinfo=UTC)),  # the smallest ms
    ],
)
def test_unix_seconds_and_milliseconds(value: float, expected: datetime) -> None:
    got = instant(value)
    assert got == expected
    assert got.tzinfo == BERLIN  # shown in the site zone, as every other date


def test_shown_in_the_site_zone() -> None:
    # 2023-11-14 22:13:20 UTC is 23:13:20 in Berlin (CET, +01:00)
    assert instant(1_700_000_000).replace(tzinfo=None) == datetime(2023, 11, 14, 23, 13, 20)


@pytest.mark.parametrize("value", [0, 1, 2021, 20210323, 99_999_999, -5, 2021.5])
def test_small_numbers_are_refused_as_years_or_ids(value: float) -> None:
    assert error(value) == (
        "is a number under 100,000,000: a number is read as Unix time (seconds or "
        "milliseconds since 1970-01-01 UTC), and one this small (before 1973-03-03 in "
        f"seconds) is more likely a year or an id than a date; {WRITE}"
    )


@pytest.mark.parametrize("value", [10**14, 1_700_000_000_000_000, 10**400, 1e300])
def test_microseconds_and_huge_numbers_are_refused(value: float) -> None:
    assert error(value) == (
        "is a number too large for Unix time in seconds or milliseconds (from "
        f"100,000,000,000,000 on; microseconds are not read); {WRITE}, or the Unix time "
        "in seconds"
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_not_finite(value: float) -> None:
    assert error(value) == f"is not a finite number, so not a Unix time; {WRITE}"


def test_before_the_year_1000_is_refused() -> None:
    # -99,999,999,999 seconds is in the year -1199
    assert error(-99_999_999_999) == (
        f"falls outside the years 1000-9999 in the site time zone; {WRITE}"
    )


def test_true_is_still_not_a_date() -> None:
    assert error(True) == (
        "is true/false, not a date; write the publication date, e.g. 2021-03-23 10:18"
    )


def test_a_cms_export_with_epoch_dates_builds(tmp_path: Path) -> None:
    """A JSON Lines export with epoch seconds and milliseconds: the feed carries the dates,
    and a bad one is refused naming the record, the field and the value."""
    rows = [
        {"slug": "seconds", "title": "Seconds", "date": 1_700_000_000, "body": "One."},
        {"slug": "millis", "title": "Millis", "date": 1_600_000_000_000, "body": "Two."},
        {
            "slug": "updated",
            "title": "Updated",
            "date": 1_500_000_000,
            "updated": 1_500_003_600_000,
            "body": "Three.",
        },
        {"slug": "year", "title": "A year", "date": 2021, "body": "Four."},
    ]
    text = "".join(json.dumps(row) + "\n" for row in rows)
    site = make_site(tmp_path, {"export.jsonl": text})
    report = site.build()
    assert [(p.source, p.field, p.value, p.level) for p in report.errors] == [
        ("content/export.jsonl:4", "date", "2021", Level.ERROR)
    ]
    parsed = feedparser.parse((site.output / "feeds" / "all.atom.xml").read_bytes())
    dates = {e.title: (e.published, e.updated) for e in parsed.entries}
    # 1600000000 is 2020-09-13 12:26:40 UTC; 1500000000 is 2017-07-14 02:40:00 UTC
    assert dates == {
        "Seconds": ("2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z"),
        "Millis": ("2020-09-13T12:26:40Z", "2020-09-13T12:26:40Z"),
        "Updated": ("2017-07-14T02:40:00Z", "2017-07-14T03:40:00Z"),
    }
