# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The follow-up of the last message sent through an entry, until its status is final.

status.php allows five requests a minute for one message, so the status is checked at most
every 15 seconds, then less and less often (:data:`const.FOLLOW_UP_STEPS`), and never when no
message is in flight. The last message survives reloads and restarts in a small store, so a
reload (a new recipient, changed options) does not lose it. Statuses pushed by the service
(SMPP delivery receipts, the webhook's status calls) come through
:meth:`MessageTracker.async_apply_status`; while they can arrive for the channel the message
went over (:meth:`MessageTracker.async_set_pushed`), polling only runs as a slow safety net.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from pysmsc import (
    AuthenticationError,
    MessageKind,
    MessageStatus,
    RateLimitError,
    SendResult,
    SmscError,
)
from pysmsc.phones import is_group, same_recipient

from .const import (
    CHANNEL_HTTP,
    DOMAIN,
    FOLLOW_UP_LIMIT,
    FOLLOW_UP_SLOW,
    FOLLOW_UP_STEPS,
    LOGGER,
    RATE_LIMIT_BACKOFF,
    STORAGE_VERSION,
    known_status,
)
from .helpers import entry_secrets, safe_text

if TYPE_CHECKING:
    from .models import SmscConfigEntry

_CENT = Decimal("0.01")


def money(value: Decimal | None) -> Decimal | None:
    """An amount written as send.php writes money, with two decimal places (more only when
    they carry something): an SMPP receipt's ``1.4000`` is the ``1.40`` of send.php."""
    if value is None or not value.is_finite():
        return value
    cents = value.quantize(_CENT)
    return cents if cents == value else value.normalize()


@dataclass(frozen=True, slots=True)
class TrackedMessage:
    """The last message sent, and what is known of its fate.

    ``phone`` is the recipient whose status is followed (the first that is not a ``G<n>``
    group, which status.php cannot answer for); None when there is none. ``due_at`` is when the
    message goes out (later than ``sent_at`` for a scheduled message). ``channel`` is how it
    went out: ``http`` (send.php) or ``smpp`` (with a delivery receipt requested).
    """

    message_id: str
    phone: str | None
    kind: str
    sent_at: datetime
    due_at: datetime
    parts: int | None = None
    seconds: int | None = None
    cost: Decimal | None = None
    status: int | None = None
    error: int = 0
    changed_at: datetime | None = None
    channel: str = CHANNEL_HTTP

    @property
    def final(self) -> bool:
        """No further change of status is expected."""
        if self.status is None:
            return False
        known = known_status(self.status)
        return True if known is None else known.is_final

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form for the store."""
        data = asdict(self)
        for key in ("sent_at", "due_at", "changed_at"):
            data[key] = None if data[key] is None else data[key].isoformat()
        data["cost"] = None if self.cost is None else str(self.cost)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrackedMessage:
        """Read :meth:`as_dict`'s form back (raises on anything else)."""

        def when(key: str) -> datetime | None:
            value = data.get(key)
            return None if value is None else dt_util.parse_datetime(value, raise_on_error=True)

        sent_at = when("sent_at")
        due_at = when("due_at")
        if sent_at is None or due_at is None:
            raise ValueError("the record has no send time")
        cost = data.get("cost")
        return cls(
            message_id=str(data["message_id"]),
            phone=data.get("phone"),
            kind=str(data["kind"]),
            sent_at=sent_at,
            due_at=due_at,
            parts=data.get("parts"),
            seconds=data.get("seconds"),
            cost=None if cost is None else money(Decimal(cost)),
            status=data.get("status"),
            error=int(data.get("error") or 0),
            changed_at=when("changed_at"),
            channel=str(data.get("channel") or CHANNEL_HTTP),
        )


def _store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}")


