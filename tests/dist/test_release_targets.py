"""The publish targets the release workflow runs, in dry-run mode on these artefacts: what each
would upload, and that the Galaxy token never reaches a command line or the log."""

from __future__ import annotations

import os
import subprocess

from .conftest import REPO, Artefacts


def make(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_publish_galaxy_uploads_the_tarball_without_showing_the_token(dist: Artefacts) -> None:
    done = make("publish-galaxy", "DRY_RUN=1", f"DIST={dist.folder}", GALAXY_API_KEY="s3cr3t-t0ken")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-4:] == [
        ".venv/bin/ansible-galaxy",
        "collection",
        "publish",
        str(dist.collection),
    ]
    assert "s3cr3t-t0ken" not in done.stdout + done.stderr
    missing = make("publish-galaxy", f"DIST={dist.folder}", GALAXY_API_KEY="")
    assert missing.returncode != 0
    assert "GALAXY_API_KEY is not set" in missing.stderr


def test_github_release_attaches_every_file_with_the_changelog(dist: Artefacts) -> None:
    done = make("github-release", "DRY_RUN=1", f"DIST={dist.folder}")
    assert done.returncode == 0, done.stderr
    command = done.stdout.split()
    assert command[:4] == ["gh", "release", "create", f"v{dist.version}"]
    attached = {arg.rsplit("/", 1)[-1] for arg in command if arg.startswith(str(dist.folder))}
    assert attached == {p.name for p in dist.folder.iterdir()}
    assert {"SHA256SUMS", dist.hacs_zip.name} <= attached
    notes = (REPO / "build" / "release-notes.md").read_text()
    assert "### pysmsc" in notes and "CHANGELOG.rst" in notes
