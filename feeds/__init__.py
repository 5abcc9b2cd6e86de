"""feeds: publish per-category RSS 2.0, Atom 1.0 and JSON Feed files from article records."""

__version__ = "0.1.0"
