# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""send.php: messages of every kind, cost estimates and personalised bulk sends.

:class:`Message` holds everything send.php accepts under plain names and checks it when it is
built, so a bad message fails with the field and the rule before anything is sent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, TypeVar
from urllib.parse import quote_plus

from .. import phones, schedule
from ..errors import ResponseError, ValidationError
from ..models import (
    BulkMessage,
    CostEstimate,
    DialParams,
    MessageKind,
    RecipientResult,
    SendResult,
    Translit,
)
from .base import (
    Attachment,
    Operation,
    Request,
    as_decimal,
    as_int,
    as_str,
    load_answer,
    require_mapping,
)
from .checks import (
    COMMENT_SEPARATOR,
    MAX_TEXT_LENGTH,
    VOICES,
    MessageId,
    check_dial,
    check_message_id,
    check_sender,
    check_text,
    check_voice,
)

__all__ = [
    "COMMENT_SEPARATOR",
    "MAX_TEXT_LENGTH",
    "VOICES",
    "BulkLimits",
    "Message",
    "bulk_send",
    "cost",
    "send",
]

ENDPOINT = "send.php"
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})+")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)

# Kinds whose text is optional or absent, and what else may carry the content.
_NO_TEXT = frozenset({MessageKind.HLR, MessageKind.PING})
_FILE_KINDS = frozenset({MessageKind.MMS, MessageKind.MAIL, MessageKind.CALL})
_FILE_URL_KINDS = _FILE_KINDS | {MessageKind.VIBER, MessageKind.WHATSAPP}
# Attachment limits of the service's pages: (count, bytes each or None).
_FILE_LIMITS = {
    MessageKind.MMS: (20, None),
    MessageKind.MAIL: (20, 10 * 1024 * 1024),
    MessageKind.CALL: (4, 5 * 1024 * 1024),
}
_KIND_FLAG = {
    MessageKind.FLASH: ("flash", "1"),
    MessageKind.BINARY: ("bin", "2"),  # always hex: no raw bytes in a form field
    MessageKind.PUSH: ("push", "1"),
    MessageKind.HLR: ("hlr", "1"),
    MessageKind.PING: ("ping", "1"),
    MessageKind.MMS: ("mms", "1"),
    MessageKind.MAIL: ("mail", "1"),
    MessageKind.SOC: ("soc", "1"),
    MessageKind.VIBER: ("viber", "1"),
    MessageKind.WHATSAPP: ("whatsapp", "1"),
    MessageKind.CALL: ("call", "1"),
}

R = TypeVar("R")
if TYPE_CHECKING:
    from typing import ParamSpec

    P = ParamSpec("P")


def _kind(value: MessageKind | str) -> MessageKind:
    try:
        return MessageKind(value)
    except ValueError:
        names = ", ".join(k.value for k in MessageKind)
        raise ValidationError("kind", f"{value!r} is not one of: {names}") from None


