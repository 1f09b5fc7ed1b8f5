# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What a page is (:class:`Page`: a key, a text, a chain of :class:`Contact`, an
:class:`Escalation`) and the plain value that records where it is (:class:`PageState`).

Everything here is a frozen dataclass of strings, numbers and tuples: a state is copied, compared
and stored as is (:func:`state_to_dict` / :func:`state_from_dict` give its JSON form), so a
restarted runner resumes every page exactly where it was.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, Union, cast

from .. import phones
from ..errors import ValidationError
from ..models import DialParams, MessageKind, MessageStatus
from ..protocol.checks import check_dial, check_sender, check_voice

__all__ = [
    "DELIVERED_STATUSES",
    "FAILED_STATUSES",
    "REPLY_ONLY_TEXTS",
    "Contact",
    "Escalation",
    "Outcome",
    "Outgoing",
    "Page",
    "PageState",
    "PageTexts",
    "Phase",
    "Purpose",
    "QuietHours",
    "Turn",
    "evolve",
    "is_delivered",
    "is_failed",
    "is_settled",
    "parse_duration",
    "same_phone",
    "seconds",
    "state_from_dict",
    "state_to_dict",
    "utc",
]

# Seconds, a timedelta, or text such as "2m" (see parse_duration).
Duration = Union[float, int, timedelta, str]
T = TypeVar("T")


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m|min|s|sec)?", re.IGNORECASE)
_DURATION = re.compile(r"(?:\s*\d+(?:\.\d+)?\s*(?:h|m|min|s|sec)?)+\s*", re.IGNORECASE)
_UNIT_SECONDS = {"h": 3600, "m": 60, "min": 60, "s": 1, "sec": 1, None: 1}


def _at_least(value: float, low: float) -> bool:
    """``value >= low``, false for NaN."""
    return value >= low


def parse_duration(text: str, field_name: str = "duration") -> float:
    """Seconds in ``"90"``, ``"90s"``, ``"2m"``, ``"2 min"``, ``"1h30m"`` (what configuration
    files and command lines write)."""
    if not isinstance(text, str) or not text.strip() or not _DURATION.fullmatch(text):
        raise ValidationError(field_name, "must be a duration such as 90s, 2m or 1h30m")
    return float(
        sum(
            float(number) * _UNIT_SECONDS[unit.lower() if unit else None]
            for number, unit in _DURATION_PART.findall(text)
        )
    )


def _seconds(value: Duration | str, name: str, *, low: float = 0.0) -> float:
    if isinstance(value, str):
        value = parse_duration(value, name)
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _at_least(value, low):
        raise ValidationError(name, f"must be a number of seconds of at least {low:g}")
    return float(value)


def _optional_seconds(value: Duration | str | None, name: str) -> float | None:
    return None if value is None else _seconds(value, name, low=1.0)


def seconds(value: Duration) -> float:
    """A duration field of :class:`Escalation` (stored as seconds once checked)."""
    if isinstance(value, str):
        return parse_duration(value)
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Phase:
    """Where a page is. Only ``ESCALATING`` sends alerts; the others wait for a resolution
    (which sends the "resolved" messages) and ``RESOLVED`` is the end."""

    ESCALATING = "escalating"
    ACKNOWLEDGED = "acknowledged"  # someone acknowledged
    DELIVERED = "delivered"  # acknowledgement not asked for, and the alert was delivered
    EXHAUSTED = "exhausted"  # the chain ended and nobody acknowledged
    STOPPED = "stopped"  # the cost cap stopped it
    RESOLVED = "resolved"  # the alert resolved (or the page was closed)


_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def _time_of_day(value: str | time, name: str) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    match = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValidationError(name, "must be a time of day such as 23:00")
    return time(int(match.group(1)), int(match.group(2)))


def _zone(name: str, field_name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            field_name, f"{name!r} is not a time zone such as Europe/Moscow"
        ) from None


