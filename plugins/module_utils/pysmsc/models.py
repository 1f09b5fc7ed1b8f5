# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Typed values the service deals in: message kinds, statuses, and the results of each endpoint.

Money is :class:`~decimal.Decimal` (the service answers "1.40"); message ids are strings, since
a client may choose ids like ``order-17`` and the service echoes them back.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal

__all__ = [
    "STATUS_ERRORS",
    "Balance",
    "BulkMessage",
    "BulkOutcome",
    "CostEstimate",
    "DialParams",
    "MessageKind",
    "MessageStatus",
    "OperatorTemplateStatus",
    "OperatorTemplateTarget",
    "ReceivedMessage",
    "RecipientResult",
    "SendResult",
    "Sender",
    "StatusInfo",
    "Template",
    "TemplateFormat",
    "Translit",
    "status_error_meaning",
]


class MessageKind(str, enum.Enum):
    """What is sent. Exactly one kind per message, so kinds can never be combined by mistake.

    The values are the names users write in every front end (the CLI's ``--kind``, Ansible's
    ``kind``, Home Assistant's ``kind``); the service's own flags (``mail=1``, ``bin=2``,
    ``soc=1``) are a detail of the protocol layer. The service's spellings are accepted as
    aliases, so ``MessageKind("mail") is MessageKind.EMAIL``.
    """

    SMS = "sms"
    FLASH = "flash"
    BINARY = "binary"
    PUSH = "push"
    HLR = "hlr"
    PING = "ping"
    MMS = "mms"
    EMAIL = "email"
    SOCIAL = "social"
    VIBER = "viber"
    WHATSAPP = "whatsapp"
    CALL = "call"
    # The member names of earlier releases.
    MAIL = "email"
    SOC = "social"

    @classmethod
    def _missing_(cls, value: object) -> MessageKind | None:
        if isinstance(value, str):
            name = value.strip().lower()
            name = _KIND_ALIASES.get(name, name)
            for kind in cls:
                if kind.value == name:
                    return kind
        return None


# Other spellings users may have written: the service's flags and earlier front ends' names.
_KIND_ALIASES = {"mail": "email", "e-mail": "email", "bin": "binary", "soc": "social"}


class Translit(enum.IntEnum):
    """The service's transliteration of Cyrillic text (``translit``)."""

    NONE = 0
    LATIN = 1  # "translate"
    LOOKALIKE = 2  # "mpaHc/Ium": Latin letters that look like Cyrillic ones


class MessageStatus(enum.IntEnum):
    """Delivery status codes of status.php (and of the service's HTTP callbacks)."""

    NOT_FOUND = -3
    STOPPED = -2
    WAITING = -1
    PASSED_TO_OPERATOR = 0
    DELIVERED = 1
    READ = 2
    EXPIRED = 3
    CLICKED = 4
    UNDELIVERABLE = 20
    INVALID_NUMBER = 22
    PROHIBITED = 23
    INSUFFICIENT_FUNDS = 24
    UNAVAILABLE_NUMBER = 25

    @property
    def is_final(self) -> bool:
        """No further change is expected (a delivered Viber message may still become READ)."""
        return self not in (MessageStatus.WAITING, MessageStatus.PASSED_TO_OPERATOR)

    @property
    def is_failure(self) -> bool:
        return self in _FAILURES

    @property
    def meaning(self) -> str:
        return _STATUS_MEANINGS[self]


_FAILURES = frozenset(
    {
        MessageStatus.NOT_FOUND,
        MessageStatus.STOPPED,
        MessageStatus.EXPIRED,
        MessageStatus.UNDELIVERABLE,
        MessageStatus.INVALID_NUMBER,
        MessageStatus.PROHIBITED,
        MessageStatus.INSUFFICIENT_FUNDS,
        MessageStatus.UNAVAILABLE_NUMBER,
    }
)

_STATUS_MEANINGS = {
    MessageStatus.NOT_FOUND: "message not found",
    MessageStatus.STOPPED: "stopped",
    MessageStatus.WAITING: "waiting to be sent",
    MessageStatus.PASSED_TO_OPERATOR: "passed to the operator",
    MessageStatus.DELIVERED: "delivered",
    MessageStatus.READ: "read",
    MessageStatus.EXPIRED: "expired",
    MessageStatus.CLICKED: "link clicked",
    MessageStatus.UNDELIVERABLE: "impossible to deliver",
    MessageStatus.INVALID_NUMBER: "invalid number",
    MessageStatus.PROHIBITED: "prohibited",
    MessageStatus.INSUFFICIENT_FUNDS: "insufficient funds",
    MessageStatus.UNAVAILABLE_NUMBER: "unavailable number",
}

