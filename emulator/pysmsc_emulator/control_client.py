# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Clients of the emulator's control endpoints (``/_emulator/...``) on httpx, for tests, the
demo and users' own CI: :class:`EmulatorControl` (sync) and :class:`AsyncEmulatorControl`.
Both have the same methods; each returns the endpoint's JSON answer (or the part named)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import TracebackType
from typing import Any, Callable, Union

try:
    import httpx
except ImportError:  # the Ansible side imports the package without httpx
    httpx = None  # type: ignore[assignment]

__all__ = ["AsyncEmulatorControl", "EmulatorControl", "EmulatorControlError"]

Number = Union[int, float, str, Decimal]


class EmulatorControlError(Exception):
    """A control endpoint refused the request (``status`` and the emulator's message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"emulator control answered {status}: {message}")
        self.status = status


@dataclass(frozen=True)
class _Call:
    method: str
    path: str
    body: dict[str, Any] | None = None
    pick: str | None = None
    timeout: float | None = None  # seconds, when the call itself waits longer than usual


def _drop_none(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


class _Calls:
    """What each control operation sends; the two clients only differ in how."""

    @staticmethod
    def messages(login: str | None = None) -> _Call:
        return _Call("GET", "/messages", _drop_none({"login": login}), "messages")

    @staticmethod
    def clear_messages() -> _Call:
        return _Call("DELETE", "/messages")

    @staticmethod
    def set_status(message_id: int | str, phone: str, status: int, err: int = 0) -> _Call:
        body = {"id": str(message_id), "phone": phone, "status": status, "err": err}
        return _Call("POST", "/messages/status", body, "phone")

    @staticmethod
    def account(login: str | None = None) -> _Call:
        return _Call("GET", "/account", _drop_none({"login": login}))

    @staticmethod
    def set_balance(
        balance: Number, credit: Number | None = None, login: str | None = None
    ) -> _Call:
        body = {
            "balance": str(balance),
            "credit": None if credit is None else str(credit),
            "login": login,
        }
        return _Call("POST", "/balance", _drop_none(body))

    @staticmethod
    def reset() -> _Call:
        return _Call("POST", "/reset")

    @staticmethod
    def clock() -> _Call:
        return _Call("GET", "/clock")

    @staticmethod
    def advance(seconds: float) -> _Call:
        return _Call("POST", "/clock/advance", {"seconds": seconds})

    @staticmethod
    def task_groups() -> _Call:
        return _Call("GET", "/task-groups", None, "task_groups")

    @staticmethod
    def add_task_group(
        name: str,
        contacts: list[str],
        fail_text: str | None = None,
        ok_text: str | None = None,
        sender: str | None = None,
    ) -> _Call:
        body = {
            "name": name,
            "contacts": contacts,
            "fail_text": fail_text,
            "ok_text": ok_text,
            "sender": sender,
        }
        return _Call("POST", "/task-groups", _drop_none(body))

    @staticmethod
    def contact_groups() -> _Call:
        return _Call("GET", "/contact-groups", None, "contact_groups")

    @staticmethod
    def add_contact_group(number: int, phones: list[str], name: str = "") -> _Call:
        return _Call("POST", "/contact-groups", {"number": number, "phones": phones, "name": name})

    @staticmethod
    def receive(phone: str, text: str, to: str = "") -> _Call:
        return _Call("POST", "/incoming", {"phone": phone, "text": text, "to": to})

    @staticmethod
    def incoming() -> _Call:
        return _Call("GET", "/incoming", None, "incoming")

    @staticmethod
    def ping_events() -> _Call:
        return _Call("GET", "/ping-events", None, "events")

    @staticmethod
    def add_fault(
        endpoint: str,
        kind: str,
        count: int = 1,
        seconds: float = 0.0,
        after_processing: bool = False,
    ) -> _Call:
        body = {
            "endpoint": endpoint,
            "kind": kind,
            "count": count,
            "seconds": seconds,
            "after_processing": after_processing,
        }
        return _Call("POST", "/faults", body)

    @staticmethod
    def faults() -> _Call:
        return _Call("GET", "/faults", None, "faults")

    @staticmethod
    def clear_faults() -> _Call:
        return _Call("DELETE", "/faults")

    @staticmethod
    def block_ip(blocked: bool = True) -> _Call:
        return _Call("POST", "/ip-block", {"blocked": blocked}, "blocked")

    @staticmethod
    def set_sender_status(
        sender: str, status: int, operators: dict[str, int] | None = None
    ) -> _Call:
        body = _drop_none({"sender": sender, "status": status, "operators": operators})
        return _Call("POST", "/senders/status", body)

    @staticmethod
    def set_op_template_status(sender: str, msg: str, operator: str, status: int) -> _Call:
        body = {"sender": sender, "msg": msg, "operator": operator, "status": status}
        return _Call("POST", "/op-templates/status", body)

    @staticmethod
    def settings() -> _Call:
        return _Call("GET", "/settings")

    @staticmethod
    def configure(
        latency: float | None = None,
        status_delays: tuple[float, float] | None = None,
        callback_timeout: float | None = None,
    ) -> _Call:
        delays = list(status_delays) if status_delays is not None else None
        body = {"latency": latency, "status_delays": delays, "callback_timeout": callback_timeout}
        return _Call("POST", "/settings", _drop_none(body))

    @staticmethod
    def set_callback_url(url: str | None, login: str | None = None) -> _Call:
        """The account's HTTP handler: every status change, incoming message and ``url`` key
        press is POSTed there (None stops it)."""
        body = {"callback_url": url or None, "login": login}
        return _Call("POST", "/settings", {k: v for k, v in body.items() if k != "login" or v})

    @staticmethod
    def callbacks() -> _Call:
        """The calls made to the handler: ``id``, ``kind`` (status, incoming, keypress),
        ``url``, ``fields``, ``attempts``, ``state`` (pending, delivered, failed), ``errors``."""
        return _Call("GET", "/callbacks", None, "callbacks")

    @staticmethod
    def flush_callbacks(timeout: float = 10.0) -> _Call:
        """Wait until no call to the handler is queued or under way; the calls made."""
        return _Call("POST", "/callbacks/flush", {"timeout": timeout}, "callbacks", timeout + 5)

    @staticmethod
    def calls(login: str | None = None) -> _Call:
        """Every call with its parsed ``menu`` and, per subscriber, ``call`` (the keys)."""
        return _Call("GET", "/calls", _drop_none({"login": login}), "calls")

    @staticmethod
    def press_key(
        message_id: int | str,
        phone: str,
        key: str,
        transfer: str = "ok",
        login: str | None = None,
    ) -> _Call:
        """The subscriber ``phone`` presses ``key`` (or several keys in order, ``"12"``) in the
        voice menu of call ``message_id``; ``transfer`` (ok, fail) is how a ``call:`` command
        ends. Answers ``{"id", "phone", "presses": [{"key", "item", "actions"}], "call"}``."""
        body = {
            "id": str(message_id),
            "phone": phone,
            "key": str(key),
            "transfer": transfer,
            "login": login,
        }
        return _Call("POST", "/calls/keypress", _drop_none(body))

    @staticmethod
    def smpp_sessions() -> _Call:
        """The bound SMPP connections: ``id``, ``login``, ``mode``, ``system_type``,
        ``remote``."""
        return _Call("GET", "/smpp/sessions", None, "sessions")

    @staticmethod
    def smpp_drop(login: str | None = None) -> _Call:
        """Cut the SMPP connections (of one login) without unbind; ``{"dropped": n}``."""
        return _Call("POST", "/smpp/drop", _drop_none({"login": login}))

    @staticmethod
    def smpp_settings() -> _Call:
        return _Call("GET", "/smpp/settings")

    @staticmethod
    def smpp_configure(
        throughput: float | None = None,
        idle_timeout: float | None = None,
    ) -> _Call:
        """Change the SMPP limits (a value left None stays; 0 turns a limit off)."""
        body = _drop_none({"throughput": throughput, "idle_timeout": idle_timeout})
        return _Call("POST", "/smpp/settings", body)


def _result(call: _Call, response: Any) -> Any:
    try:
        data = response.json()
    except ValueError:
        data = {"error": response.text}
    if response.status_code >= 400:
        message = data.get("error", response.text) if isinstance(data, dict) else response.text
        raise EmulatorControlError(response.status_code, str(message))
    return data[call.pick] if call.pick else data


def _arguments(call: _Call) -> dict[str, Any]:
    arguments: dict[str, Any] = {} if call.timeout is None else {"timeout": call.timeout}
    if call.method == "GET":
        arguments["params"] = call.body or None
    elif call.body is not None:
        arguments["json"] = call.body
    return arguments


def _require_httpx() -> None:
    if httpx is None:
        raise RuntimeError("the emulator control client needs httpx: pip install httpx")


class EmulatorControl:
    """``EmulatorControl("http://127.0.0.1:8000")``: the control endpoints, synchronously."""

    def __init__(self, base_url: str, *, timeout: float = 10.0, transport: Any = None) -> None:
        _require_httpx()
        self.base_url = base_url.rstrip("/")
        self._client = httpx.Client(
            base_url=self.base_url + "/_emulator", timeout=timeout, transport=transport
        )

    def _send(self, call: _Call) -> Any:
        return _result(call, self._client.request(call.method, call.path, **_arguments(call)))

    def __getattr__(self, name: str) -> Callable[..., Any]:
        build = getattr(_Calls, name)

        def operation(*args: Any, **kwargs: Any) -> Any:
            return self._send(build(*args, **kwargs))

        operation.__doc__ = build.__doc__
        return operation

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> EmulatorControl:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncEmulatorControl:
    """The same operations as :class:`EmulatorControl`, each awaited."""

    def __init__(self, base_url: str, *, timeout: float = 10.0, transport: Any = None) -> None:
        _require_httpx()
        self.base_url = base_url.rstrip("/")
        self._client = httpx.AsyncClient(
            base_url=self.base_url + "/_emulator", timeout=timeout, transport=transport
        )

    async def _send(self, call: _Call) -> Any:
        response = await self._client.request(call.method, call.path, **_arguments(call))
        return _result(call, response)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        build = getattr(_Calls, name)

        async def operation(*args: Any, **kwargs: Any) -> Any:
            return await self._send(build(*args, **kwargs))

        operation.__doc__ = build.__doc__
        return operation

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> AsyncEmulatorControl:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
