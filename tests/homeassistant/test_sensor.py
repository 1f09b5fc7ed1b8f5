# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Sensors through a status progression, the status follow-up and balance polling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.smsc.const import CONF_LOW_BALANCE, DOMAIN
from pysmsc import AsyncClient
from tests.conftest import EmulatorHandle

from .conftest import PHONE, sent_messages

STATUS = "sensor.demo_last_message_status"
COST = "sensor.demo_last_message_cost"
PARTS = "sensor.demo_last_message_parts"
BALANCE = "sensor.demo_balance"


async def _notify(hass: HomeAssistant, message: str) -> None:
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": message}, blocking=True
    )


async def _send(hass: HomeAssistant, entry: MockConfigEntry, **data: Any) -> dict[str, Any]:
    response: dict[str, Any] = await hass.services.async_call(
        DOMAIN,
        "send_message",
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=True,
    )
    return response


async def _later(hass: HomeAssistant, seconds: float) -> None:
    """Let Home Assistant's timers due within ``seconds`` fire, and their work finish."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture
async def slow_statuses(smsc: EmulatorHandle) -> EmulatorHandle:
    """Statuses move only when the test advances the emulator's clock."""
    await smsc.control.configure(status_delays=(30.0, 30.0))
    return smsc


async def test_status_progression(
    hass: HomeAssistant, slow_statuses: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """waiting -> passed to the operator -> delivered, checked every 15 s, then no more."""
    smsc = slow_statuses
    assert hass.states.get(STATUS).state == STATE_UNKNOWN
    assert hass.states.get(BALANCE).state == "1000.00"
    assert hass.states.get(BALANCE).attributes["unit_of_measurement"] == "RUB"

    await _notify(hass, "Progression " + "x" * 150)
    [message] = await sent_messages(smsc)
    state = hass.states.get(STATUS)
    assert state.state == "waiting"
    assert state.attributes["message_id"] == str(message["id"])
    assert state.attributes["recipient"] == PHONE
    assert state.attributes["kind"] == "sms"
    assert state.attributes["status_code"] == -1
    assert float(hass.states.get(COST).state) == pytest.approx(float(message["cost"]))
    assert hass.states.get(COST).attributes["unit_of_measurement"] == "RUB"
    assert hass.states.get(PARTS).state == "2"
    balance = float(hass.states.get(BALANCE).state)
    assert balance == pytest.approx(1000 - float(message["cost"]))
    tracker = loaded_entry.runtime_data.tracker
    assert tracker.following

    await _later(hass, 14)
    assert hass.states.get(STATUS).state == "waiting"
    await _later(hass, 16)
    assert hass.states.get(STATUS).state == "waiting"

    await smsc.control.advance(31)
    await _later(hass, 16)
    assert hass.states.get(STATUS).state == "passed_to_operator"
    assert tracker.following

    await smsc.control.advance(31)
    await _later(hass, 16)
    state = hass.states.get(STATUS)
    assert state.state == "delivered"
    assert state.attributes["status_code"] == 1
    assert not tracker.following  # final: no more requests


async def test_failed_delivery(
    hass: HomeAssistant, slow_statuses: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A failure status with its error code is final too."""
    response = await _send(hass, loaded_entry, recipients=[PHONE], message="Will fail")
    await slow_statuses.control.set_status(response["id"], PHONE, 20, err=6)
    await _later(hass, 16)
    state = hass.states.get(STATUS)
    assert state.state == "undeliverable"
    assert state.attributes["error_code"] == 6
    assert not loaded_entry.runtime_data.tracker.following


async def test_follow_up_survives_errors(
    hass: HomeAssistant,
    slow_statuses: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A failed check is logged once and retried; the service's rate limit backs off."""
    smsc = slow_statuses
    response = await _send(hass, loaded_entry, recipients=[PHONE], message="Errors")
    tracker = loaded_entry.runtime_data.tracker

    await smsc.control.add_fault("status", "http500", count=2)
    await _later(hass, 16)
    await _later(hass, 16)
    assert caplog.text.count("Checking the status of the last message failed:") == 1
    assert tracker.following
    await smsc.control.set_status(response["id"], PHONE, 0)
    await _later(hass, 16)
    assert hass.states.get(STATUS).state == "passed_to_operator"
    assert "Message status checks work again" in caplog.text

    # Five requests a minute for one message: the sixth is refused with error 9.
    for _ in range(4):
        await hass.services.async_call(
            DOMAIN,
            "get_status",
            {
                "config_entry_id": loaded_entry.entry_id,
                "message_id": response["id"],
                "phone": PHONE,
            },
            blocking=True,
            return_response=True,
        )
    await smsc.control.set_status(response["id"], PHONE, 1)
    await _later(hass, 16)
    assert hass.states.get(STATUS).state == "passed_to_operator"
    await _later(hass, 30)
    assert hass.states.get(STATUS).state == "passed_to_operator"  # backing off for a minute
    await smsc.control.advance(61)
    await _later(hass, 61)
    assert hass.states.get(STATUS).state == "delivered"


async def test_refused_credentials_stop_follow_up(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A refused status request starts reauthentication and stops polling."""
    await _send(hass, loaded_entry, recipients=[PHONE], message="Auth")
    loaded_entry.runtime_data.client = AsyncClient(
        login=smsc.login, password="changed", base_url=smsc.http_url
    )
    await _later(hass, 16)
    assert not loaded_entry.runtime_data.tracker.following
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_newer_message_wins(
    hass: HomeAssistant, slow_statuses: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A check that was under way when a newer message went out is dropped."""
    smsc = slow_statuses
    first = await _send(hass, loaded_entry, recipients=[PHONE], message="First")
    await smsc.control.set_status(first["id"], PHONE, 1)
    await smsc.control.add_fault("status", "delay", seconds=0.5)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=16))
    second = await _send(hass, loaded_entry, recipients=[PHONE], message="Second")
    await hass.async_block_till_done(wait_background_tasks=True)
    state = hass.states.get(STATUS)
    assert state.attributes["message_id"] == second["id"]
    assert state.state == "waiting"
    assert loaded_entry.runtime_data.tracker.following


async def test_group_recipients_are_not_followed(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """status.php cannot answer for a G<n> group: the status stays unknown, no polling."""
    await smsc.control.add_contact_group(3, [PHONE], "Family")
    await _send(hass, loaded_entry, recipients=["G3"], message="Family news")
    assert hass.states.get(STATUS).state == STATE_UNKNOWN
    assert hass.states.get(STATUS).attributes["recipient"] is None
    assert not loaded_entry.runtime_data.tracker.following


async def test_scheduled_message_waits_for_its_time(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A message scheduled in an hour is first checked after that hour."""
    await _send(
        hass,
        loaded_entry,
        recipients=[PHONE],
        message="Later",
        send_at=(dt_util.now() + timedelta(hours=1)).isoformat(),
    )
    message = loaded_entry.runtime_data.tracker.message
    assert message is not None
    assert message.due_at - message.sent_at > timedelta(minutes=59)
    await _later(hass, 60)
    assert hass.states.get(STATUS).state == "waiting"
    assert loaded_entry.runtime_data.tracker.following


async def test_last_message_survives_reload(
    hass: HomeAssistant, slow_statuses: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Adding a recipient or changing options reloads the entry; the last message stays and
    is still followed."""
    response = await _send(hass, loaded_entry, recipients=[PHONE], message="Reload")
    hass.config_entries.async_update_entry(loaded_entry, options={CONF_LOW_BALANCE: 1.0})
    await hass.async_block_till_done()
    tracker = loaded_entry.runtime_data.tracker
    assert tracker.message is not None
    assert tracker.message.message_id == response["id"]
    assert tracker.following
    assert hass.states.get(STATUS).state == "waiting"
    await slow_statuses.control.set_status(response["id"], PHONE, 1)
    await _later(hass, 16)
    assert hass.states.get(STATUS).state == "delivered"


async def test_unreadable_store_is_ignored(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A damaged record of the last message is dropped with a warning."""
    hass_storage[f"{DOMAIN}.{config_entry.entry_id}"] = {
        "version": 1,
        "key": f"{DOMAIN}.{config_entry.entry_id}",
        "data": {"message": {"message_id": "1"}},
    }
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert "Discarding the unreadable record" in caplog.text
    assert hass.states.get(STATUS).state == STATE_UNKNOWN
    await hass.config_entries.async_unload(config_entry.entry_id)


async def test_balance_polling(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The balance is read every 30 minutes; a failure makes it unavailable until it works."""
    await smsc.control.set_balance("750.25")
    await _later(hass, 29 * 60)
    assert hass.states.get(BALANCE).state == "1000.00"
    await _later(hass, 31 * 60)
    assert hass.states.get(BALANCE).state == "750.25"

    await smsc.control.add_fault("balance", "http500")
    await _later(hass, 31 * 60)
    assert hass.states.get(BALANCE).state == STATE_UNAVAILABLE
    assert hass.states.get("binary_sensor.demo_low_balance").state == STATE_UNAVAILABLE
    assert hass.states.get("notify.alice").state != STATE_UNAVAILABLE  # alerts still go out
    await _notify(hass, "Sent while the balance is unavailable")
    [message] = await sent_messages(smsc)
    await _later(hass, 31 * 60)
    assert float(hass.states.get(BALANCE).state) == pytest.approx(750.25 - float(message["cost"]))

    # Refused credentials during polling: reauthentication.
    loaded_entry.runtime_data.client = AsyncClient(
        login=smsc.login, password="changed", base_url=smsc.http_url
    )
    await _later(hass, 31 * 60)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert loaded_entry.data[CONF_PASSWORD] == smsc.password
