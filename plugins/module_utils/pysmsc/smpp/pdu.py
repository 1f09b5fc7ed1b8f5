# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""SMPP 3.4 PDUs: dataclasses and a struct-based codec.

:func:`decode_pdu` turns one complete frame into a PDU object: a command this module does not
model becomes an :class:`UnknownPdu` (the session answers it with generic_nack), and bytes that
do not parse raise :class:`~pysmsc.smpp.errors.PduDecodeError` carrying the command_status for
the generic_nack. Every optional parameter is kept as a raw :class:`~pysmsc.smpp.tlv.Tlv`.
Responses are read leniently (a body left out, as many SMSCs do for error answers, gives the
default values); requests strictly.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar

from .errors import PduDecodeError
from .status import CommandId, CommandStatus
from .tlv import Tlv, decode_tlvs, encode_tlvs

__all__ = [
    "DEFAULT_MAX_PDU_SIZE",
    "HEADER",
    "HEADER_SIZE",
    "BindBase",
    "BindReceiver",
    "BindReceiverResp",
    "BindRespBase",
    "BindTransceiver",
    "BindTransceiverResp",
    "BindTransmitter",
    "BindTransmitterResp",
    "DeliverSm",
    "DeliverSmResp",
    "EnquireLink",
    "EnquireLinkResp",
    "EsmClass",
    "GenericNack",
    "Pdu",
    "QuerySm",
    "QuerySmResp",
    "ShortMessagePdu",
    "SubmitSm",
    "SubmitSmResp",
    "Unbind",
    "UnbindResp",
    "UnknownPdu",
    "decode_pdu",
    "smpp_time",
]

HEADER = struct.Struct(">IIII")
HEADER_SIZE = 16
# message_payload may carry up to 64 KiB; anything larger is not a PDU but garbage.
DEFAULT_MAX_PDU_SIZE = 70_000
_RESPONSE_BIT = 0x80000000

_B = struct.Struct(">B")
_BB = struct.Struct(">BB")
_BBB = struct.Struct(">BBB")
_SM_MID = struct.Struct(">BBB")  # esm_class, protocol_id, priority_flag
_SM_TAIL = struct.Struct(">BBBBB")  # registered_delivery .. sm_length


class EsmClass:
    """Bits of esm_class used here."""

    UDHI = 0x40  # short_message starts with a User Data Header
    REPLY_PATH = 0x80
    TYPE_MASK = 0x3C
    SMSC_DELIVERY_RECEIPT = 0x04
    SME_DELIVERY_ACK = 0x08
    SME_MANUAL_ACK = 0x10
    INTERMEDIATE_NOTIFICATION = 0x20


class _Reader:
    """Cursor over a PDU body; every read checks bounds and raises PduDecodeError."""

    __slots__ = ("data", "pos", "seq")

    def __init__(self, data: bytes, pos: int, seq: int) -> None:
        self.data = data
        self.pos = pos
        self.seq = seq

    def _fail(self, what: str, status: int = CommandStatus.ESME_RINVCMDLEN) -> PduDecodeError:
        return PduDecodeError(what, status=status, sequence_number=self.seq)

    def cstr(self, name: str, max_len: int = 0xFFFF) -> str:
        data = self.data
        end = data.find(b"\0", self.pos, self.pos + max_len + 1)
        if end < 0:
            raise self._fail(f"{name}: no terminating NUL within {max_len} octets")
        value = data[self.pos : end].decode("latin-1")
        self.pos = end + 1
        return value

    def u8(self, name: str) -> int:
        if self.pos >= len(self.data):
            raise self._fail(f"{name}: PDU body too short")
        value = self.data[self.pos]
        self.pos += 1
        return value

    def u32(self, name: str) -> int:
        if self.pos + 4 > len(self.data):
            raise self._fail(f"{name}: PDU body too short")
        value: int = int.from_bytes(self.data[self.pos : self.pos + 4], "big")
        self.pos += 4
        return value

    def octets(self, name: str, length: int) -> bytes:
        if self.pos + length > len(self.data):
            raise self._fail(f"{name}: {length} octets announced, fewer present")
        value = bytes(self.data[self.pos : self.pos + length])
        self.pos += length
        return value

    def tlvs(self) -> list[Tlv]:
        return decode_tlvs(self.data, self.pos, self.seq)

    @property
    def at_end(self) -> bool:
        return self.pos >= len(self.data)


