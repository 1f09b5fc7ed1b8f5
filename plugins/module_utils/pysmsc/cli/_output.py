# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""How the CLI prints results: one readable line per record, or JSON with ``--json``."""

from __future__ import annotations

import dataclasses
import enum
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..models import CostEstimate, SendResult, StatusInfo

__all__ = ["as_json", "as_text", "plain"]


def plain(value: Any) -> Any:
    """A JSON-ready copy: dataclasses become objects (with their computed parts/seconds),
    money stays exact as a string, dates become ISO 8601, enums their value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, (SendResult, CostEstimate)):
            data["parts"], data["seconds"] = value.parts, value.seconds
        if isinstance(value, StatusInfo):
            data["meaning"] = value.meaning
        return data
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def as_json(value: Any, *, sent: bool | None = None) -> str:
    """``value`` as JSON; for a command that sends, with ``"sent": true`` (an object of its
    own when the result has no fields, as a ping's)."""
    data = plain(value)
    if sent is not None:
        data = {**data, "sent": sent} if isinstance(data, dict) else {"sent": sent}
    return json.dumps(data, ensure_ascii=False, indent=2)


def _money(value: Decimal | None) -> str:
    return "-" if value is None else str(value)


def _amount(count: int, seconds: int | None) -> str:
    if seconds is not None:
        return f"{seconds} s call"
    return f"{count} part" if count == 1 else f"{count} parts"


def _send_line(result: SendResult) -> str:
    amount = _amount(result.count, result.seconds)
    return (
        f"sent: id {result.id}, {amount}, cost {_money(result.cost)}, "
        f"balance {_money(result.balance)}"
    )


def _cost_line(estimate: CostEstimate) -> str:
    amount = _amount(estimate.count, estimate.seconds)
    return f"cost: {estimate.cost} for {amount}"


def _status_line(info: StatusInfo) -> str:
    line = f"{info.id} to {info.phone}: {info.meaning} (status {int(info.status)}"
    if info.error:
        line += f", error {info.error}: {info.error_meaning}"
    line += ")"
    if info.last_date:
        line += f" at {info.last_date:%Y-%m-%d %H:%M:%S}"
    return line


def as_text(value: Any) -> str:
    """A short human-readable rendering of any result."""
    if value is None:
        return "OK"
    if isinstance(value, SendResult):
        return _send_line(value)
    if isinstance(value, CostEstimate):
        return _cost_line(value)
    if isinstance(value, StatusInfo):
        return _status_line(value)
    if isinstance(value, list):
        return "\n".join(as_text(item) for item in value) if value else "(none)"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = plain(value)
        shown = {key: item for key, item in fields.items() if item not in ("", {}, None)}
        return ", ".join(f"{key} {item}" for key, item in shown.items())
    return str(value)
