"""The runner on a manual clock and a stand-in service: timers, the store written before every
action, restarts on the same SQLite file, the handler, replies, caps and deduplication."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import pytest_asyncio

from pysmsc import ReceivedMessage, ValidationError
from pysmsc.callbacks import KeyPress, StatusUpdate, new_token
from pysmsc.inbox import IncomingPoller
from pysmsc.models import MessageStatus
from pysmsc.paging import (
    ManualClock,
    MemoryPageStore,
    PageReport,
    PageRunner,
    Phase,
    SqlitePageStore,
)
from pysmsc.smpp import IncomingSms

from .fakes import FakeService
from .helpers import ALICE, BOB, T0, page

DELIVERED = MessageStatus.DELIVERED


async def idle(runner: PageRunner) -> None:
    """Let every task the runner started finish (the fake service answers at once; the
    SQLite store commits in its thread)."""
    quiet = 0
    for _ in range(5000):
        await asyncio.sleep(0.001)
        quiet = quiet + 1 if not runner._tasks else 0
        if quiet >= 3:
            return
    raise AssertionError("the runner never became idle")


async def eventually(predicate: Callable[[], bool]) -> None:
    """For what background tasks (the status poller) do outside the runner's action tasks."""
    for _ in range(1000):
        if predicate():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("did not happen in time")


class Harness:
    def __init__(self, tmp_path: Path) -> None:
        self.service = FakeService()
        self.clock = ManualClock(T0)
        self.path = tmp_path / "pages.sqlite"
        self.reports: list[PageReport] = []
        self.runners: list[PageRunner] = []

    async def runner(self, **options: Any) -> PageRunner:
        options.setdefault("store", SqlitePageStore(self.path))
        options.setdefault("status_interval", None)
        runner = PageRunner(
            self.service,  # type: ignore[arg-type]
            clock=self.clock,
            on_report=self.reports.append,
            **options,
        )
        await runner.start()
        self.runners.append(runner)
        return runner

    async def advance(self, runner: PageRunner, seconds: float) -> None:
        """Move the clock in steps of a second, letting the runner act at each."""
        for _ in range(int(seconds)):
            self.clock.advance(1)
            await idle(runner)


@pytest_asyncio.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    made = Harness(tmp_path)
    yield made
    for runner in made.runners:
        if runner._started:
            await runner.close(drain=0)


async def test_an_undelivered_sms_is_followed_by_a_call_and_key_1_ends_it(harness: Harness) -> None:
    runner = await harness.runner()
    report = await runner.page(page(ALICE, BOB))
    assert report.phase == Phase.ESCALATING and report.code
    await idle(runner)
    assert harness.service.ids() == ["pg-" + runner._active["disk-db1"] + "-1"]
    await harness.advance(runner, 119)
    assert len(harness.service.received) == 1
    await harness.advance(runner, 1)
    sms_id = harness.service.ids()[0]
    assert harness.service.status_queries == [sms_id], "asked at the deadline"
    (call_id,) = harness.service.ids("call")
    waiter = asyncio.ensure_future(runner.wait("disk-db1"))
    await runner.feed(KeyPress(call_id, ALICE.phone, "1"))
    final = await asyncio.wait_for(waiter, 1)
    assert final.phase == Phase.ACKNOWLEDGED and final.acknowledged_by == "alice"
    assert final.acknowledged_via == "key press" and final.cost == Decimal("2.80")
    assert [r.phase for r in harness.reports] == [Phase.ACKNOWLEDGED]
    await harness.advance(runner, 600)
    assert len(harness.service.received) == 2
    assert runner.stats.calls_sent == 1 and runner.stats.messages_sent == 1
    assert runner.stats.acknowledgements == 1 and runner.stats.escalations == 1


async def test_a_repeated_alert_is_not_paged_again(harness: Harness) -> None:
    runner = await harness.runner()
    first = await runner.page(page(ALICE, BOB))
    again = await runner.page(page(ALICE, BOB))
    await idle(runner)
    assert first.code == again.code and len(harness.service.received) == 1
    await runner.page(page(ALICE, BOB, text="Disk full on db1 and db2"))
    await harness.advance(runner, 120)
    (call,) = [m for m in harness.service.received if m.message_kind.value == "call"]
    assert "db1 and db2" in (call.text or "")
    # Once resolved, the same key is a new incident.
    await runner.resolve("disk-db1")
    fresh = await runner.page(page(ALICE, BOB))
    assert fresh.code != first.code and fresh.phase == Phase.ESCALATING


