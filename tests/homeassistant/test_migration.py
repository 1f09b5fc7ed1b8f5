# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Entries stored by earlier releases: 1.1 (the login as typed, recipients of e-mail with the
kind ``mail``) and 1.2 (the SMPP receiver turned on by ``smpp.enabled``). They migrate to 1.3
when Home Assistant loads them."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryData
from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import (
    CONF_KIND,
    CONF_LOGIN,
    CONF_RECEIVE,
    CONF_RECIPIENTS,
    CONF_SENDER,
    CONF_SMPP,
    CONF_SMPP_ENABLED,
    CONF_SMPP_HOST,
    CONF_SMPP_LOGIN,
    CONF_SMPP_PORT,
    CONF_URL,
    DOMAIN,
    RECEIVE_NONE,
    RECEIVE_SMPP,
    SUBENTRY_RECIPIENT,
)
from tests.conftest import EmulatorHandle

from .conftest import EMAIL, PHONE, sent_messages


def _recipient(title: str, recipients: list[str], kind: str, **extra: str) -> ConfigSubentryData:
    return ConfigSubentryData(
        data={CONF_RECIPIENTS: recipients, CONF_KIND: kind, **extra},
        subentry_type=SUBENTRY_RECIPIENT,
        title=title,
        unique_id=None,
    )


def _first_release_entry(smsc: EmulatorHandle, *recipients: ConfigSubentryData) -> MockConfigEntry:
    """An entry in the shape the first release stored."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Demo",
        unique_id="demo",
        version=1,
        minor_version=1,
        data={CONF_URL: smsc.http_url, CONF_LOGIN: "Demo", CONF_PASSWORD: smsc.password},
        options={CONF_SMPP: {CONF_SMPP_ENABLED: False, CONF_SMPP_LOGIN: "DEMO"}},
        subentries_data=recipients,
    )


def _subentry(entry: MockConfigEntry, title: str) -> Any:
    return next(item for item in entry.subentries.values() if item.title == title)


async def test_first_release_entry_migrates(
    hass: HomeAssistant, smsc: EmulatorHandle, device_registry: dr.DeviceRegistry
) -> None:
    """The login and the SMPP login in their canonical form; ``mail`` becomes ``email``, which
    the kind selector offers; the recipient works as before."""
    entry = _first_release_entry(
        smsc,
        _recipient("Mailbox", [EMAIL], "mail", **{CONF_SENDER: "home@example.com"}),
        _recipient("Alice", [PHONE], "sms"),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert (entry.version, entry.minor_version) == (1, 3)
    assert entry.data[CONF_LOGIN] == "demo"
    # The SMPP section without its switch; the receiver stays off.
    assert entry.options[CONF_SMPP] == {CONF_SMPP_LOGIN: "demo"}
    assert entry.options[CONF_RECEIVE] == RECEIVE_NONE
    assert entry.unique_id == "demo"
    assert entry.title == "Demo"  # the user's name for it stays
    mailbox = _subentry(entry, "Mailbox")
    assert dict(mailbox.data) == {
        CONF_RECIPIENTS: [EMAIL],
        CONF_KIND: "email",
        CONF_SENDER: "home@example.com",
    }
    assert _subentry(entry, "Alice").data[CONF_KIND] == "sms"
    device = device_registry.async_get_device({(DOMAIN, mailbox.subentry_id)})
    assert device is not None
    assert (device.model, device.model_id) == ("E-mail", "email")

    # The recipient's form shows the kind as one of the selector's options.
    result = await entry.start_subentry_reconfigure_flow(
        hass, SUBENTRY_RECIPIENT, mailbox.subentry_id
    )
    kind = next(key for key in result["data_schema"].schema if str(key) == CONF_KIND)
    assert kind.description["suggested_value"] == "email"
    options = result["data_schema"].schema[kind].config["options"]
    assert "email" in options
    assert "mail" not in options

    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.mailbox", "message": "Still works", "title": "Migrated"},
        blocking=True,
    )
    [message] = await sent_messages(smsc)
    assert (message["kind"], message["subject"]) == ("mail", "Migrated")
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_migration_is_idempotent_on_current_entries(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """An entry of the current shape loads as it is."""
    assert (loaded_entry.version, loaded_entry.minor_version) == (1, 3)
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert dict(loaded_entry.options) == {}


@pytest.mark.usefixtures("fast_reconnect")
@pytest.mark.parametrize(
    ("options", "receive"),
    [
        ({}, RECEIVE_NONE),
        ({CONF_SMPP: {CONF_SMPP_ENABLED: False, CONF_SMPP_HOST: "127.0.0.1"}}, RECEIVE_NONE),
        ({CONF_SMPP: {CONF_SMPP_ENABLED: True, CONF_SMPP_HOST: "127.0.0.1"}}, RECEIVE_SMPP),
    ],
)
async def test_smpp_switch_becomes_the_receive_choice(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    unused_url: str,
    options: dict[str, Any],
    receive: str,
) -> None:
    """An entry of 1.2 whose SMPP receiver was on receives over SMPP; any other receives
    nothing; the rest of the SMPP section stays."""
    port = int(unused_url.rsplit(":", 1)[1])
    if CONF_SMPP in options:
        options[CONF_SMPP][CONF_SMPP_PORT] = port
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="demo",
        unique_id="demo",
        version=1,
        minor_version=2,
        data={CONF_URL: smsc.http_url, CONF_LOGIN: "demo", CONF_PASSWORD: smsc.password},
        options=options,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert (entry.version, entry.minor_version) == (1, 3)
    assert entry.options[CONF_RECEIVE] == receive
    if CONF_SMPP in options:
        assert entry.options[CONF_SMPP] == {CONF_SMPP_HOST: "127.0.0.1", CONF_SMPP_PORT: port}
    assert (entry.runtime_data.receiver is not None) is (receive == RECEIVE_SMPP)
    assert (hass.states.get("binary_sensor.demo_smpp_connection") is not None) is (
        receive == RECEIVE_SMPP
    )
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_a_newer_release_entry_is_not_loaded(
    hass: HomeAssistant, smsc: EmulatorHandle
) -> None:
    """An entry stored by a newer major version cannot be read: Home Assistant says so."""
    entry = _first_release_entry(smsc)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, version=2)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.MIGRATION_ERROR


async def test_an_unknown_kind_skips_only_its_recipient(
    hass: HomeAssistant, smsc: EmulatorHandle, caplog: pytest.LogCaptureFixture
) -> None:
    """A recipient whose stored kind is none the library knows gets no entity and a log line;
    the others load."""
    entry = _first_release_entry(
        smsc, _recipient("Pager", [PHONE], "pager"), _recipient("Alice", [PHONE], "sms")
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert _subentry(entry, "Pager").data[CONF_KIND] == "pager"
    assert hass.states.get("notify.pager") is None
    assert hass.states.get("notify.alice") is not None
    assert "unknown message kind 'pager'" in caplog.text
    assert await hass.config_entries.async_unload(entry.entry_id)
