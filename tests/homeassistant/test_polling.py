# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Polling get.php against the emulator: each reply fires the incoming-message entity once,
across reloads and restarts of the entry (the cursor in Home Assistant's store); what came
before the first start is not news; a failing poll shows in the polling sensor and logs once,
not once per poll; the service's "too often" slows the polls down."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc import polling
from custom_components.smsc.const import (
    CONF_POLL_INTERVAL,
    CONF_POLLING,
    CONF_RECEIVE,
    RECEIVE_POLLING,
)
from custom_components.smsc.polling import SmscIncomingCoordinator, poll_interval
from pysmsc import AuthenticationError
from tests.conftest import EmulatorHandle

from .conftest import PHONE, state_of, wait_for

INCOMING = "event.demo_incoming_message"
POLLING = "binary_sensor.demo_polling"


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Every entry here polls every 10 seconds."""
    return {CONF_RECEIVE: RECEIVE_POLLING, CONF_POLLING: {CONF_POLL_INTERVAL: 10}}


def _poller(entry: MockConfigEntry) -> SmscIncomingCoordinator:
    poller = entry.runtime_data.poller
    assert isinstance(poller, SmscIncomingCoordinator)
    return poller


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> SmscIncomingCoordinator:
    """Set the entry up and wait for its first poll."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    poller = _poller(entry)
    await wait_for(hass, lambda: poller.data is not None or not poller.last_update_success)
    return poller


async def _poll(hass: HomeAssistant, smsc: EmulatorHandle, poller: SmscIncomingCoordinator) -> None:
    """The next poll, once the service allows it (one in five seconds, on its clock)."""
    await smsc.control.advance(6)
    await poller.async_refresh()
    await hass.async_block_till_done()


@pytest.fixture
def fired(hass: HomeAssistant) -> list[str]:
    """The texts of the incoming-message events fired (a restored state is no event)."""
    texts: list[str] = []
    seen: set[str] = set()

    @callback
    def listen(event: Event[EventStateChangedData]) -> None:
        state = event.data["new_state"]
        if event.data["entity_id"] != INCOMING or state is None:
            return
        if state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN) or state.state in seen:
            return
        seen.add(state.state)  # each event has its own time
        texts.append(state.attributes["text"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, listen)
    return texts


async def test_each_reply_fires_once_across_restarts(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    fired: list[str],
) -> None:
    """Old news is skipped on the first start; each new reply fires once; a reload and a
    restart (unload, then set up again from the stored cursor) fire nothing twice."""
    await smsc.control.receive(PHONE, "before Home Assistant")
    await asyncio.sleep(1.1)  # the service dates replies to the second
    config_entry.add_to_hass(hass)
    poller = await _setup(hass, config_entry)
    assert poller.last_update_success
    assert fired == []
    assert state_of(hass, POLLING) == "on"

    await smsc.control.receive(PHONE, "ack one", to="79000000000")
    await _poll(hass, smsc, poller)
    assert fired == ["ack one"]
    state = hass.states.get(INCOMING)
    assert state is not None
    assert (state.attributes["channel"], state.attributes["to"]) == ("polling", "79000000000")
    await _poll(hass, smsc, poller)
    assert fired == ["ack one"]

    # A reload: a new poller, the cursor read back from the store.
    await smsc.control.advance(6)
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    poller = _poller(config_entry)
    await wait_for(hass, lambda: poller.data is not None)
    assert fired == ["ack one"]

    # A restart: the store as written.
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    stored = hass_storage[f"smsc.{config_entry.entry_id}.paging"]["data"]
    incoming = await smsc.control.incoming()
    assert stored["cursors"]["incoming"] == incoming[-1]["id"]
    await smsc.control.receive(PHONE, "two")
    await smsc.control.advance(6)
    poller = await _setup(hass, config_entry)
    assert fired == ["ack one", "two"]
    assert poller.fired == 1
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_a_failing_poll_shows_and_logs_once(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The service fails three polls in a row: the sensor is off with the reason, one error
    in the log; then it works again: on, one line that it recovered."""
    poller = _poller(loaded_entry)
    await wait_for(hass, lambda: poller.data is not None)
    caplog.clear()
    await smsc.control.add_fault("get", "http500", count=3)
    for _ in range(3):
        await _poll(hass, smsc, poller)
        assert state_of(hass, POLLING) == "off"
    state = hass.states.get(POLLING)
    assert state is not None
    assert "500" in state.attributes["last_error"]
    ours = [r for r in caplog.records if r.name == "custom_components.smsc"]
    assert len([r for r in ours if r.levelno >= logging.WARNING]) == 1
    assert "Cannot fetch incoming messages" in caplog.text

    await _poll(hass, smsc, poller)
    assert state_of(hass, POLLING) == "on"
    assert hass.states.get(POLLING).attributes["last_error"] is None
    assert "recovered" in caplog.text
    ours = [r for r in caplog.records if r.name == "custom_components.smsc"]
    assert len([r for r in ours if r.levelno >= logging.WARNING]) == 1


async def test_too_often_slows_down(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Polled again within five seconds, the service refuses (error 9): the next poll waits a
    minute, then the configured interval again."""
    poller = _poller(loaded_entry)
    await wait_for(hass, lambda: poller.data is not None)
    await poller.async_refresh()  # at once: too often
    assert not poller.last_update_success
    assert poller.update_interval is not None
    assert poller.update_interval.total_seconds() == 60
    await _poll(hass, smsc, poller)
    assert poller.last_update_success
    assert poller.update_interval.total_seconds() == 10


async def test_diagnostics(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """The poller's state in the diagnostics."""
    poller = _poller(loaded_entry)
    await wait_for(hass, lambda: poller.data is not None)
    info = poller.diagnostics()
    assert info["interval"] == 10
    assert info["last_update_success"] is True
    assert info["fired"] == 0


async def test_refused_credentials_start_reauthentication(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A poll the service refuses for the credentials starts reauthentication."""
    poller = _poller(loaded_entry)
    await wait_for(hass, lambda: poller.data is not None)
    refused = AuthenticationError("get.php", 2, "invalid login or password")
    with patch.object(poller.poller, "fetch", AsyncMock(side_effect=refused)):
        await poller.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler("smsc")
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


@pytest.mark.parametrize(
    ("stored", "interval"),
    [({}, 30), ({CONF_POLL_INTERVAL: "x"}, 30), ({CONF_POLL_INTERVAL: 2}, 10)],
)
def test_interval_from_stored_options(stored: dict[str, Any], interval: int) -> None:
    """An interval stored by other means is read within the allowed range."""
    entry = MockConfigEntry(domain="smsc", options={CONF_POLLING: stored})
    assert poll_interval(entry) == interval


async def test_polling_again_starts_afresh(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    fired: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Replies that came while another way of receiving was chosen are not fetched again when
    polling comes back (the webhook, say, fired them already): the cursor is forgotten."""
    offset = 0.0

    def service_time() -> float:  # the emulator's clock, which the polls move forward
        return time.time() + offset

    monkeypatch.setattr(polling, "poll_clock", service_time)
    poller = _poller(loaded_entry)
    await wait_for(hass, lambda: poller.data is not None)
    await smsc.control.receive(PHONE, "one")
    await _poll(hass, smsc, poller)
    assert fired == ["one"]
    key = f"smsc.{loaded_entry.entry_id}.paging"
    assert "incoming" in hass_storage[key]["data"]["cursors"]

    hass.config_entries.async_update_entry(
        loaded_entry, options={**loaded_entry.options, CONF_RECEIVE: "none"}
    )
    await hass.async_block_till_done()
    assert loaded_entry.runtime_data.poller is None
    assert "incoming" not in hass_storage[key]["data"]["cursors"]
    await smsc.control.receive(PHONE, "while not polling")
    await asyncio.sleep(1.1)  # the service dates replies to the second

    await smsc.control.advance(6)
    offset = (await smsc.control.clock())["offset"]
    hass.config_entries.async_update_entry(
        loaded_entry, options={**loaded_entry.options, CONF_RECEIVE: RECEIVE_POLLING}
    )
    await hass.async_block_till_done()
    poller = _poller(loaded_entry)
    await wait_for(hass, lambda: poller.data is not None)
    await smsc.control.receive(PHONE, "two")
    await _poll(hass, smsc, poller)
    assert fired == ["one", "two"]