async def test_a_killed_runner_resumes_with_nothing_sent_twice(harness: Harness) -> None:
    """The first runner dies while its SMS is on the wire (it reached the service); the second
    one, on the same file, asks status.php instead of sending again."""
    harness.service.hold = asyncio.Event()
    first = await harness.runner()
    await first.page(page(ALICE, BOB))
    await asyncio.sleep(0.01)
    assert len(harness.service.received) == 1
    await first.close(drain=0)  # abandoned mid-send: the state says "intended"

    harness.service.hold = None
    second = await harness.runner()
    await idle(second)
    sms_id = harness.service.ids()[0]
    assert harness.service.status_queries == [sms_id]
    assert len(harness.service.received) == 1, "not sent again"
    report = second.report("disk-db1")
    assert report is not None and report.phase == Phase.ESCALATING
    await harness.advance(second, 121)
    assert [m.message_kind.value for m in harness.service.received] == ["sms", "call"]


async def test_a_send_that_never_left_is_sent_after_the_restart(harness: Harness) -> None:
    # The send task dies before the request leaves, as in a kill: no outcome is ever learnt.
    harness.service.failures = [asyncio.CancelledError()]
    first = await harness.runner()
    await first.page(page(ALICE, BOB))
    await idle(first)
    await first.close(drain=0)
    assert harness.service.received == []

    second = await harness.runner()
    await idle(second)
    assert len(harness.service.status_queries) == 1 and harness.service.received == []
    await harness.advance(second, 95)  # status.php still does not know it: send it now
    (sms,) = harness.service.received
    assert sms.message_id == harness.service.status_queries[0]


async def test_a_lost_answer_is_never_sent_twice(harness: Harness) -> None:
    harness.service.lose_answer = True
    runner = await harness.runner()
    await runner.page(page(ALICE, BOB))
    await idle(runner)
    assert runner.stats.send_uncertain == 1
    await harness.advance(runner, 121)
    assert [m.message_kind.value for m in harness.service.received] == ["sms", "call"]


