# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulated service itself: accounts, messages, and every rule, with no I/O.

The HTTP app and the SMPP server are both thin front ends over one :class:`EmulatorState`:
they authenticate with :meth:`EmulatorState.authenticate`, submit with
:meth:`EmulatorState.send`, look statuses up, and listen for events
(:meth:`EmulatorState.subscribe`). Every operation answers a typed result or raises a
:class:`~.codes.ServiceError` carrying the service's code. Times come from the emulator's
:class:`~.clock.Clock`; status changes happen when :meth:`EmulatorState.apply_due` runs
(the emulator calls it from a task on its loop, and before answering a status request).

The state is not thread-safe: use it from the emulator's event loop only.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import re
import secrets
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable

from pysmsc.text import segment

from .accounts import Account, AccountConfig
from .clock import Clock
from .codes import ServiceError, Status, StatusErr
from .models import (
    TEMPLATE_OPERATORS,
    Attachment,
    ContactGroup,
    EmulatorEvent,
    IncomingMessage,
    IncomingReceived,
    Message,
    MessageId,
    OperatorTemplate,
    PingEvent,
    Recipient,
    Sender,
    StatusChanged,
    TaskGroup,
    Template,
)
from .phones import Route, is_email, normalize_email, normalize_phone, route, split_recipients
from .rules import RULES, FloodRule, RateLimiter
from .schedule import resolve_send_time
from .sending import ListEntry, PreparedText, SendRequest, parse_message_id, prepare_text

__all__ = [
    "CODE_RETRY",
    "TEMPLATE_FORMATS",
    "BalanceInfo",
    "EmulatorState",
    "Listener",
    "PhoneReport",
    "SendResult",
    "Settings",
    "StatusReport",
]

logger = logging.getLogger(__name__)

Listener = Callable[[EmulatorEvent], None]
CODE_RETRY = 8 * 3600.0  # a confirmation code can be sent again after eight hours
TEMPLATE_FORMATS = ("", "sms", "flash", "bin", "push", "mms", "call", "mail", "viber")
_GROUP = re.compile(r"^[Gg]([0-9]{1,9})$")
_ALPHA_SENDER = re.compile(r"^[A-Za-z0-9 .\-_&!'\"+]{1,11}$")
ZERO = Decimal("0")


@dataclass
class Settings:
    """What can change while the emulator runs (and what a reset brings back).

    ``status_delays``: seconds from the send time to "passed to operator" (0), and from there
    to "delivered" (1). ``latency``: seconds every HTTP request takes before it is answered.
    """

    status_delays: tuple[float, float] = (1.0, 2.0)
    latency: float = 0.0


@dataclass
class PhoneReport:
    """One recipient in a send answer (``op=1``/``err=1``)."""

    phone: str
    mccmnc: str
    cost: Decimal
    status: int
    err: int

    @property
    def failed(self) -> bool:
        return self.status not in (Status.WAITING, Status.PASSED, Status.DELIVERED)


@dataclass
class SendResult:
    """A send (or, with ``estimate``, a cost request) the service accepted.

    ``cnt`` is the SMS parts (seconds for calls) over all recipients; ``cost`` what was
    charged (or would be); ``balance`` the balance afterwards."""

    id: MessageId | None
    cnt: int
    cost: Decimal
    balance: Decimal
    phones: list[PhoneReport]
    messages: list[Message] = field(default_factory=list)
    estimate: bool = False


@dataclass
class StatusReport:
    """The answer for one (id, phone) pair of a status request, as the client wrote them;
    ``message``/``recipient`` are None when no such message exists (status -3)."""

    id: str
    phone: str
    message: Message | None
    recipient: Recipient | None


@dataclass
class BalanceInfo:
    balance: Decimal
    currency: str
    credit: Decimal | None


@dataclass
class _Target:
    given: str
    phone: str | None  # normalized number or e-mail; None when the format is invalid
    route: Route | None
    deliverable: bool


@dataclass
class _Unit:
    prepared: PreparedText
    tz: int
    start: float
    targets: list[_Target]
    sender: str | None


