# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""One SMPP connection, for either side: framing, sequence numbers, responses, keep-alive.

:class:`SmppSession` is an :class:`asyncio.Protocol`. It frames the byte stream into PDUs, matches
responses to requests by sequence number (each request gets a future that the response, a
response timeout or the loss of the connection completes), answers enquire_link and unbind by
itself, answers a PDU it cannot parse with generic_nack and goes on, and hands every other
request to its :class:`SessionHandler`, which must answer it (``send_response``).

A command_length that cannot be right (below 16 octets or above ``max_pdu_size``) leaves no way
to find the next PDU: the session answers generic_nack and closes the connection.

Writes are batched: PDUs written during one turn of the event loop leave in one ``write``. When
the connection is lost, a request still in that batch surely never left: its failure says so
(``maybe_received`` False), so that the sender may send it again.

A request's answer goes to a future, or (:meth:`SmppSession.send_request_to`) straight to a
function, called at once as the answer is read: a sender then learns every answer that came
before the connection was lost before it learns of the loss. An end of stream from the peer
makes the session unusable at once, before the transport reports the loss.

A single task per session (the ticker) times responses out, sends enquire_link when nothing
was sent for ``enquire_link_interval`` and ends a connection idle (nothing received) for
``idle_timeout``. Nothing is left running once the connection is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol, Union

from .errors import PduDecodeError, ResponseTimeoutError, SessionClosedError
from .pdu import (
    DEFAULT_MAX_PDU_SIZE,
    HEADER,
    HEADER_SIZE,
    EnquireLink,
    EnquireLinkResp,
    GenericNack,
    Pdu,
    Unbind,
    UnbindResp,
    UnknownPdu,
    decode_pdu,
)
from .status import CommandId, CommandStatus

__all__ = ["ResponseCallback", "SessionHandler", "SmppSession"]

_LOGGER = logging.getLogger(__name__)
_RESPONSE_BIT = 0x80000000
_GENERIC_NACK = int(CommandId.GENERIC_NACK)
_ENQUIRE_LINK = int(CommandId.ENQUIRE_LINK)
_UNBIND = int(CommandId.UNBIND)
_MAX_SEQUENCE = 0x7FFFFFFF
# PDUs written during one turn of the event loop leave together, in writes of at most this many.
_FLUSH_BATCH = 32

# Gets the response (and None) or the error (and None) of one request.
ResponseCallback = Callable[[Union[Pdu, None], Union[BaseException, None]], None]
_Target = Union["asyncio.Future[Pdu]", ResponseCallback]


class SessionHandler(Protocol):
    """What a session calls back (the client or the server side)."""

    def request_received(self, session: SmppSession, pdu: Pdu) -> None:
        """A request other than enquire_link/unbind arrived; answer it with ``send_response``.
        Must not block; an exception is logged and answered with ESME_RSYSERR."""

    def session_closed(self, session: SmppSession, exc: BaseException | None) -> None:
        """The connection is gone (``exc`` is None for a clean close)."""


