"""feeds.categories: paths, keys, slugs, aliases and site-wide names."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from factories import raw_site
from hypothesis import given
from hypothesis import strategies as st

from feeds.categories import (
    category_key,
    category_settings,
    check_category_config,
    make_category,
    parse_category_path,
    resolve_categories,
    slugify,
    split_category_path,
)
from feeds.config import CategoryConfig, Config, ConfigError, parse_config
from feeds.model import Article, BodyFormat, Category, Level, Problem

BERLIN = ZoneInfo("Europe/Berlin")


def make_config(categories: dict[str, object] | None = None) -> Config:
    """A small valid config; `categories` is the `categories:` section as YAML would load it."""
    data: dict[str, object] = {"site": raw_site()}
    if categories is not None:
        data["categories"] = categories
    return parse_config(data, Path("/site"))


def make_article(source: str, *paths: str, config: Config | None = None) -> Article:
    """An article filed under `paths`, categories made the way normalisation makes them."""
    config = config or make_config()
    categories = tuple(sorted(make_category(path, config)[0] for path in paths))
    slug = source.rsplit("/", 1)[-1].split(".")[0]
    return Article(
        source=source,
        slug=slug,
        id=f"https://news.example.org/articles/{slug}/",
        link=f"https://news.example.org/articles/{slug}/",
        title=slug,
        published=datetime(2021, 1, 8, 14, 30, tzinfo=BERLIN),
        updated=datetime(2021, 1, 8, 14, 30, tzinfo=BERLIN),
        categories=categories,
        body="",
        body_format=BodyFormat.TEXT,
    )


def labels(articles: tuple[Article, ...]) -> dict[str, list[tuple[str, str]]]:
    return {a.source: [(c.term, c.label) for c in a.categories] for a in articles}


# --- split_category_path ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("Phones", ("Phones",)),
        ("Phones: Accessories", ("Phones", "Accessories")),
        ("  Phones :Mobile   Accessories\t", ("Phones", "Mobile Accessories")),
        ("Cafe\u0301", ("Caf\u00e9",)),  # NFC
        ("../../etc", ("../../etc",)),  # a name like any other; its slug is `etc`
        ("<script>", ("<script>",)),  # plain text, escaped by the XML writer
        ("📱", ("📱",)),  # an emoji alone is a name (Unicode So)
        ("أخبار: تقنية", ("أخبار", "تقنية")),
        ("חדשות", ("חדשות",)),
        ("C++", ("C++",)),
        ("A/B Testing", ("A/B Testing",)),
    ],
)
def test_split_category_path(text: str, levels: tuple[str, ...]) -> None:
    assert split_category_path(text) == levels


def test_split_category_path_reports_what_cleaning_removed() -> None:
    assert parse_category_path("\u202eReviews\u202c: Phones\x00") == (
        ("Reviews", "Phones"),
        (
            "removed 2 bidi embedding/override/isolate control(s) (U+202C, U+202E)",
            "removed 1 control character(s) XML 1.0 cannot carry (U+0000)",
        ),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "",
            "is empty; write a name such as 'Phones' or a path such as 'Phones: Accessories', "
            "or remove the key",
        ),
        (
            "Phones:",
            "has an empty level (nothing between ':' separators); write a name such as "
            "'Phones' or a path such as 'Phones: Accessories'",
        ),
        (
            "Phones:: Cases",
            "has an empty level (nothing between ':' separators); write a name such as "
            "'Phones' or a path such as 'Phones: Accessories'",
        ),
        (
            "---",
            "has a level '---' with no letter, digit or emoji; name the category with words "
            "(':' separates levels)",
        ),
        ("?!", "has a level '?!' with no letter, digit or emoji; name the category with words "
         "(':' separates levels)"),
        ("/", "has a level '/' with no letter, digit or emoji; name the category with words "
         "(':' separates levels)"),
        (".", "has a level '.' with no letter, digit or emoji; name the category with words "
         "(':' separates levels)"),
        ("Phones: ..", "has a level '..' with no letter, digit or emoji; name the category "
         "with words (':' separates levels)"),
        ("\x00\u202e", "is empty; write a name such as 'Phones' or a path such as "
         "'Phones: Accessories', or remove the key"),
        ("a:b:c:d:e:f:g:h:i", "has 9 levels; a category path has at most 8 (':' separates "
         "levels)"),
        ("x" * 1200, "has a level of 1200 characters; a category name has at most 200: "
         "shorten it"),
    ],
)  # fmt: skip
def test_split_category_path_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        split_category_path(text)
    assert str(caught.value) == message


def test_split_category_path_accepts_200_characters_per_level() -> None:
    name = "word " * 39 + "words"  # 200 characters
    assert split_category_path(name) == (name,)


# --- category_key -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", ["Phones", "phones", "PHONES", "  Phones ", "Pho\u200bnes", "\u202ePhones"]
)
def test_category_key_ignores_case_spacing_and_invisible_controls(spelling: str) -> None:
    assert category_key(spelling) == "phones"


def test_category_key_unicode() -> None:
    assert category_key("Caf\u00e9") == category_key("CAFE\u0301") == "caf\u00e9"
    assert category_key("Straße") == category_key("STRASSE") == "strasse"
    assert category_key("Mobile   Phones") == "mobile phones"
    assert category_key("Cafe") != category_key("Café")


# --- slugify ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Phones", "phones"),
        ("Phones & Accessories", "phones-accessories"),
        ("Editor's Picks", "editors-picks"),
        ("Café Crème", "cafe-creme"),
        ("Straße", "strasse"),
        ("Æble", "aeble"),
        ("Øresund", "oresund"),
        ("Łódź", "lodz"),
        ("Open-Source / Linux", "open-source-linux"),
        ("  --Hidden..Name--  ", "hidden-name"),
        ("../../etc", "etc"),
        ("<script>", "script-5b63e5b2"),  # "<" and ">" are symbols (Sm): lost, so hashed
        ("E-Bikes", "e-bikes"),
        ("ﬁnance", "finance"),  # NFKD ligature
        ("C++", "c-cedb1bac"),  # "+" is lost: hash of the key 'c++'
        ("C#", "c-951a4d36"),
        ("C", "c"),
        ("📱", "c-2566561f"),
        ("أخبار", "c-89184791"),
        ("חדשות", "c-fb2b0ec2"),
        ("新闻", "c-d39567b2"),
        ("Phones 📱", "phones-2b4e1f7d"),  # the emoji is lost: it gets a hash too
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_slugify_is_the_same_for_one_key() -> None:
    assert slugify("Mobile Phones") == slugify("  MOBILE   phones") == "mobile-phones"
    assert slugify("📱") == slugify(" 📱 ")


def test_slugify_long_names_are_cut_with_a_hash() -> None:
    long_a = "Very long category name " * 50 + "alpha"
    long_b = "Very long category name " * 50 + "beta"
    slug_a, slug_b = slugify(long_a), slugify(long_b)
    assert len(slug_a) <= 80 and len(slug_b) <= 80
    assert slug_a.startswith("very-long-category-name-very-long-category-name-")
    assert re.fullmatch(r"[a-z0-9-]+-[0-9a-f]{8}", slug_a)
    assert slug_a != slug_b


SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


@given(st.text())
def test_slugify_is_always_a_safe_segment(name: str) -> None:
    slug = slugify(name)
    assert SLUG.match(slug), slug
    assert len(slug) <= 80
    assert slug not in (".", "..")
    assert slugify(category_key(name)) == slug


# --- config: aliases, titles, settings --------------------------------------------------

CONFIG = {
    "Phones": {"description": "Handsets", "aliases": ["Smartphones", "Gadgets: Phones"]},
    "Podcasts": {"title": "The Example Tech Podcast", "aliases": ["Podcast"]},
    "Phones: Accessories": {"description": "Cases", "aliases": ["Zubehör"]},
    "Open Source": {},
}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Smartphones", ("Phones",)),
        ("SMARTPHONES", ("Phones",)),  # aliases match by key
        ("Reviews: Smartphones", ("Reviews", "Phones")),  # a single name renames anywhere
        ("Gadgets: Phones: Cases", ("Phones", "Cases")),  # a path alias replaces the start
        ("Zubehör", ("Phones", "Accessories")),  # alias of a path entry: start of the path
        ("Zubehör: Cases", ("Phones", "Accessories", "Cases")),
        ("Reviews: Zubehör", ("Reviews", "Zubehör")),  # ...only at the start
        ("Podcast", ("Podcasts",)),  # title is applied site-wide, not here
        ("phones", ("phones",)),  # same key as the entry: nothing to rewrite
        ("Other", ("Other",)),
    ],
)
def test_make_category_applies_aliases(text: str, names: tuple[str, ...]) -> None:
    category, warnings = make_category(text, make_config(CONFIG))
    assert category.names == names
    assert warnings == ()


def test_make_category_slugs_per_level() -> None:
    category, _ = make_category("Phones: Accessories", make_config())
    assert category == Category(slugs=("phones", "accessories"), names=())
    assert category.names == ("Phones", "Accessories")


@pytest.mark.parametrize(
    ("categories", "message"),
    [
        (
            {"---": {}},
            "categories.--- '---': has a level '---' with no letter, digit or emoji; name the "
            "category with words (':' separates levels)",
        ),
        (
            {"Phones": {}, "phones": {}},
            "categories.phones 'phones': is the same category as 'Phones'; merge the two",
        ),
        (
            {"Phones": {"aliases": ["Handys"]}, "Mobiles": {"aliases": ["handys"]}},
            "categories.Phones.aliases[0] 'Handys': is also an alias of 'Mobiles'; an alias "
            "can merge into one category",
        ),
        (
            {"Phones": {"aliases": ["Mobiles"]}, "Mobiles": {}},
            "categories.Phones.aliases[0] 'Mobiles': is a category of its own under "
            "categories: ('Mobiles'); keep it as an entry or as an alias, not both",
        ),
        (
            {"Phones": {"aliases": ["?"]}},
            "categories.Phones.aliases[0] '?': has a level '?' with no letter, digit or emoji; "
            "name the category with words (':' separates levels)",
        ),
    ],
)
def test_bad_category_config_is_a_config_error(categories: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_category_config(make_config(categories))
    assert str(caught.value) == message


def test_alias_equal_to_its_own_entry_is_harmless() -> None:
    config = make_config({"Phones": {"aliases": ["phones"]}})
    check_category_config(config)
    assert make_category("PHONES", config)[0].names == ("PHONES",)


def test_category_settings() -> None:
    config = make_config(CONFIG)
    phones = CategoryConfig(description="Handsets", aliases=("Smartphones", "Gadgets: Phones"))
    accessories = CategoryConfig(description="Cases", aliases=("Zubehör",))
    podcasts = CategoryConfig(title="The Example Tech Podcast", aliases=("Podcast",))

    def settings(slugs: tuple[str, ...], names: tuple[str, ...]) -> CategoryConfig | None:
        return category_settings(config, Category(slugs=slugs, names=names))

    assert settings(("phones",), ("Phones",)) == phones
    assert settings(("phones", "accessories"), ("Phones", "Accessories")) == accessories
    assert settings(("reviews", "phones"), ("Reviews", "Phones")) == phones  # last level
    # found by slug, so a display title does not hide the entry
    assert settings(("podcasts",), ("The Example Tech Podcast",)) == podcasts
    assert settings(("open-source",), ("open source",)) == CategoryConfig()
    assert settings(("laptops", "accessories"), ("Laptops", "Accessories")) is None
    assert settings(("other",), ("Other",)) is None


# --- resolve_categories -----------------------------------------------------------------


def test_spellings_merge_to_the_most_used() -> None:
    articles = [
        make_article("content/a.md", "Phones: cases"),
        make_article("content/b.md", "phones: Cases"),
        make_article("content/c.md", "PHONES"),
        make_article("content/d.md", "phones"),
    ]
    resolved, problems = resolve_categories(articles, make_config())
    assert problems == ()
    assert labels(resolved) == {
        "content/a.md": [("phones/cases", "phones / Cases")],
        "content/b.md": [("phones/cases", "phones / Cases")],
        "content/c.md": [("phones", "phones")],
        "content/d.md": [("phones", "phones")],
    }


def test_spelling_ties_pick_the_first_in_code_point_order() -> None:
    one = [make_article("content/a.md", "phones"), make_article("content/b.md", "Phones")]
    resolved, _ = resolve_categories(one, make_config())
    assert {c.label for a in resolved for c in a.categories} == {"Phones"}
    resolved, _ = resolve_categories(list(reversed(one)), make_config())
    assert {c.label for a in resolved for c in a.categories} == {"Phones"}


def test_config_names_win_over_spellings() -> None:
    config = make_config(CONFIG)
    articles = [
        make_article("content/a.md", "smartphones", config=config),
        make_article("content/b.md", "PHONES: zubehör", config=config),
        make_article("content/c.md", "podcast", config=config),
        make_article("content/d.md", "open source", config=config),
    ]
    resolved, problems = resolve_categories(articles, config)
    assert problems == ()
    assert labels(resolved) == {
        "content/a.md": [("phones", "Phones")],
        "content/b.md": [("phones/zubehor", "Phones / zubehör")],
        "content/c.md": [("podcasts", "The Example Tech Podcast")],
        "content/d.md": [("open-source", "Open Source")],
    }


def test_two_names_on_one_slug_are_an_error_and_neither_is_published() -> None:
    articles = [
        make_article("content/b.md", "Café"),
        make_article("content/a.md", "Cafe"),
        make_article("content/c.md", "Cafe"),
        make_article("content/d.md", "Phones"),
        make_article("content/e.md", "Phones", "Café"),
    ]
    resolved, problems = resolve_categories(articles, make_config())
    assert [a.source for a in resolved] == ["content/d.md"]
    assert problems == (
        Problem(
            "content/a.md",
            "category",
            "Cafe",
            "different categories 'Cafe' (in content/a.md and 1 more) and 'Café' (in "
            "content/b.md and 1 more) would share the slug path 'cafe'; rename one, or merge "
            "them by listing one as an alias of the other under categories: in the config; "
            "until then the 4 articles are not published",
            Level.ERROR,
        ),
    )


def test_a_collision_is_reported_once_at_the_level_where_it_happens() -> None:
    articles = [
        make_article("content/a.md", "Tech: Café: News"),
        make_article("content/b.md", "Tech: Cafe: News"),
        make_article("content/c.md", "Tech: Phones"),
    ]
    resolved, problems = resolve_categories(articles, make_config())
    assert [a.source for a in resolved] == ["content/c.md"]
    assert [(p.source, p.value) for p in problems] == [("content/b.md", "Tech: Cafe")]
    assert "would share the slug path 'tech/cafe'" in problems[0].message
    assert "the 2 articles are not published" in problems[0].message


def test_same_slug_under_different_parents_is_no_collision() -> None:
    articles = [
        make_article("content/a.md", "Food: Café"),
        make_article("content/b.md", "Tech: Cafe"),
    ]
    resolved, problems = resolve_categories(articles, make_config())
    assert problems == ()
    assert labels(resolved) == {
        "content/a.md": [("food/cafe", "Food / Café")],
        "content/b.md": [("tech/cafe", "Tech / Cafe")],
    }


def test_hostile_names_get_safe_slugs() -> None:
    articles = [
        make_article("content/a.md", "../../etc"),
        make_article("content/b.md", "<script>"),
        make_article("content/c.md", "📱: أخبار"),
        make_article("content/d.md", "חדשות"),
    ]
    resolved, problems = resolve_categories(articles, make_config())
    assert problems == ()
    assert labels(resolved) == {
        "content/a.md": [("etc", "../../etc")],
        "content/b.md": [("script-5b63e5b2", "<script>")],
        "content/c.md": [("c-2566561f/c-89184791", "📱 / أخبار")],
        "content/d.md": [("c-fb2b0ec2", "חדשות")],
    }


def test_resolve_categories_output_is_sorted_by_source() -> None:
    articles = [make_article(f"content/{n}.md", "Phones") for n in "cab"]
    resolved, _ = resolve_categories(articles, make_config())
    assert [a.source for a in resolved] == ["content/a.md", "content/b.md", "content/c.md"]


NAMES = st.sampled_from(
    ["Phones", "phones", "PHONES", "Café", "Cafe", "cafe", "Tech: Cafe", "tech: café", "📱"]
)


@given(st.lists(st.lists(NAMES, min_size=0, max_size=3), max_size=8), st.randoms())
def test_resolve_categories_does_not_depend_on_input_order(
    filings: list[list[str]], random: object
) -> None:
    articles = [make_article(f"content/{i}.md", *paths) for i, paths in enumerate(filings)]
    shuffled = list(articles)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first = resolve_categories(articles, make_config())
    second = resolve_categories(shuffled, make_config())
    assert first == second
    assert labels(first[0]) == labels(second[0])