@dataclass(frozen=True)
class QuietHours:
    """Hours a contact is not to be woken, in their time zone: ``QuietHours("23:00", "07:00",
    "Europe/Moscow")`` (a window may cross midnight; equal ends mean none)."""

    start: str | time
    end: str | time
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _time_of_day(self.start, "quiet_hours.start"))
        object.__setattr__(self, "end", _time_of_day(self.end, "quiet_hours.end"))
        _zone(self.timezone, "quiet_hours.timezone")

    @classmethod
    def parse(cls, text: str, timezone: str = "UTC") -> QuietHours:
        """``"23:00-07:00"``."""
        start, dash, end = text.partition("-")
        if not dash:
            raise ValidationError("quiet_hours", "must be two times such as 23:00-07:00")
        return cls(start, end, timezone)

    def active(self, moment: float) -> bool:
        """Whether the Unix time ``moment`` falls in the quiet hours."""
        local = datetime.fromtimestamp(moment, _zone(self.timezone, "quiet_hours.timezone"))
        now = local.time().replace(second=0, microsecond=0, tzinfo=None)
        start, end = cast(time, self.start), cast(time, self.end)  # times once checked
        if start == end:
            return False
        if start < end:
            return start <= now < end
        return now >= start or now < end

    def __str__(self) -> str:
        start, end = cast(time, self.start), cast(time, self.end)
        return f"{start:%H:%M}-{end:%H:%M} {self.timezone}"


@dataclass(frozen=True)
class Contact:
    """A person in a chain: ``name`` (how they are reported), ``phone``, optional quiet hours."""

    name: str
    phone: str
    quiet_hours: QuietHours | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 64:
            raise ValidationError("contacts.name", "must be 1-64 characters")
        numbers = phones.parse(self.phone, field=f"contacts.{self.name}.phone")
        if len(numbers) != 1 or phones.is_group(numbers[0]):
            raise ValidationError(f"contacts.{self.name}.phone", "must be one phone number")
        object.__setattr__(self, "phone", numbers[0])


def same_phone(a: str, b: str) -> bool:
    """Whether two numbers are one: the service writes them without ``+``."""
    return phones.normalize_phone(a).lstrip("+") == phones.normalize_phone(b).lstrip("+")


@dataclass(frozen=True)
class PageTexts:
    """The words a page uses; ``{text}`` is the alert, ``{code}`` the page's short code,
    ``{name}`` who acknowledged, ``{duration}`` how long the page was open ("12 min").

    ``alert`` is the SMS (and Viber) message; the ``call_*`` texts are spoken by the voice
    menu; ``acknowledged``, ``resolved`` and ``nobody`` are the closing messages.
    """

    alert: str = "ALERT {code}: {text}\nReply {code} to acknowledge"
    call_start: str = "Alert."
    call_menu: str = (
        "{text}. Press 1 to acknowledge, 2 to pass to the next person, hash to hear this again."
    )
    call_acknowledged: str = "Acknowledged. Thank you."
    call_passed: str = "Passed to the next person. Goodbye."
    acknowledged: str = "{code} acknowledged by {name}: {text}"
    resolved: str = "RESOLVED {code} after {duration}: {text}"
    nobody: str = "NOBODY ACKNOWLEDGED {code} in {duration}: {text}"

    def __post_init__(self) -> None:
        sample = {"text": "", "code": "", "name": "", "duration": ""}
        for item in fields(self):
            template = getattr(self, item.name)
            if not isinstance(template, str):
                raise ValidationError(f"texts.{item.name}", "must be a string")
            try:
                template.format(**sample)
            except (KeyError, IndexError, ValueError) as exc:
                raise ValidationError(
                    f"texts.{item.name}",
                    f"may use only {{text}}, {{code}}, {{name}} and {{duration}} ({exc})",
                ) from None
        if "{text}" not in self.alert:
            raise ValidationError("texts.alert", "must contain {text}")


# The words of a page whose runner hears replies but no key presses (no handler URL the service
# can call): the call asks for a reply instead of offering keys, and a key pressed anyway says
# so rather than "Acknowledged".
REPLY_ONLY_TEXTS = PageTexts(
    call_menu=(
        "{text}. To acknowledge, reply {code} by text message. Press hash to hear this again."
    ),
    call_acknowledged="Key presses do not reach the system. Reply {code} by text message.",
    call_passed="Key presses do not reach the system. Reply {code} by text message.",
)

