# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every smsc.messaging module shares: the connection options, running pysmsc's protocol
operations over ``open_url``, turning the library's errors into ``fail_json``, and the plain
names the modules use for the service's codes.

Modules stay small: they declare their own options, build operations with the library (which
checks the input before anything is sent) and call :meth:`SmscModule.run`.

A request that sends a message ends in one of three outcomes, reported in the ``outcome`` key of
the result: ``sent``, ``not_sent`` (surely not sent: refused, bad input, or the service was
never reached) or ``may_have_been_sent`` (the answer was lost; the message may be on its way and
is never sent again blindly).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Callable, NoReturn, TypeVar

from ansible.module_utils.basic import AnsibleModule, env_fallback

from .pysmsc.errors import ApiError, ResponseError, SmscError, TransportError, ValidationError
from .pysmsc.models import (
    MessageKind,
    OperatorTemplateStatus,
    RecipientResult,
    StatusInfo,
    Template,
    status_error_meaning,
)
from .pysmsc.protocol import (
    Credentials,
    Operation,
)
from .pysmsc.redact import redact as scrub
from .pysmsc.transport import DEFAULT_BASE_URL
from .smsc_credentials import resolve_credentials
from .smsc_transport import Connection, execute

__all__ = [
    "AUTH_ARGUMENT_SPEC",
    "KINDS",
    "MAY_HAVE_BEEN_SENT",
    "NOT_SENT",
    "OPERATOR_TARGETS",
    "SENT",
    "TEMPLATE_KINDS",
    "SmscModule",
    "kind_name",
    "money",
    "operator_status_dict",
    "outcome",
    "recipient_dict",
    "status_dict",
    "template_dict",
]

T = TypeVar("T")

# The connection options of every module (documented in the smsc.messaging.auth fragment).
# The credentials have no env_fallback: the environment fills them per family, after the
# options are parsed (smsc_credentials), so that it never conflicts with explicit options.
AUTH_ARGUMENT_SPEC: dict[str, dict[str, Any]] = {
    "login": {"type": "str"},
    "password": {"type": "str", "no_log": True},
    "api_key": {"type": "str", "no_log": True},
    "api_url": {
        "type": "str",
        "default": DEFAULT_BASE_URL,
        "fallback": (env_fallback, ["SMSC_API_URL"]),
    },
    "validate_certs": {"type": "bool", "default": True},
    "timeout": {"type": "float", "default": 30.0},
    "rate_limit_wait": {"type": "float", "default": 60.0},
}
AUTH_MUTUALLY_EXCLUSIVE = [("api_key", "login"), ("api_key", "password")]

# The three outcomes of a request that sends a message (the ``outcome`` result key).
SENT = "sent"
NOT_SENT = "not_sent"
MAY_HAVE_BEEN_SENT = "may_have_been_sent"

# Message kinds by the names users write: the library's one table (MessageKind's values).
KINDS: dict[str, MessageKind] = {kind.value: kind for kind in MessageKind}
# Template kinds: plain name -> templates.php ``format``.
TEMPLATE_KINDS: dict[str, str] = {
    "any": "",
    "sms": "sms",
    "flash": "flash",
    "binary": "bin",
    "push": "push",
    "mms": "mms",
    "call": "call",
    "email": "mail",
    "viber": "viber",
}
# Operator template targets: plain name -> op_templates.php parameter.
OPERATOR_TARGETS: dict[str, str] = {
    "mts_service": "mts_srv",
    "mts_transactional": "mts_trn",
    "megafon_service": "mega_srv",
    "megafon_authorization": "mega_auth",
    "megafon_transactional": "mega_trn",
    "beeline_service": "bee_srv",
    "beeline_transactional": "bee_trn",
    "tele2_service": "tele2_srv",
    "tele2_transactional": "tele2_trn",
    "social": "soc",
}
_OPERATOR_NAMES = {code: name for name, code in OPERATOR_TARGETS.items()}
_TEMPLATE_KIND_NAMES = {code: name for name, code in TEMPLATE_KINDS.items()}

OPERATOR_TEMPLATE_STATUSES = {
    -2: "cannot be saved",
    -1: "not found",
    0: "awaiting registration",
    1: "sent for registration",
    2: "accepted by the operator",
    3: "not accepted by the operator",
    4: "temporarily disabled",
}


