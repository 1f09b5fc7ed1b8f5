# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The /_emulator/ control endpoints, injected faults, the concurrent-request limit and the
optional IP block."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from pysmsc_emulator.control_client import EmulatorControlError

from .helpers import PHONE, PHONE2, Api, only_message


def _control(emulator, method: str, path: str, **kwargs: object) -> httpx.Response:
    return httpx.request(method, f"{emulator.http_url}/_emulator{path}", **kwargs)


# -- messages ------------------------------------------------------------------------------


def test_message_list_has_every_field(api: Api, emulator) -> None:
    api.send(mes="Hello\n~~~\nnote", sender="SMSC", translit=1, time="+5", tz=1, flash=1)
    message = only_message(emulator.control)
    assert set(message) == {
        "seq",
        "id",
        "login",
        "kind",
        "source",
        "text",
        "comment",
        "sender",
        "subject",
        "parts",
        "cost",
        "encoding",
        "created",
        "send_time",
        "tz",
        "registered_delivery",
        "files",
        "options",
        "menu",
        "phones",
    }
    assert (message["kind"], message["source"], message["text"], message["comment"]) == (
        "flash",
        "http",
        "Hello",
        "note",
    )
    assert (message["parts"], message["cost"], message["encoding"], message["tz"]) == (
        1,
        "1.40",
        "gsm7",
        1,
    )
    assert message["options"]["time"] == "+5"
    assert message["options"]["translit"] == "1"
    assert "psw" not in message["options"]
    assert set(message["phones"][0]) == {
        "phone",
        "given",
        "status",
        "err",
        "parts",
        "cost",
        "mccmnc",
        "last_timestamp",
        "call",
        "pending",
    }


def test_clear_messages(api: Api, emulator) -> None:
    api.send()
    emulator.control.clear_messages()
    assert emulator.control.messages() == []
    assert _control(emulator, "POST", "/messages/clear").json() == {"result": "OK"}
    assert api.json("status", id=1, phone=PHONE)["status"] == -3


def test_messages_filtered_by_login(api: Api, emulator) -> None:
    api.send()
    assert len(emulator.control.messages(login="demo")) == 1
    assert emulator.control.messages(login="other") == []


def test_set_status_of_an_unknown_message_is_404(emulator) -> None:
    with pytest.raises(EmulatorControlError) as caught:
        emulator.control.set_status(5, PHONE, 1)
    assert caught.value.status == 404
    answer = _control(emulator, "POST", "/messages/status", json={"id": 1})
    assert answer.status_code == 400
    assert answer.json() == {"error": "phone is required"}


# -- account, balance, reset ---------------------------------------------------------------


def test_account_never_shows_secrets(emulator) -> None:
    info = emulator.control.account()
    assert info["login"] == "demo"
    assert info["balance"] == "1000.00"
    assert info["prices"]["sms"] == "1.40"
    assert [s["sender"] for s in info["senders"]] == ["SMSC"]
    assert [g["name"] for g in info["task_groups"]] == ["Default"]
    text = _control(emulator, "GET", "/account").text
    assert emulator.api_key not in text
    assert "password" not in text


def test_unknown_login_is_404(emulator) -> None:
    assert _control(emulator, "GET", "/account", params={"login": "x"}).status_code == 404


def test_bad_balance_is_400(emulator) -> None:
    assert _control(emulator, "POST", "/balance", json={"balance": "lots"}).status_code == 400
    assert _control(emulator, "POST", "/balance", json={}).status_code == 400
    assert _control(emulator, "POST", "/balance", json={"balance": "NaN"}).status_code == 400


def test_bad_json_is_400(emulator) -> None:
    answer = _control(emulator, "POST", "/balance", content=b"[1]")
    assert (answer.status_code, answer.json()) == (400, {"error": "the body must be a JSON object"})
    assert _control(emulator, "POST", "/balance", content=b"{").status_code == 400


def test_reset_brings_everything_back(api: Api, emulator) -> None:
    control = emulator.control
    api.send()
    api.json("senders", add=1, sender="Shop")
    api.json("templates", add=1, name="t", msg="m")
    control.set_balance("5")
    control.advance(3600)
    control.add_fault("balance", "http500")
    control.configure(latency=0.2, status_delays=[5, 5])
    control.add_contact_group(1, [PHONE])
    control.block_ip()
    control.reset()
    assert control.messages() == []
    assert control.clock()["offset"] == 0
    assert control.faults() == []
    assert control.settings() == {
        "latency": 0.0,
        "status_delays": [1.0, 2.0],
        "active_requests": 0,
        "callback_url": None,
        "callback_timeout": 5.0,
    }
    assert api.json("balance") == {"balance": "1000.00"}
    assert api.json("senders", get=1, all=1) == [{"sender": "SMSC", "status": 1, "id": 1}]
    assert api.json("templates", get=1) == []
    assert control.contact_groups() == []
    assert api.send()["id"] == 1  # no duplicate left from before the reset


# -- clock ---------------------------------------------------------------------------------


