# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The config flow, reauthentication, reconfiguration, options and recipient subentries,
against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import voluptuous_serialize
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_API_KEY, CONF_NAME, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_validation as cv
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.config_flow import default_smpp_host, normalize_url
from custom_components.smsc.const import (
    CONF_KIND,
    CONF_LOGIN,
    CONF_LOW_BALANCE,
    CONF_POLL_INTERVAL,
    CONF_POLLING,
    CONF_QUIET_HOURS,
    CONF_RECEIVE,
    CONF_RECIPIENTS,
    CONF_SCAN_INTERVAL,
    CONF_SEND_OVER_SMPP,
    CONF_SENDER,
    CONF_SMPP,
    CONF_SMPP_BIND,
    CONF_SMPP_HOST,
    CONF_SMPP_PORT,
    CONF_SMPP_SYSTEM_TYPE,
    CONF_SMPP_TLS,
    CONF_URL,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from pysmsc_emulator.server import config_from_options
from tests.conftest import EmulatorHandle

from .conftest import OTHER_PHONE

COMPONENT = Path(__file__).parents[2] / "custom_components" / "smsc"


async def _start(hass: HomeAssistant, method: str) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["login", "api_key"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": method}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == method
    return result["flow_id"]


async def test_login_and_password(hass: HomeAssistant, smsc: EmulatorHandle) -> None:
    """The connection is tested, then the entry is created with a trimmed login."""
    flow_id = await _start(hass, "login")
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {CONF_URL: smsc.http_url + "/", CONF_LOGIN: f" {smsc.login} ", CONF_PASSWORD: "demo"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == smsc.login
    assert result["data"] == {
        CONF_URL: smsc.http_url,
        CONF_LOGIN: smsc.login,
        CONF_PASSWORD: smsc.password,
    }
    assert result["result"].unique_id == smsc.login
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(result["result"].entry_id)


async def test_api_key(hass: HomeAssistant, smsc: EmulatorHandle) -> None:
    """An API key entry is named after the host."""
    flow_id = await _start(hass, "api_key")
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_URL: smsc.http_url, CONF_API_KEY: smsc.api_key}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "127.0.0.1"
    assert result["data"] == {CONF_URL: smsc.http_url, CONF_API_KEY: smsc.api_key}
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(result["result"].entry_id)

    # The same key again is the same account.
    flow_id = await _start(hass, "api_key")
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_URL: smsc.http_url, CONF_API_KEY: smsc.api_key}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_one_entry_per_login(
    hass: HomeAssistant, smsc: EmulatorHandle, config_entry: MockConfigEntry
) -> None:
    """A second entry for the same login (any case) is refused."""
    config_entry.add_to_hass(hass)
    flow_id = await _start(hass, "login")
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_URL: smsc.http_url, CONF_LOGIN: "DEMO", CONF_PASSWORD: "x"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def _login_errors(hass: HomeAssistant, flow_id: str, user_input: dict[str, Any]) -> Any:
    result = await hass.config_entries.flow.async_configure(flow_id, user_input)
    assert result["type"] is FlowResultType.FORM
    return result["errors"]


async def test_errors_then_success(hass: HomeAssistant, smsc: EmulatorHandle) -> None:
    """Every error path of the form, each followed by a working attempt in the same flow."""
    flow_id = await _start(hass, "login")
    good = {CONF_URL: smsc.http_url, CONF_LOGIN: smsc.login, CONF_PASSWORD: smsc.password}

    assert await _login_errors(hass, flow_id, {**good, CONF_PASSWORD: "wrong"}) == {
        "base": "invalid_auth"
    }
    assert await _login_errors(hass, flow_id, {**good, CONF_URL: "ftp://smsc.ru"}) == {
        CONF_URL: "invalid_url"
    }
    await smsc.control.add_fault("balance", "http500")
    assert await _login_errors(hass, flow_id, good) == {"base": "cannot_connect"}
    await smsc.control.add_fault("balance", "garbage")
    assert await _login_errors(hass, flow_id, good) == {"base": "cannot_connect"}
    await smsc.control.block_ip(True)
    assert await _login_errors(hass, flow_id, good) == {"base": "ip_blocked"}
    await smsc.control.block_ip(False)
    with patch(
        "custom_components.smsc.config_flow.create_client", side_effect=RuntimeError("boom")
    ):
        assert await _login_errors(hass, flow_id, good) == {"base": "unknown"}

    result = await hass.config_entries.flow.async_configure(flow_id, good)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(result["result"].entry_id)


async def test_cannot_connect_nothing_listening(
    hass: HomeAssistant, smsc: EmulatorHandle, unused_url: str
) -> None:
    """A refused connection."""
    flow_id = await _start(hass, "api_key")
    errors = await _login_errors(hass, flow_id, {CONF_URL: unused_url, CONF_API_KEY: "key"})
    assert errors == {"base": "cannot_connect"}


def test_normalize_url() -> None:
    """A bare host gets https; trailing slashes go."""
    assert normalize_url(" smsc.kz/ ") == "https://smsc.kz"
    assert normalize_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert default_smpp_host("https://smscentre.com") == "smpp.smsc.ru"
    assert default_smpp_host("http://127.0.0.1:8000") == "127.0.0.1"


async def test_reauth_password(
    hass: HomeAssistant, smsc: EmulatorHandle, entry_data: dict[str, Any]
) -> None:
    """The entry fails with a changed password, and the reauth flow takes the new one."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=smsc.login,
        unique_id=smsc.login,
        data={**entry_data, CONF_PASSWORD: "old-password"},
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    flow_id = flows[0]["flow_id"]
    assert flows[0]["context"]["source"] == "reauth"

    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_PASSWORD: "nope"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(flow_id, {CONF_PASSWORD: smsc.password})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PASSWORD] == smsc.password
    await hass.async_block_till_done()
    assert entry.state.name == "LOADED"
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_reauth_api_key(hass: HomeAssistant, smsc: EmulatorHandle) -> None:
    """An API key entry asks for a new key."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="127.0.0.1", data={CONF_URL: smsc.http_url, CONF_API_KEY: "old"}
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert list(result["data_schema"].schema) == [CONF_API_KEY]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_KEY: smsc.api_key}
    )
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_API_KEY] == smsc.api_key
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_reconfigure_login(
    hass: HomeAssistant, smsc: EmulatorHandle, config_entry: MockConfigEntry
) -> None:
    """Change the address; another login is another account."""
    config_entry.add_to_hass(hass)
    result = await config_entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: smsc.http_url, CONF_LOGIN: smsc.login, CONF_PASSWORD: "bad"},
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: smsc.http_url + "/", CONF_LOGIN: smsc.login, CONF_PASSWORD: smsc.password},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert config_entry.data[CONF_URL] == smsc.http_url
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(config_entry.entry_id)

    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: smsc.http_url, CONF_LOGIN: "someone-else", CONF_PASSWORD: "x"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"


