"""Every example of docs/relay.md runs or is checked: the relay.yaml is loaded and --checked by
the command, the Alertmanager and Grafana configurations hold only keys those programs know and
point at the relay with its token, the curl examples run against a relay, the systemd unit
passes systemd-analyze, and the metrics table names exactly what /metrics serves."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from pysmsc.paging import RunnerStats
from pysmsc.relay import load_config
from pysmsc.relay._metrics import HttpCounts, render
from pysmsc_emulator.pytest_plugin import EmulatorHandle

from .process import NEVER, TOKEN, RelayProcess, until

DOC = Path(__file__).resolve().parents[2] / "docs" / "relay.md"
SMSC = str(Path(sys.executable).with_name("smsc"))
ENV = {"SMSC_RELAY_TOKEN": TOKEN, "SMSC_PASSWORD": "secret"}


def block(language: str, marker: str) -> str:
    found = [
        text
        for text in re.findall(
            rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL
        )
        if marker in "\n".join(text.splitlines()[:2])
    ]
    assert len(found) == 1, marker
    return found[0]


def test_the_configuration_example(tmp_path: Path) -> None:
    path = tmp_path / "relay.yaml"
    path.write_text(block("yaml", "# relay.yaml"), encoding="utf-8")
    config = load_config(path, ENV)
    assert [route.index for route in config.routes] == [0, 1, 2]
    assert [c.name for c in config.routes[0].chain] == ["alice", "bob", "carol"]
    assert config.routes[0].escalation.report_to == ("+79990000009",)
    assert config.routes[0].escalation.max_cost == Decimal(50)  # from the defaults
    assert config.route_for({"team": "storage"}).index == 1
    assert config.route_for({"team": "web"}).index == 2
    assert config.routes[2].escalation.call is False
    assert str(config.contacts["alice"].quiet_hours) == "23:00-07:00 Europe/Moscow"
    assert (config.login, config.password, config.token) == ("mylogin", "secret", TOKEN)
    # The first example's commands, as written there.
    commands = block("sh", "pip install 'pysmsc[relay]'")
    check = next(line for line in commands.splitlines() if line.endswith("--check"))
    expected = commands.split(check + "\n", 1)[1].splitlines()[0].removeprefix("# ")
    done = subprocess.run(
        check.replace("smsc", SMSC, 1).split(),
        cwd=tmp_path,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, expected)


def test_the_alertmanager_receiver() -> None:
    config = yaml.safe_load(block("yaml", "# alertmanager.yml"))
    # Keys of Alertmanager's configuration (config/config.go, config/notifiers.go, the
    # http_config of prometheus/common): nothing else.
    assert set(config) <= {"global", "route", "receivers", "inhibit_rules", "templates"}
    assert set(config["route"]) <= {
        "receiver", "group_by", "group_wait", "group_interval", "repeat_interval", "routes",
        "matchers", "continue",
    }  # fmt: skip
    (receiver,) = config["receivers"]
    assert receiver["name"] == config["route"]["receiver"]
    (webhook,) = receiver["webhook_configs"]
    assert set(webhook) <= {
        "send_resolved",
        "url",
        "url_file",
        "http_config",
        "max_alerts",
        "timeout",
        "payload",
    }
    assert webhook["url"] == "http://127.0.0.1:9099/alertmanager"
    assert webhook["send_resolved"] is True
    authorization = webhook["http_config"]["authorization"]
    assert set(authorization) <= {"type", "credentials", "credentials_file"}
    assert authorization["type"] == "Bearer" and "credentials_file" in authorization


def test_the_grafana_contact_point() -> None:
    config = yaml.safe_load(block("yaml", "# grafana: provisioning/alerting/smsc-relay.yaml"))
    assert config["apiVersion"] == 1
    (point,) = config["contactPoints"]
    (receiver,) = point["receivers"]
    assert receiver["type"] == "webhook"
    settings = receiver["settings"]
    # Grafana's webhook settings (receivers/webhook/v1/config.go of grafana/alerting).
    assert set(settings) <= {
        "url", "httpMethod", "maxAlerts", "authorization_scheme", "authorization_credentials",
        "username", "password", "title", "message", "tlsConfig", "hmacConfig", "headers", "payload",
    }  # fmt: skip
    assert settings["url"] == "http://127.0.0.1:9099/grafana"
    assert settings["authorization_scheme"] == "Bearer"
    assert settings["authorization_credentials"] == "$SMSC_RELAY_TOKEN"


@pytest.mark.slow
def test_the_curl_examples(emulator: EmulatorHandle, tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    emulator.control.configure(status_delays=NEVER)
    relay = RelayProcess(emulator, tmp_path)
    try:
        relay.start()
        script = block("sh", "curl -fsS -X POST http://127.0.0.1:9099/alerts").replace(
            "http://127.0.0.1:9099", relay.url
        )
        first, second = script.split("curl -fsS", 2)[1:]
        env = {**os.environ, "SMSC_RELAY_TOKEN": TOKEN}
        done = subprocess.run(
            ["sh", "-c", "curl -fsS" + first], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert '"action": "opened"' in done.stdout
        texts: Any = until(lambda: [m["text"] for m in emulator.control.messages()])
        assert "Nightly backup of db1 failed" in texts[0]
        done = subprocess.run(
            ["sh", "-c", "curl -fsS" + second], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0 and '"action": "resolved"' in done.stdout
        until(lambda: len(emulator.control.messages()) == 2)
    finally:
        relay.close()


def _unit(tmp_path: Path) -> Path:
    text = block("ini", "# /etc/systemd/system/smsc-relay.service")
    assert "/opt/smsc-relay/bin/smsc relay --config /etc/smsc-relay/relay.yaml" in text
    path = tmp_path / "smsc-relay.service"
    path.write_text(text.replace("/opt/smsc-relay/bin/smsc", SMSC), encoding="utf-8")
    return path


def test_the_systemd_unit_is_hardened(tmp_path: Path) -> None:
    lines = [line for line in block("ini", "smsc-relay.service").splitlines() if "=" in line]
    settings: dict[str, list[str]] = {}
    for line in lines:
        key, value = line.split("=", 1)
        settings.setdefault(key, []).append(value)
    for key in ("DynamicUser", "NoNewPrivileges", "PrivateTmp", "ProtectHome", "RestrictSUIDSGID"):
        assert settings[key] == ["yes"], key
    assert settings["ProtectSystem"] == ["strict"]
    assert settings["StateDirectory"] == ["smsc-relay"]
    assert settings["CapabilityBoundingSet"] == [""]
    # The stop must outlast the relay's drain (twice drain, 10 s by default).
    assert int(settings["TimeoutStopSec"][0]) > 2 * 10
    config = yaml.safe_load(block("yaml", "# relay.yaml"))
    assert config["state"].startswith("/var/lib/smsc-relay/")


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)
def test_the_systemd_unit_passes_systemd_analyze(tmp_path: Path) -> None:
    unit = _unit(tmp_path)
    verify = subprocess.run(
        ["systemd-analyze", "verify", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verify.returncode == 0, verify.stderr
    assert "Unknown" not in verify.stderr and "ignoring" not in verify.stderr, verify.stderr
    security = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert re.search(
        r"Overall exposure level for smsc-relay\.service: [0-9.]+ OK", security.stdout
    ), security.stdout[-500:]


def test_the_metrics_table_is_what_metrics_serves() -> None:
    table = re.findall(
        r"^\| `(smsc_relay_[a-z_]+)(?:\{[a-z,]+\})?` \|",
        DOC.read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    text = render(
        RunnerStats(), reports=[], notifications={}, folded=0, http=HttpCounts(), started_at=0.0
    )
    served = {family.name for family in text_string_to_metric_families(text)}
    # The parser names counters without their _total.
    documented = {name.removesuffix("_total") for name in table}
    assert documented == served
    kinds = {family.name: family.type for family in text_string_to_metric_families(text)}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `(smsc_relay_[a-z_]+)(?:\{[a-z,]+\})?` \| (\w+) \|", line)
        if match:
            assert kinds[match.group(1).removesuffix("_total")] == match.group(2), line
