# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Helpers of the emulator's SMPP tests: pysmsc.smpp clients on the emulator, a self-signed
certificate, waiting for a condition."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pysmsc.smpp import SmppClient, SmppConfig


def phone(n: int) -> str:
    """A distinct Russian MTS number per ``n`` (the flood rule counts messages per number)."""
    return f"7916{n:07d}"


class SmppClients:
    """Opens pysmsc SMPP clients on one emulator and closes them all at the end of the test."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.clients: list[SmppClient] = []

    def config(self, **options: Any) -> SmppConfig:
        options.setdefault("throughput", None)
        options.setdefault("reconnect_delay", 0.05)
        options.setdefault("reconnect_max_delay", 0.5)
        options.setdefault("close_timeout", 2.0)
        options.setdefault("connect_timeout", 3.0)
        return SmppConfig(
            options.pop("login", self.handle.login),
            options.pop("password", self.handle.password),
            host=options.pop("host", self.handle.smpp_host),
            port=options.pop("port", self.handle.smpp_port),
            **options,
        )

    def make(self, **options: Any) -> SmppClient:
        """A client not opened yet (to subscribe to its events before it binds)."""
        client = SmppClient(self.config(**options))
        self.clients.append(client)
        return client

    async def open(self, *, wait: bool = True, **options: Any) -> SmppClient:
        client = self.make(**options)
        await client.open(wait=wait)
        return client

    async def close(self) -> None:
        for client in self.clients:
            await client.close()


async def eventually(predicate: Any, within: float = 5.0, interval: float = 0.01) -> None:
    """Wait until ``predicate()`` is true (fail after ``within`` seconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


async def next_event(stream: Any, within: float = 5.0) -> Any:
    return await asyncio.wait_for(stream.__anext__(), within)


async def nothing_arrives(stream: Any, within: float = 0.5) -> bool:
    try:
        await asyncio.wait_for(stream.__anext__(), within)
    except TimeoutError:
        return True
    return False


def free_port() -> int:
    """A port where nothing listens (for the moment)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """(certificate, key) PEM files for 127.0.0.1 and localhost, valid for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
