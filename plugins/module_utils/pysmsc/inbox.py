# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Receiving messages by polling get.php: :class:`IncomingPoller` and the cursor it keeps.

The cursor is the id of the last message handed over (ids grow). Kept in a
:class:`CursorStore`, it survives restarts: a restarted poller asks only for messages after it.
The cursor moves only after the consumer has taken a batch (:meth:`IncomingPoller.run` saves
it after ``handler`` returns), so a message is never lost; a process killed between the
handler's return and the cursor's save sees that one batch again, unless the consumer stores
the cursor in the same transaction as its own effects (:class:`pysmsc.paging.SqlitePageStore`
does, for the paging runner). Use :meth:`IncomingPoller.fetch` and
:meth:`IncomingPoller.advance` for that.

On its first start (no cursor saved), the poller hands over only messages received after it
started, unless ``backlog_hours`` asks for older ones: replies sent before a consumer existed
are not news to it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from .errors import RateLimitError, SmscError, ValidationError
from .models import ReceivedMessage
from .protocol._incoming import MAX_COUNT, MAX_HOURS

if TYPE_CHECKING:
    from . import AsyncClient

__all__ = [
    "CursorStore",
    "FileCursorStore",
    "IncomingPoller",
    "MemoryCursorStore",
    "SqliteCursorStore",
]

_LOG = logging.getLogger(__name__)
# The service allows about one get_answers request in five seconds (a guess).
MIN_INTERVAL = 5.0


class CursorStore(Protocol):
    """Where a poller keeps the id of the last message it handed over."""

    async def load(self) -> int | None: ...

    async def save(self, cursor: int) -> None: ...


class MemoryCursorStore:
    """A cursor that lives as long as the process (tests, or a consumer that does not care)."""

    def __init__(self, cursor: int | None = None) -> None:
        self.cursor = cursor

    async def load(self) -> int | None:
        return self.cursor

    async def save(self, cursor: int) -> None:
        self.cursor = cursor


class FileCursorStore:
    """The cursor in a small JSON file, replaced atomically (write, fsync, rename) so that a
    crash leaves the old cursor or the new one, never a broken file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    async def load(self) -> int | None:
        return await asyncio.to_thread(self._load)

    async def save(self, cursor: int) -> None:
        await asyncio.to_thread(self._save, cursor)

    def _load(self) -> int | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        value = data.get("after_id") if isinstance(data, dict) else None
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError("cursor", f"{self.path} does not hold a cursor")
        return value

    def _save(self, cursor: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".cursor-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"after_id": cursor}, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class SqliteCursorStore:
    """Named cursors in an SQLite file (the paging runner's state file can hold them too)."""

    def __init__(self, path: str | os.PathLike[str], name: str = "incoming") -> None:
        self.path = str(path)
        self.name = name

    async def load(self) -> int | None:
        return await asyncio.to_thread(self._load)

    async def save(self, cursor: int) -> None:
        await asyncio.to_thread(self._save, cursor)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
        )
        return connection

    def _load(self) -> int | None:
        connection = self._connect()
        try:
            row = connection.execute(
                "SELECT value FROM cursors WHERE name = ?", (self.name,)
            ).fetchone()
        finally:
            connection.close()
        return None if row is None else int(row[0])

    def _save(self, cursor: int) -> None:
        connection = self._connect()
        try:
            with connection:
                connection.execute(
                    "INSERT INTO cursors (name, value) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    (self.name, cursor),
                )
        finally:
            connection.close()


class IncomingPoller:
    """Polls get.php for received messages, each handed over once.

    ``interval``: seconds between polls (at least 5, the service's limit). ``backlog_hours``:
    on the first start (no cursor), also hand over what arrived in the last hours (1-720).
    ``clock`` gives the Unix time (injectable for tests).
    """

    def __init__(
        self,
        client: AsyncClient,
        cursor: CursorStore | None = None,
        *,
        interval: float = 15.0,
        backlog_hours: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if math.isnan(interval) or interval < MIN_INTERVAL:
            raise ValidationError("interval", f"must be at least {MIN_INTERVAL:g} seconds")
        if backlog_hours is not None and not 1 <= backlog_hours <= MAX_HOURS:
            raise ValidationError("backlog_hours", f"must be from 1 to {MAX_HOURS}")
        self._client = client
        self._store: CursorStore = cursor if cursor is not None else MemoryCursorStore()
        self.interval = interval
        self._backlog_hours = backlog_hours
        self._clock = clock
        self._started = clock()
        self._cursor: int | None = None
        self._loaded = False
        self._more = False

    @property
    def cursor(self) -> int | None:
        """The id of the last message handed over (None before the first)."""
        return self._cursor

    async def fetch(self) -> list[ReceivedMessage]:
        """The next messages after the cursor, oldest first; the cursor does not move until
        :meth:`advance`. Raises the client's errors (RateLimitError when polled too often)."""
        if not self._loaded:
            self._cursor = await self._store.load()
            self._loaded = True
        if self._cursor is not None:
            found = await self._client.incoming(after_id=self._cursor, count=MAX_COUNT)
            self._more = len(found) >= MAX_COUNT
            return [m for m in found if m.id > self._cursor]
        # First start: look back an hour (or the backlog asked for), hand over what is new.
        found = await self._client.incoming(hour=self._backlog_hours or 1, count=MAX_COUNT)
        self._more = len(found) >= MAX_COUNT
        if self._backlog_hours is not None:
            return found
        since = self._started - 1  # a second for the rounding of the service's dates
        fresh = [m for m in found if (_received(m) or since) >= since]
        skipped = [m for m in found if (_received(m) or since) < since]
        if skipped:
            # Older than this poller: not handed over, but the cursor moves past them.
            self._cursor = max(m.id for m in skipped)
            await self._store.save(self._cursor)
        return fresh

    async def advance(self, messages: Sequence[ReceivedMessage], *, save: bool = True) -> None:
        """Move the cursor past ``messages`` (taken by the consumer); ``save=False`` when the
        consumer has already stored the cursor with its own state."""
        if not messages:
            return
        last = max(m.id for m in messages)
        if self._cursor is None or last > self._cursor:
            self._cursor = last
            if save:
                await self._store.save(last)

    async def run(
        self,
        handler: Callable[[list[ReceivedMessage]], Awaitable[None]],
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Poll until cancelled: every batch goes to ``handler``, then the cursor is saved. A
        failed poll is logged and tried again at the next interval (after a minute when the
        service said the polls were too frequent)."""
        while True:
            delay = self.interval
            try:
                batch = await self.fetch()
                if batch:
                    await handler(batch)
                    await self.advance(batch)
                if self._more:
                    delay = MIN_INTERVAL  # a full page: the rest as soon as the service allows
            except RateLimitError:
                _LOG.warning("get.php: polled too often; waiting a minute")
                delay = max(60.0, self.interval)
            except SmscError as exc:
                _LOG.warning("get.php: %s; trying again in %g s", exc, self.interval)
            await sleep(delay)


def _received(message: ReceivedMessage) -> float | None:
    moment = message.received_at or message.sent_at
    return None if moment is None else moment.timestamp()
