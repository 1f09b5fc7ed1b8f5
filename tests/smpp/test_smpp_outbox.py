# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The sending core without sockets: windows, rate, resends, outcomes, and fault orderings."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pysmsc.smpp import (
    CommandStatus,
    SubmitNotSentError,
    SubmitOutcomeUnknownError,
    SubmitRejectedError,
    ThrottledError,
)
from pysmsc.smpp._outbox import Outbox

from .outbox_helpers import Pair, pdus

THROTTLED = CommandStatus.ESME_RTHROTTLED
QUEUE_FULL = CommandStatus.ESME_RMSGQFUL


def test_one_message_one_answer() -> None:
    pair = Pair()
    pair.up()
    key = pair.add()
    (item,) = pair.pump()
    assert pair.outbox.in_flight == 1
    assert pair.accept(item, "42")
    outcome = pair.ended[key]
    assert outcome.sent
    assert outcome.message_ids == ("42",)
    assert outcome.error() is None
    assert pair.outbox.in_flight == 0
    assert pair.outbox.messages == 0


def test_the_window_of_each_connection() -> None:
    pair = Pair()
    pair.up("a", window=2)
    for i in range(5):
        pair.add(text=str(i))
    assert len(pair.pump()) == 2
    assert pair.pump() == []
    pair.accept(pair.take())
    assert len(pair.pump()) == 1
    pair.up("b", window=3)
    assert [d.link for d in pair.pump()] == ["b", "b"]  # the room is on the new connection
    assert pair.outbox.link_in_flight("a") == 2
    assert pair.outbox.link_in_flight("b") == 2


def test_spread_over_connections_by_room() -> None:
    pair = Pair()
    for link in ("a", "b", "c"):
        pair.up(link, window=4)
    for i in range(9):
        pair.add(text=str(i))
    links = [d.link for d in pair.pump()]
    assert sorted(links) == ["a", "a", "a", "b", "b", "b", "c", "c", "c"]


def test_waits_for_a_connection_and_goes_when_it_comes() -> None:
    pair = Pair()
    key = pair.add(timeout=10)
    assert pair.pump() == []
    assert pair.outbox.next_wakeup(pair.now) == 10  # only the deadline
    pair.advance(9)
    pair.up()
    (item,) = pair.pump()
    pair.accept(item)
    assert pair.ended[key].sent


def test_no_connection_until_the_deadline_is_not_sent() -> None:
    pair = Pair()
    key = pair.add(timeout=10)
    pair.advance(10)
    assert pair.pump() == []
    error = pair.ended[key].error()
    assert isinstance(error, SubmitNotSentError)
    assert error.may_have_been_sent is False
    assert "no bound SMPP connection" in str(error)


def test_full_window_until_the_deadline_is_not_sent() -> None:
    pair = Pair()
    pair.up(window=1)
    first = pair.add()
    second = pair.add(timeout=5)
    pair.pump()
    pair.advance(5)
    pair.pump()
    error = pair.ended[second].error()
    assert isinstance(error, SubmitNotSentError)
    assert "window" in str(error)
    assert first not in pair.ended


def test_lost_connection_makes_written_parts_unknown_and_never_resends_them() -> None:
    pair = Pair()
    pair.up("a")
    written = pair.add(text="written")
    (item,) = pair.pump()
    waiting = pair.add(text="waiting")
    pair.down("a")
    assert pair.pump() == []
    error = pair.ended[written].error()
    assert isinstance(error, SubmitOutcomeUnknownError)
    assert error.may_have_been_sent is True
    assert error.unknown_parts == [1]
    # The answer that comes afterwards (it cannot, the connection is gone) changes nothing.
    assert not pair.accept(item)
    pair.up("b")
    (again,) = pair.pump()
    assert again.pdu.short_message == b"waiting/1"
    pair.accept(again)
    assert pair.ended[waiting].sent
    assert pair.received == [b"written/1", b"waiting/1"]  # nothing twice


def test_answer_before_the_loss_counts() -> None:
    pair = Pair()
    pair.up()
    key = pair.add()
    (item,) = pair.pump()
    pair.accept(item, "7")
    pair.down()
    assert pair.ended[key].message_ids == ("7",)
    assert pair.ended[key].sent