def _c(value: str) -> bytes:
    return value.encode("latin-1") + b"\0"


@dataclass
class Pdu:
    """Base of every PDU: header fields and the optional parameters."""

    COMMAND_ID: ClassVar[int] = 0
    command_status: int = 0
    sequence_number: int = 0
    tlvs: list[Tlv] = field(default_factory=list)

    @property
    def command_id(self) -> int:
        return self.COMMAND_ID

    @property
    def command_name(self) -> str:
        try:
            return CommandId(self.command_id).name.lower()
        except ValueError:
            return f"command_0x{self.command_id:08x}"

    @property
    def is_response(self) -> bool:
        return bool(self.command_id & _RESPONSE_BIT)

    def _encode_body(self) -> bytes:
        return b""

    def encode(self) -> bytes:
        """The PDU as it travels (command_length included)."""
        if self.command_status and self.command_id & _RESPONSE_BIT:
            body = b""  # SMPP 3.4: a response with an error status carries no body
        else:
            body = self._encode_body()
            if self.tlvs:
                body += encode_tlvs(self.tlvs)
        return (
            HEADER.pack(
                HEADER_SIZE + len(body), self.command_id, self.command_status, self.sequence_number
            )
            + body
        )

    @classmethod
    def _decode(cls, data: bytes, status: int, seq: int) -> Pdu:
        reader = _Reader(data, HEADER_SIZE, seq)
        return cls(command_status=status, sequence_number=seq, tlvs=reader.tlvs())

    def response(self, status: int = 0) -> Pdu:
        """The response PDU to this request (generic_nack when there is none)."""
        cls = _RESPONSE_CLASS.get(self.command_id, GenericNack)
        if cls is GenericNack and not status:
            status = CommandStatus.ESME_RINVCMDID
        return cls(command_status=status, sequence_number=self.sequence_number)


@dataclass
class GenericNack(Pdu):
    COMMAND_ID: ClassVar[int] = CommandId.GENERIC_NACK


@dataclass
class EnquireLink(Pdu):
    COMMAND_ID: ClassVar[int] = CommandId.ENQUIRE_LINK


@dataclass
class EnquireLinkResp(Pdu):
    COMMAND_ID: ClassVar[int] = CommandId.ENQUIRE_LINK_RESP


@dataclass
class Unbind(Pdu):
    COMMAND_ID: ClassVar[int] = CommandId.UNBIND


@dataclass
class UnbindResp(Pdu):
    COMMAND_ID: ClassVar[int] = CommandId.UNBIND_RESP


@dataclass
class BindBase(Pdu):
    """bind_transmitter / bind_receiver / bind_transceiver. The password never shows in repr."""

    system_id: str = ""
    password: str = field(default="", repr=False)
    system_type: str = ""
    interface_version: int = 0x34
    addr_ton: int = 0
    addr_npi: int = 0
    address_range: str = ""

    def _encode_body(self) -> bytes:
        return b"".join(
            (
                _c(self.system_id),
                _c(self.password),
                _c(self.system_type),
                _BBB.pack(self.interface_version, self.addr_ton, self.addr_npi),
                _c(self.address_range),
            )
        )

    @classmethod
    def _decode(cls, data: bytes, status: int, seq: int) -> Pdu:
        r = _Reader(data, HEADER_SIZE, seq)
        return cls(
            command_status=status,
            sequence_number=seq,
            # 3.4 allows 15/8/12 octets; longer values are read as they come
            # (the service's own system_type "MCON9,ISO,SINGLE" is longer than 12).
            system_id=r.cstr("system_id", 64),
            password=r.cstr("password", 64),
            system_type=r.cstr("system_type", 64),
            interface_version=r.u8("interface_version"),
            addr_ton=r.u8("addr_ton"),
            addr_npi=r.u8("addr_npi"),
            address_range=r.cstr("address_range", 64),
            tlvs=r.tlvs(),
        )


