"""Paging from Ansible in real ansible-playbook runs against the emulator: the page module, the
alert role's escalation and the notify callback's pages.

Pages run in the foreground for as long as their escalation says, so these runs use bounds of
seconds and the emulator's status delays; what the on-call person does (reply "ack", never
answer) is played by the test while the run goes on (:class:`Running`).
"""

from __future__ import annotations

import importlib
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pysmsc.paging import call_menu

from ..servers import echoing_server
from ..unit.test_redact import NASTY, encodings
from .conftest import OTHER, PHONE, REPO, Ansible, python_for, task
from .oncall import RELAY_TOKEN, Running, wait_for
from .test_secrets import assert_no_secret

COLLECTION = "ansible_collections.smsc.messaging.plugins.module_utils"
ALICE, BOB = PHONE.lstrip("+"), OTHER.lstrip("+")
CAROL = "+79005551122"
NEVER = (100_000.0, 100_000.0)  # status delays: nothing is ever delivered
FAST = (0.2, 0.3)  # delivered within half a second
QUICK = {"deliver_within": "2s", "ack_within": "3s", "answer_within": "10s", "poll_interval": 5}


def foreground_call(text: str, code: str) -> str:
    """The call a page run by the module makes (the library's builder, the module's words)."""
    texts = importlib.import_module(f"{COLLECTION}.smsc_paging").FOREGROUND_TEXTS
    menu = call_menu(
        text,
        start=texts.call_start,
        menu=texts.call_menu,
        acknowledged=texts.call_acknowledged,
        passed=texts.call_passed,
        code=code,
    )
    return str(menu.render())


def test_the_call_docs_ansible_md_shows_is_the_one_sent(collection_import: None) -> None:
    docs = (REPO / "docs" / "ansible.md").read_text(encoding="utf-8")
    [block] = re.findall(r"(?ms)^```\n(Alert\.\n.*?)^```", docs)
    assert block.rstrip("\n") == foreground_call("Disk full on db1", "4F2K")


def sent(ansible: Ansible) -> list[tuple[str, str]]:
    """(kind, phone) of every message the emulator took, in order."""
    messages = sorted(ansible.emulator.control.messages(), key=lambda m: m["seq"])
    return [(m["kind"], p["phone"]) for m in messages for p in m["phones"]]


def page_task(**args: Any) -> dict[str, Any]:
    return task("page", "page", {"text": "Disk full on db1", **args}, delegate_to="localhost")


def test_a_reply_acknowledges_and_nobody_else_is_paged(ansible: Ansible) -> None:
    """Named contacts: alice is in her quiet hours, so bob is paged first; his reply
    acknowledges, and carol is never paged."""
    control = ansible.emulator.control
    control.configure(status_delays=FAST)
    hour = datetime.now(UTC).hour
    asleep = f"{hour:02d}:00-{(hour + 2) % 24:02d}:00"  # now, in UTC
    contacts = [
        {"name": "alice", "phone": CAROL, "quiet_hours": asleep, "timezone": "UTC"},
        {"name": "bob", "phone": PHONE},
        {"name": "carol", "phone": OTHER},
    ]
    args = {**QUICK, "ack_within": "60s", "contacts": contacts}
    running = Running(lambda: ansible.play([page_task(**args)]))
    first = wait_for(control.messages, message="the first SMS")[0]
    assert first["kind"] == "sms"
    assert first["text"].startswith("ALERT ")
    control.receive(PHONE, "ack")
    run = running.result()
    assert run.rc == 0, run
    result = run.result("page")
    assert result["changed"] is True
    assert result["phase"] == "acknowledged"
    assert (result["acknowledged_by"], result["acknowledged_via"]) == ("bob", "reply")
    assert result["reason"] == "acknowledged by bob (reply)"
    assert result["acknowledged_at"] >= result["created_at"]
    assert result["passed_over"] == ["alice"]
    assert result["reached"] == ["bob"]
    assert result["outcome"] == "sent"
    assert result["cost"] > 0
    assert [(m["contact"], m["kind"], m["outcome"]) for m in result["messages"]] == [
        ("bob", "sms", "sent")
    ]
    assert sent(ansible) == [("sms", ALICE)]  # no call, carol never paged, alice asleep


