# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Delivery receipts and HLR results carried by deliver_sm, read into typed reports.

:func:`receipt_status` tells which status of the service's status.php a report stands for.

A receipt's text is ``id:<id> sub:<n> dlvrd:<n> submit date:YYMMDDhhmm done date:YYMMDDhhmm
stat:<STAT> err:<err>`` (``text:`` may follow); an HLR result's is ``id: stat: err: imsi: msc:
mcc: mnc: cn: net: rcn: rnet:`` with the names urlencoded. The standard TLVs receipted_message_id
(0x001E), message_state (0x0427) and network_error_code (0x0423) win over the text when present;
the service adds 0x2000 cost, 0x2001 message-type flags, 0x2002 parts, 0x2003 mcc+mnc and 0x2004
read/clicked. Readers never raise: what cannot be read is None. The ``build_*`` functions make
the same PDUs for the server side (the emulator).
"""

from __future__ import annotations

import contextlib
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Union
from urllib.parse import quote_plus, unquote_plus

from ..models import MessageKind, MessageStatus
from .coding import decode_message
from .pdu import DeliverSm, EsmClass
from .tlv import Tag, Tlv, find_tlv, tlv_int, tlv_str

__all__ = [
    "DeliveryReceipt",
    "ExtraState",
    "HlrResult",
    "MessageFlags",
    "MessageState",
    "NetworkError",
    "Report",
    "SentMessage",
    "TemplateType",
    "build_hlr_result",
    "build_receipt",
    "format_receipt_text",
    "is_receipt",
    "parse_fields",
    "parse_report",
    "receipt_status",
]


class MessageState(enum.IntEnum):
    """message_state (SMPP 3.4 section 5.2.28)."""

    SCHEDULED = 0
    ENROUTE = 1
    DELIVERED = 2
    EXPIRED = 3
    DELETED = 4
    UNDELIVERABLE = 5
    ACCEPTED = 6
    UNKNOWN = 7
    REJECTED = 8
    SKIPPED = 9


_STAT_STATE = {
    "ENROUTE": MessageState.ENROUTE,
    "DELIVRD": MessageState.DELIVERED,
    "EXPIRED": MessageState.EXPIRED,
    "DELETED": MessageState.DELETED,
    "UNDELIV": MessageState.UNDELIVERABLE,
    "ACCEPTD": MessageState.ACCEPTED,
    "UNKNOWN": MessageState.UNKNOWN,
    "REJECTD": MessageState.REJECTED,
}
_STATE_STAT = {state: stat for stat, state in _STAT_STATE.items()}
_FINAL = frozenset(
    {
        MessageState.DELIVERED,
        MessageState.EXPIRED,
        MessageState.DELETED,
        MessageState.UNDELIVERABLE,
        MessageState.REJECTED,
    }
)


# The message types of bits 0-3 of the service's flags TLV 0x2001, in the library's vocabulary.
_KINDS = {
    0: MessageKind.SMS,
    1: MessageKind.FLASH,
    2: MessageKind.BINARY,
    3: MessageKind.PUSH,
    4: MessageKind.HLR,
    5: MessageKind.PING,
    6: MessageKind.MMS,
    7: MessageKind.CALL,
    8: MessageKind.EMAIL,
    10: MessageKind.VIBER,
    12: MessageKind.SOCIAL,
}
_KIND_CODES = {kind: code for code, kind in _KINDS.items()}


class TemplateType(enum.IntEnum):
    """Bits 9-10 of the flags TLV 0x2001."""

    SERVICE = 0
    TRANSACTIONAL = 1
    AUTHORIZATION = 2
    ADVERTISING = 3


class ExtraState(enum.IntEnum):
    """The service's TLV 0x2004."""

    READ = 2
    LINK_CLICKED = 4


