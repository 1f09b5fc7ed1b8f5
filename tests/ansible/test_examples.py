"""Every example runs: the EXAMPLES of every module and filter (read from the plugins, so that a
new plugin's examples are run without touching this file) and every example of
docs/ansible.md, in real ansible-playbook runs against the emulator.

The emulator is prepared as the examples assume an account to be (the sender names they use are
allowed, the contact group G12 and the task group 4 exist), the variables they use are set
(credentials, phone numbers, a relay's address and token) and the files they read are there.
Pages are answered by an on-call person who replies "ack" to every alert (the ``responder``
fixture), and handed-over pages go to a stand-in relay (the ``relay`` fixture). Examples that take two runs (a
numeric sender name: a code, then the code) are run twice, with the code the emulator sent.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pysmsc import Client

from .conftest import REPO, Ansible, Run
from .oncall import RELAY_TOKEN

MODULES = sorted((REPO / "plugins" / "modules").glob("*.py"))
FILTERS = sorted((REPO / "plugins" / "filter").glob("*.py"))
DOCS = REPO / "docs" / "ansible.md"

# What the examples take for granted: variables...
EXAMPLE_VARS: dict[str, Any] = {
    "oncall_phone": "+79997654321",
    "oncall_phones": ["+79991234567", "+7 999 765-43-21"],
    "service_owner_phone": "79991234567",
}
# ...and the variables a second run gives, from what the first one did.
FOLLOW_UPS = ("code", "code_from_the_phone")
# Tasks that only run when something goes wrong.
ONLY_ON_FAILURE = ("Fall back to a call only if the SMS surely did not go out",)
# Blocks of docs/ansible.md that are not playbooks, and the test that runs what they show.
NOT_PLAYBOOKS = {
    "ansible-galaxy collection build": "test_quality.py builds and installs the tarball",
    "collections:": "installing from git needs the network; the tarball is tested instead",
    "ansible-playbook docs/demo/playbook.yml": "test_demo.py runs the demo playbook",
    "{menu: Disk full on db1. To acknowledge": "test_paging.py renders the call and compares",
}


def credentials(ansible: Ansible) -> dict[str, str]:
    emulator = ansible.emulator
    return {
        "smsc_login": emulator.login,
        "smsc_password": emulator.password,
        "smsc_api_key": emulator.api_key,
        "vault_smsc_login": emulator.login,
        "vault_smsc_password": emulator.password,
        "vault_smsc_api_key": emulator.api_key,
    }


def prepare(ansible: Ansible) -> None:
    """The account and the files the examples assume."""
    emulator = ansible.emulator
    with Client(emulator.login, emulator.password, base_url=emulator.http_url) as client:
        for name in ("Shop", "Ops"):
            client.add_sender(name)
            emulator.control.set_sender_status(name, 1)
    emulator.control.set_balance("90.00")  # low enough for the examples that warn of it
    emulator.control.add_contact_group(12, ["+79991234567", "+79161234567"], "ops")
    while max(g["id"] for g in emulator.control.task_groups()) < 4:
        emulator.control.add_task_group("monitoring", ["+79991234567"])
    emulator.control.advance(61)
    (ansible.workdir / "files").mkdir(exist_ok=True)
    (ansible.workdir / "files" / "report.csv").write_text("host,state\ndb1,down\n")
    (ansible.workdir / "templates").mkdir(exist_ok=True)
    (ansible.workdir / "templates" / "nginx.conf.j2").write_text("# {{ inventory_hostname }}\n")


def latest_code(ansible: Ansible) -> str:
    """The confirmation code the emulator last sent to a number."""
    texts = [m["text"] for m in ansible.emulator.control.messages() if m["source"] == "service"]
    assert texts, "no confirmation code was sent"
    return re.search(r"\d{6}", texts[-1]).group(0)  # type: ignore[union-attr]


def plugin_examples(path: Path) -> list[dict[str, Any]]:
    """The tasks of a module's or a filter's EXAMPLES."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    [text] = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(t, "id", None) == "EXAMPLES" for t in node.targets)
        and isinstance(node.value, ast.Constant)
    ]
    tasks = yaml.safe_load(text)
    assert isinstance(tasks, list) and tasks, f"{path.name}: EXAMPLES holds no tasks"
    return tasks


