# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Recipients as the service reads them: number auto-correction, e-mail addresses, and the
emulator's small routing table (country, operator, MCC/MNC) behind ``op=1`` and ``all=2``.

The routing table is fictional in its details (one operator per country, one region for
Russia) but stable, so tests can rely on it. Numbers that start with an unassigned or
non-geographic country code have no route: the service cannot deliver to them (error 8).
"""

# The service is Russian: its names and alphabets are Cyrillic on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "NO_ROUTE_PREFIXES",
    "Route",
    "is_email",
    "normalize_email",
    "normalize_phone",
    "route",
    "split_recipients",
]

_FORMATTING = re.compile(r"[\s()\-.]")
_DIGITS = re.compile(r"[0-9]+")
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[A-Za-z]{2,}$")

# Country codes without a route: unassigned ranges and non-geographic services.
NO_ROUTE_PREFIXES = (
    "28",
    "80",
    "83",
    "87",
    "89",
    "693",
    "694",
    "695",
    "696",
    "697",
    "698",
    "699",
    "881",
    "882",
    "883",
    "888",
    "979",
    "990",
    "991",
    "997",
    "999",
)


@dataclass(frozen=True)
class Route:
    """Where a number lives: ``mccmnc`` is the MCC and MNC run together (``"25001"``)."""

    country: str
    operator: str
    region: str
    mcc: str
    mnc: str

    @property
    def mccmnc(self) -> str:
        return self.mcc + self.mnc


_UNKNOWN = Route("", "", "", "", "")

_RU = {
    "mts": Route("Россия", "МТС", "Москва", "250", "01"),
    "megafon": Route("Россия", "МегаФон", "Москва", "250", "02"),
    "tele2": Route("Россия", "Tele2", "Москва", "250", "20"),
    "beeline": Route("Россия", "Билайн", "Москва", "250", "99"),
    "fixed": Route("Россия", "Ростелеком", "Москва", "250", "00"),
}
_KZ = {
    "kcell": Route("Казахстан", "Kcell", "", "401", "02"),
    "beeline": Route("Казахстан", "Beeline KZ", "", "401", "01"),
    "tele2": Route("Казахстан", "Tele2 KZ", "", "401", "77"),
}
# Longest prefix first when looking up.
_COUNTRIES: dict[str, Route] = {
    "380": Route("Украина", "Kyivstar", "", "255", "03"),
    "375": Route("Беларусь", "A1", "", "257", "01"),
    "998": Route("Узбекистан", "Beeline UZ", "", "434", "04"),
    "992": Route("Таджикистан", "Tcell", "", "436", "01"),
    "996": Route("Киргизия", "Beeline KG", "", "437", "01"),
    "374": Route("Армения", "Beeline AM", "", "283", "01"),
    "995": Route("Грузия", "Magti", "", "282", "02"),
    "994": Route("Азербайджан", "Azercell", "", "400", "01"),
    "373": Route("Молдова", "Orange MD", "", "259", "01"),
    "371": Route("Латвия", "LMT", "", "247", "01"),
    "370": Route("Литва", "Telia LT", "", "246", "01"),
    "372": Route("Эстония", "Telia EE", "", "248", "01"),
    "358": Route("Финляндия", "Elisa", "", "244", "05"),
    "972": Route("Израиль", "Partner", "", "425", "01"),
    "90": Route("Турция", "Turkcell", "", "286", "01"),
    "86": Route("Китай", "China Mobile", "", "460", "00"),
    "91": Route("Индия", "Airtel", "", "404", "10"),
    "49": Route("Германия", "Telekom", "", "262", "01"),
    "44": Route("Великобритания", "EE", "", "234", "30"),
    "33": Route("Франция", "Orange", "", "208", "01"),
    "39": Route("Италия", "TIM", "", "222", "01"),
    "34": Route("Испания", "Movistar", "", "214", "07"),
    "48": Route("Польша", "Orange PL", "", "260", "03"),
    "1": Route("США", "AT&T", "", "310", "410"),
}


def split_recipients(raw: str) -> list[str]:
    """The items of a ``phones`` value: comma or semicolon separated, blanks dropped."""
    return [item.strip() for item in re.split(r"[,;]", raw) if item.strip()]


def normalize_phone(raw: str) -> str | None:
    """The number's digits after the service's auto-correction, or None when the format is
    invalid. A leading ``+`` turns the correction off.

    Corrections: a leading ``00`` (international prefix) is dropped; Russian ``8XXXXXXXXXX``
    becomes ``7XXXXXXXXXX``; a ten-digit ``9XXXXXXXXX`` gets the ``7`` country code.
    Valid numbers have 10 to 15 digits, do not start with 0, and have 11 digits in zone 7.
    """
    text = raw.strip()
    explicit = text.startswith("+")
    digits = _FORMATTING.sub("", text[1:] if explicit else text)
    if not _DIGITS.fullmatch(digits):
        return None
    if not explicit:
        if digits.startswith("00"):
            digits = digits[2:]
        if len(digits) == 11 and digits[0] == "8":
            digits = "7" + digits[1:]
        elif len(digits) == 10 and digits[0] == "9":
            digits = "7" + digits
    if not 10 <= len(digits) <= 15 or digits[0] == "0":
        return None
    if digits[0] == "7" and len(digits) != 11:
        return None
    return digits


def is_email(raw: str) -> bool:
    return bool(_EMAIL.match(raw.strip()))


def normalize_email(raw: str) -> str:
    return raw.strip().lower()


def route(phone: str) -> Route | None:
    """The route of a normalized number; None when the service has no route to it."""
    if phone.startswith(NO_ROUTE_PREFIXES):
        return None
    if phone[0] == "7":
        if phone[1] in "67":
            code = phone[1:4]
            if code in ("705", "771", "776", "777"):
                return _KZ["beeline"]
            if code in ("707", "747"):
                return _KZ["tele2"]
            return _KZ["kcell"]
        if phone[1] != "9":
            return _RU["fixed"]
        ten, unit = phone[2], phone[3]
        if ten in "18":
            return _RU["mts"]
        if ten in "23":
            return _RU["megafon"]
        if ten == "6" or (ten == "0" and unit in "3569"):
            return _RU["beeline"]
        return _RU["tele2"]
    for length in (3, 2, 1):
        found = _COUNTRIES.get(phone[:length])
        if found is not None:
            return found
    return _UNKNOWN
