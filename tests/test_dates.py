"""feeds.dates: every accepted style, every guard, the clock-change rules, and the two formats.

Expected instants are written by hand as UTC wall times plus the offset the site zone shows.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sites import make_site

from feeds.dateformat import rfc822, rfc3339
from feeds.dates import DateError, ParsedDate, parse_date

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC_ZONE = ZoneInfo("UTC")
WRITE = "write the full date, e.g. 2021-03-23 10:18"


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def hours(h: float) -> timedelta:
    return timedelta(hours=h)


def check(parsed: ParsedDate, instant: datetime, offset: timedelta, zone: ZoneInfo) -> None:
    """The instant is right, shown in the site zone with the offset the zone has then."""
    assert parsed.instant.astimezone(UTC) == instant
    assert parsed.instant.tzinfo is zone
    assert parsed.instant.utcoffset() == offset


def error(value: object, tz: ZoneInfo = BERLIN, *, dayfirst: bool = False) -> str:
    with pytest.raises(DateError) as caught:
        parse_date(value, tz, dayfirst=dayfirst)
    return str(caught.value)


# --- styles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "instant", "offset"),
    [
        # plain-text header style, weekday and 24-hour time; local time in Berlin (CET, +1)
        ("Tuesday, Mar 23, 2021, 10:18", utc(2021, 3, 23, 9, 18), 1),
        ("Friday, Jan 8, 2021, 14:30", utc(2021, 1, 8, 13, 30), 1),
        ("Dec 30, 2020, 11:59 PM", utc(2020, 12, 30, 22, 59), 1),
        ("Mar 23, 2021 10:18 am", utc(2021, 3, 23, 9, 18), 1),
        ("23 March 2021", utc(2021, 3, 22, 23, 0), 1),
        ("Sept 3, 2021", utc(2021, 9, 2, 22, 0), 2),
        ("Tues, Mar 23, 2021", utc(2021, 3, 22, 23, 0), 1),
        ("Thurs, Mar 25, 2021", utc(2021, 3, 24, 23, 0), 1),
        ("23 Mar 2021 at 10:18", utc(2021, 3, 23, 9, 18), 1),
        # ISO 8601 / RFC 3339 (fast path)
        ("2021-03-23 10:18", utc(2021, 3, 23, 9, 18), 1),
        ("2021-03-23T10:18", utc(2021, 3, 23, 9, 18), 1),
        ("2021-03-23", utc(2021, 3, 22, 23, 0), 1),
        ("2021-03-23T10:18:00+05:30", utc(2021, 3, 23, 4, 48), 1),
        ("2021-03-23T10:18:00-03:30", utc(2021, 3, 23, 13, 48), 1),
        ("2021-03-23T10:18:00Z", utc(2021, 3, 23, 10, 18), 1),
        ("2021-03-23t10:18:00z", utc(2021, 3, 23, 10, 18), 1),
        ("2021-03-23T10:18:00.999999Z", utc(2021, 3, 23, 10, 18), 1),  # fraction dropped
        ("2021-03-23T10:18:00,5+0100", utc(2021, 3, 23, 9, 18), 1),
        ("2021-03-23 10:18:00 +01:00", utc(2021, 3, 23, 9, 18), 1),
        ("2021-03-23T10:18+05", utc(2021, 3, 23, 5, 18), 1),
        ("2021-03-23T10:18:00-00:00", utc(2021, 3, 23, 10, 18), 1),
        ("  2021-03-23 10:18\n", utc(2021, 3, 23, 9, 18), 1),
        ("20210323", utc(2021, 3, 22, 23, 0), 1),  # ISO 8601 basic format
        ("2021/03/04", utc(2021, 3, 3, 23, 0), 1),
        # RFC 822 and its zones
        ("Tue, 23 Mar 2021 10:18:00 +0000", utc(2021, 3, 23, 10, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 GMT", utc(2021, 3, 23, 10, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 UT", utc(2021, 3, 23, 10, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 Z", utc(2021, 3, 23, 10, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 EST", utc(2021, 3, 23, 15, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 EDT", utc(2021, 3, 23, 14, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 CST", utc(2021, 3, 23, 16, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 PDT", utc(2021, 3, 23, 17, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 CEST", utc(2021, 3, 23, 8, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 JST", utc(2021, 3, 23, 1, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 AEDT", utc(2021, 3, 22, 23, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 NST", utc(2021, 3, 23, 13, 48), 1),
        ("Tue, 23 Mar 2021 10:18:00 -0500", utc(2021, 3, 23, 15, 18), 1),
        ("Tue, 23 Mar 2021 10:18:00 +0100 (CET)", utc(2021, 3, 23, 9, 18), 1),
        ("2021-03-23 10:18 EST", utc(2021, 3, 23, 15, 18), 1),
        # "GMT+3" as people mean it (dateutil alone would read -03:00)
        ("2021-03-23 10:18 GMT+3", utc(2021, 3, 23, 7, 18), 1),
        ("2021-03-23 10:18 UTC-05:30", utc(2021, 3, 23, 15, 48), 1),
        ("Tue Mar 23 2021 10:18:00 GMT+0300", utc(2021, 3, 23, 7, 18), 1),
    ],
)
def test_styles(text: str, instant: datetime, offset: int) -> None:
    parsed = parse_date(text, BERLIN)
    check(parsed, instant, hours(offset), BERLIN)
    assert parsed.warnings == ()


def test_numeric_dates_follow_dayfirst() -> None:
    check(parse_date("03/04/2021", BERLIN), utc(2021, 3, 3, 23, 0), hours(1), BERLIN)
    check(parse_date("03/04/2021", BERLIN, dayfirst=True), utc(2021, 4, 2, 22, 0), hours(2), BERLIN)
    # dotted dates are day first whatever dates.dayfirst says (issue 11): 3 April
    check(parse_date("3.4.2021", BERLIN), utc(2021, 4, 2, 22, 0), hours(2), BERLIN)
    check(
        parse_date("23.03.2021 10:18", BERLIN, dayfirst=True),
        utc(2021, 3, 23, 9, 18),
        hours(1),
        BERLIN,
    )
    check(
        parse_date("13/04/2021", BERLIN, dayfirst=True), utc(2021, 4, 12, 22, 0), hours(2), BERLIN
    )
    check(parse_date("04/13/2021", BERLIN), utc(2021, 4, 12, 22, 0), hours(2), BERLIN)


@pytest.mark.parametrize("dayfirst", [False, True])
def test_year_first_numeric_dates_are_always_year_month_day(dayfirst: bool) -> None:
    # dateutil reads 2021/03/04 as year-day-month when dayfirst is on; nobody writes that
    parsed = parse_date("2021/03/04 10:18 EST", BERLIN, dayfirst=dayfirst)
    check(parsed, utc(2021, 3, 4, 15, 18), hours(1), BERLIN)


def test_numeric_date_impossible_in_the_configured_order_is_an_error() -> None:
    assert error("13/04/2021") == (
        "reads as month 13 (dates.dayfirst is false); if this source writes the day first, "
        "set dates.dayfirst: true, or write the date as 2021-04-13"
    )
    assert error("04/13/2021", dayfirst=True) == (
        "reads as month 13 (dates.dayfirst is true); if this source writes the month first, "
        "set dates.dayfirst: false, or write the date as 2021-04-13"
    )
    assert error("13/13/2021") == (
        "reads as month 13 (dates.dayfirst is false); if this source writes the day first, "
        "set dates.dayfirst: true"
    )
    assert error("03.23.2021") == (
        "is a dotted date, read day first (day.month.year), so its month would be 23; "
        "write it as yyyy-mm-dd, e.g. 2021-03-23 10:18"
    )


def test_yaml_values() -> None:
    # PyYAML: `2021-03-23 10:18:00` -> naive datetime, with offset -> aware, `2021-03-23` -> date
    check(
        parse_date(datetime(2021, 3, 23, 10, 18), BERLIN), utc(2021, 3, 23, 9, 18), hours(1), BERLIN
    )
    aware = datetime(2021, 3, 23, 10, 18, 30, 500, tzinfo=timezone(hours(5.5)))
    check(parse_date(aware, BERLIN), utc(2021, 3, 23, 4, 48, 30), hours(1), BERLIN)
    check(parse_date(date(2021, 7, 1), BERLIN), utc(2021, 6, 30, 22, 0), hours(2), BERLIN)
    check(parse_date(date(2021, 7, 1), NEW_YORK), utc(2021, 7, 1, 4, 0), hours(-4), NEW_YORK)
    # a naive datetime on a clock-change night follows the same rule as text
    check(
        parse_date(datetime(2021, 3, 28, 2, 30), BERLIN), utc(2021, 3, 28, 1, 30), hours(2), BERLIN
    )


def test_parsed_date_is_frozen() -> None:
    parsed = parse_date("2021-03-23", BERLIN)
    with pytest.raises(AttributeError):
        parsed.instant = parsed.instant  # type: ignore[misc]


# --- clock changes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone", "instant", "offset"),
    [
        # Berlin, 2021-03-28: 02:00 CET jumps to 03:00 CEST; 02:30 never happens -> 03:30 CEST
        ("2021-03-28 02:30", BERLIN, utc(2021, 3, 28, 1, 30), 2),
        ("Mar 28, 2021, 2:30 AM", BERLIN, utc(2021, 3, 28, 1, 30), 2),
        ("2021-03-28 01:59", BERLIN, utc(2021, 3, 28, 0, 59), 1),
        ("2021-03-28 03:00", BERLIN, utc(2021, 3, 28, 1, 0), 2),
        # Berlin, 2021-10-31: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice -> first
        ("2021-10-31 02:30", BERLIN, utc(2021, 10, 31, 0, 30), 2),
        ("Oct 31, 2021, 2:30 AM", BERLIN, utc(2021, 10, 31, 0, 30), 2),
        ("2021-10-31 03:00", BERLIN, utc(2021, 10, 31, 2, 0), 1),
        # New York, 2021-03-14: 02:00 EST jumps to 03:00 EDT; 02:30 -> 03:30 EDT
        ("2021-03-14 02:30", NEW_YORK, utc(2021, 3, 14, 7, 30), -4),
        ("Mar 14, 2021, 2:30 AM", NEW_YORK, utc(2021, 3, 14, 7, 30), -4),
        # New York, 2021-11-07: 02:00 EDT falls back to 01:00 EST; 01:30 twice -> first (EDT)
        ("2021-11-07 01:30", NEW_YORK, utc(2021, 11, 7, 5, 30), -4),
        ("Nov 7, 2021, 1:30 AM", NEW_YORK, utc(2021, 11, 7, 5, 30), -4),
        ("2021-11-07 02:00", NEW_YORK, utc(2021, 11, 7, 7, 0), -5),
        # an explicit offset picks the second occurrence
        ("2021-10-31T02:30:00+01:00", BERLIN, utc(2021, 10, 31, 1, 30), 1),
        ("2021-11-07T01:30:00-05:00", NEW_YORK, utc(2021, 11, 7, 6, 30), -5),
    ],
)
def test_clock_change_nights(text: str, zone: ZoneInfo, instant: datetime, offset: int) -> None:
    parsed = parse_date(text, zone)
    check(parsed, instant, hours(offset), zone)
    assert parsed.warnings == ()


def test_skipped_time_shows_the_wall_clock_after_the_jump() -> None:
    shown = parse_date("2021-03-28 02:30", BERLIN).instant
    assert (shown.hour, shown.minute) == (3, 30)
    shown = parse_date("2021-03-14 02:30", NEW_YORK).instant
    assert (shown.hour, shown.minute) == (3, 30)


# --- guards ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mar 23", f"has no year; {WRITE}"),
        ("Feb 29", f"has no year; {WRITE}"),
        ("Tuesday, March 23, 10:18", f"has no year; {WRITE}"),
        ("March 2021", f"has no day; {WRITE}"),
        ("Tuesday, March 2021", f"has no day; {WRITE}"),
        ("2021", f"has no month or day; {WRITE}"),
        ("10:18", f"has no year, month or day; {WRITE}"),
        ("Tuesday", f"has no year, month or day; {WRITE}"),
        ("yesterday", f"is relative ('yesterday'); {WRITE}"),
        ("now", f"is relative ('now'); {WRITE}"),
        ("Today", f"is relative ('Today'); {WRITE}"),
        ("tomorrow 10:18", f"is relative ('tomorrow'); {WRITE}"),
        ("next week", f"is relative ('next'); {WRITE}"),
        ("last Friday", f"is relative ('last'); {WRITE}"),
        ("2 days ago", f"is relative ('ago'); {WRITE}"),
        (
            "soon",
            "is not a date feeds can read; write it like 2021-03-23 10:18 "
            "or Tue, 23 Mar 2021 10:18:00 +0100",
        ),
        (
            "1616494680",
            f"is a bare number in text (a timestamp?), not a date; {WRITE}, or write Unix "
            "time as a number without quotes",
        ),
        ("٢٠٢١-03-23", f"has digits other than 0-9; {WRITE}"),
        (
            "Tue, 23 Mar 21 10:18:00 +0000",
            "has a two-digit year; write all four digits, e.g. 2021-03-23 10:18",
        ),
        ("03/04/21", "has a two-digit year; write all four digits, e.g. 2021-03-23 10:18"),
        ("", "is empty; write the publication date, e.g. 2021-03-23 10:18"),
        (" \t\n ", "is empty; write the publication date, e.g. 2021-03-23 10:18"),
        (
            "2021-02-30",
            "does not exist (day is out of range for month); check the numbers, "
            "e.g. 2021-03-23 10:18",
        ),
        (
            "Feb 29, 2021",
            "does not exist (day is out of range for month); check the numbers, "
            "e.g. 2021-03-23 10:18",
        ),
        (
            "2021-03-23 24:00",
            "does not exist (hour must be in 0..23); check the numbers, e.g. 2021-03-23 10:18",
        ),
        (
            "2021-03-23T10:18:60Z",
            "does not exist (second must be in 0..59); check the numbers, e.g. 2021-03-23 10:18",
        ),
    ],
)
def test_guards(text: str, message: str) -> None:
    assert error(text) == message


def test_too_long_is_refused_before_parsing() -> None:
    assert error("x" * 100).startswith("is not a date feeds can read;")
    assert error("x" * 101) == (
        "is too long for a date (101 characters); write only the publication date, "
        "e.g. 2021-03-23 10:18"
    )
    assert error("2021-03-23 " * 10_000).startswith("is too long for a date (109999 characters)")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (None, "null"),
        (True, "true/false"),
        ([2021, 3, 23], "a list"),
        ({"year": 2021}, "a mapping"),
        (b"2021-03-23", "a bytes value"),
    ],
)
def test_values_that_are_not_dates(value: object, kind: str) -> None:
    assert error(value) == (
        f"is {kind}, not a date; write the publication date, e.g. 2021-03-23 10:18"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2021-03-23 10:18 XYZ",
            "has an unknown time zone 'XYZ'; write a numeric offset, e.g. 2021-03-23 10:18 +01:00",
        ),
        (
            "Tue, 23 Mar 2021 10:18:00 MEZ",
            "has an unknown time zone 'MEZ'; write a numeric offset, e.g. 2021-03-23 10:18 +01:00",
        ),
        (
            "2021-03-23 10:18 IST",
            "has the time zone IST, which names several zones "
            "(India +05:30, Ireland +01:00 or Israel +02:00); write a "
            "numeric offset, e.g. 2021-03-23 10:18 +05:30",
        ),
        (
            "2021-03-23 10:18 AST",
            "has the time zone AST, which names several zones "
            "(Atlantic -04:00 or Arabia +03:00); write a numeric offset, "
            "e.g. 2021-03-23 10:18 +05:30",
        ),
        (
            "2021-03-23 10:18 CET+1",
            "has a zone name and an offset that disagree (a zone name "
            "followed by an offset (CET+1) reads two ways); write the "
            "offset alone, e.g. 2021-03-23 10:18 +01:00",
        ),
        (
            "Tue, 23 Mar 2021 10:18:00 +0200 (CET)",
            "has a zone name and an offset that "
            "disagree (CET is +01:00); write the offset "
            "alone, e.g. 2021-03-23 10:18 +01:00",
        ),
    ],
)
def test_zone_names(text: str, message: str) -> None:
    assert error(text) == message


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2021-03-23T10:18:00+25:00", "+25:00"),
        ("2021-03-23 10:18 +25:00", "+25:00"),
        ("2021-03-23T10:18:00+18:01", "+18:01"),
        ("2021-03-23T10:18:00-18:30", "-18:30"),
        ("2021-03-23T10:18:00+05:75", "+05:75"),
        ("Tue, 23 Mar 2021 10:18:00 -1900", "-19:00"),
    ],
)
def test_offsets_that_do_not_exist(text: str, shown: str) -> None:
    assert error(text) == (
        f"has an offset {shown} that no place uses (offsets run from -18:00 to +18:00 in whole "
        "minutes); write the real offset, e.g. 2021-03-23 10:18 +01:00"
    )


def test_offset_edges_are_accepted() -> None:
    check(
        parse_date("2021-03-23T10:18:00+18:00", BERLIN), utc(2021, 3, 22, 16, 18), hours(1), BERLIN
    )
    check(
        parse_date("2021-03-23T10:18:00-18:00", BERLIN), utc(2021, 3, 24, 4, 18), hours(1), BERLIN
    )


def test_wrong_weekday_is_a_warning_and_the_date_wins() -> None:
    parsed = parse_date("Wednesday, Mar 23, 2021, 10:18", BERLIN)
    check(parsed, utc(2021, 3, 23, 9, 18), hours(1), BERLIN)
    assert parsed.warnings == (
        "says Wednesday, but 2021-03-23 is a Tuesday; the date is used, "
        "so check which one is right",
    )
    assert parse_date("Sun, 23 Mar 2021 10:18:00 GMT", BERLIN).warnings == (
        "says Sunday, but 2021-03-23 is a Tuesday; the date is used, so check which one is right",
    )


def test_weekday_is_checked_against_the_date_as_written() -> None:
    # Tuesday 23:30 in New York is already Wednesday in Berlin: no warning
    parsed = parse_date("Tue, 23 Mar 2021 23:30:00 -0500", BERLIN)
    check(parsed, utc(2021, 3, 24, 4, 30), hours(1), BERLIN)
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("0000-03-23", "0"),
        ("0999-12-31 23:59", "999"),
        ("Mar 23, 0999", "999"),
        ("Mar 23, 0021", "21"),
        ("10000-01-01", "10000"),
        ("23 March 10000", "10000"),
        (datetime(999, 12, 31, 23, 59), "999"),
        (date(1, 1, 1), "1"),
    ],
)
def test_years_outside_1000_to_9999(value: object, year: str) -> None:
    assert error(value) == (
        f"has the year {year}, outside 1000-9999 (feeds need a four-digit year); {WRITE}"
    )


@pytest.mark.parametrize("text", ["-0001-03-23", "23 March 1 BC", "March 23, 44 BCE"])
def test_years_before_the_common_era(text: str) -> None:
    assert error(text) == f"is before the year 1000; {WRITE}"


def test_year_edges() -> None:
    check(parse_date("1000-01-01 00:00", UTC_ZONE), utc(1000, 1, 1), hours(0), UTC_ZONE)
    check(
        parse_date("9999-12-31 23:59:59", UTC_ZONE),
        utc(9999, 12, 31, 23, 59, 59),
        hours(0),
        UTC_ZONE,
    )
    check(
        parse_date("Dec 31, 9999, 6:59 PM", NEW_YORK),
        utc(9999, 12, 31, 23, 59),
        hours(-5),
        NEW_YORK,
    )
    # Berlin before 1893 used local mean time, +00:53:28; the instant is still exact
    check(
        parse_date("1000-01-01 00:53:28", BERLIN),
        utc(1000, 1, 1),
        timedelta(minutes=53, seconds=28),
        BERLIN,
    )


def test_instant_outside_the_years_in_the_site_zone() -> None:
    message = f"falls outside the years 1000-9999 in the site time zone; {WRITE}"
    assert error("9999-12-31T23:30:00-05:00", UTC_ZONE) == message  # 10000-01-01 04:30 UTC
    assert error("9999-12-31 23:30", NEW_YORK) == message
    assert error("1000-01-01T00:00:00+01:00", UTC_ZONE) == message  # 0999-12-31 23:00 UTC


@pytest.fixture
def odd_local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's zone is a made-up POSIX zone named XYZ, 3 hours behind UTC."""
    monkeypatch.setenv("TZ", "XYZ+3")
    time.tzset()
    assert time.tzname == ("XYZ", "XYZ")
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("odd_local_zone")
def test_nothing_depends_on_the_machine_zone() -> None:
    # dateutil alone would attach the machine's zone to a name in time.tzname
    assert error("2021-03-23 10:18 XYZ") == (
        "has an unknown time zone 'XYZ'; write a numeric offset, e.g. 2021-03-23 10:18 +01:00"
    )
    check(parse_date("Mar 23, 2021, 10:18", BERLIN), utc(2021, 3, 23, 9, 18), hours(1), BERLIN)
    check(parse_date("2021-03-23 10:18", BERLIN), utc(2021, 3, 23, 9, 18), hours(1), BERLIN)
    check(
        parse_date(datetime(2021, 3, 23, 10, 18), BERLIN), utc(2021, 3, 23, 9, 18), hours(1), BERLIN
    )
    check(
        parse_date("Tue, 23 Mar 2021 10:18:00 EDT", BERLIN),
        utc(2021, 3, 23, 14, 18),
        hours(1),
        BERLIN,
    )