class EmulatorState:
    """Everything the emulated service knows, keyed by login."""

    def __init__(
        self,
        accounts: Sequence[AccountConfig] = (),
        *,
        clock: Clock | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.clock = clock or Clock()
        self._account_configs = list(accounts) or [AccountConfig()]
        self._default_settings = settings or Settings()
        self._listeners: list[Listener] = []
        self.limiter = RateLimiter()
        self.accounts: dict[str, Account] = {}
        self.settings = replace(self._default_settings)
        self.ip_blocked = False
        # Recipients with status changes to come, by the time of the next one: (due, order,
        # message, recipient). An entry whose recipient changed meanwhile is skipped.
        self._active: list[tuple[float, int, Message, Recipient]] = []
        self._order = itertools.count()
        self._seq = 0
        # Counts resets: a request that began before one is dropped rather than processed.
        self.generation = 0
        self._build()

    def _build(self) -> None:
        self.accounts = {c.login.lower(): Account(c) for c in self._account_configs}
        self.settings = replace(self._default_settings)
        self.limiter.clear()
        self.ip_blocked = False
        self._active = []
        self._seq = 0

    def reset(self) -> None:
        """Back to the starting state: accounts, messages, limits, settings and the clock.
        Listeners stay subscribed."""
        self.clock.reset()
        self.generation += 1
        self._build()

    # -- accounts ---------------------------------------------------------------------------

    def account(self, login: str) -> Account:
        """The account with this login (KeyError if none)."""
        return self.accounts[login.lower()]

    def authenticate(
        self,
        login: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
    ) -> Account:
        """``login`` with the password (or its lowercase MD5 hex), or an API key; an empty
        login with a password takes the password as the API key. Error 2 otherwise."""
        if not api_key and not login and password:
            api_key = password
        if api_key:
            for account in self.accounts.values():
                if account.check_api_key(api_key):
                    return account
        elif login and password is not None:
            found = self.accounts.get(login.lower())
            if found is not None and found.check_password(password):
                return found
        raise ServiceError.of("*", 2)

    # -- events -----------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every :class:`StatusChanged` and :class:`IncomingReceived`
        from now on; returns the function that unsubscribes it. Listeners run on the
        emulator's loop and must not block."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _emit(self, event: EmulatorEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                logger.exception("emulator event listener failed")

    def _limit(
        self, account: Account, rule_name: str, key: Hashable, endpoint: str, now: float
    ) -> None:
        if not self.limiter.hit(account.login, RULES[rule_name], key, now):
            raise ServiceError.of(endpoint, 9)

    # -- sending ----------------------------------------------------------------------------

    def _phone_target(self, given: str) -> _Target:
        phone = normalize_phone(given)
        if phone is None:
            return _Target(given, None, None, False)
        found = route(phone)
        return _Target(given, phone, found, found is not None)

    def _targets(self, account: Account, raw: str, kind: str) -> list[_Target]:
        targets: list[_Target] = []
        for item in split_recipients(raw):
            if kind == "mail":
                if is_email(item):
                    targets.append(_Target(item, normalize_email(item), None, True))
                else:
                    targets.append(_Target(item, None, None, False))
                continue
            group = _GROUP.match(item)
            if group:
                contacts = account.contact_groups.get(int(group.group(1)))
                for phone in contacts.phones if contacts else []:
                    targets.append(self._phone_target(phone))
                continue
            targets.append(self._phone_target(item))
        seen: set[str] = set()
        unique: list[_Target] = []
        for target in targets:
            key = target.phone or target.given
            if key not in seen:
                seen.add(key)
                unique.append(target)
        return unique

    def _check_sender(self, account: Account, kind: str, sender: str | None) -> str:
        if kind == "mail":
            return sender or ""
        if not sender:
            return account.default_sender
        registered = account.sender_named(sender)
        if registered is None or registered.status != 1:
            raise ServiceError.of("send", 6)
        return registered.name

    def send(self, account: Account, request: SendRequest) -> SendResult:
        """Send (or with ``cost=1`` price) a message: validation, the duplicate and cost rules,
        recipients, sender name, funds, charging, id and status schedule.

        Raises :class:`ServiceError`: 1 bad parameters, 3 no money, 5 bad ``time``, 6 sender
        name not allowed, 7 no valid number, 8 no deliverable number, 9 duplicate.
        """
        now = self.clock.now()
        entries = request.entries or [ListEntry(request.phones, request.text)]
        units: list[_Unit] = []
        starts: dict[int, float] = {}  # send time per time zone (a list shares one or two)
        for entry in entries:
            sender = entry.sender or request.sender
            prepared = prepare_text(entry.text, request, sender or "")
            tz = entry.tz if entry.tz is not None else request.tz
            zone = tz if tz is not None else account.tz
            start = starts.get(zone)
            if start is None:
                try:
                    start = starts[zone] = resolve_send_time(request.time, zone, now)
                except ValueError:
                    raise ServiceError.of("send", 5) from None
            targets = self._targets(account, entry.phones, prepared.kind)
            units.append(_Unit(prepared, zone, start, targets, sender))
        rule = RULES["cost_identical" if request.cost == 1 else "send_identical"]
        if not self.limiter.allowed(account.login, rule, request.fingerprint, now):
            raise ServiceError.of("send", 9)
        message_id: MessageId = (
            request.message_id if request.message_id is not None else account.next_id("message")
        )
        good = [t for unit in units for t in unit.targets if t.deliverable]
        if not good:
            routed = any(t.phone is not None for unit in units for t in unit.targets)
            raise ServiceError.of("send", 8 if routed else 7, message_id)
        try:
            senders = [self._check_sender(account, u.prepared.kind, u.sender) for u in units]
        except ServiceError as error:
            raise ServiceError.of("send", error.code, message_id) from None
        total = ZERO
        count = 0
        for unit in units:
            deliverable = sum(1 for t in unit.targets if t.deliverable)
            price = account.price(unit.prepared.kind)
            total += price * unit.prepared.units * deliverable
            count += unit.prepared.count * deliverable
        if request.cost == 1:
            self.limiter.record(account.login, rule, request.fingerprint, now)
            reports = [
                self._report(t, account.price(u.prepared.kind) * u.prepared.units)
                for u in units
                for t in u.targets
            ]
            return SendResult(None, count, total, account.balance, reports, estimate=True)
        if not account.can_pay(total):
            raise ServiceError.of("send", 3, message_id)
        offsets = self._offsets(len(good), request.period)
        messages: list[Message] = []
        position = 0
        for unit, sender in zip(units, senders):
            deliverable = sum(1 for t in unit.targets if t.deliverable)
            unit_offsets = offsets[position : position + deliverable]
            position += deliverable
            messages.append(
                self._create_message(
                    account,
                    message_id=message_id,
                    prepared=unit.prepared,
                    sender=sender,
                    targets=unit.targets,
                    start=unit.start,
                    tz=unit.tz,
                    source=request.source,
                    files=request.files,
                    fileurl=request.fileurl,
                    options=dict(request.options),
                    registered_delivery=request.registered_delivery,
                    offsets=unit_offsets,
                    now=now,
                )
            )
        charged = sum((m.cost for m in messages), ZERO)
        account.balance -= charged
        self.limiter.record(account.login, rule, request.fingerprint, now)
        reports = [self._recipient_report(r) for m in messages for r in m.recipients]
        return SendResult(message_id, count, charged, account.balance, reports, messages)

    @staticmethod
    def _offsets(count: int, period: tuple[float, int] | None) -> list[float]:
        """Seconds after the start at which each deliverable recipient is sent."""
        if period is None or count == 0:
            return [0.0] * count
        hours, freq = period
        groups = max(1, int(hours * 60 // freq))
        per_group = -(-count // groups)
        return [float((i // per_group) * freq * 60) for i in range(count)]

    @staticmethod
    def _report(target: _Target, cost: Decimal) -> PhoneReport:
        if target.phone is None:
            return PhoneReport(
                target.given, "", ZERO, Status.INVALID_NUMBER, StatusErr.INVALID_NUMBER
            )
        if not target.deliverable:
            return PhoneReport(target.phone, "", ZERO, Status.UNDELIVERABLE, StatusErr.NO_ROUTE)
        mccmnc = target.route.mccmnc if target.route else ""
        return PhoneReport(target.phone, mccmnc, cost, Status.WAITING, StatusErr.NONE)

    @staticmethod
    def _recipient_report(recipient: Recipient) -> PhoneReport:
        return PhoneReport(
            recipient.phone, recipient.mccmnc, recipient.cost, recipient.status, recipient.err
        )

    def _create_message(
        self,
        account: Account,
        *,
        message_id: MessageId,
        prepared: PreparedText,
        sender: str,
        targets: Sequence[_Target],
        start: float,
        tz: int,
        source: str,
        now: float,
        files: Sequence[Attachment] = (),
        fileurl: str = "",
        options: dict[str, str] | None = None,
        registered_delivery: bool = False,
        offsets: Sequence[float] = (),
        pay_each: bool = False,
        free: bool = False,
    ) -> Message:
        """Record a message and schedule its statuses. With ``pay_each`` every recipient is
        charged here and gets status 24 (err 224) when the money runs out; otherwise the
        caller has checked the funds and charges ``message.cost``. A ``free`` message (the
        service's own, like a confirmation code) costs nothing."""
        self._seq += 1
        price = ZERO if free else account.price(prepared.kind)
        first, second = self.settings.status_delays
        attachments = list(files)
        if fileurl:
            attachments.append(Attachment(name=fileurl.rsplit("/", 1)[-1], size=0, url=fileurl))
        message = Message(
            seq=self._seq,
            id=message_id,
            login=account.login,
            kind=prepared.kind,
            source=source,
            text=prepared.text,
            comment=prepared.comment,
            sender=sender,
            parts=prepared.count,
            created=now,
            send_time=start,
            tz=tz,
            recipients=[],
            subject=prepared.subject,
            files=attachments,
            options=options or {},
            registered_delivery=registered_delivery,
            encoding=prepared.encoding,
            menu=prepared.menu,
        )
        if prepared.voice and prepared.kind == "call":
            message.options.setdefault("voice", prepared.voice)
        finished: list[Recipient] = []
        flood_gap = FloodRule.gap(source)
        index = 0
        for target in targets:
            if not target.deliverable:
                report = self._report(target, ZERO)
                recipient = Recipient(
                    phone=report.phone,
                    given=target.given,
                    status=report.status,
                    err=report.err,
                    parts=0,
                    cost=ZERO,
                    last_change=now,
                )
                message.recipients.append(recipient)
                finished.append(recipient)
                continue
            assert target.phone is not None
            send_at = start + (offsets[index] if index < len(offsets) else 0.0)
            index += 1
            cost = price * prepared.units
            recipient = Recipient(
                phone=target.phone,
                given=target.given,
                status=Status.WAITING,
                err=StatusErr.NONE,
                parts=prepared.count,
                cost=cost,
                last_change=now,
                route=target.route,
            )
            message.recipients.append(recipient)
            if prepared.kind != "mail" and FloodRule.blocked(
                account.flood, target.phone, now, flood_gap
            ):
                recipient.status, recipient.err, recipient.cost = (
                    Status.UNDELIVERABLE,
                    StatusErr.NUMBER_LIMIT,
                    ZERO,
                )
                finished.append(recipient)
                continue
            if pay_each:
                if not account.can_pay(cost):
                    recipient.status, recipient.err, recipient.cost = (
                        Status.NO_MONEY,
                        StatusErr.NO_MONEY,
                        ZERO,
                    )
                    finished.append(recipient)
                    continue
                account.balance -= cost
            recipient.pending = [
                (send_at + first, Status.PASSED, StatusErr.NONE),
                (send_at + first + second, Status.DELIVERED, StatusErr.NONE),
            ]
            self._schedule(message, recipient)
        account.messages.append(message)
        for recipient in finished:
            self._emit(StatusChanged(message, recipient, recipient.status, recipient.err, now))
        return message

    # -- statuses ---------------------------------------------------------------------------

    @staticmethod
    def _phone_key(raw: str) -> str:
        text = raw.strip()
        if "@" in text:
            return normalize_email(text)
        return normalize_phone(text) or text

    def lookup(
        self, account: Account, message_id: str, phone: str
    ) -> tuple[Message, Recipient] | None:
        """The newest message with this id sent to this number (ids need not be unique).
        No rate rule applies (the SMPP ``query_sm`` uses this)."""
        wanted = parse_message_id(message_id)
        if wanted is None:
            return None
        key = self._phone_key(phone)
        for message in reversed(account.messages):
            if message.id == wanted:
                recipient = message.recipient(key)
                if recipient is not None:
                    return message, recipient
        return None

    def status(
        self, account: Account, queries: Sequence[tuple[str, str]], *, multi: bool
    ) -> list[StatusReport]:
        """Statuses of (id, phone) pairs. Error 9 past five requests for one message a minute,
        or past one mass (``multi``) request a minute."""
        now = self.clock.now()
        if multi:
            self._limit(account, "status_mass", None, "status", now)
        else:
            message_id, phone = queries[0]
            key = (str(parse_message_id(message_id)), self._phone_key(phone))
            self._limit(account, "status_message", key, "status", now)
        self.apply_due(now)
        reports: list[StatusReport] = []
        for message_id, phone in queries:
            found = self.lookup(account, message_id, phone)
            message, recipient = found if found else (None, None)
            reports.append(StatusReport(message_id, phone, message, recipient))
        return reports

    def delete_message(self, account: Account, message_id: str, phone: str) -> None:
        """status.php ``del=1``: forget the message to that number (error 5 if none)."""
        found = self.lookup(account, message_id, phone)
        if found is None:
            raise ServiceError.of("status", 5)
        message, recipient = found
        message.recipients.remove(recipient)
        recipient.pending.clear()
        if not message.recipients:
            account.messages.remove(message)

    def _schedule(self, message: Message, recipient: Recipient) -> None:
        due = recipient.pending[0][0]
        heapq.heappush(self._active, (due, next(self._order), message, recipient))

    def apply_due(self, now: float | None = None) -> int:
        """Apply every scheduled status change that is due; returns how many were applied."""
        moment = self.clock.now() if now is None else now
        changed = 0
        active = self._active
        while active and active[0][0] <= moment:
            due, _, message, recipient = heapq.heappop(active)
            pending = recipient.pending
            if not pending or pending[0][0] != due:
                continue  # set through the control API or deleted meanwhile
            while pending and pending[0][0] <= moment:
                when, status, err = pending.pop(0)
                recipient.status, recipient.err, recipient.last_change = status, err, when
                changed += 1
                self._emit(StatusChanged(message, recipient, status, err, when))
            if pending:
                self._schedule(message, recipient)
        return changed

    def next_due(self) -> float | None:
        """When the next scheduled status change is due, if any."""
        while self._active:
            due, _, _, recipient = self._active[0]
            if recipient.pending and recipient.pending[0][0] == due:
                return due
            heapq.heappop(self._active)
        return None

    # -- balance ----------------------------------------------------------------------------

    def balance(self, account: Account) -> BalanceInfo:
        """Error 9 past ten balance requests a minute."""
        self._limit(account, "balance", None, "balance", self.clock.now())
        return BalanceInfo(account.balance, account.currency, account.credit)

    # -- templates --------------------------------------------------------------------------

    def _template(self, account: Account, template_id: str) -> Template:
        try:
            number = int(template_id.strip())
        except ValueError:
            raise ServiceError.of("templates", 1) from None
        found = account.templates.get(number)
        if found is None:
            raise ServiceError.of("templates", 3)
        return found

    @staticmethod
    def _template_name_taken(account: Account, name: str, other_than: int = 0) -> bool:
        return any(
            t.name.lower() == name.lower() and t.id != other_than
            for t in account.templates.values()
        )

    def template_add(
        self,
        account: Account,
        *,
        name: str,
        message: str,
        format: str = "",
        sender: str = "",
        flag: int = 0,
        request_key: Hashable = (),
    ) -> Template:
        """Error 1 without a name or text or with an unknown format; 5 if the name exists."""
        self._limit(account, "templates_identical", request_key, "templates", self.clock.now())
        if not name.strip() or not message.strip() or format not in TEMPLATE_FORMATS:
            raise ServiceError.of("templates", 1)
        if self._template_name_taken(account, name.strip()):
            raise ServiceError.of("templates", 5)
        template = Template(
            account.next_id("template"), name.strip(), message, format, sender, flag
        )
        account.templates[template.id] = template
        return template

    def template_change(
        self,
        account: Account,
        template_id: str,
        *,
        name: str | None = None,
        message: str | None = None,
        format: str | None = None,
        sender: str | None = None,
        flag: int | None = None,
        request_key: Hashable = (),
    ) -> Template:
        """Error 3 for an unknown id; 5 when renaming to a name another template has."""
        self._limit(account, "templates_identical", request_key, "templates", self.clock.now())
        template = self._template(account, template_id)
        if format is not None and format not in TEMPLATE_FORMATS:
            raise ServiceError.of("templates", 1)
        if name is not None:
            if not name.strip():
                raise ServiceError.of("templates", 1)
            if self._template_name_taken(account, name.strip(), template.id):
                raise ServiceError.of("templates", 5)
            template.name = name.strip()
        if message is not None:
            template.message = message
        if format is not None:
            template.format = format
        if sender is not None:
            template.sender = sender
        if flag is not None:
            template.flag = flag
        return template

    def template_delete(
        self, account: Account, template_id: str, request_key: Hashable = ()
    ) -> None:
        self._limit(account, "templates_identical", request_key, "templates", self.clock.now())
        template = self._template(account, template_id)
        del account.templates[template.id]

    def template_list(self, account: Account, request_key: Hashable = ()) -> list[Template]:
        self._limit(account, "templates_identical", request_key, "templates", self.clock.now())
        return sorted(account.templates.values(), key=lambda t: t.id)

    # -- operator templates -----------------------------------------------------------------

    def _op_template(
        self, account: Account, operator: str, sender: str, message: str
    ) -> OperatorTemplate | None:
        for template in account.op_templates:
            if (
                template.operator == operator
                and template.sender.lower() == sender.lower()
                and template.message == message
            ):
                return template
        return None

    def op_template_add(
        self,
        account: Account,
        *,
        sender: str,
        message: str,
        operators: Sequence[str],
        request_key: Hashable = (),
    ) -> list[tuple[str, int, int]]:
        """Per operator ``(name, status, id)``: 1 added, -1 sender name unknown or not
        allowed, -2 cannot be saved (the same template exists). Error 1 without sender, text
        or operator."""
        self._limit(
            account, "op_templates_identical", request_key, "op_templates", self.clock.now()
        )
        if not sender.strip() or not message.strip() or not operators:
            raise ServiceError.of("op_templates", 1)
        registered = account.sender_named(sender)
        results: list[tuple[str, int, int]] = []
        for operator in operators:
            if registered is None or registered.status != 1:
                results.append((operator, -1, 0))
            elif self._op_template(account, operator, sender, message) is not None:
                results.append((operator, -2, 0))
            else:
                template = OperatorTemplate(
                    account.next_id("op_template"), operator, registered.name, message
                )
                account.op_templates.append(template)
                results.append((operator, 1, template.id))
        return results

    def op_template_get(
        self,
        account: Account,
        *,
        sender: str,
        message: str,
        operators: Sequence[str] = (),
        request_key: Hashable = (),
    ) -> list[tuple[str, int, int]]:
        """Per operator (all when none named) ``(name, status, id)``; status -1 when there is
        no template for that operator."""
        self._limit(
            account, "op_templates_identical", request_key, "op_templates", self.clock.now()
        )
        if not sender.strip() or not message.strip():
            raise ServiceError.of("op_templates", 1)
        results: list[tuple[str, int, int]] = []
        for operator in operators or TEMPLATE_OPERATORS:
            template = self._op_template(account, operator, sender, message)
            if template is None:
                results.append((operator, -1, 0))
            else:
                results.append((operator, template.status, template.id))
        return results

    # -- sender names -----------------------------------------------------------------------

    def _sender(self, account: Account, name: str | None, sender_id: str | None) -> Sender:
        found: Sender | None = None
        if sender_id is not None and sender_id.strip():
            try:
                found = account.senders.get(int(sender_id.strip()))
            except ValueError:
                raise ServiceError.of("senders", 1) from None
        elif name is not None and name.strip():
            found = account.sender_named(name) or account.sender_named(
                normalize_phone(name) or name
            )
        else:
            raise ServiceError.of("senders", 1)
        if found is None:
            raise ServiceError.of("senders", 3)
        return found

    def sender_list(
        self, account: Account, *, everything: bool, request_key: Hashable = ()
    ) -> list[Sender]:
        """Allowed names, or with ``everything`` (all=1/operators=1) every name. Error 9 past
        three identical list requests a minute."""
        self._limit(account, "senders_get_identical", request_key, "senders", self.clock.now())
        senders = sorted(account.senders.values(), key=lambda s: s.id)
        return senders if everything else [s for s in senders if s.status == 1]

    def sender_add(self, account: Account, name: str, comment: str = "") -> Sender:
        """A new name waits for moderation (status 0). Error 1 for a malformed name, 7 for a
        malformed number, 5 if the name exists, 9 past five additions a minute."""
        self._limit(account, "senders_add", None, "senders", self.clock.now())
        text = name.strip()
        if not text:
            raise ServiceError.of("senders", 1)
        if text.lstrip("+").isdigit():
            number = normalize_phone(text)
            if number is None:
                raise ServiceError.of("senders", 7)
            text = number
        elif not _ALPHA_SENDER.match(text):
            raise ServiceError.of("senders", 1)
        if account.sender_named(text) is not None:
            raise ServiceError.of("senders", 5)
        return account.add_sender(text, comment=comment)

    def sender_change(
        self,
        account: Account,
        *,
        name: str | None = None,
        sender_id: str | None = None,
        comment: str = "",
    ) -> Sender:
        sender = self._sender(account, name, sender_id)
        sender.comment = comment
        return sender

    def sender_delete(
        self, account: Account, *, name: str | None = None, sender_id: str | None = None
    ) -> None:
        sender = self._sender(account, name, sender_id)
        del account.senders[sender.id]

    def sender_send_code(self, account: Account, number: str) -> Message:
        """Send a confirmation code by SMS to a numeric sender name (created if new).
        Error 7 for a malformed number, 8 when it cannot be reached, 10 within eight hours
        of the previous code."""
        now = self.clock.now()
        phone = normalize_phone(number)
        if phone is None:
            raise ServiceError.of("senders", 7)
        target = self._phone_target(phone)
        if not target.deliverable:
            raise ServiceError.of("senders", 8)
        sender = account.sender_named(phone) or account.add_sender(phone)
        if sender.code_sent_at is not None and now - sender.code_sent_at < CODE_RETRY:
            raise ServiceError.of("senders", 10)
        sender.code = str(100000 + secrets.randbelow(900000))
        sender.code_sent_at = now
        text = f"Код подтверждения: {sender.code}"
        prepared = PreparedText("sms", text, "", "", "", 1, 1, "ucs2")
        return self._create_message(
            account,
            message_id=account.next_id("message"),
            prepared=prepared,
            sender=account.default_sender,
            targets=[target],
            start=now,
            tz=account.tz,
            source="service",
            now=now,
            free=True,
        )

    def sender_check_code(self, account: Account, number: str, code: str) -> Sender:
        """Confirm a numeric sender name: error 3 if unknown, 11 for a wrong code."""
        sender = self._sender(account, normalize_phone(number) or number, None)
        if sender.code is None or not secrets.compare_digest(code.strip(), sender.code):
            raise ServiceError.of("senders", 11)
        sender.status = 1
        sender.code = None
        return sender

    # -- monitoring events (ping.php) -------------------------------------------------------

    def ping(
        self,
        account: Account,
        *,
        group_id: str,
        name: str = "",
        host: str = "",
        info: str = "",
        ok: bool = False,
        request_key: Hashable = (),
    ) -> PingEvent:
        """Record the event and send the task group's failure (or, with ``ok``, recovery)
        text to each of its contacts, charged as ordinary messages. Error 1 without an id,
        3 for an unknown group, 9 past five identical notifications a minute."""
        now = self.clock.now()
        self._limit(account, "ping_identical", request_key, "ping", now)
        try:
            number = int(group_id.strip())
        except ValueError:
            raise ServiceError.of("ping", 1) from None
        group = account.task_groups.get(number)
        if group is None:
            raise ServiceError.of("ping", 3)
        event = PingEvent(group.id, name, host, info, ok, now, account.login)
        template = group.ok_text if ok else group.fail_text
        text = template.replace("{NAME}", name).replace("{HOST}", host).replace("{INFO}", info)
        message_id = account.next_id("message")
        for contact in group.contacts:
            mail = is_email(contact)
            kind = "mail" if mail else "sms"
            target = (
                _Target(contact, normalize_email(contact), None, True)
                if mail
                else self._phone_target(contact)
            )
            units = 1 if mail else segment(text).parts
            prepared = PreparedText(
                kind, text, "", group.name if mail else "", "", units, units, ""
            )
            message = self._create_message(
                account,
                message_id=message_id,
                prepared=prepared,
                sender=group.sender or account.default_sender,
                targets=[target],
                start=now,
                tz=account.tz,
                source="service",
                now=now,
                pay_each=True,
            )
            event.message_seqs.append(message.seq)
        account.ping_events.append(event)
        return event

    # -- control (the emulator's own endpoints) ---------------------------------------------

    def all_messages(self) -> list[Message]:
        return sorted((m for a in self.accounts.values() for m in a.messages), key=lambda m: m.seq)

    def clear_messages(self) -> None:
        for account in self.accounts.values():
            account.messages.clear()
            account.flood.clear()
        self._active = []

    def set_status(
        self, account: Account, message_id: str, phone: str, status: int, err: int = 0
    ) -> Recipient:
        """Give (message, phone) a status now; its scheduled changes are dropped.
        KeyError when there is no such message."""
        found = self.lookup(account, message_id, phone)
        if found is None:
            raise KeyError(f"no message {message_id} to {phone}")
        message, recipient = found
        now = self.clock.now()
        recipient.pending.clear()
        recipient.status, recipient.err, recipient.last_change = status, err, now
        self._emit(StatusChanged(message, recipient, status, err, now))
        return recipient

    def answer_call(self, message: Message, recipient: Recipient) -> None:
        """A key pressed on a call proves it was answered: delivered (1) now, if it was still
        waiting or passed to the operator."""
        if recipient.status in (Status.WAITING, Status.PASSED):
            now = self.clock.now()
            recipient.pending.clear()
            recipient.status, recipient.err, recipient.last_change = Status.DELIVERED, 0, now
            self._emit(StatusChanged(message, recipient, Status.DELIVERED, 0, now))

    def add_contact_group(
        self, account: Account, number: int, phones: Sequence[str], name: str = ""
    ) -> ContactGroup:
        group = ContactGroup(number, list(phones), name)
        account.contact_groups[number] = group
        return group

    def add_task_group(
        self,
        account: Account,
        name: str,
        contacts: Sequence[str],
        *,
        fail_text: str | None = None,
        ok_text: str | None = None,
        sender: str = "",
    ) -> TaskGroup:
        return account.add_task_group(
            name, list(contacts), fail_text=fail_text, ok_text=ok_text, sender=sender
        )

    def receive(self, account: Account, phone: str, to: str, text: str) -> IncomingMessage:
        """An SMS from ``phone`` to the account's number ``to``: stored, and emitted to
        listeners (the SMPP side delivers it to bound receivers)."""
        incoming = IncomingMessage(
            account.next_id("incoming"),
            account.login,
            normalize_phone(phone) or phone.strip(),
            to.strip(),
            text,
            self.clock.now(),
        )
        account.incoming.append(incoming)
        self._emit(IncomingReceived(incoming))
        return incoming

    def answers(
        self,
        account: Account,
        *,
        after_id: int | None = None,
        hour: int | None = None,
        count: int | None = None,
    ) -> list[IncomingMessage]:
        """get.php?get_answers=1: incoming messages oldest first, those with an id above
        ``after_id``, or received in the last ``hour`` hours (1 when neither is given), at
        most ``count`` (1000). Error 9 past one request in 5 s."""
        now = self.clock.now()
        self._limit(account, "answers", None, "get", now)
        found = list(account.incoming)
        if after_id is not None:
            found = [m for m in found if m.id > after_id]
        if hour is not None or after_id is None:
            since = now - 3600 * (hour or 1)
            found = [m for m in found if m.received >= since]
        found.sort(key=lambda m: m.id)
        return found[: count or 1000]

    def set_sender_status(
        self,
        account: Account,
        name: str,
        status: int,
        operators: dict[str, int] | None = None,
    ) -> Sender:
        """Moderate a sender name (0 waiting, 1 allowed, 2 disabled); KeyError if unknown."""
        sender = account.sender_named(name) or account.sender_named(normalize_phone(name) or name)
        if sender is None:
            raise KeyError(f"no sender name {name}")
        sender.status = status
        if operators:
            sender.operators.update(operators)
        return sender

    def set_op_template_status(
        self, account: Account, sender: str, message: str, operator: str, status: int
    ) -> OperatorTemplate:
        template = self._op_template(account, operator, sender, message)
        if template is None:
            raise KeyError(f"no {operator} template for {sender}")
        template.status = status
        return template
