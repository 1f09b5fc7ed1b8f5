# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMPP client (ESME) of the SMSC service: send, receive receipts and incoming messages.

::

    config = SmppConfig.smsc("login", "password")          # smpp.smsc.ru, TLS, backup host
    async with SmppClient(config) as client:
        ids = await client.submit("79991234567", "Hello", receipt=True)
        async for event in client.events():                 # receipts, HLR results, MO
            ...

Everything runs on the caller's event loop: one background task keeps the connection (bind,
enquire_link, reconnect with exponential back-off and jitter, fail-over to the backup host),
one short task handles each incoming deliver_sm. :meth:`SmppClient.close` unbinds gracefully
and leaves no task behind. Nothing blocks: the default TLS context (with certificate checks)
is built in an executor.

Sending keeps at most ``window`` submit_sm outstanding and at most ``throughput`` a second.
ESME_RTHROTTLED / ESME_RMSGQFUL slow the sender down and the refused message is sent again;
other error statuses fail it with :class:`SubmitRejectedError`. A message written to a
connection that was lost before its answer came fails with :class:`SubmitOutcomeUnknownError`
and is never sent again automatically; one that never left waits for the next connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import enum
import inspect
import logging
import random
import ssl
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Generic, Optional, TypeVar, Union

from ..errors import ValidationError
from ..text import Encoding, encode_gsm7
from .coding import data_coding_for
from .concat import ConcatMethod, Reassembler, build_parts, concat_info
from .content import Content, Hlr, Mail, Ping, render
from .errors import (
    BindError,
    ClientClosedError,
    PduDecodeError,
    SmppAuthenticationError,
    SmppConnectionError,
    SmppStatusError,
    SmppTransportError,
    SubmitNotSentError,
    SubmitOutcomeUnknownError,
    SubmitRejectedError,
    ThrottledError,
)
from .flow import RateLimiter, Window
from .incoming import IncomingMessage, assemble
from .options import BindMode, SystemType
from .pdu import (
    DEFAULT_MAX_PDU_SIZE,
    BindReceiver,
    BindTransceiver,
    BindTransmitter,
    DeliverSm,
    DeliverSmResp,
    Pdu,
    QuerySm,
    QuerySmResp,
    SubmitSm,
    SubmitSmResp,
    smpp_time,
)
from .receipts import DeliveryReceipt, HlrResult, MessageState, Report, SentMessage, is_receipt
from .receipts import parse_report as _parse_report
from .session import SmppSession
from .status import RETRYABLE_STATUSES, CommandStatus

__all__ = [
    "SMSC_BACKUP_HOST",
    "SMSC_HOST",
    "SMSC_PORT",
    "SMSC_TLS_PORT",
    "ConnectionState",
    "Event",
    "EventStream",
    "MessageStatus",
    "SmppClient",
    "SmppConfig",
]

_LOGGER = logging.getLogger(__name__)

SMSC_HOST = "smpp.smsc.ru"
SMSC_BACKUP_HOST = "smpp2.smsc.ru"
SMSC_PORT = 3700
SMSC_TLS_PORT = 3443

Event = Union[DeliveryReceipt, HlrResult, IncomingMessage]
E = TypeVar("E")
EventCallback = Callable[[Any], Optional[Awaitable[None]]]
StateCallback = Callable[["ConnectionState"], None]

_AUTH_STATUSES = frozenset({CommandStatus.ESME_RINVPASWD, CommandStatus.ESME_RINVSYSID})
_BIND_CLASSES = {
    BindMode.TRANSMITTER: BindTransmitter,
    BindMode.RECEIVER: BindReceiver,
    BindMode.TRANSCEIVER: BindTransceiver,
}


class ConnectionState(str, enum.Enum):
    """Where the client's connection stands (``BOUND`` is "connected" for a UI)."""

    DISCONNECTED = "disconnected"  # not connected; waiting before the next attempt
    CONNECTING = "connecting"  # opening the connection and binding
    BOUND = "bound"  # bound: messages go and come
    UNBINDING = "unbinding"  # closing gracefully
    CLOSED = "closed"  # closed by the user; the client is finished


