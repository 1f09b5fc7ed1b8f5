# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Choosing how messages arrive in the options: the webhook's URL shown in the form and in a
repair issue (whose fix flow shows it again) until the service first calls; a new URL on
request; Home Assistant Cloud's cloudhook; no URL without an address the service could reach;
polling's interval; the webhook kept when another channel is chosen."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from aiohttp.test_utils import TestClient
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.core import HomeAssistant
from homeassistant.core_config import async_process_ha_core_config
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import (
    CONF_CLOUDHOOK_URL,
    CONF_LOW_BALANCE,
    CONF_POLL_INTERVAL,
    CONF_POLLING,
    CONF_RECEIVE,
    CONF_SCAN_INTERVAL,
    CONF_SMPP,
    CONF_SMPP_HOST,
    CONF_WEBHOOK,
    CONF_WEBHOOK_ID,
    DOMAIN,
    webhook_issue_id,
)
from custom_components.smsc.webhook import async_create_setup_issue
from tests.conftest import EmulatorHandle

from .conftest import PHONE, sent_messages, state_of

EXTERNAL = "https://ha.example.com"


def _form(receive: str, interval: float = 30.0) -> dict[str, Any]:
    return {
        CONF_SCAN_INTERVAL: 30.0,
        CONF_LOW_BALANCE: 0.0,
        CONF_RECEIVE: receive,
        CONF_SMPP: {CONF_SMPP_HOST: ""},
        CONF_POLLING: {CONF_POLL_INTERVAL: interval},
    }


async def _choose(hass: HomeAssistant, entry: MockConfigEntry, receive: str, **form: Any) -> Any:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    return await hass.config_entries.options.async_configure(
        result["flow_id"], _form(receive, **form)
    )


@pytest.fixture
async def external_url(hass: HomeAssistant) -> str:
    """Home Assistant reachable from the internet at EXTERNAL."""
    await async_process_ha_core_config(hass, {"external_url": EXTERNAL})
    return EXTERNAL


def _issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, webhook_issue_id(entry.entry_id))


async def test_webhook_needs_an_address_the_service_can_reach(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Without an external URL or Cloud, the webhook is refused with the reason (an internal
    address is of no use to the service)."""
    await async_process_ha_core_config(hass, {"internal_url": "http://192.168.1.5:8123"})
    result = await _choose(hass, loaded_entry, "webhook")
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "webhook_no_url"}


@pytest.mark.usefixtures("external_url")
async def test_webhook_url_shown_until_the_first_call(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    hass_client_no_auth: Any,
) -> None:
    """The form's next step shows the URL; saving raises a repair issue whose fix flow shows
    it again; the service's first call closes it."""
    result = await _choose(hass, loaded_entry, "webhook")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "webhook"
    url = result["description_placeholders"]["url"]
    assert url.startswith(f"{EXTERNAL}/api/webhook/")
    webhook_id = url.rsplit("/", 1)[1]
    assert len(webhook_id) == 64
    assert result["description_placeholders"]["settings_url"] == f"{smsc.http_url}/user/"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"new_url": False}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_WEBHOOK] == {CONF_WEBHOOK_ID: webhook_id}
    issue = _issue(hass, loaded_entry)
    assert issue is not None
    assert (issue.is_fixable, issue.is_persistent) == (True, True)
    assert webhook_id not in repr(issue)  # the URL is made when the fix flow opens

    # The entry reloaded with the webhook: its entities are there.
    assert loaded_entry.runtime_data.webhook is not None
    assert state_of(hass, "event.demo_incoming_message") == "unknown"
    assert state_of(hass, "event.demo_delivery_report") == "unknown"

    # The fix flow shows the URL.
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    flow = await manager.async_init(
        DOMAIN, data={"issue_id": webhook_issue_id(loaded_entry.entry_id)}
    )
    assert flow["type"] is FlowResultType.FORM
    assert flow["description_placeholders"]["url"] == url

    # The service calls (here, with a status of a message): the issue closes by itself.
    client: TestClient = await hass_client_no_auth()
    await smsc.control.set_callback_url(str(client.make_url(f"/api/webhook/{webhook_id}")))
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": "Hi"}, blocking=True
    )
    [message] = await sent_messages(smsc)
    await smsc.control.set_status(message["id"], PHONE, 1)
    await smsc.control.flush_callbacks()
    await hass.async_block_till_done()
    assert _issue(hass, loaded_entry) is None


