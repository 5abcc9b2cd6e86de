"""Date checks: RSS 2.0 dates (RFC 822/2822), Atom dates (RFC 3339, RFC 4287 §3.3)."""

from __future__ import annotations

import re

from feeds.lint.report import quote

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RFC822_EXAMPLE = "'Mon, 02 Jan 2006 15:04:05 +0000'"
RFC3339_EXAMPLE = "'2006-01-02T15:04:05Z' or '2006-01-02T15:04:05+01:00'"
# W3C ImplausibleDate: a date before 1990 (its year as written, in the date's own zone). The
# W3C service also flags dates more than ten minutes in the future; lint has no clock, so not.
PLAUSIBLE_FROM = 1990

# RFC 822 §5.1 as tightened by RFC 2822 §3.3: [day ","] date time zone, four-digit year.
_RFC822 = re.compile(
    r"(?:(?P<dow>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(?P<day>\d{1,2}) "
    r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<year>\d{4}) "
    r"(?P<h>\d\d):(?P<m>\d\d)(?::(?P<s>\d\d))? (?P<zone>[+-]\d{4}|GMT|UT)"
)
# What RFC 822 also allows but readers misread (the W3C service's ProblematicalRFC822Date):
# two-digit years, North American zone names, military letters, odd case or spacing. (No zone
# at all is an error: the W3C validator's loose form, too, needs one.)
_RFC822_LOOSE = re.compile(
    r"(?:(?P<dow>mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?(?P<day>\d{1,2})\s+"
    r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(?P<year>\d{2}|\d{4})\s+"
    r"(?P<h>\d\d):(?P<m>\d\d)(?::(?P<s>\d\d))?"
    r"(?:\s+(?P<zone>[+-]\d{4}|ut|gmt|[ecmp][sd]t|[a-ik-z]))?",
    re.IGNORECASE,
)
_ISO_LIKE = re.compile(r"\d{4}-\d\d-\d\d")
# RFC 822 §3.1.4: a comment is "(...)" (nesting, "\\" quoting) and reads as a space; the W3C
# validator drops comments before it checks a date ("... +0000 (UTC)" is valid).
_COMMENT = re.compile(r"\((?:[^()\\]|\\.)*\)")


def without_comments(value: str) -> str:
    """An RFC 822 date with its comments read as spaces (innermost first) and runs of
    whitespace (RFC 822 §3.1.1 folding) as one space."""
    text, before = value, None
    while text != before:
        before, text = text, _COMMENT.sub(" ", text)
    return " ".join(text.split())


