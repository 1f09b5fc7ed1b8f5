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
  - The summary groups the hosts by what went wrong (the task and its message, or why a host
    was unreachable), and is made short enough for O(max_parts) SMS parts, with less detail
    when needed.
  - Failures of tasks with C(ignore_errors), unreachable hosts with C(ignore_unreachable) and
    failures that a C(rescue) section handles are not reported.
  - The settings are checked when the playbook starts; a bad setting is a warning at once, not
    a surprise at the end of a failed run. A recipient that is no phone number is left out (the
    others still get the summary), a call from an alphanumeric sender name comes from the
    account's default instead; without credentials nothing is sent.
  - In a check run (C(--check)) nothing is sent unless O(send_in_check_mode) is set; the
    summary then says it comes from a check run.
  - Never makes the playbook fail - if the service cannot be reached or refuses the message,
    a warning says so, and whether the summary may have been sent all the same. Credentials
    never appear in the output.
  - Runs on the controller and needs nothing beyond ansible-core.
author:
  - smsc-integrations contributors (@smsc-integrations)
requirements:
  - Enable it with C(callbacks_enabled = smsc.messaging.notify) in C(ansible.cfg) (section
    C([defaults])) or E(ANSIBLE_CALLBACKS_ENABLED=smsc.messaging.notify).
options:
  login:
    description:
      - The account's login; give O(login) and O(password), or O(api_key).
      - Credentials set in C(ansible.cfg) win over the environment, which only fills what is
        not set - an E(SMSC_API_KEY) in the environment does not conflict with a login and
        password in C(ansible.cfg), nor E(SMSC_LOGIN) with an API key there.
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
      - Phone numbers (or C(G<n>) contact groups) to send the summary to, comma-separated;
        the same number given twice gets one message.
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
  max_parts:
    description:
      - The SMS summary is made to fit in this many SMS parts (from 1 to 10; an SMS part holds
        160 Latin or 70 Cyrillic characters), with less detail when the full one is longer.
    type: int
    default: 1
    version_added: 0.1.0
    env:
      - name: SMSC_NOTIFY_MAX_PARTS
    ini:
      - section: callback_smsc_notify
        key: max_parts
  max_length:
    description:
      - The summary never has more than this many characters (from 60 to 1000) - the text of
        a call or an event, and a cap for an SMS on top of O(max_parts).
    type: int
    default: 450
    env:
      - name: SMSC_NOTIFY_MAX_LENGTH
    ini:
      - section: callback_smsc_notify
        key: max_length
  send_in_check_mode:
    description:
      - Send the summary of a check run (C(--check)) too; it then begins with C([check run]).
    type: bool
    default: false
    version_added: 0.1.0
    env:
      - name: SMSC_NOTIFY_SEND_IN_CHECK_MODE
    ini:
      - section: callback_smsc_notify
        key: send_in_check_mode
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
import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable

from ansible import context
from ansible.playbook.block import Block
from ansible.plugins.callback import CallbackBase

