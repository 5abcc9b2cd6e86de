"""The two formats feeds carry dates in: RFC 822 (RSS 2.0 `pubDate`) and RFC 3339 (Atom),
written from aware datetimes with English names and numeric zones, whatever the locale.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

MIN_YEAR, MAX_YEAR = 1000, 9999  # RFC 822 / RFC 3339 both need a four-digit year
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def rfc822(moment: datetime) -> str:
    """RSS 2.0 `pubDate` (RFC 822 §5 with a four-digit year, as RFC 2822 §3.3):
    `Fri, 08 Jan 2021 14:30:00 +0100`. English names and a numeric zone, whatever the locale."""
    moment = _printable(moment)
    return (
        f"{WEEKDAY_NAMES[moment.weekday()][:3]}, {moment.day:02d} "
        f"{MONTH_NAMES[moment.month - 1][:3]} {moment.year:04d} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} {_offset(moment, '')}"
    )


def rfc3339(moment: datetime) -> str:
    """Atom date (RFC 4287 §3.3, RFC 3339 §5.6): `2021-01-08T14:30:00+01:00`, seconds always,
    no fraction, a numeric offset (`+00:00`, never `Z`)."""
    moment = _printable(moment)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}{_offset(moment, ':')}"
    )


def _printable(moment: datetime) -> datetime:
    """A moment both formats can write exactly: aware, whole seconds, a whole-minute offset
    (RFC 822 and RFC 3339 cannot carry offset seconds, e.g. Berlin's 1890 LMT +00:53:28, so
    such a moment is written in UTC), four-digit year."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"needs a timezone-aware datetime, got {moment!r}")
    if offset % timedelta(minutes=1):
        moment = moment.astimezone(UTC)
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"needs a year in {MIN_YEAR}-{MAX_YEAR}, got {moment!r}")
    return moment


def _offset(moment: datetime, separator: str) -> str:
    offset = moment.utcoffset()
    assert offset is not None
    return format_offset(offset, separator)


def format_offset(offset: timedelta, separator: str) -> str:
    """A whole-minute offset as the formats write it: `+01:00` (RFC 3339), or `+0100` with
    no separator (RFC 822)."""
    minutes = offset // timedelta(minutes=1)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{separator}{minutes:02d}"
