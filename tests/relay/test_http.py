"""The relay's HTTP side, in process against the emulator: bad input is refused before anything
is read or sent (401 without the token, 413 past the size without reading it all, 400 naming
the reason), /metrics is Prometheus text a Prometheus parser reads, the service's calls reach
the runner only through the secret path."""

from __future__ import annotations

import asyncio
import json
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families

from pysmsc.relay import Relay, load_config
from pysmsc_emulator.pytest_plugin import EmulatorHandle

from .payloads import alertmanager, am_alert, grafana

TOKEN = "webhook-token-0123456789"
CALLBACK = "callback-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CONFIG = f"""\
listen: 127.0.0.1:0
token: "{TOKEN}"
callback_token: "{CALLBACK}"
account: {{{{base_url: "{{url}}", login: demo, password: demo}}}}
state: relay.sqlite
replies: {{{{poll: false}}}}
max_body: 65536
contacts:
  alice: "+79990000001"
routes:
  - chain: [alice]
"""


@pytest_asyncio.fixture
async def relay(async_emulator: EmulatorHandle, tmp_path: Path) -> AsyncIterator[Relay]:
    path = tmp_path / "relay.yaml"
    path.write_text(textwrap.dedent(CONFIG.format(url=async_emulator.http_url)))
    running = Relay(load_config(path, {}))
    await running.start()
    yield running
    await running.stop()


async def post(
    relay: Relay, path: str, body: Any, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            relay.url + path, data=data, headers=headers if headers is not None else AUTH
        ) as response,
    ):
        return response.status, await response.json(content_type=None)


async def sent(emulator: EmulatorHandle) -> int:
    return len(await emulator.control.messages())


async def test_without_the_token_nothing_is_sent(
    relay: Relay, async_emulator: EmulatorHandle
) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ):
        status, body = await post(relay, "/alertmanager", alertmanager(), headers)
        assert status == 401 and "bearer token" in body["error"]
    status, _ = await post(relay, "/alerts", {"key": "k", "status": "firing", "summary": "x"}, {})
    assert status == 401
    await asyncio.sleep(0.2)
    assert await sent(async_emulator) == 0


async def test_malformed_and_unknown_payloads_get_400_with_the_reason(
    relay: Relay, async_emulator: EmulatorHandle
) -> None:
    status, body = await post(relay, "/alertmanager", b'{"version": "4", ')
    assert status == 400 and body["error"].startswith("the body is not JSON")
    status, body = await post(relay, "/alertmanager", {**alertmanager(), "version": "3"})
    assert status == 400 and body["error"].startswith('version: must be "4"')
    status, body = await post(relay, "/grafana", alertmanager())
    assert status == 400 and "Grafana" in body["error"]
    status, body = await post(relay, "/alertmanager", b"\xff\xfe\x00garbage")
    assert status == 400
    status, body = await post(relay, "/alertmanager", b"[" * 10000 + b"]" * 10000)
    assert status == 400
    status, body = await post(
        relay, "/alerts", {"key": "k", "status": "firing", "summary": "s", "to": ["carol"]}
    )
    assert status == 400 and body["error"].startswith("to: 'carol' is neither")
    assert await sent(async_emulator) == 0


async def test_a_10_mb_payload_is_refused_without_being_read(
    relay: Relay, async_emulator: EmulatorHandle
) -> None:
    host, port = relay.url.removeprefix("http://").split(":")
    # Declared: the answer comes after the headers alone, though 10 MB were announced.
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST /alertmanager HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {10 * 1024 * 1024}\r\n\r\n".encode()
        + b"{" * 1000
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert head.startswith(b"HTTP/1.1 413")
    writer.close()
    # Not declared (chunked): read up to the limit and refused there.
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST /alertmanager HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n".encode()
    )
    chunk = b"x" * 65536
    answered = b""
    for _ in range(160):  # up to 10 MB, stopping as soon as the relay answers
        try:
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            await writer.drain()
        except ConnectionError:
            break
        try:
            answered = await asyncio.wait_for(reader.read(100), 0.01)
        except TimeoutError:
            continue
        break
    if not answered:
        answered = await asyncio.wait_for(reader.read(100), 5)
    assert answered.startswith(b"HTTP/1.1 413"), answered
    writer.close()
    assert await sent(async_emulator) == 0


async def test_an_alert_is_answered_once_stored(
    relay: Relay, async_emulator: EmulatorHandle
) -> None:
    status, body = await post(relay, "/alertmanager", alertmanager(am_alert("db1")))
    assert status == 200 and body["action"] == "opened"
    code = body["page"]["code"]
    stored = await relay.runner._store.load()
    assert [s.code for s in stored] == [code], "stored before the answer"
    status, body = await post(relay, "/grafana", grafana())
    assert (status, body["action"]) == (200, "opened")
    status, body = await post(
        relay, "/alerts", {"key": "db2", "status": "firing", "summary": "db2 down"}
    )
    assert (status, body["action"], body["key"]) == (200, "opened", "alerts:db2")
    async with aiohttp.ClientSession(headers=AUTH) as session:
        async with session.get(relay.url + "/alerts", params={"key": "db2"}) as response:
            assert response.status == 200
            assert (await response.json())["page"]["phase"] == "escalating"
        async with session.get(relay.url + "/alerts", params={"key": "nope"}) as response:
            assert response.status == 404
        async with session.get(relay.url + "/healthz") as response:
            assert (await response.json()) == {"status": "ok", "pages": 3}


async def test_metrics_are_prometheus_text(relay: Relay, async_emulator: EmulatorHandle) -> None:
    await async_emulator.control.set_callback_url(f"{relay.url}/smsc/{CALLBACK}")
    await async_emulator.control.configure(status_delays=[0.1, 0.2])
    await post(relay, "/alertmanager", alertmanager(am_alert("db1")))
    await post(relay, "/alertmanager", alertmanager(am_alert("db1")))
    await post(relay, "/alertmanager", {}, {})
    await asyncio.sleep(1.0)
    await async_emulator.control.flush_callbacks()
    async with aiohttp.ClientSession() as session, session.get(relay.url + "/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = await response.text()
    families = {family.name: family for family in text_string_to_metric_families(text)}
    value = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in families.values()
        for sample in family.samples
    }
    assert value[("smsc_relay_pages", (("phase", "escalating"),))] == 1
    assert value[("smsc_relay_pages_opened_total", ())] == 1
    assert value[("smsc_relay_messages_sent_total", ())] == 1
    assert value[("smsc_relay_deliveries_total", ())] == 1  # from the service's status calls
    assert value[("smsc_relay_cost_total", ())] == 1.4
    assert (
        value[
            (
                "smsc_relay_notifications_total",
                (("action", "deduplicated"), ("source", "alertmanager")),
            )
        ]
        == 1
    )
    assert (
        value[("smsc_relay_http_requests_total", (("code", "401"), ("endpoint", "/alertmanager")))]
        == 1
    )
    assert value[("smsc_relay_callbacks_total", (("kind", "status"),))] >= 2
    assert value[("smsc_relay_webhook_seconds_count", ())] == 2
    assert families["smsc_relay_webhook_seconds"].type == "histogram"
    assert families["smsc_relay_acknowledgements"].type == "counter"
    assert CALLBACK not in text and TOKEN not in text


async def test_the_services_calls_need_the_secret_path(relay: Relay) -> None:
    async with aiohttp.ClientSession() as session:
        for path in ("/smsc/wrong-token-0123456789abcd", "/smsc/" + CALLBACK[:-1]):
            async with session.post(
                relay.url + path, data={"id": "1", "phone": "7", "status": "1"}
            ) as response:
                assert response.status == 404
        async with session.post(
            relay.url + f"/smsc/{CALLBACK}",
            data={"id": "pg-unknown-1", "phone": "7", "status": "1"},
        ) as response:
            assert (response.status, await response.text()) == (200, "OK")
        async with session.post(relay.url + f"/smsc/{CALLBACK}", data={"status": "1"}) as response:
            assert response.status == 400
