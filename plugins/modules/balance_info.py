#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: balance_info
short_description: Show the balance of an SMSC account
version_added: 0.1.0
description:
  - Returns the balance of an SMS Center (SMSC, smsc.ru) account, its currency and, when the
    account has one, its credit.
  - Never changes anything. The service allows ten balance requests a minute.
author:
  - smsc-integrations contributors (@smsc-integrations)
extends_documentation_fragment:
  - smsc.messaging.auth
  - smsc.messaging.attributes
  - smsc.messaging.attributes.info_module
options: {}
"""

EXAMPLES = r"""
- name: Read the balance
  smsc.messaging.balance_info:
  register: account

- name: Warn when it runs low
  ansible.builtin.debug:
    msg: "Only {{ account.balance }} {{ account.currency }} left"
  when: account.balance < 100
"""

RETURN = r"""
balance:
  description: The balance.
  returned: success
  type: float
  sample: 1000.0
currency:
  description: The account's currency, when the service says.
  returned: success
  type: str
  sample: RUB
credit:
  description: The credit available to the account; V(null) when it has none.
  returned: success
  type: float
  sample: null
"""

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import balance
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import SmscModule, money


def main():
    smsc = SmscModule({})
    result = smsc.run(balance())
    smsc.exit(
        changed=False,
        balance=money(result.balance),
        currency=result.currency,
        credit=money(result.credit),
    )


if __name__ == "__main__":
    main()
