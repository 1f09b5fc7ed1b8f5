"""What Home Assistant's hassfest and the HACS action check on a custom integration, offline.

Written from hassfest's rules (script/hassfest of home-assistant/core: manifest, config_schema,
dependencies, translations, services, icons, requirements, json) and the HACS action's
(hacs.json, one integration, the manifest keys HACS reads, an information file), with Home
Assistant's own validators where it has them (selectors, slugs, no HTML). docs/releasing.md
lists what is covered and what only the actions on GitHub check.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
import yaml
from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import selector

REPO = Path(__file__).resolve().parents[2]
[INTEGRATION] = [p for p in (REPO / "custom_components").iterdir() if p.is_dir()]
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {"device", "entity", "hardware", "helper", "hub", "service", "system"}
MANIFEST_KEYS = {
    "after_dependencies", "bluetooth", "codeowners", "config_flow", "dependencies", "dhcp",
    "documentation", "domain", "homekit", "import_executor", "integration_type", "iot_class",
    "issue_tracker", "loggers", "mqtt", "name", "quality_scale", "requirements",
    "single_config_entry", "ssdp", "usb", "version", "zeroconf",
}  # fmt: skip
HACS_KEYS = {
    "name", "content_in_root", "zip_release", "filename", "hide_default_branch", "country",
    "homeassistant", "hacs", "persistent_directory", "render_readme",
}  # fmt: skip
# hassfest's translation key rule: lower case, digits, - and _, not at either end, not doubled.
TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")


def load(name: str) -> Any:
    return json.loads((INTEGRATION / name).read_text(encoding="utf-8"))


MANIFEST = load("manifest.json")
STRINGS = load("strings.json")


def test_one_integration_named_as_its_folder() -> None:
    assert MANIFEST["domain"] == INTEGRATION.name


def test_manifest_keys_and_order() -> None:
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:]), "domain, name, then alphabetical order"
    assert set(keys) <= MANIFEST_KEYS


def test_manifest_values() -> None:
    assert MANIFEST["documentation"].startswith("https://")
    assert MANIFEST["issue_tracker"].startswith("https://")
    assert MANIFEST["codeowners"] and all(o.startswith("@") for o in MANIFEST["codeowners"])
    assert MANIFEST["iot_class"] in IOT_CLASSES
    assert MANIFEST.get("integration_type", "hub") in INTEGRATION_TYPES
    version = AwesomeVersion(MANIFEST["version"])
    assert version.strategy in (AwesomeVersionStrategy.SEMVER, AwesomeVersionStrategy.SIMPLEVER)
    for requirement in MANIFEST["requirements"]:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[0-9][0-9A-Za-z.+-]*", requirement)
    if MANIFEST.get("config_flow"):
        assert (INTEGRATION / "config_flow.py").is_file()
        assert "config" in STRINGS


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def test_config_schema_when_async_setup() -> None:
    """hassfest config_schema: an integration with async_setup declares CONFIG_SCHEMA."""
    tree = _tree(INTEGRATION / "__init__.py")
    functions = {
        n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    assigned = {
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    if functions & {"async_setup", "setup"}:
        assert "CONFIG_SCHEMA" in assigned


def test_used_integrations_are_dependencies() -> None:
    """hassfest dependencies: an integration imported is a dependency, or a platform this
    integration implements (sensor.py for homeassistant.components.sensor)."""
    declared = {
        "homeassistant",
        *MANIFEST.get("dependencies", []),
        *MANIFEST.get("after_dependencies", []),
    }
    platforms = {p.stem for p in INTEGRATION.glob("*.py")}
    for path in INTEGRATION.glob("*.py"):
        for node in ast.walk(_tree(path)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.startswith("homeassistant.components."):
                    used = name.split(".")[2]
                    assert used in declared | platforms, f"{path.name} uses {used}"


def _value(text: Any, where: str) -> None:
    """hassfest's rule for every translated string."""
    assert isinstance(text, str) and text, where
    cv.string_with_no_html(text)
    assert text == text.strip(), f"{where}: leading or trailing spaces"
    assert not re.search(r"'{\w+}'", text), f"{where}: a placeholder in single quotes"
    assert not re.search(r"(.+\[%)|(%\].+)", text), f"{where}: a combined reference"


def _leaves(data: Any, where: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, dict):
        return [
            leaf for k, v in data.items() for leaf in _leaves(v, f"{where}.{k}" if where else k)
        ]
    return [(where, data)]