async def test_reconfigure_api_key(hass: HomeAssistant, smsc: EmulatorHandle) -> None:
    """An API key entry keeps its method; a key of another entry is refused."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="a", data={CONF_URL: smsc.http_url, CONF_API_KEY: smsc.api_key}
    )
    other = MockConfigEntry(
        domain=DOMAIN, title="b", data={CONF_URL: smsc.http_url, CONF_API_KEY: "taken"}
    )
    entry.add_to_hass(hass)
    other.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert set(result["data_schema"].schema) == {CONF_URL, CONF_API_KEY}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: smsc.http_url, CONF_API_KEY: "taken"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: smsc.http_url, CONF_API_KEY: smsc.api_key}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_options(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """Sender, polling, threshold and the SMPP section; a bad sender names the rule."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    # The frontend gets the form, with its SMPP section, in this form.
    serialized = voluptuous_serialize.convert(
        result["data_schema"], custom_serializer=cv.custom_serializer
    )
    smpp_section = next(field for field in serialized if field["name"] == CONF_SMPP)
    assert smpp_section["type"] == "expandable"
    assert smpp_section["expanded"] is False
    smpp = {
        CONF_SMPP_HOST: " ",
        CONF_SMPP_PORT: 3700.0,
        CONF_SMPP_TLS: False,
        CONF_SMPP_BIND: "transceiver",
    }
    user_input = {
        CONF_SENDER: "A sender name that is too long",
        CONF_SCAN_INTERVAL: 5.0,
        CONF_LOW_BALANCE: 50.0,
        CONF_RECEIVE: "smpp",
        CONF_SMPP: smpp,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_SENDER: "invalid_sender", "base": "smpp_host_required"}
    assert "11" in result["description_placeholders"]["rule"]

    user_input[CONF_SENDER] = " Home "
    smpp[CONF_SMPP_HOST] = "127.0.0.1"
    smpp[CONF_SMPP_SYSTEM_TYPE] = "MCON2"
    result = await hass.config_entries.options.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert loaded_entry.options == {
        CONF_SENDER: "Home",
        CONF_SCAN_INTERVAL: 5,
        CONF_LOW_BALANCE: 50.0,
        CONF_RECEIVE: "smpp",
        CONF_SMPP: {**smpp, CONF_SMPP_PORT: 3700, CONF_SEND_OVER_SMPP: False},
        CONF_POLLING: {CONF_POLL_INTERVAL: 30},
    }
    await hass.async_block_till_done()

    # Clearing the sender drops it.
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**user_input, CONF_SENDER: ""}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_SENDER not in loaded_entry.options
    await hass.async_block_till_done()


