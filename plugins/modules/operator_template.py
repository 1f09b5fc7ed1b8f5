#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: operator_template
short_description: Register a message template with mobile operators through SMSC
version_added: 0.1.0
description:
  - Registers a service or transactional message template for a sender name with the chosen
    mobile operators and message kinds, through an SMS Center (SMSC, smsc.ru) account.
  - Asks the service first which operators already have the template, and adds it only for the
    others; a second run changes nothing.
  - Reports the status of the template with each chosen operator.
  - C(changed) is V(true) when the template was added for at least one operator (in check mode,
    when it would be).
  - The service offers no way to delete operator templates.
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
      - Shows the template's status with each operator before and after.
options:
  sender:
    description:
      - The sender name the template belongs to; it must be allowed on the account.
    type: str
    required: true
  text:
    description:
      - The text of the template.
    type: str
    required: true
  operators:
    description:
      - The operators and message kinds to register the template with; all when not set.
    type: list
    elements: str
    choices:
      - mts_service
      - mts_transactional
      - megafon_service
      - megafon_authorization
      - megafon_transactional
      - beeline_service
      - beeline_transactional
      - tele2_service
      - tele2_transactional
      - social
seealso:
  - module: smsc.messaging.operator_template_info
  - module: smsc.messaging.sender
"""

EXAMPLES = r"""
- name: Register the order notice with MTS and Beeline as a service message
  smsc.messaging.operator_template:
    sender: Shop
    text: "Your order %d is ready"
    operators:
      - mts_service
      - beeline_service
  register: registration

- name: Show the status with each operator
  ansible.builtin.debug:
    msg: >-
      {{ registration.operator_template.operators
         | items2dict(key_name='operator', value_name='status_meaning') }}
"""

RETURN = r"""
operator_template:
  description: The template after the run (in check mode, as it would be).
  returned: success
  type: dict
  contains:
    sender:
      description: The sender name.
      type: str
      sample: Shop
    text:
      description: The text.
      type: str
      sample: "Your order %d is ready"
    operators:
      description: Its status with each chosen operator.
      type: list
      elements: dict
      contains:
        operator:
          description: The operator and message kind.
          type: str
          sample: mts_service
        status:
          description: >-
            -2 cannot be saved, -1 not registered, 0 awaiting registration, 1 sent for
            registration, 2 accepted by the operator, 3 not accepted, 4 temporarily disabled.
          type: int
          sample: 0
        status_meaning:
          description: What the status means.
          type: str
          sample: awaiting registration
        id:
          description: The id of the operator template, when there is one.
          type: int
          sample: 7
added:
  description: The operators the template was added for in this run.
  returned: success
  type: list
  elements: str
  sample: [mts_service]
operations:
  description: What was done (in check mode, what would be) - no entry when nothing changed.
  returned: always
  type: list
  elements: dict
  contains:
    operation:
      description: V(register).
      type: str
      sample: register
    name:
      description: The sender name and the text.
      type: str
      sample: "Shop: Your order %d is ready"
    fields:
      description: The operators the template is registered with.
      type: list
      elements: str
      sample: [mts_service]
failed_operation:
  description: The operation the service refused.
  returned: failure
  type: dict
failed_operators:
  description: The operators the service did not add the template for.
  returned: failure
  type: list
  elements: str
  sample: [mts_service]
diff:
  description: The template's status with each operator before and after.
  returned: when changed and in diff mode
  type: dict
"""

from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import (
    OPERATOR_TARGETS,
    SmscModule,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_records import (
    OperatorTemplateResource,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_resource import Converger

ARGUMENT_SPEC = {
    "sender": {"type": "str", "required": True},
    "text": {"type": "str", "required": True},
    "operators": {"type": "list", "elements": "str", "choices": list(OPERATOR_TARGETS)},
}


def main():
    smsc = SmscModule(ARGUMENT_SPEC)
    params = smsc.params
    chosen = [OPERATOR_TARGETS[name] for name in params["operators"] or OPERATOR_TARGETS]
    resource = OperatorTemplateResource(smsc, params["sender"], params["text"], chosen)
    Converger(smsc, resource).single(params)


if __name__ == "__main__":
    main()
