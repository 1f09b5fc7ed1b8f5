# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMSC integration: send SMS, calls, Viber, WhatsApp and e-mail through smsc.ru."""

from __future__ import annotations

from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from pysmsc import ValidationError

from .const import (
    CONF_KIND,
    CONF_LOGIN,
    CONF_SMPP,
    CONF_SMPP_LOGIN,
    CONFIG_VERSION,
    DOMAIN,
    LOGGER,
)
from .coordinator import SmscBalanceCoordinator
from .fanout import async_setup_fanout
from .helpers import canonical_login, create_client, field_name, kind_name
from .models import SmscConfigEntry, SmscData
from .receiver import async_create_receiver
from .services import async_setup_services
from .tracker import MessageTracker, async_remove_store

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, once for every entry, and follow notify calls (see fanout)."""
    async_setup_services(hass)
    async_setup_fanout(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: SmscConfigEntry) -> bool:
    """Bring an entry stored by an earlier release up to date (False: a newer release stored
    it, and this one cannot read it)."""
    if entry.version > CONFIG_VERSION:
        return False
    if entry.minor_version < 2:
        # The login in its canonical form, so that SMPP binds with it too; recipients' kinds
        # by the names users write (``mail`` became ``email``), so that the form shows them.
        data = dict(entry.data)
        if data.get(CONF_LOGIN):
            data[CONF_LOGIN] = canonical_login(data[CONF_LOGIN])
        options = dict(entry.options)
        if (smpp := options.get(CONF_SMPP)) and smpp.get(CONF_SMPP_LOGIN):
            options[CONF_SMPP] = {**smpp, CONF_SMPP_LOGIN: canonical_login(smpp[CONF_SMPP_LOGIN])}
        for subentry in entry.subentries.values():
            kind = subentry.data.get(CONF_KIND)
            if (name := kind_name(kind)) is not None and name != kind:
                hass.config_entries.async_update_subentry(
                    entry, subentry, data={**subentry.data, CONF_KIND: name}
                )
        hass.config_entries.async_update_entry(entry, data=data, options=options, minor_version=2)
        LOGGER.debug("Entry %s migrated to version %s.2", entry.title, CONFIG_VERSION)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmscConfigEntry) -> bool:
    """Connect to the service, read the balance and set up the entities."""
    try:
        client = create_client(hass, entry.data)
    except ValidationError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_config",
            translation_placeholders={"field": field_name(err.field), "rule": err.rule},
        ) from err
    coordinator = SmscBalanceCoordinator(hass, entry)
    tracker = MessageTracker(hass, entry)
    entry.runtime_data = SmscData(
        client=client, balance=coordinator, tracker=tracker, settings=_settings(entry)
    )
    await coordinator.async_config_entry_first_refresh()

    await tracker.async_load()
    entry.async_on_unload(tracker.async_shutdown)

    @callback
    def update_low_balance_issue() -> None:
        _async_update_low_balance_issue(hass, entry)

    update_low_balance_issue()
    entry.async_on_unload(coordinator.async_add_listener(update_low_balance_issue))
    entry.async_on_unload(lambda: ir.async_delete_issue(hass, DOMAIN, _low_balance_issue(entry)))

    # The SMPP receiver, when the options turn it on: made (and subscribed) before the
    # entities, so that they see it; opened after them, so that nothing delivered right at
    # bind reaches an event entity not listening yet. It reconnects by itself; closed on unload.
    receiver = async_create_receiver(hass, entry)
    if receiver is not None:
        entry.runtime_data.receiver = receiver
        entry.async_on_unload(receiver.async_stop)

        async def _async_stop_receiver(_event: Event) -> None:
            """Unbind gracefully when Home Assistant stops (entries are not unloaded then)."""
            await receiver.async_stop()

        entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _async_stop_receiver))

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    if receiver is not None:
        await receiver.async_start()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SmscConfigEntry) -> bool:
    """Unload the entities; the follow-up and the issue go with the entry's unload callbacks."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SmscConfigEntry) -> None:
    """Forget the last message of a removed entry."""
    await async_remove_store(hass, entry.entry_id)


def _settings(entry: SmscConfigEntry) -> dict[str, Any]:
    """What the loaded entry was set up with, beyond its credentials: options and recipients."""
    return {
        "options": dict(entry.options),
        "subentries": {
            subentry_id: (subentry.title, dict(subentry.data))
            for subentry_id, subentry in entry.subentries.items()
        },
    }


async def _async_update_listener(hass: HomeAssistant, entry: SmscConfigEntry) -> None:
    """Reload when the options or the recipients changed.

    Changes of the credentials come from the reauthentication and reconfigure flows, which
    reload the entry themselves.
    """
    if _settings(entry) != entry.runtime_data.settings:
        hass.config_entries.async_schedule_reload(entry.entry_id)


def _low_balance_issue(entry: SmscConfigEntry) -> str:
    return f"low_balance_{entry.entry_id}"


@callback
def _async_update_low_balance_issue(hass: HomeAssistant, entry: SmscConfigEntry) -> None:
    """Raise a repair issue while the balance is below the threshold of the options."""
    coordinator = entry.runtime_data.balance
    issue_id = _low_balance_issue(entry)
    if not coordinator.low_balance:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    assert coordinator.data is not None
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="low_balance",
        translation_placeholders={
            "account": entry.title,
            "balance": f"{coordinator.data.balance:.2f}",
            "currency": coordinator.currency or "",
            "threshold": f"{coordinator.low_balance_threshold:.2f}",
        },
    )
