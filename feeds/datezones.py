"""The time zones a date may name: abbreviations with their fixed offsets, the names refused
as ambiguous, and the range an offset may take.
"""

from __future__ import annotations

from datetime import timedelta

MAX_OFFSET = timedelta(hours=18)  # the range ISO 8601 / java.time allow; real zones use -12..+14

# Fixed offsets in minutes. EST..PDT are RFC 822 §5.1's North American zones (so CST is
# Central, -06:00, not China). A name means its fixed offset whatever the date, as in RFC 822.
ZONES: dict[str, int] = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0,
    "WET": 0, "WEST": 60, "BST": 60,  # British Summer Time
    "CET": 60, "CEST": 120, "MET": 60, "MEST": 120,
    "EET": 120, "EEST": 180, "MSK": 180,
    "WAT": 60, "CAT": 120, "SAST": 120, "EAT": 180,
    "PKT": 300, "HKT": 480, "SGT": 480, "AWST": 480, "JST": 540, "KST": 540,
    "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780,
    "NST": -210, "NDT": -150, "ADT": -180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600,
}  # fmt: skip
# Names used for several zones: refused rather than guessed.
AMBIGUOUS_ZONES: dict[str, str] = {
    "IST": "India +05:30, Ireland +01:00 or Israel +02:00",
    "AST": "Atlantic -04:00 or Arabia +03:00",
}
