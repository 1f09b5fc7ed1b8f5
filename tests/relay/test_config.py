"""The relay's configuration: a wrong one is refused with the file, the key and the rule; the
environment fills only what the file leaves unset; secrets never appear in an error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pysmsc.cli import main
from pysmsc.relay import ConfigError, load_config, load_contacts

TOKEN = "webhook-token-0123456789"
GOOD = f"""\
listen: 127.0.0.1:9099
token: "{TOKEN}"
account: {{base_url: "http://127.0.0.1:8000", login: demo, password: "s3cret-pass"}}
state: relay.sqlite
contacts:
  alice: {{phone: "+79990000001", quiet_hours: "23:00-07:00", timezone: Europe/Moscow}}
  bob:   {{phone: "+79990000002"}}
routes:
  - match: {{severity: critical}}
    chain: [alice, bob]
    escalation: {{deliver_within: 120s, ack_within: 300s, call: true}}
  - chain: [alice]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "relay.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), env or {})
    return caught.value


def test_the_issue_example_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), {})
    assert (config.host, config.port, config.token) == ("127.0.0.1", 9099, TOKEN)
    assert config.state == tmp_path / "relay.sqlite"  # relative to the file
    assert [c.name for c in config.routes[0].chain] == ["alice", "bob"]
    assert config.routes[0].escalation.deliver_within == 120.0
    assert config.routes[0].escalation.ack_within == 300.0
    assert str(config.contacts["alice"].quiet_hours) == "23:00-07:00 Europe/Moscow"
    assert config.route_for({"severity": "critical"}).index == 0
    assert config.route_for({"severity": "warning"}).index == 1
    assert config.route_for({}).index == 1
    assert "s3cret" not in repr(config) and TOKEN not in repr(config)


@pytest.mark.parametrize(
    ("change", "key", "rule"),
    [
        (
            ("ack_within: 300s", "ack_whithin: 300s"),
            "routes[0].escalation.ack_whithin",
            "not a known key",
        ),
        (
            ("chain: [alice, bob]", "chain: [alice, carol]"),
            "routes[0].chain[1]",
            "'carol' is not a contact",
        ),
        (
            ("chain: [alice, bob]", "chain: [alice, alice]"),
            "routes[0].chain[1]",
            "in the chain twice",
        ),
        (
            ("deliver_within: 120s", "deliver_within: soon"),
            "routes[0].escalation.deliver_within",
            "duration",
        ),
        (("call: true", "call: maybe"), "routes[0].escalation.call", "true or false"),
        (('"+79990000002"', '"12"'), "contacts.bob.phone", ""),
        (("23:00-07:00", "23:00"), "contacts.alice.quiet_hours", "23:00-07:00"),
        (("Europe/Moscow", "Mars/Olympus"), "contacts.alice.quiet_hours.timezone", "time zone"),
        (("127.0.0.1:9099", "localhost"), "listen", "host:port"),
        (("  - chain: [alice]\n", ""), "routes[0]", "the last route must have no match"),
        (("state: relay.sqlite\n", ""), "state", "is required"),
    ],
)
def test_a_wrong_configuration_names_the_file_the_key_and_the_rule(
    tmp_path: Path, change: tuple[str, str], key: str, rule: str
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    error = refused(tmp_path, text)
    assert error.file == str(tmp_path / "relay.yaml")
    assert error.key == key, str(error)
    assert rule in error.rule
    assert str(error).startswith(f"{tmp_path / 'relay.yaml'}: {key}: ")
    assert "s3cret" not in str(error) and TOKEN not in str(error)


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD + 'token: "another-token-0123456789"\n')
    assert error.key == "token"
    assert "twice" in error.rule and "line 13" in error.rule
    assert "another-token" not in str(error)


def test_a_route_after_the_default_is_never_used(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD + "  - chain: [bob]\n")
    assert error.key == "routes[2]" and "never used" in error.rule


def test_not_yaml_and_not_a_file(tmp_path: Path) -> None:
    error = refused(tmp_path, "listen: [unclosed\n")
    assert error.key == "" and "not valid YAML" in error.rule and "line" in error.rule
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path / "missing.yaml", {})


def test_the_token_is_required_and_long(tmp_path: Path) -> None:
    without = GOOD.replace(f'token: "{TOKEN}"\n', "")
    error = refused(tmp_path, without)
    assert error.key == "token" and "SMSC_RELAY_TOKEN" in error.rule
    assert load_config(write(tmp_path, without), {"SMSC_RELAY_TOKEN": TOKEN}).token == TOKEN
    short = refused(tmp_path, GOOD.replace(TOKEN, "short"))
    assert short.key == "token" and "16" in short.rule and "short" not in str(short)


def test_the_environment_fills_only_what_the_file_leaves_unset(tmp_path: Path) -> None:
    env = {"SMSC_LOGIN": "envlogin", "SMSC_PASSWORD": "envpass", "SMSC_BASE_URL": "http://x"}
    config = load_config(write(tmp_path, GOOD), env)
    assert (config.login, config.password, config.base_url) == (
        "demo",
        "s3cret-pass",
        "http://127.0.0.1:8000",
    )
    bare = GOOD.replace(
        'account: {base_url: "http://127.0.0.1:8000", login: demo, password: "s3cret-pass"}\n', ""
    )
    config = load_config(write(tmp_path, bare), env)
    assert (config.login, config.password, config.base_url) == ("envlogin", "envpass", "http://x")
    config = load_config(write(tmp_path, bare), {"SMSC_APIKEY": "key-123"})
    assert (config.login, config.api_key) == (None, "key-123")
    error = refused(tmp_path, bare)
    assert error.key == "account.login" and "API key" in error.rule


def test_contacts_alone_for_smsc_page(tmp_path: Path) -> None:
    """`smsc page --config` reads the contacts without the relay's secrets."""
    text = GOOD.replace(f'token: "{TOKEN}"\n', "").replace('password: "s3cret-pass"', "")
    contacts = load_contacts(write(tmp_path, text))
    assert [(c.name, c.phone) for c in contacts.values()] == [
        ("alice", "+79990000001"),
        ("bob", "+79990000002"),
    ]


def test_the_command_refuses_a_wrong_configuration_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD.replace("chain: [alice, bob]", "chain: [alice, carol]"))
    assert main(["relay", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"smsc relay: {path}: routes[0].chain[1]: 'carol' is not a contact")
    assert "nothing was started" in err
    assert not (tmp_path / "relay.sqlite").exists()
    assert main(["relay", "--config", str(write(tmp_path, GOOD)), "--check"]) == 0
    assert "valid (2 routes, 2 contacts)" in capsys.readouterr().out
