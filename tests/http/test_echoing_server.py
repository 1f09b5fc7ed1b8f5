"""A server that quotes the request back (a proxy's error page, a misbehaving gateway): the
password and the API key never reach an exception, a repr or a log line, in any encoding."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from pysmsc import errors

from ..servers import echoing_server
from ..unit.test_redact import NASTY, encodings

PHONE = "79991234567"


@pytest.fixture(params=["page", "page502"])
def echo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with echoing_server(request.param) as url:
        yield url


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
