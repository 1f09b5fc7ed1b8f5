# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The follow-up schedule, and statuses learnt elsewhere (delivery receipts over SMPP)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc import tracker as tracker_module
from custom_components.smsc.const import FOLLOW_UP_SLOW
from custom_components.smsc.tracker import TrackedMessage, money, next_check_delay
from pysmsc import SendResult

from .conftest import PHONE


def _message(**changes: object) -> TrackedMessage:
    now = dt_util.utcnow()
    fields: dict[str, object] = {
        "message_id": "1",
        "phone": PHONE,
        "kind": "sms",
        "sent_at": now,
        "due_at": now,
        "cost": Decimal("1.40"),
        "status": -1,
    }
    fields.update(changes)
    return TrackedMessage(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("elapsed", "delay"),
    [(0, 15), (119, 15), (120, 30), (599, 30), (600, 60), (3599, 60), (3600, FOLLOW_UP_SLOW)],
)
def test_slower_and_slower(elapsed: int, delay: int) -> None:
    """Every 15 s at first (status.php allows five a minute), then less often."""
    message = _message()
    assert next_check_delay(message, message.due_at + timedelta(seconds=elapsed)) == delay


def test_stops() -> None:
    """Final, unfollowable, or too old: no more checks."""
    now = dt_util.utcnow()
    assert next_check_delay(_message(status=1), now) is None
    assert next_check_delay(_message(status=12345), now) is None  # undocumented: final
    assert next_check_delay(_message(phone=None), now) is None
    assert next_check_delay(_message(), now + timedelta(hours=49)) is None
    assert not _message(status=None).final


def test_scheduled() -> None:
    """A scheduled message is first checked shortly after its time."""
    message = _message(due_at=dt_util.utcnow() + timedelta(hours=1))
    assert next_check_delay(message, message.sent_at) == pytest.approx(3615, abs=1)


def test_store_round_trip() -> None:
    """What goes to the store comes back the same."""
    message = _message(changed_at=dt_util.utcnow(), parts=2)
    assert TrackedMessage.from_dict(message.as_dict()) == message


async def test_receipts(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """A status from a receipt updates the last message; others are ignored. With receipts
    on, polling slows to a safety net."""
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": "Rx"}, blocking=True
    )
    tracker = loaded_entry.runtime_data.tracker
    assert tracker.message is not None
    message_id = tracker.message.message_id
    assert not await tracker.async_apply_status("other", 1)
    assert not await tracker.async_apply_status(message_id, 1, phone="79000000000")

    tracker.pushed = {"http"}
    # The service writes the number without "+": still the same recipient.
    assert await tracker.async_apply_status(message_id, 0, phone=f"+{PHONE}")
    assert hass.states.get("sensor.demo_last_message_status").state == "passed_to_operator"
    assert tracker.following
    assert await tracker.async_apply_status(message_id, 0)  # unchanged
    assert await tracker.async_apply_status(message_id, 1)
    assert hass.states.get("sensor.demo_last_message_status").state == "delivered"
    assert not tracker.following


async def test_no_follow_up_after_shutdown(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Once the entry unloads, nothing schedules another check."""
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": "Bye"}, blocking=True
    )
    tracker = loaded_entry.runtime_data.tracker
    assert tracker.following
    tracker.async_shutdown()
    assert not tracker.following
    assert tracker.message is not None
    assert await tracker.async_apply_status(tracker.message.message_id, 0)
    assert not tracker.following


async def test_receipts_slow_only_smpp_messages(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While receipts can arrive, a message sent over SMPP is polled every 5 minutes; one sent
    over HTTP (whose receipts never come over SMPP) at the usual pace; when the connection
    goes, the usual pace again."""
    delays: list[float] = []

    def call_later(hass: HomeAssistant, delay: float, job: Any) -> Any:
        delays.append(delay)
        return lambda: None

    monkeypatch.setattr(tracker_module, "async_call_later", call_later)
    tracker = loaded_entry.runtime_data.tracker
    result = SendResult(id="5", count=1)
    await tracker.async_track(result, [PHONE], channel="smpp")
    assert delays[-1] == 15
    tracker.async_set_pushed("smpp", True)
    assert delays[-1] == FOLLOW_UP_SLOW
    tracker.async_set_pushed("smpp", True)  # unchanged: not rescheduled
    assert len(delays) == 2

    await tracker.async_track(SendResult(id="6", count=1), [PHONE])
    assert delays[-1] == 15
    tracker.async_set_pushed("smpp", False)
    assert delays[-1] == 15
    assert tracker.message is not None
    assert tracker.message.channel == "http"
    # The webhook pushes the statuses of messages sent over HTTP.
    tracker.async_set_pushed("http", True)
    assert delays[-1] == FOLLOW_UP_SLOW


@pytest.mark.parametrize(
    ("cost", "shown"),
    [
        (None, None),
        ("1.4000", "1.40"),  # an SMPP receipt
        ("1.40", "1.40"),  # send.php
        ("3", "3.00"),
        ("0.0350", "0.035"),  # a fraction of a cent is kept
        ("12.5", "12.50"),
    ],
)
def test_money_has_one_precision(cost: str | None, shown: str | None) -> None:
    """Two decimal places, more only when they carry something."""
    value = money(None if cost is None else Decimal(cost))
    assert (None if value is None else str(value)) == shown


def test_a_stored_cost_reads_back_in_that_precision() -> None:
    """A record stored before (with an SMPP receipt's 1.4000) shows 1.40 too."""
    stored = _message(cost=Decimal("1.4000")).as_dict()
    assert str(TrackedMessage.from_dict(stored).cost) == "1.40"


def test_an_undocumented_status_is_final() -> None:
    """A status code the service never documented stops the follow-up (no private enum
    attributes needed to tell)."""
    assert _message(status=77).final
    assert not _message(status=-1).final
