# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""SMPP 3.4 for the SMSC service, on asyncio: the client (ESME) and the codec.

The client: :class:`SmppClient` with :class:`SmppConfig` (one connection, or a pool of up to
nine); what it sends is a text or one of the typed contents (:class:`Call`, :class:`Mail`,
:class:`Viber`, :class:`Social`, :class:`TelegramCode`, :class:`TelegramBot`, :class:`Hlr`,
:class:`Ping`); what it receives are :class:`DeliveryReceipt`, :class:`HlrResult` and
:class:`IncomingSms` events; :class:`MemoryStore` or :class:`SqliteStore` remember what was sent
so that receipts find their submit. Front ends import these names from here only.

The codec (:mod:`.pdu`, :mod:`.tlv`, :mod:`.status`, :mod:`.coding`, :mod:`.concat`, the
``build_*`` functions of :mod:`.receipts` and :mod:`.incoming`) and :class:`.session.SmppSession`
are public for the server side of sessions, which lives in the emulator
(``pysmsc_emulator.smpp.server``). Modules whose names start with ``_`` are internal. Standard
library only; Python 3.9+.
"""

from __future__ import annotations

from ..text import Encoding
from .client import BindInfo, ConnectionState, QueryResult, SmppClient
from .concat import ConcatMethod
from .config import BindMode, SmppConfig, SystemType
from .content import Call, Content, Hlr, Mail, Ping, Social, TelegramBot, TelegramCode, Viber, Voice
from .errors import (
    BindError,
    ClientClosedError,
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
from .events import Event, EventStream
from .incoming import IncomingSms
from .receipts import (
    DeliveryReceipt,
    ExtraState,
    HlrResult,
    MessageFlags,
    MessageState,
    NetworkError,
    Report,
    SentMessage,
    TemplateType,
    receipt_status,
)
from .status import CommandStatus
from .stores import MemoryStore, SentStore, SqliteStore

__all__ = [
    "BindError",
    "BindInfo",
    "BindMode",
    "Call",
    "ClientClosedError",
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
    "IncomingSms",
    "Mail",
    "MemoryStore",
    "MessageFlags",
    "MessageState",
    "NetworkError",
    "Ping",
    "QueryResult",
    "Report",
    "SentMessage",
    "SentStore",
    "SmppAuthenticationError",
    "SmppClient",
    "SmppConfig",
    "SmppConnectionError",
    "SmppError",
    "SmppStatusError",
    "SmppTransportError",
    "Social",
    "SqliteStore",
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
    "receipt_status",
]
