"""`sources:` in the config (issue 18): SQL queries whose rows are articles, each checked when
the config is read. Credentials never live in config.yaml: a password in a URL is refused
(PostgreSQL takes it from the environment: PGPASSWORD or ~/.pgpass)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from feeds.configvalues import ConfigError, int_value, mapping_value, string_value

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SCHEMES = ("sqlite", "postgresql", "postgres")
DEFAULT_TIMEOUT = 30  # seconds a statement (or one batch of rows) may run


@dataclass(frozen=True, slots=True)
class FieldMapping:
    """Where one record field comes from: `column` (default: the field's own name), and
    `split`: a separator that makes a text value a list (categories, tags)."""

    field: str
    column: str
    split: str | None = None


@dataclass(frozen=True, slots=True)
class SqlSource:
    """One `sources:` entry. `database` is the SQLite file (absolute) or the PostgreSQL URL
    without a password; `kind` is `sqlite` or `postgresql`."""

    name: str
    kind: str
    database: str
    query: str
    key: str = "id"
    fields: tuple[FieldMapping, ...] = ()
    timeout: int = DEFAULT_TIMEOUT

    @property
    def shown(self) -> str:
        """The source as messages name it: `cms (sqlite cms.db)`."""
        return f"{self.name} ({self.kind} {self.database})"


def parse_sources(value: object, base_dir: Path) -> tuple[SqlSource, ...]:
    """The `sources:` list (empty when absent), or ConfigError naming the key."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError("sources", None, "must be a list of sources (- sql: ..., query: ...)")
    sources = tuple(_source(f"sources[{i}]", item, base_dir) for i, item in enumerate(value))
    names = [s.name for s in sources]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ConfigError(
                f"sources[{i}].name", name, "is the name of another source; give each its own"
            )
    return sources


def _source(where: str, item: object, base_dir: Path) -> SqlSource:
    keys = {"name", "sql", "query", "key", "fields", "timeout"}
    entry = mapping_value(where, item, keys)
    for required in ("sql", "query"):
        if entry.get(required) is None:
            raise ConfigError(f"{where}.{required}", None, "is required")
    url = string_value(f"{where}.sql", entry["sql"], required=True).strip()
    kind, database, default_name = _database(f"{where}.sql", url, base_dir)
    name = string_value(f"{where}.name", entry.get("name", default_name), required=True)
    if not _NAME.match(name):
        raise ConfigError(
            f"{where}.name",
            name,
            "must be letters, digits, '-' or '_' (it names the source in messages)",
        )
    query = string_value(f"{where}.query", entry["query"], required=True)
    key = string_value(f"{where}.key", entry.get("key", "id"), required=True)
    timeout = int_value(
        f"{where}.timeout", entry.get("timeout", DEFAULT_TIMEOUT), minimum=1, maximum=3600
    )
    fields = tuple(
        _mapping(f"{where}.fields.{field}", field, spec)
        for field, spec in mapping_value(f"{where}.fields", entry.get("fields", {}), None).items()
    )
    return SqlSource(name, kind, database, query, key, fields, timeout)


def _database(where: str, url: str, base_dir: Path) -> tuple[str, str, str]:
    """(kind, database, default name) of a `sql:` URL."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError as error:
        raise ConfigError(where, url, f"is not a database URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise ConfigError(
            where, url, "must start with sqlite:/// (a file) or postgresql:// (a server)"
        )
    if password is not None:
        raise ConfigError(
            where,
            url.replace(password, "***"),
            "holds a password; never write one in config.yaml: give it in the environment "
            "(PGPASSWORD) or in ~/.pgpass, and write the URL without it",
        )
    if scheme == "sqlite":
        if parts.netloc or not parts.path.startswith("/") or len(parts.path) < 2:
            raise ConfigError(
                where,
                url,
                "must be sqlite:///FILE (relative to the config file) or sqlite:////ABSOLUTE/FILE",
            )
        path = Path(unquote(parts.path[1:]))
        resolved = path if path.is_absolute() else base_dir / path
        return "sqlite", str(resolved), resolved.stem
    return "postgresql", url, (parts.path.strip("/") or "postgresql")


def _mapping(where: str, field: str, spec: object) -> FieldMapping:
    if isinstance(spec, str):
        return FieldMapping(field, string_value(where, spec, required=True))
    entry = mapping_value(where, spec, {"from", "split"})
    column = string_value(f"{where}.from", entry.get("from", field), required=True)
    split = entry.get("split")
    if split is not None:
        split = string_value(f"{where}.split", split, required=True)
    return FieldMapping(field, column, split)
