"""HTTP figures: 10,000 personalised messages through the bulk path, and single sends over one
kept-alive connection versus a new connection per request, and the same-run ratio the issue
"Trust" sets (bulk messages/s at least 30 times those of one request per message on a new
connection, the official library's pattern).

    .venv/bin/python -m tests.benchmarks.http_bulk

The emulator runs in its own process (``smsc emulator``), so client and server each get a core.
Only the library's public client API is used (``Client.send_bulk``, ``Client.send``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from pysmsc import BulkMessage, Client

SMSC = str(Path(sys.executable).with_name("smsc"))
BULK_MESSAGES = 10_000
SINGLE_SENDS = 300


@contextmanager
def emulator() -> Iterator[str]:
    process = subprocess.Popen(
        [SMSC, "emulator", "--http-port", "0", "--balance", "10000000"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().split("http=", 1)[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


def reset(url: str) -> None:
    httpx.post(f"{url}/_emulator/reset", timeout=30).raise_for_status()
    httpx.post(f"{url}/_emulator/balance", json={"balance": "10000000"}, timeout=30)


def bulk(url: str) -> float:
    messages = [
        BulkMessage(f"7916{i:07d}", f"Dear customer {i}, your code is {i * 7919 % 1_000_000:06d}")
        for i in range(BULK_MESSAGES)
    ]
    with Client("demo", "demo", base_url=url, timeout=120) as client:
        started = time.perf_counter()
        outcomes = client.send_bulk(messages)
        elapsed = time.perf_counter() - started
    assert all(outcome.sent for outcome in outcomes), outcomes
    received = httpx.get(f"{url}/_emulator/messages", timeout=60).json()["messages"]
    assert len(received) == BULK_MESSAGES
    print(
        f"bulk: {BULK_MESSAGES} personalised messages in {len(outcomes)} HTTP requests, "
        f"{elapsed:.2f} s, {BULK_MESSAGES / elapsed:,.0f} messages/s"
    )
    return BULK_MESSAGES / elapsed


def single_sends(url: str) -> float:
    """Print the single-send figures; return the messages/s of a new connection per message."""

    def send(client: Client, i: int, tag: str) -> None:
        client.send(f"7926{i:07d}", f"{tag} alert number {i}")

    with Client("demo", "demo", base_url=url) as client:
        started = time.perf_counter()
        for i in range(SINGLE_SENDS):
            send(client, i, "kept-alive")
        kept_alive = time.perf_counter() - started

    # Keep-alive off: a new TCP connection for every request, through one client.
    no_keepalive = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0))
    with no_keepalive, Client("demo", "demo", base_url=url, http_client=no_keepalive) as client:
        started = time.perf_counter()
        for i in range(SINGLE_SENDS):
            send(client, i, "new-connection")
        new_connection = time.perf_counter() - started

    # What a naive script does: a new client (and TLS context) for every message.
    started = time.perf_counter()
    for i in range(SINGLE_SENDS):
        with Client("demo", "demo", base_url=url) as client:
            send(client, i, "new-client")
    new_client = time.perf_counter() - started

    for label, seconds in (
        ("one kept-alive connection", kept_alive),
        ("a new connection each", new_connection),
        ("a new client each", new_client),
    ):
        print(
            f"single sends, {label}: {SINGLE_SENDS} in {seconds:.2f} s, "
            f"{SINGLE_SENDS / seconds:,.0f}/s, {seconds / SINGLE_SENDS * 1000:.2f} ms each"
        )
    return SINGLE_SENDS / new_connection


def main() -> None:
    with emulator() as url:
        bulk_rate = bulk(url)
        reset(url)
        single_rate = single_sends(url)
    print(
        f"bulk / one request per message on a new connection: {bulk_rate / single_rate:.1f}x "
        "(target: at least 30x)"
    )


if __name__ == "__main__":
    main()