@dataclass
class BindTransmitter(BindBase):
    COMMAND_ID: ClassVar[int] = CommandId.BIND_TRANSMITTER


@dataclass
class BindReceiver(BindBase):
    COMMAND_ID: ClassVar[int] = CommandId.BIND_RECEIVER


@dataclass
class BindTransceiver(BindBase):
    COMMAND_ID: ClassVar[int] = CommandId.BIND_TRANSCEIVER


@dataclass
class BindRespBase(Pdu):
    system_id: str = ""

    def _encode_body(self) -> bytes:
        return _c(self.system_id)

    @classmethod
    def _decode(cls, data: bytes, status: int, seq: int) -> Pdu:
        r = _Reader(data, HEADER_SIZE, seq)
        if r.at_end:
            return cls(command_status=status, sequence_number=seq)
        return cls(
            command_status=status,
            sequence_number=seq,
            system_id=r.cstr("system_id"),
            tlvs=r.tlvs(),
        )


@dataclass
class BindTransmitterResp(BindRespBase):
    COMMAND_ID: ClassVar[int] = CommandId.BIND_TRANSMITTER_RESP


@dataclass
class BindReceiverResp(BindRespBase):
    COMMAND_ID: ClassVar[int] = CommandId.BIND_RECEIVER_RESP


@dataclass
class BindTransceiverResp(BindRespBase):
    COMMAND_ID: ClassVar[int] = CommandId.BIND_TRANSCEIVER_RESP


@dataclass
class ShortMessagePdu(Pdu):
    """The common body of submit_sm and deliver_sm."""

    service_type: str = ""
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    source_addr: str = ""
    dest_addr_ton: int = 0
    dest_addr_npi: int = 0
    destination_addr: str = ""
    esm_class: int = 0
    protocol_id: int = 0
    priority_flag: int = 0
    schedule_delivery_time: str = ""
    validity_period: str = ""
    registered_delivery: int = 0
    replace_if_present_flag: int = 0
    data_coding: int = 0
    sm_default_msg_id: int = 0
    short_message: bytes = b""

    def _encode_body(self) -> bytes:
        sm = self.short_message
        if len(sm) > 255:
            raise ValueError("short_message is longer than 255 octets; use message_payload")
        return b"".join(
            (
                self.service_type.encode("latin-1"),
                b"\0",
                _BB.pack(self.source_addr_ton, self.source_addr_npi),
                self.source_addr.encode("latin-1"),
                b"\0",
                _BB.pack(self.dest_addr_ton, self.dest_addr_npi),
                self.destination_addr.encode("latin-1"),
                b"\0",
                _SM_MID.pack(self.esm_class, self.protocol_id, self.priority_flag),
                self.schedule_delivery_time.encode("latin-1"),
                b"\0",
                self.validity_period.encode("latin-1"),
                b"\0",
                _SM_TAIL.pack(
                    self.registered_delivery,
                    self.replace_if_present_flag,
                    self.data_coding,
                    self.sm_default_msg_id,
                    len(sm),
                ),
                sm,
            )
        )

    @classmethod
    def _decode(cls, data: bytes, status: int, seq: int) -> Pdu:
        # The hot path of a server: plain indexing instead of a reader object. C-strings are
        # read up to their NUL whatever 3.4's maximum (other SMSCs send longer addresses).
        try:
            find = data.index
            pos = HEADER_SIZE
            end = find(b"\0", pos)
            service_type = data[pos:end].decode("latin-1")
            source_addr_ton, source_addr_npi = data[end + 1], data[end + 2]
            pos = end + 3
            end = find(b"\0", pos)
            source_addr = data[pos:end].decode("latin-1")
            dest_addr_ton, dest_addr_npi = data[end + 1], data[end + 2]
            pos = end + 3
            end = find(b"\0", pos)
            destination_addr = data[pos:end].decode("latin-1")
            esm_class, protocol_id, priority_flag = _SM_MID.unpack_from(data, end + 1)
            pos = end + 4
            end = find(b"\0", pos)
            schedule_delivery_time = data[pos:end].decode("latin-1")
            pos = end + 1
            end = find(b"\0", pos)
            validity_period = data[pos:end].decode("latin-1")
            registered, replace, data_coding, default_msg_id, sm_length = _SM_TAIL.unpack_from(
                data, end + 1
            )
        except (ValueError, IndexError, struct.error):
            raise PduDecodeError(
                "short message PDU body too short or unterminated",
                status=CommandStatus.ESME_RINVCMDLEN,
                sequence_number=seq,
            ) from None
        pos = end + 6
        short_message = bytes(data[pos : pos + sm_length])
        if len(short_message) != sm_length:
            raise PduDecodeError(
                f"short_message: {sm_length} octets announced, fewer present",
                status=CommandStatus.ESME_RINVCMDLEN,
                sequence_number=seq,
            )
        pos += sm_length
        return cls(
            status,
            seq,
            decode_tlvs(data, pos, seq) if pos < len(data) else [],
            service_type,
            source_addr_ton,
            source_addr_npi,
            source_addr,
            dest_addr_ton,
            dest_addr_npi,
            destination_addr,
            esm_class,
            protocol_id,
            priority_flag,
            schedule_delivery_time,
            validity_period,
            registered,
            replace,
            data_coding,
            default_msg_id,
            short_message,
        )


