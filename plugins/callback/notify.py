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
  - With O(page), the summary B(pages) O(to) in order instead - an SMS to the first, a call
    when it is not delivered within O(page_deliver_within) or not acknowledged (by a reply)
    within O(page_ack_within), then the next person - as the M(smsc.messaging.page) module
    does. The end of the playbook waits for pages at most O(page_wait) in all (5 minutes by
    default), then they stop escalating and a warning says so. With O(relay_url), pages are
    handed to a running C(smsc relay) instead and the playbook ends at once; the relay hears
    key presses and escalates for as long as its routes say, and a later run without failures
    resolves the page there.
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
  page:
    description:
      - Page O(to) (phone numbers, in order) with the summary until someone acknowledges,
        instead of sending it to all of them; O(kind) is then not used.
      - A reply with the page's code, C(ack) or C(ok) acknowledges. Key presses in the call
        reach only a relay (O(relay_url)).
    type: bool
    default: false
    version_added: 0.1.0
    env:
      - name: SMSC_NOTIFY_PAGE
    ini:
      - section: callback_smsc_notify
        key: page
  page_deliver_within:
    description:
      - With O(page), a message not delivered in this time (V(90s), V(1m)) is followed by a call
        (or the next person, with O(page_call=false)); V(none) - delivery is not watched.
    type: str
    default: 1m
    version_added: 0.1.0
    env:
      - name: SMSC_NOTIFY_PAGE_DELIVER_WITHIN
    ini:
      - section: callback_smsc_notify
        key: page_deliver_within
  page_ack_within:
    description:
      - With O(page), no acknowledgement in this time - the call; after the call, the time to
        reply before the next person. V(none) - delivery is enough.
    type: str
    default: 2m
    version_added: 0.1.0
    env:
      - name: SMSC_NOTIFY_PAGE_ACK_WITHIN
    ini:
      - section: callback_smsc_notify
        key: page_ack_within
  page_call:
    description: With O(page), call when the SMS is not delivered or not acknowledged in time.
    type: bool
    default: true
    version_added: 0.1.0
    env:
      - name: SMSC_NOTIFY_PAGE_CALL
    ini:
      - section: callback_smsc_notify
        key: page_call
  page_wait:
    description:
      - With O(page) and no O(relay_url), the longest the end of the playbook waits for its
        pages, in all (V(5m), V(90s)); a page still escalating then stops, with a warning.
        The first message of every page is sent whatever is left.
    type: str
    default: 5m
    version_added: 0.1.0
    env:
      - name: SMSC_NOTIFY_PAGE_WAIT
    ini:
      - section: callback_smsc_notify
        key: page_wait
  relay_url:
    description:
      - With O(page), hand pages to the C(smsc relay) at this address (its C(POST /alerts))
        instead of running them here; O(to) may then name the relay's contacts, or be left
        out for the relay's routes to choose. The relay's routes decide what
        O(page_deliver_within), O(page_ack_within) and O(page_call) leave at their defaults.
    type: str
    version_added: 0.1.0
    env:
      - name: SMSC_RELAY_URL
    ini:
      - section: callback_smsc_notify
        key: relay_url
  relay_token:
    description: The relay's bearer token. Prefer the environment to a file for it.
    type: str
    version_added: 0.1.0
    env:
      - name: SMSC_RELAY_TOKEN
    ini:
      - section: callback_smsc_notify
        key: relay_token
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
#
# Page the on-call chain until someone acknowledges, handed to a relay:
# [callback_smsc_notify]
# to = +79991234567,+79997654321
# page = true
# relay_url = https://relay.example.com
#   export SMSC_RELAY_TOKEN=...
"""

import os
import re
import time
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
from ansible_collections.smsc.messaging.plugins.module_utils.pysmsc.paging import (
    Contact,
    Escalation,
    Page,
    Phase,
    parse_duration,
)
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
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_paging import (
    FOREGROUND_TEXTS,
    ForegroundPage,
    duration,
    page_result,
)
from ansible_collections.smsc.messaging.plugins.module_utils.smsc_relay import (
    Relay,
    RelayError,
    hand_over,
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
# The page options that are durations, and what a bad value falls back to.
_PAGE_DURATIONS = {"page_deliver_within": 60.0, "page_ack_within": 120.0, "page_wait": 300.0}
_MAX_KEY = 400  # the relay's limit on a key


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
        self._playbook_path = "playbook"
        self._play = ""
        self._plays: list[str] = []
        self._failures: dict[str, Failure] = {}
        self._paging = False
        self._relay: Relay | None = None
        self._page_bounds: dict[str, float | None] = {}
        self._pages_until: float | None = None  # when page_wait runs out (from the first page)

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
        prefix = "env: "
        return origin.removeprefix(prefix) if origin.startswith(prefix) else option

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
        values.append(self.get_option("relay_token"))
        self._secrets = tuple(form for value in values if value for form in secret_forms(value))
        self._paging = bool(self.get_option("page"))
        self._relay = self._check_relay(problems) if self._paging else None
        calls = self.get_option("kind") == "call" and not self._paging
        kind = MessageKind.CALL if calls else MessageKind.SMS
        if self._relay is not None:
            # The relay's contact names count too; the relay checks them.
            self._recipients = tuple(self._listed())
        else:
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
        if self._paging:
            self._page_bounds = self._check_page_bounds(problems)
        if not self._recipients and self._task_group is None and self._relay is None:
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
        if self._relay is None:
            self._connection = self._connect(problems)
        elif self._task_group is not None or self._fallback_phones():
            # Events need the service; a page the relay cannot take is run here instead, when
            # the credentials allow (their absence is no problem while the relay takes pages).
            required = self._task_group is not None
            self._connection = self._connect(problems if required else [])
        return problems

    def _listed(self) -> list[str]:
        """The items of ``to``, each once, as written."""
        unique: dict[str, str] = {}
        for item in self.get_option("to") or []:
            for part in re.split(r"[,;]", str(item)):
                if part.strip():
                    unique.setdefault(phones.same_recipient(part), part.strip())
        return list(unique.values())

    def _fallback_phones(self) -> tuple[str, ...]:
        """The phone numbers of ``to`` (a relay's contact names are not)."""
        return tuple(item for item in self._recipients if phones.is_phone(item))

    def _check_relay(self, problems: list[str]) -> Relay | None:
        url = self.get_option("relay_url")
        if not url:
            return None
        try:
            return Relay(
                url,
                self.get_option("relay_token") or "",
                validate_certs=self.get_option("validate_certs"),
                timeout=float(self.get_option("timeout")),
            )
        except ValidationError as exc:
            problems.append(
                f"{self._name(exc.field)}: {exc.rule} (in [callback_smsc_notify] of ansible.cfg, "
                "or SMSC_RELAY_URL and SMSC_RELAY_TOKEN); pages are run here instead"
            )
            return None

    def _check_page_bounds(self, problems: list[str]) -> dict[str, float | None]:
        """The page's durations in seconds (None: not watched); a bad one is warned about and
        replaced by its default."""
        bounds: dict[str, float | None] = {}
        for option, fallback in _PAGE_DURATIONS.items():
            value = str(self.get_option(option)).strip()
            if option != "page_wait" and value.lower() == "none":
                bounds[option] = None
                continue
            try:
                seconds = parse_duration(value, option)
            except ValidationError as exc:
                rule = exc.rule
            else:
                if option == "page_wait" or seconds >= 1:
                    bounds[option] = seconds
                    continue
                rule = "must be at least 1 second, or none"
            problems.append(f"{self._name(option)}: {rule}; {duration(fallback)} is used")
            bounds[option] = fallback
        if bounds["page_deliver_within"] is None and bounds["page_ack_within"] is None:
            fallback = _PAGE_DURATIONS["page_ack_within"]
            problems.append(
                f"{self._name('page_ack_within')}: cannot be none when "
                f"{self._name('page_deliver_within')} is (the page would never end); "
                f"{duration(fallback)} is used"
            )
            bounds["page_ack_within"] = fallback
        return bounds

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
                continue
            if self._paging and phones.is_group(recipient):
                recipients.pop()
                problems.append(
                    f"{self._name('to')}: {recipient!r} is a contact group, and a page goes to "
                    "phone numbers in order; it gets no page"
                )
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
        path = getattr(playbook, "_file_name", "") or "playbook"
        self._playbook = os.path.basename(path)
        self._playbook_path = os.path.abspath(path)

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

    def _max_parts(self) -> int:
        return min(max(int(self.get_option("max_parts")), 1), 10)

    def _text(
        self,
        failures: Mapping[str, Failure],
        plays: Sequence[str],
        sms: bool,
        template: str = "{text}",
    ) -> str:
        """The summary; an SMS fits in ``max_parts`` parts once put in ``template`` (a page's
        own words around it)."""
        where = self._playbook + (f" ({', '.join(plays)})" if plays else "")
        max_parts = self._max_parts()

        def fits(text: str) -> bool:
            return not sms or segment(template.format(text=text, code="XXXX")).parts <= max_parts

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
        quiet = self._check_run() and not self.get_option("send_in_check_mode")
        if not failures:
            if self._relay is not None and not quiet:
                self._resolve(self._relay)
            return
        if connection is None and self._relay is None:
            return
        if quiet:
            self._display.display(
                "smsc.messaging.notify: check run, the failure summary was not sent "
                "(set send_in_check_mode to send it)"
            )
            return
        if self._paging:
            text = self._text(failures, plays, True, FOREGROUND_TEXTS.alert)
            if self._relay is not None:
                self._attempt(self._hand_over, self._relay, text, plays)
            elif self._recipients and connection is not None:
                self._attempt(self._page_here, connection, text, plays, self._recipients)
        elif self._recipients and connection is not None:
            sms = self.get_option("kind") != "call"
            self._attempt(self._send_message, connection, self._text(failures, plays, sms))
        if self._task_group is not None and connection is not None:
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

    def _page_key(self, plays: Sequence[str]) -> str:
        """One page per playbook (or play): a relay pages the same key once while it is open,
        so a failing cron run does not page again while the last page is unresolved. The path
        tells two projects' site.yml apart."""
        key = f"ansible:{self._playbook_path}"
        if self.get_option("per") == "play" and plays:
            key += ":" + ",".join(plays)
        return key[:_MAX_KEY]

    def _resolve(self, relay: Relay) -> None:
        """A clean run resolves the page of the playbook (or play) at the relay: everyone it
        reached hears that it is over, and the next failure is a new page. The relay ignores
        a key with no open page."""
        per_play = self.get_option("per") == "play"
        if per_play and not self._play:
            return  # the first play starts: nothing ran yet
        key = self._page_key([self._play] if per_play else [])
        try:
            answer = hand_over(relay, {"key": key, "status": "resolved"})
        except RelayError as exc:
            self._warn(f"could not tell the relay that {key} ran without failures: {exc}")
            return
        if answer["action"] == "resolved":
            self._display.display(
                f"smsc.messaging.notify: ran without failures, the relay resolved its page ({key})"
            )

    def _hand_over(self, relay: Relay, text: str, plays: Sequence[str]) -> None:
        alert: dict[str, Any] = {
            "key": self._page_key(plays),
            "status": "firing",
            "summary": text,
            "labels": {"source": "ansible", "playbook": self._playbook},
        }
        if self._recipients:
            alert["to"] = list(self._recipients)
        escalation: dict[str, Any] = {}
        for field in ("deliver_within", "ack_within"):
            if self._origin(f"page_{field}") != "default":  # else the relay's route decides
                escalation[field] = self._page_bounds[f"page_{field}"]
        if self._origin("page_call") != "default":
            escalation["call"] = bool(self.get_option("page_call"))
        if escalation:
            alert["escalation"] = escalation
        try:
            answer = hand_over(relay, alert)
        except RelayError as exc:
            fallback = self._fallback_phones()
            if exc.outcome != "not_sent":
                self._warn(
                    f"the relay may have taken the failure page all the same, so it was not "
                    f"paged again: {exc}"
                )
            elif self._connection is not None and fallback:
                self._warn(f"{exc}; paging {', '.join(fallback)} from here instead")
                self._page_here(self._connection, text, plays, fallback)
            else:
                self._warn(f"the failure page was not handed over: {exc}")
            return
        page = answer.get("page") if isinstance(answer.get("page"), dict) else {}
        code = f" {page['code']}" if page and page.get("code") else ""
        self._display.display(
            f"smsc.messaging.notify: failure page{code} handed to the relay "
            f"({answer['action']}, key {alert['key']})"
        )

    def _page_here(
        self, connection: Connection, text: str, plays: Sequence[str], numbers: Sequence[str]
    ) -> None:
        """Page ``numbers`` in order, at most until ``page_wait`` of the run runs out (the
        first message goes out whatever is left)."""
        bounds = self._page_bounds
        deliver, ack = bounds["page_deliver_within"], bounds["page_ack_within"]
        escalation = Escalation(
            deliver_within=deliver,
            ack_within=ack,
            call=bool(self.get_option("page_call")),
            answer_within=max(10.0, ack or deliver or 60.0),
            max_parts=self._max_parts(),
            sender=self._sender,
            texts=FOREGROUND_TEXTS,
        )
        contacts = [Contact(number, number) for number in numbers]
        page = Page(self._page_key(plays), text, contacts, escalation)
        if self._pages_until is None:
            self._pages_until = time.time() + (bounds["page_wait"] or 0.0)
        runner = ForegroundPage(connection, page)
        interrupted = False
        try:
            runner.run(until=self._pages_until)
        except KeyboardInterrupt:
            interrupted = True
        if runner.state is None:
            self._warn("paging was interrupted before the first message")
            return
        self._report_page(page_result(runner.state), interrupted)

    def _report_page(self, result: dict[str, Any], interrupted: bool) -> None:
        code, phase = result["code"], result["phase"]
        reached = ", ".join(result["reached"]) or "nobody"
        if result["outcome"] == "not_sent":
            details = [m["detail"] for m in result["messages"] if m["detail"]]
            reason = details[0] if details else "every request was refused"
            self._warn(f"could not page anyone with the failure summary (not sent): {reason}")
        elif interrupted:
            self._warn(f"page {code} was interrupted: it stopped escalating (reached: {reached})")
        elif phase in (Phase.ACKNOWLEDGED, Phase.DELIVERED):
            self._display.display(
                f"smsc.messaging.notify: failure page {code}: {result['reason']} "
                f"(reached: {reached}, cost {result['cost']:g})"
            )
        elif phase == Phase.ESCALATING:
            self._warn(
                f"page {code} was still escalating when {self._name('page_wait')} ran out: it "
                f"stopped, nobody acknowledged yet (reached: {reached}); a relay (relay_url "
                "in [callback_smsc_notify], or SMSC_RELAY_URL) pages for as long as it takes"
            )
        else:
            self._warn(f"page {code}: {result['reason']} (reached: {reached})")

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
