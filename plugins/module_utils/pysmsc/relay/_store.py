# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What the relay keeps besides the pages (which the paging runner's store keeps in the same
SQLite file): alert groups held back by the rate limit, and the alerts of groups that resolved
(so that a late "firing" of an alert already resolved opens nothing).

Everything is read into memory at start and written through: a change returns once it is
committed (WAL, ``synchronous=FULL``), in one worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

__all__ = ["Fold", "RelayStore"]

T = TypeVar("T")
RESOLVED_KEPT = 24 * 3600.0  # how long the alerts of a resolved group are remembered

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS relay_folds (group_key TEXT PRIMARY KEY, "
    "overflow_key TEXT NOT NULL, text TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS relay_resolved (group_key TEXT PRIMARY KEY, "
    "alerts TEXT NOT NULL, at REAL NOT NULL)",
)


@dataclass(frozen=True)
class Fold:
    """A group held back by the rate limit, in the overflow page ``overflow_key``."""

    group_key: str
    overflow_key: str
    text: str
    at: float


class RelayStore:
    """The relay's tables in ``path`` (the pages' SQLite file)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smsc-relay")
        self._connection: sqlite3.Connection | None = None
        self.folds: dict[str, Fold] = {}
        self.resolved: dict[str, tuple[frozenset[str], float]] = {}

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            for statement in _SCHEMA:
                connection.execute(statement)
            self._connection = connection
        return self._connection

    async def open(self, now: float) -> None:
        """Create the tables and read them."""
        folds, resolved = await self._run(self._load, now)
        self.folds = {row[0]: Fold(*row) for row in folds}
        self.resolved = {key: (frozenset(json.loads(alerts)), at) for key, alerts, at in resolved}

    def _load(self, now: float) -> tuple[list[Any], list[Any]]:
        db = self._db()
        db.execute("DELETE FROM relay_resolved WHERE at < ?", (now - RESOLVED_KEPT,))
        folds = list(db.execute("SELECT group_key, overflow_key, text, at FROM relay_folds"))
        resolved = list(db.execute("SELECT group_key, alerts, at FROM relay_resolved"))
        return folds, resolved

    def _write(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            for sql, parameters in statements:
                db.execute(sql, parameters)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    async def fold(self, fold: Fold) -> None:
        await self._run(
            self._write,
            [
                (
                    "INSERT INTO relay_folds (group_key, overflow_key, text, at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT(group_key) DO UPDATE SET "
                    "overflow_key = excluded.overflow_key, text = excluded.text",
                    (fold.group_key, fold.overflow_key, fold.text, fold.at),
                )
            ],
        )
        self.folds[fold.group_key] = fold

    async def unfold(self, group_key: str) -> None:
        await self._run(
            self._write, [("DELETE FROM relay_folds WHERE group_key = ?", (group_key,))]
        )
        self.folds.pop(group_key, None)

    def folded_into(self, overflow_key: str) -> list[Fold]:
        return sorted(
            (f for f in self.folds.values() if f.overflow_key == overflow_key),
            key=lambda f: (f.at, f.group_key),
        )

    async def remember_resolved(self, group_key: str, alerts: frozenset[str], now: float) -> None:
        """The alerts (fingerprint@start) of a group that resolved."""
        known, _at = self.resolved.get(group_key, (frozenset(), now))
        merged = known | alerts
        await self._run(
            self._write,
            [
                ("DELETE FROM relay_resolved WHERE at < ?", (now - RESOLVED_KEPT,)),
                (
                    "INSERT INTO relay_resolved (group_key, alerts, at) VALUES (?, ?, ?) "
                    "ON CONFLICT(group_key) DO UPDATE SET alerts = excluded.alerts, "
                    "at = excluded.at",
                    (group_key, json.dumps(sorted(merged)), now),
                ),
            ],
        )
        self.resolved[group_key] = (merged, now)

    def was_resolved(self, group_key: str, alerts: frozenset[str], now: float) -> bool:
        """Whether every one of ``alerts`` already resolved (a late, stale "firing")."""
        known, at = self.resolved.get(group_key, (frozenset(), 0.0))
        return bool(alerts) and now - at <= RESOLVED_KEPT and alerts <= known

    async def close(self) -> None:
        await self._run(self._close)
        self._executor.shutdown(wait=True)

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