class SmppSession(asyncio.Protocol):
    """The protocol object of one SMPP connection."""

    def __init__(
        self,
        handler: SessionHandler,
        *,
        response_timeout: float = 30.0,
        enquire_link_interval: float | None = None,
        idle_timeout: float | None = None,
        max_pdu_size: int = DEFAULT_MAX_PDU_SIZE,
        pause_reading_on_backpressure: bool = False,
        name: str = "smpp",
    ) -> None:
        self.handler = handler
        self.response_timeout = response_timeout
        self.enquire_link_interval = enquire_link_interval
        self.idle_timeout = idle_timeout
        self.max_pdu_size = max_pdu_size
        self.name = name
        self.bound = False  # set by the owner once the bind succeeded
        self._pause_reading = pause_reading_on_backpressure
        self._loop = asyncio.get_running_loop()
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._out: list[bytes] = []
        self._sequence = 0
        # sequence -> (future or callback, deadline, expected response command_id)
        self._pending: dict[int, tuple[_Target, float, int]] = {}
        self._unflushed: list[int] = []  # sequences of requests not handed to the transport
        self._closing = False
        self._made = False
        self._lost = False
        self._closed: asyncio.Future[None] = self._loop.create_future()
        self._ticker: asyncio.Task[None] | None = None
        self._enquiring = False
        self._write_paused = False
        self._drain_waiters: list[asyncio.Future[None]] = []
        self.last_received = self.last_sent = self._loop.time()
        self.close_reason: str | None = None

    # -- state -----------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._transport is not None and not self._lost

    @property
    def usable(self) -> bool:
        """Connected and not closing: new requests may be sent. False from the moment the
        transport fails (before connection_lost is called) or the peer ends its stream."""
        transport = self._transport
        return transport is not None and not self._closing and not transport.is_closing()

    @property
    def outstanding(self) -> int:
        """Requests sent whose response has not come yet."""
        return len(self._pending)

    @property
    def peername(self) -> object:
        return self._transport.get_extra_info("peername") if self._transport else None

    def next_sequence(self) -> int:
        self._sequence = self._sequence % _MAX_SEQUENCE + 1
        return self._sequence

    # -- asyncio.Protocol ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._made = True
        self._transport = transport
        self.last_received = self.last_sent = self._loop.time()
        self._ticker = self._loop.create_task(self._tick())

    def data_received(self, data: bytes) -> None:
        self.last_received = self._loop.time()
        buffer = self._buffer
        buffer += data
        size = len(buffer)
        pos = 0
        unpack = HEADER.unpack_from
        while size - pos >= HEADER_SIZE and not self._lost:
            length, command_id, _status, seq = unpack(buffer, pos)
            if length < HEADER_SIZE or length > self.max_pdu_size:
                self._framing_error(length, seq)
                return
            if size - pos < length:
                break
            frame = bytes(buffer[pos : pos + length])
            pos += length
            if command_id & _RESPONSE_BIT:
                self._response(frame, command_id, seq)
            else:
                self._request(frame, command_id, seq)
        if pos:
            del buffer[:pos]

    def eof_received(self) -> bool | None:
        # The peer sends nothing more: no answer can come. Nothing new may be sent from now on.
        self._closing = True
        if self.close_reason is None:
            self.close_reason = "closed by the peer"
        return None  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = True
        self._closing = True
        self.bound = False
        self._transport = None
        self._out.clear()
        self._buffer.clear()
        never_left = set(self._unflushed)
        self._unflushed.clear()
        pending, self._pending = self._pending, {}
        for seq, (target, _, _) in pending.items():
            if seq in never_left:
                error = SessionClosedError(
                    f"{self.name}: connection lost before the request was written",
                    maybe_received=False,
                )
            else:
                error = SessionClosedError(
                    f"{self.name}: connection lost before the response", maybe_received=True
                )
            self._settle(target, None, error)
        self._wake_drain(error=True)
        if self._ticker is not None:
            self._ticker.cancel()
        if not self._closed.done():
            self._closed.set_result(None)
        try:
            self.handler.session_closed(self, exc)
        except Exception:
            _LOGGER.exception("%s: session_closed handler failed", self.name)

    def pause_writing(self) -> None:
        self._write_paused = True
        if self._pause_reading and self._transport is not None:
            self._transport.pause_reading()

    def resume_writing(self) -> None:
        self._write_paused = False
        if self._pause_reading and self._transport is not None and not self._lost:
            self._transport.resume_reading()
        self._wake_drain()

    # -- incoming --------------------------------------------------------------------------

    def _framing_error(self, length: int, seq: int) -> None:
        _LOGGER.warning(
            "%s: command_length %d is impossible; closing the connection", self.name, length
        )
        self._write(
            GenericNack(command_status=CommandStatus.ESME_RINVCMDLEN, sequence_number=seq).encode()
        )
        self.close("invalid command_length")

    def _response(self, frame: bytes, command_id: int, seq: int) -> None:
        entry = self._pending.pop(seq, None)
        if entry is None:
            if command_id != _GENERIC_NACK:
                _LOGGER.debug(
                    "%s: response 0x%08x to unknown sequence %d", self.name, command_id, seq
                )
            return
        target, _, expected = entry
        if command_id not in (expected, _GENERIC_NACK):
            self._settle(
                target,
                None,
                PduDecodeError(
                    f"response 0x{command_id:08x} to a request expecting 0x{expected:08x}",
                    status=CommandStatus.ESME_RINVCMDID,
                    sequence_number=seq,
                ),
            )
            return
        try:
            pdu = decode_pdu(frame)
        except PduDecodeError as exc:
            self._settle(target, None, exc)
            return
        self._settle(target, pdu, None)

    def _settle(self, target: _Target, pdu: Pdu | None, error: BaseException | None) -> None:
        """Hand a request's response (or its failure) to whoever waits for it."""
        if isinstance(target, asyncio.Future):
            if target.done():
                return
            if error is not None:
                target.set_exception(error)
            else:
                target.set_result(pdu)  # type: ignore[arg-type]
            return
        try:
            target(pdu, error)
        except Exception:
            _LOGGER.exception("%s: response callback failed", self.name)

    def _request(self, frame: bytes, command_id: int, seq: int) -> None:
        try:
            pdu = decode_pdu(frame)
        except PduDecodeError as exc:
            _LOGGER.debug("%s: cannot parse PDU 0x%08x: %s", self.name, command_id, exc)
            self.send_response(GenericNack(command_status=exc.status, sequence_number=seq))
            return
        if isinstance(pdu, UnknownPdu):
            self.send_response(
                GenericNack(command_status=CommandStatus.ESME_RINVCMDID, sequence_number=seq)
            )
            return
        if command_id == _ENQUIRE_LINK:
            self.send_response(EnquireLinkResp(sequence_number=seq))
            return
        if command_id == _UNBIND:
            self.send_response(UnbindResp(sequence_number=seq))
            self.close("unbound by the peer")
            return
        try:
            self.handler.request_received(self, pdu)
        except Exception:
            _LOGGER.exception("%s: request handler failed", self.name)
            self.send_response(pdu.response(CommandStatus.ESME_RSYSERR))

    # -- outgoing --------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        out = self._out
        out.append(data)
        if len(out) == 1:
            self._loop.call_soon(self._flush)
        elif len(out) >= _FLUSH_BATCH:
            self._flush()  # do not hold the first PDUs of a large batch back

    def _flush(self) -> None:
        out = self._out
        if not out:
            return
        transport = self._transport
        if transport is None or transport.is_closing():
            out.clear()  # connection_lost fails their requests as never written
            return
        data = out[0] if len(out) == 1 else b"".join(out)
        out.clear()
        self._unflushed.clear()
        transport.write(data)
        self.last_sent = self._loop.time()

    def send_request(self, pdu: Pdu, timeout: float | None = None) -> asyncio.Future[Pdu]:
        """Send a request; the future gets its response PDU (whatever its command_status), or
        :class:`SessionClosedError` / :class:`ResponseTimeoutError` / :class:`PduDecodeError`.

        Raises :class:`SessionClosedError` with ``maybe_received`` False when the session can
        send nothing any more (the PDU surely did not leave)."""
        future: asyncio.Future[Pdu] = self._loop.create_future()
        self._send(pdu, timeout, future)
        return future

    def send_request_to(
        self, pdu: Pdu, callback: ResponseCallback, timeout: float | None = None
    ) -> None:
        """Like :meth:`send_request`, but ``callback(response, error)`` is called instead of a
        future being set, at once as the response is read (or the request fails)."""
        self._send(pdu, timeout, callback)

    def _send(self, pdu: Pdu, timeout: float | None, target: _Target) -> None:
        if not self.usable:
            raise SessionClosedError(f"{self.name}: session is closed", maybe_received=False)
        seq = self.next_sequence()
        pdu.sequence_number = seq
        data = pdu.encode()
        deadline = self._loop.time() + (self.response_timeout if timeout is None else timeout)
        self._pending[seq] = (target, deadline, pdu.command_id | _RESPONSE_BIT)
        self._unflushed.append(seq)
        self._write(data)

    async def request(self, pdu: Pdu, timeout: float | None = None) -> Pdu:
        return await self.send_request(pdu, timeout)

    def send_response(self, pdu: Pdu) -> bool:
        """Send a response (or any PDU with its own sequence number); False if closed."""
        if self._transport is None or self._lost:
            return False
        self._write(pdu.encode())
        return True

    async def drain(self) -> None:
        """Wait while the transport's write buffer is above its high-water mark."""
        if not self._write_paused or self._lost:
            return
        fut: asyncio.Future[None] = self._loop.create_future()
        self._drain_waiters.append(fut)
        await fut

    def _wake_drain(self, *, error: bool = False) -> None:
        waiters, self._drain_waiters = self._drain_waiters, []
        for fut in waiters:
            if not fut.done():
                if error:
                    fut.set_exception(SessionClosedError("connection lost", maybe_received=False))
                else:
                    fut.set_result(None)

    # -- closing ---------------------------------------------------------------------------

    def close(self, reason: str = "closed") -> None:
        """Flush what is queued and close the connection (no more requests)."""
        self._closing = True
        if self.close_reason is None:
            self.close_reason = reason
        transport = self._transport
        if transport is not None and not self._lost:
            self._flush()
            transport.close()

    def abort(self, reason: str = "aborted") -> None:
        """Drop the connection at once."""
        self._closing = True
        if self.close_reason is None:
            self.close_reason = reason
        transport = self._transport
        if transport is not None and not self._lost:
            transport.abort()

    async def unbind(self, timeout: float = 5.0) -> None:
        """Graceful end: unbind, wait (up to ``timeout``) for unbind_resp, close, wait closed."""
        if self._transport is not None and not self._closing and self.bound:
            try:
                fut = self.send_request(Unbind(), timeout)
                self._closing = True
                await fut
            except (SessionClosedError, ResponseTimeoutError):
                pass
        self.close("unbound")
        try:
            await asyncio.wait_for(asyncio.shield(self._closed), timeout)
        except asyncio.TimeoutError:
            self.abort("unbind timed out")
        await self.wait_closed()

    async def wait_closed(self) -> None:
        """Wait until the connection is lost and the ticker has ended (at once when the
        connection was never made)."""
        if not self._made:
            return
        await asyncio.shield(self._closed)
        if self._ticker is not None and not self._ticker.done():
            await asyncio.wait([self._ticker])

    # -- housekeeping ----------------------------------------------------------------------

    def _tick_interval(self) -> float:
        values = [self.response_timeout]
        if self.enquire_link_interval:
            values.append(self.enquire_link_interval)
        if self.idle_timeout:
            values.append(self.idle_timeout)
        return max(0.01, min(1.0, min(values) / 4))

    async def _tick(self) -> None:
        interval = self._tick_interval()
        while not self._lost:
            await asyncio.sleep(interval)
            now = self._loop.time()
            if self._pending:
                self._expire(now)
            if self.idle_timeout and now - self.last_received >= self.idle_timeout:
                _LOGGER.info(
                    "%s: nothing received for %.1fs; closing", self.name, self.idle_timeout
                )
                if self.bound:
                    self._write(Unbind(sequence_number=self.next_sequence()).encode())
                self.close("idle timeout")
                return
            if (
                self.enquire_link_interval
                and self.bound
                and not self._closing
                and not self._enquiring
                and now - self.last_sent >= self.enquire_link_interval
            ):
                self._enquire()

    def _expire(self, now: float) -> None:
        expired = [seq for seq, (_, deadline, _) in self._pending.items() if deadline <= now]
        for seq in expired:
            target = self._pending.pop(seq)[0]
            self._settle(
                target,
                None,
                ResponseTimeoutError(f"{self.name}: no response to sequence {seq} in time"),
            )

    def _enquire(self) -> None:
        self._enquiring = True
        fut = self.send_request(EnquireLink())
        fut.add_done_callback(self._enquire_done)

    def _enquire_done(self, fut: asyncio.Future[Pdu]) -> None:
        self._enquiring = False
        if fut.cancelled():
            return
        exc = fut.exception()
        if isinstance(exc, ResponseTimeoutError):
            _LOGGER.warning("%s: enquire_link not answered; dropping the connection", self.name)
            self.abort("enquire_link timed out")
