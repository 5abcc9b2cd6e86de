"""Media for news readers (issue 16): the article image also as Media RSS `media:thumbnail`
(with its size when given) and `media:credit`; read and checked back."""

from __future__ import annotations

import pytest
from factories import make_article, make_config, static_content
from lxml import etree

from feeds.model import ImageInfo, Problem
from feeds.plan import FeedSpec, plan_site
from feeds.render import render_feed
from feeds.validate import check_round_trip
from tests.test_normalise import normalise, refused

MEDIA = "{http://search.yahoo.com/mrss/}"
ATOM = "{http://www.w3.org/2005/Atom}"
CONFIG = make_config(formats=("rss", "atom", "json"))
PHOTO = "https://news.example.org/articles/a/lead.jpg"


def test_image_as_a_mapping_gives_its_size_and_credit() -> None:
    article, warnings = normalise(
        image={"url": "lead.jpg", "width": 1200, "height": 675, "credit": " Jo  Photo "}
    )
    assert warnings == ()
    assert article.image == "https://news.example.org/articles/a/lead.jpg"
    assert article.image_info == ImageInfo(1200, 675, "Jo Photo")


def test_image_as_text_is_as_before() -> None:
    article, _ = normalise(image="lead.jpg")
    assert (article.image, article.image_info) == (PHOTO, None)


@pytest.mark.parametrize(
    ("image", "field"),
    [
        ({"width": 10}, "image.url"),
        ({"url": "a.jpg", "width": 0}, "image.width"),
        ({"url": "a.jpg", "height": "675"}, "image.height"),
        ({"url": "a.jpg", "width": True}, "image.width"),
        ({"url": "a.jpg", "credit": ["Jo"]}, "image.credit"),
        ({"url": "javascript:alert(1)"}, "image.url"),
    ],
)
def test_bad_image_fields_are_refused_by_name(image: dict[str, object], field: str) -> None:
    assert refused(image=image).field == field


def test_an_unknown_image_key_is_a_warning() -> None:
    _, warnings = normalise(image={"url": "a.jpg", "caption": "A caption"})
    assert [(w.field, w.value) for w in warnings] == [("image", "caption")]
    assert isinstance(warnings[0], Problem)


def feed_of(**fields: object) -> FeedSpec:
    return plan_site([make_article("a", image=PHOTO, **fields)], CONFIG).feeds[0]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_thumbnail_with_size_and_credit(fmt: str) -> None:
    feed = feed_of(image_info=ImageInfo(1200, 675, "Jo Photo"))
    root = etree.fromstring(render_feed(feed, fmt, CONFIG, static_content))
    item = root.find("channel/item") if fmt == "rss" else root.find(f"{ATOM}entry")
    assert item is not None
    thumbnail = item.find(f"{MEDIA}thumbnail")
    assert thumbnail is not None
    assert dict(thumbnail.attrib) == {"url": PHOTO, "width": "1200", "height": "675"}
    assert [c.text for c in item.iter(f"{MEDIA}credit")] == ["Jo Photo"]
    assert item.find(f"{MEDIA}description") is None  # feedparser would take it for the summary


def test_an_image_without_details_still_has_a_thumbnail() -> None:
    root = etree.fromstring(render_feed(feed_of(), "rss", CONFIG, static_content))
    thumbnail = root.find(f"channel/item/{MEDIA}thumbnail")
    assert thumbnail is not None and dict(thumbnail.attrib) == {"url": PHOTO}


@pytest.mark.parametrize(
    ("fmt", "old", "new", "field"),
    [
        ("rss", 'width="1200"', 'width="120"', "thumbnail"),
        ("atom", 'height="675"', 'height="67"', "thumbnail"),
        ("rss", "<media:credit>Jo Photo</media:credit>", "", "credit"),
        ("atom", ">Jo Photo<", ">Someone<", "credit"),
    ],
)
def test_media_round_trip(fmt: str, old: str, new: str, field: str) -> None:
    feed = feed_of(image_info=ImageInfo(1200, 675, "Jo Photo"))
    data = render_feed(feed, fmt, CONFIG, static_content)
    assert check_round_trip(data, fmt, feed, CONFIG, static_content, file="x") == []
    assert data.count(old.encode()) == 1
    found = check_round_trip(
        data.replace(old.encode(), new.encode()), fmt, feed, CONFIG, static_content, file="x"
    )
    assert [(f.rule, f.field) for f in found] == [("RoundTrip", field)]
