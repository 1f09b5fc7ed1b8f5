# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The account's records as :class:`~smsc_resource.Resource` hooks: message templates, sender
names and operator templates. The modules ``template``/``templates``, ``sender``/``senders``
and ``operator_template`` declare options and hand their declarations to a
:class:`~smsc_resource.Converger` with one of these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from .pysmsc import phones
from .pysmsc.errors import CodeAlreadySentError, ValidationError
from .pysmsc.models import MessageKind, OperatorTemplateStatus, Sender, Template
from .pysmsc.protocol import (
    Operation,
    add_operator_template,
    add_sender,
    add_template,
    change_template,
    check_sender,
    check_sender_code,
    check_template_message,
    check_template_name,
    delete_sender,
    delete_template,
    operator_templates,
    send_sender_code,
    senders,
    templates,
)
from .smsc_module import (
    OPERATOR_TARGETS,
    TEMPLATE_KINDS,
    SmscModule,
    operator_status_dict,
    template_dict,
)
from .smsc_resource import Change, ChangeFailed, Record, Resource

__all__ = [
    "SENDER_STATUSES",
    "OperatorTemplateResource",
    "SenderResource",
    "TemplateResource",
    "is_number",
    "sender_key",
    "sender_view",
]

# -- message templates ------------------------------------------------------------------------

_TEMPLATE_DEFAULTS = {"kind": "any", "sender": "", "autosign": False}


def _sender_kind(kind: str) -> MessageKind:
    """The kind a template's sender is checked as: an address for e-mail, a name otherwise."""
    return MessageKind.EMAIL if kind == "email" else MessageKind.SMS


class TemplateResource(Resource):
    """templates.php; a template is known by its name, whatever its letter case (the service
    keeps names unique regardless of case)."""

    result_key = "template"
    options: ClassVar[Mapping[str, Any]] = {
        "name": {"type": "str", "required": True},
        "text": {"type": "str"},
        "kind": {"type": "str", "choices": list(TEMPLATE_KINDS)},
        "sender": {"type": "str"},
        "autosign": {"type": "bool"},
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
    }
    fields: ClassVar[Mapping[str, str]] = {
        "message": "text",
        "format": "kind",
        "template": "name",
        "template_id": "name",
    }
    compared = ("name", "text", "kind", "sender", "autosign")

    def check(self, item: Mapping[str, Any]) -> None:
        check_template_name(item["name"])
        kind = item.get("kind") or "any"
        if item.get("text") is not None:
            check_template_message(item["text"], TEMPLATE_KINDS[kind])
        if item.get("sender"):
            check_sender(item["sender"], _sender_kind(kind))

    def read(self) -> Operation[list[Template]]:
        return templates()

    def view(self, found: Template) -> Record:
        return template_dict(found)

    def key(self, name: str) -> str:
        return name.strip().lower()

    def wanted(self, item: Mapping[str, Any], current: Record | None, replace: bool) -> Record:
        base = current if current is not None and not replace else dict(_TEMPLATE_DEFAULTS)
        if item.get("text") is None:
            if current is None:
                raise ValidationError("text", "is required to create a template")
            if replace:
                raise ValidationError("text", "is required to replace a template")
        wanted = {"id": None if current is None else current["id"], "name": item["name"]}
        for name in ("text", "kind", "sender", "autosign"):
            value = item.get(name)
            wanted[name] = base.get(name) if value is None else value
        # A declared text or kind meets the other one of the current template: check them
        # together (a template's own values are the service's, not the user's input).
        if item.get("text") is not None or item.get("kind") is not None:
            check_template_message(wanted["text"], TEMPLATE_KINDS[wanted["kind"]], "text")
        if item.get("sender") or (item.get("kind") is not None and wanted["sender"]):
            check_sender(wanted["sender"], _sender_kind(wanted["kind"]))
        return wanted

    def create(self, item: Mapping[str, Any], wanted: Record) -> Change:
        operation = add_template(
            wanted["name"],
            wanted["text"],
            format=TEMPLATE_KINDS[wanted["kind"]],
            sender=wanted["sender"] or None,
            autosign=bool(wanted["autosign"]),
        )
        return Change(
            "create",
            wanted["name"],
            self.key(wanted["name"]),
            operation,
            wanted,
            finish=lambda after, new_id: {**(after or {}), "id": new_id},
        )

    def update(
        self, item: Mapping[str, Any], current: Record, wanted: Record, fields: list[str]
    ) -> Change:
        changes: dict[str, Any] = {}
        if "name" in fields:
            changes["name"] = wanted["name"]
        if "text" in fields:
            changes["message"] = wanted["text"]
        if "kind" in fields or "sender" in fields:
            # The sender is checked by the template's kind (an address for e-mail).
            changes["format"] = TEMPLATE_KINDS[wanted["kind"]]
        if "sender" in fields:
            changes["sender"] = wanted["sender"]
        if "autosign" in fields:
            changes["autosign"] = bool(wanted["autosign"])
        operation = change_template(current["id"], **changes)
        return Change(
            "update", wanted["name"], self.key(current["name"]), operation, wanted, fields
        )

    def delete(self, current: Record) -> Change:
        operation = delete_template(current["id"])
        return Change("delete", current["name"], self.key(current["name"]), operation, None)

    def config(self, record: Record) -> Record:
        return {name: record[name] for name in ("name", "text", "kind", "sender", "autosign")}


