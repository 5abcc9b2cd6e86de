"""WebSub publishing: tell the hub which feed URLs changed, after they were written.

W3C WebSub §7 leaves the publisher-to-hub ping to the hub; the common form, used here, is a
form-encoded POST of `hub.mode=publish` and `hub.url=<topic URL>`, one per changed feed. A
failing hub is reported, never fatal, and never holds up writing the feeds.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Answers a hub gives to a publish ping that mean "received" (most give 204 or 202).
_OK = range(200, 300)


@dataclass(frozen=True, slots=True)
class Ping:
    """The outcome for one topic URL: `ok`, how many attempts, and what went wrong last."""

    url: str
    ok: bool
    attempts: int
    error: str | None = None


Post = Callable[[str, bytes, float], int]  # (hub, form body, timeout) -> HTTP status


def _post(hub: str, body: bytes, timeout: float) -> int:
    request = urllib.request.Request(
        hub,
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def notify_hub(
    hub: str,
    topics: Sequence[str],
    *,
    timeout: float = 5.0,
    attempts: int = 3,
    backoff: float = 0.5,
    post: Post = _post,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Ping]:
    """Send one publish ping per topic URL; retry a failed one up to `attempts` times with
    doubling delays (only for network errors and 5xx answers; a 4xx is final)."""
    results = []
    for topic in topics:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
        error: str | None = None
        tries = 0
        for tries in range(1, attempts + 1):
            try:
                status = post(hub, body, timeout)
            except (OSError, ValueError) as failure:
                error = f"hub unreachable: {getattr(failure, 'reason', failure)}"
            else:
                if status in _OK:
                    error = None
                    break
                error = f"hub answered HTTP {status}"
                if 400 <= status < 500:
                    break
            if tries < attempts:
                sleep(backoff * 2 ** (tries - 1))
        results.append(Ping(url=topic, ok=error is None, attempts=tries, error=error))
    return results
