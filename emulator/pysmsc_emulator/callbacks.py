# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The service calling the client's HTTP handler (the account's "callback URL"): every status
change, every incoming message, and every voice-menu ``url`` key press, in the wire format of
/work/briefs/callbacks-contract.md (docs/emulator.md says which fields are guesses).

The state's events only queue a call (:meth:`CallbackSender.__call__` does no I/O); one task on
the emulator's loop makes the calls, one at a time in order, each within ``timeout`` seconds.
A handler that is down, slow, or answers anything but HTTP 200 ``OK`` is tried again
``interval`` seconds later on the emulator's clock (so a test moves the clock instead of
waiting), up to ``attempts`` times in all. Nothing a handler does reaches the state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode, urlsplit

from .accounts import Account
from .models import EmulatorEvent, IncomingReceived, Message, Recipient, StatusChanged, money
from .state import EmulatorState

__all__ = ["CallbackSender", "Delivery", "Poster", "aiohttp_poster"]

logger = logging.getLogger(__name__)

# (url, body, content type) -> (HTTP status, body); raises on a transport failure
Poster = Callable[[str, bytes, str], Awaitable[tuple[int, bytes]]]
KEPT = 1000  # finished calls kept for the control API


@dataclass
class Delivery:
    """One call to the handler and what became of it: ``state`` is ``pending``,
    ``delivered`` or ``failed``; ``errors`` says why each failed attempt failed."""

    id: int
    login: str
    url: str
    kind: str  # status, incoming or keypress
    fields: dict[str, str]
    created: float
    due: float
    attempts: int = 0
    state: str = "pending"
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "login": self.login,
            "url": self.url,
            "kind": self.kind,
            "fields": dict(self.fields),
            "created": self.created,
            "attempts": self.attempts,
            "state": self.state,
            "errors": list(self.errors),
        }


def status_fields(
    message: Message, recipient: Recipient, status: int, err: int, time: float
) -> dict[str, str]:
    return {
        "id": str(message.id),
        "phone": recipient.phone,
        "status": str(status),
        "err": str(err),
        "time": str(int(time)),
        "cost": money(recipient.cost),
        "cnt": str(recipient.parts),
        "sender_id": message.sender,
    }


def aiohttp_poster(timeout: float) -> tuple[Poster, Callable[[], Awaitable[None]]]:
    """A poster on one aiohttp session (opened at the first call) and the coroutine that
    closes it."""
    import aiohttp  # noqa: PLC0415 - the emulator imports without aiohttp

    sessions: list[aiohttp.ClientSession] = []

    async def post(url: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        if not sessions:
            sessions.append(aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)))
        async with sessions[0].post(
            url, data=body, headers={"Content-Type": content_type}, allow_redirects=False
        ) as response:
            return response.status, await response.content.read(1024)

    async def close() -> None:
        while sessions:
            await sessions.pop().close()

    return post, close


