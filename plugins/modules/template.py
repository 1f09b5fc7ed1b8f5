#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: template
short_description: Manage the message templates of an SMSC account
version_added: 0.1.0
description:
  - Creates, changes or deletes a message template of an SMS Center (SMSC, smsc.ru) account.
  - Templates are identified by O(name) (the service keeps names unique); a second run with the
    same options changes nothing.
  - C(changed) is V(true) when the template was created, changed or deleted (in check mode,
    when it would be); RV(operations) says which.
  - To converge many templates at once, with one request to read them all, use
    M(smsc.messaging.templates).
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
      - Shows the template before and after.
options:
  name:
    description:
      - The template's name (at most 100 characters).
    type: str
    required: true
  text:
    description:
      - The text of the template. Required to create it.
    type: str
  kind:
    description:
      - The kind of message the template is for; V(any) for none in particular.
      - When not set, an existing template keeps its kind and a new one gets V(any).
    type: str
    choices: [any, sms, flash, binary, push, mms, call, email, viber]
  sender:
    description:
      - The sender name of the template (an e-mail address for O(kind=email)); V("") for none.
      - When not set, an existing template keeps its sender.
    type: str
  autosign:
    description:
      - Use the template as the account's automatic signature.
      - When not set, an existing template keeps this setting; a new one is not a signature.
    type: bool
  state:
    description:
      - V(present) creates or updates the template, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: smsc.messaging.template_info
  - name: The configure role
    description: Converges templates, sender names and operator templates from variables.
    link: https://github.com/smsc-integrations/smsc/blob/main/docs/ansible.md
"""

EXAMPLES = r"""
- name: A template for delivery notices
  smsc.messaging.template:
    name: delivery
    text: "Your order {1} will arrive on {2}"
    kind: sms
    sender: Shop

- name: Remove an old template
  smsc.messaging.template:
    name: summer-sale
    state: absent
"""

RETURN = r"""
template:
  description: The template after the run; V(null) when O(state=absent).
  returned: success
  type: dict
  contains:
    id:
      description: The template's id.
      type: int
      sample: 12
    name:
      description: The template's name.
      type: str
      sample: delivery
    text:
      description: The text.
      type: str
      sample: "Your order {1} will arrive on {2}"
    kind:
      description: The kind of message it is for.
      type: str
      sample: sms
    sender:
      description: The sender name, V("") for none.
      type: str
      sample: Shop
    autosign:
      description: Whether it is the account's automatic signature.
      type: bool
      sample: false
operations:
  description: What was done (in check mode, what would be) - no entry when nothing changed.
  returned: always
  type: list
  elements: dict
  contains:
    operation:
      description: V(create), V(update) or V(delete).
      type: str
      sample: update
    name:
      description: The template's name.
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
  description: The template before and after.
  returned: when changed and in diff mode
  type: dict
  sample: {"before": {}, "after": {"name": "delivery", "text": "Your order is on its way"}}
"""

from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import SmscModule
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_records import TemplateResource
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_resource import Converger

ARGUMENT_SPEC = dict(TemplateResource.options)


def main():
    smsc = SmscModule(ARGUMENT_SPEC)
    present = smsc.params["state"] == "present"
    Converger(smsc, TemplateResource()).single(smsc.params, present=present)


if __name__ == "__main__":
    main()