@pytest.mark.usefixtures("collection_import")
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
    assert call["text"] == foreground_call("Disk full on db1", result["code"])
    assert "reply" in call["menu"]["menu_text"]
    assert result["messages"][0]["status_meaning"]  # what status.php said at deliver_within


def test_a_failed_sms_is_followed_by_the_call_at_once(ansible: Ansible) -> None:
    """An SMS the operator could not deliver (status 20) is followed by the call without
    waiting for deliver_within; a reply after the call acknowledges."""
    control = ansible.emulator.control
    control.configure(status_delays=NEVER)
    args = {**QUICK, "deliver_within": "60s", "ack_within": "60s", "to": [PHONE]}
    running = Running(lambda: ansible.play([page_task(**args)]))
    [first] = wait_for(control.messages, message="the SMS")
    control.set_status(first["id"], PHONE, 20, err=1)
    wait_for(lambda: ("call", ALICE) in sent(ansible), timeout=30, message="the call")
    call = next(m for m in control.messages() if m["kind"] == "call")
    assert call["created"] - first["created"] < 20  # long before deliver_within
    control.receive(PHONE, "on it, OK")
    run = running.result()
    assert run.rc == 0, run
    result = run.result("page")
    assert result["phase"] == "acknowledged"
    first_sms = result["messages"][0]
    assert (first_sms["kind"], first_sms["status"]) == ("sms", 20)
    assert first_sms["status_meaning"]
    assert result["calls"] == 1


def test_a_send_whose_answer_is_lost_is_never_sent_again(ansible: Ansible) -> None:
    """The SMS request gets no answer: it may have been sent, so it is not repeated; the
    escalation goes on by its other steps (status.php does not know it: the call)."""
    control = ansible.emulator.control
    control.configure(status_delays=FAST)
    control.add_fault("send", "close")
    args = {**QUICK, "to": [PHONE]}
    running = Running(lambda: ansible.play([page_task(**args)]))
    wait_for(lambda: ("call", ALICE) in sent(ansible), timeout=30, message="the call")
    control.receive(PHONE, "ack")
    run = running.result()
    assert run.rc == 0, run
    result = run.result("page")
    sms, call = result["messages"][:2]
    assert (sms["kind"], sms["outcome"]) == ("sms", "may_have_been_sent")
    assert sms["detail"]
    assert (call["kind"], call["outcome"]) == ("call", "sent")
    assert sent(ansible) == [("call", ALICE)]  # the SMS was never sent again


def test_check_mode_sends_nothing_and_says_what_it_would_do(ansible: Ansible) -> None:
    run = ansible.play([page_task(to=[PHONE, OTHER], report_to=["+79005550000"])], check=True)
    assert run.rc == 0, run
    result = run.result("page")
    assert result["changed"] is True
    assert result["outcome"] == "not_sent"
    plan = result["plan"]
    assert plan[0].startswith(f"SMS to {PHONE}: ALERT ")
    assert "Disk full on db1" in plan[0]
    assert any("not delivered within 2 min or not acknowledged within 5 min" in s for s in plan)
    assert any(f"then {OTHER}" in s for s in plan)
    assert "+79005550000" in plan[-1]
    assert ansible.emulator.control.messages() == []


