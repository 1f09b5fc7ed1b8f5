# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""Config flow (login and password, or an API key), reauthentication, reconfiguration,
options, and the recipient subentries."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_API_KEY, CONF_NAME, CONF_PASSWORD
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow, section
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from pysmsc import AuthenticationError, IpBlockedError, MessageKind, SmscError
from pysmsc import ValidationError as SmscValidationError
from pysmsc.paging import QuietHours
from pysmsc.protocol.checks import check_recipients, check_sender
from pysmsc.smpp import SmppConfig

from .const import (
    ACCOUNT_SETTINGS_PATH,
    CONF_KIND,
    CONF_LOGIN,
    CONF_LOW_BALANCE,
    CONF_POLL_INTERVAL,
    CONF_POLLING,
    CONF_QUIET_HOURS,
    CONF_RECEIVE,
    CONF_RECIPIENTS,
    CONF_SCAN_INTERVAL,
    CONF_SEND_OVER_SMPP,
    CONF_SENDER,
    CONF_SMPP,
    CONF_SMPP_BIND,
    CONF_SMPP_HOST,
    CONF_SMPP_LOGIN,
    CONF_SMPP_PASSWORD,
    CONF_SMPP_PORT,
    CONF_SMPP_SYSTEM_TYPE,
    CONF_SMPP_TLS,
    CONF_URL,
    CONF_WEBHOOK,
    CONF_WEBHOOK_ID,
    CONFIG_MINOR_VERSION,
    CONFIG_VERSION,
    DEFAULT_LOW_BALANCE,
    DEFAULT_POLL_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_SMPP_HOST,
    DEFAULT_SMPP_PORT,
    DEFAULT_SMPP_TLS_PORT,
    DEFAULT_URL,
    DOMAIN,
    LOGGER,
    MAX_POLL_INTERVAL,
    MAX_SCAN_INTERVAL,
    MIN_POLL_INTERVAL,
    MIN_SCAN_INTERVAL,
    NOTIFY_KINDS,
    RECEIVE_CHANNELS,
    RECEIVE_NONE,
    RECEIVE_SMPP,
    RECEIVE_WEBHOOK,
    SERVICE_URLS,
    SMPP_BACKUP_HOSTS,
    SMPP_BIND_RECEIVER,
    SMPP_BIND_TRANSCEIVER,
    SMPP_BINDS,
    SUBENTRY_RECIPIENT,
)
from .helpers import (
    canonical_login,
    create_client,
    receive_channel,
    safe_text,
    secrets_of,
    site_url,
)
from .webhook import (
    async_create_setup_issue,
    async_delete_cloudhook,
    async_prepare_webhook,
    webhook_options,
    webhook_url,
)

_URL_SELECTOR = SelectSelector(
    SelectSelectorConfig(
        options=list(SERVICE_URLS), custom_value=True, mode=SelectSelectorMode.DROPDOWN
    )
)
_TEXT = TextSelector()
_SECRET = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
# The lower-case MD5 hash of a password, which send.php accepts in its place (SMPP does not).
_MD5 = re.compile(r"[0-9a-f]{32}")


_LOGIN_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL, default=DEFAULT_URL): _URL_SELECTOR,
        vol.Required(CONF_LOGIN): _TEXT,
        vol.Required(CONF_PASSWORD): _SECRET,
    }
)


_API_KEY_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_URL, default=DEFAULT_URL): _URL_SELECTOR,
        vol.Required(CONF_API_KEY): _SECRET,
    }
)


def normalize_url(value: str) -> str:
    """``smsc.kz`` -> ``https://smsc.kz``; no trailing slash."""
    value = value.strip()
    if "://" not in value:
        value = f"https://{value}"
    return value.rstrip("/")