# --- formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "rss", "atom"),
    [
        (
            datetime(2021, 1, 8, 14, 30, tzinfo=timezone(hours(1))),
            "Fri, 08 Jan 2021 14:30:00 +0100",
            "2021-01-08T14:30:00+01:00",
        ),
        (
            datetime(2021, 3, 23, 5, 18, 7, tzinfo=timezone(hours(-5))),
            "Tue, 23 Mar 2021 05:18:07 -0500",
            "2021-03-23T05:18:07-05:00",
        ),
        (
            datetime(2021, 3, 23, 10, 18, tzinfo=UTC),
            "Tue, 23 Mar 2021 10:18:00 +0000",
            "2021-03-23T10:18:00+00:00",
        ),
        (
            datetime(2021, 12, 5, 23, 59, 59, 999999, tzinfo=timezone(hours(5.5))),
            "Sun, 05 Dec 2021 23:59:59 +0530",
            "2021-12-05T23:59:59+05:30",
        ),
        (
            datetime(2021, 6, 1, 9, 0, tzinfo=timezone(hours(-3.5))),
            "Tue, 01 Jun 2021 09:00:00 -0330",
            "2021-06-01T09:00:00-03:30",
        ),
        (
            datetime(2021, 6, 1, 9, 0, tzinfo=timezone(hours(-0.5))),
            "Tue, 01 Jun 2021 09:00:00 -0030",
            "2021-06-01T09:00:00-00:30",
        ),
        (
            datetime(2021, 7, 4, 12, 0, tzinfo=BERLIN),
            "Sun, 04 Jul 2021 12:00:00 +0200",
            "2021-07-04T12:00:00+02:00",
        ),
        (
            datetime(2021, 11, 7, 1, 30, fold=1, tzinfo=NEW_YORK),
            "Sun, 07 Nov 2021 01:30:00 -0500",
            "2021-11-07T01:30:00-05:00",
        ),
        (
            datetime(1000, 1, 1, tzinfo=UTC),
            "Wed, 01 Jan 1000 00:00:00 +0000",
            "1000-01-01T00:00:00+00:00",
        ),
        (
            datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(hours(14))),
            "Fri, 31 Dec 9999 23:59:59 +1400",
            "9999-12-31T23:59:59+14:00",
        ),
        # Berlin's 1890 local mean time is +00:53:28; neither format carries offset seconds,
        # so the moment is written in UTC (1890-01-01 00:00 LMT = 1889-12-31 23:06:32 UTC)
        (
            datetime(1890, 1, 1, tzinfo=BERLIN),
            "Tue, 31 Dec 1889 23:06:32 +0000",
            "1889-12-31T23:06:32+00:00",
        ),
    ],
)
def test_formats(moment: datetime, rss: str, atom: str) -> None:
    assert rfc822(moment) == rss
    assert rfc3339(moment) == atom


