# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The paging actions in a real Home Assistant against the emulator.

End to end over the webhook: an SMS not delivered within deliver_within is followed by a call
with the voice menu; key 1, pressed on the emulator, reaches Home Assistant's webhook and
acknowledges the page; the waiting action answers who acknowledged, how, when and at what
cost; resolving sends one closing message. Over polling a reply acknowledges; without a
channel only the action does, and the texts say so. Pages survive a restart of the entry
without sending anything twice. The runner's time is a manual clock the tests move."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import Context, CoreState, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc import paging
from custom_components.smsc.const import (
    CONF_KIND,
    CONF_POLL_INTERVAL,
    CONF_POLLING,
    CONF_QUIET_HOURS,
    CONF_RECEIVE,
    CONF_RECIPIENTS,
    DOMAIN,
    RECEIVE_POLLING,
    SUBENTRY_RECIPIENT,
)
from custom_components.smsc.diagnostics import async_get_config_entry_diagnostics
from pysmsc.paging import ManualClock
from tests.conftest import EmulatorHandle

from .conftest import EMAIL, OTHER_PHONE, PHONE, sent_messages, until, webhook_options

PAGE_EVENT = "event.demo_page"
COMPONENT = Path(__file__).parents[2] / "custom_components" / "smsc"
REPORTS = "event.demo_delivery_report"


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    """The runners' clock, moved by the tests (one clock across reloads, as time is); in place
    before any entry is set up."""
    manual = ManualClock(start=time.time())
    monkeypatch.setattr(paging, "page_clock", lambda: manual)
    return manual


