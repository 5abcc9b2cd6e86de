"""The sample site's output pinned byte for byte (issue 16): the files `make run` publishes,
built by the real command at a fixed instant, against tests/golden/sample/.

The pinned feeds hold between them every sample article of issue 16's list: tags, two
authors of whom one has no email (content/security/passkeys-one-year-on.md), the
summary-only Business category, the German article (feeds/de/), the thumbnail with its
credit and the video (content/gaming/handheld-repair-cafe.md), the allowed iframe beside a
removed one (content/science/launch-replay-weather-satellite.md); and `feed: false`
(content/corrections/) by its absence. `manifest.txt` lists every file the build writes, so
a feed that appears or disappears is caught too. tests/test_sample_site.py reads the same
site back with feedparser against values written by hand.

After an intended change of output, regenerate with
`FEEDS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_sample_golden.py`, read the diff, and say
what readers will notice in README's changelog.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from samplesite import build_sample

GOLDEN = Path(__file__).parent / "golden" / "sample"
UPDATE = os.environ.get("FEEDS_UPDATE_GOLDEN") == "1"
PINNED = [
    "feeds/all.rss.xml",
    "feeds/all.atom.xml",
    "feeds/category/business.rss.xml",
    "feeds/category/business.atom.xml",
    "feeds/category/gaming.rss.xml",
    "feeds/category/gaming.atom.xml",
    "feeds/category/science/space.rss.xml",
    "feeds/category/science/space.atom.xml",
    "feeds/de/all.rss.xml",
    "feeds/de/all.atom.xml",
    "feeds/author/priya-raman.rss.xml",
    "feeds/author/priya-raman.atom.xml",
    "feeds/author/lena-fischer.rss.xml",
    "feeds/author/lena-fischer.atom.xml",
    "feeds/tag/passkeys.rss.xml",
    "feeds/tag/passkeys.atom.xml",
    "news-sitemap.xml",
    "feeds.opml",
]


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory.mktemp("sample-golden"))


def manifest(public: Path) -> str:
    return "".join(
        f"{path.relative_to(public).as_posix()}\n"
        for path in sorted(public.rglob("*"))
        if path.is_file()
    )


def check_golden(name: str, data: bytes) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
        return
    assert golden.is_file(), f"no golden file {golden}: run with FEEDS_UPDATE_GOLDEN=1"
    assert data == golden.read_bytes(), f"{name} differs from {golden}"


def test_the_build_writes_exactly_the_files_of_the_manifest(public: Path) -> None:
    check_golden("manifest.txt", manifest(public).encode())


@pytest.mark.parametrize("path", PINNED)
def test_pinned_file_is_byte_for_byte_the_golden_one(public: Path, path: str) -> None:
    check_golden(path, (public / path).read_bytes())


def test_the_manifest_holds_the_feed_kinds_and_leaves_out_what_no_feed_may_carry() -> None:
    """Hand-written checks of the golden manifest itself, so a regenerated one that lost a
    kind of feed, or gained a feed for a kept-out category, fails here."""
    paths = set((GOLDEN / "manifest.txt").read_text().splitlines())
    for path in [
        "feeds/tag/passkeys.rss.xml",  # a tag on two articles or more
        "feeds/author/priya-raman.atom.xml",  # the co-author without an email
        "feeds/de/category/mobility.rss.xml",  # the German set
        "feeds/en/all.atom.xml",
        "feeds/category/business.rss.xml",
        "news-sitemap.xml",
        "feeds.opml",
        "index.html",
    ]:
        assert path in paths, path
    assert not any("corrections" in p or "sponsored" in p for p in paths)
    assert "feeds/tag/authentication.rss.xml" not in paths  # a tag on one article only
