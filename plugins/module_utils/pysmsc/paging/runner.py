# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The asyncio runner: executes the policy's decisions for many pages at once.

For every event the runner asks :class:`EscalationPolicy` for a decision, stores the new state,
and only then carries out the actions (sends, status queries, reports), each in its own task:
nothing waits on the network while holding a page, and a kill -9 at any point leaves a stored
state from which a restarted runner goes on (see :mod:`.policy` for why nothing is sent twice).

Events come from wherever the runner is given them: the service's calls to the account's
handler (:meth:`PageRunner.handler`), get.php polling (``incoming=``), SMPP (pass received
messages to :meth:`PageRunner.feed`), status.php (asked at each deadline, and polled every
``status_interval`` seconds for early news), and the API (:meth:`acknowledge`, :meth:`resolve`).
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Union

from ..callbacks import CallbackEvent, CallbackHandler, KeyPress, OtherCall, StatusUpdate
from ..errors import SmscError, ValidationError
from ..models import ReceivedMessage
from .clock import Clock, SystemClock
from .events import (
    Acknowledge,
    Event,
    KeyPressed,
    Notify,
    PageReport,
    QueryStatus,
    Resolve,
    Restarted,
    Send,
    SendOutcome,
    StatusKnown,
    StatusUnavailable,
    Tick,
    UpdateText,
    report,
)
from .model import Outcome, Page, PageState, Phase, Purpose, is_delivered, is_settled
from .policy import ACK_WORDS, Decision, EscalationPolicy, route_reply
from .store import MemoryPageStore, PageStore

if TYPE_CHECKING:
    from typing import TypeGuard

    from .. import AsyncClient
    from ..inbox import IncomingPoller
    from ..smpp.incoming import IncomingSms

__all__ = ["PageRunner", "RunnerStats"]

_LOG = logging.getLogger(__name__)
_CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY"
_CODE_DIGITS = "34679"
_HOUR = 3600.0
# Statuses older than this are no longer polled (the service keeps them, the page does not care).
_POLL_HORIZON = 24 * _HOUR
_MASS_QUERY = 500  # pairs in one status.php mass request
_HOUSEKEEPING = 600.0  # seconds between looks for pages to forget

Reporter = Callable[[PageReport], Union[Awaitable[None], None]]
Incoming = Union[CallbackEvent, ReceivedMessage, "IncomingSms"]


def _is_smpp_message(event: object) -> TypeGuard[IncomingSms]:
    """An SMPP client's received message (imported only when one arrives: Ansible's copy of
    the library has no SMPP package)."""
    try:
        from ..smpp.incoming import IncomingSms  # noqa: PLC0415 - see the docstring
    except ImportError:  # pragma: no cover - only in the Ansible collection
        return False
    return isinstance(event, IncomingSms)


@dataclass
class RunnerStats:
    """Counters for a front end's metrics."""

    pages_opened: int = 0
    messages_sent: int = 0
    calls_sent: int = 0
    send_failures: int = 0
    send_uncertain: int = 0
    deliveries: int = 0
    acknowledgements: int = 0
    escalations: int = 0
    exhausted: int = 0
    resolved: int = 0
    cost: Decimal = Decimal(0)
    errors: int = 0
    events: int = 0
    decision_seconds: float = 0.0


def _new_code(taken: Iterable[str]) -> str:
    used = set(taken)
    while True:
        letters = secrets.SystemRandom().choices(_CODE_ALPHABET, k=3)
        letters.insert(secrets.randbelow(4), secrets.choice(_CODE_DIGITS))
        code = "".join(letters)
        if code not in used:
            return code


def _new_token() -> str:
    return secrets.token_hex(6)  # 48 bits: unique among a runner's pages, short in message ids


