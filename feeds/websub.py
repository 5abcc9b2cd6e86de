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
from concurrent.futures import ThreadPoolExecutor
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
    deadline: float = 30.0,
    workers: int = 4,
    post: Post = _post,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> list[Ping]:
    """Send one publish ping per topic URL, a few at a time; retry a failed one up to
    `attempts` times with doubling delays (network errors and 5xx only; a 4xx is final).
    The whole call ends within about `deadline` seconds however the hub behaves: a topic not
    announced by then is reported as such. Results are in the order of `topics`."""
    give_up = clock() + deadline

    def announce(topic: str) -> Ping:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
        error: str | None = "not sent: the WebSub deadline passed"
        tries = 0
        while tries < attempts:
            left = give_up - clock()
            if left <= 0:
                break
            tries += 1
            try:
                status = post(hub, body, min(timeout, left))
            except (OSError, ValueError) as failure:
                error = f"hub unreachable: {getattr(failure, 'reason', failure)}"
            else:
                if status in _OK:
                    return Ping(url=topic, ok=True, attempts=tries)
                error = f"hub answered HTTP {status}"
                if 400 <= status < 500:
                    break
            if tries < attempts:
                sleep(min(backoff * 2 ** (tries - 1), max(give_up - clock(), 0)))
        return Ping(url=topic, ok=False, attempts=tries, error=error)

    if len(topics) <= 1 or workers <= 1:
        return [announce(topic) for topic in topics]
    with ThreadPoolExecutor(max_workers=min(workers, len(topics))) as pool:
        return list(pool.map(announce, topics))
