# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMPP section of the options: every check, the credentials (defaults, an API key
entry, a separate SMPP password that is never shown again), and choosing another channel."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.const import CONF_API_KEY, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import (
    CONF_LOW_BALANCE,
    CONF_POLL_INTERVAL,
    CONF_POLLING,
    CONF_RECEIVE,
    CONF_SCAN_INTERVAL,
    CONF_SEND_OVER_SMPP,
    CONF_SMPP,
    CONF_SMPP_BIND,
    CONF_SMPP_HOST,
    CONF_SMPP_LOGIN,
    CONF_SMPP_PASSWORD,
    CONF_SMPP_PORT,
    CONF_SMPP_SYSTEM_TYPE,
    CONF_SMPP_TLS,
    CONF_URL,
    DOMAIN,
)
from tests.conftest import EmulatorHandle


def _form(receive: str = "smpp", **smpp: Any) -> dict[str, Any]:
    section: dict[str, Any] = {
        CONF_SMPP_HOST: "smpp.smsc.ru",
        CONF_SMPP_PORT: 3700.0,
        CONF_SMPP_TLS: False,
        CONF_SMPP_BIND: "transceiver",
        CONF_SEND_OVER_SMPP: False,
    }
    section.update(smpp)
    return {
        CONF_SCAN_INTERVAL: 30.0,
        CONF_LOW_BALANCE: 0.0,
        CONF_RECEIVE: receive,
        CONF_SMPP: section,
        CONF_POLLING: {CONF_POLL_INTERVAL: 30.0},
    }


async def _submit(hass: HomeAssistant, entry: MockConfigEntry, form: dict[str, Any]) -> Any:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    return await hass.config_entries.options.async_configure(result["flow_id"], form)


def _suggested(result: Any) -> dict[str, Any]:
    """The suggested values of the SMPP section of a shown form."""
    schema = result["data_schema"].schema
    section = next(value for key, value in schema.items() if key == CONF_SMPP)
    suggested: dict[str, Any] = {}
    for key in section.schema.schema:
        if key.description and "suggested_value" in key.description:
            suggested[str(key)] = key.description["suggested_value"]
    return suggested