BAD_INPUT = [
    ({"deliver_within": "soon"}, "deliver_within", "must be a duration"),
    ({"answer_within": "5s"}, "answer_within", "at least 10"),
    ({"deliver_within": "none", "ack_within": "none"}, "ack_within", "never end"),
    ({"to": [PHONE, "G12"]}, "to[1]", "contact group"),
    ({"to": ["12"]}, "to[0]", "not a phone number"),
    (
        {"to": None, "contacts": [{"name": "alice", "phone": PHONE, "quiet_hours": "late"}]},
        "contacts[0].quiet_hours",
        "two times",
    ),
    (
        {
            "to": None,
            "contacts": [
                {
                    "name": "a",
                    "phone": PHONE,
                    "quiet_hours": "23:00-07:00",
                    "timezone": "Mars/Olympus",
                }
            ],
        },
        "contacts[0].timezone",
        "time zone",
    ),
    (
        {"to": None, "contacts": [{"name": "a", "phone": PHONE}, {"name": "a", "phone": OTHER}]},
        "contacts",
        "unique",
    ),
    ({"rounds": 0}, "rounds", "positive"),
    ({"max_parts": 11}, "max_parts", "1 to 10"),
    ({"max_cost": -1}, "max_cost", "positive"),
    ({"poll_interval": 2}, "poll_interval", "at least 5"),
    ({"sender": "a sender name that is far too long"}, "sender", ""),
    ({"labels": {"severity": "critical"}}, "labels", "relay_url"),
    ({"status": "resolved"}, "status", "relay_url"),
    ({"text": "  "}, "text", "required"),
    ({"relay_url": "ftp://relay", "relay_token": "relay-token-0123456789"}, "relay_url", "http"),
    ({"relay_url": "http://127.0.0.1:9"}, "relay_token", "required"),
    (
        {"relay_url": "http://127.0.0.1:9", "relay_token": "relay-token-0123456789", "rounds": 2},
        "rounds",
        "relay",
    ),
]


def test_bad_input_is_refused_naming_the_option_before_anything_is_sent(ansible: Ansible) -> None:
    tasks = []
    for index, (args, _, _) in enumerate(BAD_INPUT):
        options = {"to": [PHONE], "ack_within": "1s", **args}
        options = {k: v for k, v in options.items() if v is not None}
        tasks.append({**page_task(**options), "name": f"bad {index}", "ignore_errors": True})
    run = ansible.play(tasks)
    assert run.rc == 0, run
    for index, (_, field, rule) in enumerate(BAD_INPUT):
        result = run.result(f"bad {index}")
        assert run.status(f"bad {index}") == "ignored", (index, result)
        assert result.get("field") == field, (index, result)
        assert rule in result["rule"], (index, result)
        assert result["msg"].startswith(f"{field}: "), (index, result)
        assert result["outcome"] == "not_sent", (index, result)
        assert result["changed"] is False, (index, result)
        assert "Traceback" not in json.dumps(result)
    assert ansible.emulator.control.messages() == []


def test_to_and_contacts_are_exclusive(ansible: Ansible) -> None:
    both = {"contacts": [{"name": "alice", "phone": PHONE}], "to": [OTHER]}
    run = ansible.play([{**page_task(**both), "ignore_errors": True}])
    assert "mutually exclusive: to|contacts" in run.result("page")["msg"]


def test_handed_to_a_relay_the_task_ends_at_once(ansible: Ansible, relay: Any) -> None:
    """No credentials are needed; the relay gets the alert with its bearer token, and the same
    key again is deduplicated (changed: false); resolved closes it."""
    handed = {
        "to": [PHONE, "bob"],
        "key": "deploy-shop",
        "labels": {"severity": "critical"},
        "deliver_within": "90s",
        "ack_within": "none",
        "call": False,
        "relay_url": relay.url,
    }
    tasks = [
        page_task(**handed),
        {**page_task(**handed), "name": "again"},
        {
            **task(
                "resolve",
                "page",
                {"key": "deploy-shop", "status": "resolved", "relay_url": relay.url},
            ),
            "delegate_to": "localhost",
        },
    ]
    run = ansible.play(tasks, connection={}, env={"SMSC_RELAY_TOKEN": RELAY_TOKEN})
    assert run.rc == 0, run
    first, again, resolved = (run.result(n) for n in ("page", "again", "resolve"))
    assert (first["changed"], first["outcome"]) == (True, "sent")
    assert first["relay"]["action"] == "opened"
    assert first["relay"]["page"]["code"] == "4F2K"
    assert (again["changed"], again["relay"]["action"]) == (False, "deduplicated")
    assert (resolved["changed"], resolved["relay"]["action"]) == (True, "resolved")
    bodies = relay.alerts
    assert bodies[0] == {
        "key": "deploy-shop",
        "status": "firing",
        "summary": "Disk full on db1",
        "to": [PHONE, "bob"],
        "labels": {"severity": "critical"},
        "escalation": {"deliver_within": 90.0, "ack_within": None, "call": False},
    }
    assert bodies[2] == {"key": "deploy-shop", "status": "resolved"}
    assert {r["path"] for r in relay.requests} == {"/alerts"}
    assert ansible.emulator.control.messages() == []  # the relay sends, not the module


