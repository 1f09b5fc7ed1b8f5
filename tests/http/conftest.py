"""Both clients against the emulator: every scenario runs once with Client, once with
AsyncClient (the blocking one in a worker thread), over real loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio

from pysmsc import AsyncClient, Client

PHONE = "79991234567"


class Either:
    """``await either.send(...)`` whichever client is underneath."""

    def __init__(self, client: Client | AsyncClient) -> None:
        self.client = client

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)
        if isinstance(self.client, AsyncClient):
            return method  # type: ignore[no-any-return]

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(method, *args, **kwargs)

        return call


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest_asyncio.fixture
async def make_client(flavour: str, emulator: Any) -> AsyncIterator[Callable[..., Either]]:
    """Build clients of this test's flavour (default: the emulator's demo account)."""
    made: list[Client | AsyncClient] = []

    def make(**options: Any) -> Either:
        options.setdefault("base_url", emulator.http_url)
        if "api_key" not in options:
            options.setdefault("login", emulator.login)
            options.setdefault("password", emulator.password)
        client = AsyncClient(**options) if flavour == "async" else Client(**options)
        made.append(client)
        return Either(client)

    yield make
    for client in made:
        if isinstance(client, AsyncClient):
            await client.close()
        else:
            client.close()


@pytest.fixture
def smsc(make_client: Callable[..., Either]) -> Either:
    return make_client()
