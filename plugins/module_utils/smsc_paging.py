# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A page run in the foreground, synchronously, over ``open_url``: for the ``page`` module (on
the host it runs on) and the ``notify`` callback (on the controller).

Every decision is the library's :class:`~pysmsc.paging.EscalationPolicy` (one copy of the
rules: deliver-or-call, the acknowledgement wait, the next contact, nothing sent twice); this
module only carries its actions out - a send (send.php), a status question (status.php) - polls
get.php for replies, and sleeps until the next thing is due. It needs nothing beyond
ansible-core: the async runner of the library needs httpx, which managed hosts may lack.

What a process without a public address cannot do: receive the service's calls. Key presses in
the call never reach it, so the call says to reply instead (:data:`FOREGROUND_TEXTS`);
acknowledgements come from replies (``Reply 4F2K``, ``ack``, ``ok``), polled every
``poll_interval`` seconds (get.php allows one request in 5 s). Delivery is learnt from status.php
when the policy asks (at ``deliver_within``) and by a look at each message every 15 s, so that a
failure calls at once and a delivery ends a page that asks for no acknowledgement. A page
handed to a relay (:mod:`.smsc_relay`) has key presses, restarts and resolutions.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Callable

from .pysmsc.errors import SmscError
from .pysmsc.models import MessageStatus, status_error_meaning
from .pysmsc.paging import (
    REPLY_ONLY_TEXTS,
    Acknowledge,
    Contact,
    EscalationPolicy,
    Event,
    Outcome,
    Outgoing,
    Page,
    PageState,
    Phase,
    Purpose,
    QueryStatus,
    Send,
    SendOutcome,
    StatusKnown,
    StatusUnavailable,
    Tick,
    new_code,
    new_token,
    report,
    route_reply,
)
from .pysmsc.protocol import incoming, send_message, status
from .pysmsc.redact import redact
from .smsc_transport import Connection, execute

__all__ = [
    "FOREGROUND_TEXTS",
    "MIN_POLL_INTERVAL",
    "ForegroundPage",
    "default_key",
    "duration",
    "longest",
    "message_dict",
    "outcome_of",
    "page_result",
    "plan",
]

# get.php answers one request in 5 s per login.
MIN_POLL_INTERVAL = 5.0
# status.php answers five questions about one message a minute: one look every 15 s leaves
# room for the policy's own question at a deadline.
STATUS_POLL = 15.0
_UNSETTLED = frozenset({None, MessageStatus.WAITING, MessageStatus.PASSED_TO_OPERATOR})
_FOLLOWED = (Outcome.SENT, Outcome.UNCERTAIN)
# Nobody hears a key press here: the call asks for a reply, and says so if a key is pressed.
FOREGROUND_TEXTS = REPLY_ONLY_TEXTS
# The three outcomes of a send, in the words of every module's ``outcome``.
_OUTCOMES = {
    Outcome.SENT: "sent",
    Outcome.NOT_SENT: "not_sent",
    Outcome.UNCERTAIN: "may_have_been_sent",
    Outcome.INTENDED: "may_have_been_sent",  # under way when the run was interrupted
}

Clock = Callable[[], float]
Sleep = Callable[[float], None]


def default_key(phones: list[str], text: str) -> str:
    """The same alert to the same people is the same page."""
    digest = hashlib.sha256("\n".join([*phones, text]).encode("utf-8")).hexdigest()
    return f"ansible-{digest[:20]}"


def _seconds(value: Any) -> float:
    """A duration of an escalation (seconds once the escalation is built)."""
    return float(value)


def longest(page: Page) -> float:
    """Seconds the escalation itself can take (the requests' own time aside): each turn waits
    for the later of its two deadlines, then the call's answer time."""
    escalation = page.escalation
    deadlines = [escalation.deliver_within, escalation.ack_within]
    turn = max(_seconds(d) for d in deadlines if d is not None)
    if escalation.channel == "viber":
        turn += _seconds(escalation.viber_fallback_after)
    if escalation.call:
        turn += _seconds(escalation.answer_within)
    return turn * len(page.contacts) * escalation.rounds


def duration(seconds: float) -> str:
    """``45 s``, ``2 min``, ``1 min 30 s``."""
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def _who(contact: Contact) -> str:
    return contact.phone if contact.name == contact.phone else f"{contact.name} ({contact.phone})"


