"""The get.php poller: each message handed over once, across restarts, with the cursor in a
file or in SQLite; a first start that does not replay old replies; a crash between the
handler and the cursor's save."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pysmsc import RateLimitError, ReceivedMessage, TransportError, ValidationError
from pysmsc.inbox import FileCursorStore, IncomingPoller, MemoryCursorStore, SqliteCursorStore

NOW = 1_800_000_000.0


def message(id_: int, at: float = NOW + 10) -> ReceivedMessage:
    return ReceivedMessage(
        id_, "79991234567", f"reply {id_}", received_at=datetime.fromtimestamp(at, UTC)
    )


class FakeService:
    """get.php as the contract describes it: ascending ids, after_id, hour, cnt."""

    def __init__(self, messages: list[ReceivedMessage] | None = None) -> None:
        self.messages = list(messages or [])
        self.requests: list[dict[str, Any]] = []
        self.fail: Exception | None = None

    async def incoming(
        self, *, after_id: int | None = None, hour: int | None = None, count: int | None = None
    ) -> list[ReceivedMessage]:
        self.requests.append({"after_id": after_id, "hour": hour, "count": count})
        if self.fail is not None:
            error, self.fail = self.fail, None
            raise error
        found = [m for m in self.messages if after_id is None or m.id > after_id]
        found.sort(key=lambda m: m.id)
        return found[: count or 1000]


def poller(service: FakeService, store: Any = None, **options: Any) -> IncomingPoller:
    return IncomingPoller(service, store, clock=lambda: NOW, **options)  # type: ignore[arg-type]


async def test_first_start_skips_what_came_before_it() -> None:
    service = FakeService([message(1, NOW - 600), message(2, NOW - 5), message(3, NOW + 1)])
    store = MemoryCursorStore()
    first = poller(service, store)
    batch = await first.fetch()
    assert [m.id for m in batch] == [3]
    assert store.cursor == 2  # moved past the old ones without handing them over
    await first.advance(batch)
    assert store.cursor == 3
    assert service.requests[0] == {"after_id": None, "hour": 1, "count": 1000}
    service.messages.append(message(4))
    assert [m.id for m in await first.fetch()] == [4]
    assert service.requests[-1]["after_id"] == 3


async def test_backlog_hands_over_older_messages() -> None:
    service = FakeService([message(1, NOW - 7200), message(2)])
    batch = await poller(service, backlog_hours=3).fetch()
    assert [m.id for m in batch] == [1, 2]
    assert service.requests[0]["hour"] == 3


@pytest.mark.parametrize("kind", ["file", "sqlite"])
async def test_a_restarted_poller_never_hands_over_a_message_twice(
    tmp_path: Path, kind: str
) -> None:
    def store() -> Any:
        return (
            FileCursorStore(tmp_path / "cursor.json")
            if kind == "file"
            else SqliteCursorStore(tmp_path / "state.sqlite")
        )

    service = FakeService([message(i) for i in range(1, 6)])
    seen: list[int] = []

    async def handler(batch: list[ReceivedMessage]) -> None:
        seen.extend(m.id for m in batch)

    first = poller(service, store(), interval=5)
    await first.advance(await first.fetch())  # what run() does for one batch
    assert (await store().load()) == 5
    service.messages.extend(message(i) for i in range(6, 9))
    second = poller(service, store(), interval=5)  # a new process on the same cursor
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await second.run(handler, sleep=sleep)
    assert seen == [6, 7, 8]
    assert sleeps == [5]


async def test_a_crash_inside_the_handler_loses_nothing(tmp_path: Path) -> None:
    service = FakeService([message(1), message(2)])
    store = FileCursorStore(tmp_path / "cursor.json")

    async def crashing(batch: list[ReceivedMessage]) -> None:
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        await poller(service, store).run(crashing)
    assert await store.load() is None
    batch = await poller(service, store).fetch()
    assert [m.id for m in batch] == [1, 2]


async def test_run_backs_off_when_polled_too_often_and_goes_on_after_errors() -> None:
    service = FakeService([message(1)])
    poll = poller(service, interval=10)
    seen: list[int] = []
    sleeps: list[float] = []

    async def handler(batch: list[ReceivedMessage]) -> None:
        seen.extend(m.id for m in batch)

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 1:
            service.fail = RateLimitError("get.php", 9, "too many requests")
        elif len(sleeps) == 2:
            service.fail = TransportError("down", maybe_received=False)
        elif len(sleeps) == 3:
            service.messages.append(message(2))
        else:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await poll.run(handler, sleep=sleep)
    assert seen == [1, 2]
    assert sleeps == [10, 60, 10, 10]


async def test_a_full_page_is_followed_at_once() -> None:
    service = FakeService([message(i) for i in range(1, 1201)])
    poll = poller(service, backlog_hours=1)
    first = await poll.fetch()
    await poll.advance(first)
    assert len(first) == 1000 and poll._more
    second = await poll.fetch()
    assert [m.id for m in second] == list(range(1001, 1201)) and not poll._more


async def test_file_cursor_is_replaced_atomically(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cursor.json"
    store = FileCursorStore(path)
    await store.save(41)
    await store.save(42)
    assert json.loads(path.read_text()) == {"after_id": 42}
    assert [p.name for p in path.parent.iterdir()] == ["cursor.json"]
    path.write_text('{"after_id": "x"}')
    with pytest.raises(ValidationError):
        await store.load()


def test_options_are_checked() -> None:
    with pytest.raises(ValidationError):
        poller(FakeService(), interval=1)
    with pytest.raises(ValidationError):
        poller(FakeService(), backlog_hours=721)
