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
many the peer received twice, and the event loop's longest stall (a 5 ms lag probe).
"Lost" counts messages that ended neither with an id nor with an explicit outcome-unknown.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

from pysmsc.smpp import SmppClient, SmppConfig

from ..smpp.faults import LagProbe, StdlibPeer, campaign, logged_texts


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
    columns = ("id", "unknown", "not sent", "lost", "duplicated", "stall ms")
    print(f"{'scenario':<34} " + " ".join(f"{c:>10}" for c in columns))
    names = {
        "drop": "drop (no answer) every 500th",
        "kill": "killed -9 and restarted once",
    }
    for scenario in ("drop", "kill"):
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                figures = asyncio.run(_run(scenario, args.messages, args.window, Path(tmp) / "log"))
            cells = " ".join(
                f"{figures[c]:>10.1f}" if c == "stall ms" else f"{figures[c]:>10,.0f}"
                for c in columns
            )
            print(f"{names[scenario]:<34} {cells}")


if __name__ == "__main__":
    main()
