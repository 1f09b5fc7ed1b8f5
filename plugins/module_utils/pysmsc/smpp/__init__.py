# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""SMPP 3.4 for the SMSC service, on asyncio: a client (ESME) and the server side of sessions.

The client: :class:`SmppClient` with :class:`SmppConfig`; what it sends is a text or one of the
typed contents (:class:`Call`, :class:`Mail`, :class:`Viber`, :class:`Social`,
:class:`TelegramCode`, :class:`TelegramBot`, :class:`Hlr`, :class:`Ping`); what it receives are
:class:`DeliveryReceipt`, :class:`HlrResult` and :class:`IncomingMessage` events. The server side of
sessions belongs to the emulator (``pysmsc_emulator.smpp.server``). Standard library only;
Python 3.9+.
"""

from __future__ import annotations

from ..text import Encoding
from .client import (
    SMSC_BACKUP_HOST,
    SMSC_HOST,
    SMSC_PORT,
    SMSC_TLS_PORT,
    ConnectionState,
    Event,
    EventStream,
    MessageStatus,
    SmppClient,
    SmppConfig,
)
from .concat import ConcatMethod
from .content import Call, Content, Hlr, Mail, Ping, Social, TelegramBot, TelegramCode, Viber, Voice
from .errors import (
    BindError,
    ClientClosedError,
    PduDecodeError,
    SmppAuthenticationError,
    SmppConnectionError,
    SmppError,
    SmppStatusError,
    SmppTransportError,
    SubmitNotSentError,
    SubmitOutcomeUnknownError,
    SubmitRejectedError,
    ThrottledError,
)
from .incoming import IncomingMessage
from .options import BindMode, SystemType
from .receipts import (
    DeliveryReceipt,
    ExtraState,
    HlrResult,
    MessageFlags,
    MessageKind,
    MessageState,
    NetworkError,
    Report,
    SentMessage,
    TemplateType,
)
from .status import CommandId, CommandStatus

__all__ = [
    "SMSC_BACKUP_HOST",
    "SMSC_HOST",
    "SMSC_PORT",
    "SMSC_TLS_PORT",
    "BindError",
    "BindMode",
    "Call",
    "ClientClosedError",
    "CommandId",
    "CommandStatus",
    "ConcatMethod",
    "ConnectionState",
    "Content",
    "DeliveryReceipt",
    "Encoding",
    "Event",
    "EventStream",
    "ExtraState",
    "Hlr",
    "HlrResult",
    "IncomingMessage",
    "Mail",
    "MessageFlags",
    "MessageKind",
    "MessageState",
    "MessageStatus",
    "NetworkError",
    "PduDecodeError",
    "Ping",
    "Report",
    "SentMessage",
    "SmppAuthenticationError",
    "SmppClient",
    "SmppConfig",
    "SmppConnectionError",
    "SmppError",
    "SmppStatusError",
    "SmppTransportError",
    "Social",
    "SubmitNotSentError",
    "SubmitOutcomeUnknownError",
    "SubmitRejectedError",
    "SystemType",
    "TelegramBot",
    "TelegramCode",
    "TemplateType",
    "ThrottledError",
    "Viber",
    "Voice",
]
