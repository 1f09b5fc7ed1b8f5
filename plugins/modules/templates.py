#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: templates
short_description: Converge all the message templates of an SMSC account at once
version_added: 0.1.0
description:
  - Brings the message templates of an SMS Center (SMSC, smsc.ru) account to a declared list,
    in the manner of Ansible's network resource modules - O(config) holds the templates,
    O(state) says what to do with them.
  - Reads the account's templates B(once), whatever the length of the list, and then sends
    only the changes. A second run with the same declarations changes nothing, and costs one
    request (the service refuses more than three identical list requests a minute).
  - Templates are identified by O(config[].name), regardless of letter case (the service keeps
    names unique regardless of case).
  - C(changed) is V(true) when a template was created, changed or deleted (in check mode,
    when one would be).
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
      - Shows the templates before and after, by name.
options:
  config:
    description:
      - The templates.
      - With O(state=deleted) only O(config[].name) is used; an empty or missing O(config)
        then deletes every template of the account.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The template's name (at most 100 characters).
        type: str
        required: true
      text:
        description:
          - The text of the template.
          - Required to create a template, and with O(state=replaced) or O(state=overridden).
        type: str
      kind:
        description:
          - The kind of message the template is for; V(any) for none in particular.
          - When not set, O(state=merged) keeps the current kind (V(any) for a new template);
            O(state=replaced) and O(state=overridden) set V(any).
        type: str
        choices: [any, sms, flash, binary, push, mms, call, email, viber]
      sender:
        description:
          - The sender name of the template (an e-mail address for O(config[].kind=email));
            V("") for none.
          - When not set, O(state=merged) keeps the current sender; O(state=replaced) and
            O(state=overridden) set none.
        type: str
      autosign:
        description:
          - Use the template as the account's automatic signature.
          - When not set, O(state=merged) keeps the current setting; O(state=replaced) and
            O(state=overridden) set V(false).
        type: bool
      state:
        description:
          - V(absent) deletes this template (with O(state=merged) or O(state=replaced)), so
            that one list can declare what to add and what to remove.
        type: str
        choices: [present, absent]
        default: present
  state:
    description:
      - V(merged) creates the declared templates that are missing and changes the options
        given of those that exist; other templates stay.
      - V(replaced) also resets the options not given to their defaults; other templates stay.
      - V(overridden) makes the declared templates, as V(replaced) does, the only ones - every
        other template of the account is deleted.
      - V(deleted) deletes the declared templates (every template when O(config) is empty).
      - V(gathered) changes nothing and returns the account's templates as O(config) would
        declare them (RV(gathered)).
    type: str
    choices: [merged, replaced, overridden, deleted, gathered]
    default: merged
seealso:
  - module: smsc.messaging.template
  - module: smsc.messaging.template_info
  - name: The configure role
    description: Converges templates, sender names and operator templates from variables.
    link: https://github.com/smsc-integrations/smsc/blob/main/docs/ansible.md
"""

EXAMPLES = r"""
- name: The templates of the on-call team, and no old promotion
  smsc.messaging.templates:
    config:
      - name: alert
        text: "ALERT {1} on {2}"
        kind: sms
      - name: recovery
        text: "RECOVERED {1} on {2}"
        kind: sms
      - name: old-promo
        state: absent

- name: Exactly these templates and no others
  smsc.messaging.templates:
    config:
      - name: alert
        text: "ALERT {1} on {2}"
        kind: sms
    state: overridden
  check_mode: true
  register: plan

- name: What overriding would do
  ansible.builtin.debug:
    msg: "{{ plan.operations }}"

- name: The account's templates, as config would declare them
  smsc.messaging.templates:
    state: gathered
  register: account

- name: Show them
  ansible.builtin.debug:
    msg: "{{ account.gathered }}"
"""

RETURN = r"""
before:
  description: The account's templates before the run, sorted by name (as
    M(smsc.messaging.template_info) returns them).
  returned: unless O(state=gathered)
  type: list
  elements: dict
  sample: [{"id": 12, "name": "alert", "text": "ALERT {1}", "kind": "sms", "sender": "",
            "autosign": false}]
after:
  description: The account's templates after the run (in check mode, as they would be), sorted
    by name; a template created in check mode has no id yet (V(null)).
  returned: unless O(state=gathered)
  type: list
  elements: dict
  sample: [{"id": 12, "name": "alert", "text": "ALERT {1} on {2}", "kind": "sms", "sender": "",
            "autosign": false}]
operations:
  description: What was done (in check mode, what would be), in order - deletions first.
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
      sample: alert
    fields:
      description: For V(update), the options that changed.
      type: list
      elements: str
      sample: [text]
gathered:
  description: With O(state=gathered), the account's templates as O(config) declares them.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample: [{"name": "alert", "text": "ALERT {1} on {2}", "kind": "sms", "sender": "",
            "autosign": false}]
failed_operation:
  description: The operation the service refused; RV(operations) lists those done before it.
  returned: failure
  type: dict
  sample: {"operation": "create", "name": "alert"}
"""

from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import SmscModule
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_records import TemplateResource
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_resource import (
    Converger,
    config_argument_spec,
)

ARGUMENT_SPEC = config_argument_spec(TemplateResource.options)


def main():
    smsc = SmscModule(ARGUMENT_SPEC)
    Converger(smsc, TemplateResource()).many(smsc.params["config"], smsc.params["state"])


if __name__ == "__main__":
    main()
