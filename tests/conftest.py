"""Shared fixtures. The factories behind them are plain modules, imported by the tests that
need their names (never a test module from another test module):

- `factories`: records and configs built from a few readable arguments (`make_article`,
  `make_config`, `category`, `raw_site`), and the golden site (`fixture_site`);
- `sites`: the fixture site on disk (`make_site`, `Site`), every kind of change to it
  (`CHANGES`), and output comparisons (`snapshot`, `stats`, `clean_build`,
  `assert_same_output`).

Fixtures:

- `site`: the fixture site of `sites.make_site`, written (not built) in `tmp_path/site`;
- `clean_output`: a function building a fresh copy of a site's config and content (new output
  and cache folders) and returning its output, the bytes an incremental build must equal.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

import pytest
from sites import NOW, CleanOutput, Site, clean_build, make_site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """The fixture site (`sites.ARTICLES`, `sites.SETTINGS`) in `tmp_path/site`, not built."""
    return make_site(tmp_path / "site")


@pytest.fixture
def prepared(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The content folder of each build of the fixture site (not the clean builds compared
    with it) that prepared the site in full (`feeds.site.prepare`), not patched."""
    import feeds.build
    from feeds.site import prepare

    seen: list[Path] = []

    def counted(config: feeds.build.Config, *args: object, **kwargs: object) -> object:
        if config.content_dir.parent.name == "site":
            seen.append(config.content_dir)
        return prepare(config, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.build, "prepare", counted)
    return seen


@pytest.fixture
def clean_output(tmp_path: Path) -> CleanOutput:
    """`clean_output(site, now=NOW)`: every file a clean build of `site`'s config and content
    publishes (built in a new folder below `tmp_path` each time), by relative path."""
    folders = (tmp_path / f"clean-{n}" for n in itertools.count(1))

    def build(site: Site, now: datetime = NOW) -> dict[str, bytes]:
        return clean_build(site, next(folders), now)

    return build
