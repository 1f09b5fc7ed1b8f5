# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Diagnostics: the entry, its options and recipients, the balance, the last message, the
receiving channel (SMPP receiver, webhook or poller) and the pages, with the credentials (the
SMPP login and password too), the webhook's ID and URL, the account's login, the recipients'
addresses and the pages' contacts and texts redacted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_KEY, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from pysmsc.paging import PageReport, RunnerStats

from .const import (
    CONF_CLOUDHOOK_URL,
    CONF_LOGIN,
    CONF_QUIET_HOURS,
    CONF_RECIPIENTS,
    CONF_SENDER,
    CONF_WEBHOOK_ID,
)
from .helpers import entry_secrets, receive_channel, safe_text
from .models import SmscConfigEntry

TO_REDACT = {
    CONF_API_KEY,
    CONF_PASSWORD,
    CONF_LOGIN,
    CONF_RECIPIENTS,
    CONF_SENDER,
    CONF_WEBHOOK_ID,
    CONF_CLOUDHOOK_URL,
    CONF_QUIET_HOURS,
    "phone",
    "title",
    "unique_id",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmscConfigEntry
) -> dict[str, Any]:
    """Everything useful to debug the entry, without secrets or personal data."""
    # Besides the redacted keys, no text anywhere (an error quoting a server's page...)
    # carries a secret of the entry, in any encoding.
    diagnostics: dict[str, Any] = _without_secrets(_diagnostics(entry), entry_secrets(entry))
    return diagnostics


def _without_secrets(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, str):
        return safe_text(value, secrets)
    if isinstance(value, Mapping):
        return {key: _without_secrets(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_secrets(item, secrets) for item in value]
    return value


def _diagnostics(entry: SmscConfigEntry) -> dict[str, Any]:
    data = entry.runtime_data
    balance = data.balance.data
    message = data.tracker.message
    return {
        "entry": async_redact_data(entry.as_dict(), TO_REDACT),
        "balance": {
            "last_update_success": data.balance.last_update_success,
            "update_interval": str(data.balance.update_interval),
            "balance": None if balance is None else str(balance.balance),
            "currency": None if balance is None else balance.currency,
            "credit": None if balance is None or balance.credit is None else str(balance.credit),
            "low_balance": data.balance.low_balance,
        },
        "last_message": (
            None if message is None else async_redact_data(message.as_dict(), TO_REDACT)
        ),
        "status_follow_up": {
            "scheduled": data.tracker.following,
            "pushed": sorted(data.tracker.pushed),
        },
        "receive": receive_channel(entry.options),
        # The state, the last error (without credentials), host, port, bind and system type.
        "smpp_receiver": None if data.receiver is None else data.receiver.diagnostics(),
        # Whether it is registered and called, never its ID or URL.
        "webhook": None if data.webhook is None else data.webhook.diagnostics(),
        "polling": None if data.poller is None else data.poller.diagnostics(),
        "pages": [_page(report) for report in data.runner.reports()],
        "paging": _stats(data.runner.stats),
    }


def _page(report: PageReport) -> dict[str, Any]:
    """How a page stands, without its key, its contacts or who acknowledged (personal data)."""
    return {
        "code": report.code,
        "phase": report.phase,
        "acknowledged": report.acknowledged,
        "acknowledged_via": report.acknowledged_via,
        "created_at": report.created_at.isoformat(),
        "ended_at": None if report.ended_at is None else report.ended_at.isoformat(),
        "reached": len(report.reached),
        "skipped": len(report.skipped),
        "messages": report.messages,
        "calls": report.calls,
        "cost": str(report.cost),
    }


def _stats(stats: RunnerStats) -> dict[str, Any]:
    """The runner's counters."""
    return {
        name: str(value) if not isinstance(value, (int, float)) else value
        for name, value in vars(stats).items()
    }
