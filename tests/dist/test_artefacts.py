"""What the release files contain: one version in all, the checksums, a pysmsc wheel without the
emulator or the SMPP server, and a collection tarball that carries its own README, role READMEs,
the changelog of its release and links that resolve."""

from __future__ import annotations

import ast
import hashlib
import json
import posixpath
import re
import tarfile
import zipfile

import pytest
import yaml

from .conftest import Artefacts

# What lives in pysmsc-emulator and must never ship in pysmsc (issue "Redesign").
SERVER_CLASSES = {"SmppServer", "ServerSession", "ServerConfig", "SmppBackend", "MemoryBackend"}
SERVER_MODULE = re.compile(r"(^|/)(emulator|server|memory)[^/]*(\.py|/)", re.IGNORECASE)


def test_one_version_in_every_artefact(dist: Artefacts) -> None:
    version = dist.version
    assert dist.wheel_metadata(dist.pysmsc_wheel)["Version"] == version
    emulator = dist.wheel_metadata(dist.emulator_wheel)
    assert emulator["Version"] == version
    assert f"pysmsc=={version}" in emulator.get_all("Requires-Dist")
    manifest = json.loads(dist.collection_file("MANIFEST.json"))
    assert manifest["collection_info"]["version"] == version
    with zipfile.ZipFile(dist.hacs_zip) as archive:
        integration = json.loads(archive.read("manifest.json"))
    assert integration["version"] == version
    assert integration["requirements"] == [f"pysmsc=={version}"]
    sdists = sorted(p.name for p in dist.folder.glob("pysmsc*.tar.gz"))
    assert sdists == [f"pysmsc-{version}.tar.gz", f"pysmsc_emulator-{version}.tar.gz"]


def test_checksums_cover_every_file(dist: Artefacts) -> None:
    lines = (dist.folder / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    files = {p.name for p in dist.folder.iterdir()} - {"SHA256SUMS"}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((dist.folder / name).read_bytes()).hexdigest() == digest, name


def test_pysmsc_wheel_has_no_emulator_and_no_smpp_server(dist: Artefacts) -> None:
    with zipfile.ZipFile(dist.pysmsc_wheel) as archive:
        names = archive.namelist()
        sources = {n: archive.read(n).decode() for n in names if n.endswith(".py")}
        top_level = archive.read(f"pysmsc-{dist.version}.dist-info/top_level.txt").decode()
    assert top_level.split() == ["pysmsc"]
    assert [n for n in names if SERVER_MODULE.search(n)] == []
    assert "pysmsc/smpp/client.py" in names  # the SMPP client stays
    for name, source in sources.items():
        tree = ast.parse(source)
        classes = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
        assert classes & SERVER_CLASSES == set(), name
        assert not any("Emulator" in c for c in classes), name
        imported = {
            alias.name if isinstance(node, ast.Import) else node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in getattr(node, "names", [])
        }
        if not name.startswith("pysmsc/relay/"):  # the relay's extra: pysmsc[relay]
            assert not any(i.split(".")[0] == "aiohttp" for i in imported), name
        if name != "pysmsc/cli/__init__.py":  # `smsc emulator` hands over to the other package
            assert not any(i.startswith("pysmsc_emulator") for i in imported), name
    requires = dist.wheel_metadata(dist.pysmsc_wheel).get_all("Requires-Dist")
    assert [r for r in requires if "extra ==" not in r] == ["httpx>=0.27", "sniffio>=1.3"]
    relay = sorted(r.split(";")[0] for r in requires if 'extra == "relay"' in r)
    assert relay == ["PyYAML>=6", "aiohttp>=3.9"]


def test_hacs_zip_is_the_integration_at_its_root(dist: Artefacts) -> None:
    with zipfile.ZipFile(dist.hacs_zip) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["domain"] == "smsc"
    for required in ("__init__.py", "config_flow.py", "strings.json", "translations/en.json"):
        assert required in names
    assert [n for n in names if "__pycache__" in n or n.endswith(".pyc") or n.startswith("/")] == []


@pytest.fixture(scope="module")
def collection(dist: Artefacts) -> dict[str, bytes]:
    with tarfile.open(dist.collection) as archive:
        return {
            m.name: archive.extractfile(m).read()  # type: ignore[union-attr]
            for m in archive.getmembers()
            if m.isfile()
        }


def test_collection_has_its_own_readme_with_links_that_resolve(
    collection: dict[str, bytes],
) -> None:
    manifest = json.loads(collection["MANIFEST.json"])
    readme = manifest["collection_info"]["readme"]
    assert readme == "README.md"  # galaxy-importer reads README.md, whatever the manifest says
    text = collection[readme].decode()
    assert text.startswith("# Ansible collection `smsc.messaging`")  # not the repository's
    roles = {name.split("/")[1] for name in collection if name.startswith("roles/")}
    assert roles == {"alert", "configure"}
    for document in [readme, *(f"roles/{role}/README.md" for role in sorted(roles))]:
        text = collection[document].decode()
        assert "make " not in text, document  # nothing that needs the repository
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"https?://", target) or target.startswith("#"):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(document), target))
            assert resolved in collection, f"{document} links to {target}, not in the tarball"


def test_collection_records_its_release(dist: Artefacts, collection: dict[str, bytes]) -> None:
    changes = yaml.safe_load(collection["changelogs/changelog.yaml"])
    assert dist.version in changes["releases"]
    assert f"\nv{dist.version}\n" in collection["CHANGELOG.rst"].decode()
