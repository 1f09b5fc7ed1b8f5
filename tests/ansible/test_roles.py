"""The configure and alert roles, and the demo playbook, against the emulator."""

from __future__ import annotations

import re
from typing import Any

from .conftest import Ansible

PHONE = "+79991234567"


def configure(**variables: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": "configure",
            "ansible.builtin.include_role": {"name": "smsc.messaging.configure"},
            "vars": variables,
        }
    ]


def operations(run: Any, task: str) -> list[tuple[str, str]]:
    return [(o["operation"], o["name"]) for o in run.result(task)["operations"]]


TEMPLATES = "smsc.messaging.configure : Converge the message templates"
SENDERS = "smsc.messaging.configure : Converge the sender names"
OPERATOR_TEMPLATES = "smsc.messaging.configure : Register the operator templates"


def test_configure_converges_with_one_read_per_kind(ansible: Ansible) -> None:
    """Three runs in one minute, without waiting out a rate limit (rate_limit_wait 0): the
    service allows three identical list requests a minute, so each run read each list once."""
    declared = {
        "configure_templates": [
            {"name": "alert", "text": "ALERT {1}", "kind": "sms"},
            {"name": "welcome", "text": "Welcome, {1}!", "sender": "SMSC"},
        ],
        "configure_senders": [{"name": "DemoShop", "comment": "demo"}],
        "configure_operator_templates": [
            {"sender": "SMSC", "text": "Code %d", "operators": ["mts_service"]}
        ],
    }
    connection = {**ansible.connection, "rate_limit_wait": 0}
    first = ansible.play(configure(**declared), connection=connection)
    assert first.rc == 0, first
    assert operations(first, TEMPLATES) == [("create", "alert"), ("create", "welcome")]
    assert operations(first, SENDERS) == [("create", "DemoShop")]
    assert first.status(OPERATOR_TEMPLATES) == "changed"

    for _ in range(2):
        again = ansible.play(configure(**declared), connection=connection)
        assert again.rc == 0, again
        assert [r["task"] for r in again.records if r["status"] == "changed"] == []
        assert "changed=0" in again.stdout
    ansible.emulator.control.advance(61)

    declared["configure_templates"] = [
        {"name": "alert", "text": "ALERT: {1}"},
        {"name": "welcome", "state": "absent"},
    ]
    declared["configure_senders"] = [{"name": "DemoShop", "state": "absent"}]
    third = ansible.play(configure(**declared), diff=True)
    assert third.rc == 0, third
    assert operations(third, TEMPLATES) == [("delete", "welcome"), ("update", "alert")]
    assert operations(third, SENDERS) == [("delete", "DemoShop")]
    assert re.search(r'(?m)^-\s+"text": "ALERT \{1\}",?$', third.stdout)


def test_configure_overrides_when_asked(ansible: Ansible) -> None:
    first = ansible.play(
        configure(
            configure_templates=[
                {"name": "alert", "text": "ALERT {1}", "kind": "sms", "autosign": True},
                {"name": "old", "text": "old"},
            ]
        )
    )
    assert first.rc == 0, first
    ansible.emulator.control.advance(61)
    run = ansible.play(
        configure(
            configure_templates=[{"name": "alert", "text": "ALERT {1}"}],
            configure_templates_state="overridden",
        )
    )
    assert run.rc == 0, run
    assert run.result(TEMPLATES)["operations"] == [
        {"operation": "delete", "name": "old"},
        {"operation": "update", "name": "alert", "fields": ["kind", "autosign"]},
    ]


def test_configure_validates_its_variables(ansible: Ansible) -> None:
    run = ansible.play(configure(configure_templates=[{"name": "x", "kind": "fax"}]))
    assert run.rc == 2, run
    assert "fax" in run.output
    assert "configure_templates" in run.output


def alert_play(ansible: Ansible, **variables: Any) -> Any:
    tasks = [
        {
            "name": "Load the alert handler",
            "ansible.builtin.import_role": {
                "name": "smsc.messaging.alert",
                "tasks_from": "handlers.yml",
            },
        },
        {
            "name": "Restart",
            "ansible.builtin.command": "true",
            "changed_when": True,
            "notify": "smsc alert",
        },
    ]
    return ansible.play(
        tasks,
        hosts=("web1", "web2"),
        play_hosts="web1,web2",
        play={"vars": {"alert_to": [PHONE], **variables}},
    )


