# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The shared state without HTTP: what the SMPP server will call, and the events it will
listen to."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from pysmsc.text import Encoding
from pysmsc_emulator import (
    AccountConfig,
    Clock,
    EmulatorState,
    IncomingReceived,
    ServiceError,
    Settings,
    StatusChanged,
    build_send_request,
    smpp_send_request,
)
from pysmsc_emulator.rules import RULES, RateLimiter

PHONE = "79161234567"


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def state() -> EmulatorState:
    return EmulatorState(
        [AccountConfig(login="smpp", password="pw", api_key="key")],
        clock=Clock(FakeTime()),
        settings=Settings(status_delays=(1.0, 2.0)),
    )


def test_status_changes_are_events(state: EmulatorState) -> None:
    events: list[object] = []
    unsubscribe = state.subscribe(events.append)
    account = state.authenticate("smpp", "pw")
    result = state.send(account, smpp_send_request(PHONE, "hi", registered_delivery=True))
    message = result.messages[0]
    assert (message.source, message.registered_delivery) == ("smpp", True)
    assert state.next_due() == message.created + 1
    state.clock.advance(5)
    assert state.apply_due() == 2
    changes = [e for e in events if isinstance(e, StatusChanged)]
    assert [(e.status, e.err, e.final) for e in changes] == [(0, 0, False), (1, 0, True)]
    assert changes[1].time == message.created + 3
    assert changes[1].message is message
    unsubscribe()
    state.send(account, smpp_send_request(PHONE, "again"))
    state.clock.advance(5)
    state.apply_due()
    assert len(events) == 2


def test_refused_recipients_are_final_at_once(state: EmulatorState) -> None:
    events: list[StatusChanged] = []
    state.subscribe(lambda e: events.append(e) if isinstance(e, StatusChanged) else None)
    account = state.authenticate(api_key="key")
    state.send(account, build_send_request({"phones": f"{PHONE},12345", "mes": "x"}))
    assert [(e.recipient.phone, e.status, e.err, e.final) for e in events] == [
        ("12345", 22, 249, True)
    ]


def test_incoming_messages_are_events(state: EmulatorState) -> None:
    events: list[object] = []
    state.subscribe(events.append)
    account = state.account("SMPP")
    incoming = state.receive(account, "+7 916 123-45-67", "79990000000", "Привет")
    assert events == [IncomingReceived(incoming)]
    assert (incoming.phone, incoming.to, incoming.text) == (PHONE, "79990000000", "Привет")
    assert account.incoming == [incoming]


def test_a_failing_listener_does_not_break_the_state(
    state: EmulatorState, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: object) -> None:
        raise RuntimeError("boom")

    seen: list[object] = []
    state.subscribe(broken)
    state.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        state.receive(state.account("smpp"), PHONE, "", "x")
    assert len(seen) == 1
    assert "listener failed" in caplog.text


def test_listeners_survive_a_reset(state: EmulatorState) -> None:
    seen: list[object] = []
    state.subscribe(seen.append)
    state.reset()
    state.receive(state.account("smpp"), PHONE, "", "x")
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("encoding", "parts"), [(None, 1), (Encoding.GSM7, 1), (Encoding.LATIN1, 2), (Encoding.UCS2, 3)]
)
def test_smpp_data_coding_decides_the_parts(
    state: EmulatorState, encoding: Encoding | None, parts: int
) -> None:
    account = state.account("smpp")
    result = state.send(account, smpp_send_request(PHONE, "a" * 150, encoding=encoding))
    assert result.cnt == parts
    assert result.messages[0].encoding == (encoding or Encoding.GSM7).value


def test_smpp_prefixes(state: EmulatorState) -> None:
    account = state.account("smpp")
    call = state.send(account, smpp_send_request(PHONE, "__CALL__: Hello\nvoice:w3"))
    message = call.messages[0]
    assert (message.kind, message.text, message.options["voice"]) == ("call", "Hello", "w3")
    hlr = state.send(account, smpp_send_request(PHONE, "__HLR__"))
    assert hlr.messages[0].kind == "hlr"
    with pytest.raises(ServiceError) as caught:
        state.send(account, smpp_send_request("a@example.com", "__MAIL__: Hi\nsubj:S"))
    assert caught.value.code == 1  # an e-mail needs the sender's address


def test_smpp_duplicates_and_ids(state: EmulatorState) -> None:
    account = state.account("smpp")
    first = state.send(account, smpp_send_request(PHONE, "same"))
    with pytest.raises(ServiceError) as caught:
        state.send(account, smpp_send_request(PHONE, "same"))
    assert (caught.value.code, caught.value.description) == (
        9,
        "duplicate request, wait a minute",
    )
    assert first.id == 1
    assert state.lookup(account, "1", "8" + PHONE[1:]) == (
        first.messages[0],
        first.messages[0].recipients[0],
    )
    assert state.lookup(account, "2", PHONE) is None


def test_sender_must_be_allowed_over_smpp_too(state: EmulatorState) -> None:
    account = state.account("smpp")
    with pytest.raises(ServiceError) as caught:
        state.send(account, smpp_send_request(PHONE, "x", sender="Nobody"))
    assert (caught.value.code, caught.value.message_id) == (6, 1)


def test_authentication(state: EmulatorState) -> None:
    for credentials in ({"login": "smpp", "password": "bad"}, {"api_key": "bad"}, {}):
        with pytest.raises(ServiceError) as caught:
            state.authenticate(**credentials)
        assert caught.value.code == 2
    assert state.authenticate("", "key").login == "smpp"


def test_money_is_decimal(state: EmulatorState) -> None:
    account = state.account("smpp")
    account.prices["sms"] = Decimal("0.333")
    result = state.send(account, build_send_request({"phones": PHONE, "mes": "x"}))
    assert result.cost == Decimal("0.333")
    assert account.balance == Decimal("999.667")


def test_rate_windows_are_forgotten_once_expired() -> None:
    limiter = RateLimiter()
    rule = RULES["send_identical"]
    for i in range(RateLimiter.SWEEP_EVERY - 1):
        assert limiter.hit("demo", rule, i, 0.0)
    assert not limiter.hit("demo", rule, 5, 30.0)  # still inside its minute
    assert limiter.hit("demo", rule, "late", 61.0)  # the sweep drops every expired window
    assert len(limiter) == 1
