"""Paging from Ansible in real ansible-playbook runs against the emulator: the page module, the
alert role's escalation and the notify callback's pages.

Pages run in the foreground for as long as their escalation says, so these runs use bounds of
seconds and the emulator's status delays; what the on-call person does (reply "ack", never
answer) is played by the test while the run goes on (:class:`Running`).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ..unit.test_redact import NASTY, encodings
from .conftest import OTHER, PHONE, Ansible, Run, python_for, task

ALICE, BOB = PHONE.lstrip("+"), OTHER.lstrip("+")
NEVER = (100_000.0, 100_000.0)  # status delays: nothing is ever delivered
FAST = (0.2, 0.3)  # delivered within half a second
QUICK = {"deliver_within": "2s", "ack_within": "3s", "answer_within": "10s", "poll_interval": 5}


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
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            self._error = exc

    def result(self, timeout: float = 240) -> Run:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "ansible-playbook did not finish"
        if self._error is not None:
            raise self._error
        assert self._run is not None
        return self._run


def wait_for(what: Callable[[], Any], timeout: float = 60, message: str = "") -> Any:
    """``what()`` once it is truthy (polled every 0.1 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting: {message}")


def sent(ansible: Ansible) -> list[tuple[str, str]]:
    """(kind, phone) of every message the emulator took, in order."""
    messages = sorted(ansible.emulator.control.messages(), key=lambda m: m["seq"])
    return [(m["kind"], p["phone"]) for m in messages for p in m["phones"]]


def page_task(**args: Any) -> dict[str, Any]:
    return task("page", "page", {"text": "Disk full on db1", **args}, delegate_to="localhost")


def test_a_reply_acknowledges_and_nobody_else_is_paged(ansible: Ansible) -> None:
    ansible.emulator.control.configure(status_delays=FAST)
    args = {**QUICK, "ack_within": "60s", "to": [PHONE, OTHER]}
    running = Running(lambda: ansible.play([page_task(**args)]))
    first = wait_for(lambda: ansible.emulator.control.messages(), message="the first SMS")[0]
    assert first["kind"] == "sms"
    assert first["text"].startswith("ALERT ")
    ansible.emulator.control.receive(PHONE, "ack")
    run = running.result()
    assert run.rc == 0, run
    result = run.result("page")
    assert result["changed"] is True
    assert result["phase"] == "acknowledged"
    assert result["acknowledged_by"] == PHONE  # as the chain named alice
    assert result["acknowledged_via"] == "reply"
    assert result["acknowledged_at"] >= result["created_at"]
    assert result["outcome"] == "sent"
    assert result["cost"] > 0
    assert [(m["kind"], m["outcome"]) for m in result["messages"]] == [("sms", "sent")]
    assert sent(ansible) == [("sms", ALICE)]  # no call, and bob was never paged


def test_undelivered_sms_then_a_call_then_the_next_person_then_nobody(ansible: Ansible) -> None:
    """Nothing is ever delivered and nobody replies: after deliver_within the call, after
    answer_within the next person, and at the end the task fails saying nobody acknowledged;
    the report_to number is told."""
    ansible.emulator.control.configure(status_delays=NEVER)
    args = {**QUICK, "to": [PHONE, OTHER], "report_to": ["+79005550000"]}
    started = time.time()
    run = ansible.play([page_task(**args)])
    took = time.time() - started
    assert run.rc == 2, run
    result = run.result("page")
    assert run.status("page") == "failed"
    assert result["changed"] is True
    assert result["phase"] == "exhausted"
    assert "nobody acknowledged" in result["msg"]
    assert result["acknowledged"] is False
    assert result["reached"] == [PHONE, OTHER]
    assert result["calls"] == 2
    order = [(m["kind"], m["phone"], m["purpose"]) for m in result["messages"]]
    assert order == [
        ("sms", PHONE, "alert"),
        ("call", PHONE, "call"),
        ("sms", OTHER, "alert"),
        ("call", OTHER, "call"),
        ("sms", "+79005550000", "nobody"),
    ]
    assert {m["outcome"] for m in result["messages"]} == {"sent"}
    assert sent(ansible) == [
        ("sms", ALICE),
        ("call", ALICE),
        ("sms", BOB),
        ("call", BOB),
        ("sms", "79005550000"),
    ]
    # The bounds: the call after deliver_within (2 s), bob after answer_within (10 s); the
    # times are the emulator's, of requests sent a few milliseconds after each decision.
    messages = sorted(ansible.emulator.control.messages(), key=lambda m: m["seq"])
    created = [m["created"] for m in messages]
    assert created[1] - created[0] >= 2 - 0.1
    assert created[2] - created[1] >= 10 - 0.1
    assert 22 <= took < 90
    # The call's voice menu asks for a reply with the page's code, and says keys are not heard.
    [call, _] = ansible.emulator.control.calls()
    code = result["code"]
    menu = call["menu"]
    assert f"reply {code} by text message" in json.dumps(menu)
    assert "Disk full on db1" in call["text"]
    assert result["messages"][0]["status_meaning"]  # what status.php said at deliver_within

