"""A runner killed with -9 in the middle of a page, and started again on the same SQLite file:
the page resumes where it was and nothing is sent twice. The runner is a real process
(tests/paging/runner_process.py) on real time; the emulator is the session's."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pysmsc.callbacks import new_token
from pysmsc.paging import Phase, SqlitePageStore
from pysmsc_emulator.pytest_plugin import EmulatorHandle

ROOT = Path(__file__).resolve().parents[2]
ALICE = "79990000001"
NEVER = [86400.0, 86400.0]

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def until(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.05)


class Runners:
    """Starts runner processes on one state file and one handler address; kills them -9."""

    def __init__(self, emulator: EmulatorHandle, state: Path) -> None:
        self.emulator = emulator
        self.state = state
        self.token = new_token()
        self.processes: list[subprocess.Popen[str]] = []
        self.listen_on(free_port())

    def listen_on(self, port: int) -> None:
        self.port = port
        self.emulator.control.set_callback_url(f"http://127.0.0.1:{port}/smsc/{self.token}")

    def start(self, *options: str) -> subprocess.Popen[str]:
        for _ in range(3):
            try:
                return self._start(options)
            except OSError:  # another process took the port since it was found free
                self.listen_on(free_port())
        return self._start(options)

    def _start(self, options: tuple[str, ...]) -> subprocess.Popen[str]:
        log = self.state.with_name(f"runner-{len(self.processes)}.log")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.paging.runner_process",
                self.emulator.http_url,
                str(self.state),
                str(self.port),
                self.token,
                *options,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),  # a file: a full pipe would stop the runner
            text=True,
        )
        self.processes.append(process)
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            process.kill()
            process.wait(timeout=10)
            errors = log.read_text()
            if "address already in use" in errors:
                raise OSError(errors)
            raise AssertionError(f"the runner did not start:\n{errors}")
        return process

    def kill(self, process: subprocess.Popen[str]) -> None:
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)

    def sent(self) -> list[tuple[str, str, str]]:
        return [
            (m["kind"], m["phones"][0]["phone"], str(m["id"]))
            for m in self.emulator.control.messages()
        ]

    def state_of_page(self) -> Any:
        """The page as the file holds it (read while the runner writes: SQLite's WAL)."""

        async def load() -> Any:
            store = SqlitePageStore(self.state)
            try:
                return await store.load()
            finally:
                await store.close()

        (state,) = asyncio.run(load())
        return state


@pytest.fixture
def runners(emulator: EmulatorHandle, tmp_path: Path) -> Iterator[Runners]:
    emulator.control.configure(status_delays=NEVER)
    made = Runners(emulator, tmp_path / "pages.sqlite")
    yield made
    made.close()


def test_killed_while_waiting_for_delivery(runners: Runners) -> None:
    first = runners.start("--open")
    assert [kind for kind, _, _ in until(runners.sent)] == ["sms"]
    until(lambda: runners.state_of_page().messages[0].outcome == "sent")
    runners.kill(first)

    second = runners.start()
    # deliver_within (4 s) passes: status.php says "waiting", the call follows. Once.
    sent = until(lambda: len(runners.sent()) >= 2 and runners.sent())
    assert [(kind, phone) for kind, phone, _ in sent] == [("sms", ALICE), ("call", ALICE)]
    call_id = sent[1][2]
    until(lambda: runners.state_of_page().turn.step == "call")
    runners.kill(second)

    third = runners.start()
    runners.emulator.control.press_key(call_id, ALICE, "1")
    until(lambda: runners.state_of_page().phase == Phase.ACKNOWLEDGED)
    assert runners.state_of_page().acknowledged_by == "alice"
    runners.kill(third)

    runners.start()
    time.sleep(5)  # past every deadline the page had
    assert len(runners.sent()) == 2, "nothing sent twice, nothing after the acknowledgement"


def test_killed_while_the_send_is_on_the_wire(runners: Runners) -> None:
    """The emulator takes 2 s to answer: the runner dies with the request sent and no answer.
    The next runner finds the intent, asks status.php, and does not send again."""
    runners.emulator.control.configure(latency=2.0)
    first = runners.start("--open")
    time.sleep(1.0)
    assert runners.state_of_page().messages[0].outcome == "intended"
    runners.kill(first)
    runners.emulator.control.configure(latency=0.0)
    until(runners.sent)  # the service did get it

    runners.start()
    until(lambda: runners.state_of_page().messages[0].outcome == "sent", timeout=30)
    sent = until(lambda: len(runners.sent()) >= 2 and runners.sent(), timeout=30)
    assert [kind for kind, _, _ in sent] == ["sms", "call"], "the SMS was not sent again"
    assert sent[0][2] == runners.state_of_page().messages[0].message_id
