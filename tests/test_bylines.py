"""Several authors per article (issue 16): `author:` a list or `authors:`, read in byline order."""

from __future__ import annotations

from feeds.model import Author, Level, Problem
from tests.test_normalise import normalise, refused


def test_author_list_keeps_byline_order() -> None:
    article, warnings = normalise(
        author=["Ada Lovelace", {"name": "Bob Example", "email": "bob@example.org"}]
    )
    assert warnings == ()
    assert article.authors == (Author("Ada Lovelace"), Author("Bob Example", "bob@example.org"))


def test_authors_key_is_the_same_as_an_author_list() -> None:
    article, _ = normalise(authors=[{"name": "Bob Example"}, "Ada Lovelace"])
    assert article.authors == (Author("Bob Example"), Author("Ada Lovelace"))


def test_authors_as_one_text_is_one_author() -> None:
    # A name may hold a comma ("Lovelace, Ada"), so text is never split.
    assert normalise(authors="Lovelace, Ada")[0].authors == (Author("Lovelace, Ada"),)


def test_a_name_given_twice_is_kept_once_as_first_written() -> None:
    article, _ = normalise(author=[{"name": "Ada", "email": "ada@example.org"}, "ADA", "Bob"])
    assert article.authors == (Author("Ada", "ada@example.org"), Author("Bob"))


def test_empty_entries_are_warnings_and_dropped() -> None:
    article, warnings = normalise(author=["Ada", "  "])
    assert article.authors == (Author("Ada"),)
    assert warnings == (
        Problem(
            "content/a.md", "author[2]", "  ", "is empty; the site's author is used", Level.WARNING
        ),
    )


def test_author_and_authors_together_are_refused() -> None:
    problem = refused(author="Ada", authors=["Bob"])
    assert (problem.field, problem.value) == ("authors", "(a list of 1 items)")
    assert problem.message.startswith("is given beside author; write the byline once")


def test_a_bad_email_in_the_list_names_its_position() -> None:
    problem = refused(authors=["Ada", {"name": "Bob", "email": "bob at example"}])
    assert problem == Problem(
        "content/a.md",
        "authors[2].email",
        "bob at example",
        "is not an email address; write it as name@example.org, or leave it out",
    )


def test_a_list_inside_the_list_is_refused() -> None:
    problem = refused(author=["Ada", ["Bob"]])
    assert (problem.field, problem.value) == ("author[2]", "(a list of 1 items)")


def test_more_than_twenty_authors_are_refused() -> None:
    problem = refused(authors=[f"Author {n}" for n in range(21)])
    assert (problem.field, problem.value) == ("authors", "(a list of 21 items)")
    assert "has 21 authors; an article has at most 20" in problem.message


def test_a_long_name_in_the_list_is_refused() -> None:
    problem = refused(author=["Ada", {"name": "x" * 501}])
    assert problem.field == "author[2].name"
    assert "at most 500 are allowed" in problem.message
