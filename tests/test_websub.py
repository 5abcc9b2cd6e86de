"""WebSub publish pings against real local HTTP servers: a good hub, a failing one, none."""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from feeds.websub import notify_hub


class Hub:
    def __init__(self, status: int) -> None:
        self.status = status
        self.pings: list[dict[str, list[str]]] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = self.rfile.read(length).decode()
                assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"
                hub.pings.append(urllib.parse.parse_qs(body))
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def make_hub() -> Iterator[Callable[[int], Hub]]:
    hubs: list[Hub] = []

    def factory(status: int) -> Hub:
        hub = Hub(status)
        hubs.append(hub)
        return hub

    yield factory
    for hub in hubs:
        hub.close()


def no_sleep(_: float) -> None:
    pass


TOPICS = [
    "https://news.example.org/feeds/all.atom.xml",
    "https://news.example.org/feeds/category/phones.atom.xml",
]


def test_one_publish_ping_per_changed_feed(make_hub: Callable[[int], Hub]) -> None:
    hub = make_hub(204)
    results = notify_hub(hub.url, TOPICS, sleep=no_sleep)
    assert [r.ok for r in results] == [True, True]
    assert [r.attempts for r in results] == [1, 1]
    assert sorted(hub.pings, key=str) == [  # sent side by side: any order
        {"hub.mode": ["publish"], "hub.url": [TOPICS[0]]},
        {"hub.mode": ["publish"], "hub.url": [TOPICS[1]]},
    ]


def test_hub_answering_500_is_retried_then_reported(make_hub: Callable[[int], Hub]) -> None:
    hub = make_hub(500)
    delays: list[float] = []
    results = notify_hub(hub.url, TOPICS[:1], attempts=3, backoff=0.5, sleep=delays.append)
    assert results[0].ok is False
    assert results[0].attempts == 3
    assert results[0].error == "hub answered HTTP 500"
    assert len(hub.pings) == 3
    assert delays == [0.5, 1.0]


def test_hub_answering_400_is_not_retried(make_hub: Callable[[int], Hub]) -> None:
    hub = make_hub(400)
    results = notify_hub(hub.url, TOPICS[:1], sleep=no_sleep)
    assert (results[0].ok, results[0].attempts, results[0].error) == (
        False,
        1,
        "hub answered HTTP 400",
    )


def test_hub_that_is_down_is_reported_not_raised() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    results = notify_hub(f"http://127.0.0.1:{port}/", TOPICS, attempts=2, sleep=no_sleep)
    assert [r.ok for r in results] == [False, False]
    assert all(r.attempts == 2 for r in results)
    assert all(r.error is not None and r.error.startswith("hub unreachable") for r in results)


def test_no_topics_no_requests(make_hub: Callable[[int], Hub]) -> None:
    hub = make_hub(204)
    assert notify_hub(hub.url, [], sleep=no_sleep) == []
    assert hub.pings == []


def test_the_whole_call_respects_its_deadline() -> None:
    now = [0.0]

    def slow_post(_hub: str, _body: bytes, timeout: float) -> int:
        now[0] += timeout  # every attempt uses its whole timeout, then fails
        raise OSError("timed out")

    def fake_sleep(seconds: float) -> None:
        now[0] += seconds

    results = notify_hub(
        "http://hub.invalid/",
        TOPICS,
        timeout=5.0,
        attempts=3,
        deadline=7.0,
        workers=1,
        post=slow_post,
        sleep=fake_sleep,
        clock=lambda: now[0],
    )
    assert now[0] <= 7.0
    assert [r.ok for r in results] == [False, False]
    assert results[0].attempts == 2  # 5 s, 0.5 s pause, then the 1.5 s that were left
    assert results[1].attempts == 0
    assert results[1].error == "not sent: the WebSub deadline passed"