def _clean(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's data from a form: a normalised address, the login in its canonical form."""
    data = dict(user_input)
    data[CONF_URL] = normalize_url(data[CONF_URL])
    if CONF_LOGIN in data:
        data[CONF_LOGIN] = canonical_login(data[CONF_LOGIN])
    return data


def _without_secrets(user_input: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What a form shows again after an error: what was typed, except the password and the
    API key (a secret never goes back to the browser)."""
    if user_input is None:
        return None
    return {
        key: value for key, value in user_input.items() if key not in (CONF_PASSWORD, CONF_API_KEY)
    }


def _title(data: Mapping[str, Any]) -> str:
    if login := data.get(CONF_LOGIN):
        return str(login)
    return urlsplit(data[CONF_URL]).hostname or str(data[CONF_URL])


class SmscConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up an SMSC account."""

    VERSION = CONFIG_VERSION
    MINOR_VERSION = CONFIG_MINOR_VERSION

    async def _async_validate(self, data: Mapping[str, Any]) -> dict[str, str]:
        """Test the address and the credentials with a balance request."""
        try:
            client = create_client(self.hass, data)
            await client.balance()
        except SmscValidationError as err:
            if err.field == "base_url":
                return {CONF_URL: "invalid_url"}
            return {"base": "invalid_auth"}  # pragma: no cover - the forms require them
        except AuthenticationError:
            return {"base": "invalid_auth"}
        except IpBlockedError:
            return {"base": "ip_blocked"}
        except SmscError as err:
            LOGGER.debug(
                "Cannot connect to %s: %s", data.get(CONF_URL), safe_text(err, secrets_of(data))
            )
            return {"base": "cannot_connect"}
        except Exception:  # noqa: BLE001 - anything else is a bug to report, not a crash
            LOGGER.exception("Unexpected error while testing the connection")
            return {"base": "unknown"}
        return {}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose how to sign in."""
        return self.async_show_menu(step_id="user", menu_options=["login", "api_key"])

    async def async_step_login(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Sign in with the login and password (or its MD5 hash)."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _clean(user_input)
            await self.async_set_unique_id(data[CONF_LOGIN])
            self._abort_if_unique_id_configured()
            if not (errors := await self._async_validate(data)):
                return self.async_create_entry(title=_title(data), data=data)
        return self.async_show_form(
            step_id="login",
            data_schema=self.add_suggested_values_to_schema(
                _LOGIN_SCHEMA, _without_secrets(user_input)
            ),
            errors=errors,
        )

    async def async_step_api_key(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Sign in with an API key."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _clean(user_input)
            self._async_abort_entries_match({CONF_API_KEY: data[CONF_API_KEY]})
            if not (errors := await self._async_validate(data)):
                return self.async_create_entry(title=_title(data), data=data)
        return self.async_show_form(
            step_id="api_key",
            data_schema=self.add_suggested_values_to_schema(
                _API_KEY_SCHEMA, _without_secrets(user_input)
            ),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The service refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for a new password or API key."""
        entry = self._get_reauth_entry()
        key = CONF_API_KEY if entry.data.get(CONF_API_KEY) else CONF_PASSWORD
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, key: user_input[key]}
            if not (errors := await self._async_validate(data)):
                return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(key): _SECRET}),
            description_placeholders={"account": entry.title},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or the credentials of the account."""
        entry = self._get_reconfigure_entry()
        api_key = bool(entry.data.get(CONF_API_KEY))
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _clean(user_input)
            if api_key:
                self._abort_if_api_key_used_elsewhere(entry, data[CONF_API_KEY])
            else:
                await self.async_set_unique_id(data[CONF_LOGIN])
                self._abort_if_unique_id_mismatch(reason="wrong_account")
            if not (errors := await self._async_validate(data)):
                return self.async_update_reload_and_abort(entry, data=data)
        schema = _API_KEY_SCHEMA if api_key else _LOGIN_SCHEMA
        suggested = _without_secrets(user_input) or {
            key: value for key, value in entry.data.items() if key in (CONF_URL, CONF_LOGIN)
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            description_placeholders={"account": entry.title},
            errors=errors,
        )

    @callback
    def _abort_if_api_key_used_elsewhere(self, entry: ConfigEntry, api_key: str) -> None:
        for other in self._async_current_entries(include_ignore=False):
            if other.entry_id != entry.entry_id and other.data.get(CONF_API_KEY) == api_key:
                raise AbortFlow("already_configured")

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SmscOptionsFlow:
        """The options of an entry."""
        return SmscOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Recipients, each with a notify entity."""
        return {SUBENTRY_RECIPIENT: RecipientSubentryFlow}


