"""get.php get_answers (request and answer) and the service's calls to the account's handler:
parsing (form, JSON, windows-1251) and the framework-independent handler, including what an
adversary sends it."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pysmsc import ReceivedMessage, ValidationError, errors, protocol
from pysmsc.callbacks import (
    CallbackError,
    CallbackEvent,
    CallbackHandler,
    KeyPress,
    OtherCall,
    StatusUpdate,
    decode_fields,
    new_token,
    parse_callback,
)
from pysmsc.models import MOSCOW, MessageStatus

# --- get.php ---------------------------------------------------------------------------------


def test_incoming_request_fields() -> None:
    request = protocol.incoming(after_id=4710, hour=24, count=100).request
    assert request.path == "/sys/get.php"
    assert request.fields == (
        ("get_answers", "1"),
        ("after_id", "4710"),
        ("hour", "24"),
        ("cnt", "100"),
    )
    assert request.idempotent and not request.sends_message
    assert protocol.incoming().request.fields == (("get_answers", "1"),)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"hour": 0}, "hour"),
        ({"hour": 721}, "hour"),
        ({"count": 0}, "count"),
        ({"count": 1001}, "count"),
        ({"after_id": -1}, "after_id"),
        ({"after_id": True}, "after_id"),
    ],
)
def test_incoming_bounds(options: dict[str, int], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        protocol.incoming(**options)
    assert raised.value.field == field


def test_incoming_answer_is_sorted_by_id() -> None:
    answer = [
        {
            "id": 4712,
            "received": "30.11.2026 14:06:00",
            "phone": "79990000002",
            "to_phone": "79000000001",
            "sent": 1796036760,
            "message": "ok",
        },
        {
            "id": 4711,
            "received": "30.11.2026 14:05:09",
            "phone": "79991234567",
            "to_phone": "79000000001",
            "sent": 1796036709,
            "message": "ack 4F2K",
        },
    ]
    first, second = protocol.incoming().parse(json.dumps(answer))
    assert first == ReceivedMessage(
        id=4711,
        phone="79991234567",
        text="ack 4F2K",
        to="79000000001",
        received_at=datetime(2026, 11, 30, 14, 5, 9, tzinfo=MOSCOW),
        sent_at=datetime.fromtimestamp(1796036709, UTC),
    )
    assert second.id == 4712
    assert first.received_at is not None and first.received_at.utcoffset() is not None


def test_incoming_answers_without_messages() -> None:
    assert protocol.incoming().parse("[]") == []
    assert protocol.incoming().parse("{}") == []


def test_incoming_errors() -> None:
    with pytest.raises(errors.RateLimitError):
        protocol.incoming().parse('{"error": "too many requests", "error_code": 9}')
    with pytest.raises(errors.AuthenticationError):
        protocol.incoming().parse('{"error": "bad login", "error_code": 2}')
    with pytest.raises(errors.ResponseError):
        protocol.incoming().parse('[{"message": "no id"}]')


# --- parsing the service's calls ------------------------------------------------------------


def test_status_call() -> None:
    event = parse_callback(
        {
            "id": "pg-abc-1",
            "phone": "79991234567",
            "status": "1",
            "err": "0",
            "time": "1796036709",
            "cost": "1.40",
            "cnt": "1",
            "sender_id": "Ops",
        }
    )
    assert event == StatusUpdate(
        message_id="pg-abc-1",
        phone="79991234567",
        status=MessageStatus.DELIVERED,
        error=0,
        changed_at=datetime.fromtimestamp(1796036709, UTC),
        cost=Decimal("1.40"),
        count=1,
        sender="Ops",
    )
    undocumented = parse_callback({"id": "7", "phone": "7999", "status": "77"})
    assert isinstance(undocumented, StatusUpdate) and undocumented.status == 77


def test_incoming_call() -> None:
    event = parse_callback(
        {
            "id": "4711",
            "phone": "79991234567",
            "mes": "ack 4F2K",
            "to": "79000000001",
            "sent": "1796036709",
            "time": "1796036710",
        }
    )
    assert event == ReceivedMessage(
        id=4711,
        phone="79991234567",
        text="ack 4F2K",
        to="79000000001",
        received_at=datetime.fromtimestamp(1796036710, UTC),
        sent_at=datetime.fromtimestamp(1796036709, UTC),
    )


def test_key_press_call() -> None:
    event = parse_callback(
        {"id": "pg-abc-2", "phone": "79991234567", "key": "12", "time": "1796036709"}
    )
    assert event == KeyPress(
        "pg-abc-2", "79991234567", "12", datetime.fromtimestamp(1796036709, UTC)
    )


def test_a_call_of_another_kind_is_kept() -> None:
    assert parse_callback({"phone": "79991234567", "call": "1"}) == OtherCall(
        {"phone": "79991234567", "call": "1"}
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"phone": "7999", "status": "1"}, "id"),
        ({"id": "1", "status": "1"}, "phone"),
        ({"id": "1", "phone": "7999", "status": "delivered"}, "status"),
        ({"id": "1", "phone": "7999", "status": ""}, "status"),
        ({"id": "1", "phone": "7999", "status": "1", "cost": "cheap"}, "cost"),
        ({"id": "1", "phone": "7999", "status": "1", "cost": "NaN"}, "cost"),
        ({"id": "a b", "phone": "7999", "key": "1"}, "id"),
        ({"id": "1", "phone": "7999", "key": "1; rm"}, "key"),
        ({"phone": "7999", "mes": "hi"}, "id"),
        ({"id": "x" * 41, "phone": "7999", "status": "1"}, "id"),
    ],
)
def test_malformed_calls(fields: dict[str, str], field: str) -> None:
    with pytest.raises(CallbackError) as raised:
        parse_callback(fields)
    assert raised.value.field == field


def test_bodies_form_json_and_windows_1251() -> None:
    form = urlencode({"id": "1", "phone": "7999", "mes": "привет"}).encode()
    assert decode_fields(form, "application/x-www-form-urlencoded")["mes"] == "привет"
    cp1251 = urlencode({"mes": "привет"}, encoding="cp1251").encode()
    assert decode_fields(cp1251)["mes"] == "привет"
    as_json = json.dumps({"id": 5, "phone": 79991234567, "status": -1, "cost": 1.4}).encode()
    fields = decode_fields(as_json, "application/json")
    assert fields == {"id": "5", "phone": "79991234567", "status": "-1", "cost": "1.4"}
    # The URL's own query (fmt=3) is read too; the body wins.
    assert decode_fields(b"id=2", "", "fmt=3&id=1") == {"fmt": "3", "id": "2"}
    for bad in (b"[1, 2]", b"{not json", '{"mes": "x"}'.encode("utf-16")):
        with pytest.raises(CallbackError):
            decode_fields(bad, "application/json")
    with pytest.raises(CallbackError):
        decode_fields("mes=привет".encode(), "application/x-www-form-urlencoded")
    with pytest.raises(CallbackError):
        decode_fields(b'{"id": {"nested": 1}}', "application/json")


@given(st.dictionaries(st.text(max_size=10), st.text(max_size=30), max_size=8))
def test_any_fields_give_an_event_or_a_callback_error(fields: dict[str, str]) -> None:
    try:
        parse_callback(fields)
    except CallbackError:
        pass


@given(
    st.binary(max_size=200),
    st.sampled_from(["", "application/json", "application/x-www-form-urlencoded"]),
)
def test_any_body_gives_fields_or_a_callback_error(body: bytes, content_type: str) -> None:
    try:
        decode_fields(body, content_type)
    except CallbackError:
        pass


# --- the handler -----------------------------------------------------------------------------

TOKEN = "s3cr3t-path-token-0123456789"


class Sink:
    def __init__(self, fail: bool = False) -> None:
        self.events: list[CallbackEvent] = []
        self.fail = fail

    async def __call__(self, event: CallbackEvent) -> None:
        if self.fail:
            raise RuntimeError("database is locked")
        self.events.append(event)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def test_handler_answers_ok_once_the_sink_has_the_event() -> None:
    sink = Sink()
    handler = CallbackHandler(TOKEN, sink)
    body = urlencode({"id": "pg-a-1", "phone": "79991234567", "key": "1"}).encode()
    response = await handler.handle("POST", f"/smsc/{TOKEN}", FORM, body)
    assert (response.status, response.body) == (200, b"OK")
    assert sink.events == [KeyPress("pg-a-1", "79991234567", "1")]
    # JSON when the URL says fmt=3; GET with the fields in the query.
    response = await handler.handle(
        "POST",
        f"/smsc/{TOKEN}?fmt=3",
        {"content-type": "application/json"},
        b'{"id": 7, "phone": "7999", "status": 1}',
    )
    assert response.status == 200
    response = await handler.handle("GET", f"/smsc/{TOKEN}/?id=9&phone=7999&status=20", {}, b"")
    assert response.status == 200
    assert [type(e).__name__ for e in sink.events] == ["KeyPress", "StatusUpdate", "StatusUpdate"]


async def test_handler_refusals() -> None:
    sink = Sink()
    handler = CallbackHandler(TOKEN, sink, max_body=100)
    body = b"id=1&phone=7999&status=1"
    for path in (
        "/smsc/",
        "/smsc/wrong-token-0123456789abc",
        f"/smsc/{TOKEN}x",
        f"/smsc/{TOKEN[:-1]}",
        "/",
    ):
        assert (await handler.handle("POST", path, FORM, body)).status == 404
    assert (await handler.handle("DELETE", f"/smsc/{TOKEN}", FORM, body)).status == 405
    too_long = {**FORM, "Content-Length": "101"}
    assert (await handler.handle("POST", f"/smsc/{TOKEN}", too_long, b"")).status == 413
    assert (await handler.handle("POST", f"/smsc/{TOKEN}", FORM, b"x" * 101)).status == 413
    bad = await handler.handle("POST", f"/smsc/{TOKEN}", FORM, b"phone=7999&status=1")
    assert bad.status == 400 and b"id: is required" in bad.body
    assert sink.events == []
    assert handler.too_large({"content-length": "101"}) and not handler.too_large({})


async def test_handler_asks_for_a_retry_when_the_sink_fails(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handler = CallbackHandler(TOKEN, Sink(fail=True))
    with caplog.at_level(logging.DEBUG):
        response = await handler.handle("POST", f"/smsc/{TOKEN}", FORM, b"id=1&phone=7999&status=1")
    assert response.status == 503
    assert caplog.records, "the failure is logged"
    assert TOKEN not in caplog.text and TOKEN not in repr(handler)


def test_tokens_are_long_and_checked() -> None:
    token = new_token()
    assert len(token) >= 32 and token != new_token()
    CallbackHandler(token, Sink())
    for bad in ("short", "has space in it 0123456789", "x" * 129, "ü" * 20):
        with pytest.raises(ValidationError) as raised:
            CallbackHandler(bad, Sink())
        assert raised.value.field == "token"
