"""Hypothesis over event orderings: a simulated service, sends that succeed, fail, or may or may
not have arrived, status news in any order, key presses, replies, resolutions, the passing of
time and kills at any point. Whatever happens:

- the service never receives one message id twice (nothing is sent twice);
- nothing escalates after an acknowledgement, nobody gets two "resolved" messages;
- a page that is still escalating always has something to wait for (it never gets stuck);
- every state is a plain value that survives its JSON form.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pysmsc.models import MessageStatus
from pysmsc.paging import (
    Acknowledge,
    Contact,
    Escalation,
    KeyPressed,
    Page,
    Phase,
    Purpose,
    QueryStatus,
    Resolve,
    Send,
    SendOutcome,
    StatusKnown,
    StatusUnavailable,
    Tick,
)

from .helpers import T0, Drive

CONTACTS = [
    Contact("alice", "79990000001"),
    Contact("bob", "79990000002"),
    Contact("carol", "79990000003"),
]
# A request that reaches the service is registered within this time (the client's timeout);
# the policy waits longer than that (verify_after, 90 s) before it trusts a "not found".
ARRIVAL = 60.0

escalations = st.sampled_from(
    [("sms", True), ("sms", False), ("viber", True), ("viber", False), (None, True)]
).flatmap(
    lambda first: st.builds(
        Escalation,
        channel=st.just(first[0]),
        call=st.just(first[1]),
        deliver_within=st.sampled_from([None, 120.0]),
        ack_within=st.sampled_from([60.0, 300.0]),
        answer_within=st.sampled_from([60.0, 180.0]),
        rounds=st.integers(1, 2),
        report_to=st.sampled_from([(), ("79990000009",)]),
    )
)

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("finish"),
            st.integers(0, 5),
            st.sampled_from(["sent", "not_sent", "uncertain arrived", "uncertain lost"]),
        ),
        st.tuples(st.just("answer"), st.integers(0, 5), st.sampled_from(["truth", "fail"])),
        st.tuples(st.just("status"), st.integers(0, 9), st.sampled_from([0, 1, 2, 20])),
        st.tuples(st.just("key"), st.integers(0, 9), st.sampled_from(["1", "2", "5"])),
        st.tuples(st.just("reply"), st.integers(0, 2), st.sampled_from(["ack", "4F2K", "hello"])),
        st.tuples(st.just("ack"), st.just(0), st.just("")),
        st.tuples(st.just("resolve"), st.just(0), st.just("")),
        st.tuples(st.just("wait"), st.sampled_from([1, 15, 45, 61, 121, 400]), st.just("")),
        st.tuples(st.just("kill"), st.integers(0, 2), st.sampled_from(["arrived", "late", "lost"])),
    ),
    max_size=40,
)


@dataclass
class Service:
    """What the service knows: which ids arrived (and how often), and their statuses."""

    arrived: Counter[str] = field(default_factory=Counter)
    status: dict[str, int] = field(default_factory=dict)
    late: list[tuple[float, str]] = field(default_factory=list)

    def receive(self, message_id: str) -> None:
        self.arrived[message_id] += 1

    def knows(self, message_id: str) -> bool:
        return self.arrived[message_id] > 0


class World:
    def __init__(self, page: Page) -> None:
        self.drive = Drive(page)
        self.service = Service()
        self.sends: list[Send] = []
        # Queries carry the answer as of the moment they were asked (the worst case: old news).
        self.queries: list[tuple[QueryStatus, int]] = []
        self.resolved_to: defaultdict[str, set[str]] = defaultdict(set)
        self.take(self.drive.last)

    @property
    def now(self) -> float:
        return self.drive.now

    def take(self, actions: list[object]) -> None:
        state = self.drive.state
        for action in actions:
            if isinstance(action, Send):
                record = action.record
                if record.purpose in Purpose.ESCALATION:
                    assert state.phase == Phase.ESCALATING or state.acknowledged_at is None
                    assert (
                        state.acknowledged_at is None or record.intended_at < state.acknowledged_at
                    )
                if record.purpose == Purpose.RESOLVED:
                    self.resolved_to[record.phone].add(record.message_id)
                    assert len(self.resolved_to[record.phone]) == 1, "one resolved message each"
                self.sends.append(action)
            elif isinstance(action, QueryStatus):
                truth = (
                    self.service.status.get(action.message_id, 0)
                    if self.service.knows(action.message_id)
                    else MessageStatus.NOT_FOUND
                )
                self.queries.append((action, truth))

    def event(self, event: object) -> None:
        self.take(self.drive.event(event))  # type: ignore[arg-type]

    def wait(self, seconds: float) -> None:
        target = self.now + seconds
        while True:
            wake = self.drive.state.wake_at
            late = [at for at, _ in self.service.late if at <= target]
            moment = min([m for m in (wake, *late) if m is not None and m <= target], default=None)
            if moment is None:
                break
            self.drive.at_time(max(moment, self.now))
            for at, message_id in list(self.service.late):
                if at <= self.now:
                    self.service.late.remove((at, message_id))
                    self.service.receive(message_id)
            if wake is not None and wake <= self.now:
                self.event(Tick())
        self.drive.at_time(target)

    def kill(self, fate: str) -> None:
        """The runner dies: requests under way reached the service, will reach it, or not."""
        for send in self.sends:
            message_id = send.record.message_id
            if fate == "arrived":
                self.service.receive(message_id)
            elif fate == "late":
                arrival = send.record.intended_at + ARRIVAL
                if arrival <= self.now:
                    self.service.receive(message_id)  # late, but no later than that
                else:
                    self.service.late.append((arrival, message_id))
        self.sends.clear()
        self.queries.clear()
        self.take(self.drive.restart())

    def check(self) -> None:
        assert all(count == 1 for count in self.service.arrived.values()), self.service.arrived
        state = self.drive.state
        if state.phase == Phase.ESCALATING:
            assert state.wake_at is not None or self.sends or self.queries, "stuck"
        if state.acknowledged_at is not None:
            assert state.phase in (Phase.ACKNOWLEDGED, Phase.RESOLVED)


def run(world: World, script: list[tuple[str, int, object]]) -> None:
    for kind, number, value in script:
        if kind == "finish" and world.sends:
            send = world.sends.pop(number % len(world.sends))
            message_id = send.record.message_id
            if value in ("sent", "uncertain arrived"):
                world.service.receive(message_id)
            outcome = {"sent": "sent", "not_sent": "not_sent"}.get(str(value), "uncertain")
            world.event(SendOutcome(message_id, outcome))
        elif kind == "answer" and world.queries:
            query, truth = world.queries.pop(number % len(world.queries))
            if value == "fail":
                world.event(StatusUnavailable(query.message_id, asked_at=query.asked_at))
            else:
                world.event(StatusKnown(query.message_id, truth, asked_at=query.asked_at))
        elif kind == "status":
            known = sorted(world.service.arrived)
            if known:
                message_id = known[number % len(known)]
                world.service.status[message_id] = int(value)  # type: ignore[call-overload]
                world.event(StatusKnown(message_id, int(value)))  # type: ignore[call-overload]
        elif kind == "key":
            calls = [
                m.message_id
                for m in world.drive.state.messages
                if m.kind == "call" and world.service.knows(m.message_id)
            ]
            if calls:
                world.event(KeyPressed(calls[number % len(calls)], str(value)))
        elif kind == "reply":
            if value != "hello":
                world.event(Acknowledge(via="reply", phone=CONTACTS[number].phone))
        elif kind == "ack":
            world.event(Acknowledge(by="api"))
        elif kind == "resolve":
            world.event(Resolve())
        elif kind == "wait":
            world.wait(float(number))
        elif kind == "kill":
            world.kill(str(value))
        world.check()
    # Let every request finish and time run out: the page must end, with nothing sent twice.
    for _ in range(200):
        if world.sends:
            send = world.sends.pop(0)
            world.service.receive(send.record.message_id)
            world.event(SendOutcome(send.record.message_id, "sent"))
        elif world.queries:
            query, _truth = world.queries.pop(0)
            truth = (
                world.service.status.get(query.message_id, 0)
                if world.service.knows(query.message_id)
                else MessageStatus.NOT_FOUND
            )
            world.event(StatusKnown(query.message_id, truth, asked_at=query.asked_at))
        elif world.drive.state.wake_at is not None:
            world.wait(world.drive.state.wake_at - world.now)
        else:
            break
        world.check()
    assert world.drive.state.phase != Phase.ESCALATING, "the page ends by itself"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    escalation=escalations,
    contacts=st.integers(1, 3),
    script=steps,
)
def test_any_ordering(
    escalation: Escalation, contacts: int, script: list[tuple[str, int, object]]
) -> None:
    world = World(Page("k", "Disk full on db1", CONTACTS[:contacts], escalation))
    assert world.drive.now == T0
    run(world, script)
