# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What a loaded entry holds (its runtime data) and the values passed between its parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from homeassistant.config_entries import ConfigEntry

from .const import RECEIVE_SMPP

if TYPE_CHECKING:
    from pysmsc import AsyncClient, ReceivedMessage
    from pysmsc.paging import PageRunner
    from pysmsc.smpp import IncomingSms

    from .coordinator import SmscBalanceCoordinator
    from .polling import SmscIncomingCoordinator
    from .tracker import MessageTracker
    from .webhook import SmscWebhook


class SmppReceiver(Protocol):
    """What the entry expects of the SMPP receiver (``receiver.SmscReceiver``).

    The receiver runs for the entry's lifetime and reconnects by itself. It reports through
    dispatcher signals (see ``const.signal_*``): ``signal_incoming`` with an
    :class:`IncomingMessage`, ``signal_report`` with a :class:`DeliveryReport`
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

    async def async_start(self) -> None:
        """Start connecting in the background (it reconnects by itself)."""

    async def async_stop(self) -> None:
        """Unbind and close the connection; called when the entry unloads."""

    def diagnostics(self) -> dict[str, Any]:
        """The receiver's state, without credentials."""


@dataclass
class SmscData:
    """Runtime data of a loaded entry.

    Of ``receiver``, ``webhook`` and ``poller``, at most one is set: the channel the options
    choose for incoming messages and delivery statuses (``const.CONF_RECEIVE``).
    """

    client: AsyncClient
    balance: SmscBalanceCoordinator
    tracker: MessageTracker
    runner: PageRunner
    # The options and recipients the entry was set up with: a change of these reloads it.
    settings: dict[str, Any] = field(default_factory=dict)
    receiver: SmppReceiver | None = None
    webhook: SmscWebhook | None = None
    poller: SmscIncomingCoordinator | None = None


type SmscConfigEntry = ConfigEntry[SmscData]


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A message received on one of the account's numbers, whichever way it came.

    ``channel`` is how it reached Home Assistant (``const.RECEIVE_*``). ``message_id`` is the
    service's number of the message (webhook and polling; None over SMPP). ``parts`` and
    ``complete`` are known over SMPP only (the service joins the parts of what it passes on
    over HTTP): None and True otherwise.
    """

    sender: str
    text: str
    received_at: datetime
    to: str = ""
    parts: int | None = None
    complete: bool = True
    message_id: str | None = None
    channel: str = RECEIVE_SMPP

    @classmethod
    def from_sms(cls, message: IncomingSms) -> IncomingMessage:
        """An SMS that came over SMPP (a long one whole)."""
        return cls(
            sender=message.source,
            text=message.text,
            received_at=message.received_at,
            to=message.destination,
            parts=message.parts,
            complete=message.complete,
        )

    @classmethod
    def from_received(
        cls, message: ReceivedMessage, channel: str, now: datetime
    ) -> IncomingMessage:
        """A message the service passed on over HTTP (its call, or get.php); ``now`` when the
        service did not tell when it was received."""
        return cls(
            sender=message.phone,
            text=message.text,
            received_at=(message.received_at or message.sent_at or now).astimezone(UTC),
            to=message.to,
            message_id=str(message.id),
            channel=channel,
        )


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A delivery report of a sent message, as the SMPP receiver or the webhook passes it on.

    ``status`` is the status.php code the report stands for, ``error`` the service's error
    code, ``cost`` and ``parts`` what the service said (None when absent; for a call the
    webhook's ``parts`` are seconds), ``done_at`` when the report arrived.
    """

    message_id: str
    phone: str
    status: int
    error: int = 0
    cost: Decimal | None = None
    parts: int | None = None
    done_at: datetime | None = None
