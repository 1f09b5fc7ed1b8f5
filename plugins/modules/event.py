#!/usr/bin/python
# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
module: event
short_description: Send a monitoring event notification through an SMSC task group
version_added: 0.1.0
description:
  - Reports a failure or a recovery to a task group of an SMS Center (SMSC, smsc.ru) account's
    monitoring (C(ping.php)). The task group, created in the account, holds the notification
    texts, the kinds of message and the contacts; this module fills in the C({NAME}),
    C({HOST}) and C({INFO}) macros of its text.
  - C(changed) is V(true) whenever a notification was sent (in check mode, whenever one would
    be); nothing is sent in check mode. The service refuses more than five identical
    notifications a minute (error 9).
author:
  - smsc-integrations contributors (@smsc-integrations)
extends_documentation_fragment:
  - smsc.messaging.auth
  - smsc.messaging.attributes
attributes:
  check_mode:
    support: full
    details:
      - Nothing is sent; the task group is not checked either.
  diff_mode:
    support: none
options:
  task_group:
    description:
      - The id of the task group (the C(ID) column of the account's task groups).
    type: int
    required: true
  name:
    description:
      - The name of the rule or server, for the C({NAME}) macro.
    type: str
  host:
    description:
      - The address of the server, for the C({HOST}) macro.
    type: str
  info:
    description:
      - More about the event, for the C({INFO}) macro.
    type: str
  status:
    description:
      - V(failure) sends the task group's failure text, V(recovery) its recovery text.
    type: str
    choices: [failure, recovery]
    default: failure
seealso:
  - module: smsc.messaging.send
"""

EXAMPLES = r"""
- name: Tell the on-call team that the web check failed
  smsc.messaging.event:
    task_group: 4
    name: web
    host: "{{ inventory_hostname }}"
    info: "HTTP 502 on /health"

- name: And that it recovered
  smsc.messaging.event:
    task_group: 4
    name: web
    host: "{{ inventory_hostname }}"
    status: recovery
"""

RETURN = r"""
outcome:
  description:
    - V(sent), V(not_sent) (check mode, bad input, refused, or the service was never reached)
      or V(may_have_been_sent) (the answer was lost - the notification may be on its way; a
      failure with this outcome reports C(changed=true)).
  returned: always
  type: str
  choices: [sent, not_sent, may_have_been_sent]
  sample: sent
task_group:
  description: The task group notified.
  returned: success
  type: int
  sample: 4
status:
  description: Which text of the task group was sent.
  returned: success
  type: str
  sample: failure
"""

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import ping
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_module import (
    NOT_SENT,
    SENT,
    SmscModule,
)

ARGUMENT_SPEC = {
    "task_group": {"type": "int", "required": True},
    "name": {"type": "str"},
    "host": {"type": "str"},
    "info": {"type": "str"},
    "status": {"type": "str", "choices": ["failure", "recovery"], "default": "failure"},
}


def main():
    smsc = SmscModule(ARGUMENT_SPEC, sends=True)
    params = smsc.params
    operation = smsc.check(
        ping,
        params["task_group"],
        name=params["name"],
        host=params["host"],
        info=params["info"],
        recovered=params["status"] == "recovery",
    )
    sent = NOT_SENT
    if not smsc.check_mode:
        smsc.run(operation)  # a failure says which outcome it had
        sent = SENT
    smsc.exit(changed=True, task_group=params["task_group"], status=params["status"], outcome=sent)


if __name__ == "__main__":
    main()
