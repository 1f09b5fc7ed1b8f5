"""A server that quotes the request back (a proxy's error page, a misbehaving gateway): the
password and the API key never reach an exception, a repr or a log line, in any encoding."""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from pysmsc import errors

from ..unit.test_redact import NASTY, encodings

PHONE = "79991234567"


class _Echo(BaseHTTPRequestHandler):
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        page = f"<html><body><h1>Bad gateway</h1><pre>{html.escape(body)}</pre>{body}</body></html>"
        data = page.encode()
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(params=[200, 502])
def echo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.status = request.param  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def assert_clean(exc: BaseException, logs: str) -> None:
    texts = [str(exc), repr(exc), *map(str, exc.args), logs]
    texts += [str(value) for value in vars(exc).values() if isinstance(value, str)]
    for text in texts:
        for echoed in encodings(NASTY):
            assert echoed not in text, text
        assert "API-KEY-" not in text


@pytest.mark.parametrize("auth", ["password", "api_key"])
async def test_a_send_through_an_echoing_server_may_have_been_sent_and_leaks_nothing(
    make_client: Any, echo_url: str, auth: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    credentials = (
        {"login": "ops", "password": NASTY}
        if auth == "password"
        else {"api_key": f"API-KEY-{NASTY}"}
    )
    client = make_client(base_url=echo_url, backup_urls=[], **credentials)
    with pytest.raises(errors.SmscError) as info:
        await client.send(PHONE, "disk full")
    assert info.value.may_have_been_sent
    assert_clean(info.value, caplog.text)


async def test_a_read_through_an_echoing_server_was_not_a_send(
    make_client: Any, echo_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(base_url=echo_url, backup_urls=[], login="ops", password=NASTY)
    with pytest.raises(errors.SmscError) as info:
        await client.balance()
    assert not info.value.may_have_been_sent
    assert_clean(info.value, caplog.text)
