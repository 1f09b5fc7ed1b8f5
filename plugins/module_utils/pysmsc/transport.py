# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Where requests go, when one may be tried again, and for how long: the rules every transport
shares (the httpx clients, the standard-library client of the ``smsc`` command, Ansible's
``open_url``).

:class:`Policy` is sans-I/O: given a request and the time, :meth:`Policy.start` gives the
:class:`Attempts` of one operation, which say which host to try next, with which timeout, after
which pause, and raise the final error when the operation must give up:

- A request moves on to a backup host only when it surely never reached the previous one (the
  connection was never made), or when it is a read that is safe to repeat. A request that sends
  a message is never repeated once it may have been received: a second copy would reach the
  recipient.
- One operation has one deadline (by default twice the request timeout) across all hosts; no
  attempt's timeout reaches beyond it.
- A read refused by the service's rate limit (error 9) may be tried again after a pause, while
  the pauses add up to at most ``rate_limit_wait`` seconds (these pauses do not count against
  the deadline, which is for talking to hosts).

:func:`run` and :func:`run_async` drive the attempts over any blocking or asyncio POST function;
the transports supply only that function.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import Callable, TypeVar
from urllib.parse import urlsplit, urlunsplit

from .errors import (
    ApiError,
    RateLimitError,
    ResponseError,
    SmscError,
    TransportError,
    ValidationError,
)
from .protocol._base import Operation, Request
from .redact import redact

T = TypeVar("T")

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "RATE_LIMIT_PAUSES",
    "SERVICE_HOSTS",
    "Attempt",
    "AttemptFailed",
    "Attempts",
    "Failure",
    "Policy",
    "backup_urls",
    "check_base_url",
    "read_answer",
    "run",
    "run_async",
]

DEFAULT_BASE_URL = "https://smsc.ru"
DEFAULT_TIMEOUT = 30.0
# The service's public hosts; each has backups www2..www5.
SERVICE_HOSTS = ("smsc.ru", "smscentre.com", "smsc.kz", "smsc.ua", "smsc.tj", "smsc.uz")
_BACKUP_PREFIXES = ("www2.", "www3.", "www4.", "www5.")
# Pauses before repeating a read refused by a rate limit; the service's windows are a minute.
RATE_LIMIT_PAUSES = (5.0, 10.0, 15.0, 15.0, 15.0, 15.0)
# An attempt with less time left than this is not worth starting.
_MIN_ATTEMPT = 0.05


class Failure(str, enum.Enum):
    """How an attempt failed, as far as the request's fate is concerned."""

    NOT_CONNECTED = "not connected"  # refused, unreachable, DNS, TLS handshake: never received
    NO_ANSWER = "no answer"  # sent (at least partly), then timeout or reset: maybe received
    BAD_STATUS = "bad HTTP status"  # an answer that is not the endpoint's: maybe processed


class AttemptFailed(Exception):
    """What a transport's POST function raises for an attempt that got no answer: how it
    failed (``failure``) and a short ``detail`` (secrets are masked by :class:`Attempts`)."""

    def __init__(self, failure: Failure, detail: str) -> None:
        super().__init__(detail)
        self.failure = failure
        self.detail = detail


def check_base_url(base_url: str) -> str:
    """``https://host[:port][/prefix]`` without a trailing slash."""
    if not isinstance(base_url, str):
        raise ValidationError("base_url", "must be an http(s) address such as https://smsc.ru")
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


