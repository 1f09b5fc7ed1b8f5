# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What the emulated account holds: messages and their recipients, templates, sender names,
operator templates, task groups, contact groups, incoming messages, and the events the state
emits (for the SMPP side and any other listener)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Union

from .codes import MESSAGE_TYPE_FLAGS, MessageId, Status
from .phones import Route

if TYPE_CHECKING:
    from .menu import VoiceMenu

__all__ = [
    "Attachment",
    "CallSession",
    "ContactGroup",
    "EmulatorEvent",
    "IncomingMessage",
    "IncomingReceived",
    "Message",
    "MessageId",
    "OperatorTemplate",
    "PingEvent",
    "Recipient",
    "Sender",
    "StatusChanged",
    "TaskGroup",
    "Template",
    "money",
]

CENT = Decimal("0.01")


def money(value: Decimal) -> str:
    """Money as the service writes it: two decimals (``"1.40"``)."""
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


@dataclass
class Attachment:
    """A file sent with a message (multipart body) or named by ``fileurl``."""

    name: str
    size: int
    content_type: str = ""
    url: str = ""
    data: bytes = field(default=b"", repr=False)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "size": self.size}
        if self.content_type:
            out["content_type"] = self.content_type
        if self.url:
            out["url"] = self.url
        return out


@dataclass
class CallSession:
    """Where a called subscriber is in the call's voice menu: ``position`` is the item whose
    sub-items the next key selects ("" the top), ``last`` the item chosen last (``0``
    repeats it), ``presses`` every key with what it did."""

    position: str = ""
    last: str = ""
    ended: bool = False
    presses: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "ended": self.ended,
            "presses": list(self.presses),
        }


@dataclass
class Recipient:
    """One destination of a message and its delivery status.

    ``phone`` is the normalized number (or e-mail address) the service uses; ``given`` is what
    the client wrote. ``pending`` holds the status changes still to come, as
    ``(due time, status, err)`` in time order.
    """

    phone: str
    given: str
    status: int
    err: int
    parts: int
    cost: Decimal
    last_change: float
    route: Route | None = None
    pending: list[tuple[float, int, int]] = field(default_factory=list)
    call: CallSession | None = None

    @property
    def mccmnc(self) -> str:
        return self.route.mccmnc if self.route else ""

    @property
    def final(self) -> bool:
        return not self.pending

    def as_json(self) -> dict[str, Any]:
        return {
            "phone": self.phone,
            "given": self.given,
            "status": self.status,
            "err": self.err,
            "parts": self.parts,
            "cost": money(self.cost),
            "mccmnc": self.mccmnc,
            "last_timestamp": int(self.last_change),
            "pending": [
                {"at": due, "status": status, "err": err} for due, status, err in self.pending
            ],
            "call": self.call.as_json() if self.call is not None else None,
        }


@dataclass
class Message:
    """A message as the account's history shows it. Several messages share an ``id`` when a
    ``list`` request sends different texts (one per line) under one id; ``seq`` is unique."""

    seq: int
    id: MessageId
    login: str
    kind: str
    source: str
    text: str
    comment: str
    sender: str
    parts: int
    created: float
    send_time: float
    tz: int
    recipients: list[Recipient]
    subject: str = ""
    files: list[Attachment] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    registered_delivery: bool = False
    encoding: str = ""
    menu: VoiceMenu | None = None

    @property
    def cost(self) -> Decimal:
        return sum((r.cost for r in self.recipients), Decimal("0"))

    @property
    def flag(self) -> int:
        """The service's message flag: the message type in bits 0-3."""
        return MESSAGE_TYPE_FLAGS.get(self.kind, 0)

    def recipient(self, phone: str) -> Recipient | None:
        for recipient in self.recipients:
            if recipient.phone == phone:
                return recipient
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "id": self.id,
            "login": self.login,
            "kind": self.kind,
            "source": self.source,
            "text": self.text,
            "comment": self.comment,
            "sender": self.sender,
            "subject": self.subject,
            "parts": self.parts,
            "cost": money(self.cost),
            "encoding": self.encoding,
            "created": self.created,
            "send_time": self.send_time,
            "tz": self.tz,
            "registered_delivery": self.registered_delivery,
            "files": [f.as_json() for f in self.files],
            "options": dict(self.options),
            "menu": self.menu.as_json() if self.menu is not None else None,
            "phones": [r.as_json() for r in self.recipients],
        }


