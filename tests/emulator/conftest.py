# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Fixtures of the emulator's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from .helpers import Api
from .smpp_helpers import SmppClients


@pytest.fixture
def api(emulator: Any) -> Iterator[Api]:
    """Raw HTTP calls to the service paths of the (reset) session emulator."""
    client = Api(emulator)
    yield client
    client.close()


@pytest.fixture
async def smpp_clients(async_smpp_emulator: Any) -> AsyncIterator[SmppClients]:
    """pysmsc SMPP clients on a fresh SMPP emulator (``smpp_clients.handle``), all closed at
    the end. ``await smpp_clients.open(**SmppConfig options)`` binds one."""
    clients = SmppClients(async_smpp_emulator)
    try:
        yield clients
    finally:
        await clients.close()
