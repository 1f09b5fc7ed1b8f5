# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The pytest plugin of pysmsc-emulator (entry point ``pytest11``): installed with the
package, it gives every test suite these fixtures (docs/emulator.md):

``smsc_emulator``
    A running emulator (HTTP and SMPP on free loopback ports), shared by the session in a
    background thread and reset before each test: messages, money, clock, limits, faults,
    settings, the callback URL and the SMPP connections. An :class:`EmulatorHandle`.
``async_smsc_emulator``
    A fresh emulator on the test's own event loop (no thread: suits Home Assistant tests and
    anything that checks for stray threads), stopped after the test; its ``control`` is an
    :class:`~.control_client.AsyncEmulatorControl`. Needs pytest-asyncio (or another plugin
    that runs async fixtures, such as anyio's).
``smsc_emulator_transport`` / ``async_smsc_emulator_transport``
    An emulator with no socket at all, as an httpx transport (:mod:`.transport`).
``smsc_emulator_config``
    The :class:`~.server.EmulatorConfig` the fixtures start from; override it (session scope)
    to change the account, prices or status delays.

Nothing runs until a test asks for a fixture, so the plugin stays out of the way of suites that
do not use it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import pytest

from .control_client import AsyncEmulatorControl, EmulatorControl
from .server import Emulator, EmulatorConfig, EmulatorThread
from .transport import AsyncEmulatorTransport, EmulatorTransport

try:
    import pytest_asyncio

    _async_fixture: Callable[..., Any] = pytest_asyncio.fixture
except ImportError:  # anyio's plugin (or none): a plain fixture
    _async_fixture = pytest.fixture

__all__ = [
    "EmulatorHandle",
    "async_smsc_emulator",
    "async_smsc_emulator_transport",
    "smsc_emulator",
    "smsc_emulator_config",
    "smsc_emulator_transport",
]


@dataclass
class EmulatorHandle:
    """Where a running emulator answers, how to log in, and its ``control`` client.

    ``http_url`` is the base URL of the service paths (``{http_url}/sys/send.php``);
    ``smpp_host``/``smpp_port`` the SMPP server (``smpp_port`` None without one); ``emulator``
    the :class:`~.server.Emulator` (or :class:`~.server.EmulatorThread`) itself.
    """

    http_url: str
    login: str
    password: str
    api_key: str
    control: Any
    emulator: Any = field(default=None, repr=False)
    smpp_host: str = "127.0.0.1"
    smpp_port: int | None = None

    def auth(self) -> dict[str, str]:
        """``login`` and ``psw`` form fields."""
        return {"login": self.login, "psw": self.password}

    @property
    def smpp_address(self) -> tuple[str, int]:
        if self.smpp_port is None:
            raise RuntimeError("this emulator runs no SMPP server")
        return self.smpp_host, self.smpp_port

    @classmethod
    @contextlib.asynccontextmanager
    async def running(cls, config: EmulatorConfig) -> AsyncIterator[EmulatorHandle]:
        """A fresh emulator on the running loop, stopped on exit."""
        async with Emulator(config) as emulator, AsyncEmulatorControl(emulator.http_url) as control:
            yield cls(
                http_url=emulator.http_url,
                login=config.login,
                password=config.password,
                api_key=config.api_key,
                control=control,
                emulator=emulator,
                smpp_host=config.host,
                smpp_port=emulator.smpp_port,
            )


@pytest.fixture(scope="session")
def smsc_emulator_config() -> EmulatorConfig:
    """What the emulator fixtures start: HTTP and SMPP on free loopback ports, the ``demo``
    account. Override this fixture to change it."""
    return EmulatorConfig(smpp_port=0)


@dataclass
class _Session:
    thread: EmulatorThread
    control: EmulatorControl


@pytest.fixture(scope="session")
def _smsc_emulator_session(smsc_emulator_config: EmulatorConfig) -> Iterator[_Session]:
    with EmulatorThread(replace(smsc_emulator_config)) as thread:  # noqa: SIM117 - Python 3.9
        with EmulatorControl(thread.http_url) as control:
            yield _Session(thread, control)


@pytest.fixture
def smsc_emulator(_smsc_emulator_session: _Session) -> EmulatorHandle:
    """The session's emulator, back to its starting state for this test."""
    thread, control = _smsc_emulator_session.thread, _smsc_emulator_session.control
    control.reset()
    if thread.smpp_port is not None:
        control.smpp_drop()  # connections left by an earlier test
    config = thread.config
    return EmulatorHandle(
        http_url=thread.http_url,
        login=config.login,
        password=config.password,
        api_key=config.api_key,
        control=control,
        emulator=thread,
        smpp_host=config.host,
        smpp_port=thread.smpp_port,
    )


@_async_fixture
async def async_smsc_emulator(
    smsc_emulator_config: EmulatorConfig,
) -> AsyncIterator[EmulatorHandle]:
    """A fresh emulator on the test's event loop, stopped after the test."""
    async with EmulatorHandle.running(replace(smsc_emulator_config)) as handle:
        yield handle


@pytest.fixture
def smsc_emulator_transport(smsc_emulator_config: EmulatorConfig) -> Iterator[EmulatorTransport]:
    """An emulator inside ``httpx.Client(transport=...)``: no socket, no thread."""
    with EmulatorTransport(config=replace(smsc_emulator_config, smpp_port=None)) as transport:
        yield transport


@_async_fixture
async def async_smsc_emulator_transport(
    smsc_emulator_config: EmulatorConfig,
) -> AsyncIterator[AsyncEmulatorTransport]:
    """An emulator inside ``httpx.AsyncClient(transport=...)`` on the test's event loop."""
    transport = AsyncEmulatorTransport(config=replace(smsc_emulator_config, smpp_port=None))
    try:
        yield transport
    finally:
        await transport.aclose()
