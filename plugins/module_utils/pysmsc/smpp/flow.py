# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Flow control for senders: a window of outstanding requests and a rate limiter.

Both are FIFO-fair and cheap on the fast path (no await when there is room). The rate limiter
is a token bucket that may go into debt, so that all the parts of one long message leave back
to back while the average rate still holds; a throttling answer halves the rate for a while
and pauses sending (additive increase, multiplicative decrease).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

__all__ = ["RateLimiter", "Window"]


class Window:
    """At most ``size`` requests outstanding; :meth:`acquire` waits for room in FIFO order."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("the window must be at least 1")
        self.size = size
        self.used = 0
        self._waiters: deque[tuple[int, asyncio.Future[None]]] = deque()
        self._idle: list[asyncio.Future[None]] = []
        self._error: BaseException | None = None

    @property
    def free(self) -> int:
        return self.size - self.used

    def try_acquire(self, count: int = 1) -> bool:
        """Take ``count`` slots without waiting, if they are free and nobody waits before."""
        if self._error is None and not self._waiters and self.used + count <= self.size:
            self.used += count
            return True
        return False

    async def acquire(self, count: int, timeout: float) -> None:
        """Take ``count`` slots (at most ``size``), waiting up to ``timeout`` seconds.
        Raises :class:`asyncio.TimeoutError`, or the error given to :meth:`close`."""
        if self._error is not None:
            raise self._error
        if self.try_acquire(count):
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (count, fut)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(asyncio.shield(fut), timeout)
        except BaseException:
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                self.release(count)  # granted just as we gave up: give it back
            else:
                fut.cancel()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(entry)
                self._wake()
            raise

    def release(self, count: int) -> None:
        self.used -= count
        self._wake()
        if self.used == 0 and self._idle:
            idle, self._idle = self._idle, []
            for fut in idle:
                if not fut.done():
                    fut.set_result(None)

    def _wake(self) -> None:
        waiters = self._waiters
        while waiters:
            count, fut = waiters[0]
            if fut.done():
                waiters.popleft()
                continue
            if self.used + count > self.size:
                return
            waiters.popleft()
            self.used += count
            fut.set_result(None)

    async def wait_idle(self) -> None:
        """Wait until nothing is outstanding."""
        if self.used == 0:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._idle.append(fut)
        await fut

    def close(self, error: BaseException) -> None:
        """Fail every waiter (and every later acquire) with ``error``."""
        self._error = error
        waiters, self._waiters = self._waiters, deque()
        for _, fut in waiters:
            if not fut.done():
                fut.set_exception(error)
                fut.exception()  # retrieved: the waiter re-raises its own copy


class RateLimiter:
    """Token bucket of ``rate`` requests a second (None: unlimited) that reacts to throttling."""

    def __init__(self, rate: float | None, *, throttle_pause: float = 1.0) -> None:
        self.max_rate = rate
        self.rate = rate
        self.throttle_pause = throttle_pause
        self.burst = max(1.0, rate / 10) if rate else 0.0
        self.tokens = self.burst
        self._loop = asyncio.get_running_loop()
        self._last = self._loop.time()
        self.paused_until = 0.0
        self.throttled_count = 0

    def _refill(self, now: float) -> None:
        elapsed = now - self._last
        self._last = now
        if self.max_rate is None or self.rate is None:
            return
        if self.rate < self.max_rate:  # recover a tenth of the full rate per second
            self.rate = min(self.max_rate, self.rate + elapsed * self.max_rate / 10)
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)

    async def acquire(self, count: int, deadline: float) -> None:
        """Wait until ``count`` requests may go (a burst may overdraw the bucket).
        Raises :class:`asyncio.TimeoutError` when that would be after ``deadline``."""
        while True:
            now = self._loop.time()
            if now < self.paused_until:
                wait = self.paused_until - now
            else:
                self._refill(now)
                if self.rate is None:
                    return
                if self.tokens >= 1.0:
                    self.tokens -= count
                    return
                wait = (1.0 - self.tokens) / self.rate
            if now + wait > deadline:
                raise asyncio.TimeoutError
            await asyncio.sleep(wait)

    def throttled(self) -> None:
        """The peer answered ESME_RTHROTTLED (or ESME_RMSGQFUL): slow down."""
        now = self._loop.time()
        self.throttled_count += 1
        if now < self.paused_until:
            return  # already slowed down for this burst of refusals
        self._refill(now)
        self.paused_until = now + self.throttle_pause
        if self.rate is not None and self.max_rate is not None:
            self.rate = max(self.max_rate / 20, self.rate / 2)
            self.tokens = min(self.tokens, 0.0)
