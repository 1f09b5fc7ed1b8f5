# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""How the client reaches and uses the SMSC: :class:`SmppConfig`, the bind mode and the
service's system_type flags."""

from __future__ import annotations

import dataclasses
import enum
import ssl
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationError
from .concat import ConcatMethod
from .pdu import DEFAULT_MAX_PDU_SIZE

__all__ = [
    "SMSC_BACKUP_HOST",
    "SMSC_HOST",
    "SMSC_PORT",
    "SMSC_TLS_PORT",
    "BindMode",
    "SmppConfig",
    "SystemType",
]

SMSC_HOST = "smpp.smsc.ru"
SMSC_BACKUP_HOST = "smpp2.smsc.ru"
SMSC_PORT = 3700
SMSC_TLS_PORT = 3443
# The service allows up to nine simultaneous connections of one login (system_type MCONn).
MAX_CONNECTIONS = 9


class BindMode(str, enum.Enum):
    """How the ESME binds: send only, receive only, or both on one connection."""

    TRANSMITTER = "transmitter"
    RECEIVER = "receiver"
    TRANSCEIVER = "transceiver"

    @property
    def can_send(self) -> bool:
        return self is not BindMode.RECEIVER

    @property
    def can_receive(self) -> bool:
        return self is not BindMode.TRANSMITTER


@dataclass(frozen=True)
class SystemType:
    """The service's system_type options, sent comma-separated (``"MCON2,ISO,SINGLE"``).

    ``connections``: ``MCONn``, up to n (1-9) simultaneous connections of this login (without
    it, a new bind ends the older connection); ``iso``: ``ISO``, data_coding 4 means
    ISO-8859-1 text; ``single``: ``SINGLE``, one message id and one receipt per SMS part
    instead of one for the whole message; ``extra``: any other value, sent as is.
    """

    connections: int | None = None
    iso: bool = False
    single: bool = False
    extra: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.connections is not None and not 1 <= self.connections <= 9:
            raise ValidationError("system_type.connections", "MCONn takes n from 1 to 9")
        for item in self.extra:
            if not item or "," in item or "\0" in item:
                raise ValidationError(
                    "system_type.extra", "each value must be non-empty, without commas"
                )

    def __str__(self) -> str:
        items: list[str] = []
        if self.connections is not None:
            items.append(f"MCON{self.connections}")
        if self.iso:
            items.append("ISO")
        if self.single:
            items.append("SINGLE")
        items.extend(self.extra)
        return ",".join(items)

    @classmethod
    def parse(cls, value: str) -> SystemType:
        """Read a system_type string; unknown items land in ``extra``."""
        connections: int | None = None
        iso = single = False
        extra: list[str] = []
        for raw in value.split(","):
            item = raw.strip()
            upper = item.upper()
            if not item:
                continue
            if upper.startswith("MCON") and upper[4:].isdigit() and 1 <= int(upper[4:]) <= 9:
                connections = int(upper[4:])
            elif upper == "ISO":
                iso = True
            elif upper == "SINGLE":
                single = True
            else:
                extra.append(item)
        return cls(connections, iso, single, tuple(extra))


