# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Paging: an alert reaches a person, or you know it did not.

A :class:`Page` (a key, a text, a chain of :class:`Contact`, an :class:`Escalation`) is run by
a :class:`PageRunner` on an :class:`~pysmsc.AsyncClient`: an SMS (or Viber) to the first
contact; a call with a voice menu when it is not delivered or not acknowledged in time; the
next contact; finally a report that nobody acknowledged. The decisions are taken by
:class:`EscalationPolicy`, a pure function of the page's state, the event and the time (no
I/O, no clock), so they are tested over every ordering of events. States are plain values a
:class:`SqlitePageStore` keeps across restarts. docs/paging.md tells the whole story.

The runner needs asyncio only; the policy, the model and the texts need nothing at all.
"""

from __future__ import annotations

from .clock import Clock, ManualClock, SystemClock
from .events import (
    Acknowledge,
    Action,
    Event,
    KeyPressed,
    Notify,
    PageReport,
    QueryStatus,
    Resolve,
    Restarted,
    Send,
    SendOutcome,
    StatusKnown,
    StatusUnavailable,
    Tick,
    UpdateText,
    report,
)
from .model import (
    REPLY_ONLY_TEXTS,
    Contact,
    Escalation,
    Outcome,
    Outgoing,
    Page,
    PageState,
    PageTexts,
    Phase,
    Purpose,
    QuietHours,
    Turn,
    parse_duration,
    state_from_dict,
    state_to_dict,
)
from .policy import ACK_WORDS, Decision, EscalationPolicy, new_code, new_token, route_reply
from .runner import PageRunner, RunnerStats
from .store import MemoryPageStore, PageStore, SqlitePageStore, StoreCursor
from .texts import call_menu, compose, neutralize, transliterate

__all__ = [
    "ACK_WORDS",
    "REPLY_ONLY_TEXTS",
    "Acknowledge",
    "Action",
    "Clock",
    "Contact",
    "Decision",
    "Escalation",
    "EscalationPolicy",
    "Event",
    "KeyPressed",
    "ManualClock",
    "MemoryPageStore",
    "Notify",
    "Outcome",
    "Outgoing",
    "Page",
    "PageReport",
    "PageRunner",
    "PageState",
    "PageStore",
    "PageTexts",
    "Phase",
    "Purpose",
    "QueryStatus",
    "QuietHours",
    "Resolve",
    "Restarted",
    "RunnerStats",
    "Send",
    "SendOutcome",
    "SqlitePageStore",
    "StatusKnown",
    "StatusUnavailable",
    "StoreCursor",
    "SystemClock",
    "Tick",
    "Turn",
    "UpdateText",
    "call_menu",
    "compose",
    "neutralize",
    "new_code",
    "new_token",
    "parse_duration",
    "report",
    "route_reply",
    "state_from_dict",
    "state_to_dict",
    "transliterate",
]
