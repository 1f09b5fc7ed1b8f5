# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Entity bases: every entity of an entry belongs to the account's service device."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONF_URL, DEFAULT_URL, DOMAIN
from .coordinator import SmscBalanceCoordinator
from .models import SmscConfigEntry

MANUFACTURER = "SMSC"


def account_device(entry: SmscConfigEntry) -> DeviceInfo:
    """The service device of the account."""
    return DeviceInfo(
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer=MANUFACTURER,
        entry_type=DeviceEntryType.SERVICE,
        configuration_url=entry.data.get(CONF_URL, DEFAULT_URL),
    )


class SmscEntity(Entity):
    """An entity of the account's device, keyed by the entry and its description."""

    _attr_has_entity_name = True

    def __init__(self, entry: SmscConfigEntry, description: EntityDescription) -> None:
        self.entity_description = description
        self._entry = entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = account_device(entry)


class SmscBalanceEntity(CoordinatorEntity[SmscBalanceCoordinator], SmscEntity):
    """An entity that follows the balance coordinator."""

    def __init__(self, entry: SmscConfigEntry, description: EntityDescription) -> None:
        CoordinatorEntity.__init__(self, entry.runtime_data.balance)
        SmscEntity.__init__(self, entry, description)


class SmscMessageEntity(SmscEntity):
    """An entity that shows the last message sent through the entry."""

    _attr_should_poll = False

    async def async_added_to_hass(self) -> None:
        """Follow the tracker."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._entry.runtime_data.tracker.async_add_listener(self.async_write_ha_state)
        )
