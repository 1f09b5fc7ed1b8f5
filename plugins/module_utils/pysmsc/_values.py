# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The rule every text value shares, whatever field it goes to (public as
:func:`pysmsc.protocol.checks.check_string`)."""

from __future__ import annotations

import re

from .errors import ValidationError

__all__ = ["check_string", "type_name"]

# Control characters (C0, DEL, C1) other than tab and line breaks: they are invisible, terminal
# escapes among them rewrite what an operator sees, and the service's handling is undocumented.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n]")
# Lone surrogates: what Python makes of bytes that are not UTF-8 (a command line in another
# encoding); they cannot be sent as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def type_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


def check_string(value: object, field: str, *, multiline: bool = True) -> str:
    """``value`` if it is text the service can take: a ``str`` (not bytes or a number), valid
    Unicode, and no control characters other than tab and, when ``multiline``, line breaks."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be text, not {type_name(value)}")
    if _SURROGATE.search(value):
        raise ValidationError(
            field, "contains bytes that are not UTF-8 (decode the input as UTF-8 first)"
        )
    control = _CONTROL.search(value)
    if control is None and not multiline:
        control = _LINE_BREAK.search(value)
    if control is not None:
        allowed = "tab and line breaks" if multiline else "tab"
        raise ValidationError(
            field,
            f"contains the control character {control.group()!r} at position "
            f"{control.start()}; only {allowed} are allowed",
        )
    return value
