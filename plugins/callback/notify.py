# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
name: notify
type: notification
short_description: Tell people by SMS, call or monitoring event when hosts fail
version_added: 0.1.0
description:
  - When hosts fail or are unreachable, sends B(one) summary per playbook (or per play) through
    the SMS Center service (SMSC, smsc.ru) - an SMS or a voice call to O(to), or an event to a
    task group of the account's monitoring (O(task_group)) - instead of one message per host.
  - Failures of tasks with C(ignore_errors), unreachable hosts with C(ignore_unreachable) and
    failures that a C(rescue) section handles are not reported.
  - Never makes the playbook fail - if the service cannot be reached or refuses the message,
    a warning is shown. Credentials never appear in the output.
  - Runs on the controller and needs nothing beyond ansible-core.
author:
  - smsc-integrations contributors (@smsc-integrations)
requirements:
  - Enable it with C(callbacks_enabled = smsc.messaging.notify) in C(ansible.cfg) (section
    C([defaults])) or E(ANSIBLE_CALLBACKS_ENABLED=smsc.messaging.notify).
options:
  login:
    description: The account's login; give O(login) and O(password), or O(api_key).
    type: str
    env:
      - name: SMSC_LOGIN
    ini:
      - section: callback_smsc_notify
        key: login
  password:
    description: The account's password. Prefer the environment to a file for it.
    type: str
    env:
      - name: SMSC_PASSWORD
    ini:
      - section: callback_smsc_notify
        key: password
  api_key:
    description: An API key of the account, instead of O(login) and O(password).
    type: str
    env:
      - name: SMSC_API_KEY
    ini:
      - section: callback_smsc_notify
        key: api_key
  api_url:
    description: The address of the service's HTTP API.
    type: str
    default: https://smsc.ru
    env:
      - name: SMSC_API_URL
    ini:
      - section: callback_smsc_notify
        key: api_url
  validate_certs:
    description: Whether to verify the service's TLS certificate.
    type: bool
    default: true
    env:
      - name: SMSC_VALIDATE_CERTS
    ini:
      - section: callback_smsc_notify
        key: validate_certs
  timeout:
    description: Seconds to wait for the service to answer.
    type: float
    default: 30
    env:
      - name: SMSC_TIMEOUT
    ini:
      - section: callback_smsc_notify
        key: timeout
  to:
    description:
      - Phone numbers (or C(G<n>) contact groups) to send the summary to, comma-separated.
      - Give O(to), O(task_group) or both.
    type: list
    elements: str
    env:
      - name: SMSC_NOTIFY_TO
    ini:
      - section: callback_smsc_notify
        key: to
  task_group:
    description:
      - The id of a task group of the account's monitoring; the summary is sent as an event
        (C(ping.php)) with the playbook as C({NAME}), the failed hosts as C({HOST}) and the
        summary as C({INFO}).
    type: int
    env:
      - name: SMSC_NOTIFY_TASK_GROUP
    ini:
      - section: callback_smsc_notify
        key: task_group
  sender:
    description:
      - The sender name of the SMS (a phone number for O(kind=call)); the account's default
        when not set.
    type: str
    env:
      - name: SMSC_NOTIFY_SENDER
    ini:
      - section: callback_smsc_notify
        key: sender
  kind:
    description: Send the summary to O(to) as an V(sms) or read it out in a voice V(call).
    type: str
    choices: [sms, call]
    default: sms
    env:
      - name: SMSC_NOTIFY_KIND
    ini:
      - section: callback_smsc_notify
        key: kind
  per:
    description: Send one summary per V(playbook) run, or one per V(play) that had failures.
    type: str
    choices: [playbook, play]
    default: playbook
    env:
      - name: SMSC_NOTIFY_PER
    ini:
      - section: callback_smsc_notify
        key: per
  max_length:
    description:
      - The summary is cut to this many characters (an SMS part holds 160 Latin or 70 Cyrillic
        characters; at most 1000).
    type: int
    default: 450
    env:
      - name: SMSC_NOTIFY_MAX_LENGTH
    ini:
      - section: callback_smsc_notify
        key: max_length
