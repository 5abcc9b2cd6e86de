"""YAML through PyYAML's safe loaders only: libyaml's CSafeLoader when present (about ten
times faster per front-matter block), else the pure-Python SafeLoader. Never a full loader,
so tags like `!!python/object` are refused rather than constructed. Front matter of the
commonest shape is read without composing nodes (`yamlfast`), to the same values."""

from __future__ import annotations

import re

import yaml

from feeds.yamlfast import UNSURE, SimpleReader

try:
    from yaml import CSafeLoader as _SafeBase
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _SafeBase  # type: ignore[assignment]

_BOOL_TAG = "tag:yaml.org,2002:bool"
# YAML 1.2 core schema (spec 10.3.2): only true/false, in three spellings, are booleans
_CORE_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class SafeLoader(_SafeBase):
    """A safe loader with YAML 1.2 core booleans (`yes`, `no`, `on`, `off`, `y`, `n` stay
    text) that refuses duplicate mapping keys (YAML 1.2 spec 3.2.1.1: keys are unique)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        lines: dict[tuple[type, object], int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<` merges may be overridden by the mapping's own keys
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                continue  # the base constructor reports unhashable keys
            line, seen = key_node.start_mark.line + 1, (type(key), key)  # true is not 1
            if seen in lines:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} on lines {lines[seen]} and {line}",
                    key_node.start_mark,
                )
            lines[seen] = line
        return super().construct_mapping(node, deep=deep)


# a copy of the inherited resolvers without the YAML 1.1 bool, then the core-schema one
SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
    for first, resolvers in _SafeBase.yaml_implicit_resolvers.items()
}
SafeLoader.add_implicit_resolver(_BOOL_TAG, _CORE_BOOL, list("tTfF"))


class YamlError(ValueError):
    """The text is not YAML a safe loader accepts; the message names the line."""


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))


class _NotPlain(Exception):
    """A node `_plain` leaves to PyYAML's constructor."""


def _plain(loader: SafeLoader, node: yaml.Node, seen: set[int]) -> object:
    """`node` as PyYAML's constructor makes it, for documents of str/seq/map nodes and
    scalars with a safe constructor: a merge key (its tag is none of those), a collection
    reached twice through an alias or a duplicate key raises `_NotPlain`. Speed (issue 14):
    the constructor's generators and its second pass over the keys were half of reading
    front matter."""
    tag, kind = node.tag, type(node)
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag not in _SCALAR_TAGS:
            raise _NotPlain
        return loader.yaml_constructors[tag](loader, node)
    if id(node) in seen:  # an alias: the constructor shares one object (and stops loops)
        raise _NotPlain
    seen.add(id(node))
    if tag == _SEQ and kind is yaml.SequenceNode:
        return [_plain(loader, item, seen) for item in node.value]
    if tag != _MAP or kind is not yaml.MappingNode:
        raise _NotPlain
    mapping: dict[object, object] = {}
    for key_node, value_node in node.value:
        key = _plain(loader, key_node, seen)
        if type(key) not in _KEY_TYPES or key in mapping:
            raise _NotPlain  # unhashable, a duplicate, or `1` after `true`: as the constructor
        mapping[key] = _plain(loader, value_node, seen)
    return mapping


_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "binary", "timestamp")
)
_KEY_TYPES = frozenset({str, int, float, bool})
# a value the safe constructors refuse is refused by them again, with their own message
_NOT_PLAIN = (
    _NotPlain,
    RecursionError,
    yaml.YAMLError,
    ValueError,
    TypeError,
    KeyError,
    OverflowError,
    IndexError,
    AttributeError,
)


# front matter of the commonest shape, its plain scalars made by this loader's resolver and
# constructors (the loader reads no stream)
_read_simple = SimpleReader(SafeLoader(""))


def _load(text: str) -> object:
    """What `yaml.load(text, Loader=SafeLoader)` gives: through `yamlfast`, else `_plain`,
    when they can."""
    simple = _read_simple(text)
    if simple is not UNSURE:
        return simple
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain(loader, node, set())
        except _NOT_PLAIN:
            return loader.construct_document(node)  # its result, or its own error
    finally:
        loader.dispose()


def load_yaml(text: str) -> object:
    """Parse one YAML document with a safe loader, or raise `YamlError`."""
    try:
        return _load(text)  # safe loaders only
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = error.problem or error.context or "not valid YAML"
        if problem.startswith("mapping values are not allowed"):
            # an unquoted `: ` inside a value, e.g. `title: Note: read this`
            problem += (
                "; quote a value containing ': ', e.g. title: 'Note: read this', "
                "or fix the indentation"
            )
        raise YamlError(f"{where}{problem}") from None
    except yaml.YAMLError as error:
        raise YamlError(str(error).splitlines()[0]) from None
    except RecursionError:
        raise YamlError("nested too deeply") from None
    except (IndexError, AttributeError):
        # PyYAML's constructors fail this way on an explicit tag over text it cannot read:
        # `!!int ''`, `!!float ''`, `!!timestamp 2021-01-01 25:00` (PyYAML 6.0)
        raise YamlError(f"a value cannot be read as its tag says: {_TAGGED}") from None
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        # the safe constructors raise these for e.g. `2021-02-30`, `!!int abc`, `!!bool maybe`
        detail = str(error) if isinstance(error, ValueError) else f"bad value {error}"
        raise YamlError(f"a value cannot be read: {detail}") from None


_TAGGED = "remove the tag (such as !!int or !!timestamp) or write a value that fits it"