def test_a_relay_that_refuses_or_cannot_be_reached(ansible: Ansible, relay: Any) -> None:
    """A wrong token: refused (not handed over); a relay that is down: not handed over; one
    that takes the request and never answers: it may have the page. The token never shows,
    even at -vvv."""
    silent = ThreadingHTTPServer(("127.0.0.1", 0), _Silent)
    threading.Thread(target=silent.serve_forever, daemon=True).start()
    relay.token = "the-relay's-own-token"
    cases = {
        "wrong token": {"relay_url": relay.url, "relay_token": RELAY_TOKEN},
        "down": {"relay_url": "http://127.0.0.1:9", "relay_token": RELAY_TOKEN},
        "silent": {
            "relay_url": f"http://127.0.0.1:{silent.server_address[1]}",
            "relay_token": RELAY_TOKEN,
        },
    }
    tasks = [
        {**page_task(to=[PHONE], **options), "name": name, "ignore_errors": True}
        for name, options in cases.items()
    ]
    connection = {"timeout": 2}
    run = ansible.play(tasks, connection=connection, args=["-vvv"])
    silent.shutdown()
    assert run.rc == 0, run
    refused = run.result("wrong token")
    assert (refused["outcome"], refused["relay_status"], refused["changed"]) == (
        "not_sent",
        401,
        False,
    )
    assert "relay_token" in refused["msg"]
    down = run.result("down")
    assert (down["outcome"], down["changed"]) == ("not_sent", False)
    lost = run.result("silent")
    assert (lost["outcome"], lost["changed"]) == ("may_have_been_sent", True)
    assert_no_token(run.output, json.dumps(run.records))


