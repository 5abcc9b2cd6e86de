"""Episode fields of a podcast article, read and type-checked (issue 17).

Apple's podcast RSS requirements: `itunes:duration` is seconds or [HH:]MM:SS,
`itunes:episode`/`itunes:season` are non-zero integers, `itunes:episodeType` is
full|trailer|bonus, `itunes:explicit` is true|false. Pure: text in, record or error out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EPISODE_TYPES = ("full", "trailer", "bonus")
_CLOCK = re.compile(r"(?:(\d+):)?([0-5]?\d):([0-5]\d)")
_TRUE = ("true", "yes")
_FALSE = ("false", "no", "clean")


class EpisodeFieldError(ValueError):
    """A bad episode field: names the field, the value and what to write instead."""

    def __init__(self, field: str, value: object, expected: str) -> None:
        super().__init__(f"field {field!r}: {value!r} is not {expected}")
        self.field = field
        self.value = value


@dataclass(frozen=True)
class EpisodeFields:
    duration: int | None = None  # seconds
    episode: int | None = None
    season: int | None = None
    episode_type: str = "full"
    explicit: bool | None = None
    block: bool = False


def parse_duration(value: object) -> int:
    """Seconds of an `itunes:duration`: whole seconds, or [HH:]MM:SS."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    text = str(value).strip() if isinstance(value, str) else ""
    if text.isdigit() and int(text) > 0:
        return int(text)
    match = _CLOCK.fullmatch(text)
    if match:
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        total = hours * 3600 + minutes * 60 + seconds
        if total > 0:
            return total
    raise EpisodeFieldError("duration", value, "a duration: seconds (1800) or HH:MM:SS")


def _positive_int(field: str, value: object) -> int:
    if isinstance(value, bool):
        raise EpisodeFieldError(field, value, "a whole number above 0")
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    raise EpisodeFieldError(field, value, "a whole number above 0")


def _flag(field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise EpisodeFieldError(field, value, "true or false")


def _episode_type(value: object) -> str:
    if isinstance(value, str) and value.strip().lower() in EPISODE_TYPES:
        return value.strip().lower()
    raise EpisodeFieldError("episode_type", value, "one of full, trailer, bonus")


def read_episode_fields(fields: dict[str, object]) -> EpisodeFields:
    """The episode fields of a record's fields; absent fields stay None (or their default)."""

    def get(name: str) -> object:
        value = fields.get(name)
        return None if value is None or value == "" else value

    duration, episode, season = get("duration"), get("episode"), get("season")
    kind, explicit, block = get("episode_type"), get("explicit"), get("block")
    return EpisodeFields(
        duration=None if duration is None else parse_duration(duration),
        episode=None if episode is None else _positive_int("episode", episode),
        season=None if season is None else _positive_int("season", season),
        episode_type="full" if kind is None else _episode_type(kind),
        explicit=None if explicit is None else _flag("explicit", explicit),
        block=False if block is None else _flag("block", block),
    )
