# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Where the client remembers what it sent, so that a receipt finds its submit.

A receipt names the message id the SMSC gave; the store maps it back to a
:class:`~pysmsc.smpp.receipts.SentMessage` (destination, parts, time, your ``reference``). Two
stores come with the library; any object with the methods of :class:`SentStore` will do:

* :class:`MemoryStore` (the default): the last ``limit`` messages, in memory. Nothing survives a
  restart, and in a campaign larger than ``limit`` the oldest lose their link.
* :class:`SqliteStore`: a SQLite file (standard library ``sqlite3``) that survives a restart and
  holds a campaign of any size. All its I/O runs in one thread of its own, in batches, so the
  event loop never waits for the disk.

Both forget a message once the service stops trying to deliver it: its validity period (the
submit's ``validity``, else ``default_validity``) plus ``grace`` for the last receipt to arrive.
A receipt whose submit is not in the store is still delivered, with ``sent`` None.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Optional, Protocol

from ..errors import ValidationError
from .receipts import SentMessage

if TYPE_CHECKING:
    import sqlite3

__all__ = ["MemoryStore", "SentStore", "SqliteStore", "normalize_id"]

_LOGGER = logging.getLogger(__name__)

# How long the service keeps trying a message without a validity of its own, and how long after
# that a late receipt may still come.
DEFAULT_VALIDITY = timedelta(hours=24)
GRACE = timedelta(hours=1)


def normalize_id(message_id: str) -> str:
    """The form of a message id used as a key: ``"00ABC"`` and ``"abc"`` are one id."""
    if message_id.isdigit() and message_id[0] != "0":
        return message_id  # the service's ids, as they come
    return message_id.strip().lower().lstrip("0") or "0"


class SentStore(Protocol):
    """What the client needs of a store. ``add`` is called for every message sent and must not
    block (it takes plain values, so that a store makes objects only when asked); ``find`` may
    wait for I/O."""

    def check_reference(self, reference: Any) -> None:
        """Raise :class:`~pysmsc.errors.ValidationError` when ``reference`` cannot be kept
        (called before the message is sent)."""

    async def open(self) -> None: ...

    def add(
        self,
        message_ids: tuple[str, ...],
        destination: str,
        parts: int,
        submitted_at: float,
        *,
        reference: Any,
        validity: timedelta | None,
    ) -> None:
        """Remember a message under each of its ids (``submitted_at``: a ``time.time()``;
        ``validity``: the submit's, None for the service's default)."""

    async def find(self, message_id: str) -> SentMessage | None: ...

    async def close(self) -> None: ...


def _keep(validity: timedelta | None, default: timedelta) -> float:
    """Seconds after the submit that a message is remembered."""
    keep = validity if validity is not None and validity > timedelta(0) else default
    return (keep + GRACE).total_seconds()


def _sent(
    message_ids: tuple[str, ...], destination: str, parts: int, at: float, reference: Any
) -> SentMessage:
    return SentMessage(
        message_ids, destination, parts, datetime.fromtimestamp(at, timezone.utc), reference
    )


_Entry = tuple[tuple[str, ...], str, int, float, Any, Optional[timedelta]]


class MemoryStore:
    """The last ``limit`` messages sent, in memory (the default store)."""

    def __init__(self, limit: int = 10_000, *, default_validity: timedelta = DEFAULT_VALIDITY):
        if limit < 1:
            raise ValidationError("limit", "at least 1")
        self.limit = limit
        self.default_validity = default_validity
        # id -> what add() got: a SentMessage is made by find() only
        self._items: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def check_reference(self, reference: Any) -> None:
        """Any object will do."""

    async def open(self) -> None:
        pass

    def add(
        self,
        message_ids: tuple[str, ...],
        destination: str,
        parts: int,
        submitted_at: float,
        *,
        reference: Any,
        validity: timedelta | None,
    ) -> None:
        entry = (message_ids, destination, parts, submitted_at, reference, validity)
        items = self._items
        for message_id in message_ids:
            items[normalize_id(message_id)] = entry
        while len(items) > self.limit:
            items.popitem(last=False)

    async def find(self, message_id: str) -> SentMessage | None:
        key = normalize_id(message_id)
        entry = self._items.get(key)
        if entry is None:
            return None
        message_ids, destination, parts, at, reference, validity = entry
        if at + _keep(validity, self.default_validity) < time.time():
            del self._items[key]
            return None
        return _sent(message_ids, destination, parts, at, reference)

    async def close(self) -> None:
        self._items.clear()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    id TEXT PRIMARY KEY,
    message_ids TEXT NOT NULL,
    destination TEXT NOT NULL,
    parts INTEGER NOT NULL,
    submitted_at REAL NOT NULL,
    reference TEXT NOT NULL,
    expires_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sent_expires_at ON sent (expires_at);
"""
_Row = tuple[str, str, str, int, float, str, float]
_INSERT = "INSERT OR REPLACE INTO sent VALUES (?, ?, ?, ?, ?, ?, ?)"
# A whole batch in one statement: SQLite unpacks the JSON array without Python's lock, where
# executemany binds every row with it and loses a switch interval per row to a busy event
# loop (7,800 rows took 2 s during a campaign). Needs SQLite's JSON functions (3.9+ with JSON1).
_INSERT_JSON = """
INSERT OR REPLACE INTO sent SELECT
    json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
    json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'),
    json_extract(value, '$[6]')
FROM json_each(?)
"""


class SqliteStore:
    """Sent messages in the SQLite file ``path``: survives a restart, any campaign size.

    ``reference`` values must be JSON (None, bool, numbers, strings, lists and dicts of them);
    they come back as JSON reads them (a tuple as a list). Writes are batched: at most one
    batch per turn of the event loop, in the store's own thread. Expired messages are deleted
    at open and then every ``cleanup_interval`` seconds.
    """

    def __init__(
        self,
        path: str,
        *,
        default_validity: timedelta = DEFAULT_VALIDITY,
        cleanup_interval: float = 3600.0,
    ) -> None:
        self.path = str(path)
        self.default_validity = default_validity
        self.cleanup_interval = cleanup_interval
        self._executor: ThreadPoolExecutor | None = None
        self._db: sqlite3.Connection | None = None  # used in the store's thread only
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: dict[str, _Row] = {}
        self._writing: list[dict[str, _Row]] = []  # batches handed to the thread
        self._flushing: set[asyncio.Future[None]] = set()
        self._flush_scheduled = False
        self._next_cleanup = 0.0
        self._json_rows = True  # batches as one JSON array (see _INSERT_JSON)

    def check_reference(self, reference: Any) -> None:
        try:
            json.dumps(reference)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                "reference", f"must be JSON (None, bool, numbers, strings, lists, dicts): {exc}"
            ) from None

    async def _run(self, function: Any, *args: Any) -> Any:
        assert self._loop is not None
        return await self._loop.run_in_executor(self._executor, function, *args)

    async def open(self) -> None:
        if self._executor is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="pysmsc-sqlite-store")
        try:
            await self._run(self._connect)
        except BaseException:
            self._executor.shutdown(wait=False)
            self._executor = None
            raise
        self._next_cleanup = time.monotonic() + self.cleanup_interval

    def _connect(self) -> None:
        import sqlite3  # noqa: PLC0415 - only this store needs it (some Pythons lack it)

        db = sqlite3.connect(self.path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        try:
            db.execute("SELECT json_extract('[1]', '$[0]')")
        except sqlite3.OperationalError:  # an SQLite built without JSON1
            self._json_rows = False
        self._db = db
        self._cleanup()

    def _cleanup(self) -> None:
        assert self._db is not None
        with self._db:
            self._db.execute("DELETE FROM sent WHERE expires_at < ?", (time.time(),))

    def add(
        self,
        message_ids: tuple[str, ...],
        destination: str,
        parts: int,
        submitted_at: float,
        *,
        reference: Any,
        validity: timedelta | None,
    ) -> None:
        if self._loop is None:
            raise RuntimeError("the store is not open")
        row_tail = (
            json.dumps(message_ids),
            destination,
            parts,
            submitted_at,
            json.dumps(reference),
            submitted_at + _keep(validity, self.default_validity),
        )
        for message_id in message_ids:
            key = normalize_id(message_id)
            self._pending[key] = (key, *row_tail)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        # One write at a time: what comes meanwhile goes in the next batch, larger when the
        # disk is slower than the campaign (fewer transactions, no queue of small batches).
        if not self._pending or self._loop is None or self._flushing:
            return
        cleanup = time.monotonic() >= self._next_cleanup
        if cleanup:
            self._next_cleanup = time.monotonic() + self.cleanup_interval
        # Until the thread has written them, find() reads them from memory.
        batch, self._pending = self._pending, {}
        future = self._loop.run_in_executor(
            self._executor, self._write, list(batch.values()), cleanup
        )
        self._writing.append(batch)
        self._flushing.add(future)
        future.add_done_callback(lambda done: self._written(done, batch))

    def _written(self, future: asyncio.Future[None], batch: dict[str, _Row]) -> None:
        self._flushing.discard(future)
        self._writing.remove(batch)
        if not future.cancelled() and future.exception() is not None:
            _LOGGER.error("SMPP: cannot write to %s: %s", self.path, future.exception())
        self._flush()  # what came during this write

    def _write(self, rows: list[_Row], cleanup: bool) -> None:
        assert self._db is not None
        with self._db:
            if self._json_rows:
                self._db.execute(_INSERT_JSON, (json.dumps(rows),))
            else:
                self._db.executemany(_INSERT, rows)
        if cleanup:
            self._cleanup()

    async def find(self, message_id: str) -> SentMessage | None:
        key = normalize_id(message_id)
        row = self._pending.get(key)
        if row is None:
            row = next((batch[key] for batch in self._writing if key in batch), None)
        if row is None:
            if self._executor is None:
                return None
            row = await self._run(self._read, key)
        if row is None or row[6] < time.time():
            return None
        _, ids, destination, parts, submitted, reference, _ = row
        return _sent(tuple(json.loads(ids)), destination, parts, submitted, json.loads(reference))

    def _read(self, key: str) -> _Row | None:
        assert self._db is not None
        cursor = self._db.execute("SELECT * FROM sent WHERE id = ?", (key,))
        row: _Row | None = cursor.fetchone()
        return row

    async def close(self) -> None:
        """Write what is pending and close the file (the store may be opened again)."""
        if self._executor is None:
            return
        while self._pending or self._flushing:
            self._flush()
            # _written runs before this wait returns, and starts the next batch if any
            await asyncio.wait(list(self._flushing))
        await self._run(self._close)
        self._executor.shutdown(wait=False)
        self._executor = None
        self._loop = None

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
