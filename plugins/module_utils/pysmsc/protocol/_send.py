# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""send.php: messages of every kind, cost estimates and personalised bulk sends.

:class:`Message` holds everything send.php accepts under plain names and checks it when it is
built, so a bad message fails with the field and the rule before anything is sent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, TypeVar
from urllib.parse import quote_plus

from .. import phones, schedule
from .._values import check_string, type_name
from ..errors import ResponseError, SmscError, ValidationError
from ..models import (
    BulkMessage,
    BulkOutcome,
    CostEstimate,
    DialParams,
    MessageKind,
    RecipientResult,
    SendResult,
    Translit,
)
from ._base import (
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
    check_binary_options,
    check_comment,
    check_dial,
    check_message_id,
    check_recipients,
    check_sender,
    check_subject,
    check_text,
    check_voice,
)

__all__ = [
    "COMMENT_SEPARATOR",
    "MAX_TEXT_LENGTH",
    "VOICES",
    "BulkBatch",
    "BulkLimits",
    "BulkProgress",
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
_FILE_KINDS = frozenset({MessageKind.MMS, MessageKind.EMAIL, MessageKind.CALL})
_FILE_URL_KINDS = _FILE_KINDS | {MessageKind.VIBER, MessageKind.WHATSAPP}
# Attachment limits of the service's pages: (count, bytes each or None).
_FILE_LIMITS = {
    MessageKind.MMS: (20, None),
    MessageKind.EMAIL: (20, 10 * 1024 * 1024),
    MessageKind.CALL: (4, 5 * 1024 * 1024),
}
_KIND_FLAG = {
    MessageKind.FLASH: ("flash", "1"),
    MessageKind.BINARY: ("bin", "2"),  # always hex: no raw bytes in a form field
    MessageKind.PUSH: ("push", "1"),
    MessageKind.HLR: ("hlr", "1"),
    MessageKind.PING: ("ping", "1"),
    MessageKind.MMS: ("mms", "1"),
    MessageKind.EMAIL: ("mail", "1"),
    MessageKind.SOCIAL: ("soc", "1"),
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
    except (ValueError, TypeError):
        names = ", ".join(k.value for k in MessageKind)
        raise ValidationError("kind", f"{value!r} is not one of: {names}") from None


def _positive_int(value: Any, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(field, "must be a positive integer")
    return str(value)


def _translit(value: Any) -> Translit:
    try:
        return Translit(value)
    except (ValueError, TypeError):
        raise ValidationError("translit", "must be 0 (none), 1 or 2") from None


def _optional_line(value: Any, field: str) -> str | None:
    return None if value is None else check_string(value, field, multiline=False)


def _delivery_fields(
    kind: MessageKind,
    *,
    sender: str | None,
    send_at: schedule.SendTime | None,
    tz: int | None,
    validity: schedule.Validity | None,
    max_parts: int | None,
    translit: Translit | int,
    shorten_links: bool,
    message_id: MessageId | None,
) -> list[tuple[str, str]]:
    """The kind's flag and the options a single message and a bulk send share, checked."""
    optional: list[tuple[str, str | None]] = [
        ("id", None if message_id is None else check_message_id(message_id)),
        ("sender", None if sender is None else check_sender(sender, kind)),
        ("translit", str(int(_translit(translit))) if translit else None),
        ("tinyurl", "1" if shorten_links else None),
        ("tz", None if tz is None else schedule.format_tz(tz)),
        ("time", None if send_at is None else schedule.format_time(send_at, tz=tz)),
        ("valid", None if validity is None else schedule.format_validity(validity)),
        ("maxsms", None if max_parts is None else _positive_int(max_parts, "max_parts")),
    ]
    fields = [_KIND_FLAG[kind]] if kind in _KIND_FLAG else []
    fields.extend((name, value) for name, value in optional if value is not None)
    return fields


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
    # The form fields, made once by the checks in __post_init__.
    _fields: tuple[tuple[str, str], ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kind = _kind(self.kind)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "to", check_recipients(self.to, kind))
        files: object = self.files
        if isinstance(files, (str, bytes)) or not isinstance(files, Iterable):
            raise ValidationError("files", f"must be a list of Attachment, not {type_name(files)}")
        object.__setattr__(self, "files", tuple(files))
        object.__setattr__(self, "translit", _translit(self.translit))
        mes = self._check_content(kind)
        self._check_kind_options(kind)
        fields: list[tuple[str, str]] = [("phones", phones.join(self.recipients))]
        if mes:
            fields.append(("mes", mes))
        fields += _delivery_fields(
            kind,
            sender=self.sender,
            send_at=self.send_at,
            tz=self.tz,
            validity=self.validity,
            max_parts=self.max_parts,
            translit=self.translit,
            shorten_links=self.shorten_links,
            message_id=self.message_id,
        )
        fields += self._other_fields()
        object.__setattr__(self, "_fields", tuple(fields))

    @property
    def message_kind(self) -> MessageKind:
        """``kind`` as the enum (the field also accepts its string value)."""
        return _kind(self.kind)

    @property
    def recipients(self) -> tuple[str, ...]:
        """``to`` after validation: one normalised recipient per item."""
        return tuple(self.to)

    def _check_content(self, kind: MessageKind) -> str:
        """Check the text, subject, comment and binary options; return ``mes``."""
        text = self.text
        has_file = bool(self.files or self.file_url)
        if text is not None and text != "":
            if kind in _NO_TEXT:
                raise ValidationError("text", f"is not used by {kind.value} requests; leave it out")
            check_text(text, kind)
        elif kind is MessageKind.EMAIL:
            raise ValidationError("text", "an e-mail message needs a text")
        elif kind is MessageKind.MMS:
            if not (self.subject or has_file):
                raise ValidationError("text", "an MMS needs a text, a subject or a file")
        elif kind in (MessageKind.CALL, MessageKind.VIBER):
            if not has_file:
                raise ValidationError("text", f"a {kind.value} message needs a text or a file")
        elif kind not in _NO_TEXT:
            raise ValidationError("text", "must not be empty")
        text = text or ""
        if self.subject is not None:
            check_subject(self.subject)
        if kind is MessageKind.EMAIL:
            if not self.subject:
                raise ValidationError("subject", "an e-mail message needs a subject")
            if not self.sender:
                raise ValidationError("sender", "an e-mail message needs the sender's address")
        if kind is MessageKind.BINARY:
            if not _HEX.fullmatch(text):
                raise ValidationError("text", "a binary message is hex digits, two per byte")
            if self.comment:
                raise ValidationError("comment", "binary messages cannot carry a comment")
        if kind is MessageKind.PUSH and not _URL.match(text.split("\n", 1)[0]):
            raise ValidationError("text", "a WAP-push message is a link, a newline and a title")
        # pid and dcs of a binary message travel where a comment would.
        after = check_binary_options(self.binary_pid, self.binary_dcs)
        if after is None and self.comment is not None:
            after = check_comment(self.comment) or None
        return text + COMMENT_SEPARATOR + after if after else text

    def _check_kind_options(self, kind: MessageKind) -> None:
        only_for = (
            ("subject", self.subject, (MessageKind.EMAIL, MessageKind.MMS)),
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
        if self.file_url is not None and not (
            isinstance(self.file_url, str) and _URL.fullmatch(self.file_url)
        ):
            raise ValidationError("file_url", "must be a full http(s) address")
        if self.files:
            count, size = _FILE_LIMITS[kind]
            if len(self.files) > count:
                raise ValidationError("files", f"at most {count} files for {kind.value}")
            for attachment in self.files:
                if not isinstance(attachment, Attachment):
                    raise ValidationError(
                        "files", f"must be Attachment values, not {type_name(attachment)}"
                    )
                if size is not None and len(attachment.content) > size:
                    raise ValidationError(
                        "files", f"{attachment.filename} is over {size // 1024 // 1024} MB"
                    )

    def _other_fields(self) -> list[tuple[str, str]]:
        """The options only a single message has (not a bulk send), checked."""
        if self.freq is not None and self.period is None:
            raise ValidationError("freq", "only works together with period")
        if self.period is not None and self.freq is None:
            raise ValidationError(
                "period", "needs freq too (the minutes between groups of the spread mailing)"
            )
        if self.captcha_code is not None and not self.user_ip:
            raise ValidationError("captcha_code", "needs user_ip as well")
        optional: list[tuple[str, str | None]] = [
            ("subj", self.subject),
            ("period", None if self.period is None else schedule.format_period(self.period)),
            ("freq", None if self.freq is None else schedule.format_freq(self.freq)),
            ("voice", None if self.voice is None else check_voice(self.voice)),
            ("param", None if self.dial is None else check_dial(self.dial)),
            ("fileurl", self.file_url),
            ("op", "1" if self.details else None),
            ("err", "1" if self.report_invalid else None),
            ("imgcode", _optional_line(self.captcha_code, "captcha_code")),
            ("userip", _optional_line(self.user_ip, "user_ip")),
            ("pp", _optional_line(self.partner_id, "partner_id")),
        ]
        return [(name, value) for name, value in optional if value is not None]

    def fields(self) -> list[tuple[str, str]]:
        """The form fields of this message (without credentials, cost and format)."""
        return list(self._fields)


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
        MessageKind.SOCIAL,
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


class BulkProgress:
    """The one bulk loop's rule, for every transport: the planned requests go in order, and
    the first failure stops the rest (each says whether its messages were sent, failed, or
    were not attempted). A blocking transport calls :meth:`run`; an asyncio one writes the same
    loop with ``await``::

        progress = BulkProgress(bulk_send(messages))
        for batch in progress:
            try:
                progress.sent(await execute(batch.operation))
            except SmscError as exc:
                progress.failed(exc)
        return progress.outcomes
    """

    def __init__(self, batches: Iterable[BulkBatch]) -> None:
        self.batches = tuple(batches)
        self._outcomes: list[BulkOutcome] = []
        self._current: BulkBatch | None = None

    def __iter__(self) -> Iterator[BulkBatch]:
        for batch in self.batches:
            if self.stopped:
                return
            self._current = batch
            yield batch
            if self._current is not None:
                raise RuntimeError("call sent() or failed() for every batch")

    @property
    def stopped(self) -> bool:
        """A request failed: nothing more is sent."""
        return any(outcome.error is not None for outcome in self._outcomes)

    def sent(self, result: SendResult) -> None:
        self._record(BulkOutcome(self._batch().messages, result))

    def failed(self, error: SmscError) -> None:
        self._record(BulkOutcome(self._batch().messages, error=error))

    def _batch(self) -> BulkBatch:
        if self._current is None:
            raise RuntimeError("no batch is being sent")
        return self._current

    def _record(self, outcome: BulkOutcome) -> None:
        self._outcomes.append(outcome)
        self._current = None

    def run(self, execute: Callable[[Operation[SendResult]], SendResult]) -> list[BulkOutcome]:
        """Send every batch with the blocking ``execute`` by this rule; the outcomes."""
        for batch in self:
            try:
                self.sent(execute(batch.operation))
            except SmscError as exc:
                self.failed(exc)
        return self.outcomes

    @property
    def outcomes(self) -> list[BulkOutcome]:
        """One per planned request: sent, failed, or (after a failure) not attempted."""
        rest = self.batches[len(self._outcomes) :]
        return [*self._outcomes, *(BulkOutcome(batch.messages) for batch in rest)]


def _list_line(index: int, message: BulkMessage, kind: MessageKind) -> str:
    where = f"messages[{index}]"
    if not isinstance(message, BulkMessage):
        raise ValidationError(where, f"must be a BulkMessage, not {type_name(message)}")
    to = check_recipients(message.to, kind, f"{where}.to")
    check_string(message.text, f"{where}.text")
    text = message.text.replace("\r\n", "\n").replace("\r", "\n")
    check_text(text, kind, f"{where}.text")
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
    for name in ("max_messages", "max_bytes"):
        _positive_int(getattr(limits, name), f"limits.{name}")
    shared = _delivery_fields(
        message_kind,
        sender=sender,
        send_at=send_at,
        tz=tz,
        validity=validity,
        max_parts=max_parts,
        translit=translit,
        shorten_links=shorten_links,
        message_id=message_id,
    )
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

    given: object = messages
    if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
        raise ValidationError("messages", f"must be a list of BulkMessage, not {type_name(given)}")
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
