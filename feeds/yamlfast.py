"""Front matter of the commonest shape read line by line, without composing YAML nodes: a block
mapping of plain keys whose values are one-line scalars, flow lists or flow mappings of
scalars, block lists of scalars, or one nested mapping of those. Anything else, and anything
PyYAML could read differently (tabs, other line breaks, comments after a value, anchors, tags,
multi-line scalars, escapes, duplicate keys), gives `UNSURE` and is left to PyYAML.

Plain scalars are resolved and constructed by the very resolver and constructors of the safe
loader (`yamlload.SafeLoader`), so a value is what PyYAML gives (YAML 1.1 types, with YAML
1.2 core booleans). Speed (issue 14): libyaml's composer made three Python objects a scalar
(its node and two marks); front matter was a third of reading a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import yaml

UNSURE = object()  # not of the shape read here: ask PyYAML

# Characters libyaml takes as they are (YAML 1.1 spec 5.1 printable, less BOM, tab, CR and
# the other line breaks, which this reader does not follow): anything else is PyYAML's.
_OTHER_CHARACTERS = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# keys well under libyaml's 1,024 characters for a simple key
_KEY = r"([A-Za-z_][A-Za-z0-9_-]{0,127})"
_KEY_LINE = re.compile(_KEY + r":(?: +(.*))?")
_ITEM_LINE = re.compile(r"( *)- +(.*)")
_INDENTED_KEY = re.compile(r"( +)" + _KEY + r":(?: +(.*))?")
# YAML 1.1 spec 5.3: indicators; a plain scalar starting with one is left to PyYAML
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_ITEM = re.compile(
    r' *(?:"([^"\\]*)"|\'([^\']*)\'|([^ ,\[\]{}#:"\'][^,\[\]{}#:"\']*?)) *([,\]}]|: )'
)
_STR = "tag:yaml.org,2002:str"
_CONSTRUCTED = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")
)


class ScalarLoader(Protocol):
    """What makes plain scalars: a PyYAML loader's resolver and constructors."""

    @property
    def yaml_constructors(self) -> Mapping[str | None, Any]: ...

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str: ...


class _Unsure(Exception):
    """The text is not of the shape read here."""


Resolve = Callable[[str], object]


class SimpleReader:
    """`reader(text)`: what PyYAML's loader gives for `text`, or `UNSURE`. `loader` is an
    instance of that safe loader, whose resolver and constructors make the plain scalars;
    each plain scalar's value is made once (they are immutable: text, numbers, dates, null),
    for up to `KNOWN_UP_TO` of them (a value that cannot be made is tried again each time)."""

    KNOWN_UP_TO = 50_000

    def __init__(self, loader: ScalarLoader) -> None:
        self._plain = functools.lru_cache(maxsize=self.KNOWN_UP_TO)(
            functools.partial(_plain, loader=loader)
        )

    def __call__(self, text: str) -> object:
        if _OTHER_CHARACTERS.search(text):
            return UNSURE
        try:
            return _document(text.split("\n"), self._plain)
        except Exception:  # _Unsure, or anything unforeseen: PyYAML decides
            return UNSURE


def _document(lines: list[str], plain: Resolve) -> object:
    mapping: dict[object, object] = {}
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        index += 1
        if not line or line[0] == "#":
            continue
        match = _KEY_LINE.fullmatch(line)
        if match is None:
            raise _Unsure
        key, value = _key(match.group(1), plain, mapping), match.group(2)
        if value:
            mapping[key] = _value(value, plain)
            continue
        block, index = _block(lines, index)
        mapping[key] = _nested(block, plain)
    return mapping if mapping else None


def _key(text: str, plain: Resolve, mapping: dict[object, object]) -> str:
    key = plain(text)
    if not isinstance(key, str) or key in mapping:
        raise _Unsure  # a null or boolean key, `<<`, or a duplicate: PyYAML's to judge
    return key


def _block(lines: list[str], index: int) -> tuple[list[str], int]:
    """The lines of the value below a `key:` line: the items (`- `) or indented lines that
    follow, up to the next line at the left margin that is not an item."""
    block: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line and line[0] != " " and not line.startswith("- "):
            break
        if line.strip(" "):
            block.append(line)
        elif line:  # spaces only: PyYAML's
            raise _Unsure
        index += 1
    return block, index


