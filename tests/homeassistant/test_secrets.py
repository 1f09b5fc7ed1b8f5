# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""No secret of an entry reaches an error, a log line, a form or the diagnostics, in any
encoding, even from a server that quotes the request back (a proxy's error page, a misbehaving
gateway). The password holds characters that urlencoding, HTML, JSON and repr() all change."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
import voluptuous_serialize
from aiohttp import web
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigSubentryData
from homeassistant.const import CONF_API_KEY, CONF_PASSWORD
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc.const import (
    CONF_KIND,
    CONF_LOGIN,
    CONF_RECIPIENTS,
    CONF_SMPP,
    CONF_SMPP_BIND,
    CONF_SMPP_ENABLED,
    CONF_SMPP_HOST,
    CONF_SMPP_LOGIN,
    CONF_SMPP_PASSWORD,
    CONF_SMPP_PORT,
    CONF_SMPP_TLS,
    CONF_URL,
    DOMAIN,
    SUBENTRY_RECIPIENT,
)
from custom_components.smsc.diagnostics import async_get_config_entry_diagnostics
from custom_components.smsc.helpers import translate_error
from custom_components.smsc.receiver import SmscReceiver
from pysmsc import SmscError, TransportError
from tests.unit.test_redact import NASTY, encodings

from .conftest import PHONE, wait_for

API_KEY = f"API-KEY-{NASTY}"
# SMPP passwords are ASCII: the characters of NASTY that are.
SMPP_NASTY = "s&p w+d%=\"'<>/\\"


@pytest.fixture
def echo_balance() -> bool:
    """Whether the echoing server quotes balance.php too (parametrize to change)."""
    return False


@pytest.fixture(params=[200, 502])
async def echo_url(
    request: pytest.FixtureRequest, socket_enabled: None, echo_balance: bool
) -> AsyncIterator[str]:
    """A server that quotes every request back in an HTML page (with status 200 or 502),
    except balance.php unless ``echo_balance``: it answers a balance, so that an entry loads."""

    async def handle(incoming: web.Request) -> web.Response:
        body = await incoming.text()
        if incoming.path.endswith("/balance.php") and not echo_balance:
            return web.json_response({"balance": "100.00", "currency": "RUB"})
        page = f"<html><h1>Bad gateway</h1><pre>{html.escape(body)}</pre>{body}</html>"
        return web.Response(text=page, content_type="text/html", status=request.param)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}"
    await runner.cleanup()


def _assert_clean(*texts: object) -> None:
    for text in texts:
        for secret in (NASTY, SMPP_NASTY):
            for echoed in encodings(secret):
                assert echoed not in str(text), text
        assert "API-KEY-" not in str(text)


def _error_texts(err: HomeAssistantError) -> list[object]:
    return [
        str(err),
        repr(err),
        *err.args,
        *(err.translation_placeholders or {}).values(),
    ]


@pytest.fixture(params=["password", "api_key"])
def credentials(request: pytest.FixtureRequest) -> dict[str, str]:
    """An entry signed in with a login and password, or with an API key."""
    if request.param == "password":
        return {CONF_LOGIN: "ops", CONF_PASSWORD: NASTY}
    return {CONF_API_KEY: API_KEY}


@pytest.fixture
async def echo_entry(
    hass: HomeAssistant, echo_url: str, credentials: dict[str, str], unused_url: str
) -> AsyncIterator[MockConfigEntry]:
    """An entry on the echoing server, with an SMPP receiver (that cannot connect) whose
    password is nasty too."""
    port = int(unused_url.rsplit(":", 1)[1])
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="ops",
        data={CONF_URL: echo_url, **credentials},
        options={
            CONF_SMPP: {
                CONF_SMPP_ENABLED: True,
                CONF_SMPP_HOST: "127.0.0.1",
                CONF_SMPP_PORT: port,
                CONF_SMPP_TLS: False,
                CONF_SMPP_BIND: "receiver",
                CONF_SMPP_LOGIN: "ops",
                CONF_SMPP_PASSWORD: SMPP_NASTY,
            }
        },
        minor_version=2,
        subentries_data=[
            ConfigSubentryData(
                data={CONF_RECIPIENTS: [PHONE], CONF_KIND: "sms"},
                subentry_type=SUBENTRY_RECIPIENT,
                title="Alice",
                unique_id=None,
            )
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    yield entry
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_actions_and_notify_leak_nothing(
    hass: HomeAssistant, echo_entry: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """Every action and the notify entity fail on the echoing server; neither their errors,
    nor the log, nor the diagnostics show a secret."""
    caplog.set_level(logging.DEBUG)
    entry_id = echo_entry.entry_id
    calls: list[tuple[str, str, dict[str, Any], bool]] = [
        (
            DOMAIN,
            "send_message",
            {"config_entry_id": entry_id, "recipients": [PHONE], "message": "m"},
            True,
        ),
        (
            DOMAIN,
            "send_message",
            {"config_entry_id": entry_id, "recipients": [PHONE], "message": "m", "cost_only": True},
            True,
        ),
        (
            DOMAIN,
            "get_status",
            {"config_entry_id": entry_id, "message_id": "1", "phone": PHONE},
            True,
        ),
        (DOMAIN, "notify_event", {"config_entry_id": entry_id, "task_group": 1}, False),
        ("notify", "send_message", {"entity_id": "notify.alice", "message": "m"}, False),
    ]
    for domain, service, data, response in calls:
        with pytest.raises(HomeAssistantError) as info:
            await hass.services.async_call(
                domain, service, data, blocking=True, return_response=response
            )
        _assert_clean(*_error_texts(info.value))
    receiver = echo_entry.runtime_data.receiver
    assert isinstance(receiver, SmscReceiver)
    await wait_for(hass, lambda: receiver.last_error is not None)
    diagnostics = await async_get_config_entry_diagnostics(hass, echo_entry)
    _assert_clean(json.dumps(diagnostics, default=str), caplog.text, receiver.last_error)


@pytest.mark.parametrize("echo_balance", [True])
async def test_setup_and_config_flow_leak_nothing(
    hass: HomeAssistant,
    echo_balance: bool,
    echo_url: str,
    credentials: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The balance itself comes back quoted: the entry's reason, the log and the form stay
    clean, and the form does not send the typed secret back."""
    caplog.set_level(logging.DEBUG)
    entry = MockConfigEntry(domain=DOMAIN, title="ops", data={CONF_URL: echo_url, **credentials})
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert entry.reason
    _assert_clean(entry.reason)
    assert await hass.config_entries.async_remove(entry.entry_id)

    method = "login" if CONF_PASSWORD in credentials else "api_key"
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": method}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: echo_url, **credentials}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    # What the browser gets: the form, serialised as the frontend receives it.
    shown = voluptuous_serialize.convert(
        result["data_schema"], custom_serializer=cv.custom_serializer
    )
    _assert_clean(json.dumps(shown), repr(result), caplog.text)


@pytest.mark.parametrize("sending", [False, True])
async def test_errors_are_masked_whatever_the_library_says(
    hass: HomeAssistant, echo_entry: MockConfigEntry, sending: bool
) -> None:
    """Even an error text that quotes a secret (an SMPP password, which the HTTP client never
    sees) is masked before it becomes a Home Assistant error."""
    secret = echo_entry.data.get(CONF_PASSWORD) or echo_entry.data[CONF_API_KEY]
    quoted = f"server said: copy={secret} smpp={SMPP_NASTY} again={html.escape(secret)}"
    for err in (SmscError(quoted), TransportError(quoted, maybe_received=False)):
        _assert_clean(*_error_texts(translate_error(hass, err, echo_entry, sending=sending)))