def test_clock_advance(emulator) -> None:
    before = emulator.control.clock()
    after = emulator.control.advance(90)
    assert after["offset"] == 90
    assert after["now"] - before["now"] == pytest.approx(90, abs=1)
    assert _control(emulator, "POST", "/clock/advance", json={"seconds": -1}).status_code == 400
    assert _control(emulator, "POST", "/clock/advance", json={}).status_code == 400
    assert _control(emulator, "POST", "/clock/advance", json={"seconds": "inf"}).status_code == 400


def test_advance_applies_due_statuses_at_once(api: Api, emulator) -> None:
    emulator.control.configure(status_delays=[100, 100])
    api.send(phones=f"{PHONE},{PHONE2}")
    assert emulator.control.advance(250)["applied"] == 4
    assert {p["status"] for p in only_message(emulator.control)["phones"]} == {1}


# -- groups, incoming messages, events -----------------------------------------------------


def test_task_and_contact_groups(emulator) -> None:
    group = emulator.control.add_task_group("Ops", "79161234567, ops@example.com")
    assert group["contacts"] == [PHONE, "ops@example.com"]
    assert [g["id"] for g in emulator.control.task_groups()] == [1, 2]
    contacts = emulator.control.add_contact_group(5, [PHONE], name="Team")
    assert contacts == {"number": 5, "name": "Team", "phones": [PHONE]}
    assert emulator.control.contact_groups() == [contacts]
    bad = _control(emulator, "POST", "/task-groups", json={"contacts": [PHONE]})
    assert bad.json() == {"error": "name is required"}
    bad = _control(emulator, "POST", "/contact-groups", json={"number": 1, "phones": 5})
    assert bad.json() == {"error": "phones must be a list of strings"}


def test_incoming_messages(emulator) -> None:
    incoming = emulator.control.receive("89161234567", "Привет", to="79990001122")
    assert incoming["phone"] == PHONE
    assert (incoming["to"], incoming["text"], incoming["id"]) == ("79990001122", "Привет", 1)
    assert emulator.control.incoming() == [incoming]


def test_ping_events_start_empty(emulator) -> None:
    assert emulator.control.ping_events() == []


def test_settings(emulator) -> None:
    assert emulator.control.configure(latency=0.01)["latency"] == 0.01
    bad = _control(emulator, "POST", "/settings", json={"status_delays": [1]})
    assert bad.status_code == 400
    assert _control(emulator, "POST", "/settings", json={"latency": -1}).status_code == 400


def test_moderation_endpoints_refuse_unknown_names(emulator) -> None:
    with pytest.raises(EmulatorControlError):
        emulator.control.set_sender_status("Nobody", 1)
    with pytest.raises(EmulatorControlError):
        emulator.control.set_op_template_status("SMSC", "x", "mts_srv", 2)
    with pytest.raises(EmulatorControlError) as caught:
        emulator.control.set_op_template_status("SMSC", "x", "telegram", 2)
    assert caught.value.status == 400


# -- faults --------------------------------------------------------------------------------


def test_close_without_answering(api: Api, emulator) -> None:
    emulator.control.add_fault("send", "close")
    with pytest.raises(httpx.RemoteProtocolError):
        api.send()
    assert emulator.control.messages() == []
    assert api.send()["id"] == 1


def test_close_after_processing_loses_only_the_answer(api: Api, emulator) -> None:
    emulator.control.add_fault("/sys/send.php", "close", after_processing=True)
    with pytest.raises(httpx.RemoteProtocolError):
        api.send()
    assert len(emulator.control.messages()) == 1
    assert api.send()["error_code"] == 9  # the retry is a duplicate


def test_delay_answers_late_but_processes_at_once(api: Api, emulator) -> None:
    emulator.control.add_fault("send.php", "delay", seconds=0.6)
    with pytest.raises(httpx.ReadTimeout):
        api.client.get("/sys/send.php", params=api.params(phones=PHONE, mes="x"), timeout=0.2)
    assert len(emulator.control.messages()) == 1
    emulator.control.add_fault("balance", "delay", seconds=0.3)
    started = time.monotonic()
    assert api.json("balance") == {"balance": "998.60"}
    assert time.monotonic() - started >= 0.3


def test_http_500_and_garbage(api: Api, emulator) -> None:
    emulator.control.add_fault("status", "http500", count=2)
    emulator.control.add_fault("*", "garbage")
    for _ in range(2):
        response = api.client.get("/sys/status.php", params=api.params(id=1, phone=PHONE))
        assert response.status_code == 500
    response = api.client.get("/sys/balance.php", params=api.params(fmt=3))
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert api.json("balance") == {"balance": "1000.00"}
    assert emulator.control.faults() == []


def test_http_500_after_processing(api: Api, emulator) -> None:
    emulator.control.add_fault("rest/send", "http500", after_processing=True)
    body = {"login": "demo", "psw": "demo", "phones": PHONE, "mes": "x"}
    assert api.client.post("/rest/send/", json=body).status_code == 500
    assert len(emulator.control.messages()) == 1


