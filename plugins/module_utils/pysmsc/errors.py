# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""One exception hierarchy for everything the service or the network can answer.

The service numbers its errors per endpoint: code 3 is "insufficient funds" on send.php, "record
not found" on templates.php and "task group not found" on ping.php. :func:`api_error` turns an
(endpoint, code) pair into the exception class that says what happened, with the meaning in
plain words. No exception message ever carries a credential.
"""

from __future__ import annotations

__all__ = [
    "ApiError",
    "AuthenticationError",
    "CodeAlreadySentError",
    "ForbiddenMessageError",
    "InsufficientFundsError",
    "InvalidCodeError",
    "InvalidDateError",
    "InvalidPhoneError",
    "IpBlockedError",
    "NotFoundError",
    "ParameterError",
    "RateLimitError",
    "ResponseError",
    "SaveError",
    "SmscError",
    "TransportError",
    "UndeliverableError",
    "ValidationError",
    "api_error",
]


class SmscError(Exception):
    """Base of every error raised by pysmsc.

    ``may_have_been_sent`` says which outcome a failed send had, so that a caller knows whether
    it may try again or fall back to another channel:

    - False: the message surely was not sent (bad input, refused by the service, or the
      request never reached it) — retrying or falling back cannot duplicate it;
    - True: the request may have reached the service (the answer was lost, timed out, could not
      be read, or the server failed after the request went out) — the message may be on its way,
      and a blind retry could deliver it twice.

    Errors of requests that send nothing (balance, status, templates, ...) are always False.
    """

    may_have_been_sent: bool = False


class ValidationError(SmscError, ValueError):
    """Bad input, found before anything was sent. Names the field and the rule it breaks."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class TransportError(SmscError):
    """The service could not be reached or did not answer.

    ``maybe_received`` is False only when the request surely never reached the service (the
    connection was refused or never established). For a request that sends a message
    (``sends_message``), ``may_have_been_sent`` is then True: the message may already be on its
    way and must not be repeated blindly.
    """

    def __init__(self, message: str, *, maybe_received: bool, sends_message: bool = False) -> None:
        super().__init__(message)
        self.maybe_received = maybe_received
        self.may_have_been_sent = maybe_received and sends_message


class ResponseError(SmscError):
    """The service answered something that is not a valid answer of the endpoint.

    For a send, the request did reach a server, so the message may have been sent: the
    transport sets ``may_have_been_sent`` (the parsers cannot know what was asked).
    """

    def __init__(self, endpoint: str, detail: str, *, may_have_been_sent: bool = False) -> None:
        super().__init__(f"{endpoint}: unexpected answer ({detail})")
        self.endpoint = endpoint
        self.detail = detail
        self.may_have_been_sent = may_have_been_sent


class ApiError(SmscError):
    """The service refused a request with an error code.

    ``code`` is the service's number, ``meaning`` what it means on ``endpoint``,
    ``description`` the text the service sent, and ``message_id`` the id it reported for the
    refused message (send.php codes 3, 6, 7 and 8), if any.
    """

    def __init__(
        self,
        endpoint: str,
        code: int,
        meaning: str,
        description: str = "",
        message_id: str | None = None,
    ) -> None:
        text = f"{endpoint} error {code}: {meaning}"
        if description and description.strip().lower() != meaning.lower():
            text += f" (service: {description.strip()})"
        super().__init__(text)
        self.endpoint = endpoint
        self.code = code
        self.meaning = meaning
        self.description = description
        self.message_id = message_id


class ParameterError(ApiError):
    """Code 1: the service rejected the parameters."""


class AuthenticationError(ApiError):
    """Code 2: wrong login, password or API key, or a source IP the account does not allow."""


class InsufficientFundsError(ApiError):
    """Code 3 on send.php: the account has too little money."""


class NotFoundError(ApiError):
    """Code 3 elsewhere: the template, sender name or task group does not exist."""


class IpBlockedError(ApiError):
    """Code 4: the source IP is temporarily blocked after too many errors."""


class InvalidDateError(ApiError):
    """Code 5 on send.php: the ``time`` parameter has a format the service does not accept."""