"""

EXAMPLES = r"""
# ansible.cfg
# [defaults]
# callbacks_enabled = smsc.messaging.notify
#
# [callback_smsc_notify]
# to = +79991234567,+79997654321
# sender = Ops
# per = play
#
# and the credentials in the environment:
#   export SMSC_LOGIN=mylogin SMSC_PASSWORD=...
"""

import os
from collections import OrderedDict
from typing import Any

from ansible.playbook.block import Block
from ansible.plugins.callback import CallbackBase

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.errors import SmscError
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.models import MessageKind
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import (
    Credentials,
    Message,
    ping,
    send_message,
)
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.redact import (
    redact as scrub,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_transport import (
    Connection,
    execute,
)

_MAX_TEXT = 1000


def _first_line(text: Any, limit: int = 120) -> str:
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "\u2026"


def _is_rescued(task: Any) -> bool:
    """Whether a failure of ``task`` is handled by the ``rescue`` of an enclosing block."""
    child, node = task, getattr(task, "_parent", None)
    while node is not None:
        if isinstance(node, Block) and node.rescue:
            in_block = any(getattr(t, "_uuid", None) == child._uuid for t in node.block or ())
            if in_block:
                return True
        child, node = node, getattr(node, "_parent", None)
    return False


class CallbackModule(CallbackBase):
    """Sends one summary of failed and unreachable hosts through SMSC."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "smsc.messaging.notify"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display: Any = None) -> None:
        super().__init__(display=display)
        self._connection: Connection | None = None
        self._secrets: tuple[str, ...] = ()
        self._playbook = "playbook"
        self._play = ""
        self._plays: list[str] = []
        self._failures: OrderedDict[str, str] = OrderedDict()

    # -- configuration ----------------------------------------------------------------------

    def set_options(
        self,
        task_keys: dict[str, Any] | None = None,
        var_options: dict[str, Any] | None = None,
        direct: dict[str, Any] | None = None,
    ) -> None:
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        self._secrets = tuple(
            value for value in (self.get_option("password"), self.get_option("api_key")) if value
        )
        self._connection = None
        if not self.get_option("to") and self.get_option("task_group") is None:
            self._warn("set 'to' or 'task_group' to receive failure summaries")
            return
        try:
            credentials = Credentials(
                login=self.get_option("login") or None,
                password=self.get_option("password") or None,
                api_key=self.get_option("api_key") or None,
            )
            self._connection = Connection(
                credentials,
                base_url=self.get_option("api_url"),
                validate_certs=self.get_option("validate_certs"),
                timeout=self.get_option("timeout"),
                rate_limit_wait=0,
            )
        except SmscError as exc:
            self._warn(f"not configured: {exc}")

    def _warn(self, text: str) -> None:
        self._display.warning(f"smsc.messaging.notify: {scrub(text, self._secrets)}")

    # -- events -----------------------------------------------------------------------------

    def v2_playbook_on_start(self, playbook: Any) -> None:
        self._playbook = os.path.basename(getattr(playbook, "_file_name", "") or "playbook")

    def v2_playbook_on_play_start(self, play: Any) -> None:
        if self.get_option("per") == "play":
            self._flush()
        self._play = play.get_name().strip()

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        if ignore_errors or _is_rescued(result._task):
            return
        reason = _first_line(result._result.get("msg")) or "failed"
        self._record(result, f"{result._task.get_name()}: {reason}")

    def v2_runner_on_async_failed(self, result: Any) -> None:
        self._record(result, f"{result._task.get_name()}: async task failed")

    def v2_runner_on_unreachable(self, result: Any) -> None:
        if getattr(result._task, "ignore_unreachable", False):
            return
        self._record(result, "unreachable")

    def v2_playbook_on_stats(self, stats: Any) -> None:
        self._flush()

    # -- the summary ------------------------------------------------------------------------

    def _record(self, result: Any, what: str) -> None:
        host = result._host.get_name()
        if host not in self._failures:  # the first failure of a host says the most
            self._failures[host] = what
        if self._play and self._play not in self._plays:
            self._plays.append(self._play)

    def summary(self, failures: OrderedDict[str, str], plays: list[str]) -> str:
        """The text sent: where it failed, then each host with its first failure."""
        where = self._playbook
        if plays:
            where += f" ({', '.join(plays)})"
        count = len(failures)
        text = f"Ansible {where}: {count} host{'s' if count != 1 else ''} failed. "
        limit = max(60, min(int(self.get_option("max_length")), _MAX_TEXT))
        for index, (host, what) in enumerate(failures.items()):
            item = f"{host} - {what}; "
            if index and len(text) + len(item) > limit - 12:
                text += f"+{count - index} more"
                break
            text += item
        text = text.rstrip("; ")
        return text if len(text) <= limit else text[: limit - 1] + "\u2026"

    def _flush(self) -> None:
        failures, plays = self._failures, self._plays
        self._failures, self._plays = OrderedDict(), []
        if not failures or self._connection is None:
            return
        text = self.summary(failures, plays)
        if self.get_option("to"):
            self._attempt(self._send_message, text)
        if self.get_option("task_group") is not None:
            self._attempt(self._send_event, text, list(failures))

    def _attempt(self, send: Any, *args: Any) -> None:
        try:
            send(*args)
        except Exception as exc:  # noqa: BLE001 - a notification never fails the playbook
            self._warn(f"could not send the failure summary: {exc}")

    def _send_message(self, text: str) -> None:
        if self._connection is None:
            return
        kind = MessageKind.CALL if self.get_option("kind") == "call" else MessageKind.SMS
        message = Message(
            to=self.get_option("to"), text=text, kind=kind, sender=self.get_option("sender")
        )
        result = execute(send_message(message), self._connection)
        self._display.display(
            f"smsc.messaging.notify: failure summary sent to {len(message.recipients)} "
            f"recipient(s), message id {result.id}"
        )

    def _send_event(self, text: str, hosts: list[str]) -> None:
        if self._connection is None:
            return
        task_group = int(self.get_option("task_group"))
        operation = ping(
            task_group, name=self._playbook[:1000], host=", ".join(hosts)[:1000], info=text
        )
        execute(operation, self._connection)
        self._display.display(
            f"smsc.messaging.notify: failure event sent to task group {task_group}"
        )
