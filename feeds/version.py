"""The version of feeds, in one place below every module that writes it: the generator of
every feed (RSS 2.0 `<generator>`, RFC 4287 4.2.4 `atom:generator@version`), the
User-Agent of `feeds validate URL`, the keys of the build cache and the lint memo, and
`feeds --version`. The package's face (`feeds/__init__.py`) hands it on; pyproject.toml
carries the same number."""

__version__ = "0.1.0"
