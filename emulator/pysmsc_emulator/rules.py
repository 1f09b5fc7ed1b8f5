# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The service's protective limits: identical-request and rate windows, the flood rule for one
number, and the concurrent-request limit per login."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass

__all__ = [
    "CONCURRENT_LIMIT",
    "FLOOD_GAP",
    "FLOOD_GAP_SMPP",
    "FLOOD_RUN",
    "RULES",
    "ConcurrencyGuard",
    "FloodRule",
    "RateLimiter",
    "RateRule",
]

WINDOW = 60.0  # every documented rate window is one minute
# Seconds between messages to one number that still count as a run: the HTTP page says 60,
# the SMPP page 30; each side keeps its own.
FLOOD_GAP = 60.0
FLOOD_GAP_SMPP = 30.0
FLOOD_RUN = 50  # messages in such a run that are let through; the next one is blocked
CONCURRENT_LIMIT = 15  # this many simultaneous requests under one login are refused


@dataclass(frozen=True)
class RateRule:
    """At most ``limit`` requests with the same key within ``window`` seconds."""

    name: str
    limit: int
    window: float = WINDOW


RULES: dict[str, RateRule] = {
    rule.name: rule
    for rule in (
        RateRule("send_identical", 1),  # one identical send request a minute
        RateRule("cost_identical", 5),  # five identical cost requests a minute
        RateRule("status_message", 5),  # five status requests for one message a minute
        RateRule("status_mass", 1),  # one mass status request a minute
        RateRule("balance", 10),  # ten balance requests a minute
        RateRule("templates_identical", 3),  # three identical template actions a minute
        RateRule("op_templates_identical", 10),  # ten identical operator template actions
        RateRule("senders_get_identical", 3),  # three identical sender list requests
        RateRule("senders_add", 5),  # five requests creating a sender name
        RateRule("ping_identical", 5),  # five identical notifications a minute
        # One get_answers request in 5 s: the guess of /work/briefs/callbacks-contract.md.
        RateRule("answers", 1, window=5.0),
    )
}


class RateLimiter:
    """Sliding one-minute windows of accepted requests, keyed by (login, rule, key)."""

    SWEEP_EVERY = 1000  # windows kept before the expired ones are dropped

    def __init__(self) -> None:
        self._hits: dict[Hashable, deque[float]] = {}
        self._sweep_at = self.SWEEP_EVERY

    def _window(self, key: Hashable, rule: RateRule, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - rule.window:
            hits.popleft()
        return hits

    def allowed(self, login: str, rule: RateRule, key: Hashable, now: float) -> bool:
        """True when one more request fits the rule (nothing is recorded)."""
        return len(self._window((login, rule.name, key), rule, now)) < rule.limit

    def record(self, login: str, rule: RateRule, key: Hashable, now: float) -> None:
        full_key = (login, rule.name, key)
        hits = self._window(full_key, rule, now)
        hits.append(now)
        self._hits[full_key] = hits
        if len(self._hits) >= self._sweep_at:
            self._sweep(now)

    def _sweep(self, now: float) -> None:
        """Forget windows whose last request is older than any rule's window."""
        longest = max(rule.window for rule in RULES.values())
        self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - longest}
        self._sweep_at = max(self.SWEEP_EVERY, 2 * len(self._hits))

    def hit(self, login: str, rule: RateRule, key: Hashable, now: float) -> bool:
        """Record the request and return True if it fits; refuse (and record nothing) if not."""
        if not self.allowed(login, rule, key, now):
            return False
        self.record(login, rule, key, now)
        return True

    def clear(self) -> None:
        self._hits.clear()
        self._sweep_at = self.SWEEP_EVERY

    def __len__(self) -> int:
        return len(self._hits)


class FloodRule:
    """More than 50 messages to one number, each less than ``gap`` seconds after the previous
    one (60 over HTTP, 30 over SMPP): the 51st and later ones are blocked (status 20, err 251)
    until a gap that long breaks the run."""

    @staticmethod
    def gap(source: str) -> float:
        return FLOOD_GAP_SMPP if source == "smpp" else FLOOD_GAP

    @staticmethod
    def blocked(
        history: dict[str, tuple[float, int]], phone: str, now: float, gap: float = FLOOD_GAP
    ) -> bool:
        last = history.get(phone)
        run = last[1] + 1 if last is not None and now - last[0] < gap else 1
        history[phone] = (now, run)
        return run > FLOOD_RUN


class ConcurrencyGuard:
    """Counts requests in progress per login; the fifteenth at once is refused."""

    def __init__(self, limit: int = CONCURRENT_LIMIT) -> None:
        self.limit = limit
        self._active: dict[str, int] = {}

    def enter(self, login: str) -> bool:
        active = self._active.get(login, 0)
        if active + 1 >= self.limit:
            return False
        self._active[login] = active + 1
        return True

    def leave(self, login: str) -> None:
        active = self._active.get(login, 0) - 1
        if active > 0:
            self._active[login] = active
        else:
            self._active.pop(login, None)

    def active(self, login: str | None = None) -> int:
        if login is None:
            return sum(self._active.values())
        return self._active.get(login, 0)
