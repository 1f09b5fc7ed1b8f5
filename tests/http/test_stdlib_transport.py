"""The standard-library transport (what the ``smsc`` command runs on), against real sockets: the
emulator, a TLS server the machine does not trust, a proxy from the environment."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pysmsc import errors, protocol, stdlib_transport
from pysmsc.transport import Policy

from ..servers import refused_url
from ..tls import self_signed_certificate

PHONE = "79991234567"


def test_sends_and_reads_against_the_emulator(emulator: Any) -> None:
    credentials = protocol.Credentials(emulator.login, emulator.password)
    policy = Policy.for_service(emulator.http_url)
    result = stdlib_transport.execute(protocol.send(PHONE, "db1 down"), credentials, policy)
    assert result.id and emulator.control.messages()[0]["text"] == "db1 down"
    attachment = protocol.Attachment("a.wav", b"RIFF" + b"\0" * 200, "audio/wav")
    call = protocol.send(PHONE, "listen", kind="call", files=[attachment])
    assert stdlib_transport.execute(call, credentials, policy).seconds
    assert stdlib_transport.execute(protocol.balance(), credentials, policy).balance


class _Answer(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        server: Any = self.server
        server.targets.append(self.path)
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"balance": "7.00"}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def answering() -> Iterator[Any]:
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    server.targets = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_proxy_from_the_environment_is_used_and_no_proxy_is_honoured(
    answering: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = protocol.Credentials("ops", "pw")
    target = "http://smsc-service.invalid"  # resolvable only by the proxy
    monkeypatch.setenv("http_proxy", answering.url)
    balance = stdlib_transport.execute(
        protocol.balance(), credentials, Policy((target,), timeout=5)
    )
    assert balance.balance == 7
    assert answering.targets == [f"{target}/sys/balance.php"]  # the absolute URI, via the proxy
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    stdlib_transport.execute(protocol.balance(), credentials, Policy((answering.url,), timeout=5))
    assert answering.targets[-1] == "/sys/balance.php"  # directly


@pytest.fixture
def untrusted_tls(tmp_path: Path) -> Iterator[str]:
    cert, key = self_signed_certificate(tmp_path)
    server: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    server.targets = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_untrusted_certificate_means_nothing_was_sent(untrusted_tls: str) -> None:
    credentials = protocol.Credentials("ops", "pw")
    with pytest.raises(errors.TransportError) as info:
        stdlib_transport.execute(
            protocol.send(PHONE, "x"), credentials, Policy((untrusted_tls,), timeout=5)
        )
    assert not info.value.maybe_received and not info.value.may_have_been_sent
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    # Told not to verify (a test setup), the same server answers.
    answer = stdlib_transport.execute(
        protocol.balance(), credentials, Policy((untrusted_tls,), timeout=5), verify=False
    )
    assert answer.balance == 7


def test_failover_to_a_backup_when_nothing_was_received(emulator: Any) -> None:
    notes: list[str] = []
    result = stdlib_transport.execute(
        protocol.send(PHONE, "via the backup"),
        protocol.Credentials(emulator.login, emulator.password),
        Policy((refused_url(), emulator.http_url), timeout=5),
        note=notes.append,
    )
    assert result.id and len(notes) == 1 and "trying the next host" in notes[0]
