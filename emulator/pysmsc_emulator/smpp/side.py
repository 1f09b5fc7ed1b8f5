# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's SMPP side: an :class:`~pysmsc.smpp.server.SmppServer` on the shared state,
with :class:`~.smpp_backend.EmulatorSmppBackend` behind it and :class:`~.smpp_delivery.SmppDelivery`
pushing receipts and incoming messages, plus what the control endpoints do with it (list
sessions, drop connections, change the rate and idle limits, reset)."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any, Callable

from ..state import EmulatorState
from .backend import EmulatorSmppBackend
from .delivery import SmppDelivery
from .server import ServerConfig, SmppServer

__all__ = ["SmppSide"]


def _limit(value: float | None) -> float | None:
    """0 (or None) means "no limit"."""
    return value if value else None


class SmppSide:
    """The SMPP listener of one emulator; :meth:`start` it on the emulator's loop.

    ``throughput`` is submit_sm a second per login before ESME_RTHROTTLED, ``idle_timeout``
    the seconds a connection may stay silent; 0 or None turns either off.
    """

    def __init__(
        self,
        state: EmulatorState,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
        idle_timeout: float | None = 120.0,
        throughput: float | None = 30.0,
    ) -> None:
        self.state = state
        self.backend = EmulatorSmppBackend(state)
        self.host = host
        self.requested_port = port
        self.ssl_context = ssl_context
        self.defaults: dict[str, float | None] = {
            "throughput": _limit(throughput),
            "idle_timeout": _limit(idle_timeout),
        }
        self.limits = dict(self.defaults)
        self._server: SmppServer | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def server(self) -> SmppServer:
        if self._server is None:
            raise RuntimeError("the SMPP side is not running")
        return self._server

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        return self.server.port

    async def start(self) -> None:
        if self._server is not None:
            raise RuntimeError("the SMPP side is already running")
        config = ServerConfig(
            host=self.host,
            port=self.requested_port,
            ssl_context=self.ssl_context,
            throughput=self.limits["throughput"],
            idle_timeout=self.limits["idle_timeout"],
        )
        server = SmppServer(self.backend, config)
        await server.start()  # an OSError (port taken) leaves nothing behind
        self._server = server
        self._unsubscribe = self.state.subscribe(SmppDelivery(server))

    async def stop(self) -> None:
        server, self._server = self._server, None
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.backend.reset()
        if server is not None:
            await server.close()

    # -- control ----------------------------------------------------------------------------

    def sessions(self) -> list[dict[str, Any]]:
        """The bound connections: login, bind mode, system_type, remote address."""
        if self._server is None:
            return []
        found: list[dict[str, Any]] = []
        for session in sorted(self._server.sessions(), key=lambda s: s.id):
            info = session.info
            if info is None:
                continue
            peer = info.peer
            remote = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
            found.append(
                {
                    "id": info.session_id,
                    "login": info.system_id,
                    "mode": info.mode.value,
                    "system_type": str(info.system_type),
                    "remote": remote,
                }
            )
        return found

    def drop(self, login: str | None = None) -> int:
        """Abort the connections (of one login) at once, without unbind, as a network failure
        would; returns how many were open."""
        if self._server is None:
            return 0
        if login is not None:
            try:
                login = self.state.account(login).login
            except KeyError:
                return 0
        count = sum(1 for s in self._server.sessions() if login is None or s.system_id == login)
        self._server.drop(login)
        return count

    def settings(self) -> dict[str, Any]:
        """``throughput`` and ``idle_timeout`` (None: no limit)."""
        return dict(self.limits)

    def configure(self, changes: Mapping[str, float | None]) -> dict[str, Any]:
        """Change ``throughput`` and/or ``idle_timeout`` now (0 or None: no limit)."""
        unknown = set(changes) - set(self.limits)
        if unknown:
            raise ValueError(f"unknown SMPP settings: {', '.join(sorted(unknown))}")
        self.limits.update({name: _limit(value) for name, value in changes.items()})
        if self._server is not None:
            self._server.reconfigure(**self.limits)
        return self.settings()

    def reset(self) -> None:
        """Back to the start: no partial messages, no queued deliver_sm, the configured
        limits. Connections and their binds stay."""
        self.backend.reset()
        self.configure(self.defaults)
        if self._server is not None:
            self._server.clear_pending()
