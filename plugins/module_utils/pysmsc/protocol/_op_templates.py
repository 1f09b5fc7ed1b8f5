# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""op_templates.php: service and transactional templates registered with mobile operators."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._values import check_string
from ..errors import ValidationError
from ..models import MessageKind, OperatorTemplateStatus, OperatorTemplateTarget
from ._base import Operation, Request, as_int, as_str, load_answer, require_list, require_mapping
from .checks import MAX_TEXT_LENGTH, check_sender

__all__ = ["add_operator_template", "operator_templates"]

ENDPOINT = "op_templates.php"


def _targets(targets: Iterable[OperatorTemplateTarget | str] | None) -> list[str]:
    if targets is None:
        return [t.value for t in OperatorTemplateTarget]
    if isinstance(targets, (str, OperatorTemplateTarget)):
        targets = [targets]
    elif isinstance(targets, (bytes, Mapping)) or not isinstance(targets, Iterable):
        raise ValidationError("targets", "must be a list of operators and message kinds")
    chosen: list[str] = []
    for target in targets:
        try:
            value = OperatorTemplateTarget(target).value
        except ValueError:
            names = ", ".join(t.value for t in OperatorTemplateTarget)
            raise ValidationError("targets", f"{target!r} is not one of: {names}") from None
        if value not in chosen:
            chosen.append(value)
    if not chosen:
        raise ValidationError("targets", "choose at least one operator and message kind")
    return chosen


def _fields(sender: str, message: str) -> list[tuple[str, str]]:
    if not sender:
        raise ValidationError("sender", "an operator template belongs to a sender name")
    check_string(message, "message")
    if not message.strip():
        raise ValidationError("message", "must not be empty")
    if len(message) > MAX_TEXT_LENGTH:
        raise ValidationError("message", f"at most {MAX_TEXT_LENGTH} characters")
    return [("sender", check_sender(sender, MessageKind.SMS)), ("msg", message)]


def _statuses(item: Mapping[str, Any]) -> list[OperatorTemplateStatus]:
    raw_id = item.get("id")
    template_id = None if raw_id in (None, "", 0) else as_int(ENDPOINT, "id", raw_id)
    if "name" in item and "status" in item:
        pairs = [(item["name"], item["status"])]
    else:
        # The documented JSON form keys the status by the operator's name: {"mts_srv": 1, "id": 5}
        pairs = [(key, value) for key, value in item.items() if key != "id"]
    return [
        OperatorTemplateStatus(as_str(name), as_int(ENDPOINT, "status", status), template_id)
        for name, status in pairs
    ]


def _parse(text: str) -> list[OperatorTemplateStatus]:
    items = require_list(ENDPOINT, load_answer(ENDPOINT, text))
    return [status for item in items for status in _statuses(require_mapping(ENDPOINT, item))]


def add_operator_template(
    sender: str, message: str, targets: Iterable[OperatorTemplateTarget | str] | None = None
) -> Operation[list[OperatorTemplateStatus]]:
    """Register ``message`` for ``sender`` with the chosen operators (all when None); the
    result has one status per operator and kind (1 added, -1 sender unknown, -2 not saved)."""
    fields = [("add", "1"), *_fields(sender, message)]
    fields += [(target, "1") for target in _targets(targets)]
    return Operation(Request(ENDPOINT, tuple(fields)), _parse)


def operator_templates(
    sender: str, message: str, targets: Iterable[OperatorTemplateTarget | str] | None = None
) -> Operation[list[OperatorTemplateStatus]]:
    """The registration state of ``message`` for ``sender`` per operator and kind (-1 when the
    operator has no such template, 0-4 otherwise)."""
    fields = [("get", "1"), *_fields(sender, message)]
    if targets is not None:
        fields += [(target, "1") for target in _targets(targets)]
    return Operation(Request(ENDPOINT, tuple(fields), idempotent=True), _parse)
