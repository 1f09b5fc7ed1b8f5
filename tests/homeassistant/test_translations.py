# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""strings.json, the English and Russian translations, icons.json and services.yaml agree with
each other and with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import pysmsc
from custom_components.smsc import helpers
from custom_components.smsc.const import KIND_MODELS, NOTIFY_KINDS, SERVICE_KINDS, STATUS_OPTIONS

COMPONENT = Path(__file__).parents[2] / "custom_components" / "smsc"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((COMPONENT / name).read_text(encoding="utf-8"))
    return data


def _keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in data.items():
        keys.add(prefix + key)
        if isinstance(value, dict):
            keys |= _keys(value, f"{prefix}{key}.")
    return keys


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


def _leaves(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out |= _leaves(value, f"{prefix}{key}.")
        else:
            out[prefix + key] = value
    return out


def test_english_is_strings() -> None:
    """translations/en.json is strings.json (custom integrations ship the built file)."""
    assert _load("translations/en.json") == _load("strings.json")


@pytest.mark.parametrize("language", ["ru"])
def test_translation_complete(language: str) -> None:
    """Every key of strings.json is translated, with the same placeholders."""
    english = _leaves(_load("strings.json"))
    other = _leaves(_load(f"translations/{language}.json"))
    assert set(other) == set(english)
    for key, text in english.items():
        assert _placeholders(other[key]) == _placeholders(text), key


def test_no_key_references() -> None:
    """[%key:...%] references are only resolved in Home Assistant core."""
    assert "[%key:" not in (COMPONENT / "strings.json").read_text(encoding="utf-8")


def test_exception_keys_exist() -> None:
    """Every translation key the code raises is in strings.json."""
    exceptions = set(_load("strings.json")["exceptions"])
    source = "\n".join(path.read_text(encoding="utf-8") for path in COMPONENT.glob("*.py"))
    raised = r'(?:Error|Failed)\(\s*translation_domain=DOMAIN,\s*translation_key="(\w+)"'
    used = set(re.findall(raised, source))
    assert {"invalid_auth", "invalid_field", "entry_not_found", "update_failed"} <= used
    used |= {key for _, read, send in helpers._REFUSALS for key in (read, send)}
    used |= set(helpers._OTHER_REFUSAL)
    used |= {
        "maybe_sent",
        "cannot_connect",
        "not_sent_unreachable",
        "not_sent_smpp_rejected",
        "unexpected_response",
        "unexpected_error",
        "not_sent_error",
        "not_text",
        "not_whole_number",
    }
    assert used == exceptions


def test_status_states_and_icons() -> None:
    """The enum sensor's states are all translated and have icons."""
    strings = _load("strings.json")
    states = strings["entity"]["sensor"]["last_message_status"]["state"]
    assert set(states) == set(STATUS_OPTIONS)
    reports = strings["entity"]["event"]["delivery_report"]["state_attributes"]["event_type"]
    assert set(reports["state"]) == set(STATUS_OPTIONS)
    icons = _load("icons.json")["entity"]["sensor"]["last_message_status"]["state"]
    assert set(icons) == set(STATUS_OPTIONS)


def test_services_documented() -> None:
    """Every field of services.yaml has a name and a description in strings.json."""
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text(encoding="utf-8"))
    strings = _load("strings.json")["services"]
    icons = _load("icons.json")["services"]
    assert set(services) == set(strings) == set(icons)
    for service, spec in services.items():
        fields: set[str] = set()
        sections: set[str] = set()
        for name, field in spec["fields"].items():
            if "fields" in field:
                sections.add(name)
                fields |= set(field["fields"])
            else:
                fields.add(name)
        assert set(strings[service]["fields"]) == fields, service
        assert set(strings[service].get("sections", {})) == sections, service
        for field in strings[service]["fields"].values():
            assert field["name"]
            assert field["description"]


def test_manifest() -> None:
    """The manifest HACS and Home Assistant read."""
    manifest = _load("manifest.json")
    assert manifest["domain"] == "smsc"
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "service"
    assert manifest["iot_class"] == "cloud_polling"
    assert manifest["requirements"] == [f"pysmsc=={pysmsc.__version__}"]
    assert manifest["loggers"] == ["pysmsc"]
    assert manifest["version"] == pysmsc.__version__
    hacs = json.loads((COMPONENT.parents[1] / "hacs.json").read_text(encoding="utf-8"))
    assert hacs["homeassistant"] == "2025.4.0"


def test_quality_scale() -> None:
    """Every rule is done or exempt with a reason."""
    rules = yaml.safe_load((COMPONENT / "quality_scale.yaml").read_text(encoding="utf-8"))["rules"]
    assert len(rules) >= 50
    for name, rule in rules.items():
        if isinstance(rule, str):
            assert rule == "done", name
        else:
            assert rule["status"] in ("done", "exempt"), name
            assert rule.get("comment"), name


def test_kinds_have_one_vocabulary() -> None:
    """The kinds the action and the recipient form offer are the library's names, each with a
    translated label; a recipient device's model is the English label of its kind."""
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text(encoding="utf-8"))
    offered = services["send_message"]["fields"]["kind"]["selector"]["select"]["options"]
    assert offered == [kind.value for kind in SERVICE_KINDS]
    for language in ("strings", "translations/en", "translations/ru"):
        labels = _load(f"{language}.json")["selector"]["kind"]["options"]
        assert set(labels) == {kind.value for kind in SERVICE_KINDS}, language
    english = _load("strings.json")["selector"]["kind"]["options"]
    assert set(KIND_MODELS) == set(NOTIFY_KINDS)
    for kind, model in KIND_MODELS.items():
        assert english[kind.value] == model
