# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The balance of the account, polled at the interval the options set."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from pysmsc import AuthenticationError, Balance, SmscError

from .const import CONF_LOW_BALANCE, CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL, DOMAIN, LOGGER
from .helpers import entry_secrets, safe_text
from .models import SmscConfigEntry


class SmscBalanceCoordinator(DataUpdateCoordinator[Balance]):
    """Polls balance.php (with the currency); a send also brings the new balance."""

    config_entry: SmscConfigEntry

    def __init__(self, hass: HomeAssistant, entry: SmscConfigEntry) -> None:
        minutes = entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} balance",
            update_interval=timedelta(minutes=minutes),
        )

    async def _async_update_data(self) -> Balance:
        try:
            return await self.config_entry.runtime_data.client.balance()
        except AuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except SmscError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={
                    "error": safe_text(err, entry_secrets(self.config_entry))
                },
            ) from err

    @callback
    def async_set_balance(self, balance: Decimal) -> None:
        """Take the balance a send reported, keeping the currency already known."""
        known = self.data
        self.async_set_updated_data(
            Balance(
                balance=balance,
                currency=None if known is None else known.currency,
                credit=None if known is None else known.credit,
            )
        )

    @property
    def currency(self) -> str | None:
        """The account's currency, when the service told it."""
        return None if self.data is None else self.data.currency

    @property
    def low_balance_threshold(self) -> Decimal | None:
        """The threshold of the options; None when the warning is off."""
        threshold = self.config_entry.options.get(CONF_LOW_BALANCE) or 0
        return Decimal(str(threshold)) if threshold > 0 else None

    @property
    def low_balance(self) -> bool | None:
        """Whether the balance is below the threshold (None when unknown or turned off)."""
        threshold = self.low_balance_threshold
        if threshold is None or self.data is None:
            return None
        return self.data.balance < threshold
