# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What is ready for the SMPP receiver (phase 2): with the receiver on in the options, the
event entities and the connectivity sensor exist and follow the receiver's signals.

The receiver itself comes with the SMPP client; these tests send its signals directly.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers.dispatcher import async_dispatcher_send
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import (
    CONF_SMPP,
    CONF_SMPP_ENABLED,
    signal_connection,
    signal_incoming,
    signal_report,
)
from custom_components.smsc.models import DeliveryReport
from pysmsc.smpp.incoming import IncomingMessage

from .conftest import PHONE

INCOMING = "event.demo_incoming_message"
REPORTS = "event.demo_delivery_report"
CONNECTION = "binary_sensor.demo_smpp_connection"


async def test_no_smpp_entities_by_default(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """The receiver is off by default: no event entities, no connectivity sensor."""
    assert hass.states.get(INCOMING) is None
    assert hass.states.get(REPORTS) is None
    assert hass.states.get(CONNECTION) is None


@pytest.mark.parametrize("entry_options", [{CONF_SMPP: {CONF_SMPP_ENABLED: True}}])
async def test_receiver_signals(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """Incoming messages and delivery reports become events; the connection a sensor."""
    assert hass.states.get(CONNECTION).state == "off"
    assert hass.states.get(INCOMING).state == STATE_UNKNOWN
    entry_id = loaded_entry.entry_id

    async_dispatcher_send(hass, signal_connection(entry_id), True)
    await hass.async_block_till_done()
    assert hass.states.get(CONNECTION).state == "on"

    received = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    message = IncomingMessage(
        source=PHONE,
        destination="79000000000",
        text="Open the gate",
        data_coding=0,
        payload=b"Open the gate",
        received_at=received,
    )
    async_dispatcher_send(hass, signal_incoming(entry_id), message)
    await hass.async_block_till_done()
    state = hass.states.get(INCOMING)
    assert state.attributes["event_type"] == "received"
    assert state.attributes["sender"] == PHONE
    assert state.attributes["text"] == "Open the gate"
    assert state.attributes["receiving_number"] == "79000000000"
    assert state.attributes["time"] == received.isoformat()

    report = DeliveryReport(message_id="17", phone=PHONE, status=1, done_at=received)
    async_dispatcher_send(hass, signal_report(entry_id), report)
    await hass.async_block_till_done()
    state = hass.states.get(REPORTS)
    assert state.attributes["event_type"] == "delivered"
    assert state.attributes["message_id"] == "17"

    # An undocumented status code fires nothing.
    before = hass.states.get(REPORTS).last_changed
    async_dispatcher_send(
        hass, signal_report(entry_id), DeliveryReport(message_id="18", phone=PHONE, status=99)
    )
    await hass.async_block_till_done()
    assert hass.states.get(REPORTS).last_changed == before
