# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""An emulated account: credentials, money, prices, and everything it has registered."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import Decimal

from .models import (
    SENDER_OPERATORS,
    ContactGroup,
    IncomingMessage,
    Message,
    OperatorTemplate,
    PingEvent,
    Sender,
    TaskGroup,
    Template,
)

__all__ = ["DEFAULT_PRICES", "Account", "AccountConfig"]

# Price of one billing unit per message kind, in the account currency: an SMS part for the
# SMS kinds, a started minute for calls, one message for everything else.
DEFAULT_PRICES: dict[str, Decimal] = {
    "sms": Decimal("1.40"),
    "flash": Decimal("1.40"),
    "bin": Decimal("1.40"),
    "push": Decimal("1.40"),
    "hlr": Decimal("0.20"),
    "ping": Decimal("0.20"),
    "mms": Decimal("6.00"),
    "mail": Decimal("0.10"),
    "call": Decimal("1.80"),
    "viber": Decimal("0.90"),
    "whatsapp": Decimal("0.90"),
    "soc": Decimal("1.00"),
}


def _default_prices() -> dict[str, Decimal]:
    return dict(DEFAULT_PRICES)


@dataclass
class AccountConfig:
    """How an account starts (and what a reset brings it back to)."""

    login: str = "demo"
    password: str = field(default="demo", repr=False)
    api_key: str = field(default="demo-api-key", repr=False)
    balance: Decimal = Decimal("1000.00")
    currency: str = "RUB"
    credit: Decimal | None = None
    prices: dict[str, Decimal] = field(default_factory=_default_prices)
    default_sender: str = "SMSC"
    tz: int = 0
    task_group_contacts: tuple[str, ...] = ("79000000000",)


class Account:
    """The live state of one account. Never shows its password or API key in ``repr``."""

    def __init__(self, config: AccountConfig) -> None:
        self.config = config
        self.login = config.login
        self._password = config.password
        self._api_key = config.api_key
        self._password_md5 = hashlib.md5(
            config.password.encode("utf-8"), usedforsecurity=False
        ).hexdigest()
        self.balance = Decimal(config.balance)
        self.currency = config.currency
        self.credit = config.credit
        self.prices = dict(config.prices)
        self.default_sender = config.default_sender
        self.tz = config.tz
        self.callback_url = ""  # the client's HTTP handler, called on every event
        self.messages: list[Message] = []
        self.templates: dict[int, Template] = {}
        self.senders: dict[int, Sender] = {}
        self.op_templates: list[OperatorTemplate] = []
        self.task_groups: dict[int, TaskGroup] = {}
        self.contact_groups: dict[int, ContactGroup] = {}
        self.incoming: list[IncomingMessage] = []
        self.ping_events: list[PingEvent] = []
        # Per number: (time of the last message, messages in the current run).
        self.flood: dict[str, tuple[float, int]] = {}
        self._counters: dict[str, int] = {}
        if config.default_sender:
            self.add_sender(
                config.default_sender,
                status=1,
                operators=dict.fromkeys(SENDER_OPERATORS, 2),
            )
        self.add_task_group("Default", list(config.task_group_contacts))

    def __repr__(self) -> str:
        return f"Account(login={self.login!r}, balance={self.balance})"

    def next_id(self, counter: str) -> int:
        value = self._counters.get(counter, 0) + 1
        self._counters[counter] = value
        return value

    def check_password(self, psw: str) -> bool:
        """The password itself, or the lowercase hex MD5 of it."""
        return hmac.compare_digest(psw.encode("utf-8"), self._password.encode("utf-8")) or (
            hmac.compare_digest(psw.encode("utf-8"), self._password_md5.encode("ascii"))
        )

    def check_api_key(self, key: str) -> bool:
        return bool(self._api_key) and hmac.compare_digest(
            key.encode("utf-8"), self._api_key.encode("utf-8")
        )

    def price(self, kind: str) -> Decimal:
        return self.prices.get(kind, self.prices.get("sms", DEFAULT_PRICES["sms"]))

    def can_pay(self, amount: Decimal) -> bool:
        return self.balance + (self.credit or Decimal("0")) >= amount

    def sender_named(self, name: str) -> Sender | None:
        wanted = name.strip().lower()
        for sender in self.senders.values():
            if sender.name.lower() == wanted:
                return sender
        return None

    def add_sender(
        self,
        name: str,
        *,
        status: int = 0,
        comment: str = "",
        operators: dict[str, int] | None = None,
    ) -> Sender:
        sender = Sender(
            id=self.next_id("sender"),
            name=name,
            status=status,
            comment=comment,
            operators=operators if operators is not None else dict.fromkeys(SENDER_OPERATORS, 0),
        )
        self.senders[sender.id] = sender
        return sender

    def add_task_group(
        self,
        name: str,
        contacts: list[str],
        *,
        fail_text: str | None = None,
        ok_text: str | None = None,
        sender: str = "",
    ) -> TaskGroup:
        group = TaskGroup(id=self.next_id("task_group"), name=name, contacts=contacts)
        if fail_text is not None:
            group.fail_text = fail_text
        if ok_text is not None:
            group.ok_text = ok_text
        group.sender = sender
        self.task_groups[group.id] = group
        return group
