"""Every module of smsc.messaging in real ansible-playbook runs against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import OTHER, PHONE, Ansible, python_for, task

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
    assert result["outcome"] == "sent"
    assert result["batches"] == [
        {
            "messages": 2,
            "sent": True,
            "outcome": "sent",
            "id": result["id"],
            "count": 2,
            "cost": 2.8,
        }
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
        # issue 8: a text that would change the kind, blank or control characters, the same
        # number twice, impossible and past times, options that only go together
        ({"to": [PHONE], "text": "__CALL__: wake up"}, "text", "__CALL__"),
        ({"to": [PHONE], "text": "  \n\t "}, "text", "whitespace"),
        ({"to": [PHONE], "text": "disk\x1b[31m full"}, "text", "control character"),
        ({"to": [PHONE, "7 999 123-45-67"], "text": "x"}, "to", "same recipient"),
        ({"to": [PHONE], "text": "x", "send_at": "2020-01-01T09:00:00+03:00"}, "send_at", "past"),
        ({"to": [PHONE], "text": "x", "send_at": "2030-02-30T09:00:00"}, "send_at", "real date"),
        ({"to": [PHONE], "text": "x", "period": 2}, "period", "needs interval too"),
        (
            {"to": [f"+7916{n:07d}" for n in range(1001)], "text": "x"},
            "to",
            "at most 1000 recipients in one request, got 1001 (use messages",
        ),
        (
            {"to": [PHONE], "kind": "binary", "text": "0B05", "protocol_id": 0},
            "data_coding",
            "protocol_id and data_coding go together",
        ),
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


def test_login_and_api_key_are_mutually_exclusive(ansible: Ansible) -> None:
    connection = {**ansible.connection, "api_key": ansible.emulator.api_key}
    run = ansible.play([task("balance", "balance_info")], connection=connection)
    assert run.rc == 2, run
    assert "mutually exclusive" in run.result("balance")["msg"]
    assert ansible.emulator.api_key not in run.output


def test_explicit_options_beat_the_environment(ansible: Ansible) -> None:
    """The environment fills only what is unset, in the family the options chose: another
    account's API key in the environment does not conflict with a login and password given as
    options, nor its login and password with an API key given as an option."""
    emulator = ansible.emulator
    elsewhere = {
        "SMSC_API_KEY": "someone-elses-key",
        "SMSC_LOGIN": "someone",
        "SMSC_PASSWORD": "not-mine",
        "SMSC_API_URL": "http://127.0.0.1:9",
    }
    by_login = ansible.play(
        [task("balance", "balance_info")], env={"SMSC_API_KEY": "someone-elses-key"}
    )
    assert by_login.rc == 0, by_login
    only_key = {"api_url": emulator.http_url, "api_key": emulator.api_key}
    by_key = ansible.play(
        [task("balance", "balance_info")],
        connection=only_key,
        env={k: v for k, v in elsewhere.items() if k != "SMSC_API_KEY"},
    )
    assert by_key.rc == 0, by_key
    login_only = {"api_url": emulator.http_url, "login": emulator.login}
    filled = ansible.play(
        [task("balance", "balance_info")],
        connection=login_only,
        env={"SMSC_PASSWORD": emulator.password, "SMSC_API_KEY": "someone-elses-key"},
    )
    assert filled.rc == 0, filled
    for run in (by_login, by_key, filled):
        assert run.result("balance")["balance"] == 1000.0
        assert "someone-elses-key" not in run.output


def test_environment_alone(ansible: Ansible) -> None:
    emulator = ansible.emulator
    env = {"SMSC_API_URL": emulator.http_url, "SMSC_API_KEY": emulator.api_key}
    run = ansible.play([task("balance", "balance_info")], connection={}, env=env, args=["-vvv"])
    assert run.rc == 0, run
    assert run.result("balance")["balance"] == 1000.0
    assert emulator.api_key not in run.output

    both = {**env, "SMSC_LOGIN": emulator.login, "SMSC_PASSWORD": emulator.password}
    run = ansible.play([task("balance", "balance_info")], connection={}, env=both)
    assert run.rc == 2, run
    assert "SMSC_API_KEY and SMSC_LOGIN/SMSC_PASSWORD" in run.result("balance")["msg"]

    run = ansible.play(
        [task("balance", "balance_info")], connection={}, env={"SMSC_API_URL": emulator.http_url}
    )
    assert run.rc == 2, run
    result = run.result("balance")
    assert result["field"] == "login"
    assert "SMSC_LOGIN and SMSC_PASSWORD (or SMSC_API_KEY)" in result["msg"]


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
    assert result["outcome"] == "not_sent"
    assert result["changed"] is False


@pytest.mark.parametrize(
    ("fault", "processed"),
    [
        ({"kind": "close", "after_processing": True}, True),  # the answer is lost
        ({"kind": "garbage", "after_processing": True}, True),  # an answer nobody can read
        ({"kind": "http500"}, False),  # a server error: nobody can tell whether it went out
    ],
)
def test_a_send_whose_outcome_is_unknown_changed_and_fails(
    ansible: Ansible, fault: dict[str, Any], processed: bool
) -> None:
    ansible.emulator.control.add_fault("send", **fault)
    run = ansible.play([task("send", "send", {"to": [PHONE], "text": "Disk full on db1"})])
    assert run.rc == 2, run
    assert run.status("send") == "failed"
    result = run.result("send")
    assert result["changed"] is True
    assert result["outcome"] == "may_have_been_sent"
    assert "may have been sent" in result["msg"]
    # Never sent twice: at most the one message the service may have processed.
    assert len(ansible.emulator.control.messages()) == (1 if processed else 0)


def test_personalised_messages_whose_answer_is_lost(ansible: Ansible) -> None:
    ansible.emulator.control.add_fault("send", "close", after_processing=True)
    bulk = {"messages": [{"to": [PHONE], "text": "Anna, 17"}, {"to": [OTHER], "text": "Boris, 18"}]}
    run = ansible.play([task("bulk", "send", bulk)])
    assert run.rc == 2, run
    result = run.result("bulk")
    assert (result["changed"], result["outcome"]) == (True, "may_have_been_sent")
    [batch] = result["batches"]
    assert (batch["sent"], batch["outcome"]) == (False, "may_have_been_sent")
    assert len(ansible.emulator.control.messages()) == 2  # sent once, not again


def test_a_send_to_a_server_that_never_answers(ansible: Ansible, silent_server: str) -> None:
    connection = {**ansible.connection, "api_url": silent_server, "timeout": 1}
    run = ansible.play(
        [
            task("send", "send", {"to": [PHONE], "text": "anyone?"}, ignore_errors=True),
            task("event", "event", {"task_group": 1}, ignore_errors=True),
            task("balance", "balance_info", ignore_errors=True),
        ],
        connection=connection,
    )
    assert run.rc == 0, run
    for name in ("send", "event"):
        result = run.result(name)
        assert result["outcome"] == "may_have_been_sent", (name, result)
        assert result["changed"] is True
    balance = run.result("balance")
    assert "outcome" not in balance  # a read has no outcome
    assert balance["changed"] is False


def test_outcomes_of_sends_that_went_or_surely_did_not(ansible: Ansible) -> None:
    sms = {"to": [PHONE], "text": "All good"}
    run = ansible.play(
        [
            task("check", "send", sms, check_mode=True),
            task("sent", "send", sms),
            task("bad", "send", {**sms, "text": "__CALL__: wake up"}, ignore_errors=True),
            task("refused", "send", sms, ignore_errors=True),  # the same text twice a minute
        ]
    )
    assert run.rc == 0, run
    assert run.result("check")["outcome"] == "not_sent"
    assert run.result("sent")["outcome"] == "sent"
    bad = run.result("bad")
    assert (bad["outcome"], bad["field"], bad["changed"]) == ("not_sent", "text", False)
    refused = run.result("refused")
    assert (refused["outcome"], refused["error_code"]) == ("not_sent", 9)
    assert refused["changed"] is False
    assert len(ansible.emulator.control.messages()) == 1


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
