# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Diagnostics carry no credentials or recipients."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.diagnostics import async_get_config_entry_diagnostics
from tests.conftest import EmulatorHandle

from .conftest import PHONE


async def test_redaction(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Password, login and phone numbers are redacted; the useful parts remain."""
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    assert diagnostics["last_message"] is None

    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.alice", "message": "Diagnostics"},
        blocking=True,
    )
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    text = json.dumps(diagnostics, default=str)
    assert smsc.password not in text.replace('"**REDACTED**"', "")
    assert f'"{smsc.login}"' not in text
    assert PHONE not in text
    assert "Alice" not in text
    assert diagnostics["entry"]["data"]["password"] == "**REDACTED**"
    assert diagnostics["entry"]["data"]["login"] == "**REDACTED**"
    assert diagnostics["entry"]["subentries"][0]["data"]["recipients"] == "**REDACTED**"
    assert diagnostics["balance"]["currency"] == "RUB"
    assert diagnostics["last_message"]["phone"] == "**REDACTED**"
    assert diagnostics["last_message"]["status"] == -1
    assert diagnostics["status_follow_up"] == {"scheduled": True, "pushed": []}
    assert diagnostics["smpp_receiver"] is None