class _Silent(BaseHTTPRequestHandler):
    """Reads the request and never answers."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(5)

    def log_message(self, *args: Any) -> None:
        pass


# --- the alert role ----------------------------------------------------------------------------


def include_alert(name: str, **variables: Any) -> dict[str, Any]:
    return {
        "name": name,
        "ansible.builtin.include_role": {"name": "smsc.messaging.alert"},
        "vars": {"alert_kind": "page", "alert_to": [PHONE, OTHER], **variables},
    }


def test_the_alert_role_pages_and_keeps_its_limit_per_run(ansible: Ansible) -> None:
    """An alert of kind page escalates until a reply; the run's limit still holds (the second
    alert is skipped), and the role says who acknowledged."""
    control = ansible.emulator.control
    control.configure(status_delays=FAST)
    quick = {"alert_ack_within": "30s", "alert_poll_interval": "5"}
    tasks = [
        include_alert("first", alert_message="Disk full on db1", **quick),
        include_alert("second", alert_message="Disk full on db2", **quick),
        {"name": "result", "ansible.builtin.debug": {"var": "alert_last_result.acknowledged_by"}},
    ]
    running = Running(lambda: ansible.play(tasks, play={"vars": {"alert_max_per_run": 1}}))
    wait_for(control.messages, message="the first SMS")
    control.receive(PHONE, "ack")
    run = running.result()
    assert run.rc == 0, run
    assert sent(ansible) == [("sms", ALICE)]
    assert "Disk full on db1" in control.messages()[0]["text"]
    assert "limit of this run is reached" in run.stdout
    assert f"acknowledged by {PHONE} (reply)" in run.stdout
    assert run.result("result")["alert_last_result.acknowledged_by"] == PHONE


def test_the_alert_role_reports_that_nobody_acknowledged(ansible: Ansible) -> None:
    """Nobody answers - an "ack" sent before the page acknowledges nothing -: the role reports
    it and the host goes on (alert_fail_on_error fails it instead)."""
    control = ansible.emulator.control
    control.configure(status_delays=NEVER)
    control.receive(PHONE, "ack")  # an answer to an older page
    time.sleep(2.5)  # older than the page's SMS by more than the service's clock slack
    quick = {"alert_to": [PHONE], "alert_deliver_within": "1s", "alert_call": False}
    polled = {**quick, "alert_ack_within": "7s", "alert_poll_interval": "5"}
    tasks = [include_alert("page", **polled), {"name": "after", "ansible.builtin.debug": {}}]
    run = ansible.play(tasks)
    assert run.rc == 0, run
    assert "Nobody acknowledged the page: page " in run.stdout
    assert run.status("after") == "ok"
    assert sent(ansible) == [("sms", ALICE)]
    strict = ansible.play(
        [include_alert("page", alert_fail_on_error=True, alert_ack_within="2s", **quick)]
    )
    assert strict.rc == 2, strict


def test_the_alert_role_in_check_mode_sends_nothing(ansible: Ansible) -> None:
    run = ansible.play([include_alert("page")], check=True)
    assert run.rc == 0, run
    assert ansible.emulator.control.messages() == []


def test_the_alert_role_hands_over_to_a_relay(ansible: Ansible, relay: Any) -> None:
    variables = {"alert_relay_url": relay.url, "alert_relay_token": RELAY_TOKEN}
    run = ansible.play([include_alert("page", alert_message="Deploy failed", **variables)])
    assert run.rc == 0, run
    assert "The relay took the page: opened" in run.stdout
    [alert] = relay.alerts
    assert alert["summary"] == "Deploy failed"
    assert alert["to"] == [PHONE, OTHER]
    assert "escalation" not in alert  # the relay's routes decide
    assert ansible.emulator.control.messages() == []


# --- the notify callback -----------------------------------------------------------------------


def failing_play() -> dict[str, Any]:
    return {
        "name": "Deploy web",
        "hosts": "web1,web2",
        "gather_facts": False,
        "tasks": [{"name": "Install packages", "ansible.builtin.fail": {"msg": "no package"}}],
    }


def notify_env(ansible: Ansible, **options: str) -> dict[str, str]:
    env = {
        "ANSIBLE_CALLBACKS_ENABLED": "record,smsc.messaging.notify",
        "SMSC_API_URL": ansible.emulator.http_url,
        "SMSC_LOGIN": ansible.emulator.login,
        "SMSC_PASSWORD": ansible.emulator.password,
        "SMSC_NOTIFY_PAGE": "true",
    }
    env.update({f"SMSC_NOTIFY_{k.upper()}": v for k, v in options.items()})
    return env


def test_the_callback_pages_until_a_reply(ansible: Ansible) -> None:
    control = ansible.emulator.control
    control.configure(status_delays=FAST)
    env = notify_env(ansible, to=f"{PHONE},{OTHER}", page_ack_within="60s")
    playbook = ansible.write([failing_play()])
    running = Running(lambda: ansible.run(playbook, hosts=("web1", "web2"), env=env))
    [message] = wait_for(control.messages, message="the page's SMS")
    assert message["text"].startswith("ALERT ")
    assert "2 hosts failed" in message["text"]
    assert message["parts"] == 1  # the summary fits max_parts with the page's own words
    control.receive(PHONE, "ack")
    run = running.result()
    assert run.rc == 2, run  # the hosts failed; the callback never changes that
    assert f"acknowledged by {PHONE} (reply)" in run.stdout
    assert sent(ansible) == [("sms", ALICE)]


def test_the_end_of_the_playbook_waits_at_most_page_wait(ansible: Ansible) -> None:
    """Nobody answers: the page stops escalating when page_wait runs out, with a warning that
    names the setting and the way to page for longer."""
    ansible.emulator.control.configure(status_delays=NEVER)
    env = notify_env(
        ansible,
        to=f"{PHONE},{OTHER}",
        page_deliver_within="2s",
        page_ack_within="60s",
        page_wait="5s",
    )
    started = time.time()
    run = ansible.run(ansible.write([failing_play()]), hosts=("web1", "web2"), env=env)
    took = time.time() - started
    assert run.rc == 2, run
    assert "still escalating when SMSC_NOTIFY_PAGE_WAIT ran out" in run.output
    assert "or SMSC_RELAY_URL) pages for as long as it takes" in run.output
    assert sent(ansible) == [("sms", ALICE), ("call", ALICE)]  # bob: never
    assert took < 60


def test_the_callback_in_a_check_run_pages_nobody(ansible: Ansible) -> None:
    env = notify_env(ansible, to=PHONE)
    run = ansible.run(
        ansible.write([failing_play()]), hosts=("web1", "web2"), env=env, args=["--check"]
    )
    assert run.rc == 2, run
    assert "check run, the failure summary was not sent" in run.stdout
    assert ansible.emulator.control.messages() == []


def test_the_callback_hands_pages_to_a_relay(ansible: Ansible, relay: Any) -> None:
    """No credentials needed; the relay's routes decide the escalation unless it is set."""
    env = {
        "ANSIBLE_CALLBACKS_ENABLED": "record,smsc.messaging.notify",
        "SMSC_NOTIFY_PAGE": "true",
        "SMSC_NOTIFY_TO": f"{PHONE},oncall-lead",
        "SMSC_NOTIFY_PAGE_ACK_WITHIN": "10m",
        "SMSC_RELAY_URL": relay.url,
        "SMSC_RELAY_TOKEN": RELAY_TOKEN,
    }
    playbook = ansible.write([failing_play()])
    started = time.time()
    run = ansible.run(playbook, hosts=("web1", "web2"), env=env, args=["-vvv"])
    assert time.time() - started < 60
    assert run.rc == 2, run
    assert "WARNING" not in run.stderr, run.stderr
    [alert] = relay.alerts
    assert alert["key"] == f"ansible:{playbook}"
    assert alert["to"] == [PHONE, "oncall-lead"]
    assert alert["escalation"] == {"ack_within": 600.0}
    assert alert["labels"] == {"source": "ansible", "playbook": playbook.name}
    assert "web1, web2 - Install packages: no package" in alert["summary"]
    assert "failure page 4F2K handed to the relay (opened" in run.stdout
    assert_no_token(run.output)
    # The same playbook again, failing: the open page is not paged twice; then clean: resolved.
    again = ansible.run(playbook, hosts=("web1", "web2"), env=env)
    assert "(deduplicated, key" in again.stdout
    play = {**failing_play(), "tasks": [{"name": "Works", "ansible.builtin.debug": {}}]}
    playbook.write_text(json.dumps([play]))
    clean = ansible.run(playbook, hosts=("web1", "web2"), env=env)
    assert clean.rc == 0, clean
    assert relay.alerts[-1] == {"key": f"ansible:{playbook}", "status": "resolved"}
    assert "ran without failures, the relay resolved its page" in clean.stdout


