"""The smsc.messaging.notify callback in real playbook runs against the emulator."""

from __future__ import annotations

import re
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
    assert "(Deploy web): 2 hosts failed." in text
    # One line per reason, its hosts sorted.
    assert "web1, web2 - Install packages: No package matching 'foo' is available" in text
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
    # The unreachable host, with the reason ssh gave.
    assert "1 unreachable." in message["text"]
    assert re.search(r"ghost - unreachable \(.*port 9.*\)", message["text"]), message["text"]


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
    assert "no failure summary will be sent: set to or task_group" in run.stderr
    assert ansible.emulator.control.messages() == []


def test_settings_are_checked_when_the_playbook_starts(ansible: Ansible) -> None:
    play = failing_play()
    play["tasks"] = play["tasks"][:1]  # nothing fails: any warning comes from the start
    env = notify_env(ansible, to=f"{PHONE},12", kind="call", sender="Ops")
    del env["SMSC_PASSWORD"]
    run = ansible.run(ansible.write([play]), hosts=HOSTS, env=env)
    assert run.rc == 0, run
    # Named as the user wrote them: here, environment variables.
    assert "smsc.messaging.notify: SMSC_NOTIFY_TO: '12' is not a phone number" in run.stderr
    assert "smsc.messaging.notify: SMSC_NOTIFY_SENDER: a voice call's sender" in run.stderr
    assert "smsc.messaging.notify: password: is required with a login" in run.stderr
    assert ansible.emulator.control.messages() == []


def test_bad_recipients_are_left_out_and_the_others_told(ansible: Ansible) -> None:
    env = notify_env(ansible, to=f"{PHONE},12,ops@example", kind="call", sender="Ops")
    run = ansible.run(ansible.write([failing_play()]), hosts=HOSTS, env=env)
    assert run.rc == 2, run
    assert "SMSC_NOTIFY_TO: '12' is not a phone number" in run.stderr
    assert "SMSC_NOTIFY_TO: 'ops@example' is not a phone number" in run.stderr
    assert "SMSC_NOTIFY_SENDER: a voice call's sender must be a phone number" in run.stderr
    [call] = ansible.emulator.control.messages()
    assert call["kind"] == "call"
    assert [p["phone"] for p in call["phones"]] == ["79991234567"]


def test_missing_credentials_and_ansible_cfg_names(ansible: Ansible) -> None:
    (ansible.workdir / "ansible.cfg").write_text(
        "[callback_smsc_notify]\nto = +79991234567\napi_url = smsc.example\n"
    )
    env = {
        "ANSIBLE_CALLBACKS_ENABLED": "record,smsc.messaging.notify",
        "ANSIBLE_CONFIG": str(ansible.workdir / "ansible.cfg"),
    }
    run = ansible.run(ansible.write([failing_play()]), hosts=HOSTS, env=env)
    assert run.rc == 2, run
    assert "smsc.messaging.notify: api_url: must be an http(s) address" in run.output
    assert "base_url" not in run.output
    (ansible.workdir / "ansible.cfg").write_text(
        f"[callback_smsc_notify]\nto = +79991234567\napi_url = {ansible.emulator.http_url}\n"
    )
    run = ansible.run(ansible.write([failing_play()]), hosts=HOSTS, env=env)
    assert "smsc.messaging.notify: login: a login and password, or an API key" in run.output
    assert "SMSC_LOGIN" in run.output
    assert ansible.emulator.control.messages() == []


def test_explicit_credentials_beat_the_environment(ansible: Ansible) -> None:
    """ansible.cfg holds an API key, the environment a login and password of someone else:
    the API key is used, the environment does not conflict with it - and the other way round."""
    (ansible.workdir / "ansible.cfg").write_text(
        "[callback_smsc_notify]\n"
        f"api_url = {ansible.emulator.http_url}\n"
        f"api_key = {ansible.emulator.api_key}\n"
        "to = +79991234567\n"
    )
    env = {
        "ANSIBLE_CALLBACKS_ENABLED": "record,smsc.messaging.notify",
        "ANSIBLE_CONFIG": str(ansible.workdir / "ansible.cfg"),
        "SMSC_LOGIN": "someone",
        "SMSC_PASSWORD": "not-theirs",
    }
    run = ansible.run(ansible.write([failing_play()]), hosts=HOSTS, env=env)
    assert run.rc == 2, run
    assert "WARNING" not in run.output.replace("[WARNING]: Found variable", ""), run.output
    assert len(ansible.emulator.control.messages()) == 1
    ansible.emulator.control.advance(61)

    (ansible.workdir / "ansible.cfg").write_text(
        "[callback_smsc_notify]\n"
        f"api_url = {ansible.emulator.http_url}\n"
        f"login = {ansible.emulator.login}\n"
        f"password = {ansible.emulator.password}\n"
        "to = +79997654321\n"
    )
    env = {**env, "SMSC_API_KEY": "someone-elses-key"}
    del env["SMSC_LOGIN"], env["SMSC_PASSWORD"]
    run = ansible.run(ansible.write([failing_play()]), hosts=HOSTS, env=env)
    assert run.rc == 2, run
    assert len(ansible.emulator.control.messages()) == 2
    assert "someone-elses-key" not in run.output


def test_check_runs_send_nothing_unless_asked(ansible: Ansible) -> None:
    playbook = ansible.write([failing_play()])
    run = ansible.run(playbook, hosts=HOSTS, env=notify_env(ansible, to=PHONE), args=["--check"])
    assert run.rc == 2, run
    assert ansible.emulator.control.messages() == []
    assert "check run, the failure summary was not sent" in run.stdout

    env = notify_env(ansible, to=PHONE, send_in_check_mode="true")
    run = ansible.run(playbook, hosts=HOSTS, env=env, args=["--check"])
    assert run.rc == 2, run
    [message] = ansible.emulator.control.messages()
    assert message["text"].startswith("[check run] Ansible playbook-")


def test_one_part_for_many_hosts_and_recipients_once(ansible: Ansible) -> None:
    hosts = tuple(f"web{n:02d}" for n in range(12))
    play = {
        "name": "Deploy web",
        "hosts": ",".join(hosts),
        "gather_facts": False,
        "tasks": [
            {
                "name": "Install packages",
                "ansible.builtin.fail": {
                    "msg": "No package matching 'nginx-module-{{ inventory_hostname }}' is "
                    "available in any of the enabled repositories\nmore lines follow"
                },
            }
        ],
    }
    env = notify_env(ansible, to=f"{PHONE},7 999 123-45-67, {PHONE}")
    run = ansible.run(ansible.write([play]), hosts=hosts, env=env)
    assert run.rc == 2, run
    [message] = ansible.emulator.control.messages()
    assert len(message["phones"]) == 1  # the same number three times: one message
    assert message["parts"] == 1, message["text"]
    assert "12 hosts failed" in message["text"]
    assert "web00" in message["text"]


def test_a_summary_that_may_have_been_sent_says_so(ansible: Ansible) -> None:
    ansible.emulator.control.add_fault("send", "close", after_processing=True)
    run = ansible.run(
        ansible.write([failing_play()]), hosts=HOSTS, env=notify_env(ansible, to=PHONE)
    )
    assert run.rc == 2, run
    assert "may have been sent all the same, so it was not sent again" in run.output
    assert len(ansible.emulator.control.messages()) == 1  # it was, and only once
