# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The webhook: the service calls Home Assistant on every delivery status, incoming message and
voice-menu key press.

The account names one URL, its "HTTP handler", in its settings on the service's site; the
entry's webhook is that URL. The library's framework-independent handler
(``pysmsc.callbacks.CallbackHandler``) parses each call and answers it as the service expects:
``OK`` once the call's effect is stored, 400 naming the field for a malformed call, 413 for a
body over 16 KiB, 503 when it could not be stored (the service tries again). What it carries
goes where the SMPP receiver's messages go: the incoming-message and delivery-report event
entities, the last-message sensors, and the page runner (statuses, replies, key presses).

The webhook ID is the endpoint's only secret (the service does not sign its calls in a
documented way): 256 random bits, never logged or shown in diagnostics by this integration.
With Home Assistant Cloud the URL is a cloudhook (reachable without an address of your own);
otherwise it is made from Home Assistant's external URL.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.util import dt as dt_util

from pysmsc import ReceivedMessage
from pysmsc.callbacks import CallbackEvent, CallbackHandler, KeyPress, StatusUpdate

from .const import (
    CHANNEL_HTTP,
    CONF_CLOUDHOOK_URL,
    CONF_WEBHOOK,
    CONF_WEBHOOK_ID,
    DOMAIN,
    LOGGER,
    RECEIVE_WEBHOOK,
    signal_incoming,
    signal_report,
    webhook_issue_id,
)
from .models import DeliveryReport, IncomingMessage, SmscConfigEntry
from .paging import is_page_message

_METHODS = (hdrs.METH_POST, hdrs.METH_GET)
# How many incoming messages' ids are remembered to fire a repeated call once.
RECENT_INCOMING = 1000


class _Body(Protocol):
    async def read(self, n: int = -1) -> bytes: ...


def webhook_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The webhook section of an entry's options (empty before one was made)."""
    return dict(options.get(CONF_WEBHOOK) or {})


def webhook_url(hass: HomeAssistant, options: Mapping[str, Any]) -> str | None:
    """The URL to paste into the account's settings: the cloudhook, else the webhook under
    Home Assistant's external URL; None when Home Assistant has no address the service could
    reach (an internal address is no use to it)."""
    section = webhook_options(options)
    if cloudhook := section.get(CONF_CLOUDHOOK_URL):
        return str(cloudhook)
    if not (webhook_id := section.get(CONF_WEBHOOK_ID)):
        return None
    try:
        return webhook.async_generate_url(
            hass, webhook_id, allow_internal=False, prefer_external=True
        )
    except NoURLAvailableError:
        return None


def _cloud_active(hass: HomeAssistant) -> bool:
    if "cloud" not in hass.config.components:
        return False
    from homeassistant.components import cloud  # noqa: PLC0415 - only with Cloud loaded

    return cloud.async_active_subscription(hass)


async def async_prepare_webhook(
    hass: HomeAssistant, current: Mapping[str, Any], *, renew: bool = False
) -> dict[str, Any]:
    """The webhook section to store: the current one, or a new one (``renew``, or none yet),
    with a cloudhook when Home Assistant Cloud is active.

    Raises ``homeassistant.components.cloud.CloudNotConnected`` when Cloud is active but not
    connected (the cloudhook cannot be made now).
    """
    section = dict(current)
    if renew or not section.get(CONF_WEBHOOK_ID):
        await async_delete_cloudhook(hass, section)
        section = {CONF_WEBHOOK_ID: webhook.async_generate_id()}
    if not section.get(CONF_CLOUDHOOK_URL) and _cloud_active(hass):
        from homeassistant.components import cloud  # noqa: PLC0415 - only with Cloud loaded

        section[CONF_CLOUDHOOK_URL] = await cloud.async_create_cloudhook(
            hass, section[CONF_WEBHOOK_ID]
        )
    return section


async def async_delete_cloudhook(hass: HomeAssistant, section: Mapping[str, Any]) -> None:
    """Delete the cloudhook of a webhook section, if it has one and Cloud is loaded."""
    if not section.get(CONF_CLOUDHOOK_URL) or "cloud" not in hass.config.components:
        return
    from homeassistant.components import cloud  # noqa: PLC0415 - only with Cloud loaded

    try:
        await cloud.async_delete_cloudhook(hass, section[CONF_WEBHOOK_ID])
    except cloud.CloudNotAvailable:
        LOGGER.debug("Home Assistant Cloud is not available; its cloudhook stays")


@callback
def async_create_setup_issue(hass: HomeAssistant, entry_id: str, account: str) -> None:
    """The repair issue that shows the URL to paste, until the service first calls it (or the
    user says it is done). Persistent: a restart must not make it come back or go."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        webhook_issue_id(entry_id),
        is_fixable=True,
        is_persistent=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="webhook_setup",
        translation_placeholders={"account": account},
        data={"entry_id": entry_id},
    )


async def _read_body(content: _Body, limit: int) -> bytes | None:
    """The request's body; None when it is longer than ``limit`` (no more is read)."""
    body = bytearray()
    while len(body) <= limit:
        chunk = await content.read(limit + 1 - len(body))
        if not chunk:
            return bytes(body)
        body += chunk
    return None


def _too_large(limit: int) -> web.Response:
    return web.Response(status=413, text=f"Payload Too Large (at most {limit} bytes)")


