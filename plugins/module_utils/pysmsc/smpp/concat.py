# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Long messages: splitting into concatenated parts, and reassembling incoming parts.

Sending: :func:`build_parts` splits a text with :func:`pysmsc.text.split` (which never cuts an
escape pair or a surrogate pair) and marks each part with a concatenation UDH with an 8-bit
reference (``05 00 03 ref total seq``, the form every SMSC understands), or with the SAR TLVs,
or sends the whole text in one ``message_payload``.

Receiving: :func:`concat_info` finds how an incoming part is marked (UDH with an 8- or 16-bit
reference, SAR TLVs 0x020C/0x020E/0x020F, or none), and :class:`Reassembler` collects parts until a
set is complete, or gives up on it after a timeout.
"""

from __future__ import annotations

import enum
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..text import Encoding, encode, split
from .pdu import EsmClass, ShortMessagePdu
from .tlv import Tag, Tlv, find_tlv, tlv_int

__all__ = [
    "ConcatInfo",
    "ConcatMethod",
    "MessagePart",
    "Reassembler",
    "build_parts",
    "concat_info",
    "parse_udh",
    "user_data",
]

T = TypeVar("T")


class ConcatMethod(str, enum.Enum):
    """How a long message travels."""

    UDH = "udh"  # parts with a concatenation User Data Header (8-bit reference): the default
    SAR = "sar"  # parts marked with sar_msg_ref_num / sar_total_segments / sar_segment_seqnum
    PAYLOAD = "payload"  # one submit_sm whose message_payload TLV holds the whole text


@dataclass(frozen=True)
class ConcatInfo:
    """Where a part belongs: ``sequence`` (1-based) of ``total`` in the set ``reference``."""

    reference: int
    total: int
    sequence: int
    scheme: str  # "udh8", "udh16" or "sar"


@dataclass(frozen=True)
class MessagePart:
    """One submit_sm's worth of a message: short_message, esm_class bits and TLVs to add."""

    short_message: bytes
    esm_class: int = 0
    tlvs: tuple[Tlv, ...] = ()


def build_parts(
    text: str,
    encoding: Encoding,
    *,
    reference: int,
    method: ConcatMethod = ConcatMethod.UDH,
    encoded: bytes | None = None,
) -> list[MessagePart]:
    """Encode ``text`` into the parts to send (one part when it fits one SMS).
    ``encoded``: ``text`` already encoded in ``encoding``, if the caller has it."""
    data = encode(text, encoding) if encoded is None else encoded
    if method is ConcatMethod.PAYLOAD:
        if len(data) <= 254:
            return [MessagePart(data)]
        if len(data) > 0xFFFF:
            raise ValueError("the text is longer than message_payload can carry (64 KiB)")
        return [MessagePart(b"", 0, (Tlv(Tag.MESSAGE_PAYLOAD, data),))]
    # One SMS holds 160 septets (one octet each here), or 140 octets of UCS2 / ISO-8859-1.
    if len(data) <= (160 if encoding is Encoding.GSM7 else 140):
        return [MessagePart(data)]
    chunks = split(text, encoding)
    if len(chunks) == 1:
        return [MessagePart(data)]
    total = len(chunks)
    if total > 255:
        raise ValueError(f"the text needs {total} parts; at most 255 can be concatenated")
    parts: list[MessagePart] = []
    if method is ConcatMethod.SAR:
        ref = Tlv.integer(Tag.SAR_MSG_REF_NUM, reference & 0xFFFF, 2)
        count = Tlv.integer(Tag.SAR_TOTAL_SEGMENTS, total, 1)
        for seq, chunk in enumerate(chunks, 1):
            parts.append(
                MessagePart(
                    encode(chunk, encoding),
                    0,
                    (ref, count, Tlv.integer(Tag.SAR_SEGMENT_SEQNUM, seq, 1)),
                )
            )
        return parts
    ref8 = reference & 0xFF
    for seq, chunk in enumerate(chunks, 1):
        udh = bytes((5, 0, 3, ref8, total, seq))
        parts.append(MessagePart(udh + encode(chunk, encoding), EsmClass.UDHI))
    return parts