def test_a_part_that_never_left_goes_again_once() -> None:
    pair = Pair()
    pair.up("a")
    key = pair.add()
    (item,) = pair.pump()
    assert pair.lose(item, maybe_received=False)  # still in the write buffer at the loss
    pair.down("a")
    pair.up("b")
    (again,) = pair.pump()
    assert again.pdu is item.pdu
    pair.accept(again, "9")
    assert pair.ended[key].message_ids == ("9",)
    assert not pair.lose(item)  # a late report about the first attempt is ignored


def test_response_timeout_is_unknown() -> None:
    pair = Pair()
    pair.up()
    key = pair.add()
    (item,) = pair.pump()
    pair.lose(item, maybe_received=True)
    assert pair.pump() == []
    assert isinstance(pair.ended[key].error(), SubmitOutcomeUnknownError)
    assert pair.outbox.link_in_flight("a") == 0  # the window slot is free again


def test_throttled_goes_again_after_the_pause() -> None:
    pair = Pair(throughput=10, throttle_pause=0.5)
    pair.up()
    key = pair.add()
    (item,) = pair.pump()
    pair.refuse(item, THROTTLED)
    assert pair.outbox.waiting == 1
    assert pair.pump() == []
    assert pair.outbox.next_wakeup(pair.now) == 0.5
    assert pair.outbox.rate.rate == 5  # halved
    pair.advance(0.5)
    (again,) = pair.pump()
    pair.accept(again)
    assert pair.ended[key].sent
    assert pair.outbox.rate.throttled_count == 1


def test_throttled_until_the_deadline() -> None:
    pair = Pair(throttle_pause=1.0)
    pair.up()
    key = pair.add(timeout=2)
    for _ in range(2):
        (item,) = pair.pump()
        pair.refuse(item, QUEUE_FULL)
        pair.advance(1)
    pair.pump()
    error = pair.ended[key].error()
    assert isinstance(error, ThrottledError)
    assert error.status == QUEUE_FULL
    assert error.may_have_been_sent is False


def test_rejected() -> None:
    pair = Pair()
    pair.up()
    key = pair.add()
    (item,) = pair.pump()
    pair.refuse(item, CommandStatus.ESME_RINVDSTADR)
    error = pair.ended[key].error()
    assert isinstance(error, SubmitRejectedError)
    assert error.status == CommandStatus.ESME_RINVDSTADR
    assert error.may_have_been_sent is False


def test_rate_limits_messages_not_parts() -> None:
    pair = Pair(throughput=10)  # a burst of 1, then one every 0.1 s
    pair.up(window=50)
    long = pair.add(parts=4, text="long")
    short = pair.add(text="short")
    sent = pair.pump()
    assert [d.pdu.short_message for d in sent] == [b"long/1", b"long/2", b"long/3", b"long/4"]
    wakeup = pair.outbox.next_wakeup(pair.now)
    assert wakeup is not None
    assert wakeup == pytest.approx(0.4)  # the four parts are paid for before the next message
    pair.now = wakeup
    assert [d.pdu.short_message for d in pair.pump()] == [b"short/1"]
    assert long not in pair.ended
    assert short not in pair.ended


def test_long_message_ids_and_one_part_refused() -> None:
    pair = Pair()
    pair.up(window=2)
    key = pair.add(parts=4)
    first, second = pair.pump()
    pair.accept(first, "100")
    pair.refuse(second, CommandStatus.ESME_RINVMSGLEN)
    pair.pump()
    outcome = pair.ended[key]  # parts 3 and 4 are not sent: the message cannot be whole
    assert outcome.rejected == (2, CommandStatus.ESME_RINVMSGLEN)
    assert outcome.not_sent_parts == (3, 4)
    error = outcome.error()
    assert isinstance(error, SubmitRejectedError)
    assert (error.part, error.parts, error.message_ids) == (2, 4, ["100"])
    assert error.may_have_been_sent is True  # the SMSC holds part 1
    assert pair.received == [b"m/1", b"m/2"]


