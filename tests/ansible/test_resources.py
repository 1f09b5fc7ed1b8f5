"""The account's records - template, sender, operator_template and the list modules templates and
senders - in real ansible-playbook runs against the emulator: check mode, diff, idempotency,
every state, bad input, service errors and faults."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest

from pysmsc import Client

from .conftest import Ansible, Run, task

ALERT = {"name": "alert", "text": "ALERT {1} on {2}", "kind": "sms"}
RECOVERY = {"name": "recovery", "text": "RECOVERED {1} on {2}", "kind": "sms"}
WELCOME = {"name": "welcome", "text": "Welcome, {1}!", "sender": "SMSC", "autosign": True}


def templates(config: list[dict[str, Any]] | None, state: str = "merged", **keywords: Any) -> dict:
    args: dict[str, Any] = {"state": state}
    if config is not None:
        args["config"] = config
    return task(keywords.pop("name", state), "templates", args, **keywords)


def names(records: list[dict[str, Any]]) -> list[str]:
    return [record["name"] for record in records]


def account_templates(ansible: Ansible) -> dict[str, dict[str, Any]]:
    """The emulator's templates, read on its side (no request, no rate limit)."""
    account = ansible.emulator.emulator.state.accounts["demo"]
    return ansible.emulator.emulator.call(
        lambda: {
            t.name: {"text": t.message, "format": t.format, "sender": t.sender, "flag": t.flag}
            for t in account.templates.values()
        }
    )


def account_senders(ansible: Ansible) -> dict[str, int]:
    account = ansible.emulator.emulator.state.accounts["demo"]
    return ansible.emulator.emulator.call(
        lambda: {s.name: s.status for s in account.senders.values()}
    )


# --- template ----------------------------------------------------------------------------


def test_template_is_idempotent_by_name_and_shows_a_diff(ansible: Ansible) -> None:
    control = ansible.emulator.control
    wanted = {"name": "delivery", "text": "Your order {1} ships {2}", "kind": "sms"}
    first = ansible.play(
        [task("check", "template", wanted, check_mode=True), task("create", "template", wanted)],
        diff=True,
    )
    assert first.rc == 0, first
    check = first.result("check")
    assert check["changed"] is True
    assert check["operations"] == [{"operation": "create", "name": "delivery"}]
    assert check["template"]["id"] is None
    created = first.result("create")
    assert created["changed"] is True
    assert created["operations"] == [{"operation": "create", "name": "delivery"}]
    assert created["diff"]["before"] == {}
    assert created["diff"]["after"]["text"] == wanted["text"]
    assert isinstance(created["template"]["id"], int)
    assert '+    "text": "Your order {1} ships {2}"' in first.stdout
    assert list(account_templates(ansible)) == ["delivery"]
    control.advance(61)  # three identical list requests a minute

    again = ansible.play([task("again", "template", {**wanted, "name": "DELIVERY"})], diff=True)
    assert again.rc == 0, again
    result = again.result("again")
    assert result["changed"] is True  # the letter case of the name is the user's to choose
    assert result["operations"] == [{"operation": "update", "name": "DELIVERY", "fields": ["name"]}]
    control.advance(61)
    again = ansible.play([task("again", "template", {**wanted, "name": "DELIVERY"})], diff=True)
    assert again.result("again")["changed"] is False
    assert again.result("again")["operations"] == []
    assert "diff" not in again.result("again")
    assert again.result("again")["template"]["id"] == created["template"]["id"]

    changed = {**wanted, "name": "DELIVERY", "text": "Order {1} ships {2}", "autosign": True}
    update = ansible.play([task("update", "template", changed)], diff=True)
    assert update.rc == 0, update
    result = update.result("update")
    assert result["changed"] is True
    assert result["operations"][0]["fields"] == ["text", "autosign"]
    assert result["diff"]["before"]["text"] == wanted["text"]
    assert result["diff"]["after"]["text"] == "Order {1} ships {2}"
    assert result["diff"]["after"]["autosign"] is True
    assert account_templates(ansible)["DELIVERY"] == {
        "text": "Order {1} ships {2}",
        "format": "sms",
        "sender": "",
        "flag": 1,
    }
    control.advance(61)

    gone = ansible.play(
        [
            task("delete", "template", {"name": "delivery", "state": "absent"}),
            task("delete again", "template", {"name": "delivery", "state": "absent"}),
        ]
    )
    assert gone.rc == 0, gone
    assert gone.result("delete")["changed"] is True
    assert gone.result("delete")["operations"] == [{"operation": "delete", "name": "DELIVERY"}]
    assert gone.result("delete")["template"] is None
    assert gone.result("delete again")["changed"] is False
    assert account_templates(ansible) == {}