@dataclass(frozen=True)
class SmppConfig:
    """How to reach and use the SMSC. Timeouts and intervals are in seconds.

    ``port`` defaults to 3700, or 3443 with ``tls``. With ``tls`` the server certificate is
    checked against the system CAs unless ``ssl_context`` says otherwise. ``backup_host`` is
    tried when ``host`` fails. ``window`` is the number of submit_sm awaiting their answer
    (the service suggests 300, up to 2000 for mass mailings), ``throughput`` the submit_sm a
    second (None: no limit; the service's default limit is 30). ``registered_delivery`` asks
    for receipts on every message unless a submit says otherwise. ``concat`` chooses how long
    messages travel. The password never appears in repr or logs.
    """

    login: str
    password: str = field(default="", repr=False)
    host: str = SMSC_HOST
    port: int | None = None
    backup_host: str | None = None
    backup_port: int | None = None
    tls: bool = False
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    server_hostname: str | None = None
    bind_mode: BindMode = BindMode.TRANSCEIVER
    system_type: SystemType = field(default_factory=SystemType)
    sender: str | None = None
    registered_delivery: bool = False
    window: int = 300
    throughput: float | None = 30.0
    concat: ConcatMethod = ConcatMethod.UDH
    enquire_link_interval: float | None = 30.0
    response_timeout: float = 30.0
    connect_timeout: float = 10.0
    submit_timeout: float = 60.0
    close_timeout: float = 5.0
    throttle_pause: float = 1.0
    reconnect: bool = True
    reconnect_delay: float = 1.0
    reconnect_max_delay: float = 60.0
    reassembly_timeout: float = 60.0
    handler_timeout: float = 30.0
    event_queue_size: int = 1000
    track_messages: int = 10_000
    interface_version: int = 0x34
    address_range: str = ""
    max_pdu_size: int = DEFAULT_MAX_PDU_SIZE

    def __post_init__(self) -> None:
        if not self.login:
            raise ValidationError("login", "required")
        for name in ("login", "password"):
            value = getattr(self, name)
            if not value.isascii() or "\0" in value:
                raise ValidationError(name, "ASCII characters only")
        if self.window < 1:
            raise ValidationError("window", "at least 1")
        if self.throughput is not None and self.throughput <= 0:
            raise ValidationError("throughput", "a positive rate, or None for no limit")
        if self.enquire_link_interval is not None and self.enquire_link_interval <= 0:
            raise ValidationError("enquire_link_interval", "positive, or None to send none")
        for name in (
            "response_timeout",
            "connect_timeout",
            "submit_timeout",
            "close_timeout",
            "reconnect_delay",
            "reconnect_max_delay",
            "reassembly_timeout",
            "handler_timeout",
        ):
            if getattr(self, name) <= 0:
                raise ValidationError(name, "must be positive")
        if self.event_queue_size < 1 or self.track_messages < 1:
            raise ValidationError("event_queue_size/track_messages", "at least 1")
        if not isinstance(self.system_type, SystemType):
            raise ValidationError("system_type", "a SystemType (e.g. SystemType(iso=True))")

    @classmethod
    def smsc(cls, login: str, password: str, *, tls: bool = True, **options: Any) -> SmppConfig:
        """The real service: smpp.smsc.ru (TLS on 3443 by default), backup smpp2.smsc.ru."""
        return cls(
            login=login,
            password=password,
            host=SMSC_HOST,
            backup_host=SMSC_BACKUP_HOST,
            tls=tls,
            **options,
        )

    def endpoints(self) -> list[tuple[str, int]]:
        """The (host, port) pairs to try, in order."""
        default = SMSC_TLS_PORT if self.tls else SMSC_PORT
        result = [(self.host, self.port or default)]
        if self.backup_host:
            result.append((self.backup_host, self.backup_port or self.port or default))
        return result


@dataclass(frozen=True)
class MessageStatus:
    """The answer to :meth:`SmppClient.query`."""

    message_id: str
    state: MessageState | int
    final_date: str
    error_code: int


class _End:
    """Marks the end of an event stream."""


_END = _End()


