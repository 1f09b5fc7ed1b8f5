# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Where requests go and when one may be tried again: the policy every transport shares.

The service has backup hosts (``www2.smsc.ru`` ... ``www5.smsc.ru``). A request moves on to the
next host only when it surely never reached the previous one (the connection was never made),
or when it is a read that is safe to repeat. A request that sends a message is never repeated
once it may have been received: a second copy would reach the recipient.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from .errors import ApiError, ResponseError, SmscError, TransportError, ValidationError
from .protocol.base import Operation, Request
from .redact import redact

T = TypeVar("T")

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "SERVICE_HOSTS",
    "Failure",
    "backup_urls",
    "check_base_url",
    "failure_error",
    "may_try_next",
    "read_answer",
    "scrub",
]

DEFAULT_BASE_URL = "https://smsc.ru"
DEFAULT_TIMEOUT = 30.0
# The service's public hosts; each has backups www2..www5.
SERVICE_HOSTS = ("smsc.ru", "smscentre.com", "smsc.kz", "smsc.ua", "smsc.tj", "smsc.uz")
_BACKUP_PREFIXES = ("www2.", "www3.", "www4.", "www5.")


class Failure(str, enum.Enum):
    """How an attempt failed, as far as the request's fate is concerned."""

    NOT_CONNECTED = "not connected"  # refused, unreachable, DNS, TLS handshake: never received
    NO_ANSWER = "no answer"  # sent (at least partly), then timeout or reset: maybe received
    BAD_STATUS = "bad HTTP status"  # an answer that is not the endpoint's: maybe processed


def check_base_url(base_url: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("base_url", "must be an http(s) address such as https://smsc.ru")
    if parts.username or parts.password:
        raise ValidationError("base_url", "must not contain credentials")
    if parts.query or parts.fragment:
        raise ValidationError("base_url", "must not have a query or a fragment")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def backup_urls(base_url: str) -> list[str]:
    """The backup hosts of one of the service's hosts; none for any other address."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host not in SERVICE_HOSTS:
        return []
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    return [
        urlunsplit((parts.scheme, prefix + netloc, parts.path.rstrip("/"), "", ""))
        for prefix in _BACKUP_PREFIXES
    ]


def may_try_next(request: Request, failure: Failure) -> bool:
    """Whether ``request`` may go to the next host after ``failure``."""
    if failure is Failure.NOT_CONNECTED:
        return True
    return request.idempotent and not request.sends_message


def failure_error(request: Request, failure: Failure, url: str, detail: str) -> TransportError:
    """The error for the last failed attempt; says whether the request may have arrived."""
    maybe_received = failure is not Failure.NOT_CONNECTED
    text = f"{request.endpoint}: {failure.value} from {url} ({detail})"
    if maybe_received and request.sends_message:
        text += "; the message may have been sent, so it was not sent again"
    return TransportError(text, maybe_received=maybe_received, sends_message=request.sends_message)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Remove credentials, in any encoding, from a text that may be logged or raised."""
    return redact(text, secrets)


def read_answer(operation: Operation[T], text: str, secrets: Iterable[str]) -> T:
    """Parse the answer to ``operation``; every transport calls this on what came back.

    An answer that cannot be read, to a request that sends a message, means the message may
    have been sent. An answer that quotes the request back (a proxy's error page, a server that
    echoes its input) never carries a credential into the error.
    """
    try:
        return operation.parse(text)
    except SmscError as exc:
        secrets = tuple(secrets)
        if isinstance(exc, ResponseError):
            if operation.request.sends_message:
                exc.may_have_been_sent = True
            if redact(text, secrets) != text:
                # The parser quoted a cut of the answer: quote a cut of the redacted whole
                # instead, so that no fragment of a secret survives the cut.
                quoted = redact(text, secrets)[:200]
                exc.detail = f"{quoted!r} (credentials masked)"
                exc.args = (f"{exc.endpoint}: unexpected answer ({exc.detail})",)
        elif isinstance(exc, ApiError):
            exc.description = redact(exc.description, secrets)
        exc.args = tuple(redact(a, secrets) if isinstance(a, str) else a for a in exc.args)
        raise
