"""Lint JSON Feed 1.1 files (https://jsonfeed.org/version/1.1): UTF-8 JSON, the members the
spec requires at the top, in items, authors, attachments and hubs, each member's type, the
version string and RFC 3339 dates. Never raises on any bytes.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from feeds.findings import Finding
from feeds.layout import JSON_FEED_VERSION
from feeds.lint.report import Report

_STR, _LIST, _OBJ, _NUM, _BOOL = "a string", "an array", "an object", "a number", "true or false"
_JSON_TOP = {
    "version": _STR, "title": _STR, "home_page_url": _STR, "feed_url": _STR,
    "description": _STR, "user_comment": _STR, "next_url": _STR, "icon": _STR,
    "favicon": _STR, "author": _OBJ, "authors": _LIST, "language": _STR, "expired": _BOOL,
    "hubs": _LIST, "items": _LIST,
}  # fmt: skip
_JSON_ITEM = {
    "id": _STR, "url": _STR, "external_url": _STR, "title": _STR, "content_html": _STR,
    "content_text": _STR, "summary": _STR, "image": _STR, "banner_image": _STR,
    "date_published": _STR, "date_modified": _STR, "author": _OBJ, "authors": _LIST, "tags": _LIST,
    "language": _STR, "attachments": _LIST,
}  # fmt: skip
_JSON_AUTHOR = {"name": _STR, "url": _STR, "avatar": _STR}
_JSON_ATTACHMENT = {
    "url": _STR, "mime_type": _STR, "title": _STR, "size_in_bytes": _NUM,
    "duration_in_seconds": _NUM,
}  # fmt: skip
_JSON_HUB = {"type": _STR, "url": _STR}
_KINDS: Mapping[str, tuple[type, ...]] = {
    _STR: (str,),
    _LIST: (list,),
    _OBJ: (dict,),
    _NUM: (int, float),
    _BOOL: (bool,),
}


def lint_json_feed(data: bytes, file: str, *, strict: bool = False) -> list[Finding]:
    """All findings for one JSON Feed file: lint mode, or site mode with `strict`."""
    report = Report(file=file, strict=strict)
    document = load_json(data, report)
    if document is not None:
        lint_json_document(document, report)
    return report.findings


def load_json(data: bytes, report: Report) -> Any:
    """The decoded JSON value of `data`, or None (reported) when it is not UTF-8 JSON."""
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        report.add("NotWellFormed", None, f"not UTF-8 (JSON Feed files are UTF-8): {error.reason}")
    except json.JSONDecodeError as error:
        report.add("NotWellFormed", error.lineno, f"not valid JSON: {error.msg}")
    except RecursionError:
        report.add("NotWellFormed", None, "not readable JSON: nested too deeply (a feed is flat)")
    except ValueError:  # Python's bound on the digits of an integer (CVE-2020-10735)
        report.add("NotWellFormed", None, "not readable JSON: a number with over 4,300 digits")
    return None


def lint_json_document(document: object, report: Report) -> bool:
    """Report what JSON Feed 1.1 refuses in a decoded document; False when it is not even an
    object (nothing more can be read from it)."""
    if not _json_object(document, _JSON_TOP, "feed", report):
        return False
    assert isinstance(document, dict)
    if document.get("version") != JSON_FEED_VERSION:
        report.add(
            "JsonFeedBadVersion",
            None,
            f"`version` must be {JSON_FEED_VERSION!r}",
            field="version",
            expected=JSON_FEED_VERSION,
            found=str(document.get("version")),
        )
    for key in ("version", "title", "items"):  # JSON Feed 1.1: required at the top
        if key not in document:
            report.add("JsonFeedMissingField", None, f"the feed has no `{key}`", field=key)
    _json_list(document, "authors", _JSON_AUTHOR, "feed", report)
    if isinstance(document.get("author"), dict):  # JSON Feed 1.0, still allowed in 1.1
        _json_object(document["author"], _JSON_AUTHOR, "feed.author", report)
    _json_list(document, "hubs", _JSON_HUB, "feed", report, required=("type", "url"))
    items = document.get("items")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if _json_object(item, _JSON_ITEM, f"items[{index}]", report):
            _lint_item(item, f"items[{index}]", report)
    return True


def _lint_item(item: dict[str, Any], where: str, report: Report) -> None:
    entry = text_member(item, "id")
    if "id" not in item:
        report.add("JsonFeedMissingField", None, f"{where} has no `id`", field="id")
    if "content_html" not in item and "content_text" not in item:
        report.add(
            "JsonFeedMissingField",
            None,
            f"{where} has neither `content_html` nor `content_text` (one is required)",
            entry=entry,
            field="content_html",
        )
    _json_list(item, "authors", _JSON_AUTHOR, where, report)
    if isinstance(item.get("author"), dict):
        _json_object(item["author"], _JSON_AUTHOR, f"{where}.author", report)
    _json_list(item, "attachments", _JSON_ATTACHMENT, where, report, required=("url", "mime_type"))
    tags = item["tags"] if isinstance(item.get("tags"), list) else []
    if not all(isinstance(tag, str) for tag in tags):
        report.add(
            "JsonFeedWrongType",
            None,
            f"{where}.tags must hold strings only",
            entry=entry,
            field="tags",
        )
    for key in ("date_published", "date_modified"):
        value = item.get(key)
        if isinstance(value, str) and rfc3339_seconds(value) is None:
            report.add(
                "JsonFeedBadDate",
                None,
                f"{where}.{key} is not an RFC 3339 date-time",
                entry=entry,
                field=key,
                found=value,
            )


def _json_object(value: object, fields: Mapping[str, str], where: str, report: Report) -> bool:
    if not isinstance(value, dict):
        report.add("JsonFeedWrongType", None, f"{where} must be an object")
        return False
    for key, kind in fields.items():
        if key in value and not _is(value[key], kind):
            report.add(
                "JsonFeedWrongType",
                None,
                f"{where}.{key} must be {kind}",
                field=key,
                entry=text_member(value, "id") if where != "feed" else None,
            )
    return True


def _json_list(
    parent: dict[str, Any],
    key: str,
    fields: Mapping[str, str],
    where: str,
    report: Report,
    required: tuple[str, ...] = (),
) -> None:
    value = parent.get(key)
    for index, element in enumerate(value if isinstance(value, list) else []):
        place = f"{where}.{key}[{index}]"
        if _json_object(element, fields, place, report):
            for name in required:
                if name not in element:
                    report.add("JsonFeedMissingField", None, f"{place} has no `{name}`", field=name)


def _is(value: object, kind: str) -> bool:
    if kind != _BOOL and isinstance(value, bool):
        return False
    return isinstance(value, _KINDS[kind])


def text_member(parent: dict[str, Any], key: str) -> str | None:
    """A string member; a member of another type is reported by the lint."""
    value = parent.get(key)
    return value if isinstance(value, str) else None


def object_members(parent: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The objects in an array member (anything else in it is reported by the lint)."""
    value = parent.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


# RFC 3339 §5.6 date-time: a full date, a time with seconds and an offset (or Z).
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def rfc3339_seconds(value: str) -> int | None:
    """Unix seconds of an RFC 3339 date-time, or None when `value` is not one."""
    if _RFC3339.fullmatch(value):
        with contextlib.suppress(ValueError, OverflowError):  # e.g. 30 February
            return int(datetime.fromisoformat(value.upper()).timestamp())
    return None
