# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The sans-I/O protocol layer: for every endpoint, build the request from typed arguments and
parse the answer into typed results or typed errors. Nothing here touches the network.

Each function returns an :class:`Operation`; run it with :class:`pysmsc.Client`,
:class:`pysmsc.AsyncClient`, or any transport that POSTs :func:`form_fields` to
``base_url + operation.request.path`` and passes the answer's text to ``operation.parse``.
"""

from __future__ import annotations

from .balance import balance
from .base import Attachment, Credentials, Operation, Request, form_fields
from .checks import COMMENT_SEPARATOR, MAX_TEXT_LENGTH, VOICES
from .incoming import incoming
from .op_templates import add_operator_template, operator_templates
from .ping import ping
from .send import (
    BulkBatch,
    BulkLimits,
    Message,
    bulk_send,
    cost,
    cost_of_message,
    send,
    send_message,
)
from .senders import (
    add_sender,
    change_sender,
    check_sender_code,
    delete_sender,
    send_sender_code,
    senders,
)
from .status import delete_message, status, statuses
from .templates import add_template, change_template, delete_template, templates

__all__ = [
    "COMMENT_SEPARATOR",
    "MAX_TEXT_LENGTH",
    "VOICES",
    "Attachment",
    "BulkBatch",
    "BulkLimits",
    "Credentials",
    "Message",
    "Operation",
    "Request",
    "add_operator_template",
    "add_sender",
    "add_template",
    "balance",
    "bulk_send",
    "change_sender",
    "change_template",
    "check_sender_code",
    "cost",
    "cost_of_message",
    "delete_message",
    "delete_sender",
    "delete_template",
    "form_fields",
    "incoming",
    "operator_templates",
    "ping",
    "send",
    "send_message",
    "send_sender_code",
    "senders",
    "status",
    "statuses",
    "templates",
]
