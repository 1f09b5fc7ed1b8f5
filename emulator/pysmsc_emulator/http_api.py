# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The service's HTTP paths on aiohttp: ``/sys/*.php`` (GET and POST, form-urlencoded or
multipart with files) and ``POST /rest/send/`` (JSON). Reads parameters in the request's
``charset`` (windows-1251 unless told otherwise), authenticates, applies the
concurrent-request limit, the configured latency and any injected fault, calls the state
and renders its answer in the requested ``fmt``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import unquote_to_bytes

from .codes import TOO_MANY_CONCURRENT, ServiceError
from .faults import GARBAGE, Fault, FaultInjector
from .formats import (
    Answer,
    fmt_of,
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
from .models import TEMPLATE_OPERATORS, Attachment
from .rules import ConcurrencyGuard
from .sending import build_send_request
from .state import EmulatorState

try:
    import aiohttp
    from aiohttp import web
except ImportError:  # the Ansible side imports the package without aiohttp
    aiohttp = None  # type: ignore[assignment]
    web = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from .accounts import Account

__all__ = [
    "AIOHTTP_MISSING",
    "SERVICE_ENDPOINTS",
    "ServiceApp",
    "ServiceRequest",
    "read_request",
    "require_aiohttp",
]

AIOHTTP_MISSING = "the emulator needs aiohttp: pip install aiohttp"
SERVICE_ENDPOINTS = ("send", "status", "balance", "templates", "op_templates", "senders", "ping")
# charset parameter -> (Python codec, name in the Content-Type of the answer)
CHARSETS = {
    "utf-8": ("utf-8", "utf-8"),
    "utf8": ("utf-8", "utf-8"),
    "koi8-r": ("koi8_r", "koi8-r"),
    "koi8r": ("koi8_r", "koi8-r"),
    "windows-1251": ("cp1251", "windows-1251"),
    "cp1251": ("cp1251", "windows-1251"),
}
DEFAULT_CHARSET = CHARSETS["windows-1251"]
MAX_BODY = 64 * 1024 * 1024
_CREDENTIALS = ("login", "psw", "apikey")


def require_aiohttp() -> None:
    if web is None:
        raise RuntimeError(AIOHTTP_MISSING)


@dataclass
class ServiceRequest:
    """A request's parameters (decoded in its charset), the raw bytes of each, and files."""

    params: dict[str, str]
    raw: dict[str, bytes] = field(default_factory=dict)
    files: list[Attachment] = field(default_factory=list)
    codec: str = DEFAULT_CHARSET[0]
    charset: str = DEFAULT_CHARSET[1]

    def flag(self, name: str) -> int:
        try:
            return int(self.params.get(name, "").strip())
        except ValueError:
            return 0

    def get(self, name: str) -> str | None:
        return self.params.get(name)

    def key(self) -> tuple[tuple[str, str], ...]:
        """What makes two requests identical (credentials aside)."""
        return tuple(sorted((k, v) for k, v in self.params.items() if k not in _CREDENTIALS))


def _pairs(query: str) -> list[tuple[str, bytes]]:
    pairs = []
    for chunk in query.split("&"):
        if not chunk:
            continue
        name, _, value = chunk.partition("=")
        key = unquote_to_bytes(name.replace("+", " ")).decode("latin-1")
        pairs.append((key, unquote_to_bytes(value.replace("+", " "))))
    return pairs


def _json_value(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, (list, tuple)):
        return ",".join(_json_value(v) for v in value)
    return str(value)


async def read_request(request: web.Request) -> ServiceRequest:
    """Parameters from the query string and the body (the body wins), decoded in the
    ``charset`` the request names; files of a multipart body become attachments."""
    raw: dict[str, bytes] = dict(_pairs(request.rel_url.raw_query_string))
    files: list[Attachment] = []
    json_params: dict[str, str] = {}
    if request.method == "POST" and request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                data = json.loads(await request.read())
            except ValueError:
                data = {}
            if isinstance(data, dict):
                json_params = {str(k): _json_value(v) for k, v in data.items()}
        elif content_type.startswith("multipart/"):
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, aiohttp.BodyPartReader):
                    continue
                data_bytes = bytes(await part.read())
                if part.filename:
                    files.append(
                        Attachment(
                            name=part.filename,
                            size=len(data_bytes),
                            content_type=part.headers.get("Content-Type", ""),
                            data=data_bytes,
                        )
                    )
                elif part.name:
                    raw[part.name] = data_bytes
        else:
            raw.update(_pairs((await request.read()).decode("latin-1")))
    charset_value = raw["charset"].decode("latin-1") if "charset" in raw else ""
    if json_params.get("charset"):
        charset_value = json_params["charset"]
    codec, charset = CHARSETS.get(charset_value.strip().lower(), DEFAULT_CHARSET)
    params = {k: v.decode(codec, errors="replace") for k, v in raw.items()}
    params.update(json_params)  # JSON is text already
    return ServiceRequest(params, raw, files, codec, charset)


Handler = Callable[["Account", ServiceRequest, int], Answer]


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
            "rest/send": self._send,
        }

    def add_routes(self, app: web.Application) -> None:
        for name in SERVICE_ENDPOINTS:
            handler = self._endpoint(name)
            app.router.add_route("GET", f"/sys/{name}.php", handler)
            app.router.add_route("POST", f"/sys/{name}.php", handler)
        rest = self._endpoint("rest/send")
        app.router.add_route("POST", "/rest/send/", rest)
        app.router.add_route("POST", "/rest/send", rest)

    def _endpoint(self, name: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self.handle(name, request)

        return handle

    async def handle(self, endpoint: str, request: web.Request) -> web.StreamResponse:
        fault = self.faults.take(endpoint)
        service_request = await read_request(request)
        if fault is not None and fault.kind != "delay" and not fault.after_processing:
            return self._fault_response(fault, request)
        answer = await self._process(endpoint, service_request)
        if fault is not None and fault.kind != "delay":
            return self._fault_response(fault, request)
        if fault is not None:
            await asyncio.sleep(fault.seconds)
        return web.Response(
            body=answer.body.encode(service_request.codec, errors="replace"),
            headers={"Content-Type": f"{answer.content_type}; charset={service_request.charset}"},
        )

    @staticmethod
    def _fault_response(fault: Fault, request: web.Request) -> web.StreamResponse:
        if fault.kind == "close":
            transport = request.transport
            if transport is not None:
                transport.abort()
            return web.Response(status=200)
        if fault.kind == "http500":
            return web.Response(status=500, text="500 Internal Server Error")
        return web.Response(body=GARBAGE, content_type="text/html")

    async def _process(self, endpoint: str, request: ServiceRequest) -> Answer:
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
        if not self.concurrency.enter(account.login):
            return error(ServiceError(9, TOO_MANY_CONCURRENT))
        try:
            if latency:
                await asyncio.sleep(latency)
            if rest:
                return self._rest_send(account, request)
            return self._handlers[endpoint](account, request, fmt)
        except ServiceError as err:
            return error(err)
        finally:
            self.concurrency.leave(account.login)

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
