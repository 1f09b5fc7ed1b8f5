# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The fields of the actions as automations fill them: types checked, refusals translated.

Templates render to native types (``{{ states('sensor.x') }}`` gives 21.5, ``{{ 30 }}`` gives
30), so a text field takes a number as its text and a whole-number field takes ``"30"``; what
is no text (null, a list, a mapping, true) or no whole number (a fraction) is refused with a
translated ServiceValidationError naming the field, never a voluptuous message. The rules of
the service (ranges, kinds, prefixes...) are pysmsc's.
"""

from __future__ import annotations

from typing import Any

import voluptuous as vol
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .helpers import invalid_field


class _Invalid(vol.Invalid):
    """A value of the wrong type, with its own translated message."""

    def __init__(self, translation_key: str, **placeholders: str) -> None:
        super().__init__(translation_key)
        self.translation_key = translation_key
        self.placeholders = placeholders


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (list, tuple, set)):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def text_value(value: Any) -> str:
    """A text. A number is its text, as a template renders it (``{{ states('sensor.x') }}``
    gives 21.5); anything else (null, a list, a mapping, true) is no text."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise _Invalid("not_text", type=_type_name(value))


def whole_number(value: Any) -> int:
    """A whole number, also as text (``"30"``); never a fraction cut off, nor true or false."""
    if isinstance(value, bool):
        raise _Invalid("not_whole_number", value=str(value).lower())
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    raise _Invalid("not_whole_number", value=repr(value) if isinstance(value, str) else str(value))


class ActionSchema(vol.Schema):
    """The schema of an action whose refusals are translated, naming the field.

    Types and choices are checked here; ranges and the rules that depend on the kind are
    pysmsc's, whose errors name the field too.
    """

    def __call__(self, data: Any) -> Any:
        try:
            return super().__call__(data)  # type: ignore[no-untyped-call]
        except vol.Invalid as err:
            raise _validation_error(err) from err


def _validation_error(err: vol.Invalid) -> ServiceValidationError:
    first = err.errors[0] if isinstance(err, vol.MultipleInvalid) and err.errors else err
    field = str(first.path[0]) if first.path else "data"  # the action's field, not its item
    if isinstance(first, _Invalid):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=first.translation_key,
            translation_placeholders={"field": field, **first.placeholders},
        )
    return invalid_field(field, first.error_message)
