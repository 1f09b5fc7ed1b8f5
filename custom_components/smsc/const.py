# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Constants of the SMSC integration: keys of the entry's data, options and subentries."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

from pysmsc import MessageKind, MessageStatus

DOMAIN: Final = "smsc"
LOGGER = logging.getLogger(__package__)

# The version of the stored entries (see async_migrate_entry).
CONFIG_VERSION: Final = 1
# 2: the login in its canonical form (lower case), kinds by the names users write (``email``).
# 3: how incoming messages arrive is one choice (``receive``) instead of ``smpp.enabled``.
CONFIG_MINOR_VERSION: Final = 3

# --- Config entry data -------------------------------------------------------------------------
CONF_URL: Final = "url"
CONF_LOGIN: Final = "login"
# CONF_PASSWORD and CONF_API_KEY come from homeassistant.const.

# The service's public hosts offered in the config flow; any other http(s) address (a local
# emulator, a reseller's host) may be typed in.
SERVICE_URLS: Final = (
    "https://smsc.ru",
    "https://smscentre.com",
    "https://smsc.kz",
    "https://smsc.ua",
)
DEFAULT_URL: Final = SERVICE_URLS[0]

# --- Options -----------------------------------------------------------------------------------
CONF_SENDER: Final = "sender"
CONF_SCAN_INTERVAL: Final = "scan_interval"  # minutes between balance requests
CONF_LOW_BALANCE: Final = "low_balance_threshold"  # 0 turns the low-balance warning off
# How incoming messages and delivery statuses reach Home Assistant: one of RECEIVE_CHANNELS.
CONF_RECEIVE: Final = "receive"
RECEIVE_NONE: Final = "none"
RECEIVE_SMPP: Final = "smpp"  # the SMPP receiver (a fixed IP address registered with the service)
RECEIVE_WEBHOOK: Final = "webhook"  # the service calls a Home Assistant webhook
RECEIVE_POLLING: Final = "polling"  # get.php get_answers on an interval (replies only)
RECEIVE_CHANNELS: Final = (RECEIVE_NONE, RECEIVE_SMPP, RECEIVE_WEBHOOK, RECEIVE_POLLING)
CONF_SMPP: Final = "smpp"  # a section: the options of the SMPP receiver
# The SMPP section's switch of releases before 0.2 (minor version 2), replaced by CONF_RECEIVE.
CONF_SMPP_ENABLED: Final = "enabled"
CONF_SMPP_HOST: Final = "host"
CONF_SMPP_PORT: Final = "port"
CONF_SMPP_TLS: Final = "tls"
CONF_SMPP_SYSTEM_TYPE: Final = "system_type"
CONF_SMPP_BIND: Final = "bind"
# The SMPP login and password, when they differ from the entry's (the service's SMPP password
# is made on the account's "Passwords for access" page); required for an API key entry.
CONF_SMPP_LOGIN: Final = "login"
CONF_SMPP_PASSWORD: Final = "password"  # noqa: S105 - the key, not a password
# Send plain and flash SMS to one number over the SMPP connection (transceiver bind only), so
# that their delivery receipts come back over it.
CONF_SEND_OVER_SMPP: Final = "send_over_smpp"
CONF_POLLING: Final = "polling"  # a section: the get.php poller
CONF_POLL_INTERVAL: Final = "interval"  # seconds between two polls
# The webhook (not a form field: made by the options flow, kept across changes of the channel
# so that the URL pasted into the service's settings stays valid). Secrets: never shown in
# diagnostics or logs.
CONF_WEBHOOK: Final = "webhook"
CONF_WEBHOOK_ID: Final = "webhook_id"
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"  # the Home Assistant Cloud address of the webhook

DEFAULT_SCAN_INTERVAL: Final = 30
# The service allows ten balance requests a minute; one a minute leaves room for everything else.
MIN_SCAN_INTERVAL: Final = 1
MAX_SCAN_INTERVAL: Final = 1440
DEFAULT_LOW_BALANCE: Final = 0.0
# get.php allows about one request in five seconds per login: a poll every 10 s at most leaves
# room for other clients of the login.
DEFAULT_POLL_INTERVAL: Final = 30
MIN_POLL_INTERVAL: Final = 10
MAX_POLL_INTERVAL: Final = 3600
# After the service said the polls were too frequent.
POLL_RATE_LIMIT_BACKOFF: Final = 60
DEFAULT_SMPP_PORT: Final = 3700
DEFAULT_SMPP_TLS_PORT: Final = 3443
DEFAULT_SMPP_HOST: Final = "smpp.smsc.ru"
SMPP_BIND_RECEIVER: Final = "receiver"
SMPP_BIND_TRANSCEIVER: Final = "transceiver"
SMPP_BINDS: Final = (SMPP_BIND_RECEIVER, SMPP_BIND_TRANSCEIVER)
# The service's SMPP hosts and their backups.
SMPP_BACKUP_HOSTS: Final = {
    "smpp.smsc.ru": "smpp2.smsc.ru",
    "smpp.smscentre.com": "smpp2.smscentre.com",
}
# The pages of the account on the service's site (under the entry's address) that the repair
# issues of a refused SMPP bind and of the webhook point to.
ACCOUNT_SETTINGS_PATH: Final = "/user/"
ACCOUNT_PASSWORDS_PATH: Final = "/passwords/"
SMPP_DOCS_PATH: Final = "/api/smpp/"

