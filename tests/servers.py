"""Misbehaving peers for transport tests: hosts that never answer, addresses that refuse,
servers that quote the request back."""

from __future__ import annotations

import html
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


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


class _Echo(BaseHTTPRequestHandler):
    """Quotes the request back, as a proxy's error page, a gateway's JSON error or inside a
    valid send answer (``server.mode``: page, page502, json-error, answer)."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        mode = self.server.mode  # type: ignore[attr-defined]
        status, kind = (502 if mode == "page502" else 200), "application/json"
        if mode == "json-error":
            page = json.dumps({"error": f"bad request: {body}", "error_code": 1})
        elif mode == "answer":
            fields = {key: values[0] for key, values in parse_qs(body).items()}
            page = json.dumps({"id": body, "cnt": 1, "cost": "1.40", "echo": fields})
        else:
            kind = "text/html"
            page = f"<html><body><h1>Bad gateway</h1><pre>{html.escape(body)}</pre>{body}</body></html>"
        data = page.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def echoing_server(mode: str) -> Iterator[str]:
    """The URL of a server that quotes every request back (see :class:`_Echo` for ``mode``)."""
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.mode = mode
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