# -- sender names -----------------------------------------------------------------------------

SENDER_STATUSES = {0: "waiting for moderation", 1: "allowed", 2: "disabled"}
# A phone number becomes a sender name when its owner confirms it with a code.
_NUMBER_STATUSES = {0: "waiting for the confirmation code sent to the number"}


def is_number(name: str) -> bool:
    """Whether a sender name is a phone number (confirmed with a code, not moderated)."""
    text = name.strip()
    return text.lstrip("+").isdigit() and phones.is_phone(text)


def sender_key(name: str) -> str:
    """A sender name as the service tells names apart: a number by its digits (``+7999...``
    and ``7999...`` are one name), any other name without regard to case."""
    text = name.strip()
    return phones.normalize_phone(text).lstrip("+") if is_number(text) else text.lower()


def sender_view(
    name: str,
    status: int | None,
    sender_id: int | None = None,
    operators: Mapping[str, int] | None = None,
) -> Record:
    """A sender name as every module returns it (``sender``, ``senders``, ``sender_info``)."""
    table = {**SENDER_STATUSES, **_NUMBER_STATUSES} if is_number(name) else SENDER_STATUSES
    return {
        "id": sender_id,
        "name": name,
        "status": status,
        "status_meaning": None if status is None else table.get(status, f"status {status}"),
        "operators": dict(operators or {}),
    }


def sender_record(sender: Sender) -> Record:
    return sender_view(sender.name, sender.status, sender.id, sender.operators)


class SenderResource(Resource):
    """senders.php. A name (11 Latin characters) is requested and waits for the service's
    moderation; a phone number is confirmed in two runs (a code by SMS, then the code)."""

    result_key = "sender"
    result_defaults: ClassVar[Mapping[str, Any]] = {"code_sent": False}
    options: ClassVar[Mapping[str, Any]] = {
        "name": {"type": "str", "required": True},
        "comment": {"type": "str"},
        "confirmation_code": {"type": "str", "no_log": True},
        "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
    }
    fields: ClassVar[Mapping[str, str]] = {
        "number": "name",
        "code": "confirmation_code",
        "sender_id": "name",
        "sender": "name",
    }
    compared = ("status",)

    def check(self, item: Mapping[str, Any]) -> None:
        name = item["name"]
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("name", "must not be empty")
        check_sender(name, MessageKind.SMS, "name")
        if item.get("confirmation_code") and not is_number(name):
            raise ValidationError(
                "confirmation_code",
                "only a phone number used as sender name is confirmed with a code",
            )

    def read(self) -> Operation[list[Sender]]:
        return senders(with_status=True)

    def view(self, found: Sender) -> Record:
        return sender_record(found)

    def key(self, name: str) -> str:
        return sender_key(name)

    def wanted(self, item: Mapping[str, Any], current: Record | None, replace: bool) -> Record:
        if current is not None and not is_number(item["name"]):
            return current  # moderation is the service's; nothing else can be compared
        name = sender_key(item["name"]) if is_number(item["name"]) else item["name"].strip()
        planned = sender_view(name, 1 if is_number(name) else 0)
        return planned if current is None else {**current, "status": 1, "status_meaning": "allowed"}

    def create(self, item: Mapping[str, Any], wanted: Record) -> Change:
        if is_number(item["name"]):
            return self._confirm(item, None)
        planned = sender_view(wanted["name"], 0)
        operation = add_sender(wanted["name"], item.get("comment") or None)
        return Change(
            "create",
            wanted["name"],
            self.key(wanted["name"]),
            operation,
            planned,
            finish=lambda after, new_id: {**(after or {}), "id": new_id},
        )

    def update(
        self, item: Mapping[str, Any], current: Record, wanted: Record, fields: list[str]
    ) -> Change:
        return self._confirm(item, current)

    def _confirm(self, item: Mapping[str, Any], current: Record | None) -> Change:
        """A number: confirm it with the code, or have a code sent to it."""
        name = item["name"]
        key = self.key(name)
        before = current or sender_view(key, 0)
        code = item.get("confirmation_code")
        if code:
            after = {**before, **sender_view(before["name"], 1, before["id"], before["operators"])}
            return Change("confirm", name, key, check_sender_code(name, code), after)
        return Change(
            "send_code",
            name,
            key,
            send_sender_code(name),
            before,
            extra={"code_sent": True},
            tolerated=(CodeAlreadySentError,),
            tolerated_warning=(
                f"a confirmation code was already sent to {name} in the last 8 hours; "
                "run again with confirmation_code"
            ),
            warning=(
                f"a confirmation code was sent by SMS to {name}; run again with "
                "confirmation_code to confirm the number as a sender name"
            ),
        )

    def delete(self, current: Record) -> Change:
        operation = delete_sender(sender_id=current["id"])
        return Change("delete", current["name"], self.key(current["name"]), operation, None)

    def config(self, record: Record) -> Record:
        return {"name": record["name"]}


