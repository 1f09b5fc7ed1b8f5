"""The Ansible transport (open_url) follows the library's one policy against real sockets:
one deadline across hosts, never a second copy of a send, failover when nothing arrived."""

from __future__ import annotations

import importlib
import time
from typing import Any

import pytest

from ..servers import refused_url, silent_hosts

pytestmark = pytest.mark.usefixtures("collection_import")

PHONE = "79991234567"


def load(name: str) -> Any:
    return importlib.import_module(f"ansible_collections.smsc.messaging.plugins.{name}")


def connection(base: str, backups: list[str], **options: Any) -> Any:
    protocol = load("module_utils.pysmsc.protocol")
    credentials = protocol.Credentials(login="ops", password="s3cret-pass")
    transport = load("module_utils.smsc_transport")
    return transport.Connection(credentials, base_url=base, backup_urls=tuple(backups), **options)


def test_a_read_gives_up_at_one_deadline_across_silent_hosts() -> None:
    transport = load("module_utils.smsc_transport")
    protocol = load("module_utils.pysmsc.protocol")
    errors = load("module_utils.pysmsc.errors")
    with silent_hosts(5) as urls:
        settings = connection(urls[0], urls[1:], timeout=0.4)
        started = time.monotonic()
        with pytest.raises(errors.TransportError, match="deadline") as info:
            transport.execute(protocol.balance(), settings)
        elapsed = time.monotonic() - started
    assert 0.75 <= elapsed < 1.6, elapsed
    assert "s3cret-pass" not in str(info.value)


def test_a_send_to_a_silent_host_is_sent_once_and_may_have_been_sent() -> None:
    transport = load("module_utils.smsc_transport")
    protocol = load("module_utils.pysmsc.protocol")
    errors = load("module_utils.pysmsc.errors")
    with silent_hosts(2) as urls, pytest.raises(errors.TransportError) as info:
        transport.execute(
            protocol.send(PHONE, "disk full"), connection(urls[0], urls[1:], timeout=0.3)
        )
    assert info.value.may_have_been_sent
    assert "not sent again" in str(info.value)


def test_a_send_that_was_refused_everywhere_surely_was_not_sent() -> None:
    transport = load("module_utils.smsc_transport")
    protocol = load("module_utils.pysmsc.protocol")
    errors = load("module_utils.pysmsc.errors")
    warnings: list[str] = []
    with pytest.raises(errors.TransportError) as info:
        transport.execute(
            protocol.send(PHONE, "disk full"),
            connection(refused_url(), [refused_url()], timeout=2),
            warn=warnings.append,
        )
    assert not info.value.maybe_received and not info.value.may_have_been_sent
    assert len(warnings) == 1 and "trying the next host" in warnings[0]
