# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Release tooling: one version in every file that carries it, the checks before a release,
the Home Assistant zip, SHA256SUMS and the release notes. docs/releasing.md tells the story.

    python -m tools.release versions           every file that carries the version, and its value
    python -m tools.release check [--clean] [--release] [--tag TAG]
    python -m tools.release bump X.Y.Z         write X.Y.Z everywhere, fold the changelogs into it
    python -m tools.release collection DIR     DIR/smsc-messaging-X.Y.Z.tar.gz, with its own README
    python -m tools.release hacs-zip DIR       DIR/<filename of hacs.json>: the integration
    python -m tools.release sums DIR           DIR/SHA256SUMS
    python -m tools.release expect DIR         DIR holds the release's artefacts and nothing else
    python -m tools.release notes              the GitHub release notes of the current version

The one source of the version is ``[project] version`` of pyproject.toml; ``bump`` writes it and
every copy (a copy cannot be avoided where a file must be read without running Python: the
emulator's pin of pysmsc, galaxy.yml, the Home Assistant manifest and its requirement).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMS = "SHA256SUMS"
# What every ecosystem accepts alike: Galaxy wants semantic versions, PyPI PEP 440 ones, and
# the two spell pre-releases differently, so a release is X.Y.Z.
VERSION_RULE = re.compile(r"\d+\.\d+\.\d+")


class ReleaseError(Exception):
    """A check failed; the message says what to do."""


@dataclass(frozen=True)
class Place:
    """A file that carries the version: ``pattern``'s group ``v`` is it."""

    path: str
    pattern: str
    what: str
    required: bool = True  # documentation may stop quoting the version; metadata may not


SOURCE = Place("pyproject.toml", r'(?m)^version = "(?P<v>[^"]+)"$', "pysmsc (the source)")
PLACES = (
    SOURCE,
    Place(
        "plugins/module_utils/pysmsc/__init__.py",
        r'(?m)^__version__ = "(?P<v>[^"]+)"$',
        "pysmsc.__version__ (smsc --version, user agents, the collection's module_utils)",
    ),
    Place("emulator/pyproject.toml", r'(?m)^version = "(?P<v>[^"]+)"$', "pysmsc-emulator"),
    Place("emulator/pyproject.toml", r'"pysmsc==(?P<v>[^"]+)"', "pysmsc-emulator's pin of pysmsc"),
    Place("galaxy.yml", r"(?m)^version: (?P<v>\S+)$", "the Ansible collection smsc.messaging"),
    Place(
        "custom_components/smsc/manifest.json",
        r'"version": "(?P<v>[^"]+)"',
        "the Home Assistant integration",
    ),
    Place(
        "custom_components/smsc/manifest.json",
        r'"pysmsc==(?P<v>[^"]+)"',
        "the integration's requirement",
    ),
    Place("docs/homeassistant.md", r"`pysmsc==(?P<v>[^`]+)`", "docs/homeassistant.md", False),
)


def _read(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def current_version(root: Path = ROOT) -> str:
    match = re.search(SOURCE.pattern, _read(root, SOURCE.path))
    if match is None:
        raise ReleaseError(f"{SOURCE.path}: no [project] version")
    return match.group("v")


def versions(root: Path = ROOT) -> list[tuple[Place, list[str]]]:
    """Every place with the versions found there (one, or none for a missing optional one)."""
    return [(p, re.findall(p.pattern, _read(root, p.path))) for p in PLACES]


def _calendar(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def home_assistant_problems(root: Path = ROOT) -> list[str]:
    """hacs.json's minimum is the series the tests run (constraints.txt), and not newer."""
    minimum = json.loads(_read(root, "hacs.json"))["homeassistant"]
    pinned = re.search(r"(?m)^homeassistant==(\S+)$", _read(root, "constraints.txt"))
    if pinned is None:
        return ["constraints.txt does not pin homeassistant"]
    tested = pinned.group(1)
    if _calendar(minimum) > _calendar(tested) or _calendar(minimum)[:2] != _calendar(tested)[:2]:
        return [
            f"hacs.json claims Home Assistant {minimum} or newer but the tests run {tested} "
            f"(constraints.txt): claim the oldest series that is tested"
        ]
    return []


def version_problems(root: Path = ROOT) -> list[str]:
    wanted = current_version(root)
    problems = []
    if not VERSION_RULE.fullmatch(wanted):
        problems.append(f"{SOURCE.path}: version {wanted!r} is not X.Y.Z")
    for place, found in versions(root):
        if not found and place.required:
            problems.append(f"{place.path}: no version found for {place.what}")
        problems += [
            f"{place.path}: {place.what} is {value}, not {wanted}"
            for value in found
            if value != wanted
        ]
    return problems + home_assistant_problems(root)


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def clean_problems(root: Path = ROOT) -> list[str]:
    """A release is built from a commit: no change and no untracked file (a collection build
    would ship it)."""
    try:
        status = _git(root, "status", "--porcelain", "--untracked-files=all")
    except (ReleaseError, OSError) as exc:
        return [f"a release is built from a git checkout ({exc})"]
    dirty = status.splitlines()
    if not dirty:
        return []
    listed = "\n  ".join(dirty[:20]) + ("\n  ..." if len(dirty) > 20 else "")
    return [f"the working tree is not clean; commit or remove:\n  {listed}"]


def _fragments(root: Path) -> list[Path]:
    folder = root / "changelogs" / "fragments"
    return sorted(p for p in folder.glob("*") if p.suffix in (".yml", ".yaml"))


def _released(root: Path) -> dict[str, object]:
    # Imported here only, so that notes and expect run on any python3.
    import yaml  # noqa: PLC0415

    changes = yaml.safe_load(_read(root, "changelogs/changelog.yaml")) or {}
    releases: dict[str, object] = changes.get("releases") or {}
    return releases


def changelog_problems(root: Path = ROOT) -> list[str]:
    """Both changelogs record the version, and no fragment waits outside the release."""
    version = current_version(root)
    problems = []
    if version not in _released(root):
        problems.append(
            f"changelogs/changelog.yaml has no release {version}: run make bump VERSION={version}"
        )
    pending = [p.name for p in _fragments(root)]
    if pending:
        problems.append(
            f"changelog fragments not in a release yet ({', '.join(pending)}): "
            f"run make bump VERSION={version} to fold them into {version}"
        )
    if f"\nv{version}\n" not in _read(root, "CHANGELOG.rst"):
        problems.append(f"CHANGELOG.rst has no v{version}: run make bump VERSION={version}")
    if _section(root, version) is None:
        problems.append(f"CHANGELOG.md has no '## {version}' section")
    return problems


def check(
    root: Path = ROOT, *, clean: bool = False, release: bool = False, tag: str | None = None
) -> None:
    problems = version_problems(root)
    if release:
        problems += changelog_problems(root)
    if tag is not None and tag != f"v{current_version(root)}":
        problems.append(f"the tag {tag} is not v{current_version(root)} (pyproject.toml)")
    if clean:
        problems += clean_problems(root)
    if problems:
        raise ReleaseError("\n".join(f"- {problem}" for problem in problems))


# -- bump ----------------------------------------------------------------------------------------

_HEADING = re.compile(r"(?m)^## (?P<name>[^\n]+?)(?: - (?P<date>\d{4}-\d{2}-\d{2}))?$")


def _sections(text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of every ``## name [- date]`` section of CHANGELOG.md."""
    heads = list(_HEADING.finditer(text))
    ends = [m.start() for m in heads[1:]] + [len(text)]
    return [(m.group("name"), m.start(), end) for m, end in zip(heads, ends)]


def _section(root: Path, version: str) -> str | None:
    text = _read(root, "CHANGELOG.md")
    for name, start, end in _sections(text):
        if name == version:
            return text[start:end].strip()
    return None


def bump_changelog_md(text: str, version: str, date: str) -> str:
    """``## Unreleased`` becomes ``## version - date`` (a fresh empty Unreleased stays on top);
    an existing section of ``version`` (not published yet) takes the unreleased entries and the
    new date."""
    sections = {name: (start, end) for name, start, end in _sections(text)}
    unreleased = ""
    if "Unreleased" in sections:
        start, end = sections["Unreleased"]
        unreleased = text[start:end].split("\n", 1)[1].strip()
        text = text[:start] + "## Unreleased\n\n" + text[end:]
        sections = {name: (start, end) for name, start, end in _sections(text)}
    heading = f"## {version} - {date}\n\n"
    if version in sections:
        start, end = sections[version]
        body = text[start:end].split("\n", 1)[1].strip()
        merged = "\n\n".join(part for part in (unreleased, body) if part)
        text = text[:start] + heading + merged + "\n\n" + text[end:].lstrip("\n")
        return text.rstrip("\n") + "\n"
    if "Unreleased" not in sections:
        raise ReleaseError("CHANGELOG.md has no '## Unreleased' section to release")
    body = unreleased or "No user-visible change."
    at = sections["Unreleased"][1]
    text = text[:at] + heading + body + "\n\n" + text[at:].lstrip("\n")
    return text.rstrip("\n") + "\n"


def _tool(name: str) -> str:
    """A command of this interpreter's environment (the project's .venv)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        raise ReleaseError(f"{name} is not installed next to {sys.executable}: run make venv")
    return found


def release_collection_changelog(root: Path, version: str, date: str) -> None:
    """antsibull-changelog release: the fragments fold into ``version``; a version that is
    already recorded (not published yet) is updated in place, with the new date."""
    command = [_tool("antsibull-changelog"), "release", "--version", version, "--date", date]
    if version in _released(root):
        command.append("--update-existing")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ReleaseError(f"antsibull-changelog release failed:\n{done.stdout}{done.stderr}")


def _with_version(match: re.Match[str], version: str) -> str:
    """The matched text with its group ``v`` replaced by ``version``."""
    whole, start = match.group(0), match.start()
    return whole[: match.start("v") - start] + version + whole[match.end("v") - start :]


def bump(root: Path, version: str, date: str | None = None) -> None:
    if not VERSION_RULE.fullmatch(version):
        raise ReleaseError(f"VERSION={version!r}: a release version is X.Y.Z (e.g. 0.2.0)")
    date = date or dt.datetime.now(dt.timezone.utc).date().isoformat()
    for place in PLACES:
        path = root / place.path
        text = path.read_text(encoding="utf-8")
        new = re.sub(place.pattern, lambda match: _with_version(match, version), text)
        path.write_text(new, encoding="utf-8")
    release_collection_changelog(root, version, date)
    changelog = root / "CHANGELOG.md"
    changelog.write_text(
        bump_changelog_md(changelog.read_text(encoding="utf-8"), version, date), encoding="utf-8"
    )
    problems = version_problems(root)
    if problems:
        raise ReleaseError("\n".join(problems))


# -- artefacts -----------------------------------------------------------------------------------


COLLECTION_README = "README.collection.md"


def build_collection(out: Path, root: Path = ROOT) -> Path:
    """The collection tarball, built from a copy of the checkout whose README.md is the
    collection's own: galaxy-importer (and so Galaxy) reads README.md at the collection's root,
    whatever galaxy.yml names, and the repository's README.md is about the whole repository."""
    stage = root / "build" / "collection" / "ansible_collections" / "smsc" / "messaging"
    shutil.rmtree(stage.parents[2], ignore_errors=True)
    listed = _git(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = root / name
        if source.is_file():  # a file deleted in the working tree is still listed
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, stage / name)
    (stage / COLLECTION_README).replace(stage / "README.md")
    galaxy = stage / "galaxy.yml"
    text = galaxy.read_text(encoding="utf-8")
    galaxy.write_text(
        re.sub(r"(?m)^readme: .*$", "readme: README.md", text).replace("  - README.md\n", ""),
        encoding="utf-8",
    )
    done = subprocess.run(
        [_tool("ansible-galaxy"), "collection", "build", "--output-path", str(out.resolve())],
        cwd=stage,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ReleaseError(f"ansible-galaxy collection build failed:\n{done.stdout}{done.stderr}")
    return out / f"smsc-messaging-{current_version(root)}.tar.gz"


def hacs_zip_name(root: Path = ROOT) -> str:
    name: str = json.loads(_read(root, "hacs.json"))["filename"]
    return name


def integration_dir(root: Path = ROOT) -> Path:
    """The one integration under custom_components/ (HACS installs the first it finds)."""
    found = [p for p in (root / "custom_components").iterdir() if p.is_dir()]
    if len(found) != 1:
        raise ReleaseError(f"custom_components/ must hold one integration, not {found}")
    return found[0]


def _zip_time() -> tuple[int, int, int, int, int, int]:
    """The commit's time (SOURCE_DATE_EPOCH), so that a rebuild gives the same bytes."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))  # 1980-01-01
    stamp = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def hacs_zip(out: Path, root: Path = ROOT) -> Path:
    """The integration's files at the root of the zip: HACS with ``zip_release`` unpacks the
    release asset into ``custom_components/<domain>/``."""
    source = integration_dir(root)
    target = out / hacs_zip_name(root)
    files = sorted(
        p
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(source).as_posix(), _zip_time())
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return target


def expected_artefacts(version: str, root: Path = ROOT) -> list[str]:
    return sorted(
        [
            f"pysmsc-{version}-py3-none-any.whl",
            f"pysmsc-{version}.tar.gz",
            f"pysmsc_emulator-{version}-py3-none-any.whl",
            f"pysmsc_emulator-{version}.tar.gz",
            f"smsc-messaging-{version}.tar.gz",
            hacs_zip_name(root),
        ]
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(out: Path) -> Path:
    """``sha256sum -c SHA256SUMS`` checks every other file of the folder."""
    names = sorted(p.name for p in out.iterdir() if p.is_file() and p.name != SUMS)
    target = out / SUMS
    target.write_text("".join(f"{_sha256(out / name)}  {name}\n" for name in names))
    return target


def expect(out: Path, root: Path = ROOT) -> None:
    """The folder holds the current version's artefacts, SHA256SUMS, and nothing else."""
    wanted = [*expected_artefacts(current_version(root), root), SUMS]
    found = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    problems = []
    if sorted(wanted) != found:
        problems.append(f"{out} holds {found}, not {sorted(wanted)}: run make dist")
    elif any(
        f"{_sha256(out / name)}  {name}" not in (out / SUMS).read_text().splitlines()
        for name in wanted[:-1]
    ):
        problems.append(f"{out / SUMS} does not match the files")
    if problems:
        raise ReleaseError("\n".join(problems))


def notes(root: Path = ROOT) -> str:
    version = current_version(root)
    section = _section(root, version)
    if section is None:
        raise ReleaseError(f"CHANGELOG.md has no '## {version}' section")
    body = section.split("\n", 1)[1].strip() if "\n" in section else ""
    return (
        f"{body}\n\n"
        "The Ansible collection smsc.messaging: see CHANGELOG.rst. Home Assistant (HACS) installs "
        f"{hacs_zip_name(root)}; {SUMS} lists the SHA-256 of every file of the release.\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.release", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("versions")
    checking = commands.add_parser("check")
    checking.add_argument("--clean", action="store_true", help="the git tree has no change")
    checking.add_argument("--release", action="store_true", help="the changelogs record it")
    checking.add_argument("--tag", help="the tag being released (vX.Y.Z)")
    bumping = commands.add_parser("bump")
    bumping.add_argument("version")
    bumping.add_argument("--date", help="release date (default: today, UTC)")
    for name in ("collection", "hacs-zip", "sums", "expect"):
        commands.add_parser(name).add_argument("dir", type=Path)
    commands.add_parser("notes")
    args = parser.parse_args(argv)
    try:
        if args.command == "versions":
            for place, found in versions():
                print(f"{place.path:42} {', '.join(found) or '-':8} {place.what}")
        elif args.command == "check":
            check(clean=args.clean, release=args.release, tag=args.tag)
        elif args.command == "bump":
            bump(ROOT, args.version, args.date)
        elif args.command == "collection":
            print(build_collection(args.dir))
        elif args.command == "hacs-zip":
            print(hacs_zip(args.dir))
        elif args.command == "sums":
            print(write_sums(args.dir))
        elif args.command == "expect":
            expect(args.dir)
        else:
            print(notes(), end="")
    except ReleaseError as exc:
        print(f"release {args.command}: cannot go on:\n{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
