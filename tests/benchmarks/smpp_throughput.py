# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""submit_sm per second of pysmsc's SMPP client on loopback (prints figures, asserts nothing).

    .venv/bin/python -m tests.benchmarks.smpp_throughput [--duration 3]

The answering server (pysmsc.smpp.server with a trivial backend) runs in a separate process,
so that client and server each get a core. Two series: a server that answers at once (windows
1, 10, 300, 2000), and one that answers each submit_sm after 20 ms, where the ceiling is
window / round-trip until the CPU becomes the limit. Each figure counts the submits completed
(``await client.submit(...)`` returned an id) during ``--duration`` seconds after a warm-up,
with as many concurrent senders as the window.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import time

from pysmsc.smpp import SmppClient, SmppConfig
from pysmsc.smpp.server import (
    BindRequest,
    QueryRequest,
    QueryResult,
    ServerConfig,
    SmppServer,
    SubmitRequest,
    SubmitResult,
)

WINDOWS = (1, 10, 300, 2000)
DELAY = 0.020


class _Backend:
    """Accepts everyone and everything, optionally after ``delay`` seconds."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.ids = itertools.count(1)

    async def authenticate(self, request: BindRequest) -> int:
        return 0

    async def submit(self, request: SubmitRequest) -> SubmitResult:
        if self.delay:
            await asyncio.sleep(self.delay)
        return SubmitResult(str(next(self.ids)))

    async def query(self, request: QueryRequest) -> QueryResult:
        return QueryResult(status=0x67)


async def _serve(delay: float) -> None:
    server = SmppServer(
        _Backend(delay),
        ServerConfig(throughput=None, window=100_000, idle_timeout=None),
    )
    async with server:
        print(server.port, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until EOF


def _start_server(delay: float) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.smpp_throughput", "--serve", str(delay)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    assert process.stdout is not None
    port = int(process.stdout.readline())
    return process, port


async def _measure(port: int, window: int, duration: float, warmup: float) -> tuple[float, float]:
    """(submit_sm/s, share of one core the client process used meanwhile)."""
    config = SmppConfig(
        "bench",
        "bench",
        host="127.0.0.1",
        port=port,
        window=window,
        throughput=None,
        response_timeout=60,
        submit_timeout=120,
    )
    done = 0
    counting = False
    stop = False

    async def sender() -> None:
        nonlocal done
        while not stop:
            await client.submit("79991234567", "benchmark message")
            if counting:
                done += 1

    async with SmppClient(config) as client:
        senders = [asyncio.ensure_future(sender()) for _ in range(window)]
        await asyncio.sleep(warmup)
        counting = True
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.sleep(duration)
        counting = False
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        stop = True
        await asyncio.gather(*senders)
    return done / elapsed, cpu / elapsed


def _run_series(delay: float, duration: float) -> list[tuple[int, tuple[float, float]]]:
    process, port = _start_server(delay)
    try:
        return [
            (window, asyncio.run(_measure(port, window, duration, warmup=max(0.5, duration / 5))))
            for window in WINDOWS
        ]
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=3.0, help="seconds measured per figure")
    parser.add_argument("--serve", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        asyncio.run(_serve(args.serve))
        return
    print(
        f"SMPP submit_sm throughput on loopback, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print("\nserver answers at once")
    print(f"{'window':>8} {'submit_sm/s':>12} {'client CPU':>11}")
    for window, (rate, cpu) in _run_series(0.0, args.duration):
        print(f"{window:>8} {rate:>12,.0f} {cpu:>11.0%}")
    print(f"\nserver answers after {DELAY * 1000:.0f} ms")
    print(f"{'window':>8} {'submit_sm/s':>12} {'client CPU':>11} {'window/RTT':>11} {'ratio':>6}")
    for window, (rate, cpu) in _run_series(DELAY, args.duration):
        ceiling = window / DELAY
        print(f"{window:>8} {rate:>12,.0f} {cpu:>11.0%} {ceiling:>11,.0f} {rate / ceiling:>6.0%}")


if __name__ == "__main__":
    main()
