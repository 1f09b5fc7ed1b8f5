# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMPP client (ESME) of the SMSC service: send, receive receipts and incoming messages.

::

    config = SmppConfig.smsc("login", "password")          # smpp.smsc.ru, TLS, backup host
    async with SmppClient(config) as client:
        ids = await client.submit("79991234567", "Hello", receipt=True)
        async for event in client.events():                 # receipts, HLR results, MO
            ...

This module is the asyncio shell around three pure parts: :mod:`._submit` builds the parts of a
message, :class:`~._outbox.Outbox` decides what goes out on which connection and how each
message ends, :mod:`.stores` remembers what was sent. The shell only moves PDUs and time:

* one task per connection (``config.connections`` of them, system_type ``MCONn``) binds it and
  binds again after a loss (exponential back-off with jitter, the backup host tried when the
  main one fails); :class:`~.session.SmppSession` frames the bytes and matches the answers;
* every answer, and the loss of a connection, reaches the outbox synchronously as it is read,
  and one "pump" per loop turn writes what the outbox releases, resolves the submits that
  ended and sets one timer for the next thing the outbox waits for (a token of the rate, a
  deadline). Nothing waits in a loop: every wait is on a future that only an event completes;
* each incoming deliver_sm is handled in a short task of its own and always acknowledged.

:meth:`SmppClient.close` unbinds gracefully and leaves no task behind. Nothing blocks: the
default TLS context (with certificate checks) is built in an executor, the SQLite store writes
in a thread of its own.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import logging
import random
import ssl
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, cast

from ..errors import ValidationError
from ..text import Encoding
from ._outbox import Outbox
from ._submit import build_message, source_address
from .concat import Reassembler, concat_info
from .config import BindMode, SmppConfig
from .content import Content
from .errors import (
    BindError,
    ClientClosedError,
    PduDecodeError,
    SessionClosedError,
    SmppAuthenticationError,
    SmppConnectionError,
    SmppStatusError,
    SmppTransportError,
    SubmitNotSentError,
)
from .events import Event, EventHub, EventStream
from .incoming import IncomingSms, assemble
from .pdu import (
    BindReceiver,
    BindTransceiver,
    BindTransmitter,
    DeliverSm,
    DeliverSmResp,
    GenericNack,
    Pdu,
    QuerySm,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
)
from .receipts import DeliveryReceipt, HlrResult, MessageState, Report, SentMessage, is_receipt
from .receipts import parse_report as _parse_report
from .session import SmppSession
from .status import CommandStatus
from .stores import MemoryStore, SentStore, normalize_id

__all__ = ["BindInfo", "ConnectionState", "QueryResult", "SmppClient"]

_LOGGER = logging.getLogger(__name__)

StateCallback = Callable[["ConnectionState"], None]

_AUTH_STATUSES = frozenset({CommandStatus.ESME_RINVPASWD, CommandStatus.ESME_RINVSYSID})
_BIND_CLASSES = {
    BindMode.TRANSMITTER: BindTransmitter,
    BindMode.RECEIVER: BindReceiver,
    BindMode.TRANSCEIVER: BindTransceiver,
}
_CLOSED_REASON = "the client was closed before the message was sent"
_RECENT_REPORTS = 1000
# The pump never sets its timer closer than this (a timer, not a busy loop, whatever happens).
_MIN_TIMER = 0.001


class ConnectionState(str, enum.Enum):
    """Where a connection stands (``BOUND`` is "connected" for a UI). The client's own state
    is the best of its connections'."""

    DISCONNECTED = "disconnected"  # not connected; waiting before the next attempt
    CONNECTING = "connecting"  # opening the connection and binding
    BOUND = "bound"  # bound: messages go and come
    UNBINDING = "unbinding"  # closing gracefully
    CLOSED = "closed"  # closed by the user; the client is finished


@dataclass(frozen=True)
class BindInfo:
    """One connection of the client: ``index`` (0 to connections - 1), its ``state``, the
    ``endpoint`` (host, port) it uses or last used, the submits awaiting their answer on it
    (``outstanding``) and the error of its last failed attempt."""

    index: int
    state: ConnectionState
    endpoint: tuple[str, int] | None
    outstanding: int
    last_error: BaseException | None


