# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Recipients: phone numbers, ``G<n>`` contact-group codes and e-mail addresses.

The service takes a comma- or semicolon-separated list. Numbers are in international format; a
number given with ``+`` is sent with it (the service then does not auto-correct it). Spaces,
dashes, dots and parentheses that people type into numbers are removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Union

from ._values import check_string, type_name
from .errors import ValidationError

__all__ = [
    "Recipients",
    "is_email",
    "is_group",
    "is_phone",
    "join",
    "normalize_phone",
    "parse",
    "same_recipient",
]

# A single string (possibly a comma/semicolon list) or any iterable of strings.
Recipients = Union[str, Iterable[str]]

_SEPARATORS = re.compile(r"[,;]")
_PHONE_NOISE = re.compile(r"[\s\-.()]")
_PHONE = re.compile(r"\+?[0-9]{7,15}")
_GROUP = re.compile(r"[Gg][0-9]{1,10}")
# Deliberately plain: one @, a dot in the domain, no separators or spaces.
_EMAIL = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+")


def normalize_phone(value: str) -> str:
    """Strip the separators people type into numbers: ``+7 (999) 123-45-67`` -> ``+79991234567``."""
    return _PHONE_NOISE.sub("", value.strip())


def is_phone(value: str) -> bool:
    return _PHONE.fullmatch(normalize_phone(value)) is not None


def is_group(value: str) -> bool:
    return _GROUP.fullmatch(value.strip()) is not None


def is_email(value: str) -> bool:
    return _EMAIL.fullmatch(value.strip()) is not None


def same_recipient(value: str) -> str:
    """The form in which two spellings of one recipient are equal: a number's digits (with or
    without ``+`` it reaches the same phone), a group code or an address in lower case."""
    value = value.strip()
    if is_group(value) or "@" in value:
        return value.lower()
    return normalize_phone(value).lstrip("+")


def _split(recipients: Recipients, field: str) -> list[str]:
    given: object = recipients  # whatever the caller passed, typed or not
    if isinstance(given, str):
        items: list[object] = [given]
    elif isinstance(given, (bytes, bytearray)) or not isinstance(given, Iterable):
        raise ValidationError(field, f"must be text or a list of texts, not {type_name(given)}")
    else:
        items = list(given)
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ValidationError(field, f"recipients must be strings, got {type_name(item)}")
        check_string(item, field, multiline=False)
        out.extend(part.strip() for part in _SEPARATORS.split(item) if part.strip())
    return out


def parse(
    recipients: Recipients,
    *,
    emails: bool = False,
    field: str = "to",
) -> tuple[str, ...]:
    """Validate and normalise recipients for one message.

    With ``emails=True`` (e-mail messages) every recipient must be an e-mail address or a group
    code; otherwise a phone number or a group code. The same recipient twice (``+7999...`` and
    ``7999...``, ``G1`` and ``g1``) is refused: the service would send it twice. Raises
    :class:`ValidationError` naming ``field`` and the first offending recipient.
    """
    values = _split(recipients, field)
    if not values:
        raise ValidationError(field, "at least one recipient is required")
    result: list[str] = []
    for value in values:
        if is_group(value):
            result.append(value)
        elif emails:
            if not is_email(value):
                raise ValidationError(field, f"{value!r} is not an e-mail address or a G<n> group")
            result.append(value)
        else:
            phone = normalize_phone(value)
            if _PHONE.fullmatch(phone) is None:
                raise ValidationError(
                    field,
                    f"{value!r} is not a phone number in international format "
                    "(7 to 15 digits, optional leading +) or a G<n> group",
                )
            result.append(phone)
    seen: dict[str, str] = {}
    for value in result:
        key = same_recipient(value)
        if key in seen:
            raise ValidationError(
                field, f"{value!r} is the same recipient as {seen[key]!r}; give each one once"
            )
        seen[key] = value
    return tuple(result)


def join(recipients: Iterable[str]) -> str:
    """The service's form of a recipient list."""
    return ",".join(recipients)
