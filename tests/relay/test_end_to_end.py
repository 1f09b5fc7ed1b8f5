"""`smsc relay` end to end, as a real process against the emulator (the session's, in a thread),
on real time: Alertmanager's webhook in; the SMS, the call with its voice menu, the key press
(the emulator calls the relay's /smsc/<secret> as the service would), the resolved message
out; kill -9 and SIGTERM in the middle, nothing lost, nothing sent twice — counted at the
emulator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pysmsc_emulator.pytest_plugin import EmulatorHandle

from .payloads import alertmanager, am_alert, grafana
from .process import ALICE, BOB, CALLBACK, NEVER, TOKEN, RelayProcess, until

pytestmark = pytest.mark.slow


@pytest.fixture
def relays(emulator: EmulatorHandle, tmp_path: Path) -> Iterator[RelayProcess]:
    emulator.control.configure(status_delays=NEVER)
    made = RelayProcess(emulator, tmp_path)
    yield made
    made.close()


def test_firing_sms_call_key_press_resolved(relays: RelayProcess) -> None:
    relays.start()
    status, answer = relays.request("POST", "/alertmanager", alertmanager(am_alert("db1")))
    assert (status, answer["action"]) == (200, "opened")
    code = answer["page"]["code"]
    sent = until(lambda: relays.sent())
    assert [(kind, phone) for kind, phone, _ in sent] == [("sms", ALICE)]
    assert (
        relays.texts()[0]
        == f"ALERT {code}: Disk full on db1: /var at 98%\nReply {code} to acknowledge"
    )

    # Not delivered within deliver_within (4 s): the call, with the voice menu.
    sent = until(lambda: len(relays.sent()) >= 2 and relays.sent(), timeout=30)
    assert [(kind, phone) for kind, phone, _ in sent] == [("sms", ALICE), ("call", ALICE)]
    (call,) = relays.emulator.control.calls()
    assert sorted(call["menu"]["items"]) == ["#", "1", "2"]
    assert [action["kind"] for action in call["menu"]["items"]["1"]] == ["url", "say", "end"]
    assert "Disk full on db1" in call["menu"]["menu_text"]

    # Alice presses 1: the emulator calls the relay's handler; the page is acknowledged.
    relays.emulator.control.press_key(sent[1][2], ALICE, "1")
    relays.emulator.control.flush_callbacks()
    until(lambda: relays.metric("smsc_relay_acknowledgements_total") == 1)
    time.sleep(5)
    assert len(relays.sent()) == 2, "acknowledged: bob is not paged, nothing else is sent"

    # Alertmanager repeats the firing group: nothing new.
    status, answer = relays.request("POST", "/alertmanager", alertmanager(am_alert("db1")))
    assert (status, answer["action"], answer["page"]["phase"]) == (
        200,
        "deduplicated",
        "acknowledged",
    )

    # Resolved: one message to whoever was reached; a second resolution changes nothing.
    status, answer = relays.request(
        "POST", "/alertmanager", alertmanager(am_alert("db1", status="resolved"))
    )
    assert (status, answer["action"]) == (200, "resolved")
    until(lambda: len(relays.sent()) == 3)
    assert relays.texts()[2].startswith(f"RESOLVED {code} after ")
    assert relays.sent()[2][:2] == ("sms", ALICE)
    status, answer = relays.request(
        "POST", "/alertmanager", alertmanager(am_alert("db1", status="resolved"))
    )
    assert (status, answer["action"]) == (200, "ignored")
    time.sleep(1)
    assert len(relays.sent()) == 3
    # The log tells what happened, and no secret: not the token, not the callback's path.
    log = (relays.directory / "relay-1.log").read_text()
    assert "POST /smsc 200" in log and "POST /alertmanager 200" in log
    assert f"page {code} (" in log and "acknowledged by alice (key press)" in log
    assert TOKEN not in log and CALLBACK not in log


def test_killed_in_the_middle_of_an_escalation_resumes_and_sends_nothing_twice(
    relays: RelayProcess,
) -> None:
    first = relays.start()
    status, answer = relays.request("POST", "/alertmanager", alertmanager(am_alert("db1")))
    assert status == 200
    until(lambda: relays.sent())
    time.sleep(0.5)  # the send's answer stored
    relays.kill(first)

    second = relays.start()
    assert "(pages: 1," in relays.ready
    # The page resumed: deliver_within passes, the call follows, once.
    sent = until(lambda: len(relays.sent()) >= 2 and relays.sent(), timeout=30)
    assert [(kind, phone) for kind, phone, _ in sent] == [("sms", ALICE), ("call", ALICE)]
    time.sleep(0.5)
    relays.kill(second)

    # Alertmanager's repeat while the relay is down is not answered (it tries again later);
    # once the relay is back, it changes nothing.
    with pytest.raises(OSError):
        relays.request("POST", "/alertmanager", alertmanager(am_alert("db1")))
    third = relays.start()
    status, again = relays.request("POST", "/alertmanager", alertmanager(am_alert("db1")))
    assert (status, again["action"], again["page"]["code"]) == (
        200,
        "deduplicated",
        answer["page"]["code"],
    )
    relays.emulator.control.press_key(sent[1][2], ALICE, "1")
    relays.emulator.control.flush_callbacks()
    until(lambda: relays.metric("smsc_relay_acknowledgements_total") == 1)
    relays.kill(third)

    relays.start()
    time.sleep(6)  # past every deadline the page had
    assert [(kind, phone) for kind, phone, _ in relays.sent()] == [("sms", ALICE), ("call", ALICE)]
    status, answer = relays.request(
        "POST", "/alertmanager", alertmanager(am_alert("db1", status="resolved"))
    )
    assert (status, answer["action"]) == (200, "resolved")
    until(lambda: len(relays.sent()) == 3)
    time.sleep(1)
    assert len(relays.sent()) == 3


def test_sigterm_drains_and_the_next_start_resumes(relays: RelayProcess) -> None:
    first = relays.start()
    relays.request("POST", "/alertmanager", alertmanager(am_alert("db1")))
    relays.request("POST", "/grafana", grafana())  # severity critical: alice, then bob
    until(lambda: len(relays.sent()) == 2)
    # A send under way when the stop comes: the service answers in 2 s, the drain waits.
    relays.emulator.control.configure(latency=2.0)
    relays.request("POST", "/alerts", {"key": "db3", "status": "firing", "summary": "db3 down"})
    took = relays.terminate(first)
    assert took < 2 * 5 + 2, "drained within its bound"
    relays.emulator.control.configure(latency=0.0)
    until(lambda: len(relays.sent()) == 3)
    assert relays.sent()[2][1] == BOB  # the default route

    relays.start()
    # Both critical pages call alice at deliver_within; the drained SMS is not sent again.
    until(lambda: len(relays.sent()) >= 5, timeout=30)
    time.sleep(2)
    assert sorted((kind, phone) for kind, phone, _ in relays.sent()) == [
        ("call", ALICE),
        ("call", ALICE),
        ("sms", ALICE),
        ("sms", ALICE),
        ("sms", BOB),
    ]