@dataclass
class Template:
    """A message template (templates.php)."""

    id: int
    name: str
    message: str
    format: str = ""
    sender: str = ""
    flag: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "format": self.format,
            "sender": self.sender,
            "flag": self.flag,
            "message": self.message,
        }


# Per-operator registration of a sender name, in the order senders.php fmt=0 lists them.
SENDER_OPERATORS = (
    "mega_step",
    "bee_step",
    "motiv_step",
    "sber_step",
    "mts_step",
    "tele2_step",
    "tele2",
    "motiv",
    "ua_reg",
    "ua_int",
    "mega_int",
    "motiv_int",
    "mts_int",
)


@dataclass
class Sender:
    """A sender name (senders.php). ``status``: 0 waiting for moderation, 1 allowed,
    2 disabled. Numeric names are confirmed with a code sent to the number."""

    id: int
    name: str
    status: int
    comment: str = ""
    operators: dict[str, int] = field(default_factory=dict)
    code: str | None = None
    code_sent_at: float | None = None

    @property
    def numeric(self) -> bool:
        return self.name.isdigit()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sender": self.name,
            "status": self.status,
            "comment": self.comment,
            "operators": dict(self.operators),
            "code_sent_at": self.code_sent_at,
        }


# Operator and message type of an operator template, as op_templates.php names them.
TEMPLATE_OPERATORS = (
    "mts_srv",
    "mts_trn",
    "mega_srv",
    "mega_auth",
    "mega_trn",
    "bee_srv",
    "bee_trn",
    "tele2_srv",
    "tele2_trn",
    "soc",
)


@dataclass
class OperatorTemplate:
    """A service/transactional template registered with one operator (op_templates.php).
    ``status``: 0 awaiting registration, 1 sent, 2 accepted, 3 refused, 4 disabled."""

    id: int
    operator: str
    sender: str
    message: str
    status: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operator": self.operator,
            "sender": self.sender,
            "message": self.message,
            "status": self.status,
        }


@dataclass
class TaskGroup:
    """A monitoring task group (ping.php): who is told, and with which texts.

    The texts may hold the macros ``{NAME}``, ``{HOST}`` and ``{INFO}``. ``contacts`` are phone
    numbers (sent an SMS) and e-mail addresses (sent an e-mail).
    """

    id: int
    name: str
    contacts: list[str]
    fail_text: str = "{NAME} {HOST}: failure. {INFO}"
    ok_text: str = "{NAME} {HOST}: recovered. {INFO}"
    sender: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "contacts": list(self.contacts),
            "fail_text": self.fail_text,
            "ok_text": self.ok_text,
            "sender": self.sender,
        }


@dataclass
class ContactGroup:
    """A group of numbers that ``G<number>`` in ``phones`` expands to."""

    number: int
    phones: list[str]
    name: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "phones": list(self.phones)}


@dataclass
class IncomingMessage:
    """An SMS a subscriber sent to one of the account's numbers."""

    id: int
    login: str
    phone: str
    to: str
    text: str
    received: float

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "login": self.login,
            "phone": self.phone,
            "to": self.to,
            "text": self.text,
            "received": self.received,
        }


@dataclass
class PingEvent:
    """A successful ping.php call and the notifications it sent."""

    group_id: int
    name: str
    host: str
    info: str
    ok: bool
    time: float
    login: str
    message_seqs: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "group_id": self.group_id,
            "name": self.name,
            "host": self.host,
            "info": self.info,
            "ok": self.ok,
            "time": self.time,
            "login": self.login,
            "message_seqs": list(self.message_seqs),
        }


@dataclass(frozen=True)
class StatusChanged:
    """The status of (``message``, ``recipient``) became ``status`` with ``err`` at ``time``.

    ``final`` is True when no further change is scheduled (the SMPP side sends its delivery
    receipt then, or for every change if it wants intermediate receipts).
    """

    message: Message
    recipient: Recipient
    status: int
    err: int
    time: float

    @property
    def final(self) -> bool:
        return self.recipient.final and self.status not in (Status.WAITING, Status.PASSED)


@dataclass(frozen=True)
class IncomingReceived:
    """An incoming SMS arrived for the account (the SMPP side delivers it to receivers)."""

    message: IncomingMessage


EmulatorEvent = Union[StatusChanged, IncomingReceived]
