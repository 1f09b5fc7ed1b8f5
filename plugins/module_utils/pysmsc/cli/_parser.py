# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The ``smsc`` command line: subcommands, their options, and the account they act for."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..models import MessageKind, OperatorTemplateTarget, TemplateFormat
from ..protocol import VOICES, Credentials
from ..transport import DEFAULT_BASE_URL, DEFAULT_TIMEOUT

__all__ = ["UsageError", "account", "build_parser"]

if TYPE_CHECKING:
    _Commands = argparse._SubParsersAction["_Parser"]

_EPILOG = """\
Exit status: 0 done; 1 the service refused it (nothing was sent); 2 bad input (nothing was
sent); 3 surely not sent (the service was not reached, or a read got no usable answer): safe
to retry or to fall back to another channel; 4 the message may have been sent (the answer was
lost): do not retry.
Credentials are best given in the environment (SMSC_LOGIN and SMSC_PASSWORD, or SMSC_APIKEY):
command-line arguments are visible to other users of the machine. Options given on the
command line win over the environment."""


class UsageError(Exception):
    """A command line argparse cannot read; one line, exit status 2."""


class _Once(argparse.Action):
    """An option that takes one value and may be given once: a second ``--kind`` is an error,
    not a silent override (the last one would win)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        given: set[str] = namespace.__dict__.setdefault("_given", set())
        if self.dest in given:
            parser.error(f"{option_string} is given twice; give it once")
        given.add(self.dest)
        setattr(namespace, self.dest, values)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, told the terminal's width: argparse would import shutil for it
    (and shutil lzma and bz2) on every start, help or not."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: Any = None
    ) -> None:
        if width is None:
            try:
                width = int(os.environ.get("COLUMNS", "")) - 2
            except ValueError:
                try:
                    width = os.get_terminal_size(2).columns - 2
                except OSError:
                    width = 78
        super().__init__(prog, indent_increment, max_help_position, max(width, 40))


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self.register("action", None, _Once)
        self.register("action", "store", _Once)

    def error(self, message: str) -> Any:  # -> NoReturn, as argparse's own
        raise UsageError(f"{message} (see {self.prog} --help)")


def _kind(value: str) -> str:
    """A kind as users write it (``email``, or ``mail`` as the service does)."""
    try:
        return MessageKind(value).value
    except ValueError:
        names = ", ".join(kind.value for kind in MessageKind)
        raise argparse.ArgumentTypeError(f"{value!r} is not one of: {names}") from None


def _template_format(value: str) -> str:
    """A template's kind as users write it (``email``/``mail``, ``binary``/``bin``, ``any``)."""
    if value.strip().lower() in ("", "any"):
        return TemplateFormat.ANY.value
    try:
        kind = MessageKind(value).value
        return TemplateFormat({"email": "mail", "binary": "bin"}.get(kind, kind)).value
    except ValueError:
        names = ", ".join(f.value or "any" for f in TemplateFormat)
        raise argparse.ArgumentTypeError(f"{value!r} is not one of: {names}") from None


