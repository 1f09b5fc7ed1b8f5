# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What the emulator's SMPP side pushes to bound receivers and transceivers, as deliver_sm in
the service's format: delivery receipts (and HLR results) of messages submitted over SMPP with
registered_delivery, and incoming messages.

:class:`SmppDelivery` listens to the state's events and queues the PDUs on the
:class:`~pysmsc.smpp.server.SmppServer`, which hands them to a bound receiver of the login (or
keeps them until one binds). The PDUs themselves come from :mod:`pysmsc.smpp.receipts` and
:mod:`pysmsc.smpp.incoming`; this module only maps the emulator's statuses onto them.

Status (status.php) -> receipt ``stat`` and message_state (0x0427):

=====================================  ===========  ==============================
status                                 stat         message_state
=====================================  ===========  ==============================
-1 waiting, 0 passed to operator       ENROUTE      1 ENROUTE (query_sm only)
1 delivered, 2 read, 4 link clicked    DELIVRD      2 DELIVERED (0x2004 = 2 or 4)
3 expired                              EXPIRED      3 EXPIRED
-2 stopped                             DELETED      4 DELETED
20 undeliverable, 22 invalid number,   UNDELIV      5 UNDELIVERABLE
25 unavailable number
23 prohibited, 24 insufficient funds   REJECTD      8 REJECTED
anything else                          UNKNOWN      7 UNKNOWN
=====================================  ===========  ==============================
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from pysmsc.smpp.incoming import build_incoming
from pysmsc.smpp.receipts import MessageFlags, MessageState, build_hlr_result, build_receipt

from ..clock import moscow_datetime
from ..codes import Status
from ..models import EmulatorEvent, IncomingReceived, StatusChanged

if TYPE_CHECKING:
    from pysmsc.smpp.pdu import DeliverSm

    from ..models import IncomingMessage
    from .server import SmppServer

__all__ = ["SmppDelivery", "incoming_pdus", "message_state", "receipt_pdu", "stat_of"]

_STATES: dict[int, tuple[str, MessageState]] = {
    Status.WAITING: ("ENROUTE", MessageState.ENROUTE),
    Status.PASSED: ("ENROUTE", MessageState.ENROUTE),
    Status.DELIVERED: ("DELIVRD", MessageState.DELIVERED),
    Status.READ: ("DELIVRD", MessageState.DELIVERED),
    Status.CLICKED: ("DELIVRD", MessageState.DELIVERED),
    Status.EXPIRED: ("EXPIRED", MessageState.EXPIRED),
    Status.STOPPED: ("DELETED", MessageState.DELETED),
    Status.UNDELIVERABLE: ("UNDELIV", MessageState.UNDELIVERABLE),
    Status.INVALID_NUMBER: ("UNDELIV", MessageState.UNDELIVERABLE),
    Status.UNAVAILABLE: ("UNDELIV", MessageState.UNDELIVERABLE),
    Status.PROHIBITED: ("REJECTD", MessageState.REJECTED),
    Status.NO_MONEY: ("REJECTD", MessageState.REJECTED),
}
_UNKNOWN = ("UNKNOWN", MessageState.UNKNOWN)
# Read and link-clicked travel in the service's TLV 0x2004 on top of DELIVRD.
_EXTRA_STATES = {Status.READ: 2, Status.CLICKED: 4}


def stat_of(status: int) -> str:
    """The receipt's ``stat:`` word for a status."""
    return _STATES.get(status, _UNKNOWN)[0]


def message_state(status: int) -> MessageState:
    """The SMPP message_state for a status (query_sm, TLV 0x0427)."""
    return _STATES.get(status, _UNKNOWN)[1]


def receipt_pdu(event: StatusChanged) -> DeliverSm:
    """The deliver_sm the service sends when a message's status changed: a receipt with
    the standard and the service's TLVs, or the HLR result form for an ``__HLR__`` request."""
    message, recipient = event.message, event.recipient
    stat = stat_of(event.status)
    if message.kind == "hlr":
        return _hlr_result(event, stat)
    return build_receipt(
        str(message.id),
        phone=recipient.phone,
        sender=message.sender,
        stat=stat,
        err=event.err,
        sub=message.parts,
        submit_date=moscow_datetime(message.created),
        done_date=moscow_datetime(event.time),
        cost=recipient.cost,
        flags=MessageFlags.build(message.flag),
        parts=message.parts,
        mccmnc=recipient.mccmnc or None,
        extra_state=_EXTRA_STATES.get(event.status),
    )


def _hlr_result(event: StatusChanged, stat: str) -> DeliverSm:
    message, recipient = event.message, event.recipient
    phone = recipient.phone
    route = recipient.route if recipient.route is not None and recipient.route.mcc else None
    return build_hlr_result(
        str(message.id),
        phone=phone,
        sender=message.sender,
        stat=stat,
        err=event.err,
        # IMSI and MSC are the emulator's stable inventions from the number and its route.
        imsi=f"{route.mcc}{route.mnc}{phone[-10:]}" if route else "",
        msc=f"{phone[:4]}0000000" if route else "",
        mcc=route.mcc if route else "",
        mnc=route.mnc if route else "",
        country=route.country if route else "",
        network=route.operator if route else "",
        cost=recipient.cost,
    )


def incoming_pdus(incoming: IncomingMessage, reference: int) -> list[DeliverSm]:
    """An incoming SMS as deliver_sm: one, or the parts of a long one with a UDH."""
    return build_incoming(incoming.phone, incoming.to, incoming.text, reference=reference)


class SmppDelivery:
    """The state listener that turns events into deliver_sm queued on ``server``."""

    def __init__(self, server: SmppServer) -> None:
        self.server = server
        self._references = itertools.count(1)

    def __call__(self, event: EmulatorEvent) -> None:
        if isinstance(event, IncomingReceived):
            reference = next(self._references) & 0xFF
            self.server.enqueue(event.message.login, incoming_pdus(event.message, reference))
            return
        message = event.message
        # Receipts of messages sent over HTTP, or without registered_delivery, go to the
        # account's HTTP handler in the real service, never to SMPP.
        if message.source == "smpp" and message.registered_delivery and event.final:
            self.server.enqueue(message.login, receipt_pdu(event))