@dataclass(frozen=True)
class MessageFlags:
    """The service's TLV 0x2001 (a 2-octet bit field), decoded."""

    raw: int

    @property
    def kind_code(self) -> int:
        """The message type as the service numbers it (bits 0-3)."""
        return self.raw & 0x0F

    @property
    def kind(self) -> MessageKind | None:
        """The message type (None for a number the service has not documented)."""
        return _KINDS.get(self.raw & 0x0F)

    @property
    def second_balance(self) -> bool:
        """Paid from the second balance (bit 5)."""
        return bool(self.raw & 0x20)

    @property
    def template(self) -> bool:
        """A template message (bit 8)."""
        return bool(self.raw & 0x100)

    @property
    def template_type(self) -> TemplateType:
        """Bits 10,9 (meaningful when :attr:`template` is set)."""
        return TemplateType((self.raw >> 9) & 3)

    @classmethod
    def build(
        cls,
        kind: MessageKind | int = MessageKind.SMS,
        *,
        second_balance: bool = False,
        template: bool = False,
        template_type: int = TemplateType.SERVICE,
    ) -> MessageFlags:
        code = _KIND_CODES[kind] if isinstance(kind, MessageKind) else kind
        raw = (code & 0x0F) | (0x20 if second_balance else 0) | (0x100 if template else 0)
        return cls(raw | ((template_type & 3) << 9))


@dataclass(frozen=True)
class NetworkError:
    """network_error_code (0x0423): network type (3 = GSM) and the error code."""

    network_type: int
    code: int


@dataclass  # not frozen: one is made for every message sent, and frozen ones cost five times more
class SentMessage:
    """What the client remembers of a submit, attached to the reports about it."""

    message_ids: tuple[str, ...]
    destination: str
    parts: int
    submitted_at: datetime
    reference: Any = None


@dataclass(frozen=True)
class DeliveryReceipt:
    """A delivery report. ``phone`` is the recipient of the original message."""

    message_id: str
    stat: str
    state: MessageState | None
    error: int | None
    submitted_parts: int | None
    delivered_parts: int | None
    submit_date: datetime | None
    done_date: datetime | None
    text: str
    cost: Decimal | None = None
    flags: MessageFlags | None = None
    parts: int | None = None
    mccmnc: str | None = None
    extra_state: ExtraState | int | None = None
    network_error: NetworkError | None = None
    source_addr: str = ""
    destination_addr: str = ""
    tlvs: tuple[Tlv, ...] = ()
    sent: SentMessage | None = None

    @property
    def phone(self) -> str:
        return self.source_addr

    @property
    def matched(self) -> bool:
        """Whether the client found the submit this receipt is about (then ``sent`` tells it);
        False for a message the client never sent or no longer remembers."""
        return self.sent is not None

    @property
    def delivered(self) -> bool:
        return self.state is MessageState.DELIVERED

    @property
    def final(self) -> bool:
        """True when the status will not change any more."""
        return self.state in _FINAL


@dataclass(frozen=True)
class HlrResult:
    """The result of an ``__HLR__`` request (names urldecoded)."""

    message_id: str
    stat: str
    state: MessageState | None
    error: int | None
    imsi: str
    msc: str
    mcc: str
    mnc: str
    country: str
    network: str
    roaming_country: str
    roaming_network: str
    text: str
    cost: Decimal | None = None
    flags: MessageFlags | None = None
    mccmnc: str | None = None
    source_addr: str = ""
    destination_addr: str = ""
    tlvs: tuple[Tlv, ...] = ()
    sent: SentMessage | None = None

    @property
    def phone(self) -> str:
        return self.source_addr

    @property
    def matched(self) -> bool:
        """Whether the client found the submit this result is about (``sent``)."""
        return self.sent is not None


Report = Union[DeliveryReceipt, HlrResult]

_KEY_RE = re.compile(
    r"(?:^|(?<=\s))"
    r"(submit date|done date|id|sub|dlvrd|stat|err|text|imsi|msc|mcc|mnc|cn|net|rcn|rnet):",
    re.IGNORECASE,
)