def _options_schema(entry: ConfigEntry) -> vol.Schema:
    """The options form; built per entry, since the SMPP host defaults to the entry's."""
    return vol.Schema(
        {
            vol.Optional(CONF_SENDER): _TEXT,
            vol.Required(CONF_SCAN_INTERVAL, default=DEFAULT_SCAN_INTERVAL): NumberSelector(
                NumberSelectorConfig(
                    min=MIN_SCAN_INTERVAL,
                    max=MAX_SCAN_INTERVAL,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement="min",
                )
            ),
            vol.Required(CONF_LOW_BALANCE, default=DEFAULT_LOW_BALANCE): NumberSelector(
                NumberSelectorConfig(min=0, step=0.01, mode=NumberSelectorMode.BOX)
            ),
            vol.Required(CONF_RECEIVE, default=RECEIVE_NONE): SelectSelector(
                SelectSelectorConfig(
                    options=list(RECEIVE_CHANNELS),
                    translation_key="receive",
                    mode=SelectSelectorMode.LIST,
                )
            ),
            vol.Required(CONF_SMPP): section(
                vol.Schema(
                    {
                        vol.Required(
                            CONF_SMPP_HOST, default=default_smpp_host(entry.data[CONF_URL])
                        ): _TEXT,
                        vol.Required(CONF_SMPP_PORT, default=DEFAULT_SMPP_PORT): NumberSelector(
                            NumberSelectorConfig(
                                min=1, max=65535, step=1, mode=NumberSelectorMode.BOX
                            )
                        ),
                        vol.Required(CONF_SMPP_TLS, default=False): BooleanSelector(),
                        vol.Optional(CONF_SMPP_SYSTEM_TYPE): _TEXT,
                        vol.Required(CONF_SMPP_BIND, default=SMPP_BIND_RECEIVER): SelectSelector(
                            SelectSelectorConfig(
                                options=list(SMPP_BINDS),
                                translation_key="smpp_bind",
                                mode=SelectSelectorMode.LIST,
                            )
                        ),
                        vol.Required(CONF_SEND_OVER_SMPP, default=False): BooleanSelector(),
                        vol.Optional(CONF_SMPP_LOGIN): _TEXT,
                        vol.Optional(CONF_SMPP_PASSWORD): _SECRET,
                    }
                ),
                {"collapsed": True},
            ),
            vol.Required(CONF_POLLING, default={}): section(
                vol.Schema(
                    {
                        vol.Required(
                            CONF_POLL_INTERVAL, default=DEFAULT_POLL_INTERVAL
                        ): NumberSelector(
                            NumberSelectorConfig(
                                min=MIN_POLL_INTERVAL,
                                max=MAX_POLL_INTERVAL,
                                step=1,
                                mode=NumberSelectorMode.BOX,
                                unit_of_measurement="s",
                            )
                        ),
                    }
                ),
                {"collapsed": True},
            ),
        }
    )


# The webhook step: make a new URL (the old one stops working), e.g. when it leaked.
CONF_NEW_URL = "new_url"
_WEBHOOK_SCHEMA = vol.Schema({vol.Required(CONF_NEW_URL, default=False): BooleanSelector()})


def default_smpp_host(url: str) -> str:
    """The service's SMPP host for its own addresses; the same host for any other (emulator)."""
    host = urlsplit(url).hostname or ""
    if any(urlsplit(service).hostname == host for service in SERVICE_URLS):
        return DEFAULT_SMPP_HOST
    return host


def _rule_error(err: SmscValidationError) -> dict[str, str]:
    return {"rule": err.rule}


def _clean_smpp(entry: ConfigEntry, submitted: Mapping[str, Any]) -> dict[str, Any]:
    """The SMPP section to store: trimmed text, whole numbers, no empty credentials.

    An empty password keeps the stored SMPP password, unless the login was cleared too (the
    entry's own credentials are used again).
    """
    smpp = dict(submitted)
    smpp[CONF_SMPP_PORT] = int(smpp[CONF_SMPP_PORT])
    smpp[CONF_SMPP_HOST] = smpp[CONF_SMPP_HOST].strip()
    for key in (CONF_SMPP_SYSTEM_TYPE, CONF_SMPP_LOGIN):
        if value := (smpp.get(key) or "").strip():
            smpp[key] = value
        else:
            smpp.pop(key, None)
    if CONF_SMPP_LOGIN in smpp:
        smpp[CONF_SMPP_LOGIN] = canonical_login(smpp[CONF_SMPP_LOGIN])
    stored = entry.options.get(CONF_SMPP) or {}
    if not smpp.get(CONF_SMPP_PASSWORD):
        smpp.pop(CONF_SMPP_PASSWORD, None)
        if smpp.get(CONF_SMPP_LOGIN) and stored.get(CONF_SMPP_PASSWORD):
            smpp[CONF_SMPP_PASSWORD] = stored[CONF_SMPP_PASSWORD]
    return smpp


