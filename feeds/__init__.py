"""feeds: publish per-category RSS 2.0, Atom 1.0 and JSON Feed files from article records.

The library's front door is `feeds.build_site(config, now=..., records=...)` (README "Python
API"); it is `feeds.build.build_site`, imported on first use so that importing any module of
feeds does not import the whole build.
"""

from typing import TYPE_CHECKING

from feeds.version import __version__

if TYPE_CHECKING:
    from feeds.build import BuildReport, RecordSource, build_site, validate_site

__all__ = ["BuildReport", "RecordSource", "__version__", "build_site", "validate_site"]
_FRONT_DOOR = frozenset({"BuildReport", "RecordSource", "build_site", "validate_site"})


def __getattr__(name: str) -> object:  # PEP 562
    if name in _FRONT_DOOR:
        from feeds import build

        return getattr(build, name)
    raise AttributeError(f"module 'feeds' has no attribute {name!r}")
