"""The README's Python API examples, run as written (issue 18): the Django `post_save` hook
with Django's real signals and an SQLite database, and the plain script. The code blocks
are taken from README.md by their first line (`# blog/models.py`, `# blog/signals.py`,
`# publish.py`), so the README cannot drift from what runs."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from sites import SITE_URL, make_site

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_block(first_line: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    found = [b for b in blocks if b.split("\n", 1)[0].split(":")[0] == first_line]
    assert len(found) == 1, f"README.md has {len(found)} python blocks starting {first_line!r}"
    return found[0]


def newsroom(output: Path) -> dict[str, str]:
    path = output / "feeds" / "category" / "newsroom.rss.xml"
    if not path.exists():
        return {}
    return {entry.link: entry.title for entry in feedparser.parse(path.read_bytes()).entries}


def test_the_django_post_save_hook(tmp_path: Path) -> None:
    pytest.importorskip(
        "django", reason="Django is not installed (pip install -e '.[test]'): the README's "
        "post_save hook cannot run"
    )  # fmt: skip
    import django
    from django.conf import settings
    from django.db import connection

    site = make_site(tmp_path / "site")
    app = tmp_path / "app" / "blog"
    app.mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "models.py").write_text(readme_block("# blog/models.py"))
    (app / "signals.py").write_text(readme_block("# blog/signals.py"))
    (app / "apps.py").write_text(
        "from django.apps import AppConfig\n\n\nclass BlogConfig(AppConfig):\n"
        "    name = 'blog'\n\n    def ready(self) -> None:\n"
        "        from blog import signals  # noqa: F401\n"
    )
    sys.path.insert(0, str(app.parent))
    try:
        if not settings.configured:
            settings.configure(
                INSTALLED_APPS=["blog.apps.BlogConfig"],
                DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
                USE_TZ=True,
            )
            django.setup()
        settings.FEEDS_CONFIG = str(site.root / "config.yaml")
        from blog.models import Post  # type: ignore[import-not-found]

        with connection.schema_editor() as editor:
            editor.create_model(Post)
        launch = Post.objects.create(
            slug="cms-launch",
            title="Launch day",
            section="Newsroom",
            body="<p>We are <b>live</b>.</p>",
            status="published",
            published_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        )
        assert newsroom(site.output) == {SITE_URL + "articles/cms-launch/": "Launch day"}
        Post.objects.create(
            slug="cms-draft",
            title="Not yet",
            section="Newsroom",
            body="<p>Draft.</p>",
            published_at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
        )  # a draft: saved, rebuilt, not published
        assert newsroom(site.output) == {SITE_URL + "articles/cms-launch/": "Launch day"}
        launch.title = "Launch day, updated"
        launch.save()
        assert newsroom(site.output) == {SITE_URL + "articles/cms-launch/": "Launch day, updated"}
        launch.delete()
        assert newsroom(site.output) == {}
        # the files in content_dir were published all along
        assert (site.output / "feeds" / "category" / "phones.rss.xml").exists()
    finally:
        sys.path.remove(str(app.parent))


def test_the_plain_script(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site.root / "publish.py").write_text(readme_block("# publish.py"))
    with sqlite3.connect(site.root / "cms.db") as db:
        db.execute(
            "CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT, title TEXT, "
            "published_at INTEGER, section TEXT, body TEXT, status TEXT)"
        )
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                # 1763629200 is 2025-11-20 09:00:00 UTC
                (1, "from-sql", "From SQL", 1763629200, "Newsroom", "Hello.", "published"),
                (2, "draft-row", "Draft", 1763629200, "Newsroom", "No.", "draft"),
            ],
        )
    db.close()
    done = subprocess.run(
        [sys.executable, "publish.py"], cwd=site.root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(" articles published, 0 errors\n")
    assert newsroom(site.output) == {SITE_URL + "articles/from-sql/": "From SQL"}
    entry = feedparser.parse(
        (site.output / "feeds" / "category" / "newsroom.atom.xml").read_bytes()
    )
    assert entry.entries[0].published == "2025-11-20T09:00:00Z"
