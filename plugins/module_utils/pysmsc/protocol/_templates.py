# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""templates.php: the account's message templates."""

from __future__ import annotations

from ..errors import ResponseError, ValidationError
from ..models import MessageKind, Template, TemplateFormat
from ._base import (
    Operation,
    Request,
    as_int,
    as_str,
    load_answer,
    ok_answer,
    require_list,
    require_mapping,
)
from .checks import check_sender, check_template_message, check_template_name

__all__ = ["add_template", "change_template", "delete_template", "templates"]

ENDPOINT = "templates.php"


def _check_format(value: TemplateFormat | str) -> str:
    try:
        return TemplateFormat(value).value
    except ValueError:
        names = ", ".join(repr(f.value) for f in TemplateFormat)
        raise ValidationError("format", f"{value!r} is not one of: {names}") from None


def _check_id(template_id: int) -> str:
    if isinstance(template_id, bool) or not isinstance(template_id, int) or template_id < 1:
        raise ValidationError("template_id", "must be a positive integer")
    return str(template_id)


def _sender_field(sender: str, fmt: str) -> str:
    kind = MessageKind.EMAIL if fmt == "mail" else MessageKind.SMS
    return check_sender(sender, kind)


def _parse_list(text: str) -> list[Template]:
    items = load_answer(ENDPOINT, text)
    if items in ("", None):
        return []
    result = []
    for item in require_list(ENDPOINT, items):
        data = require_mapping(ENDPOINT, item)
        result.append(
            Template(
                id=as_int(ENDPOINT, "id", data.get("id")),
                name=as_str(data.get("name")),
                message=as_str(data.get("message")),
                format=as_str(data.get("format")),
                sender=as_str(data.get("sender")),
                flag=as_int(ENDPOINT, "flag", data.get("flag") or 0),
            )
        )
    return result


def _parse_id(text: str) -> int:
    data = require_mapping(ENDPOINT, load_answer(ENDPOINT, text))
    if "id" not in data:
        raise ResponseError(ENDPOINT, f"no id in {str(dict(data))[:200]!r}")
    return as_int(ENDPOINT, "id", data["id"])


def templates() -> Operation[list[Template]]:
    """Every template of the account."""
    return Operation(Request(ENDPOINT, (("get", "1"),), idempotent=True), _parse_list)


def add_template(
    name: str,
    message: str,
    *,
    format: TemplateFormat | str = TemplateFormat.ANY,
    sender: str | None = None,
    autosign: bool = False,
) -> Operation[int]:
    """Create a template; the result is its id."""
    fmt = _check_format(format)
    fields = [("add", "1"), ("name", check_template_name(name))]
    fields.append(("msg", check_template_message(message, fmt)))
    fields.append(("format", fmt))
    if sender is not None:
        fields.append(("sender", _sender_field(sender, fmt)))
    if autosign:
        fields.append(("fl[1]", "1"))
    return Operation(Request(ENDPOINT, tuple(fields)), _parse_id)


def change_template(
    template_id: int,
    *,
    name: str | None = None,
    message: str | None = None,
    format: TemplateFormat | str | None = None,
    sender: str | None = None,
    autosign: bool | None = None,
) -> Operation[None]:
    """Change the given fields of template ``template_id``."""
    fields = [("chg", "1"), ("id", _check_id(template_id))]
    fmt = None if format is None else _check_format(format)
    if name is not None:
        fields.append(("name", check_template_name(name)))
    if message is not None:
        fields.append(("msg", check_template_message(message, fmt or "")))
    if fmt is not None:
        fields.append(("format", fmt))
    if sender is not None:
        fields.append(("sender", _sender_field(sender, fmt or "")))
    if autosign is not None:
        fields.append(("fl[1]", "1" if autosign else "0"))
    if len(fields) == 2:
        raise ValidationError("template", "give at least one field to change")
    return Operation(Request(ENDPOINT, tuple(fields)), ok_answer(ENDPOINT))


def delete_template(template_id: int) -> Operation[None]:
    """Delete template ``template_id``."""
    request = Request(ENDPOINT, (("del", "1"), ("id", _check_id(template_id))))
    return Operation(request, ok_answer(ENDPOINT))