@dataclass
class SubmitSm(ShortMessagePdu):
    COMMAND_ID: ClassVar[int] = CommandId.SUBMIT_SM


@dataclass
class DeliverSm(ShortMessagePdu):
    COMMAND_ID: ClassVar[int] = CommandId.DELIVER_SM


@dataclass
class _MessageIdResp(Pdu):
    message_id: str = ""

    def _encode_body(self) -> bytes:
        return _c(self.message_id)

    @classmethod
    def _decode(cls, data: bytes, status: int, seq: int) -> Pdu:
        if len(data) <= HEADER_SIZE:
            return cls(command_status=status, sequence_number=seq)
        r = _Reader(data, HEADER_SIZE, seq)
        try:
            message_id = r.cstr("message_id", 255)
            tlvs = r.tlvs()
        except PduDecodeError:
            if status:
                return cls(command_status=status, sequence_number=seq)
            raise
        return cls(command_status=status, sequence_number=seq, message_id=message_id, tlvs=tlvs)


@dataclass
class SubmitSmResp(_MessageIdResp):
    COMMAND_ID: ClassVar[int] = CommandId.SUBMIT_SM_RESP


@dataclass
class DeliverSmResp(_MessageIdResp):
    COMMAND_ID: ClassVar[int] = CommandId.DELIVER_SM_RESP


@dataclass
class QuerySm(Pdu):
    COMMAND_ID: ClassVar[int] = CommandId.QUERY_SM
    message_id: str = ""
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    source_addr: str = ""

    def _encode_body(self) -> bytes:
        return (
            _c(self.message_id)
            + _BB.pack(self.source_addr_ton, self.source_addr_npi)
            + _c(self.source_addr)
        )

    @classmethod
    def _decode(cls, data: bytes, status: int, seq: int) -> Pdu:
        r = _Reader(data, HEADER_SIZE, seq)
        return cls(
            command_status=status,
            sequence_number=seq,
            message_id=r.cstr("message_id", 255),
            source_addr_ton=r.u8("source_addr_ton"),
            source_addr_npi=r.u8("source_addr_npi"),
            source_addr=r.cstr("source_addr", 255),
            tlvs=r.tlvs(),
        )


