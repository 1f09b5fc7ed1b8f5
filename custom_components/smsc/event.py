# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Event entities of the SMPP receiver: incoming messages and delivery reports.

They exist while the receiver is on in the options; the receiver (phase 2) feeds them through
dispatcher signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .binary_sensor import smpp_enabled
from .const import STATUS_OPTIONS, signal_incoming, signal_report, status_key
from .entity import SmscEntity
from .models import DeliveryReport, SmscConfigEntry

if TYPE_CHECKING:
    from pysmsc.smpp.incoming import IncomingMessage

PARALLEL_UPDATES = 0

EVENT_RECEIVED = "received"

INCOMING_MESSAGE = EventEntityDescription(
    key="incoming_message",
    translation_key="incoming_message",
    event_types=[EVENT_RECEIVED],
)
DELIVERY_REPORT = EventEntityDescription(
    key="delivery_report",
    translation_key="delivery_report",
    event_types=STATUS_OPTIONS,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmscConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities when the SMPP receiver is on."""
    if smpp_enabled(entry):
        async_add_entities(
            [
                SmscIncomingMessageEvent(entry, INCOMING_MESSAGE),
                SmscDeliveryReportEvent(entry, DELIVERY_REPORT),
            ]
        )


class SmscIncomingMessageEvent(SmscEntity, EventEntity):
    """An SMS received on one of the account's numbers."""

    _attr_should_poll = False

    async def async_added_to_hass(self) -> None:
        """Listen to the receiver."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, signal_incoming(self._entry.entry_id), self._async_incoming
            )
        )

    @callback
    def _async_incoming(self, message: IncomingMessage) -> None:
        attributes: dict[str, Any] = {
            "sender": message.source,
            "text": message.text,
            "time": message.received_at.isoformat(),
            "receiving_number": message.destination,
            "parts": message.parts,
            "complete": message.complete,
        }
        self._trigger_event(EVENT_RECEIVED, attributes)
        self.async_write_ha_state()


class SmscDeliveryReportEvent(SmscEntity, EventEntity):
    """A delivery report of a sent message; the event type is the message's status."""

    _attr_should_poll = False

    async def async_added_to_hass(self) -> None:
        """Listen to the receiver."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, signal_report(self._entry.entry_id), self._async_report
            )
        )

    @callback
    def _async_report(self, report: DeliveryReport) -> None:
        event_type = status_key(report.status)
        if event_type is None:
            return
        self._trigger_event(
            event_type,
            {
                "message_id": report.message_id,
                "recipient": report.phone,
                "status_code": report.status,
                "error_code": report.error,
                "time": None if report.done_at is None else report.done_at.isoformat(),
            },
        )
        self.async_write_ha_state()
