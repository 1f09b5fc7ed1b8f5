# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The escalation policy: what to do next, from the facts and the time. No I/O, no clock.

:meth:`EscalationPolicy.decide` takes a :class:`PageState`, an event and the time, and returns
the next state and the actions to take. It works in two stages: the event only records a fact
(a status, an outcome, a key press, an acknowledgement); then :meth:`_progress` looks at all the
facts and the time and decides. So the order in which facts arrive never matters — delivered
and acknowledged at once, a resolution during a call, a key press after the page moved on all
come down to "what is known now".

Nothing is sent twice. Every send is recorded as *intended* (with the message id chosen for
it) in the state the runner stores before it sends. A send that may have gone out
(``uncertain``) is never sent again: if it did not arrive, the escalation goes on by its other
steps (a call, the next contact). An intent found after a restart is looked up in status.php
first; only when the service still does not know the id ``verify_after`` seconds after the
intent (longer than any request can take) is it sent again, with the same id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from ..models import MessageStatus
from ..protocol import Message
from .events import (
    Acknowledge,
    Action,
    Event,
    KeyPressed,
    Notify,
    QueryStatus,
    Resolve,
    Restarted,
    Send,
    SendOutcome,
    StatusKnown,
    StatusUnavailable,
    UpdateText,
    report,
)
from .model import (
    DELIVERED_STATUSES,
    FAILED_STATUSES,
    Contact,
    Outcome,
    Outgoing,
    Page,
    PageState,
    Phase,
    Purpose,
    Turn,
    evolve,
    is_delivered,
    is_failed,
    is_settled,
    same_phone,
    seconds,
)
from .texts import call_menu, compose, duration_words

__all__ = [
    "ACK_WORDS",
    "Decision",
    "EscalationPolicy",
    "message_id",
    "route_reply",
]

_ACKNOWLEDGEABLE = frozenset({Phase.ESCALATING, Phase.EXHAUSTED, Phase.STOPPED, Phase.DELIVERED})
# Words of a reply that acknowledge without naming a code (upper case).
ACK_WORDS = frozenset({"ACK", "OK", "\u041e\u041a"})  # the last is Cyrillic "OK"
# The service dates replies to the second, on its own clock: a reply dated this much before our
# message may still answer it.
REPLY_CLOCK_SLACK = 2.0
_WORD = re.compile("[0-9A-Z\u0401\u0410-\u042f]+")  # Latin and Cyrillic capitals


class Decision(NamedTuple):
    state: PageState
    actions: list[Action]


def message_id(token: str, sequence: int) -> str:
    """The id the page's ``sequence``-th message is sent with (status.php, callbacks and key
    presses come back with it)."""
    return f"pg-{token}-{sequence}"


@dataclass
class _Plan:
    """What one decision produces besides the state: actions and the times to wake up."""

    now: float
    actions: list[Action] = field(default_factory=list)
    wakes: list[float] = field(default_factory=list)

    def wake(self, moment: float) -> None:
        self.wakes.append(moment)


