"""Episode fields of a podcast article, read and type-checked (issue 17).

Apple's podcast RSS requirements: `itunes:duration` is seconds or [HH:]MM:SS,
`itunes:episode`/`itunes:season` are non-zero integers, `itunes:episodeType` is
full|trailer|bonus, `itunes:explicit` is true|false. Pure: text in, record or error out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from feeds.fieldtext import absolute_url
from feeds.model import Episode, kind, shorten, some_of
from feeds.recordfields import RecordFields, shown

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
    raise EpisodeFieldError("type", value, "one of full, trailer, bonus")


EPISODE_KEYS = (
    "duration", "episode", "season", "type", "explicit", "image", "transcript", "chapters",
    "block",
)  # fmt: skip
_EXAMPLE = "podcast: {duration: '45:07', episode: 3, season: 1, explicit: false}"


def read_episode_fields(fields: Mapping[str, object], link: str) -> Episode:
    """An article's `podcast:` mapping -> `Episode`; raises EpisodeFieldError (pure)."""

    def get(name: str) -> object:
        value = fields.get(name)
        return None if value is None or value == "" else value

    duration, number, season = get("duration"), get("episode"), get("season")
    kind, explicit, block = get("type"), get("explicit"), get("block")
    image, chapters = get("image"), get("chapters")
    return Episode(
        duration=None if duration is None else parse_duration(duration),
        number=None if number is None else _positive_int("episode", number),
        season=None if season is None else _positive_int("season", season),
        type="full" if kind is None else _episode_type(kind),
        explicit=None if explicit is None else _flag("explicit", explicit),
        image=None if image is None else _url("image", image, link),
        transcript=_transcript(get("transcript"), link),
        chapters=None if chapters is None else _url("chapters", chapters, link),
        block=False if block is None else _flag("block", block),
    )


def _url(field: str, value: object, link: str) -> str:
    if not isinstance(value, str):
        raise EpisodeFieldError(field, value, "a URL (text)")
    try:
        return absolute_url(value, link)
    except ValueError as error:
        raise EpisodeFieldError(field, value, f"a usable URL ({error})") from None


def _transcript(value: object, link: str) -> tuple[str, str, str | None] | None:
    """`transcript`: a URL, or {url, type, language}; type defaults from the file suffix."""
    if value is None:
        return None
    entry = value if isinstance(value, Mapping) else {"url": value}
    url = _url("transcript.url", entry.get("url"), link)
    mime = entry.get("type") or _TRANSCRIPT_TYPES.get(url.rsplit(".", 1)[-1].lower())
    if not isinstance(mime, str) or "/" not in mime:
        raise EpisodeFieldError("transcript.type", mime, "a MIME type such as text/vtt")
    language = entry.get("language")
    if language is not None and not isinstance(language, str):
        raise EpisodeFieldError("transcript.language", language, "a language tag such as en")
    return url, mime, language


_TRANSCRIPT_TYPES = {
    "vtt": "text/vtt",
    "srt": "application/x-subrip",
    "json": "application/json",
    "html": "text/html",
    "txt": "text/plain",
}


def read_episode(record: RecordFields, link: str) -> Episode | None:
    """The article's `podcast:` field as an `Episode`, None when missing; errors name the field."""
    value = record.get("podcast")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        record.fail("podcast", shown(value), f"is {kind(value)}, not a mapping; {_EXAMPLE}")
    unknown = sorted(shorten(key) for key in value if key not in EPISODE_KEYS)
    if unknown:
        record.warn(
            "podcast",
            some_of(unknown),
            f"unknown key(s), ignored; known: {', '.join(EPISODE_KEYS)}",
        )
    try:
        return read_episode_fields(value, link)
    except EpisodeFieldError as error:
        record.fail(f"podcast.{error.field}", shown(error.value), f"{error}; {_EXAMPLE}")
