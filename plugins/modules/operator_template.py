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
      - Shows the operators the template is registered with before and after.
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
      {{ registration.operators
         | items2dict(key_name='operator', value_name='status_meaning') }}
"""

RETURN = r"""
operators:
  description: The template's status with each chosen operator after the run.
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
        -2 cannot be saved, -1 not registered, 0 awaiting registration, 1 sent for
        registration, 2 accepted by the operator, 3 not accepted, 4 temporarily disabled.
      type: int
      sample: 0
    status_meaning:
      description: What RV(operators[].status) means.
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
"""

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import (
    add_operator_template,
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
FIELDS = {"targets": "operators", "message": "text"}
NAMES = {code: name for name, code in OPERATOR_TARGETS.items()}
# What op_templates.php's add answers per operator (get answers other codes).
ADD_FAILURES = {-1: "the sender name is unknown or not allowed", -2: "it cannot be saved"}


def statuses(smsc, lookup, chosen):
    found = {item.name: item for item in smsc.run(lookup)}
    return [operator_status_dict(found[code]) for code in chosen if code in found]


def main():
    smsc = SmscModule(ARGUMENT_SPEC, fields=FIELDS)
    params = smsc.params
    chosen = [OPERATOR_TARGETS[name] for name in params["operators"] or OPERATOR_TARGETS]
    # Both requests are built (and so checked) before anything is sent.
    lookup = smsc.check(operator_templates, params["sender"], params["text"], chosen)
    smsc.check(add_operator_template, params["sender"], params["text"], chosen)
    before = statuses(smsc, lookup, chosen)
    registered = {item["operator"] for item in before if item["status"] >= 0}
    missing = [code for code in chosen if NAMES.get(code, code) not in registered]
    after = before
    if missing and not smsc.check_mode:
        added = smsc.run(add_operator_template(params["sender"], params["text"], missing))
        failed = [item for item in added if item.status < 1]
        if failed:
            reasons = ", ".join(
                f"{NAMES.get(f.name, f.name)} ({ADD_FAILURES.get(f.status, f.status)})"
                for f in failed
            )
            smsc.module.fail_json(
                msg=f"the service did not add the template for {reasons}",
                changed=len(failed) < len(added),
                failed_operators=[NAMES.get(f.name, f.name) for f in failed],
                operators=before,
            )
        after = statuses(smsc, lookup, chosen)
    result = {"changed": bool(missing), "operators": after, "added": [NAMES[c] for c in missing]}
    if missing and smsc.diff_mode:
        now = sorted(registered | {NAMES[c] for c in missing})
        result["diff"] = {
            "before": {"registered": sorted(registered)},
            "after": {"registered": now},
        }
    smsc.exit(**result)


if __name__ == "__main__":
    main()