STRINGS_SECTIONS = {
    "title", "config", "options", "config_subentries", "selector", "entity", "exceptions",
    "issues", "services", "device", "entity_component", "device_automation", "system_health",
    "conversation", "common", "config_panel", "application_credentials",
}  # fmt: skip


@pytest.mark.parametrize("name", ["strings.json", "translations/en.json"])
def test_translations_schema(name: str) -> None:
    strings = load(name)
    assert set(strings) <= STRINGS_SECTIONS
    for where, text in _leaves(strings):
        _value(text, f"{name}: {where}")
    flows = [
        strings.get("config"),
        strings.get("options"),
        *strings.get("config_subentries", {}).values(),
    ]
    for flow in filter(None, flows):
        for step_id, step in flow["step"].items():
            assert set(step.get("data_description", {})) <= set(step.get("data", {})), step_id
    for platform in strings.get("entity", {}).values():
        for key, entity in platform.items():
            assert TRANSLATION_KEY.match(key), key
            assert all(TRANSLATION_KEY.match(state) for state in entity.get("state", {})), key
    for key, value in strings.get("selector", {}).items():
        assert all(TRANSLATION_KEY.match(option) for option in value["options"]), key
    for key in strings.get("exceptions", {}):
        cv.slug(key)


def test_english_translation_is_strings() -> None:
    """Custom integrations ship translations/en.json: it must be strings.json itself."""
    assert load("translations/en.json") == STRINGS


SERVICES = yaml.safe_load((INTEGRATION / "services.yaml").read_text(encoding="utf-8"))
ICONS = load("icons.json")
FIELD = vol.Schema(
    {
        vol.Optional("example"): object,
        vol.Optional("default"): object,
        vol.Optional("required"): bool,
        vol.Optional("advanced"): bool,
        vol.Optional("selector"): selector.validate_selector,
        vol.Optional("name"): str,
        vol.Optional("description"): str,
    }
)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_schema_translations_and_icons(service: str) -> None:
    cv.slug(service)
    spec = SERVICES[service] or {}
    strings = STRINGS["services"][service]
    _value(strings["name"], service)
    _value(strings["description"], service)
    icons = ICONS["services"][service]
    assert icons["service"].startswith("mdi:")
    seen: set[str] = set()
    for name, field in spec.get("fields", {}).items():
        if "fields" in field:  # a section
            assert set(field) <= {"collapsed", "fields"}, name
            assert strings["sections"][name]["name"]
            assert icons.get("sections", {}).get(name, "").startswith("mdi:"), name
            inner = field["fields"]
        else:
            inner = {name: field}
        for field_name, field_spec in inner.items():
            assert field_name not in seen, f"{field_name} twice"
            seen.add(field_name)
            FIELD(field_spec or {})
            _value(strings["fields"][field_name]["name"], field_name)
            _value(strings["fields"][field_name]["description"], field_name)
            key = ((field_spec or {}).get("selector", {}).get("select") or {}).get(
                "translation_key"
            )
            if key:
                assert key in STRINGS["selector"], f"{field_name}: selector {key}"
    assert set(strings["fields"]) == seen
    code = "\n".join(p.read_text(encoding="utf-8") for p in INTEGRATION.glob("*.py"))
    assert f'"{service}"' in code, f"{service} is in services.yaml but not registered"


def test_icons_schema() -> None:
    assert set(ICONS) <= {"entity", "services", "config", "options", "issues"}
    for platform, entities in ICONS.get("entity", {}).items():
        cv.slug(platform)
        for key, icons in entities.items():
            assert TRANSLATION_KEY.match(key), key
            assert icons["default"].startswith("mdi:")
            for state, icon in icons.get("state", {}).items():
                assert icon.startswith("mdi:") and icon != icons["default"], f"{key}.{state}"
    assert set(ICONS["services"]) == set(SERVICES)


def test_hacs_json() -> None:
    hacs = json.loads((REPO / "hacs.json").read_text(encoding="utf-8"))
    assert set(hacs) <= HACS_KEYS
    assert hacs["name"]
    if hacs.get("zip_release"):
        assert hacs["filename"].endswith(".zip")
    assert AwesomeVersion(hacs["homeassistant"]).strategy == AwesomeVersionStrategy.CALVER
    assert not hacs.get("content_in_root")
    for key in ("domain", "documentation", "issue_tracker", "codeowners", "name", "version"):
        assert MANIFEST.get(key), f"HACS reads manifest.json {key}"
    if hacs.get("render_readme"):
        assert (REPO / "README.md").is_file()  # the information HACS shows
