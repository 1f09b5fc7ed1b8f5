"""The collection tarball installed with ``ansible-galaxy collection install`` into an empty
collections path, with the oldest ansible-core that meta/runtime.yml claims and with the newest
one the project pins, and used by real ``ansible-playbook`` runs against the emulator; the
examples of the collection's READMEs run as printed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, Artefacts, RunningEmulator, Venv, find_python

# The controller Pythons each ansible-core release supports, newest last (ansible-core's
# support matrix); the test runs the newest of them.
CONTROLLER_PYTHONS = {
    "2.16": ("3.10", "3.11", "3.12"),
    "2.17": ("3.10", "3.11", "3.12"),
    "2.18": ("3.11", "3.12", "3.13"),
    "2.19": ("3.11", "3.12", "3.13"),
    "2.20": ("3.12", "3.13"),
    "2.21": ("3.12", "3.13"),
}


def oldest_claimed(dist: Artefacts) -> str:
    runtime = yaml.safe_load(dist.collection_file("meta/runtime.yml"))
    match = re.fullmatch(r">=\s*(\d+\.\d+\.\d+)", runtime["requires_ansible"])
    assert match, f"requires_ansible {runtime['requires_ansible']!r} is not '>=X.Y.Z'"
    return match.group(1)


def newest_pinned() -> str:
    match = re.search(r"(?m)^ansible-core==(\S+)$", (REPO / "constraints.txt").read_text())
    assert match
    return match.group(1)


@dataclass
class Controller:
    """ansible-core in a fresh environment, with the tarball installed into an empty path."""

    venv: Venv
    collections: Path
    version: str

    def playbook(
        self, plays: str | list[object], emulator: RunningEmulator, *extra: str
    ) -> tuple[int, str]:
        path = self.venv.workdir / "playbook.yml"
        text = plays if isinstance(plays, str) else yaml.safe_dump(plays, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        inventory = self.venv.workdir / "inventory.ini"
        inventory.write_text(
            f"localhost ansible_connection=local ansible_python_interpreter={self.venv.python}\n",
            encoding="utf-8",
        )
        done = self.venv.run(
            [self.venv.bin("ansible-playbook"), "-i", str(inventory), str(path), *extra],
            env={
                "ANSIBLE_COLLECTIONS_PATH": str(self.collections),
                "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_HOME": str(self.venv.workdir / "ansible-home"),
                "ANSIBLE_LOCALHOST_WARNING": "false",
                "ANSIBLE_RETRY_FILES_ENABLED": "false",
                # Only for the READMEs' examples, which name no api_url: the service's address
                # comes from the environment, as the docs allow.
                "SMSC_API_URL": emulator.http_url,
            },
            timeout=600,
        )
        return done.returncode, done.stdout + done.stderr


def make_controller(dist: Artefacts, version: str, where: Path) -> Controller:
    minor = ".".join(version.split(".")[:2])
    python = find_python(CONTROLLER_PYTHONS[minor][-1])
    venv = Venv.create(where, python)
    venv.pip(f"ansible-core=={version}")
    collections = where / "collections"
    collections.mkdir()
    venv.check(
        [
            venv.bin("ansible-galaxy"),
            "collection",
            "install",
            str(dist.collection),
            "-p",
            str(collections),
        ],
        env={"ANSIBLE_HOME": str(where / "ansible-home")},
    )
    manifest = json.loads(
        (collections / "ansible_collections/smsc/messaging/MANIFEST.json").read_text()
    )
    assert manifest["collection_info"]["version"] == dist.version
    reported = venv.check([venv.bin("ansible"), "--version"]).splitlines()[0]
    assert f"[core {version}]" in reported
    return Controller(venv, collections, version)


@pytest.fixture(scope="module")
def controllers(
    dist: Artefacts, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Controller]:
    """One controller per ansible-core version, made on first use."""
    made: dict[str, Controller] = {}

    def get(version: str) -> Controller:
        if version not in made:
            where = tmp_path_factory.mktemp(f"ansible-{version}")
            made[version] = make_controller(dist, version, where)
        return made[version]

    return get


@pytest.fixture(params=["oldest claimed", "newest pinned"])
def controller(
    request: pytest.FixtureRequest, dist: Artefacts, controllers: Callable[[str], Controller]
) -> Controller:
    return controllers(
        oldest_claimed(dist) if request.param == "oldest claimed" else newest_pinned()
    )


def recap(output: str) -> dict[str, int]:
    match = re.search(r"localhost\s*:\s*(.*)", output.rsplit("PLAY RECAP", maxsplit=1)[-1])
    assert match, output[-2000:]
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", match.group(1))}


PLAY = """
- name: The collection from its tarball
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/smsc.messaging.smsc:
      api_url: "{{ smsc_url }}"
      login: demo
      password: "{{ smsc_password }}"
  tasks:
    - name: Send an SMS
      smsc.messaging.send:
        to: "+79991234567"
        text: "dist: ansible-core {{ ansible_version.full }}"
      register: sent

    - name: Create a template
      smsc.messaging.template: {name: dist-check, text: "Disk {1} full", kind: sms}
      register: created

    - name: The same template again
      smsc.messaging.template: {name: dist-check, text: "Disk {1} full", kind: sms}
      register: again

    - name: Read the templates
      smsc.messaging.template_info:
      register: templates

    - name: Sent once, created once, then converged
      ansible.builtin.assert:
        that:
          - sent is changed
          - sent.id | length > 0
          - sent.parts == 1
          - created is changed
          - again is not changed
          - templates.templates | selectattr('name', 'equalto', 'dist-check') | list | length == 1
