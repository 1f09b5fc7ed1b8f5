"""One deadline per operation across all hosts, and one concurrency cap per login shared by every
client in the process (blocking and asyncio, several threads and event loops), against real
sockets: hosts that never answer, and a server that counts the requests it has in flight."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pysmsc import AsyncClient, Client, errors
from pysmsc._slots import login_slots

from ..servers import silent_hosts as silent_hosts_of

PHONE = "79991234567"


@pytest.fixture
def silent_hosts() -> Iterator[list[str]]:
    with silent_hosts_of(5) as urls:
        yield urls


async def test_a_read_gives_up_at_one_deadline_across_five_silent_hosts(
    make_client: Any, silent_hosts: list[str]
) -> None:
    client = make_client(base_url=silent_hosts[0], backup_urls=silent_hosts[1:], timeout=0.4)
    started = time.monotonic()
    with pytest.raises(errors.TransportError, match=r"deadline of 0\.8 s") as info:
        await client.balance()
    elapsed = time.monotonic() - started
    # Twice the timeout, not five times; a little slack for a busy machine.
    assert 0.75 <= elapsed < 1.6, elapsed
    assert not info.value.may_have_been_sent


async def test_a_send_to_a_silent_host_is_not_repeated_and_may_have_been_sent(
    make_client: Any, silent_hosts: list[str]
) -> None:
    client = make_client(base_url=silent_hosts[0], backup_urls=silent_hosts[1:], timeout=0.3)
    started = time.monotonic()
    with pytest.raises(errors.TransportError) as info:
        await client.send(PHONE, "disk full")
    assert time.monotonic() - started < 1.0
    assert info.value.may_have_been_sent


async def test_an_explicit_deadline_shorter_than_the_timeout(
    make_client: Any, silent_hosts: list[str]
) -> None:
    client = make_client(base_url=silent_hosts[0], backup_urls=[], timeout=5, deadline=0.3)
    started = time.monotonic()
    with pytest.raises(errors.TransportError):
        await client.balance()
    assert time.monotonic() - started < 1.2


class _Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        server: Any = self.server
        self.rfile.read(int(self.headers["Content-Length"]))
        with server.lock:
            server.in_flight += 1
            server.most = max(server.most, server.in_flight)
            server.total += 1
        time.sleep(server.delay)
        with server.lock:
            server.in_flight -= 1
        body = b'{"balance": "1.00"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def counting() -> Iterator[Any]:
    """A server that remembers the most requests it had in flight at once."""
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    server.daemon_threads = True
    server.lock, server.in_flight, server.most, server.total = threading.Lock(), 0, 0, 0
    server.delay = 0.05
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _login(request: pytest.FixtureRequest) -> str:
    """A login of this test's own, so that no other test's slots are counted."""
    return f"cap-{request.node.name}"


def test_two_blocking_clients_of_one_login_share_its_cap(
    counting: Any, request: pytest.FixtureRequest
) -> None:
    login = _login(request)
    clients = [
        Client(login, "pw", base_url=counting.url, max_concurrency=3),
        Client(login.upper(), "pw", base_url=counting.url, max_concurrency=3),  # same login
    ]
    with ThreadPoolExecutor(24) as pool:
        results = list(pool.map(lambda i: clients[i % 2].balance(), range(48)))
    assert len(results) == 48 and counting.total == 48
    assert counting.most == 3
    for client in clients:
        client.close()


def test_blocking_and_async_clients_in_several_loops_share_one_cap(
    counting: Any, request: pytest.FixtureRequest
) -> None:
    login = _login(request)

    async def burst() -> None:
        async with AsyncClient(login, "pw", base_url=counting.url, max_concurrency=4) as client:
            await asyncio.gather(*(client.balance() for _ in range(20)))

    def blocking() -> None:
        with Client(login, "pw", base_url=counting.url, max_concurrency=4) as client:
            for _ in range(10):
                client.balance()

    threads = [threading.Thread(target=asyncio.run, args=(burst(),)) for _ in range(2)]
    threads += [threading.Thread(target=blocking) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert counting.total == 70
    assert counting.most == 4
    assert login_slots(login, None).busy == 0


def test_different_logins_do_not_share(counting: Any, request: pytest.FixtureRequest) -> None:
    login = _login(request)
    counting.delay = 0.2
    clients = [
        Client(f"{login}-{n}", "pw", base_url=counting.url, max_concurrency=2) for n in range(2)
    ]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: clients[i % 2].balance(), range(8)))
    assert counting.most == 4


async def test_waiting_for_a_slot_never_blocks_the_event_loop(
    counting: Any, request: pytest.FixtureRequest
) -> None:
    login = _login(request)
    counting.delay = 0.1
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def same_login_async() -> None:
        async with AsyncClient(login, "pw", base_url=counting.url, max_concurrency=1) as client:
            await asyncio.gather(*(client.balance() for _ in range(5)))

    beating = asyncio.create_task(heartbeat())
    # A blocking client of the same login, in another thread, competes for the only slot...
    holder = Client(login, "pw", base_url=counting.url, max_concurrency=1)
    started = time.monotonic()
    await asyncio.gather(
        asyncio.to_thread(lambda: [holder.balance() for _ in range(5)]), same_login_async()
    )
    elapsed = time.monotonic() - started
    beating.cancel()
    holder.close()
    assert counting.most == 1 and counting.total == 10
    # ...and the loop kept ticking all along (one tick per 10 ms, give or take a busy machine).
    assert ticks >= elapsed / 0.01 * 0.5, (ticks, elapsed)


async def test_cancelled_waiters_give_their_slots_back(
    counting: Any, request: pytest.FixtureRequest
) -> None:
    login = _login(request)
    counting.delay = 0.2
    async with AsyncClient(login, "pw", base_url=counting.url, max_concurrency=2) as client:
        tasks = [asyncio.create_task(client.balance()) for _ in range(10)]
        await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert login_slots(login, None).busy == 0
        assert (await client.balance()).balance  # nothing leaked: the login still works
