# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""``Client`` (blocking) and ``AsyncClient`` (asyncio) on httpx, both driving the protocol layer.

Every operation of :mod:`pysmsc.protocol` is a method of both clients, with the same
parameters::

    with Client(login="me", password="secret") as smsc:
        result = smsc.send("79991234567", "Disk full on db1", sender="Ops")

    async with AsyncClient(api_key="...") as smsc:
        balance = await smsc.balance()

Credentials travel in the POST body only. A request fails over to the service's backup hosts
only when it surely never arrived (see :mod:`pysmsc.transport`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Coroutine, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Callable, TypeVar
from urllib.parse import urlencode

from . import __version__, protocol
from .errors import SmscError, ValidationError
from .models import BulkOutcome
from .protocol.base import Credentials, Operation, Request, form_fields
from .transport import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    Failure,
    backup_urls,
    check_base_url,
    failure_error,
    may_try_next,
    read_answer,
    scrub,
)

try:
    import httpx
except ImportError:  # pragma: no cover - Ansible's modules use the protocol layer without httpx
    httpx = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from typing import Concatenate, ParamSpec

    P = ParamSpec("P")

__all__ = ["DEFAULT_MAX_CONCURRENCY", "AsyncClient", "Client"]

T = TypeVar("T")
_LOG = logging.getLogger(__name__)
# The service answers error 9 to the fifteenth concurrent request under one login.
SERVICE_CONCURRENCY_LIMIT = 15
DEFAULT_MAX_CONCURRENCY = 10
_USER_AGENT = f"pysmsc/{__version__}"


class _Settings:
    """What both clients check and keep: credentials, addresses, limits."""

    def __init__(
        self,
        credentials: Credentials,
        base_url: str,
        backups: Sequence[str] | None,
        timeout: float,
        max_concurrency: int,
    ) -> None:
        if httpx is None:
            raise SmscError("pysmsc's clients need httpx: pip install httpx")
        self.credentials = credentials
        self.base_url = check_base_url(base_url)
        extra = backup_urls(self.base_url) if backups is None else backups
        self.urls = [self.base_url, *(check_base_url(url) for url in extra)]
        if not timeout > 0:
            raise ValidationError("timeout", "must be a positive number of seconds")
        self.timeout = timeout
        if not 1 <= max_concurrency < SERVICE_CONCURRENCY_LIMIT:
            raise ValidationError(
                "max_concurrency", f"must be from 1 to {SERVICE_CONCURRENCY_LIMIT - 1}"
            )
        self.max_concurrency = max_concurrency
        self.secrets = credentials.secrets

    def post_arguments(self, request: Request) -> dict[str, Any]:
        """httpx arguments for the POST body: urlencoded, or multipart with attachments."""
        fields = form_fields(request, self.credentials)
        if not request.files:
            return {
                "content": urlencode(fields).encode("ascii"),
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
                "timeout": self.timeout,
            }
        files = [
            (f"file{index}", (item.filename, item.content, item.content_type))
            for index, item in enumerate(request.files)
        ]
        return {"data": dict(fields), "files": files, "timeout": self.timeout}

    def __repr__(self) -> str:
        who = self.credentials.login or "API key"
        return f"{who} at {self.base_url}"


class _Attempts:
    """The hosts one request may try, in order, and the decision after each failure."""

    def __init__(self, settings: _Settings, request: Request) -> None:
        self._settings = settings
        self._request = request
        self._left = len(settings.urls)
        self.post_arguments = settings.post_arguments(request)

    def __iter__(self) -> Iterator[str]:
        for url in self._settings.urls:
            self._left -= 1
            _LOG.debug("POST %s%s", url, self._request.path)
            yield url + self._request.path

    def failed(self, url: str, exc: Exception) -> None:
        """After a transport error: raise unless the request may go on to the next host."""
        never_connected = (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol)
        failure = Failure.NOT_CONNECTED if isinstance(exc, never_connected) else Failure.NO_ANSWER
        detail = scrub(str(exc) or type(exc).__name__, self._settings.secrets)
        self._give_up_unless_next(failure, url, detail)

    def answered(self, url: str, status_code: int) -> bool:
        """True when the endpoint answered; otherwise raise, or return False to move on."""
        if status_code == 200:
            return True
        self._give_up_unless_next(Failure.BAD_STATUS, url, f"HTTP {status_code}")
        return False

    def _give_up_unless_next(self, failure: Failure, url: str, detail: str) -> None:
        if not self._left or not may_try_next(self._request, failure):
            raise failure_error(self._request, failure, url, detail)
        _LOG.warning("%s: %s; trying the next host", url, detail)


