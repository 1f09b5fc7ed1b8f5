"""The configure and alert roles, and the demo playbook, against the emulator."""

from __future__ import annotations

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


def changed_items(run: Any, task: str) -> list[str]:
    return [
        item["item"]["name"]
        for record in run.results(task)
        for item in record["result"].get("results", [])
        if item.get("changed")
    ]


def test_configure_converges_and_is_idempotent(ansible: Ansible) -> None:
    control = ansible.emulator.control
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
    first = ansible.play(configure(**declared))
    assert first.rc == 0, first
    assert changed_items(first, "smsc.messaging.configure : Converge the message templates") == [
        "alert",
        "welcome",
    ]
    assert changed_items(first, "smsc.messaging.configure : Converge the sender names") == [
        "DemoShop"
    ]
    assert (
        first.result("smsc.messaging.configure : Register the operator templates")["changed"]
        is True
    )
    control.advance(61)

    second = ansible.play(configure(**declared))
    assert second.rc == 0, second
    assert [r for r in second.records if r["status"] == "changed"] == []
    assert "changed=0" in second.stdout
    control.advance(61)

    declared["configure_templates"] = [
        {"name": "alert", "text": "ALERT: {1}"},
        {"name": "welcome", "state": "absent"},
    ]
    declared["configure_senders"] = [{"name": "DemoShop", "state": "absent"}]
    third = ansible.play(configure(**declared), diff=True)
    assert third.rc == 0, third
    assert changed_items(third, "smsc.messaging.configure : Converge the message templates") == [
        "alert",
        "welcome",
    ]
    assert changed_items(third, "smsc.messaging.configure : Converge the sender names") == [
        "DemoShop"
    ]
    assert '-    "text": "ALERT {1}"' in third.stdout


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
