# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The submit rate: a token bucket that reacts to throttling. Sans-I/O: every method takes the
current time, nothing sleeps.

The bucket may go into debt, so that all the parts of one long message leave back to back while
the average rate still holds. A throttling answer pauses sending and halves the rate, which then
recovers by a tenth of the full rate a second (additive increase, multiplicative decrease).
"""

from __future__ import annotations

__all__ = ["RateLimiter"]


class RateLimiter:
    """At most ``rate`` submits a second on average (None: no limit of our own)."""

    def __init__(self, rate: float | None, *, throttle_pause: float, now: float) -> None:
        self.max_rate = rate
        self.rate = rate
        self.throttle_pause = throttle_pause
        self.burst = max(1.0, rate / 10) if rate else 0.0
        self.tokens = self.burst
        self._last = now
        self.paused_until = 0.0
        self.throttled_count = 0

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._last)
        self._last = now
        if self.max_rate is None or self.rate is None:
            return
        if self.rate < self.max_rate:
            self.rate = min(self.max_rate, self.rate + elapsed * self.max_rate / 10)
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)

    def ready_at(self, now: float) -> float:
        """When the next message may start (``now`` or later)."""
        if self.max_rate is None and now >= self.paused_until:
            return now  # no limit of our own, no pause
        if now < self.paused_until:
            return self.paused_until
        self._refill(now)
        if self.rate is None or self.tokens >= 1.0:
            return now
        return now + (1.0 - self.tokens) / self.rate

    def take(self, count: int) -> None:
        """``count`` submits leave (call after :meth:`ready_at` said now)."""
        if self.rate is not None:
            self.tokens -= count

    def throttled(self, now: float) -> None:
        """The SMSC answered ESME_RTHROTTLED (or ESME_RMSGQFUL): pause and slow down."""
        self.throttled_count += 1
        if now < self.paused_until:
            return  # already slowed down for this burst of refusals
        self._refill(now)
        self.paused_until = now + self.throttle_pause
        if self.rate is not None and self.max_rate is not None:
            self.rate = max(self.max_rate / 20, self.rate / 2)
            self.tokens = min(self.tokens, 0.0)
