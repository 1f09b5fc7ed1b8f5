# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Notify entities of the recipient subentries, sending through the emulator."""

from __future__ import annotations

import pytest
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import (
    CONF_KIND,
    CONF_RECIPIENTS,
    CONF_SENDER,
    SUBENTRY_RECIPIENT,
)
from tests.conftest import EmulatorHandle

from .conftest import EMAIL, OTHER_PHONE, PHONE, register_sender, sent_messages


def _recipient(title: str, recipients: list[str], kind: str, **extra: str) -> ConfigSubentryData:
    return ConfigSubentryData(
        data={CONF_RECIPIENTS: recipients, CONF_KIND: kind, **extra},
        subentry_type=SUBENTRY_RECIPIENT,
        title=title,
        unique_id=None,
    )


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Recipients of several kinds."""
    return [
        _recipient("Alice", [PHONE], "sms"),
        _recipient("Team", [PHONE, OTHER_PHONE], "sms", sender="Alerts"),
        _recipient("Mailbox", [EMAIL], "mail", sender="home@example.com"),
        _recipient("Picture", [PHONE], "mms"),
        _recipient("Caller", [PHONE], "call"),
    ]


@pytest.fixture
def entry_options() -> dict[str, str]:
    """A default sender name."""
    return {CONF_SENDER: "Home"}


async def _notify(hass: HomeAssistant, entity_id: str, message: str, title: str | None = None):
    data = {"entity_id": entity_id, "message": message}
    if title is not None:
        data["title"] = title
    await hass.services.async_call("notify", "send_message", data, blocking=True)


async def test_sms_with_title_and_default_sender(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """The title goes on a line before the message; the options' sender is used."""
    await register_sender(smsc, "Home")
    state = hass.states.get("notify.alice")
    assert state is not None
    assert state.attributes["supported_features"] == 1

    await _notify(hass, "notify.alice", "Water leak in the basement", title="Alarm")
    [message] = await sent_messages(smsc)
    assert message["text"] == "Alarm\nWater leak in the basement"
    assert message["sender"] == "Home"
    assert [phone["phone"] for phone in message["phones"]] == [PHONE]
    assert hass.states.get("notify.alice").state != "unknown"


async def test_recipient_sender_wins(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """A recipient's own sender; several numbers in one message."""
    await register_sender(smsc, "Alerts")
    await _notify(hass, "notify.team", "Door open")
    [message] = await sent_messages(smsc)
    assert message["text"] == "Door open"
    assert message["sender"] == "Alerts"
    assert sorted(phone["phone"] for phone in message["phones"]) == sorted([PHONE, OTHER_PHONE])


async def test_mail_subject(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """For e-mail the title is the subject, with a default; the default sender is not used."""
    await _notify(hass, "notify.mailbox", "Report attached", title="Weekly report")
    await _notify(hass, "notify.mailbox", "No title here")
    first, second = await sent_messages(smsc)
    assert (first["kind"], first["subject"], first["text"]) == (
        "mail",
        "Weekly report",
        "Report attached",
    )
    assert first["sender"] == "home@example.com"
    assert second["subject"] == "Home Assistant"


async def test_mms_and_call(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """An MMS takes the title as its subject; a call has no sender name from the options."""
    await register_sender(smsc, "Home")
    await _notify(hass, "notify.picture", "Look", title="Camera")
    await _notify(hass, "notify.picture", "Look again")
    await _notify(hass, "notify.caller", "The alarm went off", title="Alarm")
    mms, mms_plain, call = await sent_messages(smsc)
    assert (mms["kind"], mms["subject"], mms["text"]) == ("mms", "Camera", "Look")
    assert mms_plain["subject"] == ""
    assert call["kind"] == "call"
    assert call["text"] == "Alarm\nThe alarm went off"


async def test_service_error_is_translated(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Not enough money: a HomeAssistantError with the translated reason."""
    await register_sender(smsc, "Home")
    await smsc.control.set_balance("0")
    with pytest.raises(HomeAssistantError) as info:
        await _notify(hass, "notify.alice", "No money for this one")
    assert info.value.translation_key == "not_sent_insufficient_funds"
    assert str(info.value) == "Not sent: not enough money on the account"