class SaveError(ApiError):
    """Code 5 elsewhere: the service could not save or delete the record."""


class ForbiddenMessageError(ApiError):
    """Code 6: the text or the sender name is forbidden (or mass mailing without a contract)."""


class InvalidPhoneError(ApiError):
    """Code 7: a phone number has an invalid format."""


class UndeliverableError(ApiError):
    """Code 8: the message (or a confirmation code) cannot be delivered to that number."""


class RateLimitError(ApiError):
    """Code 9: a duplicate request within a minute, a request rate above the endpoint's limit,
    or too many concurrent connections under one login."""


class CodeAlreadySentError(ApiError):
    """Code 10 on senders.php: a confirmation code was already sent; retry after 8 hours."""


class InvalidCodeError(ApiError):
    """Code 11 on senders.php: the confirmation code is wrong."""


_COMMON = {
    1: (ParameterError, "error in parameters"),
    2: (AuthenticationError, "invalid login, password or API key, or a source IP not allowed"),
    4: (IpBlockedError, "the IP address is temporarily blocked because of frequent errors"),
}

# endpoint -> code -> (exception class, meaning on that endpoint)
_ENDPOINT_ERRORS: dict[str, dict[int, tuple[type[ApiError], str]]] = {
    "send.php": {
        **_COMMON,
        3: (InsufficientFundsError, "insufficient funds on the account"),
        5: (InvalidDateError, "invalid date format"),
        6: (ForbiddenMessageError, "the message is forbidden (by its text or sender name)"),
        7: (InvalidPhoneError, "invalid phone number format"),
        8: (UndeliverableError, "the message cannot be delivered to the number"),
        9: (
            RateLimitError,
            "duplicate request within a minute, too many cost requests, "
            "or too many concurrent requests",
        ),
    },
    "status.php": {
        **_COMMON,
        5: (SaveError, "error deleting the message"),
        9: (
            RateLimitError,
            "more than five status requests for one message or one mass request a minute, "
            "or too many concurrent requests",
        ),
    },
    "balance.php": {
        **_COMMON,
        9: (
            RateLimitError,
            "more than ten balance requests a minute, or too many concurrent requests",
        ),
    },
    "templates.php": {
        **_COMMON,
        3: (NotFoundError, "template not found"),
        5: (SaveError, "error saving or deleting the template"),
        9: (
            RateLimitError,
            "more than three identical template requests a minute, or too many concurrent requests",
        ),
    },
    "op_templates.php": {
        **_COMMON,
        9: (
            RateLimitError,
            "more than ten identical operator template requests a minute, "
            "or too many concurrent requests",
        ),
    },
    "senders.php": {
        **_COMMON,
        3: (NotFoundError, "sender name not found"),
        5: (SaveError, "error saving or deleting the sender name"),
        7: (InvalidPhoneError, "invalid number format"),
        8: (UndeliverableError, "the confirmation code cannot be delivered to the number"),
        9: (
            RateLimitError,
            "too many identical sender requests a minute, or too many concurrent requests",
        ),
        10: (
            CodeAlreadySentError,
            "a code was already sent to this number; retry after 8 hours",
        ),
        11: (InvalidCodeError, "invalid confirmation code"),
    },
    "get.php": {
        **_COMMON,
        9: (
            RateLimitError,
            "more than one request in five seconds, or too many concurrent requests",
        ),
    },
    "ping.php": {
        **_COMMON,
        3: (NotFoundError, "task group not found"),
        9: (
            RateLimitError,
            "more than five identical notification requests a minute, "
            "or too many concurrent requests",
        ),
    },
}


def api_error(
    endpoint: str, code: int, description: str = "", message_id: str | None = None
) -> ApiError:
    """The exception for error ``code`` answered by ``endpoint`` (e.g. ``"send.php"``).

    A code the endpoint does not document still gives an :class:`ApiError` with a clear text.
    """
    cls, meaning = _ENDPOINT_ERRORS.get(endpoint, {}).get(
        code, (ApiError, f"undocumented error code {code}")
    )
    return cls(endpoint, code, meaning, description, message_id)