class PageRunner:
    """Runs pages with ``client``; states live in ``store`` (memory when not given).

    ``status_interval``: seconds between status.php mass queries for news of pending messages
    (None: only at deadlines, e.g. when the service's calls bring every status). ``incoming``:
    a get.php poller for replies (its cursor should be ``store.cursor("incoming")``).
    ``hourly_cost_cap``: what all pages together may spend in any hour. ``on_report``: called
    (or awaited) with a page's report whenever its phase changes. ``keep_for``: seconds a page
    that ended (acknowledged, nobody acknowledged) is kept to send its "resolved" messages.
    """

    def __init__(
        self,
        client: AsyncClient,
        store: PageStore | None = None,
        *,
        policy: EscalationPolicy | None = None,
        clock: Clock | None = None,
        status_interval: float | None = 60.0,
        incoming: IncomingPoller | None = None,
        hourly_cost_cap: Decimal | str | None = None,
        on_report: Reporter | None = None,
        keep_for: float = 24 * _HOUR,
        ack_words: Iterable[str] = ACK_WORDS,
    ) -> None:
        self._client = client
        self._store: PageStore = store if store is not None else MemoryPageStore()
        self._policy = policy or EscalationPolicy()
        self._clock: Clock = clock or SystemClock()
        if status_interval is not None and status_interval < 60:
            raise ValidationError(
                "status_interval", "must be at least 60 s (one mass status request a minute)"
            )
        self._status_interval = status_interval
        self._incoming = incoming
        self._hourly_cap = None if hourly_cost_cap is None else Decimal(str(hourly_cost_cap))
        if self._hourly_cap is not None and not self._hourly_cap > 0:
            raise ValidationError("hourly_cost_cap", "must be a positive amount")
        self._on_report = on_report
        self._keep_for = keep_for
        self._ack_words = frozenset(word.upper() for word in ack_words)
        self.stats = RunnerStats()

        self._states: dict[str, PageState] = {}  # by token
        self._active: dict[str, str] = {}  # page key -> token of its unresolved page
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiters: dict[str, list[asyncio.Future[PageReport]]] = {}
        self._timers: list[tuple[float, str]] = []
        self._timer_changed: asyncio.Event | None = None  # made in start(), on its loop
        self._spend: deque[tuple[float, Decimal]] = deque()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._background: list[asyncio.Task[None]] = []
        self._started = False

    # -- life ----------------------------------------------------------------------------------

    async def __aenter__(self) -> PageRunner:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Load every stored page and resume it; start the timers and pollers."""
        if self._started:
            return
        self._started = True
        self._timer_changed = asyncio.Event()
        now = self._clock.now()
        self._spend.extend(await self._store.spending(now - _HOUR))
        for state in await self._store.load():
            self._index(state)
        for token in list(self._states):
            await self._apply(token, Restarted())
        loop = asyncio.get_running_loop()
        self._background.append(loop.create_task(self._run_timers(self._timer_changed)))
        self._background.append(loop.create_task(self._housekeeping()))
        if self._status_interval is not None:
            self._background.append(loop.create_task(self._poll_statuses(self._status_interval)))
        if self._incoming is not None:
            self._background.append(
                loop.create_task(self._incoming.run(self._replies, sleep=self._clock.sleep))
            )

    async def close(self, drain: float = 10.0) -> None:
        """Stop: sends under way get ``drain`` seconds to finish; any still running are
        abandoned, stay *intended* in the store, and are looked up after the next start."""
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        self._background.clear()
        for waiters in self._waiters.values():  # nobody waits on a runner that stopped
            for future in waiters:
                future.cancel()
        self._waiters.clear()
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=drain)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self._store.close()
        self._started = False

    # -- the API -------------------------------------------------------------------------------

    async def page(self, page: Page) -> PageReport:
        """Open ``page``, or, when a page with its key is open, give it the new text (a
        repeated alert is not paged again). Returns the page's report."""
        token = self._active.get(page.key)
        if token is not None:
            if self._states[token].page.text != page.text:
                await self._apply(token, UpdateText(page.text))
            return report(self._states[token])
        token = _new_token()
        while token in self._states:
            token = _new_token()
        code = _new_code(state.code for state in self._states.values())
        started = time.perf_counter()
        decision = self._policy.open(page, now=self._clock.now(), code=code, token=token)
        self._count_decision(started)
        # Claimed before the first await: the same alert arriving meanwhile updates this page
        # instead of opening a second one, and no other page takes the code.
        self._index(decision.state)
        async with self._locks[token]:
            try:
                await self._commit(token, decision)
            except BaseException:
                if self._active.get(page.key) == token:
                    del self._active[page.key]
                self._forget(token)  # never stored, never sent
                raise
        self.stats.pages_opened += 1
        return report(self._states[token])

    async def acknowledge(self, key: str, by: str = "api") -> PageReport | None:
        """Acknowledge the open page ``key`` (None when there is none)."""
        token = self._active.get(key)
        if token is None:
            return None
        await self._apply(token, Acknowledge(by=by, via="api"))
        return report(self._states[token])

    async def resolve(self, key: str) -> PageReport | None:
        """The alert of page ``key`` resolved: stop it, tell whoever was reached."""
        token = self._active.get(key)
        if token is None:
            return None
        await self._apply(token, Resolve())
        return report(self._states[token])

    def report(self, key: str) -> PageReport | None:
        """The report of the page ``key`` that is open (or last ended)."""
        token = self._active.get(key)
        if token is None:
            found = [s for s in self._states.values() if s.key == key]
            return report(max(found, key=lambda s: s.created_at)) if found else None
        return report(self._states[token])

    def reports(self) -> list[PageReport]:
        return [report(state) for state in self._states.values()]

    async def wait(self, key: str) -> PageReport:
        """Until page ``key`` stops escalating (acknowledged, delivered, nobody, stopped,
        resolved); its report then."""
        token = self._active.get(key)
        if token is None:
            found = self.report(key)
            if found is None:
                raise KeyError(key)
            return found
        state = self._states[token]
        if state.phase != Phase.ESCALATING:
            return report(state)
        future: asyncio.Future[PageReport] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(token, []).append(future)
        return await future

    def handler(self, token: str, **options: Any) -> CallbackHandler:
        """The account's HTTP handler, feeding this runner (see :mod:`pysmsc.callbacks`)."""
        return CallbackHandler(token, self.feed, **options)

    async def feed(self, event: Incoming) -> None:
        """An event from the service: a status (its callback), a key press, a received
        message (callback, get.php, or SMPP). Returns once its effect is stored; raises when
        it could not be, so a handler answers "try again"."""
        if isinstance(event, StatusUpdate):
            token = self._token_of(event.message_id)
            if token is not None:
                await self._apply(
                    token,
                    StatusKnown(event.message_id, int(event.status), event.error, event.cost),
                )
        elif isinstance(event, KeyPress):
            token = self._token_of(event.message_id)
            if token is not None:
                await self._apply(token, KeyPressed(event.message_id, event.key))
        elif isinstance(event, ReceivedMessage):
            moment = event.received_at or event.sent_at
            await self._reply(
                event.phone, event.text, None if moment is None else moment.timestamp()
            )
        elif isinstance(event, OtherCall):
            return
        elif _is_smpp_message(event):
            await self._reply(event.source, event.text, event.received_at.timestamp())
        else:
            raise TypeError(f"not an event of the service: {type(event).__name__}")

    # -- events in -----------------------------------------------------------------------------

    def _token_of(self, message_id: str) -> str | None:
        parts = message_id.split("-")
        if len(parts) == 3 and parts[0] == "pg" and parts[1] in self._states:
            return parts[1]
        return None

    async def _reply(self, phone: str, text: str, received_at: float | None) -> None:
        keys = route_reply(
            self._states.values(),
            phone,
            text,
            received_at=received_at,
            ack_words=self._ack_words,
        )
        tokens = [s.token for s in self._states.values() if s.key in keys]
        for token in tokens:
            await self._apply(token, Acknowledge(via="reply", phone=phone))

    async def _replies(self, messages: list[ReceivedMessage]) -> None:
        for message in messages:
            await self.feed(message)

    async def _apply(self, token: str, event: Event) -> None:
        lock = self._locks.get(token)
        if lock is None:
            return
        async with lock:
            state = self._states.get(token)
            if state is None:
                return
            started = time.perf_counter()
            decision = self._policy.decide(state, event, now=self._clock.now())
            self._count_decision(started)
            await self._commit(token, decision, event)

    def _count_decision(self, started: float) -> None:
        self.stats.events += 1
        self.stats.decision_seconds += time.perf_counter() - started

    async def _commit(self, token: str, decision: Decision, event: Event | None = None) -> None:
        """Store the decision, then act on it (the order that makes restarts safe)."""
        state, actions = decision
        previous = self._states.get(token)
        spend: list[tuple[float, Decimal]] = []
        if isinstance(event, SendOutcome) and event.cost is not None:
            spend.append((self._clock.now(), event.cost))
        finished = state.phase == Phase.RESOLVED and not any(
            m.outcome == Outcome.INTENDED for m in state.messages
        )
        if finished:
            await self._store.save(delete=[token], spend=spend)
        else:
            await self._store.save([state], spend=spend)
        self._spend.extend(spend)
        self._index(state)
        if finished:
            self._forget(token)
        self._count(previous, state, event)
        # A timer per new wake-up time (an unchanged one is already in the heap, except for a
        # new page and after a restart, when the heap starts empty).
        moved = event is None or previous is None or previous.wake_at != state.wake_at
        if state.wake_at is not None and not finished and (moved or isinstance(event, Restarted)):
            heapq.heappush(self._timers, (state.wake_at, token))
            if self._timers[0][1] == token and self._timer_changed is not None:
                self._timer_changed.set()
        for action in actions:
            self._spawn(self._act(action))

    def _index(self, state: PageState) -> None:
        token = state.token
        self._states[token] = state
        self._locks.setdefault(token, asyncio.Lock())
        if state.phase == Phase.RESOLVED:
            if self._active.get(state.key) == token:
                del self._active[state.key]
        else:
            self._active[state.key] = token
        if state.phase != Phase.ESCALATING:
            for future in self._waiters.pop(token, []):
                if not future.done():
                    future.set_result(report(state))

    def _forget(self, token: str) -> None:
        self._states.pop(token, None)
        self._locks.pop(token, None)

    def _count(self, previous: PageState | None, state: PageState, event: Event | None) -> None:
        stats = self.stats
        if isinstance(event, SendOutcome):
            record = state.message(event.message_id)
            if event.outcome == Outcome.SENT:
                if record is not None and record.kind == "call":
                    stats.calls_sent += 1
                else:
                    stats.messages_sent += 1
                stats.cost += event.cost or Decimal(0)
            elif event.outcome == Outcome.NOT_SENT:
                stats.send_failures += 1
            else:
                stats.send_uncertain += 1
        if isinstance(event, (StatusKnown, KeyPressed)) and previous is not None:
            message_id = event.message_id
            before, after = previous.message(message_id), state.message(message_id)
            if (
                after is not None
                and is_delivered(after)
                and (before is None or not is_delivered(before))
            ):
                stats.deliveries += 1
        if previous is not None and previous.phase != state.phase:
            if state.phase == Phase.ACKNOWLEDGED:
                stats.acknowledgements += 1
            elif state.phase == Phase.EXHAUSTED:
                stats.exhausted += 1
            elif state.phase == Phase.RESOLVED:
                stats.resolved += 1
        before_turn = previous.turn if previous is not None else None
        if (
            state.turn is not None
            and before_turn is not None
            and (state.turn.step != before_turn.step or state.turn.contact != before_turn.contact)
        ):
            stats.escalations += 1

    # -- actions out ---------------------------------------------------------------------------

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _act(self, action: Any) -> None:
        try:
            if isinstance(action, Send):
                await self._send(action)
            elif isinstance(action, QueryStatus):
                await self._query(action)
            elif isinstance(action, Notify):
                await self._notify(action)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a failed action must not take the runner down
            self.stats.errors += 1
            _LOG.exception("page action %s failed", type(action).__name__)

    def _spent_this_hour(self) -> Decimal:
        since = self._clock.now() - _HOUR
        while self._spend and self._spend[0][0] < since:
            self._spend.popleft()
        return sum((amount for at, amount in self._spend), Decimal(0))

    async def _send(self, action: Send) -> None:
        token, record = action.record.message_id.split("-")[1], action.record
        if self._hourly_cap is not None and self._spent_this_hour() >= self._hourly_cap:
            outcome = SendOutcome(
                record.message_id,
                Outcome.NOT_SENT,
                detail=f"the hourly cost cap ({self._hourly_cap}) was reached",
                capped=True,
            )
        else:
            try:
                result = await self._client.send_message(action.message)
            except SmscError as exc:
                sent = Outcome.UNCERTAIN if exc.may_have_been_sent else Outcome.NOT_SENT
                outcome = SendOutcome(record.message_id, sent, detail=str(exc))
            except Exception as exc:  # noqa: BLE001 - unknown: the request may have gone out
                _LOG.exception("sending %s failed unexpectedly", record.message_id)
                outcome = SendOutcome(
                    record.message_id, Outcome.UNCERTAIN, detail=f"{type(exc).__name__}: {exc}"
                )
            else:
                outcome = SendOutcome(
                    record.message_id, Outcome.SENT, cost=result.cost, count=result.count
                )
        await self._apply(token, outcome)

    async def _query(self, action: QueryStatus) -> None:
        token = action.message_id.split("-")[1]
        event: Event
        try:
            info = await self._client.status(action.message_id, action.phone)
        except SmscError as exc:
            event = StatusUnavailable(action.message_id, str(exc), asked_at=action.asked_at)
        else:
            event = StatusKnown(
                action.message_id, int(info.status), info.error, info.cost, action.asked_at
            )
        await self._apply(token, event)

    async def _notify(self, action: Notify) -> None:
        if self._on_report is None:
            return
        result = self._on_report(action.report)
        if inspect.isawaitable(result):
            await result

    # -- time and polling ----------------------------------------------------------------------

    async def _run_timers(self, changed: asyncio.Event) -> None:
        while True:
            now = self._clock.now()
            while self._timers and self._timers[0][0] <= now:
                moment, token = heapq.heappop(self._timers)
                state = self._states.get(token)
                if state is not None and state.wake_at == moment:
                    self._spawn(self._apply(token, Tick()))
            changed.clear()
            if not self._timers:
                await changed.wait()
                continue
            sleeper = asyncio.ensure_future(self._clock.sleep(self._timers[0][0] - now))
            waker = asyncio.ensure_future(changed.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleeper.cancel()
                waker.cancel()

    async def _poll_statuses(self, interval: float) -> None:
        while True:
            await self._clock.sleep(interval)
            try:
                await self._poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next round tries again
                self.stats.errors += 1
                _LOG.exception("polling statuses failed")

    def _pending(self) -> list[tuple[str, str, float]]:
        """(message id, phone, last news) of sent messages whose delivery is not yet known."""
        horizon = self._clock.now() - _POLL_HORIZON
        pending = []
        for state in self._states.values():
            for m in state.messages:
                if (
                    m.outcome in (Outcome.SENT, Outcome.UNCERTAIN)
                    and not is_settled(m)
                    and m.intended_at >= horizon
                    and m.purpose in Purpose.ESCALATION
                ):
                    pending.append((m.message_id, m.phone, m.known_at or 0.0))
        pending.sort(key=lambda item: item[2])
        return pending

    async def _poll_once(self) -> None:
        pending = self._pending()[:_MASS_QUERY]
        if not pending:
            return
        pairs = [(message_id, phone) for message_id, phone, news in pending]
        try:
            infos = await self._client.statuses(pairs)
        except SmscError as exc:
            _LOG.warning("status.php: %s", exc)
            return
        for info in infos:
            token = self._token_of(info.id)
            if token is not None:
                await self._apply(
                    token, StatusKnown(info.id, int(info.status), info.error, info.cost)
                )

    async def _housekeeping(self) -> None:
        while True:
            await self._clock.sleep(_HOUSEKEEPING)
            try:
                await self._expire()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the next round tries again
                self.stats.errors += 1
                _LOG.exception("forgetting old pages failed")

    async def _expire(self) -> None:
        """Forget pages that ended long ago and were never resolved."""
        now = self._clock.now()
        old = [
            s.token
            for s in self._states.values()
            if s.phase not in (Phase.ESCALATING, Phase.RESOLVED)
            and s.ended_at is not None
            and now - s.ended_at > self._keep_for
            and not any(m.outcome == Outcome.INTENDED for m in s.messages)
        ]
        if old:
            await self._store.save(delete=old)
            for token in old:
                state = self._states[token]
                if self._active.get(state.key) == token:
                    del self._active[state.key]
                self._forget(token)
