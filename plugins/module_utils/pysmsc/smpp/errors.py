# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Errors of the SMPP client and server, part of the pysmsc hierarchy (:mod:`pysmsc.errors`).

The one distinction that matters to a sender is whether a message may have reached the SMSC,
``may_have_been_sent`` on every error a submit raises:

* :class:`SubmitNotSentError` (False): no part of it ever left this process, so sending it
  again cannot duplicate it;
* :class:`SubmitOutcomeUnknownError` (True): some part was written to a connection that was lost
  (or whose answer never came) before the SMSC answered, or the SMSC holds some parts and not
  the others; sending it again may deliver it twice, so the client never does that on its own;
* :class:`SubmitRejectedError`: the SMSC answered with an error status (False, unless it had
  accepted other parts of the same message first).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import SmscError, TransportError
from .status import status_description, status_name

__all__ = [
    "BindError",
    "ClientClosedError",
    "PduDecodeError",
    "ResponseTimeoutError",
    "SessionClosedError",
    "SmppAuthenticationError",
    "SmppConnectionError",
    "SmppError",
    "SmppStatusError",
    "SmppTransportError",
    "SubmitNotSentError",
    "SubmitOutcomeUnknownError",
    "SubmitRejectedError",
    "ThrottledError",
]


class SmppError(SmscError):
    """Base of every SMPP error."""


class PduDecodeError(SmppError, ValueError):
    """Bytes that are not a valid PDU. ``status`` is the command_status a generic_nack carries,
    ``sequence_number`` the sequence number of the broken PDU (0 when unknown)."""

    def __init__(self, message: str, *, status: int, sequence_number: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.sequence_number = sequence_number


class SmppStatusError(SmppError):
    """The peer answered ``command`` with a non-zero command_status."""

    def __init__(self, command: str, status: int, detail: str = "") -> None:
        text = f"{command}: {status_name(status)} ({status_description(status)})"
        if detail:
            text += f": {detail}"
        super().__init__(text)
        self.command = command
        self.status = status

    @property
    def status_name(self) -> str:
        return status_name(self.status)


class BindError(SmppStatusError):
    """The SMSC refused the bind."""


class SmppAuthenticationError(BindError):
    """The SMSC refused the login or the password (ESME_RINVSYSID / ESME_RINVPASWD)."""


class SubmitRejectedError(SmppStatusError):
    """The SMSC refused a message (or one part of it) with a permanent error status.

    ``message_ids`` holds the ids of parts that the SMSC did accept, if any, ``unknown_parts``
    the 1-based numbers of parts whose answer never came; with either, the SMSC may send what
    it has (``may_have_been_sent``).
    """

    def __init__(
        self,
        status: int,
        *,
        message_ids: Sequence[str] = (),
        part: int = 1,
        parts: int = 1,
        unknown_parts: Sequence[int] = (),
    ) -> None:
        detail = f"part {part} of {parts}" if parts > 1 else ""
        super().__init__("submit_sm", status, detail)
        self.message_ids = list(message_ids)
        self.part = part
        self.parts = parts
        self.unknown_parts = list(unknown_parts)
        self.may_have_been_sent = bool(self.message_ids or self.unknown_parts)


class ThrottledError(SubmitRejectedError):
    """The SMSC kept answering ESME_RTHROTTLED / ESME_RMSGQFUL until the submit timed out.
    The message was refused, so it may be sent again later."""


class SmppTransportError(SmppError, TransportError):
    """The connection failed; ``maybe_received`` tells whether the request may have arrived."""


class SmppConnectionError(SmppTransportError):
    """Could not connect or bind to any configured host (or the connection was lost)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, maybe_received=False)


class SessionClosedError(SmppTransportError):
    """The session was closed; ``maybe_received`` says whether the PDU was written first."""


class ResponseTimeoutError(SmppTransportError):
    """No response came within the response timeout (the request may have arrived)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, maybe_received=True)


class SubmitNotSentError(SmppTransportError):
    """No part of the message ever left the client (no bound connection before the timeout,
    or the client was closed first). Sending it again is safe."""

    def __init__(self, message: str) -> None:
        super().__init__(message, maybe_received=False, sends_message=True)


class SubmitOutcomeUnknownError(SmppTransportError):
    """The message may or may not have reached the SMSC; it is NOT sent again automatically.

    Some part was sent but its answer never came (the connection was lost or the response
    timed out), or the SMSC accepted some parts and the others could not be sent.
    ``message_ids`` holds the ids of parts whose answer did come, ``unknown_parts`` the 1-based
    numbers of the parts whose outcome is unknown, ``not_sent_parts`` those that surely never
    left."""

    def __init__(
        self,
        message: str,
        *,
        message_ids: Sequence[str] = (),
        unknown_parts: Sequence[int] = (),
        not_sent_parts: Sequence[int] = (),
    ) -> None:
        super().__init__(message, maybe_received=True, sends_message=True)
        self.message_ids = list(message_ids)
        self.unknown_parts = list(unknown_parts)
        self.not_sent_parts = list(not_sent_parts)


class ClientClosedError(SmppError):
    """The client is closed (or closing) and accepts no more requests."""
