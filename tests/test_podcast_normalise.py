"""Issue 17: an article's `podcast:` episode fields through normalisation."""

from __future__ import annotations

from test_normalise import normalise, refused

from feeds.model import Episode


def test_episode_fields_reach_the_article() -> None:
    article, warnings = normalise(podcast={"duration": "1:02:03", "episode": 42, "season": 3})
    assert article.episode == Episode(duration=3723, number=42, season=3)
    assert warnings == ()


def test_no_podcast_field_no_episode() -> None:
    article, _ = normalise()
    assert article.episode is None


def test_bad_duration_names_source_field_and_value() -> None:
    problem = refused(podcast={"duration": "forty minutes"})
    assert problem.field == "podcast.duration"
    assert "forty minutes" in str(problem.value)
    assert "HH:MM:SS" in problem.message
    assert problem.source


def test_podcast_field_must_be_a_mapping() -> None:
    problem = refused(podcast="yes")
    assert problem.field == "podcast"
    assert "mapping" in problem.message


def test_unknown_episode_key_is_a_warning() -> None:
    article, warnings = normalise(podcast={"episode": 1, "lenght": 3})
    assert article.episode == Episode(number=1)
    assert [w.field for w in warnings] == ["podcast"]
    assert warnings[0].value == "lenght"