def _quiet_now() -> str:
    """Quiet hours around now, in UTC (the time zone of the tests that use them)."""
    now = datetime.now(UTC)
    return f"{now - timedelta(hours=1):%H:%M}-{now + timedelta(hours=2):%H:%M}"


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Alice (SMS) and Bob (a voice-call recipient, with quiet hours), and a mailbox."""

    def recipient(title: str, recipients: list[str], kind: str, **extra: Any) -> Any:
        return ConfigSubentryData(
            data={CONF_RECIPIENTS: recipients, CONF_KIND: kind, **extra},
            subentry_type=SUBENTRY_RECIPIENT,
            title=title,
            unique_id=None,
        )

    return [
        recipient("Alice", [PHONE], "sms"),
        recipient("Bob", [OTHER_PHONE], "call", **{CONF_QUIET_HOURS: _quiet_now()}),
        recipient("Mailbox", [EMAIL], "email", sender="ha@example.com"),
    ]


@pytest.fixture
async def slow_service(smsc: EmulatorHandle) -> EmulatorHandle:
    """Nothing is delivered by itself: statuses change only when a test says so."""
    await smsc.control.configure(status_delays=(3600, 3600))
    return smsc


def _page_data(entry: MockConfigEntry, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "config_entry_id": entry.entry_id,
        "key": "boiler",
        "message": "Boiler room: water leak",
        "contacts": ["Alice"],
        "deliver_within": {"minutes": 2},
        "ack_within": {"minutes": 5},
    }
    data.update(changes)
    return data


async def _call(hass: HomeAssistant, service: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True, **kwargs
    )


async def _count(hass: HomeAssistant, smsc: EmulatorHandle, count: int) -> list[dict[str, Any]]:
    """Wait until the emulator has ``count`` messages; them."""

    async def reached() -> bool:
        return len(await sent_messages(smsc)) >= count

    await until(hass, reached)
    messages = await sent_messages(smsc)
    assert len(messages) == count, [m["text"] for m in messages]
    return messages


class _Waiter:
    """A page action waiting for its outcome while the test plays the service."""

    def __init__(self, hass: HomeAssistant, data: dict[str, Any]) -> None:
        # Not a task of Home Assistant's: async_block_till_done would wait for it.
        self.task = asyncio.create_task(_call(hass, "page", data))

    async def __aenter__(self) -> _Waiter:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if not self.task.done():
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)


@pytest.mark.parametrize("entry_options", [webhook_options()])
async def test_page_acknowledged_by_key_press_over_the_webhook(
    hass: HomeAssistant,
    slow_service: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    callback_url: str,
    clock: ManualClock,
) -> None:
    """SMS; not delivered within 2 minutes: a call with the voice menu; key 1 on the emulator
    reaches the webhook; the action's response says who, how, when and at what cost; the
    resolution sends one closing message, then nothing more."""
    smsc = slow_service
    async with _Waiter(hass, _page_data(loaded_entry, wait={"minutes": 30})) as waiter:
        [sms] = await _count(hass, smsc, 1)
        assert sms["kind"] == "sms"
        assert str(sms["id"]).startswith("pg-")
        assert sms["text"].startswith("ALERT ")
        code = sms["text"].split()[1].rstrip(":")
        assert sms["text"] == f"ALERT {code}: Boiler room: water leak\nReply {code} to acknowledge"
        assert [p["phone"] for p in sms["phones"]] == [PHONE]
        page = hass.states.get(PAGE_EVENT)
        assert page is not None
        assert (page.attributes["event_type"], page.attributes["code"]) == ("opened", code)

        clock.advance(60)
        await hass.async_block_till_done()
        assert len(await sent_messages(smsc)) == 1  # not yet: deliver_within is 2 minutes
        clock.advance(61)
        _, call = await _count(hass, smsc, 2)
        assert call["kind"] == "call"
        assert call["menu"] is not None
        assert "Press 1 to acknowledge" in call["text"]
        assert [p["phone"] for p in call["phones"]] == [PHONE]

        await smsc.control.press_key(call["id"], PHONE, "1")
        calls = await smsc.control.flush_callbacks()
        assert ("keypress", "delivered") in [(c["kind"], c["state"]) for c in calls]
        response = await asyncio.wait_for(waiter.task, 10)

    assert response["key"] == "boiler"
    assert response["code"] == code
    assert response["phase"] == "acknowledged"
    assert response["acknowledged"] is True
    assert response["acknowledged_by"] == "Alice"
    assert response["acknowledged_via"] == "key_press"
    assert response["acknowledged_at"] is not None
    assert response["reached"] == ["Alice"]
    assert (response["messages"], response["calls"]) == (1, 1)
    assert response["cost"] == float(Decimal(sms["cost"]) + Decimal(call["cost"]))
    assert response["currency"] == "RUB"
    assert response["acknowledgement"] == ["key_press", "reply", "action"]
    assert (response["new"], response["waited_out"]) == (True, False)
    page = hass.states.get(PAGE_EVENT)
    assert page.attributes["event_type"] == "acknowledged"
    # Every attribute of the page event has a translated name.
    strings = json.loads((COMPONENT / "strings.json").read_text(encoding="utf-8"))
    named = strings["entity"]["event"]["page"]["state_attributes"]
    shown = set(page.attributes) - {"event_types", "friendly_name", "icon"}
    assert shown <= set(named), shown - set(named)
    # The statuses of the page's messages are the page's: no delivery report fired for them.
    assert hass.states.get(REPORTS).state == STATE_UNKNOWN

    resolved = await _call(
        hass, "resolve_page", {"config_entry_id": loaded_entry.entry_id, "key": "boiler"}
    )
    assert (resolved["phase"], resolved["found"]) == ("resolved", True)
    *_, closing = await _count(hass, smsc, 3)
    assert closing["text"].startswith(f"RESOLVED {code} after ")
    assert [p["phone"] for p in closing["phones"]] == [PHONE]
    assert hass.states.get(PAGE_EVENT).attributes["event_type"] == "resolved"
    clock.advance(3600)
    await asyncio.sleep(0.1)
    await hass.async_block_till_done()
    assert len(await sent_messages(smsc)) == 3
    # Resolving again changes nothing.
    again = await _call(
        hass, "resolve_page", {"config_entry_id": loaded_entry.entry_id, "key": "boiler"}
    )
    assert again == {"key": "boiler", "found": False}


@pytest.mark.parametrize(
    "entry_options", [{CONF_RECEIVE: RECEIVE_POLLING, CONF_POLLING: {CONF_POLL_INTERVAL: 10}}]
)
async def test_reply_acknowledges_over_polling(
    hass: HomeAssistant, slow_service: EmulatorHandle, loaded_entry: MockConfigEntry, clock: Any
) -> None:
    """Polling: the call says to reply by SMS (a key press would not reach Home Assistant);
    a reply with the code, fetched from get.php, acknowledges."""
    smsc = slow_service
    poller = loaded_entry.runtime_data.poller
    assert poller is not None
    response = await _call(hass, "page", _page_data(loaded_entry, contacts=[PHONE]))
    assert response["acknowledgement"] == ["reply", "action"]
    assert (response["phase"], response["new"]) == ("escalating", True)
    [sms] = await _count(hass, smsc, 1)
    code = response["code"]
    assert f"Reply {code} to acknowledge" in sms["text"]
    clock.advance(121)
    _, call = await _count(hass, smsc, 2)
    assert f"reply {code} by text message" in call["text"]
    assert "Press 1" not in call["text"]

    await smsc.control.receive(PHONE, f"{code.lower()} on it")
    await smsc.control.advance(6)
    await poller.async_refresh()
    await hass.async_block_till_done()
    page = hass.states.get(PAGE_EVENT)
    assert page.attributes["event_type"] == "acknowledged"
    assert page.attributes["acknowledged_via"] == "reply"
    assert page.attributes["acknowledged_by"] == PHONE


async def test_without_a_channel_only_the_action_acknowledges(
    hass: HomeAssistant,
    slow_service: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    clock: Any,
    hass_admin_user: Any,
) -> None:
    """No receiving channel: the SMS asks for no reply, the call says to acknowledge in Home
    Assistant; smsc.acknowledge_page acknowledges, as the user who called it."""
    smsc = slow_service
    response = await _call(hass, "page", _page_data(loaded_entry))
    assert response["acknowledgement"] == ["action"]
    [sms] = await _count(hass, smsc, 1)
    assert sms["text"] == f"ALERT {response['code']}: Boiler room: water leak"
    clock.advance(121)
    _, call = await _count(hass, smsc, 2)
    assert "Acknowledge it in Home Assistant" in call["text"]

    acknowledged = await _call(
        hass,
        "acknowledge_page",
        {"config_entry_id": loaded_entry.entry_id, "key": "boiler"},
        context=Context(user_id=hass_admin_user.id),
    )
    assert acknowledged["acknowledged_by"] == hass_admin_user.name
    assert acknowledged["acknowledged_via"] == "action"
    assert acknowledged["found"] is True
    # Alice, who was reached, is told who acknowledged; nothing else follows.
    *_, told = await _count(hass, smsc, 3)
    assert told["text"].startswith(f"{response['code']} acknowledged by {hass_admin_user.name}")
    clock.advance(3600)
    await asyncio.sleep(0.1)
    await hass.async_block_till_done()
    assert len(await sent_messages(smsc)) == 3

    with pytest.raises(ServiceValidationError) as refused:
        await _call(
            hass, "acknowledge_page", {"config_entry_id": loaded_entry.entry_id, "key": "x"}
        )
    assert refused.value.translation_key == "page_not_open"


async def test_pages_survive_a_restart(
    hass: HomeAssistant,
    slow_service: EmulatorHandle,
    config_entry: MockConfigEntry,
    clock: ManualClock,
    hass_storage: dict[str, Any],
) -> None:
    """A page open when the entry unloads is stored; set up again, it goes on where it was:
    nothing sent again, the call at its time, once."""
    smsc = slow_service
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await _call(hass, "page", _page_data(config_entry))
    await _count(hass, smsc, 1)
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    stored = hass_storage[f"smsc.{config_entry.entry_id}.paging"]["data"]
    [state] = stored["pages"].values()
    assert state["page"]["key"] == "boiler"

    clock.advance(30)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await asyncio.sleep(0.1)
    await hass.async_block_till_done()
    assert len(await sent_messages(smsc)) == 1
    clock.advance(91)
    await _count(hass, smsc, 2)
    clock.advance(10)
    await asyncio.sleep(0.1)
    await hass.async_block_till_done()
    assert len(await sent_messages(smsc)) == 2
    report = config_entry.runtime_data.runner.report("boiler")
    assert report is not None
    assert report.calls == 1
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_the_same_key_updates_the_open_page(
    hass: HomeAssistant, slow_service: EmulatorHandle, loaded_entry: MockConfigEntry, clock: Any
) -> None:
    """Paging an open key again pages nobody: the page takes the new text (for its later
    messages)."""
    first = await _call(hass, "page", _page_data(loaded_entry))
    second = await _call(hass, "page", _page_data(loaded_entry, message="Boiler room: flooded"))
    assert second["code"] == first["code"]
    assert second["new"] is False
    await _count(hass, slow_service, 1)
    clock.advance(121)
    _, call = await _count(hass, slow_service, 2)
    assert "Boiler room: flooded" in call["text"]


async def test_quiet_hours_and_recipients(
    hass: HomeAssistant,
    slow_service: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Bob (by his notify entity) is in his quiet hours: Alice is paged first, and Bob is
    reported skipped; a contact given as a mapping has its own name, made unique; each number
    once."""
    await hass.config.async_update(time_zone="UTC")
    response = await _call(
        hass,
        "page",
        _page_data(
            loaded_entry,
            contacts=[
                "notify.bob",
                "alice",
                {"phone": f"+{PHONE}", "name": "Alice again"},
                {"phone": "+79990000003", "name": "Bob"},
            ],
        ),
    )
    [sms] = await _count(hass, slow_service, 1)
    assert [p["phone"] for p in sms["phones"]] == [PHONE]
    assert response["skipped"] == ["Bob"]
    [stored] = hass_storage[f"smsc.{loaded_entry.entry_id}.paging"]["data"]["pages"].values()
    contacts = [(c["name"], c["phone"]) for c in stored["page"]["contacts"]]
    assert contacts == [("Bob", OTHER_PHONE), ("Alice", PHONE), ("Bob (2)", "+79990000003")]


