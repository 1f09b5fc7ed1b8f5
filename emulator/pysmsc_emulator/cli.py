# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The ``smsc-emulator`` command (also ``smsc emulator`` when pysmsc's CLI is installed)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .server import config_from_options, run

__all__ = ["build_parser", "main"]

EXIT_BAD_INPUT = 2


def build_parser(prog: str = "smsc-emulator") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Run a local emulator of the SMS Center service (HTTP API and SMPP).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--http-port", type=int, help="HTTP API port (0 picks a free one)")
    parser.add_argument(
        "--smpp-port", type=int, help="SMPP port (0 picks a free one; alone: no HTTP listener)"
    )
    parser.add_argument("--smpp-tls-cert", metavar="FILE", help="PEM certificate: SMPP over TLS")
    parser.add_argument("--smpp-tls-key", metavar="FILE", help="PEM private key of the certificate")
    parser.add_argument("--login", default="demo")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--apikey", default="demo-api-key")
    parser.add_argument("--balance", default="1000.00", help="starting balance")
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "smsc-emulator") -> int:
    """Run the emulator until SIGINT/SIGTERM; returns the exit status."""
    args = build_parser(prog).parse_args(argv)
    try:
        config = config_from_options(
            host=args.host,
            http_port=args.http_port,
            smpp_port=args.smpp_port,
            login=args.login,
            password=args.password,
            api_key=args.apikey,
            balance=args.balance,
            smpp_tls_cert=args.smpp_tls_cert,
            smpp_tls_key=args.smpp_tls_key,
        )
    except ValueError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return run(config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
