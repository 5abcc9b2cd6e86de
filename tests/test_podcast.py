"""Issue 17: podcast episode fields and the show's `podcast:guid`.

Expected values are written by hand: the guid from the Podcast Index namespace spec's own
example (docs/1.0.md, `<podcast:guid>`), durations by arithmetic.
"""

from __future__ import annotations

import pytest

from feeds.model import Episode
from feeds.podcastfields import (
    EpisodeFieldError,
    parse_duration,
    read_episode_fields,
)
from feeds.render.podcast import itunes_duration, podcast_guid


def test_podcast_guid_matches_the_spec_example() -> None:
    # The namespace spec: "mp3s.nashownotes.com/pc20rss.xml" -> this UUID.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://mp3s.nashownotes.com/pc20rss.xml",
        "https://mp3s.nashownotes.com/pc20rss.xml/",
        "https://mp3s.nashownotes.com/pc20rss.xml//",
    ],
)
def test_podcast_guid_ignores_scheme_and_trailing_slashes(url: str) -> None:
    assert podcast_guid(url) == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


@pytest.mark.parametrize(
    "url", ["https://podnews.net/rss", "podnews.net/rss////", "podnews.net/rss/"]
)
def test_podcast_guid_second_spec_vector(url: str) -> None:
    # The same spec's second example: podnews.net/rss.
    assert podcast_guid(url) == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_podcast_guid_differs_per_feed() -> None:
    assert podcast_guid("https://example.org/podcast/rss.xml") != podcast_guid(
        "https://example.org/other/rss.xml"
    )


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1800", 1800), (1800, 1800), ("30:00", 1800), ("1:02:03", 3723), ("01:02:03", 3723)],
)
def test_duration_forms(text: object, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["", "0", "-5", "1:60:00", "12:61", "ten minutes", True, 1.5])
def test_bad_duration_names_field_and_value(bad: object) -> None:
    with pytest.raises(EpisodeFieldError) as caught:
        parse_duration(bad)
    assert "'duration'" in str(caught.value)
    assert repr(bad) in str(caught.value)


def test_itunes_duration_text() -> None:
    assert itunes_duration(3723) == "01:02:03"
    assert itunes_duration(59) == "00:00:59"


LINK = "https://news.example.org/articles/podcast-42/"


def test_read_episode_fields_all() -> None:
    got = read_episode_fields(
        {
            "duration": "45:07",
            "episode": "3",
            "season": 2,
            "type": "Trailer",
            "explicit": "false",
            "image": "/media/ep3.png",
            "transcript": {"url": "ep3.vtt", "language": "en"},
            "chapters": "https://cdn.example.net/ep3.chapters.json",
            "block": True,
        },
        LINK,
    )
    assert got == Episode(
        duration=2707,
        number=3,
        season=2,
        type="trailer",
        explicit=False,
        image="https://news.example.org/media/ep3.png",
        transcript=("https://news.example.org/articles/podcast-42/ep3.vtt", "text/vtt", "en"),
        chapters="https://cdn.example.net/ep3.chapters.json",
        block=True,
    )


def test_read_episode_fields_absent() -> None:
    assert read_episode_fields({}, LINK) == Episode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("episode", "0"),
        ("episode", "two"),
        ("episode", True),
        ("season", -1),
        ("type", "special"),
        ("explicit", "maybe"),
        ("block", "sometimes"),
        ("image", 5),
        ("chapters", "javascript:alert(1)"),
    ],
)
def test_read_episode_fields_rejects(field: str, value: object) -> None:
    with pytest.raises(EpisodeFieldError) as caught:
        read_episode_fields({field: value}, LINK)
    assert caught.value.field == field
    assert caught.value.value == value


def test_transcript_without_known_type_is_refused() -> None:
    with pytest.raises(EpisodeFieldError) as caught:
        read_episode_fields({"transcript": "https://example.org/t.bin"}, LINK)
    assert caught.value.field == "transcript.type"
