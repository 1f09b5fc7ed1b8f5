# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The webhook, the real way: the emulator's account names the webhook's URL on Home
Assistant's own HTTP server (on loopback) as its HTTP handler, and calls it as the service
would on every status change and incoming message. Garbage is refused without a traceback,
another webhook ID reaches nothing, and the webhook ID never shows in what the integration
logs or shows."""

from __future__ import annotations

import json
import logging
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from aiohttp.test_utils import TestClient
from homeassistant.components import webhook
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import DOMAIN, signal_incoming, webhook_issue_id
from custom_components.smsc.diagnostics import async_get_config_entry_diagnostics
from custom_components.smsc.models import IncomingMessage
from custom_components.smsc.webhook import async_create_setup_issue
from tests.conftest import EmulatorHandle

from .conftest import PHONE, WEBHOOK_ID, sent_messages, state_of, webhook_options

INCOMING = "event.demo_incoming_message"
REPORTS = "event.demo_delivery_report"
STATUS = "sensor.demo_last_message_status"
PATH = f"/api/webhook/{WEBHOOK_ID}"
OUR_NUMBER = "79000000000"


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Every entry here receives through the webhook."""
    return webhook_options()


async def _flush(hass: HomeAssistant, smsc: EmulatorHandle) -> list[dict[str, Any]]:
    """Wait until the emulator has made every call to the handler; the calls."""
    calls: list[dict[str, Any]] = await smsc.control.flush_callbacks()
    await hass.async_block_till_done()
    return calls


def _our_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the integration and the library logged (Home Assistant's own webhook component
    logs the ID of a webhook at debug level; that is not ours to change)."""
    return [
        record
        for record in caplog.records
        if record.name.startswith(("custom_components.smsc", "pysmsc"))
    ]


async def test_status_calls_fire_reports_and_update_the_sensor(
    hass: HomeAssistant,
    smsc: EmulatorHandle,
    loaded_entry: MockConfigEntry,
    callback_url: str,
    webhook_client: TestClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A status change of a sent message reaches the delivery-report entity and the
    last-message sensors, as an SMPP receipt does; the setup repair issue closes."""
    caplog.set_level(logging.DEBUG)
    async_create_setup_issue(hass, loaded_entry.entry_id, loaded_entry.title)
    assert state_of(hass, REPORTS) == STATE_UNKNOWN
    await hass.services.async_call(
        "notify", "send_message", {"entity_id": "notify.alice", "message": "Hi"}, blocking=True
    )
    [message] = await sent_messages(smsc)
    await smsc.control.set_status(message["id"], PHONE, 1)
    calls = await _flush(hass, smsc)
    assert [(call["kind"], call["state"]) for call in calls][-1] == ("status", "delivered")

    state = hass.states.get(REPORTS)
    assert state is not None
    assert state.attributes["event_type"] == "delivered"
    assert state.attributes["id"] == str(message["id"])
    assert state.attributes["phone"] == PHONE
    assert state.attributes["cost"] == float(message["cost"])
    assert state_of(hass, STATUS) == "delivered"
    assert (
        ir.async_get(hass).async_get_issue(DOMAIN, webhook_issue_id(loaded_entry.entry_id)) is None
    )
    # Statuses are pushed now: the last message's status is only polled as a safety net.
    assert loaded_entry.runtime_data.tracker.pushed == {"http"}

    # A status the service does not document fires nothing, and is still answered OK.
    before = hass.states.get(REPORTS)
    answer = await webhook_client.post(
        PATH, data={"id": "77", "phone": PHONE, "status": "99", "err": "0"}
    )
    assert (answer.status, await answer.text()) == (200, "OK")
    assert hass.states.get(REPORTS) == before

    for record in _our_records(caplog):
        assert WEBHOOK_ID not in record.getMessage()
        assert record.exc_info is None


async def test_incoming_message_fires_the_entity(
    hass: HomeAssistant, smsc: EmulatorHandle, loaded_entry: MockConfigEntry, callback_url: str
) -> None:
    """An incoming message fires the incoming-message entity, with the service's ID."""
    stored = await smsc.control.receive(PHONE, "Open the gate", to=OUR_NUMBER)
    await _flush(hass, smsc)
    state = hass.states.get(INCOMING)
    assert state is not None
    assert state.attributes["event_type"] == "received"
    assert state.attributes["sender"] == PHONE
    assert state.attributes["text"] == "Open the gate"
    assert state.attributes["to"] == OUR_NUMBER
    assert state.attributes["id"] == str(stored["id"])
    assert state.attributes["channel"] == "webhook"
    assert state.attributes["parts"] is None
    assert state.attributes["complete"] is True
    assert loaded_entry.runtime_data.webhook is not None
    assert loaded_entry.runtime_data.webhook.calls == 1


