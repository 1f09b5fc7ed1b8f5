# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Messages sent over the emulator's SMPP side: the same messages as over HTTP (status.php,
the control list, charging, the rules), receipts in the service's format with its TLVs, HLR
results, long messages, typed contents, errors, query_sm."""

# The service is Russian: its names and texts are Cyrillic on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import asyncio
import re
from decimal import Decimal
from typing import Any

import pytest

from pysmsc import Client, MessageKind
from pysmsc.smpp import (
    Call,
    CommandStatus,
    DeliveryReceipt,
    ExtraState,
    Hlr,
    HlrResult,
    Mail,
    MessageState,
    Ping,
    SmppClient,
    SmppStatusError,
    Social,
    SubmitRejectedError,
    SystemType,
    Viber,
    Voice,
)
from pysmsc.smpp.pdu import DeliverSm
from pysmsc.smpp.tlv import Tag, find_tlv

from ..smpp.conftest import RawPeer
from .smpp_helpers import SmppClients, next_event, nothing_arrives, phone

PHONE = "79161234567"  # Russia, MTS (25001)
RECEIPT = re.compile(
    r"^id:(\d+) sub:(\d{3}) dlvrd:(\d{3}) submit date:(\d{10}) done date:(\d{10}) "
    r"stat:([A-Z]+) err:(\d{3})$"
)


def _status_over_http(handle: Any, message_id: str, number: str) -> Any:
    with Client(handle.login, handle.password, base_url=handle.http_url) as client:
        return client.status(message_id, number)


async def test_a_message_sent_over_smpp_is_the_services_message(
    smpp_clients: SmppClients,
) -> None:
    handle = smpp_clients.handle
    client = await smpp_clients.open()
    [message_id] = await client.submit(PHONE, "Hello over SMPP")
    [message] = await handle.control.messages()
    assert message["id"] == int(message_id)
    assert (message["source"], message["text"], message["sender"]) == (
        "smpp",
        "Hello over SMPP",
        "SMSC",
    )
    assert (message["kind"], message["encoding"], message["parts"]) == ("sms", "gsm7", 1)
    assert message["cost"] == "1.40"
    assert message["registered_delivery"] is False
    assert (await handle.control.account())["balance"] == "998.60"
    # status.php on the HTTP side knows it, and follows its progression
    info = await asyncio.to_thread(_status_over_http, handle, message_id, PHONE)
    assert info.status in (-1, 0)
    await handle.control.advance(10)
    info = await asyncio.to_thread(_status_over_http, handle, message_id, PHONE)
    assert (info.status, info.error) == (1, 0)


async def test_receipt_in_the_services_format_with_its_tlvs(smpp_clients: SmppClients) -> None:
    client = await smpp_clients.open()
    receipts = client.receipts()
    [message_id] = await client.submit(PHONE, "Track me", receipt=True, reference="order-7")
    # status_delays (0.2, 0.3): -1 -> 0 -> 1 within half a second; one receipt, when final
    report = await client.wait_for_report(message_id, 5)
    assert isinstance(report, DeliveryReceipt)
    assert report.message_id == message_id
    assert report.sent is not None
    assert report.sent.reference == "order-7"
    match = RECEIPT.match(report.text)
    assert match is not None, report.text
    assert match.group(1, 2, 3, 6, 7) == (message_id, "001", "001", "DELIVRD", "000")
    assert (report.phone, report.destination_addr) == (PHONE, "SMSC")
    assert report.delivered
    assert report.final
    assert report.error == 0
    tlvs = report.tlvs
    assert find_tlv(tlvs, Tag.RECEIPTED_MESSAGE_ID).value == message_id.encode() + b"\0"
    assert find_tlv(tlvs, Tag.MESSAGE_STATE).value == bytes([MessageState.DELIVERED])
    assert find_tlv(tlvs, Tag.NETWORK_ERROR_CODE).value == b"\x03\x00\x00"
    assert report.cost == Decimal("1.4000")
    assert find_tlv(tlvs, Tag.SMSC_COST).value == b"1.4000\0"
    assert report.flags is not None
    assert report.flags.kind is MessageKind.SMS
    assert (report.parts, report.mccmnc, report.extra_state) == (1, "25001", None)
    assert await next_event(receipts) == report
    assert await nothing_arrives(receipts, 0.3)  # no receipt for the intermediate steps
    [message] = await smpp_clients.handle.control.messages()
    assert message["registered_delivery"] is True
    assert message["phones"][0]["status"] == 1


async def test_no_receipt_unless_asked(smpp_clients: SmppClients) -> None:
    handle = smpp_clients.handle
    client = await smpp_clients.open()
    receipts = client.receipts()
    await client.submit(PHONE, "no receipt wanted")
    await handle.control.advance(10)
    # a message sent over HTTP never gets an SMPP receipt either
    await asyncio.to_thread(_send_over_http, handle, "over HTTP")
    await handle.control.advance(10)
    assert await nothing_arrives(receipts, 0.3)
    assert [m["phones"][0]["status"] for m in await handle.control.messages()] == [1, 1]


def _send_over_http(handle: Any, text: str) -> None:
    with Client(handle.login, handle.password, base_url=handle.http_url) as client:
        client.send(PHONE, text)


@pytest.mark.parametrize(
    ("status", "err", "stat", "state", "extra"),
    [
        (2, 0, "DELIVRD", MessageState.DELIVERED, ExtraState.READ),
        (4, 0, "DELIVRD", MessageState.DELIVERED, ExtraState.LINK_CLICKED),
        (3, 0, "EXPIRED", MessageState.EXPIRED, None),
        (-2, 0, "DELETED", MessageState.DELETED, None),
        (20, 6, "UNDELIV", MessageState.UNDELIVERABLE, None),
        (22, 249, "UNDELIV", MessageState.UNDELIVERABLE, None),
        (25, 1, "UNDELIV", MessageState.UNDELIVERABLE, None),
        (23, 253, "REJECTD", MessageState.REJECTED, None),
        (24, 224, "REJECTD", MessageState.REJECTED, None),
    ],
)
async def test_statuses_become_receipts(
    smpp_clients: SmppClients,
    status: int,
    err: int,
    stat: str,
    state: MessageState,
    extra: ExtraState | None,
) -> None:
    client = await smpp_clients.open()
    [message_id] = await client.submit(PHONE, "status mapping", receipt=True)
    await smpp_clients.handle.control.set_status(message_id, PHONE, status, err)
    report = await client.wait_for_report(message_id, 5)
    assert isinstance(report, DeliveryReceipt)
    assert (report.stat, report.state, report.error, report.extra_state) == (
        stat,
        state,
        err,
        extra,
    )
    assert f"stat:{stat} err:{err:03d}" in report.text
    assert report.network_error is not None
    assert report.network_error.code == err


async def test_receipts_follow_the_clock_control(smpp_clients: SmppClients) -> None:
    control = smpp_clients.handle.control
    await control.configure(status_delays=[60, 60])
    client = await smpp_clients.open()
    receipts = client.receipts()
    [message_id] = await client.submit(PHONE, "slow one", receipt=True)
    assert await nothing_arrives(receipts, 0.3)
    await control.advance(120)
    report = await next_event(receipts)
    assert (report.message_id, report.stat) == (message_id, "DELIVRD")


async def test_hlr_request_gets_an_hlr_result(smpp_clients: SmppClients) -> None:
    client = await smpp_clients.open()
    [message_id] = await client.submit(PHONE, Hlr())  # asks for the result by itself
    result = await client.wait_for_report(message_id, 5)
    assert isinstance(result, HlrResult)
    assert (result.stat, result.error, result.mcc, result.mnc) == ("DELIVRD", 0, "250", "01")
    assert result.imsi.startswith("25001")
    assert len(result.imsi) == 15
    assert (result.country, result.network) == ("Россия", "МТС")
    assert result.text.startswith(f"id:{message_id} stat:DELIVRD err:000 imsi:25001")
    assert "cn:%D0%A0" in result.text  # names urlencoded
    assert result.flags is not None
    assert result.flags.kind is MessageKind.HLR
    assert result.cost == Decimal("0.2000")
    [message] = await smpp_clients.handle.control.messages()
    assert (message["kind"], message["cost"]) == ("hlr", "0.20")


async def test_typed_contents_and_comments(smpp_clients: SmppClients) -> None:
    client = await smpp_clients.open()
    await client.submit(phone(1), "with a note", comment="ticket 42")
    await client.submit(phone(2), Call("Server down", voice=Voice.W))
    await client.submit("ops@example.com", Mail("Disk full", "Alert"), sender="me@example.com")
    await client.submit(phone(3), Viber("Viber text"))
    await client.submit(phone(4), Social("Social text"))
    await client.submit(phone(5), Ping())
    sent = await smpp_clients.handle.control.messages()
    assert [(m["kind"], m["text"]) for m in sent] == [
        ("sms", "with a note"),
        ("call", "Server down"),
        ("mail", "Disk full"),
        ("viber", "Viber text"),
        ("soc", "Social text"),
        ("ping", ""),
    ]
    assert sent[0]["comment"] == "ticket 42"
    assert sent[1]["options"]["voice"] == "w"
    assert (sent[2]["subject"], sent[2]["sender"]) == ("Alert", "me@example.com")
    assert [m["source"] for m in sent] == ["smpp"] * 6


async def test_long_message_one_id_glued_and_charged_as_parts(smpp_clients: SmppClients) -> None:
    client = await smpp_clients.open()
    text = "Длинное сообщение о сбое. " * 6  # UCS2, 156 characters: 3 parts of 67
    ids = await client.submit(PHONE, text, receipt=True)
    assert len(ids) == 1
    [message] = await smpp_clients.handle.control.messages()
    assert (message["text"], message["parts"], message["cost"]) == (text, 3, "4.20")
    assert message["encoding"] == "ucs2"
    report = await client.wait_for_report(ids[0], 5)
    assert isinstance(report, DeliveryReceipt)
    assert (report.submitted_parts, report.delivered_parts, report.parts) == (3, 3, 3)
    assert report.sent is not None
    assert report.sent.parts == 3


async def test_single_gives_each_part_its_id_and_receipt(smpp_clients: SmppClients) -> None:
    client = await smpp_clients.open(system_type=SystemType(single=True))
    receipts = client.receipts()
    text = "Same words again. " * 12  # GSM7, 216 characters: 2 parts of 153
    ids = await client.submit(PHONE, text, receipt=True)
    assert len(ids) == 2
    assert ids[0] != ids[1]
    sent = await smpp_clients.handle.control.messages()
    assert [str(m["id"]) for m in sent] == ids
    assert "".join(m["text"] for m in sent) == text
    assert [(m["parts"], m["cost"]) for m in sent] == [(1, "1.40"), (1, "1.40")]
    reports = [await next_event(receipts), await next_event(receipts)]
    assert sorted(r.message_id for r in reports) == sorted(ids)
    assert all(r.submitted_parts == 1 for r in reports)


async def test_a_long_message_must_be_complete_within_a_minute(
    smpp_clients: SmppClients,
) -> None:
    handle = smpp_clients.handle
    handle.emulator.smpp_server.backend.long_messages.timeout = 0.3  # the service's minute
    text = "Part of a long message. " * 10
    pdus = SmppClient(smpp_clients.config()).build_submit(PHONE, text, receipt=True)
    assert len(pdus) == 2
    peer = await RawPeer.connect(handle.smpp_port)
    try:
        assert (await peer.bind("demo", "demo")).command_status == 0
        await peer.send(pdus[0])
        resp = await peer.read()
        assert resp.command_status == 0
        message_id = resp.message_id
        assert await handle.control.messages() == []  # waiting for the other part
        receipt = await peer.read(within=3)  # the second part never comes
        assert isinstance(receipt, DeliverSm)
        receipt_text = receipt.short_message.decode()
        assert receipt_text.startswith(f"id:{message_id} sub:001 dlvrd:000 ")
        assert receipt_text.endswith(" stat:UNDELIV err:241")
        [message] = await handle.control.messages()
        assert str(message["id"]) == message_id
        assert text.startswith(message["text"])
        assert len(message["text"]) < len(text)
        assert (message["phones"][0]["status"], message["phones"][0]["err"]) == (20, 241)
    finally:
        await peer.close()


@pytest.mark.parametrize(
    ("to", "text", "sender", "status"),
    [
        ("123", "bad number", None, CommandStatus.ESME_RINVDSTADR),
        ("99912345678", "no route", None, CommandStatus.ESME_RINVDSTADR),
        (PHONE, "unknown sender", "NoSuchName", CommandStatus.ESME_RINVSRCADR),
        (PHONE, "", None, CommandStatus.ESME_RINVMSGLEN),
        (PHONE, "x" * 1001, None, CommandStatus.ESME_RINVMSGLEN),
    ],
)
async def test_service_errors_become_command_statuses(
    smpp_clients: SmppClients, to: str, text: str, sender: str | None, status: int
) -> None:
    client = await smpp_clients.open()
    with pytest.raises(SubmitRejectedError) as info:
        await client.submit(to, text, sender=sender)
    assert info.value.status == status


async def test_money_and_duplicates_are_submit_failures(smpp_clients: SmppClients) -> None:
    handle = smpp_clients.handle
    client = await smpp_clients.open()
    await client.submit(PHONE, "once")
    with pytest.raises(SubmitRejectedError) as info:
        await client.submit(PHONE, "once")  # the same message within a minute
    assert info.value.status == CommandStatus.ESME_RSUBMITFAIL
    await handle.control.advance(61)
    assert await client.submit(PHONE, "once")
    await handle.control.set_balance("0.50")
    with pytest.raises(SubmitRejectedError) as info:
        await client.submit(PHONE, "no money left")
    assert info.value.status == CommandStatus.ESME_RSUBMITFAIL
    assert len(await handle.control.messages()) == 2


async def test_query_sm(smpp_clients: SmppClients) -> None:
    client = await smpp_clients.open()
    await smpp_clients.handle.control.configure(status_delays=[60, 60])
    [message_id] = await client.submit(PHONE, "query me")
    status = await client.query(message_id)
    assert (status.message_id, status.state, status.final_date) == (
        message_id,
        MessageState.ENROUTE,
        "",
    )
    await smpp_clients.handle.control.advance(200)
    status = await client.query(message_id)
    assert status.state is MessageState.DELIVERED
    assert re.fullmatch(r"\d{13}12\+", status.final_date)  # Moscow time: 12 quarter hours
    with pytest.raises(SmppStatusError) as info:
        await client.query("999")
    assert info.value.status == CommandStatus.ESME_RQUERYFAIL


async def test_flood_rule_applies_to_smpp(smpp_clients: SmppClients) -> None:
    client = await smpp_clients.open()
    for i in range(51):
        await client.submit(PHONE, f"flood {i}", receipt=i == 50)
    sent = await smpp_clients.handle.control.messages()
    assert (sent[-1]["phones"][0]["status"], sent[-1]["phones"][0]["err"]) == (20, 251)
    report = await client.wait_for_report(str(sent[-1]["id"]), 5)
    assert (report.stat, report.error) == ("UNDELIV", 251)


async def test_smpp_flood_run_ends_after_30_seconds(smpp_clients: SmppClients) -> None:
    """The SMPP page's gap is 30 s (the HTTP page's is 60 s): each side keeps its own."""
    client = await smpp_clients.open()
    control = smpp_clients.handle.control
    for i in range(51):
        await client.submit(PHONE, f"flood {i}")
    await control.advance(31)
    await client.submit(PHONE, "after the pause")
    assert (await control.messages())[-1]["phones"][0]["err"] == 0
    assert (await control.messages())[-1]["phones"][0]["status"] != 20
