# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator as the service's side of paging: key presses in a call's voice menu, calls to
the client's handler (status changes, incoming messages, key presses) in the wire format of
the contract, and get.php?get_answers. The handler is a real aiohttp server on loopback that
can be down, slow or answer garbage."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from aiohttp import web

from pysmsc_emulator import EmulatorControlError

PHONE = "79161234567"
MENU = (
    "Disk full on db1\n"
    "{menu: Press 1 to acknowledge, 2 to pass it on, 3 for options.\n"
    "1: url\n"
    "1: Acknowledged, thank you\n"
    "1: end\n"
    "2: url\n"
    "2: Passing it on\n"
    "3: Press 1 for an SMS, 2 for the operator\n"
    "31: sms:$phone,SMSC,Alert for $phone\n"
    "32: call:79261234567 wait=20 ok:end err:busy\n"
    "*: back\n"
    "#: start\n"
    "0: repeat\n"
    "busy: The operator is busy}\n"
    "Goodbye"
)


class Handler:
    """The client's HTTP handler: records every call; ``mode`` is ok, garbage or slow."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.mode = "ok"
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if request.content_type == "application/json":
            fields = json.loads(raw)
        else:
            fields = dict(parse_qsl(raw.decode()))
        self.calls.append({"fields": fields, "content_type": request.content_type})
        if self.mode == "slow":
            await asyncio.sleep(5)
        if self.mode == "garbage":
            return web.Response(text="<html>oops</html>", status=200)
        return web.Response(text="OK")

    def of(self, kind: str) -> list[dict[str, Any]]:
        keys = {"keypress": "key", "incoming": "mes"}
        if kind == "status":
            return [c["fields"] for c in self.calls if "status" in c["fields"]]
        return [c["fields"] for c in self.calls if keys[kind] in c["fields"]]


@pytest.fixture
async def handler() -> AsyncIterator[Handler]:
    recorder = Handler()
    app = web.Application()
    app.router.add_post("/hook/{token}", recorder.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    recorder.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook/secret-token"
    yield recorder
    await runner.cleanup()


async def send(emu: Any, **params: Any) -> Any:
    fields = {**emu.auth(), "phones": PHONE, "fmt": 3, "charset": "utf-8", **params}
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{emu.http_url}/sys/send.php", data=fields)
    return answer.json()


async def get_answers(emu: Any, **params: Any) -> Any:
    fields = {**emu.auth(), "get_answers": 1, "fmt": 3, "charset": "utf-8", **params}
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{emu.http_url}/sys/get.php", data=fields)
    return answer.json()


# -- key presses ---------------------------------------------------------------------------


async def test_key_1_calls_the_handler_with_the_page_id(async_smsc_emulator, handler) -> None:
    emu = async_smsc_emulator
    await emu.control.set_callback_url(handler.url)
    assert (await send(emu, call=1, mes=MENU, id="page-4F2K"))["id"] == "page-4F2K"
    answer = await emu.control.press_key("page-4F2K", PHONE, "1")
    [press] = answer["presses"]
    assert [a["kind"] for a in press["actions"]] == ["url", "say", "end"]
    assert press["actions"][0]["url"] == handler.url
    assert press["actions"][2]["text"] == "Goodbye"
    assert answer["call"]["ended"] is True
    await emu.control.flush_callbacks()
    [key] = handler.of("keypress")
    assert set(key) == {"id", "phone", "key", "time"}
    assert (key["id"], key["phone"], key["key"]) == ("page-4F2K", PHONE, "1")
    # Pressing a key proves the call was answered: delivered, and the handler was told.
    assert [s["status"] for s in handler.of("status")] == ["1"]
    [message] = await emu.control.messages()
    assert message["phones"][0]["status"] == 1
    with pytest.raises(EmulatorControlError) as ended:
        await emu.control.press_key("page-4F2K", PHONE, "2")
    assert ended.value.status == 409


async def test_sub_items_back_start_and_repeat(async_smsc_emulator) -> None:
    emu = async_smsc_emulator
    await send(emu, call=1, mes=MENU, id=7)
    answer = await emu.control.press_key(7, PHONE, "31*2")
    first, second, back, two = answer["presses"]
    assert first["item"] == "3" and first["actions"][0]["kind"] == "say"
    assert second["item"] == "31"
    assert second["actions"][0]["phone"] == PHONE
    assert second["actions"][0]["text"] == f"Alert for {PHONE}"
    assert back["actions"] == [{"kind": "back"}]
    assert two["item"] == "2"  # back at the top: 2 is item 2, not 32
    assert two["actions"][0] == {
        "kind": "url",
        "url": None,
        "delivery": None,
        "error": "no callback URL is set",
    }
    repeat = (await emu.control.press_key(7, PHONE, "0"))["presses"][0]
    assert repeat["item"] == "2" and repeat["actions"][1] == {
        "kind": "say",
        "text": "Passing it on",
    }
    start = (await emu.control.press_key(7, PHONE, "#"))["presses"][0]
    assert start["actions"][0]["kind"] == "start"
    # The SMS of item 31 was sent from the account, charged like any other.
    sms = [m for m in await emu.control.messages() if m["kind"] == "sms"]
    assert [(m["text"], m["phones"][0]["phone"], m["cost"]) for m in sms] == [
        (f"Alert for {PHONE}", PHONE, "1.40")
    ]


async def test_a_failed_transfer_goes_to_its_err_step(async_smsc_emulator) -> None:
    emu = async_smsc_emulator
    await send(emu, call=1, mes=MENU, id=8)
    failed = await emu.control.press_key(8, PHONE, "32", transfer="fail")
    actions = failed["presses"][1]["actions"]
    assert actions[0]["answered"] is False
    assert actions[1] == {"kind": "say", "text": "The operator is busy"}
    assert failed["call"]["ended"] is False
    answered = await emu.control.press_key(8, PHONE, "0")  # repeat: this time it connects
    assert [a["kind"] for a in answered["presses"][0]["actions"]] == ["call", "end"]
    assert answered["call"]["ended"] is True
    [call] = await emu.control.calls()
    assert len(call["phones"][0]["call"]["presses"]) == 3


async def test_keys_on_what_is_no_answered_call_are_refused(async_smsc_emulator) -> None:
    emu = async_smsc_emulator
    await send(emu, mes="plain sms", id=9)
    await send(emu, call=1, mes=MENU, id=10)
    await send(emu, call=1, mes="No menu here", id=11)
    cases = [(9, "1", 409), (11, "1", 409), (12, "1", 404), (10, "x", 400), (10, "", 400)]
    for message_id, key, status in cases:
        with pytest.raises(EmulatorControlError) as refused:
            await emu.control.press_key(message_id, PHONE, key)
        assert refused.value.status == status, (message_id, key)
    await emu.control.set_status(10, PHONE, 20, err=1)  # nobody picked up
    with pytest.raises(EmulatorControlError, match="not answered"):
        await emu.control.press_key(10, PHONE, "1")


# -- the handler ---------------------------------------------------------------------------


async def test_every_status_change_reaches_the_handler(async_smsc_emulator, handler) -> None:
    emu = async_smsc_emulator
    await emu.control.set_callback_url(handler.url)
    assert (await emu.control.settings())["callback_url"] == handler.url
    await send(emu, mes="disk full", id=42)
    await emu.control.advance(10)
    await emu.control.flush_callbacks()
    statuses = handler.of("status")
    assert [s["status"] for s in statuses] == ["0", "1"]
    assert statuses[1] == {
        "id": "42",
        "phone": PHONE,
        "status": "1",
        "err": "0",
        "time": statuses[1]["time"],
        "cost": "1.40",
        "cnt": "1",
        "sender_id": "SMSC",
    }
    assert handler.calls[0]["content_type"] == "application/x-www-form-urlencoded"


async def test_incoming_messages_reach_the_handler_and_get_answers(
    async_smsc_emulator, handler
) -> None:
    emu = async_smsc_emulator
    await emu.control.set_callback_url(handler.url + "?fmt=3")
    first = await emu.control.receive(PHONE, "ack 4F2K", to="79000000001")
    await emu.control.flush_callbacks()
    [incoming] = handler.of("incoming")
    assert handler.calls[0]["content_type"] == "application/json"
    assert incoming == {
        "id": str(first["id"]),
        "phone": PHONE,
        "mes": "ack 4F2K",
        "to": "79000000001",
        "sent": incoming["sent"],
        "time": incoming["time"],
    }
    answers = await get_answers(emu)
    assert answers == [
        {
            "id": first["id"],
            "received": answers[0]["received"],
            "phone": PHONE,
            "to_phone": "79000000001",
            "sent": int(incoming["sent"]),
            "message": "ack 4F2K",
        }
    ]
    assert (await get_answers(emu))["error_code"] == 9  # one request in 5 s
    await emu.control.advance(5)
    second = await emu.control.receive("79261234567", "Привет")
    assert [a["message"] for a in await get_answers(emu, after_id=first["id"])] == ["Привет"]
    await emu.control.advance(5)
    assert [a["id"] for a in await get_answers(emu, cnt=1)] == [first["id"]]
    await emu.control.advance(3600)
    assert await get_answers(emu) == []  # older than the last hour
    await emu.control.advance(5)
    assert [a["id"] for a in await get_answers(emu, hour=2)] == [first["id"], second["id"]]
    await emu.control.advance(5)
    assert (await get_answers(emu, hour=721))["error_code"] == 1


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/hook"


async def test_a_handler_that_is_down_is_tried_three_times(async_smsc_emulator) -> None:
    emu = async_smsc_emulator
    await emu.control.set_callback_url(_closed_port_url())
    await emu.control.receive(PHONE, "ack")
    [call] = await emu.control.flush_callbacks()
    assert (call["attempts"], call["state"]) == (1, "pending")
    await emu.control.advance(1)  # retries follow the emulator's clock
    await emu.control.flush_callbacks()
    await emu.control.advance(1)
    [call] = await emu.control.flush_callbacks()
    assert (call["attempts"], call["state"], len(call["errors"])) == (3, "failed", 3)
    await emu.control.advance(10)
    assert (await emu.control.flush_callbacks())[0]["attempts"] == 3


async def test_garbage_and_slow_handlers_never_hold_the_service(
    async_smsc_emulator, handler
) -> None:
    emu = async_smsc_emulator
    await emu.control.set_callback_url(handler.url)
    await emu.control.configure(callback_timeout=0.3)
    handler.mode = "garbage"
    await emu.control.receive(PHONE, "one")
    [call] = await emu.control.flush_callbacks()
    assert call["state"] == "pending" and "oops" in call["errors"][0]
    handler.mode = "slow"
    await emu.control.advance(1)
    await emu.control.receive(PHONE, "two")
    # While the handler hangs, the service answers at once.
    started = asyncio.get_running_loop().time()
    assert "id" in await send(emu, mes="still fast")
    assert asyncio.get_running_loop().time() - started < 0.25
    calls = await emu.control.flush_callbacks()
    assert [c["errors"][-1] for c in calls] == ["no answer within 0.3 s"] * 2
    handler.mode = "ok"
    await emu.control.advance(1)
    calls = await emu.control.flush_callbacks()
    assert [(c["attempts"], c["state"]) for c in calls][:2] == [(3, "delivered"), (2, "delivered")]


async def test_the_callback_url_must_be_http(async_smsc_emulator) -> None:
    for bad in ("ftp://x", "javascript:1", 5):
        with pytest.raises(EmulatorControlError):
            await async_smsc_emulator.control.set_callback_url(bad)
    await async_smsc_emulator.control.set_callback_url(None)
    assert (await async_smsc_emulator.control.settings())["callback_url"] is None


def test_reset_forgets_the_callback_url_and_the_calls(smsc_emulator) -> None:
    control = smsc_emulator.control
    control.set_callback_url(_closed_port_url())
    control.receive(PHONE, "x")
    control.reset()
    assert control.settings()["callback_url"] is None
    assert control.callbacks() == []
