"""Every command has useful help, and `python -m feeds` is the same program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from feeds.cli import cli

COMMANDS = sorted(cli.commands)


def test_the_commands_users_are_told_about_exist() -> None:
    assert {"build", "validate", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    command = cli.commands[name]
    assert command.help and len(command.help.split()) >= 8, f"{name} needs a real description"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[0]} has no help"


def test_top_level_help_lists_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_python_dash_m_feeds() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "feeds", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("feeds, version ")


def test_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["build", "--no-such-option"])
    assert result.exit_code == 2


def test_serve_before_any_build_says_what_to_do(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "site:\n  title: T\n  url: https://news.example.org/\n  description: D\n"
        "  language: en\n  timezone: UTC\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["serve", "--config", str(config)])
    assert result.exit_code == 2
    assert "public/ does not exist yet; run `feeds build` first" in result.output
