"""One version: every file that carries it agrees with pyproject.toml, `make bump` writes them
all and folds the changelogs, and the release checks refuse a dirty tree or a mismatch."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tools import release

REPO = Path(__file__).resolve().parents[2]


def test_every_copy_of_the_version_agrees() -> None:
    assert release.version_problems(REPO) == []
    found = dict.fromkeys(v for _, values in release.versions(REPO) for v in values)
    assert list(found) == [release.current_version(REPO)]


def test_the_collection_takes_the_library_version() -> None:
    """smsc_transport's user agent reads pysmsc.__version__ rather than a copy of it."""
    source = (REPO / "plugins/module_utils/smsc_transport.py").read_text()
    assert "VERSION = __version__" in source
    assert not re.search(r'VERSION = "\d', source)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git checkout of the files the repository tracks (and the working tree's changes)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = tmp_path / "repo"
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, root / name)
    for command in (
        ["git", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "copy"],
    ):
        subprocess.run(command, cwd=root, check=True)
    return root


def test_a_mismatch_names_the_file(checkout: Path) -> None:
    manifest = checkout / "custom_components/smsc/manifest.json"
    manifest.write_text(manifest.read_text().replace('"pysmsc==', '"pysmsc==9', 1))
    problems = release.version_problems(checkout)
    assert len(problems) == 1
    assert "custom_components/smsc/manifest.json" in problems[0]
    assert "requirement" in problems[0]
    with pytest.raises(release.ReleaseError, match="requirement"):
        release.check(checkout)


def test_a_dirty_tree_is_no_release(checkout: Path) -> None:
    release.check(checkout, clean=True)
    (checkout / "stray.txt").write_text("not committed")
    with pytest.raises(release.ReleaseError, match=r"not clean(.|\n)*stray\.txt"):
        release.check(checkout, clean=True)


def test_home_assistant_minimum_is_the_tested_series(checkout: Path) -> None:
    hacs = checkout / "hacs.json"
    data = json.loads(hacs.read_text())
    assert release.home_assistant_problems(checkout) == []
    for claimed in ("2024.12.0", "2099.1.0"):
        hacs.write_text(json.dumps({**data, "homeassistant": claimed}))
        [problem] = release.home_assistant_problems(checkout)
        assert claimed in problem


FRAGMENT = """\
minor_changes:
  - send - a change made after the first fold.
"""


def test_bump_folds_late_fragments_into_the_unpublished_version(checkout: Path) -> None:
    """The procedure for 0.1.0 until it is published: fragments written later are folded in
    (antsibull-changelog release --update-existing), with the new date, by the same command."""
    version = release.current_version(checkout)
    fragments = checkout / "changelogs/fragments"
    for pending in fragments.glob("*.y*ml"):  # other work's fragments would fold in too
        pending.unlink()
    fragments.mkdir(exist_ok=True)
    (fragments / "late-change.yml").write_text(FRAGMENT)
    changelog_md = checkout / "CHANGELOG.md"
    changelog_md.write_text(
        changelog_md.read_text().replace(
            "## Unreleased\n", "## Unreleased\n\n### pysmsc\n\n- A late entry.\n", 1
        )
    )
    release.bump(checkout, version, date="2031-01-02")
    releases = yaml.safe_load((checkout / "changelogs/changelog.yaml").read_text())["releases"]
    assert list(releases) == [version]
    assert releases[version]["release_date"] == "2031-01-02"
    assert (
        "send - a change made after the first fold."
        in releases[version]["changes"]["minor_changes"]
    )
    assert "late-change.yml" in releases[version]["fragments"]
    assert not (fragments / "late-change.yml").exists()
    assert "a change made after the first fold" in (checkout / "CHANGELOG.rst").read_text()
    text = changelog_md.read_text()
    assert f"## {version} - 2031-01-02\n\n### pysmsc\n\n- A late entry." in text
    assert text.index("## Unreleased") < text.index(f"## {version}")
    assert text.count(f"## {version}") == 1
    release.check(checkout, release=True)


def test_bump_to_a_new_version_writes_every_copy(checkout: Path) -> None:
    for pending in (checkout / "changelogs/fragments").glob("*.y*ml"):
        pending.unlink()
    release.bump(checkout, "0.2.0", date="2031-02-03")
    assert {v for _, values in release.versions(checkout) for v in values} == {"0.2.0"}
    assert release.version_problems(checkout) == []
    assert re.search(
        r"## Unreleased\n\n## 0\.2\.0 - 2031-02-03\n", (checkout / "CHANGELOG.md").read_text()
    )
    assert (
        "0.2.0" in yaml.safe_load((checkout / "changelogs/changelog.yaml").read_text())["releases"]
    )
    release.check(checkout, release=True, tag="v0.2.0")
    with pytest.raises(release.ReleaseError, match=r"tag v0\.1\.9"):
        release.check(checkout, tag="v0.1.9")
    with pytest.raises(release.ReleaseError, match=r"X\.Y\.Z"):
        release.bump(checkout, "0.3.0-rc.1")
