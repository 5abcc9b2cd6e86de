"""`text.drop_lines`: the user's line patterns, compiled with RE2 so that matching takes time
linear in the line whatever the pattern (`^(a+)+$` cannot backtrack). RE2 syntax is Python's
without backreferences and look-around; `\\z` ends the text (Python's `\\Z`); `\\s` and `\\d`
are ASCII classes.
"""

from __future__ import annotations

import functools
from typing import Protocol

import re2


class LinePattern(Protocol):
    """What a compiled pattern offers: `search`, true when it matches anywhere in the line."""

    def search(self, text: str) -> object | None: ...


_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the error comes back to the caller, not on stderr


def pattern_error(pattern: str) -> str | None:
    """Why `pattern` is not a usable drop pattern (RE2 syntax), or None when it is."""
    try:
        re2.compile(pattern, _OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        return (
            f"is not a regular expression RE2 accepts ({reason}); drop patterns use RE2 "
            "syntax: no backreferences or look-around, \\z for the end of the line"
        )
    return None


@functools.lru_cache(maxsize=64)
def compile_drop_lines(patterns: tuple[str, ...]) -> tuple[LinePattern, ...]:
    """The patterns compiled, once per tuple; ValueError names the first bad one."""
    compiled: list[LinePattern] = []
    for pattern in patterns:
        error = pattern_error(pattern)
        if error is not None:
            raise ValueError(f"text.drop_lines: {pattern!r} {error}")
        compiled.append(re2.compile(pattern, _OPTIONS))
    return tuple(compiled)
