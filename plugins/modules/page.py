#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: page
short_description: Page people through SMSC until someone acknowledges
version_added: 0.1.0
description:
  - Pages a chain of people through the SMS Center service (SMSC, smsc.ru) - an SMS to the
    first; a call when it is not delivered within O(deliver_within) or not acknowledged within
    O(ack_within); then the next person - and returns who acknowledged, when, how and at what
    cost, or fails when nobody did.
  - Runs the page in the foreground, to its end, on the host the task runs on (the controller
    with C(delegate_to) is usual), with nothing beyond ansible-core. The escalation's rules are
    the pysmsc library's paging policy - the same as the C(smsc relay) and Home Assistant use.
  - B(Acknowledging is by reply.) A module cannot be called by the service, so a key pressed
    in the call reaches nobody; the call says to reply with the page's code instead. Replies
    (C(4F2K), C(ack), C(ok)) are read from the service every O(poll_interval) seconds; an
    older reply acknowledges nothing.
  - The role C(smsc.messaging.alert) pages with this module (its C(alert_kind=page)).
  - B(Or hand the page to a relay) with O(relay_url) - a running C(smsc relay) takes it
    (C(POST /alerts)) and the task ends at once. The relay hears key presses, survives
    restarts, sends "resolved" messages (O(status=resolved)) and can escalate for longer than
    a play should wait.
  - Sending is never repeated once a request may have reached the service; every message's
    outcome is in RV(messages).
author:
  - smsc-integrations contributors (@smsc-integrations)
extends_documentation_fragment:
  - smsc.messaging.auth
  - smsc.messaging.attributes
attributes:
  check_mode:
    support: full
    details:
      - Nothing is sent and nothing is handed to a relay; RV(plan) says what would be done.
  diff_mode:
    support: none
