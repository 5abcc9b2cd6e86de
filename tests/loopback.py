"""A test HTTP server on a free loopback port, answering in a thread for a `with` block: the
shared shape of the tests that read what `feeds.serve` (or a server of their own) answers."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def serving(server: socketserver.TCPServer) -> Iterator[str]:
    """`server` (bound to 127.0.0.1, port 0 for a free one) answering in a daemon thread
    until the block ends; its base URL, `http://127.0.0.1:PORT`."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