def test_alert_from_a_handler_sends_one_sms_for_all_hosts(ansible: Ansible) -> None:
    run = alert_play(
        ansible, alert_message="nginx restarted on {{ ansible_play_hosts | join(',') }}"
    )
    assert run.rc == 0, run
    [message] = ansible.emulator.control.messages()
    assert message["text"] == "nginx restarted on web1,web2"
    assert message["kind"] == "sms"


def test_alert_by_call_and_by_event(ansible: Ansible) -> None:
    [group] = ansible.emulator.control.task_groups()
    tasks = [
        {
            "name": "call",
            "ansible.builtin.include_role": {"name": "smsc.messaging.alert"},
            "vars": {"alert_kind": "call", "alert_to": [PHONE], "alert_voice": "w2"},
        },
        {
            "name": "event",
            "ansible.builtin.include_role": {"name": "smsc.messaging.alert"},
            "vars": {"alert_kind": "event", "alert_task_group": group["id"]},
        },
    ]
    run = ansible.play(tasks)
    assert run.rc == 0, run
    [call] = ansible.emulator.control.messages(login=None)[:1]
    assert call["kind"] == "call"
    assert call["options"]["voice"] == "w2"
    [event] = ansible.emulator.control.ping_events()
    assert event["host"] == "localhost"


def test_alert_rate_limit_per_run(ansible: Ansible) -> None:
    tasks = [
        {
            "name": f"alert {n}",
            "ansible.builtin.include_role": {"name": "smsc.messaging.alert"},
            "vars": {"alert_to": [PHONE], "alert_message": f"alert number {n}"},
        }
        for n in range(3)
    ]
    run = ansible.play(tasks, play={"vars": {"alert_max_per_run": 2}})
    assert run.rc == 0, run
    texts = sorted(m["text"] for m in ansible.emulator.control.messages())
    assert texts == ["alert number 0", "alert number 1"]
    assert "limit of this run is reached" in run.stdout


def test_a_failed_alert_is_reported_not_fatal(ansible: Ansible) -> None:
    ansible.emulator.control.set_balance("0.00")
    run = ansible.play(
        [
            {
                "name": "alert",
                "ansible.builtin.include_role": {"name": "smsc.messaging.alert"},
                "vars": {"alert_to": [PHONE]},
            },
            {"name": "after", "ansible.builtin.debug": {"msg": "still running"}},
        ]
    )
    assert run.rc == 0, run
    assert "The alert was not sent: send.php error 3" in run.stdout
    assert run.status("after") == "ok"


def test_alert_recipients_once_and_explicit_credentials(ansible: Ansible) -> None:
    """The role composes the list: one alert per recipient however it is spelled. Another
    account's API key in the environment does not get in the way of module_defaults."""
    run = ansible.play(
        [
            {
                "name": "alert",
                "ansible.builtin.include_role": {"name": "smsc.messaging.alert"},
                "vars": {"alert_to": [PHONE, "7 999 123-45-67", "+79997654321,79991234567"]},
            }
        ],
        env={"SMSC_API_KEY": "someone-elses-key"},
    )
    assert run.rc == 0, run
    [message] = ansible.emulator.control.messages()
    assert sorted(p["phone"] for p in message["phones"]) == ["79991234567", "79997654321"]


def test_an_alert_whose_answer_is_lost_says_it_may_have_been_sent(ansible: Ansible) -> None:
    ansible.emulator.control.add_fault("send", "close", after_processing=True)
    run = ansible.play(
        [
            {
                "name": "alert",
                "ansible.builtin.include_role": {"name": "smsc.messaging.alert"},
                "vars": {"alert_to": [PHONE]},
            },
            {"name": "outcome", "ansible.builtin.debug": {"var": "alert_last_result.outcome"}},
        ]
    )
    assert run.rc == 0, run
    assert "The alert may have been sent, but its answer was lost" in run.stdout
    assert run.result("outcome")["alert_last_result.outcome"] == "may_have_been_sent"
    assert len(ansible.emulator.control.messages()) == 1