def test_a_relay_that_is_down_pages_from_here(ansible: Ansible) -> None:
    """Nothing is lost: a relay that surely did not take the page leaves it to the callback,
    when it has credentials and phone numbers."""
    ansible.emulator.control.configure(status_delays=FAST)
    env = notify_env(
        ansible,
        to=PHONE,
        page_deliver_within="1s",
        page_ack_within="none",
    )
    env.update(SMSC_RELAY_URL="http://127.0.0.1:9", SMSC_RELAY_TOKEN=RELAY_TOKEN)
    run = ansible.run(ansible.write([failing_play()]), hosts=("web1", "web2"), env=env)
    assert run.rc == 2, run
    assert f"paging {PHONE} from here instead" in run.output
    assert "delivered" in run.stdout
    assert sent(ansible) == [("sms", ALICE)]


def test_bad_page_settings_are_warned_about_at_the_start(ansible: Ansible) -> None:
    env = notify_env(
        ansible,
        to=f"{PHONE},G12",
        page_deliver_within="soon",
        page_ack_within="0s",
        page_wait="0s",
    )
    env.update(SMSC_RELAY_URL="http://127.0.0.1:9")
    play = {**failing_play(), "tasks": [{"name": "Works", "ansible.builtin.debug": {}}]}
    run = ansible.run(ansible.write([play]), hosts=("web1", "web2"), env=env)
    assert run.rc == 0, run
    output = " ".join(run.output.split())
    assert "SMSC_NOTIFY_PAGE_DELIVER_WITHIN: must be a duration" in output
    assert "SMSC_NOTIFY_PAGE_ACK_WITHIN: must be at least 1 second, or none" in output
    assert "'G12' is a contact group" in output
    assert "relay_token: is required with relay_url" in output
    assert "pages are run here instead" in output
    assert ansible.emulator.control.messages() == []


