"""No secret in any Ansible result, warning, failure or ``-vvv`` line, in any encoding: secrets
with characters that urlencoding changes, given as options or in the environment, sent to a
server that quotes the request back (a proxy's error page, a misbehaving gateway)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ..servers import echoing_server
from ..unit.test_redact import NASTY, encodings
from .conftest import PHONE, Ansible, task

API_KEY = "KEY/" + NASTY[::-1]


@pytest.fixture(params=["page", "page502", "json-error"])
def echo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with echoing_server(request.param) as url:
        yield url


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (NASTY, API_KEY):
            for form in encodings(secret):
                assert form not in text, (form, text[:2000])


def tasks() -> list[dict[str, Any]]:
    options = {"ignore_errors": True}
    return [
        task("send", "send", {"to": [PHONE], "text": "Disk full"}, **options),
        task("balance", "balance_info", **options),
        task("templates", "templates", {"config": [{"name": "a", "text": "A"}]}, **options),
        task("sender", "sender", {"name": "+79005554433"}, **options),
        task("event", "event", {"task_group": 1}, **options),
    ]


def check(run: Any) -> None:
    assert run.rc == 0, run
    for name in ("send", "balance", "templates", "sender", "event"):
        assert run.status(name) == "ignored", (name, run.result(name))
    send = run.result("send")
    # A page that is no answer: the message may have gone; an error answer: it did not.
    assert send["outcome"] == ("not_sent" if "error_code" in send else "may_have_been_sent")
    assert_no_secret(run.output, json.dumps(run.records, ensure_ascii=False))
    assert_no_secret(json.dumps(run.records))


def test_options_through_an_echoing_server(ansible: Ansible, echo_url: str) -> None:
    connection = {"api_url": echo_url, "login": "ops", "password": NASTY}
    check(ansible.play(tasks(), connection=connection, args=["-vvv"]))
    connection = {"api_url": echo_url, "api_key": API_KEY}
    check(ansible.play(tasks(), connection=connection, args=["-vvv"]))


def test_environment_through_an_echoing_server(ansible: Ansible, echo_url: str) -> None:
    """Values from the environment are no options: Ansible does not know to hide them."""
    env = {"SMSC_API_URL": echo_url, "SMSC_LOGIN": "ops", "SMSC_PASSWORD": NASTY}
    check(ansible.play(tasks(), connection={}, env=env, args=["-vvv"]))
    env = {"SMSC_API_URL": echo_url, "SMSC_API_KEY": API_KEY}
    check(ansible.play(tasks(), connection={}, env=env, args=["-vvv"]))


def test_the_callback_through_an_echoing_server(ansible: Ansible, echo_url: str) -> None:
    play = {
        "name": "Deploy",
        "hosts": "web1",
        "gather_facts": False,
        "tasks": [{"name": "Boom", "ansible.builtin.fail": {"msg": "boom"}}],
    }
    env = {
        "ANSIBLE_CALLBACKS_ENABLED": "record,smsc.messaging.notify",
        "SMSC_API_URL": echo_url,
        "SMSC_LOGIN": "ops",
        "SMSC_PASSWORD": NASTY,
        "SMSC_NOTIFY_TO": PHONE,
        "SMSC_NOTIFY_TASK_GROUP": "1",
    }
    run = ansible.run(ansible.write([play]), hosts=("web1",), env=env, args=["-vvv"])
    assert run.rc == 2, run
    assert run.output.count("could not send the failure summary") == 2
    assert_no_secret(run.output)


def test_wrong_nasty_credentials_against_the_emulator(ansible: Ansible) -> None:
    connection = {**ansible.connection, "password": NASTY}
    run = ansible.play(tasks(), connection=connection, args=["-vvv"])
    assert run.rc == 0, run
    assert run.result("balance")["error_code"] == 2
    assert run.result("send")["outcome"] == "not_sent"
    assert_no_secret(run.output, json.dumps(run.records, ensure_ascii=False))