def test_template_bad_input_names_the_option(ansible: Ansible) -> None:
    run = ansible.play(
        [
            task("no text", "template", {"name": "empty"}, ignore_errors=True),
            task(
                "mail sender",
                "template",
                {"name": "m", "text": "x", "kind": "email", "sender": "Shop"},
                ignore_errors=True,
            ),
            task("long name", "template", {"name": "n" * 101, "text": "x"}, ignore_errors=True),
        ]
    )
    assert run.rc == 0, run
    assert run.result("no text")["field"] == "text"
    assert "required to create" in run.result("no text")["rule"]
    assert run.result("mail sender")["field"] == "sender"
    assert "e-mail" in run.result("mail sender")["rule"]
    assert run.result("long name")["field"] == "name"
    assert account_templates(ansible) == {}


# --- sender ------------------------------------------------------------------------------


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
    assert added["operations"] == [{"operation": "create", "name": "Shop"}]
    assert added["sender"]["status_meaning"] == "waiting for moderation"
    assert added["diff"]["before"] == {}
    assert run.result("add again")["changed"] is False
    [listed] = run.result("list")["senders"]
    assert listed == {**added["sender"], "operators": listed["operators"]}
    control.advance(61)
    control.set_sender_status("Shop", 1, {"mts_step": 2, "tele2": 3})

    run = ansible.play(
        [
            task("operators", "sender_info", {"operators": True}),
            task("delete check", "sender", {"name": "Shop", "state": "absent"}, check_mode=True),
            task("delete", "sender", {"name": "Shop", "state": "absent"}),
        ]
    )
    assert run.rc == 0, run
    shop = next(s for s in run.result("operators")["senders"] if s["name"] == "Shop")
    # Both the moderation status and the operators' statuses, as the documentation promises.
    assert shop["status"] == 1
    assert shop["status_meaning"] == "allowed"
    assert shop["operators"]["mts_step"] == 2
    assert shop["operators"]["tele2"] == 3
    assert run.result("delete check")["changed"] is True
    assert "Shop" not in account_senders(ansible)
    assert run.result("delete")["operations"] == [{"operation": "delete", "name": "Shop"}]
    control.advance(61)
    run = ansible.play([task("delete again", "sender", {"name": "Shop", "state": "absent"})])
    assert run.result("delete again")["changed"] is False