def parse_udh(data: bytes) -> tuple[bytes, ConcatInfo | None, bytes]:
    """Split ``data`` (starting with a UDH) into (UDH, concatenation info, user data).

    A UDH that claims more octets than there are is not a UDH: the whole is user data.
    """
    if not data or data[0] + 1 > len(data):
        return b"", None, data
    end = data[0] + 1
    udh, rest = data[:end], data[end:]
    info: ConcatInfo | None = None
    pos = 1
    while pos + 2 <= end:
        iei, iel = udh[pos], udh[pos + 1]
        ie = udh[pos + 2 : pos + 2 + iel]
        if len(ie) < iel:
            break
        if iei == 0x00 and iel == 3:
            info = ConcatInfo(ie[0], ie[1], ie[2], "udh8")
        elif iei == 0x08 and iel == 4:
            info = ConcatInfo((ie[0] << 8) | ie[1], ie[2], ie[3], "udh16")
        pos += 2 + iel
    if info is not None and not 1 <= info.sequence <= info.total:
        info = None
    return udh, info, rest


def user_data(pdu: ShortMessagePdu) -> tuple[bytes, bytes]:
    """(UDH, user data) of an incoming PDU, from message_payload when it is there."""
    payload = find_tlv(pdu.tlvs, Tag.MESSAGE_PAYLOAD)
    data = payload.value if payload is not None and not pdu.short_message else pdu.short_message
    if pdu.esm_class & EsmClass.UDHI:
        udh, _, rest = parse_udh(data)
        return udh, rest
    return b"", data


def concat_info(pdu: ShortMessagePdu) -> ConcatInfo | None:
    """How ``pdu`` is marked as a part of a longer message, if it is."""
    if pdu.esm_class & EsmClass.UDHI:
        payload = find_tlv(pdu.tlvs, Tag.MESSAGE_PAYLOAD)
        data = payload.value if payload is not None and not pdu.short_message else pdu.short_message
        info = parse_udh(data)[1]
        if info is not None:
            return info
    ref = tlv_int(pdu.tlvs, Tag.SAR_MSG_REF_NUM)
    total = tlv_int(pdu.tlvs, Tag.SAR_TOTAL_SEGMENTS)
    seq = tlv_int(pdu.tlvs, Tag.SAR_SEGMENT_SEQNUM)
    if ref is not None and total is not None and seq is not None and 1 <= seq <= total:
        return ConcatInfo(ref, total, seq, "sar")
    return None


@dataclass
class _PartSet(Generic[T]):
    total: int
    deadline: float
    parts: dict[int, T]


class Reassembler(Generic[T]):
    """Collects the parts of concatenated messages.

    :meth:`add` returns the parts in order once a set is complete. A set not complete within
    ``timeout`` seconds is handed out by :meth:`expire` with None for the missing parts, so that
    nothing is silently lost. At most ``max_sets`` sets are kept (the oldest expires first).
    """

    def __init__(
        self,
        timeout: float = 60.0,
        *,
        max_sets: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self.max_sets = max_sets
        self._clock = clock
        self._sets: OrderedDict[Hashable, _PartSet[T]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._sets)

    def add(self, key: Hashable, info: ConcatInfo, item: T) -> list[T] | None:
        """Store one part; the whole set, in order, when this part completes it."""
        full_key = (key, info.scheme, info.reference, info.total)
        entry = self._sets.get(full_key)
        if entry is None:
            entry = _PartSet(info.total, self._clock() + self.timeout, {})
            self._sets[full_key] = entry
        entry.parts.setdefault(info.sequence, item)  # a repeated part is ignored
        if len(entry.parts) == entry.total:
            del self._sets[full_key]
            return [entry.parts[i] for i in range(1, entry.total + 1)]
        return None

    def next_deadline(self) -> float | None:
        """When the oldest incomplete set expires (clock time), if there is one."""
        for entry in self._sets.values():
            return entry.deadline
        return None

    def expire(self, now: float | None = None) -> list[Sequence[T | None]]:
        """Remove and return the sets that timed out (or overflow ``max_sets``)."""
        now = self._clock() if now is None else now
        expired: list[Sequence[T | None]] = []
        while self._sets:
            key, entry = next(iter(self._sets.items()))
            if entry.deadline > now and len(self._sets) <= self.max_sets:
                break
            del self._sets[key]
            expired.append([entry.parts.get(i) for i in range(1, entry.total + 1)])
        return expired

    def clear(self) -> None:
        self._sets.clear()
