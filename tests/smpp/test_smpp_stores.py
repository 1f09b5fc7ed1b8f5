# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Where the client remembers what it sent: the memory store and the SQLite store."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pysmsc.errors import ValidationError
from pysmsc.smpp import MemoryStore, SmppClient, SqliteStore
from pysmsc.smpp.receipts import build_receipt

from .conftest import Harness
from .faults import LagProbe

PHONE = "79991234567"


def add(
    store: MemoryStore | SqliteStore,
    *ids: str,
    ago: timedelta = timedelta(0),
    reference: object = None,
    validity: timedelta | None = None,
) -> None:
    at = (datetime.now(UTC) - ago).timestamp()
    store.add(ids, PHONE, len(ids), at, reference=reference, validity=validity)


async def test_memory_store_is_bounded_and_expires() -> None:
    store = MemoryStore(limit=3)
    await store.open()
    for i in range(5):
        add(store, str(i))
    assert len(store) == 3
    assert await store.find("0") is None  # the oldest went first
    assert (await store.find("004")) is not None  # the service's ids: leading zeros, any case
    add(store, "old", ago=timedelta(hours=3), validity=timedelta(hours=1))  # validity + 1 h passed
    assert await store.find("old") is None
    add(store, "young", ago=timedelta(hours=3), validity=timedelta(hours=4))
    assert await store.find("YOUNG") is not None
    with pytest.raises(ValidationError):
        MemoryStore(limit=0)


async def test_sqlite_store_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "sent.db"
    store = SqliteStore(str(path))
    await store.open()
    add(store, "10", "11", reference={"ticket": 7})
    found = await store.find("10")  # from memory: not written yet
    assert found is not None
    assert found.reference == {"ticket": 7}
    add(store, "expired", ago=timedelta(days=3))  # default validity 24 h + 1 h
    await store.close()
    again = SqliteStore(str(path))
    await again.open()
    found = await again.find("11")
    assert found is not None
    assert (found.message_ids, found.reference, found.destination) == (
        ("10", "11"),
        {"ticket": 7},
        PHONE,
    )
    assert await again.find("expired") is None
    assert await again.find("unknown") is None
    await again.close()
    with sqlite3.connect(path) as db:  # expired rows are deleted at open
        assert db.execute("SELECT COUNT(*) FROM sent").fetchone() == (2,)


@pytest.mark.parametrize("json_rows", [True, False], ids=["one-json-statement", "executemany"])
async def test_sqlite_store_writes_the_same_rows_either_way(
    tmp_path: Path, json_rows: bool
) -> None:
    # Batches go in as one JSON array (SQLite unpacks it without Python's lock); an SQLite
    # without JSON1 gets executemany. Both must store the same values with the same types.
    path = tmp_path / "sent.db"
    store = SqliteStore(str(path))
    await store.open()
    store._json_rows = json_rows  # what _connect finds out about the SQLite library
    at = float(int(time.time()))  # a whole number of seconds: still REAL, not INTEGER
    reference = {"ticket": 7, "note": "quote \" and ' and \u00e9 and \n"}
    store.add(("0A1", "0a2"), PHONE, 2, at, reference=reference, validity=None)
    await store.close()
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT id, message_ids, destination, parts, typeof(parts), submitted_at,"
            " typeof(submitted_at), reference, typeof(expires_at) FROM sent ORDER BY id"
        ).fetchall()
    assert [row[0] for row in rows] == ["a1", "a2"]
    assert rows[0][2:7] == (PHONE, 2, "integer", at, "real")
    assert rows[0][8] == "real"
    again = SqliteStore(str(path))
    await again.open()
    found = await again.find("A2")
    await again.close()
    assert found is not None
    assert (found.message_ids, found.reference, found.parts) == (("0A1", "0a2"), reference, 2)


def test_sqlite_store_takes_json_references_only(tmp_path: Path) -> None:
    store = SqliteStore(str(tmp_path / "sent.db"))
    store.check_reference({"a": [1, "b", None]})
    with pytest.raises(ValidationError) as info:
        store.check_reference(object())
    assert info.value.field == "reference"


async def test_sqlite_store_never_blocks_the_loop(tmp_path: Path) -> None:
    class SlowDisk(SqliteStore):
        def _write(self, rows: list, cleanup: bool) -> None:  # type: ignore[type-arg]
            time.sleep(0.6)  # in the store's thread
            super()._write(rows, cleanup)

    store = SlowDisk(str(tmp_path / "sent.db"))
    await store.open()
    async with LagProbe() as probe:
        for batch in range(3):
            for i in range(1000):
                add(store, f"{batch}-{i}")
            await asyncio.sleep(0.05)
        assert await store.find("2-999") is not None  # still being written: read from memory
        await store.close()
    assert probe.worst < 0.3  # three writes of 0.6 s each happened meanwhile


async def test_client_with_sqlite_store_correlates_after_a_restart(
    smpp: Harness, tmp_path: Path
) -> None:
    server, backend = await smpp.server()
    backend.auto_receipt = False
    path = str(tmp_path / "sent.db")
    first = SmppClient(smpp.config(server), store=SqliteStore(path))
    await first.open()
    (message_id,) = await first.submit(PHONE, "before the restart", reference=["order", 5])
    await first.close()
    second = SmppClient(smpp.config(server), store=SqliteStore(path))
    smpp.clients.append(second)
    await second.open()
    server.enqueue("user", build_receipt(message_id, phone=PHONE))
    report = await second.wait_for_report(message_id, timeout=5)
    assert report.matched
    assert report.sent is not None
    assert report.sent.reference == ["order", 5]


async def test_bad_reference_is_refused_before_sending(smpp: Harness, tmp_path: Path) -> None:
    server, backend = await smpp.server()
    client = SmppClient(smpp.config(server), store=SqliteStore(str(tmp_path / "s.db")))
    smpp.clients.append(client)
    await client.open()
    with pytest.raises(ValidationError) as info:
        await client.submit(PHONE, "x", reference={1, 2})
    assert info.value.field == "reference"
    assert backend.submits == []


async def test_receipt_of_an_unknown_submit_is_delivered_unmatched(smpp: Harness) -> None:
    server, _ = await smpp.server()
    client = await smpp.client(server)
    reports = client.receipts()
    server.enqueue("user", build_receipt("99999", phone=PHONE))
    report = await asyncio.wait_for(reports.__anext__(), 5)
    assert report.message_id == "99999"
    assert not report.matched
    assert report.sent is None


async def test_receipt_racing_its_submit_answer_still_matches(smpp: Harness) -> None:
    """The service may send a receipt on one bind before the submit_sm_resp of another bind is
    read: the client waits for the answers in flight before calling it unknown."""
    server, backend = await smpp.server()
    backend.auto_receipt = False
    client = await smpp.client(server, connections=2)
    reports = client.receipts()
    stored_id = backend.new_id()
    # A receipt arrives for an id whose submit is in flight and answered only afterwards.
    original = backend.submit

    async def late(request):  # type: ignore[no-untyped-def]
        result = await original(request)
        server.enqueue("user", build_receipt(result.message_id, phone=PHONE))
        await asyncio.sleep(0.2)  # the receipt overtakes the answer
        return result

    backend.submit = late  # type: ignore[method-assign]
    (message_id,) = await client.submit(PHONE, "raced", reference="r")
    report = await asyncio.wait_for(reports.__anext__(), 5)
    assert report.message_id == message_id != stored_id
    assert report.matched
    assert report.sent is not None
    assert report.sent.reference == "r"
