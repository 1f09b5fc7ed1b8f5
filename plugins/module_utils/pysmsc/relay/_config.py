# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The relay's configuration file: read, checked whole, and refused with the file, the key and
the rule before anything starts.

Every key is known (a misspelt ``ack_whithin`` is an error, not a default), a key given twice
is an error (YAML would silently keep the last one), and secrets are never part of a message.
The account follows the ``smsc`` command's rule: what the file gives wins, and the SMSC_*
environment fills only what it leaves unset (:func:`pysmsc.cli.account`). The webhook token
may come from SMSC_RELAY_TOKEN in the same way.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable

from ..callbacks import new_token
from ..cli import account
from ..errors import ValidationError
from ..paging import Contact, Escalation, PageTexts, QuietHours, parse_duration

__all__ = [
    "DEFAULT_LISTEN",
    "ConfigError",
    "RateLimit",
    "RelayConfig",
    "Route",
    "contacts_of",
    "load_config",
    "load_contacts",
    "read_yaml",
]

DEFAULT_LISTEN = "127.0.0.1:9099"
DEFAULT_MAX_BODY = 4 * 1024 * 1024
TOKEN_ENV = "SMSC_RELAY_TOKEN"  # noqa: S105 - the name of a variable
MIN_TOKEN = 16
_TOKEN = re.compile(rf"[\x21-\x7e]{{{MIN_TOKEN},512}}")  # printable ASCII, no spaces
_PATH_TOKEN = re.compile(rf"[A-Za-z0-9_\-]{{{MIN_TOKEN},128}}")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}")
_LABEL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LISTEN = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\[\]\s]+)):(?P<port>[0-9]{1,5})")

# The keys of Escalation a route may set (dial parameters and texts come from elsewhere).
ESCALATION_KEYS = (
    "channel",
    "deliver_within",
    "ack_within",
    "call",
    "answer_within",
    "viber_fallback_after",
    "rounds",
    "max_parts",
    "max_cost",
    "sender",
    "call_sender",
    "voice",
    "notify_acknowledged",
    "notify_resolved",
    "report_to",
)
TEXT_KEYS = (
    "alert",
    "call_start",
    "call_menu",
    "call_acknowledged",
    "call_passed",
    "acknowledged",
    "resolved",
    "nobody",
)


class ConfigError(ValueError):
    """A configuration that cannot run: ``file``, ``key`` (a path such as
    ``routes[0].chain[1]``) and ``rule``."""

    def __init__(self, file: str, key: str, rule: str) -> None:
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {rule}")
        self.file = file
        self.key = key
        self.rule = rule


@dataclass(frozen=True)
class RateLimit:
    """At most ``pages`` new pages per contact in any ``per`` seconds; alerts beyond it join
    one overflow page per route."""

    pages: int
    per: float


@dataclass(frozen=True)
class Route:
    """Alerts whose labels match go to ``chain`` with ``escalation``. No ``match`` and no
    ``match_re``: the default route."""

    index: int
    chain: tuple[Contact, ...]
    escalation: Escalation
    match: Mapping[str, str] = field(default_factory=dict)
    match_re: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)  # the escalation keys as given

    @property
    def default(self) -> bool:
        return not self.match and not self.match_re

    def matches(self, labels: Mapping[str, str]) -> bool:
        return all(labels.get(name) == value for name, value in self.match.items()) and all(
            pattern.fullmatch(labels.get(name, "")) is not None
            for name, pattern in self.match_re.items()
        )


