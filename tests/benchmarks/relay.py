# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The relay under Alertmanager's load: webhook received -> send.php answered.

    .venv/bin/python -m tests.benchmarks.relay [--seconds 30] [--rate 50] [--big 20]

Three processes: the emulator, the relay (``smsc relay``'s code, with its client and its HTTP
side instrumented), and this one sending webhooks. Two loads:

- ``--big`` Alertmanager payloads of 500 alerts each (one group, one page each), one at a time;
- ``--rate`` payloads a second for ``--seconds`` seconds, each a new group (a new page: the
  worst case; repeats of open groups only update them).

For each page the relay times its webhook's arrival (the first middleware) and the answer of
the send.php request of its SMS; the figure is that span beyond the request's own round trip
to the emulator (its time on the wire and in the emulator), p50 and p99, with the round trip
beside it as the same-run baseline. Memory: the relay's resident size per page held, after
the load. The machine's load average is printed with the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from pysmsc import AsyncClient
from pysmsc.relay import Relay, load_config
from pysmsc.relay import _http as relay_http

from .http_bulk import emulator, reset

TOKEN = "benchmark-token-0123456789"
CONFIG = f"""\
listen: 127.0.0.1:0
token: "{TOKEN}"
account: {{{{base_url: "{{url}}", login: demo, password: demo}}}}
state: {{state}}
replies: {{{{poll: false}}}}
status_interval: null
rate_limit: null
log_level: warning
contacts:
  alice: "+79160000001"
routes:
  - chain: [alice]
    escalation: {{{{deliver_within: 10m, ack_within: 20m}}}}
"""


def _rss_kib() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


# --- the relay's process -------------------------------------------------------------------------


def serve(config_path: str, out: str) -> None:
    """Run the relay with its send.php requests and its webhooks' arrival timed."""
    received: dict[str, float] = {}
    sends: dict[str, tuple[float, float]] = {}
    relay: Relay | None = None

    class TimedClient(AsyncClient):
        async def execute(self, operation: Any) -> Any:
            started = time.perf_counter()
            try:
                return await super().execute(operation)
            finally:
                if operation.request.sends_message and relay is not None:
                    message_id = dict(operation.request.fields).get("id", "")
                    state = relay.runner._states.get(message_id.split("-")[1])
                    if state is not None and message_id.endswith("-1"):
                        sends[state.key] = (started, time.perf_counter())

    original = relay_http.make_app

    def make_app(running: Relay) -> web.Application:
        app = original(running)

        @web.middleware
        async def arrival(
            request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
        ) -> web.StreamResponse:
            started = time.perf_counter()
            response = await handler(request)
            if isinstance(response, web.Response) and response.status == 200 and response.body:
                key = json.loads(bytes(response.body)).get("key")  # type: ignore[arg-type]
                if key:
                    received.setdefault(key, started)
            return response

        async def memory(request: web.Request) -> web.Response:
            gc.collect()
            pages = len(running.runner.reports())
            return web.json_response({"rss_kib": _rss_kib(), "pages": pages})

        app.middlewares.insert(0, arrival)
        app.router.add_get("/bench/memory", memory)
        return app

    relay_http.make_app = make_app

    async def main() -> None:
        nonlocal relay
        config = load_config(config_path, {})
        client = TimedClient("demo", "demo", base_url=config.base_url, timeout=60)
        relay = Relay(config, client=client)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        await relay.start()
        print(relay.url, flush=True)
        await stop.wait()
        await relay.stop()
        await client.close()

    asyncio.run(main())
    Path(out).write_text(json.dumps({"received": received, "sends": sends}))


# --- the load --------------------------------------------------------------------------------


def alert(group: int, index: int) -> dict[str, Any]:
    return {
        "status": "firing",
        "labels": {
            "alertname": "DiskFull",
            "instance": f"db{group}-{index}",
            "severity": "critical",
        },
        "annotations": {"summary": f"Disk full on db{group}-{index}: /var at 98%"},
        "startsAt": "2026-11-30T10:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph",
        "fingerprint": f"{group:08x}{index:08x}",
    }


