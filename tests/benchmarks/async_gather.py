"""AsyncClient: 1,000 sends gathered (the client keeps at most ``max_concurrency`` in flight)
against 1,000 sends one after another, same client, same run, in alternating rounds. Gathering
must be at least as fast (ratio >= 1).

Twice: on loopback with no latency, where both are bound by the client's CPU (httpx's pool
checks every idle connection on each request, so ten connections cost more CPU per request
than one), and with the emulator taking 5 ms per request, as a nearby network does (the real
service is tens of milliseconds away), where gathering overlaps the waits.

    .venv/bin/python -m tests.benchmarks.async_gather [--sends 1000]

The emulator runs in its own process, so client and server each get a core.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
import time
from collections.abc import Sequence

import httpx

from pysmsc import AsyncClient

from .http_bulk import emulator, reset


async def _measure(url: str, sends: int, rounds: int) -> tuple[float, float]:
    """Seconds for ``sends`` sends one after another and for as many gathered, in alternating
    rounds, so that the machine's other work slows both alike."""
    sequential = gathered = 0.0
    per_round = sends // rounds
    async with AsyncClient("demo", "demo", base_url=url) as client:
        await client.balance()  # the connection is open before the clock starts
        for round_ in range(rounds):
            numbers = range(round_ * per_round, (round_ + 1) * per_round)
            started = time.perf_counter()
            for i in numbers:
                await client.send(f"7916{i:07d}", f"one after another {i}")
            sequential += time.perf_counter() - started
            started = time.perf_counter()
            results = await asyncio.gather(
                *(client.send(f"7926{i:07d}", f"gathered {i}") for i in numbers)
            )
            gathered += time.perf_counter() - started
            assert len({result.id for result in results}) == per_round
    return sequential, gathered


def main(argv: Sequence[str] = ()) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sends", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args(argv)
    sends = options.sends
    sniffio = "installed" if importlib.util.find_spec("sniffio") else "missing"
    with emulator() as url:
        for latency in (0.0, 0.005):
            reset(url)
            httpx.post(f"{url}/_emulator/settings", json={"latency": latency}, timeout=30)
            sequential, gathered = asyncio.run(_measure(url, sends, options.rounds))
            print(
                f"async sends, {latency * 1000:g} ms latency (sniffio {sniffio}): {sends} one "
                f"after another {sequential:.2f} s ({sends / sequential:,.0f}/s), gathered "
                f"{gathered:.2f} s ({sends / gathered:,.0f}/s), gathered/sequential speed ratio "
                f"{sequential / gathered:.2f} (target >= 1)"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
