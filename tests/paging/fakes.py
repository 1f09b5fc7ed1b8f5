"""A stand-in for AsyncClient that remembers what the service received, for runner tests that
need exact control (a send that hangs, an answer that is lost). The emulator tests use the real
client."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from decimal import Decimal

from pysmsc import Message, ReceivedMessage, SendResult, StatusInfo, TransportError
from pysmsc.models import MessageKind, MessageStatus


class FakeService:
    def __init__(self) -> None:
        self.received: list[Message] = []  # every send that reached the service
        self.status_of: dict[str, int] = {}
        self.replies: list[ReceivedMessage] = []
        self.failures: list[Exception] = []  # raised by the next sends, in order
        self.lose_answer = False  # the next send reaches the service but its answer is lost
        self.hold: asyncio.Event | None = None  # sends wait for this after arriving
        self.status_queries: list[str] = []
        self.mass_queries: list[list[str]] = []
        self.cost = Decimal("1.40")

    def ids(self, kind: str | None = None) -> list[str]:
        return [
            str(m.message_id) for m in self.received if kind is None or m.message_kind.value == kind
        ]

    async def send_message(self, message: Message) -> SendResult:
        if self.failures:
            raise self.failures.pop(0)
        self.received.append(message)
        self.status_of.setdefault(str(message.message_id), MessageStatus.PASSED_TO_OPERATOR)
        if self.hold is not None:
            await self.hold.wait()
        if self.lose_answer:
            self.lose_answer = False
            raise TransportError("no answer", maybe_received=True, sends_message=True)
        kind = message.message_kind
        return SendResult(
            id=str(message.message_id),
            count=30 if kind is MessageKind.CALL else 1,
            cost=self.cost,
            balance=Decimal(100),
            kind=kind,
        )

    def _info(self, message_id: str, phone: str) -> StatusInfo:
        return StatusInfo(
            message_id, phone, self.status_of.get(message_id, MessageStatus.NOT_FOUND)
        )

    async def status(self, message_id: str, phone: str) -> StatusInfo:
        self.status_queries.append(message_id)
        return self._info(message_id, phone)

    async def statuses(self, pairs: Sequence[tuple[str, str]]) -> list[StatusInfo]:
        self.mass_queries.append([message_id for message_id, _ in pairs])
        return [self._info(message_id, phone) for message_id, phone in pairs]

    async def incoming(
        self, *, after_id: int | None = None, hour: int | None = None, count: int | None = None
    ) -> list[ReceivedMessage]:
        return [r for r in self.replies if after_id is None or r.id > after_id][: count or 1000]
