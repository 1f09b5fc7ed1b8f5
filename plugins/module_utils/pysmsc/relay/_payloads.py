# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The webhooks the relay reads, as one :class:`Notification`: Alertmanager's (payload version
4), Grafana's webhook contact point (version 1) and the relay's own small JSON.

Alertmanager and Grafana send the whole state of an alert group on every notification: the
group's key, whether any alert still fires, and every alert with its labels, annotations,
fingerprint and start time. They send it again when the group changes, and again every
``repeat_interval`` while nothing changes. Parsing checks the shape and names the field and
the rule of anything wrong; it does no I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Alert",
    "Notification",
    "PayloadError",
    "page_key",
    "page_text",
    "parse_alertmanager",
    "parse_generic",
    "parse_grafana",
]

FIRING = "firing"
RESOLVED = "resolved"
MAX_KEY = 512
MAX_TEXT = 900  # the page's text; the SMS is shortened further to its parts
_STATUSES = (FIRING, RESOLVED)


class PayloadError(ValueError):
    """A payload that is not what the endpoint reads: ``field`` (a JSON path) and ``rule``."""

    def __init__(self, field_name: str, rule: str) -> None:
        super().__init__(f"{field_name}: {rule}" if field_name else rule)
        self.field = field_name
        self.rule = rule


@dataclass(frozen=True)
class Alert:
    status: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    fingerprint: str = ""
    starts_at: str = ""

    @property
    def identity(self) -> str:
        """One occurrence of the alert: its fingerprint and start (a new firing of the same
        alert starts later)."""
        return f"{self.fingerprint}@{self.starts_at}"


@dataclass(frozen=True)
class Notification:
    """One webhook call: the group ``group_key`` of ``source`` is ``status`` (firing while any
    alert fires). ``labels`` route it. ``to`` and ``escalation`` are the relay's own payload's
    (``smsc page --relay``): the chain and escalation chosen by the caller."""

    source: str
    group_key: str
    status: str
    labels: Mapping[str, str]
    alerts: tuple[Alert, ...]
    truncated: int = 0
    summary: str = ""
    to: tuple[str, ...] = ()
    escalation: Mapping[str, Any] = field(default_factory=dict)

    @property
    def firing(self) -> tuple[Alert, ...]:
        return tuple(alert for alert in self.alerts if alert.status == FIRING)


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(where, "must be a JSON object")
    return value


def _string(value: Any, where: str, *, required: bool = True, limit: int = 65536) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise PayloadError(where, "must be a string")
    if required and not value.strip():
        raise PayloadError(where, "must not be empty")
    if len(value) > limit:
        raise PayloadError(where, f"must be at most {limit} characters")
    return value


def _strings(value: Any, where: str) -> dict[str, str]:
    """A label or annotation set: an object of strings (absent or null: empty)."""
    if value is None:
        return {}
    data = _object(value, where)
    for name, item in data.items():
        if not isinstance(item, str):
            raise PayloadError(f"{where}.{name}", "must be a string")
    return dict(data)


def _status(value: Any, where: str) -> str:
    if value not in _STATUSES:
        raise PayloadError(where, "must be 'firing' or 'resolved'")
    return str(value)


def _alerts(value: Any) -> tuple[Alert, ...]:
    if not isinstance(value, list):
        raise PayloadError("alerts", "must be a list")
    alerts = []
    for index, item in enumerate(value):
        where = f"alerts[{index}]"
        data = _object(item, where)
        alerts.append(
            Alert(
                status=_status(data.get("status"), f"{where}.status"),
                labels=_strings(data.get("labels"), f"{where}.labels"),
                annotations=_strings(data.get("annotations"), f"{where}.annotations"),
                fingerprint=_string(
                    data.get("fingerprint"), f"{where}.fingerprint", required=False, limit=256
                ),
                starts_at=_string(
                    data.get("startsAt"), f"{where}.startsAt", required=False, limit=64
                ),
            )
        )
    return tuple(alerts)


