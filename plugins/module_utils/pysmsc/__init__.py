# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""pysmsc: a client for the SMS Center service (smsc.ru) — HTTP API, SMPP and the ``smsc``
command.

The public surface: the names below; the modules :mod:`pysmsc.protocol` (and its ``checks``),
:mod:`pysmsc.transport` (for transports), :mod:`pysmsc.errors`, :mod:`pysmsc.models`,
:mod:`pysmsc.schedule`, :mod:`pysmsc.phones`, :mod:`pysmsc.text`, :mod:`pysmsc.redact` and
:mod:`pysmsc.smpp`. Modules with a leading underscore are internal.

The clients need httpx and are imported on first use, so that Ansible's modules can use the
protocol layer on hosts that have nothing but the standard library.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    ApiError,
    AuthenticationError,
    CodeAlreadySentError,
    ForbiddenMessageError,
    InsufficientFundsError,
    InvalidCodeError,
    InvalidDateError,
    InvalidPhoneError,
    IpBlockedError,
    NotFoundError,
    ParameterError,
    RateLimitError,
    ResponseError,
    SaveError,
    SmscError,
    TransportError,
    UndeliverableError,
    ValidationError,
)

if TYPE_CHECKING:
    from ._client import AsyncClient, Client
    from .models import (
        Balance,
        BulkMessage,
        BulkOutcome,
        CostEstimate,
        DialParams,
        MessageKind,
        MessageStatus,
        OperatorTemplateStatus,
        OperatorTemplateTarget,
        ReceivedMessage,
        RecipientResult,
        Sender,
        SendResult,
        StatusInfo,
        Template,
        TemplateFormat,
        Translit,
    )
    from .protocol import Attachment, BulkLimits, Message
    from .schedule import HourWindow

__version__ = "0.1.0"

__all__ = [
    "ApiError",
    "AsyncClient",
    "Attachment",
    "AuthenticationError",
    "Balance",
    "BulkLimits",
    "BulkMessage",
    "BulkOutcome",
    "Client",
    "CodeAlreadySentError",
    "CostEstimate",
    "DialParams",
    "ForbiddenMessageError",
    "HourWindow",
    "InsufficientFundsError",
    "InvalidCodeError",
    "InvalidDateError",
    "InvalidPhoneError",
    "IpBlockedError",
    "Message",
    "MessageKind",
    "MessageStatus",
    "NotFoundError",
    "OperatorTemplateStatus",
    "OperatorTemplateTarget",
    "ParameterError",
    "RateLimitError",
    "ReceivedMessage",
    "RecipientResult",
    "ResponseError",
    "SaveError",
    "SendResult",
    "Sender",
    "SmscError",
    "StatusInfo",
    "Template",
    "TemplateFormat",
    "Translit",
    "TransportError",
    "UndeliverableError",
    "ValidationError",
]


# Loaded on first use: the ``smsc`` command starts faster, and Ansible's modules never load
# httpx (the clients need it).
_LAZY = {
    "AsyncClient": "._client",
    "Client": "._client",
    "Attachment": ".protocol",
    "BulkLimits": ".protocol",
    "Message": ".protocol",
    "HourWindow": ".schedule",
    **dict.fromkeys(
        (
            "Balance",
            "BulkMessage",
            "BulkOutcome",
            "CostEstimate",
            "DialParams",
            "MessageKind",
            "MessageStatus",
            "OperatorTemplateStatus",
            "OperatorTemplateTarget",
            "ReceivedMessage",
            "RecipientResult",
            "Sender",
            "SendResult",
            "StatusInfo",
            "Template",
            "TemplateFormat",
            "Translit",
        ),
        ".models",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pysmsc' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
