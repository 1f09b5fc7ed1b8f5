# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""A pool of binds (``SmppConfig(connections=n)``, system_type MCONn) against the server side."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import pytest

from pysmsc.errors import ValidationError
from pysmsc.smpp import (
    ConnectionState,
    SmppConfig,
    SubmitOutcomeUnknownError,
    SystemType,
)
from pysmsc_emulator.smpp.memory import MemoryBackend
from pysmsc_emulator.smpp.server import SubmitRequest, SubmitResult

from .conftest import ACCOUNTS, Harness, eventually

PHONE = "79991234567"


async def test_binds_with_mcon_and_spreads_submits(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server, connections=3)
    assert [b.raw_system_type for b in backend.binds] == ["MCON3"] * 3
    assert len(server.sessions("user")) == 3
    assert [b.state for b in client.binds] == [ConnectionState.BOUND] * 3
    assert len({b.endpoint for b in client.binds}) == 1
    await asyncio.gather(*(client.submit(PHONE, f"spread {i}") for i in range(60)))
    per_session = Counter(s.session.session_id for s in backend.submits)
    assert len(per_session) == 3
    assert min(per_session.values()) >= 10  # each connection carried a share


async def test_receipts_from_any_bind_find_their_submit(smpp: Harness) -> None:
    server, backend = await smpp.server()
    client = await smpp.client(server, connections=3)
    reports = client.receipts()
    references = {}
    for i in range(30):
        (message_id,) = await client.submit(PHONE, f"r{i}", receipt=True, reference=i)
        references[message_id] = i
    got = [await asyncio.wait_for(reports.__anext__(), 5) for _ in range(30)]
    assert all(r.matched for r in got)
    assert {r.message_id: r.sent.reference for r in got if r.sent} == references
    submitted_on = {s.session.session_id for s in backend.submits}
    assert len(submitted_on) == 3  # the server answers receipts round-robin over the binds


async def test_one_bind_dropping_the_others_keep_sending(smpp: Harness) -> None:
    class Slow(MemoryBackend):
        async def submit(self, request: SubmitRequest) -> SubmitResult:
            await asyncio.sleep(0.01)
            return await super().submit(request)

    server, backend = await smpp.server(Slow(ACCOUNTS))
    client = await smpp.client(server, connections=3, window=5)
    states: list[tuple[ConnectionState, ...]] = []
    texts = [f"pool {i}" for i in range(300)]
    run = asyncio.ensure_future(
        asyncio.gather(*(client.submit(PHONE, t) for t in texts), return_exceptions=True)
    )
    await eventually(lambda: len(backend.submits) >= 50)
    victim = server.sessions("user")[0]
    victim.session.abort("dropped by the test")
    await eventually(lambda: any(b.state is not ConnectionState.BOUND for b in client.binds))
    states.append(tuple(b.state for b in client.binds))
    assert client.bound  # the client stays bound on the others
    results = await run
    unknown = [r for r in results if isinstance(r, SubmitOutcomeUnknownError)]
    assert all(isinstance(r, (list, SubmitOutcomeUnknownError)) for r in results)
    assert len(unknown) <= 5  # what was in flight on the dropped bind
    at_server = Counter(m.text for m in backend.messages.values())
    assert all(n == 1 for n in at_server.values())
    assert ConnectionState.DISCONNECTED in states[0] or ConnectionState.CONNECTING in states[0]
    await eventually(lambda: all(b.state is ConnectionState.BOUND for b in client.binds))


async def test_throughput_limit_holds_for_the_whole_pool(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server, connections=3, throughput=40)
    started = time.perf_counter()
    await asyncio.gather(*(client.submit(PHONE, f"rate {i}") for i in range(60)))
    # A burst of 4, then 40 a second for all three connections together (not 120).
    assert time.perf_counter() - started >= (60 - 4) / 40 * 0.95


async def test_open_succeeds_with_some_binds_and_they_join_later(smpp: Harness) -> None:
    class Limited(MemoryBackend):
        refuse = 2

        async def authenticate(self, request: Any) -> int:
            if self.refuse:
                self.refuse -= 1
                return 0x0D  # ESME_RBINDFAIL
            return await super().authenticate(request)

    server, _ = await smpp.server(Limited(ACCOUNTS))
    client = await smpp.client(server, connections=3)
    assert client.bound
    assert any(b.last_error is not None for b in client.binds)
    await eventually(lambda: all(b.state is ConnectionState.BOUND for b in client.binds))


def test_pool_configuration_is_checked() -> None:
    with pytest.raises(ValidationError) as info:
        SmppConfig("u", connections=10)
    assert info.value.field == "connections"
    with pytest.raises(ValidationError) as info:
        SmppConfig("u", connections=3, system_type=SystemType(connections=2))
    assert info.value.field == "system_type.connections"
    assert SmppConfig("u", connections=3).bind_system_type == "MCON3"
    assert SmppConfig("u", connections=2, system_type=SystemType(5, iso=True)).bind_system_type == (
        "MCON5,ISO"
    )
    assert SmppConfig("u").bind_system_type == ""
