# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Pages of an entry: the library's escalation (``pysmsc.paging``) run in Home Assistant.

Each loaded entry has one :class:`~pysmsc.paging.PageRunner` on the entry's client. Its pages
live in a Home Assistant store (``.storage/smsc.<entry_id>.paging``, :class:`HassPageStore`)
that the runner writes before every message it sends, so that a restarted Home Assistant
resumes every page where it was and sends nothing twice. The same file holds the get.php
poller's cursor (:meth:`HassPageStore.cursor`), written in the same save as the pages it fed.
Every write happens in Home Assistant's executor, never on the event loop.

The runner learns statuses, key presses and replies from the entry's receiving channel (the
webhook, polling or SMPP, see ``const.CONF_RECEIVE``), and polls status.php for the messages
of its pages at their deadlines (and once a minute, one mass request, while any is pending).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from homeassistant.core import CoreState, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store

from pysmsc.paging import (
    Clock,
    PageReport,
    PageRunner,
    PageState,
    StoreCursor,
    SystemClock,
    state_from_dict,
    state_to_dict,
)

from .const import DOMAIN, LOGGER, STORAGE_VERSION, signal_page
from .page_texts import ACKNOWLEDGED_VIA

if TYPE_CHECKING:
    from pysmsc import AsyncClient

# One mass status.php request a minute at most, and only while a page's message is pending.
STATUS_INTERVAL = 60.0
# Sends under way get this long to finish when the entry unloads; any still running are
# verified with status.php when it is loaded again (never sent twice).
CLOSE_DRAIN = 10.0
# Spending records older than this are dropped (the hourly cost cap looks back an hour).
_SPEND_KEPT = 86400.0


# The runner sends every message of a page with the id "pg-<token>-<n>"
# (pysmsc.paging.policy.message_id): statuses of those are the page's business.
_PAGE_MESSAGE_PREFIX = "pg-"


def is_page_message(message_id: str) -> bool:
    """Whether a message id is one the page runner chose."""
    return message_id.startswith(_PAGE_MESSAGE_PREFIX)


def _page_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    # atomic_writes: written to a temporary file, flushed to disk, then renamed.
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.paging", atomic_writes=True)


async def async_remove_page_store(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the pages of a removed entry."""
    await _page_store(hass, entry_id).async_remove()


class HassPageStore:
    """``pysmsc.paging.PageStore`` in a Home Assistant store: page states by token, named
    cursors and the spending of the last day, in one JSON file.

    Every :meth:`save` returns once a write holding its changes is done (Home Assistant's
    store serialises writes and writes the latest data; while Home Assistant stops, the
    write is its final one).
    """

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        self._hass = hass
        self._store = _page_store(hass, entry_id)
        self._pages: dict[str, dict[str, Any]] = {}
        self._cursors: dict[str, int] = {}
        self._spend: list[tuple[float, str]] = []
        self._loaded = False

    async def _async_load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        stored = await self._store.async_load()
        if not isinstance(stored, Mapping):
            return
        pages = stored.get("pages")
        if isinstance(pages, Mapping):
            self._pages = {
                str(token): dict(page) for token, page in pages.items() if isinstance(page, Mapping)
            }
        cursors = stored.get("cursors")
        if isinstance(cursors, Mapping):
            self._cursors = {
                str(name): value
                for name, value in cursors.items()
                if isinstance(value, int) and not isinstance(value, bool)
            }
        for item in stored.get("spend") or ():
            try:
                at, amount = float(item[0]), str(Decimal(str(item[1])))
            except (TypeError, ValueError, IndexError, InvalidOperation):
                continue
            self._spend.append((at, amount))

    async def load(self) -> list[PageState]:
        """The stored pages; an unreadable one is dropped, with a warning."""
        await self._async_load()
        states: list[PageState] = []
        for token, data in list(self._pages.items()):
            try:
                states.append(state_from_dict(data))
            except (KeyError, TypeError, ValueError) as err:  # ValidationError is a ValueError
                LOGGER.warning("Dropping a stored page that cannot be read (%s)", err)
                del self._pages[token]
        return states

    async def save(
        self,
        states: Sequence[PageState] = (),
        *,
        delete: Sequence[str] = (),
        cursors: Mapping[str, int] | None = None,
        spend: Sequence[tuple[float, Decimal]] = (),
    ) -> None:
        """Store these changes with everything else; returns once they are written.

        Refused while Home Assistant stops: its store would write only at the final write,
        and the runner acts (sends) once a save returns. Refused, the runner does not act;
        what it was doing is looked up with the service at the next start.
        """
        if self._hass.state is CoreState.stopping:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key="stopping")
        await self._async_load()
        for state in states:
            self._pages[state.token] = state_to_dict(state)
        for token in delete:
            self._pages.pop(token, None)
        self._cursors.update(cursors or {})
        self._spend.extend((at, str(amount)) for at, amount in spend)
        # A snapshot: the write runs in the executor while the loop goes on changing these.
        await self._store.async_save(
            {
                "pages": dict(self._pages),
                "cursors": dict(self._cursors),
                "spend": [[at, amount] for at, amount in self._spend],
            }
        )

    async def spending(self, since: float) -> list[tuple[float, Decimal]]:
        """What was spent since the Unix time ``since``."""
        await self._async_load()
        self._spend = [(at, amount) for at, amount in self._spend if at >= since - _SPEND_KEPT]
        return [(at, Decimal(amount)) for at, amount in self._spend if at >= since]

    async def load_cursor(self, name: str) -> int | None:
        """The cursor ``name`` (None before the first save)."""
        await self._async_load()
        return self._cursors.get(name)

    def cursor(self, name: str) -> StoreCursor:
        """The cursor ``name`` as a ``pysmsc.inbox.CursorStore``."""
        return StoreCursor(self, name)

    async def async_forget_cursor(self, name: str) -> None:
        """Forget the cursor ``name`` (written only when there was one)."""
        await self._async_load()
        if self._cursors.pop(name, None) is not None:
            await self.save()

    async def close(self) -> None:
        """Nothing to do: every save is written before it returns."""


def page_clock() -> Clock:
    """The runner's clock (tests move a manual one)."""
    return SystemClock()


def create_runner(
    hass: HomeAssistant, entry_id: str, client: AsyncClient, store: HassPageStore
) -> PageRunner:
    """The page runner of an entry (started by the entry's setup); it reports every change of
    a page's phase through :func:`const.signal_page`."""

    @callback
    def on_report(report: PageReport) -> None:
        async_dispatcher_send(hass, signal_page(entry_id), report)

    return PageRunner(
        client,
        store,
        clock=page_clock(),
        status_interval=STATUS_INTERVAL,
        on_report=on_report,
    )


def report_data(report: PageReport, currency: str | None) -> dict[str, Any]:
    """A page's report as the actions answer it and the page event carries it."""
    data = report.as_dict()
    data["acknowledged_via"] = ACKNOWLEDGED_VIA.get(
        report.acknowledged_via or "", report.acknowledged_via
    )
    data["cost"] = float(report.cost)
    data["currency"] = currency
    return data
