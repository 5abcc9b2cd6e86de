"""Normalisation and rendering agree (issue 12): an id, link, image or enclosure value the
reader accepts always renders to feeds that validate. Generated values aim at what URL and IRI
rules forbid (braces, pipes, backslashes, spaces, percent signs, brackets, non-ASCII, huge
lengths); each example is a real build whose feeds are then checked in site mode.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from test_properties import PROFILE, build_and_validate, front_matter, site

from feeds.model import Level

PREFIXES = [
    "", "urn:uuid:", "urn:uuid:{", "tag:example.org,2021:", "https://example.org/",
    "http://", "https://", "urn:", "mailto:", "ftp://example.org/", "post-", "//example.org/",
    "/images/", "../", "?", "#", "https://[::1]/", "https://ex ample.org/", "javascript:",
]  # fmt: skip
PIECES = [
    *"{}|\\^`<>\"' %#?[]@:/.;=&+~!$()*,", "%7B", "%zz", "é", "\u00a0", "\u200b", "\u3000",
    "日本", "🙂", "\ufffd", "6B29FC40-CA47-1067-B31D-00DD010662DA", "}", "abc", "123",
]  # fmt: skip
value = st.builds(
    lambda prefix, rest: prefix + "".join(rest),
    st.sampled_from(PREFIXES),
    st.lists(st.sampled_from(PIECES), max_size=8),
)
length = st.one_of(st.integers(0, 2**64), st.sampled_from([2**63 - 1, 2**63, 10**30]))


@PROFILE
@given(ids=st.lists(value, min_size=1, max_size=3), link=value, image=value, url=value, size=length)
def test_whatever_values_the_reader_accepts_render_to_valid_feeds(
    ids: list[str], link: str, image: str, url: str, size: int
) -> None:
    files = {}
    for n, article_id in enumerate(ids):
        fields: dict[str, object] = {
            "title": f"Values {n}",
            "date": "2021-03-23T10:00:00+01:00",
            "category": "Phones",
            "slug": f"v{n}",
            "id": article_id,
        }
        if n == 0:
            fields.update(link=link, image=image)
            fields["enclosure"] = {"url": url, "type": "audio/mpeg", "length": size}
        files[f"v{n}.md"] = f"---\n{front_matter(fields)}---\nBody.\n".encode()
    with site(files) as config_path:
        report, entries = build_and_validate(config_path)  # asserts every feed validates
    errors = [p for p in report.problems if p.level is Level.ERROR]
    for n in range(len(ids)):  # published, or refused by an error that names it
        source = f"content/v{n}.md"
        named = any(p.source == source or source in p.message for p in errors)
        assert (f"Values {n}" in entries.values()) != named, (n, report.problems)
