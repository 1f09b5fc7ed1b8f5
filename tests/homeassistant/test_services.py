# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The actions smsc.send_message, smsc.notify_event and smsc.get_status, against the emulator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import DOMAIN
from custom_components.smsc.helpers import translate_error
from pysmsc import AsyncClient, SmscError
from tests.conftest import EmulatorHandle

from .conftest import EMAIL, OTHER_PHONE, PHONE, register_sender, sent_messages


async def _call(
    hass: HomeAssistant, service: str, entry: MockConfigEntry, response: bool = True, **data: Any
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=response,
    )


async def test_send_sms(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """id, parts, cost and the new balance come back; the options reach the service."""
    await register_sender(smsc, "Shop")
    send_at = dt_util.now() + timedelta(hours=2)
    response = await _call(
        hass,
        "send_message",
        loaded_entry,
        recipients=[PHONE, OTHER_PHONE],
        message="Привет, это проверка",
        sender="Shop",
        translit="latin",
        validity={"hours": 2},
        send_at=send_at.replace(tzinfo=None).isoformat(),
    )
    [message] = await sent_messages(smsc)
    assert response == {
        "sent": True,
        "id": str(message["id"]),
        "parts": 2,
        "seconds": None,
        "cost": float(message["cost"]),
        "balance": pytest.approx(1000 - float(message["cost"])),
        "currency": "RUB",
        "channel": "http",
    }
    assert message["sender"] == "Shop"
    assert message["text"] != "Привет, это проверка"  # transliterated by the service
    assert message["send_time"] == pytest.approx(send_at.timestamp(), abs=60)
    assert hass.states.get("sensor.demo_balance").state == f"{response['balance']:.2f}"


async def test_send_call(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A voice call with its voice and dialling parameters; its length in seconds."""
    response = await _call(
        hass,
        "send_message",
        loaded_entry,
        recipients=PHONE,
        message="The house alarm went off",
        kind="call",
        voice="w2",
        dial_wait=30,
        dial_attempts=3,
    )
    assert response["parts"] is None
    assert response["seconds"] > 0
    [message] = await sent_messages(smsc)
    assert message["kind"] == "call"
    assert message["options"]["voice"] == "w2"
    assert message["options"]["param"] == "30,10,3"


async def test_cost_only(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Nothing is sent; the cost and the parts come back."""
    response = await _call(
        hass, "send_message", loaded_entry, recipients=[PHONE], message="x" * 200, cost_only=True
    )
    assert response["parts"] == 2
    assert response["cost"] > 0
    assert response["currency"] == "RUB"
    assert await sent_messages(smsc) == []
    assert hass.states.get("sensor.demo_last_message_status").state == "unknown"


async def test_ping_and_mail(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Kinds without a text, and e-mail with its subject."""
    await _call(hass, "send_message", loaded_entry, recipients=[PHONE], kind="ping")
    await _call(
        hass,
        "send_message",
        loaded_entry,
        recipients=[EMAIL],
        kind="mail",
        message="Report",
        subject="Weekly",
        sender="home@example.com",
    )
    ping, mail = await sent_messages(smsc)
    assert ping["kind"] == "ping"
    assert (mail["kind"], mail["subject"]) == ("mail", "Weekly")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"recipients": ["12345"], "message": "x"}, "recipients"),
        ({"recipients": [PHONE], "message": ""}, "message"),
        ({"recipients": [PHONE], "message": "x", "voice": "w"}, "voice"),
        ({"recipients": [PHONE], "message": "x", "kind": "call", "dial_wait": 100}, "dial_wait"),
        ({"recipients": [PHONE], "message": "x", "validity": {"hours": 25}}, "validity"),
        ({"recipients": [PHONE], "message": "x", "kind": "mail"}, "recipients"),
        ({"recipients": [PHONE], "message": "x", "kind": "ping"}, "message"),
        (
            {"recipients": [EMAIL], "message": "x", "kind": "mail", "sender": "a@b.example"},
            "subject",
        ),
        ({"recipients": [PHONE], "message": "x", "sender": "Much too long a name"}, "sender"),
        ({"recipients": ["1"], "message": "x", "cost_only": True}, "recipients"),
    ],
)
async def test_send_validation(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    field: str,
) -> None:
    """Bad input names the field, translated, and nothing is sent."""
    with pytest.raises(ServiceValidationError) as info:
        await _call(hass, "send_message", loaded_entry, **data)
    assert info.value.translation_key == "invalid_field"
    assert info.value.translation_placeholders["field"] == field
    assert str(info.value).startswith(f"Invalid {field}: ")
    assert await sent_messages(smsc) == []


async def test_duplicate_is_refused(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The service refuses the same request twice within a minute (error 9)."""
    await _call(hass, "send_message", loaded_entry, recipients=[PHONE], message="Twice")
    with pytest.raises(HomeAssistantError) as info:
        await _call(hass, "send_message", loaded_entry, recipients=[PHONE], message="Twice")
    assert info.value.translation_key == "not_sent_rate_limited"
    assert str(info.value).startswith("Not sent: ")


@pytest.mark.parametrize(
    ("fault", "after_processing", "key"),
    [
        ("close", False, "maybe_sent"),
        ("http500", True, "maybe_sent"),
        ("garbage", False, "maybe_sent"),
    ],
)
async def test_send_transport_errors(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    fault: str,
    after_processing: bool,
    key: str,
) -> None:
    """A lost answer says the message may have gone out (and it is not sent twice)."""
    await smsc.control.add_fault("send", fault, after_processing=after_processing)
    with pytest.raises(HomeAssistantError) as info:
        await _call(hass, "send_message", loaded_entry, recipients=[PHONE], message="Lost")
    assert info.value.translation_key == key
    assert len(await sent_messages(smsc)) == (1 if after_processing else 0)


async def test_unreachable_status(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry, unused_url: str
) -> None:
    """A request that sends nothing fails with cannot_connect."""
    loaded_entry.runtime_data.client = AsyncClient(
        login=smsc.login, password=smsc.password, base_url=unused_url
    )
    with pytest.raises(HomeAssistantError) as info:
        await _call(hass, "get_status", loaded_entry, message_id="1", phone=PHONE)
    assert info.value.translation_key == "cannot_connect"


async def test_refused_credentials_start_reauth(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A password changed on the service: translated error and a reauth flow."""
    loaded_entry.runtime_data.client = AsyncClient(
        login=smsc.login, password="changed", base_url=smsc.http_url
    )
    with pytest.raises(HomeAssistantError) as info:
        await _call(hass, "send_message", loaded_entry, recipients=[PHONE], message="Auth")
    assert info.value.translation_key == "not_sent_invalid_auth"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_unknown_and_unloaded_entry(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """The entry must exist, belong to the integration and be loaded."""
    with pytest.raises(ServiceValidationError) as info:
        await hass.services.async_call(
            DOMAIN,
            "get_status",
            {"config_entry_id": "nope", "message_id": "1", "phone": PHONE},
            blocking=True,
            return_response=True,
        )
    assert info.value.translation_key == "entry_not_found"
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    with pytest.raises(ServiceValidationError) as info:
        await _call(hass, "get_status", loaded_entry, message_id="1", phone=PHONE)
    assert info.value.translation_key == "entry_not_loaded"
    assert "demo" in str(info.value)


async def test_notify_event(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """ping.php: the task group's contacts get its failure, then its recovery template."""
    group = await smsc.control.add_task_group("Servers", [PHONE])
    await _call(
        hass,
        "notify_event",
        loaded_entry,
        response=False,
        task_group=group["id"],
        name="web",
        host="www.example.com",
        info="HTTP 502",
    )
    await _call(
        hass,
        "notify_event",
        loaded_entry,
        response=False,
        task_group=group["id"],
        name="web",
        recovered=True,
    )
    failure, recovery = await smsc.control.ping_events()
    assert (failure["name"], failure["host"], failure["info"]) == (
        "web",
        "www.example.com",
        "HTTP 502",
    )
    assert not failure["ok"]
    assert recovery["ok"]

    with pytest.raises(HomeAssistantError) as info:
        await _call(hass, "notify_event", loaded_entry, response=False, task_group=999)
    assert info.value.translation_key == "not_sent_not_found"
    with pytest.raises(ServiceValidationError) as info:
        await _call(hass, "notify_event", loaded_entry, response=False, task_group=0)
    assert info.value.translation_placeholders["field"] == "task_group"


async def test_get_status(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The status and, with details, the message's data; the last message follows it."""
    sent = await _call(
        hass, "send_message", loaded_entry, recipients=[PHONE], message="Status please"
    )
    await smsc.control.set_status(sent["id"], PHONE, 1)
    response = await _call(hass, "get_status", loaded_entry, message_id=sent["id"], phone=PHONE)
    assert response["status"] == "delivered"
    assert response["status_code"] == 1
    assert response["final"] is True
    assert response["error_code"] == 0
    assert response["last_change"] is not None
    assert "cost" not in response
    assert hass.states.get("sensor.demo_last_message_status").state == "delivered"

    response = await _call(
        hass,
        "get_status",
        loaded_entry,
        message_id=sent["id"],
        phone="+7 999 123-45-67",
        details=True,
    )
    assert response["message"] == "Status please"
    assert response["cost"] > 0
    assert response["currency"] == "RUB"

    response = await _call(hass, "get_status", loaded_entry, message_id="424242", phone=PHONE)
    assert response["status"] == "not_found"

    with pytest.raises(ServiceValidationError) as info:
        await _call(hass, "get_status", loaded_entry, message_id="bad id!", phone=PHONE)
    assert info.value.translation_placeholders["field"] == "message_id"


async def test_unexpected_library_error(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """An error of pysmsc that is none of the service's still reads well."""
    error = translate_error(hass, SmscError("something odd"), loaded_entry)
    assert error.translation_key == "unexpected_error"
    assert error.translation_placeholders == {"error": "something odd"}


async def test_descriptions_load(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """services.yaml is read by Home Assistant, with its sections."""
    descriptions = await async_get_all_descriptions(hass)
    send = descriptions[DOMAIN]["send_message"]
    assert send["name"] == "Send message"
    assert "voice" in send["fields"]["call_options"]["fields"]
    assert set(descriptions[DOMAIN]) == {
        "send_message",
        "notify_event",
        "get_status",
        "page",
        "acknowledge_page",
        "resolve_page",
    }