options:
  to:
    description:
      - The chain, in order - phone numbers in international format (V(+79991234567)); the
        same number twice is paged once. An item may be a comma-separated list.
      - With O(relay_url), the relay's contact names may be given too; without O(to) the
        relay's routes choose the chain.
      - Give O(to) or O(contacts).
    type: list
    elements: str
  contacts:
    description:
      - The chain, in order, with names (results say who acknowledged by name) and quiet hours.
      - Not with O(relay_url) (the relay has its own contacts).
    type: list
    elements: dict
    suboptions:
      name:
        description: How results name the person (1 to 64 characters, unique in the chain).
        type: str
        required: true
      phone:
        description: The person's phone number.
        type: str
        required: true
      quiet_hours:
        description:
          - Hours the person is skipped for the next one, such as V(23:00-07:00) - unless
            everyone left in the chain is in quiet hours.
        type: str
      timezone:
        description: The time zone of O(contacts[].quiet_hours), such as V(Europe/Moscow).
        type: str
        default: UTC
  text:
    description:
      - The alert. It may hold log lines; whatever the service would read as an instruction
        (C({menu:}), C(<file>), C(__CALL__:)) is made harmless, and the SMS is kept within
        O(max_parts) parts (shortened, transliterated, then cut).
      - Required unless O(status=resolved).
    type: str
  key:
    description:
      - The alert's identity. A relay keeps one page per open key, so the same key handed over
        again pages nobody twice; required with O(status=resolved).
      - By default made from O(to) (or O(contacts)) and O(text).
    type: str
  status:
    description:
      - V(resolved) tells the relay the alert is over - it stops the page and sends one
        "resolved" message to everyone reached. Only with O(relay_url).
    type: str
    choices: [firing, resolved]
    default: firing
  deliver_within:
    description:
      - A message not delivered in this time is followed by the call (or the next person, with
        O(call=false)) - seconds or text such as V(90s), V(2m), V(1h30m).
      - V(none) - delivery is not watched.
      - V(2m) when not set (with O(relay_url), the relay's route decides).
    type: str
  ack_within:
    description:
      - No acknowledgement in this time - the call (or the next person).
      - V(none) - no acknowledgement is asked for; the page ends as soon as a message is
        delivered.
      - V(5m) when not set (with O(relay_url), the relay's route decides).
    type: str
  call:
    description:
      - Call with a voice message when the SMS is not delivered or not acknowledged in time;
        V(false) - go straight to the next person.
      - V(true) when not set (with O(relay_url), the relay's route decides).
    type: bool
  answer_within:
    description:
      - After the call, the time to reply before the next person is paged (at least V(10s)).
      - V(3m) when not set. Not with O(relay_url).
    type: str
  rounds:
    description: How many times to go through the chain (V(1) when not set). Not with O(relay_url).
    type: int
  channel:
    description:
      - The first message to each person - an V(sms), or a V(viber) message followed by an SMS
        when it is refused or not delivered within a minute.
      - V(sms) when not set. Not with O(relay_url).
    type: str
    choices: [sms, viber]
  sender:
    description:
      - The sender name of the messages; the account's default when not set.
      - Not with O(relay_url).
    type: str
  call_sender:
    description:
      - The phone number calls come from; the account's default when not set.
      - Not with O(relay_url).
    type: str
  voice:
    description:
      - The voice of the call (V(m), V(m2), V(m3), V(m4), V(w), V(w2), V(w3), V(w4)).
      - Not with O(relay_url).
    type: str
  max_parts:
    description:
      - The most SMS parts one message of the page may take, from 1 to 10 (V(2) when not set).
      - Not with O(relay_url).
    type: int
  max_cost:
    description:
      - What the page may spend, in the account's currency; once reached, it sends nothing
        more and fails. Not with O(relay_url).
    type: float
  report_to:
    description:
      - Numbers that get "NOBODY ACKNOWLEDGED" when the chain ends without an acknowledgement.
      - Not with O(relay_url).
    type: list
    elements: str
  poll_interval:
    description:
      - Seconds between looks for replies (and for delivery news), at least V(5) (the service
        answers one reply request in 5 seconds). V(10) when not set. Not with O(relay_url).
    type: float
  labels:
    description:
      - "Labels the relay's routes match (for example V({severity: critical}))."
      - Only with O(relay_url).
    type: dict
  relay_url:
    description:
      - The address of a running C(smsc relay) (V(https://relay.example.com)); the page is handed
        to it instead of being run here.
      - If not set, the value of the E(SMSC_RELAY_URL) environment variable is used.
    type: str
  relay_token:
    description:
      - The relay's bearer token (its C(token) setting).
      - If not set, the value of the E(SMSC_RELAY_TOKEN) environment variable is used.
    type: str
notes:
  - The task runs as long as the page does - at most the escalation's own time (with the
    defaults 8 minutes per person) plus the requests' time. Hand longer escalations, and pages
    that must hear key presses or outlive the play, to a relay.
  - The service refuses the same text to the same number twice within a minute; a new page has
    a new code, so its texts differ.
seealso:
  - module: smsc.messaging.send
"""

EXAMPLES = r"""
- name: Page the on-call chain until someone acknowledges
  smsc.messaging.page:
    to: ["+79991234567", "+79997654321"]
    text: "Disk full on db1: /var/lib/postgresql at 98%"
    deliver_within: 2m
    ack_within: 5m
  delegate_to: localhost
  register: paged       # paged.acknowledged_by, paged.acknowledged_at, paged.cost, paged.messages

- name: By name, with quiet hours, twice through the chain, and never more than 20 rubles
  smsc.messaging.page:
    contacts:
      - {name: alice, phone: "+79991234567", quiet_hours: "23:00-07:00", timezone: Europe/Moscow}
      - {name: bob, phone: "+79997654321"}
    text: "Backup of {{ inventory_hostname }} failed"
    rounds: 2
    max_cost: 20
  delegate_to: localhost
  ignore_errors: true   # nobody acknowledged: reported, the play goes on

- name: Hand the page to the relay (key presses, restarts, no waiting here)
  smsc.messaging.page:
    to: ["+79991234567"]
    text: "Deployment of shop failed"
    key: deploy-shop
    labels: {severity: critical}
    relay_url: "{{ relay_url }}"
    relay_token: "{{ relay_token }}"
  delegate_to: localhost

- name: What would the page do?
  smsc.messaging.page:
    to: ["+79991234567", "+79997654321"]
    text: Disk full on db1
  check_mode: true
  register: planned     # planned.plan
"""

RETURN = r"""
outcome:
  description:
    - The page as one send - V(sent) (a message or call went out), V(may_have_been_sent) (none
      surely did, but one may have - its answer was lost) or V(not_sent) (nothing went out -
      check mode, bad input, or every request was refused). With O(relay_url), the outcome
      of handing the page over.
    - A failure with V(sent) or V(may_have_been_sent) reports C(changed=true).
  returned: always
  type: str
  choices: [sent, not_sent, may_have_been_sent]
  sample: sent
key:
  description: The page's key.
  returned: always
  type: str
  sample: ansible-3f2a9c0d51e4b6a7c8d9
code:
  description: The page's short code; a reply naming it acknowledges the page.
  returned: when the page ran here
  type: str
  sample: 4F2K
phase:
  description:
    - How the page ended - V(acknowledged), V(delivered) (O(ack_within=none) and a message
      was delivered), V(exhausted) (nobody acknowledged), V(stopped) (O(max_cost) reached), or
      V(escalating) (the module's own time bound passed, which only a fault makes happen).
    - The module fails unless it is V(acknowledged) or V(delivered).
  returned: when the page ran here
  type: str
  sample: acknowledged
reason:
  description: The phase in words.
  returned: when the page ran here
  type: str
  sample: acknowledged by alice (reply)
acknowledged:
  description: Whether someone acknowledged.
  returned: when the page ran here
  type: bool
  sample: true
acknowledged_by:
  description: Who acknowledged - the contact's name (the number for O(to)).
  returned: when the page ran here
  type: str
  sample: alice
acknowledged_via:
  description: How - V(reply) (an SMS back).
  returned: when the page ran here
  type: str
  sample: reply
acknowledged_at:
  description: When, in ISO 8601 (UTC).
  returned: when the page ran here
  type: str
  sample: "2026-11-30T14:05:09.120000+00:00"
created_at:
  description: When the page started, in ISO 8601 (UTC).
  returned: when the page ran here
  type: str
  sample: "2026-11-30T14:03:02.514000+00:00"
ended_at:
  description: When it stopped escalating, in ISO 8601 (UTC).
  returned: when the page ran here
  type: str
  sample: "2026-11-30T14:05:09.120000+00:00"
reached:
  description:
    - The people a message or call of the page may have reached (none is known to have failed).
  returned: when the page ran here
  type: list
  elements: str
  sample: [alice]
passed_over:
  description: The people passed over for their quiet hours.
  returned: when the page ran here
  type: list
  elements: str
  sample: []
calls:
  description: How many calls went out (or may have).
  returned: when the page ran here
  type: int
  sample: 0
cost:
  description: What the page cost, as the service reported, in the account's currency.
  returned: when the page ran here
  type: float
  sample: 1.4
messages:
  description: Every message and call of the page, in order, with what became of it.
  returned: when the page ran here
  type: list
  elements: dict
  contains:
    id:
      description: The message id the page gave it (status.php knows it by this id).
      type: str
      sample: pg-5f0c2a9e81d4-1
    contact:
      description: Whom it was for (V(null) for O(report_to) numbers).
      type: str
      sample: alice
    phone:
      description: The number.
      type: str
      sample: "79991234567"
    kind:
      description: V(sms), V(viber) or V(call).
      type: str
      sample: sms
    purpose:
      description:
        - V(alert) (the first message), V(fallback) (the SMS after a Viber message), V(call),
          V(acknowledged) (the others told who acknowledged), V(nobody) (to O(report_to)).
      type: str
      sample: alert
    outcome:
      description:
        - V(sent), V(not_sent) or V(may_have_been_sent) - a send that may have gone out is
          never repeated.
      type: str
      sample: sent
    status:
      description: Its delivery status code when the page learnt one (status.php).
      type: int
      sample: 1
    status_meaning:
      description: What RV(messages[].status) means.
      type: str
      sample: delivered
    error:
      description: The status's error code, if any.
      type: int
      sample: null
    error_meaning:
      description: What RV(messages[].error) means.
      type: str
      sample: null
    cost:
      description: What it cost.
      type: float
      sample: 1.4
    at:
      description: When it was sent, in ISO 8601 (UTC).
      type: str
      sample: "2026-11-30T14:03:02.514000+00:00"
    detail:
      description: Why it was not sent, or why it may have been.
      type: str
      sample: null
plan:
  description: In check mode, what the page would do, step by step.
  returned: check mode
  type: list
  elements: str
  sample:
    - "SMS to +79991234567: ALERT 4F2K: Disk full on db1 / Reply 4F2K to acknowledge"
    - "not delivered within 2 min or not acknowledged within 5 min: a call to +79991234567"
relay:
  description:
    - The relay's answer - C(action) (V(opened), V(deduplicated), V(resolved), V(folded),
      V(stale), V(ignored)), C(key) and C(page) (its report).
  returned: when O(relay_url) is set and the relay answered
  type: dict
  sample:
    action: opened
    key: "alerts:deploy-shop"
    page: {"code": "4F2K", "phase": "escalating"}
relay_status:
  description: The relay's HTTP status when it refused the page.
  returned: when the relay refused the page
  type: int
  sample: 401
"""

import re
import time
from typing import Any

from ansible.module_utils.basic import env_fallback

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc import phones
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.errors import ValidationError
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.paging import (
    Contact,
    Escalation,
    EscalationPolicy,
    Page,
    Phase,
    QuietHours,
    Send,
    new_code,
    new_token,
    parse_duration,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import (
    MAY_HAVE_BEEN_SENT,
    NOT_SENT,
    SmscModule,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_paging import (
    FOREGROUND_TEXTS,
    MIN_POLL_INTERVAL,
    ForegroundPage,
    default_key,
    duration,
    longest,
    page_result,
    plan,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_relay import (
    CHANGING_ACTIONS,
    Relay,
    RelayError,
    hand_over,
)

ARGUMENT_SPEC = {
    "to": {"type": "list", "elements": "str"},
    "contacts": {
        "type": "list",
        "elements": "dict",
        "options": {
            "name": {"type": "str", "required": True},
            "phone": {"type": "str", "required": True},
            "quiet_hours": {"type": "str"},
            "timezone": {"type": "str", "default": "UTC"},
        },
    },
    "text": {"type": "str"},
    "key": {"type": "str", "no_log": False},
    "status": {"type": "str", "choices": ["firing", "resolved"], "default": "firing"},
    "deliver_within": {"type": "str"},
    "ack_within": {"type": "str"},
    "call": {"type": "bool"},
    "answer_within": {"type": "str"},
    "rounds": {"type": "int"},
    "channel": {"type": "str", "choices": ["sms", "viber"]},
    "sender": {"type": "str"},
    "call_sender": {"type": "str"},
    "voice": {"type": "str"},
    "max_parts": {"type": "int"},
    "max_cost": {"type": "float"},
    "report_to": {"type": "list", "elements": "str"},
    "poll_interval": {"type": "float"},
    "labels": {"type": "dict"},
    "relay_url": {"type": "str", "fallback": (env_fallback, ["SMSC_RELAY_URL"])},
    "relay_token": {
        "type": "str",
        "no_log": True,
        "fallback": (env_fallback, ["SMSC_RELAY_TOKEN"]),
    },
}
# What only a page run here uses: the relay's routes decide these.
LOCAL_ONLY = (
    "contacts",
    "answer_within",
    "rounds",
    "channel",
    "sender",
    "call_sender",
    "voice",
    "max_parts",
    "max_cost",
    "report_to",
    "poll_interval",
)
DEFAULTS = {"deliver_within": "2m", "ack_within": "5m", "answer_within": "3m"}
# The library's field names -> this module's options (the texts are too long only when
# max_parts is too small for the page's own words).
FIELDS = {"texts": "max_parts"}


def seconds(params: dict[str, Any], name: str) -> float:
    """A duration option: text such as 90s, 2m or 1h30m (its default when not set)."""
    value = params[name] if params[name] is not None else DEFAULTS[name]
    return parse_duration(value, name)


def bound(params: dict[str, Any], name: str) -> float | None:
    """A duration option that may be none."""
    value = params[name]
    if value is not None and value.strip().lower() == "none":
        return None
    return seconds(params, name)


def person(number: str, field: str) -> Contact:
    """A contact known by its number (``to``): one phone number, not a group."""
    parsed = phones.parse(number, field=field)
    if phones.is_group(parsed[0]):
        raise ValidationError(field, f"{number!r} is a contact group: page phone numbers")
    return Contact(parsed[0], parsed[0])


def chain(params: dict[str, Any]) -> list[Contact]:
    """The contacts of the page, in order, each number once; errors name the option."""
    if params["contacts"]:
        contacts = []
        for index, item in enumerate(params["contacts"]):
            where = f"contacts[{index}]"
            quiet = None
            try:
                if item["quiet_hours"]:
                    quiet = QuietHours.parse(item["quiet_hours"], item["timezone"])
                contacts.append(Contact(item["name"], item["phone"], quiet))
            except ValidationError as exc:
                part = exc.field.rsplit(".", 1)[-1]
                part = {"start": "quiet_hours", "end": "quiet_hours"}.get(part, part)
                raise ValidationError(f"{where}.{part}", exc.rule) from None
        return contacts
    seen: dict[str, Contact] = {}
    for index, item in enumerate(params["to"]):
        for number in (part.strip() for part in re.split(r"[,;]", item)):
            if number:
                contact = person(number, f"to[{index}]")
                seen.setdefault(contact.phone.lstrip("+"), contact)
    if not seen:
        raise ValidationError("to", "name at least one phone number")
    return list(seen.values())


def build_page(params: dict[str, Any]) -> Page:
    """The page the options describe (every rule checked before anything is sent)."""
    if not params["text"] or not params["text"].strip():
        raise ValidationError("text", "the alert is required")
    deliver, ack = bound(params, "deliver_within"), bound(params, "ack_within")
    if deliver is None and ack is None:
        raise ValidationError(
            "ack_within", "and deliver_within cannot both be none: the page would never end"
        )
    interval = params["poll_interval"]
    if interval is not None and not interval >= MIN_POLL_INTERVAL:
        raise ValidationError("poll_interval", "must be at least 5 seconds (get.php's limit)")
    if params["labels"]:
        raise ValidationError("labels", "only with relay_url (the relay's routes read them)")
    try:
        escalation = escalation_of(params, deliver, ack)
    except ValidationError as exc:  # escalation.rounds is the option rounds
        raise ValidationError(exc.field.replace("escalation.", "", 1), exc.rule) from None
    contacts = chain(params)
    key = params["key"] or default_key([c.phone for c in contacts], params["text"])
    return Page(key=key, text=params["text"], contacts=contacts, escalation=escalation)


def escalation_of(params: dict[str, Any], deliver: float | None, ack: float | None) -> Escalation:
    return Escalation(
        channel=params["channel"] or "sms",
        deliver_within=deliver,
        ack_within=ack,
        call=params["call"] if params["call"] is not None else True,
        answer_within=seconds(params, "answer_within"),
        rounds=params["rounds"] if params["rounds"] is not None else 1,
        max_parts=params["max_parts"] if params["max_parts"] is not None else 2,
        max_cost=None if params["max_cost"] is None else str(params["max_cost"]),
        sender=params["sender"],
        call_sender=params["call_sender"],
        voice=params["voice"],
        report_to=tuple(params["report_to"] or ()),
        texts=FOREGROUND_TEXTS,
    )


def relay_alert(params: dict[str, Any]) -> dict[str, Any]:
    """The relay's ``POST /alerts`` body for the options."""
    for name in LOCAL_ONLY:
        if params[name] not in (None, []):
            raise ValidationError(
                name, "the relay's routes decide it: not with relay_url (or SMSC_RELAY_URL)"
            )
    resolved = params["status"] == "resolved"
    if resolved and not params["key"]:
        raise ValidationError("key", "is required with status=resolved (the alert to resolve)")
    if not resolved and (not params["text"] or not params["text"].strip()):
        raise ValidationError("text", "the alert is required")
    to = [part.strip() for item in params["to"] or [] for part in re.split(r"[,;]", item)]
    to = list(dict.fromkeys(part for part in to if part))
    alert: dict[str, Any] = {
        "key": params["key"] or default_key(to, params["text"]),
        "status": params["status"],
    }
    if resolved:
        return alert
    alert["summary"] = params["text"]
    if to:
        alert["to"] = to
    if params["labels"]:
        alert["labels"] = {str(k): str(v) for k, v in params["labels"].items()}
    escalation: dict[str, Any] = {}
    for name in ("deliver_within", "ack_within"):
        if params[name] is not None:
            escalation[name] = bound(params, name)
    if params["call"] is not None:
        escalation["call"] = params["call"]
    if escalation:
        alert["escalation"] = escalation
    return alert


def run_with_relay(smsc: SmscModule) -> None:
    params = smsc.params
    relay = smsc.check(
        Relay,
        params["relay_url"],
        params["relay_token"] or "",
        validate_certs=params["validate_certs"],
        timeout=params["timeout"],
    )
    smsc.module.no_log_values.update(relay.secrets)
    alert = smsc.check(relay_alert, params)
    if smsc.check_mode:
        steps = [f"hand the alert {alert['key']!r} ({alert['status']}) to the relay at {relay.url}"]
        smsc.exit(changed=True, outcome=NOT_SENT, key=alert["key"], plan=steps)
    try:
        answer = hand_over(relay, alert)
    except RelayError as exc:
        failed: dict[str, Any] = {"msg": str(exc), "outcome": exc.outcome, "key": alert["key"]}
        if exc.status is not None:
            failed["relay_status"] = exc.status
        failed["changed"] = exc.outcome == MAY_HAVE_BEEN_SENT
        smsc.module.fail_json(**failed)
        return
    smsc.exit(
        changed=answer["action"] in CHANGING_ACTIONS,
        outcome="sent",
        key=alert["key"],
        relay=answer,
    )


def failure_message(result: dict[str, Any], seconds: float) -> str:
    """Why a page that ran here failed, in one line."""
    code, took = result["code"], duration(seconds)
    if result["outcome"] == NOT_SENT:
        details = [m["detail"] for m in result["messages"] if m["detail"]]
        first = f": {details[0]}" if details else ""
        return f"page {code}: no message could be sent{first}"
    if result["phase"] == Phase.ESCALATING:
        return f"page {code} was still escalating after {took}: stopped, nobody acknowledged"
    reached = ", ".join(result["reached"]) or "nobody"
    return f"page {code}: {result['reason']} in {took} (reached: {reached})"


def main():
    smsc = SmscModule(
        ARGUMENT_SPEC,
        fields=FIELDS,
        mutually_exclusive=[("to", "contacts")],
        sends=True,
        needs_connection=lambda params: not params["relay_url"],
    )
    params = smsc.params
    if params["relay_url"]:
        run_with_relay(smsc)
        return
    if params["status"] == "resolved":
        smsc.fail_validation(
            ValidationError("status", "resolved needs relay_url (a page run here has ended)")
        )
    if not params["to"] and not params["contacts"]:
        smsc.fail_validation(ValidationError("to", "name the people to page (or contacts)"))
    page = smsc.check(build_page, params)
    # A rehearsal of the first decision: the texts are composed (and so checked) here, and
    # check mode shows the first message as it would go out.
    rehearsal = EscalationPolicy().open
    opened = smsc.check(rehearsal, page, now=time.time(), code=new_code(), token=new_token())
    if smsc.check_mode:
        first = next(a for a in opened.actions if isinstance(a, Send))
        smsc.exit(
            changed=True,
            outcome=NOT_SENT,
            key=page.key,
            plan=plan(page, first.record.text.replace("\n", " / ")),
            messages=[],
        )
    started = time.time()
    runner = ForegroundPage(
        smsc.connection,
        page,
        poll_interval=params["poll_interval"] or 10.0,
    )
    # The escalation ends by itself; this bound only guards against a fault.
    state = runner.run(until=started + 2 * longest(page) + 120)
    result = page_result(state)
    result["changed"] = result["outcome"] != NOT_SENT
    if runner.poll_errors:
        smsc.warn(f"{len(runner.poll_errors)} look(s) for replies failed: {runner.poll_errors[-1]}")
    if state.phase in (Phase.ACKNOWLEDGED, Phase.DELIVERED):
        smsc.exit(**result)
    smsc.module.fail_json(msg=smsc.scrub(failure_message(result, time.time() - started)), **result)


if __name__ == "__main__":
    main()
