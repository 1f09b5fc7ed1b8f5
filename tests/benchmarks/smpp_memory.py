# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Peak memory of a campaign with each store of pysmsc's SMPP client (prints figures only).

    .venv/bin/python -m tests.benchmarks.smpp_memory [--messages 100000] [--runs 2]

Each run is a fresh process that sends ``--messages`` messages (from 600 sending tasks, window
300) to the benchmark's answering server in another process, and reports its peak resident
memory (``ru_maxrss``) and how long the campaign took. Stores: the default
``MemoryStore()`` (the last 10,000 messages), a ``MemoryStore`` that keeps every message of the
campaign, and ``SqliteStore`` (a file in a temporary directory). The ratio is SQLite's peak
against the default memory store's, run by run (the runs take turns).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pysmsc.smpp import MemoryStore, SentStore, SmppClient, SmppConfig, SqliteStore

from .smpp_throughput import _start_server, _stop_server

STORES = ("memory", "memory-all", "sqlite")


async def _campaign(port: int, store: SentStore, messages: int) -> float:
    config = SmppConfig("bench", "bench", host="127.0.0.1", port=port, window=300, throughput=None)
    numbers = iter(range(messages))
    started = time.perf_counter()
    async with SmppClient(config, store=store) as client:

        async def sender() -> None:
            for n in numbers:
                await client.submit("79991234567", f"campaign message {n}", reference=n)

        await asyncio.gather(*(sender() for _ in range(600)))
    return time.perf_counter() - started


def _child(kind: str, port: int, messages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store: SentStore
        if kind == "sqlite":
            store = SqliteStore(str(Path(tmp) / "sent.db"))
        elif kind == "memory-all":
            store = MemoryStore(limit=messages)
        else:
            store = MemoryStore()
        seconds = asyncio.run(_campaign(port, store, messages))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"peak_mib": peak_kib / 1024, "seconds": seconds}))


def _run(kind: str, port: int, messages: int) -> dict[str, float]:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "tests.benchmarks.smpp_memory"),
            *("--child", kind, str(port), "--messages", str(messages)),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.getcwd(),
        timeout=900,
    )
    answer: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", nargs=2, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child[0], int(args.child[1]), args.messages)
        return
    print(f"SMPP stores: peak memory of a {args.messages:,}-message campaign, window 300")
    process, port = _start_server(0.0)
    figures: dict[str, list[dict[str, float]]] = {kind: [] for kind in STORES}
    try:
        for _ in range(args.runs):
            for kind in STORES:
                figures[kind].append(_run(kind, port, args.messages))
    finally:
        _stop_server(process)
    print(f"{'store':<34} {'peak RSS MiB (runs)':>24} {'seconds (runs)':>18}")
    names = {
        "memory": "MemoryStore() (last 10,000)",
        "memory-all": f"MemoryStore(limit={args.messages:,})",
        "sqlite": "SqliteStore(file)",
    }
    for kind in STORES:
        peaks = ", ".join(f"{f['peak_mib']:.0f}" for f in figures[kind])
        seconds = ", ".join(f"{f['seconds']:.1f}" for f in figures[kind])
        print(f"{names[kind]:<34} {peaks:>24} {seconds:>18}")
    ratios = [
        s["peak_mib"] / m["peak_mib"]
        for s, m in zip(figures["sqlite"], figures["memory"], strict=True)
    ]
    print(
        f"SQLite peak / default memory store peak: median {statistics.median(ratios):.2f}x "
        f"(runs {min(ratios):.2f}x to {max(ratios):.2f}x)"
    )


if __name__ == "__main__":
    main()
