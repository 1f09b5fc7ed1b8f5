# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Optional parameters (TLVs): every one is kept as raw ``(tag, bytes)``, known or not.

Nothing is lost or rejected because of an unknown tag or an odd length: typed values are read on
demand (:meth:`Tlv.as_int`, :meth:`Tlv.as_str`) and readers never raise.
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import PduDecodeError
from .status import CommandStatus

__all__ = ["Tag", "Tlv", "decode_tlvs", "encode_tlvs", "find_tlv", "tlv_int", "tlv_str"]

_TL = struct.Struct(">HH")


class Tag(enum.IntEnum):
    """Tags of SMPP 3.4 (section 5.3.2) and of the SMSC service (0x2000-0x2004)."""

    DEST_ADDR_SUBUNIT = 0x0005
    DEST_NETWORK_TYPE = 0x0006
    DEST_BEARER_TYPE = 0x0007
    DEST_TELEMATICS_ID = 0x0008
    SOURCE_ADDR_SUBUNIT = 0x000D
    SOURCE_NETWORK_TYPE = 0x000E
    SOURCE_BEARER_TYPE = 0x000F
    SOURCE_TELEMATICS_ID = 0x0010
    QOS_TIME_TO_LIVE = 0x0017
    PAYLOAD_TYPE = 0x0019
    ADDITIONAL_STATUS_INFO_TEXT = 0x001D
    RECEIPTED_MESSAGE_ID = 0x001E
    MS_MSG_WAIT_FACILITIES = 0x0030
    PRIVACY_INDICATOR = 0x0201
    SOURCE_SUBADDRESS = 0x0202
    DEST_SUBADDRESS = 0x0203
    USER_MESSAGE_REFERENCE = 0x0204
    USER_RESPONSE_CODE = 0x0205
    SOURCE_PORT = 0x020A
    DESTINATION_PORT = 0x020B
    SAR_MSG_REF_NUM = 0x020C
    LANGUAGE_INDICATOR = 0x020D
    SAR_TOTAL_SEGMENTS = 0x020E
    SAR_SEGMENT_SEQNUM = 0x020F
    SC_INTERFACE_VERSION = 0x0210
    CALLBACK_NUM_PRES_IND = 0x0302
    CALLBACK_NUM_ATAG = 0x0303
    NUMBER_OF_MESSAGES = 0x0304
    CALLBACK_NUM = 0x0381
    DPF_RESULT = 0x0420
    SET_DPF = 0x0421
    MS_AVAILABILITY_STATUS = 0x0422
    NETWORK_ERROR_CODE = 0x0423
    MESSAGE_PAYLOAD = 0x0424
    DELIVERY_FAILURE_REASON = 0x0425
    MORE_MESSAGES_TO_SEND = 0x0426
    MESSAGE_STATE = 0x0427
    USSD_SERVICE_OP = 0x0501
    DISPLAY_TIME = 0x1201
    SMS_SIGNAL = 0x1203
    MS_VALIDITY = 0x1204
    ALERT_ON_MESSAGE_DELIVERY = 0x130C
    ITS_REPLY_TYPE = 0x1380
    ITS_SESSION_INFO = 0x1383
    # The SMSC service's own tags in deliver_sm receipts (seeds/smpp-protocol.txt).
    SMSC_COST = 0x2000
    SMSC_MESSAGE_FLAGS = 0x2001
    SMSC_PARTS = 0x2002
    SMSC_MCCMNC = 0x2003
    SMSC_EXTRA_STATE = 0x2004


@dataclass(frozen=True)
class Tlv:
    """One optional parameter, exactly as it travels."""

    tag: int
    value: bytes = b""

    @classmethod
    def integer(cls, tag: int, value: int, size: int) -> Tlv:
        """An unsigned big-endian integer of ``size`` octets (1, 2 or 4)."""
        return cls(tag, value.to_bytes(size, "big"))

    @classmethod
    def cstring(cls, tag: int, value: str) -> Tlv:
        """A NUL-terminated ASCII string (C-Octet String)."""
        return cls(tag, value.encode("latin-1") + b"\0")

    @property
    def name(self) -> str:
        try:
            return Tag(self.tag).name
        except ValueError:
            return f"0x{self.tag:04X}"

    def as_int(self) -> int:
        """The value read as an unsigned big-endian integer (0 when empty)."""
        return int.from_bytes(self.value, "big") if self.value else 0

    def as_str(self) -> str:
        """The value read as text, without a trailing NUL (Latin-1, never fails)."""
        value = self.value
        nul = value.find(b"\0")
        if nul >= 0:
            value = value[:nul]
        return value.decode("latin-1")

    def __repr__(self) -> str:
        return f"Tlv({self.name}, {self.value!r})"


def encode_tlvs(tlvs: Iterable[Tlv]) -> bytes:
    out = bytearray()
    for tlv in tlvs:
        if len(tlv.value) > 0xFFFF:
            raise ValueError(f"TLV {tlv.name} is longer than 65535 octets")
        out += _TL.pack(tlv.tag, len(tlv.value))
        out += tlv.value
    return bytes(out)


def decode_tlvs(data: bytes, offset: int, sequence_number: int = 0) -> list[Tlv]:
    """Read TLVs from ``offset`` to the end of ``data``; a truncated one is an error."""
    tlvs: list[Tlv] = []
    end = len(data)
    while offset < end:
        if end - offset < 4:
            raise PduDecodeError(
                "truncated optional parameter header",
                status=CommandStatus.ESME_RINVOPTPARSTREAM,
                sequence_number=sequence_number,
            )
        tag, length = _TL.unpack_from(data, offset)
        offset += 4
        if end - offset < length:
            raise PduDecodeError(
                f"optional parameter 0x{tag:04X} is longer than the PDU",
                status=CommandStatus.ESME_RINVPARLEN,
                sequence_number=sequence_number,
            )
        tlvs.append(Tlv(tag, bytes(data[offset : offset + length])))
        offset += length
    return tlvs


def find_tlv(tlvs: Sequence[Tlv], tag: int) -> Tlv | None:
    """The first TLV with ``tag``, if any."""
    for tlv in tlvs:
        if tlv.tag == tag:
            return tlv
    return None


def tlv_int(tlvs: Sequence[Tlv], tag: int) -> int | None:
    tlv = find_tlv(tlvs, tag)
    return None if tlv is None else tlv.as_int()


def tlv_str(tlvs: Sequence[Tlv], tag: int) -> str | None:
    tlv = find_tlv(tlvs, tag)
    return None if tlv is None else tlv.as_str()
