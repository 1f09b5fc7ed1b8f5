# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""An Outbox wired to a fake clock and an in-memory SMSC, as h11's tests pair two Connections.

The fake SMSC records every part written to it (so a test can tell whether a message arrived
twice) and answers only when the test says so; the clock moves only when the test says so.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from pysmsc.smpp._outbox import Dispatch, Outbox, Outcome
from pysmsc.smpp.pdu import SubmitSm


def pdus(count: int = 1, text: str = "m") -> list[SubmitSm]:
    """The parts of one message; each part's short_message names it (text/part)."""
    return [
        SubmitSm(destination_addr="79991234567", short_message=f"{text}/{i}".encode())
        for i in range(1, count + 1)
    ]


@dataclass
class Wire:
    """One connection: what was written on it and still awaits an answer, in order."""

    outstanding: list[Dispatch] = field(default_factory=list)


class Pair:
    """The Outbox and the SMSC, one step at a time."""

    def __init__(self, *, throughput: float | None = None, throttle_pause: float = 1.0) -> None:
        self.now = 0.0
        self.outbox = Outbox(throughput=throughput, throttle_pause=throttle_pause, now=self.now)
        self.wires: dict[Hashable, Wire] = {}
        self.received: list[bytes] = []  # every part the SMSC got, in order
        self.ended: dict[int, Outcome] = {}
        self._ids = 0

    def up(self, link: Hashable = "a", window: int = 10) -> None:
        self.outbox.link_up(link, window)
        self.wires[link] = Wire()

    def down(self, link: Hashable = "a") -> None:
        self.outbox.link_down(link)
        self.wires.pop(link, None)
        self.collect()

    def add(self, parts: int = 1, *, timeout: float = 60.0, text: str = "m") -> int:
        return self.outbox.add(pdus(parts, text), deadline=self.now + timeout)

    def pump(self) -> list[Dispatch]:
        """Write what the outbox releases now; collect what ended."""
        out = self.outbox.dispatch(self.now)
        for item in out:
            self.wires[item.link].outstanding.append(item)
            self.received.append(item.pdu.short_message)
        self.collect()
        return out

    def collect(self) -> None:
        for outcome in self.outbox.outcomes():
            assert outcome.key not in self.ended, "a message ended twice"
            self.ended[outcome.key] = outcome

    def take(self, link: Hashable = "a") -> Dispatch:
        return self.wires[link].outstanding.pop(0)

    def accept(self, item: Dispatch, message_id: str | None = None) -> bool:
        if message_id is None:
            self._ids += 1
            message_id = str(self._ids)
        done = self.outbox.answered(item.ref, 0, message_id, self.now)
        self.collect()
        return done

    def refuse(self, item: Dispatch, status: int) -> bool:
        done = self.outbox.answered(item.ref, status, "", self.now)
        self.collect()
        return done

    def lose(self, item: Dispatch, *, maybe_received: bool = True) -> bool:
        done = self.outbox.failed(
            item.ref, maybe_received=maybe_received, reason="lost", now=self.now
        )
        self.collect()
        return done

    def advance(self, seconds: float) -> None:
        self.now += seconds