def test_long_message_some_parts_unknown() -> None:
    pair = Pair()
    pair.up()
    key = pair.add(parts=3)
    items = pair.pump()
    pair.accept(items[0], "5")
    pair.accept(items[2], "5")
    pair.down()
    error = pair.ended[key].error()
    assert isinstance(error, SubmitOutcomeUnknownError)
    assert error.message_ids == ["5"]
    assert error.unknown_parts == [2]


def test_long_message_cut_by_the_deadline_is_unknown_not_unsent() -> None:
    pair = Pair()
    pair.up(window=1)
    key = pair.add(parts=2, timeout=5)
    (first,) = pair.pump()
    pair.accept(first, "8")
    pair.down()
    pair.advance(5)
    pair.pump()
    error = pair.ended[key].error()
    assert isinstance(error, SubmitOutcomeUnknownError)  # the SMSC has part 1 of 2
    assert error.may_have_been_sent is True
    assert (error.message_ids, error.not_sent_parts) == (["8"], [2])


def test_single_mode_ids_in_part_order() -> None:
    pair = Pair()
    pair.up()
    key = pair.add(parts=3)
    a, b, c = pair.pump()
    pair.accept(c, "3")
    pair.accept(a, "1")
    pair.accept(b, "2")
    assert pair.ended[key].message_ids == ("1", "2", "3")


def test_close_ends_what_waits_and_keeps_what_is_written() -> None:
    pair = Pair()
    pair.up(window=1)
    written = pair.add()
    waiting = pair.add()
    (item,) = pair.pump()
    pair.outbox.close("closed")
    pair.collect()
    assert isinstance(pair.ended[waiting].error(), SubmitNotSentError)
    late = pair.add()
    pair.collect()
    assert isinstance(pair.ended[late].error(), SubmitNotSentError)
    pair.accept(item)
    assert pair.ended[written].sent


def test_cancel_stops_parts_not_written() -> None:
    pair = Pair()
    pair.up(window=1)
    key = pair.add(parts=2)
    (item,) = pair.pump()
    pair.outbox.cancel(key)
    pair.accept(item, "1")
    assert pair.pump() == []
    assert pair.ended[key].not_sent_parts == (2,)


def test_link_down_unknown_link_and_twice_is_harmless() -> None:
    outbox = Outbox(throughput=None)
    outbox.link_down("nothing")
    outbox.link_up("a", 1)
    outbox.link_down("a")
    outbox.link_down("a")
    assert outbox.links == ()
    with pytest.raises(ValueError, match="window"):
        outbox.link_up("a", 0)
    with pytest.raises(ValueError, match="part"):
        outbox.add([], deadline=1)


def test_next_wakeup_is_none_without_work() -> None:
    pair = Pair(throughput=5)
    assert pair.outbox.next_wakeup(0) is None
    pair.up()
    pair.add()
    pair.pump()
    assert pair.outbox.next_wakeup(0) is None  # written: only the answer matters


# --- every ordering of faults ------------------------------------------------------------------