@dataclass(frozen=True)
class RelayConfig:
    """A checked configuration. Secrets are kept out of ``repr``."""

    path: Path
    host: str
    port: int
    token: str = field(repr=False)
    callback_token: str | None = field(repr=False)
    base_url: str
    login: str | None
    password: str | None = field(repr=False)
    api_key: str | None = field(repr=False)
    timeout: float
    state: Path
    contacts: Mapping[str, Contact]
    routes: tuple[Route, ...]
    poll_replies: bool = True
    poll_interval: float = 15.0
    status_interval: float | None = 60.0
    hourly_cost_cap: Decimal | None = None
    rate_limit: RateLimit | None = None
    drain: float = 10.0
    max_body: int = DEFAULT_MAX_BODY
    log_level: str = "info"
    texts: PageTexts = field(default_factory=PageTexts)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret the configuration holds (for redaction)."""
        values = (self.token, self.callback_token, self.password, self.api_key)
        return tuple(value for value in values if value)

    def route_for(self, labels: Mapping[str, str]) -> Route:
        """The first route whose match holds (the last route is the default: always one)."""
        for route in self.routes:
            if route.matches(labels):
                return route
        return self.routes[-1]


# --- reading -----------------------------------------------------------------------------------


def read_yaml(path: Path) -> Any:
    """The YAML document in ``path``; :class:`ConfigError` for a file that cannot be read, is
    not YAML, or gives a key twice."""
    try:
        import yaml  # noqa: PLC0415 - the relay's extra: pip install 'pysmsc[relay]'
    except ImportError:
        raise ConfigError(
            str(path), "", "reading it needs PyYAML: pip install 'pysmsc[relay]'"
        ) from None

    class _Loader(yaml.SafeLoader):
        """The safe loader, refusing a key given twice."""

    def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise ConfigError(str(path), str(key), f"is given twice (line {line})")
            seen.add(key)
        return loader.construct_mapping(node, deep=deep)

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(str(path), "", "is not UTF-8") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ConfigError(str(path), "", f"is not valid YAML: {problem}{where}") from None


class _Reader:
    """Checks one file's values, naming the key of every error."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.base = path.parent

    def fail(self, key: str, rule: str) -> ConfigError:
        return ConfigError(self.file, key, rule)

    def mapping(self, value: Any, key: str, known: Sequence[str] | None = None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, "must be a mapping (key: value)")
        for name in value:
            if not isinstance(name, str):
                raise self.fail(key, f"{name!r}: keys must be strings")
            if known is not None and name not in known:
                raise self.fail(
                    _join(key, name), "is not a known key (known: " + ", ".join(known) + ")"
                )
        return value

    def string(self, value: Any, key: str, *, secret: bool = False) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not secret:
            return str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def duration(self, value: Any, key: str, *, low: float = 0.0) -> float:
        seconds: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            seconds = float(value)
        elif isinstance(value, str):
            with contextlib.suppress(ValidationError):
                seconds = parse_duration(value, key)
        if seconds is None or not seconds >= low:
            raise self.fail(key, f"must be a duration of at least {low:g} s, such as 90s, 2m or 1h")
        return seconds

    def integer(self, value: Any, key: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(key, f"must be an integer from {low} to {high}")
        return value

    def library(self, key: str, build: Callable[[], Any], strip: str = "") -> Any:
        """``build()``, with the library's ValidationError named by this file's key (the
        library's own field name, less ``strip`` and the library's prefixes, is appended)."""
        try:
            return build()
        except ValidationError as exc:
            name = exc.field
            for prefix in ("contacts", "escalation", strip.rstrip(".")):
                if prefix and name == prefix:
                    name = ""
                elif prefix and name.startswith(prefix + "."):
                    name = name[len(prefix) + 1 :]
            where = key if name in ("", key.rsplit(".", 1)[-1]) else _join(key, name)
            raise self.fail(where, exc.rule) from None


def _join(key: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{key}[{name}]"
    return f"{key}.{name}" if key else name


# --- the parts --------------------------------------------------------------------------------

_TOP = (
    "listen",
    "token",
    "callback_token",
    "account",
    "state",
    "timezone",
    "contacts",
    "routes",
    "escalation",
    "texts",
    "replies",
    "status_interval",
    "hourly_cost_cap",
    "rate_limit",
    "drain",
    "max_body",
    "log_level",
)
_ACCOUNT = ("base_url", "login", "password", "api_key", "timeout")
_CONTACT = ("phone", "quiet_hours", "timezone")
_ROUTE = ("match", "match_re", "chain", "escalation")


def _contacts(reader: _Reader, data: Mapping[str, Any]) -> dict[str, Contact]:
    zone = data.get("timezone", "UTC")
    if not isinstance(zone, str):
        raise reader.fail("timezone", "must be a time zone such as Europe/Moscow")
    given = reader.mapping(data.get("contacts"), "contacts")
    if not given:
        raise reader.fail("contacts", "name at least one contact (name: {phone: ...})")
    contacts = {}
    for name, value in given.items():
        key = _join("contacts", name)
        if not _NAME.fullmatch(name):
            raise reader.fail(key, "a name is a letter, then letters, digits, '.', '_' or '-'")
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            entry = {"phone": str(value)}
        else:
            entry = reader.mapping(value, key, _CONTACT)
        if "phone" not in entry:
            raise reader.fail(_join(key, "phone"), "is required")
        phone = reader.string(entry["phone"], _join(key, "phone"))
        quiet = None
        if entry.get("quiet_hours") is not None:
            hours = reader.string(entry["quiet_hours"], _join(key, "quiet_hours"))
            timezone = reader.string(entry.get("timezone", zone), _join(key, "timezone"))
            quiet = reader.library(
                _join(key, "quiet_hours"),
                functools.partial(QuietHours.parse, hours, timezone),
                "quiet_hours",
            )
        contacts[name] = reader.library(key, functools.partial(Contact, name, phone, quiet), name)
    return contacts


def _escalation_options(reader: _Reader, value: Any, key: str) -> dict[str, Any]:
    options = dict(reader.mapping(value, key, ESCALATION_KEYS))
    for name in ("deliver_within", "ack_within", "answer_within", "viber_fallback_after"):
        if options.get(name) is not None:
            options[name] = reader.duration(options[name], _join(key, name), low=1.0)
    if "report_to" in options and isinstance(options["report_to"], (str, int)):
        options["report_to"] = [str(options["report_to"])]
    if "max_cost" in options and isinstance(options["max_cost"], (int, float)):
        options["max_cost"] = str(options["max_cost"])
    return options


def build_escalation(
    reader: _Reader, options: Mapping[str, Any], texts: PageTexts, key: str
) -> Escalation:
    return reader.library(key, lambda: Escalation(**options, texts=texts), "escalation.")  # type: ignore[no-any-return]


def _routes(
    reader: _Reader,
    data: Mapping[str, Any],
    contacts: Mapping[str, Contact],
    texts: PageTexts,
) -> tuple[Route, ...]:
    defaults = _escalation_options(reader, data.get("escalation"), "escalation")
    given = data.get("routes")
    if not isinstance(given, list) or not given:
        raise reader.fail("routes", "must be a list of routes, the last one without match")
    routes = []
    for index, value in enumerate(given):
        key = _join("routes", index)
        entry = reader.mapping(value, key, _ROUTE)
        chain_value = entry.get("chain")
        if not isinstance(chain_value, list) or not chain_value:
            raise reader.fail(_join(key, "chain"), "must be a list of contact names")
        chain = []
        for position, name in enumerate(chain_value):
            where = _join(_join(key, "chain"), position)
            if not isinstance(name, str) or name not in contacts:
                known = ", ".join(contacts)
                raise reader.fail(where, f"{name!r} is not a contact (contacts: {known})")
            if contacts[name] in chain:
                raise reader.fail(where, f"{name!r} is in the chain twice")
            chain.append(contacts[name])
        match = {
            name: reader.string(item, _join(_join(key, "match"), name))
            for name, item in reader.mapping(entry.get("match"), _join(key, "match")).items()
        }
        match_re = {}
        for name, item in reader.mapping(entry.get("match_re"), _join(key, "match_re")).items():
            where = _join(_join(key, "match_re"), name)
            try:
                match_re[name] = re.compile(reader.string(item, where))
            except re.error as exc:
                raise reader.fail(where, f"is not a regular expression: {exc}") from None
        for name in (*match, *match_re):
            if not _LABEL.fullmatch(name):
                raise reader.fail(_join(key, "match"), f"{name!r} is not a label name")
        options = {
            **defaults,
            **_escalation_options(reader, entry.get("escalation"), _join(key, "escalation")),
        }
        escalation = build_escalation(reader, options, texts, _join(key, "escalation"))
        routes.append(Route(index, tuple(chain), escalation, match, match_re, options))
    for route in routes[:-1]:
        if route.default:
            raise reader.fail(
                _join("routes", route.index + 1),
                "comes after a route without match (the default), so it is never used",
            )
    if not routes[-1].default:
        raise reader.fail(
            _join("routes", len(routes) - 1),
            "the last route must have no match (the default), so that no alert goes unpaged",
        )
    return tuple(routes)


def _texts(reader: _Reader, data: Mapping[str, Any]) -> PageTexts:
    given = reader.mapping(data.get("texts"), "texts", TEXT_KEYS)
    values = {name: reader.string(value, _join("texts", name)) for name, value in given.items()}
    return reader.library("texts", lambda: PageTexts(**values), "texts.")  # type: ignore[no-any-return]


def _listen(reader: _Reader, value: Any) -> tuple[str, int]:
    text = reader.string(value, "listen")
    match = _LISTEN.fullmatch(text.strip())
    if match is None or int(match.group("port")) > 65535:
        raise reader.fail("listen", "must be host:port, such as 127.0.0.1:9099 or [::1]:9099")
    return match.group("v6") or match.group("host"), int(match.group("port"))


def _token(reader: _Reader, data: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    value = data.get("token")
    if value is None:
        value = environ.get(TOKEN_ENV) or None
    if value is None:
        raise reader.fail("token", f"is required (or set {TOKEN_ENV}); e.g. {new_token()}")
    if not isinstance(value, str) or not _TOKEN.fullmatch(value):
        raise reader.fail("token", f"must be {MIN_TOKEN}-512 printable characters without spaces")
    return value


def _callback_token(reader: _Reader, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _PATH_TOKEN.fullmatch(value):
        raise reader.fail(
            "callback_token",
            f"must be {MIN_TOKEN}-128 letters, digits, '-' or '_' (e.g. {new_token()})",
        )
    return value


def _account(
    reader: _Reader, data: Mapping[str, Any], environ: Mapping[str, str]
) -> tuple[str, str | None, str | None, str | None, float]:
    given = reader.mapping(data.get("account"), "account", _ACCOUNT)
    values = {
        name: None
        if given.get(name) is None
        else reader.string(given[name], _join("account", name), secret=name != "base_url")
        for name in ("base_url", "login", "password", "api_key")
    }
    timeout = 30.0
    if given.get("timeout") is not None:
        timeout = reader.duration(given["timeout"], "account.timeout", low=1.0)
    try:
        credentials, base_url = account(
            login=values["login"],
            password=values["password"],
            api_key=values["api_key"],
            base_url=values["base_url"],
            environ=environ,
        )
    except ValidationError as exc:
        raise reader.fail(_join("account", exc.field), exc.rule) from None
    return base_url, credentials.login, credentials.password, credentials.api_key, timeout


def _replies(reader: _Reader, value: Any) -> tuple[bool, float]:
    given = reader.mapping(value, "replies", ("poll", "interval"))
    poll = True if given.get("poll") is None else reader.boolean(given["poll"], "replies.poll")
    interval = 15.0
    if given.get("interval") is not None:
        interval = reader.duration(given["interval"], "replies.interval", low=5.0)
    return poll, interval


def _money(reader: _Reader, value: Any, key: str) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(str(value)) if not isinstance(value, bool) else Decimal(-1)
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0:
        raise reader.fail(key, "must be a positive amount, such as 500 or 99.50")
    return amount


def _rate_limit(reader: _Reader, data: Mapping[str, Any]) -> RateLimit | None:
    if "rate_limit" in data and data["rate_limit"] is None:
        return None
    given = reader.mapping(data.get("rate_limit"), "rate_limit", ("pages", "per"))
    pages = reader.integer(given.get("pages", 10), "rate_limit.pages", 1, 100_000)
    per = reader.duration(given.get("per", "10m"), "rate_limit.per", low=1.0)
    return RateLimit(pages, per)


def load_config(
    path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> RelayConfig:
    """The relay's configuration in ``path``, checked whole. ``environ`` (default
    ``os.environ``) fills the account and the token where the file leaves them unset."""
    file = Path(path)
    env = os.environ if environ is None else environ
    reader = _Reader(file)
    data = reader.mapping(read_yaml(file), "", _TOP)
    if not data:
        raise reader.fail("", "is empty: see docs/relay.md for a configuration")
    host, port = _listen(reader, data.get("listen", DEFAULT_LISTEN))
    token = _token(reader, data, env)
    callback_token = _callback_token(reader, data.get("callback_token"))
    base_url, login, password, api_key, timeout = _account(reader, data, env)
    if "state" not in data:
        raise reader.fail("state", "is required: the SQLite file where pages live")
    state = Path(reader.string(data["state"], "state")).expanduser()
    if not state.is_absolute():
        state = reader.base / state
    contacts = _contacts(reader, data)
    texts = _texts(reader, data)
    routes = _routes(reader, data, contacts, texts)
    poll, interval = _replies(reader, data.get("replies"))
    status_interval: float | None = 60.0
    if "status_interval" in data:
        status_interval = (
            None
            if data["status_interval"] is None
            else reader.duration(data["status_interval"], "status_interval", low=60.0)
        )
    level = str(data.get("log_level", "info")).lower()
    if level not in ("debug", "info", "warning", "error"):
        raise reader.fail("log_level", "must be debug, info, warning or error")
    return RelayConfig(
        path=file,
        host=host,
        port=port,
        token=token,
        callback_token=callback_token,
        base_url=base_url,
        login=login,
        password=password,
        api_key=api_key,
        timeout=timeout,
        state=state,
        contacts=contacts,
        routes=routes,
        poll_replies=poll,
        poll_interval=interval,
        status_interval=status_interval,
        hourly_cost_cap=_money(reader, data.get("hourly_cost_cap"), "hourly_cost_cap"),
        rate_limit=_rate_limit(reader, data),
        drain=reader.duration(data.get("drain", 10), "drain", low=0.0),
        max_body=reader.integer(
            data.get("max_body", DEFAULT_MAX_BODY), "max_body", 1024, 64 * 1024 * 1024
        ),
        log_level=level,
        texts=texts,
    )


def load_contacts(path: str | os.PathLike[str]) -> dict[str, Contact]:
    """Only the contacts of a relay configuration (what ``smsc page --config`` needs: the
    account and the token may be the relay's alone)."""
    file = Path(path)
    reader = _Reader(file)
    data = reader.mapping(read_yaml(file), "")
    return _contacts(reader, data)


def contacts_of(
    names: Sequence[str], known: Mapping[str, Contact], file: str = "--to"
) -> list[Contact]:
    """Contacts for names and phone numbers (a number is its own contact, named by itself)."""
    chain: list[Contact] = []
    for item in names:
        name = item.strip()
        if name in known:
            contact = known[name]
        elif name[:1] in "+0123456789" and name:
            try:
                contact = Contact(name, name)
            except ValidationError as exc:
                raise ValidationError(file, f"{name!r}: {exc.rule}") from None
        else:
            listed = ", ".join(known) or "none: give --config"
            raise ValidationError(
                file, f"{name!r} is neither a phone number nor a contact ({listed})"
            )
        if any(c.phone == contact.phone for c in chain):
            raise ValidationError(file, f"{name!r} is in the list twice")
        chain.append(contact)
    if not chain:
        raise ValidationError(file, "name at least one contact or phone number")
    return chain
