"""The demo playbook (docs/demo/playbook.yml) against the emulator."""

from __future__ import annotations

from .conftest import REPO, Ansible


def test_demo_playbook(ansible: Ansible) -> None:
    emulator = ansible.emulator
    args = [
        "-e",
        f"smsc_api_url={emulator.http_url}",
        "-e",
        f"smsc_login={emulator.login}",
        "-e",
        f"smsc_password={emulator.password}",
    ]
    emulator.control.configure(status_delays=[0.2, 0.3])
    run = ansible.run(REPO / "docs" / "demo" / "playbook.yml", args=args)
    assert run.rc == 0, run
    kinds = sorted(m["kind"] for m in emulator.control.messages())
    assert kinds == ["call", "sms"]
    summary = run.result("Show what happened")["msg"]
    assert "Delivery: ['delivered', 'delivered']" in summary
    assert summary[-1].startswith("Balance: ")
