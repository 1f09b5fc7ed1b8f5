#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: operator_template_info
short_description: Show the registration of a message template with mobile operators
version_added: 0.1.0
description:
  - Asks an SMS Center (SMSC, smsc.ru) account for the state of a service or transactional
    message template of a sender name with each mobile operator and message kind.
  - Never changes anything.
author:
  - smsc-integrations contributors (@smsc-integrations)
extends_documentation_fragment:
  - smsc.messaging.auth
  - smsc.messaging.attributes
  - smsc.messaging.attributes.info_module
options:
  sender:
    description:
      - The sender name the template belongs to.
    type: str
    required: true
  text:
    description:
      - The text of the template.
    type: str
    required: true
  operators:
    description:
      - The operators and message kinds to ask about; all when not set.
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
  - module: smsc.messaging.operator_template
"""

EXAMPLES = r"""
- name: Is the order notice accepted by the operators?
  smsc.messaging.operator_template_info:
    sender: Shop
    text: "Your order %d is ready"
  register: registration

- name: List the operators that accepted it
  ansible.builtin.debug:
    msg: >-
      {{ registration.operators | selectattr('status', 'equalto', 2)
         | map(attribute='operator') | list }}
"""

RETURN = r"""
operators:
  description: The template's status with each operator and message kind.
  returned: success
  type: list
  elements: dict
  contains:
    operator:
      description: The operator and message kind.
      type: str
      sample: mts_service
    status:
      description: >-
        -1 not registered, 0 awaiting registration, 1 sent for registration, 2 accepted by the
        operator, 3 not accepted, 4 temporarily disabled.
      type: int
      sample: 2
    status_meaning:
      description: What RV(operators[].status) means.
      type: str
      sample: accepted by the operator
    id:
      description: The id of the operator template, when there is one.
      type: int
      sample: 7
"""

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import (
    operator_templates,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import (
    OPERATOR_TARGETS,
    SmscModule,
    operator_status_dict,
)

ARGUMENT_SPEC = {
    "sender": {"type": "str", "required": True},
    "text": {"type": "str", "required": True},
    "operators": {"type": "list", "elements": "str", "choices": list(OPERATOR_TARGETS)},
}


def main():
    smsc = SmscModule(ARGUMENT_SPEC, fields={"targets": "operators", "message": "text"})
    params = smsc.params
    chosen = None
    if params["operators"]:
        chosen = [OPERATOR_TARGETS[name] for name in params["operators"]]
    lookup = smsc.check(operator_templates, params["sender"], params["text"], chosen)
    smsc.exit(changed=False, operators=[operator_status_dict(s) for s in smsc.run(lookup)])


if __name__ == "__main__":
    main()
