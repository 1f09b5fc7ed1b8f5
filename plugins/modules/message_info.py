#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: message_info
short_description: Show the delivery status of messages sent through SMSC
version_added: 0.1.0
description:
  - Returns the delivery status of one message to one recipient, or of several in one request,
    from an SMS Center (SMSC, smsc.ru) account.
  - Never changes anything. The service allows five status requests for one message, or one
    request for several messages, a minute.
author:
  - smsc-integrations contributors (@smsc-integrations)
extends_documentation_fragment:
  - smsc.messaging.auth
  - smsc.messaging.attributes
  - smsc.messaging.attributes.info_module
options:
  message_id:
    description:
      - The id of the message (RV(smsc.messaging.send#module:id) of M(smsc.messaging.send)).
    type: str
  phone:
    description:
      - The recipient (phone number or e-mail address) of the message O(message_id).
    type: str
  messages:
    description:
      - Several messages at once, instead of O(message_id) and O(phone).
    type: list
    elements: dict
    suboptions:
      id:
        description: The id of the message.
        type: str
        required: true
      phone:
        description: Its recipient.
        type: str
        required: true
  details:
    description:
      - V(0) only the status; V(1) also the message, its cost, sender and send time; V(2) also
        the recipient's country, operator and region (the service's C(all) parameter).
    type: int
    choices: [0, 1, 2]
    default: 0
seealso:
  - module: smsc.messaging.send
"""

EXAMPLES = r"""
- name: Send, then check the delivery
  smsc.messaging.send:
    to: "+79991234567"
    text: Deployment finished
  register: sent

- name: Status of that message
  smsc.messaging.message_info:
    message_id: "{{ sent.id }}"
    phone: "+79991234567"
    details: 1
  register: delivery

- name: Statuses of several messages in one request
  smsc.messaging.message_info:
    messages:
      - id: "41"
        phone: "79991234567"
      - id: "42"
        phone: "79997654321"
"""

RETURN = r"""
messages:
  description: One entry per message and recipient.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The id of the message.
      type: str
      sample: "41"
    phone:
      description: The recipient.
      type: str
      sample: "79991234567"
    status:
      description: >-
        The service's status - -3 not found, -2 stopped, -1 waiting, 0 passed to the operator,
        1 delivered, 2 read, 3 expired, 4 link clicked, 20 impossible to deliver, 22 invalid
        number, 23 prohibited, 24 insufficient funds, 25 unavailable number.
      type: int
      sample: 1
    status_meaning:
      description: What RV(messages[].status) means.
      type: str
      sample: delivered
    final:
      description: Whether the status will not change any more.
      type: bool
      sample: true
    error:
      description: The error code of the status (0 for none).
      type: int
      sample: 0
    error_meaning:
      description: What RV(messages[].error) means.
      type: str
      sample: no error
    last_date:
      description: When the status last changed, as the service reports it (Moscow time).
      type: str
      sample: "2026-05-01 09:30:12"
    last_timestamp:
      description: The same moment as a Unix time.
      type: int
      sample: 1777617012
    send_date:
      description: When the message was sent (O(details=1) or more).
      type: str
      sample: "2026-05-01 09:30:05"
    send_timestamp:
      description: The same moment as a Unix time (O(details=1) or more).
      type: int
      sample: 1777617005
    cost:
      description: The cost (O(details=1) or more).
      type: float
      sample: 1.4
    sender:
      description: The sender name (O(details=1) or more).
      type: str
      sample: SMSC
    text:
      description: The text (O(details=1) or more).
      type: str
      sample: Deployment finished
    status_name:
      description: The service's own name of the status (O(details=1) or more).
      type: str
      sample: Delivered
    country:
      description: The recipient's country (O(details=2)).
      type: str
      sample: Russia
    operator:
      description: The recipient's operator (O(details=2)).
      type: str
      sample: MTS
    region:
      description: The recipient's region (O(details=2)).
      type: str
      sample: Moscow
    extra:
      description: Any other fields the service returned.
      type: dict
      sample: {}
"""

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import (
    status,
    statuses,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import (
    SmscModule,
    status_dict,
)

ARGUMENT_SPEC = {
    "message_id": {"type": "str"},
    "phone": {"type": "str"},
    "messages": {
        "type": "list",
        "elements": "dict",
        "options": {
            "id": {"type": "str", "required": True},
            "phone": {"type": "str", "required": True},
        },
    },
    "details": {"type": "int", "choices": [0, 1, 2], "default": 0},
}


def main():
    smsc = SmscModule(
        ARGUMENT_SPEC,
        fields={"full": "details"},
        mutually_exclusive=[("message_id", "messages"), ("phone", "messages")],
        required_together=[("message_id", "phone")],
        required_one_of=[("message_id", "messages")],
    )
    params = smsc.params
    if params["messages"] is None:
        operation = smsc.check(
            status, params["message_id"], params["phone"], full=params["details"]
        )
        found = [smsc.run(operation)]
    else:
        pairs = [(item["id"], item["phone"]) for item in params["messages"]]
        found = smsc.run(smsc.check(statuses, pairs, full=params["details"]))
    smsc.exit(changed=False, messages=[status_dict(info) for info in found])


if __name__ == "__main__":
    main()
