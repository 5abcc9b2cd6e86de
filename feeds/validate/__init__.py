"""The validator: every written feed file read back as a reader does and compared with the
records (`check_file`: lint, then round trip), the published folder checked against the plan
(`check_site`), and any feed file linted (`lint_files`). `feeds.validate.xml_reader` is the
only module that imports feedparser.
"""

from __future__ import annotations

from feeds.validate.check import check_file, check_round_trip
from feeds.validate.site import check_site, content_findings, lint_files
from feeds.validate.xml_reader import memo_key

__all__ = [
    "check_file",
    "check_round_trip",
    "check_site",
    "content_findings",
    "lint_files",
    "memo_key",
]
