# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The ``smsc`` command, for shells, cron and monitoring alert scripts.

Exit status, by what became of the request (docs/cli.md):

- 0 done (sent);
- 1 the service refused it: nothing was sent;
- 2 bad input: nothing was sent;
- 3 surely not sent: the service was never reached (or a read got no usable answer) — safe to
  retry or to fall back to another channel;
- 4 the message may have been sent: the request went out and its answer was lost, timed out,
  or could not be read — do not retry.

Errors go to stderr as one line, never a traceback; with ``--json`` stdout also gets an object
with ``"sent": true | false | "unknown"``. Nothing printed carries a credential.

The command talks to the service over the standard library (no httpx) and imports only what
the subcommand needs, so an alert script pays little for starting it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ApiError, SmscError, ValidationError

if TYPE_CHECKING:
    import argparse

    from ..protocol import Credentials, Request

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_MAYBE_SENT",
    "EXIT_NOBODY_ACKNOWLEDGED",
    "EXIT_NOT_SENT",
    "EXIT_OK",
    "EXIT_REFUSED",
    "account",
    "main",
]

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2
EXIT_NOT_SENT = 3
EXIT_MAYBE_SENT = 4
EXIT_NOBODY_ACKNOWLEDGED = 5  # smsc page: the chain ended and nobody acknowledged
EXIT_INTERRUPTED = 130

# Control characters a server (or an argument) could slip into a message: shown escaped, so
# that an error stays one line and cannot rewrite the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class _Command:
    """One run: what it asked for, the secrets to keep out of what it prints, and whether a
    request went out."""

    def __init__(self, argv: Sequence[str]) -> None:
        self.json = "--json" in argv
        self.args: argparse.Namespace | None = None
        self.request: Request | None = None
        self.secrets: tuple[str, ...] = ()
        self.started = False

    def clean(self, text: str) -> str:
        from ..redact import redact  # noqa: PLC0415 - hashlib only when there is text to print

        return redact(text, self.secrets)

    def line(self, text: str) -> str:
        return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), self.clean(text))

    def note(self, text: str) -> None:
        print(f"smsc: {self.line(text)}", file=sys.stderr)

    @property
    def sends(self) -> bool:
        return self.request is not None and self.request.sends_message

    @property
    def changes(self) -> bool:
        return self.request is not None and not self.request.idempotent

    def outcome(self, exc: BaseException) -> tuple[int, str]:
        """The exit status for ``exc`` and what it means for the message, in words."""
        if isinstance(exc, ValidationError):
            return EXIT_BAD_INPUT, "nothing was sent"
        if isinstance(exc, ApiError):
            return EXIT_REFUSED, "refused by the service, nothing was sent"
        if exc.__class__ is SmscError:
            return EXIT_BAD_INPUT, "nothing was sent"
        maybe_arrived = self.started and (
            getattr(exc, "maybe_received", True) if isinstance(exc, SmscError) else True
        )
        if self.sends and (getattr(exc, "may_have_been_sent", False) or maybe_arrived):
            return EXIT_MAYBE_SENT, "the message may have been sent: do not retry"
        if self.changes and maybe_arrived:
            return EXIT_MAYBE_SENT, "the change may have been made: check before retrying"
        if self.sends:
            return EXIT_NOT_SENT, "nothing was sent: safe to retry or to fall back"
        return EXIT_NOT_SENT, "nothing was changed: safe to retry"

    def fail(self, exc: BaseException, message: str) -> int:
        code, meaning = self.outcome(exc)
        print(f"smsc: {self.line(message)} ({meaning})", file=sys.stderr)
        if self.json:
            error: dict[str, Any] = {"message": self.clean(message), "exit_status": code}
            if isinstance(exc, ValidationError):
                error.update(field=exc.field, rule=self.clean(exc.rule))
            if isinstance(exc, ApiError):
                error.update(code=exc.code, meaning=exc.meaning)
            out: dict[str, Any] = {"error": error}
            if self.sends or self.args is None or self.args.command in ("send", "ping"):
                out["sent"] = "unknown" if code == EXIT_MAYBE_SENT else False
            print(json.dumps(out, ensure_ascii=False, indent=2))
        return code

    def run(self, arguments: Sequence[str]) -> int:
        from . import _commands, _parser  # noqa: PLC0415 - not for `smsc emulator`

        try:
            args = self.args = _parser.build_parser().parse_args(arguments)
        except _parser.UsageError as exc:
            return self.fail(ValidationError("usage", str(exc)), str(exc))
        if args.command == "page":
            from ._page import run_page  # noqa: PLC0415 - only for `smsc page`

            try:
                return run_page(self, args, os.environ)
            except ValidationError as exc:
                return self.fail(exc, f"{_commands.option_name(exc.field)}: {exc.rule}")
        try:
            credentials, base_url = _parser.account(args, os.environ)
            self.secrets = credentials.secrets
            return self._call(args, credentials, base_url)
        except ValidationError as exc:
            return self.fail(exc, f"{_commands.option_name(exc.field)}: {exc.rule}")

    def _call(self, args: argparse.Namespace, credentials: Any, base_url: str) -> int:
        from .. import stdlib_transport  # noqa: PLC0415
        from ..transport import Policy  # noqa: PLC0415
        from ._commands import operation, shown  # noqa: PLC0415
        from ._output import as_json, as_text  # noqa: PLC0415

        policy = Policy.for_service(base_url, timeout=args.timeout, deadline=args.deadline)
        todo = operation(args)
        self.request = todo.request
        try:
            result = stdlib_transport.execute(
                todo, credentials, policy, note=self.note, started=self._started
            )
        except ValidationError:
            raise
        except SmscError as exc:
            return self.fail(exc, str(exc))
        value = shown(args, result)
        sent = True if self.sends else None
        text = as_json(value, sent=sent) if args.json else as_text(value)
        print(self.clean(text))
        return EXIT_OK

    def _started(self) -> None:
        self.started = True