def parse_fields(text: str) -> dict[str, str]:
    """``key:value`` pairs of a receipt or HLR text (keys lower-case; ``text`` takes the rest)."""
    fields: dict[str, str] = {}
    matches = list(_KEY_RE.finditer(text))
    for index, match in enumerate(matches):
        key = match.group(1).lower()
        if key == "text":
            fields.setdefault(key, text[match.end() :])
            break
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        fields.setdefault(key, text[match.end() : end].strip())
    return fields


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() else None


def _date(value: str | None) -> datetime | None:
    if not value or not value.isdigit():
        return None
    fmt = {10: "%y%m%d%H%M", 12: "%y%m%d%H%M%S"}.get(len(value))
    if fmt is None:
        return None
    try:
        return datetime.strptime(value, fmt)
    except ValueError:
        return None


def _decimal(value: str | None) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        return None


def is_receipt(pdu: DeliverSm) -> bool:
    """True for a delivery receipt (or intermediate notification), False for an incoming SMS."""
    kind = pdu.esm_class & EsmClass.TYPE_MASK
    if kind in (EsmClass.SMSC_DELIVERY_RECEIPT, EsmClass.INTERMEDIATE_NOTIFICATION):
        return True
    return find_tlv(pdu.tlvs, Tag.RECEIPTED_MESSAGE_ID) is not None


def _receipt_text(pdu: DeliverSm) -> str:
    data = pdu.short_message
    if not data:
        payload = find_tlv(pdu.tlvs, Tag.MESSAGE_PAYLOAD)
        data = payload.value if payload is not None else b""
    # Receipt texts are ASCII whatever data_coding says (GSM would turn "_" into "§").
    if pdu.data_coding in (0, 1, 3, 4):
        return data.decode("latin-1")
    return decode_message(pdu.data_coding, data)


def parse_report(pdu: DeliverSm) -> Report:
    """Read a receipt deliver_sm into a :class:`DeliveryReceipt` or :class:`HlrResult`."""
    text = _receipt_text(pdu)
    fields = parse_fields(text)
    tlvs = tuple(pdu.tlvs)
    message_id = tlv_str(tlvs, Tag.RECEIPTED_MESSAGE_ID) or fields.get("id", "")
    stat = fields.get("stat", "").upper()
    state_value = tlv_int(tlvs, Tag.MESSAGE_STATE)
    state: MessageState | None
    try:
        state = MessageState(state_value) if state_value is not None else _STAT_STATE.get(stat)
    except ValueError:
        state = _STAT_STATE.get(stat)
    if not stat and state is not None:
        stat = _STATE_STAT.get(state, "")
    flags_value = tlv_int(tlvs, Tag.SMSC_MESSAGE_FLAGS)
    flags = MessageFlags(flags_value) if flags_value is not None else None
    cost = _decimal(tlv_str(tlvs, Tag.SMSC_COST))
    mccmnc = tlv_str(tlvs, Tag.SMSC_MCCMNC)
    error = _int(fields.get("err"))
    if "imsi" in fields or (flags is not None and flags.kind is MessageKind.HLR):
        return HlrResult(
            message_id=message_id,
            stat=stat,
            state=state,
            error=error,
            imsi=fields.get("imsi", ""),
            msc=fields.get("msc", ""),
            mcc=fields.get("mcc", ""),
            mnc=fields.get("mnc", ""),
            country=unquote_plus(fields.get("cn", "")),
            network=unquote_plus(fields.get("net", "")),
            roaming_country=unquote_plus(fields.get("rcn", "")),
            roaming_network=unquote_plus(fields.get("rnet", "")),
            text=text,
            cost=cost,
            flags=flags,
            mccmnc=mccmnc,
            source_addr=pdu.source_addr,
            destination_addr=pdu.destination_addr,
            tlvs=tlvs,
        )
    extra_value = tlv_int(tlvs, Tag.SMSC_EXTRA_STATE)
    extra: ExtraState | int | None = extra_value
    if extra_value is not None:
        with contextlib.suppress(ValueError):  # a value not documented stays a number
            extra = ExtraState(extra_value)
    network = find_tlv(tlvs, Tag.NETWORK_ERROR_CODE)
    network_error = None
    if network is not None and len(network.value) == 3:
        network_error = NetworkError(network.value[0], int.from_bytes(network.value[1:], "big"))
    return DeliveryReceipt(
        message_id=message_id,
        stat=stat,
        state=state,
        error=error,
        submitted_parts=_int(fields.get("sub")),
        delivered_parts=_int(fields.get("dlvrd")),
        submit_date=_date(fields.get("submit date")),
        done_date=_date(fields.get("done date")),
        text=text,
        cost=cost,
        flags=flags,
        parts=tlv_int(tlvs, Tag.SMSC_PARTS),
        mccmnc=mccmnc,
        extra_state=extra,
        network_error=network_error,
        source_addr=pdu.source_addr,
        destination_addr=pdu.destination_addr,
        tlvs=tlvs,
    )


