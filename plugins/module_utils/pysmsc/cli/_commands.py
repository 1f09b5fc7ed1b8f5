# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What each subcommand asks of the service: the protocol operation its arguments build (all
input checked, nothing sent), and how its result is shown."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

from .. import protocol
from ..errors import ValidationError
from ..models import DialParams
from ..protocol import Attachment, Operation
from ..schedule import parse_send_at, parse_validity

__all__ = ["OPTION_NAMES", "message_options", "operation", "read_text", "shown"]

# The library's field names -> the options users type, so that an error names the option.
OPTION_NAMES = {
    "to": "--to",
    "text": "--text",
    "kind": "--kind",
    "sender": "--sender",
    "subject": "--subject",
    "message_id": "--id",
    "comment": "--comment",
    "send_at": "--at",
    "tz": "--tz",
    "period": "--period",
    "freq": "--freq",
    "validity": "--validity",
    "max_parts": "--max-parts",
    "translit": "--translit",
    "voice": "--voice",
    "dial.wait": "--dial-wait",
    "dial.interval": "--dial-interval",
    "dial.attempts": "--dial-attempts",
    "file_url": "--file-url",
    "files": "--attach",
    "binary_pid": "--binary-pid",
    "binary_dcs": "--binary-dcs",
    "login": "--login",
    "password": "--password",
    "api_key": "--apikey",
    "base_url": "--base-url",
    "timeout": "--timeout",
    "deadline": "--deadline",
    "message": "--text",
    "name": "--name",
    "template_id": "--id",
    "sender_id": "--id",
    "number": "--number",
    "code": "--code",
    "phone": "--phone",
    "task_group": "--task-group",
    "host": "--host",
    "info": "--info",
    "targets": "--target",
    "format": "--format",
}


def option_name(field: str) -> str:
    """``send_at.start`` -> ``--at (start)``; unknown fields stay as they are."""
    if field in OPTION_NAMES:
        return OPTION_NAMES[field]
    head, dot, rest = field.partition(".")
    return f"{OPTION_NAMES[head]} ({rest})" if dot and head in OPTION_NAMES else field


def read_text(args: argparse.Namespace) -> str | None:
    if args.text_file is None:
        return args.text  # type: ignore[no-any-return]
    try:
        if args.text_file == "-":
            data = sys.stdin.buffer.read()
        else:
            data = Path(args.text_file).read_bytes()
        return data.decode("utf-8")
    except OSError as exc:
        raise ValidationError("--text-file", f"cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "--text-file", f"is not UTF-8 (byte {exc.start}); convert it to UTF-8"
        ) from None


def _attachments(paths: list[str]) -> list[Attachment]:
    import mimetypes  # noqa: PLC0415 - only with attachments

    files = []
    for name in paths:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise ValidationError("--attach", f"cannot read {name}: {exc.strerror}") from None
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        files.append(Attachment(path.name, content, kind))
    return files


def _dial(args: argparse.Namespace) -> DialParams | None:
    given = {
        "wait": args.dial_wait,
        "interval": args.dial_interval,
        "attempts": args.dial_attempts,
    }
    chosen = {key: value for key, value in given.items() if value is not None}
    return DialParams(**chosen) if chosen else None


def message_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``send``/``cost`` from the command line."""
    return {
        "to": args.to,
        "text": read_text(args),
        "kind": args.kind,
        "sender": args.sender,
        "subject": args.subject,
        "message_id": args.message_id,
        "comment": args.comment,
        "send_at": parse_send_at(args.at),
        "tz": args.tz,
        "period": args.period,
        "freq": args.freq,
        "validity": parse_validity(args.validity),
        "max_parts": args.max_parts,
        "translit": args.translit,
        "shorten_links": args.shorten_links,
        "voice": args.voice,
        "dial": _dial(args),
        "file_url": args.file_url,
        "files": _attachments(args.attach),
        "binary_pid": args.binary_pid,
        "binary_dcs": args.binary_dcs,
        "details": args.details,
        "report_invalid": args.report_invalid,
    }


def _status(args: argparse.Namespace) -> Operation[Any]:
    ids = [item for item in args.id.split(",") if item]
    numbers = [item for item in args.phone.split(",") if item]
    if len(ids) != len(numbers):
        raise ValidationError("--phone", "give one recipient per message id, in the same order")
    if args.delete:
        if len(ids) != 1:
            raise ValidationError("--id", "--delete takes a single message")
        return protocol.delete_message(ids[0], numbers[0])
    if len(ids) == 1:
        return protocol.status(ids[0], numbers[0], full=args.full)
    return protocol.statuses(list(zip(ids, numbers)), full=args.full)


def _templates(args: argparse.Namespace) -> Operation[Any]:
    if args.action == "list":
        return protocol.templates()
    if args.action == "add":
        return protocol.add_template(
            args.name, args.text, format=args.format, sender=args.sender, autosign=args.autosign
        )
    if args.action == "change":
        return protocol.change_template(
            args.template_id,
            name=args.name,
            message=args.text,
            format=args.format,
            sender=args.sender,
        )
    return protocol.delete_template(args.template_id)


def _senders(args: argparse.Namespace) -> Operation[Any]:
    if args.action == "list":
        return protocol.senders(with_status=args.status, with_operators=args.operators)
    if args.action == "add":
        return protocol.add_sender(args.name, args.comment)
    if args.action == "change":
        return protocol.change_sender(
            name=args.name, sender_id=args.sender_id, comment=args.comment
        )
    if args.action == "delete":
        return protocol.delete_sender(name=args.name, sender_id=args.sender_id)
    if args.action == "send-code":
        return protocol.send_sender_code(args.number)
    return protocol.check_sender_code(args.number, args.code)


def _op_templates(args: argparse.Namespace) -> Operation[Any]:
    if args.action == "add":
        return protocol.add_operator_template(args.sender, args.text, args.target)
    return protocol.operator_templates(args.sender, args.text, args.target)


_OPERATIONS: dict[str, Callable[[argparse.Namespace], Operation[Any]]] = {
    "send": lambda args: protocol.send(**message_options(args)),
    "cost": lambda args: protocol.cost(**message_options(args)),
    "status": _status,
    "balance": lambda args: protocol.balance(),
    "templates": _templates,
    "senders": _senders,
    "op-templates": _op_templates,
    "ping": lambda args: protocol.ping(
        args.task_group, name=args.name, host=args.host, info=args.info, recovered=args.recovered
    ),
}


def operation(args: argparse.Namespace) -> Operation[Any]:
    """The operation the command line asks for; bad input raises before anything is sent."""
    return _OPERATIONS[args.command](args)


def shown(args: argparse.Namespace, result: Any) -> Any:
    """What to print of a result: a new record's id as an object."""
    if args.command in ("templates", "senders") and args.action == "add":
        return {"id": result}
    return result
