#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: send
short_description: Send an SMS, a voice call, a Viber, WhatsApp or e-mail message through SMSC
version_added: 0.1.0
description:
  - Sends a message of any kind the SMS Center service (SMSC, smsc.ru) offers, to phone numbers,
    contact groups (V(G<number>)) or, for e-mail, addresses.
  - Or sends personalised messages, one text per recipient list, in as few requests as possible
    (O(messages)).
  - In check mode nothing is sent; the service is asked what the message would cost instead, and
    the cost and the number of parts are returned.
  - The input is checked before anything is sent; a bad option fails with the option's name and
    the rule it breaks.
  - C(changed) is V(true) whenever a message was sent (in check mode, whenever one would be).
    The module does not remember what it sent, so every run sends again; send on events (in a
    handler, or with C(when)). The service refuses an identical request within a minute
    (error 9).
author:
  - smsc-integrations contributors (@smsc-integrations)
extends_documentation_fragment:
  - smsc.messaging.auth
  - smsc.messaging.attributes
attributes:
  check_mode:
    support: full
    details:
      - Asks the service for the cost instead of sending.
  diff_mode:
    support: none
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options
      can be executed on the controller.
    support: full
    details:
      - Reads O(attachments[].path) on the controller.
options:
  to:
    description:
      - Recipients - phone numbers in international format (V(+79991234567), V(79991234567)),
        contact groups of the account (V(G12)), or e-mail addresses for O(kind=email).
      - An item may also be a comma-separated list.
      - Required unless O(messages) is given.
    type: list
    elements: str
  text:
    description:
      - The text of the message (at most 1000 characters; long texts are split into several
        SMS parts).
      - For O(kind=binary), hex digits, UDH first. For O(kind=push), a link, a newline and a title.
      - Not used by O(kind=hlr) and O(kind=ping).
    type: str
  kind:
    description:
      - What to send.
      - V(sms) a text message; V(flash) an SMS shown on the screen at once; V(call) a voice call
        that reads the text out (or plays attached files); V(viber), V(whatsapp) and V(social)
        (Odnoklassniki, VKontakte, Mail.Ru Agent) messenger messages; V(email) an e-mail (needs
        O(subject) and a sender address); V(mms) a multimedia message; V(hlr) a query of the
        operator's database about the numbers; V(ping) an invisible SMS that checks the numbers
        are reachable; V(push) a WAP-push link; V(binary) a binary SMS.
    type: str
    choices: [sms, flash, call, viber, whatsapp, email, mms, hlr, ping, push, binary, social]
    default: sms
  sender:
    description:
      - The sender name shown to recipients; one of the account's sender names (at most 11
        Latin characters, or a number of at most 15 digits). The account's default when not set.
      - A phone number for O(kind=call), an e-mail address for O(kind=email).
    type: str
  subject:
    description:
      - The subject of an e-mail (required) or of an MMS.
    type: str
  message_id:
    description:
      - An id of your choice for the message (1 to 2147483647, or up to 40 Latin letters, digits,
        V(.), V(-) and V(_)); the service assigns one when not set.
    type: str
  comment:
    description:
      - A note kept in the account's history with the message; never sent to the recipient.
    type: str
  send_at:
    description:
      - When to send, instead of now.
      - An ISO 8601 date and time (V(2026-05-01T09:30:00+03:00); without an offset it is read
        in O(timezone) or the account's time zone), or one of the service's formats -
        V(DDMMYYhhmm), V(DD.MM.YY hh:mm), V(h1-h2) (deliver only between these hours),
        V(0<unix timestamp>) or V(+<minutes>).
    type: str
  timezone:
    description:
      - Hours relative to Moscow time (from -15 to 11) in which O(send_at) is given; the
        account's setting when not set.
    type: int
  period:
    description:
      - Spread the sending over this many hours (0.1 to 720), so that recipients do not all get
        the message at once. Used with O(interval).
    type: float
  interval:
    description:
      - With O(period), send to the next group of recipients every this many minutes (1 to 1440).
    type: int
  validity:
    description:
      - How long the operator keeps trying to deliver the message - whole hours from 1 to 24,
        or V(hh:mm) from V(00:01) to V(24:00).
    type: raw
  max_parts:
    description:
      - The most SMS parts a long text may be split into; longer texts are cut. Limits the cost.
    type: int
  transliterate:
    description:
      - Transliterate Cyrillic text - V(latin) (V(translit)) or V(lookalike) (Latin letters that
        look like Cyrillic ones).
    type: str
    choices: [none, latin, lookalike]
    default: none
  shorten_links:
    description:
      - Replace links in the text with short ones that count clicks.
    type: bool
    default: false
  voice:
    description:
      - The voice that reads a call's text - V(m), V(m2), V(m3), V(m4) (male, the default) or
        V(w), V(w2), V(w3), V(w4) (female), optionally followed by a language such as V(w,en).
      - Only for O(kind=call).
    type: str
  dial:
    description:
      - How a call is dialled. Only for O(kind=call).
    type: dict
    suboptions:
      wait:
        description: Seconds to wait for an answer (10 to 35).
        type: int
        default: 25
      interval:
        description: Seconds between attempts (10 to 3600).
        type: int
        default: 10
      attempts:
        description: How many times to dial (1 to 9).
        type: int
        default: 8
  file_url:
    description:
      - The address of a file the service downloads and sends with the message (MMS, e-mail,
        call, Viber, WhatsApp).
    type: str
  attachments:
    description:
      - Files sent with an MMS, an e-mail or a call.
      - Each is read from O(attachments[].path) on the controller, or given as base64 in
        O(attachments[].content).
    type: list
    elements: dict
    suboptions:
      path:
        description:
          - A file on the controller, looked up like the C(src) of M(ansible.builtin.copy)
            (a role's C(files/) folder first).
        type: path
      name:
        description: The file name the recipient sees; the base name of O(attachments[].path)
          when not set.
        type: str
      content:
        description: The file's content, base64-encoded, instead of O(attachments[].path).
        type: str
      content_type:
        description: The media type; guessed from the name when not set.
        type: str
  protocol_id:
    description: The TP-PID byte of a binary SMS (0 to 255). Only for O(kind=binary).
    type: int
  data_coding:
    description: The TP-DCS byte of a binary SMS (0 to 255). Only for O(kind=binary).
    type: int
  user_ip:
    description:
      - The IP address of your own user the message is sent for, so that the account's
        per-IP daily limit applies to it.
    type: str
  captcha_code:
    description: The code your user typed from a captcha, with O(user_ip).
    type: str
  partner_id:
    description: The id of a partner of the service's referral programme this request counts for.
    type: str
  messages:
    description:
      - Personalised messages - each with its own recipients and text (and optionally sender
        and time zone), sent with the shared options O(kind) (V(sms), V(flash), V(call),
        V(viber), V(whatsapp) or V(social)), O(sender), O(send_at), O(timezone),
        O(validity), O(max_parts), O(transliterate), O(shorten_links) and O(message_id).
      - Sent in as few requests as possible; if one fails, the later ones are not sent and the
        result says which messages went out.
    type: list
    elements: dict
    suboptions:
      to:
        description: Recipients of this text, like O(to).
        type: list
        elements: str
        required: true
      text:
        description: The text for these recipients.
        type: str
        required: true
      sender:
        description: A sender name for this message instead of O(sender).
        type: str
      timezone:
        description: Hours relative to Moscow time for this message instead of O(timezone).
        type: int
notes:
  - The service numbers its errors per endpoint; a refusal fails the task with RV(error_code),
    RV(error_meaning) and RV(endpoint).
seealso:
  - module: smsc.messaging.message_info
  - module: smsc.messaging.event
"""

EXAMPLES = r"""
- name: Send an SMS to two numbers
  smsc.messaging.send:
    login: "{{ smsc_login }}"
    password: "{{ smsc_password }}"
    to:
      - "+79991234567"
      - "79997654321"
    text: "Backup of {{ inventory_hostname }} failed"
    sender: Ops

- name: Call the on-call engineer and read the alert out
  smsc.messaging.send:
    api_key: "{{ smsc_api_key }}"
    kind: call
    to: "{{ oncall_phone }}"
    text: Database primary is down
    voice: w
    dial:
      wait: 30
      attempts: 3

- name: Send a report by e-mail with an attachment from the role's files/
  smsc.messaging.send:
    kind: email
    to: ops@example.com
    sender: ansible@example.com
    subject: Nightly report
    text: The report is attached.
    attachments:
      - path: report.csv

- name: Send tomorrow at nine Moscow time, valid for 2 hours
  smsc.messaging.send:
    to: G12
    text: Maintenance window starts at 10:00
    send_at: "{{ '%Y-%m-%d' | strftime(now().timestamp() + 86400) }}T09:00:00+03:00"
    validity: 2

- name: Send in half an hour
  smsc.messaging.send:
    to: "+79991234567"
    text: Maintenance window starts in 30 minutes
    send_at: "+30"

- name: Personalised messages in one request
  smsc.messaging.send:
    sender: Shop
    messages:
      - to: "+79991234567"
        text: "Anna, your order 17 is ready"
      - to: "+79997654321"
        text: "Boris, your order 18 is ready"

- name: What would it cost? (check mode asks for the cost instead of sending)
  smsc.messaging.send:
    to: G12
    text: Sale starts today
  check_mode: true
  register: estimate
"""

RETURN = r"""
outcome:
  description:
    - Which of the three outcomes the message had - V(sent); V(not_sent) (surely not sent -
      check mode, bad input, refused by the service, or the service was never reached - so it
      is safe to send again or to fall back to another channel); or V(may_have_been_sent)
      (the request may have reached the service but its answer was lost, timed out or could
      not be read - the message may be on its way, and sending again could deliver it twice).
    - A failure with V(may_have_been_sent) reports C(changed=true).
    - For O(messages), the outcome of the request that failed (RV(batches) says what became
      of each).
  returned: always
  type: str
  choices: [sent, not_sent, may_have_been_sent]
  sample: sent
id:
  description:
    - The message id (the service's, or O(message_id)); for O(messages), the first request's.
    - V(null) in check mode.
  returned: success
  type: str
  sample: "41"
count:
  description:
    - The service's count - SMS parts times recipients, or for a call its estimated length in
      seconds.
  returned: success
  type: int
  sample: 2
parts:
  description: SMS parts times recipients; V(null) for a call.
  returned: success
  type: int
  sample: 2
seconds:
  description: The estimated length of a call in seconds; V(null) for other kinds.
  returned: success
  type: int
  sample: null
cost:
  description: What the message cost (in check mode, would cost), in the account's currency.
  returned: success
  type: float
  sample: 2.8
balance:
  description: The account's balance after sending; V(null) in check mode.
  returned: success
  type: float
  sample: 997.2
kind:
  description: The kind of message.
  returned: success
  type: str
  sample: sms
recipients:
  description: Per-recipient details.
  returned: success
  type: list
  elements: dict
  contains:
    phone:
      description: The recipient.
      type: str
      sample: "79991234567"
    mccmnc:
      description: The mobile network's MCC and MNC.
      type: str
      sample: "25001"
    cost:
      description: The cost for this recipient.
      type: float
      sample: 1.4
    status:
      description: The service's status code for this recipient, when it reports one.
      type: int
      sample: 1
    error:
      description: The service's error code for this recipient (0 for none).
      type: int
      sample: 0
    error_meaning:
      description: What RV(recipients[].error) means.
      type: str
      sample: no error
batches:
  description: For O(messages), one entry per request.
  returned: when O(messages) is given
  type: list
  elements: dict
  contains:
    messages:
      description: How many of O(messages) the request carried.
      type: int
    sent:
      description: Whether the service confirmed it accepted the request.
      type: bool
    outcome:
      description: V(sent), V(not_sent) or V(may_have_been_sent) (the answer to this request
        was lost - its messages may be on their way), as RV(outcome).
      type: str
    id:
      description: The id the service gave the request.
      type: str
    count:
      description: The service's count for the request.
      type: int
    cost:
      description: The cost of the request.
      type: float
    error:
      description: Why the request failed.
      type: str
  sample: [{"messages": 2, "sent": true, "outcome": "sent", "id": "42", "count": 2, "cost": 2.8}]
error_code:
  description: The service's error code, when it refused the request.
  returned: failure
  type: int
  sample: 9
error_meaning:
  description: What the error code means for the endpoint.
  returned: failure
  type: str
  sample: duplicate request within a minute, too many cost requests, or too many concurrent requests
endpoint:
  description: The service's endpoint that answered with the error.
  returned: failure
  type: str
  sample: send.php
"""

import base64
import binascii
import mimetypes

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.errors import (
    ValidationError,
)
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.models import (
    BulkMessage,
    DialParams,
)
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import (
    Attachment,
    BulkProgress,
    Message,
    bulk_send,
    cost_of_message,
    send_message,
)
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.schedule import (
    parse_send_at,
    parse_validity,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import (
    KINDS,
    NOT_SENT,
    SENT,
    SmscModule,
    kind_name,
    money,
    outcome,
    recipient_dict,
)

ARGUMENT_SPEC = {
    "to": {"type": "list", "elements": "str"},
    "text": {"type": "str"},
    "kind": {"type": "str", "choices": list(KINDS), "default": "sms"},
    "sender": {"type": "str"},
    "subject": {"type": "str"},
    "message_id": {"type": "str"},
    "comment": {"type": "str"},
    "send_at": {"type": "str"},
    "timezone": {"type": "int"},
    "period": {"type": "float"},
    "interval": {"type": "int"},
    "validity": {"type": "raw"},
    "max_parts": {"type": "int"},
    "transliterate": {"type": "str", "choices": ["none", "latin", "lookalike"], "default": "none"},
    "shorten_links": {"type": "bool", "default": False},
    "voice": {"type": "str"},
    "dial": {
        "type": "dict",
        "options": {
            "wait": {"type": "int", "default": 25},
            "interval": {"type": "int", "default": 10},
            "attempts": {"type": "int", "default": 8},
        },
    },
    "file_url": {"type": "str"},
    "attachments": {
        "type": "list",
        "elements": "dict",
        "options": {
            "path": {"type": "path"},
            "name": {"type": "str"},
            "content": {"type": "str", "no_log": True},
            "content_type": {"type": "str"},
        },
    },
    "protocol_id": {"type": "int"},
    "data_coding": {"type": "int"},
    "user_ip": {"type": "str"},
    "captcha_code": {"type": "str"},
    "partner_id": {"type": "str"},
    "messages": {
        "type": "list",
        "elements": "dict",
        "options": {
            "to": {"type": "list", "elements": "str", "required": True},
            "text": {"type": "str", "required": True},
            "sender": {"type": "str"},
            "timezone": {"type": "int"},
        },
    },
}

# The library's field names -> this module's option names.
FIELDS = {
    "tz": "timezone",
    "freq": "interval",
    "translit": "transliterate",
    "files": "attachments",
    "binary_pid": "protocol_id",
    "binary_dcs": "data_coding",
    "send_bulk": "messages",  # named in the rule of too many recipients
}
TRANSLIT = {"none": 0, "latin": 1, "lookalike": 2}
# Options that apply to one message only, not to personalised ones.
SINGLE_ONLY = (
    "text",
    "subject",
    "comment",
    "period",
    "interval",
    "voice",
    "dial",
    "file_url",
    "attachments",
    "protocol_id",
    "data_coding",
    "user_ip",
    "captcha_code",
    "partner_id",
)


def attachment(item, index):
    name = item.get("name") or (item.get("path") or "").replace("\\", "/").rsplit("/", 1)[-1]
    if item.get("content") is None:
        raise ValidationError(
            f"attachments[{index}]", "give path (read on the controller) or content (base64)"
        )
    if not name:
        raise ValidationError(f"attachments[{index}].name", "is required with content")
    try:
        content = base64.b64decode(item["content"], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(f"attachments[{index}].content", "must be base64") from None
    content_type = item.get("content_type") or (
        mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    return Attachment(name, content, content_type)


def single_message(params):
    dial = params["dial"]
    return Message(
        to=params["to"],
        text=params["text"],
        kind=KINDS[params["kind"]],
        sender=params["sender"],
        subject=params["subject"],
        message_id=params["message_id"],
        comment=params["comment"],
        send_at=parse_send_at(params["send_at"]),
        tz=params["timezone"],
        period=params["period"],
        freq=params["interval"],
        validity=parse_validity(params["validity"]),
        max_parts=params["max_parts"],
        translit=TRANSLIT[params["transliterate"]],
        shorten_links=params["shorten_links"],
        voice=params["voice"],
        dial=None if dial is None else DialParams(**dial),
        file_url=params["file_url"],
        files=[attachment(item, i) for i, item in enumerate(params["attachments"] or [])],
        binary_pid=params["protocol_id"],
        binary_dcs=params["data_coding"],
        details=True,
        captcha_code=params["captcha_code"],
        user_ip=params["user_ip"],
        partner_id=params["partner_id"],
    )


def bulk_batches(params):
    for name in SINGLE_ONLY:
        if params[name] is not None:
            raise ValidationError(name, "does not apply to personalised messages (messages)")
    messages = [
        BulkMessage(",".join(item["to"]), item["text"], item["sender"], item["timezone"])
        for item in params["messages"]
    ]
    return bulk_send(
        messages,
        kind=KINDS[params["kind"]],
        sender=params["sender"],
        send_at=parse_send_at(params["send_at"]),
        tz=params["timezone"],
        validity=parse_validity(params["validity"]),
        max_parts=params["max_parts"],
        translit=TRANSLIT[params["transliterate"]],
        shorten_links=params["shorten_links"],
        message_id=params["message_id"],
    )


def figures(result, kind):
    return {
        "count": result.count,
        "parts": result.parts,
        "seconds": result.seconds,
        "cost": money(result.cost),
        "kind": kind_name(kind),
        "recipients": [recipient_dict(r, kind) for r in result.recipients],
    }


def send_one(smsc):
    message = smsc.check(single_message, smsc.params)
    kind = message.message_kind
    if smsc.check_mode:
        estimate = smsc.run(cost_of_message(message))
        smsc.exit(changed=True, id=None, balance=None, outcome=NOT_SENT, **figures(estimate, kind))
    result = smsc.run(send_message(message))  # a failure says which outcome it had
    smsc.exit(
        changed=True,
        id=result.id,
        balance=money(result.balance),
        outcome=SENT,
        **figures(result, kind),
    )


def batch_dict(smsc, progress):
    """What became of one request of a personalised send."""
    if progress.result is not None:
        return {
            "messages": len(progress.messages),
            "sent": True,
            "outcome": SENT,
            "id": progress.result.id,
            "count": progress.result.count,
            "cost": money(progress.result.cost),
        }
    error = smsc.scrub(str(progress.error)) if progress.error else "not sent: an earlier one failed"
    return {
        "messages": len(progress.messages),
        "sent": False,
        "outcome": outcome(progress.error) if progress.error else NOT_SENT,
        "error": error,
    }


def send_bulk(smsc):
    batches = smsc.check(bulk_batches, smsc.params)
    kind = KINDS[smsc.params["kind"]]
    if smsc.check_mode:
        estimates = [smsc.run(batch.cost()) for batch in batches]
        smsc.exit(
            changed=True,
            id=None,
            balance=None,
            count=sum(e.count for e in estimates),
            parts=None if kind is KINDS["call"] else sum(e.count for e in estimates),
            seconds=sum(e.count for e in estimates) if kind is KINDS["call"] else None,
            cost=money(sum(e.cost for e in estimates)),
            kind=kind_name(kind),
            recipients=[recipient_dict(r, kind) for e in estimates for r in e.recipients],
            batches=[
                {
                    "messages": len(b.messages),
                    "sent": False,
                    "outcome": NOT_SENT,
                    "count": e.count,
                    "cost": money(e.cost),
                }
                for b, e in zip(batches, estimates)
            ],
            outcome=NOT_SENT,
        )
    outcomes = BulkProgress(batches).run(smsc.execute)
    results = [o.result for o in outcomes if o.result is not None]
    done = [batch_dict(smsc, o) for o in outcomes]
    error = next((o.error for o in outcomes if o.error is not None), None)
    if error is not None:
        smsc.fail_error(error, changed=bool(results), batches=done)
    count = sum(r.count for r in results)
    smsc.exit(
        changed=True,
        id=results[0].id,
        balance=money(results[-1].balance),
        count=count,
        parts=None if kind is KINDS["call"] else count,
        seconds=count if kind is KINDS["call"] else None,
        cost=money(sum(r.cost or 0 for r in results)),
        kind=kind_name(kind),
        recipients=[recipient_dict(r, kind) for result in results for r in result.recipients],
        batches=done,
        outcome=SENT,
    )


def main():
    smsc = SmscModule(
        ARGUMENT_SPEC,
        fields=FIELDS,
        mutually_exclusive=[("to", "messages")],
        required_one_of=[("to", "messages")],
        sends=True,
    )
    if smsc.params["messages"] is not None:
        send_bulk(smsc)
    else:
        send_one(smsc)


if __name__ == "__main__":
    main()
