"""Every error code of every endpoint, produced by the emulator, arrives as its typed error."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from pysmsc import errors
from pysmsc.protocol import Operation, Request
from pysmsc.protocol._base import ok_answer

PHONE = "79991234567"


def raw(endpoint: str, *fields: tuple[str, str]) -> Operation[None]:
    """A request the client's own checks would refuse, to see the service's answer to it."""
    return Operation(Request(endpoint, fields), ok_answer(endpoint))


async def test_send_errors(smsc: Any, make_client: Any, emulator: Any) -> None:
    with pytest.raises(errors.ParameterError) as info:
        await smsc.execute(raw("send.php", ("phones", PHONE)))  # no text
    assert info.value.code == 1
    with pytest.raises(errors.AuthenticationError):
        await make_client(password="wrong").send(PHONE, "x")
    with pytest.raises(errors.InvalidDateError):  # the library refuses it before sending
        await smsc.execute(raw("send.php", ("phones", PHONE), ("mes", "x"), ("time", "9999999999")))
    with pytest.raises(errors.ValidationError, match="not a real date"):
        await smsc.send(PHONE, "x", send_at="9999999999")
    with pytest.raises(errors.ForbiddenMessageError) as forbidden:
        await smsc.send(PHONE, "x", sender="Unknown")
    assert forbidden.value.message_id
    with pytest.raises(errors.InvalidPhoneError):
        await smsc.send("1234567", "x")
    with pytest.raises(errors.UndeliverableError):
        await smsc.send("+99912345678", "x")
    emulator.control.set_balance("0.50")
    with pytest.raises(errors.InsufficientFundsError):
        await smsc.send(PHONE, "x")
    emulator.control.set_balance("100")
    await smsc.send(PHONE, "same text")
    with pytest.raises(errors.RateLimitError, match="duplicate"):
        await smsc.send(PHONE, "same text")
    emulator.control.advance(61)
    await smsc.send(PHONE, "same text")  # a minute later it is no duplicate
    emulator.control.block_ip(True)
    with pytest.raises(errors.IpBlockedError):
        await smsc.balance()


async def test_status_errors(smsc: Any) -> None:
    sent = await smsc.send(PHONE, "status rate")
    for _ in range(5):
        await smsc.status(sent.id, PHONE)
    with pytest.raises(errors.RateLimitError, match="five status requests"):
        await smsc.status(sent.id, PHONE)
    with pytest.raises(errors.SaveError):
        await smsc.delete_message(999999, PHONE)


async def test_balance_rate(smsc: Any) -> None:
    for _ in range(10):
        await smsc.balance()
    with pytest.raises(errors.RateLimitError, match="ten balance requests"):
        await smsc.balance()


async def test_template_errors(smsc: Any) -> None:
    with pytest.raises(errors.NotFoundError, match="template not found"):
        await smsc.change_template(777, name="x")
    await smsc.add_template("dup", "a")
    with pytest.raises(errors.SaveError):
        await smsc.add_template("dup", "b")
    for _ in range(3):
        await smsc.templates()
    with pytest.raises(errors.RateLimitError):
        await smsc.templates()


async def test_operator_template_errors(smsc: Any) -> None:
    for _ in range(10):
        await smsc.operator_templates("SMSC", "same")
    with pytest.raises(errors.RateLimitError):
        await smsc.operator_templates("SMSC", "same")


async def test_sender_errors(smsc: Any) -> None:
    with pytest.raises(errors.NotFoundError, match="sender name not found"):
        await smsc.delete_sender(name="Nobody")
    with pytest.raises(errors.SaveError):
        await smsc.add_sender("SMSC")
    with pytest.raises(errors.InvalidPhoneError):
        await smsc.send_sender_code("1234567")
    with pytest.raises(errors.UndeliverableError):
        await smsc.send_sender_code("+99912345678")
    await smsc.send_sender_code("79161234567")
    with pytest.raises(errors.CodeAlreadySentError):
        await smsc.send_sender_code("79161234567")
    with pytest.raises(errors.InvalidCodeError):
        await smsc.check_sender_code("79161234567", "000000")
    for _ in range(3):
        await smsc.senders()
    with pytest.raises(errors.RateLimitError):
        await smsc.senders()


async def test_ping_errors(smsc: Any) -> None:
    with pytest.raises(errors.NotFoundError, match="task group not found"):
        await smsc.ping(99)
    for _ in range(5):
        await smsc.ping(1, name="same")
    with pytest.raises(errors.RateLimitError):
        await smsc.ping(1, name="same")


async def test_too_many_concurrent_requests_is_error_9(emulator: Any) -> None:
    """What the clients' concurrency cap protects from: 15 at once under one login."""
    emulator.control.configure(latency=0.3)
    body = {"login": emulator.login, "psw": emulator.password, "fmt": "3"}
    async with httpx.AsyncClient(base_url=emulator.http_url) as http:
        answers = await asyncio.gather(
            *(http.post("/sys/balance.php", data=body) for _ in range(16))
        )
    codes = [a.json().get("error_code") for a in answers]
    assert 9 in codes


async def test_the_cap_keeps_concurrent_requests_under_the_limit(
    make_client: Any, emulator: Any, flavour: str
) -> None:
    emulator.control.configure(latency=0.2)
    client = make_client()
    if flavour == "sync":  # thirty threads sharing one blocking client
        with ThreadPoolExecutor(30) as pool:
            futures = [
                pool.submit(client.client.send, f"7916{i:07d}", f"burst {i}") for i in range(30)
            ]
        results = [f.exception() or f.result() for f in futures]
    else:
        results = await asyncio.gather(
            *(client.send(f"7916{i:07d}", f"burst {i}") for i in range(30)),
            return_exceptions=True,
        )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(emulator.control.messages()) == 30