# How a message went out (the last message's record, the send_message response).
CHANNEL_HTTP: Final = "http"
CHANNEL_SMPP: Final = "smpp"

# --- Recipient subentries ----------------------------------------------------------------------
SUBENTRY_RECIPIENT: Final = "recipient"
CONF_RECIPIENTS: Final = "recipients"
CONF_KIND: Final = "kind"
CONF_QUIET_HOURS: Final = "quiet_hours"  # "23:00-07:00" in Home Assistant's time zone (paging)

# Kinds that carry a text, and so can be reached by a notify entity.
NOTIFY_KINDS: Final = (
    MessageKind.SMS,
    MessageKind.FLASH,
    MessageKind.CALL,
    MessageKind.VIBER,
    MessageKind.WHATSAPP,
    MessageKind.EMAIL,
    MessageKind.MMS,
)
# Kinds the smsc.send_message action offers.
SERVICE_KINDS: Final = (*NOTIFY_KINDS, MessageKind.PING, MessageKind.HLR)
# Kinds for which the account's default sender name applies (an e-mail needs an address, a
# voice call a number, a ping or HLR request no sender at all).
DEFAULT_SENDER_KINDS: Final = frozenset(
    {MessageKind.SMS, MessageKind.FLASH, MessageKind.VIBER, MessageKind.WHATSAPP, MessageKind.MMS}
)
# Kinds whose messages have a subject (a notify entity's title goes there).
SUBJECT_KINDS: Final = frozenset({MessageKind.EMAIL, MessageKind.MMS})
# Subject of an e-mail sent by a notify entity without a title.
DEFAULT_MAIL_SUBJECT: Final = "Home Assistant"
# The model of a recipient's device: how its messages reach it, in words (a device's model is
# not translated by Home Assistant; these are the English names of the kind selector).
KIND_MODELS: Final = {
    MessageKind.SMS: "SMS",
    MessageKind.FLASH: "Flash SMS",
    MessageKind.CALL: "Voice call",
    MessageKind.VIBER: "Viber",
    MessageKind.WHATSAPP: "WhatsApp",
    MessageKind.EMAIL: "E-mail",
    MessageKind.MMS: "MMS",
}

# --- Message status follow-up ------------------------------------------------------------------
# status.php allows five requests a minute for one message: never more than one per 15 s.
# (seconds since the message went out, seconds until the next check)
FOLLOW_UP_STEPS: Final = ((120, 15), (600, 30), (3600, 60))
FOLLOW_UP_SLOW: Final = 300
# A message still not final this long after it was due is no longer followed.
FOLLOW_UP_LIMIT: Final = timedelta(hours=48)
# After the service refused a status request for its rate, wait at least this long.
RATE_LIMIT_BACKOFF: Final = 60

STORAGE_VERSION: Final = 1


def known_status(status: int | None) -> MessageStatus | None:
    """The documented status of a status code; None for None or a code the service never
    documented."""
    if status is None:
        return None
    try:
        return MessageStatus(status)
    except ValueError:
        return None


def status_key(status: int | None) -> str | None:
    """The state of the last-message-status sensor for a status code (None when unknown)."""
    known = known_status(status)
    return None if known is None else known.name.lower()


STATUS_OPTIONS: Final = [str(status_key(status)) for status in MessageStatus]


def signal_incoming(entry_id: str) -> str:
    """Dispatcher signal of incoming messages (sent by the SMPP receiver)."""
    return f"{DOMAIN}_{entry_id}_incoming"


def signal_report(entry_id: str) -> str:
    """Dispatcher signal of delivery reports (sent by the SMPP receiver)."""
    return f"{DOMAIN}_{entry_id}_report"


def signal_page(entry_id: str) -> str:
    """Dispatcher signal of pages that opened or changed phase (sent by the page runner)."""
    return f"{DOMAIN}_{entry_id}_page"


def signal_polling(entry_id: str) -> str:
    """Dispatcher signal of the get.php poller's health (a bool)."""
    return f"{DOMAIN}_{entry_id}_polling"


def signal_connection(entry_id: str) -> str:
    """Dispatcher signal of the SMPP connection state (sent by the SMPP receiver)."""
    return f"{DOMAIN}_{entry_id}_connection"


def webhook_issue_id(entry_id: str) -> str:
    """The repair issue that shows the webhook URL until the service first calls it."""
    return f"webhook_setup_{entry_id}"


def smpp_issue_id(entry_id: str) -> str:
    """The repair issue raised while the service refuses the SMPP bind of an entry."""
    return f"smpp_not_enabled_{entry_id}"
