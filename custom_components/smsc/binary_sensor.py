# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Binary sensors: low balance; the SMPP connection when the receiver is on; whether get.php
polling works when the options choose polling."""

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
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import RECEIVE_POLLING, signal_connection
from .entity import SmscBalanceEntity, SmscEntity
from .helpers import receive_channel
from .models import SmscConfigEntry
from .polling import SmscIncomingCoordinator
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
POLLING = BinarySensorEntityDescription(
    key="polling",
    translation_key="polling",
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
    if receive_channel(entry.options) == RECEIVE_POLLING and entry.runtime_data.poller:
        entities.append(SmscPollingSensor(entry, entry.runtime_data.poller, POLLING))
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


class SmscPollingSensor(CoordinatorEntity[SmscIncomingCoordinator], SmscEntity, BinarySensorEntity):
    """On while get.php polls succeed; off (with the reason) while they fail."""

    def __init__(
        self,
        entry: SmscConfigEntry,
        coordinator: SmscIncomingCoordinator,
        description: BinarySensorEntityDescription,
    ) -> None:
        CoordinatorEntity.__init__(self, coordinator)
        SmscEntity.__init__(self, entry, description)

    @property
    def available(self) -> bool:
        """Always: this sensor is what shows that polling fails."""
        return True

    @property
    def is_on(self) -> bool:
        """Whether the last poll succeeded."""
        return self.coordinator.last_update_success

    @property
    def extra_state_attributes(self) -> dict[str, str | None]:
        """When the last poll succeeded, and why the last one failed."""
        last = self.coordinator.data
        return {
            "last_poll": None if last is None else last.isoformat(),
            "last_error": self.coordinator.last_error,
        }
