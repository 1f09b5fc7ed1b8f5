#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: template_info
short_description: List the message templates of an SMSC account
version_added: 0.1.0
description:
  - Lists the message templates of an SMS Center (SMSC, smsc.ru) account, or the one with a
    given name.
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
      - Only the template with this name (compared without regard to case).
    type: str
seealso:
  - module: smsc.messaging.template
"""

EXAMPLES = r"""
- name: Every template of the account
  smsc.messaging.template_info:
  register: account_templates

- name: Show their names
  ansible.builtin.debug:
    msg: "{{ account_templates.templates | map(attribute='name') | list }}"
"""

RETURN = r"""
templates:
  description: The templates, in the order of their ids.
  returned: success
  type: list
  elements: dict
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
      description: >-
        The kind of message it is for - V(any), V(sms), V(flash), V(binary), V(push), V(mms),
        V(call), V(email) or V(viber).
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
"""

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import templates
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import (
    SmscModule,
    template_dict,
)


def main():
    smsc = SmscModule({"name": {"type": "str"}})
    name = smsc.params["name"]
    found = [template_dict(t) for t in smsc.run(templates())]
    if name is not None:
        found = [t for t in found if t["name"].strip().lower() == name.strip().lower()]
    smsc.exit(changed=False, templates=found)


if __name__ == "__main__":
    main()
