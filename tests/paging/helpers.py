"""Driving the pure policy through events, with the time in seconds from the page's start."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from pysmsc.paging import (
    Action,
    Contact,
    Escalation,
    EscalationPolicy,
    Event,
    KeyPressed,
    Notify,
    Page,
    PageState,
    QueryStatus,
    Restarted,
    Send,
    SendOutcome,
    StatusKnown,
    Tick,
    state_from_dict,
    state_to_dict,
)

T0 = 1_800_000_000.0  # 2027-01-15 08:00 UTC: outside anyone's night in Moscow
ALICE = Contact("alice", "79990000001")
BOB = Contact("bob", "79990000002")
CAROL = Contact("carol", "79990000003")


def page(
    *contacts: Contact, text: str = "Disk full on db1", key: str = "disk-db1", **escalation: Any
) -> Page:
    return Page(key, text, contacts or (ALICE, BOB), Escalation(**escalation))


class Drive:
    """One page under the policy: ``at(s)`` sets the time, ``event(...)`` decides."""

    def __init__(
        self,
        the_page: Page | None = None,
        *,
        policy: EscalationPolicy | None = None,
        code: str = "4F2K",
        token: str = "t1",
    ) -> None:
        self.policy = policy or EscalationPolicy()
        self.now = T0
        decision = self.policy.open(the_page or page(), now=T0, code=code, token=token)
        self.state: PageState = decision.state
        self.actions: list[Action] = list(decision.actions)
        self.last: list[Action] = list(decision.actions)

    def at(self, seconds: float) -> Drive:
        """The time is ``seconds`` after the page's start."""
        return self.at_time(T0 + seconds)

    def at_time(self, moment: float) -> Drive:
        assert moment >= self.now, "time does not go back"
        self.now = moment
        return self

    def event(self, event: Event, at: float | None = None) -> list[Action]:
        if at is not None:
            self.at(at)
        decision = self.policy.decide(self.state, event, now=self.now)
        self.check(decision.state)
        self.state = decision.state
        self.last = list(decision.actions)
        self.actions.extend(decision.actions)
        return self.last

    def tick(self, at: float) -> list[Action]:
        return self.event(Tick(), at)

    def sent(
        self, message_id: str, at: float | None = None, cost: str | None = "1.40"
    ) -> list[Action]:
        return self.event(
            SendOutcome(message_id, "sent", cost=None if cost is None else Decimal(cost), count=1),
            at,
        )

    def status(
        self, message_id: str, status: int, at: float | None = None, error: int = 0
    ) -> list[Action]:
        """The service's status; the answer to the last question about it, if one was asked."""
        asked = [q.asked_at for q in self.queries() if q.message_id == message_id]
        return self.event(
            StatusKnown(message_id, status, error, asked_at=asked[-1] if asked else None), at
        )

    def key(self, message_id: str, key: str, at: float | None = None) -> list[Action]:
        return self.event(KeyPressed(message_id, key), at)

    def restart(self, at: float | None = None) -> list[Action]:
        """The runner was killed: the stored state (its JSON form) is all that is left."""
        self.state = state_from_dict(json.loads(json.dumps(state_to_dict(self.state))))
        return self.event(Restarted(), at)

    def check(self, state: PageState) -> None:
        assert state.wake_at is None or state.wake_at > self.now
        assert state_from_dict(json.loads(json.dumps(state_to_dict(state)))) == state

    # -- reading what happened --

    def sends(self, actions: list[Action] | None = None, purpose: str | None = None) -> list[Send]:
        found = [a for a in (self.actions if actions is None else actions) if isinstance(a, Send)]
        return [s for s in found if purpose is None or s.record.purpose == purpose]

    def queries(self, actions: list[Action] | None = None) -> list[QueryStatus]:
        return [
            a for a in (self.actions if actions is None else actions) if isinstance(a, QueryStatus)
        ]

    def notices(self, actions: list[Action] | None = None) -> list[Notify]:
        return [a for a in (self.actions if actions is None else actions) if isinstance(a, Notify)]

    def last_send(self) -> Send:
        return self.sends()[-1]
