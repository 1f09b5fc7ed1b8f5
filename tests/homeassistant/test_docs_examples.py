# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Every YAML example of docs/homeassistant.md runs in Home Assistant against the emulator:
the actions through the script engine, the automations through the automation integration
with their real triggers, the responses compared with what the actions return."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.script import Script, async_validate_actions_config
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.smsc.const import CONF_KIND, CONF_RECIPIENTS, DOMAIN, SUBENTRY_RECIPIENT
from tests.conftest import EmulatorHandle

from .conftest import OTHER_PHONE, PHONE, register_sender, sent_messages

LEAK = "binary_sensor.boiler_room_leak"

DOCS = Path(__file__).parents[2] / "docs" / "homeassistant.md"
# The placeholders of the examples: the ID of an entry, of a task group.
EXAMPLE_ENTRY_ID = "01JABCDEF0123456789ABCDEFG"
EXAMPLE_TASK_GROUP = "task_group: 12"


def _examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)


def _kind(example: dict[str, Any]) -> str:
    if "action" in example:
        return "action"
    if set(example) in ({"automation"}, {"logger"}):
        return next(iter(example))
    if "sent" in example:
        return "send_response"
    if "status_code" in example:
        return "status_response"
    if "acknowledged_via" in example:
        return "page_response"
    return "unknown"


def _by_kind(kind: str, entry_id: str = EXAMPLE_ENTRY_ID, group: int = 12) -> list[Any]:
    found = []
    for text in _examples():
        example = yaml.safe_load(
            text.replace(EXAMPLE_ENTRY_ID, entry_id).replace(
                EXAMPLE_TASK_GROUP, f"task_group: {group}"
            )
        )
        if _kind(example) == kind:
            found.append(example)
    return found


def test_every_example_is_run_below() -> None:
    """A new kind of example must get a test here."""
    kinds = [_kind(yaml.safe_load(text)) for text in _examples()]
    assert "unknown" not in kinds
    assert kinds.count("action") == 6
    assert kinds.count("automation") == 6
    assert {"send_response", "status_response", "page_response", "logger"} <= set(kinds)


def _paging(example: dict[str, Any]) -> bool:
    """An example of the paging actions, or automations that use them."""
    return "page" in str(example.get("action", "")) or "boiler_room_leak" in str(example)


async def test_actions_and_their_responses(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The action examples run as written (but for the IDs); the response examples have the
    keys the actions return."""
    await register_sender(smsc, "MyHome")
    group = await smsc.control.add_task_group("NAS", [PHONE])
    variables: dict[str, Any] = {}
    actions = [a for a in _by_kind("action", loaded_entry.entry_id, group["id"]) if not _paging(a)]
    for action in actions:
        sequence = await async_validate_actions_config(hass, cv.SCRIPT_SCHEMA([action]))
        result = await Script(hass, sequence, "docs example", DOMAIN).async_run(context=Context())
        assert result is not None
        variables.update(result.variables)
    notify, send, *_task_group_sends = await sent_messages(smsc)
    assert notify["text"] == "Alarm\nWater leak in the basement"
    assert send["text"] == "Котёл: температура unknown °C"
    assert send["sender"] == "MyHome"
    [event] = await smsc.control.ping_events()
    assert (event["name"], event["host"], event["info"]) == ("NAS", "nas.local", "unknown")

    [send_response] = _by_kind("send_response")
    assert set(variables["sms"]) == set(send_response)
    assert variables["sms"]["id"] == str(send["id"])
    [status_response] = _by_kind("status_response")
    status = await hass.services.async_call(
        DOMAIN,
        "get_status",
        {"config_entry_id": loaded_entry.entry_id, "message_id": str(send["id"]), "phone": PHONE},
        blocking=True,
        return_response=True,
    )
    assert status is not None
    assert set(status) == set(status_response)


async def test_automations(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The five automations, set up as written and triggered as the docs describe."""
    gate = async_mock_service(hass, "cover", "open_cover")
    logbook = async_mock_service(hass, "logbook", "log")
    automations = [
        item
        for block in _by_kind("automation", loaded_entry.entry_id)
        for item in block["automation"]
        if not _paging(item)
    ]
    hass.states.async_set("sensor.freezer_temperature", "-18")
    hass.states.async_set("alarm_control_panel.house", "armed_away")
    hass.states.async_set("event.demo_incoming_message", "unknown")
    hass.states.async_set("event.demo_delivery_report", "unknown")
    assert await async_setup_component(hass, "automation", {"automation": automations})
    await hass.async_block_till_done()

    # The freezer sensor stops reporting for 10 minutes: an SMS to Alice.
    hass.states.async_set("sensor.freezer_temperature", "unavailable")
    await hass.async_block_till_done()
    assert await sent_messages(smsc) == []
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=11))
    await hass.async_block_till_done()
    [freezer] = await sent_messages(smsc)
    assert freezer["text"] == "Home\nThe freezer sensor has not reported for 10 minutes."

    # The alarm: a call to two numbers, then a logbook line with its ID and cost.
    hass.states.async_set("alarm_control_panel.house", "triggered")
    await hass.async_block_till_done()
    call = (await sent_messages(smsc))[-1]
    assert call["kind"] == "call"
    assert call["options"]["voice"] == "w2"
    assert call["options"]["param"] == "30,10,3"
    assert str(call["id"]) in logbook[-1].data["message"]

    # An incoming SMS from a known number opens the gate and is answered; another does not.
    hass.states.async_set(
        "event.demo_incoming_message",
        dt_util.utcnow().isoformat(),
        {"sender": "79997654321", "text": " Open Gate "},
    )
    await hass.async_block_till_done()
    assert len(gate) == 1
    answer = (await sent_messages(smsc))[-1]
    assert answer["text"].startswith("Gate opening")
    assert [phone["phone"] for phone in answer["phones"]] == ["79997654321"]
    hass.states.async_set(
        "event.demo_incoming_message",
        dt_util.utcnow().isoformat(),
        {"sender": "79990000000", "text": "open gate"},
    )
    await hass.async_block_till_done()
    assert len(gate) == 1

    # A report that the alarm SMS failed: a call to that number.
    hass.states.async_set(
        "event.demo_delivery_report",
        dt_util.utcnow().isoformat(),
        {"event_type": "undeliverable", "phone": PHONE},
    )
    await hass.async_block_till_done()
    escalation = (await sent_messages(smsc))[-1]
    assert escalation["kind"] == "call"
    assert [phone["phone"] for phone in escalation["phones"]] == [PHONE]

    # The low-balance sensor turns on: a reminder with the balance.
    count = len(await sent_messages(smsc))
    hass.states.async_set("binary_sensor.demo_low_balance", "on")
    await hass.async_block_till_done()
    messages = await sent_messages(smsc)
    assert len(messages) == count + 1
    assert messages[-1]["text"].startswith("SMSC balance: ")
    assert messages[-1]["text"].endswith("RUB. Time to top up.")


