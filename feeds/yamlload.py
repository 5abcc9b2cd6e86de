"""YAML through PyYAML's safe loaders only: libyaml's CSafeLoader when present (about ten
times faster per front-matter block), else the pure-Python SafeLoader. Never a full loader,
so tags like `!!python/object` are refused rather than constructed."""

from __future__ import annotations

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader  # type: ignore[assignment]


class YamlError(ValueError):
    """The text is not YAML a safe loader accepts; the message names the line."""


def load_yaml(text: str) -> object:
    """Parse one YAML document with a safe loader, or raise `YamlError`."""
    try:
        return yaml.load(text, Loader=SafeLoader)  # safe loaders only
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise YamlError(f"{where}{error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise YamlError(str(error).splitlines()[0]) from None
    except RecursionError:
        raise YamlError("nested too deeply") from None
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        # the safe constructors raise these for e.g. `2021-02-30`, `!!int abc`, `!!bool maybe`
        detail = str(error) if isinstance(error, ValueError) else f"bad value {error}"
        raise YamlError(f"a value cannot be read: {detail}") from None
