"""Issue 11, the smaller items: `~` in folder settings, where a build may publish,
`site.author.email` and `site.timezone` checked once when the config is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sites import make_site

from feeds.cli import cli
from feeds.config import ConfigError, parse_config
from feeds.outputdir import output_dir_problem

NOW = "2026-11-26T12:00:00Z"


def _settings(**site: object) -> dict[str, object]:
    return {
        "site": {
            "title": "T",
            "url": "https://example.org/",
            "description": "D",
            "language": "en",
            "timezone": "UTC",
            **site,
        }
    }


def _build(config: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["build", "--config", str(config), "--now", NOW, *extra])
    return result.exit_code, result.stdout, result.stderr


# --- ~ is the home folder ------------------------------------------------------------------


def test_a_tilde_in_the_folder_settings_is_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    settings = _settings()
    settings.update(content_dir="~/site/content", output_dir="~/public", cache_dir="~/.feeds")

    config = parse_config(settings, tmp_path / "project")

    assert config.content_dir == home / "site" / "content"
    assert config.output_dir == home / "public"
    assert config.cache_dir == home / ".feeds"


def test_a_tilde_output_builds_into_the_home_folder_not_a_folder_named_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "public").mkdir(parents=True)  # outside the project: it must exist (empty)
    monkeypatch.setenv("HOME", str(home))
    site = make_site(tmp_path / "site")
    site.settings["output_dir"] = "~/public"
    site.save_config()

    code, _, err = _build(site.root / "config.yaml")

    assert (code, err) == (0, "")
    assert (home / "public" / "feeds" / "all.rss.xml").is_file()
    assert not (site.root / "~").exists()


def test_an_unknown_user_home_is_a_config_error(tmp_path: Path) -> None:
    settings = _settings()
    settings["output_dir"] = "~no-such-user-4711/public"
    with pytest.raises(ConfigError) as raised:
        parse_config(settings, tmp_path)
    assert str(raised.value) == (
        "output_dir '~no-such-user-4711/public': starts with ~ but that home folder is unknown"
    )


# --- where a build may publish -------------------------------------------------------------


@pytest.mark.parametrize(
    "folder", ["/etc", "/etc/feeds", "/usr/local/share/feeds", "/bin", "/proc/self", "/var/lib/x"]
)
def test_system_folders_are_never_output_folders(folder: str) -> None:
    problem = output_dir_problem(Path(folder), Path("/work/site"), Path("/home/ana"))
    assert problem is not None and problem.startswith("is a system folder (")


@pytest.mark.parametrize("folder", ["/", "/home", "/var", "/tmp", "/srv", "/home/ana", "/work"])
def test_folders_holding_other_things_are_never_output_folders(folder: str) -> None:
    assert output_dir_problem(Path(folder), Path("/work/site"), Path("/home/ana")) is not None


@pytest.mark.parametrize("folder", ["/var/www/html", "/srv/www/news", "/home/ana/public"])
def test_web_roots_can_be_output_folders(folder: str) -> None:
    assert output_dir_problem(Path(folder), Path("/work/site"), Path("/home/ana")) is None


def test_output_etc_is_refused_with_exit_2_and_nothing_written(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    before = sorted(os.listdir("/etc"))

    # --dry-run: even on code without the check, nothing would be written into /etc
    code, out, err = _build(site.root / "config.yaml", "--output", "/etc", "--dry-run")

    assert code == 2
    assert err == (
        "feeds: config error: output_dir '/etc': is a system folder (/etc): feeds never "
        "publishes there; choose a folder of its own\n"
    )
    assert out == ""
    assert sorted(os.listdir("/etc")) == before


def test_an_outside_output_folder_must_exist(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    target = tmp_path / "www" / "typo"

    code, _, err = _build(site.root / "config.yaml", "--output", str(target))

    assert code == 2
    assert f"output_dir '{target}': is outside the project folder and does not exist" in err
    assert not target.exists()


def test_an_outside_output_folder_with_other_files_is_refused_until_adopted(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "site")
    target = tmp_path / "www"
    target.mkdir()
    (target / "family-photos.jpg").write_bytes(b"\xff\xd8 not ours")

    code, _, err = _build(site.root / "config.yaml", "--output", str(target))

    assert code == 2
    assert "holds files feeds did not write (no .feeds-owned.json)" in err
    assert f"--adopt {target}" in err
    assert sorted(os.listdir(target)) == ["family-photos.jpg"]

    code, _, err = _build(
        site.root / "config.yaml", "--output", str(target), "--adopt", str(target)
    )
    assert (code, err) == (0, "")
    assert (target / "feeds" / "all.rss.xml").is_file()
    assert (target / "family-photos.jpg").read_bytes() == b"\xff\xd8 not ours"


def test_an_empty_outside_folder_builds_and_then_is_owned(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    target = tmp_path / "www"
    target.mkdir()

    assert _build(site.root / "config.yaml", "--output", str(target))[0] == 0
    (site.root / "content" / "science" / "telescope.md").unlink()
    code, _, err = _build(site.root / "config.yaml", "--output", str(target))  # not empty now

    assert (code, err) == (0, "")
    assert (target / ".feeds-owned.json").is_file()


# --- site.author.email and site.timezone ---------------------------------------------------


@pytest.mark.parametrize(
    "email", ["newsroom", "news room@example.org", "a@b@example.org", "desk@localhost", "<a@b.c>"]
)
def test_a_bad_author_email_is_a_config_error_naming_the_key(tmp_path: Path, email: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(_settings(author={"name": "Desk", "email": email}), tmp_path)
    assert str(raised.value) == (
        f"site.author.email {email!r}: is not an email address; write it as "
        "name@example.org, or leave the key out"
    )


def test_a_bad_author_email_stops_the_build_once_with_exit_2(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.settings["site"]["author"] = {"name": "Desk", "email": "desk at example.org"}
    site.save_config()

    code, _, err = _build(site.root / "config.yaml")

    assert code == 2
    assert err.count("site.author.email") == 1
    assert not site.output.exists()


def test_a_good_author_email_is_kept(tmp_path: Path) -> None:
    config = parse_config(
        _settings(author={"name": "Desk", "email": "desk+feeds@news.example.org"}), tmp_path
    )
    assert config.site.author is not None
    assert config.site.author.email == "desk+feeds@news.example.org"


@pytest.mark.parametrize("zone", ["localtime", "LocalTime", "posixrules", "Factory"])
def test_machine_dependent_time_zones_are_refused(tmp_path: Path, zone: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(_settings(timezone=zone), tmp_path)
    assert str(raised.value).startswith(f"site.timezone {zone!r}: is the zone of the machine")


# --- feeds validate --help -----------------------------------------------------------------


def test_validate_help_describes_file_folder_and_site_mode() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    text = " ".join(result.stdout.split())
    assert result.exit_code == 0
    assert "JSON Feed" in text and "OPML" in text
    assert "file mode" in text.lower()
    assert "folder mode" in text.lower()
    assert "site mode" in text.lower()


def test_validate_a_folder_lints_its_feed_files_and_skips_the_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    assert _build(site.root / "config.yaml")[0] == 0
    broken = site.output / "feeds" / "extra.rss.xml"
    broken.write_text("<rss version='2.0'><channel><title>x</title>", encoding="utf-8")

    result = CliRunner().invoke(cli, ["validate", str(site.output)])

    assert result.exit_code == 1
    named = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert str(broken) in named  # the broken feed is found by walking the folder
    assert not any(name.endswith(".html") for name in named)  # pages are not linted as XML

    broken.unlink()
    result = CliRunner().invoke(cli, ["validate", str(site.output)])
    assert result.exit_code == 0, result.stdout
