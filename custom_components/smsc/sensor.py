# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Sensors: the balance, and the status, cost and parts of the last message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import STATUS_OPTIONS, status_key
from .entity import SmscBalanceEntity, SmscMessageEntity
from .models import SmscConfigEntry
from .tracker import TrackedMessage

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class SmscMessageSensorDescription(SensorEntityDescription):
    """A sensor of the last message."""

    value_fn: Callable[[TrackedMessage], str | int | Decimal | None]
    monetary: bool = False


BALANCE = SensorEntityDescription(
    key="balance",
    translation_key="balance",
    device_class=SensorDeviceClass.MONETARY,
    suggested_display_precision=2,
)

MESSAGE_SENSORS: tuple[SmscMessageSensorDescription, ...] = (
    SmscMessageSensorDescription(
        key="last_message_status",
        translation_key="last_message_status",
        device_class=SensorDeviceClass.ENUM,
        options=STATUS_OPTIONS,
        value_fn=lambda message: status_key(message.status),
    ),
    SmscMessageSensorDescription(
        key="last_message_cost",
        translation_key="last_message_cost",
        device_class=SensorDeviceClass.MONETARY,
        suggested_display_precision=2,
        monetary=True,
        value_fn=lambda message: message.cost,
    ),
    SmscMessageSensorDescription(
        key="last_message_parts",
        translation_key="last_message_parts",
        value_fn=lambda message: message.parts,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmscConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of the account."""
    async_add_entities(
        [
            SmscBalanceSensor(entry, BALANCE),
            *(SmscMessageSensor(entry, description) for description in MESSAGE_SENSORS),
        ]
    )


class SmscBalanceSensor(SmscBalanceEntity, SensorEntity):
    """The balance, in the account's currency."""

    @property
    def native_value(self) -> Decimal:
        """The balance."""
        return self.coordinator.data.balance

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The account's currency (ISO 4217, as the service tells it)."""
        return self.coordinator.currency


class SmscMessageSensor(SmscMessageEntity, SensorEntity):
    """A sensor of the last message sent through the entry."""

    entity_description: SmscMessageSensorDescription

    @property
    def _message(self) -> TrackedMessage | None:
        return self._entry.runtime_data.tracker.message

    @property
    def native_value(self) -> str | int | Decimal | None:
        """The value for the last message (unknown before the first)."""
        message = self._message
        return None if message is None else self.entity_description.value_fn(message)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The account's currency for the cost."""
        if self.entity_description.monetary:
            return self._entry.runtime_data.balance.currency
        return None

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Which message the status is about, and the service's error code."""
        message = self._message
        if self.entity_description.key != "last_message_status" or message is None:
            return None
        return {
            "message_id": message.message_id,
            "recipient": message.phone,
            "kind": message.kind,
            "status_code": message.status,
            "error_code": message.error,
            "sent_at": message.sent_at.isoformat(),
            "channel": message.channel,
        }
