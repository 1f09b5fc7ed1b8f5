# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The service's answers in its four formats: ``fmt=0`` (text), ``1`` (comma-separated
numbers), ``2`` (XML) and ``3`` (JSON), for successes and errors of every endpoint.

Money is a string with two decimals in JSON (``"cost": "1.40"``) except in the ``/rest/send/``
answer, which writes it as a number (``"cost": 4.20``). JSON escapes every non-ASCII character,
so it reads the same in any charset.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from .clock import moscow_datetime
from .codes import STATUS_NAMES, ServiceError, Status
from .models import SENDER_OPERATORS, IncomingMessage, Sender, Template, money
from .sending import parse_message_id
from .state import BalanceInfo, SendResult, StatusReport

__all__ = [
    "Answer",
    "dump_json",
    "fmt_of",
    "render_answers",
    "render_balance",
    "render_error",
    "render_ok",
    "render_op_templates",
    "render_rest_error",
    "render_rest_send",
    "render_send",
    "render_sender_created",
    "render_senders",
    "render_status",
    "render_template_created",
    "render_templates",
]

# senders.php operators=1: fmt=2 and fmt=3 list the operator fields in this order.
_SENDER_OPERATORS_XML = (
    "mega_step",
    "mega_int",
    "bee_step",
    "motiv_step",
    "motiv_int",
    "sber_step",
    "mts_step",
    "mts_int",
    "tele2_step",
    "tele2",
    "motiv",
    "ua_reg",
    "ua_int",
)

_CONTENT_TYPES = {0: "text/plain", 1: "text/plain", 2: "text/xml", 3: "application/json"}


@dataclass(frozen=True)
class Answer:
    """A rendered answer: its body and its media type (the charset is the request's)."""

    body: str
    content_type: str


class _RawNumber(str):
    """A number already written out (money keeps its two decimals: ``4.20``)."""


