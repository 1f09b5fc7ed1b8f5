"""Quality gates of the collection: what the tarball ships, ansible-test sanity on exactly that,
ansible-lint's production profile, and the changelog fragments."""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import warnings
from pathlib import Path

import ansible_test
import pytest

from .conftest import BIN, PYENV_VERSIONS, REPO, python_for

SHIPPED = (
    "galaxy.yml",  # read by ansible-galaxy; the tarball carries MANIFEST.json instead
    "meta/runtime.yml",
    "plugins/action/send.py",
    "plugins/callback/notify.py",
    "plugins/doc_fragments/auth.py",
    "plugins/module_utils/smsc_module.py",
    "plugins/module_utils/smsc_transport.py",
    "plugins/module_utils/pysmsc/protocol/_send.py",
    "plugins/module_utils/pysmsc/transport.py",
    # Paging runs in the task: the policy, the texts and the voice menu builder.
    "plugins/module_utils/smsc_paging.py",
    "plugins/module_utils/smsc_relay.py",
    "plugins/module_utils/pysmsc/paging/policy.py",
    "plugins/module_utils/pysmsc/voice_menu.py",
    "plugins/modules/page.py",
    "plugins/modules/send.py",
    "roles/alert/tasks/send.yml",
    "roles/configure/meta/argument_specs.yml",
    "LICENSES/GPL-3.0-or-later.txt",
    "LICENSES/BSD-2-Clause.txt",
    "docs/ansible.md",
    "changelogs/changelog.yaml",
)
# Nothing of Home Assistant, the emulator, SMPP, the CLI, the httpx client, tests or tooling.
FORBIDDEN = re.compile(
    r"^(custom_components/|blueprints/|hacs\.json$|tests/|\.venv/|\.git|Makefile$|constraints\.txt$|"
    r"pyproject\.toml$|build/|dist/|\.ci/|.*__pycache__|.*\.egg-info|.*\.pyc$|"
    r"plugins/module_utils/pysmsc/(emulator|smpp|cli|relay)(/|\.py$)|"
    r"plugins/module_utils/pysmsc/(_client|_slots|stdlib_transport)\.py$|docs/demo/.*\.py$|"
    r"docs/(emulator|relay)\.md$)"
)


def run(command: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    done = run(
        [str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(out)], REPO
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = out.glob("smsc-messaging-*.tar.gz")
    return built


@pytest.fixture(scope="session")
def installed(tarball: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tarball installed as <tmp>/ansible_collections/smsc/messaging."""
    root = tmp_path_factory.mktemp("installed")
    done = run(
        [str(BIN / "ansible-galaxy"), "collection", "install", str(tarball), "-p", str(root)],
        root,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "ansible_collections" / "smsc" / "messaging"


def test_tarball_ships_only_what_ansible_needs(tarball: Path) -> None:
    with tarfile.open(tarball) as archive:
        names = [m.name for m in archive.getmembers() if m.isfile()]
    shipped = set(names)
    for path in SHIPPED:
        if path != "galaxy.yml":
            assert path in shipped, path
    assert "MANIFEST.json" in shipped
    unwanted = [name for name in names if FORBIDDEN.match(name)]
    assert unwanted == []
    home_assistant = re.compile(r"home.?assistant|hass|custom_components", re.IGNORECASE)
    assert [name for name in names if home_assistant.search(name)] == []


def pip_bootstrap() -> Path:
    """ansible-test downloads a pip bootstrap script from a host we cannot reach; it uses a
    cached copy when there is one. Write that copy: it installs pip from the standard library.

    The name carries the pip version that ansible-test pins for its virtual environments
    (``get_venv_packages`` in ansible_test/_internal/python_requirements.py), and the
    script's path is built in ansible_test/_util/target/setup/requirements.py.
    """
    source = Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
    match = re.search(r"pip=['\"]([0-9.]+)['\"]", source.read_text(encoding="utf-8"))
    assert match, "cannot find the pip version ansible-test pins"
    version = match.group(1)
    cache = Path.home() / ".ansible" / "test" / "cache" / f"get_pip_{version.replace('.', '_')}.py"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(
        '"""pip bootstrap for ansible-test, offline: pip from the standard library."""\n'
        "import ensurepip\n\nensurepip.bootstrap(upgrade=True)\n",
        encoding="utf-8",
    )
    return cache


@pytest.mark.timeout(1800)
def test_ansible_test_sanity(installed: Path, tmp_path: Path) -> None:
    pip_bootstrap()
    # ansible-test looks for python3.X on PATH and does not pass PYENV_VERSION on to the
    # commands it runs, so pyenv's shims would not resolve: link the interpreters themselves.
    interpreters = tmp_path / "bin"
    interpreters.mkdir()
    found = []
    for version in PYENV_VERSIONS:
        minor = ".".join(version.split(".")[:2])
        python = python_for(version)
        if python is None:
            warnings.warn(f"Python {version} is not installed: sanity skips it", stacklevel=1)
            continue
        (interpreters / f"python{minor}").symlink_to(python)
        found.append(minor)
    path = f"{interpreters}:{BIN}:/usr/local/bin:/usr/bin:/bin"
    done = run(
        [str(BIN / "ansible-test"), "sanity", "--requirements", "--color", "no"],
        installed,
        env={"PATH": path, "HOME": str(Path.home()), "LANG": "C.UTF-8"},
        timeout=1700,
    )
    output = done.stdout + done.stderr
    print(re.sub(r"(?m)^(?!Running sanity test|WARNING: Skipping|ERROR|FATAL).*\n", "", output))
    assert done.returncode == 0, "\n".join(
        line for line in output.splitlines() if line.startswith(("ERROR", "FATAL"))
    )
    for minor in found:
        for test in ("compile", "import"):
            assert f'Running sanity test "{test}" on Python {minor}' in output
    for test in ("validate-modules", "pylint", "pep8", "yamllint", "ansible-doc"):
        assert f'Running sanity test "{test}"' in output
    assert not (installed / "tests" / "sanity").exists()  # no ignore files at all


def test_ansible_lint_production_profile(collections_path: Path) -> None:
    targets = ["galaxy.yml", "meta/runtime.yml", "roles", "plugins", "changelogs"]
    targets.append("docs/demo/playbook.yml")
    done = run(
        [str(BIN / "ansible-lint"), "--offline", "--profile", "production", *targets],
        REPO,
        env={
            "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(Path.home()),
            "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
            "NO_COLOR": "1",
        },
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Profile 'production' was required, and it passed" in done.stdout + done.stderr


def test_changelog_fragments_lint() -> None:
    tool = shutil.which("antsibull-changelog", path=str(BIN))
    assert tool is not None
    done = run([tool, "lint"], REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == ""
