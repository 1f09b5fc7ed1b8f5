# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The sans-I/O protocol layer: for every endpoint, build the request from typed arguments and
parse the answer into typed results or typed errors. Nothing here touches the network.

Each function returns an :class:`Operation`; run it with :class:`pysmsc.Client`,
:class:`pysmsc.AsyncClient`, :func:`pysmsc.transport.run`, or any transport that POSTs
:func:`form_fields` to ``base_url + operation.request.path`` and passes the answer's text to
:func:`pysmsc.transport.read_answer`. The input rules are public in :mod:`.checks` (and
re-exported here) for front ends that check a value on its own.

Everything a transport or a front end needs is named here; the modules with a leading
underscore are internal.
"""

from __future__ import annotations

from ._balance import balance
from ._base import Attachment, Credentials, Operation, Request, encode_body, form_fields
from ._incoming import incoming
from ._op_templates import add_operator_template, operator_templates
from ._ping import ping
from ._send import (
    BulkBatch,
    BulkLimits,
    BulkProgress,
    Message,
    bulk_send,
    cost,
    cost_of_message,
    send,
    send_message,
)
from ._senders import (
    add_sender,
    change_sender,
    check_sender_code,
    delete_sender,
    send_sender_code,
    senders,
)
from ._status import delete_message, status, statuses
from ._templates import add_template, change_template, delete_template, templates
from .checks import (
    COMMENT_SEPARATOR,
    DIAL_RANGES,
    MAX_RECIPIENTS,
    MAX_TEXT_LENGTH,
    SERVICE_PREFIXES,
    VOICES,
    check_binary_options,
    check_comment,
    check_dial,
    check_message_id,
    check_recipients,
    check_sender,
    check_service_prefix,
    check_string,
    check_subject,
    check_template_message,
    check_template_name,
    check_text,
    check_voice,
    service_prefix,
)

__all__ = [
    "COMMENT_SEPARATOR",
    "DIAL_RANGES",
    "MAX_RECIPIENTS",
    "MAX_TEXT_LENGTH",
    "SERVICE_PREFIXES",
    "VOICES",
    "Attachment",
    "BulkBatch",
    "BulkLimits",
    "BulkProgress",
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
    "check_binary_options",
    "check_comment",
    "check_dial",
    "check_message_id",
    "check_recipients",
    "check_sender",
    "check_sender_code",
    "check_service_prefix",
    "check_string",
    "check_subject",
    "check_template_message",
    "check_template_name",
    "check_text",
    "check_voice",
    "cost",
    "cost_of_message",
    "delete_message",
    "delete_sender",
    "delete_template",
    "encode_body",
    "form_fields",
    "incoming",
    "operator_templates",
    "ping",
    "send",
    "send_message",
    "send_sender_code",
    "senders",
    "service_prefix",
    "status",
    "statuses",
    "templates",
]