def _check_smpp(entry: ConfigEntry, smpp: Mapping[str, Any]) -> str | None:
    """The error of an SMPP section that turns the receiver on, if any."""
    host = smpp[CONF_SMPP_HOST]
    if not host:
        return "smpp_host_required"
    if host.lower() in SMPP_BACKUP_HOSTS and smpp[CONF_SMPP_PORT] == (
        DEFAULT_SMPP_PORT if smpp[CONF_SMPP_TLS] else DEFAULT_SMPP_TLS_PORT
    ):
        return "smpp_port_mismatch"
    if smpp.get(CONF_SEND_OVER_SMPP) and smpp[CONF_SMPP_BIND] != SMPP_BIND_TRANSCEIVER:
        return "smpp_send_needs_transceiver"
    login = smpp.get(CONF_SMPP_LOGIN) or entry.data.get(CONF_LOGIN)
    if not login:
        return "smpp_login_required"
    password = smpp.get(CONF_SMPP_PASSWORD)
    if not password:
        password = entry.data.get(CONF_PASSWORD)
        # An API key entry has no password; the MD5 hash of one does not sign in over SMPP.
        if not password or _MD5.fullmatch(password):
            return "smpp_password_required"
    try:
        SmppConfig(login=login, password=password)
    except SmscValidationError:
        return "smpp_invalid_credentials"
    return None


