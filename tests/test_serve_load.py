"""`feeds serve` under load and abuse (issue 12), on loopback only and bounded in count and
time: a few hundred simultaneous requests are all answered, a client that sends half a request
is dropped after the header timeout and never blocks others, connections past the cap get a
503 at once, and a failing `accept` (no file descriptors left) does not spin the CPU.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from feeds.serve import PreviewServer, make_server

FEED = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel/></rss>\n'


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "all.rss.xml").write_bytes(FEED)
    running = make_server(tmp_path, port=0, quiet=True)
    assert isinstance(running, PreviewServer)
    yield running
    if running in STARTED:  # shutdown() waits for a serve_forever that must be running
        running.shutdown()
        STARTED.discard(running)
    running.server_close()


STARTED: set[PreviewServer] = set()


def start(server: PreviewServer) -> None:
    STARTED.add(server)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()


def port_of(server: PreviewServer) -> int:
    return int(server.server_address[1])


async def fetch(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /feeds/all.rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


async def fetch_many(port: int, count: int) -> list[bytes]:
    return list(await asyncio.wait_for(asyncio.gather(*(fetch(port) for _ in range(count))), 20))


def status(answer: bytes) -> str:
    return answer.split(b"\r\n", 1)[0].decode("latin-1")


def test_three_hundred_simultaneous_requests_are_all_answered(server: PreviewServer) -> None:
    start(server)
    answers = asyncio.run(fetch_many(port_of(server), 300))
    assert [status(a) for a in answers] == ["HTTP/1.1 200 OK"] * 300
    assert all(a.endswith(FEED) for a in answers)


def half_request(port: int) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(b"GET /feeds/all.rss.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # never ends
    return client


def test_a_slow_client_is_dropped_after_the_header_timeout_and_blocks_nobody(
    server: PreviewServer,
) -> None:
    server.limit(max_connections=256, header_timeout=1.0)
    start(server)
    slow = [half_request(port_of(server)) for _ in range(20)]
    answers = asyncio.run(fetch_many(port_of(server), 50))  # while the slow ones hang
    assert [status(a) for a in answers] == ["HTTP/1.1 200 OK"] * 50
    for client in slow:
        client.settimeout(10)
        assert client.recv(100) == b""  # closed by the server after about a second
        client.close()


def test_connections_past_the_cap_get_503_at_once(server: PreviewServer) -> None:
    server.limit(max_connections=5, header_timeout=2.0)
    start(server)
    slow = [half_request(port_of(server)) for _ in range(5)]
    time.sleep(0.3)  # let the server take all five
    answers = asyncio.run(fetch_many(port_of(server), 3))
    assert [status(a) for a in answers] == ["HTTP/1.1 503 Service Unavailable"] * 3
    for client in slow:
        client.settimeout(10)
        assert client.recv(100) == b""
        client.close()
    time.sleep(0.3)  # the slots are released as the threads end
    assert [status(a) for a in asyncio.run(fetch_many(port_of(server), 5))] == [
        "HTTP/1.1 200 OK"
    ] * 5


class _Exhausted:
    """The listening socket as seen with no file descriptor left: readable, accept fails."""

    def __init__(self, real: socket.socket) -> None:
        self.real = real
        self.accepts = 0

    def fileno(self) -> int:
        return self.real.fileno()

    def accept(self) -> Any:
        self.accepts += 1
        raise OSError(errno.EMFILE, "Too many open files")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_accept_failing_with_emfile_backs_off_instead_of_spinning(
    server: PreviewServer,
) -> None:
    exhausted = _Exhausted(server.socket)
    server.socket = exhausted  # type: ignore[assignment]
    waiting = socket.create_connection(("127.0.0.1", port_of(server)))  # readable from now on
    start(server)
    time.sleep(1.0)
    server.socket = exhausted.real
    # A busy loop calls accept tens of thousands of times a second; backing off, about ten.
    assert 1 <= exhausted.accepts <= 30
    waiting.sendall(b"GET /feeds/all.rss.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    waiting.settimeout(10)
    assert waiting.recv(100).startswith(b"HTTP/1.1 200 OK")  # served once accept works
    waiting.close()


def test_the_listen_backlog_holds_at_least_128() -> None:
    assert PreviewServer.request_queue_size >= 128
