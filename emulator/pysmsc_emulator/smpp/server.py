# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMSC side of SMPP sessions, for the emulator: an asyncio SMPP 3.4 server.

:class:`SmppServer` accepts connections (plain or TLS), handles bind_transmitter /
bind_receiver / bind_transceiver, submit_sm, query_sm, enquire_link, unbind and generic_nack,
and sends deliver_sm (receipts, HLR results, incoming messages), waiting for deliver_sm_resp.
It behaves like the service (seeds/smpp-protocol.txt):

* one connection per login: a new bind ends the older connection, unless the new bind's
  system_type says ``MCONn`` (n = 1-9), which allows n connections (the oldest is ended
  beyond that);
* a connection that receives nothing for ``idle_timeout`` (2 minutes) is unbound and closed;
* more than ``throughput`` submit_sm a second for one login are refused with ESME_RTHROTTLED;
  more than ``window`` submit_sm in progress on one connection with ESME_RMSGQFUL.

All business logic sits behind :class:`SmppBackend`: the emulator's own
(:mod:`pysmsc_emulator.smpp.backend`) and an in-memory one for tests
(:mod:`pysmsc_emulator.smpp.memory`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import ssl
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pysmsc.smpp.coding import decode_message
from pysmsc.smpp.concat import ConcatInfo, concat_info, user_data
from pysmsc.smpp.config import BindMode, SystemType
from pysmsc.smpp.errors import PduDecodeError, SmppTransportError
from pysmsc.smpp.pdu import (
    DEFAULT_MAX_PDU_SIZE,
    BindBase,
    BindReceiver,
    BindTransceiver,
    BindTransmitter,
    DeliverSm,
    Pdu,
    QuerySm,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
    Unbind,
)
from pysmsc.smpp.receipts import MessageState
from pysmsc.smpp.session import SmppSession
from pysmsc.smpp.status import CommandStatus
from pysmsc.smpp.tlv import Tag, Tlv

__all__ = [
    "BindRequest",
    "QueryRequest",
    "QueryResult",
    "ServerConfig",
    "ServerSession",
    "SessionInfo",
    "SmppBackend",
    "SmppServer",
    "SubmitRequest",
    "SubmitResult",
]

_LOGGER = logging.getLogger(__name__)

_BIND_MODES: dict[type[BindBase], BindMode] = {
    BindTransmitter: BindMode.TRANSMITTER,
    BindReceiver: BindMode.RECEIVER,
    BindTransceiver: BindMode.TRANSCEIVER,
}
_EAGER: Any = getattr(asyncio, "eager_task_factory", None)
_RETRY_LATER = frozenset(
    {CommandStatus.ESME_RX_T_APPN, CommandStatus.ESME_RTHROTTLED, CommandStatus.ESME_RMSGQFUL}
)


@dataclass(frozen=True)
class BindRequest:
    """A bind to check. The password never appears in repr."""

    system_id: str
    password: str = field(repr=False)
    system_type: SystemType
    raw_system_type: str
    mode: BindMode
    interface_version: int
    address_range: str
    peer: Any


@dataclass(frozen=True)
class SessionInfo:
    """The bound connection a request came from."""

    session_id: int
    system_id: str
    mode: BindMode
    system_type: SystemType
    peer: Any


@dataclass(frozen=True)
class SubmitRequest:
    """One submit_sm: the PDU, and its text already decoded (UDH removed).

    ``concat`` tells which part of a long message this is (None for a single SMS). With the
    service's default, all parts of a message get the same message id (and one receipt);
    with ``session.system_type.single`` each part gets its own.
    """

    session: SessionInfo
    pdu: SubmitSm
    text: str
    payload: bytes
    concat: ConcatInfo | None

    @property
    def source_addr(self) -> str:
        return self.pdu.source_addr

    @property
    def destination_addr(self) -> str:
        return self.pdu.destination_addr

    @property
    def registered_delivery(self) -> bool:
        return bool(self.pdu.registered_delivery & 0x03)


@dataclass(frozen=True)
class SubmitResult:
    """The backend's answer: a message id, or an SMPP error status (``status`` non-zero)."""

    message_id: str = ""
    status: int = 0

    @classmethod
    def accepted(cls, message_id: str) -> SubmitResult:
        return cls(message_id=message_id)

    @classmethod
    def rejected(cls, status: int) -> SubmitResult:
        return cls(status=status)


@dataclass(frozen=True)
class QueryRequest:
    session: SessionInfo
    message_id: str
    source_addr: str


@dataclass(frozen=True)
class QueryResult:
    """The backend's answer to query_sm (``status`` non-zero: e.g. ESME_RQUERYFAIL)."""

    message_id: str = ""
    message_state: int = MessageState.ENROUTE
    final_date: str = ""
    error_code: int = 0
    status: int = 0


class SmppBackend(Protocol):
    """The business logic behind :class:`SmppServer` (the emulator implements it).

    Every method is a coroutine called in the server's event loop; it must not block. An
    exception it raises is logged and answered with ESME_RSYSERR.

    ``authenticate(request) -> int``
        Check ``request.system_id`` / ``request.password`` (and, if wanted,
        ``request.system_type``, ``request.peer``). Return 0 (ESME_ROK) to accept, or an
        error status: ESME_RINVSYSID (unknown login), ESME_RINVPASWD (wrong password),
        ESME_RBINDFAIL (anything else, e.g. SMPP not enabled or IP not allowed).
        Connection limits (MCONn) are the server's business, not the backend's.

    ``submit(request) -> SubmitResult``
        Accept one submit_sm (one part of a long message): store it and return
        ``SubmitResult.accepted(message_id)``, or ``SubmitResult.rejected(status)`` (e.g.
        ESME_RINVDSTADR for a bad number, ESME_RSUBMITFAIL for a duplicate within a minute or
        insufficient funds). Throttling and the window are the server's business. When a
        receipt is due (``request.registered_delivery``), hand it to the server later with
        :meth:`SmppServer.enqueue` (e.g. ``receipts.build_receipt(...)``); receipts of a
        message whose submit_sm asked for none go to the account's HTTP handler instead.

    ``query(request) -> QueryResult``
        The state of ``request.message_id`` (``QueryResult(status=ESME_RQUERYFAIL)`` when
        unknown).

    The push direction does not go through the backend: the emulator calls
    :meth:`SmppServer.enqueue` (or awaits :meth:`SmppServer.deliver`) with deliver_sm PDUs built
    by :func:`pysmsc.smpp.receipts.build_receipt`, :func:`~pysmsc.smpp.receipts.build_hlr_result`
    or :func:`pysmsc.smpp.incoming.build_incoming`. They go to a bound receiver/transceiver of
    the login, or wait for one.
    """

    async def authenticate(self, request: BindRequest) -> int: ...

    async def submit(self, request: SubmitRequest) -> SubmitResult: ...

    async def query(self, request: QueryRequest) -> QueryResult: ...


@dataclass(frozen=True)
class ServerConfig:
    """Server settings (seconds and per-second rates).

    ``throughput``: submit_sm a second per login before ESME_RTHROTTLED (None: no limit; the
    service's default is 30), with bursts of ``throughput_burst`` (default: one second's worth).
    ``window``: submit_sm in progress per connection before ESME_RMSGQFUL.
    ``idle_timeout``: a connection that receives nothing that long is unbound and closed.
    ``response_timeout``: how long a deliver_sm waits for its deliver_sm_resp.
    ``max_pending``: deliver_sm kept per login while no receiver is bound (oldest dropped).
    """

    host: str = "127.0.0.1"
    port: int = 0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    system_id: str = "SMSC"
    idle_timeout: float | None = 120.0
    response_timeout: float = 30.0
    window: int = 2000
    throughput: float | None = 30.0
    throughput_burst: float | None = None
    max_pending: int = 100_000
    retry_delay: float = 1.0
    max_pdu_size: int = DEFAULT_MAX_PDU_SIZE


class _Bucket:
    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.last = time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class ServerSession:
    """The SMSC side of one connection (the handler of its :class:`SmppSession`)."""

    _ids = itertools.count(1)

    def __init__(self, server: SmppServer) -> None:
        self.server = server
        self.id = next(self._ids)
        config = server.config
        self.session = SmppSession(
            self,
            response_timeout=config.response_timeout,
            idle_timeout=config.idle_timeout,
            max_pdu_size=config.max_pdu_size,
            pause_reading_on_backpressure=True,
            name=f"server session {self.id}",
        )
        self.system_id: str | None = None
        self.mode: BindMode | None = None
        self.system_type = SystemType()
        self.info: SessionInfo | None = None
        self.in_progress = 0
        self._binding = False
        self._tasks: set[asyncio.Task[Any]] = set()

    def __repr__(self) -> str:
        return f"<ServerSession {self.id} {self.system_id!r} {self.mode}>"

    @property
    def bound(self) -> bool:
        return self.mode is not None and self.session.usable

    @property
    def can_receive(self) -> bool:
        return self.mode is not None and self.mode.can_receive and self.session.usable

    def _spawn(self, coro: Any) -> None:
        loop = asyncio.get_running_loop()
        # Python 3.12+: run the handler at once, up to its first await (a backend that answers
        # without waiting then costs no task switch, and a delay starts without one either).
        task = _EAGER(loop, coro) if _EAGER is not None else loop.create_task(coro)
        if not task.done():
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    # SessionHandler

    def request_received(self, session: SmppSession, pdu: Pdu) -> None:
        if isinstance(pdu, SubmitSm):
            if self.mode is None or not self.mode.can_send:
                session.send_response(pdu.response(CommandStatus.ESME_RINVBNDSTS))
            elif self.in_progress >= self.server.config.window:
                session.send_response(pdu.response(CommandStatus.ESME_RMSGQFUL))
            elif not self.server._allow(self.system_id or ""):
                session.send_response(pdu.response(CommandStatus.ESME_RTHROTTLED))
            else:
                self.in_progress += 1
                self._spawn(self._submit(pdu))
        elif isinstance(pdu, BindBase):
            if self.mode is not None or self._binding:
                session.send_response(pdu.response(CommandStatus.ESME_RALYBND))
            else:
                self._binding = True
                self._spawn(self._bind(pdu))
        elif isinstance(pdu, QuerySm):
            if self.mode is None or not self.mode.can_send:
                session.send_response(pdu.response(CommandStatus.ESME_RINVBNDSTS))
            else:
                self._spawn(self._query(pdu))
        else:
            session.send_response(pdu.response(CommandStatus.ESME_RINVCMDID))

    def session_closed(self, session: SmppSession, exc: BaseException | None) -> None:
        for task in list(self._tasks):
            task.cancel()
        self.server._session_closed(self)

    # requests

    async def _bind(self, pdu: BindBase) -> None:
        server = self.server
        mode = _BIND_MODES[type(pdu)]
        system_type = SystemType.parse(pdu.system_type)
        request = BindRequest(
            system_id=pdu.system_id,
            password=pdu.password,
            system_type=system_type,
            raw_system_type=pdu.system_type,
            mode=mode,
            interface_version=pdu.interface_version,
            address_range=pdu.address_range,
            peer=self.session.peername,
        )
        try:
            status = await server.backend.authenticate(request)
        except Exception:
            _LOGGER.exception("SMPP backend authenticate failed")
            status = CommandStatus.ESME_RSYSERR
        finally:
            self._binding = False
        resp = pdu.response(status)
        if not status and self.session.usable:
            assert hasattr(resp, "system_id")
            resp.system_id = server.config.system_id
            resp.tlvs = [Tlv.integer(Tag.SC_INTERFACE_VERSION, 0x34, 1)]
            self.system_id = pdu.system_id
            self.mode = mode
            self.system_type = system_type
            self.info = SessionInfo(self.id, pdu.system_id, mode, system_type, request.peer)
            self.session.bound = True
            server._bound(self)
        self.session.send_response(resp)
        if not status and mode.can_receive:
            server._start_flush(pdu.system_id)

    async def _submit(self, pdu: SubmitSm) -> None:
        try:
            assert self.info is not None
            _, data = user_data(pdu)
            request = SubmitRequest(
                session=self.info,
                pdu=pdu,
                text=decode_message(pdu.data_coding, data),
                payload=data,
                concat=concat_info(pdu),
            )
            try:
                result = await self.server.backend.submit(request)
            except Exception:
                _LOGGER.exception("SMPP backend submit failed")
                result = SubmitResult.rejected(CommandStatus.ESME_RSYSERR)
            self.session.send_response(
                SubmitSmResp(
                    command_status=result.status,
                    sequence_number=pdu.sequence_number,
                    message_id=result.message_id,
                )
            )
        finally:
            self.in_progress -= 1

    async def _query(self, pdu: QuerySm) -> None:
        assert self.info is not None
        request = QueryRequest(self.info, pdu.message_id, pdu.source_addr)
        try:
            result = await self.server.backend.query(request)
        except Exception:
            _LOGGER.exception("SMPP backend query failed")
            result = QueryResult(status=CommandStatus.ESME_RSYSERR)
        self.session.send_response(
            QuerySmResp(
                command_status=result.status,
                sequence_number=pdu.sequence_number,
                message_id=result.message_id or pdu.message_id,
                final_date=result.final_date,
                message_state=result.message_state,
                error_code=result.error_code,
            )
        )

    # outgoing

    async def deliver(self, pdu: DeliverSm) -> int:
        """Send one deliver_sm and return the ESME's command_status (raises on no answer)."""
        resp = await self.session.request(dataclasses.replace(pdu, tlvs=list(pdu.tlvs)))
        return resp.command_status

    def end(self, reason: str) -> None:
        """Unbind and close (the ESME gets an unbind, then the connection closes)."""
        if self.session.usable:
            self.session.send_response(Unbind(sequence_number=self.session.next_sequence()))
        self.session.close(reason)

    async def wait_closed(self) -> None:
        await self.session.wait_closed()
        if self._tasks:
            await asyncio.wait(list(self._tasks))


class SmppServer:
    """An SMPP server on ``config.host:config.port`` (port 0: any free port, see
    :attr:`address`). Use ``async with SmppServer(backend, config) as server:``."""

    def __init__(self, backend: SmppBackend, config: ServerConfig | None = None) -> None:
        self.backend = backend
        self.config = config or ServerConfig()
        self._server: asyncio.AbstractServer | None = None
        self._sessions: set[ServerSession] = set()
        self._by_login: dict[str, list[ServerSession]] = {}
        self._buckets: dict[str, _Bucket] = {}
        self._pending: dict[str, deque[DeliverSm]] = {}
        self._flushers: dict[str, asyncio.Task[None]] = {}
        self._rr = itertools.count()
        self._closing = False
        self.address: tuple[str, int] = (self.config.host, self.config.port)

    async def __aenter__(self) -> SmppServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._new_session,
            self.config.host,
            self.config.port,
            ssl=self.config.ssl_context,
        )
        sockname = self._server.sockets[0].getsockname()
        self.address = (sockname[0], sockname[1])

    @property
    def port(self) -> int:
        return self.address[1]

    def _new_session(self) -> SmppSession:
        session = ServerSession(self)
        if self._closing:
            session.session.abort("server closing")
        self._sessions.add(session)
        return session.session

    async def close(self, timeout: float = 2.0) -> None:
        """Stop listening, unbind every connection, stop every task."""
        self._closing = True
        if self._server is not None:
            self._server.close()
        for task in list(self._flushers.values()):
            task.cancel()
        if self._flushers:
            await asyncio.wait(list(self._flushers.values()))
        sessions = list(self._sessions)
        for session in sessions:
            session.end("server closing")
        if sessions:
            _, pending = await asyncio.wait(
                [asyncio.ensure_future(s.session.wait_closed()) for s in sessions], timeout=timeout
            )
            for session in sessions:
                session.session.abort("server closing")
            for fut in pending:
                await fut
            for session in sessions:
                await session.wait_closed()
        if self._server is not None:
            await self._server.wait_closed()

    # sessions

    def sessions(self, system_id: str | None = None) -> list[ServerSession]:
        """The bound sessions (of one login)."""
        if system_id is not None:
            return [s for s in self._by_login.get(system_id, []) if s.bound]
        return [s for s in self._sessions if s.bound]

    @property
    def connections(self) -> int:
        """Open connections, bound or not."""
        return sum(1 for s in self._sessions if s.session.connected)

    def drop(self, system_id: str | None = None) -> None:
        """Abort connections at once, as a network failure would (all, or one login's)."""
        for session in list(self._sessions):
            if system_id is None or session.system_id == system_id:
                session.session.abort("dropped by the server")

    def unbind(self, system_id: str | None = None) -> None:
        """End connections gracefully with a server-initiated unbind."""
        for session in list(self._sessions):
            if system_id is None or session.system_id == system_id:
                session.end("unbound by the server")

    def reconfigure(self, **changes: Any) -> None:
        """Change limits while running (``throughput``, ``throughput_burst``, ``idle_timeout``,
        ``window``...): they apply at once to every login and open connection. The listening
        address and TLS stay as they were started."""
        self.config = dataclasses.replace(self.config, **changes)
        self._buckets.clear()  # the rate buckets are rebuilt with the new rate
        for session in self._sessions:
            session.session.idle_timeout = self.config.idle_timeout

    def clear_pending(self, system_id: str | None = None) -> None:
        """Forget the deliver_sm still waiting for a receiver (of one login, or of all)."""
        for login, queue in self._pending.items():
            if system_id is None or login == system_id:
                queue.clear()  # in place: a running flusher holds this deque

    def _bound(self, session: ServerSession) -> None:
        assert session.system_id is not None
        others = [s for s in self._by_login.get(session.system_id, []) if s.session.usable]
        limit = session.system_type.connections or 1
        while len(others) >= limit:
            old = others.pop(0)
            _LOGGER.info("SMPP: %s replaced by a new bind of the same login", old)
            old.end("replaced by a new bind")
        others.append(session)
        self._by_login[session.system_id] = others

    def _session_closed(self, session: ServerSession) -> None:
        self._sessions.discard(session)
        if session.system_id is not None:
            same = self._by_login.get(session.system_id)
            if same is not None and session in same:
                same.remove(session)

    def _allow(self, system_id: str) -> bool:
        rate = self.config.throughput
        if rate is None:
            return True
        bucket = self._buckets.get(system_id)
        if bucket is None:
            bucket = _Bucket(rate, self.config.throughput_burst or max(1.0, rate))
            self._buckets[system_id] = bucket
        return bucket.allow()

    def _receiver(self, system_id: str) -> ServerSession | None:
        receivers = [s for s in self._by_login.get(system_id, []) if s.can_receive]
        if not receivers:
            return None
        return receivers[next(self._rr) % len(receivers)]

    # deliveries

    def pending(self, system_id: str) -> int:
        """deliver_sm waiting for a receiver of ``system_id``."""
        return len(self._pending.get(system_id, ()))

    def enqueue(self, system_id: str, pdus: DeliverSm | Iterable[DeliverSm]) -> None:
        """Queue deliver_sm for ``system_id``; they go in order to a bound receiver or
        transceiver of that login as soon as there is one (and again after a temporary
        refusal or a lost connection)."""
        queue = self._pending.setdefault(system_id, deque(maxlen=self.config.max_pending))
        if isinstance(pdus, DeliverSm):
            queue.append(pdus)
        else:
            queue.extend(pdus)
        self._start_flush(system_id)

    async def deliver(self, system_id: str, pdus: DeliverSm | Sequence[DeliverSm]) -> bool:
        """Queue ``pdus`` and wait until they are delivered; False if no receiver took them
        (they stay queued for the next bind)."""
        items = [pdus] if isinstance(pdus, DeliverSm) else list(pdus)
        self.enqueue(system_id, items)
        task = self._flushers.get(system_id)
        if task is not None:
            await asyncio.wait([task])
        queue = self._pending.get(system_id, deque())
        return not any(item in queue for item in items)

    def _start_flush(self, system_id: str) -> None:
        if self._closing or not self._pending.get(system_id):
            return
        if system_id in self._flushers or self._receiver(system_id) is None:
            return
        task = asyncio.get_running_loop().create_task(self._flush(system_id))
        self._flushers[system_id] = task

    async def _flush(self, system_id: str) -> None:
        queue = self._pending[system_id]
        try:
            while queue and not self._closing:
                session = self._receiver(system_id)
                if session is None:
                    return
                pdu = queue[0]
                try:
                    status = await session.deliver(pdu)
                except (SmppTransportError, PduDecodeError) as exc:
                    _LOGGER.info(
                        "SMPP: deliver_sm to %s not answered (%s); will retry", session, exc
                    )
                    await asyncio.sleep(self.config.retry_delay)
                    continue
                if status in _RETRY_LATER:
                    await asyncio.sleep(self.config.retry_delay)
                    continue
                if status:
                    _LOGGER.warning(
                        "SMPP: %s refused a deliver_sm with 0x%X; dropped", session, status
                    )
                if queue and queue[0] is pdu:
                    queue.popleft()
        finally:
            self._flushers.pop(system_id, None)