# The ``err`` of a status: "Error codes in the status" of the service's SMPP page.
STATUS_ERRORS = {
    0: "no error",
    1: "the subscriber does not exist",
    6: "the subscriber is offline",
    11: "the service is not connected for the subscriber",
    12: "error in the subscriber's phone",
    13: "the subscriber is blocked",
    21: "the subscriber's device does not support the service",
    200: "virtual sending (test mode)",
    219: "SIM card replaced",
    220: "the operator's queue overflowed",
    224: "insufficient funds",
    237: "the subscriber did not answer",
    238: "no template",
    239: "forbidden IP address",
    240: "the subscriber is busy",
    241: "conversion error",
    242: "answering machine",
    243: "no contract",
    244: "mailing is prohibited",
    245: "status not received",
    246: "time limit",
    247: "message limit exceeded",
    248: "no route",
    249: "invalid number format",
    250: "number forbidden by the account settings",
    251: "limit exceeded for a single number",
    252: "number not permitted",
    253: "prohibited by the spam filter",
    254: "unregistered sender name",
    255: "rejected by the operator",
}

_MAIL_STATUS_ERRORS = {
    1: "the recipient does not exist",
    2: "the inbox is full",
    3: "the recipient's mail server was not found",
    4: "the mailbox is locked",
    249: "invalid address format",
    252: "e-mail address prohibited",
    254: "unregistered sender address",
    255: "rejected by the recipient's server",
}


def status_error_meaning(err: int, *, mail: bool = False) -> str:
    """Plain words for the ``err`` of a status (e-mail messages have their own table)."""
    if mail and err in _MAIL_STATUS_ERRORS:
        return _MAIL_STATUS_ERRORS[err]
    return STATUS_ERRORS.get(err, f"error {err}")


@dataclass(frozen=True)
class DialParams:
    """How a voice call is dialled (``param=wait,interval,attempts``).

    ``wait``: seconds the phone rings, 10-35; ``interval``: seconds between attempts, 10-3600;
    ``attempts``: 1-9. These are the service's operating ranges: it clamps other values or,
    outside 0-99 / 0-3600 / 0-9, silently uses its defaults for all three, so values outside
    them are refused here and what you ask for is what happens.
    """

    wait: int = 25
    interval: int = 10
    attempts: int = 8


@dataclass(frozen=True)
class BulkMessage:
    """One personalised message of a bulk send (a line of the ``list`` parameter)."""

    to: str
    text: str
    sender: str | None = None
    tz: int | None = None


@dataclass(frozen=True)
class BulkOutcome:
    """What became of one request of a bulk send.

    ``result`` when the service accepted it, ``error`` when it failed; neither when it was not
    attempted because an earlier request failed (so nothing was sent for these messages).
    """

    messages: tuple[BulkMessage, ...]
    result: SendResult | None = None
    error: Exception | None = None

    @property
    def sent(self) -> bool:
        return self.result is not None

    @property
    def attempted(self) -> bool:
        return self.result is not None or self.error is not None


@dataclass(frozen=True)
class RecipientResult:
    """Per-recipient details of a send (``op=1``) or the invalid numbers of one (``err=1``)."""

    phone: str
    mccmnc: str = ""
    cost: Decimal | None = None
    status: int | None = None
    error: int = 0


class _CountedByKind:
    """``count`` read by the kind of message: SMS parts, or a call's seconds."""

    count: int
    kind: MessageKind

    @property
    def parts(self) -> int | None:
        return None if self.kind is MessageKind.CALL else self.count

    @property
    def seconds(self) -> int | None:
        return self.count if self.kind is MessageKind.CALL else None


@dataclass(frozen=True)
class SendResult(_CountedByKind):
    """What the service answered to a send.

    ``count`` is the service's ``cnt``: SMS parts times recipients, or for a voice call its
    estimated length in seconds (see ``seconds``).
    """

    id: str
    count: int
    cost: Decimal | None = None
    balance: Decimal | None = None
    kind: MessageKind = MessageKind.SMS
    recipients: tuple[RecipientResult, ...] = ()