@pytest.mark.parametrize("formatter", [rfc822, rfc3339])
def test_formats_refuse_what_they_cannot_write(formatter: object) -> None:
    assert callable(formatter)
    with pytest.raises(ValueError, match="timezone-aware"):
        formatter(datetime(2021, 3, 23, 10, 18))
    with pytest.raises(ValueError, match="year in 1000-9999"):
        formatter(datetime(999, 12, 31, tzinfo=UTC))


# --- properties -----------------------------------------------------------------------------

SITE_ZONES = st.sampled_from(
    [BERLIN, NEW_YORK, UTC_ZONE, ZoneInfo("Asia/Kolkata"), ZoneInfo("Pacific/Kiritimati"),
     ZoneInfo("America/St_Johns"), ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Pacific/Apia")]
)  # fmt: skip
# A day inside each edge, so no offset moves the instant out of 1000-9999 (edges tested above).
MOMENTS = st.datetimes(
    min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
)
RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([0-9]{4}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})"
)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]  # fmt: skip
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@given(MOMENTS, SITE_ZONES)
def test_rfc3339_parses_back_to_the_same_instant(moment: datetime, zone: ZoneInfo) -> None:
    parsed = parse_date(rfc3339(moment), zone)
    assert parsed.instant.astimezone(UTC) == moment.replace(microsecond=0).astimezone(UTC)
    assert parsed.instant.tzinfo is zone
    assert parsed.warnings == ()


