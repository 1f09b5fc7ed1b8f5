# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What the policy is told (events) and what it asks for (actions).

Events carry facts: a send's outcome, a status learnt from any source, a key press, an
acknowledgement, a resolution, the passing of time, a restart. Actions are what a runner
does: send a message, ask status.php about one, tell whoever asked how the page ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Union

from ..protocol import Message
from .model import Outgoing, PageState, Phase, Purpose, is_failed, utc

__all__ = [
    "Acknowledge",
    "Action",
    "Event",
    "KeyPressed",
    "Notify",
    "PageReport",
    "QueryStatus",
    "Resolve",
    "Restarted",
    "Send",
    "SendOutcome",
    "StatusKnown",
    "StatusUnavailable",
    "Tick",
    "UpdateText",
    "report",
]


# --- events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendOutcome:
    """What became of a :class:`Send`: ``outcome`` is ``sent``, ``not_sent`` (surely) or
    ``uncertain`` (may have been sent). ``capped``: refused by the runner's hourly cost cap."""

    message_id: str
    outcome: str
    cost: Decimal | None = None
    count: int | None = None
    detail: str = ""
    capped: bool = False


@dataclass(frozen=True)
class StatusKnown:
    """The service's status of a message (status.php, its callback, or an SMPP receipt).
    ``asked_at``: for the answer to a :class:`QueryStatus`, the time it was asked (the answer
    is no older than that)."""

    message_id: str
    status: int
    error: int = 0
    cost: Decimal | None = None
    asked_at: float | None = None


@dataclass(frozen=True)
class StatusUnavailable:
    """A status query failed (the decision then goes ahead without it)."""

    message_id: str
    detail: str = ""
    asked_at: float | None = None


@dataclass(frozen=True)
class KeyPressed:
    """A key pressed in the voice menu of one of the page's calls."""

    message_id: str
    key: str


@dataclass(frozen=True)
class Acknowledge:
    """An acknowledgement: by a reply from ``phone``, or through the API by ``by``."""

    by: str = ""
    via: str = "api"
    phone: str = ""


@dataclass(frozen=True)
class Resolve:
    """The alert resolved (or the page is closed by hand)."""


@dataclass(frozen=True)
class UpdateText:
    """A newer text for the same alert: later messages of the page carry it."""

    text: str


@dataclass(frozen=True)
class Tick:
    """Time passed (the runner wakes the policy at ``state.wake_at``)."""


@dataclass(frozen=True)
class Restarted:
    """The state was loaded after a restart: sends under way may or may not have gone out."""


Event = Union[
    SendOutcome,
    StatusKnown,
    StatusUnavailable,
    KeyPressed,
    Acknowledge,
    Resolve,
    UpdateText,
    Tick,
    Restarted,
]


# --- actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Send:
    """Send ``message`` (its ``message_id`` is ``record.message_id``); the state already holds
    ``record`` as intended. Answer with :class:`SendOutcome`."""

    key: str
    record: Outgoing
    message: Message


@dataclass(frozen=True)
class QueryStatus:
    """Ask status.php about a message; answer with :class:`StatusKnown` or
    :class:`StatusUnavailable` carrying ``asked_at``."""

    key: str
    message_id: str
    phone: str
    asked_at: float


@dataclass(frozen=True)
class PageReport:
    """How a page stands, for whoever asked: ``phase`` and ``reason`` in words, who
    acknowledged (and how, and when), who was reached, what it cost."""

    key: str
    code: str
    phase: str
    reason: str
    created_at: datetime
    ended_at: datetime | None
    acknowledged_by: str | None
    acknowledged_via: str | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    reached: tuple[str, ...]
    skipped: tuple[str, ...]
    messages: int
    calls: int
    cost: Decimal

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times in ISO 8601 (UTC), the cost as a string, lists for tuples."""
        out = {name: _json_value(value) for name, value in self.__dict__.items()}
        out["acknowledged"] = self.acknowledged
        return out


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True)
class Notify:
    """Tell whoever asked for the page how it stands (it changed phase)."""

    key: str
    report: PageReport


Action = Union[Send, QueryStatus, Notify]


def report(state: PageState) -> PageReport:
    """The report of a state."""
    # Reached: a message of the escalation that may have arrived (not known to have failed).
    escalation = [m for m in state.messages if m.purpose in Purpose.ESCALATION and not is_failed(m)]
    reached: list[str] = []
    for m in escalation:
        if m.contact and m.contact not in reached:
            reached.append(m.contact)
    return PageReport(
        key=state.key,
        code=state.code,
        phase=state.phase,
        reason=state.reason or ("paging" if state.phase == Phase.ESCALATING else state.phase),
        created_at=utc(state.created_at),
        ended_at=None if state.ended_at is None else utc(state.ended_at),
        acknowledged_by=state.acknowledged_by,
        acknowledged_via=state.acknowledged_via,
        acknowledged_at=None if state.acknowledged_at is None else utc(state.acknowledged_at),
        resolved_at=None if state.resolved_at is None else utc(state.resolved_at),
        reached=tuple(reached),
        skipped=state.skipped,
        messages=sum(1 for m in state.messages if m.kind != "call" and m.outcome != "not_sent"),
        calls=sum(1 for m in state.messages if m.kind == "call" and m.outcome != "not_sent"),
        cost=state.spent,
    )
