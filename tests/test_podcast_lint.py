"""Issue 17: the podcast lint rules (feeds/lint/podcast.py) on show feeds we did not write
(tests/corpus/lint/podcast-*.xml, valid-podcast*.xml), on the sample show built with the real
command and on the golden show feed, and the build refusing a show feed that breaks one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feeds.lint import RULES, lint_feed

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "lint"
PODCAST_RULES = {name for name in RULES if name.startswith("Podcast")}

# For each rule, a valid show feed that sits next to its failing case (written by hand):
# the near miss the rule must let through.
VALID_CASE = {
    "PodcastMissingArtwork": "valid-podcast.xml",
    "PodcastInvalidArtwork": "valid-podcast-artwork-jpeg.xml",  # .JPEG with a query string
    "PodcastMissingCategory": "valid-podcast-top-category.xml",
    "PodcastInvalidCategory": "valid-podcast.xml",  # "Society & Culture" > "Documentary"
    "PodcastMissingExplicit": "valid-podcast.xml",
    "PodcastInvalidExplicit": "valid-podcast.xml",  # false on the show, true on an episode
    "PodcastMissingEnclosure": "valid-podcast.xml",
    "PodcastInvalidEnclosureType": "valid-podcast.xml",  # audio/mpeg and video/mp4
    "PodcastMissingEnclosureLength": "valid-podcast.xml",  # length="0" is a length
    "PodcastMissingGuid": "valid-podcast.xml",
    "PodcastDuplicateGuid": "valid-podcast.xml",
    "PodcastEpisodeNumberReused": "valid-podcast.xml",  # episode 2 in seasons 1 and 2
    "PodcastInvalidDuration": "valid-podcast-duration-minutes.xml",  # 59:59; also 2400, 1:02:03
    "PodcastInvalidGuid": "valid-podcast-no-guid-tag.xml",  # optional; the base has a UUID
}


def test_every_podcast_rule_has_a_failing_and_a_valid_case() -> None:
    assert len(PODCAST_RULES) == 14
    failing = {p.stem.split("-", 1)[1].split("--")[0] for p in CORPUS.glob("podcast-*.xml")}
    assert failing == PODCAST_RULES
    assert set(VALID_CASE) == PODCAST_RULES


@pytest.mark.parametrize("rule", sorted(VALID_CASE))
@pytest.mark.parametrize("strict", [False, True], ids=["lint", "site"])
def test_valid_case_passes(rule: str, strict: bool) -> None:
    data = (CORPUS / VALID_CASE[rule]).read_bytes()
    assert lint_feed(data, VALID_CASE[rule], strict=strict) == []


def test_rules_apply_only_to_feeds_with_the_itunes_namespace() -> None:
    # The same channel without xmlns:itunes: no artwork, category or explicit is required.
    data = (CORPUS / "podcast-PodcastMissingArtwork.xml").read_bytes()
    plain = data.replace(b' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"', b"")
    plain = b"\n".join(line for line in plain.split(b"\n") if b"itunes:" not in line)
    assert lint_feed(plain, "plain.xml", strict=True) == []


def test_messages_name_the_value_and_the_fix() -> None:
    data = (CORPUS / "podcast-PodcastInvalidCategory.xml").read_bytes()
    [finding] = lint_feed(data, "show.xml")
    assert finding.field == "itunes:category"
    assert "'society & culture'" in finding.message
    assert 'text="NAME"' in finding.message
    [dup] = lint_feed((CORPUS / "podcast-PodcastDuplicateGuid.xml").read_bytes(), "show.xml")
    assert dup.entry == "https://radio.example.com/harbour/2"
    assert "line 14" in dup.message  # the first item with that guid


def test_golden_show_feed_passes() -> None:
    data = (ROOT / "tests/golden/feeds/category/podcasts.rss.xml").read_bytes()
    assert b'<itunes:category text="Technology"/>' in data
    assert lint_feed(data, "podcasts.rss.xml", strict=True) == []


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "feeds", "build", "--config", "config.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def _sample(root: Path, config: str | None = None) -> Path:
    (root / "config.yaml").write_text(config or (ROOT / "config.yaml").read_text())
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "static", root / "static")
    return root


def test_sample_show_passes_the_podcast_rules(tmp_path: Path) -> None:
    done = _build(_sample(tmp_path))
    assert done.returncode == 0, done.stderr
    data = (tmp_path / "public/feeds/category/podcasts.rss.xml").read_bytes()
    assert b"xmlns:itunes=" in data
    assert lint_feed(data, "podcasts.rss.xml", strict=True) == []


def test_build_refuses_a_show_feed_breaking_a_rule(tmp_path: Path) -> None:
    config = (ROOT / "config.yaml").read_text()
    assert "category: [Technology]" in config
    done = _build(_sample(tmp_path, config.replace("category: [Technology]", "category: [Tech]")))
    assert done.returncode != 0
    assert "PodcastInvalidCategory" in done.stderr + done.stdout
    assert "'Tech'" in done.stderr + done.stdout
    assert not (tmp_path / "public/feeds/category/podcasts.rss.xml").exists()
    # the rest of the site still builds, the show's Atom feed too (no itunes: there)
    assert (tmp_path / "public/feeds/all.rss.xml").is_file()
    assert (tmp_path / "public/feeds/category/podcasts.atom.xml").is_file()