@pytest.mark.usefixtures("loaded_entry")
async def test_logger_configuration(hass: HomeAssistant) -> None:
    """The debug-log example is a valid configuration of the logger integration."""
    [example] = _by_kind("logger")
    assert await async_setup_component(hass, "logger", example)


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Alice and Bob, the recipients of the examples."""
    return [
        ConfigSubentryData(
            data={CONF_RECIPIENTS: [phone], CONF_KIND: "sms"},
            subentry_type=SUBENTRY_RECIPIENT,
            title=name,
            unique_id=None,
        )
        for name, phone in (("Alice", PHONE), ("Bob", OTHER_PHONE))
    ]


async def _soon(predicate: Callable[[], Awaitable[object]], within: float = 10.0) -> None:
    """Until ``await predicate()`` is true, without waiting for Home Assistant's tasks (an
    automation run may be waiting for its page)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_paging_actions_and_their_response(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The page example pages Alice, then acknowledging tells her who acknowledged, and
    resolving sends her the closing message; the response has the keys of the example."""
    actions = [a for a in _by_kind("action", loaded_entry.entry_id) if _paging(a)]
    assert [a["action"] for a in actions] == [
        "smsc.page",
        "smsc.acknowledge_page",
        "smsc.resolve_page",
    ]
    variables: dict[str, Any] = {}
    for action in actions:
        sequence = await async_validate_actions_config(hass, cv.SCRIPT_SCHEMA([action]))
        result = await Script(hass, sequence, "docs example", DOMAIN).async_run(context=Context())
        assert result is not None
        variables.update(result.variables)
    [page_response] = _by_kind("page_response")
    assert set(variables["page"]) == set(page_response)

    async def three() -> bool:
        return len(await sent_messages(smsc)) >= 3

    await _soon(three)
    alert, told, resolved = await sent_messages(smsc)
    code = variables["page"]["code"]
    assert alert["text"].startswith(f"ALERT {code}: Water leak in the boiler room, humidity")
    assert told["text"].startswith(f"{code} acknowledged by Home Assistant")
    assert resolved["text"].startswith(f"RESOLVED {code} after ")
    for message in (alert, told, resolved):
        assert [p["phone"] for p in message["phones"]] == [PHONE]


async def test_paging_automations(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The leak pages; acknowledged, the waiting run writes the logbook line (no siren); the
    leak over, the page is resolved."""
    siren = async_mock_service(hass, "siren", "turn_on")
    logbook = async_mock_service(hass, "logbook", "log")
    automations = [
        item
        for block in _by_kind("automation", loaded_entry.entry_id)
        for item in block["automation"]
        if _paging(item)
    ]
    assert len(automations) == 2
    hass.states.async_set(LEAK, "off")
    assert await async_setup_component(hass, "automation", {"automation": automations})
    await hass.async_block_till_done()

    hass.states.async_set(LEAK, "on")

    async def paged() -> bool:
        return len(await sent_messages(smsc)) == 1

    await _soon(paged)
    await hass.services.async_call(
        DOMAIN,
        "acknowledge_page",
        {"config_entry_id": loaded_entry.entry_id, "key": "boiler-leak", "by": "Bob"},
        blocking=True,
    )

    async def logged() -> bool:
        return bool(logbook)

    await _soon(logged)
    await hass.async_block_till_done()
    [alert, _told] = await sent_messages(smsc)
    assert logbook[0].data["message"] == (
        f"Leak acknowledged by Bob (action), cost {float(alert['cost'])} RUB"
    )
    assert siren == []

    hass.states.async_set(LEAK, "off")

    async def resolved() -> bool:
        return len(await sent_messages(smsc)) == 3

    await _soon(resolved)
    assert (await sent_messages(smsc))[-1]["text"].startswith("RESOLVED ")