def payload(group: int, alerts: int) -> bytes:
    return json.dumps(
        {
            "version": "4",
            "groupKey": f'{{}}:{{alertname="DiskFull", group="{group}"}}',
            "truncatedAlerts": 0,
            "status": "firing",
            "receiver": "smsc-relay",
            "groupLabels": {"alertname": "DiskFull"},
            "commonLabels": {"alertname": "DiskFull", "severity": "critical"},
            "commonAnnotations": {},
            "externalURL": "http://alertmanager:9093",
            "alerts": [alert(group, i) for i in range(alerts)],
        }
    ).encode()


async def post(session: aiohttp.ClientSession, url: str, body: bytes) -> None:
    async with session.post(
        url + "/alertmanager", data=body, headers={"Authorization": f"Bearer {TOKEN}"}
    ) as response:
        assert response.status == 200, await response.text()


async def load(url: str, big: int, rate: int, seconds: int) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session:
        for group in range(big):  # 500 alerts in one payload, one at a time
            await post(session, url, payload(group, 500))
        await asyncio.sleep(2)
        async with session.get(url + "/bench/memory") as response:
            before = await response.json()
        tasks = []
        started = time.perf_counter()
        for n in range(rate * seconds):
            due = started + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.ensure_future(post(session, url, payload(100_000 + n, 3))))
        await asyncio.gather(*tasks)
        took = time.perf_counter() - started
        await asyncio.sleep(3)
        async with session.get(url + "/bench/memory") as response:
            after = await response.json()
    return {"before": before, "after": after, "took": took}


def _quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def _line(name: str, keys: list[str], received: dict[str, float], sends: dict[str, Any]) -> str:
    total = [sends[k][1] - received[k] for k in keys]
    wire = [sends[k][1] - sends[k][0] for k in keys]
    own = [t - w for t, w in zip(total, wire, strict=True)]
    (t50, t99), (w50, w99), (o50, o99) = _quantiles(total), _quantiles(wire), _quantiles(own)
    return (
        f"  {name}: {len(keys)} pages; webhook -> send.php answered p50 {t50 * 1000:.1f} ms, "
        f"p99 {t99 * 1000:.1f} ms; the send.php round trip p50 {w50 * 1000:.1f} ms, "
        f"p99 {w99 * 1000:.1f} ms; beyond it (the relay's own) p50 {o50 * 1000:.1f} ms, "
        f"p99 {o99 * 1000:.1f} ms"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--big", type=int, default=20)
    parser.add_argument("--serve", nargs=2, metavar=("CONFIG", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if args.serve:
        serve(*args.serve)
        return
    load_before = os.getloadavg()
    with emulator() as url, tempfile.TemporaryDirectory() as directory:
        reset(url)
        config = Path(directory) / "relay.yaml"
        state = Path(directory) / "relay.sqlite"
        config.write_text(textwrap.dedent(CONFIG.format(url=url, state=state)))
        out = Path(directory) / "timings.json"
        relay = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.relay", "--serve", str(config), str(out)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert relay.stdout is not None
            relay_url = relay.stdout.readline().strip()
            figures = asyncio.run(load(relay_url, args.big, args.rate, args.seconds))
        finally:
            relay.terminate()
            relay.wait(timeout=60)
        timings = json.loads(out.read_text())
    received, sends = timings["received"], timings["sends"]
    big = [f'alertmanager:{{}}:{{alertname="DiskFull", group="{g}"}}' for g in range(args.big)]
    burst = [k for k in received if k not in big and k in sends]
    missing = len(received) - len([k for k in received if k in sends])
    before, after = figures["before"], figures["after"]
    opened = after["pages"] - before["pages"]
    per_page = (after["rss_kib"] - before["rss_kib"]) / max(1, opened)
    print(
        f"relay: Alertmanager webhooks through smsc relay to the emulator "
        f"(load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after; 2 cores)"
    )
    print(
        _line(
            f"{args.big} payloads of 500 alerts, one at a time",
            [k for k in big if k in sends],
            received,
            sends,
        )
    )
    print(
        _line(
            f"{args.rate} payloads/s for {args.seconds} s (sent in {figures['took']:.1f} s)",
            burst,
            received,
            sends,
        )
    )
    print(
        f"  memory: {per_page:.1f} KiB resident per open page ({opened} pages, "
        f"{before['rss_kib'] / 1024:.0f} -> {after['rss_kib'] / 1024:.0f} MiB); "
        f"pages without an answered send: {missing}"
    )


if __name__ == "__main__":
    main()