class EscalationPolicy:
    """Decides every page's next step (see the module's documentation).

    ``verify_after``: how old an intended send must be before the service's "not found" is
    taken to mean it never went out (longer than a request can take: the client's timeout and
    a margin). ``check_timeout``: how long a status query may take before the decision goes
    ahead without its answer. ``retry``: the pause between status queries that failed.
    ``max_attempts``: sends of one message id after restarts before it is given up.
    ``give_up_after``: an intent that cannot be verified for this long becomes uncertain.
    """

    def __init__(
        self,
        *,
        verify_after: float = 90.0,
        check_timeout: float = 45.0,
        retry: float = 30.0,
        max_attempts: int = 3,
        give_up_after: float = 900.0,
    ) -> None:
        self.verify_after = verify_after
        self.check_timeout = check_timeout
        self.retry = retry
        self.max_attempts = max_attempts
        self.give_up_after = give_up_after

    # -- entry points ---------------------------------------------------------------------------

    def open(self, page: Page, *, now: float, code: str, token: str) -> Decision:
        """A new page: its first state and first actions. ``code`` is its short code (in the
        texts, for replies), ``token`` the unique part of its message ids."""
        state = PageState(page=page, code=code, token=token, created_at=now)
        return self._progress(state, _Plan(now))

    def decide(self, state: PageState, event: Event, *, now: float) -> Decision:
        """The next state and actions after ``event`` at the Unix time ``now``."""
        plan = _Plan(now)
        state = self._record(state, event, plan)
        return self._progress(state, plan)

    # -- facts ----------------------------------------------------------------------------------

    def _record(self, state: PageState, event: Event, plan: _Plan) -> PageState:
        now = plan.now
        if isinstance(event, SendOutcome):
            return self._send_outcome(state, event, plan)
        if isinstance(event, StatusKnown):
            return self._status(state, event, plan)
        if isinstance(event, StatusUnavailable):
            record = state.message(event.message_id)
            if record is None:
                return state
            # Asked in vain: decisions waiting for it go ahead, a retry waits a while.
            return state.with_message(evolve(record, known_at=now, asked_at=None))
        if isinstance(event, KeyPressed):
            return self._key(state, event, now)
        if isinstance(event, Acknowledge):
            return self._acknowledge(state, event, now)
        if isinstance(event, Resolve):
            return state if state.resolved_at is not None else evolve(state, resolved_at=now)
        if isinstance(event, UpdateText):
            if not state.open or not event.text.strip():
                return state
            return evolve(state, page=replace(state.page, text=event.text))
        if isinstance(event, Restarted):
            messages = tuple(
                evolve(m, asked_at=None, verify=m.outcome == Outcome.INTENDED)
                for m in state.messages
            )
            return evolve(state, messages=messages)
        return state  # Tick: nothing new but the time

    def _send_outcome(self, state: PageState, event: SendOutcome, plan: _Plan) -> PageState:
        record = state.message(event.message_id)
        if record is None or record.outcome != Outcome.INTENDED:
            return state  # a duplicate answer, or one for a record already settled
        if event.outcome == Outcome.SENT:
            record = evolve(
                record,
                outcome=Outcome.SENT,
                cost=event.cost if event.cost is not None else record.cost,
                count=event.count,
                # "not found" asked while the request was under way meant nothing.
                status=None if record.status == MessageStatus.NOT_FOUND else record.status,
                verify=False,
            )
        elif event.outcome == Outcome.NOT_SENT:
            record = evolve(record, outcome=Outcome.NOT_SENT, detail=event.detail, verify=False)
        else:
            record = evolve(record, outcome=Outcome.UNCERTAIN, detail=event.detail, verify=False)
        state = state.with_message(record)
        if event.capped and state.phase == Phase.ESCALATING:
            state = self._end(
                state, Phase.STOPPED, event.detail or "the cost cap was reached", plan
            )
        return state

    def _status(self, state: PageState, event: StatusKnown, plan: _Plan) -> PageState:
        record = state.message(event.message_id)
        if record is None:
            return state
        now = plan.now
        not_found = event.status == MessageStatus.NOT_FOUND
        if record.outcome == Outcome.INTENDED:
            if not not_found:
                # The service knows the id: the request went out.
                return state.with_message(
                    evolve(
                        record,
                        outcome=Outcome.SENT,
                        verify=False,
                        status=event.status,
                        error=event.error,
                        cost=event.cost if event.cost is not None else record.cost,
                        known_at=now,
                        asked_at=None,
                    )
                )
            # Not (yet) known to the service: only an intent found after a restart, once old
            # enough, is sent again (in _verify); a send under way will answer for itself. An
            # answer is as fresh as its question (which may not be the last one asked), and
            # only the answers to our questions count.
            missing_at = record.missing_at
            if event.asked_at is not None:
                missing_at = max(missing_at or event.asked_at, event.asked_at)
            return state.with_message(
                evolve(record, known_at=now, missing_at=missing_at, asked_at=None)
            )
        final = DELIVERED_STATUSES | FAILED_STATUSES
        if record.status in final and event.status not in final:
            return state  # an older, non-final status arriving late
        outcome = record.outcome
        if outcome == Outcome.UNCERTAIN and not not_found:
            outcome = Outcome.SENT  # the service knows it: it did go out
        return state.with_message(
            evolve(
                record,
                outcome=outcome,
                status=event.status,
                error=event.error,
                cost=event.cost if event.cost is not None else record.cost,
                known_at=now,
                asked_at=None,
            )
        )

    def _key(self, state: PageState, event: KeyPressed, now: float) -> PageState:
        record = state.message(event.message_id)
        if record is None or record.kind != "call":
            return state
        if not is_settled(record):
            # Someone pressed a key: the call was answered.
            state = state.with_message(evolve(record, status=MessageStatus.DELIVERED, known_at=now))
        if event.key == "1":
            return self._acknowledge(state, Acknowledge(by=record.contact, via="key press"), now)
        turn = state.turn
        if (
            event.key == "2"
            and state.phase == Phase.ESCALATING
            and turn is not None
            and turn.call_id == event.message_id
        ):
            return evolve(state, turn=evolve(turn, passed=True))
        return state  # another key, or a "pass" on a call the page already moved on from

    def _acknowledge(self, state: PageState, event: Acknowledge, now: float) -> PageState:
        if state.acknowledged_at is not None or state.phase not in _ACKNOWLEDGEABLE:
            return state
        who = event.by
        if event.phone:
            contact = state.page.contact_for(event.phone)
            if contact is not None:
                who = contact.name
            elif any(same_phone(event.phone, n) for n in state.page.escalation.report_to):
                who = who or event.phone
            else:
                return state  # a reply from someone the page does not know
        return evolve(
            state,
            acknowledged_by=who or "api",
            acknowledged_via=event.via,
            acknowledged_at=now,
        )

    # -- decisions ------------------------------------------------------------------------------

    def _progress(self, state: PageState, plan: _Plan) -> Decision:
        state = self._verify(state, plan)
        if state.resolved_at is not None and state.phase != Phase.RESOLVED:
            state = self._close_resolved(state, plan)
        elif state.acknowledged_at is not None and state.phase in _ACKNOWLEDGEABLE:
            state = self._close_acknowledged(state, plan)
        elif state.phase == Phase.ESCALATING:
            escalation = state.page.escalation
            if not escalation.asks_ack and any(
                is_delivered(m) for m in state.messages if m.purpose in Purpose.ESCALATION
            ):
                state = self._end(state, Phase.DELIVERED, "delivered", plan)
            else:
                state = self._escalate(state, plan)
        # Every decision due now was taken above: only later times wake the page again.
        future = [moment for moment in plan.wakes if moment > plan.now]
        return Decision(evolve(state, wake_at=min(future) if future else None), plan.actions)

    def _verify(self, state: PageState, plan: _Plan) -> PageState:
        """Intents found after a restart: ask the service; send again only when it surely
        never received them."""
        now = plan.now
        for record in state.messages:
            if not (record.verify and record.outcome == Outcome.INTENDED):
                continue
            if record.asked_at is not None and now < record.asked_at + self.check_timeout:
                plan.wake(record.asked_at + self.check_timeout)
                continue
            ready_at = record.intended_at + self.verify_after
            if record.missing_at is not None and record.missing_at >= ready_at:
                # The service did not know the id long after any request could have reached
                # it: the request never went out.
                if not self._still_wanted(state, record):
                    state = state.with_message(
                        evolve(
                            record,
                            outcome=Outcome.NOT_SENT,
                            verify=False,
                            detail="never went out, and no longer needed",
                        )
                    )
                    continue
                if record.attempts >= self.max_attempts:
                    state = state.with_message(
                        evolve(
                            record,
                            outcome=Outcome.NOT_SENT,
                            verify=False,
                            detail=f"not sent after {record.attempts} attempts across restarts",
                        )
                    )
                    continue
                again = evolve(
                    record,
                    attempts=record.attempts + 1,
                    intended_at=now,
                    verify=False,
                    known_at=None,
                    missing_at=None,
                    asked_at=None,
                )
                state = state.with_message(again)
                plan.actions.append(Send(state.key, again, self._message(state, again)))
                continue
            if now >= record.intended_at + self.give_up_after:
                state = state.with_message(
                    evolve(
                        record,
                        outcome=Outcome.UNCERTAIN,
                        verify=False,
                        detail="could not learn whether it was sent",
                    )
                )
                continue
            due = now if record.known_at is None else max(record.known_at + self.retry, ready_at)
            if now >= due:
                state = state.with_message(evolve(record, asked_at=now))
                plan.actions.append(QueryStatus(state.key, record.message_id, record.phone, now))
                plan.wake(now + self.check_timeout)
            else:
                plan.wake(due)
        return state

    @staticmethod
    def _still_wanted(state: PageState, record: Outgoing) -> bool:
        """Whether a message that never went out is still worth sending: the closing
        messages always; an escalation message only for the step the page is at."""
        if record.purpose not in Purpose.ESCALATION:
            return True
        turn = state.turn
        return (
            state.phase == Phase.ESCALATING
            and turn is not None
            and (record.message_id in turn.notices or record.message_id == turn.call_id)
        )

    def _escalate(self, state: PageState, plan: _Plan) -> PageState:
        turn = state.turn
        if turn is None:
            return self._begin_turn(state, plan, 0, 0)
        if turn.step == "notify":
            state, escalate = self._notify_step(state, turn, plan)
            if not escalate or state.phase != Phase.ESCALATING:
                return state
            turn = state.turn or turn  # with the fallback SMS, if one was sent
            if state.page.escalation.call:
                return self._begin_call(state, turn, plan)
            return self._next_turn(state, turn, plan)
        call = state.message(turn.call_id or "")
        if call is None or turn.call_at is None:  # a call step always has both
            return self._next_turn(state, turn, plan)
        deadline = turn.call_at + seconds(state.page.escalation.answer_within)
        if turn.passed or is_failed(call):
            return self._next_turn(state, turn, plan)
        if plan.now < deadline:
            plan.wake(deadline)
            return state
        if not state.page.escalation.asks_ack:
            # Delivery is all that is asked: learn whether the call was answered first.
            state, settled = self._settle(state, [call], deadline, plan)
            if not settled:
                return state
        return self._next_turn(state, turn, plan)

    def _notify_step(self, state: PageState, turn: Turn, plan: _Plan) -> tuple[PageState, bool]:
        """Wait for the written messages of this turn; True when the call (or the next
        contact) is due."""
        escalation = state.page.escalation
        now = plan.now
        notices = [m for m in (state.message(i) for i in turn.notices) if m is not None]
        if escalation.channel == "viber" and len(notices) == 1:
            viber = notices[0]
            fallback_at = turn.started_at + seconds(escalation.viber_fallback_after)
            due = is_failed(viber)
            if not due and not is_delivered(viber) and now >= fallback_at:
                state, due = self._settle(state, [viber], fallback_at, plan)
                due = due and not is_delivered(state.message(viber.message_id) or viber)
            elif not due and not is_delivered(viber):
                plan.wake(fallback_at)
            if due:
                state, sms = self._send(
                    state, plan, self._contact(state, turn), "sms", Purpose.FALLBACK
                )
                if sms is None:
                    return state, False
                turn = evolve(turn, notices=(*turn.notices, sms.message_id))
                state = evolve(state, turn=turn)
                notices.append(sms)
        if all(is_failed(m) for m in notices):
            return state, True  # nothing written can arrive: call now
        delivered = any(is_delivered(m) for m in notices)
        if escalation.deliver_within is not None and not delivered:
            deadline = turn.started_at + seconds(escalation.deliver_within)
            if now >= deadline:
                state, settled = self._settle(state, notices, deadline, plan)
                fresh = [state.message(m.message_id) or m for m in notices]
                if settled and not any(is_delivered(m) for m in fresh):
                    return state, True
            else:
                plan.wake(deadline)
        if escalation.ack_within is not None:
            deadline = turn.started_at + seconds(escalation.ack_within)
            if now >= deadline:
                return state, True
            plan.wake(deadline)
        return state, False

    def _settle(
        self, state: PageState, records: Sequence[Outgoing], deadline: float, plan: _Plan
    ) -> tuple[PageState, bool]:
        """Whether the statuses of ``records`` are known as of ``deadline`` (learnt since, or
        asked in vain); asks status.php about those that are not."""
        now = plan.now
        settled = True
        for given in records:
            record = state.message(given.message_id) or given
            if is_settled(record) or record.outcome == Outcome.INTENDED:
                continue  # known, or a request still under way (nothing to ask yet)
            if record.known_at is not None and record.known_at >= deadline:
                continue
            if record.asked_at is not None and record.asked_at >= deadline:
                if now >= record.asked_at + self.check_timeout:
                    continue  # asked after the deadline, no answer: decide without it
                settled = False
                plan.wake(record.asked_at + self.check_timeout)
                continue
            settled = False
            state = state.with_message(evolve(record, asked_at=now))
            plan.actions.append(QueryStatus(state.key, record.message_id, record.phone, now))
            plan.wake(now + self.check_timeout)
        return state, settled

    def _contact(self, state: PageState, turn: Turn) -> Contact:
        return state.page.contacts[turn.contact]

    def _begin_turn(self, state: PageState, plan: _Plan, index: int, round_: int) -> PageState:
        contacts: Sequence[Contact] = state.page.contacts
        chosen, skipped = index, []
        for position in range(index, len(contacts)):
            quiet = contacts[position].quiet_hours
            if quiet is not None and quiet.active(plan.now):
                skipped.append(contacts[position].name)
                continue
            chosen = position
            break
        else:
            chosen, skipped = index, []  # everyone left is asleep: quiet hours never mean nobody
        turn = Turn(contact=chosen, round=round_, started_at=plan.now)
        state = evolve(
            state,
            skipped=(*state.skipped, *(n for n in skipped if n not in state.skipped)),
            turn=turn,
        )
        escalation = state.page.escalation
        if escalation.channel is None:
            return self._begin_call(state, turn, plan)
        state, record = self._send(state, plan, contacts[chosen], escalation.channel, Purpose.ALERT)
        if record is None:
            return state
        state = evolve(state, turn=evolve(turn, notices=(record.message_id,)))
        return self._escalate(state, plan)  # an immediate failure is handled at once

    def _begin_call(self, state: PageState, turn: Turn, plan: _Plan) -> PageState:
        state, record = self._send(state, plan, self._contact(state, turn), "call", Purpose.CALL)
        if record is None:
            return state
        turn = evolve(turn, step="call", call_id=record.message_id, call_at=plan.now)
        state = evolve(state, turn=turn)
        plan.wake(plan.now + seconds(state.page.escalation.answer_within))
        return state

    def _next_turn(self, state: PageState, turn: Turn, plan: _Plan) -> PageState:
        index, round_ = turn.contact + 1, turn.round
        if index >= len(state.page.contacts):
            index, round_ = 0, round_ + 1
        if round_ >= state.page.escalation.rounds:
            state = self._end(state, Phase.EXHAUSTED, "nobody acknowledged", plan)
            for number in state.page.escalation.report_to:
                state = self._send_closing(state, plan, None, "sms", Purpose.NOBODY, phone=number)
            return state
        return self._begin_turn(state, plan, index, round_)

    @staticmethod
    def _end(state: PageState, phase: str, reason: str, plan: _Plan) -> PageState:
        state = evolve(state, phase=phase, reason=reason, ended_at=plan.now)
        plan.actions.append(Notify(state.key, report(state)))
        return state

    def _close_acknowledged(self, state: PageState, plan: _Plan) -> PageState:
        via = f" ({state.acknowledged_via})" if state.acknowledged_via else ""
        state = self._end(
            state, Phase.ACKNOWLEDGED, f"acknowledged by {state.acknowledged_by}{via}", plan
        )
        if state.page.escalation.notify_acknowledged:
            for contact in self._reached(state):
                if contact.name != state.acknowledged_by:
                    state = self._send_closing(state, plan, contact, "sms", Purpose.ACKNOWLEDGED)
        return state

    def _close_resolved(self, state: PageState, plan: _Plan) -> PageState:
        was = state.phase
        reached = self._reached(state)
        told = [
            m.phone
            for m in state.messages
            if m.purpose == Purpose.NOBODY and m.outcome != Outcome.NOT_SENT
        ]
        state = evolve(state, phase=Phase.RESOLVED, resolved_at=state.resolved_at)
        if was == Phase.ESCALATING:
            state = evolve(state, reason="resolved", ended_at=plan.now)
        plan.actions.append(Notify(state.key, report(state)))
        if state.page.escalation.notify_resolved:
            for contact in reached:
                state = self._send_closing(state, plan, contact, "sms", Purpose.RESOLVED)
            for number in told:
                state = self._send_closing(state, plan, None, "sms", Purpose.RESOLVED, phone=number)
        return state

    @staticmethod
    def _reached(state: PageState) -> list[Contact]:
        """Contacts a message of the escalation may have reached (not known to have failed)."""
        names = {
            m.contact
            for m in state.messages
            if m.purpose in Purpose.ESCALATION and not is_failed(m) and m.contact
        }
        return [c for c in state.page.contacts if c.name in names]

    # -- sending --------------------------------------------------------------------------------

    def _send(
        self,
        state: PageState,
        plan: _Plan,
        contact: Contact | None,
        kind: str,
        purpose: str,
        *,
        phone: str = "",
    ) -> tuple[PageState, Outgoing | None]:
        """Record a send as intended and ask for it; None when the page's cost cap forbids."""
        escalation = state.page.escalation
        cap = escalation.cost_cap
        if cap is not None and state.spent >= cap:
            if state.phase == Phase.ESCALATING:
                state = self._end(
                    state,
                    Phase.STOPPED,
                    f"the page's cost cap ({cap}) was reached",
                    plan,
                )
            return state, None
        record = Outgoing(
            message_id=message_id(state.token, len(state.messages) + 1),
            phone=contact.phone if contact is not None else phone,
            contact=contact.name if contact is not None else "",
            kind=kind,
            purpose=purpose,
            text=self._text(state, kind, purpose, plan.now),
            intended_at=plan.now,
        )
        state = state.with_message(record)
        plan.actions.append(Send(state.key, record, self._message(state, record)))
        return state, record

    def _send_closing(
        self,
        state: PageState,
        plan: _Plan,
        contact: Contact | None,
        kind: str,
        purpose: str,
        *,
        phone: str = "",
    ) -> PageState:
        """:meth:`_send` for a closing message (nothing waits on its record)."""
        return self._send(state, plan, contact, kind, purpose, phone=phone)[0]

    @staticmethod
    def _text(state: PageState, kind: str, purpose: str, now: float) -> str:
        escalation = state.page.escalation
        texts = escalation.texts
        values = {
            "code": state.code,
            "name": state.acknowledged_by or "",
            "duration": duration_words(now - state.created_at),
        }
        if kind == "call":
            menu = call_menu(
                state.page.text,
                start=texts.call_start,
                menu=texts.call_menu,
                acknowledged=texts.call_acknowledged,
                passed=texts.call_passed,
                code=state.code,
            )
            return menu.render()
        template = {
            Purpose.ALERT: texts.alert,
            Purpose.FALLBACK: texts.alert,
            Purpose.ACKNOWLEDGED: texts.acknowledged,
            Purpose.RESOLVED: texts.resolved,
            Purpose.NOBODY: texts.nobody,
        }[purpose]
        return compose(template, state.page.text, escalation.max_parts, **values)

    @staticmethod
    def _message(state: PageState, record: Outgoing) -> Message:
        escalation = state.page.escalation
        if record.kind == "call":
            return Message(
                record.phone,
                record.text,
                kind="call",
                sender=escalation.call_sender,
                voice=escalation.voice,
                dial=escalation.dial,
                message_id=record.message_id,
            )
        return Message(
            record.phone,
            record.text,
            kind=record.kind,
            sender=escalation.sender,
            message_id=record.message_id,
            max_parts=escalation.max_parts if record.kind == "sms" else None,
        )