class EventStream(Generic[E]):
    """An async iterator over the client's events of some kinds, from its creation on.

    Use it as ``async for event in client.events(): ...``; it ends when the client closes or
    when :meth:`close` is called (``async with client.events() as stream:`` closes it on exit).
    At most ``event_queue_size`` events wait in it: beyond that the acknowledgement of new
    deliver_sm waits too (up to ``handler_timeout``), so the SMSC slows down instead of
    anything being dropped.
    """

    def __init__(self, client: SmppClient, kinds: tuple[type, ...], maxsize: int) -> None:
        self._client = client
        self.kinds = kinds
        self._queue: asyncio.Queue[Any] = asyncio.Queue(maxsize)
        self._closed = False

    def __aiter__(self) -> EventStream[E]:
        return self

    async def __anext__(self) -> E:
        if self._closed and self._queue.empty():
            raise StopAsyncIteration
        item = await self._queue.get()
        if item is _END:
            self._closed = True
            raise StopAsyncIteration
        result: E = item
        return result

    async def _put(self, event: Event) -> None:
        if not self._closed:
            await self._queue.put(event)

    def close(self) -> None:
        """Stop receiving; iteration ends after the events already queued."""
        if self._closed:
            return
        self._closed = True
        self._client._streams.discard(self)
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(_END)

    async def __aenter__(self) -> EventStream[E]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()


def _normalize_id(message_id: str) -> str:
    return message_id.strip().lower().lstrip("0") or "0"


_PHONE_PUNCTUATION = str.maketrans("", "", " -()+.\t")


