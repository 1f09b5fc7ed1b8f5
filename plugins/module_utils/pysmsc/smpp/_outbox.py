# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The sending core: which part goes out on which connection, and how every message ends.

:class:`Outbox` is sans-I/O, in the manner of h11's ``Connection``: it never reads a socket, never
sleeps and never looks at a clock. The asyncio shell (:mod:`.client`) tells it what happened
(:meth:`~Outbox.link_up`, :meth:`~Outbox.answered`, :meth:`~Outbox.failed`,
:meth:`~Outbox.link_down`, the time), asks it what to write (:meth:`~Outbox.dispatch`) and when
to call again (:meth:`~Outbox.next_wakeup`), and collects how messages ended
(:meth:`~Outbox.outcomes`). It owns:

* the window of each connection (submit_sm awaiting their answer) and the rate of all of them
  together, with the back-off after ESME_RTHROTTLED / ESME_RMSGQFUL;
* resends: only what surely did not reach the SMSC goes again (a "try later" refusal, a part
  still waiting when its connection went away, a part queued but never written);
* outcomes: every part ends accepted (an id), rejected, unknown (it may have arrived) or not sent,
  and a message (one part or several) ends when all its parts have.

A part written to a connection that is lost before its answer is never sent again: the SMSC
may have it. A part that cannot leave before its message's deadline ends not sent.
"""

from __future__ import annotations

import enum
import heapq
import itertools
from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ._rate import RateLimiter
from .errors import (
    SmppError,
    SubmitNotSentError,
    SubmitOutcomeUnknownError,
    SubmitRejectedError,
    ThrottledError,
)
from .pdu import SubmitSm
from .status import RETRYABLE_STATUSES

__all__ = ["Dispatch", "Outbox", "Outcome", "PartState"]


class PartState(enum.Enum):
    WAITING = "waiting"  # not written yet (or refused for now, to go again)
    IN_FLIGHT = "in flight"  # written to a connection, no answer yet
    ACCEPTED = "accepted"  # the SMSC gave it an id
    REJECTED = "rejected"  # the SMSC refused it for good
    UNKNOWN = "unknown"  # it may have reached the SMSC; no answer will come
    NOT_SENT = "not sent"  # it surely never left, and will not


class Dispatch(NamedTuple):
    """Write ``pdu`` on connection ``link``; report its answer with ``ref``."""

    ref: int
    link: Hashable
    pdu: SubmitSm


@dataclass
class Outcome:
    """How message ``key`` ended. Part numbers are 1-based."""

    key: int
    parts: int
    message_ids: tuple[str, ...]  # of the accepted parts, in order, each id once
    rejected: tuple[int, int] | None  # (part, status) of the first refusal for good
    unknown_parts: tuple[int, ...]
    not_sent_parts: tuple[int, ...]
    retry_status: int  # the last "try later" status, when parts ended not sent after one
    reason: str  # why parts ended unknown or not sent

    @property
    def sent(self) -> bool:
        return self.rejected is None and not self.unknown_parts and not self.not_sent_parts

    def error(self) -> SmppError | None:
        """The exception :meth:`SmppClient.submit` raises for this outcome (None: sent)."""
        if self.sent:
            return None
        ids = list(self.message_ids)
        if self.rejected is not None:
            part, status = self.rejected
            return SubmitRejectedError(
                status,
                message_ids=ids,
                part=part,
                parts=self.parts,
                unknown_parts=self.unknown_parts,
            )
        if self.unknown_parts or ids:
            if self.unknown_parts:
                count = len(self.unknown_parts)
                what = (
                    "the answer to the submit_sm never came"
                    if self.parts == 1
                    else f"the answers to {count} of {self.parts} parts never came"
                )
            else:
                what = f"{len(self.not_sent_parts)} of {self.parts} parts could not be sent"
            return SubmitOutcomeUnknownError(
                f"{what}: {self.reason}",
                message_ids=ids,
                unknown_parts=self.unknown_parts,
                not_sent_parts=self.not_sent_parts,
            )
        if self.retry_status:
            return ThrottledError(self.retry_status, parts=self.parts)
        return SubmitNotSentError(self.reason)


class _Message:
    __slots__ = ("admitted", "deadline", "key", "open", "parts", "reason", "retry_status")

    def __init__(self, key: int, deadline: float) -> None:
        self.key = key
        self.deadline = deadline
        self.parts: list[_Part] = []
        self.open = 0  # parts not final yet
        self.admitted = False  # the rate let it start: its waiting parts follow back to back
        self.retry_status = 0
        self.reason = ""


class _Part:
    __slots__ = ("link", "message", "message_id", "number", "pdu", "state", "status")

    def __init__(self, message: _Message, number: int, pdu: SubmitSm) -> None:
        self.message = message
        self.number = number
        self.pdu = pdu
        self.state = PartState.WAITING
        self.link: Hashable | None = None
        self.message_id = ""
        self.status = 0


class _Link:
    __slots__ = ("in_flight", "window")

    def __init__(self, window: int) -> None:
        self.window = window
        self.in_flight = 0


class Outbox:
    """The sending state of a client: its connections, messages and parts. See the module
    documentation; ``now`` arguments are seconds on any monotonic clock."""

    def __init__(
        self, *, throughput: float | None, throttle_pause: float = 1.0, now: float = 0.0
    ) -> None:
        self.rate = RateLimiter(throughput, throttle_pause=throttle_pause, now=now)
        self._links: dict[Hashable, _Link] = {}
        self._queue: deque[_Part] = deque()  # waiting parts (final ones are skipped lazily)
        self._waiting = 0
        self._in_flight: dict[int, _Part] = {}  # ref -> part, in the order they were written
        self._messages: dict[int, _Message] = {}
        self._deadlines: list[tuple[float, int]] = []  # heap of (deadline, key)
        self._outcomes: list[Outcome] = []
        self._keys = itertools.count(1)
        self._closed: str | None = None
        self._last_ref = 0
        self._turn = 0  # where the search for a connection starts, so that equals take turns

    # -- what the shell reads --------------------------------------------------------------

    @property
    def in_flight(self) -> int:
        """Parts written whose answer has not come."""
        return len(self._in_flight)

    @property
    def waiting(self) -> int:
        """Parts not written yet."""
        return self._waiting

    @property
    def messages(self) -> int:
        """Messages not ended yet."""
        return len(self._messages)

    def link_in_flight(self, link: Hashable) -> int:
        entry = self._links.get(link)
        return 0 if entry is None else entry.in_flight

    @property
    def links(self) -> tuple[Hashable, ...]:
        return tuple(self._links)

    def oldest_in_flight(self) -> int | None:
        """The ref of the part written longest ago that still awaits its answer."""
        return next(iter(self._in_flight), None)

    @property
    def last_ref(self) -> int:
        """The ref most recently handed out (0 before any)."""
        return self._last_ref

    def outcomes(self) -> list[Outcome]:
        """The messages that ended since the last call."""
        done, self._outcomes = self._outcomes, []
        return done

    def next_wakeup(self, now: float) -> float | None:
        """When :meth:`dispatch` may have something new to do without any other event: a token
        of the rate, the end of a throttling pause, a deadline. None: only events matter."""
        if not self._waiting:
            return None
        self._drop_stale_deadlines()
        wakeup = self._deadlines[0][0] if self._deadlines else None
        if self._has_room():
            ready = self.rate.ready_at(now)
            if ready > now and (wakeup is None or ready < wakeup):
                wakeup = ready
            elif ready <= now:
                return now
        return wakeup

    # -- what the shell tells --------------------------------------------------------------

    def link_up(self, link: Hashable, window: int) -> None:
        """A connection is bound and may carry ``window`` submits at once."""
        if window < 1:
            raise ValueError("the window must be at least 1")
        self._links[link] = _Link(window)

    def link_down(self, link: Hashable, reason: str = "the connection was lost") -> None:
        """A connection is gone: nothing more goes on it, and what was written on it without an
        answer (and not reported by :meth:`failed` first) ends unknown."""
        if self._links.pop(link, None) is None:
            return
        lost = [ref for ref, part in self._in_flight.items() if part.link == link]
        for ref in lost:
            part = self._in_flight.pop(ref)
            self._end(part, PartState.UNKNOWN, reason)

    def add(self, pdus: Sequence[SubmitSm], *, deadline: float) -> int:
        """A message of one or more parts, to be written before ``deadline``; its key."""
        if not pdus:
            raise ValueError("a message has at least one part")
        key = next(self._keys)
        message = _Message(key, deadline)
        parts = message.parts = [_Part(message, number, pdu) for number, pdu in enumerate(pdus, 1)]
        message.open = len(parts)
        self._messages[key] = message
        if self._closed is not None:
            message.reason = self._closed
            for part in parts:
                self._end(part, PartState.NOT_SENT, self._closed)
            return key
        self._queue.extend(parts)
        self._waiting += len(parts)
        deadlines = self._deadlines
        heapq.heappush(deadlines, (deadline, key))
        if len(deadlines) > 2 * len(self._messages) + 64:
            # Entries of ended messages leave the heap only from its top: compact it now and
            # then, so that it stays as small as the messages under way.
            live = self._messages
            deadlines[:] = [entry for entry in deadlines if entry[1] in live]
            heapq.heapify(deadlines)
        return key

    def dispatch(self, now: float) -> list[Dispatch]:
        """The parts to write now: as many as the windows and the rate allow, in order."""
        if self._deadlines and self._deadlines[0][0] <= now:
            self.expire(now)
        out: list[Dispatch] = []
        queue = self._queue
        links = self._links
        in_flight = self._in_flight
        rate = self.rate
        waiting = PartState.WAITING
        while queue:
            part = queue[0]
            if part.state is not waiting:
                queue.popleft()
                continue
            link = self._pick_link()
            if link is None:
                break
            message = part.message
            if not message.admitted:
                if rate.ready_at(now) > now:
                    break
                parts = message.parts
                if len(parts) == 1:
                    rate.take(1)
                else:
                    rate.take(sum(1 for p in parts if p.state is waiting))
                message.admitted = True
            queue.popleft()
            self._last_ref = ref = self._last_ref + 1
            part.state = PartState.IN_FLIGHT
            part.link = link
            links[link].in_flight += 1
            in_flight[ref] = part
            out.append(Dispatch(ref, link, part.pdu))
        self._waiting -= len(out)
        return out

    def answered(self, ref: int, status: int, message_id: str, now: float) -> bool:
        """The answer to part ``ref`` came: an id (``status`` 0) or a refusal. False when the
        part no longer waits for it (its connection was reported lost first)."""
        part = self._release(ref)
        if part is None:
            return False
        if not status:
            part.message_id = message_id
            self._end(part, PartState.ACCEPTED, "")
        elif status in RETRYABLE_STATUSES:
            self.rate.throttled(now)
            part.message.retry_status = status
            self._requeue(part, now)
        else:
            part.status = status
            self._end(part, PartState.REJECTED, "")
            self._abandon(part.message, "another part of the message was refused")
        return True

    def failed(self, ref: int, *, maybe_received: bool, reason: str, now: float) -> bool:
        """No answer will come for part ``ref``: ``maybe_received`` False when it surely never
        left this process (it goes again), True when the SMSC may have it (unknown)."""
        part = self._release(ref)
        if part is None:
            return False
        if maybe_received:
            self._end(part, PartState.UNKNOWN, reason)
        else:
            part.message.reason = reason
            self._requeue(part, now)
        return True

    def expire(self, now: float) -> None:
        """End as not sent the parts still waiting when their message's deadline passed."""
        heap = self._deadlines
        while heap and heap[0][0] <= now:
            _, key = heapq.heappop(heap)
            message = self._messages.get(key)
            if message is not None:
                self._abandon(message, message.reason or self._why_waiting())

    def cancel(self, key: int, reason: str = "the submit was cancelled") -> None:
        """The sender gave up on message ``key``: its parts not written yet never will be."""
        message = self._messages.get(key)
        if message is not None:
            self._abandon(message, reason)

    def close(self, reason: str) -> None:
        """Accept nothing more: waiting parts end not sent; written ones still await answers."""
        self._closed = reason
        for message in list(self._messages.values()):
            self._abandon(message, reason)

    # -- inside ----------------------------------------------------------------------------

    def _why_waiting(self) -> str:
        if not self._links:
            return "no bound SMPP connection within the submit timeout"
        return "no room in the window or the throughput limit within the submit timeout"

    def _has_room(self) -> bool:
        return any(link.in_flight < link.window for link in self._links.values())

    def _pick_link(self) -> Hashable | None:
        """The connection with the most room, taking turns among equals (None: every window
        is full)."""
        links = self._links
        if len(links) == 1:
            for name, link in links.items():
                return name if link.in_flight < link.window else None
        names = list(links)
        count = len(names)
        best: Hashable | None = None
        room = 0
        for step in range(count):
            index = (self._turn + step) % count
            link = links[names[index]]
            free = link.window - link.in_flight
            if free > room:
                best, room, chosen = names[index], free, index
        if best is not None:
            self._turn = chosen + 1
        return best

    def _release(self, ref: int) -> _Part | None:
        part = self._in_flight.pop(ref, None)
        if part is None:
            return None
        link = self._links.get(part.link)
        if link is not None:
            link.in_flight -= 1
        return part

    def _requeue(self, part: _Part, now: float) -> None:
        message = part.message
        if self._closed is not None or now >= message.deadline:
            self._end(part, PartState.NOT_SENT, self._closed or message.reason or "timed out")
            return
        part.state = PartState.WAITING
        part.link = None
        message.admitted = False  # it waits for the rate again
        self._queue.appendleft(part)
        self._waiting += 1

    def _abandon(self, message: _Message, reason: str) -> None:
        """Its waiting parts end not sent."""
        for part in message.parts:
            if part.state is PartState.WAITING:
                self._waiting -= 1
                self._end(part, PartState.NOT_SENT, reason)

    def _end(self, part: _Part, state: PartState, reason: str) -> None:
        part.state = state
        message = part.message
        if reason and state is not PartState.ACCEPTED:
            message.reason = reason
        message.open -= 1
        if message.open == 0:
            del self._messages[message.key]
            self._outcomes.append(_outcome(message))
            message.parts = []  # no cycle left: freed at once, never by the cyclic collector

    def _drop_stale_deadlines(self) -> None:
        heap = self._deadlines
        while heap and heap[0][1] not in self._messages:
            heapq.heappop(heap)


def _outcome(message: _Message) -> Outcome:
    parts = message.parts
    if len(parts) == 1 and parts[0].state is PartState.ACCEPTED:  # the common case, quickly
        return Outcome(message.key, 1, (parts[0].message_id,), None, (), (), 0, "")
    rejected = next(((p.number, p.status) for p in parts if p.state is PartState.REJECTED), None)
    not_sent = tuple(p.number for p in parts if p.state is PartState.NOT_SENT)
    return Outcome(
        key=message.key,
        parts=len(parts),
        message_ids=tuple(
            dict.fromkeys(p.message_id for p in parts if p.state is PartState.ACCEPTED)
        ),
        rejected=rejected,
        unknown_parts=tuple(p.number for p in parts if p.state is PartState.UNKNOWN),
        not_sent_parts=not_sent,
        retry_status=message.retry_status if not_sent else 0,
        reason=message.reason,
    )
