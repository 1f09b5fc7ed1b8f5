# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Fixtures for the SMPP tests: servers and clients on 127.0.0.1, closed after each test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pysmsc.smpp import SmppClient, SmppConfig
from pysmsc.smpp.pdu import HEADER, BindTransceiver, Pdu, decode_pdu
from pysmsc_emulator.smpp.memory import MemoryBackend
from pysmsc_emulator.smpp.server import ServerConfig, SmppBackend, SmppServer

ACCOUNTS = {"user": "secret", "other": "pw2"}


class Harness:
    """Starts servers and clients for one test and closes them all at the end."""

    def __init__(self) -> None:
        self.servers: list[SmppServer] = []
        self.clients: list[SmppClient] = []
        self.backends: list[MemoryBackend] = []

    async def server(
        self, backend: SmppBackend | None = None, **options: Any
    ) -> tuple[SmppServer, MemoryBackend]:
        if backend is None:
            backend = MemoryBackend(ACCOUNTS)
        options.setdefault("throughput", None)
        server = SmppServer(backend, ServerConfig(**options))
        if isinstance(backend, MemoryBackend):
            backend.attach(server)
            self.backends.append(backend)
        await server.start()
        self.servers.append(server)
        return server, backend  # type: ignore[return-value]

    def config(self, server: SmppServer | int, **options: Any) -> SmppConfig:
        port = server if isinstance(server, int) else server.port
        options.setdefault("throughput", None)
        options.setdefault("reconnect_delay", 0.05)
        options.setdefault("reconnect_max_delay", 0.5)
        options.setdefault("close_timeout", 2.0)
        return SmppConfig(
            options.pop("login", "user"),
            options.pop("password", "secret"),
            host=options.pop("host", "127.0.0.1"),
            port=port,
            **options,
        )

    async def client(
        self, server: SmppServer | int, *, wait: bool = True, **options: Any
    ) -> SmppClient:
        client = SmppClient(self.config(server, **options))
        self.clients.append(client)
        await client.open(wait=wait)
        return client

    async def close(self) -> None:
        for client in self.clients:
            await client.close()
        for server in self.servers:
            await server.close()
        for backend in self.backends:
            backend.close()


@pytest.fixture
async def smpp() -> AsyncIterator[Harness]:
    harness = Harness()
    try:
        yield harness
    finally:
        await harness.close()


async def eventually(predicate: Any, within: float = 5.0, interval: float = 0.01) -> None:
    """Wait until ``predicate()`` is true (fail after ``within`` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


class RawPeer:
    """A bare SMPP peer over a socket, for sending exactly the bytes a test wants."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.sequence = 100

    @classmethod
    async def connect(cls, port: int) -> RawPeer:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, data: Pdu | bytes) -> None:
        if isinstance(data, Pdu):
            if not data.sequence_number and not data.is_response:
                self.sequence += 1
                data.sequence_number = self.sequence
            data = data.encode()
        self.writer.write(data)
        await self.writer.drain()

    async def read(self, within: float = 3.0) -> Pdu:
        header = await asyncio.wait_for(self.reader.readexactly(16), within)
        length = HEADER.unpack(header)[0]
        body = await asyncio.wait_for(self.reader.readexactly(length - 16), within)
        return decode_pdu(header + body)

    async def bind(
        self, system_id: str = "user", password: str = "secret", system_type: str = ""
    ) -> Pdu:
        await self.send(
            BindTransceiver(system_id=system_id, password=password, system_type=system_type)
        )
        return await self.read()

    async def at_eof(self, within: float = 3.0) -> bool:
        """True when the peer closed the connection (data before the close is skipped)."""
        try:
            while await asyncio.wait_for(self.reader.read(65536), within):
                pass
        except TimeoutError:
            return False
        except ConnectionError:
            return True
        return True

    async def close(self) -> None:
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except ConnectionError:
            pass


# The npm peer's fixture, for every test here (imported last: node.py uses eventually()).
from .node import node_modules  # noqa: E402, F401