class SmscModule:
    """An :class:`AnsibleModule` with the connection options, and the way to run operations.

    ``fields`` maps the library's field names to the module's option names, so that a
    :class:`~pysmsc.errors.ValidationError` names the option the user wrote. ``sends``: the
    module sends messages, so every failure says which of the three outcomes it had.
    """

    def __init__(
        self,
        argument_spec: Mapping[str, Any],
        *,
        fields: Mapping[str, str] | None = None,
        mutually_exclusive: list[Any] | None = None,
        required_together: list[Any] | None = None,
        required_one_of: list[Any] | None = None,
        required_if: list[Any] | None = None,
        supports_check_mode: bool = True,
        sends: bool = False,
    ) -> None:
        self.sends = sends
        self.module = AnsibleModule(
            argument_spec={**AUTH_ARGUMENT_SPEC, **argument_spec},
            mutually_exclusive=AUTH_MUTUALLY_EXCLUSIVE + (mutually_exclusive or []),
            required_together=required_together or [],
            required_one_of=required_one_of or [],
            required_if=required_if or [],
            supports_check_mode=supports_check_mode,
        )
        self.params: dict[str, Any] = self.module.params
        self.fields = {"base_url": "api_url", **(fields or {})}
        self.connection = self.check(self._connection)

    @property
    def check_mode(self) -> bool:
        return bool(self.module.check_mode)

    @property
    def diff_mode(self) -> bool:
        return bool(self.module._diff)

    def _connection(self) -> Connection:
        params = self.params
        try:
            credentials = Credentials(**resolve_credentials(params, os.environ))
        except ValidationError as exc:
            if exc.field == "api_key":
                raise
            raise ValidationError(
                exc.field,
                f"{exc.rule}: set the options login and password (or api_key), or the "
                "environment variables SMSC_LOGIN and SMSC_PASSWORD (or SMSC_API_KEY)",
            ) from None
        # Values from the environment are not options, so Ansible does not know to hide them.
        self.module.no_log_values.update(credentials.secrets)
        return Connection(
            credentials,
            base_url=params["api_url"],
            validate_certs=params["validate_certs"],
            timeout=params["timeout"],
            rate_limit_wait=params["rate_limit_wait"],
        )

    def check(self, build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``build`` (an operation factory or a library constructor); bad input fails the
        module with the option and the rule, before anything is sent."""
        try:
            return build(*args, **kwargs)
        except ValidationError as exc:
            error = exc
        # Failing outside the except block: a rejected input is no crash, so no traceback.
        return self.fail_validation(error)

    def run(self, operation: Operation[T], **on_error: Any) -> T:
        """Run ``operation`` against the service; errors fail the module (``on_error`` is
        added to the failure's result, e.g. ``changed=True`` after earlier changes)."""
        try:
            return execute(operation, self.connection, warn=self.warn)
        except SmscError as exc:
            error = exc
        return self.fail_error(error, sends=operation.request.sends_message, **on_error)

    def execute(self, operation: Operation[T]) -> T:
        """Run ``operation``; the library's errors are raised (for callers that go on)."""
        return execute(operation, self.connection, warn=self.warn)

    def scrub(self, text: str) -> str:
        """``text`` without the credentials, in any encoding."""
        return scrub(text, self.connection.secrets)

    def warn(self, text: str) -> None:
        self.module.warn(self.scrub(text))

    def option(self, field: str) -> str:
        """The module's name for the library's ``field`` (``messages[2].text`` included)."""
        head, dot, rest = field.partition(".")
        base, bracket, index = head.partition("[")
        name = self.fields.get(head) or self.fields.get(base, base) + (bracket + index)
        if dot:
            return f"{name}.{self.fields.get(rest, rest)}"
        return name

    def rule(self, rule: str) -> str:
        """A rule that names other fields (``needs freq too``) in the module's words."""
        names = {field: option for field, option in self.fields.items() if field != option}
        if not names:
            return rule
        pattern = r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b"
        return re.sub(pattern, lambda match: names[match.group(1)], rule)

    def fail_validation(self, exc: ValidationError) -> NoReturn:
        option = self.option(exc.field)
        rule = self.rule(exc.rule)
        result = {"msg": f"{option}: {rule}", "field": option, "rule": rule}
        if self.sends:
            result["outcome"] = NOT_SENT  # refused before anything was sent
        self.module.fail_json(**result)
        raise AssertionError("fail_json exits")  # pragma: no cover

    def fail_error(self, exc: SmscError, *, sends: bool = False, **extra: Any) -> NoReturn:
        """``fail_json`` for an error of the library, with everything a user needs to act.

        ``sends``: the failed request sends a message, so the result says which outcome it
        had. One that may have been sent reports ``changed`` (something may have gone out)."""
        if isinstance(exc, ValidationError) and not extra:
            self.fail_validation(exc)
        secrets = self.connection.secrets
        result: dict[str, Any] = {"msg": scrub(str(exc), secrets)}
        if isinstance(exc, ValidationError):
            option, rule = self.option(exc.field), self.rule(exc.rule)
            result.update(msg=f"{option}: {rule}", field=option, rule=rule)
        if sends or self.sends or exc.may_have_been_sent:
            result["outcome"] = outcome(exc)
        if exc.may_have_been_sent and "may have been sent" not in result["msg"]:
            result["msg"] += "; the message may have been sent, so it was not sent again"
        if isinstance(exc, ApiError):
            result.update(
                endpoint=exc.endpoint,
                error_code=exc.code,
                error_meaning=exc.meaning,
                service_message=scrub(exc.description, secrets),
            )
            if exc.message_id:
                result["message_id"] = exc.message_id
        elif isinstance(exc, ResponseError):
            result["endpoint"] = exc.endpoint
        elif isinstance(exc, TransportError):
            result["maybe_received"] = exc.maybe_received
        result.update(extra)
        if result.get("outcome") == MAY_HAVE_BEEN_SENT:
            result["changed"] = True
        self.module.fail_json(**result)
        raise AssertionError("fail_json exits")  # pragma: no cover

    def exit(self, **result: Any) -> NoReturn:
        self.module.exit_json(**result)
        raise AssertionError("exit_json exits")  # pragma: no cover


def outcome(error: SmscError | None) -> str:
    """The outcome of a request that sends a message, from its error (None: it was sent)."""
    if error is None:
        return SENT
    return MAY_HAVE_BEEN_SENT if error.may_have_been_sent else NOT_SENT


def money(value: Decimal | None) -> float | None:
    """Amounts are Decimals in the library; Ansible results carry numbers."""
    return None if value is None else float(value)


def kind_name(kind: MessageKind) -> str:
    return kind.value


def recipient_dict(item: RecipientResult, kind: MessageKind = MessageKind.SMS) -> dict[str, Any]:
    return {
        "phone": item.phone,
        "mccmnc": item.mccmnc,
        "cost": money(item.cost),
        "status": item.status,
        "error": item.error,
        "error_meaning": status_error_meaning(item.error, mail=kind is MessageKind.EMAIL),
    }


def template_dict(template: Template) -> dict[str, Any]:
    return {
        "id": template.id,
        "name": template.name,
        "text": template.message,
        "kind": _TEMPLATE_KIND_NAMES.get(template.format, template.format),
        "sender": template.sender,
        "autosign": template.autosign,
    }


def operator_status_dict(item: OperatorTemplateStatus) -> dict[str, Any]:
    return {
        "operator": _OPERATOR_NAMES.get(item.name, item.name),
        "status": item.status,
        "status_meaning": OPERATOR_TEMPLATE_STATUSES.get(item.status, f"status {item.status}"),
        "id": item.id,
    }


def status_dict(info: StatusInfo) -> dict[str, Any]:
    def stamp(value: Any) -> str | None:
        return None if value is None else value.isoformat(sep=" ")

    return {
        "id": info.id,
        "phone": info.phone,
        "status": int(info.status),
        "status_meaning": info.meaning,
        "final": info.is_final,
        "error": info.error,
        "error_meaning": info.error_meaning,
        "last_date": stamp(info.last_date),
        "last_timestamp": info.last_timestamp,
        "send_date": stamp(info.send_date),
        "send_timestamp": info.send_timestamp,
        "cost": money(info.cost),
        "sender": info.sender,
        "text": info.text,
        "status_name": info.status_name,
        "country": info.country,
        "operator": info.operator,
        "region": info.region,
        "extra": dict(info.extra),
    }
