"""`smsc relay` as a real process for the end-to-end tests: started on a configuration, its ready
line read, stopped with SIGTERM or killed with -9; the emulator's handler URL pointed at it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pysmsc_emulator.pytest_plugin import EmulatorHandle

SMSC = str(Path(sys.executable).with_name("smsc"))
TOKEN = "webhook-token-0123456789"
CALLBACK = "callback-token-0123456789abcdef"
ALICE, BOB = "79990000001", "79990000002"
NEVER = [86400.0, 86400.0]

CONFIG = f"""\
listen: 127.0.0.1:0
token: "{TOKEN}"
callback_token: "{CALLBACK}"
account: {{{{base_url: "{{url}}", login: demo, password: demo, timeout: 10s}}}}
state: relay.sqlite
replies: {{{{poll: false}}}}
drain: 5s
rate_limit: null
contacts:
  alice: "+79990000001"
  bob: "+79990000002"
routes:
  - match: {{{{severity: critical}}}}
    chain: [alice, bob]
    escalation: {{{{deliver_within: 4s, ack_within: 10m, answer_within: 10m}}}}
  - chain: [bob]
"""


def until(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.05)


class RelayProcess:
    """Relays started one after the other on one configuration and state file."""

    def __init__(self, emulator: EmulatorHandle, directory: Path, config: str = CONFIG) -> None:
        self.emulator = emulator
        self.directory = directory
        self.config = directory / "relay.yaml"
        self.config.write_text(textwrap.dedent(config.format(url=emulator.http_url)))
        self.processes: list[subprocess.Popen[str]] = []
        self.url = ""
        self.ready = ""

    @property
    def log(self) -> Path:
        return self.directory / f"relay-{len(self.processes)}.log"

    def start(self, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        log = self.directory / f"relay-{len(self.processes) + 1}.log"
        process = subprocess.Popen(
            [SMSC, "relay", "--config", str(self.config)],
            stdout=subprocess.PIPE,
            stderr=log.open("w"),  # a file: a full pipe would stop the relay
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.processes.append(process)
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("smsc relay ready: "):
            process.kill()
            process.wait(timeout=10)
            raise AssertionError(f"the relay did not start: {line}\n{log.read_text()}")
        self.ready = line
        self.url = line.split()[3]
        self.emulator.control.set_callback_url(f"{self.url}/smsc/{CALLBACK}")
        return process

    def kill(self, process: subprocess.Popen[str]) -> None:
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL

    def terminate(self, process: subprocess.Popen[str]) -> float:
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        return time.monotonic() - started

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    def request(
        self, method: str, path: str, body: Any = None, token: str | None = TOKEN
    ) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def metric(self, name: str) -> float:
        with urllib.request.urlopen(self.url + "/metrics", timeout=10) as response:
            for line in response.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
        raise KeyError(name)

    def sent(self) -> list[tuple[str, str, str]]:
        return [
            (m["kind"], m["phones"][0]["phone"], str(m["id"]))
            for m in self.emulator.control.messages()
        ]

    def texts(self) -> list[str]:
        return [m["text"] for m in self.emulator.control.messages()]
