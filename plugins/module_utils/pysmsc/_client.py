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

import functools
import logging
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Callable, TypeVar
from urllib.parse import urlencode

from . import __version__, protocol
from ._slots import LoginSlots, login_slots
from .errors import SmscError, ValidationError
from .models import BulkOutcome
from .protocol._base import Credentials, Operation, Request, form_fields
from .transport import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    Attempt,
    AttemptFailed,
    Failure,
    Policy,
    run,
    run_async,
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
    """What both clients check and keep: credentials, the policy, the login's slots."""

    def __init__(self, credentials: Credentials, policy: Policy, max_concurrency: int) -> None:
        if httpx is None:
            raise SmscError("pysmsc's clients need httpx: pip install httpx")
        if (
            isinstance(max_concurrency, bool)
            or not isinstance(max_concurrency, int)
            or not 1 <= max_concurrency < SERVICE_CONCURRENCY_LIMIT
        ):
            raise ValidationError(
                "max_concurrency", f"must be from 1 to {SERVICE_CONCURRENCY_LIMIT - 1}"
            )
        self.credentials = credentials
        self.policy = policy
        self.max_concurrency = max_concurrency
        self.slots: LoginSlots = login_slots(credentials.login, credentials.api_key)
        self.secrets = credentials.secrets

    def post_arguments(self, request: Request) -> dict[str, Any]:
        """httpx arguments for the POST body: urlencoded, or multipart with attachments."""
        fields = form_fields(request, self.credentials)
        if not request.files:
            return {
                "content": urlencode(fields).encode("ascii"),
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            }
        files = [
            (f"file{index}", (item.filename, item.content, item.content_type))
            for index, item in enumerate(request.files)
        ]
        return {"data": dict(fields), "files": files}

    def __repr__(self) -> str:
        who = self.credentials.login or "API key"
        return f"{who} at {self.policy.urls[0]}"


def _failed(exc: Exception) -> AttemptFailed:
    """An httpx error as the failure the policy decides on."""
    never_connected = (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol)
    failure = Failure.NOT_CONNECTED if isinstance(exc, never_connected) else Failure.NO_ANSWER
    return AttemptFailed(failure, str(exc) or type(exc).__name__)


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
    """Client.send_bulk: the planned requests by :class:`~pysmsc.protocol.BulkProgress`'s rule
    (in order, stopping at the first failure)."""

    def method(self: Client, /, *args: P.args, **kwargs: P.kwargs) -> list[BulkOutcome]:
        return protocol.BulkProgress(planner(*args, **kwargs)).run(self.execute)

    functools.update_wrapper(method, planner)  # name and documentation of the operation
    return method


def _awaitable_bulk(
    planner: Callable[P, list[protocol.BulkBatch]],
) -> Callable[Concatenate[AsyncClient, P], Coroutine[Any, Any, list[BulkOutcome]]]:
    """AsyncClient.send_bulk; see :func:`_blocking_bulk`."""

    async def method(self: AsyncClient, /, *args: P.args, **kwargs: P.kwargs) -> list[BulkOutcome]:
        progress = protocol.BulkProgress(planner(*args, **kwargs))
        for batch in progress:
            try:
                progress.sent(await self.execute(batch.operation))
            except SmscError as exc:
                progress.failed(exc)
        return progress.outcomes

    functools.update_wrapper(method, planner)  # name and documentation of the operation
    return method


class Client:
    """Blocking client of the service's HTTP API. Safe to share between threads.

    Give ``login`` and ``password``, or ``api_key``. ``base_url`` is one of the service's hosts
    (``https://smsc.ru``, ``https://smscentre.com``, ...) or an emulator's address; the
    service's hosts get their backup hosts unless ``backup_urls`` says otherwise.

    ``timeout`` bounds one attempt and ``deadline`` (default twice ``timeout``) the whole
    operation across all hosts; ``rate_limit_wait`` lets reads refused by the service's rate
    limit wait that many seconds in all before they give up (default: give up at once).
    At most ``max_concurrency`` requests of the login are in flight at once, counting every
    client of the login in this process (the service refuses the fifteenth).
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
        deadline: float | None = None,
        rate_limit_wait: float = 0.0,
        verify: bool = True,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        http_client: httpx.Client | None = None,
    ) -> None:
        credentials = Credentials(login=login, password=password, api_key=api_key)
        policy = Policy.for_service(
            base_url,
            backups=backup_urls,
            timeout=timeout,
            deadline=deadline,
            rate_limit_wait=rate_limit_wait,
        )
        self._settings = _Settings(credentials, policy, max_concurrency)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(verify=verify, headers={"User-Agent": _USER_AGENT})

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
        settings = self._settings
        arguments = settings.post_arguments(operation.request)

        def post(attempt: Attempt) -> tuple[int, str]:
            _LOG.debug("POST %s", attempt.url)
            with settings.slots.hold(settings.max_concurrency):
                try:
                    response = self._http.post(attempt.url, timeout=attempt.timeout, **arguments)
                except httpx.TransportError as exc:
                    raise _failed(exc) from None
            return response.status_code, response.text

        return run(operation, settings.policy, post, secrets=settings.secrets, note=_LOG.warning)

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
    incoming = _blocking(protocol.incoming)


class AsyncClient:
    """Asyncio client of the service's HTTP API, with the same methods and options as
    :class:`Client`; waiting for a slot or a pause never blocks the event loop.

    ``http_client`` takes a shared ``httpx.AsyncClient`` (Home Assistant passes its own), which
    then stays yours to close.
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
        deadline: float | None = None,
        rate_limit_wait: float = 0.0,
        verify: bool = True,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        credentials = Credentials(login=login, password=password, api_key=api_key)
        policy = Policy.for_service(
            base_url,
            backups=backup_urls,
            timeout=timeout,
            deadline=deadline,
            rate_limit_wait=rate_limit_wait,
        )
        self._settings = _Settings(credentials, policy, max_concurrency)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            verify=verify, headers={"User-Agent": _USER_AGENT}
        )

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
        settings = self._settings
        arguments = settings.post_arguments(operation.request)

        async def post(attempt: Attempt) -> tuple[int, str]:
            _LOG.debug("POST %s", attempt.url)
            async with settings.slots.hold_async(settings.max_concurrency):
                try:
                    response = await self._http.post(
                        attempt.url, timeout=attempt.timeout, **arguments
                    )
                except httpx.TransportError as exc:
                    raise _failed(exc) from None
            return response.status_code, response.text

        return await run_async(
            operation, settings.policy, post, secrets=settings.secrets, note=_LOG.warning
        )

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
    incoming = _awaitable(protocol.incoming)
