# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Setting the entry up and down: failures, reloads, the low-balance issue, removal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import CONF_LOW_BALANCE, CONF_URL, DOMAIN
from tests.conftest import EmulatorHandle


async def test_setup_and_unload(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """A service device for the account, one per recipient; unload leaves nothing running."""
    account = device_registry.async_get_device({(DOMAIN, loaded_entry.entry_id)})
    assert account is not None
    assert account.entry_type is dr.DeviceEntryType.SERVICE
    assert account.manufacturer == "SMSC"
    subentry_id = next(iter(loaded_entry.subentries))
    recipient = device_registry.async_get_device({(DOMAIN, subentry_id)})
    assert recipient is not None
    assert recipient.via_device_id == account.id

    tasks_before = asyncio.all_tasks()
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    assert not (asyncio.all_tasks() - tasks_before)
    assert hass.states.get("sensor.demo_balance").state == "unavailable"


async def test_not_ready_when_unreachable(
    hass: HomeAssistant, smsc: EmulatorHandle, config_entry: MockConfigEntry, unused_url: str
) -> None:
    """Nothing listening: ConfigEntryNotReady, retried later."""
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_URL: unused_url}
    )
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert "Cannot read the balance" in (config_entry.reason or "")
    await hass.config_entries.async_unload(config_entry.entry_id)


async def test_not_ready_on_server_error(
    hass: HomeAssistant, smsc: EmulatorHandle, config_entry: MockConfigEntry
) -> None:
    """An HTTP 500 of the service (on every host) is a temporary failure."""
    await smsc.control.add_fault("balance", "http500")
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    await hass.config_entries.async_unload(config_entry.entry_id)


async def test_auth_failed(
    hass: HomeAssistant, smsc: EmulatorHandle, config_entry: MockConfigEntry
) -> None:
    """Refused credentials: ConfigEntryAuthFailed, and a reauth flow is started."""
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_PASSWORD: "wrong"}
    )
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_invalid_stored_url(hass: HomeAssistant, config_entry: MockConfigEntry) -> None:
    """A stored address pysmsc refuses is a permanent error that names the field."""
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_URL: "ftp://example.com"}
    )
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert "url" in (config_entry.reason or "")


async def test_reload_only_on_settings_change(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Options and recipients reload the entry; a new title does not."""
    first = loaded_entry.runtime_data
    hass.config_entries.async_update_entry(loaded_entry, title="renamed")
    await hass.async_block_till_done()
    assert loaded_entry.runtime_data is first

    hass.config_entries.async_update_entry(loaded_entry, options={CONF_LOW_BALANCE: 1.0})
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert loaded_entry.runtime_data is not first


@pytest.mark.parametrize("entry_options", [{CONF_LOW_BALANCE: 100.0}])
async def test_low_balance_issue(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Below the threshold: a repair issue and the binary sensor on; above: both gone."""
    issue_id = f"low_balance_{loaded_entry.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("binary_sensor.demo_low_balance").state == "off"

    await smsc.control.set_balance("12.50")
    await loaded_entry.runtime_data.balance.async_refresh()
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "low_balance"
    assert issue.translation_placeholders == {
        "account": "demo",
        "balance": "12.50",
        "currency": "RUB",
        "threshold": "100.00",
    }
    assert hass.states.get("binary_sensor.demo_low_balance").state == "on"

    await smsc.control.set_balance("500")
    await loaded_entry.runtime_data.balance.async_refresh()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("binary_sensor.demo_low_balance").state == "off"

    # The issue also goes when the entry unloads.
    await smsc.control.set_balance("1")
    await loaded_entry.runtime_data.balance.async_refresh()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_remove_entry_forgets_last_message(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """The store of the last message goes with the entry."""
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.alice", "message": "Removal test"},
        blocking=True,
    )
    key = f"{DOMAIN}.{loaded_entry.entry_id}"
    assert key in hass_storage
    assert await hass.config_entries.async_remove(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_removing_a_recipient_removes_its_device(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """No stale device or entity is left behind by a removed recipient."""
    subentry_id = next(iter(loaded_entry.subentries))
    assert entity_registry.async_get("notify.alice") is not None
    assert hass.config_entries.async_remove_subentry(loaded_entry, subentry_id)
    await hass.async_block_till_done()
    assert device_registry.async_get_device({(DOMAIN, subentry_id)}) is None
    assert entity_registry.async_get("notify.alice") is None
    assert hass.states.get("notify.alice") is None
    assert loaded_entry.state is ConfigEntryState.LOADED
