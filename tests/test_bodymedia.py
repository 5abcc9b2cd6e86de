"""Media in article bodies (issue 16): `<picture>`, `<video>`, `<audio>`, `<source>`,
`<track>` and `srcset` kept with safe attributes and absolute URLs."""

from __future__ import annotations

import pytest
from factories import make_article, make_config

from feeds.body import body_html, entry_content
from feeds.bodymedia import srcset_candidates
from feeds.model import BodyFormat
from feeds.plan import plan_site
from feeds.render import render_feed
from feeds.validate import check_file

BASE = "https://news.example.org/articles/x/"


def html(markup: str) -> str:
    return body_html(markup, BodyFormat.HTML, BASE)


def test_a_video_keeps_its_sources_tracks_and_poster_with_absolute_urls() -> None:
    markup = (
        '<video src="clip.mp4" poster="p.jpg" controls autoplay onplay="x()" width="640">'
        '<source src="clip.webm" type="video/webm">'
        '<track src="subs.vtt" kind="captions" srclang="en" label="English">'
        "Your reader cannot play this video.</video>"
    )
    assert html(markup) == (
        f'<video src="{BASE}clip.mp4" poster="{BASE}p.jpg" controls="" width="640">'
        f'<source src="{BASE}clip.webm" type="video/webm">'
        f'<track src="{BASE}subs.vtt" kind="captions" srclang="en" label="English">'
        "Your reader cannot play this video.</video>"
    )


def test_audio_with_a_protocol_relative_source() -> None:
    assert html('<audio src="//cdn.example.org/a.mp3" controls></audio>') == (
        '<audio src="https://cdn.example.org/a.mp3" controls=""></audio>'
    )


def test_unsafe_media_urls_are_removed() -> None:
    assert html('<video src="javascript:alert(1)" poster="data:image/png;base64,AA"></video>') == (
        "<video></video>"
    )


def test_picture_and_srcset_are_kept_with_every_candidate_absolute() -> None:
    markup = (
        '<picture><source srcset="b.webp 1x, data:x 2x, /c.webp 3x" type="image/webp">'
        '<img src="a.jpg" srcset="a-640.jpg 640w, javascript:alert(1) 900w" sizes="100vw"'
        ' alt="A"></picture>'
    )
    assert html(markup) == (
        f'<picture><source srcset="{BASE}b.webp 1x, https://news.example.org/c.webp 3x"'
        f' type="image/webp"><img src="{BASE}a.jpg" srcset="{BASE}a-640.jpg 640w"'
        ' sizes="100vw" alt="A"></picture>'
    )


def test_a_srcset_of_only_unsafe_candidates_is_dropped() -> None:
    assert html('<img srcset="data:x 1x" src="z.png" alt="">') == f'<img src="{BASE}z.png" alt="">'


@pytest.mark.parametrize(
    ("value", "candidates"),
    [
        ("a.jpg 1x, b.jpg 2x", [("a.jpg", "1x"), ("b.jpg", "2x")]),
        ("a.jpg, b.jpg 2x", [("a.jpg", ""), ("b.jpg", "2x")]),
        # a comma inside a run of non-space characters is part of the URL (HTML's parser)
        ("a.jpg,b.jpg 2x", [("a.jpg,b.jpg", "2x")]),
        ("  a.jpg   640w ,  b.jpg 1280w  ", [("a.jpg", "640w"), ("b.jpg", "1280w")]),
        ("a.jpg 1x,b.jpg 2x", [("a.jpg", "1x"), ("b.jpg", "2x")]),
        ("x.jpg (a, b) 1x, y.jpg", [("x.jpg", "(a, b) 1x"), ("y.jpg", "")]),
        ("", []),
    ],
)
def test_srcset_candidates(value: str, candidates: list[tuple[str, str]]) -> None:
    assert srcset_candidates(value) == candidates


def test_a_body_with_media_publishes_lint_clean_and_round_trips() -> None:
    config = make_config(formats=("rss", "atom", "json"))
    body = (
        '<p>Watch:</p><video controls poster="p.jpg"><source src="clip.mp4" type="video/mp4">'
        '</video><picture><source srcset="a.webp" type="image/webp"><img src="a.jpg" alt="A">'
        "</picture>"
    )
    feed = plan_site([make_article("x", body=body)], config).feeds[0]
    for fmt in ("rss", "atom", "json"):
        data = render_feed(feed, fmt, config, entry_content)
        assert check_file(data, fmt, feed, config, entry_content, file=fmt) == []
