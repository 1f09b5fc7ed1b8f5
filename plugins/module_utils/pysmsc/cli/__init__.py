# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The ``smsc`` command, for shells, cron and monitoring alert scripts.

Exit status: 0 success, 1 the service answered an error, 2 bad input (nothing was sent),
3 the service could not be reached. Errors go to stderr as one line; never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import ApiError, ResponseError, SmscError, TransportError, ValidationError
from ._output import as_json, as_text
from ._parser import build_parser

if TYPE_CHECKING:
    from .. import Client

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_SERVICE_ERROR", "EXIT_UNREACHABLE", "main"]

EXIT_OK = 0
EXIT_SERVICE_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3


def _client(args: argparse.Namespace) -> Client:
    from .. import Client  # noqa: PLC0415 - httpx only when talking to the service

    if args.apikey and not (args.login or args.password):
        return Client(api_key=args.apikey, base_url=args.base_url, timeout=args.timeout)
    return Client(args.login, args.password, base_url=args.base_url, timeout=args.timeout)


def _run_emulator(argv: Sequence[str]) -> int:
    try:
        from pysmsc_emulator.cli import main as emulator_main  # noqa: PLC0415
    except ImportError:
        return _fail(
            EXIT_BAD_INPUT, "the emulator is a separate package: pip install pysmsc-emulator"
        )
    return emulator_main(argv, prog="smsc emulator")


def _call_service(args: argparse.Namespace) -> int:
    from ._commands import COMMANDS  # noqa: PLC0415 - imports the client, see _client

    with _client(args) as client:
        result = COMMANDS[args.command](client, args)
    print(as_json(result) if args.json else as_text(result))
    return EXIT_OK


def _fail(code: int, message: str) -> int:
    print(f"smsc: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["emulator"]:
        return _run_emulator(arguments[1:])
    args = build_parser().parse_args(arguments)
    try:
        return _call_service(args)
    except ValidationError as exc:
        return _fail(EXIT_BAD_INPUT, f"{exc} (nothing was sent)")
    except ApiError as exc:
        return _fail(EXIT_SERVICE_ERROR, str(exc))
    except ResponseError as exc:
        return _fail(EXIT_SERVICE_ERROR, str(exc))
    except TransportError as exc:
        return _fail(EXIT_UNREACHABLE, str(exc))
    except SmscError as exc:
        return _fail(EXIT_BAD_INPUT, str(exc))
    except KeyboardInterrupt:
        return _fail(130, "interrupted")
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("SMSC_DEBUG"):
            raise
        # A bug of ours: still one line, never a traceback in an alert script's mail.
        return _fail(
            EXIT_SERVICE_ERROR, f"unexpected {type(exc).__name__}: {exc} (SMSC_DEBUG=1 shows more)"
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