@dataclass(frozen=True)
class Message:
    """A message for send.php, checked when it is created.

    ``to`` takes numbers, ``G<n>`` group codes and, for e-mail, addresses. ``text`` is the
    message (for ``kind=BINARY``: hex, UDH first). ``comment`` is kept in the account's history,
    not sent. ``details=True`` asks for per-recipient results (``op=1``), ``report_invalid=True``
    for the recipients that failed only (``err=1``).
    """

    to: phones.Recipients
    text: str | None = None
    kind: MessageKind | str = MessageKind.SMS
    sender: str | None = None
    subject: str | None = None
    message_id: MessageId | None = None
    comment: str | None = None
    send_at: schedule.SendTime | None = None
    tz: int | None = None
    period: float | None = None
    freq: int | None = None
    validity: schedule.Validity | None = None
    max_parts: int | None = None
    translit: Translit | int = Translit.NONE
    shorten_links: bool = False
    voice: str | None = None
    dial: DialParams | None = None
    file_url: str | None = None
    files: Sequence[Attachment] = field(default=(), repr=False)
    binary_pid: int | None = None
    binary_dcs: int | None = None
    details: bool = False
    report_invalid: bool = False
    captcha_code: str | None = None
    user_ip: str | None = None
    partner_id: str | None = None

    def __post_init__(self) -> None:
        kind = _kind(self.kind)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "to", phones.parse(self.to, emails=kind is MessageKind.MAIL))
        object.__setattr__(self, "files", tuple(self.files))
        try:
            object.__setattr__(self, "translit", Translit(self.translit))
        except ValueError:
            raise ValidationError("translit", "must be 0 (none), 1 or 2") from None
        self._check_content(kind)
        self._check_kind_options(kind)
        self._check_delivery_options()

    @property
    def message_kind(self) -> MessageKind:
        """``kind`` as the enum (the field also accepts its string value)."""
        return _kind(self.kind)

    @property
    def recipients(self) -> tuple[str, ...]:
        """``to`` after validation: one normalised recipient per item."""
        return tuple(self.to)

    def _check_content(self, kind: MessageKind) -> None:
        text = self.text or ""
        has_file = bool(self.files or self.file_url)
        if kind in _NO_TEXT:
            if text:
                raise ValidationError("text", f"is not used by {kind.value} requests; leave it out")
        elif kind is MessageKind.MAIL:
            if not text:
                raise ValidationError("text", "an e-mail message needs a text")
            if not self.subject:
                raise ValidationError("subject", "an e-mail message needs a subject")
            if not self.sender:
                raise ValidationError("sender", "an e-mail message needs the sender's address")
        elif kind is MessageKind.MMS:
            if not (text or self.subject or has_file):
                raise ValidationError("text", "an MMS needs a text, a subject or a file")
        elif kind in (MessageKind.CALL, MessageKind.VIBER):
            if not (text or has_file):
                raise ValidationError("text", f"a {kind.value} message needs a text or a file")
        elif not text:
            raise ValidationError("text", "must not be empty")
        if kind is MessageKind.BINARY:
            if not _HEX.fullmatch(text):
                raise ValidationError("text", "a binary message is hex digits, two per byte")
            if self.comment:
                raise ValidationError("comment", "binary messages cannot carry a comment")
        if kind is MessageKind.PUSH and not _URL.match(text.split("\n", 1)[0]):
            raise ValidationError("text", "a WAP-push message is a link, a newline and a title")
        check_text(text)
        if self.comment is not None:
            check_text(self.comment, "comment")

    def _check_kind_options(self, kind: MessageKind) -> None:
        only_for = (
            ("subject", self.subject, (MessageKind.MAIL, MessageKind.MMS)),
            ("voice", self.voice, (MessageKind.CALL,)),
            ("dial", self.dial, (MessageKind.CALL,)),
            ("binary_pid", self.binary_pid, (MessageKind.BINARY,)),
            ("binary_dcs", self.binary_dcs, (MessageKind.BINARY,)),
            ("files", self.files or None, tuple(_FILE_KINDS)),
            ("file_url", self.file_url, tuple(_FILE_URL_KINDS)),
        )
        for name, value, kinds in only_for:
            if value is not None and kind not in kinds:
                allowed = ", ".join(k.value for k in kinds)
                raise ValidationError(name, f"only applies to messages of kind {allowed}")
        if self.sender is not None:
            check_sender(self.sender, kind)
        if self.voice is not None:
            check_voice(self.voice)
        if self.dial is not None:
            check_dial(self.dial)
        for name in ("binary_pid", "binary_dcs"):
            value = getattr(self, name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 255
            ):
                raise ValidationError(name, "must be a byte value from 0 to 255")
        if self.file_url is not None and not _URL.fullmatch(self.file_url):
            raise ValidationError("file_url", "must be a full http(s) address")
        if self.files:
            count, size = _FILE_LIMITS[kind]
            if len(self.files) > count:
                raise ValidationError("files", f"at most {count} files for {kind.value}")
            for attachment in self.files:
                if size is not None and len(attachment.content) > size:
                    raise ValidationError(
                        "files", f"{attachment.filename} is over {size // 1024 // 1024} MB"
                    )

    def _check_delivery_options(self) -> None:
        if self.message_id is not None:
            check_message_id(self.message_id)
        if self.send_at is not None:
            schedule.format_time(self.send_at)
        if self.tz is not None:
            schedule.format_tz(self.tz)
        if self.validity is not None:
            schedule.format_validity(self.validity)
        if self.freq is not None and self.period is None:
            raise ValidationError("freq", "only works together with period")
        if self.period is not None:
            schedule.format_period(self.period)
        if self.freq is not None:
            schedule.format_freq(self.freq)
        # type() rather than isinstance(): True is not a number of parts.
        if self.max_parts is not None and not (type(self.max_parts) is int and self.max_parts > 0):
            raise ValidationError("max_parts", "must be a positive integer")
        if self.captcha_code is not None and not self.user_ip:
            raise ValidationError("captcha_code", "needs user_ip as well")

    def fields(self) -> list[tuple[str, str]]:
        """The form fields of this message (without credentials, cost and format)."""
        kind = self.message_kind
        out: list[tuple[str, str]] = [("phones", phones.join(self.recipients))]
        mes = self.text or ""
        if self.binary_pid is not None or self.binary_dcs is not None:
            # pid and dcs of a binary message travel where a comment would.
            mes += f"{COMMENT_SEPARATOR}pid: {self.binary_pid or 0}, dcs: {self.binary_dcs or 0}"
        elif self.comment:
            mes += COMMENT_SEPARATOR + self.comment
        if mes:
            out.append(("mes", mes))
        if kind in _KIND_FLAG:
            out.append(_KIND_FLAG[kind])
        optional: list[tuple[str, Any]] = [
            ("id", None if self.message_id is None else check_message_id(self.message_id)),
            ("sender", self.sender),
            ("subj", self.subject),
            ("translit", int(self.translit) or None),
            ("tinyurl", 1 if self.shorten_links else None),
            ("time", None if self.send_at is None else schedule.format_time(self.send_at)),
            ("tz", None if self.tz is None else schedule.format_tz(self.tz)),
            ("period", None if self.period is None else schedule.format_period(self.period)),
            ("freq", None if self.freq is None else schedule.format_freq(self.freq)),
            ("valid", None if self.validity is None else schedule.format_validity(self.validity)),
            ("maxsms", self.max_parts),
            ("voice", self.voice),
            ("param", None if self.dial is None else check_dial(self.dial)),
            ("fileurl", self.file_url),
            ("op", 1 if self.details else None),
            ("err", 1 if self.report_invalid else None),
            ("imgcode", self.captcha_code),
            ("userip", self.user_ip),
            ("pp", self.partner_id),
        ]
        out.extend((name, str(value)) for name, value in optional if value is not None)
        return out