async def test_the_handler_feeds_the_runner(harness: Harness) -> None:
    runner = await harness.runner()
    await runner.page(page(ALICE, BOB, channel=None))
    await idle(runner)
    (call_id,) = harness.service.ids()
    token = new_token()
    handler = runner.handler(token)
    body = urlencode({"id": call_id, "phone": ALICE.phone, "status": "1", "err": "0"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert (await handler.handle("POST", f"/smsc/{token}", headers, body)).status == 200
    body = urlencode({"id": call_id, "phone": ALICE.phone, "key": "2"}).encode()
    assert (await handler.handle("POST", f"/smsc/{token}", headers, body)).status == 200
    await idle(runner)
    assert harness.service.received[-1].to == (BOB.phone,)
    assert runner.stats.deliveries == 1
    # Calls about messages this runner never sent are taken and ignored.
    await runner.feed(StatusUpdate("12345", ALICE.phone, 1))
    await runner.feed(KeyPress("pg-unknown-1", ALICE.phone, "1"))


async def test_a_store_that_fails_makes_the_handler_ask_again(
    harness: Harness, tmp_path: Path
) -> None:
    store = MemoryPageStore()
    runner = await harness.runner(store=store)
    await runner.page(page(ALICE, BOB, channel=None))
    await idle(runner)
    (call_id,) = harness.service.ids()

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    store.save = broken  # type: ignore[method-assign]
    token = new_token()
    body = urlencode({"id": call_id, "phone": ALICE.phone, "key": "1"}).encode()
    response = await runner.handler(token).handle("POST", f"/smsc/{token}", {}, body)
    assert response.status == 503
    report = runner.report("disk-db1")
    assert report is not None and report.phase == Phase.ESCALATING


@pytest.mark.parametrize("source", ["callback", "smpp", "get.php"])
async def test_a_reply_acknowledges(harness: Harness, source: str) -> None:
    poller = IncomingPoller(harness.service, interval=5, clock=harness.clock.now)  # type: ignore[arg-type]
    runner = await harness.runner(incoming=poller if source == "get.php" else None)
    report = await runner.page(page(ALICE, BOB))
    await idle(runner)
    text = f"ack {report.code.lower()}"
    at = datetime.fromtimestamp(harness.clock.now() + 5, UTC)
    if source == "callback":
        await runner.feed(ReceivedMessage(4711, ALICE.phone, text, received_at=at))
    elif source == "smpp":
        await runner.feed(
            IncomingSms(ALICE.phone, "79000000001", text, 0, text.encode(), received_at=at)
        )
    else:
        harness.service.replies.append(ReceivedMessage(4711, ALICE.phone, text, received_at=at))
        await harness.advance(runner, 6)
    final = await asyncio.wait_for(runner.wait("disk-db1"), 1)
    assert final.phase == Phase.ACKNOWLEDGED and final.acknowledged_via == "reply"


async def test_the_hourly_cost_cap(harness: Harness) -> None:
    runner = await harness.runner(hourly_cost_cap="2.00")
    await runner.page(page(ALICE, key="one", channel=None))
    await runner.page(page(ALICE, key="two", channel=None))
    await idle(runner)
    await runner.page(page(ALICE, key="three", channel=None))
    await idle(runner)
    stopped = runner.report("three")
    assert stopped is not None and stopped.phase == Phase.STOPPED
    assert "hourly cost cap (2.00)" in stopped.reason
    assert len(harness.service.received) == 2
    # The spending is kept with the pages: a restarted runner knows it.
    await runner.close(drain=0)
    again = await harness.runner(hourly_cost_cap="2.00")
    await again.page(page(ALICE, key="four", channel=None))
    await idle(again)
    assert len(harness.service.received) == 2
    harness.clock.advance(3601)
    await again.page(page(ALICE, key="five", channel=None))
    await idle(again)
    assert len(harness.service.received) == 3


async def test_resolved_pages_leave_the_store(harness: Harness) -> None:
    runner = await harness.runner()
    await runner.page(page(ALICE, BOB))
    await idle(runner)
    await runner.resolve("disk-db1")
    await idle(runner)
    assert [m.text for m in harness.service.received][-1].startswith("RESOLVED")
    assert await SqlitePageStore(harness.path).load() == []
    assert await runner.resolve("disk-db1") is None and await runner.acknowledge("x") is None


async def test_status_polling_brings_early_news(harness: Harness) -> None:
    runner = await harness.runner(status_interval=60)
    await runner.page(page(ALICE, BOB))
    await idle(runner)
    (sms_id,) = harness.service.ids()
    harness.service.status_of[sms_id] = MessageStatus.UNDELIVERABLE
    await harness.advance(runner, 60)
    await eventually(lambda: len(harness.service.received) == 2)
    assert harness.service.mass_queries == [[sms_id]]
    assert [m.message_kind.value for m in harness.service.received] == ["sms", "call"], (
        "a failed SMS is followed by a call at once, not at deliver_within"
    )


async def test_many_pages_at_once(harness: Harness) -> None:
    runner = await harness.runner()
    reports = await asyncio.gather(
        *(runner.page(page(ALICE, BOB, key=f"alert-{i}")) for i in range(200))
    )
    await idle(runner)
    assert len({r.code for r in reports}) == 200
    assert len(set(harness.service.ids())) == 200
    await harness.advance(runner, 120)
    assert len(harness.service.ids("call")) == 200
    loaded = await SqlitePageStore(harness.path).load()
    assert len(loaded) == 200


def test_options_are_checked() -> None:
    make: Callable[..., PageRunner] = lambda **o: PageRunner(FakeService(), **o)  # type: ignore[arg-type]  # noqa: E731
    with pytest.raises(ValidationError):
        make(status_interval=10)
    with pytest.raises(ValidationError):
        make(hourly_cost_cap="0")


async def test_ended_pages_are_forgotten_after_keep_for(harness: Harness) -> None:
    runner = await harness.runner(keep_for=3600)
    await runner.page(page(ALICE, BOB))
    await idle(runner)
    await runner.acknowledge("disk-db1", by="ops")
    harness.clock.advance(1200)  # a housekeeping round: too early to forget it
    await idle(runner)
    assert runner.report("disk-db1") is not None, "kept while it may still resolve"
    harness.clock.advance(3600)
    await eventually(lambda: runner.report("disk-db1") is None)
    assert await SqlitePageStore(harness.path).load() == []


async def test_closing_releases_whoever_waits(harness: Harness) -> None:
    runner = await harness.runner()
    await runner.page(page(ALICE, BOB))
    waiter = asyncio.ensure_future(runner.wait("disk-db1"))
    await idle(runner)
    await runner.close(drain=0)
    with pytest.raises(asyncio.CancelledError):
        await waiter


async def test_the_same_alert_twice_at_once_is_one_page(harness: Harness) -> None:
    runner = await harness.runner()
    first, second = await asyncio.gather(
        runner.page(page(ALICE, BOB)), runner.page(page(ALICE, BOB))
    )
    await idle(runner)
    assert first.code == second.code and len(harness.service.received) == 1


async def test_a_page_that_could_not_be_stored_is_not_sent(harness: Harness) -> None:
    store = MemoryPageStore()
    runner = await harness.runner(store=store)

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    store.save = broken  # type: ignore[method-assign]
    with pytest.raises(OSError, match="disk full"):
        await runner.page(page(ALICE, BOB))
    await idle(runner)
    assert harness.service.received == [] and runner.report("disk-db1") is None