def _nested(block: list[str], plain: Resolve) -> object:
    """A `key:` line's value: nothing (null), a block list of scalars, or one mapping of
    keys at one indentation."""
    if not block:
        return None
    if _ITEM_LINE.fullmatch(block[0]):
        return _items(block, plain)
    indent = len(block[0]) - len(block[0].lstrip(" "))
    mapping: dict[object, object] = {}
    for line in block:
        match = _INDENTED_KEY.fullmatch(line)
        if match is None or len(match.group(1)) != indent or not match.group(3):
            raise _Unsure
        mapping[_key(match.group(2), plain, mapping)] = _value(match.group(3), plain)
    return mapping


def _items(block: list[str], plain: Resolve) -> list[object]:
    items: list[object] = []
    indent = None
    for line in block:
        match = _ITEM_LINE.fullmatch(line)
        if match is None or indent not in (None, match.group(1)):
            raise _Unsure
        indent = match.group(1)
        text = match.group(2)
        if text[:1] in ("[", "{"):
            raise _Unsure
        items.append(_value(text, plain))
    return items


def _value(text: str, plain: Resolve) -> object:
    """A one-line value after `key: ` or `- `: a quoted or plain scalar, or a flow list or
    mapping of scalars on this line."""
    text = text.rstrip(" ")
    if not text:
        raise _Unsure
    first = text[0]
    if first == '"':
        if text[-1] != '"' or len(text) < 2 or '"' in text[1:-1] or "\\" in text:
            raise _Unsure
        return text[1:-1]
    if first == "'":
        if text[-1] != "'" or len(text) < 2 or "'" in text[1:-1]:
            raise _Unsure
        return text[1:-1]
    if first == "[" or first == "{":
        return _flow(text, plain)
    if first in _INDICATORS or ": " in text or " #" in text or text[-1] == ":":
        raise _Unsure
    return plain(text)


def _flow(text: str, plain: Resolve) -> object:
    """`[a, "b"]` or `{k: v, k2: 'w'}`: scalars only, each item ending at `,` or the close."""
    close = "]" if text[0] == "[" else "}"
    if text[-1] != close:
        raise _Unsure
    scalars: list[object] = []
    separators: list[str] = []
    position, end = 1, len(text)
    if text[1:-1].strip(" ") == "":
        return [] if close == "]" else {}
    while position < end:
        match = _FLOW_ITEM.match(text, position)
        if match is None:
            raise _Unsure
        double, single, bare, separator = match.groups()
        if bare is not None and bare[0] in _INDICATORS:
            raise _Unsure
        scalars.append(double if double is not None else single if single is not None
                       else plain(bare))  # fmt: skip
        separators.append(separator)
        position = match.end()
    return _flow_value(scalars, separators, close)


def _flow_value(scalars: list[object], separators: list[str], close: str) -> object:
    """The list, or the mapping of key, value pairs, when the separators are those of one:
    `a, b]` or `k: v, k2: w}`."""
    if close == "]":
        if separators != [","] * (len(scalars) - 1) + ["]"]:
            raise _Unsure
        return scalars
    if len(scalars) % 2 or separators != [": ", ","] * (len(scalars) // 2 - 1) + [": ", "}"]:
        raise _Unsure
    mapping: dict[object, object] = {}
    for key, value in zip(scalars[0::2], scalars[1::2], strict=True):
        if not isinstance(key, str) or key in mapping or len(key) > 128:
            raise _Unsure  # keys as `_key` takes them, within libyaml's simple-key length
        mapping[key] = value
    return mapping


def _plain(value: str, *, loader: ScalarLoader) -> object:
    """A plain scalar as the loader resolves and constructs it."""
    tag = loader.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    if tag not in _CONSTRUCTED:
        raise _Unsure
    try:
        return loader.yaml_constructors[tag](loader, yaml.ScalarNode(tag, value))
    except (ValueError, TypeError, KeyError, OverflowError, yaml.YAMLError):
        raise _Unsure from None  # PyYAML raises it, with its message