def test_numeric_sender_confirmation_steps(ansible: Ansible) -> None:
    control = ansible.emulator.control
    number = "+79005554433"
    run = ansible.play(
        [
            task("send code", "sender", {"name": number}),
            task("rerun", "sender", {"name": number}),
            task("info", "sender_info", {"name": number}),
        ]
    )
    assert run.rc == 0, run
    first = run.result("send code")
    assert first["changed"] is True
    assert first["code_sent"] is True
    assert first["operations"] == [{"operation": "send_code", "name": number}]
    assert any("confirmation_code" in w for w in first.get("warnings", []))
    rerun = run.result("rerun")
    assert rerun["changed"] is False  # a code is pending: nothing new happens
    assert rerun["code_sent"] is True
    # One status, one meaning, one name for the number, whichever module shows it.
    [info] = run.result("info")["senders"]
    assert info["name"] == "79005554433"
    assert info["status"] == 0
    assert info["status_meaning"] == "waiting for the confirmation code sent to the number"
    assert rerun["sender"] == info
    assert {k: first["sender"][k] for k in ("name", "status", "status_meaning")} == {
        k: info[k] for k in ("name", "status", "status_meaning")
    }
    [code_sms] = [m for m in control.messages() if m["source"] == "service"]
    code = re.search(r"\d{6}", code_sms["text"]).group(0)
    control.advance(61)

    wrong = ansible.play([task("wrong", "sender", {"name": number, "confirmation_code": "000000"})])
    assert wrong.rc == 2, wrong
    assert wrong.result("wrong")["error_code"] == 11
    assert wrong.result("wrong")["failed_operation"] == {"operation": "confirm", "name": number}
    control.advance(61)

    run = ansible.play(
        [
            task("confirm", "sender", {"name": "79005554433", "confirmation_code": code}),
            task("confirmed", "sender", {"name": number}),
            task("info", "sender_info", {"name": "79005554433"}),
        ]
    )
    assert run.rc == 0, run
    assert run.result("confirm")["changed"] is True
    assert run.result("confirm")["sender"]["status"] == 1
    assert run.result("confirmed")["changed"] is False
    [info] = run.result("info")["senders"]
    assert run.result("confirm")["sender"] == info == run.result("confirmed")["sender"]
    assert info["status_meaning"] == "allowed"
    assert code not in run.output  # no_log


def test_a_code_is_only_for_numbers(ansible: Ansible) -> None:
    run = ansible.play([task("code", "sender", {"name": "Shop", "confirmation_code": "123456"})])
    assert run.rc == 2, run
    assert run.result("code")["field"] == "confirmation_code"
    assert "Shop" not in account_senders(ansible)


# --- operator_template -------------------------------------------------------------------


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
    check = run.result("check")
    assert check["changed"] is True
    assert check["operations"] == [
        {
            "operation": "register",
            "name": "SMSC: Your code is %d",
            "fields": ["mts_service", "beeline_transactional"],
        }
    ]
    added = run.result("add")
    assert added["changed"] is True
    assert added["added"] == ["mts_service", "beeline_transactional"]
    record = added["operator_template"]
    assert (record["sender"], record["text"]) == ("SMSC", "Your code is %d")
    assert {o["operator"]: o["status"] for o in record["operators"]} == {
        "mts_service": 0,
        "beeline_transactional": 0,
    }
    assert [o["status"] for o in added["diff"]["before"]["operators"]] == [-1, -1]
    assert [o["status"] for o in added["diff"]["after"]["operators"]] == [0, 0]
    assert run.result("again")["changed"] is False
    assert run.result("again")["added"] == []
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
    assert result["failed_operation"]["operation"] == "register"


# --- templates (the list module) ---------------------------------------------------------


def test_templates_converge_with_one_read_per_run(ansible: Ansible) -> None:
    """Three runs in one minute: the service's limit of three identical list requests would
    refuse a fourth read (rate_limit_wait 0: no waiting it out), so each run read once."""
    declared = [ALERT, RECOVERY, WELCOME]
    connection = {**ansible.connection, "rate_limit_wait": 0}
    plan = ansible.play(
        [templates(declared, check_mode=True, name="plan")], diff=True, connection=connection
    )
    assert plan.rc == 0, plan
    assert account_templates(ansible) == {}
    result = plan.result("plan")
    assert result["changed"] is True
    assert [o["operation"] for o in result["operations"]] == ["create"] * 3
    assert names(result["after"]) == ["alert", "recovery", "welcome"]
    assert result["before"] == []
    assert sorted(result["diff"]["after"]) == ["alert", "recovery", "welcome"]

    first = ansible.play([templates(declared, name="first")], diff=True, connection=connection)
    assert first.rc == 0, first
    result = first.result("first")
    assert result["changed"] is True
    assert all(isinstance(t["id"], int) for t in result["after"])
    assert account_templates(ansible)["welcome"] == {
        "text": "Welcome, {1}!",
        "format": "",
        "sender": "SMSC",
        "flag": 1,
    }
    second = ansible.play([templates(declared, name="second")], diff=True, connection=connection)
    assert second.rc == 0, second
    result = second.result("second")
    assert result["changed"] is False
    assert result["operations"] == []
    assert "diff" not in result
    assert result["before"] == result["after"] == first.result("first")["after"]

    fourth = ansible.play([templates(declared, name="fourth")], connection=connection)
    assert fourth.rc == 2, fourth
    assert fourth.result("fourth")["error_code"] == 9