def docs_blocks() -> Iterator[tuple[str, str]]:
    """(language, text) of every fenced block of docs/ansible.md."""
    for match in re.finditer(r"(?ms)^```(\w*)\n(.*?)^```", DOCS.read_text(encoding="utf-8")):
        yield match.group(1), match.group(2)


def named(tasks: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    """Tasks with names (the record callback finds results by name), in blocks too."""
    result = []
    for index, task in enumerate(tasks):
        complete = {"name": f"{label} task {index + 1}", **task}
        for part in ("block", "rescue", "always"):
            if part in task:
                complete[part] = named(task[part], f"{label} {part}")
        result.append(complete)
    return result


def tasks_of(play: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The tasks of a play, those of blocks too (``rescued``: in a block with a rescue)."""

    def walk(tasks: list[dict[str, Any]], rescued: bool) -> Iterator[dict[str, Any]]:
        for task in tasks:
            if "block" in task:
                yield from walk(task["block"], rescued or "rescue" in task)
                yield from walk(task.get("rescue", []) + task.get("always", []), rescued)
            else:
                yield {**task, "rescued": rescued}

    return walk(play.get("tasks", []), False)


class Examples:
    """Runs example blocks one after the other, as a user would run them: each block its own
    ansible-playbook run on the emulator's clock a minute apart (the service's rate rules are
    per minute), with what earlier blocks registered."""

    def __init__(self, ansible: Ansible, relay: Any) -> None:
        self.ansible = ansible
        self.relay = {"relay_url": relay.url, "relay_token": RELAY_TOKEN}
        self.registered: dict[str, Any] = {}
        self.vars_file = ansible.workdir / "example-vars.json"

    def env(self) -> dict[str, str]:
        emulator = self.ansible.emulator
        return {
            "SMSC_API_URL": emulator.http_url,
            "SMSC_LOGIN": emulator.login,
            "SMSC_PASSWORD": emulator.password,
        }

    def run_plays(self, plays: list[dict[str, Any]], extra: dict[str, Any]) -> Run:
        variables = {**EXAMPLE_VARS, **credentials(self.ansible), **self.relay}
        variables.update({**self.registered, **extra})
        self.vars_file.write_text(json.dumps(variables), encoding="utf-8")
        text = yaml.safe_dump(plays, sort_keys=False, allow_unicode=True)
        # The alert example changes a system file: here, a file of the test's own.
        text = text.replace("/etc/nginx/nginx.conf", str(self.ansible.workdir / "nginx.conf"))
        path = self.ansible.workdir / f"example-{len(self.registered)}-{id(plays)}.yml"
        path.write_text(text, encoding="utf-8")
        run = self.ansible.run(
            path,
            args=["-e", f"@{self.vars_file}"],
            env=self.env(),
            hosts=("web1", "web2"),
            groups={"web": ("web1", "web2")},
        )
        self.ansible.emulator.control.advance(61)
        return run

    def run(self, plays: list[dict[str, Any]]) -> None:
        """Run ``plays``, again with the follow-up variables they use; every task must run
        without failing (in one of the runs), and its registered result is kept."""
        text = json.dumps(plays)
        runs = [self.run_plays(plays, {})]
        follow = [name for name in FOLLOW_UPS if re.search(rf"\b{name}\b", text)]
        if follow:
            code = latest_code(self.ansible)
            runs.append(self.run_plays(plays, dict.fromkeys(follow, code)))
        rescued = {t["name"] for play in plays for t in tasks_of(play) if t.get("rescued")}
        tolerant = {t["name"] for play in plays for t in tasks_of(play) if t.get("ignore_errors")}
        for run in runs:
            assert run.rc == 0, run
            failed = {r["task"] for r in run.records if r["status"] == "failed"}
            assert failed <= rescued, run
            # Failures the roles only report (a failed alert) count as failures here.
            ignored = {r["task"] for r in run.records if r["status"] == "ignored"}
            assert ignored <= tolerant, (ignored, run)
        ran = {r["task"] for run in runs for r in run.records if r["status"] != "skipped"}
        for play in plays:
            for task in tasks_of(play):
                static = any(key.endswith(("import_role", "import_tasks")) for key in task)
                if task["name"] not in ONLY_ON_FAILURE and not static:
                    assert task["name"] in ran, (task["name"], runs[-1])
                if "register" in task:
                    found = [r for r in runs[-1].records if r["task"] == task["name"]]
                    if found and found[-1]["status"] != "skipped":
                        self.registered[task["register"]] = found[-1]["result"]

    def run_tasks(self, tasks: list[dict[str, Any]]) -> None:
        self.run([{"name": "example", "hosts": "localhost", "gather_facts": False, "tasks": tasks}])


@pytest.mark.parametrize("path", [*MODULES, *FILTERS], ids=lambda p: p.stem)
@pytest.mark.usefixtures("responder")
def test_plugin_examples(ansible: Ansible, relay: Any, path: Path) -> None:
    prepare(ansible)
    Examples(ansible, relay).run_tasks(named(plugin_examples(path), path.stem))


@pytest.mark.usefixtures("responder")
def test_docs_examples(ansible: Ansible, relay: Any) -> None:
    prepare(ansible)
    examples = Examples(ansible, relay)
    handled: list[Callable[[], None]] = []
    for index, (language, text) in enumerate(docs_blocks()):
        label = f"docs block {index + 1}"
        skipped = [reason for start, reason in NOT_PLAYBOOKS.items() if start in text]
        if skipped:
            continue
        if language == "ini":
            handled.append(lambda text=text: callback_example(ansible, text))
            continue
        assert language == "yaml", f"{label}: a {language or 'plain'} block nobody runs"
        content = yaml.safe_load(text)
        assert isinstance(content, list), f"{label}: neither plays nor tasks"
        if all("hosts" in item for item in content):
            for play in content:
                play["tasks"] = named(play.get("tasks", []), label)
            handled.append(lambda content=content: examples.run(content))
        else:
            handled.append(
                lambda content=content, label=label: examples.run_tasks(named(content, label))
            )
    assert len(handled) >= 12, "docs/ansible.md lost its examples?"
    for run_block in handled:
        run_block()


def callback_example(ansible: Ansible, config: str) -> None:
    """The ansible.cfg of the callback, as shown, on a playbook where two hosts fail (a page is
    answered by the responder)."""
    cfg = ansible.workdir / "ansible.cfg"
    cfg.write_text(config, encoding="utf-8")
    play = {
        "name": "Deploy web",
        "hosts": "web1,web2",
        "gather_facts": False,
        "tasks": [{"name": "Install packages", "ansible.builtin.fail": {"msg": "no package"}}],
    }
    before = len(ansible.emulator.control.messages())
    env: dict[str, str | None] = {
        "ANSIBLE_CONFIG": str(cfg),
        "ANSIBLE_CALLBACKS_ENABLED": None,  # the file's callbacks_enabled, as shown
        "SMSC_API_URL": ansible.emulator.http_url,
        "SMSC_LOGIN": ansible.emulator.login,
        "SMSC_PASSWORD": ansible.emulator.password,
    }
    run = ansible.run(ansible.write([play]), hosts=("web1", "web2"), env=env)
    assert run.rc == 2, run
    assert "WARNING" not in run.stderr, run.stderr
    if re.search(r"(?m)^page = true", config):
        [message] = ansible.emulator.control.messages()[before:]
        assert message["text"].startswith("ALERT ")
        assert [p["phone"] for p in message["phones"]] == ["79991234567"]
        assert "web1, web2 - Install packages: no package" in message["text"]
        assert "acknowledged by +79991234567 (reply)" in run.stdout
        ansible.emulator.control.advance(61)
        return
    [message] = ansible.emulator.control.messages()[before:]
    assert message["sender"] == "Ops"
    assert sorted(p["phone"] for p in message["phones"]) == ["79991234567", "79997654321"]
    assert "web1, web2 - Install packages: no package" in message["text"]
    ansible.emulator.control.advance(61)
