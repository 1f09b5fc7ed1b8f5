"""The library's public surface: what front ends may import, and that they import nothing else."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import pysmsc

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "plugins" / "module_utils" / "pysmsc"
# Public modules; every other module of the library has a leading underscore (smpp/ has its own
# surface, kept by its own package).
PUBLIC = {
    "pysmsc",
    "pysmsc.callbacks",
    "pysmsc.cli",
    "pysmsc.inbox",
    "pysmsc.errors",
    "pysmsc.models",
    "pysmsc.phones",
    "pysmsc.protocol",
    "pysmsc.protocol.checks",
    "pysmsc.redact",
    "pysmsc.relay",
    "pysmsc.schedule",
    "pysmsc.stdlib_transport",
    "pysmsc.text",
    "pysmsc.transport",
    "pysmsc.viber",
    "pysmsc.voice_menu",
}
# Packages that keep their own surface in their __init__ (their modules are theirs to mark).
OWN_SURFACE = ("pysmsc.smpp", "pysmsc.paging")
FRONT_ENDS = [
    ROOT / "custom_components",
    ROOT / "plugins" / "modules",
    ROOT / "plugins" / "callback",
    ROOT / "plugins" / "action",
    ROOT / "plugins" / "module_utils" / "smsc_module.py",
    ROOT / "plugins" / "module_utils" / "smsc_transport.py",
    LIBRARY / "cli",
    LIBRARY / "relay",
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(LIBRARY.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_is_public_or_marked_internal() -> None:
    for path in LIBRARY.rglob("*.py"):
        name = _module_name(path)
        if name.startswith(OWN_SURFACE) or name in PUBLIC:
            continue
        assert name.rsplit(".", 1)[-1].startswith("_"), f"{name} is neither public nor internal"


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_names_exist(module: str) -> None:
    loaded = importlib.import_module(module)
    for name in getattr(loaded, "__all__", ()):
        assert getattr(loaded, name) is not None, f"{module}.{name}"
        assert not name.startswith("_")


def test_the_top_level_names_are_the_vocabulary() -> None:
    assert {"Client", "AsyncClient", "Message", "MessageKind", "SmscError"} <= set(pysmsc.__all__)
    assert len(pysmsc.__all__) <= 45


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every pysmsc import in ``path``, relative imports resolved for the
    collection's ``module_utils`` layout."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if node.level and path.is_relative_to(LIBRARY):
                base = _module_name(path).split(".")
                base = base[: len(base) - node.level + (path.name == "__init__.py")]
                module = ".".join([*base, module])
            elif node.level:
                module = "pysmsc" + module.split("pysmsc", 1)[1] if "pysmsc" in module else ""
            module = module.split("module_utils.", 1)[-1]
            if module == "pysmsc" or module.startswith("pysmsc."):
                found += [(module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.startswith("pysmsc")]
    return found


@pytest.mark.parametrize("where", FRONT_ENDS, ids=lambda p: str(p.relative_to(ROOT)))
def test_front_ends_import_only_public_names(where: Path) -> None:
    files = [where] if where.is_file() else sorted(where.rglob("*.py"))
    for path in files:
        for module, name in _imports(path):
            if module.startswith(OWN_SURFACE):
                continue  # its own surface, kept by its package
            if module.startswith("pysmsc.cli") and path.is_relative_to(LIBRARY / "cli"):
                continue  # the CLI's own modules
            if module.startswith("pysmsc.relay") and path.is_relative_to(LIBRARY / "relay"):
                continue  # the relay's own modules
            assert module in PUBLIC, f"{path.relative_to(ROOT)} imports {module}"
            dunder = name.startswith("__") and name.endswith("__")  # __version__ is public
            assert dunder or not name.startswith("_"), (
                f"{path.relative_to(ROOT)} imports {module}.{name}"
            )