class OutboxMachine(RuleBasedStateMachine):
    """Random interleavings of submits, answers, refusals, losses, time and connections.

    Invariants: no message ends twice; a part goes out again only after the SMSC surely did not
    get it (never written, or a "try later" refusal); no window overflows; after a dispatch
    there is never work for "now" (no busy loop); the outcome matches what happened to every
    part; once everything is closed and the connections are gone, every message has ended.
    """

    def __init__(self) -> None:
        super().__init__()
        self.pair = Pair(throughput=50, throttle_pause=0.2)
        self.links = 0
        self.windows: dict[Any, int] = {}
        self.keys: list[int] = []
        self.may_resend: set[bytes] = set()  # parts the SMSC surely does not have
        self.accepted: dict[bytes, str] = {}
        self.unknown: set[bytes] = set()
        self.parts: dict[int, list[bytes]] = {}

    @rule(window=st.integers(1, 4))
    def connect(self, window: int) -> None:
        self.links += 1
        self.windows[self.links] = window
        self.pair.up(self.links, window)

    @precondition(lambda self: bool(self.pair.wires))
    @rule(data=st.data())
    def disconnect(self, data: st.DataObject) -> None:
        link = data.draw(st.sampled_from(sorted(self.pair.wires)))
        for item in self.pair.wires[link].outstanding:
            self.unknown.add(item.pdu.short_message)
        self.pair.down(link)
        self.pair.collect()

    @rule(parts=st.integers(1, 3), timeout=st.sampled_from([0.1, 1.0, 30.0]))
    def submit(self, parts: int, timeout: float) -> None:
        text = f"k{len(self.keys)}"
        key = self.pair.add(parts, timeout=timeout, text=text)
        self.keys.append(key)
        self.parts[key] = [p.short_message for p in pdus(parts, text)]
        self.pair.collect()

    @rule()
    def pump(self) -> None:
        before = len(self.pair.received)
        self.pair.pump()
        sent = self.pair.received[before:]
        for body in sent:
            assert body not in self.accepted and body not in self.unknown, "sent twice"
            assert sent.count(body) == 1
            if body in self.pair.received[:before]:
                assert body in self.may_resend, "resent although the SMSC may have it"
                self.may_resend.discard(body)
        next_time = self.pair.outbox.next_wakeup(self.pair.now)
        assert next_time is None or next_time > self.pair.now, "work for now after a dispatch"

    def _outstanding(self, data: st.DataObject) -> Any:
        link = data.draw(
            st.sampled_from(sorted(k for k, w in self.pair.wires.items() if w.outstanding))
        )
        wire = self.pair.wires[link]
        index = data.draw(st.integers(0, len(wire.outstanding) - 1))
        return wire.outstanding.pop(index)

    def _has_outstanding(self) -> bool:
        return any(w.outstanding for w in self.pair.wires.values())

    @precondition(_has_outstanding)
    @rule(data=st.data())
    def accept(self, data: st.DataObject) -> None:
        item = self._outstanding(data)
        self.pair.accept(item, f"id-{item.pdu.short_message.decode()}")
        self.accepted[item.pdu.short_message] = f"id-{item.pdu.short_message.decode()}"

    @precondition(_has_outstanding)
    @rule(data=st.data(), status=st.sampled_from([THROTTLED, QUEUE_FULL, 0x0B]))
    def refuse(self, data: st.DataObject, status: int) -> None:
        item = self._outstanding(data)
        self.pair.refuse(item, status)
        if status in (THROTTLED, QUEUE_FULL):
            self.may_resend.add(item.pdu.short_message)

    @precondition(_has_outstanding)
    @rule(data=st.data(), maybe_received=st.booleans())
    def lose(self, data: st.DataObject, maybe_received: bool) -> None:
        item = self._outstanding(data)
        self.pair.lose(item, maybe_received=maybe_received)
        if maybe_received:
            self.unknown.add(item.pdu.short_message)
        else:
            self.may_resend.add(item.pdu.short_message)

    @rule(seconds=st.sampled_from([0.01, 0.05, 0.3, 2.0]))
    def wait(self, seconds: float) -> None:
        self.pair.advance(seconds)

    @rule(key=st.integers(0, 30))
    def cancel(self, key: int) -> None:
        self.pair.outbox.cancel(key)
        self.pair.collect()

    @invariant()
    def windows_hold(self) -> None:
        for link, window in self.windows.items():
            assert self.pair.outbox.link_in_flight(link) <= window

    @invariant()
    def outcomes_tell_the_truth(self) -> None:
        for key, outcome in self.pair.ended.items():
            bodies = self.parts[key]
            accepted_ids = tuple(
                dict.fromkeys(self.accepted[b] for b in bodies if b in self.accepted)
            )
            assert outcome.message_ids == accepted_ids
            for number in outcome.unknown_parts:
                assert bodies[number - 1] in self.unknown
            error = outcome.error()
            if outcome.sent:
                assert error is None
            else:
                assert error is not None
                expected = bool(outcome.message_ids or outcome.unknown_parts)
                assert error.may_have_been_sent is expected  # type: ignore[attr-defined]

    def teardown(self) -> None:
        pair = self.pair
        pair.outbox.close("closed")
        for link in list(pair.wires):
            pair.down(link)
        pair.collect()
        assert set(pair.ended) == set(self.keys)
        assert pair.outbox.in_flight == 0
        assert pair.outbox.waiting == 0
        assert pair.outbox.messages == 0


OutboxMachine.TestCase.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
TestOutboxOrderings = OutboxMachine.TestCase
