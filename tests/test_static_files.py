"""`static_dir` (feeds/staticfiles.py) and the sample show's artwork (issue 17): the build
copies the files into output_dir, and the real `feeds serve` answers the feed's itunes:image
URL with exactly the committed PNG."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from feeds.config import ConfigError, parse_config
from feeds.model import Level
from feeds.staticfiles import read_static

ROOT = Path(__file__).resolve().parent.parent
ARTWORK = ROOT / "static/media/podcast/show-artwork.png"
SITE_URL = "https://news.example.org/"  # config.yaml site.url


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "feeds", *args, "--config", "config.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample-static")
    for name in ("content", "static"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    done = _run(root, "build")
    assert done.returncode == 0, done.stderr
    return root


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


def test_artwork_is_a_square_rgb_png_apple_accepts() -> None:
    chunks = _chunks(ARTWORK.read_bytes())
    assert [k for k, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert width == height == 1400  # Apple: square, 1400 to 3000 pixels
    assert (depth, colour, interlace) == (8, 2, 0)  # 8-bit RGB (Apple: RGB colour space)
    raw = zlib.decompress(chunks[1][1])
    assert len(raw) == 1400 * (1 + 1400 * 3)  # one filter byte per row


def test_artwork_generator_writes_the_committed_file(tmp_path: Path) -> None:
    script = (ROOT / "tools/make_show_artwork.py").read_text()
    copy = tmp_path / "tools/make_show_artwork.py"
    copy.parent.mkdir()
    copy.write_text(script)
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True, timeout=120)
    assert (tmp_path / "static/media/podcast/show-artwork.png").read_bytes() == (
        ARTWORK.read_bytes()
    )


def test_build_copies_the_artwork_and_leaves_it_when_unchanged(sample: Path) -> None:
    published = sample / "public/media/podcast/show-artwork.png"
    assert published.read_bytes() == ARTWORK.read_bytes()
    os.utime(published, ns=(1_000_000_000, 1_000_000_000))
    assert _run(sample, "build").returncode == 0
    assert published.stat().st_mtime_ns == 1_000_000_000  # write-if-changed: not rewritten


def test_feeds_serve_answers_the_shows_artwork_url(sample: Path) -> None:
    feed = (sample / "public/feeds/category/podcasts.rss.xml").read_text()
    [href] = re.findall(r'<itunes:image href="([^"]+)"/>\n    <itunes:category', feed)
    assert href == f"{SITE_URL}media/podcast/show-artwork.png"
    server = subprocess.Popen(
        [sys.executable, "-m", "feeds", "serve", "--config", "config.yaml", "--port", "0"],
        cwd=sample,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=10)
        connection.request("GET", urlsplit(href).path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert response.status == 200
    assert response.getheader("Content-Type") == "image/png"
    assert body == ARTWORK.read_bytes()


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for relative, data in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    return root


def test_read_static_keeps_paths_and_skips_what_it_must(tmp_path: Path) -> None:
    static = _tree(
        tmp_path / "static",
        {
            "robots.txt": b"User-agent: *\n",
            "media/a b.png": b"\x89PNG",
            ".git/config": b"secret",
            "media/.DS_Store": b"junk",
            "index.html": b"<p>mine</p>",
            "feeds/all.rss.xml": b"<rss/>",
        },
    )
    (tmp_path / "outside.txt").write_text("outside")
    (static / "link.txt").symlink_to(tmp_path / "outside.txt")
    (static / "linked").symlink_to(tmp_path)
    found = read_static(static, "static", {"index.html", "feeds.opml"})
    assert dict(found.files) == {"robots.txt": b"User-agent: *\n", "media/a b.png": b"\x89PNG"}
    skipped = {p.source: p for p in found.problems}
    assert set(skipped) == {
        "static/index.html",
        "static/feeds/all.rss.xml",
        "static/link.txt",
        "static/linked",
    }
    assert all(p.level is Level.WARNING for p in found.problems)
    assert "the build publishes itself" in skipped["static/index.html"].message
    assert "symbolic link" in skipped["static/link.txt"].message


def test_read_static_names_a_missing_folder(tmp_path: Path) -> None:
    found = read_static(tmp_path / "nope", "nope", set())
    [problem] = found.problems
    assert (problem.field, problem.value, problem.level) == ("static_dir", "nope", Level.ERROR)
    assert found.files == {}


CONFIG = {
    "site": {
        "title": "T",
        "url": "https://example.org/",
        "description": "D",
        "language": "en",
        "timezone": "UTC",
    }
}


def test_static_dir_is_optional_and_relative_to_the_config(tmp_path: Path) -> None:
    assert parse_config(CONFIG, tmp_path).static_dir is None
    config = parse_config({**CONFIG, "static_dir": "assets"}, tmp_path)
    assert config.static_dir == (tmp_path / "assets").resolve()


@pytest.mark.parametrize(
    ("value", "other"),
    [
        ("public", "output_dir"),
        ("public/media", "output_dir"),
        ("content", "content_dir"),
        ("content/img", "content_dir"),
        (".feeds", "cache_dir"),
        (".", "output_dir"),  # holds public/ as well as config.yaml
        ("..", "output_dir"),
    ],
)
def test_static_dir_must_not_overlap_the_sites_own_folders(
    tmp_path: Path, value: str, other: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({**CONFIG, "static_dir": value}, tmp_path)
    assert caught.value.key == "static_dir"
    assert f"must not overlap {other}" in str(caught.value)


def test_static_dir_must_not_hold_the_config_file(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"  # beside static_dir (tmp_path / "a"), not in it
    config = {
        **CONFIG,
        "static_dir": "..",
        "output_dir": str(elsewhere / "out"),
        "content_dir": str(elsewhere / "content"),
        "cache_dir": str(elsewhere / "cache"),
    }
    with pytest.raises(ConfigError) as caught:
        parse_config(config, tmp_path / "a" / "site")
    assert "must not hold the config file" in str(caught.value)


def test_read_static_names_a_folder_it_cannot_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root every folder is readable: listing one is made to fail as without permission."""
    static = _tree(tmp_path / "static", {"robots.txt": b"ok", "media/show.png": b"\x89PNG"})
    real_scandir = os.scandir
    refused = [os.fspath(static / "media")]

    def listing(path: Any = ".") -> Any:
        if os.fspath(path) in refused:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", listing)
    found = read_static(static, "static", set())
    assert dict(found.files) == {"robots.txt": b"ok"}
    [problem] = found.problems
    assert (problem.source, problem.level) == ("static/media", Level.WARNING)
    assert "cannot be read (Permission denied)" in problem.message
    refused[:] = [os.fspath(static)]
    whole = read_static(static, "static", set())
    assert [p.source for p in whole.problems] == ["static"] and whole.files == {}