@dataclass
class QuerySmResp(Pdu):
    COMMAND_ID: ClassVar[int] = CommandId.QUERY_SM_RESP
    message_id: str = ""
    final_date: str = ""
    message_state: int = 0
    error_code: int = 0

    def _encode_body(self) -> bytes:
        return (
            _c(self.message_id)
            + _c(self.final_date)
            + _BB.pack(self.message_state, self.error_code)
        )

    @classmethod
    def _decode(cls, data: bytes, status: int, seq: int) -> Pdu:
        if len(data) <= HEADER_SIZE:
            return cls(command_status=status, sequence_number=seq)
        r = _Reader(data, HEADER_SIZE, seq)
        try:
            return cls(
                command_status=status,
                sequence_number=seq,
                message_id=r.cstr("message_id", 255),
                final_date=r.cstr("final_date", 64),
                message_state=r.u8("message_state"),
                error_code=r.u8("error_code"),
                tlvs=r.tlvs(),
            )
        except PduDecodeError:
            if status:
                return cls(command_status=status, sequence_number=seq)
            raise


@dataclass
class UnknownPdu(Pdu):
    """A command this module does not model (data_sm, submit_multi, cancel_sm, ...), raw."""

    raw_command_id: int = 0
    body: bytes = b""

    @property
    def command_id(self) -> int:
        return self.raw_command_id

    def _encode_body(self) -> bytes:
        return self.body


_CLASSES: dict[int, type[Pdu]] = {
    cls.COMMAND_ID: cls
    for cls in (
        GenericNack,
        EnquireLink,
        EnquireLinkResp,
        Unbind,
        UnbindResp,
        BindTransmitter,
        BindReceiver,
        BindTransceiver,
        BindTransmitterResp,
        BindReceiverResp,
        BindTransceiverResp,
        SubmitSm,
        SubmitSmResp,
        DeliverSm,
        DeliverSmResp,
        QuerySm,
        QuerySmResp,
    )
}

_RESPONSE_CLASS: dict[int, type[Pdu]] = {
    CommandId.ENQUIRE_LINK: EnquireLinkResp,
    CommandId.UNBIND: UnbindResp,
    CommandId.BIND_TRANSMITTER: BindTransmitterResp,
    CommandId.BIND_RECEIVER: BindReceiverResp,
    CommandId.BIND_TRANSCEIVER: BindTransceiverResp,
    CommandId.SUBMIT_SM: SubmitSmResp,
    CommandId.DELIVER_SM: DeliverSmResp,
    CommandId.QUERY_SM: QuerySmResp,
}


def decode_pdu(data: bytes) -> Pdu:
    """Decode one complete PDU (``command_length`` must equal ``len(data)``)."""
    if len(data) < HEADER_SIZE:
        raise PduDecodeError("PDU shorter than its header", status=CommandStatus.ESME_RINVCMDLEN)
    length, command_id, status, seq = HEADER.unpack_from(data)
    if length != len(data):
        raise PduDecodeError(
            f"command_length {length} does not match the {len(data)} octets received",
            status=CommandStatus.ESME_RINVCMDLEN,
            sequence_number=seq,
        )
    cls = _CLASSES.get(command_id)
    if cls is None:
        return UnknownPdu(
            command_status=status,
            sequence_number=seq,
            raw_command_id=command_id,
            body=bytes(data[HEADER_SIZE:]),
        )
    return cls._decode(data, status, seq)


def smpp_time(value: datetime | timedelta) -> str:
    """An SMPP time string: absolute ``YYMMDDhhmmsstnnp`` for a datetime (a naive one is local
    time), relative ``YYMMDDhhmmss000R`` for a timedelta (at most 99 days)."""
    if isinstance(value, timedelta):
        total = int(value.total_seconds())
        if total < 0 or value.days > 99:
            raise ValueError("a relative SMPP time must be between 0 and 99 days")
        days, rest = divmod(total, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"0000{days:02d}{hours:02d}{minutes:02d}{seconds:02d}000R"
    aware = value if value.tzinfo is not None else value.astimezone()
    offset = aware.utcoffset() or timedelta(0)
    quarters = int(abs(offset.total_seconds()) // 900)
    sign = "-" if offset < timedelta(0) else "+"
    tenths = aware.microsecond // 100_000
    return f"{aware:%y%m%d%H%M%S}{tenths}{quarters:02d}{sign}"