def test_fault_listing_and_validation(emulator) -> None:
    emulator.control.add_fault("send", "close", count=3)
    assert emulator.control.faults() == [
        {
            "endpoint": "send",
            "kind": "close",
            "remaining": 3,
            "seconds": 0.0,
            "after_processing": False,
        }
    ]
    assert _control(emulator, "DELETE", "/faults").json() == {"result": "OK"}
    for body in (
        {"endpoint": "send", "kind": "explode"},
        {"endpoint": "send", "kind": "close", "count": 0},
        {"endpoint": "send", "kind": "delay"},
        {"kind": "close"},
    ):
        assert _control(emulator, "POST", "/faults", json=body).status_code == 400


def test_control_paths_are_never_faulted(emulator) -> None:
    emulator.control.add_fault("*", "close", count=5)
    assert emulator.control.messages() == []
    assert len(emulator.control.faults()) == 1


# -- concurrency and IP block --------------------------------------------------------------


async def test_fifteen_concurrent_requests_under_one_login(emulator) -> None:
    emulator.control.configure(latency=0.5)
    async with httpx.AsyncClient(base_url=emulator.http_url, timeout=10) as client:
        calls = [
            client.get(
                "/sys/status.php",
                params={"login": "demo", "psw": "demo", "id": i, "phone": PHONE, "fmt": 3},
            )
            for i in range(1, 16)
        ]
        answers = [r.json() for r in await asyncio.gather(*calls)]
    refused = [a for a in answers if "error_code" in a]
    assert refused == [{"error": "too many concurrent requests", "error_code": 9}]
    assert sum(1 for a in answers if a.get("status") == -3) == 14
    assert emulator.control.settings()["active_requests"] == 0


async def test_fourteen_concurrent_requests_are_fine(emulator) -> None:
    emulator.control.configure(latency=0.3)
    async with httpx.AsyncClient(base_url=emulator.http_url, timeout=10) as client:
        calls = [
            client.get(
                "/sys/send.php",
                params={"apikey": "demo-api-key", "phones": PHONE, "mes": f"m{i}", "fmt": 3},
            )
            for i in range(14)
        ]
        answers = [r.json() for r in await asyncio.gather(*calls)]
    assert all("id" in a for a in answers), answers


def test_latency_delays_every_answer(api: Api, emulator) -> None:
    emulator.control.configure(latency=0.3)
    started = time.monotonic()
    assert api.json("balance", psw="wrong")["error_code"] == 2
    assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize(
    "endpoint", ["send", "status", "balance", "templates", "op_templates", "senders", "ping"]
)
def test_ip_block_is_error_4(api: Api, emulator, endpoint: str) -> None:
    assert emulator.control.block_ip() is True
    answer = api.json(endpoint)
    assert answer == {"error": "IP is temporarily blocked", "error_code": 4}
    assert api.text(endpoint, fmt=1) == "0,-4"
    assert emulator.control.block_ip(False) is False
    assert api.json(endpoint).get("error_code") != 4


async def test_fifteen_requests_in_flight_at_the_default_latency(emulator) -> None:
    """No latency set: fifteen requests whose bodies are still arriving are in flight at once,
    as bulk uploads are; the fifteenth is refused with error 9 and the others are answered."""
    assert emulator.control.settings()["latency"] == 0
    release = asyncio.Event()

    async def slow_body(i: int) -> AsyncIterator[bytes]:
        yield b"phones=" + PHONE.encode()
        await release.wait()
        yield f"&mes=slow+{i}&fmt=3".encode()

    async with httpx.AsyncClient(base_url=emulator.http_url, timeout=10) as client:
        calls = [
            asyncio.ensure_future(
                client.post(
                    "/sys/send.php",
                    params={"login": "demo", "psw": "demo", "fmt": 3},
                    content=slow_body(i),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
            )
            for i in range(15)
        ]
        # Fourteen are in flight while their bodies arrive (the fifteenth was refused).
        for _ in range(100):
            if emulator.control.settings()["active_requests"] == 14:
                break
            await asyncio.sleep(0.05)
        assert emulator.control.settings()["active_requests"] == 14
        release.set()
        answers = [r.json() for r in await asyncio.gather(*calls)]
    refused = [a for a in answers if "error_code" in a]
    assert refused == [{"error": "too many concurrent requests", "error_code": 9}]
    assert sum(1 for a in answers if "id" in a) == 14
    assert len(emulator.control.messages()) == 14
    assert emulator.control.settings()["active_requests"] == 0


async def test_a_request_under_way_at_a_reset_is_never_processed(async_emulator) -> None:
    """Isolation between tests: a send still in its latency when the next test resets the
    emulator is dropped, not recorded into the next test."""
    await async_emulator.control.configure(latency=0.5)
    async with httpx.AsyncClient(base_url=async_emulator.http_url, timeout=5) as client:
        late = asyncio.ensure_future(
            client.post(
                "/sys/send.php",
                data={**async_emulator.auth(), "phones": PHONE, "mes": "late", "fmt": 3},
            )
        )
        await asyncio.sleep(0.2)
        await async_emulator.control.reset()
        with pytest.raises(httpx.RemoteProtocolError):
            await late
    assert await async_emulator.control.messages() == []
