# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The alert relay (``smsc relay``): monitoring webhooks in, pages out.

Alertmanager (webhook payload version 4), Grafana (its webhook contact point) and anything
that can POST a small JSON send their alerts to it; it routes each alert group to a chain of
contacts and pages them with :mod:`pysmsc.paging` — an SMS, a call with a voice menu when it is
not delivered or acknowledged in time, the next person — one page per group, updated and never
repeated, resolved with one message. Pages live in an SQLite file across restarts and kill -9.
docs/relay.md tells the whole story.

A front end of the library like the CLI: it needs aiohttp and PyYAML
(``pip install 'pysmsc[relay]'``), imported only when the relay runs; the Ansible collection
does not ship it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._config import (
    ConfigError,
    RateLimit,
    RelayConfig,
    Route,
    contacts_of,
    load_config,
    load_contacts,
)
from ._payloads import (
    Alert,
    Notification,
    PayloadError,
    parse_alertmanager,
    parse_generic,
    parse_grafana,
)

if TYPE_CHECKING:
    from ._service import Relay, main, serve

__all__ = [
    "Alert",
    "ConfigError",
    "Notification",
    "PayloadError",
    "RateLimit",
    "Relay",
    "RelayConfig",
    "Route",
    "contacts_of",
    "load_config",
    "load_contacts",
    "main",
    "parse_alertmanager",
    "parse_generic",
    "parse_grafana",
    "serve",
]


def __getattr__(name: str) -> Any:
    """The service (and with it the clients and the runner) is loaded on first use."""
    if name in ("Relay", "main", "serve"):
        from . import _service  # noqa: PLC0415

        return getattr(_service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
