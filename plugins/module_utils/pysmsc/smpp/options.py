# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Typed connection options: the bind mode and the service's system_type flags."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..errors import ValidationError

__all__ = ["BindMode", "SystemType"]


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
