"""Dates: messy publication dates -> timezone-aware instants in the site's zone (`parse_date`).
The formats feeds write them in are `feeds.dateformat`'s; the zone names, `feeds.datezones`'.

Parsing never depends on the clock or on the machine's time zone: a date written without an
offset is local time in the site zone, zone abbreviations come from a fixed table, and a
two-digit year is refused rather than given a century from the current year.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from dateutil import parser as _dateutil

from feeds.dateformat import MAX_YEAR, MIN_YEAR, MONTH_NAMES, WEEKDAY_NAMES, format_offset
from feeds.datezones import AMBIGUOUS_ZONES, MAX_OFFSET, ZONES

EXAMPLE = "2021-03-23 10:18"
MAX_LENGTH = 100  # characters; longer text is refused before any parsing

_WRITE = f"write the full date, e.g. {EXAMPLE}"


class DateError(ValueError):
    """A date that cannot be used. The message says what is wrong and shows a good example;
    it never names the file or the field (the caller adds those)."""


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """An instant converted to the site zone, plus warnings (e.g. a weekday that is wrong)."""

    instant: datetime
    warnings: tuple[str, ...] = ()


# --- the fast path: ISO 8601 / RFC 3339 §5.6, built without dateutil (a few us, not ~50) -
_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?"
    r" ?(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?)?",
    re.ASCII,
)

# --- the second fast path: the common English styles (plain-text headers, RFC 822) --------
# `Tuesday, Mar 23, 2021, 10:18`, `Dec 30, 2020, 11:59 PM`, `Tue, 23 Mar 2021 10:18:00 +0000`,
# `23 March 2021`. Anything unusual here falls through to dateutil and its guards.
_ENGLISH = re.compile(
    r"(?:([A-Za-z]+),? )?"
    r"(?:([0-9]{1,2}) ([A-Za-z]+)|([A-Za-z]+) ([0-9]{1,2}),?) ([0-9]{4})"
    r"(?:,? ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?: ?([AaPp][Mm]))?"
    r"(?: ([A-Z]{1,5}|[+-][0-9]{4}))?)?",
    re.ASCII,
)

# --- guards for the dateutil path ----------------------------------------------------------
_RELATIVE = re.compile(
    r"\b(yesterday|today|tomorrow|tonight|now|ago|next|last|this|coming|past)\b", re.IGNORECASE
)
_ERA = re.compile(r"\b(BC|BCE|B\.C\.)(?![A-Za-z])", re.IGNORECASE)
# "GMT+3" / "UTC-05:00": people mean the offset; dateutil reads it the POSIX way (inverted).
_UTC_PREFIX = re.compile(r"\b(?:UTC|GMT|UT)\s*(?=[+-][0-9])")
# A numeric date: a/b/yyyy or yyyy/m/d with one separator used twice.
_NUMERIC = re.compile(r"(?<![0-9])([0-9]{1,4})([./-])([0-9]{1,2})\2([0-9]{1,4})(?![0-9])")
_WORDS = re.compile(r"[A-Za-z]+")
_WEEKDAY_SPELLINGS = (
    ("Mon", "Monday"),
    ("Tue", "Tues", "Tuesday"),
    ("Wed", "Weds", "Wednesday"),
    ("Thu", "Thur", "Thurs", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
)
_SPELLINGS = re.compile(r"\b(?:Tues|Weds|Thurs?)\b", re.IGNORECASE)  # dateutil knows Tue, Thu
_WEEKDAYS = {name.lower(): i for i, names in enumerate(_WEEKDAY_SPELLINGS) for name in names}
_MONTHS = {name.lower(): i for i, full in enumerate(MONTH_NAMES, 1) for name in (full, full[:3])}
_MONTHS["sept"] = 9


class _Info(_dateutil.parserinfo):
    """English names (never the locale's) and years as written: dateutil would give "21" a
    century from the current year, which would make output depend on the clock."""

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        return year


_PARSER = _dateutil.parser(_Info())
# Two defaults that differ in year, month and day (both leap years, so "Feb 29" survives; days
# two weeks apart, so a weekday standing in for a missing day still gives different dates):
# a field that comes out differently under the two was not in the text.
_DEFAULT_1 = datetime(4, 1, 1)
_DEFAULT_2 = datetime(8, 2, 16)


def parse_date(value: object, tz: zoneinfo.ZoneInfo, *, dayfirst: bool = False) -> ParsedDate:
    """Read a publication date as it comes from YAML, JSON or a plain-text header.

    `value` may be text, a `datetime` (naive or aware, as YAML loaders produce), a `date`
    (midnight local) or a number, Unix time as a CMS export writes it (`_from_epoch`).
    Anything else raises `DateError` naming its type.

    Text styles: ISO 8601 / RFC 3339 (`2021-03-23`, `2021-03-23 10:18`,
    `2021-03-23T10:18:00+05:30`, `...Z`), RFC 822 (`Tue, 23 Mar 2021 10:18:00 +0000`, `GMT`,
    `EST`), and English prose (`Tuesday, Mar 23, 2021, 10:18`, `Dec 30, 2020, 11:59 PM`,
    `23 March 2021`). Rules:

    - Year, month and day must all be written; relative words (`yesterday`, `next week`) and
      two-digit years are refused; the year must lie in 1000-9999 (as written, and in `tz`).
    - Numeric dates `a/b/yyyy` (also with `.` or `-`) read month first, or day first when
      `dayfirst` (the `dates.dayfirst` setting). A date impossible in that order (13/04/2021
      read month first) is an error, never silently read the other way: it shows the source
      writes the other order, so its ambiguous dates would be wrong too. Year-first numeric
      dates (`2021/03/04`) always read year-month-day.
    - A zone is a numeric offset within ±18:00 or a name from `ZONES`; ambiguous names (IST)
      and unknown names are errors. `GMT+3` / `UTC+03:00` mean the offset +03:00.
    - Without a zone the time is local in `tz` (PEP 495, fold=0): a time skipped by a clock
      change (02:30 on a spring-forward night in Europe/Berlin) is the instant the clock shows
      the same time after the jump (03:30 CEST); a time that happens twice (02:30 on the
      autumn night) is the first occurrence (CEST). Never an error, always one instant.
    - A weekday that contradicts the date is a warning; the date wins.
    - Fractions of a second are dropped: RFC 822 cannot carry them, so the instant is the
      one every feed shows.

    The instant is returned in `tz`, so feeds show site-local times.
    """
    if isinstance(value, str):
        return _parse_text(value, tz, dayfirst)
    if isinstance(value, datetime):
        _check_year(value.year)
        if value.utcoffset() is None:
            return ParsedDate(_localise(value.replace(tzinfo=None), tz))
        return ParsedDate(_convert(value, tz))
    if isinstance(value, date):
        _check_year(value.year)
        return ParsedDate(_localise(datetime(value.year, value.month, value.day), tz))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ParsedDate(_from_epoch(value, tz))
    raise DateError(f"is {_kind(value)}, not a date; write the publication date, e.g. {EXAMPLE}")


# --- Unix time (epoch seconds or milliseconds) --------------------------------------------

# POSIX "seconds since the Epoch" (1970-01-01T00:00:00Z, leap seconds not counted). Seconds
# and milliseconds are told apart by size: under 1e11 is seconds (up to 5138-11-16), from
# 1e11 to 1e14 milliseconds (1973-03-03 to 5138-11-16). Under 1e8 (1973-03-03 as seconds)
# is refused: such a number is far more likely a year (`2021`) or an id than an instant.
EPOCH_MIN_MAGNITUDE = 100_000_000
EPOCH_MILLISECONDS_FROM = 100_000_000_000
EPOCH_MAX_MAGNITUDE = 100_000_000_000_000


def _from_epoch(value: float, tz: zoneinfo.ZoneInfo) -> datetime:
    """A number of Unix seconds or milliseconds -> the instant in `tz`, fractions dropped."""
    if isinstance(value, float) and not math.isfinite(value):
        raise DateError(f"is not a finite number, so not a Unix time; {_WRITE}")
    magnitude = abs(value)
    if magnitude < EPOCH_MIN_MAGNITUDE:
        raise DateError(
            "is a number under 100,000,000: a number is read as Unix time (seconds or "
            "milliseconds since 1970-01-01 UTC), and one this small (before 1973-03-03 in "
            f"seconds) is more likely a year or an id than a date; {_WRITE}"
        )
    if magnitude >= EPOCH_MAX_MAGNITUDE:
        raise DateError(
            "is a number too large for Unix time in seconds or milliseconds (from "
            f"100,000,000,000,000 on; microseconds are not read); {_WRITE}, or the Unix time "
            "in seconds"
        )
    # Whole seconds, rounded down as a fraction of a second is dropped everywhere else.
    whole = math.floor(value)
    seconds = whole if magnitude < EPOCH_MILLISECONDS_FROM else whole // 1000
    try:
        instant = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    except OverflowError:
        raise _out_of_range() from None
    return _convert(instant, tz)


# --- text ----------------------------------------------------------------------------------


def _parse_text(value: str, tz: zoneinfo.ZoneInfo, dayfirst: bool) -> ParsedDate:
    text = value.strip()
    if not text:
        raise DateError(f"is empty; write the publication date, e.g. {EXAMPLE}")
    if len(text) > MAX_LENGTH:
        raise DateError(
            f"is too long for a date ({len(text)} characters); "
            f"write only the publication date, e.g. {EXAMPLE}"
        )
    match = _ISO.fullmatch(text)
    if match is not None:
        return ParsedDate(_from_iso(match, tz))
    match = _ENGLISH.fullmatch(text)
    if match is not None:
        parsed = _from_english(match, tz)
        if parsed is not None:
            return parsed
    return _parse_prose(text, tz, dayfirst)


def _from_iso(match: re.Match[str], tz: zoneinfo.ZoneInfo) -> datetime:
    year, month, day, hour, minute, second, zulu, sign, off_h, off_m = match.groups()
    _check_year(int(year))
    try:
        naive = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError as error:
        raise _no_such_date(error) from None
    if zulu is not None:
        return _convert(naive.replace(tzinfo=UTC), tz)
    if sign is None:
        return _localise(naive, tz)
    offset = _checked_offset(sign, int(off_h), int(off_m or 0))
    return _convert(naive.replace(tzinfo=offset), tz)


def _from_english(match: re.Match[str], tz: zoneinfo.ZoneInfo) -> ParsedDate | None:
    """The instant dateutil would give, or None to let dateutil (and its messages) decide."""
    weekday, day_a, month_a, month_b, day_b, year, hour, minute, second, half, zone = match.groups()
    month = _MONTHS.get((month_a or month_b).lower())
    if month is None or (weekday is not None and weekday.lower() not in _WEEKDAYS):
        return None
    hours = int(hour or 0)
    if half is not None:  # 12-hour clock: 12 AM is midnight, 12 PM is noon
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half[0] in "Pp" else 0)
    if not MIN_YEAR <= int(year) <= MAX_YEAR or zone in AMBIGUOUS_ZONES:
        return None
    try:
        naive = datetime(
            int(year), month, int(day_a or day_b), hours, int(minute or 0), int(second or 0)
        )
    except ValueError:
        return None
    if zone is None:
        instant = _localise(naive, tz)
    elif zone[0] in "+-":
        offset = _checked_offset(zone[0], int(zone[1:3]), int(zone[3:]))
        instant = _convert(naive.replace(tzinfo=offset), tz)
    elif zone in ZONES:
        instant = _convert(naive.replace(tzinfo=timezone(timedelta(minutes=ZONES[zone]))), tz)
    else:
        return None
    return ParsedDate(instant, _weekday_warnings(match.group(0), naive))


def _parse_prose(text: str, tz: zoneinfo.ZoneInfo, dayfirst: bool) -> ParsedDate:
    """Any other style, through dateutil with every guard; `text` is stripped, not empty."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits, no-break spaces
    relative = _RELATIVE.search(text)
    if relative is not None:
        raise DateError(f"is relative ({relative.group(0)!r}); {_WRITE}")
    if _ERA.search(text) or text.startswith("-"):
        raise DateError(f"is before the year {MIN_YEAR}; {_WRITE}")
    if text.isdigit() and len(text) > 8:  # 8 digits: ISO 8601 basic format, 20210323
        raise DateError(
            f"is a bare number in text (a timestamp?), not a date; {_WRITE}, or write Unix "
            "time as a number without quotes"
        )
    if any(c.isdigit() and not c.isascii() for c in text):
        raise DateError(f"has digits other than 0-9; {_WRITE}")

    text = _SPELLINGS.sub(lambda m: m.group(0)[:3], _UTC_PREFIX.sub("", text))
    expected, dayfirst, ambiguous = _numeric_date(text, dayfirst)
    seen: list[tuple[str | None, int | None]] = []

    def zone(name: str | None, offset: int | None) -> None:
        seen.append((name, offset))
        return None  # stay naive: the zone is resolved below, never by dateutil

    first = _dateutil_parse(text, _DEFAULT_1, zone, dayfirst)
    missing: list[str] = []
    if first.year == _DEFAULT_1.year or first.month == _DEFAULT_1.month or first.day <= 7:
        second = _dateutil_parse(text, _DEFAULT_2, zone, dayfirst)
        missing = [
            part
            for part, a, b in (
                ("year", first.year, second.year),
                ("month", first.month, second.month),
                ("day", first.day, second.day),
            )
            if a != b
        ]
    if missing:
        raise DateError(f"has no {_join(missing)}; {_WRITE}")
    if first.year < 100 and not re.search(rf"(?<![0-9])0+{first.year}(?![0-9])", text):
        raise DateError(f"has a two-digit year; write all four digits, e.g. {EXAMPLE}")
    _check_year(first.year)
    if expected is not None and expected != (first.year, first.month, first.day):
        raise DateError(f"is a numeric date that reads more than one way; {_WRITE}")

    naive = first.replace(microsecond=0)
    name, offset = seen[-1] if seen else (None, None)
    fixed = _zone(name, offset, text)
    instant = _localise(naive, tz) if fixed is None else _convert(naive.replace(tzinfo=fixed), tz)
    warnings = _weekday_warnings(text, naive)
    return ParsedDate(instant, warnings if ambiguous is None else (ambiguous, *warnings))


def _dateutil_parse(
    text: str, default: datetime, zone: Callable[[str | None, int | None], None], dayfirst: bool
) -> datetime:
    try:
        return _PARSER.parse(text, default=default, tzinfos=zone, dayfirst=dayfirst)
    except _dateutil.ParserError as error:
        cause = error.__cause__
        if cause is None:  # "Unknown string format" / "String does not contain a date"
            raise DateError(
                f"is not a date feeds can read; write it like {EXAMPLE} "
                "or Tue, 23 Mar 2021 10:18:00 +0100"
            ) from None
        year = re.fullmatch(r"year (-?[0-9]+) is out of range", str(cause))
        if year is not None:
            _check_year(int(year.group(1)))
        raise _no_such_date(cause) from None
    except (ValueError, OverflowError) as error:
        raise _no_such_date(error) from None


def _numeric_date(
    text: str, dayfirst: bool
) -> tuple[tuple[int, int, int] | None, bool, str | None]:
    """The (year, month, day) a numeric date must give, the dayfirst flag for dateutil, and
    the warning when a slash (or dash) date reads two ways."""
    match = _NUMERIC.search(text)
    if match is None:
        return None, dayfirst, None
    a, separator, b, c = match.groups()
    if len(a) == 4:  # yyyy/m/d: always year-month-day (dateutil would read y/d/m if dayfirst)
        return (int(a), int(b), int(c)), False, None
    if len(c) != 4:
        raise DateError(f"has a two-digit year; write all four digits, e.g. {EXAMPLE}")
    year = int(c)
    if separator == ".":  # d.m.yyyy: day first wherever dots are written (DIN 5008, ...)
        if int(b) > 12:
            raise DateError(
                f"is a dotted date, read day first (day.month.year), so its month would be "
                f"{int(b)}; write it as yyyy-mm-dd, e.g. {EXAMPLE}"
            )
        return (year, int(b), int(a)), True, None
    month, day = (int(b), int(a)) if dayfirst else (int(a), int(b))
    if month <= 12 and day <= 12 and month != day:
        return (year, month, day), dayfirst, _ambiguous(year, month, day, dayfirst)
    if month > 12:
        setting = "true" if dayfirst else "false"
        other = "month" if dayfirst else "day"
        fix = f"set dates.dayfirst: {'false' if dayfirst else 'true'}"
        if day <= 12:
            fix += f", or write the date as {year:04d}-{day:02d}-{month:02d}"
        raise DateError(
            f"reads as month {month} (dates.dayfirst is {setting}); "
            f"if this source writes the {other} first, {fix}"
        )
    return (year, month, day), dayfirst, None


AMBIGUOUS = "reads two ways"  # how the warning of `_ambiguous` starts


def _ambiguous(year: int, month: int, day: int, dayfirst: bool) -> str:
    order, other = ("day", "month") if dayfirst else ("month", "day")
    return (
        f"{AMBIGUOUS}: read {order} first as {year:04d}-{month:02d}-{day:02d} "
        f"(dates.dayfirst is {'true' if dayfirst else 'false'}), not {year:04d}-{day:02d}-"
        f"{month:02d}; if this source writes the {other} first, set dates.dayfirst: "
        f"{'false' if dayfirst else 'true'}; writing yyyy-mm-dd dates ends the doubt"
    )


def _zone(name: str | None, offset: int | None, text: str) -> tzinfo | None:
    """The fixed zone written in the text, from dateutil's (name, offset) reading."""
    if name is None and offset is None:
        return None
    if name is None or (name == "UTC" and offset == 0):
        assert offset is not None
        hours, rest = divmod(abs(offset), 3600)
        minutes, seconds = divmod(rest, 60)
        return _checked_offset("-" if offset < 0 else "+", hours, minutes, seconds)
    name = name.upper()
    if name in AMBIGUOUS_ZONES:
        raise DateError(
            f"has the time zone {name}, which names several zones "
            f"({AMBIGUOUS_ZONES[name]}); write a numeric offset, e.g. {EXAMPLE} +05:30"
        )
    if name not in ZONES:
        raise DateError(
            f"has an unknown time zone {name!r}; write a numeric offset, e.g. {EXAMPLE} +01:00"
        )
    minutes = ZONES[name]
    if offset is not None and offset != minutes * 60:
        if re.search(rf"\b{name}\s*[+-]", text, re.IGNORECASE):
            reason = f"a zone name followed by an offset ({name}+1) reads two ways"
        else:
            reason = f"{name} is {format_offset(timedelta(minutes=minutes), ':')}"
        raise DateError(
            f"has a zone name and an offset that disagree ({reason}); "
            f"write the offset alone, e.g. {EXAMPLE} +01:00"
        )
    return timezone(timedelta(minutes=minutes))


def _checked_offset(sign: str, hours: int, minutes: int, seconds: int = 0) -> tzinfo:
    offset = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if minutes >= 60 or seconds or offset > MAX_OFFSET:
        shown = f"{sign}{hours:02d}:{minutes:02d}"
        raise DateError(
            f"has an offset {shown} that no place uses (offsets run from -18:00 to +18:00 "
            f"in whole minutes); write the real offset, e.g. {EXAMPLE} +01:00"
        )
    return timezone(-offset if sign == "-" else offset)


def _weekday_warnings(text: str, written: datetime) -> tuple[str, ...]:
    """A weekday in the text that is not the date's (as written, before any conversion)."""
    real = written.weekday()
    warnings = []
    for word in _WORDS.findall(text):
        day = _WEEKDAYS.get(word.lower())
        if day is not None and day != real:
            warnings.append(
                f"says {WEEKDAY_NAMES[day]}, but {written:%Y-%m-%d} is a "
                f"{WEEKDAY_NAMES[real]}; the date is used, so check which one is right"
            )
    return tuple(warnings)


# --- instants ------------------------------------------------------------------------------


def _localise(naive: datetime, tz: zoneinfo.ZoneInfo) -> datetime:
    """Wall-clock time in `tz` -> an instant. PEP 495: fold=0 takes the offset in force before
    the transition, so an ambiguous time is its first occurrence and a skipped time lands
    after the jump; the UTC round trip turns the skipped wall time into the real one."""
    aware = naive.replace(tzinfo=tz, fold=0, microsecond=0)
    try:
        return _in_range(aware.astimezone(UTC).astimezone(tz))
    except OverflowError:
        raise _out_of_range() from None


def _convert(aware: datetime, tz: zoneinfo.ZoneInfo) -> datetime:
    try:
        return _in_range(aware.replace(microsecond=0).astimezone(tz))
    except OverflowError:
        raise _out_of_range() from None


def _in_range(moment: datetime) -> datetime:
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise _out_of_range()
    return moment


def _out_of_range() -> DateError:
    return DateError(
        f"falls outside the years {MIN_YEAR}-{MAX_YEAR} in the site time zone; {_WRITE}"
    )


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(
            f"has the year {year}, outside {MIN_YEAR}-{MAX_YEAR} "
            f"(feeds need a four-digit year); {_WRITE}"
        )


def _no_such_date(error: BaseException) -> DateError:
    return DateError(f"does not exist ({error}); check the numbers, e.g. {EXAMPLE}")


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} value"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
