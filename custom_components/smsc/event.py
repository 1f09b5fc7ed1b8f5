# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Event entities of the SMPP receiver: incoming messages and delivery reports.

They exist while the receiver is on in the options (unavailable when the options could not
start it); the receiver feeds them through dispatcher signals.
"""

from __future__ import annotations

from abc import abstractmethod
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import STATUS_OPTIONS, signal_incoming, signal_report, status_key
from .entity import SmscEntity
from .models import DeliveryReport, SmscConfigEntry
from .receiver import smpp_enabled

if TYPE_CHECKING:
    from pysmsc.smpp import IncomingSms

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


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class SmscReceiverEvent(SmscEntity, EventEntity):
    """An event entity fed by the SMPP receiver through one dispatcher signal."""

    _attr_should_poll = False

    async def async_added_to_hass(self) -> None:
        """Listen to the receiver."""
        await super().async_added_to_hass()
        self._attr_available = self._entry.runtime_data.receiver is not None
        self.async_on_remove(
            async_dispatcher_connect(self.hass, self._signal(), self._async_received)
        )

    @abstractmethod
    def _signal(self) -> str:
        """The dispatcher signal to listen to."""

    @callback
    @abstractmethod
    def _async_received(self, item: Any) -> None:
        """Fire the event for what the receiver passed on."""


class SmscIncomingMessageEvent(SmscReceiverEvent):
    """An SMS received on one of the account's numbers (a long one arrives whole)."""

    def _signal(self) -> str:
        return signal_incoming(self._entry.entry_id)

    @callback
    def _async_received(self, item: Any) -> None:
        message: IncomingSms = item
        attributes: dict[str, Any] = {
            "sender": message.source,
            "text": message.text,
            "time": message.received_at.isoformat(),
            "to": message.destination,
            "parts": message.parts,
            "complete": message.complete,
        }
        self._trigger_event(EVENT_RECEIVED, attributes)
        self.async_write_ha_state()


class SmscDeliveryReportEvent(SmscReceiverEvent):
    """A delivery report of a sent message; the event type is the message's status."""

    def _signal(self) -> str:
        return signal_report(self._entry.entry_id)

    @callback
    def _async_received(self, item: Any) -> None:
        report: DeliveryReport = item
        event_type = status_key(report.status)
        if event_type is None:
            return
        self._trigger_event(
            event_type,
            {
                "id": report.message_id,
                "phone": report.phone,
                "status": event_type,
                "error": report.error,
                "cost": _money(report.cost),
                "parts": report.parts,
                "time": None if report.done_at is None else report.done_at.isoformat(),
            },
        )
        self.async_write_ha_state()