@pytest.mark.usefixtures("external_url")
async def test_fix_flow_confirmed_closes_the_issue(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """The user says the URL is pasted: the issue closes."""
    result = await _choose(hass, loaded_entry, "webhook")
    await hass.config_entries.options.async_configure(result["flow_id"], {"new_url": False})
    await hass.async_block_till_done()
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    flow = await manager.async_init(
        DOMAIN, data={"issue_id": webhook_issue_id(loaded_entry.entry_id)}
    )
    result = await manager.async_configure(flow["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert _issue(hass, loaded_entry) is None


@pytest.mark.usefixtures("external_url")
async def test_new_url_and_keeping_the_webhook(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Opening the options again keeps the URL; "make a new address" replaces it (the old one
    stops working); another channel keeps the webhook for later and drops the issue."""
    result = await _choose(hass, loaded_entry, "webhook")
    first = result["description_placeholders"]["url"]
    await hass.config_entries.options.async_configure(result["flow_id"], {"new_url": False})
    await hass.async_block_till_done()
    ir.async_delete_issue(hass, DOMAIN, webhook_issue_id(loaded_entry.entry_id))

    result = await _choose(hass, loaded_entry, "webhook")
    assert result["description_placeholders"]["url"] == first
    await hass.config_entries.options.async_configure(result["flow_id"], {"new_url": False})
    await hass.async_block_till_done()
    assert _issue(hass, loaded_entry) is None  # the same URL: nothing new to paste

    result = await _choose(hass, loaded_entry, "webhook")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"new_url": True})
    assert result["step_id"] == "webhook"
    second = result["description_placeholders"]["url"]
    assert second != first
    await hass.config_entries.options.async_configure(result["flow_id"], {"new_url": False})
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_WEBHOOK][CONF_WEBHOOK_ID] == second.rsplit("/", 1)[1]
    assert _issue(hass, loaded_entry) is not None
    hook = loaded_entry.runtime_data.webhook
    assert hook is not None

    result = await _choose(hass, loaded_entry, "polling")
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_RECEIVE] == "polling"
    assert loaded_entry.options[CONF_WEBHOOK][CONF_WEBHOOK_ID] == second.rsplit("/", 1)[1]
    assert _issue(hass, loaded_entry) is None
    assert loaded_entry.runtime_data.webhook is None
    assert loaded_entry.runtime_data.poller is not None


async def test_cloudhook(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """With Home Assistant Cloud, the URL is a cloudhook (no address of one's own needed); it
    is deleted with the entry. While Cloud is not connected, it cannot be made."""
    hass.config.components.add("cloud")
    hook_url = "https://hooks.nabu.casa/ABCDEFGHIJ"
    from homeassistant.components.cloud import CloudNotConnected  # noqa: PLC0415

    with (
        patch("homeassistant.components.cloud.async_active_subscription", return_value=True),
        patch(
            "homeassistant.components.cloud.async_create_cloudhook",
            AsyncMock(side_effect=CloudNotConnected),
        ),
    ):
        result = await _choose(hass, loaded_entry, "webhook")
    assert result["errors"] == {"base": "cloud_not_connected"}

    with (
        patch("homeassistant.components.cloud.async_active_subscription", return_value=True),
        patch(
            "homeassistant.components.cloud.async_create_cloudhook",
            AsyncMock(return_value=hook_url),
        ) as create,
    ):
        result = await _choose(hass, loaded_entry, "webhook")
        assert result["description_placeholders"]["url"] == hook_url
        await hass.config_entries.options.async_configure(result["flow_id"], {"new_url": False})
        await hass.async_block_till_done()
        # A new address while Cloud is away: refused with the reason, the old one kept.
        create.side_effect = CloudNotConnected
        result = await _choose(hass, loaded_entry, "webhook")
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"new_url": True}
        )
        assert result["errors"] == {"base": "cloud_not_connected"}
        assert result["description_placeholders"]["url"] == hook_url
    webhook_id = create.call_args_list[0].args[1]
    assert loaded_entry.options[CONF_WEBHOOK] == {
        CONF_WEBHOOK_ID: webhook_id,
        CONF_CLOUDHOOK_URL: hook_url,
    }
    assert loaded_entry.runtime_data.webhook is not None
    assert loaded_entry.runtime_data.webhook.diagnostics()["cloudhook"] is True

    with patch("homeassistant.components.cloud.async_delete_cloudhook", AsyncMock()) as delete:
        assert await hass.config_entries.async_remove(loaded_entry.entry_id)
        await hass.async_block_till_done()
    delete.assert_awaited_once_with(hass, webhook_id)
    assert _issue(hass, loaded_entry) is None


@pytest.mark.parametrize("interval", [9.0, 3601.0])
async def test_polling_interval_range(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, interval: float
) -> None:
    """The interval of polling stays within 10 s (the service's rate) and an hour."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    with pytest.raises(InvalidData, match="polling"):
        await hass.config_entries.options.async_configure(
            result["flow_id"], _form("polling", interval)
        )


async def test_polling_chosen(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """Polling: the interval stored in whole seconds; the polling sensor and the
    incoming-message entity appear, the delivery-report entity does not (get.php tells no
    statuses)."""
    result = await _choose(hass, loaded_entry, "polling", interval=15.0)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options[CONF_POLLING] == {CONF_POLL_INTERVAL: 15}
    assert state_of(hass, "binary_sensor.demo_polling") is not None
    assert state_of(hass, "event.demo_incoming_message") == "unknown"
    assert state_of(hass, "event.demo_delivery_report") is None


async def test_fix_flow_without_a_url(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """The fix flow cannot show a URL Home Assistant cannot make (no external address since,
    or the entry is gone): it says why instead."""
    async_create_setup_issue(hass, loaded_entry.entry_id, loaded_entry.title)
    async_create_setup_issue(hass, "gone", "old")
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(
        DOMAIN, data={"issue_id": webhook_issue_id(loaded_entry.entry_id)}
    )
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "no_url")
    result = await manager.async_init(DOMAIN, data={"issue_id": webhook_issue_id("gone")})
    assert (result["type"], result["reason"]) == (FlowResultType.ABORT, "entry_removed")


async def test_cloud_gone_when_the_entry_is_removed(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A cloudhook that Cloud can no longer delete does not stop the removal."""
    from homeassistant.components.cloud import CloudNotAvailable  # noqa: PLC0415

    hass.config.components.add("cloud")
    hass.config_entries.async_update_entry(
        loaded_entry,
        options={CONF_WEBHOOK: {CONF_WEBHOOK_ID: "a" * 64, CONF_CLOUDHOOK_URL: "https://x/y"}},
    )
    await hass.async_block_till_done()
    with patch(
        "homeassistant.components.cloud.async_delete_cloudhook",
        AsyncMock(side_effect=CloudNotAvailable),
    ) as delete:
        assert await hass.config_entries.async_remove(loaded_entry.entry_id)
    delete.assert_awaited_once()
