# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's SMPP connections under stress: throttling, idle connections, connections
cut mid-window (nothing lost, nothing sent twice), fail-over to the backup host, TLS."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pysmsc.smpp import (
    ConnectionState,
    SmppClient,
    SmppConfig,
    SmppConnectionError,
    SubmitOutcomeUnknownError,
    SystemType,
)
from pysmsc_emulator import Emulator, EmulatorConfig
from pysmsc_emulator.smpp.server import SubmitRequest, SubmitResult

from ..tls import self_signed_certificate
from .smpp_helpers import SmppClients, eventually, free_port, phone


async def test_throttling_above_the_rate(smpp_clients: SmppClients) -> None:
    control = smpp_clients.handle.control
    assert await control.smpp_configure(throughput=25) == {
        "throughput": 25.0,
        "idle_timeout": 120.0,
    }
    # a client without its own limit is refused with ESME_RTHROTTLED, slows down, sends again
    client = await smpp_clients.open(throttle_pause=0.2)
    texts = [f"bulk {i}" for i in range(60)]
    started = time.perf_counter()
    results = await asyncio.gather(*(client.submit(phone(i), t) for i, t in enumerate(texts)))
    elapsed = time.perf_counter() - started
    assert client.throttled_count >= 0
    assert client.throttled_count > 0
    assert elapsed >= 1.0  # 35 beyond the burst of 25, at 25 a second
    sent = await control.messages()
    assert sorted(m["text"] for m in sent) == sorted(texts)  # each exactly once
    assert {str(m["id"]) for m in sent} == {r[0] for r in results}


async def test_idle_connections_are_closed(smpp_clients: SmppClients) -> None:
    control = smpp_clients.handle.control
    await control.smpp_configure(idle_timeout=0.5)
    silent = await smpp_clients.open(enquire_link_interval=None, reconnect=False)
    alive = await smpp_clients.open(
        enquire_link_interval=0.1,
        reconnect=False,
        system_type=SystemType(connections=2),
    )
    await eventually(lambda: silent.state is ConnectionState.DISCONNECTED, within=3)
    await asyncio.sleep(1.0)
    assert alive.bound  # enquire_link kept it alive
    [session] = await control.smpp_sessions()
    assert session["system_type"] == "MCON2"


async def test_a_dropped_connection_loses_nothing_and_duplicates_nothing(
    smpp_clients: SmppClients,
) -> None:
    """150 messages through a window of 20; after the 40th is recorded the control API cuts
    the connection while the answers to the ones in flight are held back. The client
    reconnects by itself; every message reaches the service at most once, each accepted
    one with the id the client reported, and those whose answer was lost are reported as
    unknown (never sent again)."""
    handle = smpp_clients.handle
    backend = handle.emulator.smpp_server.backend
    original = backend.submit
    recorded = 0
    dropped = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def drop() -> None:
        assert await handle.control.smpp_drop() == {"dropped": 1}
        dropped.set()

    async def submit(request: SubmitRequest) -> SubmitResult:
        nonlocal recorded
        result = await original(request)
        recorded += 1
        if recorded == 40:
            tasks.append(asyncio.ensure_future(drop()))
        elif recorded > 40 and not dropped.is_set():
            await dropped.wait()  # recorded, but the answer never leaves
        return result

    backend.submit = submit
    await handle.control.smpp_configure(throughput=0)  # no limit: the window is the point here
    client = await smpp_clients.open(window=20)
    texts = [f"message {i}" for i in range(150)]
    results = await asyncio.gather(
        *(client.submit(phone(i), t) for i, t in enumerate(texts)), return_exceptions=True
    )
    await asyncio.gather(*tasks)
    sent = await handle.control.messages()
    at_service = Counter(m["text"] for m in sent)
    assert max(at_service.values()) == 1, "a message reached the service twice"
    ids = {m["text"]: str(m["id"]) for m in sent}
    unknown = 0
    for text, result in zip(texts, results, strict=True):
        if isinstance(result, SubmitOutcomeUnknownError):
            unknown += 1
            assert result.maybe_received
        else:
            assert isinstance(result, list), result
            assert result == [ids[text]]
    assert 1 <= unknown <= 20  # only what was in the window when the connection went
    assert len(sent) >= len(texts) - unknown
    assert client.bound  # reconnected by itself


async def test_failover_to_the_backup_host(smpp_clients: SmppClients) -> None:
    handle = smpp_clients.handle
    client = await smpp_clients.open(
        port=free_port(), backup_host="127.0.0.1", backup_port=handle.smpp_port
    )
    assert client.endpoint == ("127.0.0.1", handle.smpp_port)
    [message_id] = await client.submit("79161234567", "via the backup host")
    [message] = await handle.control.messages()
    assert (str(message["id"]), message["source"]) == (message_id, "smpp")


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path)


async def test_tls(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    config = EmulatorConfig(
        http_port=None, smpp_port=0, smpp_ssl_context=server_context, status_delays=(0.1, 0.1)
    )
    async with Emulator(config) as emu:
        assert emu.smpp_port is not None
        with pytest.raises(RuntimeError):
            _ = emu.http_url  # SMPP alone
        options: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": emu.smpp_port,
            "tls": True,
            "throughput": None,
            "connect_timeout": 3,
        }
        # refused by default: the certificate is nobody the system trusts
        untrusting = SmppClient(SmppConfig("demo", "demo", **options))
        with pytest.raises(SmppConnectionError) as info:
            await untrusting.open()
        assert isinstance(info.value.__cause__, ssl.SSLCertVerificationError)
        # trusted explicitly
        trusting = ssl.create_default_context(cafile=str(cert))
        async with SmppClient(SmppConfig("demo", "demo", ssl_context=trusting, **options)) as c:
            [message_id] = await c.submit("79161234567", "over TLS", receipt=True)
            report = await c.wait_for_report(message_id, 10)
        assert report.stat == "DELIVRD"
        [message] = emu.state.all_messages()
        assert (message.text, message.source) == ("over TLS", "smpp")
