"""The people and services around a page, played by the tests while ansible-playbook runs: a
run in a thread (:class:`Running`), an on-call person who replies "ack" to every alert
(:class:`Responder`) and a stand-in ``smsc relay`` that takes ``POST /alerts`` as docs/relay.md
describes it (:class:`RelayStub`)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .conftest import Run

RELAY_TOKEN = "relay-Tok/en+%&=?\"'<>"  # a test token that encodings change


def wait_for(what: Callable[[], Any], timeout: float = 60, message: str = "") -> Any:
    """``what()`` once it is truthy (asked every 0.1 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting: {message}")


class Running:
    """An ansible-playbook run in a thread, while the test plays the people being paged."""

    def __init__(self, start: Callable[[], Run]) -> None:
        self._run: Run | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._target, args=(start,), daemon=True)
        self._thread.start()

    def _target(self, start: Callable[[], Run]) -> None:
        try:
            self._run = start()
        except BaseException as exc:
            self._error = exc

    def result(self, timeout: float = 240) -> Run:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "ansible-playbook did not finish"
        if self._error is not None:
            raise self._error
        assert self._run is not None
        return self._run


class Responder:
    """An on-call person who answers every page: a reply "ack" to each alert SMS the emulator
    took (once each), until stopped."""

    def __init__(self, control: Any) -> None:
        self.control = control
        self.answered: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        done: set[tuple[int, str]] = set()
        while not self._stop.wait(0.3):
            for message in self.control.messages():
                if message["kind"] != "sms" or not message["text"].startswith("ALERT "):
                    continue
                for phone in message["phones"]:
                    if (message["seq"], phone["phone"]) not in done:
                        done.add((message["seq"], phone["phone"]))
                        self.control.receive("+" + phone["phone"], "ack")
                        self.answered.append(phone["phone"])

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


class _RelayHandler(BaseHTTPRequestHandler):
    """One page per open key (``opened``, then ``deduplicated``); ``resolved`` closes it. A
    wrong token is refused quoting it back, as a careless proxy would."""

    def do_POST(self) -> None:
        server: Any = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        given = self.headers.get("Authorization", "")
        if given != f"Bearer {server.token}":
            self.answer(401, {"error": f"a valid bearer token is required, not {given!r}"})
            return
        if self.path != "/alerts":
            self.answer(404, {"error": "not found"})
            return
        alert = json.loads(body)
        key = f"alerts:{alert['key']}"
        if alert["status"] == "resolved":
            action = "resolved" if key in server.open else "ignored"
            server.open.discard(key)
        else:
            action = "deduplicated" if key in server.open else "opened"
            server.open.add(key)
        page = {"key": key, "code": "4F2K", "phase": "escalating", "reached": []}
        self.answer(200, {"action": action, "key": key, "page": page})

    def answer(self, status: int, data: Any) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: Any) -> None:
        pass


class RelayStub(ThreadingHTTPServer):
    """The relay's ``POST /alerts`` on 127.0.0.1: ``url``, ``token`` it expects, ``requests``
    (path, headers, body) and ``alerts`` (the bodies as JSON)."""

    def __init__(self, token: str = RELAY_TOKEN) -> None:
        super().__init__(("127.0.0.1", 0), _RelayHandler)
        self.token = token
        self.requests: list[dict[str, Any]] = []
        self.open: set[str] = set()
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def alerts(self) -> list[Any]:
        return [json.loads(r["body"]) for r in self.requests]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
