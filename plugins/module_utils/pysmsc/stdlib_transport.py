# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""A blocking transport on the standard library alone (``http.client``): what the ``smsc``
command uses, and what a script can use where httpx is not installed. It starts in a fraction
of the time httpx takes, makes a TLS context only for https, and tells a failure while
connecting (surely not sent) from one after the request went out::

    from pysmsc import protocol, stdlib_transport
    from pysmsc.transport import Policy

    result = stdlib_transport.execute(
        protocol.send("79991234567", "db1 is down"),
        protocol.Credentials("login", "password"),
        Policy.for_service("https://smsc.ru"),
    )

One new connection per operation; proxies from the usual environment variables
(``https_proxy``, ``http_proxy``, ``no_proxy``). The rules are :mod:`pysmsc.transport`'s.
"""

from __future__ import annotations

import http.client
import os
from typing import TYPE_CHECKING, Callable, TypeVar
from urllib.parse import urlsplit

from . import __version__
from .protocol import Credentials, Operation, encode_body
from .transport import Attempt, AttemptFailed, Failure, Policy, run

if TYPE_CHECKING:
    import ssl

__all__ = ["execute", "poster"]

T = TypeVar("T")
_USER_AGENT = f"pysmsc/{__version__}"
_TLS: dict[bool, ssl.SSLContext] = {}


def _tls_context(verify: bool) -> ssl.SSLContext:
    """Made on first https request only; loading the trust store is most of a TLS set-up."""
    if verify not in _TLS:
        import ssl  # noqa: PLC0415

        context = ssl.create_default_context()
        if not verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        _TLS[verify] = context
    return _TLS[verify]


def _proxy_for(scheme: str, host: str) -> str | None:
    if not any(key.lower().endswith("_proxy") for key in os.environ):
        return None  # the common case: no need to load urllib.request
    import urllib.request  # noqa: PLC0415

    proxies = urllib.request.getproxies_environment()
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if bypass(host, proxies):
        return None
    return proxies.get(scheme)


def _connection(url: str, timeout: float, verify: bool) -> tuple[http.client.HTTPConnection, str]:
    """A connection (direct, or through the environment's proxy) and the request target."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port
    target = parts.path or "/"
    proxy = _proxy_for(parts.scheme, host)
    if proxy is not None:
        via = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if parts.scheme == "https":
            tunnel = http.client.HTTPSConnection(
                via.hostname or "", via.port, timeout=timeout, context=_tls_context(verify)
            )
            tunnel.set_tunnel(host, port)
            return tunnel, target
        return http.client.HTTPConnection(via.hostname or "", via.port, timeout=timeout), url
    if parts.scheme == "https":
        secure = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=_tls_context(verify)
        )
        return secure, target
    return http.client.HTTPConnection(host, port, timeout=timeout), target


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def poster(
    content_type: str, body: bytes, *, verify: bool = True
) -> Callable[[Attempt], tuple[int, str]]:
    """The POST of one body, for :func:`pysmsc.transport.run`."""
    headers = {
        "Content-Type": content_type,
        "Accept": "application/json",
        "User-Agent": _USER_AGENT,
        "Connection": "close",
    }

    def post(attempt: Attempt) -> tuple[int, str]:
        connection, target = _connection(attempt.url, attempt.timeout, verify)
        try:
            try:
                connection.connect()  # TCP, the proxy's tunnel and TLS: nothing sent yet
            except (OSError, http.client.HTTPException) as exc:
                raise AttemptFailed(Failure.NOT_CONNECTED, _describe(exc)) from None
            try:
                connection.request("POST", target, body, headers)
                response = connection.getresponse()
                text = response.read().decode("utf-8", errors="replace")
            except (OSError, http.client.HTTPException) as exc:
                raise AttemptFailed(Failure.NO_ANSWER, _describe(exc)) from None
            return response.status, text
        finally:
            connection.close()

    return post


def execute(
    operation: Operation[T],
    credentials: Credentials,
    policy: Policy,
    *,
    verify: bool = True,
    note: Callable[[str], None] | None = None,
    started: Callable[[], None] | None = None,
) -> T:
    """Run ``operation`` by ``policy`` over the standard library; ``started`` is called before
    the first attempt (so a caller knows whether anything may have gone out)."""
    content_type, body = encode_body(operation.request, credentials)
    post = poster(content_type, body, verify=verify)

    def first(attempt: Attempt) -> tuple[int, str]:
        if started is not None:
            started()
        return post(attempt)

    return run(operation, policy, first, secrets=credentials.secrets, note=note)