def test_templates_merged_replaced_and_absent_items(ansible: Ansible) -> None:
    control = ansible.emulator.control
    run = ansible.play([templates([ALERT, WELCOME, RECOVERY])])
    assert run.rc == 0, run
    control.advance(61)

    # merged: only what is given changes; welcome keeps its sender and signature.
    run = ansible.play(
        [
            templates(
                [{"name": "welcome", "text": "Hi {1}"}, {"name": "recovery", "state": "absent"}]
            )
        ],
        diff=True,
    )
    assert run.rc == 0, run
    result = run.result("merged")
    assert result["operations"] == [
        {"operation": "delete", "name": "recovery"},
        {"operation": "update", "name": "welcome", "fields": ["text"]},
    ]
    assert account_templates(ansible)["welcome"]["sender"] == "SMSC"
    assert "recovery" not in account_templates(ansible)
    assert re.search(r'(?m)^-\s+"text": "Welcome, \{1\}!",?$', run.stdout)
    assert re.search(r'(?m)^\+\s+"text": "Hi \{1\}",?$', run.stdout)
    control.advance(61)

    # replaced: what is not given goes back to its default; alert is not declared and stays.
    run = ansible.play([templates([{"name": "welcome", "text": "Hi {1}"}], "replaced")])
    assert run.rc == 0, run
    assert run.result("replaced")["operations"] == [
        {"operation": "update", "name": "welcome", "fields": ["sender", "autosign"]}
    ]
    assert account_templates(ansible)["welcome"] == {
        "text": "Hi {1}",
        "format": "",
        "sender": "",
        "flag": 0,
    }
    assert "alert" in account_templates(ansible)
    control.advance(61)
    again = ansible.play([templates([{"name": "welcome", "text": "Hi {1}"}], "replaced")])
    assert again.result("replaced")["changed"] is False


def test_templates_overridden_deleted_and_gathered(ansible: Ansible) -> None:
    control = ansible.emulator.control
    ansible.play([templates([ALERT, RECOVERY, WELCOME])])
    control.advance(61)
    gathered = ansible.play([templates(None, "gathered")])
    assert gathered.rc == 0, gathered
    result = gathered.result("gathered")
    assert result["changed"] is False
    assert result["gathered"] == [
        {**ALERT, "sender": "", "autosign": False},
        {**RECOVERY, "sender": "", "autosign": False},
        {**WELCOME, "kind": "any"},
    ]
    control.advance(61)

    # What gathered returns is a declaration: overriding with it changes nothing.
    same = ansible.play([templates(result["gathered"], "overridden")])
    assert same.rc == 0, same
    assert same.result("overridden")["changed"] is False
    control.advance(61)

    run = ansible.play([templates([ALERT], "overridden")], check=True)
    assert run.result("overridden")["operations"] == [
        {"operation": "delete", "name": "recovery"},
        {"operation": "delete", "name": "welcome"},
    ]
    assert len(account_templates(ansible)) == 3  # check mode
    run = ansible.play([templates([ALERT], "overridden")])
    assert sorted(account_templates(ansible)) == ["alert"]
    assert names(run.result("overridden")["after"]) == ["alert"]
    control.advance(61)

    ansible.play([templates([RECOVERY, WELCOME])])
    control.advance(61)
    run = ansible.play([templates([{"name": "ALERT"}], "deleted")])
    assert run.result("deleted")["operations"] == [{"operation": "delete", "name": "alert"}]
    assert sorted(account_templates(ansible)) == ["recovery", "welcome"]
    control.advance(61)
    run = ansible.play([templates([], "deleted")])
    assert run.rc == 0, run
    assert len(run.result("deleted")["operations"]) == 2
    assert account_templates(ansible) == {}