def assert_no_token(*texts: str) -> None:
    for text in texts:
        for form in encodings(RELAY_TOKEN):
            assert form not in text, form


# --- the managed host's Python, and secrets ----------------------------------------------------


def test_a_page_runs_on_python_39_with_ansible_core_alone(ansible: Ansible) -> None:
    """The module, the library's paging policy and the voice menu builder on the oldest
    Python a managed host may have; the page ends once delivered (no acknowledgement asked)."""
    python = python_for("3.9.18")
    if python is None:
        pytest.skip("pyenv's Python 3.9.18 is not installed")
    ansible.emulator.control.configure(status_delays=FAST)
    tasks = [
        {"name": "facts", "ansible.builtin.setup": {"gather_subset": ["min"]}},
        task(
            "page",
            "page",
            {
                "to": [PHONE],
                "text": "from Python 3.9",
                "deliver_within": "1s",
                "ack_within": "none",
            },
        ),
    ]
    run = ansible.play(tasks, python=python)
    assert run.rc == 0, run
    assert run.result("facts")["ansible_facts"]["ansible_python_version"] == "3.9.18"
    result = run.result("page")
    assert (result["phase"], result["reason"]) == ("delivered", "delivered")
    assert result["messages"][0]["status"] == 1


@pytest.fixture
def echo_url() -> Iterator[str]:
    """A server that answers every request with its body: no answer is readable."""
    with echoing_server("page") as url:
        yield url


def test_no_secret_in_any_result_of_a_page_even_at_vvv(ansible: Ansible, echo_url: str) -> None:
    """Credentials with characters that encodings change, through a server that quotes every
    request back: every send may have gone out (never repeated), status questions go
    unanswered, the page ends with nobody; nothing shows a secret."""
    tasks = [{**page_task(**QUICK, to=[PHONE]), "ignore_errors": True}]
    connection = {"api_url": echo_url, "login": "ops", "password": NASTY}
    run = ansible.play(tasks, connection=connection, args=["-vvv"])
    assert run.rc == 0, run
    result = run.result("page")
    assert [(m["kind"], m["outcome"]) for m in result["messages"]] == [
        ("sms", "may_have_been_sent"),
        ("call", "may_have_been_sent"),
    ]
    assert (result["outcome"], result["changed"]) == ("may_have_been_sent", True)
    assert_no_secret(run.output, json.dumps(run.records, ensure_ascii=False))
    assert_no_secret(json.dumps(run.records))
