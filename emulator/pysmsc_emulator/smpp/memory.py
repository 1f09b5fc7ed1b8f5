# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""An in-memory :class:`~pysmsc_emulator.smpp.server.SmppBackend`: accounts, messages and
automatic receipts, for tests of SMPP clients that need no emulator state."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pysmsc.smpp.concat import ConcatMethod
from pysmsc.smpp.incoming import build_incoming
from pysmsc.smpp.pdu import DeliverSm
from pysmsc.smpp.receipts import MessageState, build_hlr_result, build_receipt
from pysmsc.smpp.status import CommandStatus
from pysmsc.text import Encoding

from .server import (
    BindRequest,
    QueryRequest,
    QueryResult,
    SmppServer,
    SubmitRequest,
    SubmitResult,
)

__all__ = ["MemoryBackend", "StoredMessage"]


@dataclass
class StoredMessage:
    """A message :class:`MemoryBackend` accepted (one per id)."""

    message_id: str
    system_id: str
    source: str
    destination: str
    parts: dict[int, str]
    total: int
    registered_delivery: bool
    submitted_at: datetime
    state: MessageState = MessageState.ENROUTE
    done_at: datetime | None = None

    @property
    def text(self) -> str:
        return "".join(self.parts[i] for i in sorted(self.parts))

    @property
    def complete(self) -> bool:
        return len(self.parts) == self.total


class MemoryBackend:
    """A complete :class:`SmppBackend` in memory: accounts, messages, automatic receipts.

    ``accounts`` maps logins to passwords. With ``auto_receipt``, a message that asked for a
    receipt gets one (``receipt_stat``, after ``receipt_delay`` seconds) once all its parts are
    in; ``__HLR__`` gets an HLR result instead. Message ids count up from ``first_id``.
    Call :meth:`attach` with the server so that receipts can be sent, :meth:`close` at the end.
    """

    def __init__(
        self,
        accounts: Mapping[str, str] | None = None,
        *,
        auto_receipt: bool = True,
        receipt_stat: str = "DELIVRD",
        receipt_delay: float = 0.0,
        first_id: int = 1000,
    ) -> None:
        self.accounts = dict(accounts or {})
        self.auto_receipt = auto_receipt
        self.receipt_stat = receipt_stat
        self.receipt_delay = receipt_delay
        self.server: SmppServer | None = None
        self.messages: dict[str, StoredMessage] = {}
        self.submits: list[SubmitRequest] = []
        self.binds: list[BindRequest] = []
        self._ids = itertools.count(first_id)
        self._groups: dict[tuple[Any, ...], str] = {}
        self._timers: set[asyncio.TimerHandle] = set()

    def attach(self, server: SmppServer) -> None:
        self.server = server

    def close(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()

    async def authenticate(self, request: BindRequest) -> int:
        self.binds.append(request)
        password = self.accounts.get(request.system_id)
        if password is None:
            return CommandStatus.ESME_RINVSYSID
        if password != request.password:
            return CommandStatus.ESME_RINVPASWD
        return CommandStatus.ESME_ROK

    def new_id(self) -> str:
        return str(next(self._ids))

    async def submit(self, request: SubmitRequest) -> SubmitResult:
        self.submits.append(request)
        info = request.session
        concat = request.concat
        message_id: str | None = None
        group: tuple[Any, ...] | None = None
        if concat is not None and not info.system_type.single:
            group = (
                info.system_id,
                request.source_addr,
                request.destination_addr,
                concat.scheme,
                concat.reference,
                concat.total,
            )
            message_id = self._groups.get(group)
        if message_id is None or message_id not in self.messages:
            message_id = self.new_id()
            total = concat.total if group is not None and concat is not None else 1
            self.messages[message_id] = StoredMessage(
                message_id=message_id,
                system_id=info.system_id,
                source=request.source_addr,
                destination=request.destination_addr,
                parts={},
                total=total,
                registered_delivery=request.registered_delivery,
                submitted_at=datetime.now(),
            )
            if group is not None:
                self._groups[group] = message_id
        stored = self.messages[message_id]
        sequence = concat.sequence if group is not None and concat is not None else 1
        stored.parts[sequence] = request.text
        if stored.complete:
            if group is not None:
                self._groups.pop(group, None)
            self._completed(stored)
        return SubmitResult.accepted(message_id)

    def _completed(self, stored: StoredMessage) -> None:
        if not (self.auto_receipt and stored.registered_delivery and self.server is not None):
            return
        server = self.server
        if self.receipt_delay > 0:
            loop = asyncio.get_running_loop()
            timer: asyncio.TimerHandle | None = None

            def fire() -> None:
                if timer is not None:
                    self._timers.discard(timer)
                self.send_report(stored)

            timer = loop.call_later(self.receipt_delay, fire)
            self._timers.add(timer)
        elif server is not None:
            self.send_report(stored)

    def send_report(self, stored: StoredMessage, stat: str | None = None, err: int = 0) -> None:
        """Queue the receipt (or HLR result) of ``stored`` for its login."""
        if self.server is None:
            return
        stat = stat or self.receipt_stat
        stored.state = {
            "DELIVRD": MessageState.DELIVERED,
            "EXPIRED": MessageState.EXPIRED,
            "UNDELIV": MessageState.UNDELIVERABLE,
            "REJECTD": MessageState.REJECTED,
        }.get(stat, MessageState.UNKNOWN)
        stored.done_at = datetime.now()
        if stored.text.startswith("__HLR__"):
            pdu = build_hlr_result(
                stored.message_id,
                phone=stored.destination,
                sender=stored.source,
                stat=stat,
                err=err,
                imsi="250023012345678",
                msc="79232510066",
                mcc="250",
                mnc="02",
                country="Russian Federation",
                network="MegaFon",
            )
        else:
            pdu = build_receipt(
                stored.message_id,
                phone=stored.destination,
                sender=stored.source,
                stat=stat,
                err=err,
                sub=stored.total,
                submit_date=stored.submitted_at,
                done_date=stored.done_at,
                parts=stored.total,
            )
        self.server.enqueue(stored.system_id, pdu)

    async def query(self, request: QueryRequest) -> QueryResult:
        stored = self.messages.get(request.message_id)
        if stored is None or stored.system_id != request.session.system_id:
            return QueryResult(status=CommandStatus.ESME_RQUERYFAIL)
        final = f"{stored.done_at:%y%m%d%H%M%S}000+" if stored.done_at else ""
        return QueryResult(stored.message_id, stored.state, final, 0)

    def push_incoming(
        self,
        system_id: str,
        source: str,
        destination: str,
        text: str,
        *,
        encoding: Encoding | None = None,
        method: ConcatMethod = ConcatMethod.UDH,
        reference: int = 0,
    ) -> list[DeliverSm]:
        """Queue an incoming message (split into parts when long) for ``system_id``."""
        pdus = build_incoming(
            source, destination, text, encoding=encoding, method=method, reference=reference
        )
        if self.server is not None:
            self.server.enqueue(system_id, pdus)
        return pdus