def plan(page: Page, first: str) -> list[str]:
    """What the page would do, in words (check mode); ``first`` is the first message's text."""
    escalation = page.escalation
    contacts = list(page.contacts)
    channel = "Viber message" if escalation.channel == "viber" else "SMS"
    steps = [f"{channel} to {_who(contacts[0])}: {first}"]
    reasons = []
    if escalation.deliver_within is not None:
        reasons.append(f"not delivered within {duration(_seconds(escalation.deliver_within))}")
    if escalation.ack_within is not None:
        reasons.append(f"not acknowledged within {duration(_seconds(escalation.ack_within))}")
    else:
        steps.append("delivered: the page ends (no acknowledgement is asked for)")
    answer = duration(_seconds(escalation.answer_within))
    if escalation.call:
        steps.append(f"{' or '.join(reasons)}: a call to {_who(contacts[0])}")
        steps.append(f"no reply within {answer} of the call: the next contact")
    else:
        steps.append(f"{' or '.join(reasons)}: the next contact")
    for contact in contacts[1:]:
        steps.append(f"then {_who(contact)}, the same way")
    if escalation.rounds > 1:
        steps.append(f"{escalation.rounds} times through the chain")
    nobody = f"nobody acknowledged after at most {duration(longest(page))}: the task fails"
    if escalation.report_to:
        nobody += ", and " + ", ".join(escalation.report_to) + " get NOBODY ACKNOWLEDGED"
    steps.append(nobody)
    return steps


class ForegroundPage:
    """One page, run to its end (or to ``until``) in this process; see the module's docs.

    ``poll_interval``: seconds between get.php polls for replies (at least 5). ``clock`` and
    ``sleep`` are injectable for tests. Send failures keep their details in the records
    (``Outgoing.detail``, credentials masked by the library).
    """

    def __init__(
        self,
        connection: Connection,
        page: Page,
        *,
        poll_interval: float = 10.0,
        policy: EscalationPolicy | None = None,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.connection = connection
        # A refused poll (error 9) waits for the next round instead of blocking the page.
        self._polls = replace(connection, rate_limit_wait=0.0)
        self.page = page
        self.poll_interval = max(float(poll_interval), MIN_POLL_INTERVAL)
        self.policy = policy or EscalationPolicy()
        self.clock = clock
        self.sleep = sleep
        self.state: PageState | None = None
        self.poll_errors: list[str] = []
        self._pending: list[Send | QueryStatus] = []
        self._after_id: int | None = None
        self._looked_at: dict[str, float] = {}  # message id -> when status.php was asked

    def run(self, until: float | None = None) -> PageState:
        """Page until the escalation ends (acknowledged, delivered, nobody acknowledged, cost
        cap) or ``until`` (a Unix time) passes; the last state. ``KeyboardInterrupt`` stops it
        at once (``self.state`` holds what was done)."""
        now = self.clock()
        decision = self.policy.open(self.page, now=now, code=new_code(), token=new_token())
        self._take(decision.state, decision.actions)
        next_poll = now + self.poll_interval
        while True:
            self._act()
            state = self._current()
            now = self.clock()
            if state.phase != Phase.ESCALATING or (until is not None and now >= until):
                return state
            due = [moment for moment in (state.wake_at, next_poll, until) if moment is not None]
            self.sleep(max(0.0, min(due) - now))
            if self.clock() >= next_poll:
                self._poll_replies()
                self._poll_statuses()
                next_poll = self.clock() + self.poll_interval
            wake_at = self._current().wake_at
            if wake_at is not None and self.clock() >= wake_at:
                self._decide(Tick())

    # -- the policy's side ----------------------------------------------------------------------

    def _current(self) -> PageState:
        if self.state is None:  # pragma: no cover - run() opens the page first
            raise RuntimeError("the page is not open")
        return self.state

    def _take(self, state: PageState, actions: list[Any]) -> None:
        self.state = state
        self._pending.extend(a for a in actions if isinstance(a, (Send, QueryStatus)))

    def _decide(self, event: Event) -> None:
        decision = self.policy.decide(self._current(), event, now=self.clock())
        self._take(decision.state, decision.actions)

    def _act(self) -> None:
        """Carry out the actions the decisions asked for, each answer decided at once (a
        failed send may ask for the call right away)."""
        while self._pending:
            action = self._pending.pop(0)
            if isinstance(action, Send):
                self._decide(self._send(action))
            else:
                self._decide(self._query(action))

    # -- requests -------------------------------------------------------------------------------

    def _scrub(self, exc: Exception) -> str:
        text = str(exc) if isinstance(exc, SmscError) else f"{type(exc).__name__}: {exc}"
        return redact(text, self.connection.secrets)

    def _send(self, action: Send) -> SendOutcome:
        message_id = action.record.message_id
        try:
            result = execute(send_message(action.message), self.connection)
        except SmscError as exc:
            sent = Outcome.UNCERTAIN if exc.may_have_been_sent else Outcome.NOT_SENT
            return SendOutcome(message_id, sent, detail=self._scrub(exc))
        except Exception as exc:  # noqa: BLE001 - unknown: the request may have gone out
            return SendOutcome(message_id, Outcome.UNCERTAIN, detail=self._scrub(exc))
        return SendOutcome(message_id, Outcome.SENT, cost=result.cost, count=result.count)

    def _query(self, action: QueryStatus) -> Event:
        try:
            info = execute(status(action.message_id, action.phone), self.connection)
        except Exception as exc:  # noqa: BLE001 - the decision goes ahead without the answer
            detail = self._scrub(exc)
            return StatusUnavailable(action.message_id, detail, asked_at=action.asked_at)
        return StatusKnown(
            action.message_id, int(info.status), info.error, info.cost, action.asked_at
        )

    def _poll_statuses(self) -> None:
        """News of the page's messages whose delivery is not known yet (a failure calls at
        once); a refused or failed look changes nothing."""
        for record in self._current().messages:
            if record.purpose not in Purpose.ESCALATION or record.outcome not in _FOLLOWED:
                continue
            asked = self._looked_at.get(record.message_id)
            if record.status not in _UNSETTLED or (asked and self.clock() < asked + STATUS_POLL):
                continue
            self._looked_at[record.message_id] = self.clock()
            try:
                info = execute(status(record.message_id, record.phone), self._polls)
            except Exception:  # noqa: BLE001, S112 - the policy asks again at its deadline
                continue
            self._decide(StatusKnown(record.message_id, int(info.status), info.error, info.cost))

    def _poll_replies(self) -> None:
        """Replies since the last poll (the first looks back an hour: an old "ack" is older
        than the page's messages and acknowledges nothing)."""
        if self._after_id is None:
            operation = incoming(hour=1)
        else:
            operation = incoming(after_id=self._after_id)
        try:
            replies = execute(operation, self._polls)
        except Exception as exc:  # noqa: BLE001 - the next poll asks again
            self.poll_errors.append(self._scrub(exc))
            return
        for reply in sorted(replies, key=lambda item: item.id):
            self._after_id = max(self._after_id or 0, reply.id)
            moment = reply.received_at or reply.sent_at
            received = None if moment is None else moment.timestamp()
            keys = route_reply([self._current()], reply.phone, reply.text, received_at=received)
            if keys:
                self._decide(Acknowledge(via="reply", phone=reply.phone))


# --- results -------------------------------------------------------------------------------------


def _stamp(moment: float | None) -> str | None:
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, timezone.utc).isoformat()


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def message_dict(record: Outgoing) -> dict[str, Any]:
    """One message or call of a page, as results show it."""
    meaning = None
    if record.status is not None:
        try:
            meaning = MessageStatus(record.status).meaning
        except ValueError:
            meaning = f"status {record.status}"
    return {
        "id": record.message_id,
        "contact": record.contact or None,
        "phone": record.phone,
        "kind": record.kind,
        "purpose": record.purpose,
        "outcome": _OUTCOMES.get(record.outcome, "may_have_been_sent"),
        "status": record.status,
        "status_meaning": meaning,
        "error": record.error or None,
        "error_meaning": status_error_meaning(record.error) if record.error else None,
        "cost": _money(record.cost),
        "at": _stamp(record.intended_at),
        "detail": record.detail or None,
    }


