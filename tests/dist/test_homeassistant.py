"""Home Assistant as a HACS user gets it: a real ``hass`` process in a fresh environment with the
pinned Home Assistant, a configuration directory whose ``custom_components/smsc`` is the release
zip unpacked (what HACS does with ``zip_release``), and ``pysmsc`` installed by Home Assistant
itself from the manifest's requirement (its uv installer is told where the unpublished wheel is,
as the package index will be after the release). A config entry made through the config flow
against the emulator loads and sends.

A real process rather than the pytest harness: it is what users run, it installs the requirement
with Home Assistant's own machinery, and it loads the integration from a configuration directory
like any custom integration; it costs one virtual environment (the pinned Home Assistant from the
package index, installed with uv as Home Assistant installs packages) and one start.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO, Artefacts, RunningEmulator, Venv, assert_installed_from

# A custom integration of the test's own that clicks through the config flow as a user would,
# calls the integration's action, writes what it saw and stops Home Assistant.
PROBE = '''
"""Set up the smsc integration through its config flow, send, report, stop."""
import json
from pathlib import Path

import voluptuous as vol
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.helpers import entity_registry as er

DOMAIN = "dist_probe"
CONFIG_SCHEMA = vol.Schema(
    {DOMAIN: {vol.Required("url"): str, vol.Required("out"): str}}, extra=vol.ALLOW_EXTRA
)


async def async_setup(hass, config):
    conf = config[DOMAIN]

    async def probe(_event):
        seen = {}
        try:
            flows = hass.config_entries.flow
            step = await flows.async_init("smsc", context={"source": "user"})
            seen["first_step"] = step["type"]
            step = await flows.async_configure(step["flow_id"], {"next_step_id": "login"})
            seen["second_step"] = step["step_id"]
            step = await flows.async_configure(
                step["flow_id"], {"url": conf["url"], "login": "demo", "password": "demo"}
            )
            seen["flow"] = step["type"]
            await hass.async_block_till_done()
            [entry] = hass.config_entries.async_entries("smsc")
            seen["state"] = entry.state.value
            seen["response"] = await hass.services.async_call(
                "smsc",
                "send_message",
                {
                    "config_entry_id": entry.entry_id,
                    "recipients": ["+79991234567"],
                    "message": "dist: Home Assistant",
                },
                blocking=True,
                return_response=True,
            )
            registry = er.async_get(hass)
            seen["states"] = {
                e.entity_id: getattr(hass.states.get(e.entity_id), "state", None)
                for e in er.async_entries_for_config_entry(registry, entry.entry_id)
            }
        except Exception as exc:  # the test reads it
            seen["error"] = f"{type(exc).__name__}: {exc}"
        Path(conf["out"]).write_text(json.dumps(seen, default=str))
        hass.async_create_task(hass.async_stop())

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STARTED, probe)
    return True
'''

PROBE_MANIFEST = {
    "domain": "dist_probe",
    "name": "Release test probe",
    "codeowners": [],
    "dependencies": [],
    "documentation": "https://github.com/smsc-integrations/smsc",
    "iot_class": "local_push",
    "requirements": [],
    "version": "1.0.0",
}


def pinned_home_assistant() -> str:
    match = re.search(r"(?m)^homeassistant==(\S+)$", (REPO / "constraints.txt").read_text())
    assert match
    return match.group(1)


@pytest.fixture(scope="module")
def ha_env(python313: str, tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """The pinned Home Assistant with its own pins, and nothing of this project."""
    venv = Venv.create(tmp_path_factory.mktemp("homeassistant"), python313)
    venv.install_tools(
        "-c", str(REPO / "constraints.txt"), f"homeassistant=={pinned_home_assistant()}"
    )
    assert venv.run([venv.python, "-c", "import pysmsc"]).returncode != 0
    return venv


def config_dir(where: Path, dist: Artefacts, emulator: RunningEmulator) -> tuple[Path, Path]:
    config = where / "config"
    integration = config / "custom_components" / "smsc"
    integration.mkdir(parents=True)
    with zipfile.ZipFile(dist.hacs_zip) as archive:
        archive.extractall(integration)
    probe = config / "custom_components" / "dist_probe"
    probe.mkdir()
    (probe / "__init__.py").write_text(PROBE, encoding="utf-8")
    (probe / "manifest.json").write_text(json.dumps(PROBE_MANIFEST), encoding="utf-8")
    out = where / "probe.json"
    (config / "configuration.yaml").write_text(
        "homeassistant:\n"
        "  name: Release test\n"
        "  time_zone: Europe/Moscow\n"
        "  country: RU\n"
        "  currency: RUB\n"
        "  unit_system: metric\n"
        "  latitude: 55.75\n"
        "  longitude: 37.62\n"
        "  elevation: 150\n"
        "dist_probe:\n"
        f"  url: {emulator.http_url}\n"
        f"  out: {out}\n",
        encoding="utf-8",
    )
    return config, out


@pytest.mark.timeout(900)
def test_hacs_install_sets_up_and_sends(
    dist: Artefacts, ha_env: Venv, emulator: RunningEmulator, tmp_path: Path
) -> None:
    config, out = config_dir(tmp_path, dist, emulator)
    done = ha_env.run(
        [ha_env.bin("hass"), "--config", str(config)],
        env={"UV_FIND_LINKS": str(dist.folder)},  # where pysmsc==X.Y.Z is until it is on PyPI
        timeout=600,
    )
    log = (config / "home-assistant.log").read_text(encoding="utf-8", errors="replace")
    assert out.exists(), f"the probe wrote nothing (exit {done.returncode}):\n{log[-4000:]}"
    seen = json.loads(out.read_text())
    assert "error" not in seen, f"{seen['error']}\n{log[-4000:]}"
    assert done.returncode == 0, log[-4000:]
    # Home Assistant installed the manifest's requirement, and it is the release's wheel.
    assert_installed_from(ha_env, dist.pysmsc_wheel)
    # Loaded from the configuration directory, as HACS installs it:
    assert "custom integration smsc which has not been tested" in log
    assert (seen["first_step"], seen["second_step"]) == ("menu", "login")
    assert (seen["flow"], seen["state"]) == ("create_entry", "loaded")
    response = seen["response"]
    assert response["id"] and response["parts"] == 1 and response["channel"] == "http"
    balance = [s for e, s in seen["states"].items() if re.fullmatch(r"sensor\..*_balance", e)]
    assert balance and balance[0] not in ("unknown", "unavailable", None), seen["states"]
    assert float(balance[0]) > 0
    [message] = emulator.messages()
    assert message["text"] == "dist: Home Assistant"
    assert message["phones"][0]["phone"] == "79991234567"
    problems = [
        line
        for line in log.splitlines()
        if re.search(r"\b(ERROR|CRITICAL)\b", line) and re.search(r"smsc|pysmsc|dist_probe", line)
    ]
    assert problems == []
