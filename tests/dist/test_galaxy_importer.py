"""galaxy-importer, the program Galaxy runs on every uploaded collection, imports the tarball
with no error and no warning: role READMEs, the collection README, the changelog, ansible-doc on
every plugin, ansible-lint, and flake8 on the Python files (Galaxy reports its findings as
warnings; it runs with --isolated, so only the code itself or `# noqa` can answer them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Artefacts, Venv

REQUIREMENTS = Path(__file__).with_name("galaxy-importer.txt")


@pytest.mark.timeout(900)
def test_galaxy_importer_accepts_the_tarball(
    dist: Artefacts, python313: str, tmp_path: Path
) -> None:
    venv = Venv.create(tmp_path, python313)
    venv.install_tools("-r", str(REQUIREMENTS))
    done = venv.run(
        [venv.python, "-m", "galaxy_importer.main", str(dist.collection)],
        env={
            "GALAXY_IMPORTER_RUN_FLAKE8": "true",
            "GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP": str(tmp_path / "ansible-tmp"),
            "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        },
        timeout=900,
    )
    output = done.stdout + done.stderr
    complaints = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert done.returncode == 0, output[-4000:]
    assert complaints == []
    result = json.loads((venv.workdir / "importer_result.json").read_text())
    assert result["metadata"]["version"] == dist.version
    contents = {(c["content_type"], c["name"]) for c in result["contents"]}
    assert {
        ("module", "send"),
        ("callback", "notify"),
        ("role", "alert"),
        ("role", "configure"),
    } <= contents
    assert "smsc.messaging" in result["docs_blob"]["collection_readme"]["html"]
    assert all(
        c["readme_html"] for c in result["docs_blob"]["contents"] if c["content_type"] == "role"
    )