def _truncated(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PayloadError("truncatedAlerts", "must be a non-negative integer")
    return value


def _group(data: Mapping[str, Any], source: str) -> Notification:
    alerts = _alerts(data.get("alerts"))
    status = _status(data.get("status"), "status")
    common = _strings(data.get("commonLabels"), "commonLabels")
    group_labels = _strings(data.get("groupLabels"), "groupLabels")
    # The group's status is what its alerts say (a group fires while any alert does).
    if any(alert.status == FIRING for alert in alerts):
        status = FIRING
    elif alerts:
        status = RESOLVED
    return Notification(
        source=source,
        group_key=_string(data.get("groupKey"), "groupKey", limit=16384),
        status=status,
        labels={**group_labels, **common},
        alerts=alerts,
        truncated=_truncated(data.get("truncatedAlerts")),
    )


def parse_alertmanager(value: Any) -> Notification:
    """Alertmanager's webhook payload (``"version": "4"``)."""
    data = _object(value, "body")
    if data.get("version") != "4":
        raise PayloadError(
            "version", f'must be "4" (Alertmanager\'s webhook payload), not {data.get("version")!r}'
        )
    return _group(data, "alertmanager")


def parse_grafana(value: Any) -> Notification:
    """Grafana's webhook contact point payload (``"version": "1"``, with ``orgId``)."""
    data = _object(value, "body")
    if data.get("version", "1") != "1" or "orgId" not in data:
        raise PayloadError(
            "version",
            'must be Grafana\'s webhook contact point payload (version "1", with orgId)',
        )
    notification = _group(data, "grafana")
    org = data.get("orgId")
    if isinstance(org, bool) or not isinstance(org, int):
        raise PayloadError("orgId", "must be an integer")
    # Grafana's group keys are unique within an organisation.
    return Notification(
        source=f"grafana/{org}",
        group_key=notification.group_key,
        status=notification.status,
        labels=notification.labels,
        alerts=notification.alerts,
        truncated=notification.truncated,
    )


_GENERIC = ("key", "status", "summary", "labels", "to", "escalation")
# What `smsc page --relay` may choose for its page (seconds; call: true/false).
GENERIC_ESCALATION = ("deliver_within", "ack_within", "call")


def parse_generic(value: Any) -> Notification:
    """The relay's own payload: ``{"key", "status": "firing"|"resolved", "summary",
    "labels"}``, and for ``smsc page --relay`` ``"to"`` (names or numbers) and
    ``"escalation"`` (``deliver_within``, ``ack_within`` in seconds, ``call``)."""
    data = _object(value, "body")
    for name in data:
        if name not in _GENERIC:
            raise PayloadError(name, "is not a known field (known: " + ", ".join(_GENERIC) + ")")
    key = _string(data.get("key"), "key", limit=400)
    status = _status(data.get("status"), "status")
    summary = _string(data.get("summary"), "summary", required=status == FIRING, limit=4000)
    labels = _strings(data.get("labels"), "labels")
    to: tuple[str, ...] = ()
    if data.get("to") is not None:
        if not isinstance(data["to"], list) or not data["to"]:
            raise PayloadError("to", "must be a non-empty list of contact names or numbers")
        to = tuple(_string(item, f"to[{i}]", limit=64) for i, item in enumerate(data["to"]))
    escalation = dict(_object(data.get("escalation") or {}, "escalation"))
    for name, item in escalation.items():
        where = f"escalation.{name}"
        if name not in GENERIC_ESCALATION:
            raise PayloadError(where, "is not one of " + ", ".join(GENERIC_ESCALATION))
        if name == "call":
            if not isinstance(item, bool):
                raise PayloadError(where, "must be true or false")
        elif item is not None and (
            isinstance(item, bool) or not isinstance(item, (int, float)) or not item >= 1
        ):
            raise PayloadError(where, "must be a number of seconds of at least 1, or null")
    alert = Alert(status, labels, {"summary": summary} if summary else {})
    return Notification(
        source="alerts",
        group_key=key,
        status=status,
        labels=labels,
        alerts=(alert,),
        summary=summary,
        to=to,
        escalation=escalation,
    )


def page_key(notification: Notification) -> str:
    """The page's key: the source and the group key (hashed when long: Alertmanager's group
    keys grow with the route's matchers)."""
    key = f"{notification.source}:{notification.group_key}"
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(notification.group_key.encode("utf-8")).hexdigest()
    return f"{notification.source}:sha256:{digest}"


def _squashed(text: str) -> str:
    return "".join(text.lower().split())


def _describe(alert: Alert, *, named: bool = True) -> str:
    """One alert in a line: its summary (or description), after its name when the summary
    does not say it (``named``), else its name and instance."""
    name = alert.labels.get("alertname", "")
    words = next(
        (
            alert.annotations[key].strip()
            for key in ("summary", "description", "message")
            if alert.annotations.get(key, "").strip()
        ),
        "",
    )
    if not words:
        where = alert.labels.get("instance") or alert.labels.get("job") or ""
        words = " ".join(part for part in ((name if named else ""), where) if part)
        return words or ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items())) or "alert"
    if named and name and _squashed(name) not in _squashed(words):
        return f"{name}: {words}"
    return words


def _cut(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def page_text(notification: Notification) -> str:
    """The text a page carries for a firing group: the one alert, or how many and which
    (sorted, so that the same group always reads the same)."""
    if notification.summary:
        return _cut(notification.summary)
    firing = notification.firing
    names = {alert.labels.get("alertname", "") for alert in firing}
    shared = names.pop() if len(names) == 1 and len(firing) > 1 else ""
    lines = sorted({_describe(alert, named=not shared) for alert in firing})
    more = f" (+{notification.truncated} more)" if notification.truncated else ""
    if len(firing) <= 1:
        return _cut((lines[0] if lines else "alert") + more)
    if shared:
        return _cut(f"{shared}, {len(firing)} alerts: " + "; ".join(lines) + more)
    return _cut(f"{len(firing)} alerts: " + "; ".join(lines) + more)
