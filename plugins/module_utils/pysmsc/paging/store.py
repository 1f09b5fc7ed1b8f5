# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Where the runner keeps its pages: :class:`SqlitePageStore` (a file that survives kill -9)
and :class:`MemoryPageStore` (for a runner that need not survive its process).

A store saves page states, the cursors of the runner's pollers and its spending (for the
hourly cost cap), all in one transaction. :class:`SqlitePageStore` does its I/O in one worker
thread (never on the event loop), commits with ``synchronous=FULL`` in WAL mode, and commits
the saves that arrive while a commit is under way together (a group commit), so a thousand
pages deciding at once cost a handful of fsyncs rather than a thousand.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Protocol, TypeVar

from .model import PageState, state_from_dict, state_to_dict

__all__ = ["MemoryPageStore", "PageStore", "SqlitePageStore", "StoreCursor"]

T = TypeVar("T")


class PageStore(Protocol):
    """Page states by their token, cursors by name, and spending."""

    async def load(self) -> list[PageState]:
        """Every stored state."""

    async def save(
        self,
        states: Sequence[PageState] = (),
        *,
        delete: Sequence[str] = (),
        cursors: Mapping[str, int] | None = None,
        spend: Sequence[tuple[float, Decimal]] = (),
    ) -> None:
        """Store ``states``, forget the tokens in ``delete``, move ``cursors`` and record
        ``spend`` (time, amount), all at once."""

    async def spending(self, since: float) -> list[tuple[float, Decimal]]:
        """The amounts spent since ``since``."""

    async def load_cursor(self, name: str) -> int | None:
        """The cursor stored under ``name``."""

    async def close(self) -> None:
        """Release the store."""


class StoreCursor:
    """A page store's named cursor as a :class:`pysmsc.inbox.CursorStore` (any
    :class:`PageStore`, such as Home Assistant's)."""

    def __init__(self, store: PageStore, name: str) -> None:
        self._store = store
        self._name = name

    async def load(self) -> int | None:
        return await self._store.load_cursor(self._name)

    async def save(self, cursor: int) -> None:
        await self._store.save(cursors={self._name: cursor})


class MemoryPageStore:
    """Keeps the JSON form of every state in memory (so what is stored is what a file holds)."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.cursors: dict[str, int] = {}
        self.spent: list[tuple[float, Decimal]] = []

    async def load(self) -> list[PageState]:
        return [state_from_dict(json.loads(text)) for text in self.pages.values()]

    async def save(
        self,
        states: Sequence[PageState] = (),
        *,
        delete: Sequence[str] = (),
        cursors: Mapping[str, int] | None = None,
        spend: Sequence[tuple[float, Decimal]] = (),
    ) -> None:
        for state in states:
            self.pages[state.token] = json.dumps(state_to_dict(state))
        for token in delete:
            self.pages.pop(token, None)
        self.cursors.update(cursors or {})
        self.spent.extend(spend)

    async def spending(self, since: float) -> list[tuple[float, Decimal]]:
        return [(at, amount) for at, amount in self.spent if at >= since]

    async def load_cursor(self, name: str) -> int | None:
        return self.cursors.get(name)

    def cursor(self, name: str) -> StoreCursor:
        return StoreCursor(self, name)

    async def close(self) -> None:
        return None


@dataclass
class _Write:
    states: dict[str, str] = field(default_factory=dict)
    delete: set[str] = field(default_factory=set)
    cursors: dict[str, int] = field(default_factory=dict)
    spend: list[tuple[float, str]] = field(default_factory=list)

    def add(
        self,
        states: Sequence[PageState],
        delete: Sequence[str],
        cursors: Mapping[str, int] | None,
        spend: Sequence[tuple[float, Decimal]],
    ) -> None:
        for state in states:
            self.states[state.token] = json.dumps(state_to_dict(state), separators=(",", ":"))
            self.delete.discard(state.token)
        for token in delete:
            self.states.pop(token, None)
            self.delete.add(token)
        self.cursors.update(cursors or {})
        self.spend.extend((at, str(amount)) for at, amount in spend)


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS pages (token TEXT PRIMARY KEY, state TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS spend (at REAL NOT NULL, amount TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS spend_at ON spend (at)",
)


class SqlitePageStore:
    """Pages in an SQLite file. One store per file and process (the runner that owns it)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pysmsc-pages")
        self._local = threading.local()
        self._pending: _Write | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._flushing: asyncio.Task[None] | None = None

    # Everything below that touches the connection runs in the one worker thread.
    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            for statement in _SCHEMA:
                connection.execute(statement)
            self._local.connection = connection
        return connection

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    async def load(self) -> list[PageState]:
        rows: list[str] = await self._run(self._load)
        return [state_from_dict(json.loads(text)) for text in rows]

    def _load(self) -> list[str]:
        return [row[0] for row in self._connection().execute("SELECT state FROM pages")]

    async def save(
        self,
        states: Sequence[PageState] = (),
        *,
        delete: Sequence[str] = (),
        cursors: Mapping[str, int] | None = None,
        spend: Sequence[tuple[float, Decimal]] = (),
    ) -> None:
        """Store these changes; returns once they are committed (with any others that came
        while the previous commit was under way)."""
        if self._pending is None:
            self._pending = _Write()
        self._pending.add(states, delete, cursors, spend)
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.get_running_loop().create_task(self._flush())
        await asyncio.shield(waiter)

    async def _flush(self) -> None:
        while self._pending is not None:
            write, self._pending = self._pending, None
            waiters, self._waiters = self._waiters, []
            try:
                await self._run(self._write, write)
            except Exception as exc:  # noqa: BLE001 - every waiter learns the commit failed
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_exception(exc)
            else:
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_result(None)

    def _write(self, write: _Write) -> None:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.executemany(
                "INSERT INTO pages (token, state) VALUES (?, ?) "
                "ON CONFLICT(token) DO UPDATE SET state = excluded.state",
                list(write.states.items()),
            )
            connection.executemany(
                "DELETE FROM pages WHERE token = ?", [(token,) for token in write.delete]
            )
            connection.executemany(
                "INSERT INTO cursors (name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                list(write.cursors.items()),
            )
            connection.executemany("INSERT INTO spend (at, amount) VALUES (?, ?)", write.spend)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    async def spending(self, since: float) -> list[tuple[float, Decimal]]:
        rows: list[tuple[float, str]] = await self._run(self._spending, since)
        return [(at, Decimal(amount)) for at, amount in rows]

    def _spending(self, since: float) -> list[tuple[float, str]]:
        connection = self._connection()
        connection.execute("DELETE FROM spend WHERE at < ?", (since - 86400,))
        return list(
            connection.execute("SELECT at, amount FROM spend WHERE at >= ? ORDER BY at", (since,))
        )

    async def load_cursor(self, name: str) -> int | None:
        value: int | None = await self._run(self._load_cursor, name)
        return value

    def _load_cursor(self, name: str) -> int | None:
        row = (
            self._connection()
            .execute("SELECT value FROM cursors WHERE name = ?", (name,))
            .fetchone()
        )
        return None if row is None else int(row[0])

    def cursor(self, name: str) -> StoreCursor:
        """The named cursor of this file, for :class:`pysmsc.inbox.IncomingPoller`."""
        return StoreCursor(self, name)

    async def close(self) -> None:
        if self._flushing is not None:
            await asyncio.gather(self._flushing, return_exceptions=True)
        await self._run(self._close)
        self._executor.shutdown(wait=True)

    def _close(self) -> None:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