@dataclass(frozen=True)
class QueryResult:
    """The answer to :meth:`SmppClient.query` (query_sm)."""

    message_id: str
    state: MessageState | int
    final_date: str
    error_code: int


class _Bind:
    """One connection slot of the client and its reconnecting task."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.state = ConnectionState.DISCONNECTED
        self.session: SmppSession | None = None
        self.endpoint: tuple[str, int] | None = None
        self.last_error: BaseException | None = None
        self.task: asyncio.Task[None] | None = None


class _Submit:
    """A submit() awaiting its outcome."""

    __slots__ = ("destination", "future", "reference", "submitted_at", "validity")

    def __init__(
        self,
        future: asyncio.Future[list[str]],
        destination: str,
        reference: Any,
        validity: timedelta | None,
    ) -> None:
        self.future = future
        self.destination = destination
        self.reference = reference
        self.validity = validity
        self.submitted_at = time.time()


class SmppClient:
    """An SMPP 3.4 ESME for the SMSC service: one connection, or a pool of up to nine
    (``config.connections``). ``store`` remembers what was sent for the receipts (default: a
    :class:`~pysmsc.smpp.stores.MemoryStore` of the last 10,000 messages). See the module
    documentation."""

    def __init__(self, config: SmppConfig, *, store: SentStore | None = None) -> None:
        self.config = config
        self.store: SentStore = store if store is not None else MemoryStore()
        self._hub = EventHub(config.event_queue_size)
        self._binds = [_Bind(index) for index in range(config.connections)]
        self._bind_of: dict[SmppSession, _Bind] = {}
        self._state = ConnectionState.DISCONNECTED
        self._state_callbacks: list[StateCallback] = []
        self._changed: asyncio.Future[None] | None = None  # completed on every state change
        self._loop: asyncio.AbstractEventLoop | None = None
        self._outbox: Outbox | None = None
        self._submits: dict[int, _Submit] = {}
        self._pump_handle: asyncio.Handle | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._idle: list[asyncio.Future[None]] = []  # waiting for nothing in flight
        self._answered: list[tuple[int, asyncio.Future[None]]] = []  # waiting for old answers
        self._tasks: set[asyncio.Task[Any]] = set()
        self._opened = False
        self._closing = False
        self._closed_event: asyncio.Event | None = None
        self._reassembler: Reassembler[DeliverSm] = Reassembler(config.reassembly_timeout)
        self._expiry: asyncio.TimerHandle | None = None
        self._reports: OrderedDict[str, Report] = OrderedDict()
        self._report_waiters: dict[str, list[asyncio.Future[Report]]] = {}
        self._reference = random.randrange(256)  # noqa: S311 - not a secret
        self._ssl_context: ssl.SSLContext | None = config.ssl_context
        self.last_error: BaseException | None = None

    # -- state -----------------------------------------------------------------------------

    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def bound(self) -> bool:
        return self._state is ConnectionState.BOUND

    @property
    def endpoint(self) -> tuple[str, int] | None:
        """The (host, port) of the first bound connection (else the last one used)."""
        bound = [b.endpoint for b in self._binds if b.state is ConnectionState.BOUND]
        if bound:
            return bound[0]
        return next((b.endpoint for b in self._binds if b.endpoint is not None), None)

    @property
    def binds(self) -> tuple[BindInfo, ...]:
        """The state of each connection of the pool."""
        outbox = self._outbox
        return tuple(
            BindInfo(
                bind.index,
                bind.state,
                bind.endpoint,
                outbox.link_in_flight(bind.index) if outbox is not None else 0,
                bind.last_error,
            )
            for bind in self._binds
        )

    @property
    def outstanding(self) -> int:
        """submit_sm sent whose answer has not come yet (on all connections)."""
        return self._outbox.in_flight if self._outbox is not None else 0

    @property
    def throttled_count(self) -> int:
        """How often the SMSC answered "too fast" (ESME_RTHROTTLED / ESME_RMSGQFUL)."""
        return self._outbox.rate.throttled_count if self._outbox is not None else 0

    def on_state_change(self, callback: StateCallback) -> Callable[[], None]:
        """Call ``callback(state)`` (a plain function, run in the loop) on every change of
        :attr:`state`. Returns a function that unsubscribes."""
        self._state_callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._state_callbacks:
                self._state_callbacks.remove(callback)

        return unsubscribe

    def _set_state(self, state: ConnectionState) -> None:
        if state is self._state:
            return
        self._state = state
        changed, self._changed = self._changed, None
        if changed is not None and not changed.done():
            changed.set_result(None)
        for callback in list(self._state_callbacks):
            try:
                callback(state)
            except Exception:
                _LOGGER.exception("SMPP state callback failed")

    def _update_state(self) -> None:
        """The client's state from its connections' (not while closing)."""
        if self._closing:
            return
        states = {bind.state for bind in self._binds}
        for state in (ConnectionState.BOUND, ConnectionState.CONNECTING):
            if state in states:
                self._set_state(state)
                return
        self._set_state(ConnectionState.DISCONNECTED)

    async def _state_change(self, deadline: float | None) -> None:
        """Wait for the next change of :attr:`state` (raises TimeoutError at ``deadline``)."""
        loop = asyncio.get_running_loop()
        if self._changed is None or self._changed.done():
            self._changed = loop.create_future()
        remaining = None if deadline is None else max(0.0, deadline - loop.time())
        await asyncio.wait_for(asyncio.shield(self._changed), remaining)

    async def wait_bound(self, timeout: float | None = None) -> None:
        """Wait until a connection is bound (raises :class:`asyncio.TimeoutError`)."""
        if not self._opened:
            raise ClientClosedError("the client is not open")
        deadline = None if timeout is None else asyncio.get_running_loop().time() + timeout
        while not self.bound:
            if self._closing:
                raise ClientClosedError("the client is closed")
            await self._state_change(deadline)
        if self._closing:
            raise ClientClosedError("the client is closed")

    # -- events ----------------------------------------------------------------------------

    def on_receipt(
        self, callback: Callable[[Report], Awaitable[None] | None]
    ) -> Callable[[], None]:
        """Call ``callback`` (plain or async) with every :class:`DeliveryReceipt` and
        :class:`HlrResult`. Returns a function that unsubscribes."""
        return self._hub.listen((DeliveryReceipt, HlrResult), callback)

    def on_message(
        self, callback: Callable[[IncomingSms], Awaitable[None] | None]
    ) -> Callable[[], None]:
        """Call ``callback`` (plain or async) with every :class:`IncomingSms`."""
        return self._hub.listen((IncomingSms,), callback)

    def on_event(self, callback: Callable[[Event], Awaitable[None] | None]) -> Callable[[], None]:
        """Call ``callback`` (plain or async) with every receipt, HLR result and message."""
        return self._hub.listen((DeliveryReceipt, HlrResult, IncomingSms), callback)

    def events(self) -> EventStream[Event]:
        """Receipts, HLR results and incoming messages, as an async iterator."""
        return self._hub.stream((DeliveryReceipt, HlrResult, IncomingSms))

    def receipts(self) -> EventStream[Report]:
        """Delivery receipts and HLR results, as an async iterator."""
        return self._hub.stream((DeliveryReceipt, HlrResult))

    def messages(self) -> EventStream[IncomingSms]:
        """Incoming messages, as an async iterator."""
        return self._hub.stream((IncomingSms,))

    async def wait_for_report(self, message_id: str, timeout: float | None = None) -> Report:
        """Wait for the receipt (or HLR result) of ``message_id``; one that came before this
        call (among the last thousand) is returned at once."""
        key = normalize_id(message_id)
        report = self._reports.get(key)
        if report is not None:
            return report
        if self._closing or self._state is ConnectionState.CLOSED:
            raise ClientClosedError("the client is closed")
        fut: asyncio.Future[Report] = asyncio.get_running_loop().create_future()
        self._report_waiters.setdefault(key, []).append(fut)
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            waiters = self._report_waiters.get(key)
            if waiters is not None and fut in waiters:
                waiters.remove(fut)
                if not waiters:
                    del self._report_waiters[key]

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> SmppClient:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def open(self, *, wait: bool = True) -> None:
        """Open the store and start the connections.

        With ``wait`` (the default) return once every connection has made its first round of
        attempts (every host tried once) and at least one is bound; when none is, raise the
        error of the first (:class:`SmppConnectionError`, :class:`SmppAuthenticationError` or
        :class:`BindError`), leaving nothing running. Connections that failed keep trying in
        the background. Without ``wait``, return at once and keep trying in the background
        (see :attr:`state`, :attr:`binds` and :attr:`last_error`).
        """
        if self._opened:
            raise RuntimeError("an SmppClient can be opened once")
        self._opened = True
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._closed_event = asyncio.Event()
        config = self.config
        self._outbox = Outbox(
            throughput=config.throughput, throttle_pause=config.throttle_pause, now=loop.time()
        )
        try:
            await self.store.open()
        except BaseException:
            self._closing = True
            self._set_state(ConnectionState.CLOSED)
            raise
        firsts: list[asyncio.Future[None]] = []
        for bind in self._binds:
            first: asyncio.Future[None] | None = loop.create_future() if wait else None
            if first is not None:
                firsts.append(first)
            bind.task = loop.create_task(self._run(bind, first))
        if not wait:
            return
        try:
            await asyncio.wait([asyncio.shield(f) for f in firsts])
        except BaseException:
            await self.close()
            raise
        if not any(f.exception() is None for f in firsts):
            await self.close()
            error = firsts[0].exception()
            assert error is not None
            raise error

    async def close(self) -> None:
        """Unbind gracefully (answers to messages already sent are awaited up to
        ``close_timeout``), stop every task, close the store and end the event streams.
        Messages not sent yet fail with :class:`SubmitNotSentError`. Idempotent."""
        if self._state is ConnectionState.CLOSED:
            return
        if self._closing:
            if self._closed_event is not None:
                await self._closed_event.wait()
            return
        self._closing = True
        timeout = self.config.close_timeout
        outbox = self._outbox
        if outbox is not None:
            outbox.close(_CLOSED_REASON)
            self._pump()
        bound = [b.session for b in self._binds if b.session is not None and b.session.usable]
        changed, self._changed = self._changed, None
        if changed is not None and not changed.done():
            changed.set_result(None)  # wake the waiters for a connection: they give up
        if bound:
            self._set_state(ConnectionState.UNBINDING)
            try:
                await asyncio.wait_for(self._wait_idle(), timeout)
            except asyncio.TimeoutError:
                _LOGGER.warning("SMPP: closing with %d answers still awaited", self.outstanding)
            await asyncio.gather(*(session.unbind(timeout) for session in bound))
        runners = [b.task for b in self._binds if b.task is not None]
        for task in runners:
            task.cancel()
        if runners:
            await asyncio.wait(runners)
        for session in list(self._bind_of):
            session.abort("client closed")
            await session.wait_closed()
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=timeout)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        if outbox is not None:
            self._pump()  # the outcomes of the last answers and losses
        for handle in (self._pump_handle, self._timer, self._expiry):
            if handle is not None:
                handle.cancel()
        self._pump_handle = self._timer = self._expiry = None
        for _, answered in self._answered:
            if not answered.done():
                answered.set_result(None)
        self._answered.clear()
        self._reassembler.clear()
        for waiters in self._report_waiters.values():
            for fut in waiters:
                if not fut.done():
                    fut.set_exception(ClientClosedError("the client was closed"))
        self._report_waiters.clear()
        try:
            await self.store.close()
        finally:
            self._hub.close()
            self._set_state(ConnectionState.CLOSED)
            if self._closed_event is not None:
                self._closed_event.set()

    async def _wait_idle(self) -> None:
        if self.outstanding == 0:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._idle.append(fut)
        await fut

    # -- connections -----------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        growth = float(1 << min(attempt, 30))
        base = min(self.config.reconnect_max_delay, self.config.reconnect_delay * growth)
        return base * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not cryptography

    def _is_closing(self) -> bool:
        return self._closing  # a call: the flag changes while a task awaits

    def _set_bind_state(self, bind: _Bind, state: ConnectionState) -> None:
        bind.state = state
        self._update_state()

    async def _run(self, bind: _Bind, first: asyncio.Future[None] | None) -> None:
        """Keep ``bind`` connected until the client closes."""
        attempt = 0
        try:
            while not self._is_closing():
                error: BaseException | None = None
                for host, port in self.config.endpoints():
                    if self._is_closing():
                        return
                    self._set_bind_state(bind, ConnectionState.CONNECTING)
                    try:
                        session = await self._connect(bind, host, port)
                    except (SmppTransportError, BindError) as exc:
                        # A misconfigured account fails every few minutes forever: say it once.
                        log = _LOGGER.warning if attempt == 0 else _LOGGER.debug
                        log("SMPP %s:%d: %s", host, port, exc)
                        error = exc
                        continue
                    attempt = 0
                    error = None
                    bind.last_error = None
                    bind.endpoint = (host, port)
                    self._bound(bind, session)
                    if first is not None and not first.done():
                        first.set_result(None)
                    await session.wait_closed()
                    _LOGGER.info(
                        "SMPP %s: connection ended (%s)",
                        session.name,
                        session.close_reason or "lost",
                    )
                    break
                if self._is_closing():
                    return
                if error is not None:
                    bind.last_error = self.last_error = error  # before the state change
                self._set_bind_state(bind, ConnectionState.DISCONNECTED)
                if error is not None and first is not None and not first.done():
                    first.set_exception(error)
                if not self.config.reconnect:
                    return
                await asyncio.sleep(self._backoff(attempt))
                attempt += 1
        finally:
            if first is not None and not first.done():
                first.set_exception(self.last_error or SmppConnectionError("connection stopped"))
            if first is not None and not first.cancelled():
                first.exception()  # open() may be gone (cancelled): never "never retrieved"

    def _bound(self, bind: _Bind, session: SmppSession) -> None:
        if not session.usable:  # lost between the bind and now
            self._bind_of.pop(session, None)
            return
        bind.session = session
        assert self._outbox is not None
        self._outbox.link_up(bind.index, self.config.window)
        self.last_error = None
        self._set_bind_state(bind, ConnectionState.BOUND)
        self._wake()

    def _unbound(self, bind: _Bind) -> None:
        """``bind``'s connection is gone (or unusable): at once, nothing more goes on it."""
        if bind.session is None:
            return
        bind.session = None
        if self._outbox is not None:
            self._outbox.link_down(bind.index)
        if not self._closing:
            self._set_bind_state(bind, ConnectionState.DISCONNECTED)
        else:
            bind.state = ConnectionState.DISCONNECTED
        self._wake()

    async def _get_ssl_context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            loop = asyncio.get_running_loop()
            # Loading the system CAs reads files: not in the event loop.
            self._ssl_context = await loop.run_in_executor(None, ssl.create_default_context)
        return self._ssl_context

    async def _connect(self, bind: _Bind, host: str, port: int) -> SmppSession:
        config = self.config
        loop = asyncio.get_running_loop()
        context = await self._get_ssl_context() if config.tls else None
        name = f"{host}:{port}" if config.connections == 1 else f"{host}:{port}#{bind.index + 1}"
        session = SmppSession(
            self,
            response_timeout=config.response_timeout,
            enquire_link_interval=config.enquire_link_interval,
            max_pdu_size=config.max_pdu_size,
            name=name,
        )
        self._bind_of[session] = bind
        try:
            try:
                await asyncio.wait_for(
                    loop.create_connection(
                        lambda: session,
                        host,
                        port,
                        ssl=context,
                        server_hostname=(config.server_hostname or host) if context else None,
                    ),
                    config.connect_timeout,
                )
            except (OSError, asyncio.TimeoutError) as exc:
                raise SmppConnectionError(
                    f"cannot connect to {host}:{port}: {exc or type(exc).__name__}"
                ) from exc
            bind_pdu = _BIND_CLASSES[config.bind_mode](
                system_id=config.login,
                password=config.password,
                system_type=config.bind_system_type,
                interface_version=config.interface_version,
                address_range=config.address_range,
            )
            try:
                resp = await session.request(bind_pdu, config.connect_timeout)
            except SmppTransportError as exc:
                raise SmppConnectionError(f"{host}:{port}: no answer to the bind: {exc}") from exc
            except PduDecodeError as exc:
                raise SmppConnectionError(
                    f"{host}:{port}: invalid answer to the bind: {exc}"
                ) from exc
            if resp.command_status:
                cls = (
                    SmppAuthenticationError if resp.command_status in _AUTH_STATUSES else BindError
                )
                raise cls(bind_pdu.command_name, resp.command_status)  # noqa: TRY301
        except BaseException:
            session.abort("bind failed")
            await session.wait_closed()
            self._bind_of.pop(session, None)
            raise
        session.bound = True
        return session

    # SessionHandler

    def request_received(self, session: SmppSession, pdu: Pdu) -> None:
        if isinstance(pdu, DeliverSm):
            task = asyncio.get_running_loop().create_task(self._handle_deliver(session, pdu))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            session.send_response(pdu.response(CommandStatus.ESME_RINVCMDID))

    def session_closed(self, session: SmppSession, exc: BaseException | None) -> None:
        bind = self._bind_of.pop(session, None)
        if bind is not None and bind.session is session:
            self._unbound(bind)

    # -- the pump: the outbox's decisions carried out --------------------------------------

    def _wake(self) -> None:
        """Pump once in this turn of the loop (however many events asked for it)."""
        if self._pump_handle is None and self._loop is not None:
            self._pump_handle = self._loop.call_soon(self._pump)

    def _pump(self) -> None:
        self._pump_handle = None
        outbox, loop = self._outbox, self._loop
        if outbox is None or loop is None:
            return
        now = loop.time()
        while True:
            lost = False
            for ref, link, pdu in outbox.dispatch(now):
                bind = self._binds[cast(int, link)]
                session = bind.session
                try:
                    if session is not None:
                        session.send_request_to(pdu, partial(self._answer, ref))
                        continue
                    reason = "the connection was lost"
                except SessionClosedError as exc:
                    reason = str(exc)
                # The connection ended a moment ago (the peer's end of stream came first): the
                # part never left; it goes on another connection or waits for one.
                outbox.failed(ref, maybe_received=False, reason=reason, now=now)
                self._unbound(bind)
                lost = True
            if not lost:
                break
        self._settle_outcomes()
        self._set_timer(outbox.next_wakeup(now), now)
        if self._idle and outbox.in_flight == 0:
            idle, self._idle = self._idle, []
            for fut in idle:
                if not fut.done():
                    fut.set_result(None)
        if self._answered:
            oldest = outbox.oldest_in_flight()
            waiting = []
            for ref, fut in self._answered:
                if oldest is None or oldest > ref:
                    if not fut.done():
                        fut.set_result(None)
                else:
                    waiting.append((ref, fut))
            self._answered = waiting

    def _set_timer(self, when: float | None, now: float) -> None:
        timer = self._timer
        if when is None:
            if timer is not None:
                timer.cancel()
                self._timer = None
            return
        when = max(when, now + _MIN_TIMER)
        if timer is not None:
            if timer.when() <= when and not timer.cancelled():
                return  # an earlier timer pumps first, and sets the next one then
            timer.cancel()
        assert self._loop is not None
        self._timer = self._loop.call_at(when, self._timer_fired)

    def _timer_fired(self) -> None:
        self._timer = None
        self._pump()

    def _answer(self, ref: int, pdu: Pdu | None, error: BaseException | None) -> None:
        """The session read the answer to part ``ref`` (or gave up on it)."""
        outbox, loop = self._outbox, self._loop
        assert outbox is not None
        assert loop is not None
        now = loop.time()
        if error is not None:
            maybe = not isinstance(error, SessionClosedError) or error.maybe_received
            outbox.failed(ref, maybe_received=maybe, reason=str(error), now=now)
        elif isinstance(pdu, SubmitSmResp):
            outbox.answered(ref, pdu.command_status, pdu.message_id, now)
        elif isinstance(pdu, GenericNack) and pdu.command_status:
            outbox.answered(ref, pdu.command_status, "", now)
        else:
            outbox.failed(ref, maybe_received=True, reason="generic_nack without status", now=now)
        self._wake()

    def _settle_outcomes(self) -> None:
        """Resolve the submits that ended, and remember what was sent."""
        outbox = self._outbox
        if outbox is None:
            return
        for outcome in outbox.outcomes():
            submit = self._submits.pop(outcome.key, None)
            if submit is None:
                continue
            if outcome.message_ids:
                self.store.add(
                    outcome.message_ids,
                    submit.destination,
                    outcome.parts,
                    submit.submitted_at,
                    reference=submit.reference,
                    validity=submit.validity,
                )
            future = submit.future
            if future.done():
                continue
            if outcome.sent:
                future.set_result(list(outcome.message_ids))
            else:
                future.set_exception(outcome.error())  # type: ignore[arg-type]

    # -- receiving -------------------------------------------------------------------------

    async def _handle_deliver(self, session: SmppSession, pdu: DeliverSm) -> None:
        try:
            event = await self._interpret(pdu)
            if event is not None:
                await asyncio.wait_for(self._hub.publish(event), self.config.handler_timeout)
        except asyncio.TimeoutError:
            _LOGGER.warning(
                "SMPP: event handlers took longer than %ss", self.config.handler_timeout
            )
        except Exception:
            _LOGGER.exception("SMPP: handling a deliver_sm failed")
        finally:
            # Always acknowledged, even when a handler failed: the SMSC must not resend forever.
            session.send_response(DeliverSmResp(sequence_number=pdu.sequence_number))

    async def _interpret(self, pdu: DeliverSm) -> Event | None:
        if is_receipt(pdu):
            return await self._report(_parse_report(pdu))
        info = concat_info(pdu)
        if info is None:
            return assemble([pdu])
        parts = self._reassembler.add((pdu.source_addr, pdu.destination_addr), info, pdu)
        if parts is not None:
            return assemble(parts)
        self._schedule_expiry()
        return None

    async def _find_sent(self, message_id: str) -> SentMessage | None:
        self._settle_outcomes()  # a submit answered in this very read
        sent = await self.store.find(message_id)
        outbox = self._outbox
        if sent is None and outbox is not None and outbox.in_flight and not self._closing:
            # Its submit_sm_resp may still be on its way on another connection: wait until
            # every submit written before this receipt came has its answer.
            fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._answered.append((outbox.last_ref, fut))
            try:
                await asyncio.wait_for(fut, self.config.response_timeout)
            except asyncio.TimeoutError:
                return None
            self._settle_outcomes()
            sent = await self.store.find(message_id)
        return sent

    async def _report(self, report: Report) -> Report:
        sent = await self._find_sent(report.message_id)
        if sent is not None:
            report = dataclasses.replace(report, sent=sent)
        key = normalize_id(report.message_id)
        self._reports[key] = report
        if len(self._reports) > _RECENT_REPORTS:
            self._reports.popitem(last=False)
        for fut in self._report_waiters.pop(key, []):
            if not fut.done():
                fut.set_result(report)
        return report

    def _schedule_expiry(self) -> None:
        if self._expiry is not None:
            return
        deadline = self._reassembler.next_deadline()
        if deadline is None:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, deadline - self._reassembler._clock()) + 0.01
        self._expiry = loop.call_later(delay, self._expire_parts)

    def _expire_parts(self) -> None:
        self._expiry = None
        loop = asyncio.get_running_loop()
        for parts in self._reassembler.expire():
            message = assemble(parts)
            _LOGGER.warning(
                "SMPP: incoming message from %s incomplete after %ss (parts %s missing)",
                message.source,
                self.config.reassembly_timeout,
                ",".join(map(str, message.missing_parts)),
            )
            task = loop.create_task(self._publish_safely(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._schedule_expiry()

    async def _publish_safely(self, event: Event) -> None:
        try:
            await asyncio.wait_for(self._hub.publish(event), self.config.handler_timeout)
        except Exception:
            _LOGGER.exception("SMPP: event handlers failed")

    # -- sending ---------------------------------------------------------------------------

    def _next_reference(self) -> int:
        self._reference = (self._reference + 1) & 0xFF
        return self._reference

    def build_submit(
        self,
        to: str,
        message: Content = "",
        *,
        sender: str | None = None,
        comment: str | None = None,
        receipt: bool | None = None,
        encoding: Encoding | None = None,
        flash: bool = False,
        priority: int = 0,
        validity: datetime | timedelta | None = None,
        schedule: datetime | timedelta | None = None,
    ) -> list[SubmitSm]:
        """The submit_sm PDUs that :meth:`submit` would send (validation included)."""
        return list(
            build_message(
                self.config,
                to,
                message,
                reference=self._next_reference(),
                sender=sender,
                comment=comment,
                receipt=receipt,
                encoding=encoding,
                flash=flash,
                priority=priority,
                validity=validity,
                schedule=schedule,
            ).parts
        )

    async def submit(
        self,
        to: str,
        message: Content = "",
        *,
        sender: str | None = None,
        comment: str | None = None,
        receipt: bool | None = None,
        encoding: Encoding | None = None,
        flash: bool = False,
        priority: int = 0,
        validity: datetime | timedelta | None = None,
        schedule: datetime | timedelta | None = None,
        reference: Any = None,
        timeout: float | None = None,
    ) -> list[str]:
        """Send ``message`` to ``to`` and return the message id(s) the SMSC gave.

        ``message`` is a text, or one of :mod:`pysmsc.smpp.content`'s types (``Call``, ``Mail``,
        ``Viber``, ``Social``, ``TelegramCode``, ``TelegramBot``, ``Hlr``, ``Ping``);
        ``comment`` goes to the account's history only. ``receipt`` asks for a delivery
        receipt (default: the config's ``registered_delivery``; always for Hlr and Ping).
        ``encoding`` forces an alphabet (LATIN1 needs ``SystemType(iso=True)``).
        ``reference`` is attached to the receipts of this message (``.sent.reference``).
        ``timeout`` (default ``submit_timeout``) bounds the wait for a connection and for room
        in the window and the rate; each answer then has ``response_timeout``. Cancelling the
        call stops the parts not written yet.

        A long message goes in several parts sent back to back: the service answers one id for
        all of them (one id returned) or, with ``SystemType(single=True)``, one id per part.

        Raises :class:`ValidationError` (nothing sent), :class:`SubmitRejectedError` /
        :class:`ThrottledError`, :class:`SubmitNotSentError` (safe to retry),
        :class:`SubmitOutcomeUnknownError` (do not retry blindly), :class:`ClientClosedError`.
        Each has ``may_have_been_sent``.
        """
        if self._closing or not self._opened:
            raise ClientClosedError("the client is not open")
        if not self.config.bind_mode.can_send:
            raise ValidationError("bind_mode", "a receiver cannot send messages")
        built = build_message(
            self.config,
            to,
            message,
            reference=self._next_reference(),
            sender=sender,
            comment=comment,
            receipt=receipt,
            encoding=encoding,
            flash=flash,
            priority=priority,
            validity=validity,
            schedule=schedule,
        )
        self.store.check_reference(reference)
        outbox, loop = self._outbox, self._loop
        assert outbox is not None
        assert loop is not None
        wait = self.config.submit_timeout if timeout is None else timeout
        key = outbox.add(built.parts, deadline=loop.time() + wait)
        future: asyncio.Future[list[str]] = loop.create_future()
        self._submits[key] = _Submit(future, built.destination, reference, built.validity)
        self._wake()
        try:
            return await future
        except asyncio.CancelledError:
            outbox.cancel(key)
            self._wake()
            raise

    async def _session(self, deadline: float) -> SmppSession:
        """A bound session, waiting for one until ``deadline``."""
        while True:
            if self._closing:
                raise ClientClosedError("the client is closed")
            for bind in self._binds:
                if bind.session is not None and bind.session.usable:
                    return bind.session
            try:
                await self._state_change(deadline)
            except asyncio.TimeoutError:
                raise SubmitNotSentError(
                    f"no bound SMPP connection in time ({self.last_error})"
                ) from None

    async def query(self, message_id: str, *, source: str | None = None) -> QueryResult:
        """Ask the SMSC for the state of a message (query_sm)."""
        if self._closing or not self._opened:
            raise ClientClosedError("the client is not open")
        loop = asyncio.get_running_loop()
        session = await self._session(loop.time() + self.config.submit_timeout)
        addr, ton, npi = source_address(source if source is not None else self.config.sender)
        resp = await session.request(
            QuerySm(
                message_id=message_id, source_addr_ton=ton, source_addr_npi=npi, source_addr=addr
            )
        )
        if resp.command_status or not isinstance(resp, QuerySmResp):
            raise SmppStatusError("query_sm", resp.command_status or CommandStatus.ESME_RQUERYFAIL)
        state: MessageState | int
        try:
            state = MessageState(resp.message_state)
        except ValueError:
            state = resp.message_state
        return QueryResult(resp.message_id, state, resp.final_date, resp.error_code)