async def test_waiting_ends_and_the_page_goes_on(
    hass: HomeAssistant, slow_service: EmulatorHandle, loaded_entry: MockConfigEntry, clock: Any
) -> None:
    """A wait that ends before the page does answers "still escalating"; the page goes on."""
    response = await _call(hass, "page", _page_data(loaded_entry, wait={"seconds": 1}))
    assert (response["phase"], response["waited_out"]) == ("escalating", True)
    clock.advance(121)
    await _count(hass, slow_service, 2)


async def test_a_wait_cut_short_by_unloading(
    hass: HomeAssistant, slow_service: EmulatorHandle, loaded_entry: MockConfigEntry, clock: Any
) -> None:
    """The entry unloads while an action waits: the action fails saying the page is stored
    and goes on later."""
    async with _Waiter(hass, _page_data(loaded_entry, wait={"minutes": 10})) as waiter:
        await _count(hass, slow_service, 1)
        assert await hass.config_entries.async_unload(loaded_entry.entry_id)
        with pytest.raises(HomeAssistantError) as interrupted:
            await asyncio.wait_for(waiter.task, 10)
    assert interrupted.value.translation_key == "page_wait_interrupted"


async def test_russian_texts(
    hass: HomeAssistant, slow_service: EmulatorHandle, loaded_entry: MockConfigEntry, clock: Any
) -> None:
    """In Russian (the action's language, or Home Assistant's)."""
    response = await _call(
        hass, "page", _page_data(loaded_entry, language="ru", message="Протечка в котельной")
    )
    [sms] = await _count(hass, slow_service, 1)
    assert sms["text"].startswith(f"ТРЕВОГА {response['code']}: Протечка в котельной")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contacts": ["Nobody"]}, "contacts"),
        ({"contacts": ["Mailbox"]}, "contacts"),
        ({"contacts": ["notify.unknown"]}, "contacts"),
        ({"contacts": [{"name": "X"}]}, "contacts"),
        ({"contacts": [{"phone": PHONE, "pager": "1"}]}, "contacts"),
        ({"contacts": [{"phone": "12"}]}, "contacts"),
        ({"contacts": []}, "contacts"),
        ({"quiet_hours": "late"}, "quiet_hours"),
        ({"wait": {"hours": 2}}, "wait"),
        ({"deliver_within": {"seconds": -5}}, "deliver_within"),
        ({"answer_within": {"seconds": 5}}, "answer_within"),
        ({"rounds": 0}, "rounds"),
        ({"rounds": 11}, "rounds"),
        ({"rounds": 1.5}, "rounds"),
        ({"max_parts": 11}, "max_parts"),
        ({"max_cost": 0}, "max_cost"),
        ({"kind": "email"}, "kind"),
        ({"message": "   "}, "message"),
        ({"message": ["a", "b"]}, "message"),
        ({"key": ""}, "key"),
        ({"report_to": ["x"]}, "report_to"),
    ],
)
async def test_bad_input_names_the_field(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    changes: dict[str, Any],
    field: str,
) -> None:
    """Bad input is refused before anything is sent, with an error naming the field."""
    with pytest.raises(ServiceValidationError) as refused:
        await _call(hass, "page", _page_data(loaded_entry, **changes))
    placeholders = refused.value.translation_placeholders or {}
    assert placeholders.get("field") == field, placeholders
    assert await sent_messages(smsc) == []


