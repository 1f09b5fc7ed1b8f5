# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Paging figures: 1,000 concurrent pages through the runner against the emulator.

    .venv/bin/python -m tests.benchmarks.paging [--pages 1000]

The emulator runs in its own process. The runner keeps its pages in an SQLite file (fsync on
every commit, group commits) and runs on a manual clock, so the deadlines come when the
benchmark says and only the work is timed. Figures, each against a same-run baseline:

- opening the pages (SMS sent, state stored before each send) against the same number of
  plain ``AsyncClient.send`` calls;
- the escalation at ``deliver_within`` (a status.php query and a call per page);
- an event from the service (a key press through the handler's sink, stored before it
  returns) against the policy's own decision time (pure CPU, no I/O);
- memory per open page (tracemalloc) and the stored state's size.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
import tracemalloc
from pathlib import Path

import httpx

from pysmsc import AsyncClient
from pysmsc.callbacks import KeyPress
from pysmsc.paging import Contact, Escalation, ManualClock, Page, PageRunner, SqlitePageStore

from .http_bulk import emulator

DELIVER_WITHIN = 120.0
ACK_WITHIN = 300.0


def reset(url: str) -> None:
    httpx.post(f"{url}/_emulator/reset", timeout=30).raise_for_status()
    httpx.post(f"{url}/_emulator/balance", json={"balance": "10000000"}, timeout=30)


def pages(count: int) -> list[Page]:
    escalation = Escalation(deliver_within=DELIVER_WITHIN, ack_within=ACK_WITHIN)
    return [
        Page(
            f"alert-{i}",
            f"Disk full on db{i}: /var/lib/postgresql at 98% (alert {i})",
            [Contact("alice", f"7916{i:07d}"), Contact("bob", f"7926{i:07d}")],
            escalation,
        )
        for i in range(count)
    ]


async def idle(runner: PageRunner) -> None:
    quiet = 0
    while quiet < 3:
        await asyncio.sleep(0.002)
        quiet = quiet + 1 if not runner._tasks else 0


async def baseline(url: str, count: int) -> float:
    async with AsyncClient("demo", "demo", base_url=url) as client:
        started = time.perf_counter()
        await asyncio.gather(
            *(client.send(f"7936{i:07d}", f"Disk full on db{i} (plain send)") for i in range(count))
        )
        return time.perf_counter() - started


async def memory_per_page(url: str, count: int) -> tuple[float, float]:
    """Bytes per open page (tracemalloc, which slows everything: not timed) and on disk."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pages.sqlite"
        async with AsyncClient("demo", "demo", base_url=url, timeout=120) as client:
            runner = PageRunner(
                client, SqlitePageStore(path), clock=ManualClock(), status_interval=None
            )
            await runner.start()
            warm_up, *the_pages = pages(count + 1)  # the first request imports what httpx needs
            await runner.page(warm_up)
            await idle(runner)
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.take_snapshot()
            await asyncio.gather(*(runner.page(p) for p in the_pages))
            await idle(runner)
            gc.collect()  # only what the open pages keep
            after = tracemalloc.take_snapshot()
            tracemalloc.stop()
            assert runner.stats.messages_sent == count + 1, runner.stats
            grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
            await runner.close()
        stored = await asyncio.to_thread(_size, Path(directory))
    return grown / count, stored / count


def _size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.iterdir())


async def through_the_runner(url: str, count: int, plain: float) -> None:
    clock = ManualClock()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "pages.sqlite"
        async with AsyncClient("demo", "demo", base_url=url, timeout=120) as client:
            runner = PageRunner(client, SqlitePageStore(path), clock=clock, status_interval=None)
            await runner.start()
            the_pages = pages(count)
            started = time.perf_counter()
            await asyncio.gather(*(runner.page(p) for p in the_pages))
            await idle(runner)
            opened = time.perf_counter() - started
            assert runner.stats.messages_sent == count, runner.stats

            # The emulator delivers the SMS: at deliver_within the runner asks status.php
            # and learns it; at ack_within, without an acknowledgement, it calls.
            started = time.perf_counter()
            clock.advance(DELIVER_WITHIN)
            await idle(runner)
            queried = time.perf_counter() - started
            started = time.perf_counter()
            clock.advance(ACK_WITHIN - DELIVER_WITHIN)
            await idle(runner)
            escalated = time.perf_counter() - started
            assert runner.stats.calls_sent == count, runner.stats

            calls = [
                next(m for m in state.messages if m.kind == "call")
                for state in runner._states.values()
            ]
            events_before = runner.stats.events
            decisions_before = runner.stats.decision_seconds
            started = time.perf_counter()
            await asyncio.gather(
                *(runner.feed(KeyPress(call.message_id, call.phone, "1")) for call in calls)
            )
            fed = time.perf_counter() - started
            key_events = runner.stats.events - events_before
            key_decisions = runner.stats.decision_seconds - decisions_before
            assert runner.stats.acknowledgements == count, runner.stats
            await runner.close()

    per_event = runner.stats.decision_seconds / runner.stats.events
    print(f"paging: {count} concurrent pages through the runner against the emulator")
    print(
        f"  opening: {count} pages (SMS sent, state stored first) in {opened:.2f} s, "
        f"{count / opened:,.0f} pages/s; plain AsyncClient.send: {plain:.2f} s "
        f"({opened / plain:.2f}x)"
    )
    print(
        f"  deliver_within: {count} status.php queries in {queried:.2f} s "
        f"({queried / plain:.2f}x the plain sends); ack_within: {count} calls in "
        f"{escalated:.2f} s ({escalated / plain:.2f}x)"
    )
    print(
        f"  key presses: {key_events} events stored in {fed:.2f} s, "
        f"{fed / key_events * 1e6:,.0f} us each through the runner; the policy's decision "
        f"{key_decisions / key_events * 1e6:,.0f} us of it "
        f"({key_decisions / fed * 100:.1f}%)"
    )
    print(
        f"  decision overhead: {per_event * 1e6:,.0f} us per event over "
        f"{runner.stats.events:,} events (all kinds), "
        f"{runner.stats.decision_seconds / (opened + queried + escalated + fed) * 100:.1f}% "
        "of the whole run"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    arguments = parser.parse_args(argv)
    with emulator() as url:
        memory, disk = asyncio.run(memory_per_page(url, arguments.pages))
        reset(url)
        plain = asyncio.run(baseline(url, arguments.pages))
        reset(url)
        asyncio.run(through_the_runner(url, arguments.pages, plain))
    print(
        f"  memory: {memory / 1024:.1f} KiB per open page (tracemalloc), "
        f"{disk / 1024:.1f} KiB per page on disk"
    )


if __name__ == "__main__":
    main()
