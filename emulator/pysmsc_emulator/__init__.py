# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""A local SMS Center: the service's HTTP API and SMPP server, faithful to its documented
behaviour, for the demo, the tests and users' own CI. See docs/emulator.md.

The distribution ``pysmsc-emulator``: the ``smsc-emulator`` command, and a pytest plugin whose
fixtures give each test a running emulator. Importing this package needs nothing beyond pysmsc
and the standard library; its HTTP side runs on aiohttp.
"""

from __future__ import annotations

from typing import Any

from .accounts import DEFAULT_PRICES, Account, AccountConfig
from .clock import Clock
from .codes import ServiceError, Status
from .control_client import AsyncEmulatorControl, EmulatorControl, EmulatorControlError
from .faults import FAULT_KINDS, FaultInjector
from .models import (
    EmulatorEvent,
    IncomingMessage,
    IncomingReceived,
    Message,
    Recipient,
    StatusChanged,
)
from .sending import SendRequest, build_send_request, smpp_send_request
from .server import (
    Emulator,
    EmulatorConfig,
    EmulatorThread,
    config_from_options,
    ready_line,
    run,
    serve,
)
from .smpp.backend import EmulatorSmppBackend
from .smpp.side import SmppSide
from .state import EmulatorState, SendResult, Settings, StatusReport

__all__ = [
    "DEFAULT_PRICES",
    "FAULT_KINDS",
    "IN_PROCESS_URL",
    "Account",
    "AccountConfig",
    "AsyncEmulatorControl",
    "AsyncEmulatorTransport",
    "Clock",
    "Emulator",
    "EmulatorConfig",
    "EmulatorControl",
    "EmulatorControlError",
    "EmulatorEvent",
    "EmulatorSmppBackend",
    "EmulatorState",
    "EmulatorThread",
    "EmulatorTransport",
    "FaultInjector",
    "IncomingMessage",
    "IncomingReceived",
    "Message",
    "Recipient",
    "SendRequest",
    "SendResult",
    "ServiceError",
    "Settings",
    "SmppSide",
    "Status",
    "StatusChanged",
    "StatusReport",
    "build_send_request",
    "config_from_options",
    "ready_line",
    "run",
    "serve",
    "smpp_send_request",
]


def __getattr__(name: str) -> Any:
    """The httpx transports load httpx only when asked for."""
    if name in ("AsyncEmulatorTransport", "EmulatorTransport", "IN_PROCESS_URL"):
        from . import transport  # noqa: PLC0415 - httpx only when asked for

        return getattr(transport, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
