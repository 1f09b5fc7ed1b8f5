# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMPP entities and what the receiver makes of what arrives, with the receiver's signals
and callbacks driven directly (the end-to-end paths over SMPP are in test_receiver.py):
existence and availability, attributes, the mapping of receipts onto statuses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers.dispatcher import async_dispatcher_send
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import (
    CONF_RECEIVE,
    CONF_SMPP,
    CONF_SMPP_HOST,
    CONF_SMPP_PORT,
    DOMAIN,
    RECEIVE_SMPP,
    signal_connection,
    signal_incoming,
    signal_report,
)
from custom_components.smsc.models import DeliveryReport, IncomingMessage
from custom_components.smsc.receiver import SmscReceiver
from pysmsc.smpp import IncomingSms, MessageState, receipt_status
from pysmsc.smpp.receipts import build_hlr_result, build_receipt, parse_report

from .conftest import PHONE, wait_for

INCOMING = "event.demo_incoming_message"
REPORTS = "event.demo_delivery_report"
CONNECTION = "binary_sensor.demo_smpp_connection"
STATUS = "sensor.demo_last_message_status"


@pytest.fixture
def entry_options(unused_url: str, fast_reconnect: None) -> dict[str, Any]:
    """The receiver on, aimed at a port where nothing listens (it keeps retrying)."""
    port = int(unused_url.rsplit(":", 1)[1])
    return {
        CONF_RECEIVE: RECEIVE_SMPP,
        CONF_SMPP: {CONF_SMPP_HOST: "127.0.0.1", CONF_SMPP_PORT: port},
    }


def _receiver(entry: MockConfigEntry) -> SmscReceiver:
    receiver = entry.runtime_data.receiver
    assert isinstance(receiver, SmscReceiver)
    return receiver


