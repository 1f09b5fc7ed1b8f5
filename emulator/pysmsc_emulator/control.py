# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The emulator's own endpoints, under ``/_emulator/`` (JSON in, JSON out): what was sent,
statuses, money, the clock, task and contact groups, incoming messages, injected faults,
settings, the SMPP side's sessions and limits, and reset. They are never part of the
service's API and need no credentials.

Every endpoint is described in docs/emulator.md.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Callable, Union
from urllib.parse import parse_qsl

from .callbacks import CallbackSender
from .calls import CallError, press_keys
from .faults import FaultInjector
from .models import TEMPLATE_OPERATORS
from .rules import ConcurrencyGuard
from .state import EmulatorState
from .wire import HttpAnswer, HttpRequest, json_answer

if TYPE_CHECKING:
    from .accounts import Account
    from .smpp.side import SmppSide

__all__ = ["PREFIX", "ControlApp", "ControlError"]

PREFIX = "/_emulator"

Body = dict[str, Any]


class ControlError(Exception):
    """A control request that cannot be done: answered with ``status`` and ``{"error": ...}``."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _decimal(value: Any, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ControlError(f"{name} must be a number") from None
    if not number.is_finite():
        raise ControlError(f"{name} must be a finite number")
    return number


def _int(body: Body, name: str, default: int | None = None) -> int:
    value = body.get(name, default)
    if value is None:
        raise ControlError(f"{name} is required")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ControlError(f"{name} must be an integer") from None


def _str(body: Body, name: str, default: str | None = None) -> str:
    value = body.get(name, default)
    if value is None:
        raise ControlError(f"{name} is required")
    return str(value)


def _strings(body: Body, name: str) -> list[str]:
    value = body.get(name)
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
        return [str(v) for v in value]
    raise ControlError(f"{name} must be a list of strings")


Route = Callable[[Body], Union[Any, Awaitable[Any]]]


class ControlApp:
    """The control endpoints over one state, its faults and its concurrency counter."""

    def __init__(
        self,
        state: EmulatorState,
        faults: FaultInjector,
        concurrency: ConcurrencyGuard,
        smpp: SmppSide | None = None,
        callbacks: CallbackSender | None = None,
    ) -> None:
        self.state = state
        self.faults = faults
        self.concurrency = concurrency
        self.smpp = smpp
        self.callbacks = callbacks or CallbackSender(state)

    def routes(self) -> list[tuple[str, str, Route]]:
        """(method, path, route) of every control endpoint."""
        routes: list[tuple[str, str, Route]] = [
            ("GET", "/messages", self.messages),
            ("DELETE", "/messages", self.clear_messages),
            ("POST", "/messages/clear", self.clear_messages),
            ("POST", "/messages/status", self.set_status),
            ("GET", "/account", self.account_info),
            ("POST", "/balance", self.set_balance),
            ("POST", "/reset", self.reset),
            ("GET", "/clock", self.clock),
            ("POST", "/clock/advance", self.advance),
            ("GET", "/task-groups", self.task_groups),
            ("POST", "/task-groups", self.add_task_group),
            ("GET", "/contact-groups", self.contact_groups),
            ("POST", "/contact-groups", self.add_contact_group),
            ("GET", "/incoming", self.incoming),
            ("POST", "/incoming", self.receive),
            ("GET", "/ping-events", self.ping_events),
            ("GET", "/faults", self.list_faults),
            ("POST", "/faults", self.add_fault),
            ("DELETE", "/faults", self.clear_faults),
            ("POST", "/ip-block", self.ip_block),
            ("POST", "/senders/status", self.sender_status),
            ("POST", "/op-templates/status", self.op_template_status),
            ("GET", "/calls", self.calls),
            ("POST", "/calls/keypress", self.keypress),
            ("GET", "/callbacks", self.list_callbacks),
            ("POST", "/callbacks/flush", self.flush_callbacks),
            ("GET", "/settings", self.settings),
            ("POST", "/settings", self.change_settings),
            ("GET", "/smpp/sessions", self.smpp_sessions),
            ("POST", "/smpp/drop", self.smpp_drop),
            ("GET", "/smpp/settings", self.smpp_settings),
            ("POST", "/smpp/settings", self.change_smpp_settings),
        ]
        return [(method, PREFIX + path, route) for method, path, route in routes]

    @staticmethod
    async def handle(route: Route, http: HttpRequest) -> HttpAnswer:
        """Run ``route`` with the query parameters and the JSON body merged (the body wins)."""
        body: Body = dict(parse_qsl(http.query, keep_blank_values=True))
        raw = await http.read()
        if raw.strip():
            try:
                data = json.loads(raw)
            except ValueError:
                return json_answer({"error": "the body must be a JSON object"}, 400)
            if not isinstance(data, dict):
                return json_answer({"error": "the body must be a JSON object"}, 400)
            body.update(data)
        try:
            result = route(body)
            if inspect.isawaitable(result):
                result = await result
        except ControlError as error:
            return json_answer({"error": str(error)}, error.status)
        return json_answer(result)

    def _account(self, body: Body) -> Account:
        login = body.get("login")
        if login is None:
            return next(iter(self.state.accounts.values()))
        try:
            return self.state.account(str(login))
        except KeyError:
            raise ControlError(f"no account {login}", 404) from None

    # -- messages ---------------------------------------------------------------------------

    def messages(self, body: Body) -> Any:
        self.state.apply_due()
        login = body.get("login")
        messages = self.state.all_messages()
        if login is not None:
            messages = [m for m in messages if m.login.lower() == str(login).lower()]
        return {"messages": [m.as_json() for m in messages]}

    def clear_messages(self, body: Body) -> Any:
        self.state.clear_messages()
        return {"result": "OK"}

    def set_status(self, body: Body) -> Any:
        account = self._account(body)
        try:
            recipient = self.state.set_status(
                account,
                _str(body, "id"),
                _str(body, "phone"),
                _int(body, "status"),
                _int(body, "err", 0),
            )
        except KeyError as error:
            raise ControlError(str(error.args[0]), 404) from None
        return {"phone": recipient.as_json()}

    # -- account ----------------------------------------------------------------------------

    def account_info(self, body: Body) -> Any:
        account = self._account(body)
        return {
            "login": account.login,
            "balance": str(account.balance.quantize(Decimal("0.01"))),
            "currency": account.currency,
            "credit": None if account.credit is None else str(account.credit),
            "prices": {k: str(v) for k, v in account.prices.items()},
            "default_sender": account.default_sender,
            "senders": [s.as_json() for s in account.senders.values()],
            "templates": [t.as_json() for t in account.templates.values()],
            "op_templates": [t.as_json() for t in account.op_templates],
            "task_groups": [g.as_json() for g in account.task_groups.values()],
            "contact_groups": [g.as_json() for g in account.contact_groups.values()],
        }

    def set_balance(self, body: Body) -> Any:
        account = self._account(body)
        if "balance" not in body:
            raise ControlError("balance is required")
        account.balance = _decimal(body["balance"], "balance")
        if "credit" in body:
            credit = body["credit"]
            account.credit = None if credit is None else _decimal(credit, "credit")
        return {"balance": str(account.balance.quantize(Decimal("0.01")))}

    def reset(self, body: Body) -> Any:
        self.state.reset()
        self.faults.clear()
        self.callbacks.reset()
        if self.smpp is not None:
            self.smpp.reset()
        return {"result": "OK"}

    # -- clock ------------------------------------------------------------------------------

    def clock(self, body: Body) -> Any:
        return {"now": self.state.clock.now(), "offset": self.state.clock.offset}

    def advance(self, body: Body) -> Any:
        seconds = float(_decimal(body.get("seconds"), "seconds"))
        if seconds < 0:
            raise ControlError("seconds cannot be negative")
        now = self.state.clock.advance(seconds)
        applied = self.state.apply_due(now)
        self.callbacks.tick()
        return {"now": now, "offset": self.state.clock.offset, "applied": applied}

    # -- groups -----------------------------------------------------------------------------

    def task_groups(self, body: Body) -> Any:
        account = self._account(body)
        return {"task_groups": [g.as_json() for g in account.task_groups.values()]}

    def add_task_group(self, body: Body) -> Any:
        account = self._account(body)
        group = self.state.add_task_group(
            account,
            _str(body, "name"),
            _strings(body, "contacts"),
            fail_text=body.get("fail_text"),
            ok_text=body.get("ok_text"),
            sender=str(body.get("sender") or ""),
        )
        return group.as_json()

    def contact_groups(self, body: Body) -> Any:
        account = self._account(body)
        return {"contact_groups": [g.as_json() for g in account.contact_groups.values()]}

    def add_contact_group(self, body: Body) -> Any:
        account = self._account(body)
        number = _int(body, "number")
        if number < 0:
            raise ControlError("number cannot be negative")
        group = self.state.add_contact_group(
            account, number, _strings(body, "phones"), str(body.get("name") or "")
        )
        return group.as_json()

    # -- incoming messages and events -------------------------------------------------------

    def incoming(self, body: Body) -> Any:
        account = self._account(body)
        return {"incoming": [m.as_json() for m in account.incoming]}

    def receive(self, body: Body) -> Any:
        account = self._account(body)
        incoming = self.state.receive(
            account, _str(body, "phone"), _str(body, "to", ""), _str(body, "text")
        )
        return incoming.as_json()

    def ping_events(self, body: Body) -> Any:
        account = self._account(body)
        return {"events": [e.as_json() for e in account.ping_events]}

    # -- faults -----------------------------------------------------------------------------

    def list_faults(self, body: Body) -> Any:
        return {"faults": [f.as_json() for f in self.faults.pending()]}

    def add_fault(self, body: Body) -> Any:
        try:
            fault = self.faults.add(
                _str(body, "endpoint"),
                _str(body, "kind"),
                _int(body, "count", 1),
                float(_decimal(body.get("seconds", 0), "seconds")),
                bool(body.get("after_processing", False)),
            )
        except ValueError as error:
            raise ControlError(str(error)) from None
        return fault.as_json()

    def clear_faults(self, body: Body) -> Any:
        self.faults.clear()
        return {"result": "OK"}

    def ip_block(self, body: Body) -> Any:
        self.state.ip_blocked = bool(body.get("blocked", True))
        return {"blocked": self.state.ip_blocked}

    # -- moderation -------------------------------------------------------------------------

    def sender_status(self, body: Body) -> Any:
        account = self._account(body)
        operators = body.get("operators")
        if operators is not None and not isinstance(operators, dict):
            raise ControlError("operators must be an object")
        try:
            sender = self.state.set_sender_status(
                account,
                _str(body, "sender"),
                _int(body, "status"),
                {str(k): int(v) for k, v in (operators or {}).items()},
            )
        except KeyError as error:
            raise ControlError(str(error.args[0]), 404) from None
        return sender.as_json()

    def op_template_status(self, body: Body) -> Any:
        account = self._account(body)
        operator = _str(body, "operator")
        if operator not in TEMPLATE_OPERATORS:
            raise ControlError(f"operator must be one of {', '.join(TEMPLATE_OPERATORS)}")
        try:
            template = self.state.set_op_template_status(
                account, _str(body, "sender"), _str(body, "msg"), operator, _int(body, "status")
            )
        except KeyError as error:
            raise ControlError(str(error.args[0]), 404) from None
        return template.as_json()

    # -- settings ---------------------------------------------------------------------------

    def settings(self, body: Body) -> Any:
        settings = self.state.settings
        return {
            "latency": settings.latency,
            "status_delays": list(settings.status_delays),
            "active_requests": self.concurrency.active(),
            "callback_url": self._account(body).callback_url or None,
            "callback_timeout": self.callbacks.timeout,
        }

    def change_settings(self, body: Body) -> Any:
        settings = self.state.settings
        if "callback_url" in body:
            url = body["callback_url"]
            if url is not None and not isinstance(url, str):
                raise ControlError("callback_url must be an http(s) address or null")
            url = (url or "").strip()
            if url and not url.lower().startswith(("http://", "https://")):
                raise ControlError("callback_url must be an http(s) address or null")
            self._account(body).callback_url = url
        if "callback_timeout" in body:
            timeout = float(_decimal(body["callback_timeout"], "callback_timeout"))
            if timeout <= 0:
                raise ControlError("callback_timeout must be positive")
            self.callbacks.timeout = timeout
        if "latency" in body:
            latency = float(_decimal(body["latency"], "latency"))
            if latency < 0:
                raise ControlError("latency cannot be negative")
            settings.latency = latency
        if "status_delays" in body:
            delays = body["status_delays"]
            if not isinstance(delays, list) or len(delays) != 2:
                raise ControlError("status_delays must be [seconds to 0, seconds to 1]")
            first, second = (float(_decimal(d, "status_delays")) for d in delays)
            if first < 0 or second < 0:
                raise ControlError("status_delays cannot be negative")
            settings.status_delays = (first, second)
        return self.settings(body)

    # -- calls and the client's handler -----------------------------------------------------

    def calls(self, body: Body) -> Any:
        """Every call with its parsed voice menu and, per subscriber, the keys pressed."""
        self.state.apply_due()
        account = self._account(body)
        return {"calls": [m.as_json() for m in account.messages if m.kind == "call"]}

    def keypress(self, body: Body) -> Any:
        account = self._account(body)
        transfer = str(body.get("transfer", "ok"))
        if transfer not in ("ok", "fail"):
            raise ControlError("transfer must be ok or fail")

        def on_url(message: Any, recipient: Any, key: str, url: str) -> dict[str, Any]:
            delivery = self.callbacks.key_pressed(message, recipient, key, url)
            if delivery is None:
                return {"url": None, "delivery": None, "error": "no callback URL is set"}
            return {"url": delivery.url, "delivery": delivery.id}

        try:
            message, recipient, presses = press_keys(
                self.state,
                account,
                _str(body, "id"),
                _str(body, "phone"),
                _str(body, "key").strip(),
                on_url=on_url,
                transfer_ok=transfer == "ok",
            )
        except KeyError as error:
            raise ControlError(str(error.args[0]), 404) from None
        except CallError as error:
            raise ControlError(str(error), 409) from None
        except ValueError as error:
            raise ControlError(str(error)) from None
        return {
            "id": message.id,
            "phone": recipient.phone,
            "presses": presses,
            "call": recipient.call.as_json() if recipient.call else None,
        }

    def list_callbacks(self, body: Body) -> Any:
        return {"callbacks": [d.as_json() for d in self.callbacks.deliveries()]}

    async def flush_callbacks(self, body: Body) -> Any:
        timeout = float(_decimal(body.get("timeout", 10), "timeout"))
        if timeout <= 0:
            raise ControlError("timeout must be positive")
        idle = await self.callbacks.flush(timeout)
        return {"idle": idle, "callbacks": [d.as_json() for d in self.callbacks.deliveries()]}

    # -- the SMPP side ----------------------------------------------------------------------

    def _smpp(self) -> SmppSide:
        if self.smpp is None:
            raise ControlError("the emulator runs no SMPP server (start it with an SMPP port)", 404)
        return self.smpp

    def smpp_sessions(self, body: Body) -> Any:
        return {"sessions": self._smpp().sessions()}

    def smpp_drop(self, body: Body) -> Any:
        login = body.get("login")
        return {"dropped": self._smpp().drop(None if login is None else str(login))}

    def smpp_settings(self, body: Body) -> Any:
        return self._smpp().settings()

    def change_smpp_settings(self, body: Body) -> Any:
        smpp = self._smpp()
        changes: dict[str, float | None] = {}
        for name in ("throughput", "idle_timeout"):
            if name in body:
                value = body[name]
                number = None if value is None else float(_decimal(value, name))
                if number is not None and number < 0:
                    raise ControlError(f"{name} cannot be negative")
                changes[name] = number
        return smpp.configure(changes)
