# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin of smsc.messaging.send: reads attachments from the controller's files.

``attachments[].path`` is looked up on the controller like ``copy``'s ``src`` (a role's
``files/`` first) and passed to the module as base64 ``content``; everything else is the
module's work, on the managed host.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(
        self, tmp: str | None = None, task_vars: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        del tmp  # not used: nothing is copied to the host
        module_args = dict(self._task.args)
        attachments = module_args.get("attachments")
        if isinstance(attachments, list):
            try:
                module_args["attachments"] = [self._read(item) for item in attachments]
            except AnsibleError as exc:
                result.update(failed=True, msg=str(exc))
                return result
        result.update(
            self._execute_module(
                module_name="smsc.messaging.send", module_args=module_args, task_vars=task_vars
            )
        )
        return result

    def _read(self, item: Any) -> Any:
        if not isinstance(item, dict) or not item.get("path") or item.get("content"):
            return item
        path = self._find_needle("files", item["path"])
        with open(path, "rb") as handle:
            content = handle.read()
        return {
            **item,
            "path": None,
            "name": item.get("name") or os.path.basename(path),
            "content": base64.b64encode(content).decode("ascii"),
        }
