# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The parts of long messages submitted over SMPP, glued back into one message.

The service answers every part of a long message with the same message id, glues the parts
and treats them as one message; all parts must arrive within a minute
(seeds/smpp-protocol.txt). :class:`LongMessages` keeps the parts received so far, keyed like
the service would (login, addresses, concatenation reference and size), and calls back with
what it has when a message stays incomplete for ``timeout`` seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Callable

from pysmsc.smpp.coding import decode_message
from pysmsc.smpp.concat import ConcatInfo

from .server import SubmitRequest

__all__ = ["LongMessage", "LongMessages"]


@dataclass
class LongMessage:
    """The parts of one long message received so far, under the id its first part got."""

    message_id: int
    first: SubmitRequest
    total: int
    payloads: dict[int, bytes] = field(default_factory=dict)
    timer: asyncio.TimerHandle | None = field(default=None, repr=False)

    @property
    def complete(self) -> bool:
        return len(self.payloads) == self.total

    def text(self) -> str:
        """The parts' user data joined before decoding, so that a character a sender spread
        over two parts still decodes."""
        data = b"".join(self.payloads[i] for i in sorted(self.payloads))
        return decode_message(self.first.pdu.data_coding, data)


class LongMessages:
    """Long messages waiting for their other parts (use on the event loop only)."""

    def __init__(self, timeout: float, incomplete: Callable[[LongMessage], None]) -> None:
        self.timeout = timeout
        self._incomplete = incomplete
        self._waiting: dict[Hashable, LongMessage] = {}

    def __len__(self) -> int:
        return len(self._waiting)

    @staticmethod
    def _key(request: SubmitRequest, concat: ConcatInfo) -> Hashable:
        return (
            request.session.system_id,
            request.source_addr,
            request.destination_addr,
            concat.scheme,
            concat.reference,
            concat.total,
        )

    def add(self, request: SubmitRequest, new_id: Callable[[], int]) -> LongMessage:
        """Store one part (``request.concat`` must be set) and return its message: a new one,
        with ``new_id()``, for the first part seen. A complete message is forgotten here."""
        concat = request.concat
        assert concat is not None
        key = self._key(request, concat)
        message = self._waiting.get(key)
        if message is None:
            message = LongMessage(new_id(), request, concat.total)
            loop = asyncio.get_running_loop()
            message.timer = loop.call_later(self.timeout, self._expire, key)
            self._waiting[key] = message
        message.payloads.setdefault(concat.sequence, request.payload)  # a repeat is ignored
        if message.complete:
            self._forget(key)
        return message

    def _forget(self, key: Hashable) -> LongMessage | None:
        message = self._waiting.pop(key, None)
        if message is not None and message.timer is not None:
            message.timer.cancel()
        return message

    def _expire(self, key: Hashable) -> None:
        message = self._forget(key)
        if message is not None:
            self._incomplete(message)

    def clear(self) -> None:
        """Forget every waiting part (no callback)."""
        for key in list(self._waiting):
            self._forget(key)
