# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""What each subcommand does with its parsed arguments: one call of the client."""

from __future__ import annotations

import argparse
import mimetypes
import sys
from pathlib import Path
from typing import Any, Callable

from .. import Client
from ..errors import ValidationError
from ..models import DialParams
from ..protocol import Attachment
from ..schedule import parse_send_at, parse_validity

__all__ = ["COMMANDS", "message_options"]


def _read_text(args: argparse.Namespace) -> str | None:
    if args.text_file is None:
        return args.text  # type: ignore[no-any-return]
    try:
        if args.text_file == "-":
            return sys.stdin.read()
        return Path(args.text_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("--text-file", f"cannot read it: {exc}") from None


def _attachments(paths: list[str]) -> list[Attachment]:
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
    """The keyword arguments of ``Client.send``/``Client.cost`` from the command line."""
    return {
        "to": args.to,
        "text": _read_text(args),
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


def _status(client: Client, args: argparse.Namespace) -> Any:
    ids = [item for item in args.id.split(",") if item]
    numbers = [item for item in args.phone.split(",") if item]
    if len(ids) != len(numbers):
        raise ValidationError("--phone", "give one recipient per message id, in the same order")
    if args.delete:
        if len(ids) != 1:
            raise ValidationError("--id", "--delete takes a single message")
        return client.delete_message(ids[0], numbers[0])
    if len(ids) == 1:
        return client.status(ids[0], numbers[0], full=args.full)
    return client.statuses(list(zip(ids, numbers)), full=args.full)


def _templates(client: Client, args: argparse.Namespace) -> Any:
    if args.action == "list":
        return client.templates()
    if args.action == "add":
        template_id = client.add_template(
            args.name, args.text, format=args.format, sender=args.sender, autosign=args.autosign
        )
        return {"id": template_id}
    if args.action == "change":
        return client.change_template(
            args.template_id,
            name=args.name,
            message=args.text,
            format=args.format,
            sender=args.sender,
        )
    return client.delete_template(args.template_id)


def _senders(client: Client, args: argparse.Namespace) -> Any:
    if args.action == "list":
        return client.senders(with_status=args.status, with_operators=args.operators)
    if args.action == "add":
        return {"id": client.add_sender(args.name, args.comment)}
    if args.action == "change":
        return client.change_sender(name=args.name, sender_id=args.sender_id, comment=args.comment)
    if args.action == "delete":
        return client.delete_sender(name=args.name, sender_id=args.sender_id)
    if args.action == "send-code":
        return client.send_sender_code(args.number)
    return client.check_sender_code(args.number, args.code)


def _op_templates(client: Client, args: argparse.Namespace) -> Any:
    if args.action == "add":
        return client.add_operator_template(args.sender, args.text, args.target)
    return client.operator_templates(args.sender, args.text, args.target)


COMMANDS: dict[str, Callable[[Client, argparse.Namespace], Any]] = {
    "send": lambda client, args: client.send(**message_options(args)),
    "cost": lambda client, args: client.cost(**message_options(args)),
    "status": _status,
    "balance": lambda client, args: client.balance(),
    "templates": _templates,
    "senders": _senders,
    "op-templates": _op_templates,
    "ping": lambda client, args: client.ping(
        args.task_group, name=args.name, host=args.host, info=args.info, recovered=args.recovered
    ),
}