class SmscWebhook:
    """The webhook of an entry; see the module documentation."""

    def __init__(self, hass: HomeAssistant, entry: SmscConfigEntry, webhook_id: str) -> None:
        self.hass = hass
        self._entry = entry
        self._webhook_id = webhook_id
        self._handler = CallbackHandler(webhook_id, self._async_take)
        self.cloudhook = bool(webhook_options(entry.options).get(CONF_CLOUDHOOK_URL))
        self.calls = 0  # calls taken since the entry was set up
        self.refused = 0  # requests answered with an error
        self.last_call: datetime | None = None
        self._statuses_pushed = False
        # The ids of the last incoming messages: the service calls again when it did not get
        # our "OK" (lost on the way back), and the message must not fire twice.
        self._recent: deque[int] = deque(maxlen=RECENT_INCOMING)

    def __repr__(self) -> str:
        return f"SmscWebhook({self._entry.title!r})"  # never the ID

    @callback
    def async_register(self) -> None:
        """Start answering the service's calls."""
        webhook.async_register(
            self.hass,
            DOMAIN,
            f"SMSC {self._entry.title}",
            self._webhook_id,
            self._async_handle,
            local_only=False,  # the service calls from the internet
            allowed_methods=_METHODS,
        )

    @callback
    def async_unregister(self) -> None:
        """Stop answering (the entry unloads)."""
        webhook.async_unregister(self.hass, self._webhook_id)

    async def _async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Answer one request. Never raises: Home Assistant would log the webhook ID."""
        limit = self._handler.max_body
        try:
            if self._handler.too_large(request.headers):
                self.refused += 1
                return _too_large(limit)
            body = await _read_body(request.content, limit)
            if body is None:
                self.refused += 1
                return _too_large(limit)
            path = webhook.async_generate_path(webhook_id)
            if request.query_string:
                path = f"{path}?{request.query_string}"
            answer = await self._handler.handle(request.method, path, request.headers, body)
        except Exception:  # noqa: BLE001 - a bug must not show the webhook ID in a traceback
            LOGGER.exception("A call of the service to the webhook of %s failed", self._entry.title)
            self.refused += 1
            return web.Response(status=500, text="Internal Server Error")
        if answer.status >= 400:
            self.refused += 1
            LOGGER.debug(
                "Refused a request to the webhook of %s: %s %s",
                self._entry.title,
                answer.status,
                answer.body[:200].decode("utf-8", "replace"),
            )
        return web.Response(status=answer.status, body=answer.body, headers=dict(answer.headers))

    async def _async_take(self, event: CallbackEvent) -> None:
        """One call of the service, stored before it is answered ``OK``."""
        data = self._entry.runtime_data
        entry_id = self._entry.entry_id
        now = dt_util.utcnow()
        # The pages first: what they learn is stored, and a failure makes the service retry.
        await data.runner.feed(event)
        if isinstance(event, StatusUpdate) and not is_page_message(event.message_id):
            # A page's messages are followed by the page (event.<account>_page), not here.
            await data.tracker.async_apply_status(
                event.message_id,
                int(event.status),
                event.error,
                phone=event.phone,
                cost=event.cost,
                parts=event.count,
            )
            if not self._statuses_pushed:
                # Statuses arrive: the last message's status is only polled as a safety net.
                self._statuses_pushed = True
                data.tracker.async_set_pushed(CHANNEL_HTTP, True)
            async_dispatcher_send(
                self.hass,
                signal_report(entry_id),
                DeliveryReport(
                    message_id=event.message_id,
                    phone=event.phone,
                    status=int(event.status),
                    error=event.error,
                    cost=event.cost,
                    parts=event.count,
                    done_at=now,
                ),
            )
        elif isinstance(event, ReceivedMessage) and self._first_time(event.id):
            async_dispatcher_send(
                self.hass,
                signal_incoming(entry_id),
                IncomingMessage.from_received(event, RECEIVE_WEBHOOK, now),
            )
        elif isinstance(event, KeyPress):
            LOGGER.debug("Key %s pressed in the call %s", event.key, event.message_id)
        self.calls += 1
        self.last_call = now
        # The service reaches the webhook: the URL is in place.
        ir.async_delete_issue(self.hass, DOMAIN, webhook_issue_id(entry_id))

    def _first_time(self, message_id: int) -> bool:
        """Whether the incoming message ``message_id`` was not taken before (lately)."""
        if message_id in self._recent:
            LOGGER.debug("Incoming message %s came again; fired once", message_id)
            return False
        self._recent.append(message_id)
        return True

    def diagnostics(self) -> dict[str, Any]:
        """The webhook's state, without its ID or URL."""
        return {
            "registered": True,
            "cloudhook": self.cloudhook,
            "calls": self.calls,
            "refused": self.refused,
            "last_call": None if self.last_call is None else self.last_call.isoformat(),
            "statuses_pushed": self._statuses_pushed,
        }


@callback
def async_create_webhook(hass: HomeAssistant, entry: SmscConfigEntry) -> SmscWebhook | None:
    """The webhook of an entry whose options choose it (not registered yet); None when the
    options hold no webhook ID (logged)."""
    webhook_id = webhook_options(entry.options).get(CONF_WEBHOOK_ID)
    if not webhook_id:
        LOGGER.error(
            "The webhook of %s has no ID; choose the webhook again in the options", entry.title
        )
        return None
    return SmscWebhook(hass, entry, str(webhook_id))
