# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What the client receives, handed to callbacks and async iterators.

An :data:`Event` is a :class:`~pysmsc.smpp.receipts.DeliveryReceipt`, an
:class:`~pysmsc.smpp.receipts.HlrResult` or an :class:`~pysmsc.smpp.incoming.IncomingSms`.
:class:`EventHub` fans each one out to the callbacks and streams that want its kind; an
:class:`EventStream` is one subscriber, an async iterator with a bounded queue. A full stream
makes :meth:`EventHub.publish` wait, and the client then withholds the deliver_sm_resp, so the
SMSC slows down instead of anything being dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Optional, TypeVar, Union

from .incoming import IncomingSms
from .receipts import DeliveryReceipt, HlrResult

__all__ = ["Event", "EventHub", "EventStream"]

_LOGGER = logging.getLogger(__name__)

Event = Union[DeliveryReceipt, HlrResult, IncomingSms]
E = TypeVar("E")
EventCallback = Callable[[Any], Optional[Awaitable[None]]]


class _End:
    """Marks the end of an event stream."""


_END = _End()


class EventStream(Generic[E]):
    """An async iterator over the events of some kinds, from its creation on.

    Use it as ``async for event in client.events(): ...``; it ends when the client closes or
    when :meth:`close` is called (``async with client.events() as stream:`` closes it on exit).
    At most ``maxsize`` events wait in it.
    """

    def __init__(self, hub: EventHub, kinds: tuple[type, ...], maxsize: int) -> None:
        self._hub = hub
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
        self._hub._streams.discard(self)
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait(_END)

    async def __aenter__(self) -> EventStream[E]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()


class EventHub:
    """The subscribers of one client: callbacks (plain or async) and streams."""

    def __init__(self, queue_size: int) -> None:
        self.queue_size = queue_size
        self._listeners: list[tuple[tuple[type, ...], EventCallback]] = []
        self._streams: set[EventStream[Any]] = set()
        self._closed = False

    def listen(self, kinds: tuple[type, ...], callback: EventCallback) -> Callable[[], None]:
        """Call ``callback`` with every event of ``kinds``; returns the unsubscribe function."""
        entry = (kinds, callback)
        self._listeners.append(entry)

        def unsubscribe() -> None:
            if entry in self._listeners:
                self._listeners.remove(entry)

        return unsubscribe

    def stream(self, kinds: tuple[type, ...]) -> EventStream[Any]:
        stream: EventStream[Any] = EventStream(self, kinds, self.queue_size)
        if self._closed:
            stream.close()
        else:
            self._streams.add(stream)
        return stream

    async def publish(self, event: Event) -> None:
        """Hand ``event`` to every subscriber of its kind; a failing callback is logged."""
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

    def close(self) -> None:
        """End every stream (after what is queued); later streams end at once."""
        self._closed = True
        for stream in list(self._streams):
            stream.close()