@pytest.mark.parametrize(
    ("body", "headers", "status", "reason"),
    [
        (
            b"\xff\xfe\x00garbage",
            {"Content-Type": "application/x-www-form-urlencoded"},
            400,
            "body",
        ),
        (b"[1, 2]", {"Content-Type": "application/json"}, 400, "JSON object"),
        (b"{not json", {"Content-Type": "application/json"}, 400, "not valid JSON"),
        (b"id=1&phone=79991234567&status=abc", {}, 400, "status: must be an integer"),
        (b"phone=79991234567&mes=hi", {}, 400, "id: is required"),
        (b"id=%3Cscript%3E&phone=1&key=1", {}, 400, "id: must be a message id"),
        (b"x" * 20000, {}, 413, "Payload Too Large"),
    ],
)
async def test_garbage_is_refused(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    webhook_client: TestClient,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    headers: dict[str, str],
    status: int,
    reason: str,
) -> None:
    """A call that is not one of the service's gets a 4xx naming what is wrong, fires nothing,
    and logs no traceback."""
    answer = await webhook_client.post(PATH, data=body, headers=headers)
    assert answer.status == status
    assert reason in await answer.text()
    assert state_of(hass, INCOMING) == STATE_UNKNOWN
    assert state_of(hass, REPORTS) == STATE_UNKNOWN
    assert not [record for record in _our_records(caplog) if record.levelno >= logging.WARNING]
    assert "Traceback" not in caplog.text
    assert loaded_entry.runtime_data.webhook is not None
    assert loaded_entry.runtime_data.webhook.refused == 1


async def test_a_huge_body_is_not_read_whole(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, webhook_client: TestClient
) -> None:
    """A body sent in chunks without a length is refused once it passes the limit."""

    async def chunks() -> Any:
        for _ in range(1000):
            yield b"y" * 1024

    answer = await webhook_client.post(PATH, data=chunks())
    assert answer.status == 413
    assert state_of(hass, INCOMING) == STATE_UNKNOWN


async def test_methods(hass: HomeAssistant, webhook_client: TestClient) -> None:
    """GET carries the fields in the query; other methods are refused by Home Assistant."""
    answer = await webhook_client.get(f"{PATH}?id=9&phone={PHONE}&mes=hello")
    assert (answer.status, await answer.text()) == (200, "OK")
    assert hass.states.get(INCOMING).attributes["text"] == "hello"
    # A call of a kind the library does not know (an incoming call...) is answered OK.
    answer = await webhook_client.post(PATH, data={"id": "1", "phone": PHONE, "call": "1"})
    assert (answer.status, await answer.text()) == (200, "OK")
    answer = await webhook_client.put(PATH, data={"id": "1"})
    assert answer.status == 405


async def test_another_id_reaches_nothing(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, webhook_client: TestClient
) -> None:
    """A webhook ID that is not the entry's reaches nothing. Home Assistant answers 200 with an
    empty body to any unknown webhook (so as not to tell which exist): not the service's "OK",
    so the service would keep trying, and nothing happens."""
    wrong = f"/api/webhook/{WEBHOOK_ID[:-1]}0"
    answer = await webhook_client.post(wrong, data={"id": "9", "phone": PHONE, "mes": "hi"})
    assert answer.status == 200
    assert await answer.text() == ""
    assert state_of(hass, INCOMING) == STATE_UNKNOWN
    assert loaded_entry.runtime_data.webhook is not None
    assert loaded_entry.runtime_data.webhook.calls == 0


async def test_a_call_that_cannot_be_stored_is_asked_again(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, webhook_client: TestClient
) -> None:
    """When the pages cannot take a call, the answer is 503 (the service tries again) and
    nothing fires; once they can, the same call is taken."""
    fields = {"id": "9", "phone": PHONE, "mes": "ack"}
    runner = loaded_entry.runtime_data.runner
    with patch.object(runner, "feed", AsyncMock(side_effect=OSError("disk full"))):
        answer = await webhook_client.post(PATH, data=fields)
    assert answer.status == 503
    assert state_of(hass, INCOMING) == STATE_UNKNOWN
    answer = await webhook_client.post(PATH, data=fields)
    assert (answer.status, await answer.text()) == (200, "OK")
    assert hass.states.get(INCOMING).attributes["text"] == "ack"