@pytest.mark.parametrize(
    ("config", "field", "rule"),
    [
        ([ALERT, {**RECOVERY, "name": "Alert"}], "config[1].name", "declared twice"),
        ([ALERT, {"name": "new"}], "config[1].text", "required to create"),
        ([{**ALERT, "kind": "email", "sender": "Shop"}], "config[0].sender", "e-mail"),
        ([{**ALERT, "text": "x" * 1001}], "config[0].text", "at most 1000"),
        ([{**ALERT, "name": " "}], "config[0].name", "empty"),
    ],
)
def test_templates_bad_input_changes_nothing(
    ansible: Ansible, config: list[dict[str, Any]], field: str, rule: str
) -> None:
    run = ansible.play([templates([RECOVERY, *config], name="bad")])
    assert run.rc == 2, run
    result = run.result("bad")
    field = re.sub(r"\[(\d)\]", lambda m: f"[{int(m.group(1)) + 1}]", field)  # after RECOVERY
    assert result["field"] == field
    assert rule in result["rule"]
    assert result["msg"].startswith(f"{field}: ")
    assert result["changed"] is False
    assert account_templates(ansible) == {}  # not even the valid declaration before it


def test_templates_replaced_needs_the_text(ansible: Ansible) -> None:
    ansible.play([templates([ALERT])])
    ansible.emulator.control.advance(61)
    run = ansible.play([templates([{"name": "alert", "kind": "flash"}], "replaced")])
    assert run.rc == 2, run
    assert run.result("replaced")["field"] == "config[0].text"


def test_templates_failure_part_way_says_what_was_done(ansible: Ansible) -> None:
    """Another administrator adds a template while the module is between its read and its
    writes: the first creation goes through, the second is refused; the failure says so."""
    emulator = ansible.emulator
    emulator.control.add_fault("templates", "delay", seconds=2.0)
    declared = [{"name": "a", "text": "A {1}"}, {"name": "b", "text": "B {1}"}]
    outcome: list[Run] = []
    playing = threading.Thread(
        target=lambda: outcome.append(ansible.play([templates(declared, name="race")]))
    )
    playing.start()
    deadline = time.monotonic() + 120
    while emulator.control.faults() and time.monotonic() < deadline:
        time.sleep(0.05)  # the read is on its way: its answer is already made
    with Client(emulator.login, emulator.password, base_url=emulator.http_url) as other:
        other.add_template("b", "Someone else's B")
    playing.join(timeout=240)
    [run] = outcome
    assert run.rc == 2, run
    result = run.result("race")
    assert result["changed"] is True
    assert result["operations"] == [{"operation": "create", "name": "a"}]
    assert result["failed_operation"] == {"operation": "create", "name": "b"}
    assert result["error_code"] == 5
    assert result["endpoint"] == "templates.php"
    assert names(result["after"]) == ["a"]
    assert sorted(account_templates(ansible)) == ["a", "b"]


def test_templates_read_fault_and_a_server_that_never_answers(
    ansible: Ansible, silent_server: str
) -> None:
    ansible.emulator.control.add_fault("templates", "http500")
    run = ansible.play([templates([ALERT], name="fault")])
    assert run.rc == 2, run
    assert "HTTP 500" in run.result("fault")["msg"]
    assert run.result("fault")["changed"] is False
    assert account_templates(ansible) == {}

    connection = {**ansible.connection, "api_url": silent_server, "timeout": 1}
    started = time.monotonic()
    run = ansible.play([templates([ALERT], name="silent")], connection=connection)
    assert run.rc == 2, run
    assert "no answer" in run.result("silent")["msg"]
    assert run.result("silent")["changed"] is False
    assert time.monotonic() - started < 60


# --- senders (the list module) -----------------------------------------------------------


