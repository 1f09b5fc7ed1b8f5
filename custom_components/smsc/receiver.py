# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMPP receiver: a background SMPP connection for the entry's lifetime.

It is a thin layer on :class:`pysmsc.smpp.SmppClient`, which keeps the connection (bind,
enquire_link, reconnect with back-off and jitter, fail-over to the backup host), reassembles
long incoming messages and reads delivery receipts. The receiver passes on what comes:

* incoming messages to :func:`const.signal_incoming` (the incoming-message event entity) as
  an :class:`IncomingMessage`, and to the page runner (a reply may acknowledge a page);
* delivery receipts to :func:`const.signal_report` (the delivery-report event entity) as a
  :class:`DeliveryReport`, and to the tracker when they are about the last message;
* the connection state to :func:`const.signal_connection` (the connectivity sensor), and a
  repair issue while the service refuses the bind.

With the transceiver bind and the ``send_over_smpp`` option it also sends plain and flash SMS
(see :func:`helpers.async_send`), so that their receipts come back over the connection.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.const import CONF_API_KEY, CONF_PASSWORD
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util
from homeassistant.util.ssl import client_context

from pysmsc import ValidationError
from pysmsc.smpp import (
    BindError,
    BindMode,
    ConnectionState,
    DeliveryReceipt,
    IncomingSms,
    Report,
    SmppClient,
    SmppConfig,
    SystemType,
    receipt_status,
)

from .const import (
    ACCOUNT_PASSWORDS_PATH,
    ACCOUNT_SETTINGS_PATH,
    CHANNEL_SMPP,
    CONF_LOGIN,
    CONF_SEND_OVER_SMPP,
    CONF_SMPP,
    CONF_SMPP_BIND,
    CONF_SMPP_HOST,
    CONF_SMPP_LOGIN,
    CONF_SMPP_PASSWORD,
    CONF_SMPP_PORT,
    CONF_SMPP_SYSTEM_TYPE,
    CONF_SMPP_TLS,
    DEFAULT_SMPP_PORT,
    DEFAULT_SMPP_TLS_PORT,
    DOMAIN,
    LOGGER,
    RECEIVE_SMPP,
    SMPP_BACKUP_HOSTS,
    SMPP_BIND_TRANSCEIVER,
    SMPP_DOCS_PATH,
    signal_connection,
    signal_incoming,
    signal_report,
    smpp_issue_id,
)
from .helpers import canonical_login, entry_secrets, receive_channel, safe_text, site_url
from .models import DeliveryReport, IncomingMessage, SmscConfigEntry

# Reconnection: the client's exponential back-off with jitter, from RECONNECT_DELAY seconds up
# to RECONNECT_MAX_DELAY (tests shorten them).
RECONNECT_DELAY = 2.0
RECONNECT_MAX_DELAY = 120.0
# How long a send over SMPP may wait for the window and the rate before it goes over HTTP.
SUBMIT_TIMEOUT = 15.0
# Up to this long for the unbind and the answers still awaited when the entry unloads.
CLOSE_TIMEOUT = 5.0


def smpp_options(entry: SmscConfigEntry) -> dict[str, Any]:
    """The SMPP section of the entry's options (empty when never set)."""
    return dict(entry.options.get(CONF_SMPP) or {})


def smpp_enabled(entry: SmscConfigEntry) -> bool:
    """Whether the options choose the SMPP receiver."""
    return receive_channel(entry.options) == RECEIVE_SMPP


def smpp_credentials(entry: SmscConfigEntry) -> tuple[str | None, str | None]:
    """The SMPP login and password: the options', else the entry's own (None when unknown).

    An API key entry has neither; an SMPP password of the options goes with its login. The
    login binds in its canonical form, as it signs in over HTTP.
    """
    smpp = smpp_options(entry)
    login = canonical_login(smpp.get(CONF_SMPP_LOGIN) or entry.data.get(CONF_LOGIN) or "")
    password = smpp.get(CONF_SMPP_PASSWORD)
    if not password and not entry.data.get(CONF_API_KEY):
        password = entry.data.get(CONF_PASSWORD)
    return login or None, password or None