# Calls ring 35 s (the service's longest), twice, a minute apart.
PAGING_DIAL = DialParams(wait=35, interval=60, attempts=2)


@dataclass(frozen=True)
class Escalation:
    """How a page escalates. Every step is optional.

    ``channel``: the first message to each contact: ``"sms"``, ``"viber"`` (followed by an SMS
    when not delivered within ``viber_fallback_after`` or refused) or ``None`` (call at once).
    ``deliver_within``: a message not delivered in this time is followed by a call (or the next
    contact, when ``call`` is False). ``ack_within``: likewise without an acknowledgement;
    ``None`` means no acknowledgement is asked for: the page ends once delivered.
    ``answer_within``: after calling, the time to press a key before the next contact.
    ``rounds``: how many times to go through the chain. ``max_parts``: SMS parts a message
    may take (the text is shortened, then transliterated, then cut). ``max_cost``: a cap on
    what the page may spend (the service's reported costs). ``report_to``: numbers told when
    nobody acknowledged. ``notify_acknowledged`` / ``notify_resolved``: tell everyone reached
    who acknowledged / that the alert resolved.
    """

    channel: str | None = "sms"
    deliver_within: Duration | None = 120.0
    ack_within: Duration | None = 300.0
    call: bool = True
    answer_within: Duration = 180.0
    viber_fallback_after: Duration = 60.0
    rounds: int = 1
    max_parts: int = 2
    max_cost: Decimal | str | None = None
    sender: str | None = None
    call_sender: str | None = None
    voice: str | None = None
    dial: DialParams | None = PAGING_DIAL
    notify_acknowledged: bool = True
    notify_resolved: bool = True
    report_to: Sequence[str] = ()
    texts: PageTexts = PageTexts()

    def __post_init__(self) -> None:
        if self.channel not in ("sms", "viber", None):
            raise ValidationError("escalation.channel", "must be 'sms', 'viber' or None")
        if not isinstance(self.call, bool):
            raise ValidationError("escalation.call", "must be true or false")
        if self.channel is None and not self.call:
            raise ValidationError("escalation", "needs a channel, a call, or both")
        set_ = object.__setattr__
        set_(self, "deliver_within", _optional_seconds(self.deliver_within, "deliver_within"))
        set_(self, "ack_within", _optional_seconds(self.ack_within, "ack_within"))
        set_(self, "answer_within", _seconds(self.answer_within, "answer_within", low=10.0))
        set_(
            self,
            "viber_fallback_after",
            _seconds(self.viber_fallback_after, "viber_fallback_after", low=1.0),
        )
        if isinstance(self.rounds, bool) or not isinstance(self.rounds, int) or self.rounds < 1:
            raise ValidationError("escalation.rounds", "must be a positive integer")
        parts = self.max_parts
        whole = isinstance(parts, int) and not isinstance(parts, bool)
        if not (whole and 1 <= parts <= 10):
            raise ValidationError("escalation.max_parts", "must be an integer from 1 to 10")
        if self.max_cost is not None:
            try:
                cost = Decimal(str(self.max_cost))
            except InvalidOperation:
                cost = Decimal(-1)
            if not cost.is_finite() or cost <= 0:
                raise ValidationError("escalation.max_cost", "must be a positive amount")
            set_(self, "max_cost", cost)
        if self.sender is not None:
            check_sender(self.sender, MessageKind.SMS, "escalation.sender")
        if self.call_sender is not None:
            check_sender(self.call_sender, MessageKind.CALL, "escalation.call_sender")
        if self.voice is not None:
            check_voice(self.voice)
        if self.dial is not None:
            check_dial(self.dial)
        report_to = [self.report_to] if isinstance(self.report_to, str) else self.report_to
        numbers = tuple(
            phones.parse(number, field="escalation.report_to")[0] for number in report_to
        )
        set_(self, "report_to", numbers)

    @property
    def asks_ack(self) -> bool:
        return self.ack_within is not None

    @property
    def cost_cap(self) -> Decimal | None:
        return None if self.max_cost is None else Decimal(str(self.max_cost))


