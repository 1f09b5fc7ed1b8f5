"""Where requests go, and when they are (never) repeated, against a real server."""

from __future__ import annotations

import logging
import socket
from decimal import Decimal
from typing import Any

import httpx
import pytest

from pysmsc import AsyncClient, Client, errors

PHONE = "79991234567"


def refused_url() -> str:
    """An address where nothing listens: the connection is refused, the request never sent."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def test_fails_over_when_the_request_surely_never_arrived(
    make_client: Any, emulator: Any
) -> None:
    client = make_client(base_url=refused_url(), backup_urls=[emulator.http_url])
    result = await client.send(PHONE, "sent through the backup host")
    assert result.id
    assert len(emulator.control.messages()) == 1


async def test_unreachable_everywhere_says_nothing_was_received(make_client: Any) -> None:
    client = make_client(base_url=refused_url(), backup_urls=[refused_url()])
    with pytest.raises(errors.TransportError) as info:
        await client.send(PHONE, "nowhere")
    assert not info.value.maybe_received


@pytest.mark.parametrize("kind", ["close", "http500", "garbage"])
async def test_a_send_that_may_have_arrived_is_never_repeated(
    make_client: Any, emulator: Any, kind: str
) -> None:
    emulator.control.add_fault("send", kind, after_processing=True)
    # The backup is the same emulator: a repeat would show as a second message.
    client = make_client(backup_urls=[emulator.http_url])
    expected = errors.ResponseError if kind == "garbage" else errors.TransportError
    with pytest.raises(expected) as info:
        await client.send(PHONE, f"fault {kind}")
    if isinstance(info.value, errors.TransportError):
        assert info.value.maybe_received
        assert "not sent again" in str(info.value)
    assert len(emulator.control.messages()) == 1


async def test_a_timeout_on_send_is_reported_as_maybe_sent(make_client: Any, emulator: Any) -> None:
    emulator.control.add_fault("send", "delay", seconds=1.0)
    client = make_client(timeout=0.3, backup_urls=[emulator.http_url])
    with pytest.raises(errors.TransportError) as info:
        await client.send(PHONE, "slow answer")
    assert info.value.maybe_received
    assert len(emulator.control.messages()) == 1


async def test_reads_are_repeated_on_the_next_host(make_client: Any, emulator: Any) -> None:
    emulator.control.add_fault("balance", "close")
    client = make_client(backup_urls=[emulator.http_url])
    assert (await client.balance()).balance == Decimal("1000.00")


async def test_secrets_stay_out_of_errors_logs_and_reprs(
    make_client: Any, emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator.control.add_fault("balance", "close", count=2)
    client = make_client(password="hunter2-secret", backup_urls=[emulator.http_url])
    with pytest.raises(errors.TransportError) as transport_error:
        await client.balance()
    emulator.control.configure(latency=0)
    with pytest.raises(errors.AuthenticationError) as auth_error:
        await client.balance()
    keyed = make_client(api_key="key-0123456789")
    with pytest.raises(errors.AuthenticationError) as key_error:
        await keyed.balance()
    seen = " ".join(
        [
            caplog.text,
            str(transport_error.value),
            str(auth_error.value),
            str(key_error.value),
            repr(client.client),
            repr(keyed.client),
        ]
    )
    assert "hunter2-secret" not in seen
    assert "key-0123456789" not in seen
    assert emulator.login in repr(client.client)


async def test_an_injected_async_http_client_is_used_and_left_open(emulator: Any) -> None:
    seen: list[str] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
        smsc = AsyncClient(
            emulator.login, emulator.password, base_url=emulator.http_url, http_client=http
        )
        await smsc.balance()
        await smsc.close()
        assert not http.is_closed
    assert seen == ["/sys/balance.php"]


def test_credentials_go_in_the_body_never_the_url(emulator: Any) -> None:
    urls: list[str] = []
    bodies: list[bytes] = []

    def record(request: httpx.Request) -> None:
        urls.append(str(request.url))
        bodies.append(request.read())

    with httpx.Client(event_hooks={"request": [record]}) as http:
        Client(
            emulator.login, emulator.password, base_url=emulator.http_url, http_client=http
        ).balance()
    assert urls == [f"{emulator.http_url}/sys/balance.php"]
    assert b"psw=demo" in bodies[0]


def test_bad_settings_fail_before_any_request() -> None:
    with pytest.raises(errors.ValidationError) as info:
        Client("a", "b", max_concurrency=15)
    assert info.value.field == "max_concurrency"
    with pytest.raises(errors.ValidationError) as info:
        Client("a", "b", timeout=0)
    assert info.value.field == "timeout"
    with pytest.raises(errors.ValidationError) as info:
        Client()
    assert info.value.field == "login"