@given(MOMENTS)
def test_rfc822_follows_the_grammar(moment: datetime) -> None:
    match = RFC822.fullmatch(rfc822(moment))
    assert match is not None
    day, day_of_month, month, year, hour, minute, second, sign, off_h, off_m = match.groups()
    written = date(int(year), MONTHS.index(month) + 1, int(day_of_month))
    assert DAYS[written.weekday()] == day
    offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
    instant = datetime(
        written.year, written.month, written.day, int(hour), int(minute), int(second),
        tzinfo=timezone(offset),
    )  # fmt: skip
    assert instant.astimezone(UTC) == moment.replace(microsecond=0).astimezone(UTC)


@given(MOMENTS, SITE_ZONES)
def test_rfc822_parses_back_to_the_same_instant(moment: datetime, zone: ZoneInfo) -> None:
    parsed = parse_date(rfc822(moment), zone)
    assert parsed.instant.astimezone(UTC) == moment.replace(microsecond=0).astimezone(UTC)
    assert parsed.warnings == ()


FRAGMENTS = st.sampled_from(
    ["2021", "0000", "99", "23", "03", "13", "-", "/", ".", ":", ",", " ", "T", "Z", "+", "GMT",
     "EST", "XYZ", "Tue", "Tuesday", "Mar", "March", "PM", "am", "at", "of", "st", "BC", "+05:30",
     "-1900", "10:18", "24:00", "(CET)", "\u00a0", "２", "٢", "\x00", "yesterday", "h", "m"]
)  # fmt: skip


