#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: sender
short_description: Manage the sender names of an SMSC account
version_added: 0.1.0
description:
  - Asks for a new sender name, deletes one, or confirms a phone number as a sender name on an
    SMS Center (SMSC, smsc.ru) account.
  - A new alphanumeric name waits for the service's moderation before it can be used.
  - A phone number becomes a sender name in two steps - the first run sends a confirmation code
    by SMS to the number (RV(code_sent)); a second run with O(confirmation_code) confirms it.
    While a code is pending, runs without a code change nothing (the service allows one code
    every 8 hours).
  - C(changed) is V(true) when a name was requested, deleted or confirmed, or a code was sent
    (in check mode, when that would happen); RV(operations) says which.
  - Numbers are known by their digits - V(+79991234567) and V(79991234567) are one name.
  - To converge many names at once, with one request to read them all, use
    M(smsc.messaging.senders).
author:
  - smsc-integrations contributors (@smsc-integrations)
extends_documentation_fragment:
  - smsc.messaging.auth
  - smsc.messaging.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - Shows the sender name before and after.
options:
  name:
    description:
      - The sender name - at most 11 Latin letters, digits, spaces or punctuation, or a phone
        number in international format.
    type: str
    required: true
  comment:
    description:
      - A comment for the service's moderators, sent when the name is requested. The service
        does not show it back, so it is not compared on later runs.
    type: str
  confirmation_code:
    description:
      - The code the service sent by SMS to a phone number used as sender name.
    type: str
  state:
    description:
      - V(present) requests (or confirms) the name, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: smsc.messaging.sender_info
"""

EXAMPLES = r"""
- name: Ask for the sender name "Shop"
  smsc.messaging.sender:
    name: Shop
    comment: Order notifications of shop.example.com

- name: Use a phone number as sender - step 1 sends a code to it
  smsc.messaging.sender:
    name: "+79991234567"
  register: numeric_sender

- name: Step 2 - confirm with the code received
  smsc.messaging.sender:
    name: "+79991234567"
    confirmation_code: "{{ code_from_the_phone }}"
  when: code_from_the_phone is defined

- name: Delete an old name
  smsc.messaging.sender:
    name: OldShop
    state: absent
"""

RETURN = r"""
sender:
  description: The sender name after the run; V(null) when absent.
  returned: success
  type: dict
  contains:
    id:
      description: The id of the name.
      type: int
      sample: 3
    name:
      description: The name.
      type: str
      sample: Shop
    status:
      description: >-
        0 waiting for moderation (for a phone number, waiting for the confirmation code),
        1 allowed, 2 disabled.
      type: int
      sample: 0
    status_meaning:
      description: What RV(sender.status) means - the same words M(smsc.messaging.sender_info)
        uses.
      type: str
      sample: waiting for moderation
    operators:
      description: Registration states with operators, when the service reports them.
      type: dict
      sample: {}
code_sent:
  description: Whether a confirmation code was sent to the number in this run or earlier and is
    still waiting for O(confirmation_code).
  returned: success
  type: bool
  sample: false
operations:
  description: What was done (in check mode, what would be) - no entry when nothing changed.
  returned: always
  type: list
  elements: dict
  contains:
    operation:
      description: V(create) (a name requested), V(send_code), V(confirm) or V(delete).
      type: str
      sample: create
    name:
      description: The sender name.
      type: str
    fields:
      description: For an update, the options that changed.
      type: list
      elements: str
failed_operation:
  description: The operation the service refused.
  returned: failure
  type: dict
diff:
  description: The sender name before and after.
  returned: when changed and in diff mode
  type: dict
  sample: {"before": {}, "after": {"name": "Shop", "status": 0}}
"""

from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import SmscModule
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_records import SenderResource
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_resource import Converger

ARGUMENT_SPEC = dict(SenderResource.options)


def main():
    smsc = SmscModule(ARGUMENT_SPEC)
    present = smsc.params["state"] == "present"
    Converger(smsc, SenderResource()).single(smsc.params, present=present)


if __name__ == "__main__":
    main()