def format_receipt_text(
    message_id: str,
    *,
    stat: str = "DELIVRD",
    err: int = 0,
    sub: int = 1,
    dlvrd: int | None = None,
    submit_date: datetime | None = None,
    done_date: datetime | None = None,
) -> str:
    """The service's receipt text, e.g. ``id:854019 sub:001 dlvrd:001 submit date:1108202241
    done date:1108202241 stat:DELIVRD err:000``."""
    now = datetime.now()
    if dlvrd is None:
        dlvrd = sub if stat == "DELIVRD" else 0
    return (
        f"id:{message_id} sub:{sub:03d} dlvrd:{dlvrd:03d} "
        f"submit date:{(submit_date or now):%y%m%d%H%M} done date:{(done_date or now):%y%m%d%H%M} "
        f"stat:{stat} err:{err:03d}"
    )


def _service_tlvs(
    cost: Decimal | str | None,
    flags: MessageFlags | None,
    parts: int | None,
    mccmnc: str | None,
    extra_state: int | None,
) -> list[Tlv]:
    tlvs: list[Tlv] = []
    if cost is not None:
        tlvs.append(Tlv.cstring(Tag.SMSC_COST, f"{Decimal(cost):.4f}"))
    if flags is not None:
        tlvs.append(Tlv.integer(Tag.SMSC_MESSAGE_FLAGS, flags.raw, 2))
    if parts is not None:
        tlvs.append(Tlv.integer(Tag.SMSC_PARTS, parts, 2))
    if mccmnc is not None:
        tlvs.append(Tlv.cstring(Tag.SMSC_MCCMNC, mccmnc))
    if extra_state is not None:
        tlvs.append(Tlv.integer(Tag.SMSC_EXTRA_STATE, extra_state, 2))
    return tlvs


def _receipt_pdu(text: str, phone: str, sender: str, tlvs: list[Tlv]) -> DeliverSm:
    data = text.encode("latin-1", errors="replace")
    if len(data) > 254:  # too long for short_message: the text travels in message_payload
        tlvs = [*tlvs, Tlv(Tag.MESSAGE_PAYLOAD, data)]
        data = b""
    return DeliverSm(
        source_addr_ton=1,
        source_addr_npi=1,
        source_addr=phone,
        destination_addr=sender,
        esm_class=EsmClass.SMSC_DELIVERY_RECEIPT,
        short_message=data,
        tlvs=tlvs,
    )


def build_receipt(
    message_id: str,
    *,
    phone: str,
    sender: str = "",
    stat: str = "DELIVRD",
    err: int = 0,
    sub: int = 1,
    dlvrd: int | None = None,
    submit_date: datetime | None = None,
    done_date: datetime | None = None,
    cost: Decimal | str | None = None,
    flags: MessageFlags | None = None,
    parts: int | None = None,
    mccmnc: str | None = None,
    extra_state: int | None = None,
    extra_tlvs: Sequence[Tlv] = (),
) -> DeliverSm:
    """A receipt deliver_sm as the service sends it (from ``phone`` to ``sender``)."""
    text = format_receipt_text(
        message_id,
        stat=stat,
        err=err,
        sub=sub,
        dlvrd=dlvrd,
        submit_date=submit_date,
        done_date=done_date,
    )
    state = _STAT_STATE.get(stat, MessageState.UNKNOWN)
    tlvs = [
        Tlv.cstring(Tag.RECEIPTED_MESSAGE_ID, message_id),
        Tlv.integer(Tag.MESSAGE_STATE, state, 1),
        Tlv(Tag.NETWORK_ERROR_CODE, bytes((3,)) + (err & 0xFFFF).to_bytes(2, "big")),
        *_service_tlvs(cost, flags, parts, mccmnc, extra_state),
        *extra_tlvs,
    ]
    return _receipt_pdu(text, phone, sender, tlvs)


