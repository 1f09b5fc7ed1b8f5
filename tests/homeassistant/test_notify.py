# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Notify entities of the recipient subentries, sending through the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc import notify
from custom_components.smsc.const import (
    CONF_KIND,
    CONF_RECIPIENTS,
    CONF_SENDER,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from custom_components.smsc.fanout import NotifyCalls
from custom_components.smsc.helpers import async_send, translate_error
from pysmsc import InsufficientFundsError, MessageKind, SmscError, TransportError
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
        _recipient("Alice at work", ["+7 999 123-45-67"], "sms"),
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


async def test_recipient_devices_have_readable_models(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """The device of a recipient says how messages reach it, in words."""
    models = {}
    for subentry in loaded_entry.subentries.values():
        device = device_registry.async_get_device({(DOMAIN, subentry.subentry_id)})
        assert device is not None
        models[subentry.title] = (device.model, device.model_id)
    assert models == {
        "Alice": ("SMS", "sms"),
        "Team": ("SMS", "sms"),
        "Mailbox": ("E-mail", "email"),
        "Picture": ("MMS", "mms"),
        "Caller": ("Voice call", "call"),
        "Alice at work": ("SMS", "sms"),
    }


def _reached(messages: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted(
        (message["kind"], phone["phone"]) for message in messages for phone in message["phones"]
    )


async def test_one_call_reaches_each_number_once(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Alice is in "Alice" and in "Team": a call to both sends her one SMS (and her voice call,
    another kind, still rings). Two calls are two messages, even under one context (two steps
    of one automation run)."""
    await register_sender(smsc, "Home")
    await register_sender(smsc, "Alerts")
    context = Context()
    targets = ["notify.alice", "notify.team", "notify.caller", "notify.alice_at_work"]
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": targets, "message": "Smoke in the kitchen"},
        blocking=True,
        context=context,
    )
    assert _reached(await sent_messages(smsc)) == sorted(
        [("call", PHONE), ("sms", OTHER_PHONE), ("sms", PHONE)]
    )
    await smsc.control.reset()
    await register_sender(smsc, "Home")
    await register_sender(smsc, "Alerts")
    await hass.services.async_call(
        "notify",
        "send_message",
        {"entity_id": ["notify.alice", "notify.team"], "message": "Still smoke"},
        blocking=True,
        context=context,
    )
    assert _reached(await sent_messages(smsc)) == sorted([("sms", OTHER_PHONE), ("sms", PHONE)])


@pytest.mark.parametrize(
    ("error", "released"),
    [
        # Surely not sent: the other target still reaches the shared recipient.
        (InsufficientFundsError("send.php", 3, "insufficient funds"), True),
        # May have been sent: the shared recipient is not sent a second copy.
        (TransportError("no answer", maybe_received=True, sends_message=True), False),
    ],
)
async def test_a_failed_target_gives_back_only_what_surely_was_not_sent(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    error: SmscError,
    released: bool,
) -> None:
    """Alice is in "Alice" and in "Team". Whichever goes first fails (Home Assistant picks the
    order); the call fails, and whether the other still sends to Alice depends on whether the
    failed message may have gone out."""
    await register_sender(smsc, "Home")
    await register_sender(smsc, "Alerts")
    own = {"alice": [PHONE], "team": [PHONE, OTHER_PHONE]}
    calls: list[list[str]] = []

    async def send(
        hass: HomeAssistant, entry: Any, to: list[str], *args: Any, **kwargs: Any
    ) -> Any:
        calls.append(list(to))
        if len(calls) == 1:
            raise translate_error(hass, error, entry, sending=True) from error
        return await async_send(hass, entry, to, *args, **kwargs)

    monkeypatch.setattr(notify, "async_send", send)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            "notify",
            "send_message",
            {"entity_id": ["notify.alice", "notify.team"], "message": "Fire"},
            blocking=True,
        )
    first = "alice" if calls[0] == own["alice"] else "team"
    assert calls[0] == own[first]
    second = own["team" if first == "alice" else "alice"]
    expected = second if released else [item for item in second if item not in own[first]]
    messages = await sent_messages(smsc)
    assert sorted(phone["phone"] for m in messages for phone in m["phones"]) == sorted(expected)


async def test_outside_notify_send_message_nothing_is_shared(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Called directly (not through notify.send_message), an entity sends to its recipients,
    each once."""
    entity = hass.data["entity_components"]["notify"].get_entity("notify.team")
    await register_sender(smsc, "Alerts")
    await entity.async_send_message("Direct")
    assert _reached(await sent_messages(smsc)) == sorted([("sms", OTHER_PHONE), ("sms", PHONE)])


def test_calls_are_forgotten_in_time() -> None:
    """Only the latest calls are remembered; an older call's entities share nothing."""
    calls = NotifyCalls()
    contexts = [Context() for _ in range(70)]
    for context in contexts:
        calls.async_call_started(Event("call_service", {}, context=context))
    kind = MessageKind.SMS
    assert calls.async_claim(contexts[-1], kind, [PHONE]).recipients == [PHONE]
    assert calls.async_claim(contexts[-1], kind, [PHONE]).recipients == []
    assert calls.async_claim(contexts[0], kind, [PHONE]).recipients == [PHONE]
    assert calls.async_claim(contexts[0], kind, [PHONE]).recipients == [PHONE]
    assert calls.async_claim(None, kind, [PHONE, "+" + PHONE]).recipients == [PHONE]
