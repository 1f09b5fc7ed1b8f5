# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Fixtures every test suite shares: the local emulator of the service (docs/emulator.md),
through the pytest plugin of pysmsc-emulator (``pysmsc_emulator.pytest_plugin``, loaded by its
entry point), so that our tests use the machinery our users get.

``emulator`` (sync tests, Ansible tests)
    The plugin's ``smsc_emulator``: one emulator for the session in a background thread, on
    127.0.0.1 with HTTP and SMPP, reset before each test. An ``EmulatorHandle``::

        emulator.http_url   "http://127.0.0.1:<port>" (the service paths are under /sys/)
        emulator.login      "demo"
        emulator.password   "demo"
        emulator.api_key    "demo-api-key"
        emulator.control    EmulatorControl: messages(), set_status(id, phone, 20, err=1),
                            set_balance("5.00"), advance(61), receive(...), press_key(...),
                            set_callback_url(...), add_fault("send", "close"), reset()...

``async_emulator`` (async tests, Home Assistant tests)
    The plugin's ``async_smsc_emulator``: a fresh ``Emulator`` on the test's own event loop (no
    thread, so Home Assistant's thread checks stay quiet), with the same fields; ``control`` is
    an ``AsyncEmulatorControl`` and ``emulator`` the running ``Emulator``.

``async_smpp_emulator`` (async SMPP tests, the Home Assistant SMPP receiver)
    Like ``async_emulator``, with ``status_delays=(0.2, 0.3)``: a message is delivered half a
    second after it was sent. ``smpp_host`` and ``smpp_port`` name the SMPP server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
import pytest_asyncio

from pysmsc_emulator import EmulatorConfig
from pysmsc_emulator.pytest_plugin import EmulatorHandle

__all__ = ["EmulatorHandle", "SmppEmulatorHandle"]

# One handle type serves both: its smpp_port is set when the emulator runs SMPP.
SmppEmulatorHandle = EmulatorHandle


@pytest.fixture
def emulator(smsc_emulator: EmulatorHandle) -> EmulatorHandle:
    """The session's emulator, reset to its starting state for this test."""
    return smsc_emulator


@pytest.fixture
def async_emulator(async_smsc_emulator: EmulatorHandle) -> EmulatorHandle:
    """A fresh emulator on the test's own event loop, stopped after the test."""
    return async_smsc_emulator


@pytest_asyncio.fixture
async def async_smpp_emulator(
    smsc_emulator_config: EmulatorConfig,
) -> AsyncIterator[EmulatorHandle]:
    """A fresh emulator with HTTP and SMPP whose messages are delivered within half a second."""
    config = replace(smsc_emulator_config, smpp_port=0, status_delays=(0.2, 0.3))
    async with EmulatorHandle.running(config) as handle:
        yield handle