@dataclass(frozen=True)
class SmppConfig:
    """How to reach and use the SMSC. Timeouts and intervals are in seconds.

    ``port`` defaults to 3700, or 3443 with ``tls``. With ``tls`` the server certificate is
    checked against the system CAs unless ``ssl_context`` says otherwise. ``backup_host`` is
    tried when ``host`` fails. ``connections`` (1-9) binds that many sessions of the login at
    once (system_type ``MCONn``) and spreads submits over them. ``window`` is the number of
    submit_sm awaiting their answer on each connection (the service suggests 300, up to 2000
    for mass mailings), ``throughput`` the submit_sm a second for all connections together
    (None: no limit; the service's default limit is 30). ``registered_delivery`` asks for
    receipts on every message unless a submit says otherwise. ``concat`` chooses how long
    messages travel. The password never appears in repr or logs.
    """

    login: str
    password: str = field(default="", repr=False)
    host: str = SMSC_HOST
    port: int | None = None
    backup_host: str | None = None
    backup_port: int | None = None
    tls: bool = False
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)
    server_hostname: str | None = None
    bind_mode: BindMode = BindMode.TRANSCEIVER
    system_type: SystemType = field(default_factory=SystemType)
    connections: int = 1
    sender: str | None = None
    registered_delivery: bool = False
    window: int = 300
    throughput: float | None = 30.0
    concat: ConcatMethod = ConcatMethod.UDH
    enquire_link_interval: float | None = 30.0
    response_timeout: float = 30.0
    connect_timeout: float = 10.0
    submit_timeout: float = 60.0
    close_timeout: float = 5.0
    throttle_pause: float = 1.0
    reconnect: bool = True
    reconnect_delay: float = 1.0
    reconnect_max_delay: float = 60.0
    reassembly_timeout: float = 60.0
    handler_timeout: float = 30.0
    event_queue_size: int = 1000
    interface_version: int = 0x34
    address_range: str = ""
    max_pdu_size: int = DEFAULT_MAX_PDU_SIZE

    def __post_init__(self) -> None:
        if not self.login:
            raise ValidationError("login", "required")
        for name in ("login", "password"):
            value = getattr(self, name)
            if not value.isascii() or "\0" in value:
                raise ValidationError(name, "ASCII characters only")
        if self.window < 1:
            raise ValidationError("window", "at least 1")
        if not 1 <= self.connections <= MAX_CONNECTIONS:
            raise ValidationError("connections", "from 1 to 9 (the service's MCONn)")
        if not isinstance(self.system_type, SystemType):
            raise ValidationError("system_type", "a SystemType (e.g. SystemType(iso=True))")
        mcon = self.system_type.connections
        if self.connections > 1 and mcon is not None and mcon < self.connections:
            raise ValidationError(
                "system_type.connections",
                f"MCON{mcon} allows fewer connections than connections={self.connections}",
            )
        if self.throughput is not None and self.throughput <= 0:
            raise ValidationError("throughput", "a positive rate, or None for no limit")
        if self.enquire_link_interval is not None and self.enquire_link_interval <= 0:
            raise ValidationError("enquire_link_interval", "positive, or None to send none")
        for name in (
            "response_timeout",
            "connect_timeout",
            "submit_timeout",
            "close_timeout",
            "throttle_pause",
            "reconnect_delay",
            "reconnect_max_delay",
            "reassembly_timeout",
            "handler_timeout",
        ):
            if getattr(self, name) <= 0:
                raise ValidationError(name, "must be positive")
        if self.event_queue_size < 1:
            raise ValidationError("event_queue_size", "at least 1")

    @classmethod
    def smsc(cls, login: str, password: str, *, tls: bool = True, **options: Any) -> SmppConfig:
        """The real service: smpp.smsc.ru (TLS on 3443 by default), backup smpp2.smsc.ru."""
        return cls(
            login=login,
            password=password,
            host=SMSC_HOST,
            backup_host=SMSC_BACKUP_HOST,
            tls=tls,
            **options,
        )

    def endpoints(self) -> list[tuple[str, int]]:
        """The (host, port) pairs to try, in order."""
        default = SMSC_TLS_PORT if self.tls else SMSC_PORT
        result = [(self.host, self.port or default)]
        if self.backup_host:
            result.append((self.backup_host, self.backup_port or self.port or default))
        return result

    @property
    def bind_system_type(self) -> str:
        """The system_type each bind sends: ``MCONn`` added for a pool of n connections."""
        system_type = self.system_type
        if self.connections > 1 and system_type.connections is None:
            system_type = dataclasses.replace(system_type, connections=self.connections)
        return str(system_type)