def build_config(entry: SmscConfigEntry) -> SmppConfig:
    """The client's configuration from the entry (raises pysmsc's ValidationError)."""
    smpp = smpp_options(entry)
    login, password = smpp_credentials(entry)
    tls = bool(smpp.get(CONF_SMPP_TLS))
    host = str(smpp.get(CONF_SMPP_HOST) or "").strip()
    if not host:
        raise ValidationError("host", "required")
    port = int(smpp.get(CONF_SMPP_PORT) or (DEFAULT_SMPP_TLS_PORT if tls else DEFAULT_SMPP_PORT))
    return SmppConfig(
        login=login or "",
        password=password or "",
        host=host,
        port=port,
        backup_host=SMPP_BACKUP_HOSTS.get(host.lower()),
        tls=tls,
        # Home Assistant's shared client context: the system CAs, loaded once at start.
        ssl_context=client_context() if tls else None,
        bind_mode=BindMode(smpp.get(CONF_SMPP_BIND) or BindMode.RECEIVER.value),
        system_type=SystemType.parse(str(smpp.get(CONF_SMPP_SYSTEM_TYPE) or "")),
        reconnect_delay=RECONNECT_DELAY,
        reconnect_max_delay=RECONNECT_MAX_DELAY,
        close_timeout=CLOSE_TIMEOUT,
    )


