"""PostgreSQL sources through psycopg 3 (issue 18): one connection per build, a read-only
transaction (`SET TRANSACTION READ ONLY`) with `statement_timeout`, rows streamed through a
server-side cursor `batch` at a time. The password comes from the environment (PGPASSWORD,
~/.pgpass), never from config.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from feeds.request import BuildError
from feeds.sqlconfig import SqlSource

_KEEP = "nothing was published, so every feed stays as it was"


@contextmanager
def open_postgres(source: SqlSource, batch: int) -> Iterator[Iterator[list[dict[str, Any]]]]:
    """The query's rows in batches of dicts, on a connection open for the `with` block."""
    try:
        import psycopg
        from psycopg.rows import dict_row
    except ImportError:
        raise BuildError(
            f"source {source.shown}: PostgreSQL sources need psycopg 3: pip install "
            f"'psycopg>=3.1' (or feeds[postgresql]) ({_KEEP})"
        ) from None
    try:
        connection = psycopg.connect(
            source.database, connect_timeout=min(source.timeout, 60), row_factory=dict_row
        )
    except psycopg.Error as error:
        raise BuildError(
            f"source {source.shown}: cannot connect: {_first_line(error)} ({_KEEP})"
        ) from None
    try:
        yield _batches(source, connection, batch)
    finally:
        connection.close()


def _batches(source: SqlSource, connection: Any, batch: int) -> Iterator[list[dict[str, Any]]]:
    import psycopg

    try:
        with connection.transaction():
            connection.execute("SET TRANSACTION READ ONLY")
            # milliseconds; SET takes no parameters, and the value is a checked whole number
            connection.execute(f"SET LOCAL statement_timeout = {int(source.timeout) * 1000}")
            with connection.cursor(name="feeds_source") as cursor:  # server-side: streamed
                cursor.execute(source.query)
                while rows := cursor.fetchmany(batch):
                    yield list(rows)
    except psycopg.errors.QueryCanceled:
        raise BuildError(
            f"source {source.shown}: the query ran over its timeout of {source.timeout} "
            f"seconds and was stopped; make it faster or raise sources' timeout ({_KEEP})"
        ) from None
    except psycopg.Error as error:
        raise BuildError(
            f"source {source.shown}: the query failed: {_first_line(error)} ({_KEEP})"
        ) from None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.split("\n", 1)[0] if text else type(error).__name__