def _blocking(factory: Callable[P, Operation[T]]) -> Callable[Concatenate[Client, P], T]:
    """A Client method that runs the operation ``factory`` builds."""

    def method(self: Client, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self.execute(factory(*args, **kwargs))

    functools.update_wrapper(method, factory)  # name and documentation of the operation
    return method


def _awaitable(
    factory: Callable[P, Operation[T]],
) -> Callable[Concatenate[AsyncClient, P], Coroutine[Any, Any, T]]:
    """An AsyncClient method that runs the operation ``factory`` builds."""

    async def method(self: AsyncClient, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.execute(factory(*args, **kwargs))

    functools.update_wrapper(method, factory)  # name and documentation of the operation
    return method


def _blocking_bulk(
    planner: Callable[P, list[protocol.BulkBatch]],
) -> Callable[Concatenate[Client, P], list[BulkOutcome]]:
    """Client.send_bulk: the planned requests in order, stopping at the first failure.

    One outcome per request; those after a failure are "not attempted", so the caller knows
    exactly which messages went out.
    """

    def method(self: Client, /, *args: P.args, **kwargs: P.kwargs) -> list[BulkOutcome]:
        outcomes: list[BulkOutcome] = []
        stopped = False
        for batch in planner(*args, **kwargs):
            if stopped:
                outcomes.append(BulkOutcome(batch.messages))
                continue
            try:
                result = self.execute(batch.operation)
            except SmscError as exc:
                outcomes.append(BulkOutcome(batch.messages, error=exc))
                stopped = True
            else:
                outcomes.append(BulkOutcome(batch.messages, result))
        return outcomes

    functools.update_wrapper(method, planner)  # name and documentation of the operation
    return method


def _awaitable_bulk(
    planner: Callable[P, list[protocol.BulkBatch]],
) -> Callable[Concatenate[AsyncClient, P], Coroutine[Any, Any, list[BulkOutcome]]]:
    """AsyncClient.send_bulk; see :func:`_blocking_bulk`."""

    async def method(self: AsyncClient, /, *args: P.args, **kwargs: P.kwargs) -> list[BulkOutcome]:
        outcomes: list[BulkOutcome] = []
        stopped = False
        for batch in planner(*args, **kwargs):
            if stopped:
                outcomes.append(BulkOutcome(batch.messages))
                continue
            try:
                result = await self.execute(batch.operation)
            except SmscError as exc:
                outcomes.append(BulkOutcome(batch.messages, error=exc))
                stopped = True
            else:
                outcomes.append(BulkOutcome(batch.messages, result))
        return outcomes

    functools.update_wrapper(method, planner)  # name and documentation of the operation
    return method


class Client:
    """Blocking client of the service's HTTP API. Safe to share between threads.

    Give ``login`` and ``password``, or ``api_key``. ``base_url`` is one of the service's hosts
    (``https://smsc.ru``, ``https://smscentre.com``, ...) or an emulator's address; the
    service's hosts get their backup hosts unless ``backup_urls`` says otherwise.
    ``http_client`` takes a configured ``httpx.Client`` (proxies, certificates), which then
    stays yours to close.
    """

    def __init__(
        self,
        login: str | None = None,
        password: str | None = None,
        *,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        backup_urls: Sequence[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        verify: bool = True,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        http_client: httpx.Client | None = None,
    ) -> None:
        credentials = Credentials(login=login, password=password, api_key=api_key)
        self._settings = _Settings(credentials, base_url, backup_urls, timeout, max_concurrency)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(verify=verify, headers={"User-Agent": _USER_AGENT})
        self._slots = threading.BoundedSemaphore(max_concurrency)

    def __repr__(self) -> str:
        return f"Client({self._settings!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def execute(self, operation: Operation[T]) -> T:
        """Send one operation of the protocol layer and parse its answer."""
        attempts = _Attempts(self._settings, operation.request)
        with self._slots:
            for url in attempts:
                try:
                    response = self._http.post(url, **attempts.post_arguments)
                except httpx.TransportError as exc:
                    attempts.failed(url, exc)
                    continue
                if attempts.answered(url, response.status_code):
                    return read_answer(operation, response.text, self._settings.secrets)
        raise AssertionError("unreachable: the last attempt returns or raises")

    send = _blocking(protocol.send)
    send_message = _blocking(protocol.send_message)
    send_bulk = _blocking_bulk(protocol.bulk_send)
    cost = _blocking(protocol.cost)
    cost_of_message = _blocking(protocol.cost_of_message)
    status = _blocking(protocol.status)
    statuses = _blocking(protocol.statuses)
    delete_message = _blocking(protocol.delete_message)
    balance = _blocking(protocol.balance)
    templates = _blocking(protocol.templates)
    add_template = _blocking(protocol.add_template)
    change_template = _blocking(protocol.change_template)
    delete_template = _blocking(protocol.delete_template)
    operator_templates = _blocking(protocol.operator_templates)
    add_operator_template = _blocking(protocol.add_operator_template)
    senders = _blocking(protocol.senders)
    add_sender = _blocking(protocol.add_sender)
    change_sender = _blocking(protocol.change_sender)
    delete_sender = _blocking(protocol.delete_sender)
    send_sender_code = _blocking(protocol.send_sender_code)
    check_sender_code = _blocking(protocol.check_sender_code)
    ping = _blocking(protocol.ping)


class AsyncClient:
    """Asyncio client of the service's HTTP API, with the same methods as :class:`Client`.

    At most ``max_concurrency`` requests run at once (the service refuses the fifteenth
    concurrent request under one login). ``http_client`` takes a shared ``httpx.AsyncClient``
    (Home Assistant passes its own), which then stays yours to close.
    """

    def __init__(
        self,
        login: str | None = None,
        password: str | None = None,
        *,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        backup_urls: Sequence[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        verify: bool = True,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        credentials = Credentials(login=login, password=password, api_key=api_key)
        self._settings = _Settings(credentials, base_url, backup_urls, timeout, max_concurrency)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            verify=verify, headers={"User-Agent": _USER_AGENT}
        )
        self._slots: asyncio.Semaphore | None = None

    def __repr__(self) -> str:
        return f"AsyncClient({self._settings!r})"

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def execute(self, operation: Operation[T]) -> T:
        """Send one operation of the protocol layer and parse its answer."""
        if self._slots is None:  # made on first use, inside the loop that will use it
            self._slots = asyncio.Semaphore(self._settings.max_concurrency)
        attempts = _Attempts(self._settings, operation.request)
        async with self._slots:
            for url in attempts:
                try:
                    response = await self._http.post(url, **attempts.post_arguments)
                except httpx.TransportError as exc:
                    attempts.failed(url, exc)
                    continue
                if attempts.answered(url, response.status_code):
                    return read_answer(operation, response.text, self._settings.secrets)
        raise AssertionError("unreachable: the last attempt returns or raises")

    send = _awaitable(protocol.send)
    send_message = _awaitable(protocol.send_message)
    send_bulk = _awaitable_bulk(protocol.bulk_send)
    cost = _awaitable(protocol.cost)
    cost_of_message = _awaitable(protocol.cost_of_message)
    status = _awaitable(protocol.status)
    statuses = _awaitable(protocol.statuses)
    delete_message = _awaitable(protocol.delete_message)
    balance = _awaitable(protocol.balance)
    templates = _awaitable(protocol.templates)
    add_template = _awaitable(protocol.add_template)
    change_template = _awaitable(protocol.change_template)
    delete_template = _awaitable(protocol.delete_template)
    operator_templates = _awaitable(protocol.operator_templates)
    add_operator_template = _awaitable(protocol.add_operator_template)
    senders = _awaitable(protocol.senders)
    add_sender = _awaitable(protocol.add_sender)
    change_sender = _awaitable(protocol.change_sender)
    delete_sender = _awaitable(protocol.delete_sender)
    send_sender_code = _awaitable(protocol.send_sender_code)
    check_sender_code = _awaitable(protocol.check_sender_code)
    ping = _awaitable(protocol.ping)