def _account_parser() -> _Parser:
    """Options every command that talks to the service takes (a parent parser). Their defaults
    are None: :func:`account` fills what is not given from the environment."""
    parser = _Parser(add_help=False)
    group = parser.add_argument_group("account")
    group.add_argument("--login", help="login (env SMSC_LOGIN)")
    group.add_argument("--password", help="password (env SMSC_PASSWORD)")
    group.add_argument(
        "--apikey", help="API key instead of login and password (env SMSC_APIKEY or SMSC_API_KEY)"
    )
    group.add_argument(
        "--base-url", help=f"service address (env SMSC_BASE_URL, default {DEFAULT_BASE_URL})"
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds to wait for one host (default {DEFAULT_TIMEOUT:g})",
    )
    group.add_argument(
        "--deadline",
        type=float,
        help="seconds for the whole command across the service's hosts (default twice --timeout)",
    )
    group.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def _env(environ: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        if environ.get(name):
            return environ[name]
    return None


def account(args: argparse.Namespace, environ: Mapping[str, str]) -> tuple[Credentials, str]:
    """The credentials and the address to use. Options given on the command line win; the
    environment fills only what is not given, and never mixes an API key with a login:
    ``--apikey`` ignores SMSC_LOGIN/SMSC_PASSWORD, ``--login``/``--password`` ignore SMSC_APIKEY.
    With nothing given, SMSC_LOGIN (with SMSC_PASSWORD) comes before SMSC_APIKEY."""
    base_url = args.base_url or _env(environ, "SMSC_BASE_URL") or DEFAULT_BASE_URL
    if args.apikey is not None and (args.login is not None or args.password is not None):
        return Credentials(args.login, args.password, api_key=args.apikey), base_url  # refused
    if args.apikey is not None:
        return Credentials(api_key=args.apikey), base_url
    if args.login is not None or args.password is not None:
        login = args.login if args.login is not None else _env(environ, "SMSC_LOGIN")
        password = args.password if args.password is not None else _env(environ, "SMSC_PASSWORD")
        return Credentials(login, password), base_url
    api_key = _env(environ, "SMSC_APIKEY", "SMSC_API_KEY")
    if _env(environ, "SMSC_LOGIN") or not api_key:
        return Credentials(_env(environ, "SMSC_LOGIN"), _env(environ, "SMSC_PASSWORD")), base_url
    return Credentials(api_key=api_key), base_url


def _message_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to",
        action="append",
        required=True,
        metavar="RECIPIENT[,RECIPIENT...]",
        help="phone numbers, G<n> groups or (for email) e-mail addresses; repeatable",
    )
    text = parser.add_mutually_exclusive_group()
    text.add_argument("--text", help="the message")
    text.add_argument(
        "--text-file", metavar="FILE", help="read the message from FILE ('-' for stdin), UTF-8"
    )
    parser.add_argument(
        "--kind",
        type=_kind,
        choices=[kind.value for kind in MessageKind],
        default=MessageKind.SMS.value,
        metavar="KIND",
        help="what to send: " + ", ".join(kind.value for kind in MessageKind) + " (default sms)",
    )
    parser.add_argument("--sender", help="sender name, number or (email) address")
    parser.add_argument("--subject", help="subject of an e-mail or MMS")
    parser.add_argument("--id", dest="message_id", help="your id for the message")
    parser.add_argument("--comment", help="note kept in the account's history, not sent")
    parser.add_argument(
        "--at",
        metavar="WHEN",
        help="send later: ISO date-time (2026-12-01T09:00+03:00), now, +MINUTES, "
        "an hour window H1-H2, or the service's DDMMYYhhmm",
    )
    parser.add_argument("--tz", type=int, help="time zone of --at, hours relative to Moscow")
    parser.add_argument("--period", type=float, help="spread the mailing over HOURS (with --freq)")
    parser.add_argument("--freq", type=int, help="minutes between groups of a spread mailing")
    parser.add_argument("--validity", metavar="HOURS|HH:MM", help="how long to try delivering")
    parser.add_argument("--max-parts", type=int, help="cut long texts to at most N SMS")
    parser.add_argument("--translit", type=int, choices=(0, 1, 2), default=0)
    parser.add_argument("--shorten-links", action="store_true")
    parser.add_argument("--voice", choices=VOICES, help="voice of a call")
    parser.add_argument("--dial-wait", type=int, help="call: seconds to ring, 10-35")
    parser.add_argument("--dial-interval", type=int, help="call: seconds between attempts")
    parser.add_argument("--dial-attempts", type=int, help="call: number of attempts, 1-9")
    parser.add_argument("--file-url", help="http(s) address of a file to attach")
    parser.add_argument(
        "--attach", action="append", default=[], metavar="FILE", help="attach a file (repeatable)"
    )
    parser.add_argument("--binary-pid", type=int, help="pid of a binary message (with dcs)")
    parser.add_argument("--binary-dcs", type=int, help="dcs of a binary message (with pid)")
    parser.add_argument("--details", action="store_true", help="per-recipient results")
    parser.add_argument(
        "--report-invalid", action="store_true", help="list the recipients that failed"
    )


def _templates(commands: _Commands, account: _Parser) -> None:
    parser = commands.add_parser("templates", help="message templates")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list the templates", parents=[account])
    formats = "kind of message: any, sms, flash, binary, push, mms, call, email, viber"
    add = actions.add_parser("add", help="create a template", parents=[account])
    add.add_argument("--name", required=True)
    add.add_argument("--text", required=True)
    add.add_argument("--format", type=_template_format, default="", help=formats)
    add.add_argument("--sender")
    add.add_argument("--autosign", action="store_true")
    change = actions.add_parser("change", help="change a template", parents=[account])
    change.add_argument("--id", type=int, required=True, dest="template_id")
    change.add_argument("--name")
    change.add_argument("--text")
    change.add_argument("--format", type=_template_format, help=formats)
    change.add_argument("--sender")
    delete = actions.add_parser("delete", help="delete a template", parents=[account])
    delete.add_argument("--id", type=int, required=True, dest="template_id")


def _senders(commands: _Commands, account: _Parser) -> None:
    parser = commands.add_parser("senders", help="sender names")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list the sender names", parents=[account])
    listing.add_argument("--status", action="store_true", help="with their status")
    listing.add_argument("--operators", action="store_true", help="with operator registration")
    add = actions.add_parser("add", help="ask for a sender name", parents=[account])
    add.add_argument("--name", required=True)
    add.add_argument("--comment")
    for name, text in (("change", "change a sender's comment"), ("delete", "delete a sender")):
        action = actions.add_parser(name, help=text, parents=[account])
        which = action.add_mutually_exclusive_group(required=True)
        which.add_argument("--name")
        which.add_argument("--id", type=int, dest="sender_id")
        if name == "change":
            action.add_argument("--comment", default="")
    send_code = actions.add_parser(
        "send-code", help="send a confirmation code to a number", parents=[account]
    )
    send_code.add_argument("--number", required=True)
    check = actions.add_parser(
        "check-code", help="confirm a number with its code", parents=[account]
    )
    check.add_argument("--number", required=True)
    check.add_argument("--code", required=True)


