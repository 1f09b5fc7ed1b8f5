# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""ping.php: event notifications through a task group of the account's monitoring.

The task group (created in the account) holds the notification templates and the contacts;
a call fills the ``{NAME}``, ``{HOST}`` and ``{INFO}`` macros and picks the failure or the
recovery template.
"""

from __future__ import annotations

from .._values import check_string
from ..errors import ValidationError
from ._base import Operation, Request, ok_answer
from .checks import check_service_prefix

__all__ = ["ping"]

ENDPOINT = "ping.php"
MAX_FIELD_LENGTH = 1000


def ping(
    task_group: int,
    *,
    name: str | None = None,
    host: str | None = None,
    info: str | None = None,
    recovered: bool = False,
) -> Operation[None]:
    """Notify task group ``task_group`` of a failure, or of a recovery with ``recovered``."""
    if isinstance(task_group, bool) or not isinstance(task_group, int) or task_group < 1:
        raise ValidationError("task_group", "must be the positive id of a task group")
    fields = [("id", str(task_group))]
    for field_name, value in (("name", name), ("host", host), ("info", info)):
        if value is None:
            continue
        check_string(value, field_name)
        # The task group's template may begin with the macro: a value beginning with a
        # service prefix could turn its notification into another kind of message.
        check_service_prefix(value, None, field_name)
        if len(value) > MAX_FIELD_LENGTH:
            raise ValidationError(field_name, f"at most {MAX_FIELD_LENGTH} characters")
        fields.append((field_name, value))
    if recovered:
        fields.append(("ok", "1"))
    # Like a send, a ping makes the service send notifications: never repeat it blindly.
    return Operation(Request(ENDPOINT, tuple(fields), sends_message=True), ok_answer(ENDPOINT))
