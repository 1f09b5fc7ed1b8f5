# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""balance.php: the account's balance and currency."""

from __future__ import annotations

from ..errors import ResponseError
from ..models import Balance
from ._base import Operation, Request, as_decimal, as_str, load_answer, require_mapping

__all__ = ["balance"]

ENDPOINT = "balance.php"


def _parse(text: str) -> Balance:
    data = require_mapping(ENDPOINT, load_answer(ENDPOINT, text))
    if "balance" not in data:
        raise ResponseError(ENDPOINT, f"no balance in {str(dict(data))[:200]!r}")
    currency = as_str(data.get("currency")).strip()
    credit = data.get("credit")
    return Balance(
        balance=as_decimal(ENDPOINT, "balance", data["balance"]),
        currency=currency or None,
        credit=None if credit in (None, "") else as_decimal(ENDPOINT, "credit", credit),
    )


def balance() -> Operation[Balance]:
    """The balance, always with its currency (``cur=1``)."""
    return Operation(Request(ENDPOINT, (("cur", "1"),), idempotent=True), _parse)