@pytest.mark.parametrize("entry_options", [{}])
async def test_no_smpp_entities_by_default(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """The receiver is off by default: no event entities, no connectivity sensor."""
    assert loaded_entry.runtime_data.receiver is None
    assert hass.states.get(INCOMING) is None
    assert hass.states.get(REPORTS) is None
    assert hass.states.get(CONNECTION) is None


@pytest.mark.parametrize("entry_options", [{CONF_RECEIVE: RECEIVE_SMPP, CONF_SMPP: {}}])
async def test_unavailable_when_the_receiver_cannot_start(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """On, but without a host (options stored by other means): the entities exist and are
    unavailable; the log says why."""
    assert loaded_entry.runtime_data.receiver is None
    for entity_id in (INCOMING, REPORTS, CONNECTION):
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE, entity_id
    messages = [record.getMessage() for record in caplog.get_records("setup")]
    assert any("The SMPP receiver cannot start: host: required" in text for text in messages)


async def test_receiver_signals(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """Incoming messages and delivery reports become events; the connection a sensor."""
    assert hass.states.get(CONNECTION).state == "off"
    assert hass.states.get(INCOMING).state == STATE_UNKNOWN
    entry_id = loaded_entry.entry_id

    async_dispatcher_send(hass, signal_connection(entry_id), True)
    await hass.async_block_till_done()
    assert hass.states.get(CONNECTION).state == "on"

    received = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    message = IncomingSms(
        source=PHONE,
        destination="79000000000",
        text="Open the gate",
        data_coding=0,
        payload=b"Open the gate",
        received_at=received,
    )
    async_dispatcher_send(hass, signal_incoming(entry_id), IncomingMessage.from_sms(message))
    await hass.async_block_till_done()
    state = hass.states.get(INCOMING)
    assert state.attributes["event_type"] == "received"
    assert state.attributes["channel"] == "smpp"
    assert state.attributes["id"] is None
    assert state.attributes["sender"] == PHONE
    assert state.attributes["text"] == "Open the gate"
    assert state.attributes["to"] == "79000000000"
    assert state.attributes["time"] == received.isoformat()
    assert state.attributes["parts"] == 1
    assert state.attributes["complete"] is True

    report = DeliveryReport(
        message_id="17", phone=PHONE, status=1, cost=Decimal("1.20"), parts=1, done_at=received
    )
    async_dispatcher_send(hass, signal_report(entry_id), report)
    await hass.async_block_till_done()
    state = hass.states.get(REPORTS)
    assert state.attributes["event_type"] == "delivered"
    assert state.attributes["id"] == "17"
    assert state.attributes["phone"] == PHONE
    assert state.attributes["status"] == "delivered"
    assert state.attributes["error"] == 0
    assert state.attributes["cost"] == 1.2
    assert state.attributes["time"] == received.isoformat()

    # An undocumented status code fires nothing.
    before = hass.states.get(REPORTS).last_changed
    async_dispatcher_send(
        hass, signal_report(entry_id), DeliveryReport(message_id="18", phone=PHONE, status=99)
    )
    await hass.async_block_till_done()
    assert hass.states.get(REPORTS).last_changed == before


async def test_incomplete_incoming_message(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A long message whose parts did not all come (the client gives up after its timeout)
    is passed on with complete false and the parts that came."""
    message = IncomingSms(
        source=PHONE,
        destination="79000000000",
        text="first part, third part",
        data_coding=0,
        payload=b"",
        parts=3,
        complete=False,
        missing_parts=(2,),
    )
    _receiver(loaded_entry)._async_incoming(message)
    await hass.async_block_till_done()
    state = hass.states.get(INCOMING)
    assert state.attributes["complete"] is False
    assert state.attributes["parts"] == 3
    assert state.attributes["text"] == "first part, third part"


async def test_receipts_drive_the_last_message(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A receipt of the last message updates its status, cost and parts; one of another
    message only fires the event; one without a status fires nothing."""
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": "Hi"}, blocking=True
    )
    tracker = loaded_entry.runtime_data.tracker
    assert tracker.message is not None
    message_id = tracker.message.message_id
    receiver = _receiver(loaded_entry)

    other = parse_report(build_receipt("999999", phone=PHONE, stat="UNDELIV", err=6))
    await receiver._async_receipt(other)
    await hass.async_block_till_done()
    assert hass.states.get(REPORTS).attributes["id"] == "999999"
    assert hass.states.get(REPORTS).attributes["event_type"] == "undeliverable"
    assert hass.states.get(REPORTS).attributes["error"] == 6
    assert tracker.message.status == -1

    unknown = parse_report(build_receipt(message_id, phone=PHONE, stat="UNKNOWN"))
    await receiver._async_receipt(unknown)
    await hass.async_block_till_done()
    assert hass.states.get(REPORTS).attributes["id"] == "999999"

    mine = parse_report(
        build_receipt(message_id, phone=PHONE, stat="DELIVRD", cost="2.5", parts=3, sub=3)
    )
    await receiver._async_receipt(mine)
    await hass.async_block_till_done()
    assert hass.states.get(STATUS).state == "delivered"
    assert tracker.message.cost == Decimal("2.5")
    assert tracker.message.parts == 3
    assert hass.states.get("sensor.demo_last_message_parts").state == "3"
    assert hass.states.get(REPORTS).attributes["parts"] == 3


def _report(stat: str, err: int = 0, extra_state: int | None = None) -> Any:
    return parse_report(
        build_receipt("1", phone=PHONE, stat=stat, err=err, extra_state=extra_state)
    )


@pytest.mark.parametrize(
    ("report", "status"),
    [
        (_report("DELIVRD"), 1),
        (_report("DELIVRD", extra_state=2), 2),
        (_report("DELIVRD", extra_state=4), 4),
        (_report("ACCEPTD"), 0),
        (_report("ENROUTE"), 0),
        (_report("EXPIRED"), 3),
        (_report("DELETED"), -2),
        (_report("UNDELIV", err=6), 20),
        (_report("UNDELIV", err=249), 22),
        (_report("REJECTD", err=253), 23),
        (_report("REJECTD", err=224), 24),
        (_report("UNKNOWN", err=245), None),
        (parse_report(build_hlr_result("1", phone=PHONE, stat="DELIVRD", imsi="1")), 1),
    ],
)
def test_receipt_status(report: Any, status: int | None) -> None:
    """SMPP receipts map onto the statuses of status.php."""
    assert receipt_status(report) == status


def test_receipt_without_state() -> None:
    """A receipt whose state cannot be read has no status; SCHEDULED is waiting."""
    report = _report("DELIVRD")
    assert receipt_status(replace(report, state=None)) is None
    assert receipt_status(replace(report, state=MessageState.SCHEDULED)) == -1


async def test_a_reply_over_smpp_acknowledges_a_page(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """An SMS received over SMPP naming a page's code acknowledges the page (the call would
    not take key presses: the page says to reply)."""
    response = await hass.services.async_call(
        DOMAIN,
        "page",
        {
            "config_entry_id": loaded_entry.entry_id,
            "key": "k",
            "message": "Leak",
            "contacts": [PHONE],
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert response["acknowledgement"] == ["reply", "action"]
    runner = loaded_entry.runtime_data.runner

    def phase() -> str | None:
        report = runner.report("k")
        return None if report is None else report.phase

    await hass.async_block_till_done()
    reply = IncomingSms(
        source=PHONE,
        destination="79000000000",
        text=f"{response['code']} ok",
        data_coding=0,
        payload=b"",
    )
    _receiver(loaded_entry)._async_incoming(reply)
    await wait_for(hass, lambda: phase() == "acknowledged")
    report = runner.report("k")
    assert report is not None
    assert (report.acknowledged_by, report.acknowledged_via) == (PHONE, "reply")