# -- operator templates -----------------------------------------------------------------------

OPERATOR_NAMES = {code: name for name, code in OPERATOR_TARGETS.items()}
# What op_templates.php's add answers per operator (get answers other codes).
_ADD_FAILURES = {-1: "the sender name is unknown or not allowed", -2: "it cannot be saved"}


class OperatorTemplateResource(Resource):
    """op_templates.php: a text of a sender name, registered with some operators. The record is
    the text with its status with each chosen operator; the service cannot delete it."""

    result_key = "operator_template"
    result_defaults: ClassVar[Mapping[str, Any]] = {"added": []}
    fields: ClassVar[Mapping[str, str]] = {"targets": "operators", "message": "text"}

    def __init__(self, smsc: SmscModule, sender: str, text: str, chosen: Sequence[str]) -> None:
        self.smsc = smsc
        self.sender = sender
        self.text = text
        self.chosen = list(chosen)  # op_templates.php names (mts_srv...)

    def identity(self, item: Mapping[str, Any]) -> str:
        return f"{item['sender']}: {item['text']}"

    def check(self, item: Mapping[str, Any]) -> None:
        # Both requests are built, and so checked, before anything is sent.
        self.lookup = operator_templates(self.sender, self.text, self.chosen)
        add_operator_template(self.sender, self.text, self.chosen)

    def read(self) -> Operation[list[list[OperatorTemplateStatus]]]:
        lookup = self.lookup
        return Operation(lookup.request, lambda text: [lookup.parse(text)])

    def view(self, found: list[OperatorTemplateStatus]) -> Record:
        by_code = {status.name: status for status in found}
        return {
            "sender": self.sender,
            "text": self.text,
            "operators": [operator_status_dict(by_code[c]) for c in self.chosen if c in by_code],
        }

    def wanted(self, item: Mapping[str, Any], current: Record | None, replace: bool) -> Record:
        return {"registered": [OPERATOR_NAMES[code] for code in self.chosen]}

    def differences(self, current: Record, wanted: Record) -> list[str]:
        return ["operators"] if self._missing(current) else []

    def _missing(self, current: Record) -> list[str]:
        registered = {o["operator"] for o in current["operators"] if o["status"] >= 0}
        return [code for code in self.chosen if OPERATOR_NAMES[code] not in registered]

    def update(
        self, item: Mapping[str, Any], current: Record, wanted: Record, fields: list[str]
    ) -> Change:
        missing = self._missing(current)
        names = [OPERATOR_NAMES[code] for code in missing]

        def finish(after: Record | None, added: list[OperatorTemplateStatus]) -> Record:
            failed = [status for status in added if status.status < 1]
            if failed:
                operators = ", ".join(
                    f"{OPERATOR_NAMES.get(f.name, f.name)} "
                    f"({_ADD_FAILURES.get(f.status, f'status {f.status}')})"
                    for f in failed
                )
                raise ChangeFailed(
                    f"the service did not add the template for {operators}",
                    partly=len(failed) < len(added),
                    failed_operators=[OPERATOR_NAMES.get(f.name, f.name) for f in failed],
                )
            # The statuses after adding, as the service reports them.
            return self.view(self.smsc.run(self.lookup))

        planned = {
            **current,
            "operators": [
                {**o, "status": 0, "status_meaning": "awaiting registration"}
                if o["operator"] in names
                else o
                for o in current["operators"]
            ],
        }
        return Change(
            "register",
            self.identity(item),
            self.key(self.identity(item)),
            add_operator_template(item["sender"], item["text"], missing),
            planned,
            fields=names,
            finish=finish,
            extra={"added": names},
        )

    def create(self, item: Mapping[str, Any], wanted: Record) -> Change:
        raise AssertionError("an operator template is always read: it is updated")