class CallbackSender:
    """Queues the handler calls the state's events ask for and makes them on the loop."""

    def __init__(
        self,
        state: EmulatorState,
        *,
        poster: Poster | None = None,
        timeout: float = 5.0,
        attempts: int = 3,
        interval: float = 1.0,
    ) -> None:
        self.state = state
        self.timeout = timeout
        self.attempts = attempts
        self.interval = interval
        self._poster = poster
        self._close: Callable[[], Awaitable[None]] | None = None
        self._ready: deque[Delivery] = deque()
        self._later: list[Delivery] = []
        self._log: deque[Delivery] = deque(maxlen=KEPT)
        self._busy: Delivery | None = None
        self._wake: asyncio.Event | None = None
        self._idle: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._ids = 0
        state.subscribe(self)

    # -- queuing (no I/O: called from the state's listeners and the control API) ------------

    def __call__(self, event: EmulatorEvent) -> None:
        if isinstance(event, StatusChanged):
            message = event.message
            fields = status_fields(message, event.recipient, event.status, event.err, event.time)
            self.queue(message.login, "status", fields)
        elif isinstance(event, IncomingReceived):
            incoming = event.message
            fields = {
                "id": str(incoming.id),
                "phone": incoming.phone,
                "mes": incoming.text,
                "to": incoming.to,
                "sent": str(int(incoming.received)),
                "time": str(int(incoming.received)),
            }
            self.queue(incoming.login, "incoming", fields)

    def key_pressed(
        self, message: Message, recipient: Recipient, key: str, url: str = ""
    ) -> Delivery | None:
        """The menu's ``url`` command: the handler (or ``url``) is told the key press."""
        fields = {
            "id": str(message.id),
            "phone": recipient.phone,
            "key": key,
            "time": str(int(self.state.clock.now())),
        }
        return self.queue(message.login, "keypress", fields, url)

    def queue(
        self, login: str, kind: str, fields: dict[str, str], url: str = ""
    ) -> Delivery | None:
        target = url or self._account_url(login)
        if not target:
            return None
        now = self.state.clock.now()
        self._ids += 1
        delivery = Delivery(self._ids, login, target, kind, fields, now, now)
        self._log.append(delivery)
        self._ready.append(delivery)
        self._signal()
        return delivery

    def _account_url(self, login: str) -> str:
        try:
            account: Account = self.state.account(login)
        except KeyError:
            return ""
        return account.callback_url

    def _signal(self) -> None:
        if self._wake is not None:
            self._wake.set()
        if self._idle is not None:
            self._idle.clear()

    def tick(self) -> None:
        """Move the calls whose retry time has come (on the emulator's clock) to the queue."""
        now = self.state.clock.now()
        due = [d for d in self._later if d.due <= now]
        if due:
            self._later = [d for d in self._later if d.due > now]
            self._ready.extend(due)
            self._signal()

    def deliveries(self) -> list[Delivery]:
        return list(self._log)

    def reset(self) -> None:
        """Forget every call (one under way still ends, and is not tried again)."""
        self._ready.clear()
        self._later.clear()
        self._log.clear()

    # -- sending (the task on the emulator's loop) ------------------------------------------

    def start(self) -> None:
        """Start the sending task on the running loop (again after :meth:`stop`)."""
        if self._task is not None and not self._task.done():
            return
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        if not self._ready:
            self._idle.set()
        else:
            self._wake.set()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._close is not None:
            await self._close()
            self._close = None

    async def flush(self, timeout: float = 10.0) -> bool:
        """Wait until no call is queued or under way (retries not yet due do not count);
        False when that took longer than ``timeout`` seconds."""
        self.tick()
        if self._task is None or self._task.done():
            self.start()
        assert self._idle is not None
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    async def _run(self) -> None:
        assert self._wake is not None
        assert self._idle is not None
        while True:
            if not self._ready:
                self._idle.set()
                await self._wake.wait()
                self._wake.clear()
                continue
            delivery = self._ready.popleft()
            self._busy = delivery
            try:
                await self._attempt(delivery)
            except Exception:
                logger.exception("calling the handler %s failed", delivery.url)
            finally:
                self._busy = None

    async def _attempt(self, delivery: Delivery) -> None:
        delivery.attempts += 1
        body, content_type = _body(delivery)
        try:
            status, answer = await asyncio.wait_for(
                self._post(delivery.url, body, content_type), self.timeout
            )
        except asyncio.TimeoutError:
            error = f"no answer within {self.timeout:g} s"
        except Exception as exc:  # noqa: BLE001 - down, refused, reset: all one to the service
            error = f"{type(exc).__name__}: {exc}"[:200]
        else:
            if status == 200 and answer.strip() == b"OK":
                delivery.state = "delivered"
                return
            error = f"HTTP {status}: {answer[:60]!r}"
        delivery.errors.append(error)
        if delivery.attempts >= self.attempts:
            delivery.state = "failed"
            return
        delivery.due = self.state.clock.now() + self.interval
        self._later.append(delivery)

    def _post(self, url: str, body: bytes, content_type: str) -> Awaitable[tuple[int, bytes]]:
        if self._poster is None:
            self._poster, self._close = aiohttp_poster(self.timeout)
        return self._poster(url, body, content_type)


def _body(delivery: Delivery) -> tuple[bytes, str]:
    """Form-urlencoded, or JSON with the same keys when the URL asks for ``fmt=3``."""
    query = parse_qs(urlsplit(delivery.url).query)
    if query.get("fmt") == ["3"]:
        return json.dumps(delivery.fields, ensure_ascii=False).encode("utf-8"), "application/json"
    return urlencode(delivery.fields).encode("ascii"), "application/x-www-form-urlencoded"