def account(
    *,
    login: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    base_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Credentials, str]:
    """The credentials and the service address from explicit values, the SMSC_* environment
    filling only what they leave unset: the command line's rule, for every front end that
    reads an account (the relay's configuration file too)."""
    from argparse import Namespace  # noqa: PLC0415

    from ._parser import account as account_rule  # noqa: PLC0415

    given = Namespace(login=login, password=password, apikey=api_key, base_url=base_url)
    return account_rule(given, os.environ if environ is None else environ)


def _run_emulator(argv: Sequence[str]) -> int:
    try:
        from pysmsc_emulator.cli import main as emulator_main  # noqa: PLC0415
    except ImportError:
        print(
            "smsc: the emulator is a separate package: pip install pysmsc-emulator",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return emulator_main(argv, prog="smsc emulator")


def _run_relay(argv: Sequence[str]) -> int:
    from ..relay import main as relay_main  # noqa: PLC0415 - only for `smsc relay`

    return relay_main(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # text from a server may not be encodable
            stream.reconfigure(errors="backslashreplace")
    if arguments[:1] == ["emulator"]:
        return _run_emulator(arguments[1:])
    if arguments[:1] == ["relay"]:
        return _run_relay(arguments[1:])
    command = _Command(arguments)
    try:
        return command.run(arguments)
    except KeyboardInterrupt:
        if command.sends and command.started:
            print("smsc: interrupted (the message may have been sent)", file=sys.stderr)
        else:
            print("smsc: interrupted (nothing was sent)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("SMSC_DEBUG"):
            raise
        # A bug of ours: still one line, never a traceback in an alert script's mail, with the
        # outcome as far as it is known.
        message = f"unexpected {type(exc).__name__}: {exc} (SMSC_DEBUG=1 shows more)"
        return command.fail(exc, message)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
