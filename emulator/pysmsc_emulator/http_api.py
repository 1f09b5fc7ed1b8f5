# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The service's HTTP paths: ``/sys/*.php`` (GET and POST, form-urlencoded or multipart with
files) and ``POST /rest/send/`` (JSON), over the transport-neutral :mod:`.wire` types. Reads
parameters in the request's ``charset`` (windows-1251 unless told otherwise), authenticates,
counts the requests in flight per login, applies the configured latency and any injected fault,
calls the state and renders its answer in the requested ``fmt``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Callable

from .codes import TOO_MANY_CONCURRENT, ServiceError
from .faults import GARBAGE, Fault, FaultInjector
from .formats import (
    Answer,
    fmt_of,
    render_answers,
    render_balance,
    render_error,
    render_ok,
    render_op_templates,
    render_rest_error,
    render_rest_send,
    render_send,
    render_sender_created,
    render_senders,
    render_status,
    render_template_created,
    render_templates,
)
from .models import TEMPLATE_OPERATORS
from .rules import ConcurrencyGuard
from .sending import build_send_request
from .state import EmulatorState
from .wire import HttpAnswer, HttpRequest, ServiceRequest, read_params

if TYPE_CHECKING:
    from .accounts import Account

__all__ = ["SERVICE_ENDPOINTS", "Respond", "ServiceApp"]

SERVICE_ENDPOINTS = (
    "send",
    "status",
    "balance",
    "templates",
    "op_templates",
    "senders",
    "ping",
    "get",
)
Respond = Callable[[HttpAnswer], Awaitable[None]]
Handler = Callable[["Account", ServiceRequest, int], Answer]
_DROP = HttpAnswer(drop=True)


def _fault_answer(fault: Fault) -> HttpAnswer:
    if fault.kind == "close":
        return _DROP
    if fault.kind == "http500":
        return HttpAnswer(500, b"500 Internal Server Error", "text/plain")
    return HttpAnswer(200, GARBAGE, "text/html")


def _encode(answer: Answer, request: ServiceRequest) -> HttpAnswer:
    return HttpAnswer(
        200,
        answer.body.encode(request.codec, errors="replace"),
        f"{answer.content_type}; charset={request.charset}",
    )


