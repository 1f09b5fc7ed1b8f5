# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What an automation learns when a send fails: which of the three outcomes it had (refused,
never reached the service, may have been sent), said once, in the user's language; and bad
input, refused before anything is sent, naming the field."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import DOMAIN
from custom_components.smsc.helpers import translate_error
from pysmsc import AsyncClient, SmscError
from pysmsc.smpp import SubmitOutcomeUnknownError
from tests.conftest import EmulatorHandle

from .conftest import PHONE, sent_messages


async def _send(hass: HomeAssistant, entry: MockConfigEntry, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        "send_message",
        {"config_entry_id": entry.entry_id, "recipients": [PHONE], **data},
        blocking=True,
        return_response=True,
    )


async def _message(hass: HomeAssistant, language: str, err: HomeAssistantError) -> str:
    """The error as the frontend shows it to a user of ``language``."""
    translations = await async_get_translations(hass, language, "exceptions", {DOMAIN})
    text = translations[f"component.{DOMAIN}.exceptions.{err.translation_key}.message"]
    return text.format(**(err.translation_placeholders or {}))


# --- the three outcomes -------------------------------------------------------------------------


async def test_refused_is_not_sent(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The service refused the message: it says so, and that nothing was sent."""
    await smsc.control.set_balance("0")
    with pytest.raises(HomeAssistantError) as info:
        await _send(hass, loaded_entry, message="No money")
    assert info.value.translation_key == "not_sent_insufficient_funds"
    assert str(info.value).startswith("Not sent: ")
    assert (await _message(hass, "ru", info.value)).startswith("Не отправлено: ")  # noqa: RUF001
    assert await sent_messages(smsc) == []


async def test_never_connected_is_not_sent_and_safe_to_retry(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry, unused_url: str
) -> None:
    """Nothing listens at the address: not sent, and sending again is safe."""
    loaded_entry.runtime_data.client = AsyncClient(
        login=smsc.login, password=smsc.password, base_url=unused_url
    )
    with pytest.raises(HomeAssistantError) as info:
        await _send(hass, loaded_entry, message="Nobody home")
    assert info.value.translation_key == "not_sent_unreachable"
    assert "Sending it again is safe" in str(info.value)
    assert "may have been sent" not in str(info.value)


@pytest.mark.parametrize(
    ("fault", "after_processing"),
    [("close", False), ("close", True), ("http500", True), ("garbage", False)],
)
async def test_may_have_been_sent_is_said_once_in_the_users_language(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    fault: str,
    after_processing: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A lost or unreadable answer: may have been sent, not sent again. The message says it
    once and carries no text of the library (which is English), so that the frontend shows it
    wholly in the user's language; the log keeps the cause."""
    await smsc.control.add_fault("send", fault, after_processing=after_processing)
    with pytest.raises(HomeAssistantError) as info:
        await _send(hass, loaded_entry, message="Lost answer")
    err = info.value
    assert err.translation_key == "maybe_sent"
    assert not err.translation_placeholders
    english = str(err)
    assert len(re.findall("may have been sent", english)) == 1
    assert "not sent again" in english
    russian = await _message(hass, "ru", err)
    assert russian.count("могло быть отправлено") == 1
    assert not re.search("[A-Za-z]", russian), russian
    assert "send.php" in caplog.text  # the cause, for whoever reads the log
    assert len(await sent_messages(smsc)) == (1 if after_processing else 0)


async def test_smpp_answer_lost_may_have_been_sent(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """An SMPP submit whose answer never came: may have been sent."""
    err = translate_error(
        hass, SubmitOutcomeUnknownError("connection lost"), loaded_entry, sending=True
    )
    assert err.translation_key == "maybe_sent"


async def test_a_read_never_claims_a_send(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Requests that send nothing have their own messages, without "not sent"."""
    err = translate_error(hass, SmscError("something odd"), loaded_entry)
    assert err.translation_key == "unexpected_error"
    err = translate_error(hass, SmscError("something odd"), loaded_entry, sending=True)
    assert err.translation_key == "not_sent_error"
    assert str(err) == "Not sent: something odd"


async def test_success_and_cost_only_say_whether_sent(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The response tells it too: sent, or (cost only) not sent."""
    assert (await _send(hass, loaded_entry, message="Hello"))["sent"] is True
    assert (await _send(hass, loaded_entry, message="Price", cost_only=True))["sent"] is False
    assert len(await sent_messages(smsc)) == 1


# --- bad input from automations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "key"),
    [
        ({"message": ["a", "list"]}, "message", "not_text"),
        ({"message": None}, "message", "not_text"),
        ({"message": True}, "message", "not_text"),
        ({"message": {"a": 1}}, "message", "not_text"),
        ({"message": date(2025, 1, 1)}, "message", "not_text"),
        ({"message": "x", "subject": ["s"]}, "subject", "not_text"),
        ({"message": "x", "recipients": [None]}, "recipients", "not_text"),
        ({"message": "x", "kind": "call", "dial_wait": "soon"}, "dial_wait", "not_whole_number"),
        ({"message": "x", "kind": "call", "dial_wait": 20.5}, "dial_wait", "not_whole_number"),
        (
            {"message": "x", "kind": "call", "dial_attempts": True},
            "dial_attempts",
            "not_whole_number",
        ),
        ({"message": "x", "kind": "pager"}, "kind", "invalid_field"),
        ({"message": "x", "unknown_field": 1}, "unknown_field", "invalid_field"),
    ],
)
async def test_values_of_the_wrong_type(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    field: str,
    key: str,
) -> None:
    """A translated ServiceValidationError naming the field; nothing is sent."""
    with pytest.raises(ServiceValidationError) as info:
        await _send(hass, loaded_entry, **data)
    assert info.value.translation_key == key
    assert info.value.translation_placeholders["field"] == field
    assert str(info.value).startswith(f"Invalid {field}: ")
    assert (await _message(hass, "ru", info.value)).startswith(f"Недопустимое поле {field}: ")
    assert await sent_messages(smsc) == []


async def test_numbers_are_text(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A template that renders a number ({{ states('sensor.x') }} gives 21.5) is its text;
    a whole number given as text is a whole number."""
    await _send(hass, loaded_entry, message=21.5)
    await _send(
        hass,
        loaded_entry,
        recipients=[79997654321],
        message=42,
        kind="call",
        dial_wait="30",
        dial_attempts=3.0,
    )
    first, second = await sent_messages(smsc)
    assert first["text"] == "21.5"
    assert second["text"] == "42"
    assert [phone["phone"] for phone in second["phones"]] == ["79997654321"]
    assert second["options"]["param"] == "30,10,3"


async def test_notify_event_fields(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """notify_event checks its fields the same way."""
    for data, field in (
        ({"task_group": "first"}, "task_group"),
        ({"task_group": 1, "info": [1]}, "info"),
    ):
        with pytest.raises(ServiceValidationError) as info:
            await hass.services.async_call(
                DOMAIN,
                "notify_event",
                {"config_entry_id": loaded_entry.entry_id, **data},
                blocking=True,
            )
        assert info.value.translation_placeholders["field"] == field
    assert await smsc.control.ping_events() == []


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        ({"message": "   \n\t"}, "message", "whitespace"),
        ({"message": "__CALL__: wake up"}, "message", "__CALL__"),
        ({"message": "  __viber__ hi"}, "message", "__VIBER__"),
        ({"message": "log: \x1b[2J cleared"}, "message", "control character"),
        ({"message": "x", "kind": "call", "dial_wait": 99}, "dial_wait", "10 to 35"),
        ({"message": "x", "kind": "call", "dial_wait": 5}, "dial_wait", "10 to 35"),
        ({"message": "x", "kind": "call", "dial_interval": 5}, "dial_interval", "10 to 3600"),
        ({"message": "x", "kind": "call", "dial_attempts": 0}, "dial_attempts", "1 to 9"),
        ({"message": "x", "recipients": [PHONE, "+7 999 123-45-67"]}, "recipients", "same"),
        ({"message": "x", "send_at": "2020-01-01 12:00:00"}, "send_at", "past"),
        ({"message": "x", "sender": "Home\nHacked"}, "sender", "control character"),
    ],
)
async def test_input_the_service_would_misread(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    field: str,
    rule: str,
) -> None:
    """pysmsc's rules, named by the action's fields: nothing is sent."""
    with pytest.raises(ServiceValidationError) as info:
        await _send(hass, loaded_entry, **data)
    assert info.value.translation_key == "invalid_field"
    assert info.value.translation_placeholders["field"] == field
    assert rule in info.value.translation_placeholders["rule"]
    assert await sent_messages(smsc) == []


@pytest.mark.parametrize(
    ("data", "field", "rule"),
    [
        ({"message": "  "}, "message", "whitespace"),
        ({"message": "__HLR__"}, "message", "__HLR__"),
        ({"message": "fine", "title": "__CALL__: ring"}, "title", "__CALL__"),
        ({"message": "fine", "title": "two\nlines"}, "title", "control character"),
    ],
)
async def test_notify_names_message_and_title(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    field: str,
    rule: str,
) -> None:
    """A notify entity checks the message and the title on their own, so that the error names
    the one at fault."""
    with pytest.raises(ServiceValidationError) as info:
        await hass.services.async_call(
            "notify", "send_message", {"entity_id": "notify.alice", **data}, blocking=True
        )
    assert info.value.translation_placeholders["field"] == field
    assert rule in info.value.translation_placeholders["rule"]
    assert await sent_messages(smsc) == []


async def test_a_blank_title_is_no_title(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A title of only spaces adds no empty first line."""
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": "notify.alice", "message": "Door open", "title": "  "},
        blocking=True,
    )
    [message] = await sent_messages(smsc)
    assert message["text"] == "Door open"


async def test_notify_event_texts_may_not_change_the_kind(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The task group's macros are texts of the service too."""
    with pytest.raises(ServiceValidationError) as info:
        await hass.services.async_call(
            DOMAIN,
            "notify_event",
            {"config_entry_id": loaded_entry.entry_id, "task_group": 1, "name": "__CALL__ x"},
            blocking=True,
        )
    assert info.value.translation_placeholders["field"] == "name"
    assert await smsc.control.ping_events() == []
