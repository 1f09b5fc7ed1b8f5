# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Event entities: incoming messages and delivery reports (from the channel the options choose:
SMPP, the webhook or polling), and the pages of the account.

The incoming-message entity exists with any receiving channel, the delivery-report entity with
SMPP and the webhook (get.php tells no statuses); they are unavailable when the stored options
could not start the channel. The page entity always exists: pages run with any channel.
"""

from __future__ import annotations

from abc import abstractmethod
from decimal import Decimal
from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from pysmsc.paging import PageReport, Phase

from .const import (
    RECEIVE_NONE,
    RECEIVE_POLLING,
    STATUS_OPTIONS,
    signal_incoming,
    signal_page,
    signal_report,
    status_key,
)
from .entity import SmscEntity
from .helpers import receive_channel
from .models import DeliveryReport, IncomingMessage, SmscConfigEntry
from .paging import report_data

PARALLEL_UPDATES = 0

EVENT_RECEIVED = "received"
# A page opened (fired by the smsc.page action), then every phase it reaches.
PAGE_OPENED = "opened"
PAGE_EVENTS = [
    PAGE_OPENED,
    Phase.ACKNOWLEDGED,
    Phase.DELIVERED,
    Phase.EXHAUSTED,
    Phase.STOPPED,
    Phase.RESOLVED,
]

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
PAGE = EventEntityDescription(
    key="page",
    translation_key="page",
    event_types=PAGE_EVENTS,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmscConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities of the receiving channel, and the page entity."""
    channel = receive_channel(entry.options)
    entities: list[EventEntity] = [SmscPageEvent(entry, PAGE)]
    if channel != RECEIVE_NONE:
        entities.append(SmscIncomingMessageEvent(entry, INCOMING_MESSAGE))
    if channel not in (RECEIVE_NONE, RECEIVE_POLLING):
        entities.append(SmscDeliveryReportEvent(entry, DELIVERY_REPORT))
    async_add_entities(entities)


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class SmscSignalEvent(SmscEntity, EventEntity):
    """An event entity fed through one dispatcher signal."""

    _attr_should_poll = False

    async def async_added_to_hass(self) -> None:
        """Listen to the signal."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(self.hass, self._signal(), self._async_received)
        )

    @abstractmethod
    def _signal(self) -> str:
        """The dispatcher signal to listen to."""

    @callback
    @abstractmethod
    def _async_received(self, item: Any) -> None:
        """Fire the event for what was passed on."""


class SmscReceiverEvent(SmscSignalEvent):
    """An event of the receiving channel: unavailable when the options could not start it."""

    async def async_added_to_hass(self) -> None:
        """Available while the channel runs."""
        await super().async_added_to_hass()
        data = self._entry.runtime_data
        self._attr_available = any(
            channel is not None for channel in (data.receiver, data.webhook, data.poller)
        )


class SmscIncomingMessageEvent(SmscReceiverEvent):
    """A message received on one of the account's numbers (over SMPP a long one arrives
    whole)."""

    def _signal(self) -> str:
        return signal_incoming(self._entry.entry_id)

    @callback
    def _async_received(self, item: Any) -> None:
        message: IncomingMessage = item
        attributes: dict[str, Any] = {
            "sender": message.sender,
            "text": message.text,
            "time": message.received_at.isoformat(),
            "to": message.to,
            "parts": message.parts,
            "complete": message.complete,
            "id": message.message_id,
            "channel": message.channel,
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


class SmscPageEvent(SmscSignalEvent):
    """A page opened or reached a phase (acknowledged, delivered, nobody acknowledged, stopped
    by a cost cap, resolved); the attributes are the page's report."""

    def _signal(self) -> str:
        return signal_page(self._entry.entry_id)

    @callback
    def _async_received(self, item: Any) -> None:
        report: PageReport = item
        event_type = PAGE_OPENED if report.phase == Phase.ESCALATING else report.phase
        self._trigger_event(
            event_type, report_data(report, self._entry.runtime_data.balance.currency)
        )
        self.async_write_ha_state()
