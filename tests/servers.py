"""Misbehaving peers for transport tests: hosts that never answer, addresses that refuse."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def refused_url() -> str:
    """An address where nothing listens: the connection is refused, the request never sent."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextmanager
def silent_hosts(count: int = 5) -> Iterator[list[str]]:
    """``count`` hosts that accept the connection, take the request and never answer."""
    servers, stop = [], threading.Event()
    for _ in range(count):
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        server.settimeout(0.1)
        servers.append(server)

    def hold(server: socket.socket) -> None:
        held = []
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            held.append(connection)  # never answered; closed at the end
        for connection in held:
            connection.close()

    threads = [threading.Thread(target=hold, args=(s,), daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        yield [f"http://127.0.0.1:{s.getsockname()[1]}" for s in servers]
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        for server in servers:
            server.close()