def test_senders_merged_overridden_and_gathered(ansible: Ansible) -> None:
    control = ansible.emulator.control
    declared = [{"name": "Shop", "comment": "orders"}, {"name": "ShopNews"}]
    run = ansible.play(
        [
            task("plan", "senders", {"config": declared}, check_mode=True),
            task("merge", "senders", {"config": declared}),
            task("again", "senders", {"config": declared}),
        ],
        diff=True,
    )
    assert run.rc == 0, run
    assert [o["operation"] for o in run.result("plan")["operations"]] == ["create", "create"]
    merged = run.result("merge")
    assert merged["changed"] is True
    assert names(merged["after"]) == ["Shop", "ShopNews", "SMSC"]  # by name, in any case
    assert merged["code_sent"] is False
    assert run.result("again")["changed"] is False
    assert account_senders(ansible) == {"SMSC": 1, "Shop": 0, "ShopNews": 0}
    control.advance(61)

    run = ansible.play(
        [
            task("gathered", "senders", {"state": "gathered"}),
            task("override", "senders", {"config": [{"name": "SMSC"}], "state": "overridden"}),
        ]
    )
    assert run.rc == 0, run
    assert run.result("gathered")["gathered"] == [
        {"name": "Shop"},
        {"name": "ShopNews"},
        {"name": "SMSC"},
    ]
    assert run.result("override")["operations"] == [
        {"operation": "delete", "name": "Shop"},
        {"operation": "delete", "name": "ShopNews"},
    ]
    assert account_senders(ansible) == {"SMSC": 1}


def test_senders_numbers_take_two_runs(ansible: Ansible) -> None:
    control = ansible.emulator.control
    declared = [{"name": "+79005554433"}, {"name": "Shop"}]
    run = ansible.play([task("merge", "senders", {"config": declared})])
    assert run.rc == 0, run
    result = run.result("merge")
    assert result["code_sent"] is True
    assert [o["operation"] for o in result["operations"]] == ["send_code", "create"]
    [code_sms] = [m for m in control.messages() if m["source"] == "service"]
    code = re.search(r"\d{6}", code_sms["text"]).group(0)
    control.advance(61)

    declared[0]["confirmation_code"] = code
    run = ansible.play([task("confirm", "senders", {"config": declared})])
    assert run.rc == 0, run
    assert run.result("confirm")["operations"] == [{"operation": "confirm", "name": "+79005554433"}]
    assert account_senders(ansible)["79005554433"] == 1
    assert code not in run.output
    control.advance(61)
    run = ansible.play([task("again", "senders", {"config": declared})])
    assert run.result("again")["changed"] is False


def test_senders_bad_input(ansible: Ansible) -> None:
    run = ansible.play(
        [
            task(
                "twice",
                "senders",
                {"config": [{"name": "+79005554433"}, {"name": "79005554433"}]},
                ignore_errors=True,
            ),
            task("long", "senders", {"config": [{"name": "ShopShopShop"}]}, ignore_errors=True),
        ]
    )
    assert run.rc == 0, run
    assert run.result("twice")["field"] == "config[1].name"
    assert run.result("long")["field"] == "config[0].name"
    assert account_senders(ansible) == {"SMSC": 1}


def test_a_kind_that_would_turn_a_text_into_a_prefix_is_refused(ansible: Ansible) -> None:
    """A call template may begin with the call's own prefix; made an SMS template, the
    service would read the prefix and place a call: refused, naming the text."""
    call = {"name": "wake", "text": "__CALL__: wake up", "kind": "call"}
    run = ansible.play([task("call", "template", call)])
    assert run.rc == 0, run
    ansible.emulator.control.advance(61)
    run = ansible.play([templates([{"name": "wake", "kind": "sms"}], name="sms")])
    assert run.rc == 2, run
    result = run.result("sms")
    assert result["field"] == "config[0].text"
    assert "__CALL__" in result["rule"]
    assert account_templates(ansible)["wake"]["format"] == "call"
