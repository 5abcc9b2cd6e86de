"""`bench/run.py --corpus DIR` (issue 14): time feeds on any folder of articles.

DIR is either a site (`DIR/config.yaml` and the content folder it names) or a bare content
folder. Either way the content is copied into a work folder below bench/work/ with a config
of its own (the site's settings, or a plain one for a bare folder; output `public/`, cache
`.feeds/`), so the benchmark's edits, builds and deletions never touch DIR itself.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import yaml

from feeds.yamlload import load_yaml

# The article the benchmark edits and deletes: a Markdown file (front matter + body, so an
# appended paragraph is a change of the body whatever the site's other settings).
MARKDOWN = (".md", ".markdown")
BARE_CONFIG: dict[str, object] = {
    "site": {
        "title": "Benchmark site",
        "url": "https://bench.example.org/",
        "description": "A folder of articles timed by bench/run.py",
        "language": "en",
        "timezone": "UTC",
    },
}


def prepare_own_corpus(source: Path, work: Path) -> Path:
    """The work folder for `source` (re)made: config.yaml, content/ (a copy) and corpus.json
    (size, and the newest Markdown article to edit and delete). Raises ValueError naming
    `source` when it holds no article to time."""
    source = source.resolve()
    config_path = source / "config.yaml"
    if config_path.is_file():
        settings = load_yaml(config_path.read_text(encoding="utf-8"))
        if not isinstance(settings, dict):
            raise ValueError(f"{config_path}: not a mapping of settings; fix the file")
        content = (source / str(settings.get("content_dir", "content"))).resolve()
        static = settings.get("static_dir")
        if isinstance(static, str):  # published from where it is, never copied
            settings["static_dir"] = str((source / static).resolve())
    else:
        settings, content = dict(BARE_CONFIG), source
    if not content.is_dir():
        raise ValueError(f"{source}: no content folder {content}; give a site or a content folder")
    name = hashlib.sha256(str(source).encode()).hexdigest()[:8]
    folder = work / f"corpus-own-{source.name or 'root'}-{name}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copytree(content, folder / "content", ignore=shutil.ignore_patterns(".*"))
    for key in ("content_dir", "output_dir", "cache_dir"):
        settings.pop(key, None)
    # output_dir on a line of its own: run.py's clean build rewrites exactly that line
    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)
    (folder / "config.yaml").write_text(
        f"{text}content_dir: content\noutput_dir: public\n", encoding="utf-8"
    )
    files = [p for p in (folder / "content").rglob("*") if p.is_file()]
    articles = [p for p in files if p.suffix.lower() in MARKDOWN]
    if not articles:
        raise ValueError(f"{source}: no Markdown article (*.md) to edit and delete in {content}")
    newest = max(articles, key=lambda p: (p.stat().st_mtime_ns, p.as_posix()))
    manifest = {
        "size": len(files),
        "source": str(source),
        "newest": {"feeds": newest.relative_to(folder).as_posix()},
        "added_category": None,
    }
    (folder / "corpus.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return folder