@dataclass(frozen=True)
class Page:
    """A page: ``key`` identifies it (a second page with an open key updates the first),
    ``text`` is the alert (untrusted: it is neutralised before sending), ``contacts`` the
    chain in order, ``escalation`` how it escalates."""

    key: str
    text: str
    contacts: Sequence[Contact]
    escalation: Escalation = Escalation()

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key.strip() or len(self.key) > 512:
            raise ValidationError("key", "must be 1-512 characters")
        if not isinstance(self.text, str) or not self.text.strip():
            raise ValidationError("text", "must not be empty")
        contacts = tuple(self.contacts)
        if not contacts:
            raise ValidationError("contacts", "a page needs at least one contact")
        names = [contact.name for contact in contacts]
        if len(set(names)) != len(names):
            raise ValidationError("contacts", "contact names must be unique in a chain")
        object.__setattr__(self, "contacts", contacts)

    def contact_for(self, phone: str) -> Contact | None:
        for contact in self.contacts:
            if same_phone(contact.phone, phone):
                return contact
        return None


class Purpose:
    """Why a message was sent."""

    ALERT = "alert"  # the first message to a contact (SMS or Viber)
    FALLBACK = "fallback"  # the SMS after a Viber message that did not arrive
    CALL = "call"  # the call with the voice menu
    ACKNOWLEDGED = "acknowledged"  # "acknowledged by ..." to the others reached
    RESOLVED = "resolved"
    NOBODY = "nobody"  # "nobody acknowledged" to report_to

    ESCALATION = frozenset({ALERT, FALLBACK, CALL})


class Outcome:
    """What became of a send request (the three outcomes, plus not yet known)."""

    INTENDED = "intended"  # recorded before the request; not known to have gone out
    SENT = "sent"
    NOT_SENT = "not_sent"  # surely not sent
    UNCERTAIN = "uncertain"  # may have been sent: never sent again


@dataclass(frozen=True)
class Outgoing:
    """One message (or call) of a page, recorded before it is sent."""

    message_id: str
    phone: str
    contact: str  # the contact's name; "" for report_to numbers
    kind: str  # sms, viber or call
    purpose: str
    text: str
    intended_at: float
    outcome: str = Outcome.INTENDED
    attempts: int = 1
    status: int | None = None
    error: int = 0
    cost: Decimal | None = None
    count: int | None = None
    known_at: float | None = None  # the last time its status was learnt (or asked in vain)
    asked_at: float | None = None  # a status query under way since
    missing_at: float | None = None  # when the service last said it does not know the id
    verify: bool = False  # an intent found after a restart: ask the service before resending
    detail: str = ""


# Statuses that settle a message: it arrived (a call: was answered), or it never will.
DELIVERED_STATUSES = frozenset({MessageStatus.DELIVERED, MessageStatus.READ, MessageStatus.CLICKED})
FAILED_STATUSES = frozenset(status for status in MessageStatus if status.is_failure)
# Phases an acknowledgement still changes (a late one is worth knowing).


def is_delivered(record: Outgoing) -> bool:
    """The message was delivered (a call: answered)."""
    return record.status in DELIVERED_STATUSES


def is_failed(record: Outgoing) -> bool:
    """The message surely was not sent, or the service gave up delivering it."""
    return record.outcome == Outcome.NOT_SENT or record.status in FAILED_STATUSES


def is_settled(record: Outgoing) -> bool:
    """Its delivery is decided one way or the other."""
    return is_delivered(record) or is_failed(record)


@dataclass(frozen=True)
class Turn:
    """The contact being paged: ``step`` is ``notify`` (messages) or ``call``."""

    contact: int
    round: int
    started_at: float
    step: str = "notify"
    notices: tuple[str, ...] = ()  # message ids of the alert and its fallback
    call_id: str | None = None
    call_at: float | None = None
    passed: bool = False