def dump_json(value: Any) -> str:
    """Compact JSON that keeps key order, writes Decimal as a number and escapes non-ASCII."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, _RawNumber):
        return str.__str__(value)
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, dict):
        items = (f"{_json_string(str(k))}: {dump_json(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(dump_json(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=True)


def _answer(fmt: int, body: str | dict[str, Any] | list[Any]) -> Answer:
    text = body if isinstance(body, str) else dump_json(body)
    return Answer(text, _CONTENT_TYPES.get(fmt, "text/plain"))


def _x(text: object) -> str:
    return escape(str(text), quote=False)


def _attr(text: object) -> str:
    return escape(str(text), quote=True)


def _element(tag: str, content: object) -> str:
    return f"<{tag}>{_x(content)}</{tag}>"


def _elements(fields: Sequence[tuple[str, object]]) -> str:
    return "".join(_element(tag, value) for tag, value in fields)


def _date(timestamp: float) -> str:
    return moscow_datetime(timestamp).strftime("%d.%m.%Y %H:%M:%S")


# -- shared answers -------------------------------------------------------------------------


def render_error(fmt: int, error: ServiceError) -> Answer:
    """``ERROR = N (description)`` and its analogues; send.php adds the message id for codes
    3, 6, 7 and 8."""
    mid = error.message_id
    if fmt == 1:
        return _answer(fmt, f"{mid if mid is not None else 0},-{error.code}")
    if fmt == 2:
        fields: list[tuple[str, object]] = [
            ("error", error.description),
            ("error_code", error.code),
        ]
        if mid is not None:
            fields.append(("id", mid))
        return _answer(fmt, f"<result>{_elements(fields)}</result>")
    if fmt == 3:
        body: dict[str, Any] = {"error": error.description, "error_code": error.code}
        if mid is not None:
            body["id"] = mid
        return _answer(fmt, body)
    text = f"ERROR = {error.code} ({error.description})"
    if mid is not None:
        text += f", ID - {mid}"
    return _answer(0, text)


def render_ok(fmt: int) -> Answer:
    if fmt == 2:
        return _answer(fmt, "<result>OK</result>")
    if fmt == 3:
        return _answer(fmt, {"result": "OK"})
    return _answer(fmt, "OK")


# -- send.php -------------------------------------------------------------------------------


def render_send(fmt: int, result: SendResult, cost: int, op: bool, err: bool) -> Answer:
    """A send or cost answer; ``op`` lists every recipient, ``err`` only the failed ones."""
    phones = result.phones if op else [p for p in result.phones if p.failed] if err else []
    listed = op or err
    if fmt == 1:
        if cost == 1:
            text = f"{money(result.cost)},{result.cnt}"
        else:
            fields = [str(result.id), str(result.cnt)]
            if cost in (2, 3):
                fields.append(money(result.cost))
            if cost == 3:
                fields.append(money(result.balance))
            text = ",".join(fields)
        return _answer(fmt, text + _phone_lines(phones, listed))
    if fmt == 2:
        items: list[tuple[str, object]]
        if cost == 1:
            items = [("cost", money(result.cost)), ("cnt", result.cnt)]
        else:
            items = [("id", result.id), ("cnt", result.cnt)]
            if cost in (2, 3):
                items.append(("cost", money(result.cost)))
            if cost == 3:
                items.append(("balance", money(result.balance)))
        body = _elements(items)
        if listed:
            body += (
                "<phones>"
                + "".join(
                    f'<phone mccmnc="{_attr(p.mccmnc)}" cost="{money(p.cost)}" '
                    f'status="{p.status}" error="{p.err}">{_x(p.phone)}</phone>'
                    for p in phones
                )
                + "</phones>"
            )
        return _answer(fmt, f"<result>{body}</result>")
    if fmt == 3:
        data: dict[str, Any]
        if cost == 1:
            data = {"cost": money(result.cost), "cnt": result.cnt}
        else:
            assert result.id is not None
            data = {"id": result.id, "cnt": result.cnt}
            if cost in (2, 3):
                data["cost"] = money(result.cost)
            if cost == 3:
                data["balance"] = money(result.balance)
        if listed:
            data["phones"] = [
                {
                    "phone": p.phone,
                    "mccmnc": p.mccmnc,
                    "cost": money(p.cost),
                    "status": str(p.status),
                    "error": str(p.err),
                }
                for p in phones
            ]
        return _answer(fmt, data)
    if cost == 1:
        text = f"{money(result.cost)} ({result.cnt} SMS)"
    else:
        text = f"OK - {result.cnt} SMS, ID - {result.id}"
        if cost in (2, 3):
            text += f", COST - {money(result.cost)}"
        if cost == 3:
            text += f", BALANCE - {money(result.balance)}"
    return _answer(0, text + _phone_lines(phones, listed))


def _phone_lines(phones: Sequence[Any], listed: bool) -> str:
    if not listed or not phones:
        return ""
    return "".join(f"\n{p.phone},{p.mccmnc},{money(p.cost)},{p.status},{p.err}" for p in phones)


def render_rest_send(result: SendResult, cost: int) -> Answer:
    """``POST /rest/send/``: JSON with money as numbers (``{"id":1,"cnt":1,"cost":4.20}``)."""
    data: dict[str, Any]
    if cost == 1:
        data = {"cost": _RawNumber(money(result.cost)), "cnt": result.cnt}
    else:
        assert result.id is not None
        data = {"id": result.id, "cnt": result.cnt}
        if cost in (2, 3):
            data["cost"] = _RawNumber(money(result.cost))
        if cost == 3:
            data["balance"] = _RawNumber(money(result.balance))
    return _answer(3, data)


def render_rest_error(error: ServiceError) -> Answer:
    data: dict[str, Any] = {}
    if error.message_id is not None:
        data["id"] = error.message_id
    data["error"] = error.description
    data["error_code"] = error.code
    return _answer(3, data)


# -- status.php -----------------------------------------------------------------------------


def _status_fields(report: StatusReport, detail: int) -> list[tuple[str, Any]]:
    """(name, value) of one status in the fmt=3 order; money and dates already as text."""
    message, recipient = report.message, report.recipient
    if message is None or recipient is None:
        return [("status", Status.NOT_FOUND)]
    fields: list[tuple[str, Any]] = [
        ("status", recipient.status),
        ("last_date", _date(recipient.last_change)),
        ("last_timestamp", int(recipient.last_change)),
        ("flag", message.flag),
        ("err", recipient.err),
    ]
    if detail >= 1:
        fields += [
            ("id", message.id),
            ("send_date", _date(message.send_time)),
            ("send_timestamp", int(message.send_time)),
            ("phone", recipient.phone),
            ("cost", money(recipient.cost)),
            ("sender_id", message.sender),
            ("status_name", STATUS_NAMES.get(recipient.status, "")),
            ("message", message.text),
        ]
    if detail >= 2:
        found = recipient.route
        fields += [
            ("country", found.country if found else ""),
            ("operator", found.operator if found else ""),
            ("region", found.region if found else ""),
        ]
    return fields


def _given_id(report: StatusReport) -> int | str:
    parsed = parse_message_id(report.id)
    return parsed if parsed is not None else report.id.strip()


def _status_text(report: StatusReport, detail: int, multi: bool, numbers: bool) -> str:
    """One status in fmt=0 (``numbers`` False) or fmt=1; free text (the message) comes last."""
    fields = dict(_status_fields(report, detail))
    found = report.message is not None
    status = fields["status"]
    head: list[tuple[str, Any]] = []
    if multi:
        head = [("id", _given_id(report)), ("phone", report.phone)]
    head += [
        ("status" if multi else "Status", status),
        ("check_time", fields.get("last_date", "")),
        ("last_timestamp", fields.get("last_timestamp", 0)),
        ("err", fields.get("err", 0)),
    ]
    tail: list[tuple[str, Any]] = []
    if found and detail >= 1:
        tail += [
            ("send_date", fields["send_date"]),
            ("send_timestamp", fields["send_timestamp"]),
        ]
        if not multi:
            tail.append(("phone", fields["phone"]))
        tail += [
            ("cost", fields["cost"]),
            ("sender_id", fields["sender_id"]),
            ("status_name", fields["status_name"]),
        ]
        if detail >= 2:
            tail += [
                ("country", fields["country"]),
                ("operator", fields["operator"]),
                ("region", fields["region"]),
            ]
        tail.append(("message", fields["message"]))
    if numbers:
        skip = {"check_time", "send_date"}
        return ",".join(str(v) for k, v in head + tail if k not in skip)
    skip = {"last_timestamp", "send_timestamp"}
    return ", ".join(f"{k} = {v}" for k, v in head + tail if k not in skip)


def render_status(fmt: int, reports: Sequence[StatusReport], multi: bool, detail: int) -> Answer:
    """One status, or with ``multi`` a list (each carrying id and phone); ``detail`` is
    ``all`` (1 adds the message, 2 also country, operator and region)."""
    if fmt == 3:
        items = []
        for report in reports:
            fields = dict(_status_fields(report, detail))
            if multi:
                fields["id"] = _given_id(report)
                fields["phone"] = report.phone
            items.append(fields)
        return _answer(fmt, items if multi else items[0])
    if fmt == 2:
        blocks = []
        for report in reports:
            pairs = _status_fields(report, detail)
            if report.message is None:
                pairs += [("last_date", ""), ("last_timestamp", 0), ("err", 0)]
            if multi:
                pairs = [("id", _given_id(report)), ("phone", report.phone)] + [
                    (k, v) for k, v in pairs if k not in ("id", "phone")
                ]
            blocks.append(_elements(pairs))
        if multi:
            return _answer(fmt, "<list>" + "".join(f"<sms>{b}</sms>" for b in blocks) + "</list>")
        return _answer(fmt, f"<result>{blocks[0]}</result>")
    lines = [_status_text(r, detail, multi, fmt == 1) for r in reports]
    return _answer(fmt, "\n".join(lines))


# -- balance.php ----------------------------------------------------------------------------


def render_balance(fmt: int, info: BalanceInfo, currency: bool) -> Answer:
    balance = money(info.balance)
    if fmt == 2:
        fields: list[tuple[str, object]] = [("balance", balance)]
        if currency:
            fields.append(("currency", info.currency))
        if info.credit is not None:
            fields.append(("credit", money(info.credit)))
        return _answer(fmt, f"<result>{_elements(fields)}</result>")
    if fmt == 3:
        data: dict[str, Any] = {"balance": balance}
        if currency:
            data["currency"] = info.currency
        if info.credit is not None:
            data["credit"] = money(info.credit)
        return _answer(fmt, data)
    if currency:
        return _answer(
            fmt, f"{balance},{info.currency}" if fmt == 1 else f"{balance} {info.currency}"
        )
    return _answer(fmt, balance)


# -- templates.php --------------------------------------------------------------------------


def render_template_created(fmt: int, template_id: int) -> Answer:
    if fmt == 1:
        return _answer(fmt, str(template_id))
    if fmt == 2:
        return _answer(fmt, f"<template>{_element('id', template_id)}</template>")
    if fmt == 3:
        return _answer(fmt, {"id": template_id})
    return _answer(0, f"ID - {template_id}")


def render_templates(fmt: int, templates: Sequence[Template]) -> Answer:
    rows = [
        [
            ("id", t.id),
            ("name", t.name),
            ("format", t.format),
            ("sender", t.sender),
            ("flag", t.flag),
            ("message", t.message),
        ]
        for t in templates
    ]
    if fmt == 3:
        return _answer(fmt, [dict(row) for row in rows])
    if fmt == 2:
        body = "".join(f"<template>{_elements(row)}</template>" for row in rows)
        return _answer(fmt, f"<list>{body}</list>")
    if fmt == 1:
        return _answer(fmt, "\n".join(",".join(str(v) for _, v in row) for row in rows))
    return _answer(fmt, "\n".join(", ".join(f"{k} = {v}" for k, v in row) for row in rows))


# -- op_templates.php -----------------------------------------------------------------------


def render_op_templates(fmt: int, results: Sequence[tuple[str, int, int]]) -> Answer:
    """Per operator: ``name = <status>, id = <id>`` and its analogues."""
    if fmt == 3:
        return _answer(fmt, [{name: status, "id": tid} for name, status, tid in results])
    if fmt == 2:
        body = "".join(
            f"<template>{_elements([('name', n), ('status', s), ('id', i)])}</template>"
            for n, s, i in results
        )
        return _answer(fmt, f"<result>{body}</result>")
    if fmt == 1:
        return _answer(fmt, "\n".join(f"{n},{s},{i}" for n, s, i in results))
    return _answer(fmt, "\n".join(f"{n} = {s}, id = {i}" for n, s, i in results))


# -- senders.php ----------------------------------------------------------------------------


def render_senders(
    fmt: int, senders: Sequence[Sender], everything: bool, operators: bool
) -> Answer:
    """The sender names list: name and id; with ``everything`` (all=1) the status too; with
    ``operators`` the per-operator registration statuses."""
    if operators:
        return _render_sender_operators(fmt, senders)
    if fmt == 3:
        items: list[dict[str, Any]] = []
        for s in senders:
            item: dict[str, Any] = {"sender": s.name}
            if everything:
                item["status"] = s.status
            item["id"] = s.id
            items.append(item)
        return _answer(fmt, items)
    if fmt == 2:
        body = "".join(
            f'<sender{_status_attr(s) if everything else ""} id="{s.id}">{_x(s.name)}</sender>'
            for s in senders
        )
        return _answer(fmt, f"<list>{body}</list>")
    lines = []
    for s in senders:
        if fmt == 1:
            lines.append(f"{s.name},{s.status},{s.id}" if everything else f"{s.name},{s.id}")
        elif everything:
            lines.append(f"name = {s.name}, status = {s.status}, id = {s.id}")
        else:
            lines.append(f"name = {s.name}, id = {s.id}")
    return _answer(fmt, "\n".join(lines))


def _status_attr(sender: Sender) -> str:
    return f' status="{sender.status}"'


def _render_sender_operators(fmt: int, senders: Sequence[Sender]) -> Answer:
    if fmt == 3:
        items = []
        for s in senders:
            item = {"sender": s.name}
            item.update({k: str(s.operators.get(k, 0)) for k in _SENDER_OPERATORS_XML})
            item["id"] = str(s.id)
            items.append(item)
        return _answer(fmt, items)
    if fmt == 2:
        body = ""
        for s in senders:
            attrs = " ".join(f'{k}="{s.operators.get(k, 0)}"' for k in _SENDER_OPERATORS_XML)
            body += f'<sender {attrs} id="{s.id}">{_x(s.name)}</sender>'
        return _answer(fmt, f"<list>{body}</list>")
    lines = []
    for s in senders:
        values = [(k, s.operators.get(k, 0)) for k in SENDER_OPERATORS]
        if fmt == 1:
            lines.append(",".join([s.name] + [str(v) for _, v in values] + [str(s.id)]))
        else:
            pairs = ", ".join(f"{k} = {v}" for k, v in values)
            lines.append(f"name = {s.name}, {pairs}, id = {s.id}")
    return _answer(fmt, "\n".join(lines))


def render_sender_created(fmt: int, sender_id: int) -> Answer:
    if fmt == 1:
        return _answer(fmt, str(sender_id))
    if fmt == 2:
        return _answer(fmt, f"<result>{_element('sender', sender_id)}</result>")
    if fmt == 3:
        return _answer(fmt, {"sender": sender_id})
    return _answer(0, f"ID = {sender_id}")


# -- get.php?get_answers=1 ------------------------------------------------------------------


def render_answers(fmt: int, messages: Sequence[IncomingMessage]) -> Answer:
    """Incoming messages, oldest first, in the shape of /work/briefs/callbacks-contract.md
    (fmt=3); the other formats follow status.php's lists (the emulator's guess)."""
    rows = [
        [
            ("id", m.id),
            ("received", _date(m.received)),
            ("phone", m.phone),
            ("to_phone", m.to),
            ("sent", int(m.received)),
            ("message", m.text),
        ]
        for m in messages
    ]
    if fmt == 3:
        return _answer(fmt, [dict(row) for row in rows])
    if fmt == 2:
        items = "".join(f"<answer>{_elements(row)}</answer>" for row in rows)
        return _answer(fmt, f"<list>{items}</list>")
    if fmt == 1:
        return _answer(fmt, "\n".join(",".join(str(v) for _, v in row) for row in rows))
    return _answer(fmt, "\n".join(", ".join(f"{k} = {v}" for k, v in row) for row in rows))


def fmt_of(raw: str | None) -> int:
    """The ``fmt`` parameter; anything but 1, 2 or 3 is the default 0."""
    try:
        value = int((raw or "0").strip())
    except ValueError:
        return 0
    return value if value in (0, 1, 2, 3) else 0
