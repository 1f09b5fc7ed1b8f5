# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What a loaded entry holds (its runtime data) and the values passed between its parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from pysmsc import AsyncClient

    from .coordinator import SmscBalanceCoordinator
    from .tracker import MessageTracker


class SmppReceiver(Protocol):
    """What the entry expects of the SMPP receiver (``receiver.SmscReceiver``).

    The receiver runs for the entry's lifetime and reconnects by itself. It reports through
    dispatcher signals (see ``const.signal_*``): ``signal_incoming`` with a
    ``pysmsc.smpp.IncomingSms``, ``signal_report`` with a :class:`DeliveryReport`
    (and calls ``MessageTracker.async_apply_status``), ``signal_connection`` with a bool.
    """

    @property
    def connected(self) -> bool:
        """Whether the SMPP session is bound."""

    @property
    def can_send(self) -> bool:
        """Whether messages may be sent over the SMPP connection now."""

    async def async_submit(
        self,
        phone: str,
        text: str,
        *,
        sender: str | None = None,
        flash: bool = False,
        validity: timedelta | None = None,
    ) -> list[str]:
        """Send an SMS over SMPP with a delivery receipt requested; the message ids."""

    async def async_stop(self) -> None:
        """Unbind and close the connection; called when the entry unloads."""

    def diagnostics(self) -> dict[str, Any]:
        """The receiver's state, without credentials."""


@dataclass
class SmscData:
    """Runtime data of a loaded entry."""

    client: AsyncClient
    balance: SmscBalanceCoordinator
    tracker: MessageTracker
    # The options and recipients the entry was set up with: a change of these reloads it.
    settings: dict[str, Any] = field(default_factory=dict)
    receiver: SmppReceiver | None = None


type SmscConfigEntry = ConfigEntry[SmscData]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A delivery report of a sent message, as the SMPP receiver passes it on.

    ``status`` is the status.php code the receipt stands for, ``error`` the service's error
    code, ``cost`` and ``parts`` what the service's TLVs said (None when absent), ``done_at``
    when the report arrived.
    """

    message_id: str
    phone: str
    status: int
    error: int = 0
    cost: Decimal | None = None
    parts: int | None = None
    done_at: datetime | None = None