def outcome_of(state: PageState) -> str:
    """The page as one send: ``sent`` when a message or call went out, ``may_have_been_sent``
    when none surely did but one may have, ``not_sent`` when nothing left."""
    outcomes = {_OUTCOMES.get(m.outcome, "may_have_been_sent") for m in state.messages}
    for candidate in ("sent", "may_have_been_sent"):
        if candidate in outcomes:
            return candidate
    return "not_sent"


def page_result(state: PageState) -> dict[str, Any]:
    """What a page did, for a module's result or a callback's message: who acknowledged, when
    and how, what it cost, and every message with its outcome."""
    page_report = report(state)
    return {
        "key": state.key,
        "code": state.code,
        "phase": state.phase,
        "reason": page_report.reason,
        "acknowledged": page_report.acknowledged,
        "acknowledged_by": state.acknowledged_by,
        "acknowledged_via": state.acknowledged_via,
        "acknowledged_at": _stamp(state.acknowledged_at),
        "created_at": _stamp(state.created_at),
        "ended_at": _stamp(state.ended_at),
        "reached": list(page_report.reached),
        "passed_over": list(page_report.skipped),  # "skipped" would mark the task skipped
        "calls": page_report.calls,
        "cost": float(state.spent),
        "outcome": outcome_of(state),
        "messages": [message_dict(m) for m in state.messages],
    }
