# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Incoming messages (MO): one deliver_sm, or the reassembled parts of a long one, as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..text import Encoding, detect_encoding
from .coding import data_coding_for, decode_message, is_binary
from .concat import ConcatMethod, build_parts, user_data
from .pdu import DeliverSm
from .tlv import Tlv

__all__ = ["IncomingSms", "assemble", "build_incoming"]


@dataclass(frozen=True)
class IncomingSms:
    """A message received from a phone (``source``) on one of the account's numbers.

    ``complete`` is False when the parts of a long message did not all arrive within the
    reassembly timeout: ``text`` then holds the parts that did, and ``missing_parts`` the
    1-based numbers of the others. ``payload`` is the user data (UDH removed) of all parts.
    """

    source: str
    destination: str
    text: str
    data_coding: int
    payload: bytes
    parts: int = 1
    complete: bool = True
    missing_parts: tuple[int, ...] = ()
    binary: bool = False
    esm_class: int = 0
    protocol_id: int = 0
    service_type: str = ""
    source_addr_ton: int = 0
    source_addr_npi: int = 0
    udh: bytes = b""
    tlvs: tuple[Tlv, ...] = ()
    received_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


def assemble(parts: Sequence[DeliverSm | None]) -> IncomingSms:
    """One message from its parts in order (None marks a part that never came).

    The user data of the parts is joined before decoding, so a character whose octets a
    sender spread over two parts still decodes.
    """
    present = [(i, p) for i, p in enumerate(parts, 1) if p is not None]
    if not present:
        raise ValueError("no part to assemble")
    first = present[0][1]
    udh = b""
    chunks: list[bytes] = []
    for index, pdu in present:
        part_udh, data = user_data(pdu)
        if index == present[0][0]:
            udh = part_udh
        chunks.append(data)
    payload = b"".join(chunks)
    missing = tuple(i for i, p in enumerate(parts, 1) if p is None)
    return IncomingSms(
        source=first.source_addr,
        destination=first.destination_addr,
        text=decode_message(first.data_coding, payload),
        data_coding=first.data_coding,
        payload=payload,
        parts=len(parts),
        complete=not missing,
        missing_parts=missing,
        binary=is_binary(first.data_coding),
        esm_class=first.esm_class,
        protocol_id=first.protocol_id,
        service_type=first.service_type,
        source_addr_ton=first.source_addr_ton,
        source_addr_npi=first.source_addr_npi,
        udh=udh,
        tlvs=tuple(first.tlvs),
    )


def build_incoming(
    source: str,
    destination: str,
    text: str,
    *,
    encoding: Encoding | None = None,
    method: ConcatMethod = ConcatMethod.UDH,
    reference: int = 0,
) -> list[DeliverSm]:
    """The deliver_sm PDUs that carry an incoming ``text`` (server side, for the emulator)."""
    if encoding is None:
        encoding = detect_encoding(text)
    data_coding = data_coding_for(encoding)
    return [
        DeliverSm(
            source_addr_ton=1,
            source_addr_npi=1,
            source_addr=source,
            dest_addr_ton=1,
            dest_addr_npi=1,
            destination_addr=destination,
            esm_class=part.esm_class,
            data_coding=data_coding,
            short_message=part.short_message,
            tlvs=list(part.tlvs),
        )
        for part in build_parts(text, encoding, reference=reference, method=method)
    ]
