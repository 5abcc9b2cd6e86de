"""site.url and site.feeds_url are checked when the config is read (issue 11)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from factories import raw_site
from sites import Site

from feeds.config import ConfigError, parse_config

BASE = Path("/srv/site")
EXAMPLE = "e.g. https://example.org/news/"


def error_of(key: str, url: str) -> str:
    data = {"site": raw_site()}
    data["site"][key] = url
    with pytest.raises(ConfigError) as caught:
        parse_config(data, BASE)
    return str(caught.value)


@pytest.mark.parametrize("key", ["url", "feeds_url"])
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://[::1/", "is not a valid URL (Invalid IPv6 URL)"),
        ("https://[::g]/", "is not a valid URL ('::g' does not appear to be an IPv4 or IPv6 "
         "address)"),
        ("https://news example.org/", "contains a space or control character; write it "
         "percent-encoded (" + EXAMPLE + ")"),
        ("https://example.org/my news/", "contains a space or control character; write it "
         "percent-encoded (" + EXAMPLE + ")"),
        ("https://example.org/?page=1", "must not have a query (?) or fragment (#): ids and "
         "links are built on it; " + EXAMPLE),
        ("https://example.org/#top", "must not have a query (?) or fragment (#): ids and "
         "links are built on it; " + EXAMPLE),
        ("https://ana:secret@example.org/", "must not carry a user name or password (user@); "
         + EXAMPLE),
        ("https://example.org:70000/", "is not a valid URL (Port out of range 0-65535); "
         + EXAMPLE),
        ("https://example.org:0/", "has an empty or zero port; write a port from 1 to 65535 "
         "or none, " + EXAMPLE),
        ("https://example.org:/", "has an empty or zero port; write a port from 1 to 65535 "
         "or none, " + EXAMPLE),
        ("https://example..org/", "has a host name 'example..org' that is not a valid (IDNA) "
         "domain name; " + EXAMPLE),
        ("https://-news.example.org/", "has a host name '-news.example.org' that is not a "
         "valid domain name (letters, digits and hyphens between dots); " + EXAMPLE),
        ("https://example.org/100%/", "has a % not followed by two hex digits; write a "
         "literal % as %25 (" + EXAMPLE + ")"),
    ],
)  # fmt: skip
def test_bad_base_url_is_refused_naming_the_key(key: str, url: str, message: str) -> None:
    assert error_of(key, url) == f"site.{key} {url!r}: {message}"


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.org/",
        "http://localhost:8000/blog/",
        "https://[2001:db8::1]:8443/",
        "https://bücher.example/",  # IDNA: xn--bcher-kva
        "https://xn--bcher-kva.example/",
        "https://example.org/a%20b/",
        "https://127.0.0.1/",
    ],
)
def test_good_base_urls_pass_unchanged(url: str) -> None:
    data = {"site": raw_site(url=url, feeds_url=url)}
    config = parse_config(data, BASE)
    assert config.site.url == url
    assert config.site.feeds_url == url


def test_feeds_build_exits_2_naming_the_key_and_builds_nothing(site: Site) -> None:
    site.settings["site"]["url"] = "https://[::1/"
    site.save_config()
    feeds = Path(sys.executable).with_name("feeds")
    done = subprocess.run(
        [str(feeds), "build", "--config", str(site.root / "config.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "site.url 'https://[::1/': is not a valid URL (Invalid IPv6 URL)" in done.stderr
    assert not site.output.exists()