def _recipients(data: Mapping[str, Any]) -> tuple[RecipientResult, ...]:
    items = data.get("phones")
    if not isinstance(items, list):
        return ()
    results = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        cost = item.get("cost")
        status = item.get("status")
        error = item.get("error")
        results.append(
            RecipientResult(
                phone=as_str(item.get("phone")),
                mccmnc=as_str(item.get("mccmnc")),
                cost=None if cost in (None, "") else as_decimal(ENDPOINT, "cost", cost),
                status=None if status in (None, "") else as_int(ENDPOINT, "status", status),
                error=0 if error in (None, "") else as_int(ENDPOINT, "error", error),
            )
        )
    return tuple(results)


def _optional_decimal(data: Mapping[str, Any], name: str) -> Decimal | None:
    value = data.get(name)
    return None if value in (None, "") else as_decimal(ENDPOINT, name, value)


def _send_parser(kind: MessageKind) -> Callable[[str], SendResult]:
    def parse(text: str) -> SendResult:
        data = require_mapping(ENDPOINT, load_answer(ENDPOINT, text))
        if "id" not in data or "cnt" not in data:
            raise ResponseError(ENDPOINT, f"no id or cnt in {str(data)[:200]!r}")
        return SendResult(
            id=as_str(data["id"]),
            count=as_int(ENDPOINT, "cnt", data["cnt"]),
            cost=_optional_decimal(data, "cost"),
            balance=_optional_decimal(data, "balance"),
            kind=kind,
            recipients=_recipients(data),
        )

    return parse


def _cost_parser(kind: MessageKind) -> Callable[[str], CostEstimate]:
    def parse(text: str) -> CostEstimate:
        data = require_mapping(ENDPOINT, load_answer(ENDPOINT, text))
        if "cost" not in data or "cnt" not in data:
            raise ResponseError(ENDPOINT, f"no cost or cnt in {str(data)[:200]!r}")
        return CostEstimate(
            cost=as_decimal(ENDPOINT, "cost", data["cost"]),
            count=as_int(ENDPOINT, "cnt", data["cnt"]),
            kind=kind,
            recipients=_recipients(data),
        )

    return parse


def send_message(message: Message) -> Operation[SendResult]:
    """Send ``message``; the answer carries the cost and the new balance (``cost=3``)."""
    request = Request(
        ENDPOINT,
        (*message.fields(), ("cost", "3")),
        files=tuple(message.files),
        sends_message=True,
    )
    return Operation(request, _send_parser(message.message_kind))


def cost_of_message(message: Message) -> Operation[CostEstimate]:
    """What ``message`` would cost, without sending it (``cost=1``)."""
    request = Request(
        ENDPOINT, (*message.fields(), ("cost", "1")), files=tuple(message.files), idempotent=True
    )
    return Operation(request, _cost_parser(message.message_kind))


