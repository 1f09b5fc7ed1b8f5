# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""How pysmsc's SMPP client comes through faults (prints figures, asserts nothing).

    .venv/bin/python -m tests.benchmarks.smpp_faults [--messages 10000] [--window 300] [--runs 2]

Two scenarios against ``tests/smpp/peer/stdlib_smsc.py`` (an SMSC of standard-library Python
sharing no code with the client) in a process of its own, answering at once:

* the peer drops the connection (a normal close, no answer) at every 500th submit_sm;
* the peer is killed with -9 once, a third of the way through, and started again on the same
  port at once (by a supervisor process, so that the measuring process never forks).

The messages come from 2 x window sending tasks (a large campaign does not start one coroutine
per message at once: that alone would stall the loop). For each run: how the messages ended (an id, outcome unknown, not sent, anything else), how
many the peer received twice, the event loop's longest stall (a 5 ms lag probe: wall time,
so on a busy machine it includes the moments the OS gave the core to another process), and the
CPU time of the longest turn of the loop (what the client itself holds the loop for), and of
the longest run of Python's cyclic garbage collector (which may fall into any turn).
"Lost" counts messages that ended neither with an id nor with an explicit outcome-unknown.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import sys
import tempfile
import time
from asyncio import base_events
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pysmsc.smpp import SmppClient, SmppConfig

from ..smpp.faults import LagProbe, StdlibPeer, campaign, logged_texts


@contextlib.contextmanager
def _collections() -> Iterator[list[float]]:
    """The CPU seconds of the longest run of Python's cyclic garbage collector, in
    ``worst[0]`` (a long turn of the loop that is one of these is the interpreter's, not the
    client's)."""
    worst = [0.0]
    started = [0.0]

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            worst[0] = max(worst[0], time.process_time() - started[0])

    gc.callbacks.append(timed)
    try:
        yield worst
    finally:
        gc.callbacks.remove(timed)


@contextlib.contextmanager
def _turns() -> Iterator[list[float]]:
    """The CPU seconds of the longest turn of the event loop, in ``worst[0]`` (it times the
    loop's private ``_run_once``: a benchmark's instrument, not an API)."""
    worst = [0.0]
    original: Any = base_events.BaseEventLoop._run_once  # type: ignore[attr-defined]

    def timed(loop: Any) -> None:
        started = time.process_time()
        original(loop)
        worst[0] = max(worst[0], time.process_time() - started)

    base_events.BaseEventLoop._run_once = timed  # type: ignore[attr-defined]
    try:
        yield worst
    finally:
        base_events.BaseEventLoop._run_once = original  # type: ignore[attr-defined]


async def _run(scenario: str, messages: int, window: int, log: Path) -> dict[str, float]:
    peer = await StdlibPeer.start(
        log, drop_every=500 if scenario == "drop" else 0, supervise=scenario == "kill"
    )
    config = SmppConfig(
        "bench",
        "bench",
        host="127.0.0.1",
        port=peer.port,
        window=window,
        throughput=None,
        submit_timeout=60,
        reconnect_delay=0.05,
        reconnect_max_delay=0.5,
    )
    texts = [f"{scenario} {i}" for i in range(messages)]
    try:
        async with SmppClient(config) as client, LagProbe() as probe:
            run = asyncio.ensure_future(campaign(client, texts, senders=2 * window))
            if scenario == "kill":
                while peer.received() < messages // 3 and not run.done():  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
                await peer.restart()  # kill -9, and a new process on the same port
            tally = await run
    finally:
        await peer.stop()
    received = logged_texts(log)
    return {
        "id": len(tally.sent),
        "unknown": len(tally.unknown),
        "not sent": len(tally.not_sent),
        "lost": len(tally.other) + messages - tally.total,
        "duplicated": sum(1 for n in received.values() if n > 1),
        "stall ms": probe.worst * 1000,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=300)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    print(
        f"SMPP faults: {args.messages:,} messages at window {args.window}, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    columns = (
        "id",
        "unknown",
        "not sent",
        "lost",
        "duplicated",
        "stall ms",
        "turn CPU ms",
        "GC ms",
    )
    print(f"{'scenario':<34} " + " ".join(f"{c:>10}" for c in columns))
    names = {
        "drop": "drop (no answer) every 500th",
        "kill": "killed -9 and restarted once",
    }
    for scenario in ("drop", "kill"):
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp, _turns() as worst, _collections() as gcs:
                figures = asyncio.run(_run(scenario, args.messages, args.window, Path(tmp) / "log"))
            figures["turn CPU ms"] = worst[0] * 1000
            figures["GC ms"] = gcs[0] * 1000
            cells = " ".join(
                f"{figures[c]:>10.1f}" if c.endswith("ms") else f"{figures[c]:>10,.0f}"
                for c in columns
            )
            print(f"{names[scenario]:<34} {cells}")


if __name__ == "__main__":
    main()