async def test_a_bug_answers_500_without_the_id(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    webhook_client: TestClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unexpected failure is logged by the integration (without the ID) and answered 500,
    so that Home Assistant's webhook component does not log it with the ID."""
    hook = loaded_entry.runtime_data.webhook
    assert hook is not None
    with patch.object(hook._handler, "handle", AsyncMock(side_effect=RuntimeError("bug"))):
        answer = await webhook_client.post(PATH, data={"id": "1", "phone": PHONE, "mes": "x"})
    assert answer.status == 500
    [record] = [r for r in _our_records(caplog) if r.levelno >= logging.ERROR]
    assert "failed" in record.getMessage()
    assert WEBHOOK_ID not in record.getMessage()
    # Home Assistant's webhook component did not see an exception (it would log the ID).
    component = [r for r in caplog.records if r.name == "homeassistant.components.webhook"]
    assert not [r for r in component if r.levelno >= logging.ERROR]


async def test_json_calls(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, webhook_client: TestClient
) -> None:
    """With fmt=3 in the URL the service sends JSON with the same keys."""
    answer = await webhook_client.post(
        f"{PATH}?fmt=3",
        data=json.dumps({"id": 12, "phone": PHONE, "mes": "JSON", "to": OUR_NUMBER}),
        headers={"Content-Type": "application/json"},
    )
    assert (answer.status, await answer.text()) == (200, "OK")
    assert hass.states.get(INCOMING).attributes["id"] == "12"


async def test_unload_unregisters(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, webhook_client: TestClient
) -> None:
    """Once the entry unloads, the webhook reaches nothing."""
    assert WEBHOOK_ID in hass.data[webhook.DOMAIN]
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    assert WEBHOOK_ID not in hass.data[webhook.DOMAIN]
    answer = await webhook_client.post(PATH, data={"id": "9", "phone": PHONE, "mes": "hi"})
    assert await answer.text() == ""


async def test_diagnostics_hide_the_webhook(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, webhook_client: TestClient
) -> None:
    """Diagnostics tell whether the webhook is called, never its ID or URL."""
    await webhook_client.post(PATH, data={"id": "9", "phone": PHONE, "mes": "hi"})
    await webhook_client.post(PATH, data=b"\xff")
    diagnostics = await async_get_config_entry_diagnostics(hass, loaded_entry)
    text = json.dumps(diagnostics, default=str)
    assert WEBHOOK_ID not in text
    assert diagnostics["receive"] == "webhook"
    assert diagnostics["entry"]["options"]["webhook"]["webhook_id"] == "**REDACTED**"
    hook = diagnostics["webhook"]
    assert (hook["registered"], hook["calls"], hook["refused"]) == (True, 1, 1)
    assert hook["cloudhook"] is False
    assert WEBHOOK_ID not in repr(loaded_entry.runtime_data.webhook)


@pytest.mark.parametrize("entry_options", [{"receive": "webhook"}])
async def test_webhook_chosen_without_an_id(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """Options that choose the webhook without one (stored by other means): the entities exist,
    unavailable; the log says what to do."""
    assert loaded_entry.runtime_data.webhook is None
    assert state_of(hass, INCOMING) == STATE_UNAVAILABLE
    assert state_of(hass, REPORTS) == STATE_UNAVAILABLE
    messages = [record.getMessage() for record in caplog.get_records("setup")]
    assert any("choose the webhook again in the options" in text for text in messages)


async def test_a_call_made_again_fires_once(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, webhook_client: TestClient
) -> None:
    """The service calls again when our "OK" was lost on the way back: the same incoming
    message is answered OK again and fires once; another one fires."""
    fired: list[IncomingMessage] = []

    @callback
    def take(message: IncomingMessage) -> None:
        fired.append(message)

    async_dispatcher_connect(hass, signal_incoming(loaded_entry.entry_id), take)
    fields = {"id": "41", "phone": PHONE, "mes": "open the gate", "to": OUR_NUMBER}
    for _ in range(2):
        answer = await webhook_client.post(PATH, data=fields)
        assert (answer.status, await answer.text()) == (200, "OK")
    await webhook_client.post(PATH, data={**fields, "id": "42"})
    assert [message.message_id for message in fired] == ["41", "42"]


@pytest.mark.parametrize(
    ("body", "text"),
    [
        # The service's default charset is windows-1251; an account may choose UTF-8.
        (b"id=51&phone=79991234567&mes=%CF%F0%E8%E2%E5%F2", "Привет"),
        (b"id=52&phone=79991234567&mes=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82", "Привет"),
    ],
)
async def test_cyrillic_in_either_charset(
    hass: HomeAssistant, webhook_client: TestClient, body: bytes, text: str
) -> None:
    """An incoming SMS in Cyrillic arrives as text whichever charset the account uses."""
    answer = await webhook_client.post(
        PATH, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert (answer.status, await answer.text()) == (200, "OK")
    assert hass.states.get(INCOMING).attributes["text"] == text
