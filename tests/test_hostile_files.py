"""Hostile content files, round two (issue 12): content is read from inside content_dir only
and no file can stop the build. Symbolic links leading outside, link loops, FIFOs swapped in
after the listing, huge sparse files and file names with line breaks: each case builds the
rest of the site and names the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sites import refuse_in_lint

import feeds.build
import feeds.scanshares
from feeds.build import BuildReport, build_site
from feeds.config import load_config
from feeds.contentbytes import OpenFolder, read_content
from feeds.contentfiles import scan_content
from feeds.model import Level, Problem

CORPUS = Path(__file__).parent / "corpus" / "hostile"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SECRET = "---\ntitle: Secret from outside\ndate: 2021-03-20 10:00\ncategory: Phones\n---\nHidden.\n"

OUTSIDE = (
    "is a symbolic link leading outside content_dir; content is read from inside content_dir "
    "only: copy what it points to into content_dir, or remove the link"
)
LOOP = "is a symbolic link to a folder that is read already (a loop or a second path): skipped"


def make_site(root: Path) -> Path:
    shutil.copy(CORPUS / "config.yaml", root / "config.yaml")
    (root / "content").mkdir()
    shutil.copy(CORPUS / "content" / "good.md", root / "content" / "good.md")
    return root / "config.yaml"


def build(config: Path) -> BuildReport:
    return build_site(load_config(config), now=NOW)


def entry_titles(root: Path) -> list[str]:
    data = (root / "public" / "feeds" / "all.atom.xml").read_text("utf-8")
    return [e.split("<title>", 1)[1].split("</title>", 1)[0] for e in data.split("<entry>")[1:]]


def warning(source: str, message: str) -> Problem:
    return Problem(source, "file", None, message, Level.WARNING)


def test_a_symlink_loop_is_skipped_with_a_warning_and_the_site_builds(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    (tmp_path / "content" / "loop").symlink_to(".")
    (tmp_path / "content" / "sub").mkdir()
    (tmp_path / "content" / "sub" / "up").symlink_to("..")
    report = build(config)
    assert report.problems == (
        warning("content/loop", LOOP),
        warning("content/sub/up", LOOP),
    )
    assert entry_titles(tmp_path) == ["An ordinary article"]


def test_links_leading_outside_content_dir_are_never_read(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET)
    content = tmp_path / "content"
    (content / "secret.md").symlink_to(outside / "secret.md")
    (content / "elsewhere").symlink_to(outside)
    (content / "etc").symlink_to("/etc")
    (content / "passwd.txt").symlink_to("/etc/passwd")
    report = build(config)
    assert report.problems == (
        warning("content/elsewhere", OUTSIDE),
        warning("content/etc", OUTSIDE),
        warning("content/passwd.txt", OUTSIDE),
        warning("content/secret.md", OUTSIDE),
    )
    assert entry_titles(tmp_path) == ["An ordinary article"]
    published = b"".join(p.read_bytes() for p in (tmp_path / "public").rglob("*") if p.is_file())
    assert b"Secret from outside" not in published and b"root:" not in published


def test_the_output_folder_linked_from_content_is_not_read_back(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    assert build(config).articles == 1
    (tmp_path / "content" / "public").symlink_to(tmp_path / "public")
    report = build(config)
    assert report.problems == (warning("content/public", OUTSIDE),)
    assert report.articles == 1 and report.errors == ()


def test_links_staying_inside_are_followed_once(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    content = tmp_path / "content"
    (content / ".drafts").mkdir()
    (content / ".drafts" / "ready.md").write_text(SECRET.replace("Secret from outside", "Ready"))
    (content / "ready.md").symlink_to(".drafts/ready.md")  # hidden target: read by the link
    (content / "again.md").symlink_to("good.md")  # read under its own name already
    (content / "2021").mkdir()
    (content / "2021" / "march.md").write_text(SECRET.replace("Secret from outside", "March"))
    (content / "latest").symlink_to("2021")
    report = build(config)
    assert report.problems == (
        warning("content/again.md", "is a symbolic link to a file that is read under its own "
                "name: skipped"),
        warning("content/latest", LOOP),
    )  # fmt: skip
    assert sorted(entry_titles(tmp_path)) == ["An ordinary article", "March", "Ready"]


def test_a_fifo_swapped_in_after_the_listing_never_blocks_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path)
    swapped = tmp_path / "content" / "swapped.md"
    swapped.write_text(SECRET.replace("Secret from outside", "Swapped"))
    listed = scan_content

    def list_then_swap(content_dir: Path, *rest: object) -> object:
        found = listed(content_dir, *rest)  # type: ignore[arg-type]
        swapped.unlink()
        os.mkfifo(swapped)  # nobody ever writes: a blocking open would wait forever
        return found

    monkeypatch.setattr(feeds.scanshares, "scan_content", list_then_swap)  # the build's scan
    reports: list[BuildReport] = []
    builder = threading.Thread(target=lambda: reports.append(build(config)), daemon=True)
    builder.start()
    builder.join(timeout=30)
    assert not builder.is_alive(), "the build blocked opening a FIFO"
    assert reports[0].problems == (
        Problem(
            "content/swapped.md",
            "file",
            None,
            "cannot be read: it is not a regular file (a FIFO, device or socket): replace it "
            "with a file",
        ),
    )
    assert entry_titles(tmp_path) == ["An ordinary article"]


def test_a_4_gib_sparse_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    huge = tmp_path / "content" / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(4 * 1024**3)  # sparse: no disk used, but 4 GiB to read
    report = build(config)
    assert report.problems == (
        Problem(
            "content/huge.md",
            "file",
            None,
            "cannot be read: it is 4,294,967,296 bytes; a content file is read up to "
            "67,108,864 bytes (64 MiB): split it into smaller files",
        ),
    )
    assert entry_titles(tmp_path) == ["An ordinary article"]


def test_read_content_reads_no_more_than_the_limit(tmp_path: Path) -> None:
    config = load_config(make_site(tmp_path))
    (tmp_path / "content" / "edge.md").write_bytes(b"x" * (64 * 1024 * 1024))
    assert len(read_content(config, "edge.md")) == 64 * 1024 * 1024
    (tmp_path / "content" / "over.md").write_bytes(b"x" * (64 * 1024 * 1024 + 1))
    with pytest.raises(OSError, match="it is 67,108,865 bytes"):
        read_content(config, "over.md")


def test_a_folder_swapped_for_a_link_after_the_scan_is_not_followed(tmp_path: Path) -> None:
    config = load_config(make_site(tmp_path))
    (tmp_path / "content" / "desk" / "2021").mkdir(parents=True)
    (tmp_path / "content" / "desk" / "2021" / "a.md").write_text(SECRET.replace("Secret", "In"))
    assert b"In from outside" in read_content(config, "desk/2021/a.md")
    (tmp_path / "outside" / "2021").mkdir(parents=True)
    (tmp_path / "outside" / "2021" / "a.md").write_text(SECRET)
    shutil.rmtree(tmp_path / "content" / "desk")
    (tmp_path / "content" / "desk").symlink_to(tmp_path / "outside")
    for relative in ("desk/2021/a.md", "../outside/2021/a.md", "desk/../../outside/2021/a.md"):
        with pytest.raises(OSError, match="it leads through a link"):
            read_content(config, relative)


def test_read_content_reads_a_file_that_grew_since_its_stat_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(make_site(tmp_path))
    data = bytes(range(256)) * 1200  # 307,200 bytes: several reads
    (tmp_path / "content" / "long.md").write_bytes(data)
    (tmp_path / "content" / "empty.md").write_bytes(b"")
    assert read_content(config, "long.md") == data
    assert read_content(config, "empty.md") == b""
    real_fstat = os.fstat

    def stat_taken_earlier(fd: int) -> os.stat_result:
        fields = list(real_fstat(fd))
        fields[6] = 10  # st_size as it was before the file grew
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", stat_taken_earlier)
    assert read_content(config, "long.md") == data


def test_a_file_name_with_a_line_break_cannot_forge_a_log_line(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    name = "bad\nerror: forged.md: title: the whole site is refused.md"
    (tmp_path / "content" / name).write_text("---\ntitle: Bad\ndate: not a date\n---\nBody.\n")
    run = subprocess.run(
        [sys.executable, "-m", "feeds", "build", "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = run.stderr.splitlines()
    assert not any(line.startswith("error: forged.md") for line in lines), run.stderr
    assert any(line.startswith("error: 'content/bad\\nerror: forged.md") for line in lines)


# --- the build lock ---------------------------------------------------------------------------

LOCK_REFUSED = (
    "the build lock is not a regular file (a symbolic link, FIFO or device is in its place); "
    "it was left as it is: remove it and build again"
)


def run_build(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "feeds", "build", "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_lock_that_is_a_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    (tmp_path / ".feeds").mkdir()
    (tmp_path / ".feeds" / "lock").symlink_to(victim)
    run = run_build(config)
    assert run.returncode != 0
    assert f"{tmp_path / '.feeds' / 'lock'}: {LOCK_REFUSED}" in run.stderr
    assert victim.read_text() == "keep me\n"
    assert not (tmp_path / "public").exists()


def test_a_lock_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    (tmp_path / ".feeds").mkdir()
    os.mkfifo(tmp_path / ".feeds" / "lock")
    run = run_build(config)
    assert run.returncode != 0
    assert LOCK_REFUSED in run.stderr


# --- text.drop_lines in linear time ------------------------------------------------------------


def test_a_catastrophic_drop_pattern_cannot_hang_the_build(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    with config.open("a") as handle:
        handle.write("text:\n  drop_lines: ['^(a+)+$', '^Advert$']\n")
    article = "Friday, Jan 8, 2021, 14:30 Phones\n\nBacktracking\n\nKept.\n\n{}\n\nAdvert\n"
    (tmp_path / "content" / "slow.txt").write_text(article.format("a" * 40 + "!"))
    run = run_build(config)  # a backtracking engine takes about 2^40 steps on this line
    assert run.returncode == 0, run.stderr
    atom = (tmp_path / "public" / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "a" * 40 + "!" in atom and "Advert" not in atom


def test_a_drop_pattern_re2_cannot_run_is_refused_at_config_time(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    with config.open("a") as handle:
        handle.write("text:\n  drop_lines: ['^Read more', '(?<=x)y']\n")
    run = run_build(config)
    assert run.returncode == 2
    assert (
        "text.drop_lines[1] '(?<=x)y': is not a regular expression RE2 accepts (invalid perl "
        "operator: (?<=); drop patterns use RE2 syntax: no backreferences or look-around, \\z "
        "for the end of the line"
    ) in run.stderr
    assert "re2.cc" not in run.stderr  # RE2's own log line is not shown


# --- lint mode survives any file ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "not readable JSON: nested too deeply (a feed is flat)"),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [], "n": '
            + b"9" * 100_000
            + b"}",
            "not readable JSON: a number with over 4,300 digits",
        ),
    ],
)
def test_lint_reports_deep_nesting_and_huge_numbers_as_findings(
    tmp_path: Path, data: bytes, message: str
) -> None:
    feed = tmp_path / "feed.json"
    feed.write_bytes(data)
    run = subprocess.run(
        [sys.executable, "-m", "feeds", "validate", str(feed)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert f"{feed}: error NotWellFormed: {message}" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert run.returncode == 1


# --- discovery files never link a feed that is not there -----------------------------------------


def test_after_a_refused_atom_feed_no_page_links_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path)
    refuse_in_lint(monkeypatch, "feeds/all.atom.xml", "feeds/category/phones.atom.xml")
    report = build(config)
    assert sorted(report.refused) == ["feeds/all.atom.xml", "feeds/category/phones.atom.xml"]
    public = tmp_path / "public"
    for page in ("index.html", "feeds.opml", "feeds/all.html", "feeds/category/phones.html"):
        data = (public / page).read_bytes()
        assert b".atom.xml" not in data, page
    assert b"feeds/category/phones.rss.xml" in (public / "index.html").read_bytes()
    assert b"feeds/all.rss.xml" in (public / "feeds" / "all.html").read_bytes()
    monkeypatch.undo()  # the Atom feeds pass next time: the pages link them again
    build(config)
    for page in ("index.html", "feeds/all.html", "feeds/category/phones.html"):
        assert b".atom.xml" in (public / page).read_bytes(), page


def test_an_excluded_file_name_with_a_line_break_is_quoted_in_the_summary(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    (tmp_path / "content" / "_notes\nerror: forged.md").write_text("not an article\n")
    run = run_build(config)
    lines = (run.stdout + run.stderr).splitlines()
    assert not any(line.startswith("error: forged") for line in lines), lines
    assert any("'_notes\\nerror: forged.md'" in line for line in lines), lines


def test_a_plain_path_is_opened_without_resolving_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The speed of reading (issue 14) rests on opening folder by folder: only a path with a
    # link on the way (or an error) is resolved whole, so a plain one never calls realpath.
    config = load_config(make_site(tmp_path))
    (tmp_path / "content" / "desk" / "2021").mkdir(parents=True)
    (tmp_path / "content" / "desk" / "2021" / "a.md").write_text("A")
    (tmp_path / "content" / "latest").symlink_to("desk/2021")
    assert read_content(config, "good.md")  # content_dir itself resolved once, then kept
    resolved: list[str] = []
    real_realpath = os.path.realpath

    def counted(path: str, *, strict: bool = False) -> str:
        resolved.append(str(path))
        return real_realpath(path, strict=strict)

    monkeypatch.setattr(os.path, "realpath", counted)
    assert read_content(config, "desk/2021/a.md") == b"A"
    assert resolved == []
    assert read_content(config, "latest/a.md") == b"A"  # through a link inside: resolved
    assert [Path(p).name for p in resolved] == ["a.md"]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd (Linux)")
def test_a_folder_kept_open_reads_what_opening_afresh_reads(tmp_path: Path) -> None:
    # issue 14: `OpenFolder` keeps the last file's folder open for the next read; every file
    # must still come out as it does opened afresh, links inside followed, links out refused.
    config = load_config(make_site(tmp_path))
    content = tmp_path / "content"
    for folder, name, text in (
        ("desk/2021", "a.md", "A"), ("desk/2021", "b.md", "B"),
        ("desk/2022", "a.md", "C"), ("", "top.md", "T"),
    ):  # fmt: skip
        (content / folder).mkdir(parents=True, exist_ok=True)
        (content / folder / name).write_text(text)
    (content / "latest").symlink_to("desk/2021")
    (tmp_path / "outside.md").write_text(SECRET)
    (content / "desk" / "2022" / "out.md").symlink_to(tmp_path / "outside.md")
    order = [
        "desk/2021/a.md", "desk/2021/b.md", "latest/a.md", "desk/2021/b.md", "top.md",
        "desk/2022/out.md", "desk/2022/a.md", "good.md", "desk/2021/gone.md", "desk/2021/a.md",
    ]  # fmt: skip
    before = _open_fds()
    with OpenFolder() as folder:
        for relative in order:
            try:
                expected: bytes | str = read_content(config, relative)
            except OSError as error:
                expected = str(error)
            try:
                got: bytes | str = read_content(config, relative, folder)
            except OSError as error:
                got = str(error)
            assert got == expected, relative
        assert _open_fds() == before + 1  # one folder held, not one per file read
    assert _open_fds() == before
    assert read_content(config, "desk/2021/b.md") == b"B"


def test_a_kept_folder_is_opened_once_for_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(make_site(tmp_path))
    (tmp_path / "content" / "desk" / "2021").mkdir(parents=True)
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / "content" / "desk" / "2021" / name).write_text(name)
    folders: list[str] = []
    real_open = os.open

    def counted(path: str, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_DIRECTORY:
            folders.append(str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", counted)
    with OpenFolder() as folder:
        read = [read_content(config, f"desk/2021/{n}", folder) for n in ("a.md", "b.md", "c.md")]
    assert read == [b"a.md", b"b.md", b"c.md"]
    assert [Path(p).name for p in folders] == ["content", "desk", "2021"]
    folders.clear()
    read_content(config, "desk/2021/a.md")
    read_content(config, "desk/2021/b.md")
    assert len(folders) == 6  # without one: every folder on the way, for every file


def test_a_kept_folder_swapped_for_a_link_is_not_followed(tmp_path: Path) -> None:
    config = load_config(make_site(tmp_path))
    (tmp_path / "content" / "desk" / "2021").mkdir(parents=True)
    (tmp_path / "content" / "desk" / "2021" / "a.md").write_text("In")
    (tmp_path / "content" / "desk" / "2021" / "b.md").write_text("In too")
    (tmp_path / "outside" / "2021").mkdir(parents=True)
    (tmp_path / "outside" / "2021" / "b.md").write_text(SECRET)
    with OpenFolder() as folder:
        assert read_content(config, "desk/2021/a.md", folder) == b"In"
        shutil.rmtree(tmp_path / "content" / "desk")
        (tmp_path / "content" / "desk").symlink_to(tmp_path / "outside")
        with pytest.raises(OSError, match="it leads through a link"):
            read_content(config, "desk/2021/b.md", folder)