class SmppClient:
    """An SMPP 3.4 ESME for the SMSC service. See the module documentation."""

    def __init__(self, config: SmppConfig) -> None:
        self.config = config
        self._state = ConnectionState.DISCONNECTED
        self._state_callbacks: list[StateCallback] = []
        self._listeners: list[tuple[tuple[type, ...], EventCallback]] = []
        self._streams: set[EventStream[Any]] = set()
        self._session: SmppSession | None = None
        self._sessions: set[SmppSession] = set()
        self._runner: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._opened = False
        self._closing = False
        self._closed_event: asyncio.Event | None = None
        self._bound_event: asyncio.Event | None = None
        self._window: Window | None = None
        self._limiter: RateLimiter | None = None
        self._reassembler: Reassembler[DeliverSm] = Reassembler(config.reassembly_timeout)
        self._expiry: asyncio.TimerHandle | None = None
        # message id -> (ids, destination, parts, time.time() of the submit, reference)
        self._tracked: OrderedDict[str, tuple[list[str], str, int, float, Any]] = OrderedDict()
        self._reports: OrderedDict[str, Report] = OrderedDict()
        self._report_waiters: dict[str, list[asyncio.Future[Report]]] = {}
        self._reference = random.randrange(256)  # noqa: S311 - not a secret
        self._ssl_context: ssl.SSLContext | None = config.ssl_context
        self.last_error: BaseException | None = None
        self.endpoint: tuple[str, int] | None = None

    # -- state -----------------------------------------------------------------------------

    @property
    def state(self) -> ConnectionState:
        return self._state

    @property
    def bound(self) -> bool:
        return self._state is ConnectionState.BOUND

    @property
    def outstanding(self) -> int:
        """submit_sm sent whose answer has not come yet."""
        return self._window.used if self._window is not None else 0

    def on_state_change(self, callback: StateCallback) -> Callable[[], None]:
        """Call ``callback(state)`` (a plain function, run in the loop) on every change of
        :attr:`state`. Returns a function that unsubscribes."""
        self._state_callbacks.append(callback)
        return lambda: self._remove(self._state_callbacks, callback)

    @staticmethod
    def _remove(items: list[Any], item: Any) -> None:
        if item in items:
            items.remove(item)

    def _is_closing(self) -> bool:
        return self._closing

    def _set_state(self, state: ConnectionState) -> None:
        if state is self._state:
            return
        self._state = state
        for callback in list(self._state_callbacks):
            try:
                callback(state)
            except Exception:
                _LOGGER.exception("SMPP state callback failed")

    async def wait_bound(self, timeout: float | None = None) -> None:
        """Wait until the client is bound (raises :class:`asyncio.TimeoutError`)."""
        if self._bound_event is None:
            raise ClientClosedError("the client is not open")
        await asyncio.wait_for(self._bound_event.wait(), timeout)
        if self._closing:
            raise ClientClosedError("the client is closed")

    # -- events ----------------------------------------------------------------------------

    def on_receipt(
        self, callback: Callable[[Report], Awaitable[None] | None]
    ) -> Callable[[], None]:
        """Call ``callback`` (plain or async) with every :class:`DeliveryReceipt` and
        :class:`HlrResult`. Returns a function that unsubscribes."""
        return self._listen((DeliveryReceipt, HlrResult), callback)

    def on_message(
        self, callback: Callable[[IncomingMessage], Awaitable[None] | None]
    ) -> Callable[[], None]:
        """Call ``callback`` (plain or async) with every :class:`IncomingMessage`."""
        return self._listen((IncomingMessage,), callback)

    def on_event(self, callback: Callable[[Event], Awaitable[None] | None]) -> Callable[[], None]:
        """Call ``callback`` (plain or async) with every receipt, HLR result and message."""
        return self._listen((DeliveryReceipt, HlrResult, IncomingMessage), callback)

    def _listen(self, kinds: tuple[type, ...], callback: EventCallback) -> Callable[[], None]:
        entry = (kinds, callback)
        self._listeners.append(entry)
        return lambda: self._remove(self._listeners, entry)

    def events(self) -> EventStream[Event]:
        """Receipts, HLR results and incoming messages, as an async iterator."""
        return self._stream((DeliveryReceipt, HlrResult, IncomingMessage))

    def receipts(self) -> EventStream[Report]:
        """Delivery receipts and HLR results, as an async iterator."""
        return self._stream((DeliveryReceipt, HlrResult))

    def messages(self) -> EventStream[IncomingMessage]:
        """Incoming messages, as an async iterator."""
        return self._stream((IncomingMessage,))

    def _stream(self, kinds: tuple[type, ...]) -> EventStream[Any]:
        stream: EventStream[Any] = EventStream(self, kinds, self.config.event_queue_size)
        if self._state is ConnectionState.CLOSED:
            stream.close()
        else:
            self._streams.add(stream)
        return stream

    async def wait_for_report(self, message_id: str, timeout: float | None = None) -> Report:
        """Wait for the receipt (or HLR result) of ``message_id``; one that came before this
        call (among the last thousand) is returned at once."""
        key = _normalize_id(message_id)
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
        """Start the connection.

        With ``wait`` (the default) return once bound, or raise the error of the first round of
        attempts (every host tried once), leaving nothing running: :class:`SmppConnectionError`,
        :class:`SmppAuthenticationError` or :class:`BindError`. Without ``wait``, return at once
        and keep trying in the background (see :attr:`state` and :attr:`last_error`).
        """
        if self._opened:
            raise RuntimeError("an SmppClient can be opened once")
        self._opened = True
        loop = asyncio.get_running_loop()
        self._closed_event = asyncio.Event()
        self._bound_event = asyncio.Event()
        self._window = Window(self.config.window)
        self._limiter = RateLimiter(
            self.config.throughput, throttle_pause=self.config.throttle_pause
        )
        first: asyncio.Future[None] | None = loop.create_future() if wait else None
        self._runner = loop.create_task(self._run(first))
        if first is None:
            return
        try:
            await asyncio.shield(first)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        """Unbind gracefully (answers to messages already sent are awaited up to
        ``close_timeout``), stop every task and end the event streams. Idempotent."""
        if self._state is ConnectionState.CLOSED:
            return
        if self._closing:
            if self._closed_event is not None:
                await self._closed_event.wait()
            return
        self._closing = True
        timeout = self.config.close_timeout
        not_sent = SubmitNotSentError("the client was closed before the message was sent")
        if self._window is not None:
            self._window.close(not_sent)
        if self._bound_event is not None:
            self._bound_event.set()  # wake submitters waiting for a connection: they give up
        session = self._session
        if session is not None and session.usable and self._window is not None:
            self._set_state(ConnectionState.UNBINDING)
            try:
                await asyncio.wait_for(self._window.wait_idle(), timeout)
            except asyncio.TimeoutError:
                _LOGGER.warning("SMPP: closing with %d answers still awaited", self._window.used)
            await session.unbind(timeout)
        if self._runner is not None:
            self._runner.cancel()
            await asyncio.wait([self._runner])
        for other in list(self._sessions):
            other.abort("client closed")
            await other.wait_closed()
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=timeout)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        self._reassembler.clear()
        for waiters in self._report_waiters.values():
            for fut in waiters:
                if not fut.done():
                    fut.set_exception(ClientClosedError("the client was closed"))
        self._report_waiters.clear()
        for stream in list(self._streams):
            stream.close()
        self._session = None
        self._set_state(ConnectionState.CLOSED)
        if self._closed_event is not None:
            self._closed_event.set()

    # -- connection ------------------------------------------------------------------------

    def _backoff(self, attempt: int) -> float:
        growth = float(1 << min(attempt, 30))
        base = min(self.config.reconnect_max_delay, self.config.reconnect_delay * growth)
        return base * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not cryptography

    async def _run(self, first: asyncio.Future[None] | None) -> None:
        attempt = 0
        try:
            while not self._is_closing():
                error: BaseException | None = None
                for host, port in self.config.endpoints():
                    if self._is_closing():
                        return
                    self._set_state(ConnectionState.CONNECTING)
                    try:
                        session = await self._connect(host, port)
                    except (SmppTransportError, BindError) as exc:
                        # A misconfigured account fails every few minutes forever: say it once.
                        log = _LOGGER.warning if attempt == 0 else _LOGGER.debug
                        log("SMPP %s:%d: %s", host, port, exc)
                        error = exc
                        continue
                    attempt = 0
                    error = None
                    self.last_error = None
                    self.endpoint = (host, port)
                    await self._serve(session, first)
                    break
                if self._is_closing():
                    return
                if error is not None:
                    self.last_error = error  # before the state change: callbacks read it
                self._set_state(ConnectionState.DISCONNECTED)
                if error is not None and first is not None and not first.done():
                    first.set_exception(error)
                    return
                if not self.config.reconnect:
                    return
                await asyncio.sleep(self._backoff(attempt))
                attempt += 1
        finally:
            if first is not None and not first.done():
                first.set_exception(self.last_error or SmppConnectionError("connection stopped"))
                first.exception()  # open() may be gone (cancelled): never "never retrieved"

    async def _serve(self, session: SmppSession, first: asyncio.Future[None] | None) -> None:
        assert self._bound_event is not None
        self._session = session
        self._set_state(ConnectionState.BOUND)
        self._bound_event.set()
        if first is not None and not first.done():
            first.set_result(None)
        try:
            await session.wait_closed()
        finally:
            if not self._closing:
                self._bound_event.clear()
            self._session = None
        _LOGGER.info("SMPP %s: connection ended (%s)", session.name, session.close_reason or "lost")

    async def _get_ssl_context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            loop = asyncio.get_running_loop()
            # Loading the system CAs reads files: not in the event loop.
            self._ssl_context = await loop.run_in_executor(None, ssl.create_default_context)
        return self._ssl_context

    async def _connect(self, host: str, port: int) -> SmppSession:
        config = self.config
        loop = asyncio.get_running_loop()
        context = await self._get_ssl_context() if config.tls else None
        session = SmppSession(
            self,
            response_timeout=config.response_timeout,
            enquire_link_interval=config.enquire_link_interval,
            max_pdu_size=config.max_pdu_size,
            name=f"{host}:{port}",
        )
        self._sessions.add(session)
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
            bind = _BIND_CLASSES[config.bind_mode](
                system_id=config.login,
                password=config.password,
                system_type=str(config.system_type),
                interface_version=config.interface_version,
                address_range=config.address_range,
            )
            try:
                resp = await session.request(bind, config.connect_timeout)
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
                raise cls(bind.command_name, resp.command_status)  # noqa: TRY301
        except BaseException:
            session.abort("bind failed")
            await session.wait_closed()
            self._sessions.discard(session)
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
        self._sessions.discard(session)

    # -- receiving -------------------------------------------------------------------------

    async def _handle_deliver(self, session: SmppSession, pdu: DeliverSm) -> None:
        try:
            await asyncio.sleep(0)  # let a submit whose answer came in the same read see it
            event = self._interpret(pdu)
            if event is not None:
                await asyncio.wait_for(self._dispatch(event), self.config.handler_timeout)
        except asyncio.TimeoutError:
            _LOGGER.warning(
                "SMPP: event handlers took longer than %ss", self.config.handler_timeout
            )
        except Exception:
            _LOGGER.exception("SMPP: handling a deliver_sm failed")
        finally:
            # Always acknowledged, even when a handler failed: the SMSC must not resend forever.
            session.send_response(DeliverSmResp(sequence_number=pdu.sequence_number))

    def _interpret(self, pdu: DeliverSm) -> Event | None:
        if is_receipt(pdu):
            return self._report(_parse_report(pdu))
        info = concat_info(pdu)
        if info is None:
            return assemble([pdu])
        parts = self._reassembler.add((pdu.source_addr, pdu.destination_addr), info, pdu)
        if parts is not None:
            return assemble(parts)
        self._schedule_expiry()
        return None

    def _report(self, report: Report) -> Report:
        key = _normalize_id(report.message_id)
        tracked = self._tracked.get(key)
        if tracked is not None:
            ids, destination, parts, submitted, reference = tracked
            sent = SentMessage(
                tuple(ids),
                destination,
                parts,
                datetime.fromtimestamp(submitted, timezone.utc),
                reference,
            )
            report = dataclasses.replace(report, sent=sent)
        self._reports[key] = report
        if len(self._reports) > 1000:
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
            task = loop.create_task(self._dispatch_safely(message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._schedule_expiry()

    async def _dispatch_safely(self, event: Event) -> None:
        try:
            await asyncio.wait_for(self._dispatch(event), self.config.handler_timeout)
        except Exception:
            _LOGGER.exception("SMPP: event handlers failed")

    async def _dispatch(self, event: Event) -> None:
        for kinds, callback in list(self._listeners):
            if not isinstance(event, kinds):
                continue
            try:
                result = callback(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                _LOGGER.exception("SMPP event callback %r failed", callback)
        for stream in list(self._streams):
            if isinstance(event, stream.kinds):
                await stream._put(event)

    # -- sending ---------------------------------------------------------------------------

    def _next_reference(self) -> int:
        self._reference = (self._reference + 1) & 0xFF
        return self._reference

    def _encode(self, text: str, encoding: Encoding | None) -> tuple[Encoding, bytes | None]:
        """The alphabet for ``text`` and, when it was computed on the way, the encoded text."""
        iso = self.config.system_type.iso
        if encoding is None:
            if iso:
                try:
                    return Encoding.LATIN1, text.encode("latin-1")
                except UnicodeEncodeError:
                    pass
            data = encode_gsm7(text)
            if data is not None:
                return Encoding.GSM7, data
            return Encoding.UCS2, text.encode("utf-16-be")
        encoding = Encoding(encoding)
        if encoding is Encoding.LATIN1 and not iso:
            raise ValidationError(
                "encoding", "ISO-8859-1 needs system_type ISO (SystemType(iso=True))"
            )
        return encoding, None

    def _source(self, sender: str | None) -> tuple[str, int, int]:
        value = self.config.sender if sender is None else sender
        if not value:
            return "", 0, 0
        if not value.isascii() or "\0" in value or len(value) > 64:
            raise ValidationError("sender", "ASCII characters only")
        digits = value[1:] if value.startswith("+") else value
        if digits.isdigit() and len(digits) > 6:
            return digits, 1, 1  # an international number
        if digits.isdigit():
            return digits, 3, 0  # a short code (network specific)
        return value, 5, 0  # alphanumeric

    @staticmethod
    def _destination(to: str, message: Content) -> tuple[str, int, int]:
        if isinstance(message, Mail):
            address = to.strip()
            if "@" not in address or not address.isascii() or " " in address:
                raise ValidationError("to", "an e-mail address for a Mail message")
            return address, 0, 0
        phone = to if to.isdigit() else to.translate(_PHONE_PUNCTUATION)
        if not phone.isdigit() or not phone.isascii() or not 3 <= len(phone) <= 20:
            raise ValidationError("to", "a phone number in international format, digits only")
        return phone, 1, 1

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
        text = render(message, comment)
        enc, encoded = self._encode(text, encoding)
        try:
            data_coding = data_coding_for(enc, flash=flash)
        except ValueError as exc:
            raise ValidationError("flash", str(exc)) from exc
        try:
            parts = build_parts(
                text,
                enc,
                reference=self._next_reference(),
                method=self.config.concat,
                encoded=encoded,
            )
        except ValueError as exc:
            raise ValidationError("message", str(exc)) from exc
        source, source_ton, source_npi = self._source(sender)
        destination, dest_ton, dest_npi = self._destination(to, message)
        if receipt is None:
            receipt = self.config.registered_delivery or isinstance(message, (Hlr, Ping))
        if not 0 <= priority <= 3:
            raise ValidationError("priority", "from 0 to 3")
        try:
            validity_text = smpp_time(validity) if validity is not None else ""
            schedule_text = smpp_time(schedule) if schedule is not None else ""
        except ValueError as exc:
            raise ValidationError("validity/schedule", str(exc)) from exc
        return [
            SubmitSm(
                source_addr_ton=source_ton,
                source_addr_npi=source_npi,
                source_addr=source,
                dest_addr_ton=dest_ton,
                dest_addr_npi=dest_npi,
                destination_addr=destination,
                esm_class=part.esm_class,
                priority_flag=priority,
                schedule_delivery_time=schedule_text,
                validity_period=validity_text,
                registered_delivery=1 if receipt else 0,
                data_coding=data_coding,
                short_message=part.short_message,
                tlvs=list(part.tlvs),
            )
            for part in parts
        ]

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
        ``reference`` is any object attached to the receipts of this message (``.sent``).
        ``timeout`` (default ``submit_timeout``) bounds the wait for a connection and for room
        in the window and the rate; the answers have ``response_timeout``.

        A long message goes in several parts sent back to back: the service answers one id for
        all of them (one id returned) or, with ``SystemType(single=True)``, one id per part.

        Raises :class:`ValidationError` (nothing sent), :class:`SubmitRejectedError` /
        :class:`ThrottledError`, :class:`SubmitNotSentError` (safe to retry),
        :class:`SubmitOutcomeUnknownError` (do not retry blindly), :class:`ClientClosedError`.
        """
        if self._closing or not self._opened:
            raise ClientClosedError("the client is not open")
        if not self.config.bind_mode.can_send:
            raise ValidationError("bind_mode", "a receiver cannot send messages")
        pdus = self.build_submit(
            to,
            message,
            sender=sender,
            comment=comment,
            receipt=receipt,
            encoding=encoding,
            flash=flash,
            priority=priority,
            validity=validity,
            schedule=schedule,
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.config.submit_timeout if timeout is None else timeout)
        if len(pdus) == 1:
            ids = [await self._send_one(pdus[0], deadline)]
        else:
            ids = await self._send_parts(pdus, deadline)
        self._track(ids, pdus[0].destination_addr, len(pdus), reference)
        return ids

    def _track(self, ids: list[str], destination: str, parts: int, reference: Any) -> None:
        sent = (ids, destination, parts, time.time(), reference)
        tracked = self._tracked
        for message_id in ids:
            tracked[_normalize_id(message_id)] = sent
        while len(tracked) > self.config.track_messages:
            tracked.popitem(last=False)

    async def _wait_session(self, deadline: float) -> SmppSession:
        """The bound session, waiting for one until ``deadline``."""
        bound = self._bound_event
        assert bound is not None
        while True:
            if self._closing:
                raise SubmitNotSentError("the client was closed before the message was sent")
            session = self._session
            if session is not None and session.usable:
                return session
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise SubmitNotSentError(
                    f"no bound SMPP connection within the submit timeout ({self.last_error})"
                )
            try:
                await asyncio.wait_for(bound.wait(), remaining)
            except asyncio.TimeoutError:
                continue
            if self._session is None and not self._closing:
                await asyncio.sleep(0.01)  # the event is set but the session went away again

    async def _acquire(self, count: int, deadline: float) -> None:
        window, limiter = self._window, self._limiter
        assert window is not None
        assert limiter is not None
        loop = asyncio.get_running_loop()
        if not window.try_acquire(count):
            try:
                await window.acquire(count, max(0.0, deadline - loop.time()))
            except asyncio.TimeoutError:
                raise SubmitNotSentError(
                    "no room in the window within the submit timeout"
                ) from None
        if limiter.rate is None and limiter.paused_until <= loop.time():
            return
        try:
            await limiter.acquire(count, deadline)
        except BaseException as exc:
            window.release(count)
            if isinstance(exc, asyncio.TimeoutError):
                raise SubmitNotSentError("the throughput limit allowed no send in time") from None
            raise

    async def _send_one(self, pdu: SubmitSm, deadline: float) -> str:
        window, limiter = self._window, self._limiter
        assert window is not None
        assert limiter is not None
        loop = asyncio.get_running_loop()
        while True:
            session = self._session
            if session is None or not session.usable:
                session = await self._wait_session(deadline)
            await self._acquire(1, deadline)
            try:
                if self._closing:
                    raise SubmitNotSentError("the client was closed before the message was sent")
                session = self._session
                if session is None or not session.usable:
                    continue
                fut = session.send_request(pdu)
                try:
                    resp = await fut
                except (SmppTransportError, PduDecodeError) as exc:
                    raise SubmitOutcomeUnknownError(
                        f"the answer to the submit_sm never came: {exc}", unknown_parts=[1]
                    ) from exc
            finally:
                window.release(1)
            status = resp.command_status
            if not status and isinstance(resp, SubmitSmResp):
                return resp.message_id
            if status in RETRYABLE_STATUSES:
                limiter.throttled()
                if loop.time() >= deadline:
                    raise ThrottledError(status)
                continue
            if not status:  # a generic_nack with status 0: nonsense, outcome unknown
                raise SubmitOutcomeUnknownError("generic_nack without status", unknown_parts=[1])
            raise SubmitRejectedError(status)

    async def _send_parts(self, pdus: list[SubmitSm], deadline: float) -> list[str]:
        window, limiter = self._window, self._limiter
        assert window is not None
        assert limiter is not None
        loop = asyncio.get_running_loop()
        total = len(pdus)
        ids: list[str | None] = [None] * total
        unknown: list[int] = []
        rejected: tuple[int, int] | None = None
        last_retry_status = 0
        todo = list(range(total))
        while todo:
            session = await self._wait_session(deadline)
            count = min(len(todo), window.size)
            try:
                await self._acquire(count, deadline)
            except SubmitNotSentError:
                if unknown or any(ids):
                    break
                raise
            sent: list[tuple[int, asyncio.Future[Pdu]]] = []
            try:
                if self._closing:
                    break
                session = self._session or session
                for index in todo[:count]:
                    try:
                        sent.append((index, session.send_request(pdus[index])))
                    except SmppTransportError:
                        break  # the session closed: the rest surely never left
                retry: list[int] = []
                for index, fut in sent:
                    try:
                        resp = await fut
                    except (SmppTransportError, PduDecodeError):
                        unknown.append(index)
                        continue
                    status = resp.command_status
                    if not status and isinstance(resp, SubmitSmResp):
                        ids[index] = resp.message_id
                    elif status in RETRYABLE_STATUSES:
                        retry.append(index)
                        last_retry_status = status
                    elif not status:
                        unknown.append(index)
                    elif rejected is None:
                        rejected = (index, status)
            finally:
                window.release(count)
            done = {index for index, _ in sent}
            todo = retry + [index for index in todo if index not in done]
            if retry:
                limiter.throttled()
            if todo and loop.time() >= deadline:
                break
        accepted = [message_id for message_id in ids if message_id is not None]
        if rejected is not None:
            index, status = rejected
            raise SubmitRejectedError(status, message_ids=accepted, part=index + 1, parts=total)
        if unknown:
            raise SubmitOutcomeUnknownError(
                f"the answers to {len(unknown)} of {total} parts never came",
                message_ids=_unique(accepted),
                unknown_parts=sorted(i + 1 for i in unknown),
            )
        if todo:
            if last_retry_status:
                raise ThrottledError(last_retry_status, message_ids=accepted, parts=total)
            raise SubmitNotSentError(f"{len(todo)} of {total} parts could not be sent in time")
        return _unique(accepted)

    async def query(self, message_id: str, *, source: str | None = None) -> MessageStatus:
        """Ask the SMSC for the state of a message (query_sm)."""
        if self._closing or not self._opened:
            raise ClientClosedError("the client is not open")
        loop = asyncio.get_running_loop()
        session = await self._wait_session(loop.time() + self.config.submit_timeout)
        addr, ton, npi = self._source(source)
        resp = await session.request(
            QuerySm(
                message_id=message_id, source_addr_ton=ton, source_addr_npi=npi, source_addr=addr
            )
        )
        if resp.command_status or not isinstance(resp, QuerySmResp):
            raise SmppStatusError("query_sm", resp.command_status or CommandStatus.ESME_RQUERYFAIL)
        state: MessageState | int = resp.message_state
        if resp.message_state in MessageState._value2member_map_:
            state = MessageState(resp.message_state)
        return MessageStatus(resp.message_id, state, resp.final_date, resp.error_code)


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))
