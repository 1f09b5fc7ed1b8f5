#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: senders
short_description: Converge all the sender names of an SMSC account at once
version_added: 0.1.0
description:
  - Brings the sender names of an SMS Center (SMSC, smsc.ru) account to a declared list, in
    the manner of Ansible's network resource modules - O(config) holds the names, O(state)
    says what to do with them.
  - Reads the account's names B(once), whatever the length of the list, and then sends only
    the changes. A second run with the same declarations changes nothing, and costs one request
    (the service refuses more than three identical list requests a minute).
  - A new name (at most 11 Latin characters) waits for the service's moderation before it can
    be used. A phone number becomes a sender name in two runs - the first sends a confirmation
    code by SMS to the number (RV(code_sent)), a run with O(config[].confirmation_code)
    confirms it. While a code is pending, runs without a code change nothing (the service
    allows one code every 8 hours).
  - Names are identified regardless of letter case, numbers by their digits (V(+79991234567)
    and V(79991234567) are one name).
  - C(changed) is V(true) when a name was requested, confirmed or deleted, or a code was sent
    (in check mode, when that would happen).
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
      - Shows the sender names before and after, by name.
options:
  config:
    description:
      - The sender names.
      - With O(state=deleted) only O(config[].name) is used; an empty or missing O(config)
        then deletes every name of the account.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The sender name - at most 11 Latin letters, digits, spaces or punctuation, or a
            phone number in international format.
        type: str
        required: true
      comment:
        description:
          - A comment for the service's moderators, sent when the name is requested. The
            service does not show it back, so it is not compared on later runs.
        type: str
      confirmation_code:
        description:
          - The code the service sent by SMS to a phone number used as sender name.
        type: str
      state:
        description:
          - V(absent) deletes this name (with O(state=merged) or O(state=replaced)), so that one
            list can declare what to add and what to remove.
        type: str
        choices: [present, absent]
        default: present
  state:
    description:
      - V(merged) requests the declared names that are missing (and confirms numbers); other
        names stay.
      - V(replaced) is the same as V(merged) - a sender name has no option that could be
        reset.
      - V(overridden) makes the declared names the only ones - every other name of the account
        is deleted, the account's default sender name too unless it is declared.
      - V(deleted) deletes the declared names (every name when O(config) is empty).
      - V(gathered) changes nothing and returns the account's names as O(config) would declare
        them (RV(gathered)).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered]
    default: merged
seealso:
  - module: smsc.messaging.sender
  - module: smsc.messaging.sender_info
"""

EXAMPLES = r"""
- name: The sender names of the shop, without the old one
  smsc.messaging.senders:
    config:
      - name: Shop
        comment: Order notifications of shop.example.com
      - name: ShopNews
        comment: Newsletter of shop.example.com
      - name: OldShop
        state: absent

- name: The account's sender names, as config would declare them
  smsc.messaging.senders:
    state: gathered
  register: names

- name: Show them
  ansible.builtin.debug:
    msg: "{{ names.gathered | map(attribute='name') | list }}"
"""

RETURN = r"""
before:
  description: The account's sender names before the run, sorted by name (as
    M(smsc.messaging.sender_info) returns them).
  returned: unless O(state=gathered)
  type: list
  elements: dict
  sample: [{"id": 1, "name": "SMSC", "status": 1, "status_meaning": "allowed",
            "operators": {}}]
after:
  description: The account's sender names after the run (in check mode, as they would be),
    sorted by name; a name requested in check mode has no id yet (V(null)).
  returned: unless O(state=gathered)
  type: list
  elements: dict
  sample: [{"id": 3, "name": "Shop", "status": 0, "status_meaning": "waiting for moderation",
            "operators": {}}]
operations:
  description: What was done (in check mode, what would be), in order - deletions first.
  returned: always
  type: list
  elements: dict
  contains:
    operation:
      description: >-
        V(create) (a name requested), V(send_code) (a code sent to a number), V(confirm) (a
        number confirmed with its code) or V(delete).
      type: str
      sample: create
    name:
      description: The sender name.
      type: str
      sample: Shop
code_sent:
  description: Whether a confirmation code was sent to a number in this run, or earlier and is
    still waiting for O(config[].confirmation_code).
  returned: unless O(state=gathered)
  type: bool
  sample: false
gathered:
  description: With O(state=gathered), the account's names as O(config) declares them.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample: [{"name": "SMSC"}, {"name": "Shop"}]
failed_operation:
  description: The operation the service refused; RV(operations) lists those done before it.
  returned: failure
  type: dict
  sample: {"operation": "create", "name": "Shop"}
"""

from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import SmscModule
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_records import SenderResource
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_resource import (
    Converger,
    config_argument_spec,
)

ARGUMENT_SPEC = config_argument_spec(SenderResource.options)


def main():
    smsc = SmscModule(ARGUMENT_SPEC)
    Converger(smsc, SenderResource()).many(smsc.params["config"], smsc.params["state"])


if __name__ == "__main__":
    main()