async def test_add_and_change_recipient(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """Subentries: validated by pysmsc's rules, stored normalised, reconfigurable."""
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, SUBENTRY_RECIPIENT), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    flow_id = result["flow_id"]

    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_NAME: "Ops", CONF_RECIPIENTS: ["12"], CONF_KIND: "sms"}
    )
    assert result["errors"] == {CONF_RECIPIENTS: "invalid_value"}
    assert "international format" in result["description_placeholders"]["rule"]

    result = await hass.config_entries.subentries.async_configure(
        flow_id, {CONF_NAME: "Ops", CONF_RECIPIENTS: ["ops@example.com"], CONF_KIND: "email"}
    )
    assert result["errors"] == {CONF_SENDER: "email_needs_sender"}

    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {
            CONF_NAME: "Ops",
            CONF_RECIPIENTS: ["ops@example.com"],
            CONF_KIND: "email",
            CONF_SENDER: "x",
        },
    )
    assert result["errors"] == {CONF_SENDER: "invalid_value"}
    assert "e-mail address" in result["description_placeholders"]["rule"]

    # The same number twice (spelt two ways) is one recipient given twice.
    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {CONF_NAME: "Ops", CONF_RECIPIENTS: ["+7 999 123-45-67", "79991234567"], CONF_KIND: "sms"},
    )
    assert result["errors"] == {CONF_RECIPIENTS: "invalid_value"}
    assert "same recipient" in result["description_placeholders"]["rule"]

    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {
            CONF_NAME: " Ops ",
            CONF_RECIPIENTS: ["+7 (999) 123-45-67", "G5"],
            CONF_KIND: "call",
            CONF_SENDER: "79990000000",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    subentry = next(s for s in loaded_entry.subentries.values() if s.title == "Ops")
    assert dict(subentry.data) == {
        CONF_RECIPIENTS: ["+79991234567", "G5"],
        CONF_KIND: "call",
        CONF_SENDER: "79990000000",
    }
    await hass.async_block_till_done()
    assert hass.states.get("notify.ops") is not None

    result = await loaded_entry.start_subentry_reconfigure_flow(
        hass, SUBENTRY_RECIPIENT, subentry.subentry_id
    )
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {CONF_NAME: "Ops", CONF_RECIPIENTS: ["bad"], CONF_KIND: "sms"}
    )
    assert result["errors"] == {CONF_RECIPIENTS: "invalid_value"}
    # Quiet hours (for pages) are checked as the library reads them.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            CONF_NAME: "Night ops",
            CONF_RECIPIENTS: [OTHER_PHONE],
            CONF_KIND: "sms",
            CONF_QUIET_HOURS: "23:00-7",
        },
    )
    assert result["errors"] == {CONF_QUIET_HOURS: "invalid_value"}
    assert "time of day" in result["description_placeholders"]["rule"]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            CONF_NAME: "Night ops",
            CONF_RECIPIENTS: [OTHER_PHONE],
            CONF_KIND: "sms",
            CONF_QUIET_HOURS: " 23:00-07:00 ",
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    subentry = loaded_entry.subentries[subentry.subentry_id]
    assert subentry.title == "Night ops"
    assert dict(subentry.data) == {
        CONF_RECIPIENTS: [OTHER_PHONE],
        CONF_KIND: "sms",
        CONF_QUIET_HOURS: "23:00-07:00",
    }
    await hass.async_block_till_done()