def _seconds(value: object, field: str, *, zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(field, "must be a number of seconds")
    if not math.isfinite(value) or not (value >= 0 if zero else value > 0):
        raise ValidationError(field, "must be zero or more seconds" if zero else "must be positive")
    return float(value)


@dataclass(frozen=True)
class Attempt:
    """One try of a request: POST to ``url`` (``host`` + the endpoint's path) within
    ``timeout`` seconds, after waiting ``pause`` seconds."""

    url: str
    host: str
    timeout: float
    pause: float = 0.0


@dataclass(frozen=True)
class Policy:
    """The hosts of the service and the time rules for one operation.

    ``urls``: the base URL first, then its backups. ``timeout``: seconds for one attempt.
    ``deadline``: seconds for the whole operation across all hosts (default twice ``timeout``).
    ``rate_limit_wait``: seconds a read refused with error 9 may wait in pauses before it is
    tried again (0: never).
    """

    urls: tuple[str, ...]
    timeout: float = DEFAULT_TIMEOUT
    deadline: float | None = None
    rate_limit_wait: float = 0.0
    rate_limit_pauses: tuple[float, ...] = field(default=RATE_LIMIT_PAUSES, repr=False)

    def __post_init__(self) -> None:
        if not self.urls:
            raise ValidationError("base_url", "at least one address is required")
        object.__setattr__(self, "urls", tuple(check_base_url(url) for url in self.urls))
        object.__setattr__(self, "timeout", _seconds(self.timeout, "timeout"))
        deadline = 2 * self.timeout if self.deadline is None else self.deadline
        object.__setattr__(self, "deadline", _seconds(deadline, "deadline"))
        wait = _seconds(self.rate_limit_wait, "rate_limit_wait", zero=True)
        object.__setattr__(self, "rate_limit_wait", wait)

    @classmethod
    def for_service(
        cls,
        base_url: str = DEFAULT_BASE_URL,
        *,
        backups: Iterable[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float | None = None,
        rate_limit_wait: float = 0.0,
    ) -> Policy:
        """The policy for ``base_url`` and its backups (the service's own backup hosts unless
        ``backups`` names others; none for an address that is not the service's)."""
        base = check_base_url(base_url)
        extra = backup_urls(base) if backups is None else list(backups)
        return cls(
            (base, *extra), timeout=timeout, deadline=deadline, rate_limit_wait=rate_limit_wait
        )

    def start(self, request: Request, now: float, secrets: Iterable[str] = ()) -> Attempts:
        """The attempts of one operation that starts at ``now`` (a monotonic clock)."""
        return Attempts(self, request, now, tuple(secrets))


class Attempts:
    """One operation's way through the hosts: the next attempt, and the decision after each
    failure (raise, or say what happens next). Texts it produces never carry a secret."""

    def __init__(
        self, policy: Policy, request: Request, now: float, secrets: tuple[str, ...]
    ) -> None:
        self.policy = policy
        self.request = request
        self._secrets = secrets
        self._host = 0
        self._end = now + (policy.deadline or 0.0)
        self._pause = 0.0
        self._paused = 0.0
        self._pauses = iter(policy.rate_limit_pauses)

    @property
    def host(self) -> str:
        return self.policy.urls[self._host]

    def next(self, now: float) -> Attempt:
        """The attempt to make now: its URL, its timeout (never beyond the deadline), and the
        pause to wait first."""
        pause, self._pause = self._pause, 0.0
        left = max(_MIN_ATTEMPT, self._end - pause - now)  # the pause comes first
        return Attempt(
            self.host + self.request.path, self.host, min(self.policy.timeout, left), pause
        )

    def failed(self, failure: Failure, detail: str, now: float) -> str:
        """After an attempt failed: raise the operation's :class:`TransportError` unless the
        request may go on to the next host; then return a note saying so, for the log."""
        detail = redact(detail, self._secrets)
        host = self.host
        if self._host + 1 < len(self.policy.urls) and self._may_try_next(failure):
            if self._end - now >= _MIN_ATTEMPT:
                self._host += 1
                return f"{host}: {detail}; trying the next host"
            detail += f"; gave up at the deadline of {self.policy.deadline:g} s"
        raise self._error(failure, host, detail)

    def rate_limited(self, error: RateLimitError, now: float) -> str:
        """After error 9: raise it, unless the request is a read that may wait for the
        service's window to pass; then return a note saying how long (the next attempt starts
        after that pause, on the same host)."""
        repeatable = self.request.idempotent and not self.request.sends_message
        pause = next(self._pauses, None)
        if not repeatable or pause is None or self._paused + pause > self.policy.rate_limit_wait:
            raise error
        self._paused += pause
        self._pause = pause
        self._end += pause  # waiting out the rate limit is not time spent on hosts
        return (
            f"{self.request.endpoint}: the service's rate limit refused the request; "
            f"trying again in {pause:g} s"
        )

    def _may_try_next(self, failure: Failure) -> bool:
        if failure is Failure.NOT_CONNECTED:
            return True
        return self.request.idempotent and not self.request.sends_message

    def _error(self, failure: Failure, url: str, detail: str) -> TransportError:
        """The error for the last failed attempt; says whether the request may have arrived."""
        request = self.request
        maybe_received = failure is not Failure.NOT_CONNECTED
        text = f"{request.endpoint}: {failure.value} from {url} ({detail})"
        if maybe_received and request.sends_message:
            text += "; the message may have been sent, so it was not sent again"
        return TransportError(
            text, maybe_received=maybe_received, sends_message=request.sends_message
        )


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


# What a transport supplies: POST the operation's body for one attempt, return the HTTP status
# and the answer's text, or raise AttemptFailed.
Post = Callable[[Attempt], "tuple[int, str]"]
AsyncPost = Callable[[Attempt], "Awaitable[tuple[int, str]]"]
Note = Callable[[str], None]
# How much longer than an attempt's timeout run_async lets the transport take, so that the
# transport's own timeout (which knows whether it was still connecting) fires first.
_CUTOFF_MARGIN = 0.25


def _status(answer: tuple[int, str]) -> str:
    status, text = answer
    if status != 200:
        raise AttemptFailed(Failure.BAD_STATUS, f"HTTP {status}")
    return text


def run(
    operation: Operation[T],
    policy: Policy,
    post: Post,
    *,
    secrets: Iterable[str] = (),
    note: Note | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``operation`` by ``policy`` over the blocking ``post``; notes (failovers, rate-limit
    pauses) go to ``note``. Raises pysmsc's typed errors."""
    secrets = tuple(secrets)
    attempts = policy.start(operation.request, clock(), secrets)
    while True:
        attempt = attempts.next(clock())
        if attempt.pause:
            sleep(attempt.pause)
        try:
            text = _status(post(attempt))
        except AttemptFailed as exc:
            said = attempts.failed(exc.failure, exc.detail, clock())
        else:
            try:
                return read_answer(operation, text, secrets)
            except RateLimitError as exc:
                said = attempts.rate_limited(exc, clock())
        if note is not None:
            note(said)


async def run_async(
    operation: Operation[T],
    policy: Policy,
    post: AsyncPost,
    *,
    secrets: Iterable[str] = (),
    note: Note | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] | None = None,
) -> T:
    """:func:`run` for an asyncio ``post``; an attempt still running a moment after its
    timeout is cancelled, so the deadline holds whatever the server does."""
    import asyncio  # noqa: PLC0415 - not for the blocking transports (the CLI starts faster)

    wait = asyncio.sleep if sleep is None else sleep
    secrets = tuple(secrets)
    attempts = policy.start(operation.request, clock(), secrets)
    while True:
        attempt = attempts.next(clock())
        if attempt.pause:
            await wait(attempt.pause)
        try:
            try:
                answer = await asyncio.wait_for(post(attempt), attempt.timeout + _CUTOFF_MARGIN)
            except asyncio.TimeoutError:
                raise AttemptFailed(Failure.NO_ANSWER, "no answer within the timeout") from None
            text = _status(answer)
        except AttemptFailed as exc:
            said = attempts.failed(exc.failure, exc.detail, clock())
        else:
            try:
                return read_answer(operation, text, secrets)
            except RateLimitError as exc:
                said = attempts.rate_limited(exc, clock())
        if note is not None:
            note(said)
