# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMPP receiver against the emulator's SMPP side over loopback: binding, incoming
messages (long ones whole), sending over SMPP with delivery receipts, the repair issue of a
refused bind, reconnecting after the connection is cut, and unloading without leftovers."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    CONF_API_KEY,
    CONF_PASSWORD,
    EVENT_HOMEASSISTANT_STOP,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import (
    CONF_LOGIN,
    CONF_LOW_BALANCE,
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
    RECEIVE_SMPP,
    smpp_issue_id,
)
from custom_components.smsc.diagnostics import async_get_config_entry_diagnostics
from custom_components.smsc.helpers import smpp_eligible
from custom_components.smsc.receiver import SmscReceiver
from pysmsc import Message, Translit
from pysmsc.smpp import SubmitNotSentError
from tests.conftest import SmppEmulatorHandle

from .conftest import PHONE, state_of, wait_for

INCOMING = "event.demo_incoming_message"
REPORTS = "event.demo_delivery_report"
CONNECTION = "binary_sensor.demo_smpp_connection"
STATUS = "sensor.demo_last_message_status"
COST = "sensor.demo_last_message_cost"
PARTS = "sensor.demo_last_message_parts"
OUR_NUMBER = "79000000000"


@pytest.fixture
async def smsc(smpp_smsc: SmppEmulatorHandle, fast_reconnect: None) -> SmppEmulatorHandle:
    """Every test here runs against the emulator with its SMPP side."""
    return smpp_smsc


def _smpp(smsc: SmppEmulatorHandle, **changes: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        CONF_SMPP_HOST: smsc.smpp_host,
        CONF_SMPP_PORT: smsc.smpp_port,
        CONF_SMPP_TLS: False,
        CONF_SMPP_BIND: "transceiver",
        CONF_SEND_OVER_SMPP: True,
    }
    options.update(changes)
    return options


@pytest.fixture
def entry_options(smpp_smsc: SmppEmulatorHandle) -> dict[str, Any]:
    """The receiver on, as a transceiver that sends over SMPP."""
    return {CONF_RECEIVE: RECEIVE_SMPP, CONF_SMPP: _smpp(smpp_smsc)}


def _receiver(entry: MockConfigEntry) -> SmscReceiver:
    receiver = entry.runtime_data.receiver
    assert isinstance(receiver, SmscReceiver)
    return receiver


async def _bound(hass: HomeAssistant) -> None:
    await wait_for(hass, lambda: state_of(hass, CONNECTION) == "on")