async def test_login_in_any_letter_case(hass: HomeAssistant, smsc: EmulatorHandle) -> None:
    """The service's logins are not case-sensitive: one canonical form is stored (and binds
    over SMPP, see test_receiver)."""
    flow_id = await _start(hass, "login")
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_URL: smsc.http_url, CONF_LOGIN: " DeMo ", CONF_PASSWORD: smsc.password}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_LOGIN] == "demo"
    assert result["title"] == "demo"
    assert result["result"].unique_id == "demo"
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(result["result"].entry_id)


def _shown(result: Any) -> tuple[dict[str, Any], str]:
    """The values a form suggests, and the whole form as the browser receives it."""
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }
    form = voluptuous_serialize.convert(
        result["data_schema"], custom_serializer=cv.custom_serializer
    )
    return suggested, json.dumps(form)


async def test_a_failed_sign_in_does_not_send_the_secret_back(
    hass: HomeAssistant, smsc: EmulatorHandle, config_entry: MockConfigEntry
) -> None:
    """After a refused password or key, the form keeps the address and the login, but the
    typed secret is not in what goes back to the browser."""
    typed = "Typed-S3cret"
    flow_id = await _start(hass, "login")
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_URL: smsc.http_url, CONF_LOGIN: "DEMO", CONF_PASSWORD: typed}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    suggested, form = _shown(result)
    assert suggested == {CONF_URL: smsc.http_url, CONF_LOGIN: "DEMO"}
    assert typed not in form
    hass.config_entries.flow.async_abort(flow_id)

    flow_id = await _start(hass, "api_key")
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_URL: smsc.http_url, CONF_API_KEY: typed}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    suggested, form = _shown(result)
    assert suggested == {CONF_URL: smsc.http_url}
    assert typed not in form

    config_entry.add_to_hass(hass)
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: smsc.http_url, CONF_LOGIN: smsc.login, CONF_PASSWORD: typed}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    suggested, form = _shown(result)
    assert suggested == {CONF_URL: smsc.http_url, CONF_LOGIN: smsc.login}
    assert typed not in form


@pytest.mark.parametrize("language", ["strings", "translations/en", "translations/ru"])
def test_help_names_the_emulators_address(language: str) -> None:
    """The address the help gives for the local emulator is where it listens by default."""
    config = config_from_options()
    address = f"http://{config.host}:{config.http_port}"
    strings = json.loads((COMPONENT / f"{language}.json").read_text(encoding="utf-8"))
    for step in ("login", "api_key", "reconfigure"):
        assert address in strings["config"]["step"][step]["data_description"]["url"], step