def route_reply(
    states: Iterable[PageState],
    phone: str,
    text: str,
    *,
    received_at: float | None = None,
    ack_words: Iterable[str] = ACK_WORDS,
) -> list[str]:
    """The keys of the pages a reply acknowledges.

    A reply that names page codes acknowledges those pages only (when it comes from one of
    their contacts or ``report_to`` numbers), whatever else it says. Otherwise a reply holding
    an acknowledging word ("ack", "ok") acknowledges every page still waiting that messaged
    this number before the reply was received (give or take ``REPLY_CLOCK_SLACK`` seconds:
    the service dates replies to the second on its own clock), so that an old "ack" never
    acknowledges a newer page.
    """
    states = list(states)
    words = set(_WORD.findall(text.upper()))

    def knows(state: PageState) -> bool:
        return state.page.contact_for(phone) is not None or any(
            same_phone(phone, n) for n in state.page.escalation.report_to
        )

    named = [s for s in states if s.code in words]
    if named:
        return [s.key for s in named if knows(s)]
    if not words & {w.upper() for w in ack_words}:
        return []
    keys = []
    for state in states:
        if state.phase not in _ACKNOWLEDGEABLE or state.acknowledged_at is not None:
            continue
        reached = [
            m
            for m in state.messages
            if m.purpose in Purpose.ESCALATION
            and same_phone(m.phone, phone)
            and m.outcome != Outcome.NOT_SENT
            and (received_at is None or m.intended_at <= received_at + REPLY_CLOCK_SLACK)
        ]
        if reached:
            keys.append(state.key)
    return keys
