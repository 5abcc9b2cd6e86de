"""Iframes from an allow-list of embed hosts (issue 16): `html.allow_iframes`; every other
iframe is removed with its content, as before."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sites import Site, snapshot

from feeds.body import body_html
from feeds.bodymedia import iframe_src
from feeds.cli import cli
from feeds.model import BodyFormat

NOW = "2026-11-26T12:00:00Z"
HOSTS = ("www.youtube-nocookie.com",)
EMBED = "https://www.youtube-nocookie.com/embed/abc"


def html(markup: str, hosts: tuple[str, ...] = HOSTS) -> str:
    return body_html(markup, BodyFormat.HTML, "https://news.example.org/a/", hosts)


def test_an_allowed_iframe_is_kept_with_safe_attributes() -> None:
    markup = (
        f'<iframe src="{EMBED}" width="560" height="315" title="Clip" allowfullscreen'
        ' onload="steal()" style="position:fixed" allow="camera"></iframe>'
    )
    assert html(markup) == (
        f'<iframe src="{EMBED}" width="560" height="315" title="Clip" allowfullscreen=""></iframe>'
    )


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/embed/abc",
        "http://www.youtube-nocookie.com/embed/abc",  # not https
        "https://www.youtube-nocookie.com.evil.example/x",
        "https://user@www.youtube-nocookie.com/embed/abc",
        "javascript:alert(1)",
        "/embed/abc",
    ],
)
def test_other_iframes_are_removed(src: str) -> None:
    assert html(f'<p>a</p><iframe src="{src}">text</iframe>') == "<p>a</p>"


def test_without_an_allow_list_every_iframe_goes() -> None:
    assert html(f'<p>a</p><iframe src="{EMBED}"></iframe>', hosts=()) == "<p>a</p>"


def test_protocol_relative_embed_becomes_https() -> None:
    assert iframe_src("//www.youtube-nocookie.com/embed/x", HOSTS) == (
        "https://www.youtube-nocookie.com/embed/x"
    )


def build(site: Site) -> tuple[int, str]:
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    result = CliRunner().invoke(cli, arguments)
    return result.exit_code, result.output


def test_allow_iframes_from_config_yaml(site: Site) -> None:
    site.write(
        "science/embed.md",
        "---\ntitle: Watch the launch\ndate: 2026-11-25T10:00:00Z\ncategory: Science\n---\n"
        f'<iframe src="{EMBED}" width="560" height="315"></iframe>\n',
    )
    assert build(site)[0] == 0
    assert EMBED.encode() not in snapshot(site.output)["feeds/all.rss.xml"]
    site.settings["html"] = {"allow_iframes": ["WWW.YouTube-nocookie.com"]}
    site.save_config()
    code, output = build(site)
    assert code == 0, output
    assert EMBED.encode() in snapshot(site.output)["feeds/all.rss.xml"]


@pytest.mark.parametrize(
    "value", [["https://www.youtube.com/"], ["*.youtube.com"], ["youtube.com:443"], "x.org"]
)
def test_a_bad_allow_list_exits_2(site: Site, value: object) -> None:
    site.settings["html"] = {"allow_iframes": value}
    site.save_config()
    code, output = build(site)
    assert code == 2
    assert "html.allow_iframes" in output


def test_lint_takes_allowed_embeds_for_no_security_risk() -> None:
    from feeds.lint import lint_feed

    item = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>t</title>'
        "<link>https://n.example/</link><description>d</description><item><title>x</title>"
        "<link>https://n.example/x</link><guid>https://n.example/x</guid>"
        "<description>&lt;iframe src=&quot;{src}&quot;&gt;&lt;/iframe&gt;</description>"
        "</item></channel></rss>\n"
    )
    allowed = item.format(src=EMBED).encode()
    other = item.format(src="https://evil.example/x").encode()
    rules = [f.rule for f in lint_feed(allowed, "f", strict=True, iframe_hosts=HOSTS)]
    assert "SecurityRisk" not in rules
    assert "SecurityRisk" in [f.rule for f in lint_feed(allowed, "f", strict=True)]
    assert "SecurityRisk" in [f.rule for f in lint_feed(other, "f", iframe_hosts=HOSTS)]