@given(
    st.one_of(st.text(max_size=110), st.lists(FRAGMENTS, max_size=12).map("".join)),
    SITE_ZONES,
    st.booleans(),
)
def test_any_text_gives_an_instant_or_a_date_error(
    text: str, zone: ZoneInfo, dayfirst: bool
) -> None:
    try:
        parsed = parse_date(text, zone, dayfirst=dayfirst)
    except DateError as problem:
        assert str(problem)
        return
    assert parsed.instant.tzinfo is zone
    assert 1000 <= parsed.instant.year <= 9999
    assert parsed.instant.microsecond == 0
    rfc822(parsed.instant)  # every accepted date can be written


# --- the fast paths give what the guarded dateutil path gives -------------------------------

_ZONE_NAMES = ["GMT", "UT", "Z", "EST", "PDT", "CEST", "JST", "NST", "IST", "XYZ", "+0000",
               "-0330", "+0530", "+1400", "-1900"]  # fmt: skip


@st.composite
def english_dates(draw: st.DrawFn) -> str:
    """Dates in the styles plain-text headers and RSS feeds use, sometimes with a wrong weekday."""
    moment = draw(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
    weekday = DAYS[(moment.weekday() + draw(st.sampled_from([0, 0, 0, 1, 3]))) % 7]
    long_day = {"Tue": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday", "Sat": "Saturday"}.get(
        weekday, weekday + "day"
    )
    month = MONTHS[moment.month - 1]
    long_month = LONG_MONTHS[moment.month - 1]
    half = "AM" if moment.hour < 12 else "PM"
    clock = f"{moment.hour % 12 or 12}:{moment.minute:02d}"
    zone = draw(st.sampled_from(_ZONE_NAMES))
    return draw(
        st.sampled_from(
            [
                f"{long_day}, {month} {moment.day}, {moment.year}, {moment:%H:%M}",
                f"{month} {moment.day}, {moment.year}, {clock} {half}",
                f"{month} {moment.day}, {moment.year} {clock} {half.lower()}",
                f"{weekday}, {moment.day:02d} {month} {moment.year} {moment:%H:%M:%S} {zone}",
                f"{moment.day} {long_month} {moment.year}",
                f"{long_month} {moment.day}, {moment.year}",
                f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment:%H:%M}",
                f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment:%H:%M:%S}+05:30",
            ]
        )
    )