async def test_a_stored_file_is_read_as_far_as_it_can_be(
    hass: HomeAssistant, hass_storage: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged store (edited by hand, written by a future release) loses only what cannot
    be read, with a warning; the rest is kept."""
    hass_storage["smsc.e1.paging"] = {
        "version": 1,
        "minor_version": 1,
        "key": "smsc.e1.paging",
        "data": {
            "pages": {"t1": {"format": 99}, "t2": "not a page"},
            "cursors": {"incoming": 7, "bad": "x", "flag": True},
            "spend": [[1000.0, "2.50"], ["x"], [2000.0, "abc"], 5],
        },
    }
    store = paging.HassPageStore(hass, "e1")
    assert await store.load() == []
    assert "Dropping a stored page that cannot be read" in caplog.text
    assert await store.load_cursor("incoming") == 7
    assert await store.load_cursor("bad") is None
    assert await store.spending(0) == [(1000.0, Decimal("2.50"))]
    await store.save(cursors={"incoming": 8})
    data = hass_storage["smsc.e1.paging"]["data"]
    assert data == {"pages": {}, "cursors": {"incoming": 8}, "spend": [[1000.0, "2.50"]]}

    hass_storage["smsc.e2.paging"] = {"version": 1, "key": "smsc.e2.paging", "data": "nonsense"}
    assert await paging.HassPageStore(hass, "e2").load() == []


async def test_a_waiting_action_can_be_cancelled(
    hass: HomeAssistant, slow_service: EmulatorHandle, loaded_entry: MockConfigEntry, clock: Any
) -> None:
    """An automation stopped while its page action waits: the action is cancelled, the page
    goes on."""
    async with _Waiter(hass, _page_data(loaded_entry, wait={"minutes": 10})) as waiter:
        await _count(hass, slow_service, 1)
        waiter.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter.task
    report = loaded_entry.runtime_data.runner.report("boiler")
    assert report is not None
    assert report.phase == "escalating"


async def test_diagnostics_show_pages_without_people(
    hass: HomeAssistant, slow_service: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """Diagnostics show how pages stand and the runner's counters, not who was paged, the
    key or the text."""
    response = await _call(hass, "page", _page_data(loaded_entry, key="secret-key"))
    await _count(hass, slow_service, 1)
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    [page] = diagnostics["pages"]
    assert (page["code"], page["phase"], page["reached"]) == (response["code"], "escalating", 1)
    assert diagnostics["paging"]["pages_opened"] == 1
    text = json.dumps(diagnostics, default=str)
    for private in (PHONE, "Alice", "secret-key", "water leak"):
        assert private not in text, private


async def test_nothing_is_sent_while_home_assistant_stops(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry
) -> None:
    """While Home Assistant stops, its store would write pages only at its final write: a page
    is refused rather than sent with its state not yet on disk."""
    hass.set_state(CoreState.stopping)
    try:
        with pytest.raises(HomeAssistantError) as refused:
            await _call(hass, "page", _page_data(loaded_entry))
        assert refused.value.translation_key == "stopping"
    finally:
        hass.set_state(CoreState.running)
    await asyncio.sleep(0.1)
    assert await sent_messages(smsc) == []
    assert loaded_entry.runtime_data.runner.report("boiler") is None


async def test_an_alert_text_cannot_command_the_service(
    hass: HomeAssistant, slow_service: EmulatorHandle, loaded_entry: MockConfigEntry, clock: Any
) -> None:
    """Alert texts carry log lines: a service prefix, a voice-menu macro or a file macro in
    them is made harmless, in the SMS and in the call (whose menu keeps only its own keys)."""
    hostile = "__CALL__: {menu: x\n1: call:79000000000} <file http://evil/x.wav> ~~~"
    response = await _call(hass, "page", _page_data(loaded_entry, message=hostile))
    [sms] = await _count(hass, slow_service, 1)
    assert sms["kind"] == "sms"
    assert sms["text"].startswith(f"ALERT {response['code']}: _CALL__: (menu: x")
    for macro in ("{", "}", "<file", "~~~"):
        assert macro not in sms["text"]
    clock.advance(121)
    _, call = await _count(hass, slow_service, 2)
    assert call["kind"] == "call"
    items = call["menu"]["items"]
    assert sorted(items) == ["#", "1", "2"], items
    kinds = {action["kind"] for actions in items.values() for action in actions}
    assert kinds == {"start", "url", "say", "end"}  # no call: command came from the text


@pytest.mark.parametrize("entry_options", [webhook_options()])
async def test_an_undeliverable_sms_reported_by_the_webhook_calls_at_once(
    hass: HomeAssistant,
    slow_service: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    callback_url: str,
) -> None:
    """The service reports the SMS undeliverable through the webhook: the call follows at
    once, without waiting for deliver_within."""
    smsc = slow_service
    await _call(hass, "page", _page_data(loaded_entry))
    [sms] = await _count(hass, smsc, 1)
    await smsc.control.set_status(sms["id"], PHONE, 20, err=6)
    await smsc.control.flush_callbacks()
    _, call = await _count(hass, smsc, 2)
    assert call["kind"] == "call"
    assert [p["phone"] for p in call["phones"]] == [PHONE]
