# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Fixtures every test suite shares: the local emulator of the service (docs/emulator.md).

``emulator`` (sync tests, Ansible tests)
    A handle on one emulator that runs for the whole session in a background thread
    (``EmulatorThread``) on 127.0.0.1, reset before each test (messages, balance, clock,
    limits, faults and settings back to the start). Its fields::

        emulator.http_url   "http://127.0.0.1:<port>" (the service paths are under /sys/)
        emulator.login      "demo"
        emulator.password   "demo"
        emulator.api_key    "demo-api-key"
        emulator.control    EmulatorControl: messages(), set_status(id, phone, 20, err=1),
                            set_balance("5.00"), advance(61), add_task_group(...),
                            add_contact_group(...), receive(...), ping_events(),
                            add_fault("send", "close"), configure(latency=0.5), reset()...

``async_emulator`` (async tests, Home Assistant tests)
    A fresh ``Emulator`` started inside the test's own event loop (no thread, so Home
    Assistant's thread checks stay quiet), with the same fields; its ``control`` is an
    ``AsyncEmulatorControl`` (every method awaited) and ``emulator`` is the running
    ``Emulator`` (``emulator.state`` is the shared state, safe to use from the test).

``async_smpp_emulator`` (async SMPP tests, the Home Assistant SMPP receiver)
    Like ``async_emulator``, with the SMPP server running too
    (``EmulatorConfig(smpp_port=0, status_delays=(0.2, 0.3))``: a message is delivered half a
    second after it was sent). Its handle also has::

        handle.smpp_host    "127.0.0.1"
        handle.smpp_port    the SMPP port (log in with handle.login / handle.password)
        handle.control      also smpp_sessions(), smpp_drop(login=None),
                            smpp_configure(throughput=None, idle_timeout=None),
                            receive(phone, text, to="") (an incoming SMS for SMPP receivers)
        handle.emulator     the running Emulator (emulator.smpp_server is the SmppServer)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio

from pysmsc_emulator import (
    AsyncEmulatorControl,
    Emulator,
    EmulatorConfig,
    EmulatorControl,
    EmulatorThread,
)


@dataclass
class EmulatorHandle:
    """Where the emulator answers and how to log in; ``control`` drives its /_emulator/ API."""

    http_url: str
    login: str
    password: str
    api_key: str
    control: Any
    emulator: Any = field(default=None, repr=False)

    def auth(self) -> dict[str, str]:
        """``login`` and ``psw`` form fields."""
        return {"login": self.login, "psw": self.password}


@pytest.fixture(scope="session")
def emulator_thread() -> Iterator[EmulatorThread]:
    """The session's emulator, in a background thread (use the ``emulator`` fixture)."""
    with EmulatorThread(EmulatorConfig()) as thread:
        yield thread


@pytest.fixture(scope="session")
def _emulator_control(emulator_thread: EmulatorThread) -> Iterator[EmulatorControl]:
    with EmulatorControl(emulator_thread.http_url) as control:
        yield control


@pytest.fixture
def emulator(emulator_thread: EmulatorThread, _emulator_control: EmulatorControl) -> EmulatorHandle:
    """The session's emulator, reset to its starting state for this test."""
    _emulator_control.reset()
    config = emulator_thread.config
    return EmulatorHandle(
        http_url=emulator_thread.http_url,
        login=config.login,
        password=config.password,
        api_key=config.api_key,
        control=_emulator_control,
        emulator=emulator_thread,
    )


@pytest_asyncio.fixture
async def async_emulator() -> AsyncIterator[EmulatorHandle]:
    """A fresh emulator on the test's own event loop, stopped after the test."""
    config = EmulatorConfig()
    async with Emulator(config) as running, AsyncEmulatorControl(running.http_url) as control:
        yield EmulatorHandle(
            http_url=running.http_url,
            login=config.login,
            password=config.password,
            api_key=config.api_key,
            control=control,
            emulator=running,
        )


@dataclass
class SmppEmulatorHandle(EmulatorHandle):
    """An :class:`EmulatorHandle` whose emulator also speaks SMPP on ``smpp_host:smpp_port``."""

    smpp_host: str = "127.0.0.1"
    smpp_port: int = 0


@pytest_asyncio.fixture
async def async_smpp_emulator() -> AsyncIterator[SmppEmulatorHandle]:
    """A fresh emulator with HTTP and SMPP on the test's own event loop, stopped after it."""
    config = EmulatorConfig(smpp_port=0, status_delays=(0.2, 0.3))
    async with Emulator(config) as running, AsyncEmulatorControl(running.http_url) as control:
        assert running.smpp_port is not None
        yield SmppEmulatorHandle(
            http_url=running.http_url,
            login=config.login,
            password=config.password,
            api_key=config.api_key,
            control=control,
            emulator=running,
            smpp_host=config.host,
            smpp_port=running.smpp_port,
        )
