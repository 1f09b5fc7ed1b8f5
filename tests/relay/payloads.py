"""Webhook payloads as Alertmanager and Grafana send them (shapes from Alertmanager's
notify/webhook/webhook.go and template/template.go, and Grafana's receivers/webhook/v1), and
the relay's own."""

from __future__ import annotations

from typing import Any

GROUP_KEY = '{}/{severity="critical"}:{alertname="DiskFull"}'


def am_alert(
    instance: str = "db1",
    *,
    status: str = "firing",
    summary: str | None = None,
    alertname: str = "DiskFull",
    severity: str = "critical",
    starts_at: str = "2026-11-30T10:00:00Z",
) -> dict[str, Any]:
    return {
        "status": status,
        "labels": {"alertname": alertname, "severity": severity, "instance": instance},
        "annotations": {"summary": summary or f"Disk full on {instance}: /var at 98%"},
        "startsAt": starts_at,
        "endsAt": "0001-01-01T00:00:00Z" if status == "firing" else "2026-11-30T10:20:00Z",
        "generatorURL": "http://prometheus:9090/graph?g0.expr=disk",
        "fingerprint": f"fp-{alertname}-{instance}",
    }


def alertmanager(
    *alerts: dict[str, Any],
    group_key: str = GROUP_KEY,
    severity: str = "critical",
    truncated: int = 0,
) -> dict[str, Any]:
    alerts = alerts or (am_alert(),)
    firing = any(a["status"] == "firing" for a in alerts)
    return {
        "version": "4",
        "groupKey": group_key,
        "truncatedAlerts": truncated,
        "status": "firing" if firing else "resolved",
        "receiver": "smsc-relay",
        "groupLabels": {"alertname": alerts[0]["labels"]["alertname"]},
        "commonLabels": {"alertname": alerts[0]["labels"]["alertname"], "severity": severity},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": list(alerts),
    }


def grafana(status: str = "firing", *, org: int = 1) -> dict[str, Any]:
    alert = {
        "status": status,
        "labels": {"alertname": "High memory usage", "team": "blue", "severity": "critical"},
        "annotations": {"summary": "Memory at 97% on app1"},
        "startsAt": "2026-11-30T09:51:03.157076+02:00",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "https://grafana.example/alerting/1afz29v7z/edit",
        "fingerprint": "c6eadffa33fcdf37",
        "silenceURL": "https://grafana.example/alerting/silence/new",
        "dashboardURL": "",
        "panelURL": "",
        "values": {"B": 44.23943737541908, "C": 1},
        "valueString": "[ var='B' value=44.2 ]",
    }
    return {
        "receiver": "smsc-relay",
        "status": status,
        "orgId": org,
        "alerts": [alert],
        "groupLabels": {"alertname": "High memory usage"},
        "commonLabels": {"alertname": "High memory usage", "team": "blue", "severity": "critical"},
        "commonAnnotations": {"summary": "Memory at 97% on app1"},
        "externalURL": "https://grafana.example/",
        "version": "1",
        "groupKey": '{}/{alertname="High memory usage"}:{alertname="High memory usage"}',
        "truncatedAlerts": 0,
        "title": "[FIRING:1] High memory usage (blue)",
        "state": "alerting" if status == "firing" else "ok",
        "message": "**Firing**\n\nValue: B=44.2",
    }
