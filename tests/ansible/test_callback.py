"""The smsc.messaging.notify callback in real playbook runs against the emulator."""

from __future__ import annotations

from typing import Any

from .conftest import Ansible

PHONE = "+79991234567"
HOSTS = ("web1", "web2", "db1")


def failing_play(name: str = "Deploy web") -> dict[str, Any]:
    return {
        "name": name,
        "hosts": "web1,web2,db1",
        "gather_facts": False,
        "tasks": [
            {"name": "Works", "ansible.builtin.debug": {"msg": "fine"}},
            {
                "name": "Ignored failure",
                "ansible.builtin.fail": {"msg": "ignored"},
                "ignore_errors": True,
            },
            {
                "name": "Handled",
                "block": [{"name": "Fails in a block", "ansible.builtin.fail": {"msg": "handled"}}],
                "rescue": [{"name": "Rescue", "ansible.builtin.debug": {"msg": "rescued"}}],
            },
            {
                "name": "Install packages",
                "ansible.builtin.fail": {"msg": "No package matching 'foo' is available"},
                "when": "inventory_hostname != 'db1'",
            },
        ],
    }


def notify_env(ansible: Ansible, **options: str) -> dict[str, str]:
    env = {
        "ANSIBLE_CALLBACKS_ENABLED": "record,smsc.messaging.notify",
        "SMSC_API_URL": ansible.emulator.http_url,
        "SMSC_LOGIN": ansible.emulator.login,
        "SMSC_PASSWORD": ansible.emulator.password,
    }
    env.update({f"SMSC_NOTIFY_{k.upper()}": v for k, v in options.items()})
    return env


def test_one_summary_per_playbook_for_failed_hosts(ansible: Ansible) -> None:
    playbook = ansible.write([failing_play()])
    run = ansible.run(playbook, hosts=HOSTS, env=notify_env(ansible, to=PHONE, sender="SMSC"))
    assert run.rc == 2, run  # the hosts failed; the callback itself never changes that
    [message] = ansible.emulator.control.messages()
    text = message["text"]
    assert text.startswith("Ansible playbook-")
    assert "(Deploy web): 2 hosts failed" in text
    assert "web1 - Install packages: No package matching 'foo' is available" in text
    assert "web2 - Install packages" in text
    assert "db1" not in text  # only ignored and rescued failures there
    assert "ignored" not in text
    assert "handled" not in text
    assert message["sender"] == "SMSC"
    assert "failure summary sent to 1 recipient(s)" in run.stdout


def test_one_summary_per_play(ansible: Ansible) -> None:
    playbook = ansible.write([failing_play("First"), failing_play("Second")])
    run = ansible.run(playbook, hosts=HOSTS, env=notify_env(ansible, to=PHONE, per="play"))
    assert run.rc == 2, run
    texts = [m["text"] for m in ansible.emulator.control.messages()]
    assert len(texts) == 1  # the failed hosts are out of the second play: nothing to report
    assert "(First)" in texts[0]


def test_unreachable_hosts_and_a_voice_call(ansible: Ansible) -> None:
    play = {
        "name": "Reach",
        "hosts": "web1,ghost",
        "gather_facts": False,
        "tasks": [{"name": "Ping", "ansible.builtin.ping": {}}],
    }
    playbook = ansible.write([play])
    env = notify_env(ansible, to=PHONE, kind="call")
    env["ANSIBLE_TIMEOUT"] = "3"
    ghost = "ghost ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=9"
    run = ansible.run(playbook, hosts=("web1", ghost), env=env)
    assert run.rc == 4, run
    [message] = ansible.emulator.control.messages()
    assert message["kind"] == "call"
    assert "ghost - unreachable" in message["text"]


def test_task_group_event_from_ansible_cfg(ansible: Ansible) -> None:
    [group] = ansible.emulator.control.task_groups()
    (ansible.workdir / "ansible.cfg").write_text(
        "[callback_smsc_notify]\n"
        f"api_url = {ansible.emulator.http_url}\n"
        f"api_key = {ansible.emulator.api_key}\n"
        f"task_group = {group['id']}\n"
    )
    playbook = ansible.write([failing_play()])
    env = {
        "ANSIBLE_CALLBACKS_ENABLED": "record,smsc.messaging.notify",
        "ANSIBLE_CONFIG": str(ansible.workdir / "ansible.cfg"),
    }
    run = ansible.run(playbook, hosts=HOSTS, env=env)
    assert run.rc == 2, run
    [event] = ansible.emulator.control.ping_events()
    assert event["host"] == "web1, web2"
    assert event["name"].startswith("playbook-")
    assert "2 hosts failed" in event["info"]
    assert ansible.emulator.api_key not in run.output


def test_nothing_is_sent_when_all_goes_well(ansible: Ansible) -> None:
    play = failing_play()
    play["tasks"] = play["tasks"][:3]
    run = ansible.run(ansible.write([play]), hosts=HOSTS, env=notify_env(ansible, to=PHONE))
    assert run.rc == 0, run
    assert ansible.emulator.control.messages() == []


def test_a_failed_notification_never_fails_the_playbook(ansible: Ansible) -> None:
    secret = "Wr0ng-Pa55word-n0t1fy"
    env = notify_env(ansible, to=PHONE)
    env["SMSC_PASSWORD"] = secret
    play = failing_play()
    play["tasks"][3]["ignore_errors"] = False
    run = ansible.run(ansible.write([play]), hosts=HOSTS, env={**env}, args=["-vvv"])
    assert run.rc == 2, run  # as without the callback: two hosts failed
    assert "could not send the failure summary" in run.output
    assert "send.php error 2" in run.output
    assert "Traceback" not in run.output
    assert secret not in run.output

    down = notify_env(ansible, to=PHONE)
    down["SMSC_API_URL"] = "http://127.0.0.1:9"
    play = failing_play()
    play["tasks"] = play["tasks"][:1]
    play["tasks"].append({"name": "Boom", "ansible.builtin.fail": {"msg": "x"}})
    run = ansible.run(ansible.write([play]), hosts=HOSTS, env=down)
    assert run.rc == 2, run
    assert "could not send the failure summary" in run.output


def test_misconfiguration_is_a_warning(ansible: Ansible) -> None:
    env = notify_env(ansible)  # neither recipients nor a task group
    run = ansible.run(ansible.write([failing_play()]), hosts=HOSTS, env=env)
    assert run.rc == 2, run
    assert "set 'to' or 'task_group'" in run.output
    assert ansible.emulator.control.messages() == []