@dataclass(frozen=True)
class CostEstimate(_CountedByKind):
    """The cost of a message without sending it (``cost=1``)."""

    cost: Decimal
    count: int
    kind: MessageKind = MessageKind.SMS
    recipients: tuple[RecipientResult, ...] = ()


@dataclass(frozen=True)
class StatusInfo:
    """The status of one message to one recipient (status.php).

    ``status`` is a :class:`MessageStatus` when the code is documented, the raw int otherwise.
    ``last_date`` is in the account's time zone as the service reports it; ``last_timestamp``
    is the same moment as a Unix time. The remaining fields come with ``all=1`` / ``all=2``.
    """

    id: str
    phone: str
    status: int
    error: int = 0
    last_date: datetime | None = None
    last_timestamp: int | None = None
    flag: int | None = None
    send_date: datetime | None = None
    send_timestamp: int | None = None
    cost: Decimal | None = None
    sender: str | None = None
    text: str | None = None
    status_name: str | None = None
    type: int | None = None
    country: str | None = None
    operator: str | None = None
    region: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        return MessageStatus(self.status).is_final if _known(self.status) else True

    @property
    def meaning(self) -> str:
        if _known(self.status):
            return MessageStatus(self.status).meaning
        return f"status {self.status}"

    @property
    def error_meaning(self) -> str:
        return status_error_meaning(self.error)


_STATUS_CODES = frozenset(status.value for status in MessageStatus)


def _known(status: int) -> bool:
    return status in _STATUS_CODES


@dataclass(frozen=True)
class Balance:
    """The account's balance; ``currency`` (e.g. "RUB") and ``credit`` when the service says."""

    balance: Decimal
    currency: str | None = None
    credit: Decimal | None = None


class TemplateFormat(str, enum.Enum):
    """Message kinds a template can be for (templates.php ``format``)."""

    ANY = ""
    SMS = "sms"
    FLASH = "flash"
    BINARY = "bin"
    PUSH = "push"
    MMS = "mms"
    CALL = "call"
    MAIL = "mail"
    VIBER = "viber"


@dataclass(frozen=True)
class Template:
    """A message template of the account."""

    id: int
    name: str
    message: str
    format: str = ""
    sender: str = ""
    flag: int = 0

    @property
    def autosign(self) -> bool:
        """The template is the account's automatic signature (bit 1 of ``flag``)."""
        return bool(self.flag & 1)


@dataclass(frozen=True)
class Sender:
    """A sender name; ``status``: 0 awaiting moderation, 1 allowed, 2 disabled (with ``all=1``).

    ``operators`` maps the service's per-operator fields (``mts_step``, ``tele2``, ...) to their
    status codes (0 pending registration ... 9 activation from the beginning of the month).
    """

    id: int
    name: str
    status: int | None = None
    operators: dict[str, int] = field(default_factory=dict)


class OperatorTemplateTarget(str, enum.Enum):
    """Operator and message kind an operator template is registered for (op_templates.php)."""

    MTS_SERVICE = "mts_srv"
    MTS_TRANSACTIONAL = "mts_trn"
    MEGAFON_SERVICE = "mega_srv"
    MEGAFON_AUTHORIZATION = "mega_auth"
    MEGAFON_TRANSACTIONAL = "mega_trn"
    BEELINE_SERVICE = "bee_srv"
    BEELINE_TRANSACTIONAL = "bee_trn"
    TELE2_SERVICE = "tele2_srv"
    TELE2_TRANSACTIONAL = "tele2_trn"
    SOCIAL = "soc"


@dataclass(frozen=True)
class OperatorTemplateStatus:
    """The state of an operator template for one operator and message kind.

    For an add: -2 cannot be saved, -1 sender name not found or not accepted, 1 added.
    For a get: -1 not found, 0 awaiting registration, 1 sent for registration, 2 accepted,
    3 not accepted, 4 temporarily disabled.
    """

    name: str
    status: int
    id: int | None = None


# The service's own dates (status.php, get.php) are Moscow time, which has no daylight saving.
MOSCOW = timezone(timedelta(hours=3), "MSK")


@dataclass(frozen=True)
class ReceivedMessage:
    """A message someone sent to one of the account's numbers (get.php ``get_answers``, or the
    service's call to the account's handler).

    ``id`` grows with every message the account receives. ``received_at`` and ``sent_at`` are
    aware datetimes when the service gave them.
    """

    id: int
    phone: str
    text: str
    to: str = ""
    received_at: datetime | None = None
    sent_at: datetime | None = None
