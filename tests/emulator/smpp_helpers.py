# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Helpers of the emulator's SMPP tests: pysmsc.smpp clients on the emulator, a self-signed
certificate, waiting for a condition."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from pysmsc.smpp import SmppClient, SmppConfig


def phone(n: int) -> str:
    """A distinct Russian MTS number per ``n`` (the flood rule counts messages per number)."""
    return f"7916{n:07d}"


class SmppClients:
    """Opens pysmsc SMPP clients on one emulator and closes them all at the end of the test."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.clients: list[SmppClient] = []

    def config(self, **options: Any) -> SmppConfig:
        options.setdefault("throughput", None)
        options.setdefault("reconnect_delay", 0.05)
        options.setdefault("reconnect_max_delay", 0.5)
        options.setdefault("close_timeout", 2.0)
        options.setdefault("connect_timeout", 3.0)
        return SmppConfig(
            options.pop("login", self.handle.login),
            options.pop("password", self.handle.password),
            host=options.pop("host", self.handle.smpp_host),
            port=options.pop("port", self.handle.smpp_port),
            **options,
        )

    def make(self, **options: Any) -> SmppClient:
        """A client not opened yet (to subscribe to its events before it binds)."""
        client = SmppClient(self.config(**options))
        self.clients.append(client)
        return client

    async def open(self, *, wait: bool = True, **options: Any) -> SmppClient:
        client = self.make(**options)
        await client.open(wait=wait)
        return client

    async def close(self) -> None:
        for client in self.clients:
            await client.close()


async def eventually(predicate: Any, within: float = 5.0, interval: float = 0.01) -> None:
    """Wait until ``predicate()`` is true (fail after ``within`` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


async def next_event(stream: Any, within: float = 5.0) -> Any:
    return await asyncio.wait_for(stream.__anext__(), within)


async def nothing_arrives(stream: Any, within: float = 0.5) -> bool:
    try:
        await asyncio.wait_for(stream.__anext__(), within)
    except TimeoutError:
        return True
    return False


def free_port() -> int:
    """A port where nothing listens (for the moment)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