async def async_remove_store(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the record of the last message of a removed entry."""
    await _store(hass, entry_id).async_remove()


def next_check_delay(message: TrackedMessage, now: datetime) -> float | None:
    """Seconds until the next status check of ``message``, or None to stop following it."""
    if message.phone is None or message.final:
        return None
    if now < message.due_at:
        return max((message.due_at - now).total_seconds(), 0) + FOLLOW_UP_STEPS[0][1]
    elapsed = (now - message.due_at).total_seconds()
    if elapsed > FOLLOW_UP_LIMIT.total_seconds():
        return None
    for limit, delay in FOLLOW_UP_STEPS:
        if elapsed < limit:
            return delay
    return FOLLOW_UP_SLOW


class MessageTracker:
    """Keeps the last message of an entry and follows its status until it is final."""

    def __init__(self, hass: HomeAssistant, entry: SmscConfigEntry) -> None:
        self.hass = hass
        self._entry = entry
        self._store = _store(hass, entry.entry_id)
        self.message: TrackedMessage | None = None
        # The channels (http, smpp) whose messages' statuses are pushed now (SMPP receipts
        # while the receiver sending over SMPP is bound; the webhook's calls): polling of a
        # message sent over one of them only runs as a slow safety net.
        self.pushed: set[str] = set()
        self._listeners: dict[object, CALLBACK_TYPE] = {}
        self._cancel_check: CALLBACK_TYPE | None = None
        self._stopped = False
        self._failing = False

    # --- listeners --------------------------------------------------------------------------

    @callback
    def async_add_listener(self, update_callback: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call ``update_callback`` whenever the last message changes; returns the remover."""
        key = object()
        self._listeners[key] = update_callback

        @callback
        def remove() -> None:
            self._listeners.pop(key, None)

        return remove

    @callback
    def _notify(self) -> None:
        for update_callback in list(self._listeners.values()):
            update_callback()

    # --- lifetime ---------------------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the last message back and go on following it if it is still in flight."""
        stored = await self._store.async_load()
        if not stored or not stored.get("message"):
            return
        try:
            self.message = TrackedMessage.from_dict(stored["message"])
        except (KeyError, TypeError, ValueError):
            LOGGER.warning("Discarding the unreadable record of the last message")
            return
        self._schedule_next()

    @callback
    def async_shutdown(self) -> None:
        """Stop following (the entry unloads); a check under way is cancelled with the entry."""
        self._stopped = True
        self._cancel_timer()

    # --- new messages and statuses ----------------------------------------------------------

    async def async_track(
        self,
        result: SendResult,
        recipients: Iterable[str],
        *,
        due_at: datetime | None = None,
        channel: str = CHANNEL_HTTP,
    ) -> None:
        """Remember a message the service accepted and start following its status."""
        now = dt_util.utcnow()
        phone = next((item for item in recipients if not is_group(item)), None)
        self.message = TrackedMessage(
            message_id=result.id,
            phone=phone,
            kind=result.kind.value,
            sent_at=now,
            due_at=max(due_at, now) if due_at is not None else now,
            parts=result.parts,
            seconds=result.seconds,
            cost=money(result.cost),
            # What the service answers until it has passed the message on.
            status=None if phone is None else int(MessageStatus.WAITING),
            channel=channel,
        )
        self._notify()
        self._schedule_next()
        await self._async_save()

    async def async_apply_status(
        self,
        message_id: str,
        status: int,
        error: int = 0,
        *,
        phone: str | None = None,
        cost: Decimal | None = None,
        parts: int | None = None,
    ) -> bool:
        """Take a status learnt elsewhere (a delivery receipt, the webhook, the get_status
        action), with the cost and parts it may tell (the parts of a call are its seconds:
        ignored).

        Returns False when it is not about the last message (another id, another recipient).
        """
        message = self.message
        if message is None or message.message_id != message_id:
            return False
        if (
            phone is not None
            and message.phone is not None
            and same_recipient(phone) != same_recipient(message.phone)
        ):
            return False
        if message.kind == MessageKind.CALL.value:
            parts = None
        await self._async_set_status(message, status, error, cost=cost, parts=parts)
        return True

    @callback
    def async_set_pushed(self, channel: str, pushed: bool) -> None:
        """Whether statuses of messages sent over ``channel`` are pushed now (the receiver's
        connection came or went, the webhook got its first status)."""
        if pushed == (channel in self.pushed):
            return
        if pushed:
            self.pushed.add(channel)
        else:
            self.pushed.discard(channel)
        if self.following:
            self._schedule_next()

    async def _async_set_status(
        self,
        message: TrackedMessage,
        status: int,
        error: int,
        *,
        cost: Decimal | None = None,
        parts: int | None = None,
    ) -> None:
        changes: dict[str, Any] = {}
        cost = money(cost)
        if message.status != status or message.error != error:
            changes.update(status=int(status), error=int(error), changed_at=dt_util.utcnow())
        if cost is not None and cost != message.cost:
            changes["cost"] = cost
        if parts is not None and parts != message.parts:
            changes["parts"] = parts
        if changes:
            self.message = replace(message, **changes)
            self._notify()
            await self._async_save()
        self._schedule_next()

    # --- the follow-up ----------------------------------------------------------------------

    @callback
    def _cancel_timer(self) -> None:
        if self._cancel_check is not None:
            self._cancel_check()
            self._cancel_check = None

    @callback
    def _schedule_next(self, minimum: float = 0) -> None:
        self._cancel_timer()
        if self._stopped or self.message is None:
            return
        delay = next_check_delay(self.message, dt_util.utcnow())
        if delay is None:
            return
        if self.message.channel in self.pushed:
            delay = max(delay, FOLLOW_UP_SLOW)
        self._cancel_check = async_call_later(
            self.hass, max(delay, minimum), HassJob(self._fire, cancel_on_shutdown=True)
        )

    @callback
    def _fire(self, _now: datetime) -> None:
        self._cancel_check = None
        self._entry.async_create_background_task(
            self.hass, self._async_check(), f"{DOMAIN} status follow-up", eager_start=True
        )

    async def _async_check(self) -> None:
        message = self.message
        if message is None or message.phone is None:  # pragma: no cover - never scheduled then
            return
        try:
            info = await self._entry.runtime_data.client.status(message.message_id, message.phone)
        except AuthenticationError:
            LOGGER.warning("The service refused the credentials; reauthentication is needed")
            self._entry.async_start_reauth(self.hass)
            return
        except RateLimitError as err:
            # (A newer message may have replaced this one meanwhile: its timer is reset too.)
            self._log_failure(err)
            self._schedule_next(minimum=RATE_LIMIT_BACKOFF)
            return
        except SmscError as err:
            self._log_failure(err)
            self._schedule_next()
            return
        if self._failing:
            LOGGER.info("Message status checks work again")
            self._failing = False
        if self.message is not message:
            return  # a newer message replaced it while the request was under way
        await self._async_set_status(message, info.status, info.error)

    def _log_failure(self, err: SmscError) -> None:
        text = safe_text(err, entry_secrets(self._entry))
        if not self._failing:
            LOGGER.warning("Checking the status of the last message failed: %s", text)
            self._failing = True
        else:
            LOGGER.debug("Checking the status of the last message failed again: %s", text)

    async def _async_save(self) -> None:
        message = self.message
        await self._store.async_save({"message": None if message is None else message.as_dict()})

    @property
    def following(self) -> bool:
        """Whether a status check is scheduled."""
        return self._cancel_check is not None