from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc import phones
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.errors import (
    SmscError,
    ValidationError,
)
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.models import MessageKind
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.protocol import (
    Credentials,
    Message,
    check_recipients,
    check_sender,
    ping,
    send_message,
)
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.redact import (
    redact,
    secret_forms,
)
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.text import segment
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.transport import (
    check_base_url,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_credentials import (
    CREDENTIAL_ENV,
    resolve_credentials,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_transport import (
    Connection,
    execute,
)

_MAX_TEXT = 1000
_MIN_LENGTH = 60
# The library's field names -> this callback's option names.
_OPTIONS = {"base_url": "api_url", "tz": "timezone", "id": "task_group", "phones": "to"}
# Characters a log line may carry that a message may not: control characters (ANSI colours,
# carriage returns) and halves of surrogate pairs from undecodable output.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]+")
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# Less and less detail, until the summary fits: how much of each reason, how many hosts named.
_DETAIL = ((120, 8), (60, 5), (40, 3), (24, 2), (0, 2), (0, 0))


def clean(text: Any) -> str:
    """One line of printable text from anything a task or a host reported."""
    text = _ANSI_ESCAPE.sub("", str(text or ""))
    return " ".join(_UNPRINTABLE.sub(" ", text).split())


def _first_line(text: Any) -> str:
    lines = [line for line in (clean(raw) for raw in str(text or "").splitlines()) if line]
    return lines[0] if lines else ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "\u2026"


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


class Failure:
    """What went wrong on one host: the task (None: unreachable) and the message."""

    def __init__(self, task: str | None, message: str) -> None:
        self.task = task
        self.message = message

    def reason(self, limit: int) -> str:
        """The reason, its message cut to ``limit`` characters (0: the task alone)."""
        message = _cut(self.message, limit) if limit else ""
        if self.task is None:
            return f"unreachable ({message})" if message else "unreachable"
        return f"{self.task}: {message}" if message else self.task


def _hosts(hosts: list[str], named: int) -> str:
    """``web1, web2 +3``: the first ``named`` hosts and how many more (0: only the count)."""
    if not named:
        return f"{len(hosts)} host{'s' if len(hosts) != 1 else ''}"
    shown = ", ".join(hosts[:named])
    return shown + (f" +{len(hosts) - named}" if len(hosts) > named else "")


def summary(
    where: str,
    failures: Mapping[str, Failure],
    *,
    check_run: bool = False,
    fits: Callable[[str], bool] = lambda text: True,
    max_length: int = 450,
) -> str:
    """The text sent: where it failed, then the hosts grouped by reason (``web1, web2 - Install
    packages: No package matching 'foo'``), each group's hosts sorted, the groups with the most
    hosts first; with less detail until ``fits`` accepts it, and never more than ``max_length``
    characters."""
    failed = sum(1 for f in failures.values() if f.task is not None)
    unreachable = len(failures) - failed
    counts = []
    if failed:
        counts.append(f"{failed} host{'s' if failed != 1 else ''} failed")
    if unreachable:
        counts.append(f"{unreachable} unreachable")
    head = f"{'[check run] ' if check_run else ''}Ansible {where}: {', '.join(counts)}."
    text = head
    for limit, named in _DETAIL:
        groups: dict[str, list[str]] = {}
        for host, failure in failures.items():
            groups.setdefault(failure.reason(limit), []).append(host)
        parts = []
        for reason, hosts in sorted(groups.items(), key=lambda g: (-len(g[1]), sorted(g[1]))):
            parts.append(f"{_hosts(sorted(hosts), named)} - {reason}")
        text = f"{head} {'; '.join(parts)}"
        if len(text) <= max_length and fits(text):
            return text
    text = _cut(text, max_length)
    while len(text) > len(head) and not fits(text):
        text = _cut(text, len(text) - 10)
    return text


class CallbackModule(CallbackBase):
    """Sends one summary of failed and unreachable hosts through SMSC."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "smsc.messaging.notify"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display: Any = None) -> None:
        super().__init__(display=display)
        self._connection: Connection | None = None
        self._recipients: tuple[str, ...] = ()
        self._sender: str | None = None
        self._task_group: int | None = None
        self._secrets: tuple[str, ...] = ()
        self._playbook = "playbook"
        self._play = ""
        self._plays: list[str] = []
        self._failures: dict[str, Failure] = {}

    # -- configuration, checked when the playbook starts --------------------------------------

    def set_options(
        self,
        task_keys: dict[str, Any] | None = None,
        var_options: dict[str, Any] | None = None,
        direct: dict[str, Any] | None = None,
    ) -> None:
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        self._connection = None
        problems = self._configure()
        for problem in problems:
            self._warn(problem)

    def _origin(self, option: str) -> str:
        getter = getattr(self, "get_option_and_origin", None)
        if getter is None:  # pragma: no cover - every supported ansible-core has it
            return "unknown"
        try:
            return str(getter(option)[1])
        except KeyError:  # pragma: no cover
            return "unknown"

    def _name(self, option: str) -> str:
        """An option as the user wrote it: its environment variable, or its ansible.cfg key."""
        origin = self._origin(option)
        if origin.startswith("env: "):
            return origin[len("env: ") :]
        return option

    def _credentials(self) -> Credentials:
        """Credentials from ansible.cfg win; the environment fills only what is unset."""
        explicit = {}
        for option in CREDENTIAL_ENV:
            origin = self._origin(option)
            if not origin.startswith("env: ") and origin != "default":
                explicit[option] = self.get_option(option)
        return Credentials(**resolve_credentials(explicit, os.environ))

    def _configure(self) -> list[str]:
        """Check every setting when the playbook starts; the warnings, each naming the setting
        as the user wrote it. A bad recipient, sender name or task group is left out and the
        summary still goes where it can; without credentials or an address nothing is sent."""
        problems: list[str] = []
        values = [self.get_option("password"), self.get_option("api_key")]
        values += [os.environ.get("SMSC_PASSWORD"), os.environ.get("SMSC_API_KEY")]
        self._secrets = tuple(form for value in values if value for form in secret_forms(value))
        kind = MessageKind.CALL if self.get_option("kind") == "call" else MessageKind.SMS
        self._recipients = self._check_recipients(kind, problems)
        self._sender = self.get_option("sender") or None
        if self._sender is not None:
            try:
                check_sender(self._sender, kind)
            except ValidationError as exc:
                problems.append(
                    f"{self._name('sender')}: {exc.rule}; the account's default sender is used"
                )
                self._sender = None
        self._task_group = self.get_option("task_group")
        if self._task_group is not None and int(self._task_group) < 1:
            problems.append(f"{self._name('task_group')}: must be the positive id of a task group")
            self._task_group = None
        if not self._recipients and self._task_group is None:
            problems.append(
                f"no failure summary will be sent: set {self._name('to')} or "
                f"{self._name('task_group')} (in [callback_smsc_notify] of ansible.cfg, or "
                "SMSC_NOTIFY_TO or SMSC_NOTIFY_TASK_GROUP)"
            )
            return problems
        for option, low, high in (("max_length", _MIN_LENGTH, _MAX_TEXT), ("max_parts", 1, 10)):
            value = int(self.get_option(option))
            if not low <= value <= high:
                used = min(max(value, low), high)
                problems.append(
                    f"{self._name(option)}: must be from {low} to {high}; {used} is used"
                )
        self._connection = self._connect(problems)
        return problems

    def _check_recipients(self, kind: MessageKind, problems: list[str]) -> tuple[str, ...]:
        """The recipients in ``to``, each once (the list is composed here), without the ones
        that are no recipient (warned about)."""
        unique: dict[str, str] = {}
        for item in self.get_option("to") or []:
            for part in re.split(r"[,;]", str(item)):
                if part.strip():
                    unique.setdefault(phones.same_recipient(part), part.strip())
        recipients: list[str] = []
        for recipient in unique.values():
            try:
                recipients.extend(check_recipients([recipient], kind))
            except ValidationError as exc:
                problems.append(f"{self._name('to')}: {exc.rule}; it gets no summary")
        return tuple(recipients)

    def _connect(self, problems: list[str]) -> Connection | None:
        credentials = None
        try:
            credentials = self._credentials()
        except ValidationError as exc:
            problems.append(
                f"{self._name(exc.field)}: {exc.rule} (in [callback_smsc_notify] of "
                "ansible.cfg, or SMSC_LOGIN and SMSC_PASSWORD, or SMSC_API_KEY); no failure "
                "summary will be sent"
            )
        if credentials is None:
            try:  # the other setting that needs no credentials to be checked
                check_base_url(self.get_option("api_url"))
            except ValidationError as exc:
                problems.append(f"{self._name('api_url')}: {exc.rule}")
            return None
        try:
            return Connection(
                credentials,
                base_url=self.get_option("api_url"),
                validate_certs=self.get_option("validate_certs"),
                timeout=float(self.get_option("timeout")),
                rate_limit_wait=0,
            )
        except ValidationError as exc:
            name = self._name(_OPTIONS.get(exc.field, exc.field))
            problems.append(f"{name}: {exc.rule}; no failure summary will be sent")
            return None

    def _warn(self, text: str) -> None:
        self._display.warning(f"smsc.messaging.notify: {redact(text, self._secrets)}")

    @staticmethod
    def _check_run() -> bool:
        return bool(context.CLIARGS.get("check", False))

    # -- events -----------------------------------------------------------------------------

    def v2_playbook_on_start(self, playbook: Any) -> None:
        self._playbook = os.path.basename(getattr(playbook, "_file_name", "") or "playbook")

    def v2_playbook_on_play_start(self, play: Any) -> None:
        if self.get_option("per") == "play":
            self._flush()
        self._play = clean(play.get_name())

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        if ignore_errors or _is_rescued(result._task):
            return
        message = _first_line(result._result.get("msg")) or "failed"
        self._record(result, Failure(clean(result._task.get_name()), message))

    def v2_runner_on_async_failed(self, result: Any) -> None:
        self._record(result, Failure(clean(result._task.get_name()), "async task failed"))

    def v2_runner_on_unreachable(self, result: Any) -> None:
        if getattr(result._task, "ignore_unreachable", False):
            return
        self._record(result, Failure(None, _first_line(result._result.get("msg"))))

    def v2_playbook_on_stats(self, stats: Any) -> None:
        self._flush()

    # -- the summary ------------------------------------------------------------------------

    def _record(self, result: Any, failure: Failure) -> None:
        host = clean(result._host.get_name())
        self._failures.setdefault(host, failure)  # the first failure of a host says the most
        if self._play and self._play not in self._plays:
            self._plays.append(self._play)

    def _text(self, failures: Mapping[str, Failure], plays: Sequence[str], sms: bool) -> str:
        where = self._playbook + (f" ({', '.join(plays)})" if plays else "")
        max_parts = min(max(int(self.get_option("max_parts")), 1), 10)

        def fits(text: str) -> bool:
            return not sms or segment(text).parts <= max_parts

        return summary(
            clean(where),
            failures,
            check_run=self._check_run(),
            fits=fits,
            max_length=min(max(int(self.get_option("max_length")), _MIN_LENGTH), _MAX_TEXT),
        )

    def _flush(self) -> None:
        failures, plays = self._failures, self._plays
        self._failures, self._plays = {}, []
        connection = self._connection
        if not failures or connection is None:
            return
        if self._check_run() and not self.get_option("send_in_check_mode"):
            self._display.display(
                "smsc.messaging.notify: check run, the failure summary was not sent "
                "(set send_in_check_mode to send it)"
            )
            return
        if self._recipients:
            sms = self.get_option("kind") != "call"
            self._attempt(self._send_message, connection, self._text(failures, plays, sms))
        if self._task_group is not None:
            text = self._text(failures, plays, False)
            self._attempt(self._send_event, connection, text, sorted(failures))

    def _attempt(self, send: Callable[..., None], *args: Any) -> None:
        try:
            send(*args)
        except SmscError as exc:
            fate = (
                "it may have been sent all the same, so it was not sent again"
                if exc.may_have_been_sent
                else "it was not sent"
            )
            self._warn(f"could not send the failure summary ({fate}): {exc}")
        except Exception as exc:  # noqa: BLE001 - a notification never fails the playbook
            self._warn(f"could not send the failure summary: {exc}")

    def _send_message(self, connection: Connection, text: str) -> None:
        kind = MessageKind.CALL if self.get_option("kind") == "call" else MessageKind.SMS
        message = Message(to=self._recipients, text=text, kind=kind, sender=self._sender)
        result = execute(send_message(message), connection)
        self._display.display(
            f"smsc.messaging.notify: failure summary sent to {len(message.recipients)} "
            f"recipient(s), message id {result.id}"
        )

    def _send_event(self, connection: Connection, text: str, hosts: list[str]) -> None:
        task_group = int(self._task_group or 0)
        operation = ping(
            task_group,
            name=_cut(clean(self._playbook), _MAX_TEXT),
            host=_cut(", ".join(hosts), _MAX_TEXT),
            info=text,
        )
        execute(operation, connection)
        self._display.display(
            f"smsc.messaging.notify: failure event sent to task group {task_group}"
        )