def build_hlr_result(
    message_id: str,
    *,
    phone: str,
    sender: str = "",
    stat: str = "DELIVRD",
    err: int = 0,
    imsi: str = "",
    msc: str = "",
    mcc: str = "",
    mnc: str = "",
    country: str = "",
    network: str = "",
    roaming_country: str = "",
    roaming_network: str = "",
    cost: Decimal | str | None = None,
) -> DeliverSm:
    """An HLR result deliver_sm as the service sends it (names urlencoded)."""
    text = (
        f"id:{message_id} stat:{stat} err:{err:03d} imsi:{imsi} msc:{msc} mcc:{mcc} mnc:{mnc} "
        f"cn:{quote_plus(country)} net:{quote_plus(network)} "
        f"rcn:{quote_plus(roaming_country)} rnet:{quote_plus(roaming_network)}"
    )
    state = _STAT_STATE.get(stat, MessageState.UNKNOWN)
    tlvs = [
        Tlv.cstring(Tag.RECEIPTED_MESSAGE_ID, message_id),
        Tlv.integer(Tag.MESSAGE_STATE, state, 1),
        *_service_tlvs(cost, MessageFlags.build(MessageKind.HLR), 1, f"{mcc}{mnc}" or None, None),
    ]
    return _receipt_pdu(text, phone, sender, tlvs)


# What status.php says for an SMPP message_state: on the way, and failures.
_PENDING_STATUSES = {
    MessageState.ENROUTE: MessageStatus.PASSED_TO_OPERATOR,
    MessageState.ACCEPTED: MessageStatus.PASSED_TO_OPERATOR,
    MessageState.SCHEDULED: MessageStatus.WAITING,
}
_FAILED_STATUSES = {
    MessageState.UNDELIVERABLE: MessageStatus.UNDELIVERABLE,
    MessageState.REJECTED: MessageStatus.PROHIBITED,
    MessageState.EXPIRED: MessageStatus.EXPIRED,
    MessageState.DELETED: MessageStatus.STOPPED,
}
# Error codes of a failed message ("Error codes in the status") with a status code of their own.
_ERROR_STATUSES = {
    224: MessageStatus.INSUFFICIENT_FUNDS,
    249: MessageStatus.INVALID_NUMBER,
}


def receipt_status(report: Report) -> MessageStatus | None:
    """The status of the service's status.php that ``report`` stands for, so that a receipt
    over SMPP and a status read over HTTP say the same thing (None for UNKNOWN and SKIPPED, and
    a report without a state: status.php tells what became of such a message).

    Delivered is refined by the service's TLV 0x2004 (read, link clicked); a failure by the
    error code where status.php has a code of its own (insufficient funds, invalid number).
    """
    state = report.state
    if state is None:
        return None
    if state is MessageState.DELIVERED:
        extra = report.extra_state if isinstance(report, DeliveryReceipt) else None
        if extra == ExtraState.READ:
            return MessageStatus.READ
        if extra == ExtraState.LINK_CLICKED:
            return MessageStatus.CLICKED
        return MessageStatus.DELIVERED
    pending = _PENDING_STATUSES.get(state)
    if pending is not None:
        return pending
    if state in (MessageState.UNDELIVERABLE, MessageState.REJECTED):
        special = _ERROR_STATUSES.get(report.error or 0)
        if special is not None:
            return special
    return _FAILED_STATUSES.get(state)
