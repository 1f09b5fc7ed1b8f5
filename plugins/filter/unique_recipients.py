# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``unique_recipients`` filter: a recipient list with each recipient once.

The rule of what makes two spellings one recipient is the library's
(:func:`pysmsc.phones.same_recipient`), the one the modules refuse duplicates by.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: unique_recipients
short_description: Each recipient of a list once
version_added: 0.1.0
description:
  - Removes the recipients that are already in the list in another spelling - a number
    with or without V(+), with spaces, dashes or brackets (V(+7 999 123-45-67) and
    V(79991234567)), a contact group or an e-mail address in another letter case.
  - Keeps the first spelling of each, in the order given. Items that hold comma- or
    semicolon-separated lists are split; empty ones are dropped.
  - The modules refuse the same recipient twice in one message (the service would send it
    twice); use this filter on lists composed from several sources.
author:
  - smsc-integrations contributors (@smsc-integrations)
options:
  _input:
    description: The recipients - a list, or a comma-separated string.
    type: raw
    required: true
seealso:
  - module: smsc.messaging.send
"""

EXAMPLES = r"""
- name: Alert the on-call team and the service owner, each once
  smsc.messaging.send:
    to: "{{ (oncall_phones + [service_owner_phone]) | smsc.messaging.unique_recipients }}"
    text: Database primary is down
"""

RETURN = r"""
_value:
  description: The recipients, each once.
  type: list
  elements: str
"""

import re
from collections.abc import Iterable
from typing import Any, Callable

from ansible.errors import AnsibleFilterError
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.phones import same_recipient

_SEPARATORS = re.compile(r"[,;]")


def unique_recipients(recipients: Any) -> list[str]:
    """Each recipient once, in the order first given, as first spelled; a comma- or
    semicolon-separated item is split, empty items are dropped."""
    if isinstance(recipients, str):
        items: Iterable[Any] = [recipients]
    elif isinstance(recipients, Iterable) and not isinstance(recipients, (bytes, dict)):
        items = recipients
    else:
        raise AnsibleFilterError(
            f"unique_recipients expects a list or a string, not {type(recipients).__name__}"
        )
    seen: set[str] = set()
    result: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise AnsibleFilterError(f"unique_recipients expects text, not {item!r}")
        for part in _SEPARATORS.split(item):
            recipient = part.strip()
            key = same_recipient(recipient)
            if recipient and key not in seen:
                seen.add(key)
                result.append(recipient)
    return result


class FilterModule:
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {"unique_recipients": unique_recipients}
