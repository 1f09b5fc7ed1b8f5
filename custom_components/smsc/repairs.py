# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The fix flow of the webhook's repair issue: it shows the URL to paste into the account's
settings (made when the flow opens, never stored in the issue) and the steps; confirming
closes the issue, which also closes by itself at the service's first call."""

from __future__ import annotations

import voluptuous as vol
from homeassistant import data_entry_flow
from homeassistant.components.repairs import RepairsFlow
from homeassistant.core import HomeAssistant

from .const import ACCOUNT_SETTINGS_PATH, DOMAIN
from .helpers import site_url
from .webhook import webhook_url


class WebhookSetupFlow(RepairsFlow):
    """Paste the webhook URL into the account's settings."""

    def __init__(self, entry_id: str) -> None:
        self._entry_id = entry_id

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """The only step: the URL and how to use it."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> data_entry_flow.FlowResult:
        """Confirming closes the issue."""
        if user_input is not None:
            return self.async_create_entry(data={})
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or entry.domain != DOMAIN:
            return self.async_abort(reason="entry_removed")
        if (url := webhook_url(self.hass, entry.options)) is None:
            return self.async_abort(reason="no_url")
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders={
                "account": entry.title,
                "url": url,
                "settings_url": f"{site_url(entry.data)}{ACCOUNT_SETTINGS_PATH}",
            },
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The flow of a repair issue of this integration (only the webhook's is fixable)."""
    return WebhookSetupFlow(str((data or {}).get("entry_id")))
