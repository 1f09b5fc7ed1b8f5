# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Polling: incoming messages from get.php ``get_answers`` on an interval, each fired once.

The library's ``IncomingPoller`` keeps the id of the last message handed over (the cursor) in
the entry's page store (``paging.HassPageStore``), so that a restarted Home Assistant asks only
for what came after it. Each batch is handed to the page runner (replies acknowledge pages),
then the cursor is written, then the incoming-message events fire: a crash before the write
brings the batch again (the runner takes a reply twice as once), and no event fires twice.
On its first start the poller fires only what arrives after it started.

A failed poll is a failed update of a ``DataUpdateCoordinator``: logged once when polling
starts failing and once when it works again, and shown by the polling sensor. When the service
says the polls are too frequent, the next one waits a minute.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from pysmsc import AuthenticationError, RateLimitError, SmscError
from pysmsc.inbox import IncomingPoller

from .const import (
    CONF_POLL_INTERVAL,
    CONF_POLLING,
    DEFAULT_POLL_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
    POLL_RATE_LIMIT_BACKOFF,
    RECEIVE_POLLING,
    signal_incoming,
)
from .helpers import entry_secrets, safe_text
from .models import IncomingMessage, SmscConfigEntry
from .paging import HassPageStore

# The name of the poller's cursor in the page store.
CURSOR = "incoming"


def poll_clock() -> float:
    """The Unix time the first poll compares the service's dates with (tests give the
    emulator's)."""
    return time.time()


def poll_interval(entry: SmscConfigEntry) -> int:
    """Seconds between two polls, from the options (within the allowed range)."""
    section = entry.options.get(CONF_POLLING) or {}
    try:
        interval = int(section.get(CONF_POLL_INTERVAL, DEFAULT_POLL_INTERVAL))
    except (TypeError, ValueError):
        interval = DEFAULT_POLL_INTERVAL
    return min(max(interval, MIN_POLL_INTERVAL), MAX_POLL_INTERVAL)


class SmscIncomingCoordinator(DataUpdateCoordinator[datetime | None]):
    """Polls get.php for the entry; its data is the time of the last successful poll."""

    config_entry: SmscConfigEntry

    def __init__(self, hass: HomeAssistant, entry: SmscConfigEntry, store: HassPageStore) -> None:
        self._interval = timedelta(seconds=poll_interval(entry))
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} incoming messages of {entry.title}",
            update_interval=self._interval,
        )
        self.poller = IncomingPoller(
            entry.runtime_data.client,
            store.cursor(CURSOR),
            interval=self._interval.total_seconds(),
            clock=poll_clock,
        )
        self.fired = 0  # messages fired since the entry was set up
        self.last_error: str | None = None

    async def _async_update_data(self) -> datetime | None:
        self.update_interval = self._interval
        try:
            batch = await self.poller.fetch()
        except AuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except RateLimitError as err:
            self.update_interval = max(self._interval, timedelta(seconds=POLL_RATE_LIMIT_BACKOFF))
            self.last_error = safe_text(err, entry_secrets(self.config_entry))
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="poll_rate_limited"
            ) from err
        except SmscError as err:
            self.last_error = safe_text(err, entry_secrets(self.config_entry))
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="poll_failed",
                translation_placeholders={"error": self.last_error},
            ) from err
        self.last_error = None
        now = dt_util.utcnow()
        if batch:
            runner = self.config_entry.runtime_data.runner
            for message in batch:
                await runner.feed(message)
            await self.poller.advance(batch)
            signal = signal_incoming(self.config_entry.entry_id)
            for message in batch:
                async_dispatcher_send(
                    self.hass, signal, IncomingMessage.from_received(message, RECEIVE_POLLING, now)
                )
            self.fired += len(batch)
        return now

    def diagnostics(self) -> dict[str, Any]:
        """The poller's state."""
        return {
            "interval": self._interval.total_seconds(),
            "last_update_success": self.last_update_success,
            "last_poll": None if self.data is None else self.data.isoformat(),
            "last_error": self.last_error,
            "cursor": self.poller.cursor,
            "fired": self.fired,
        }
