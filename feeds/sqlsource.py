"""The databases of `sources:` (issue 18), opened read-only for one build: each query's rows
streamed as records (`RecordSource`, read by `recordsource`), never fetched all at once.

SQLite through the standard library: the file opened with `mode=ro` (and `query_only`), a
progress handler interrupting a statement that runs over the source's timeout. PostgreSQL
through psycopg 3 (`sqlpostgres`): a read-only transaction with `statement_timeout`.
A source that cannot be opened or read is a `BuildError` naming it: the build publishes
nothing, so every feed stays as it was (exit code 1), never an empty site.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from feeds.config import Config
from feeds.model import RecordSource
from feeds.request import BuildError
from feeds.sqlconfig import FieldMapping, SqlSource
from feeds.sqlpostgres import open_postgres

BATCH = 500  # rows fetched at a time
_KEEP = "nothing was published, so every feed stays as it was"


@contextmanager
def opened_sources(config: Config) -> Iterator[tuple[RecordSource, ...]]:
    """A `RecordSource` per `sources:` entry, its connection open for the `with` block.
    Every source is connected before the first row is read, so an unreachable one stops
    the build before anything else happens."""
    with ExitStack() as stack:
        sources = []
        for source in config.sources:
            rows = stack.enter_context(_rows_of(source))
            sources.append(RecordSource(source.name, rows, source.key))
        yield tuple(sources)


@contextmanager
def _rows_of(source: SqlSource) -> Iterator[Iterator[Mapping[str, object]]]:
    if source.kind == "postgresql":
        with open_postgres(source, BATCH) as batches:
            yield _records(source, batches)
        return
    connection = _connect_sqlite(source)
    try:
        yield _records(source, _sqlite_batches(source, connection))
    finally:
        connection.close()


def _connect_sqlite(source: SqlSource) -> sqlite3.Connection:
    path = Path(source.database)
    if not path.is_file():
        raise BuildError(
            f"source {source.shown}: the database file does not exist; check sources' sql: "
            f"URL ({_KEEP})"
        )
    uri = f"file:{quote(str(path))}?mode=ro"  # SQLite URI filenames: read-only
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=source.timeout)
        connection.execute("PRAGMA query_only = ON")
    except sqlite3.Error as error:
        raise BuildError(f"source {source.shown}: cannot be opened: {error} ({_KEEP})") from None
    return connection


def _sqlite_batches(
    source: SqlSource, connection: sqlite3.Connection
) -> Iterator[list[dict[str, Any]]]:
    """The query's rows, `BATCH` at a time; each step of the statement is interrupted once it
    runs `source.timeout` seconds (the clock restarts for every batch)."""
    deadline = [time.monotonic() + source.timeout]
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline[0]), 10_000)
    try:
        cursor = connection.execute(source.query)
        columns = [d[0] for d in cursor.description or ()]
        while True:
            deadline[0] = time.monotonic() + source.timeout
            rows = cursor.fetchmany(BATCH)
            if not rows:
                return
            yield [dict(zip(columns, row, strict=True)) for row in rows]
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise BuildError(
                f"source {source.shown}: the query ran over its timeout of {source.timeout} "
                f"seconds and was stopped; make it faster or raise sources' timeout ({_KEEP})"
            ) from None
        raise BuildError(f"source {source.shown}: the query failed: {error} ({_KEEP})") from None
    except sqlite3.Error as error:
        raise BuildError(f"source {source.shown}: cannot be read: {error} ({_KEEP})") from None


def _records(
    source: SqlSource, batches: Iterator[list[dict[str, Any]]]
) -> Iterator[Mapping[str, object]]:
    """Rows as records: columns renamed and split as `fields` says (the others as they are).
    A `fields` column the query does not give is an error (a typo would drop the field)."""
    checked = False
    for batch in batches:
        if not checked and batch:
            checked = True
            missing = [m for m in source.fields if m.column not in batch[0]]
            if missing:
                given = ", ".join(batch[0])
                raise BuildError(
                    f"source {source.shown}: fields.{missing[0].field} is taken from the column "
                    f"{missing[0].column!r}, which the query does not give (it gives {given}); "
                    f"fix the column name or the query ({_KEEP})"
                )
        for row in batch:
            yield mapped(row, source.fields)


def mapped(row: dict[str, Any], fields: tuple[FieldMapping, ...]) -> dict[str, Any]:
    """One row as a record: each field from its column, text split at its separator (empty
    items dropped); the columns no field names keep their names."""
    record = dict(row)
    for mapping in fields:
        if mapping.column in row:
            value = row[mapping.column]
            if mapping.column != mapping.field:
                record.pop(mapping.column, None)
            if mapping.split is not None and isinstance(value, str):
                value = [part.strip() for part in value.split(mapping.split) if part.strip()]
            record[mapping.field] = value
    return record
