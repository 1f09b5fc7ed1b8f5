"""The GitHub workflows stay thin: every `run:` step is `make <target>` of a target the Makefile
has (so it runs on any machine too), CI runs the README's test command on pushes and pull
requests, and the release publishes with the least rights each step needs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def targets() -> set[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"(?m)^([a-z][a-z0-9-]*):(?!=)", makefile))


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_run_step_is_a_make_target(name: str) -> None:
    known = targets()
    runs = [
        step["run"] for job in load(name)["jobs"].values() for step in job["steps"] if "run" in step
    ]
    assert runs
    for command in runs:
        variable = r" [A-Z_]+=(?:\$\{\{ [\w.]+ \}\}|\S+)"
        match = re.fullmatch(rf"make ([a-z][a-z0-9-]*)(?:{variable})*\s*", command)
        assert match, f"{name}: {command!r} is not one make target"
        assert match.group(1) in known, f"{name}: make {match.group(1)} does not exist"
        dry = subprocess.run(
            ["make", "-n", match.group(1)], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert dry.returncode == 0, dry.stderr


def test_ci_runs_the_readme_test_command() -> None:
    ci = load("ci.yml")
    triggers = ci[True]  # YAML 1.1 reads the key `on` as True
    assert {"push", "pull_request"} <= set(triggers)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test " in readme
    assert any(step.get("run") == "make test" for step in ci["jobs"]["test"]["steps"])
    uses = {
        step.get("uses", "").split("@")[0] for job in ci["jobs"].values() for step in job["steps"]
    }
    assert {"home-assistant/actions/hassfest", "hacs/action"} <= uses


def test_release_publishes_with_least_rights() -> None:
    release = load("release.yml")
    assert release[True]["push"]["tags"] == ["v*.*.*"]
    assert release["permissions"] == {"contents": "read"}
    jobs = release["jobs"]
    assert jobs["build"]["steps"][2]["run"] == "make dist TAG=${{ github.ref_name }}"
    assert any(step.get("run") == "make verify-dist" for step in jobs["build"]["steps"])
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}  # trusted publishing only
    assert "password" not in str(jobs["pypi"])
    publish = [s for s in jobs["pypi"]["steps"] if "uses" in s]
    assert publish[-1]["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    galaxy = jobs["galaxy"]["steps"][-1]
    assert galaxy["run"] == "make publish-galaxy"
    assert galaxy["env"] == {"GALAXY_API_KEY": "${{ secrets.GALAXY_API_KEY }}"}
    assert "permissions" not in jobs["galaxy"]
    assert jobs["github"]["permissions"] == {"contents": "write"}
    assert set(jobs["github"]["needs"]) == {"pypi", "galaxy"}