def outcome(parse: object) -> tuple[object, ...]:
    assert callable(parse)
    try:
        parsed = parse()
    except DateError as problem:
        return ("error", str(problem))
    assert isinstance(parsed, ParsedDate)
    return (parsed.instant.astimezone(UTC), parsed.instant.utcoffset(), parsed.warnings)


@given(
    st.one_of(english_dates(), st.lists(FRAGMENTS, min_size=3, max_size=10).map(" ".join)),
    SITE_ZONES,
    st.booleans(),
)
def test_fast_paths_agree_with_dateutil(text: str, zone: ZoneInfo, dayfirst: bool) -> None:
    from feeds.dates import _parse_prose

    fast = outcome(lambda: parse_date(text, zone, dayfirst=dayfirst))
    slow = outcome(lambda: _parse_prose(text.strip(), zone, dayfirst))
    if fast[0] == "error" and str(fast[1]).startswith(("is empty", "is too long")):
        return  # checked before either path
    assert fast == slow


# --- issue 11: dotted dates day first, slash dates that read two ways warn -----------------


@pytest.mark.parametrize("dayfirst", [False, True])
def test_dotted_dates_are_always_day_first(dayfirst: bool) -> None:
    # 12 June 2021, 00:00 in Berlin (CEST, +2) is 11 June 22:00 UTC; never 6 December
    parsed = parse_date("12.06.2021", BERLIN, dayfirst=dayfirst)
    check(parsed, utc(2021, 6, 11, 22, 0), hours(2), BERLIN)
    assert parsed.warnings == ()  # a dotted date never reads two ways
    check(parse_date("23.03.2021 10:18", BERLIN), utc(2021, 3, 23, 9, 18), hours(1), BERLIN)