class SmscReceiver:
    """The SMPP connection of an entry; see the module documentation."""

    def __init__(self, hass: HomeAssistant, entry: SmscConfigEntry, config: SmppConfig) -> None:
        self.hass = hass
        self._entry = entry
        self.config = config
        self.client = SmppClient(config)
        self.send_over_smpp = bool(
            smpp_options(entry).get(CONF_SEND_OVER_SMPP)
            and smpp_options(entry).get(CONF_SMPP_BIND) == SMPP_BIND_TRANSCEIVER
        )
        self._connected = False
        self._was_connected = False
        self._failing = False
        self._stopped = False
        # Subscribed before the connection opens: what the service queued for this login goes
        # out right at bind.
        self._unsubscribe = [
            self.client.on_state_change(self._async_state_changed),
            self.client.on_message(self._async_incoming),
            self.client.on_receipt(self._async_receipt),
        ]

    # --- lifetime ---------------------------------------------------------------------------

    async def async_start(self) -> None:
        """Start connecting in the background; the client keeps trying with back-off."""
        LOGGER.debug(
            "Starting the SMPP receiver: %s, %s bind, system type %r",
            self._where(),
            self.config.bind_mode.value,
            str(self.config.system_type),
        )
        await self.client.open(wait=False)

    async def async_stop(self) -> None:
        """Unbind and close the connection, and drop the repair issue (the entry unloads)."""
        self._stopped = True
        await self.client.close()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        ir.async_delete_issue(self.hass, DOMAIN, smpp_issue_id(self._entry.entry_id))

    @property
    def connected(self) -> bool:
        """Whether the SMPP session is bound."""
        return self._connected

    @property
    def can_send(self) -> bool:
        """Whether messages may go over this connection now."""
        return self.send_over_smpp and self._connected and not self._stopped

    # --- connection state -------------------------------------------------------------------

    @callback
    def _async_state_changed(self, state: ConnectionState) -> None:
        connected = state is ConnectionState.BOUND
        if connected:
            ir.async_delete_issue(self.hass, DOMAIN, smpp_issue_id(self._entry.entry_id))
            if self._failing or self._was_connected:
                LOGGER.info("SMPP connection to %s is up again", self._where())
            self._failing = False
            self._was_connected = True
        if connected != self._connected:
            self._connected = connected
            self._entry.runtime_data.tracker.async_set_pushed(
                CHANNEL_SMPP, connected and self.send_over_smpp
            )
            async_dispatcher_send(self.hass, signal_connection(self._entry.entry_id), connected)
        if state is ConnectionState.DISCONNECTED and not self._stopped:
            self._async_check_error()  # the client records last_error before the change

    @callback
    def _async_check_error(self) -> None:
        if self._stopped or self._connected:
            return
        error = self.last_error
        if not self._failing:
            self._failing = True
            if self._was_connected and error is None:
                LOGGER.warning("SMPP connection to %s lost; reconnecting", self._where())
            else:
                LOGGER.warning(
                    "Cannot connect to SMPP at %s (%s); retrying in the background",
                    self._where(),
                    error or "connection lost",
                )
        if isinstance(self.client.last_error, BindError):
            self._async_raise_issue(self.client.last_error)

    @callback
    def _async_raise_issue(self, error: BindError) -> None:
        site = site_url(self._entry.data)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            smpp_issue_id(self._entry.entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            learn_more_url=f"{site}{SMPP_DOCS_PATH}",
            translation_key="smpp_not_enabled",
            translation_placeholders={
                "account": self._entry.title,
                "host": self._where(),
                "error": error.status_name,
                "settings_url": f"{site}{ACCOUNT_SETTINGS_PATH}",
                "passwords_url": f"{site}{ACCOUNT_PASSWORDS_PATH}",
            },
        )

    def _where(self) -> str:
        host, port = self.config.endpoints()[0]
        return f"{host}:{port}"

    @property
    def last_error(self) -> str | None:
        """The error of the last failed attempt, without credentials."""
        error = self.client.last_error
        if error is None:
            return None
        return safe_text(error, [*entry_secrets(self._entry), self.config.password])

    # --- what comes in ----------------------------------------------------------------------

    @callback
    def _async_incoming(self, message: IncomingSms) -> None:
        if not message.complete:
            LOGGER.debug(
                "Passing on an incomplete incoming message (parts %s never came)",
                ",".join(map(str, message.missing_parts)),
            )
        # A reply may acknowledge a page (the runner stores it in the background: the SMPP
        # client has already answered the service).
        self._entry.async_create_background_task(
            self.hass,
            self._entry.runtime_data.runner.feed(message),
            f"{DOMAIN} SMPP reply to pages",
        )
        async_dispatcher_send(
            self.hass, signal_incoming(self._entry.entry_id), IncomingMessage.from_sms(message)
        )

    async def _async_receipt(self, report: Report) -> None:
        known = receipt_status(report)
        if known is None:
            LOGGER.debug("Receipt of %s without a status (%s)", report.message_id, report.stat)
            return
        status = int(known)
        error = report.error or 0
        parts = report.parts if isinstance(report, DeliveryReceipt) else None
        ids = [report.message_id]
        if report.sent is not None:
            ids.extend(report.sent.message_ids)
        tracker = self._entry.runtime_data.tracker
        for message_id in dict.fromkeys(ids):
            if await tracker.async_apply_status(
                message_id, status, error, cost=report.cost, parts=parts
            ):
                break
        async_dispatcher_send(
            self.hass,
            signal_report(self._entry.entry_id),
            DeliveryReport(
                message_id=report.message_id,
                phone=report.phone,
                status=status,
                error=error,
                cost=report.cost,
                parts=parts,
                done_at=dt_util.utcnow(),
            ),
        )

    # --- sending ----------------------------------------------------------------------------

    async def async_submit(
        self,
        phone: str,
        text: str,
        *,
        sender: str | None = None,
        flash: bool = False,
        validity: timedelta | None = None,
    ) -> list[str]:
        """Send an SMS with a delivery receipt requested; the ids the service gave.

        Raises pysmsc's errors (SubmitNotSentError: surely not sent).
        """
        return await self.client.submit(
            phone,
            text,
            sender=sender,
            flash=flash,
            receipt=True,
            validity=validity,
            timeout=SUBMIT_TIMEOUT,
        )

    # --- diagnostics ------------------------------------------------------------------------

    def diagnostics(self) -> dict[str, Any]:
        """The receiver's state for the diagnostics (no credentials)."""
        config = self.config
        return {
            "state": self.client.state.value,
            "connected": self._connected,
            "last_error": self.last_error,
            "host": config.host,
            "port": config.endpoints()[0][1],
            "backup_host": config.backup_host,
            "tls": config.tls,
            "bind": config.bind_mode.value,
            "system_type": str(config.system_type),
            "send_over_smpp": self.send_over_smpp,
            "endpoint": None if self.client.endpoint is None else list(self.client.endpoint),
        }


@callback
def async_create_receiver(hass: HomeAssistant, entry: SmscConfigEntry) -> SmscReceiver | None:
    """The receiver of the entry when its options turn it on (not started yet).

    None when it is off, or when the stored options cannot make a connection (logged; the SMPP
    entities are then unavailable).
    """
    if not smpp_enabled(entry):
        return None
    try:
        config = build_config(entry)
    except ValueError as err:  # pysmsc's ValidationError, a bad bind mode
        LOGGER.error("The SMPP receiver cannot start: %s. Check the SMPP options", err)
        return None
    return SmscReceiver(hass, entry, config)
