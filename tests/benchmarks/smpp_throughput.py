# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""submit_sm per second of pysmsc's SMPP client on loopback (prints figures, asserts nothing).

    .venv/bin/python -m tests.benchmarks.smpp_throughput [--duration 3] [--runs 3]
        [--smpp34-python PATH]

The answering server (pysmsc_emulator.smpp.server with a trivial backend) runs in a separate
process, so that client and server each get a core. Three series:

* a server that answers at once, windows 1, 10, 300 and 2000;
* against smpp34's asyncio client (its own ``window_size=300``), same server, same run, the two
  clients taking turns ``--runs`` times: the ratio of the medians and its spread. smpp34 is no
  dependency of this project: give an interpreter that has it with ``--smpp34-python`` (or
  ``SMPP34_PYTHON``; e.g. ``python -m venv /tmp/smpp34 && /tmp/smpp34/bin/pip install smpp34``),
  else the row says it is missing;
* a server that answers each submit_sm after 20 ms, where the ceiling of one connection is
  window / round-trip until the CPU becomes the limit, and pools of 3 connections against one.

Each figure counts the submits completed (``await client.submit(...)`` returned an id) during
``--duration`` seconds after a warm-up, with as many concurrent senders as the windows hold.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from pysmsc.smpp import SmppClient, SmppConfig
from pysmsc_emulator.smpp.server import (
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
        self._due: dict[int, asyncio.Future[None]] = {}

    async def authenticate(self, request: BindRequest) -> int:
        return 0

    async def submit(self, request: SubmitRequest) -> SubmitResult:
        if self.delay:
            await self._after_delay()
        return SubmitResult(str(next(self.ids)))

    def _after_delay(self) -> asyncio.Future[None]:
        """A future done ``delay`` seconds from now. Requests arriving within the same
        millisecond share one timer, so that the answering server spends its core on SMPP
        rather than on thousands of timers a second."""
        loop = asyncio.get_running_loop()
        slot = math.ceil((loop.time() + self.delay) * 1000)  # never earlier than the delay
        future = self._due.get(slot)
        if future is None:
            future = self._due[slot] = loop.create_future()
            loop.call_at(slot / 1000, self._release, slot)
        return future

    def _release(self, slot: int) -> None:
        self._due.pop(slot).set_result(None)

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


def _cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used so far (Linux /proc), or None where that is unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _measure(
    port: int,
    server_pid: int,
    window: int,
    duration: float,
    warmup: float,
    connections: int = 1,
) -> tuple[float, float, float | None]:
    """(submit_sm/s, share of one core the client used, and the server) while measuring."""
    config = SmppConfig(
        "bench",
        "bench",
        host="127.0.0.1",
        port=port,
        window=window,
        connections=connections,
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
        senders = [asyncio.ensure_future(sender()) for _ in range(window * connections)]
        await asyncio.sleep(warmup)
        counting = True
        started, cpu = time.perf_counter(), time.process_time()
        server_cpu = _cpu_seconds(server_pid)
        await asyncio.sleep(duration)
        counting = False
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
        server_end = _cpu_seconds(server_pid)
        stop = True
        await asyncio.gather(*senders)
    server_share = None
    if server_cpu is not None and server_end is not None:
        server_share = (server_end - server_cpu) / elapsed
    return done / elapsed, cpu / elapsed, server_share


def _stop_server(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=10)


def _run_series(
    delay: float, duration: float
) -> list[tuple[int, tuple[float, float, float | None]]]:
    process, port = _start_server(delay)
    warmup = max(0.5, duration / 5)
    try:
        return [
            (window, asyncio.run(_measure(port, process.pid, window, duration, warmup)))
            for window in WINDOWS
        ]
    finally:
        _stop_server(process)


def _smpp34_python(given: str | None) -> str | None:
    """An interpreter that can import smpp34, or None."""
    candidates = [given or os.environ.get("SMPP34_PYTHON")]
    if importlib.util.find_spec("smpp34") is not None:
        candidates.append(sys.executable)
    for python in candidates:
        if (
            python
            and subprocess.run(
                [python, "-c", "import smpp34"], capture_output=True, check=False
            ).returncode
            == 0
        ):
            return python
    return None


SMPP34_ATTEMPTS = 3


def _smpp34_run(python: str, port: int, window: int, duration: float, warmup: float) -> dict:
    """One measurement of smpp34; its Rust extension sometimes dies of SIGSEGV, so a run that
    crashed is said and taken again (at most ``SMPP34_ATTEMPTS`` times)."""
    script = Path(__file__).with_name("smpp34_sender.py")
    for attempt in range(1, SMPP34_ATTEMPTS + 1):
        result = subprocess.run(
            [python, str(script), str(port), str(window), str(duration), str(warmup)],
            capture_output=True,
            text=True,
            timeout=duration + warmup + 60,
            check=False,
        )
        if result.returncode == 0:
            answer: dict = json.loads(result.stdout.strip().splitlines()[-1])
            return answer
        print(f"  smpp34 run {attempt} died (exit status {result.returncode}); running it again")
    raise SystemExit(f"smpp34 died in {SMPP34_ATTEMPTS} runs in a row: no comparison")


def _compare_smpp34(python: str | None, duration: float, runs: int) -> None:
    window = 300
    print(f"\nagainst smpp34's asyncio client: window {window}, server answers at once")
    if python is None:
        print(
            "  smpp34: not installed; give --smpp34-python PATH (an interpreter with "
            "`pip install smpp34`, e.g. a scratch venv)"
        )
        return
    process, port = _start_server(0.0)
    warmup = max(0.5, duration / 5)
    ours: list[tuple[float, float]] = []  # (submit_sm/s, CPU microseconds per submit)
    theirs: list[tuple[float, float]] = []
    version = "?"
    try:
        for _ in range(runs):  # taking turns, so that a busy moment hits both alike
            rate, cpu, _ = asyncio.run(_measure(port, process.pid, window, duration, warmup))
            ours.append((rate, cpu / rate * 1e6))
            answer = _smpp34_run(python, port, window, duration, warmup)
            theirs.append((answer["rate"], answer["cpu"] / answer["rate"] * 1e6))
            version = answer["version"]
    finally:
        _stop_server(process)
    for name, figures in (("pysmsc", ours), (f"smpp34 {version}", theirs)):
        print(f"  {name:<13} submit_sm/s: {_runs([f[0] for f in figures])}")
        print(f"  {'':<13} CPU per submit (us, all threads): {_runs([f[1] for f in figures])}")
    rates = [a[0] / b[0] for a, b in zip(ours, theirs, strict=True)]
    costs = [b[1] / a[1] for a, b in zip(ours, theirs, strict=True)]
    median = statistics.median
    print(
        f"  throughput ratio pysmsc/smpp34: {median(x[0] for x in ours) / median(x[0] for x in theirs):.2f}x"
        f" (runs {min(rates):.2f}x to {max(rates):.2f}x)"
    )
    print(
        f"  CPU per submit smpp34/pysmsc: {median(x[1] for x in theirs) / median(x[1] for x in ours):.2f}x"
        f" (runs {min(costs):.2f}x to {max(costs):.2f}x)"
    )


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:,.0f}" for v in values) + f" (median {statistics.median(values):,.0f})"


def _pools(duration: float, runs: int) -> None:
    print(f"\npools of connections, server answers after {DELAY * 1000:.0f} ms")
    print(
        f"{'window':>8} {'binds':>6} {'submit_sm/s (runs)':>30} {'client CPU':>11} "
        f"{'server CPU':>11} {'vs 1 bind':>10}"
    )
    process, port = _start_server(DELAY)
    warmup = max(0.5, duration / 5)
    try:
        for window in (10, 100, 300):
            single: float | None = None
            for connections in (1, 3):
                figures = [
                    asyncio.run(_measure(port, process.pid, window, duration, warmup, connections))
                    for _ in range(runs)
                ]
                rates = [f[0] for f in figures]
                rate = statistics.median(rates)
                cpu = statistics.median(f[1] for f in figures)
                server = [f[2] for f in figures if f[2] is not None]
                if single is None:
                    single = rate
                spread = f"{rate:,.0f} ({min(rates):,.0f}-{max(rates):,.0f})"
                print(
                    f"{window:>8} {connections:>6} {spread:>30} {cpu:>11.0%} "
                    f"{_share(statistics.median(server) if server else None):>11} "
                    f"{rate / single:>9.2f}x"
                )
    finally:
        _stop_server(process)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=3.0, help="seconds measured per figure")
    parser.add_argument("--runs", type=int, default=3, help="runs of each comparison")
    parser.add_argument("--smpp34-python", default=None, help="an interpreter that has smpp34")
    parser.add_argument("--serve", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        asyncio.run(_serve(args.serve))
        return
    print(
        f"SMPP submit_sm throughput on loopback, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    header = f"{'window':>8} {'submit_sm/s':>12} {'client CPU':>11} {'server CPU':>11}"
    print("\nserver answers at once")
    print(header)
    for window, (rate, cpu, server) in _run_series(0.0, args.duration):
        print(f"{window:>8} {rate:>12,.0f} {cpu:>11.0%} {_share(server):>11}")
    _compare_smpp34(_smpp34_python(args.smpp34_python), args.duration, args.runs)
    print(f"\nserver answers after {DELAY * 1000:.0f} ms")
    print(f"{header} {'window/RTT':>11} {'ratio':>6}")
    for window, (rate, cpu, server) in _run_series(DELAY, args.duration):
        ceiling = window / DELAY
        print(
            f"{window:>8} {rate:>12,.0f} {cpu:>11.0%} {_share(server):>11} "
            f"{ceiling:>11,.0f} {rate / ceiling:>6.0%}"
        )
    _pools(args.duration, args.runs)


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


if __name__ == "__main__":
    main()
