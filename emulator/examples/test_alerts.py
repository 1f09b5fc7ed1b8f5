"""Tests of an alerting script against the SMSC emulator: `pip install pysmsc-emulator` gives
pytest the fixtures smsc_emulator, async_smsc_emulator and smsc_emulator_transport."""

import httpx
import pytest

import pysmsc


def send_alert(client: pysmsc.Client, text: str) -> str:
    """The code under test: page the on-call engineer."""
    return client.send("79161234567", text).id


def test_alert_reaches_the_on_call_phone(smsc_emulator):
    with pysmsc.Client(
        smsc_emulator.login, smsc_emulator.password, base_url=smsc_emulator.http_url
    ) as client:
        message_id = send_alert(client, "db1: disk full")
    [message] = smsc_emulator.control.messages()
    assert (message["id"], message["text"]) == (int(message_id), "db1: disk full")
    smsc_emulator.control.advance(10)  # the emulator's clock: -1 -> 0 -> 1 (delivered)
    assert smsc_emulator.control.messages()[0]["phones"][0]["status"] == 1


def test_an_empty_account_is_reported(smsc_emulator):
    smsc_emulator.control.set_balance("0.00")
    with (
        pysmsc.Client(
            smsc_emulator.login, smsc_emulator.password, base_url=smsc_emulator.http_url
        ) as client,
        pytest.raises(pysmsc.InsufficientFundsError),
    ):
        send_alert(client, "db1: disk full")
    assert smsc_emulator.control.messages() == []


def test_a_lost_answer_is_not_a_success(smsc_emulator):
    # The service sends the message, then the connection breaks before the answer.
    smsc_emulator.control.add_fault("send", "close", after_processing=True)
    with (
        pysmsc.Client(
            smsc_emulator.login, smsc_emulator.password, base_url=smsc_emulator.http_url
        ) as client,
        pytest.raises(pysmsc.SmscError),
    ):
        send_alert(client, "db1: disk full")
    assert len(smsc_emulator.control.messages()) == 1


def test_replies_come_back(smsc_emulator):
    smsc_emulator.control.receive("79161234567", "ack")
    assert [m["text"] for m in smsc_emulator.control.incoming()] == ["ack"]


def test_without_a_socket(smsc_emulator_transport):
    http = httpx.Client(transport=smsc_emulator_transport)
    with pysmsc.Client(
        "demo", "demo", base_url=smsc_emulator_transport.url, http_client=http
    ) as client:
        send_alert(client, "db1: disk full")
    assert smsc_emulator_transport.control.messages()[0]["text"] == "db1: disk full"


@pytest.mark.asyncio
async def test_async_client(async_smsc_emulator):
    async with pysmsc.AsyncClient(
        async_smsc_emulator.login,
        async_smsc_emulator.password,
        base_url=async_smsc_emulator.http_url,
    ) as client:
        result = await client.send("79161234567", "db1: disk full")
    [message] = await async_smsc_emulator.control.messages()
    assert message["id"] == int(result.id)
