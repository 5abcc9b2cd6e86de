"""Issue 17: show feeds as podcast apps read them.

podcastparser (gPodder's parser, PyPI) and feedparser (which reads `itunes:*`) read the sample
site's show feed, built with the real command, and the fixture site's golden show feed.
Expected values are written by hand from content/podcasts/ and tests/factories.py.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser
import pytest

podcastparser = pytest.importorskip(
    "podcastparser", reason="podcastparser is not installed (pip install -e '.[test]')"
)

ROOT = Path(__file__).resolve().parent.parent
SHOW_URL = "https://news.example.org/feeds/category/podcasts.rss.xml"
ARTICLES = "https://news.example.org/articles/"
MEDIA = "https://media.news.example.org/podcast/"
# Hand-derived: uuid5(ead4c236-bf58-58c6-a2c6-a6b28d128cb6,
# "news.example.org/feeds/category/podcasts.rss.xml"), checked with `python -c` once.
SHOW_GUID = "9e71c3b5-a6bd-5e65-b363-7508b20070f0"


@pytest.fixture(scope="module")
def show_feed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    root = tmp_path_factory.mktemp("sample-show")
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "static", root / "static")
    done = subprocess.run(
        [sys.executable, "-m", "feeds", "build", "--config", "config.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return (root / "public/feeds/category/podcasts.rss.xml").read_bytes()


def by_guid(episodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {episode["guid"]: episode for episode in episodes}


def test_podcastparser_reads_the_sample_show(show_feed: bytes) -> None:
    parsed = podcastparser.parse(SHOW_URL, io.BytesIO(show_feed))
    assert parsed["title"] == "The Example Tech Podcast"  # categories.Podcasts.title (issue 16)
    assert parsed["cover_url"] == "https://news.example.org/media/podcast/show-artwork.png"
    assert parsed["type"] == "episodic"
    episodes = by_guid(parsed["episodes"])
    assert set(episodes) == {
        "urn:uuid:3f2c9d4e-7b1a-4c8e-9f62-5d0e8a1b7c42",
        f"{ARTICLES}podcast-31-satellites-in-your-pocket/",
    }
    e42 = episodes["urn:uuid:3f2c9d4e-7b1a-4c8e-9f62-5d0e8a1b7c42"]
    assert e42["title"] == "Example Tech Podcast 42: Repair, Right Now"
    assert e42["total_time"] == 43 * 60 + 5
    assert e42["number"] == 42
    assert e42["episode_art_url"] == "https://news.example.org/media/podcast/cover-42.jpg"
    assert e42["enclosures"] == [
        {
            "url": f"{MEDIA}example-tech-podcast-042.mp3",
            "file_size": 41877504,
            "mime_type": "audio/mpeg",
        }
    ]
    e31 = episodes[f"{ARTICLES}podcast-31-satellites-in-your-pocket/"]
    assert e31["title"] == "Example Tech Podcast 31: Satellites in Your Pocket"
    assert e31["total_time"] == 39 * 60 + 12
    assert e31["number"] == 31
    assert e31["enclosures"][0]["file_size"] == 38010880
    assert e31["episode_art_url"] == "https://news.example.org/media/podcast/cover-31.jpg"


def test_feedparser_reads_the_itunes_tags(show_feed: bytes) -> None:
    parsed = feedparser.parse(show_feed)
    assert parsed.bozo is False
    assert parsed.feed.image.href == "https://news.example.org/media/podcast/show-artwork.png"
    # feedparser 6 maps only yes/clean to True/False; Apple's current "false" reads as None
    assert parsed.feed.itunes_explicit is None
    assert b"<itunes:explicit>false</itunes:explicit>" in show_feed
    assert parsed.feed.publisher_detail.email == "podcast@example.org"
    assert [t.term for t in parsed.feed.tags if t.scheme == "http://www.itunes.com/"] == [
        "Technology"
    ]
    first = parsed.entries[0]
    assert first.id == "urn:uuid:3f2c9d4e-7b1a-4c8e-9f62-5d0e8a1b7c42"
    assert first.itunes_duration == "00:43:05"
    assert first.itunes_episode == "42"
    assert first.itunes_season == "3"
    assert first.itunes_episodetype == "full"
    assert first.image.href == "https://news.example.org/media/podcast/cover-42.jpg"


def test_show_guid_is_derived_from_the_feed_url(show_feed: bytes) -> None:
    assert f"<podcast:guid>{SHOW_GUID}</podcast:guid>".encode() in show_feed


def test_podcastparser_reads_the_golden_show() -> None:
    data = (ROOT / "tests/golden/feeds/category/podcasts.rss.xml").read_bytes()
    parsed = podcastparser.parse(SHOW_URL, io.BytesIO(data))
    assert parsed["cover_url"] == "https://news.example.org/media/podcast/show.png"
    [episode] = parsed["episodes"]
    assert episode["title"] == "Podcast 12: phones of the year"
    assert episode["total_time"] == 2400
    assert episode["number"] == 12
    assert episode["enclosures"][0]["url"] == "https://news.example.org/audio/podcast-12.mp3"
    assert episode["enclosures"][0]["file_size"] == 38_400_000
