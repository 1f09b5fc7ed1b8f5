"""get.php get_answers through both clients: received messages, the cursor, the rate limit."""

from __future__ import annotations

from typing import Any

import pytest

from pysmsc import RateLimitError

PHONE = "79991234567"


async def test_received_messages_after_a_cursor(smsc: Any, emulator: Any) -> None:
    first = emulator.control.receive(PHONE, "ack 4F2K", "79000000001")
    emulator.control.receive("79161234567", "привет", "79000000001")
    messages = await smsc.incoming()
    assert [(m.phone, m.text, m.to) for m in messages] == [
        (PHONE, "ack 4F2K", "79000000001"),
        ("79161234567", "привет", "79000000001"),
    ]
    assert messages[0].id == first["id"] and messages[1].id > messages[0].id
    assert messages[0].received_at is not None and messages[0].received_at.tzinfo is not None
    emulator.control.advance(6)  # one request in five seconds
    later = await smsc.incoming(after_id=messages[0].id, count=10)
    assert [m.text for m in later] == ["привет"]


async def test_polling_too_often_is_a_rate_limit_error(smsc: Any) -> None:
    await smsc.incoming(hour=2)
    with pytest.raises(RateLimitError) as raised:
        await smsc.incoming(hour=2)
    assert raised.value.endpoint == "get.php" and not raised.value.may_have_been_sent