async def test_binds_and_shows_connected(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The receiver binds with the account's login and password as set in the options."""
    await _bound(hass)
    sessions = await smsc.control.smpp_sessions()
    assert [(item["login"], item["mode"]) for item in sessions] == [("demo", "transceiver")]
    receiver = _receiver(loaded_entry)
    assert receiver.connected
    assert receiver.last_error is None
    assert loaded_entry.runtime_data.tracker.pushed
    # A late look at the error of a failed attempt finds the connection up again: nothing.
    receiver._async_check_error()
    assert not receiver._failing

    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    assert diagnostics["smpp_receiver"] == {
        "state": "bound",
        "connected": True,
        "last_error": None,
        "host": "127.0.0.1",
        "port": smsc.smpp_port,
        "backup_host": None,
        "tls": False,
        "bind": "transceiver",
        "system_type": "",
        "send_over_smpp": True,
        "endpoint": ["127.0.0.1", smsc.smpp_port],
    }


async def test_receiver_bind(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, config_entry: MockConfigEntry
) -> None:
    """A receiver bind receives only: nothing is sent over it, and receipts do not slow the
    status checks."""
    config_entry.add_to_hass(hass)
    options = {
        CONF_RECEIVE: RECEIVE_SMPP,
        CONF_SMPP: _smpp(smsc, **{CONF_SMPP_BIND: "receiver", CONF_SEND_OVER_SMPP: True}),
    }
    hass.config_entries.async_update_entry(config_entry, options=options)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await _bound(hass)
    sessions = await smsc.control.smpp_sessions()
    assert [item["mode"] for item in sessions] == ["receiver"]
    assert not config_entry.runtime_data.tracker.pushed

    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": "Rx"}, blocking=True
    )
    assert hass.states.get(STATUS).attributes["channel"] == "http"
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_incoming_messages(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """An incoming SMS fires the event entity; a long one arrives whole."""
    await _bound(hass)
    await smsc.control.receive(PHONE, "Open the gate", to=OUR_NUMBER)
    await wait_for(hass, lambda: state_of(hass, INCOMING) not in (None, "unknown"))
    state = hass.states.get(INCOMING)
    assert state.attributes["event_type"] == "received"
    assert state.attributes["sender"] == PHONE
    assert state.attributes["text"] == "Open the gate"
    assert state.attributes["to"] == OUR_NUMBER
    assert state.attributes["parts"] == 1
    assert state.attributes["complete"] is True
    assert "T" in state.attributes["time"]
    first = state.state

    text = "Привет! " + "Длинное входящее сообщение из нескольких частей. " * 6
    await smsc.control.receive(PHONE, text, to=OUR_NUMBER)
    await wait_for(hass, lambda: state_of(hass, INCOMING) != first)
    state = hass.states.get(INCOMING)
    assert state.attributes["text"] == text
    assert state.attributes["parts"] > 1
    assert state.attributes["complete"] is True


async def test_send_over_smpp_and_receipts(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A notify SMS goes over SMPP; its receipt updates the status sensor and the cost, and
    fires the delivery-report event."""
    await _bound(hass)
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.alice", "message": "Over SMPP"},
        blocking=True,
    )
    messages = await smsc.control.messages()
    assert [item["source"] for item in messages] == ["smpp"]
    tracker = loaded_entry.runtime_data.tracker
    assert tracker.message is not None
    assert tracker.message.channel == "smpp"
    assert hass.states.get(STATUS).attributes["channel"] == "smpp"
    assert state_of(hass, PARTS) == "1"

    await wait_for(hass, lambda: state_of(hass, STATUS) == "delivered")
    assert state_of(hass, COST) not in (None, "unknown")
    report = hass.states.get(REPORTS)
    assert report.attributes["event_type"] == "delivered"
    assert report.attributes["id"] == tracker.message.message_id
    assert report.attributes["phone"] == PHONE
    assert report.attributes["status"] == "delivered"
    assert report.attributes["error"] == 0
    assert report.attributes["cost"] == float(tracker.message.cost or 0)
    assert report.attributes["cost"] > 0
    # Final: no further status check is scheduled.
    assert not tracker.following


async def test_send_message_action_over_smpp(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The action's response over SMPP: id and parts, no cost or balance; what SMPP cannot
    carry goes over HTTP; a refusal over SMPP is a translated error."""
    await _bound(hass)
    entry_id = loaded_entry.entry_id
    text = "Flash " + "x" * 200
    response = await hass.services.async_call(
        DOMAIN,
        "send_message",
        {"config_entry_id": entry_id, "recipients": [PHONE], "message": text, "kind": "flash"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert response["channel"] == "smpp"
    assert response["parts"] == 2
    assert response["cost"] is None
    assert response["balance"] is None
    assert response["id"]
    messages = await smsc.control.messages()
    assert messages[-1]["source"] == "smpp"

    # A validity period travels over SMPP too.
    response = await hass.services.async_call(
        DOMAIN,
        "send_message",
        {
            "config_entry_id": entry_id,
            "recipients": [PHONE],
            "message": "Valid for an hour",
            "validity": {"hours": 1},
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert response["channel"] == "smpp"

    # The same message again within a minute: the service refuses it. A one-part message was
    # not sent; of a long one the service took the first part before it refused the last, so
    # pysmsc says it may have been sent (and it is not sent again).
    async def again(message: str, kind: str = "sms") -> HomeAssistantError:
        with pytest.raises(HomeAssistantError) as err:
            await hass.services.async_call(
                DOMAIN,
                "send_message",
                {
                    "config_entry_id": entry_id,
                    "recipients": [PHONE],
                    "message": message,
                    "kind": kind,
                },
                blocking=True,
                return_response=True,
            )
        return err.value

    short = "Short and sent twice"
    await hass.services.async_call(
        DOMAIN,
        "send_message",
        {"config_entry_id": entry_id, "recipients": [PHONE], "message": short},
        blocking=True,
    )
    refused = await again(short)
    assert refused.translation_key == "not_sent_smpp_rejected"
    assert str(refused).startswith("Not sent: the service refused the message over SMPP")
    assert "ESME_RSUBMITFAIL" in str(refused)
    long_again = await again(text, "flash")
    assert long_again.translation_key == "maybe_sent"

    # Two recipients, a send time, transliteration, a call: over HTTP, with the cost and
    # balance.
    for extra in (
        {"recipients": [PHONE, "79997654321"]},
        {"send_at": "2030-01-01 12:00:00"},
        {"translit": "latin"},
        {"kind": "call"},
    ):
        response = await hass.services.async_call(
            DOMAIN,
            "send_message",
            {
                "config_entry_id": entry_id,
                "recipients": [PHONE],
                "message": f"Over HTTP {extra}",
                **extra,
            },
            blocking=True,
            return_response=True,
        )
        assert response is not None
        assert response["channel"] == "http", extra
        assert response["cost"] is not None


async def test_not_sent_over_smpp_goes_over_http(
    hass: HomeAssistant,
    smsc: SmppEmulatorHandle,
    loaded_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A message the SMPP connection surely did not take (it went away just then) goes over
    HTTP instead; while the connection is down, everything goes over HTTP."""
    await _bound(hass)
    receiver = _receiver(loaded_entry)

    async def not_sent(*args: Any, **kwargs: Any) -> list[str]:
        raise SubmitNotSentError("the connection went away")

    monkeypatch.setattr(receiver.client, "submit", not_sent)
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": "One"}, blocking=True
    )
    assert hass.states.get(STATUS).attributes["channel"] == "http"
    monkeypatch.undo()

    await smsc.control.block_ip(True)  # binds are refused: the connection stays down
    await smsc.control.smpp_drop()
    await wait_for(hass, lambda: state_of(hass, CONNECTION) == "off")
    await smsc.control.block_ip(False)
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": "Two"}, blocking=True
    )
    assert hass.states.get(STATUS).attributes["channel"] == "http"


async def test_reconnects_after_drop(
    hass: HomeAssistant,
    smsc: SmppEmulatorHandle,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The emulator cuts the connection: the sensor goes off and on again, without a reload;
    queued incoming messages arrive after the reconnect."""
    await _bound(hass)
    data = loaded_entry.runtime_data
    changes: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: (
            changes.append(event.data["new_state"].state)
            if event.data["entity_id"] == CONNECTION
            else None
        ),
    )
    assert (await smsc.control.smpp_drop())["dropped"] == 1
    await wait_for(hass, lambda: "off" in changes)
    await wait_for(hass, lambda: changes[-1:] == ["on"])
    assert loaded_entry.runtime_data is data
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert "lost; reconnecting" in caplog.text
    assert "is up again" in caplog.text

    await smsc.control.receive(PHONE, "After the reconnect", to=OUR_NUMBER)
    await wait_for(
        hass, lambda: hass.states.get(INCOMING).attributes.get("text") == "After the reconnect"
    )


async def test_refused_bind_raises_repair_issue(
    hass: HomeAssistant,
    smsc: SmppEmulatorHandle,
    loaded_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A bind the service refuses (here: the IP address is not allowed) raises a repair issue;
    the next successful bind clears it, without a reload."""
    await _bound(hass)
    issue_id = smpp_issue_id(loaded_entry.entry_id)
    await smsc.control.block_ip(True)
    await smsc.control.smpp_drop()
    await wait_for(hass, lambda: issue_registry.async_get_issue(DOMAIN, issue_id) is not None)
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "smpp_not_enabled"
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["error"] == "ESME_RBINDFAIL"
    assert issue.translation_placeholders["settings_url"] == f"{smsc.http_url}/user/"
    assert issue.translation_placeholders["passwords_url"] == f"{smsc.http_url}/passwords/"
    assert issue.learn_more_url == f"{smsc.http_url}/api/smpp/"
    assert state_of(hass, CONNECTION) == "off"
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    assert "ESME_RBINDFAIL" in diagnostics["smpp_receiver"]["last_error"]

    await smsc.control.block_ip(False)
    await _bound(hass)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_wrong_smpp_password(
    hass: HomeAssistant,
    smsc: SmppEmulatorHandle,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A wrong SMPP password: the repair issue names the refusal; the password is in no log,
    diagnostics or error; unloading drops the issue."""
    secret = "Wr0ngSecret"
    options = {
        CONF_RECEIVE: RECEIVE_SMPP,
        CONF_SMPP: _smpp(smsc, **{CONF_SMPP_LOGIN: "demo", CONF_SMPP_PASSWORD: secret}),
    }
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(config_entry, options=options)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    issue_id = smpp_issue_id(config_entry.entry_id)
    await wait_for(hass, lambda: issue_registry.async_get_issue(DOMAIN, issue_id) is not None)
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["error"] == "ESME_RINVPASWD"
    assert state_of(hass, CONNECTION) == "off"
    assert "Cannot connect to SMPP" in caplog.text

    diagnostics = await async_get_config_entry_diagnostics(hass, config_entry)
    text = json.dumps(diagnostics, default=str)
    assert secret not in text
    assert diagnostics["entry"]["options"]["smpp"]["password"] == "**REDACTED**"
    assert diagnostics["entry"]["options"]["smpp"]["login"] == "**REDACTED**"
    assert diagnostics["smpp_receiver"]["state"] in ("disconnected", "connecting")
    assert diagnostics["smpp_receiver"]["bind"] == "transceiver"
    assert secret not in caplog.text
    assert secret not in repr(_receiver(config_entry).config)

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_unreachable_host_no_issue(
    hass: HomeAssistant,
    smsc: SmppEmulatorHandle,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    unused_url: str,
) -> None:
    """Nothing listening on the SMPP port: the sensor stays off, no repair issue."""
    port = int(unused_url.rsplit(":", 1)[1])
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry,
        options={CONF_RECEIVE: RECEIVE_SMPP, CONF_SMPP: _smpp(smsc, **{CONF_SMPP_PORT: port})},
    )
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    receiver = _receiver(config_entry)
    await wait_for(hass, lambda: receiver.last_error is not None)
    await asyncio.sleep(0.3)  # a few more attempts
    assert state_of(hass, CONNECTION) == "off"
    assert issue_registry.async_get_issue(DOMAIN, smpp_issue_id(config_entry.entry_id)) is None
    assert "cannot connect" in (receiver.last_error or "")
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_unload_leaves_nothing(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Unloading unbinds and closes: no session at the emulator, no task left behind."""
    await _bound(hass)
    receiver = _receiver(loaded_entry)
    tasks_before = asyncio.all_tasks()
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    assert receiver.client.state.value == "closed"
    assert not receiver.connected
    assert not (asyncio.all_tasks() - tasks_before)
    # The client's connections, its deliver_sm handlers and its sessions are all gone.
    assert [bind.state.value for bind in receiver.client.binds] == ["disconnected"]
    assert not receiver.client._tasks
    assert not receiver.client._bind_of
    assert await smsc.control.smpp_sessions() == []
    assert state_of(hass, CONNECTION) == STATE_UNAVAILABLE


async def test_home_assistant_stop_unbinds(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Home Assistant stopping (entries are not unloaded then) unbinds the connection."""
    await _bound(hass)
    receiver = _receiver(loaded_entry)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await wait_for(hass, lambda: receiver.client.state.value == "closed")
    assert not receiver.can_send
    assert await smsc.control.smpp_sessions() == []


async def test_options_change_reconnects(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """New SMPP options reload the entry: the old connection closes, a new one binds."""
    await _bound(hass)
    old = _receiver(loaded_entry)
    hass.config_entries.async_update_entry(
        loaded_entry,
        options={
            CONF_RECEIVE: RECEIVE_SMPP,
            CONF_SMPP: _smpp(smsc, **{CONF_SMPP_SYSTEM_TYPE: "MCON2"}),
        },
    )
    await hass.async_block_till_done()
    new = _receiver(loaded_entry)
    assert new is not old
    assert old.client.state.value == "closed"
    await _bound(hass)
    sessions = await smsc.control.smpp_sessions()
    assert [item["system_type"] for item in sessions] == ["MCON2"]

    # Turning the receiver off removes nothing but makes no connection.
    hass.config_entries.async_update_entry(loaded_entry, options={})
    await hass.async_block_till_done()
    assert loaded_entry.runtime_data.receiver is None
    assert new.client.state.value == "closed"
    assert state_of(hass, CONNECTION) == STATE_UNAVAILABLE


async def test_api_key_entry(
    hass: HomeAssistant,
    smsc: SmppEmulatorHandle,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An API key entry binds with the SMPP login and password of the options; without them
    (options stored by other means) the receiver cannot start and its entities are
    unavailable."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="key",
        data={CONF_URL: smsc.http_url, CONF_API_KEY: smsc.api_key},
        options={
            CONF_RECEIVE: RECEIVE_SMPP,
            CONF_SMPP: _smpp(smsc, **{CONF_SMPP_LOGIN: "demo", CONF_SMPP_PASSWORD: "demo"}),
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await wait_for(hass, lambda: state_of(hass, "binary_sensor.key_smpp_connection") == "on")

    hass.config_entries.async_update_entry(
        entry, options={CONF_RECEIVE: RECEIVE_SMPP, CONF_SMPP: _smpp(smsc)}
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.receiver is None
    for entity_id in (
        "binary_sensor.key_smpp_connection",
        "event.key_incoming_message",
        "event.key_delivery_report",
    ):
        assert state_of(hass, entity_id) == STATE_UNAVAILABLE, entity_id
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["smpp_receiver"] is None
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_entry_password_is_the_default(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, config_entry: MockConfigEntry
) -> None:
    """Without SMPP credentials in the options, the entry's login and password bind."""
    config_entry.add_to_hass(hass)
    assert CONF_LOGIN in config_entry.data
    assert CONF_PASSWORD in config_entry.data
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await _bound(hass)
    assert await hass.config_entries.async_unload(config_entry.entry_id)


@pytest.mark.parametrize(
    ("message", "options", "eligible"),
    [
        (Message(to=PHONE, text="Hi"), {}, True),
        (Message(to=PHONE, text="Hi", kind="flash"), {"sender": "Home"}, True),
        (Message(to=PHONE, text="Hi"), {"validity": timedelta(hours=1)}, True),
        (Message(to=PHONE, text="Hi"), {"validity": 2}, False),
        (Message(to=PHONE, text="Hi"), {"sender": "."}, False),
        (Message(to=PHONE, text="Hi"), {"translit": Translit.LATIN}, False),
        (Message(to=PHONE, text="Hi"), {"send_at": timedelta(hours=1)}, False),
        (Message(to="G12", text="Hi"), {}, False),
        (Message(to=[PHONE, "79997654321"], text="Hi"), {}, False),
        (Message(to=PHONE, text="Hi", kind="viber"), {}, False),
    ],
)
def test_smpp_eligible(message: Message, options: dict[str, Any], eligible: bool) -> None:
    """What may go over SMPP: a plain or flash SMS to one number, without HTTP-only options."""
    assert smpp_eligible(message, options) is eligible


async def _options(hass: HomeAssistant, entry_id: str, smpp: dict[str, Any]) -> None:
    result = await hass.config_entries.options.async_init(entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_SCAN_INTERVAL: 30.0,
            CONF_LOW_BALANCE: 0.0,
            CONF_RECEIVE: RECEIVE_SMPP,
            CONF_SMPP: smpp,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_login_typed_in_another_case_binds(
    hass: HomeAssistant, smsc: SmppEmulatorHandle
) -> None:
    """Signed in as DEMO (the service's HTTP side does not mind the case), the receiver binds as
    demo; an SMPP login typed in the options in another case binds too."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "login"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_URL: smsc.http_url, CONF_LOGIN: "DEMO", CONF_PASSWORD: smsc.password},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    await hass.async_block_till_done()

    smpp = _smpp(smsc, **{CONF_SEND_OVER_SMPP: False})
    await _options(hass, entry.entry_id, smpp)
    await _bound(hass)
    assert [item["login"] for item in await smsc.control.smpp_sessions()] == ["demo"]

    await _options(
        hass,
        entry.entry_id,
        {**smpp, CONF_SMPP_LOGIN: " DeMo ", CONF_SMPP_PASSWORD: smsc.password},
    )
    assert entry.options[CONF_SMPP][CONF_SMPP_LOGIN] == "demo"
    await _bound(hass)
    assert [item["login"] for item in await smsc.control.smpp_sessions()] == ["demo"]
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_cost_has_one_precision_whatever_the_channel(
    hass: HomeAssistant, smsc: SmppEmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The cost from send.php (1.40) and from an SMPP receipt (1.4000) read the same."""
    await _bound(hass)
    notify = {"entity_id": "notify.alice"}
    await hass.services.async_call(
        "notify", "send_message", {**notify, "message": "Over SMPP"}, blocking=True
    )
    await wait_for(hass, lambda: state_of(hass, STATUS) == "delivered")
    over_smpp = state_of(hass, COST)
    await hass.services.async_call(
        DOMAIN,
        "send_message",
        {
            "config_entry_id": loaded_entry.entry_id,
            "recipients": [PHONE],
            "message": "Over HTTP",
            "send_at": "2030-01-01 12:00:00",
        },
        blocking=True,
    )
    assert hass.states.get(STATUS).attributes["channel"] == "http"
    over_http = state_of(hass, COST)
    assert over_smpp is not None
    assert over_http is not None
    assert re.fullmatch(r"\d+\.\d\d", over_smpp), over_smpp
    assert re.fullmatch(r"\d+\.\d\d", over_http), over_http
    assert over_smpp == over_http  # one SMS each, at the same price
