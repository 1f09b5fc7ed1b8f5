# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The requests one login has in flight in this process, shared by every client of the login.

The service refuses the fifteenth concurrent request under one login (error 9), whichever
client sends it. Each client keeps its own ``max_concurrency``; a request of that client starts
only while fewer than that many requests of the login are in flight — counting those of every
client of the login, blocking or asyncio, in any thread or event loop. So the login never has
more requests in flight than the largest limit any of its clients asked for (at most 14).

Blocking clients wait on a threading event; asyncio clients wait on a future of their own loop,
woken thread-safely, so a wait never blocks an event loop. The lock is held only to count.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import threading
from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import asyncio

__all__ = ["LoginSlots", "login_slots"]

_WAITING, _GRANTED, _GONE = "waiting", "granted", "gone"


class _Waiter:
    __slots__ = ("limit", "order", "state", "wake")

    def __init__(self, limit: int, order: int, wake: Callable[[], None]) -> None:
        self.limit = limit
        self.order = order
        self.state = _WAITING
        self.wake = wake


class LoginSlots:
    """Requests in flight for one login, and the requests waiting for a slot: one queue per
    limit (clients rarely differ), each in arrival order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy = 0
        self._arrivals = itertools.count()
        self._queues: dict[int, deque[_Waiter]] = {}

    @property
    def busy(self) -> int:
        return self._busy

    def _take(self, limit: int) -> bool:
        # Every waiter waits because busy >= its limit; a newcomer whose limit allows more may
        # go ahead without taking a slot any waiter could use.
        if self._busy < limit:
            self._busy += 1
            return True
        return False

    def _enqueue(self, limit: int, wake: Callable[[], None]) -> _Waiter:
        waiter = _Waiter(limit, next(self._arrivals), wake)
        self._queues.setdefault(limit, deque()).append(waiter)
        return waiter

    def _next_waiter(self) -> _Waiter | None:
        """The oldest waiter that may go now."""
        chosen = None
        for limit, queue in self._queues.items():
            if queue and self._busy < limit and (chosen is None or queue[0].order < chosen.order):
                chosen = queue[0]
        return chosen

    def _release(self) -> None:
        """Free a slot and hand slots to the waiters that may now go, oldest first."""
        with self._lock:
            self._busy -= 1
            while (waiter := self._next_waiter()) is not None:
                self._queues[waiter.limit].popleft()
                waiter.state = _GRANTED
                self._busy += 1
                try:
                    waiter.wake()
                except RuntimeError:  # its event loop is closed: nobody will use the slot
                    waiter.state = _GONE
                    self._busy -= 1

    def _abandon(self, waiter: _Waiter) -> None:
        """The waiter stopped waiting (cancelled, interrupted): give back what it holds."""
        with self._lock:
            state, waiter.state = waiter.state, _GONE
            if state == _WAITING:
                self._queues[waiter.limit].remove(waiter)
                return
        if state == _GRANTED:
            self._release()

    @contextlib.contextmanager
    def hold(self, limit: int) -> Iterator[None]:
        """A slot for one blocking request (waits in this thread)."""
        with self._lock:
            taken = self._take(limit)
            if not taken:
                event = threading.Event()
                waiter = self._enqueue(limit, event.set)
        if not taken:
            try:
                event.wait()
            except BaseException:
                self._abandon(waiter)
                raise
        try:
            yield
        finally:
            self._release()

    @contextlib.asynccontextmanager
    async def hold_async(self, limit: int) -> AsyncIterator[None]:
        """A slot for one asyncio request (waits without blocking the event loop)."""
        import asyncio  # noqa: PLC0415 - the blocking clients (the CLI) never load it

        with self._lock:
            taken = self._take(limit)
            if not taken:
                loop = asyncio.get_running_loop()
                future: asyncio.Future[None] = loop.create_future()
                home = threading.get_ident()

                def wake() -> None:
                    if threading.get_ident() == home:
                        loop.call_soon(_resolve, future)  # released in this loop's own thread
                    else:
                        loop.call_soon_threadsafe(_resolve, future)

                waiter = self._enqueue(limit, wake)
        if not taken:
            try:
                await future
            except BaseException:
                self._abandon(waiter)
                raise
        try:
            yield
        finally:
            self._release()


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


_REGISTRY: dict[str, LoginSlots] = {}
_REGISTRY_LOCK = threading.Lock()


def login_slots(login: str | None, api_key: str | None) -> LoginSlots:
    """The slots of one login in this process. Logins are case-insensitive at the service; an
    API key is kept only as a digest."""
    if api_key:
        key = "key:" + hashlib.sha256(api_key.encode("utf-8", "replace")).hexdigest()
    else:
        key = "login:" + (login or "").strip().lower()
    with _REGISTRY_LOCK:
        return _REGISTRY.setdefault(key, LoginSlots())