@pytest.fixture
def api_key_entry(hass: HomeAssistant, smsc: EmulatorHandle) -> MockConfigEntry:
    """An entry signed in with an API key (not set up: options flows need no loaded entry)."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="key", data={CONF_URL: smsc.http_url, CONF_API_KEY: smsc.api_key}
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def login_entry(hass: HomeAssistant, config_entry: MockConfigEntry) -> MockConfigEntry:
    """The login entry, added but not set up."""
    config_entry.add_to_hass(hass)
    return config_entry


@pytest.mark.parametrize(
    ("smpp", "error"),
    [
        ({CONF_SMPP_HOST: "  "}, "smpp_host_required"),
        ({CONF_SMPP_TLS: True}, "smpp_port_mismatch"),
        ({CONF_SMPP_PORT: 3443.0}, "smpp_port_mismatch"),
        ({CONF_SMPP_BIND: "receiver", CONF_SEND_OVER_SMPP: True}, "smpp_send_needs_transceiver"),
        ({CONF_SMPP_PASSWORD: "пароль"}, "smpp_invalid_credentials"),
        ({CONF_SMPP_LOGIN: "логин", CONF_SMPP_PASSWORD: "x"}, "smpp_invalid_credentials"),
    ],
)
async def test_smpp_checks(
    hass: HomeAssistant, login_entry: MockConfigEntry, smpp: dict[str, Any], error: str
) -> None:
    """Each check of a receiver turned on has its translated error."""
    result = await _submit(hass, login_entry, _form(**smpp))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}


@pytest.mark.parametrize("receive", ["none", "polling"])
async def test_no_checks_when_off(
    hass: HomeAssistant, login_entry: MockConfigEntry, receive: str
) -> None:
    """The SMPP section of another channel is stored as given, without checks."""
    form = _form(receive, **{CONF_SMPP_HOST: "", CONF_SMPP_TLS: True})
    result = await _submit(hass, login_entry, form)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert login_entry.options[CONF_RECEIVE] == receive
    assert login_entry.options[CONF_SMPP][CONF_SMPP_HOST] == ""


async def test_tls_port_and_custom_host(hass: HomeAssistant, login_entry: MockConfigEntry) -> None:
    """TLS on 3443 at the service, any port elsewhere; system type trimmed."""
    result = await _submit(
        hass,
        login_entry,
        _form(**{CONF_SMPP_TLS: True, CONF_SMPP_PORT: 3443.0, CONF_SMPP_SYSTEM_TYPE: " MCON2 "}),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert login_entry.options[CONF_SMPP][CONF_SMPP_SYSTEM_TYPE] == "MCON2"
    result = await _submit(
        hass,
        login_entry,
        _form(**{CONF_SMPP_HOST: "127.0.0.1", CONF_SMPP_TLS: True, CONF_SMPP_PORT: 3700.0}),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_SMPP_SYSTEM_TYPE not in login_entry.options[CONF_SMPP]


async def test_api_key_entry_needs_credentials(
    hass: HomeAssistant, api_key_entry: MockConfigEntry
) -> None:
    """An API key entry needs the SMPP login, then the SMPP password."""
    result = await _submit(hass, api_key_entry, _form())
    assert result["errors"] == {"base": "smpp_login_required"}
    result = await _submit(hass, api_key_entry, _form(**{CONF_SMPP_LOGIN: "demo"}))
    assert result["errors"] == {"base": "smpp_password_required"}
    result = await _submit(
        hass, api_key_entry, _form(**{CONF_SMPP_LOGIN: " demo ", CONF_SMPP_PASSWORD: "pw"})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    smpp = api_key_entry.options[CONF_SMPP]
    assert smpp[CONF_SMPP_LOGIN] == "demo"
    assert smpp[CONF_SMPP_PASSWORD] == "pw"


async def test_md5_password_needs_smpp_password(
    hass: HomeAssistant, login_entry: MockConfigEntry
) -> None:
    """An entry that stores the MD5 hash of its password needs the SMPP password itself."""
    hass.config_entries.async_update_entry(
        login_entry,
        data={**login_entry.data, CONF_PASSWORD: "fe01ce2a7fbac8fafaed7c982a04e229"},
    )
    result = await _submit(hass, login_entry, _form())
    assert result["errors"] == {"base": "smpp_password_required"}
    result = await _submit(hass, login_entry, _form(**{CONF_SMPP_PASSWORD: "demo"}))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # With no SMPP login given, the password goes with the entry's login.
    assert login_entry.options[CONF_SMPP][CONF_SMPP_PASSWORD] == "demo"
    assert CONF_SMPP_LOGIN not in login_entry.options[CONF_SMPP]


async def test_smpp_password_is_never_shown(
    hass: HomeAssistant, login_entry: MockConfigEntry
) -> None:
    """The stored SMPP password is not suggested in the form; an empty field keeps it;
    clearing the SMPP login goes back to the entry's credentials."""
    result = await _submit(
        hass, login_entry, _form(**{CONF_SMPP_LOGIN: "smppuser", CONF_SMPP_PASSWORD: "s3cret"})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY

    result = await hass.config_entries.options.async_init(login_entry.entry_id)
    suggested = _suggested(result)
    assert suggested[CONF_SMPP_LOGIN] == "smppuser"
    assert CONF_SMPP_PASSWORD not in suggested
    assert "s3cret" not in repr(result)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], _form(**{CONF_SMPP_LOGIN: "smppuser", CONF_SMPP_PASSWORD: ""})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert login_entry.options[CONF_SMPP][CONF_SMPP_PASSWORD] == "s3cret"

    # A form shown again after an error keeps what was typed, but no password: neither the
    # stored one nor the one just typed goes back to the browser.
    result = await _submit(
        hass,
        login_entry,
        _form(
            **{CONF_SMPP_HOST: "", CONF_SMPP_LOGIN: "smppuser", CONF_SMPP_PASSWORD: "n3w-s3cret"}
        ),
    )
    assert result["errors"] == {"base": "smpp_host_required"}
    assert _suggested(result)[CONF_SMPP_LOGIN] == "smppuser"
    assert CONF_SMPP_PASSWORD not in _suggested(result)
    assert "n3w-s3cret" not in repr(result)

    result = await _submit(hass, login_entry, _form())
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_SMPP_LOGIN not in login_entry.options[CONF_SMPP]
    assert CONF_SMPP_PASSWORD not in login_entry.options[CONF_SMPP]
