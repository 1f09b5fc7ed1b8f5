"""Every module of smsc.messaging in real ansible-playbook runs against the emulator."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import Ansible, python_for

PHONE = "+79991234567"
OTHER = "+79161234567"


def task(name: str, module: str, args: dict[str, Any] | None = None, **keywords: Any) -> dict:
    return {"name": name, f"smsc.messaging.{module}": args or {}, "register": "out", **keywords}


# --- balance_info, send, message_info --------------------------------------------------------


def test_balance_info(ansible: Ansible) -> None:
    run = ansible.play([task("balance", "balance_info")])
    assert run.rc == 0, run
    result = run.result("balance")
    assert result["changed"] is False
    assert result["balance"] == 1000.0
    assert result["currency"] == "RUB"
    assert result["credit"] is None


def test_send_sms_then_read_its_status(ansible: Ansible) -> None:
    sms = {"to": [PHONE, OTHER], "text": "Disk full on db1", "sender": "SMSC"}
    run = ansible.play(
        [
            {**task("send", "send", sms), "register": "sent"},
            task(
                "status",
                "message_info",
                {"message_id": "{{ sent.id }}", "phone": PHONE, "details": 1},
            ),
            task(
                "statuses",
                "message_info",
                {"messages": [{"id": "{{ sent.id }}", "phone": p} for p in (PHONE, OTHER)]},
            ),
        ]
    )
    assert run.rc == 0, run
    sent = run.result("send")
    assert sent["changed"] is True
    assert sent["id"]
    assert sent["parts"] == 2  # one part to each of two recipients
    assert sent["cost"] == pytest.approx(2.8)
    assert sent["balance"] == pytest.approx(997.2)
    assert {r["phone"] for r in sent["recipients"]} == {"79991234567", "79161234567"}
    status = run.result("status")
    assert status["changed"] is False
    [info] = status["messages"]
    assert info["id"] == sent["id"]
    assert info["text"] == "Disk full on db1"
    assert info["status_meaning"]
    assert len(run.result("statuses")["messages"]) == 2
    [message] = ansible.emulator.control.messages()
    assert message["text"] == "Disk full on db1"
    assert message["sender"] == "SMSC"


def test_check_mode_asks_for_the_cost_and_sends_nothing(ansible: Ansible) -> None:
    long_text = "Maintenance tonight. " * 10  # 210 characters: two parts
    run = ansible.play([task("send", "send", {"to": [PHONE], "text": long_text})], check=True)
    assert run.rc == 0, run
    result = run.result("send")
    assert result["changed"] is True
    assert result["id"] is None
    assert result["parts"] == 2
    assert result["cost"] == pytest.approx(2.8)
    assert ansible.emulator.control.messages() == []
    assert ansible.emulator.control.account()["balance"] in ("1000.00", 1000, "1000")


def test_every_kind_and_option(ansible: Ansible) -> None:
    (ansible.workdir / "files").mkdir()
    (ansible.workdir / "files" / "report.csv").write_text("host,state\ndb1,down\n" * 10)
    ansible.emulator.control.add_contact_group(7, [PHONE, OTHER], "ops")
    sends = [
        ("flash", {"kind": "flash", "to": [PHONE], "text": "flash text"}),
        (
            "call",
            {
                "kind": "call",
                "to": [PHONE],
                "text": "Database is down",
                "voice": "w",
                "dial": {"wait": 30, "interval": 60, "attempts": 3},
            },
        ),
        ("viber", {"kind": "viber", "to": [PHONE], "text": "viber text"}),
        ("whatsapp", {"kind": "whatsapp", "to": [PHONE], "text": "whatsapp text"}),
        (
            "email",
            {
                "kind": "email",
                "to": ["ops@example.com"],
                "sender": "ansible@example.com",
                "subject": "Nightly report",
                "text": "Report attached",
                "attachments": [{"path": "report.csv"}],
            },
        ),
        (
            "mms",
            {
                "kind": "mms",
                "to": [PHONE],
                "subject": "Chart",
                "text": "mms text",
                "attachments": [
                    {
                        "name": "note.txt",
                        "content": "aGVsbG8gd29ybGQ=",
                        "content_type": "text/plain",
                    }
                ],
            },
        ),
        ("hlr", {"kind": "hlr", "to": [PHONE]}),
        ("ping", {"kind": "ping", "to": [OTHER]}),
        ("push", {"kind": "push", "to": [PHONE], "text": "https://example.com\nOpen the site"}),
        (
            "binary",
            {
                "kind": "binary",
                "to": [PHONE],
                "text": "0B05040B8423F0",
                "protocol_id": 0,
                "data_coding": 4,
            },
        ),
        (
            "scheduled",
            {
                "to": ["G7"],
                "text": "Maintenance at ten",
                "send_at": "2030-05-01T09:00:00+03:00",
                "validity": "02:30",
                "max_parts": 1,
                "transliterate": "latin",
                "comment": "change 42",
                "message_id": "maint-42",
            },
        ),
        (
            "spread",
            {
                "to": [PHONE, OTHER],
                "text": "Spread over an hour",
                "period": 1,
                "interval": 30,
                "shorten_links": True,
            },
        ),
    ]
    run = ansible.play([task(name, "send", args) for name, args in sends])
    assert run.rc == 0, run
    for name, _ in sends:
        assert run.status(name) == "changed", (name, run.result(name))
    assert run.result("call")["seconds"] is not None
    assert run.result("call")["parts"] is None
    assert run.result("scheduled")["id"] == "maint-42"
    messages = {m["kind"]: m for m in ansible.emulator.control.messages()}
    assert set(messages) >= {"flash", "call", "viber", "whatsapp", "mail", "mms", "hlr", "ping"}
    assert {"push", "bin"} <= set(messages)
    call = messages["call"]
    assert call["options"]["param"] == "30,60,3"
    assert call["options"]["voice"] == "w"
    mail = messages["mail"]
    assert mail["subject"] == "Nightly report"
    assert [f["name"] for f in mail["files"]] == ["report.csv"]
    assert mail["files"][0]["size"] == len("host,state\ndb1,down\n" * 10)
    assert [f["name"] for f in messages["mms"]["files"]] == ["note.txt"]
    scheduled = next(m for m in ansible.emulator.control.messages() if m["id"] == "maint-42")
    assert scheduled["options"]["valid"] == "02:30"
    assert scheduled["options"]["maxsms"] == "1"
    assert scheduled["options"]["translit"] == "1"
    assert scheduled["comment"] == "change 42"
    assert scheduled["options"]["time"].startswith("0")  # an exact moment: 0<timestamp>
    assert {p["phone"] for p in scheduled["phones"]} == {"79991234567", "79161234567"}


def test_personalised_messages(ansible: Ansible) -> None:
    bulk = {
        "sender": "SMSC",
        "messages": [
            {"to": [PHONE], "text": "Anna, your order 17 is ready"},
            {
                "to": [OTHER],
                "text": "Boris, your order 18 is ready",
                "sender": "SMSC",
                "timezone": 1,
            },
        ],
    }
    run = ansible.play(
        [task("estimate", "send", bulk, check_mode=True), task("bulk", "send", bulk)]
    )
    assert run.rc == 0, run
    estimate = run.result("estimate")
    assert estimate["changed"] is True
    assert estimate["id"] is None
    assert estimate["cost"] == pytest.approx(2.8)
    result = run.result("bulk")
    assert result["changed"] is True
    assert result["batches"] == [
        {"messages": 2, "sent": True, "id": result["id"], "count": 2, "cost": 2.8}
    ]
    texts = sorted(m["text"] for m in ansible.emulator.control.messages())
    assert texts == ["Anna, your order 17 is ready", "Boris, your order 18 is ready"]


@pytest.mark.parametrize(
    ("args", "field", "rule"),
    [
        ({"to": ["12"], "text": "x"}, "to", "is not a phone number"),
        ({"to": [PHONE], "text": "x", "kind": "call", "sender": "Shop"}, "sender", "phone"),
        ({"to": [PHONE], "text": "x", "voice": "w"}, "voice", "only applies"),
        ({"to": [PHONE], "text": "x", "validity": "forever"}, "validity", "hours"),
        ({"to": [PHONE], "text": "x", "send_at": "tomorrow"}, "send_at", "time formats"),
        ({"to": [PHONE], "text": "x", "interval": 5}, "interval", "period"),
        ({"to": [PHONE], "text": "x" * 1001}, "text", "at most 1000"),
        (
            {"to": [PHONE], "kind": "call", "text": "x", "dial": {"attempts": 20}},
            "dial.attempts",
            "from 1 to 9",
        ),
        (
            {"messages": [{"to": [PHONE], "text": "a"}, {"to": ["x"], "text": "b"}]},
            "messages[1].to",
            "is not a phone number",
        ),
        ({"messages": [{"to": [PHONE], "text": "a"}], "subject": "s"}, "subject", "personal"),
    ],
)
def test_bad_input_fails_before_any_request(
    ansible: Ansible, args: dict, field: str, rule: str
) -> None:
    run = ansible.play([task("send", "send", args)])
    assert run.rc == 2, run
    assert run.status("send") == "failed"
    result = run.result("send")
    assert result["field"] == field
    assert rule in result["rule"]
    assert result["msg"].startswith(f"{field}: ")
    assert ansible.emulator.control.messages() == []


def test_service_errors_name_the_code_its_meaning_and_the_endpoint(ansible: Ansible) -> None:
    ansible.emulator.control.set_balance("0.10")
    run = ansible.play([task("send", "send", {"to": [PHONE], "text": "No money"})])
    assert run.rc == 2, run
    result = run.result("send")
    assert result["error_code"] == 3
    assert result["endpoint"] == "send.php"
    assert result["error_meaning"] == "insufficient funds on the account"
    assert "send.php error 3" in result["msg"]


def test_duplicate_send_within_a_minute_is_refused(ansible: Ansible) -> None:
    sms = {"to": [PHONE], "text": "Same text twice"}
    run = ansible.play([task("first", "send", sms), task("second", "send", sms)])
    assert run.rc == 2, run
    assert run.status("first") == "changed"
    second = run.result("second")
    assert second["error_code"] == 9
    assert second["endpoint"] == "send.php"
    assert len(ansible.emulator.control.messages()) == 1


def test_wrong_credentials_fail_without_showing_them(ansible: Ansible) -> None:
    secret = "Wr0ng-Pa55word-x7"
    connection = {**ansible.connection, "password": secret}
    run = ansible.play([task("balance", "balance_info")], connection=connection, args=["-vvv"])
    assert run.rc == 2, run
    result = run.result("balance")
    assert result["error_code"] == 2
    assert result["endpoint"] == "balance.php"
    assert secret not in run.output
    assert secret not in str(run.records)


def test_api_key_and_environment_fallbacks(ansible: Ansible) -> None:
    env = {"SMSC_API_URL": ansible.emulator.http_url, "SMSC_API_KEY": ansible.emulator.api_key}
    run = ansible.play([task("balance", "balance_info")], connection={}, env=env, args=["-vvv"])
    assert run.rc == 0, run
    assert run.result("balance")["balance"] == 1000.0
    assert ansible.emulator.api_key not in run.output


def test_login_and_api_key_are_mutually_exclusive(ansible: Ansible) -> None:
    connection = {**ansible.connection, "api_key": ansible.emulator.api_key}
    run = ansible.play([task("balance", "balance_info")], connection=connection)
    assert run.rc == 2, run
    assert "mutually exclusive" in run.result("balance")["msg"]
    assert ansible.emulator.api_key not in run.output


def test_unreachable_service_says_whether_a_message_may_have_gone(ansible: Ansible) -> None:
    connection = {**ansible.connection, "api_url": "http://127.0.0.1:9", "timeout": 2}
    run = ansible.play(
        [task("send", "send", {"to": [PHONE], "text": "nobody listens"})],
        connection=connection,
    )
    assert run.rc == 2, run
    result = run.result("send")
    assert result["maybe_received"] is False
    assert "not connected" in result["msg"]


# --- templates ---------------------------------------------------------------------------


def test_template_is_idempotent_by_name_and_shows_a_diff(ansible: Ansible) -> None:
    control = ansible.emulator.control
    wanted = {"name": "delivery", "text": "Your order {1} ships {2}", "kind": "sms"}
    first = ansible.play(
        [task("check", "template", wanted, check_mode=True), task("create", "template", wanted)],
        diff=True,
    )
    assert first.rc == 0, first
    assert first.status("check") == "changed"
    created = first.result("create")
    assert created["changed"] is True
    assert created["diff"]["before"] == {}
    assert created["diff"]["after"]["text"] == wanted["text"]
    assert '+    "text": "Your order {1} ships {2}"' in first.stdout
    control.advance(61)  # three identical list requests a minute

    again = ansible.play([task("again", "template", wanted)], diff=True)
    assert again.rc == 0, again
    assert again.result("again")["changed"] is False
    assert "diff" not in again.result("again")
    assert again.result("again")["template"]["id"] == created["template"]["id"]

    changed = {**wanted, "text": "Order {1} ships {2}", "autosign": True}
    update = ansible.play([task("update", "template", changed)], diff=True)
    assert update.rc == 0, update
    result = update.result("update")
    assert result["changed"] is True
    assert result["diff"]["before"]["text"] == wanted["text"]
    assert result["diff"]["after"]["text"] == "Order {1} ships {2}"
    assert result["diff"]["after"]["autosign"] is True
    control.advance(61)

    info = ansible.play([task("info", "template_info", {"name": "DELIVERY"})])
    [template] = info.result("info")["templates"]
    assert template["text"] == "Order {1} ships {2}"
    assert template["autosign"] is True
    assert template["kind"] == "sms"

    gone = ansible.play(
        [
            task("delete", "template", {"name": "delivery", "state": "absent"}),
            task("delete again", "template", {"name": "delivery", "state": "absent"}),
        ]
    )
    assert gone.rc == 0, gone
    assert gone.result("delete")["changed"] is True
    assert gone.result("delete")["template"] is None
    assert gone.result("delete again")["changed"] is False


def test_template_needs_a_message_to_be_created(ansible: Ansible) -> None:
    run = ansible.play([task("create", "template", {"name": "empty"})])
    assert run.rc == 2, run
    assert run.result("create")["field"] == "text"


# --- sender names ------------------------------------------------------------------------


def test_sender_name_lifecycle(ansible: Ansible) -> None:
    control = ansible.emulator.control
    run = ansible.play(
        [
            task("add", "sender", {"name": "Shop", "comment": "orders"}),
            task("add again", "sender", {"name": "Shop"}),
            task("list", "sender_info", {"name": "shop"}),
        ],
        diff=True,
    )
    assert run.rc == 0, run
    added = run.result("add")
    assert added["changed"] is True
    assert added["sender"]["status_meaning"] == "waiting for moderation"
    assert added["diff"]["before"] == {}
    assert run.result("add again")["changed"] is False
    [listed] = run.result("list")["senders"]
    assert listed["name"] == "Shop"
    assert listed["status"] == 0
    control.advance(61)
    control.set_sender_status("Shop", 1, {"mts_step": 2})

    run = ansible.play(
        [
            task("operators", "sender_info", {"operators": True}),
            task("delete check", "sender", {"name": "Shop", "state": "absent"}, check_mode=True),
            task("delete", "sender", {"name": "Shop", "state": "absent"}),
        ]
    )
    assert run.rc == 0, run
    shop = next(s for s in run.result("operators")["senders"] if s["name"] == "Shop")
    assert shop["operators"]["mts_step"] == 2
    assert run.result("delete check")["changed"] is True
    assert run.result("delete")["changed"] is True
    control.advance(61)
    run = ansible.play([task("delete again", "sender", {"name": "Shop", "state": "absent"})])
    assert run.result("delete again")["changed"] is False


def test_numeric_sender_confirmation_steps(ansible: Ansible) -> None:
    control = ansible.emulator.control
    number = "+79005554433"
    run = ansible.play(
        [task("send code", "sender", {"name": number}), task("rerun", "sender", {"name": number})]
    )
    assert run.rc == 0, run
    first = run.result("send code")
    assert first["changed"] is True
    assert first["code_sent"] is True
    assert any("confirmation_code" in w for w in first.get("warnings", []))
    rerun = run.result("rerun")
    assert rerun["changed"] is False  # a code is pending: nothing new happens
    assert rerun["code_sent"] is True
    [code_sms] = [m for m in control.messages() if m["source"] == "service"]
    code = re.search(r"\d{6}", code_sms["text"]).group(0)
    control.advance(61)

    wrong = ansible.play([task("wrong", "sender", {"name": number, "confirmation_code": "000000"})])
    assert wrong.rc == 2, wrong
    assert wrong.result("wrong")["error_code"] == 11
    control.advance(61)

    run = ansible.play(
        [
            task("confirm", "sender", {"name": number, "confirmation_code": code}),
            task("confirmed", "sender", {"name": number}),
        ]
    )
    assert run.rc == 0, run
    assert run.result("confirm")["changed"] is True
    assert run.result("confirm")["sender"]["status"] == 1
    assert run.result("confirmed")["changed"] is False
    assert code not in run.output  # no_log


# --- operator templates ------------------------------------------------------------------


def test_operator_template_is_added_once(ansible: Ansible) -> None:
    control = ansible.emulator.control
    wanted = {
        "sender": "SMSC",
        "text": "Your code is %d",
        "operators": ["mts_service", "beeline_transactional"],
    }
    run = ansible.play(
        [
            task("check", "operator_template", wanted, check_mode=True),
            task("add", "operator_template", wanted),
            task("again", "operator_template", wanted),
        ],
        diff=True,
    )
    assert run.rc == 0, run
    assert run.result("check")["changed"] is True
    added = run.result("add")
    assert added["changed"] is True
    assert sorted(added["added"]) == ["beeline_transactional", "mts_service"]
    assert {o["operator"]: o["status"] for o in added["operators"]} == {
        "mts_service": 0,
        "beeline_transactional": 0,
    }
    assert added["diff"]["after"]["registered"] == ["beeline_transactional", "mts_service"]
    assert run.result("again")["changed"] is False
    control.set_op_template_status("SMSC", "Your code is %d", "mts_srv", 2)

    info = ansible.play(
        [task("info", "operator_template_info", {"sender": "SMSC", "text": "Your code is %d"})]
    )
    assert info.rc == 0, info
    statuses = {o["operator"]: o for o in info.result("info")["operators"]}
    assert statuses["mts_service"]["status_meaning"] == "accepted by the operator"
    assert statuses["tele2_service"]["status"] == -1


def test_operator_template_for_an_unknown_sender_reports_each_operator(ansible: Ansible) -> None:
    wanted = {"sender": "Nobody", "text": "Hi %s", "operators": ["mts_service"]}
    run = ansible.play([task("add", "operator_template", wanted)])
    assert run.rc == 2, run
    result = run.result("add")
    assert result["failed_operators"] == ["mts_service"]
    assert "sender name is unknown" in result["msg"]
    assert result["changed"] is False


# --- event -------------------------------------------------------------------------------


def test_event_through_a_task_group(ansible: Ansible) -> None:
    control = ansible.emulator.control
    [group] = control.task_groups()
    failure = {"task_group": group["id"], "name": "web", "host": "web1", "info": "HTTP 502"}
    run = ansible.play(
        [
            task("check", "event", failure, check_mode=True),
            task("failure", "event", failure),
            task("recovery", "event", {**failure, "status": "recovery"}),
            task("unknown group", "event", {"task_group": 999}, ignore_errors=True),
        ]
    )
    assert run.rc == 0, run
    assert run.result("check")["changed"] is True
    assert run.result("failure")["changed"] is True
    events = control.ping_events()
    assert len(events) == 2
    unknown = run.result("unknown group")
    assert unknown["error_code"] == 3
    assert unknown["error_meaning"] == "task group not found"
    assert unknown["endpoint"] == "ping.php"


# --- Python 3.9 on the managed host --------------------------------------------------------


def test_modules_run_on_python_39(ansible: Ansible) -> None:
    python = python_for("3.9.18")
    if python is None:
        pytest.skip("pyenv's Python 3.9.18 is not installed")
    run = ansible.play(
        [
            {"name": "facts", "ansible.builtin.setup": {"gather_subset": ["min"]}},
            task("balance", "balance_info"),
            task("send", "send", {"to": [PHONE], "text": "from Python 3.9", "validity": 2}),
            task("template", "template", {"name": "py39", "text": "hello"}),
        ],
        python=python,
        args=["-v"],
    )
    assert run.rc == 0, run
    assert run.result("send")["changed"] is True
    assert run.result("template")["changed"] is True
    assert run.result("facts")["ansible_facts"]["ansible_python_version"].startswith("3.9.")