# RFC 3339 §5.6 date-time, with RFC 4287 §3.3's upper-case "T" and "Z".
_RFC3339 = re.compile(
    r"(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)T(?P<h>\d\d):(?P<m>\d\d):(?P<s>\d\d)"
    r"(?:\.\d+)?(?P<zone>Z|[+-]\d\d:\d\d)"
)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _check_clock(year: int, month: int, day: int, h: int, m: int, s: int) -> str | None:
    """Why these fields are no real date-time (a leap second is allowed), or None."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if not 1 <= day <= _days_in_month(year, month):
        return f"day {day} does not exist in {_MONTHS[month - 1]} {year}"
    if h > 23 or m > 59 or s > 60:
        return f"{h:02d}:{m:02d}:{s:02d} is not a time of day"
    return None


def _weekday(year: int, month: int, day: int) -> int:
    """0 = Monday, for any proleptic Gregorian date (Zeller's congruence)."""
    if month < 3:
        month += 12
        year -= 1
    k, j = year % 100, year // 100
    h = (day + 13 * (month + 1) // 5 + k + k // 4 + j // 4 + 5 * j) % 7  # 0 = Saturday
    return (h + 5) % 7


def check_rfc822(value: str) -> tuple[str, str] | None:
    """(rule, what is wrong) for an RSS 2.0 date (RFC 822 §5), or None when it is fine."""
    text = without_comments(value)
    strict = _RFC822.fullmatch(text)
    match = strict or _RFC822_LOOSE.fullmatch(text)
    if match is None:
        hint = (
            " (it looks like ISO 8601; RSS 2.0 dates use RFC 822)" if _ISO_LIKE.match(text) else ""
        )
        return "InvalidRFC2822Date", f"{quote(value)} is not an RFC 822 date-time{hint}"
    year = int(match["year"])
    if len(match["year"]) == 2:  # RFC 2822 §4.3: 00-49 are 20xx, 50-99 are 19xx
        year += 2000 if year < 50 else 1900
    month = _MONTHS.index(match["mon"].title()) + 1
    day = int(match["day"])
    problem = _check_clock(year, month, day, int(match["h"]), int(match["m"]), int(match["s"] or 0))
    zone = match["zone"]
    if problem is None and zone and zone[0] in "+-" and int(zone[3:]) > 59:
        problem = f"the zone offset {zone} has more than 59 minutes"
    if problem is None and zone is None:
        # RFC 822 §5.1: the zone is part of the date-time (the W3C validator agrees: error).
        problem = "it has no time zone; add one, e.g. +0000 or GMT"
    if problem is not None or year == 0:
        return "InvalidRFC2822Date", f"{quote(value)}: {problem or 'there is no year 0'}"
    dow = match["dow"]
    if dow is not None and _WEEKDAYS.index(dow.title()) != _weekday(year, month, day):
        actual = _WEEKDAYS[_weekday(year, month, day)]
        return "IncorrectDOW", f"{quote(value)}: {day} {_MONTHS[month - 1]} {year} is a {actual}"
    if strict is None:
        if len(match["year"]) == 2:
            why = "it has a two-digit year"
        elif zone.upper() not in ("GMT", "UT") and zone[0] not in "+-":
            why = f"the zone {zone!r} is ambiguous or obsolete"
        else:
            why = "its case or spacing is unusual"
        return "ProblematicalRFC822Date", f"{quote(value)}: {why}"
    return None


def check_rfc3339(value: str) -> str | None:
    """What is wrong with an Atom date (RFC 3339 §5.6, RFC 4287 §3.3), or None."""
    text = value.strip()
    match = _RFC3339.fullmatch(text)
    if match is None:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
            why = "a date without a time"
        elif re.fullmatch(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?", text):
            why = "it has no time zone"
        elif re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(Z|[+-]\d\d:\d\d)", text):
            why = "the seconds are missing"
        elif re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d{4}", text):
            why = "the offset needs a colon, as in +01:00"
        elif re.fullmatch(r"\d{4}-\d\d-\d\d[t ].*|.*\dz", text):
            why = 'Atom requires an upper-case "T" between date and time and an upper-case "Z"'
        elif _RFC822_LOOSE.fullmatch(text):
            why = "an RFC 822 date as RSS writes them; Atom dates are RFC 3339"
        else:
            why = "not an RFC 3339 date-time"
        return f"{quote(value)}: {why}"
    problem = _check_clock(
        int(match["year"]), int(match["mon"]), int(match["day"]),
        int(match["h"]), int(match["m"]), int(match["s"]),
    )  # fmt: skip
    zone = match["zone"]
    if problem is None and zone != "Z" and (int(zone[1:3]) > 23 or int(zone[4:]) > 59):
        problem = f"the offset {zone} is out of range"
    return None if problem is None else f"{quote(value)}: {problem}"


def implausible_rfc822(value: str) -> str | None:
    """Why an RFC 822 date `check_rfc822` accepts is implausible (W3C ImplausibleDate), or None."""
    match = _RFC822.fullmatch(without_comments(value))
    return None if match is None else _implausible(value, int(match["year"]))


def implausible_rfc3339(value: str) -> str | None:
    """Why an RFC 3339 date `check_rfc3339` accepts is implausible, or None."""
    match = _RFC3339.fullmatch(value.strip())
    return None if match is None else _implausible(value, int(match["year"]))


def _implausible(value: str, year: int) -> str | None:
    if year >= PLAUSIBLE_FROM:
        return None
    return (
        f"{quote(value)} is before {PLAUSIBLE_FROM}, which the W3C validator reports as "
        "implausible (usually a wrong year)"
    )