@dataclass(frozen=True)
class PageState:
    """Everything known about one page; a plain value the policy replaces on every event."""

    page: Page
    code: str
    token: str
    created_at: float
    phase: str = Phase.ESCALATING
    turn: Turn | None = None
    messages: tuple[Outgoing, ...] = ()
    skipped: tuple[str, ...] = ()  # contacts passed over for their quiet hours
    acknowledged_by: str | None = None
    acknowledged_via: str | None = None
    acknowledged_at: float | None = None
    resolved_at: float | None = None
    ended_at: float | None = None
    reason: str = ""
    wake_at: float | None = None

    @property
    def key(self) -> str:
        return self.page.key

    @property
    def open(self) -> bool:
        return self.phase != Phase.RESOLVED

    def message(self, message_id: str) -> Outgoing | None:
        for outgoing in self.messages:
            if outgoing.message_id == message_id:
                return outgoing
        return None

    def with_message(self, outgoing: Outgoing) -> PageState:
        """This state with ``outgoing`` replacing the record of the same id (or added)."""
        kept = tuple(m for m in self.messages if m.message_id != outgoing.message_id)
        if len(kept) == len(self.messages):
            return evolve(self, messages=(*self.messages, outgoing))
        return evolve(
            self,
            messages=tuple(
                outgoing if m.message_id == outgoing.message_id else m for m in self.messages
            ),
        )

    @property
    def spent(self) -> Decimal:
        """What the page's messages cost, as the service reported."""
        return sum((m.cost for m in self.messages if m.cost is not None), Decimal(0))


def evolve(value: T, **changes: Any) -> T:
    """``dataclasses.replace`` for the state's own records (no ``__post_init__`` to run): a
    copy of the instance dictionary, several times faster, which the policy does on every
    event."""
    new = object.__new__(type(value))
    new.__dict__.update(value.__dict__)
    new.__dict__.update(changes)
    return new


# --- JSON form -------------------------------------------------------------------------------

_FORMAT = 1


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def _page_plain(page: Page) -> Any:
    """The page's JSON form, computed once per page (a page never changes; a state is stored
    after every event)."""
    cached = page.__dict__.get("_plain")
    if cached is None:
        cached = _plain(page)
        object.__setattr__(page, "_plain", cached)
    return cached


def _outgoing_plain(record: Outgoing) -> dict[str, Any]:
    data = dict(record.__dict__)
    if record.cost is not None:
        data["cost"] = str(record.cost)
    return data


def state_to_dict(state: PageState) -> dict[str, Any]:
    """The JSON-ready form of a state (strings, numbers, lists, objects)."""
    data = dict(state.__dict__)
    data["page"] = _page_plain(state.page)
    data["turn"] = None if state.turn is None else _plain(state.turn)
    data["messages"] = [_outgoing_plain(m) for m in state.messages]
    data["skipped"] = list(state.skipped)
    data["format"] = _FORMAT
    return data


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def state_from_dict(data: Mapping[str, Any]) -> PageState:
    """The state :func:`state_to_dict` wrote."""
    if data.get("format") != _FORMAT:
        raise ValidationError("state", f"unknown state format {data.get('format')!r}")
    page = data["page"]
    esc = dict(page["escalation"])
    esc["texts"] = PageTexts(**esc["texts"])
    esc["dial"] = None if esc.get("dial") is None else DialParams(**esc["dial"])
    esc["report_to"] = tuple(esc.get("report_to", ()))
    contacts = tuple(
        Contact(
            c["name"],
            c["phone"],
            None if c.get("quiet_hours") is None else QuietHours(**c["quiet_hours"]),
        )
        for c in page["contacts"]
    )
    turn = data.get("turn")
    return PageState(
        page=Page(page["key"], page["text"], contacts, Escalation(**esc)),
        code=data["code"],
        token=data["token"],
        created_at=float(data["created_at"]),
        phase=data["phase"],
        turn=None
        if turn is None
        else Turn(
            **{
                **turn,
                "notices": tuple(turn.get("notices", ())),
            }
        ),
        messages=tuple(
            Outgoing(**{**m, "cost": _decimal(m.get("cost"))}) for m in data.get("messages", ())
        ),
        skipped=tuple(data.get("skipped", ())),
        acknowledged_by=data.get("acknowledged_by"),
        acknowledged_via=data.get("acknowledged_via"),
        acknowledged_at=data.get("acknowledged_at"),
        resolved_at=data.get("resolved_at"),
        ended_at=data.get("ended_at"),
        reason=data.get("reason", ""),
        wake_at=data.get("wake_at"),
    )


def utc(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, timezone.utc)
