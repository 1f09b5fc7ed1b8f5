#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: sender_info
short_description: List the sender names of an SMSC account
version_added: 0.1.0
description:
  - Lists the sender names of an SMS Center (SMSC, smsc.ru) account with their moderation
    status, and optionally their registration state with each mobile operator.
  - Never changes anything.
author:
  - smsc-integrations contributors (@smsc-integrations)
extends_documentation_fragment:
  - smsc.messaging.auth
  - smsc.messaging.attributes
  - smsc.messaging.attributes.info_module
options:
  name:
    description:
      - Only the sender name equal to this one (compared without regard to case; a number by
        its digits, with or without V(+)).
    type: str
  operators:
    description:
      - Also return the registration state of each name with each operator. This takes one more
        request, as the service answers the moderation status and the operators' states
        separately.
    type: bool
    default: false
seealso:
  - module: smsc.messaging.sender
"""

EXAMPLES = r"""
- name: Which sender names may be used?
  smsc.messaging.sender_info:
  register: names

- name: Fail if "Shop" is not allowed yet
  ansible.builtin.assert:
    that: >-
      names.senders | selectattr('name', 'equalto', 'Shop')
      | selectattr('status', 'equalto', 1) | list | length > 0
"""

RETURN = r"""
senders:
  description: The sender names.
  returned: success
  type: list
  elements: dict
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
      sample: 1
    status_meaning:
      description: What RV(senders[].status) means.
      type: str
      sample: allowed
    operators:
      description: >-
        With O(operators=true), the service's per-operator fields (for example C(mts_step),
        C(tele2)) and their status codes - 0 pending registration, 1 sent for registration,
        2 approved, 3 not accepted, 4 temporarily disabled, 5 insufficient funds, 8 documents
        required, 9 activation from the beginning of the month; V({}) otherwise.
      type: dict
      sample: {"mts_step": 2, "tele2": 1}
"""

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import senders
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import SmscModule
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_records import (
    sender_key,
    sender_record,
)


def main():
    smsc = SmscModule({"name": {"type": "str"}, "operators": {"type": "bool", "default": False}})
    params = smsc.params
    found = [sender_record(s) for s in smsc.run(senders(with_status=True))]
    if params["operators"]:
        # The service answers operators=1 without the moderation status (and all=1 without the
        # operators), so both are asked for and joined by id.
        by_id = {s.id: s.operators for s in smsc.run(senders(with_operators=True))}
        for record in found:
            record["operators"] = dict(by_id.get(record["id"], {}))
    if params["name"] is not None:
        wanted = sender_key(params["name"])
        found = [s for s in found if sender_key(s["name"]) == wanted]
    smsc.exit(changed=False, senders=found)


if __name__ == "__main__":
    main()
