# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Every benchmark, one after the other: ``.venv/bin/python -m tests.benchmarks`` (what
``make bench`` runs)."""

from __future__ import annotations

from . import (
    ansible_configure,
    async_gather,
    cli_cold_start,
    http_bulk,
    paging,
    relay,
    smpp_faults,
    smpp_memory,
    smpp_throughput,
)


def main() -> None:
    http_bulk.main()
    print()
    cli_cold_start.main([])  # their defaults, whatever this command line holds
    print()
    async_gather.main([])
    print()
    smpp_throughput.main([])
    print()
    smpp_faults.main([])
    print()
    smpp_memory.main([])
    print()
    paging.main([])
    print()
    relay.main([])
    print()
    ansible_configure.main([])


if __name__ == "__main__":
    main()