class ServiceApp:
    """The request handlers of the service paths, over one state."""

    def __init__(
        self,
        state: EmulatorState,
        faults: FaultInjector,
        concurrency: ConcurrencyGuard,
    ) -> None:
        self.state = state
        self.faults = faults
        self.concurrency = concurrency
        self._handlers: dict[str, Handler] = {
            "send": self._send,
            "status": self._status,
            "balance": self._balance,
            "templates": self._templates,
            "op_templates": self._op_templates,
            "senders": self._senders,
            "ping": self._ping,
            "get": self._get,
        }

    def routes(self) -> list[tuple[str, str, str]]:
        """(method, path, endpoint) of every service path."""
        routes = [
            (method, f"/sys/{name}.php", name)
            for name in SERVICE_ENDPOINTS
            for method in ("GET", "POST")
        ]
        routes += [("POST", "/rest/send/", "rest/send"), ("POST", "/rest/send", "rest/send")]
        return routes

    def _early_account(self, params: dict[str, str]) -> Account | None:
        """The account of credentials in the query string, known before the body arrives."""
        if self.state.ip_blocked or not (params.get("psw") or params.get("apikey")):
            return None
        try:
            return self.state.authenticate(
                login=params.get("login"), password=params.get("psw"), api_key=params.get("apikey")
            )
        except ServiceError:
            return None

    async def handle(self, endpoint: str, http: HttpRequest, respond: Respond) -> None:
        """Answer one request through ``respond``. The request counts as in flight for its
        login from the moment its credentials are known (at once when the query string
        carries them, else once the body is read) until its answer is written: the fifteenth
        at once is refused with error 9, whatever the latency."""
        generation = self.state.generation
        fault = self.faults.take(endpoint)
        held: list[str] = []
        try:
            early = read_params(http.query)
            account = self._early_account(early.params)
            if account is not None:
                if not self.concurrency.enter(account.login):
                    await respond(self._refused(endpoint, early))
                    return
                held.append(account.login)
            request = read_params(http.query, http.content_type, await http.read())
            if fault is not None and fault.kind != "delay" and not fault.after_processing:
                await respond(_fault_answer(fault))
                return
            answer = await self._process(endpoint, request, held, generation)
            if answer is None:  # the emulator was reset meanwhile: this request never was
                await respond(_DROP)
            elif fault is not None and fault.kind != "delay":
                await respond(_fault_answer(fault))
            else:
                if fault is not None:
                    await asyncio.sleep(fault.seconds)
                await respond(_encode(answer, request))
        finally:
            for login in held:
                self.concurrency.leave(login)

    def _refused(self, endpoint: str, request: ServiceRequest) -> HttpAnswer:
        error = ServiceError(9, TOO_MANY_CONCURRENT)
        if endpoint == "rest/send":
            return _encode(render_rest_error(error), request)
        return _encode(render_error(fmt_of(request.get("fmt")), error), request)

    async def _process(
        self, endpoint: str, request: ServiceRequest, held: list[str], generation: int
    ) -> Answer | None:
        rest = endpoint == "rest/send"
        fmt = 3 if rest else fmt_of(request.get("fmt"))

        def error(err: ServiceError) -> Answer:
            return render_rest_error(err) if rest else render_error(fmt, err)

        latency = self.state.settings.latency
        if self.state.ip_blocked:
            return error(ServiceError.of(endpoint, 4))
        try:
            account = self.state.authenticate(
                login=request.get("login"),
                password=request.get("psw"),
                api_key=request.get("apikey"),
            )
        except ServiceError as err:
            if latency:
                await asyncio.sleep(latency)
            return error(err)
        if account.login not in held:
            if not self.concurrency.enter(account.login):
                return error(ServiceError(9, TOO_MANY_CONCURRENT))
            held.append(account.login)
        if latency:
            await asyncio.sleep(latency)
        if self.state.generation != generation:
            return None
        try:
            if rest:
                return self._rest_send(account, request)
            return self._handlers[endpoint](account, request, fmt)
        except ServiceError as err:
            return error(err)

    # -- endpoints --------------------------------------------------------------------------

    def _send_result(self, account: Account, request: ServiceRequest) -> tuple[Any, int]:
        send = build_send_request(
            request.params,
            request.files,
            login=account.login,
            raw_text=request.raw.get("mes"),
        )
        return self.state.send(account, send), send.cost

    def _send(self, account: Account, request: ServiceRequest, fmt: int) -> Answer:
        result, cost = self._send_result(account, request)
        return render_send(fmt, result, cost, request.flag("op") == 1, request.flag("err") == 1)

    def _rest_send(self, account: Account, request: ServiceRequest) -> Answer:
        result, cost = self._send_result(account, request)
        return render_rest_send(result, cost)

    def _status(self, account: Account, request: ServiceRequest, fmt: int) -> Answer:
        ids_raw = request.params.get("id", "")
        phones_raw = request.params.get("phone", "")
        if not ids_raw.strip() or not phones_raw.strip():
            raise ServiceError.of("status", 1)
        if request.flag("del") == 1:
            self.state.delete_message(account, ids_raw.strip(), phones_raw.strip())
            return render_ok(fmt)
        ids = ids_raw.split(",")
        phones = phones_raw.split(",")
        multi = len(ids) > 1
        if ids[-1].strip() == "":
            ids.pop()
        if len(phones) > 1 and phones[-1].strip() == "":
            phones.pop()
        if len(phones) == 1 and len(ids) > 1:
            phones = phones * len(ids)
        if not ids or len(ids) != len(phones) or any(not v.strip() for v in ids + phones):
            raise ServiceError.of("status", 1)
        detail = request.flag("all")
        reports = self.state.status(
            account, [(i.strip(), p.strip()) for i, p in zip(ids, phones)], multi=multi
        )
        return render_status(fmt, reports, multi, detail if detail in (1, 2) else 0)

    def _balance(self, account: Account, request: ServiceRequest, fmt: int) -> Answer:
        info = self.state.balance(account)
        return render_balance(fmt, info, request.flag("cur") == 1)

    def _templates(self, account: Account, request: ServiceRequest, fmt: int) -> Answer:
        key = request.key()
        params = request.params
        flag = None
        if "fl[1]" in params:
            flag = 1 if request.flag("fl[1]") == 1 else 0
        if request.flag("get") == 1:
            return render_templates(fmt, self.state.template_list(account, key))
        if request.flag("add") == 1:
            template = self.state.template_add(
                account,
                name=params.get("name", ""),
                message=params.get("msg", ""),
                format=params.get("format", "").strip(),
                sender=params.get("sender", ""),
                flag=flag or 0,
                request_key=key,
            )
            return render_template_created(fmt, template.id)
        if request.flag("chg") == 1 or request.flag("del") == 1:
            template_id = params.get("id", "")
            if not template_id.strip():
                raise ServiceError.of("templates", 1)
            if request.flag("del") == 1:
                self.state.template_delete(account, template_id, key)
            else:
                fmt_value = params.get("format")
                self.state.template_change(
                    account,
                    template_id,
                    name=params.get("name"),
                    message=params.get("msg"),
                    format=fmt_value.strip() if fmt_value is not None else None,
                    sender=params.get("sender"),
                    flag=flag,
                    request_key=key,
                )
            return render_ok(fmt)
        raise ServiceError.of("templates", 1)

    def _op_templates(self, account: Account, request: ServiceRequest, fmt: int) -> Answer:
        operators = [name for name in TEMPLATE_OPERATORS if request.flag(name) == 1]
        sender = request.params.get("sender", "")
        message = request.params.get("msg", "")
        if request.flag("add") == 1:
            results = self.state.op_template_add(
                account,
                sender=sender,
                message=message,
                operators=operators,
                request_key=request.key(),
            )
        elif request.flag("get") == 1:
            results = self.state.op_template_get(
                account,
                sender=sender,
                message=message,
                operators=operators,
                request_key=request.key(),
            )
        else:
            raise ServiceError.of("op_templates", 1)
        return render_op_templates(fmt, results)

    def _senders(self, account: Account, request: ServiceRequest, fmt: int) -> Answer:
        params = request.params
        name = params.get("sender")
        sender_id = params.get("id")
        if request.flag("get") == 1:
            operators = request.flag("operators") == 1
            everything = request.flag("all") == 1 or operators
            senders = self.state.sender_list(
                account, everything=everything, request_key=request.key()
            )
            return render_senders(fmt, senders, everything, operators)
        if request.flag("add") == 1:
            sender = self.state.sender_add(account, name or "", params.get("cmt", ""))
            return render_sender_created(fmt, sender.id)
        if request.flag("chg") == 1:
            self.state.sender_change(
                account, name=name, sender_id=sender_id, comment=params.get("cmt", "")
            )
        elif request.flag("del") == 1:
            self.state.sender_delete(account, name=name, sender_id=sender_id)
        elif request.flag("send_code") == 1:
            if not (name or "").strip():
                raise ServiceError.of("senders", 1)
            self.state.sender_send_code(account, name or "")
        elif request.flag("check_code") == 1:
            code = params.get("code", "")
            if not (name or "").strip() or not code.strip():
                raise ServiceError.of("senders", 1)
            self.state.sender_check_code(account, name or "", code)
        else:
            raise ServiceError.of("senders", 1)
        return render_ok(fmt)

    def _ping(self, account: Account, request: ServiceRequest, fmt: int) -> Answer:
        params = request.params
        if not params.get("id", "").strip():
            raise ServiceError.of("ping", 1)
        self.state.ping(
            account,
            group_id=params.get("id", ""),
            name=params.get("name", ""),
            host=params.get("host", ""),
            info=params.get("info", ""),
            ok=request.flag("ok") == 1,
            request_key=request.key(),
        )
        return render_ok(fmt)

    def _get(self, account: Account, request: ServiceRequest, fmt: int) -> Answer:
        if request.flag("get_answers") != 1:
            raise ServiceError.of("get", 1)
        params = request.params

        def number(name: str, low: int, high: int) -> int | None:
            raw = params.get(name, "").strip()
            if not raw:
                return None
            try:
                value = int(raw)
            except ValueError:
                raise ServiceError.of("get", 1) from None
            if not low <= value <= high:
                raise ServiceError.of("get", 1)
            return value

        after_id = number("after_id", 0, 2**63)
        hour = number("hour", 1, 720)
        count = number("cnt", 1, 1000)
        messages = self.state.answers(account, after_id=after_id, hour=hour, count=count)
        return render_answers(fmt, messages)
