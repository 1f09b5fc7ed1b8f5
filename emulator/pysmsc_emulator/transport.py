# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator inside an httpx client, with no socket at all (as ``httpx.MockTransport``
serves a function): for fast unit tests.

    transport = EmulatorTransport()
    client = pysmsc.Client("demo", "demo", base_url=transport.url,
                           http_client=httpx.Client(transport=transport))
    transport.control.messages()

    transport = AsyncEmulatorTransport()           # on the running event loop
    client = pysmsc.AsyncClient("demo", "demo", base_url=transport.url,
                                http_client=httpx.AsyncClient(transport=transport))
    await transport.control.messages()

Every request runs through the same handlers as the HTTP server (rules, formats, faults,
control endpoints); a ``close`` fault raises ``httpx.RemoteProtocolError`` as a dropped
connection does. Status changes that came due are applied at each request (there is no ticker);
calls to a callback URL are real HTTP calls, made while requests run or during
``control.flush_callbacks()``.
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType
from typing import Any

import httpx

from .control_client import AsyncEmulatorControl, EmulatorControl
from .server import Emulator, EmulatorConfig
from .wire import HttpAnswer, HttpRequest

__all__ = ["IN_PROCESS_URL", "AsyncEmulatorTransport", "EmulatorTransport"]

# Any address will do; this one can never be reached by mistake (.invalid is reserved).
IN_PROCESS_URL = "http://smsc-emulator.invalid"


async def _serve(emulator: Emulator, request: httpx.Request) -> httpx.Response:
    body = await request.aread()
    emulator.state.apply_due()
    emulator.callbacks.start()
    emulator.callbacks.tick()

    async def read() -> bytes:
        return body

    http = HttpRequest(
        request.method,
        request.url.path,
        request.url.query.decode("ascii"),
        request.headers.get("Content-Type", ""),
        read,
    )
    answers: list[HttpAnswer] = []

    async def respond(answer: HttpAnswer) -> None:
        answers.append(answer)

    await emulator.app().handle(http, respond)
    answer = answers[0] if answers else HttpAnswer(500, b"no answer")
    if answer.drop:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    return httpx.Response(
        answer.status,
        headers={"Content-Type": answer.content_type},
        content=answer.body,
        request=request,
    )


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _Kept(httpx.BaseTransport):
    """The transport for the control client: closing that client leaves the emulator be."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.inner.handle_request(request)


class _AsyncKept(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)


class AsyncEmulatorTransport(httpx.AsyncBaseTransport):
    """An emulator served to ``httpx.AsyncClient`` on the running event loop (no thread, no
    socket). Give it a running :class:`Emulator` to share that one's state, or a config."""

    url = IN_PROCESS_URL

    def __init__(
        self, emulator: Emulator | None = None, *, config: EmulatorConfig | None = None
    ) -> None:
        self.emulator = emulator or Emulator(config)
        self._control: AsyncEmulatorControl | None = None

    @property
    def state(self) -> Any:
        return self.emulator.state

    @property
    def control(self) -> AsyncEmulatorControl:
        """An :class:`AsyncEmulatorControl` over this transport."""
        if self._control is None:
            self._control = AsyncEmulatorControl(self.url, transport=_AsyncKept(self))
        return self._control

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await _serve(self.emulator, request)

    async def aclose(self) -> None:
        if not self.emulator.running:  # a running emulator is its owner's to stop
            await self.emulator.callbacks.stop()


class EmulatorTransport(httpx.BaseTransport):
    """An emulator served to ``httpx.Client`` in the calling thread, on a private event loop
    that runs while a request does (no thread, no socket). Not for use inside a running event
    loop: take :class:`AsyncEmulatorTransport` there."""

    url = IN_PROCESS_URL

    def __init__(self, *, config: EmulatorConfig | None = None) -> None:
        self.emulator = Emulator(config)
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()
        self._control: EmulatorControl | None = None

    @property
    def state(self) -> Any:
        return self.emulator.state

    @property
    def control(self) -> EmulatorControl:
        """An :class:`EmulatorControl` over this transport."""
        if self._control is None:
            self._control = EmulatorControl(self.url, transport=_Kept(self))
        return self._control

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if _loop_running():
            raise RuntimeError(
                "EmulatorTransport serves synchronous clients; inside an event loop use "
                "AsyncEmulatorTransport with httpx.AsyncClient"
            )
        with self._lock:
            if self._loop.is_closed():
                raise RuntimeError("the emulator transport is closed")
            return self._loop.run_until_complete(_serve(self.emulator, request))

    def close(self) -> None:
        with self._lock:
            if self._loop.is_closed():
                return
            if not _loop_running():
                self._loop.run_until_complete(self.emulator.callbacks.stop())
            self._loop.close()

    def __enter__(self) -> EmulatorTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        self.close()
