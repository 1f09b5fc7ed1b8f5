"""Reading Alertmanager's, Grafana's and the relay's own payloads: the group, its status, the
text the page carries; anything else is refused naming the field and the rule."""

from __future__ import annotations

from typing import Any

import pytest

from pysmsc.relay import PayloadError, parse_alertmanager, parse_generic, parse_grafana
from pysmsc.relay._payloads import page_key, page_text

from .payloads import GROUP_KEY, alertmanager, am_alert, grafana


def test_an_alertmanager_group() -> None:
    payload = alertmanager(am_alert("db1"), am_alert("db2", status="resolved"), truncated=3)
    notification = parse_alertmanager(payload)
    assert notification.group_key == GROUP_KEY
    assert notification.status == "firing"  # one alert still fires
    assert notification.labels == {"alertname": "DiskFull", "severity": "critical"}
    assert [a.identity for a in notification.firing] == ["fp-DiskFull-db1@2026-11-30T10:00:00Z"]
    assert page_text(notification) == "Disk full on db1: /var at 98% (+3 more)"
    assert page_key(notification) == f"alertmanager:{GROUP_KEY}"


def test_a_group_reads_the_same_whatever_the_order_of_its_alerts() -> None:
    one = parse_alertmanager(alertmanager(am_alert("db2"), am_alert("db1")))
    two = parse_alertmanager(alertmanager(am_alert("db1"), am_alert("db2")))
    assert (
        page_text(one)
        == page_text(two)
        == ("DiskFull, 2 alerts: Disk full on db1: /var at 98%; Disk full on db2: /var at 98%")
    )


def test_texts_name_the_alert_when_the_summary_does_not() -> None:
    alert = am_alert(summary="load 12 for 15 min", alertname="HighLoad")
    assert page_text(parse_alertmanager(alertmanager(alert))) == "HighLoad: load 12 for 15 min"
    bare = am_alert()
    bare["annotations"] = {}
    assert page_text(parse_alertmanager(alertmanager(bare))) == "DiskFull db1"


def test_a_resolved_group_and_a_long_group_key() -> None:
    notification = parse_alertmanager(
        alertmanager(am_alert(status="resolved"), group_key="{}:" + "x" * 2000)
    )
    assert notification.status == "resolved" and notification.firing == ()
    key = page_key(notification)
    assert key.startswith("alertmanager:sha256:") and len(key) < 100


def test_a_grafana_contact_point_notification() -> None:
    notification = parse_grafana(grafana())
    assert notification.source == "grafana/1"
    assert notification.status == "firing"
    assert page_text(notification) == "High memory usage: Memory at 97% on app1"
    assert parse_grafana(grafana("resolved")).status == "resolved"
    assert page_key(parse_grafana(grafana(org=2))) != page_key(notification)


def test_the_relays_own_payload() -> None:
    notification = parse_generic(
        {"key": "db1-disk", "status": "firing", "summary": "Disk full", "labels": {"team": "db"}}
    )
    assert (notification.group_key, notification.status, page_text(notification)) == (
        "db1-disk",
        "firing",
        "Disk full",
    )
    assert notification.labels == {"team": "db"}
    assert parse_generic({"key": "db1-disk", "status": "resolved"}).status == "resolved"
    page = parse_generic(
        {
            "key": "k",
            "status": "firing",
            "summary": "s",
            "to": ["alice", "+79990000009"],
            "escalation": {"deliver_within": 60, "ack_within": None, "call": False},
        }
    )
    assert page.to == ("alice", "+79990000009")
    assert page.escalation == {"deliver_within": 60, "ack_within": None, "call": False}


@pytest.mark.parametrize(
    ("parse", "payload", "field", "rule"),
    [
        (parse_alertmanager, {**alertmanager(), "version": "3"}, "version", 'must be "4"'),
        (parse_alertmanager, [1, 2], "body", "JSON object"),
        (parse_alertmanager, {**alertmanager(), "alerts": {}}, "alerts", "must be a list"),
        (parse_alertmanager, {**alertmanager(), "groupKey": ""}, "groupKey", "not be empty"),
        (parse_alertmanager, {**alertmanager(), "status": "ok"}, "status", "'firing' or"),
        (
            parse_alertmanager,
            alertmanager({**am_alert(), "labels": {"alertname": "A", "severity": 5}}),
            "alerts[0].labels.severity",
            "must be a string",
        ),
        (
            parse_alertmanager,
            alertmanager({**am_alert(), "status": "x"}),
            "alerts[0].status",
            "'firing'",
        ),
        (parse_grafana, alertmanager(), "version", "Grafana"),
        (parse_grafana, {**grafana(), "orgId": "1"}, "orgId", "integer"),
        (parse_generic, {"status": "firing", "summary": "s"}, "key", "must be a string"),
        (parse_generic, {"key": "k", "status": "firing"}, "summary", "must be a string"),
        (
            parse_generic,
            {"key": "k", "status": "firing", "summary": "s", "sev": 1},
            "sev",
            "not a known field",
        ),
        (
            parse_generic,
            {"key": "k", "status": "firing", "summary": "s", "escalation": {"ack_within": -1}},
            "escalation.ack_within",
            "at least 1",
        ),
        (
            parse_generic,
            {"key": "k", "status": "firing", "summary": "s", "to": []},
            "to",
            "non-empty",
        ),
    ],
)
def test_a_payload_of_another_shape_is_refused_with_the_field_and_rule(
    parse: Any, payload: Any, field: str, rule: str
) -> None:
    with pytest.raises(PayloadError) as caught:
        parse(payload)
    assert caught.value.field == field
    assert rule in caught.value.rule
