# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""From notifications to pages: one page per alert group, updated and never repeated.

- A firing group opens a page (its route's chain and escalation), keyed by the source and the
  group key. While that page is open, every later notification of the group — a changed group,
  Alertmanager's ``repeat_interval`` re-sends, a second Alertmanager of an HA pair — only gives
  it the new text: nobody is paged twice for one group.
- A resolved group resolves its page: the library sends one "resolved after N min" message to
  whoever was reached. A resolution of a group with no page opens nothing.
- A "firing" whose every alert (fingerprint and start) already resolved is stale (a retry or
  an HA peer arriving after the resolution) and opens nothing.
- The rate limit: a contact is in at most ``pages`` new pages in any ``per`` seconds. A group
  beyond it joins the overflow page of its chain ("N alerts held back by the rate limit: ...")
  instead of paging on its own; the overflow page resolves when the last of them does.

Each call returns once its effect is stored (the runner stores a page's decision before it
acts), so a webhook can be answered 2xx only then; the same notification handled twice changes
nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import ValidationError
from ..paging import Contact, Escalation, Page, PageReport, PageRunner, Phase
from ._config import RelayConfig, Route, contacts_of
from ._payloads import FIRING, Notification, PayloadError, page_key, page_text
from ._store import Fold, RelayStore

__all__ = ["Dispatcher", "Outcome"]

OPENED = "opened"
DEDUPLICATED = "deduplicated"
RESOLVED = "resolved"
FOLDED = "folded"
STALE = "stale"
IGNORED = "ignored"
ACTIONS = (OPENED, DEDUPLICATED, RESOLVED, FOLDED, STALE, IGNORED)


@dataclass
class Outcome:
    """What a notification did: ``action`` (one of :data:`ACTIONS`), the page's key and
    report."""

    action: str
    key: str
    report: PageReport | None = None

    def as_dict(self) -> dict[str, Any]:
        page = None if self.report is None else self.report.as_dict()
        return {"action": self.action, "key": self.key, "page": page}


class _KeyLocks:
    """One lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


@dataclass
class _Chain:
    route: Route
    contacts: tuple[Contact, ...]
    escalation: Escalation
    overflow_key: str = field(init=False)

    def __post_init__(self) -> None:
        self.overflow_key = "overflow:" + ",".join(c.name for c in self.contacts)


class Dispatcher:
    """Turns notifications into the runner's pages (see the module's documentation)."""

    def __init__(
        self,
        runner: PageRunner,
        config: RelayConfig,
        store: RelayStore,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._runner = runner
        self._config = config
        self._store = store
        self._clock = clock
        self._locks = _KeyLocks()
        self._opening = asyncio.Lock()
        self._opened: dict[str, deque[float]] = defaultdict(deque)  # contact -> page openings
        self.counts: dict[tuple[str, str], int] = defaultdict(int)  # (source, action) -> n

    def start(self) -> None:
        """Count the pages the runner resumed into the rate limit's window."""
        limit = self._config.rate_limit
        if limit is None:
            return
        since = self._clock() - limit.per
        for report in self._runner.reports():
            moment = report.created_at.timestamp()
            if moment >= since and not report.key.startswith("overflow:"):
                for name in report.reached:
                    self._opened[name].append(moment)
        for moments in self._opened.values():
            ordered = sorted(moments)
            moments.clear()
            moments.extend(ordered)

    @property
    def folded(self) -> int:
        return len(self._store.folds)

    def is_open(self, key: str) -> bool:
        report = self._runner.report(key)
        return report is not None and report.phase != Phase.RESOLVED

    def report(self, key: str) -> PageReport | None:
        return self._runner.report(key)

    async def handle(self, notification: Notification) -> Outcome:
        """Act on one notification; returns once the effect is stored."""
        key = page_key(notification)
        async with self._locks.hold(key):
            if notification.status == FIRING:
                outcome = await self._firing(notification, key)
            else:
                outcome = await self._resolved(notification, key)
        self.counts[(notification.source.split("/", 1)[0], outcome.action)] += 1
        return outcome

    # -- firing ---------------------------------------------------------------------------------

    def _chain(self, notification: Notification) -> _Chain:
        route = self._config.route_for(notification.labels)
        if not notification.to and not notification.escalation:
            return _Chain(route, route.chain, route.escalation)
        try:
            chain = tuple(contacts_of(notification.to, self._config.contacts, "to"))
        except ValidationError as exc:
            raise PayloadError(exc.field, exc.rule) from None
        if not notification.to:
            chain = route.chain
        options = {**route.options, **notification.escalation}
        try:
            escalation = Escalation(**options, texts=self._config.texts)
        except ValidationError as exc:
            raise PayloadError(f"escalation.{exc.field.split('.')[-1]}", exc.rule) from None
        return _Chain(route, chain, escalation)

    async def _firing(self, notification: Notification, key: str) -> Outcome:
        now = self._clock()
        identities = frozenset(a.identity for a in notification.firing if a.fingerprint)
        if len(identities) == len(notification.firing) and self._store.was_resolved(
            key, identities, now
        ):
            return Outcome(STALE, key)
        text = page_text(notification)
        if self.is_open(key):
            report = await self._runner.page(Page(key, text, self._open_contacts(key)))
            return Outcome(DEDUPLICATED, key, report)
        fold = self._store.folds.get(key)
        if fold is not None:
            return await self._fold(fold.overflow_key, key, text, self._chain(notification))
        chain = self._chain(notification)
        async with self._opening:
            if self._over_limit(chain.contacts, now):
                folded = True
            else:
                folded = False
                reserved = self._reserve(chain.contacts, now)
        if folded:
            return await self._fold(chain.overflow_key, key, text, chain)
        try:
            report = await self._runner.page(Page(key, text, chain.contacts, chain.escalation))
        except BaseException:
            self._release(reserved)
            raise
        return Outcome(OPENED, key, report)

    def _open_contacts(self, key: str) -> tuple[Contact, ...]:
        """A placeholder chain for updating an open page (the runner keeps the page's own)."""
        return (next(iter(self._config.contacts.values())),)

    def _over_limit(self, contacts: tuple[Contact, ...], now: float) -> bool:
        limit = self._config.rate_limit
        if limit is None:
            return False
        for contact in contacts:
            moments = self._opened[contact.name]
            while moments and moments[0] <= now - limit.per:
                moments.popleft()
            if len(moments) >= limit.pages:
                return True
        return False

    def _reserve(self, contacts: tuple[Contact, ...], now: float) -> list[tuple[str, float]]:
        if self._config.rate_limit is None:
            return []
        for contact in contacts:
            self._opened[contact.name].append(now)
        return [(contact.name, now) for contact in contacts]

    def _release(self, reserved: list[tuple[str, float]]) -> None:
        for name, moment in reserved:
            with contextlib.suppress(ValueError):
                self._opened[name].remove(moment)

    async def _fold(self, overflow_key: str, key: str, text: str, chain: _Chain) -> Outcome:
        """Hold the group back in the overflow page of its chain (opened, or updated)."""
        async with self._locks.hold(overflow_key):
            existing = self._store.folds.get(key)
            if existing is None or existing.text != text:
                at = existing.at if existing is not None else self._clock()
                await self._store.fold(Fold(key, overflow_key, text, at))
            page = self._overflow_page(overflow_key, chain.contacts, chain.escalation)
            report = await self._runner.page(page)
        return Outcome(FOLDED, overflow_key, report)

    def _overflow_page(
        self, overflow_key: str, contacts: tuple[Contact, ...], escalation: Escalation
    ) -> Page:
        folds = self._store.folded_into(overflow_key)
        count = f"{len(folds)} alert" + ("s" if len(folds) != 1 else "")
        text = f"{count} held back by the rate limit: " + "; ".join(f.text for f in folds)
        return Page(overflow_key, text[:900], contacts, escalation)

    # -- resolved -------------------------------------------------------------------------------

    async def _resolved(self, notification: Notification, key: str) -> Outcome:
        now = self._clock()
        identities = frozenset(a.identity for a in notification.alerts if a.fingerprint)
        if identities:
            await self._store.remember_resolved(key, identities, now)
        if self.is_open(key):
            report = await self._runner.resolve(key)
            return Outcome(RESOLVED, key, report)
        fold = self._store.folds.get(key)
        if fold is None:
            return Outcome(IGNORED, key, self._runner.report(key))
        overflow_key = fold.overflow_key
        async with self._locks.hold(overflow_key):
            await self._store.unfold(key)
            if not self.is_open(overflow_key):
                return Outcome(RESOLVED, overflow_key, self._runner.report(overflow_key))
            if not self._store.folded_into(overflow_key):
                report = await self._runner.resolve(overflow_key)
            else:
                page = self._overflow_page(overflow_key, self._open_contacts(key), Escalation())
                report = await self._runner.page(page)
        return Outcome(RESOLVED, overflow_key, report)

    def counters(self) -> Mapping[tuple[str, str], int]:
        return dict(self.counts)