def _op_templates(commands: _Commands, account: _Parser) -> None:
    parser = commands.add_parser("op-templates", help="operator templates")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    targets = [t.value for t in OperatorTemplateTarget]
    for name, text in (("add", "register a template"), ("get", "registration state")):
        action = actions.add_parser(name, help=text, parents=[account])
        action.add_argument("--sender", required=True)
        action.add_argument("--text", required=True)
        action.add_argument(
            "--target",
            action="append",
            choices=targets,
            help="operator and kind (repeatable; default all)",
        )


_PAGE_EPILOG = """\
Exit status: as `smsc send` (0 acknowledged, or delivered with --ack-within none; 1 the service
refused every message: nothing was sent; 2 bad input; 3 the service (or the relay) was not
reached: nothing was sent; 4 the page may have been handed to the relay, its answer was lost),
plus 5: nobody acknowledged (the chain ended; messages were, or may have been, sent).
Without --relay the page runs in this process (--wait): replies acknowledge it (get.php is
polled every 10 s); key presses in the call need the relay. With --relay URL (or
SMSC_RELAY_URL) the relay runs it; its token comes from SMSC_RELAY_TOKEN."""


def _page(commands: _Commands, account: _Parser) -> None:
    page = commands.add_parser(
        "page",
        help="page people until someone acknowledges (see docs/cli.md)",
        epilog=_PAGE_EPILOG,
        parents=[account],
    )
    page.add_argument(
        "--to",
        action="append",
        metavar="NAME|NUMBER[,...]",
        help="the chain, in order: contact names (from --config) or phone numbers; repeatable",
    )
    text = page.add_mutually_exclusive_group()
    text.add_argument("--text", help="the alert")
    text.add_argument("--text-file", metavar="FILE", help="read the alert from FILE ('-': stdin)")
    page.add_argument(
        "--key", help="the alert's identity: a page with an open key is not paged again"
    )
    page.add_argument(
        "--call-after",
        default="2m",
        metavar="DURATION",
        help="call when the SMS is not delivered within DURATION (default 2m)",
    )
    page.add_argument(
        "--ack-within",
        default="5m",
        metavar="DURATION|none",
        help="call (then the next person) when nobody acknowledged within DURATION "
        "(default 5m); none: delivery is enough",
    )
    page.add_argument("--no-call", action="store_true", help="never call: the next person instead")
    page.add_argument("--sender", help="the SMS sender name")
    wait = page.add_mutually_exclusive_group()
    wait.add_argument(
        "--wait",
        dest="wait",
        action="store_const",
        const=True,
        help="follow the page to its end (the default without --relay)",
    )
    wait.add_argument(
        "--no-wait",
        dest="wait",
        action="store_const",
        const=False,
        help="return once the relay has stored the page (needs --relay)",
    )
    page.add_argument(
        "--relay", metavar="URL", help="hand the page to a running relay (env SMSC_RELAY_URL)"
    )
    page.add_argument(
        "--resolve", action="store_true", help="the alert of --key resolved (with --relay)"
    )
    page.add_argument(
        "--config",
        metavar="FILE",
        help="the relay's configuration, for contact names (env SMSC_RELAY_CONFIG)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="smsc",
        description="Send messages and manage an SMS Center (smsc.ru) account.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"smsc {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    account = _account_parser()
    for name, text in (("send", "send a message"), ("cost", "the cost of a message, unsent")):
        command = commands.add_parser(
            name,
            help=text,
            epilog=_EPILOG,
            parents=[account],
        )
        _message_options(command)

    status = commands.add_parser("status", help="delivery status of messages", parents=[account])
    status.add_argument("--id", required=True, help="message id (comma-separated for several)")
    status.add_argument("--phone", required=True, help="recipient (comma-separated, same order)")
    status.add_argument("--full", type=int, choices=(0, 1, 2), default=0)
    status.add_argument("--delete", action="store_true", help="delete the message instead")
    commands.add_parser("balance", help="the account's balance", parents=[account])
    for add in (_templates, _senders, _op_templates, _page):
        add(commands, account)

    ping = commands.add_parser(
        "ping", help="notify a task group of an event (ping.php)", parents=[account]
    )
    ping.add_argument("--task-group", type=int, required=True)
    ping.add_argument("--name", help="fills {NAME}")
    ping.add_argument("--host", help="fills {HOST}")
    ping.add_argument("--info", help="fills {INFO}")
    ping.add_argument("--recovered", action="store_true", help="use the recovery template")

    # Defined by pysmsc-emulator (smsc-emulator --help); listed here so that help shows it.
    emulator = commands.add_parser(
        "emulator",
        help="run a local emulator of the service (needs pysmsc-emulator)",
        add_help=False,
    )
    emulator.add_argument("options", nargs=argparse.REMAINDER)
    # Defined by pysmsc.relay (smsc relay --help); listed here so that help shows it.
    relay = commands.add_parser(
        "relay",
        help="run the alert relay: webhooks in, pages out (needs pysmsc[relay])",
        add_help=False,
    )
    relay.add_argument("options", nargs=argparse.REMAINDER)
    return parser
