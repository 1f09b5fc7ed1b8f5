# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Every HTTP path of the emulator (the service's and ``/_emulator/``) behind one entry point,
:meth:`EmulatorApp.handle`, that takes a :class:`~.wire.HttpRequest` and answers through a
callback. The aiohttp server and the in-process httpx transports both call it."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Callable

from .control import ControlApp, Route
from .http_api import Respond, ServiceApp
from .wire import HttpAnswer, HttpRequest

__all__ = ["EmulatorApp"]

Handler = Callable[[HttpRequest, Respond], Awaitable[None]]


class EmulatorApp:
    """The service paths and the control paths, routed by method and path."""

    def __init__(self, service: ServiceApp, control: ControlApp) -> None:
        self.service = service
        self.control = control
        self._routes: dict[str, dict[str, Handler]] = {}
        for method, path, endpoint in service.routes():
            self._add(method, path, self._service_handler(endpoint))
        for method, path, route in control.routes():
            self._add(method, path, self._control_handler(route))

    def _add(self, method: str, path: str, handler: Handler) -> None:
        self._routes.setdefault(path, {})[method] = handler

    def _service_handler(self, endpoint: str) -> Handler:
        async def handle(http: HttpRequest, respond: Respond) -> None:
            await self.service.handle(endpoint, http, respond)

        return handle

    def _control_handler(self, route: Route) -> Handler:
        async def handle(http: HttpRequest, respond: Respond) -> None:
            await respond(await self.control.handle(route, http))

        return handle

    async def handle(self, http: HttpRequest, respond: Respond) -> None:
        methods = self._routes.get(http.path)
        if methods is None:
            await respond(HttpAnswer(404, b"404: Not Found"))
            return
        handler = methods.get(http.method.upper())
        if handler is None:
            await respond(HttpAnswer(405, b"405: Method Not Allowed"))
            return
        await handler(http, respond)