def _taking_message_fields(
    message_type: Callable[P, Message], build: Callable[[Message], R]
) -> Callable[P, R]:
    """Turn ``build(message)`` into a function that takes :class:`Message`'s own parameters, so
    callers write ``send("79991234567", "Hi", sender="Shop")`` and keep full type checking."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return build(message_type(*args, **kwargs))

    return wrapper


send = _taking_message_fields(Message, send_message)
cost = _taking_message_fields(Message, cost_of_message)


# --- Personalised bulk sends: the ``list`` parameter -------------------------------------------

_BULK_KINDS = frozenset(
    {
        MessageKind.SMS,
        MessageKind.FLASH,
        MessageKind.VIBER,
        MessageKind.WHATSAPP,
        MessageKind.SOC,
        MessageKind.CALL,
    }
)
# Characters that structure a ``list`` line: ``sender,tz|phones:text``.
_LIST_SYNTAX = re.compile(r"[,|:]")


@dataclass(frozen=True)
class BulkLimits:
    """How much one bulk request may carry.

    The service documents no limit for ``list``; these defaults keep each request well within
    what a web server accepts and what can be answered before a timeout.
    """

    max_messages: int = 1000
    max_bytes: int = 500_000


@dataclass(frozen=True)
class BulkBatch:
    """One request of a bulk send and the messages it carries."""

    messages: tuple[BulkMessage, ...]
    operation: Operation[SendResult]
    kind: MessageKind = MessageKind.SMS

    def cost(self) -> Operation[CostEstimate]:
        """The same request asking for its cost only (``cost=1``), as for a single message."""
        request = self.operation.request
        fields = tuple(
            ("cost", "1") if name == "cost" else (name, value) for name, value in request.fields
        )
        estimate = Request(ENDPOINT, fields, files=request.files, idempotent=True)
        return Operation(estimate, _cost_parser(self.kind))


def _list_line(index: int, message: BulkMessage, kind: MessageKind) -> str:
    where = f"messages[{index}]"
    to = phones.parse(message.to, field=f"{where}.to")
    text = message.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        raise ValidationError(f"{where}.text", "must not be empty")
    check_text(text, f"{where}.text")
    if "\\n" in text:
        raise ValidationError(
            f"{where}.text", "cannot contain a backslash followed by 'n' (the list newline)"
        )
    prefix = ""
    if message.sender is not None or message.tz is not None:
        sender = ""
        if message.sender:
            sender = check_sender(message.sender, kind, f"{where}.sender")
            if _LIST_SYNTAX.search(sender):
                raise ValidationError(f"{where}.sender", "cannot contain ',', '|' or ':'")
        tz = "" if message.tz is None else "," + schedule.format_tz(message.tz, f"{where}.tz")
        prefix = f"{sender}{tz}|"
    escaped = text.replace("\n", "\\n")
    return f"{prefix}{phones.join(to)}:{escaped}"


def bulk_send(
    messages: Iterable[BulkMessage],
    *,
    kind: MessageKind | str = MessageKind.SMS,
    sender: str | None = None,
    send_at: schedule.SendTime | None = None,
    tz: int | None = None,
    validity: schedule.Validity | None = None,
    max_parts: int | None = None,
    translit: Translit | int = Translit.NONE,
    shorten_links: bool = False,
    message_id: MessageId | None = None,
    limits: BulkLimits = BulkLimits(),
) -> list[BulkBatch]:
    """Plan personalised messages as few requests as ``limits`` allow.

    Every message is checked before any request is built, so a bad one fails the whole call
    with its index, and nothing is sent. Options given here apply to every message; a
    message's own ``sender`` and ``tz`` win.
    """
    message_kind = _kind(kind)
    if message_kind not in _BULK_KINDS:
        allowed = ", ".join(sorted(k.value for k in _BULK_KINDS))
        raise ValidationError("kind", f"bulk sends support {allowed}")
    common = Message(
        to="G1",  # placeholder recipient: only the shared options are taken from it
        text="-",
        kind=message_kind,
        sender=sender,
        send_at=send_at,
        tz=tz,
        validity=validity,
        max_parts=max_parts,
        translit=translit,
        shorten_links=shorten_links,
        message_id=message_id,
    )
    shared = tuple(f for f in common.fields() if f[0] not in ("phones", "mes"))
    batches: list[BulkBatch] = []
    pending: list[BulkMessage] = []
    lines: list[str] = []
    size = 0

    def flush() -> None:
        if not lines:
            return
        request = Request(
            ENDPOINT, (("list", "\n".join(lines)), *shared, ("cost", "3")), sends_message=True
        )
        operation = Operation(request, _send_parser(message_kind))
        batches.append(BulkBatch(tuple(pending), operation, message_kind))
        pending.clear()
        lines.clear()

    for index, message in enumerate(messages):
        line = _list_line(index, message, message_kind)
        line_size = len(quote_plus(line)) + 3  # and the %0A that joins it to the next
        if lines and (len(lines) >= limits.max_messages or size + line_size > limits.max_bytes):
            flush()
            size = 0
        pending.append(message)
        lines.append(line)
        size += line_size
    flush()
    if not batches:
        raise ValidationError("messages", "at least one message is required")
    return batches