"""


def test_playbook_sends_and_converges(controller: Controller, emulator: RunningEmulator) -> None:
    rc, output = controller.playbook(
        PLAY, emulator, "-e", f"smsc_url={emulator.http_url}", "-e", "smsc_password=demo"
    )
    assert rc == 0, output[-3000:]
    assert recap(output)["failed"] == 0
    assert recap(output)["changed"] == 2  # the send and the first template task
    [message] = emulator.messages()
    assert message["text"] == f"dist: ansible-core {controller.version}"
    assert [t["name"] for t in emulator.control("account")["templates"]] == ["dist-check"]
    assert "demo" not in output.replace("demo-", "")  # the password is no_log


def readme_blocks(dist: Artefacts, name: str) -> list[str]:
    text = dist.collection_file(name).decode()
    return re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)


def run_example(
    controller: Controller, emulator: RunningEmulator, playbook: str, *extra: str
) -> int:
    """Run a README's playbook as printed; returns the number of changed tasks."""
    rc, output = controller.playbook(
        playbook, emulator, "-e", "vault_smsc_api_key=demo-api-key", *extra
    )
    assert rc == 0, output[-3000:]
    return recap(output)["changed"]


def test_collection_and_alert_readme_examples(
    dist: Artefacts, emulator: RunningEmulator, controllers: Callable[[str], Controller]
) -> None:
    """The playbooks of the collection's README and the alert role's, as printed in the
    tarball, against the emulator."""
    controller = controllers(newest_pinned())
    [collection_play] = readme_blocks(dist, "README.md")[1:]
    assert run_example(controller, emulator, collection_play) == 2
    [alert_play] = readme_blocks(dist, "roles/alert/README.md")
    assert run_example(controller, emulator, alert_play) >= 2
    sent = sorted((m["kind"], m["text"]) for m in emulator.messages())
    assert sent == [
        ("call", "The deployment failed on localhost"),
        ("sms", "db1: disk 95% full"),
        ("sms", "nginx restarted on localhost"),
    ]


def test_configure_readme_example(
    dist: Artefacts, emulator: RunningEmulator, controllers: Callable[[str], Controller]
) -> None:
    """The configure role's playbook as printed converges: the second run changes nothing; once
    the sender name is approved, the operator template variables of the README register one."""
    controller = controllers(newest_pinned())
    play, operator_vars = readme_blocks(dist, "roles/configure/README.md")
    assert run_example(controller, emulator, play) == 2  # the template and the sender name
    # The service allows three identical list requests a minute: let the minute pass.
    emulator.post("clock/advance", {"seconds": 61})
    assert run_example(controller, emulator, play) == 0
    emulator.post("clock/advance", {"seconds": 61})
    emulator.post("senders/status", {"sender": "Shop", "status": 1})  # the moderators approve
    variables = controller.venv.workdir / "operator-templates.yml"
    variables.write_text(operator_vars, encoding="utf-8")
    assert run_example(controller, emulator, play, "-e", f"@{variables}") == 1
    account = emulator.control("account")
    assert [t["name"] for t in account["templates"]] == ["alert"]
    assert len(account["op_templates"]) == 1