def test_a_slash_date_that_reads_two_ways_warns_naming_dates_dayfirst() -> None:
    parsed = parse_date("03/04/2021", BERLIN)
    check(parsed, utc(2021, 3, 3, 23, 0), hours(1), BERLIN)  # 4 March, month first
    assert parsed.warnings == (
        "reads two ways: read month first as 2021-03-04 (dates.dayfirst is false), not "
        "2021-04-03; if this source writes the day first, set dates.dayfirst: true; writing "
        "yyyy-mm-dd dates ends the doubt",
    )
    assert parse_date("03/04/2021", BERLIN, dayfirst=True).warnings == (
        "reads two ways: read day first as 2021-04-03 (dates.dayfirst is true), not "
        "2021-03-04; if this source writes the month first, set dates.dayfirst: false; "
        "writing yyyy-mm-dd dates ends the doubt",
    )


@pytest.mark.parametrize("text", ["13/04/2021", "04/13/2021", "05/05/2021", "2021/03/04"])
def test_a_slash_date_that_reads_one_way_does_not_warn(text: str) -> None:
    dayfirst = text.startswith("13")
    assert parse_date(text, BERLIN, dayfirst=dayfirst).warnings == ()


def test_a_file_of_slash_dates_warns_once_and_dotted_dates_publish_day_first(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "site", {})
    site.write(
        "wire.jsonl",
        '{"slug": "a", "title": "A", "date": "03/04/2021", "category": "News"}\n'
        '{"slug": "b", "title": "B", "date": "05/06/2021", "category": "News"}\n'
        '{"slug": "c", "title": "C", "date": "07/08/2021", "category": "News"}\n'
        '{"slug": "d", "title": "D", "date": "12.06.2021", "category": "News"}\n',
    )
    site.write("one.md", "---\ntitle: One\ndate: 01/02/2021\ncategory: News\n---\nText\n")

    report = site.build(now=datetime(2026, 1, 1, tzinfo=UTC))

    warnings = [(p.source, p.message) for p in report.problems if "reads two ways" in p.message]
    assert warnings == [
        (
            "content/one.md",
            "reads two ways: read month first as 2021-01-02 (dates.dayfirst is false), not "
            "2021-02-01; if this source writes the day first, set dates.dayfirst: true; "
            "writing yyyy-mm-dd dates ends the doubt",
        ),
        (
            "content/wire.jsonl:1",
            "reads two ways: read month first as 2021-03-04 (dates.dayfirst is false), not "
            "2021-04-03; if this source writes the day first, set dates.dayfirst: true; "
            "writing yyyy-mm-dd dates ends the doubt (2 more dates in this file)",
        ),
    ]
    assert report.errors == ()
    rss = (site.output / "feeds" / "all.rss.xml").read_text(encoding="utf-8")
    # 12.06.2021 is 12 June (midnight in Berlin, CEST), never 6 December
    assert "<pubDate>Sat, 12 Jun 2021 00:00:00 +0200</pubDate>" in rss
    assert "Dec 2021" not in rss
