# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Binary sensors: low balance, and the SMPP connection when the receiver is on."""

from __future__ import annotations

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import signal_connection
from .entity import SmscBalanceEntity, SmscEntity
from .models import SmscConfigEntry
from .receiver import smpp_enabled

PARALLEL_UPDATES = 0

LOW_BALANCE = BinarySensorEntityDescription(
    key="low_balance",
    translation_key="low_balance",
    device_class=BinarySensorDeviceClass.PROBLEM,
)
SMPP_CONNECTION = BinarySensorEntityDescription(
    key="smpp_connection",
    translation_key="smpp_connection",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmscConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of the account."""
    entities: list[BinarySensorEntity] = [SmscLowBalanceSensor(entry, LOW_BALANCE)]
    if smpp_enabled(entry):
        entities.append(SmscConnectionSensor(entry, SMPP_CONNECTION))
    async_add_entities(entities)


class SmscLowBalanceSensor(SmscBalanceEntity, BinarySensorEntity):
    """On while the balance is below the threshold of the options (unknown when it is 0)."""

    @property
    def is_on(self) -> bool | None:
        """Whether the balance is low."""
        return self.coordinator.low_balance


class SmscConnectionSensor(SmscEntity, BinarySensorEntity):
    """Whether the SMPP receiver is bound; unavailable when the options could not start it."""

    _attr_should_poll = False

    async def async_added_to_hass(self) -> None:
        """Follow the receiver's connection reports."""
        await super().async_added_to_hass()
        receiver = self._entry.runtime_data.receiver
        self._attr_available = receiver is not None
        self._attr_is_on = receiver is not None and receiver.connected
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, signal_connection(self._entry.entry_id), self._async_connection
            )
        )

    @callback
    def _async_connection(self, connected: bool) -> None:
        self._attr_is_on = connected
        self.async_write_ha_state()
