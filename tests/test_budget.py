"""The size budget (`feeds.render.budget.fit_to_budget`, `feeds.render.fit_feed`): a feed
over `feeds.max_bytes` keeps the newest entries that fit, found exactly (checked here against
trying every count), and always at least one; without a budget the feed is itself.

`fit_to_budget` takes the renderer as an argument: most tests give it one whose sizes are
chosen by hand (a header of 100 bytes plus each entry's cost), so the answers can be worked
out on paper; the last ones use the real writers through `fit_feed`."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from factories import fixture_site, make_article, make_config, static_content
from hypothesis import given
from hypothesis import strategies as st

from feeds.config import Config
from feeds.plan import FeedSpec
from feeds.render import ContentFn, fit_feed, render_feed
from feeds.render.budget import fit_to_budget

HEADER = 100  # bytes of the fake renderer's feed without entries


def budget(config: Config, max_bytes: int | None) -> Config:
    return dataclasses.replace(config, feeds=dataclasses.replace(config.feeds, max_bytes=max_bytes))


def feed_of(costs: list[int]) -> FeedSpec:
    """A feed whose entries (newest first) cost `costs` bytes each: entry i's title is its
    cost, as the fake renderer reads it."""
    newest = datetime(2021, 3, 1, 10, 0, tzinfo=UTC)
    entries = tuple(
        make_article(f"e{i}", title=str(cost), published=(newest - timedelta(hours=i)).isoformat())
        for i, cost in enumerate(costs)
    )
    return FeedSpec("all", None, "All", "", "https://news.example.org/", entries, None, len(costs))


class FakeRenderer:
    """HEADER bytes plus each entry's cost; counts its calls."""

    def __init__(self) -> None:
        self.calls: list[int] = []  # the entry count of each feed rendered

    def __call__(self, feed: FeedSpec, fmt: str, config: Config, content: ContentFn) -> bytes:
        self.calls.append(len(feed.entries))
        return b"x" * (HEADER + sum(int(article.title) for article in feed.entries))


def fit(costs: list[int], max_bytes: int | None) -> tuple[FeedSpec, FeedSpec, bytes, FakeRenderer]:
    feed = feed_of(costs)
    render = FakeRenderer()
    fitted, data = fit_to_budget(
        feed, "rss", budget(make_config(), max_bytes), static_content, render
    )
    return feed, fitted, data, render


def test_no_budget_returns_the_same_feed_rendered_once() -> None:
    feed, fitted, data, render = fit([900, 900, 900], None)
    assert fitted is feed
    assert len(data) == 2800
    assert render.calls == [3]


@pytest.mark.parametrize("max_bytes", [2800, 10_000])
def test_a_feed_within_its_budget_is_itself(max_bytes: int) -> None:
    feed, fitted, data, render = fit([900, 900, 900], max_bytes)
    assert fitted is feed
    assert len(data) == 2800  # exactly the budget is within it
    assert render.calls == [3]


def test_over_budget_keeps_the_newest_entries_that_fit() -> None:
    # with one entry 130 bytes, two 150, three 200, four 210, five 250
    feed, fitted, data, _ = fit([30, 20, 50, 10, 40], 209)
    assert fitted.entries == feed.entries[:3]
    assert len(data) == 200
    assert dataclasses.replace(fitted, entries=feed.entries) == feed  # only entries change


@pytest.mark.parametrize(
    ("max_bytes", "kept"),
    [(249, 4), (210, 4), (209, 3), (200, 3), (199, 2), (150, 2), (149, 1), (130, 1)],
)
def test_every_boundary(max_bytes: int, kept: int) -> None:
    _, fitted, data, _ = fit([30, 20, 50, 10, 40], max_bytes)
    assert [a.slug for a in fitted.entries] == [f"e{i}" for i in range(kept)]
    assert len(data) == [130, 150, 200, 210][kept - 1]


@pytest.mark.parametrize("max_bytes", [129, 1, 0])
def test_one_entry_is_kept_even_when_it_alone_is_over(max_bytes: int) -> None:
    feed, fitted, data, _ = fit([30, 20, 50], max_bytes)
    assert fitted.entries == feed.entries[:1]
    assert len(data) == 130


def test_a_feed_of_one_or_no_entries_is_never_cut() -> None:
    feed, fitted, data, render = fit([5000], 10)
    assert (fitted is feed, len(data), render.calls) == (True, 5100, [1])
    feed, fitted, data, render = fit([], 10)
    assert (fitted is feed, len(data), render.calls) == (True, 100, [0])


def brute_force(costs: list[int], max_bytes: int) -> int:
    """The most entries (at least one) whose feed fits, trying every count."""
    fitting = [n for n in range(1, len(costs) + 1) if HEADER + sum(costs[:n]) <= max_bytes]
    return max(fitting, default=1)


@given(
    costs=st.lists(st.integers(min_value=0, max_value=400), min_size=2, max_size=40),
    max_bytes=st.integers(min_value=0, max_value=6000),
)
def test_the_search_finds_what_trying_every_count_finds(costs: list[int], max_bytes: int) -> None:
    feed, fitted, data, _ = fit(costs, max_bytes)
    if HEADER + sum(costs) <= max_bytes:
        assert fitted is feed
    else:
        kept = brute_force(costs, max_bytes)
        assert fitted.entries == feed.entries[:kept]
    assert len(data) == HEADER + sum(costs[: len(fitted.entries)])  # the bytes of that feed


def test_the_search_renders_few_feeds() -> None:
    _, fitted, _, render = fit([10] * 1000, HEADER + 10 * 700)
    assert len(fitted.entries) == 700
    assert len(render.calls) <= 2 + 11  # the whole, one entry, then a binary search of 998


# --- with the real writers ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_fit_feed_keeps_the_most_entries_the_real_writer_fits(fmt: str) -> None:
    config, plan = fixture_site()
    feed = plan.feeds[0]  # all six articles
    assert len(feed.entries) == 6
    sizes = [
        len(
            render_feed(
                dataclasses.replace(feed, entries=feed.entries[:n]), fmt, config, static_content
            )
        )
        for n in range(1, 7)
    ]
    assert sizes == sorted(sizes) and len(set(sizes)) == 6  # every entry adds bytes
    for max_bytes in [size + delta for size in sizes for delta in (-1, 0)]:
        fitted, data = fit_feed(feed, fmt, budget(config, max_bytes), static_content)
        kept = max([n for n, size in enumerate(sizes, 1) if size <= max_bytes], default=1)
        assert len(fitted.entries) == kept, max_bytes
        assert fitted.entries == feed.entries[:kept]
        assert data == render_feed(fitted, fmt, config, static_content)
        assert (fitted is feed) == (kept == 6)


def test_fit_feed_without_a_budget_is_the_feed_and_its_bytes() -> None:
    config, plan = fixture_site()
    feed = plan.feeds[0]
    fitted, data = fit_feed(feed, "atom", config, static_content)
    assert fitted is feed
    assert data == render_feed(feed, "atom", config, static_content)
