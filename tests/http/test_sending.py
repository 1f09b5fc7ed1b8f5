"""send.php through both clients: every kind, the options reaching the service, cost, bulk."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from pysmsc import Attachment, BulkLimits, BulkMessage, DialParams, HourWindow, MessageKind
from pysmsc.errors import InsufficientFundsError

PHONE = "79991234567"
OTHER = "79161234567"
WAV = Attachment("alert.wav", b"RIFF" + b"\0" * 200, "audio/wav")
PNG = Attachment("chart.png", b"\x89PNG" + b"\0" * 200, "image/png")


def last(emulator: Any) -> dict[str, Any]:
    messages = emulator.control.messages()
    assert messages, "the emulator received nothing"
    return messages[-1]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("kind", "options", "text"),
    [
        ("sms", {}, "Disk full on db1"),
        ("flash", {}, "Flash alert"),
        ("bin", {"binary_pid": 0, "binary_dcs": 4}, "0605040B8423F0"),
        ("push", {}, "http://status.example.com\nStatus page"),
        ("hlr", {}, None),
        ("ping", {}, None),
        ("mms", {"subject": "Graph", "files": [PNG]}, "See the graph"),
        ("soc", {}, "Social"),
        ("viber", {"file_url": "https://example.com/a.jpg"}, "Viber alert"),
        ("whatsapp", {}, "WhatsApp alert"),
        ("call", {"voice": "w2", "dial": DialParams(20, 60, 3), "files": [WAV]}, "Server down"),
    ],
)
async def test_every_kind_reaches_the_service(
    smsc: Any, emulator: Any, kind: str, options: dict[str, Any], text: str | None
) -> None:
    result = await smsc.send(PHONE, text, kind=kind, **options)
    received = last(emulator)
    assert received["kind"] == kind
    assert str(received["id"]) == result.id
    assert [r["phone"] for r in received["phones"]] == [PHONE]
    assert result.kind is MessageKind(kind)
    assert result.cost == Decimal(received["cost"])
    assert result.balance == Decimal("1000.00") - result.cost
    uploaded = [f["name"] for f in received.get("files", []) if not f.get("url")]
    assert uploaded == [f.filename for f in options.get("files", [])]
    linked = [f["url"] for f in received.get("files", []) if f.get("url")]
    assert linked == ([options["file_url"]] if "file_url" in options else [])
    if kind == "call":
        assert result.seconds and result.seconds >= 10
        assert result.parts is None


async def test_mail_with_subject_sender_and_attachment(smsc: Any, emulator: Any) -> None:
    await smsc.send(
        "ops@example.com",
        "Body of the alert",
        kind="mail",
        subject="db1 down",
        sender="noc@example.com",
        files=[PNG],
    )
    received = last(emulator)
    assert received["kind"] == "mail"
    assert received["subject"] == "db1 down"
    assert received["files"][0]["size"] == len(PNG.content)


async def test_options_arrive_as_the_service_expects(smsc: Any, emulator: Any) -> None:
    result = await smsc.send(
        [PHONE, OTHER],
        "Привет, это длинное сообщение " * 3,
        sender="SMSC",
        message_id="order-17",
        comment="ticket 42",
        translit=1,
        send_at=HourWindow(0, 24),
        validity=timedelta(hours=2),
        max_parts=3,
        details=True,
    )
    received = last(emulator)
    assert result.id == "order-17"
    assert received["comment"] == "ticket 42"
    assert received["text"].startswith("Privet")  # the service transliterated it
    assert {r.phone for r in result.recipients} == {PHONE, OTHER}
    assert {r.mccmnc for r in result.recipients} == {"25001", "25020"}  # MTS, Tele2
    assert result.count == sum(1 for _ in result.recipients) * received["parts"]


async def test_scheduled_message_waits(smsc: Any, emulator: Any) -> None:
    result = await smsc.send(PHONE, "Later", send_at=timedelta(minutes=30))
    status = await smsc.status(result.id, PHONE)
    assert status.status == -1
    emulator.control.advance(29 * 60)
    assert (await smsc.status(result.id, PHONE)).status == -1
    emulator.control.advance(120)
    assert (await smsc.status(result.id, PHONE)).status in (0, 1)


async def test_cost_estimate_does_not_send(smsc: Any, emulator: Any) -> None:
    estimate = await smsc.cost(f"{PHONE},{OTHER}", "я" * 71)
    assert estimate.parts == 4  # two parts to each of two numbers
    assert estimate.cost == Decimal("5.60")
    assert emulator.control.messages() == []
    assert (await smsc.balance()).balance == Decimal("1000.00")


async def test_bulk_uses_few_requests_and_personalises(smsc: Any, emulator: Any) -> None:
    messages = [
        BulkMessage(f"7916{i:07d}", f"Hello {i}\nline two", sender="SMSC" if i % 2 else None)
        for i in range(25)
    ]
    outcomes = await smsc.send_bulk(messages, limits=BulkLimits(max_messages=10))
    assert [len(o.messages) for o in outcomes] == [10, 10, 5]
    assert all(o.sent for o in outcomes)
    received = emulator.control.messages()
    assert len(received) == 25
    assert received[3]["text"] == "Hello 3\nline two"
    assert {m["id"] for m in received[:10]} == {int(outcomes[0].result.id)}


async def test_bulk_stops_at_the_first_failure_and_says_what_went_out(
    smsc: Any, emulator: Any
) -> None:
    emulator.control.set_balance("15.00")  # ten SMS at 1.40, not twenty
    messages = [BulkMessage(f"7916{i:07d}", f"Alert {i}") for i in range(30)]
    outcomes = await smsc.send_bulk(messages, limits=BulkLimits(max_messages=10))
    assert outcomes[0].sent
    assert isinstance(outcomes[1].error, InsufficientFundsError)
    assert not outcomes[2].attempted
    assert len(emulator.control.messages()) == 10


async def test_report_invalid_lists_only_the_failed_recipients(smsc: Any) -> None:
    result = await smsc.send([PHONE, "+99912345678"], "Some fail", report_invalid=True)
    assert [r.phone for r in result.recipients] == ["99912345678"]
    assert result.recipients[0].error == 248  # no route