def _suggested_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The stored (or just typed) options as the form's suggestions, without the SMPP password
    (a secret never goes back to the browser)."""
    suggested = dict(options)
    if CONF_SMPP in suggested:
        suggested[CONF_SMPP] = {
            key: value for key, value in suggested[CONF_SMPP].items() if key != CONF_SMPP_PASSWORD
        }
    return suggested


class SmscOptionsFlow(OptionsFlow):
    """Default sender, balance polling, low-balance threshold, and how incoming messages and
    statuses arrive (none, the SMPP receiver, the webhook, or polling)."""

    def __init__(self) -> None:
        self._options: dict[str, Any] = {}

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The options; the webhook's URL follows on a step of its own."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"rule": ""}
        if user_input is not None:
            options = dict(user_input)
            options[CONF_SCAN_INTERVAL] = int(options[CONF_SCAN_INTERVAL])
            smpp = _clean_smpp(self.config_entry, options[CONF_SMPP])
            options[CONF_SMPP] = smpp
            options[CONF_POLLING] = {
                CONF_POLL_INTERVAL: int(options[CONF_POLLING][CONF_POLL_INTERVAL])
            }
            # Kept whatever the channel: switching back finds the URL the service has.
            if hook := webhook_options(self.config_entry.options):
                options[CONF_WEBHOOK] = hook
            if sender := (options.get(CONF_SENDER) or "").strip():
                options[CONF_SENDER] = sender
                try:
                    check_sender(sender, MessageKind.SMS)
                except SmscValidationError as err:
                    errors[CONF_SENDER] = "invalid_sender"
                    placeholders = _rule_error(err)
            else:
                options.pop(CONF_SENDER, None)
            channel = options[CONF_RECEIVE]
            if channel == RECEIVE_SMPP and (error := _check_smpp(self.config_entry, smpp)):
                errors["base"] = error
            elif channel == RECEIVE_WEBHOOK and not errors:
                error = await self._async_prepare_webhook(options, renew=False)
                if error:
                    errors["base"] = error
            if not errors:
                if channel == RECEIVE_WEBHOOK:
                    self._options = options
                    return await self.async_step_webhook()
                return self.async_create_entry(data=options)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                _options_schema(self.config_entry),
                _suggested_options(user_input or self.config_entry.options),
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def _async_prepare_webhook(self, options: dict[str, Any], *, renew: bool) -> str | None:
        """Give ``options`` a webhook with a URL the service can reach; the error if none."""
        try:
            options[CONF_WEBHOOK] = await async_prepare_webhook(
                self.hass, webhook_options(options), renew=renew
            )
        except HomeAssistantError:  # Cloud's CloudNotConnected: no cloudhook can be made now
            return "cloud_not_connected"
        if webhook_url(self.hass, options) is None:
            return "webhook_no_url"
        return None

    async def async_step_webhook(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The URL to paste into the account's settings; a new one on request."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if not user_input.get(CONF_NEW_URL):
                return self._async_save_webhook()
            if error := await self._async_prepare_webhook(self._options, renew=True):
                errors["base"] = error
        return self.async_show_form(
            step_id="webhook",
            data_schema=_WEBHOOK_SCHEMA,
            errors=errors,
            description_placeholders={
                "url": webhook_url(self.hass, self._options) or "",
                "settings_url": f"{site_url(self.config_entry.data)}{ACCOUNT_SETTINGS_PATH}",
            },
        )

    @callback
    def _async_save_webhook(self) -> ConfigFlowResult:
        """Save the options; a new webhook gets the repair issue that shows its URL until the
        service first calls it, and the cloudhook of the old one goes."""
        entry = self.config_entry
        before = webhook_options(entry.options)
        after = webhook_options(self._options)
        if before.get(CONF_WEBHOOK_ID) != after.get(CONF_WEBHOOK_ID):
            self.hass.async_create_task(async_delete_cloudhook(self.hass, before))
        if receive_channel(entry.options) != RECEIVE_WEBHOOK or before.get(
            CONF_WEBHOOK_ID
        ) != after.get(CONF_WEBHOOK_ID):
            async_create_setup_issue(self.hass, entry.entry_id, entry.title)
        return self.async_create_entry(data=self._options)


def _recipient_schema() -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_NAME): _TEXT,
            vol.Required(CONF_RECIPIENTS): TextSelector(TextSelectorConfig(multiple=True)),
            vol.Required(CONF_KIND, default=MessageKind.SMS.value): SelectSelector(
                SelectSelectorConfig(
                    options=[kind.value for kind in NOTIFY_KINDS],
                    translation_key="kind",
                    mode=SelectSelectorMode.DROPDOWN,
                )
            ),
            vol.Optional(CONF_SENDER): _TEXT,
            vol.Optional(CONF_QUIET_HOURS): _TEXT,
        }
    )


def _check_recipient(
    user_input: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """The subentry's data, the form's errors and their placeholders (pysmsc's rules)."""
    kind = MessageKind(user_input[CONF_KIND])
    sender = (user_input.get(CONF_SENDER) or "").strip() or None
    quiet_hours = (user_input.get(CONF_QUIET_HOURS) or "").strip() or None
    try:
        recipients = check_recipients(user_input[CONF_RECIPIENTS], kind, CONF_RECIPIENTS)
        if sender is not None:
            sender = check_sender(sender, kind, CONF_SENDER)
        if quiet_hours is not None:
            QuietHours.parse(quiet_hours)  # the zone is Home Assistant's when a page runs
    except SmscValidationError as err:
        field = CONF_QUIET_HOURS if err.field.startswith(CONF_QUIET_HOURS) else err.field
        return {}, {field: "invalid_value"}, _rule_error(err)
    if sender is None and kind is MessageKind.EMAIL:
        return {}, {CONF_SENDER: "email_needs_sender"}, {"rule": ""}
    data: dict[str, Any] = {CONF_RECIPIENTS: list(recipients), CONF_KIND: kind.value}
    if sender:
        data[CONF_SENDER] = sender
    if quiet_hours:
        data[CONF_QUIET_HOURS] = quiet_hours
    return data, {}, {"rule": ""}


class RecipientSubentryFlow(ConfigSubentryFlow):
    """A recipient: phone numbers, G<n> groups or e-mail addresses, and the message kind."""

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Add a recipient."""
        errors: dict[str, str] = {}
        placeholders = {"rule": ""}
        if user_input is not None:
            data, errors, placeholders = _check_recipient(user_input)
            if not errors:
                return self.async_create_entry(title=user_input[CONF_NAME].strip(), data=data)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(_recipient_schema(), user_input),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a recipient."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        placeholders = {"rule": ""}
        if user_input is not None:
            data, errors, placeholders = _check_recipient(user_input)
            if not errors:
                return self.async_update_and_abort(
                    self._get_entry(),
                    subentry,
                    title=user_input[CONF_NAME].strip(),
                    data=data,
                )
        suggested = user_input or {CONF_NAME: subentry.title, **subentry.data}
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(_recipient_schema(), suggested),
            errors=errors,
            description_placeholders=placeholders,
        )
