# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The blueprint "Page me until I acknowledge" (blueprints/automation/smsc/): it validates with
Home Assistant's blueprint machinery, and an automation made from it pages through the
emulator, runs the actions of an acknowledgement or of nobody acknowledging, and resolves the
page (one closing message) when the problem is over."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.components.blueprint import DomainBlueprints
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.smsc import paging
from custom_components.smsc.const import DOMAIN
from pysmsc.paging import ManualClock
from tests.conftest import EmulatorHandle

from .conftest import PHONE, sent_messages, until

BLUEPRINTS = Path(__file__).parents[2] / "blueprints" / "automation"
BLUEPRINT = "smsc/page_until_acknowledged.yaml"
LEAK = "binary_sensor.boiler_leak"


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    """The runner's clock, moved by the tests."""
    manual = ManualClock(start=time.time())
    monkeypatch.setattr(paging, "page_clock", lambda: manual)
    return manual


@pytest.fixture(autouse=True)
def repository_blueprints() -> Iterator[None]:
    """Home Assistant reads automation blueprints from the repository's folder."""
    with patch.object(
        DomainBlueprints, "blueprint_folder", new_callable=PropertyMock, return_value=BLUEPRINTS
    ):
        yield


async def test_the_blueprint_validates(hass: HomeAssistant) -> None:
    """Home Assistant loads it as an automation blueprint, with every input it uses defined."""
    assert await async_setup_component(hass, "automation", {})
    blueprint = await async_get_blueprints(hass).async_get_blueprint(BLUEPRINT)
    assert blueprint.name == "Page me until I acknowledge"
    assert blueprint.domain == "automation"
    assert set(blueprint.inputs) >= {"problem_entity", "account", "contacts", "page_entity"}
    raw = load_yaml_dict(str(BLUEPRINTS / BLUEPRINT))
    assert raw["blueprint"]["source_url"].endswith("blueprints/automation/" + BLUEPRINT)


def _automation(entry: MockConfigEntry, **inputs: Any) -> dict[str, Any]:
    return {
        "id": "boiler_pager",
        "alias": "Boiler pager",
        "use_blueprint": {
            "path": BLUEPRINT,
            "input": {
                "problem_entity": LEAK,
                "account": entry.entry_id,
                "page_entity": "event.demo_page",
                "contacts": ["Alice"],
                "rounds": 1,
                "acknowledged_actions": [
                    {"action": "test.acknowledged", "data": {"by": "{{ page.acknowledged_by }}"}}
                ],
                "nobody_actions": [{"action": "test.nobody", "data": {"code": "{{ page.code }}"}}],
                **inputs,
            },
        },
    }


async def _messages(hass: HomeAssistant, smsc: EmulatorHandle, count: int) -> list[Any]:
    async def reached() -> bool:
        return len(await sent_messages(smsc)) >= count

    await until(hass, reached)
    messages = await sent_messages(smsc)
    assert len(messages) == count, [m["text"] for m in messages]
    return messages


async def test_an_automation_from_the_blueprint_pages_and_resolves(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The leak pages Alice; she is acknowledged (here with the action, as a dashboard button
    would); the acknowledged actions run; the leak ends: one "resolved" message."""
    acknowledged = async_mock_service(hass, "test", "acknowledged")
    hass.states.async_set(LEAK, "off", {"friendly_name": "Boiler leak"})
    assert await async_setup_component(
        hass, "automation", {"automation": [_automation(loaded_entry)]}
    )
    await hass.async_block_till_done()
    assert hass.states.get("automation.boiler_pager").state == "on"

    hass.states.async_set(LEAK, "on", {"friendly_name": "Boiler leak"})
    [alert] = await _messages(hass, smsc, 1)
    assert alert["text"].startswith("ALERT ")
    assert "Boiler leak: on" in alert["text"]
    assert [p["phone"] for p in alert["phones"]] == [PHONE]

    await hass.services.async_call(
        DOMAIN,
        "acknowledge_page",
        {"config_entry_id": loaded_entry.entry_id, "key": "automation.boiler_pager", "by": "Bob"},
        blocking=True,
    )

    async def ran() -> bool:
        return bool(acknowledged)

    await until(hass, ran)
    assert [call.data["by"] for call in acknowledged] == ["Bob"]
    # Alice, reached, is told who acknowledged.
    *_, told = await _messages(hass, smsc, 2)
    assert "acknowledged by Bob" in told["text"]

    hass.states.async_set(LEAK, "unavailable")  # no recovery: nothing is resolved
    await hass.async_block_till_done()
    report = loaded_entry.runtime_data.runner.report("automation.boiler_pager")
    assert report is not None
    assert report.phase == "acknowledged"
    hass.states.async_set(LEAK, "off")
    *_, resolved = await _messages(hass, smsc, 3)
    assert resolved["text"].startswith("RESOLVED ")
    assert [p["phone"] for p in resolved["phones"]] == [PHONE]


async def test_nobody_acknowledged_runs_its_actions(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    clock: ManualClock,
) -> None:
    """Nobody acknowledges (no call, one round): the nobody actions run with the report."""
    nobody: list[ServiceCall] = async_mock_service(hass, "test", "nobody")
    hass.states.async_set(LEAK, "off")
    automation = _automation(
        loaded_entry, call=False, ack_within={"minutes": 1}, deliver_within={"minutes": 1}
    )
    assert await async_setup_component(hass, "automation", {"automation": [automation]})
    await hass.async_block_till_done()
    hass.states.async_set(LEAK, "on")
    await _messages(hass, smsc, 1)
    clock.advance(61)

    async def ended() -> bool:
        return bool(nobody)

    await until(hass, ended)
    page = hass.states.get("event.demo_page")
    assert page is not None
    assert nobody[0].data["code"] == page.attributes["code"]
