# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""``GET /metrics``: the relay's figures in the Prometheus text format (version 0.0.4).

Names follow Prometheus' conventions: a ``smsc_relay_`` prefix, ``_total`` for counters,
seconds for times, labels of few values. Counters start from zero when the relay starts (as
every Prometheus counter does after a restart); the gauges are read from the pages it holds.
docs/relay.md says what each one means.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Union

from ..paging import PageReport, Phase, RunnerStats

__all__ = ["CONTENT_TYPE", "Histogram", "HttpCounts", "render"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
Number = Union[int, float, Decimal]
OPEN_PHASES = (
    Phase.ESCALATING,
    Phase.ACKNOWLEDGED,
    Phase.DELIVERED,
    Phase.EXHAUSTED,
    Phase.STOPPED,
)


class Histogram:
    """A Prometheus histogram of seconds (cumulative buckets, sum, count)."""

    BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

    def __init__(self) -> None:
        self.counts = [0] * (len(self.BUCKETS) + 1)
        self.sum = 0.0
        self.count = 0

    def observe(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(self.BUCKETS, seconds)] += 1
        self.sum += seconds
        self.count += 1


class HttpCounts:
    """Requests by endpoint and status code, and the webhooks' time to store."""

    def __init__(self) -> None:
        self.requests: dict[tuple[str, int], int] = defaultdict(int)
        self.callbacks: dict[str, int] = defaultdict(int)
        self.webhook_seconds = Histogram()


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: Number) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


class _Out:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def metric(
        self,
        name: str,
        kind: str,
        help_text: str,
        samples: Iterable[tuple[Mapping[str, str], Number]],
    ) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            self.sample(name, labels, value)

    def sample(self, name: str, labels: Mapping[str, str], value: Number) -> None:
        if labels:
            inner = ",".join(f'{key}="{_escape(item)}"' for key, item in labels.items())
            self.lines.append(f"{name}{{{inner}}} {_number(value)}")
        else:
            self.lines.append(f"{name} {_number(value)}")

    def one(self, name: str, kind: str, help_text: str, value: Number) -> None:
        self.metric(name, kind, help_text, [({}, value)])


def render(
    stats: RunnerStats,
    *,
    reports: Iterable[PageReport],
    notifications: Mapping[tuple[str, str], int],
    folded: int,
    http: HttpCounts,
    started_at: float,
) -> str:
    """The exposition text."""
    out = _Out()
    phases = dict.fromkeys(OPEN_PHASES, 0)
    for report in reports:
        if report.phase in phases:
            phases[report.phase] += 1
    out.metric(
        "smsc_relay_pages",
        "gauge",
        "Pages held, by phase: escalating (paging now), acknowledged, delivered, exhausted "
        "(nobody acknowledged), stopped (cost cap); all wait for their alert to resolve.",
        [({"phase": phase}, count) for phase, count in phases.items()],
    )
    out.one(
        "smsc_relay_alerts_held_back",
        "gauge",
        "Alert groups held back by the per-contact rate limit, in overflow pages.",
        folded,
    )
    counters = (
        ("pages_opened", "Pages opened.", stats.pages_opened),
        ("messages_sent", "SMS and Viber messages the service accepted.", stats.messages_sent),
        ("calls_sent", "Calls with the voice menu the service accepted.", stats.calls_sent),
        ("deliveries", "Messages and calls delivered (a call: answered).", stats.deliveries),
        ("acknowledgements", "Pages acknowledged (key, reply or API).", stats.acknowledgements),
        ("escalations", "Steps to a call or to the next contact.", stats.escalations),
        ("pages_exhausted", "Pages whose chain ended unacknowledged.", stats.exhausted),
        ("pages_resolved", "Pages whose alert resolved.", stats.resolved),
        ("errors", "Failures inside the page runner (see the log).", stats.errors),
        ("events", "Events the escalation policy decided on.", stats.events),
    )
    for name, help_text, value in counters:
        out.one(f"smsc_relay_{name}_total", "counter", help_text, value)
    out.metric(
        "smsc_relay_send_failures_total",
        "counter",
        "Sends that failed: not_sent (surely not sent) or uncertain (may have been sent; "
        "never repeated).",
        [
            ({"outcome": "not_sent"}, stats.send_failures),
            ({"outcome": "uncertain"}, stats.send_uncertain),
        ],
    )
    out.one(
        "smsc_relay_cost_total",
        "counter",
        "What the service charged for the pages, in the account's currency.",
        stats.cost,
    )
    out.one(
        "smsc_relay_decision_seconds_total",
        "counter",
        "Time the escalation policy took deciding.",
        round(stats.decision_seconds, 6),
    )
    out.metric(
        "smsc_relay_notifications_total",
        "counter",
        "Webhook notifications by source and what they did: opened, deduplicated (an open page "
        "got it), resolved, folded (rate limit), stale (already resolved), ignored.",
        [({"source": s, "action": a}, n) for (s, a), n in sorted(notifications.items())],
    )
    out.metric(
        "smsc_relay_http_requests_total",
        "counter",
        "HTTP requests by endpoint and status code.",
        [({"endpoint": e, "code": str(c)}, n) for (e, c), n in sorted(http.requests.items())],
    )
    out.metric(
        "smsc_relay_callbacks_total",
        "counter",
        "The service's calls to /smsc/<token> by kind: status, reply, key_press, other.",
        [({"kind": kind}, n) for kind, n in sorted(http.callbacks.items())],
    )
    histogram = http.webhook_seconds
    out.lines.append(
        "# HELP smsc_relay_webhook_seconds Time from a webhook's arrival to its alert being "
        "stored (and answered)."
    )
    out.lines.append("# TYPE smsc_relay_webhook_seconds histogram")
    cumulative = 0
    for bound, count in zip((*Histogram.BUCKETS, float("inf")), histogram.counts):
        cumulative += count
        le = "+Inf" if bound == float("inf") else repr(bound)
        out.sample("smsc_relay_webhook_seconds_bucket", {"le": le}, cumulative)
    out.sample("smsc_relay_webhook_seconds_sum", {}, round(histogram.sum, 6))
    out.sample("smsc_relay_webhook_seconds_count", {}, histogram.count)
    out.one(
        "smsc_relay_start_time_seconds",
        "gauge",
        "When the relay started (Unix time).",
        round(started_at, 3),
    )
    return "\n".join(out.lines) + "\n"
