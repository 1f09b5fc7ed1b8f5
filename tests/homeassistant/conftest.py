# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Fixtures of the Home Assistant tests: a real Home Assistant core and the emulator of the
service in the test's own event loop, over loopback (``async_emulator`` of tests/conftest.py),
with its SMPP side for the receiver's tests (``smpp_smsc``: ``async_smpp_emulator``).

Run separately from the library's tests, with the Home Assistant plugin::

    .venv/bin/pytest tests/homeassistant --cov=custom_components.smsc
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryData
from homeassistant.const import CONF_PASSWORD
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smsc import receiver
from custom_components.smsc.const import (
    CONF_KIND,
    CONF_LOGIN,
    CONF_RECEIVE,
    CONF_RECIPIENTS,
    CONF_URL,
    CONF_WEBHOOK,
    CONF_WEBHOOK_ID,
    CONFIG_MINOR_VERSION,
    CONFIG_VERSION,
    DOMAIN,
    RECEIVE_WEBHOOK,
    SUBENTRY_RECIPIENT,
)
from pysmsc import AsyncClient
from tests.conftest import EmulatorHandle, SmppEmulatorHandle

PHONE = "79991234567"
EMAIL = "ops@example.com"
OTHER_PHONE = "79997654321"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/smsc in every test."""


@pytest.fixture
async def smsc(socket_enabled: None, async_emulator: EmulatorHandle) -> EmulatorHandle:
    """The emulator of the service, reachable over loopback."""
    return async_emulator


@pytest.fixture
def unused_url(socket_enabled: None) -> str:
    """An address on loopback where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def entry_data(smsc: EmulatorHandle) -> dict[str, Any]:
    """The data of an entry that signs in with the emulator's login and password."""
    return {CONF_URL: smsc.http_url, CONF_LOGIN: smsc.login, CONF_PASSWORD: smsc.password}


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """The entry's options (override in a test module or with parametrize)."""
    return {}


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """One SMS recipient."""
    return [
        ConfigSubentryData(
            data={CONF_RECIPIENTS: [PHONE], CONF_KIND: "sms"},
            subentry_type=SUBENTRY_RECIPIENT,
            title="Alice",
            unique_id=None,
        )
    ]


@pytest.fixture
def config_entry(
    entry_data: dict[str, Any],
    entry_options: dict[str, Any],
    subentries: list[ConfigSubentryData],
) -> MockConfigEntry:
    """The entry of the emulator's account (not added to Home Assistant yet)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="demo",
        unique_id="demo",
        version=CONFIG_VERSION,
        minor_version=CONFIG_MINOR_VERSION,
        data=entry_data,
        options=entry_options,
        subentries_data=subentries,
    )


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> AsyncIterator[MockConfigEntry]:
    """The entry, set up; unloaded after the test so that nothing is left running."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    yield config_entry
    if (
        hass.config_entries.async_get_entry(config_entry.entry_id) is not None
        and config_entry.state is ConfigEntryState.LOADED
    ):
        await hass.config_entries.async_unload(config_entry.entry_id)
        await hass.async_block_till_done()


async def register_sender(smsc: EmulatorHandle, name: str) -> None:
    """Register a sender name in the emulator's account and have it allowed (moderated)."""
    async with AsyncClient(
        login=smsc.login, password=smsc.password, base_url=smsc.http_url
    ) as client:
        await client.add_sender(name)
    await smsc.control.set_sender_status(name, 1)


async def sent_messages(smsc: EmulatorHandle) -> list[dict[str, Any]]:
    """The messages the emulator received, oldest first."""
    messages: list[dict[str, Any]] = await smsc.control.messages()
    return messages


@pytest.fixture
async def smpp_smsc(
    socket_enabled: None, async_smpp_emulator: SmppEmulatorHandle
) -> SmppEmulatorHandle:
    """The emulator with HTTP and SMPP on loopback, in the test's loop; statuses change fast
    (``async_smpp_emulator`` of tests/conftest.py)."""
    return async_smpp_emulator


@pytest.fixture
def fast_reconnect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reconnect within a fraction of a second (the client's back-off, shortened)."""
    monkeypatch.setattr(receiver, "RECONNECT_DELAY", 0.05)
    monkeypatch.setattr(receiver, "RECONNECT_MAX_DELAY", 0.2)


async def wait_for(
    hass: HomeAssistant, predicate: Callable[[], object], within: float = 10.0
) -> None:
    """Let the loop run until ``predicate()`` is true (fail after ``within`` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)
        await hass.async_block_till_done()


def state_of(hass: HomeAssistant, entity_id: str) -> str | None:
    """The state of an entity, None when it does not exist."""
    state = hass.states.get(entity_id)
    return None if state is None else state.state


# The webhook of the entries of the webhook tests (any 16-128 URL-safe characters will do; Home
# Assistant makes 64 hexadecimal digits).
WEBHOOK_ID = "5eb63bbbe01eeed093cb22bb8f5acdc3" * 2


def webhook_options(**extra: Any) -> dict[str, Any]:
    """Options that receive through the webhook ``WEBHOOK_ID``."""
    return {CONF_RECEIVE: RECEIVE_WEBHOOK, CONF_WEBHOOK: {CONF_WEBHOOK_ID: WEBHOOK_ID}, **extra}


@pytest.fixture
async def webhook_client(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_client_no_auth: Any
) -> TestClient:
    """An HTTP client of Home Assistant's own server (a real one, on loopback)."""
    client: TestClient = await hass_client_no_auth()
    return client


@pytest.fixture
async def callback_url(smsc: EmulatorHandle, webhook_client: TestClient) -> str:
    """The webhook's URL on Home Assistant's server, named in the emulator's account as the
    account's HTTP handler: the emulator calls it as the service would."""
    url = str(webhook_client.make_url(f"/api/webhook/{WEBHOOK_ID}"))
    await smsc.control.set_callback_url(url)
    return url


async def until(
    hass: HomeAssistant, predicate: Callable[[], Awaitable[object]], within: float = 10.0
) -> None:
    """Let the loop run until ``await predicate()`` is true (fail after ``within`` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)
        await hass.async_block_till_done()
