# Copyright (c) 2026, smsc-integrations contributors
# BSD 2-Clause License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
"""The SMSC integration: send SMS, calls, Viber, WhatsApp and e-mail through smsc.ru."""

from __future__ import annotations

from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from pysmsc import ValidationError

from .const import (
    CONF_KIND,
    CONF_LOGIN,
    CONF_RECEIVE,
    CONF_SMPP,
    CONF_SMPP_ENABLED,
    CONF_SMPP_LOGIN,
    CONFIG_VERSION,
    DOMAIN,
    LOGGER,
    RECEIVE_NONE,
    RECEIVE_POLLING,
    RECEIVE_SMPP,
    RECEIVE_WEBHOOK,
    webhook_issue_id,
)
from .coordinator import SmscBalanceCoordinator
from .fanout import async_setup_fanout
from .helpers import canonical_login, create_client, field_name, kind_name, receive_channel
from .models import SmscConfigEntry, SmscData
from .page_actions import async_setup_page_actions
from .paging import CLOSE_DRAIN, HassPageStore, async_remove_page_store, create_runner
from .polling import CURSOR as POLLING_CURSOR
from .polling import SmscIncomingCoordinator
from .receiver import async_create_receiver
from .services import async_setup_services
from .tracker import MessageTracker, async_remove_store
from .webhook import async_create_webhook, async_delete_cloudhook, webhook_options

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, once for every entry, and follow notify calls (see fanout)."""
    async_setup_services(hass)
    async_setup_page_actions(hass)
    async_setup_fanout(hass)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: SmscConfigEntry) -> bool:
    """Bring an entry stored by an earlier release up to date (False: a newer release stored
    it, and this one cannot read it)."""
    if entry.version > CONFIG_VERSION:
        return False
    if entry.minor_version < 2:
        # The login in its canonical form, so that SMPP binds with it too; recipients' kinds
        # by the names users write (``mail`` became ``email``), so that the form shows them.
        data = dict(entry.data)
        if data.get(CONF_LOGIN):
            data[CONF_LOGIN] = canonical_login(data[CONF_LOGIN])
        options = dict(entry.options)
        if (smpp := options.get(CONF_SMPP)) and smpp.get(CONF_SMPP_LOGIN):
            options[CONF_SMPP] = {**smpp, CONF_SMPP_LOGIN: canonical_login(smpp[CONF_SMPP_LOGIN])}
        for subentry in entry.subentries.values():
            kind = subentry.data.get(CONF_KIND)
            if (name := kind_name(kind)) is not None and name != kind:
                hass.config_entries.async_update_subentry(
                    entry, subentry, data={**subentry.data, CONF_KIND: name}
                )
        hass.config_entries.async_update_entry(entry, data=data, options=options, minor_version=2)
        LOGGER.debug("Entry %s migrated to version %s.2", entry.title, CONFIG_VERSION)
    if entry.minor_version < 3:
        # How messages arrive became one choice among none, SMPP, webhook and polling: an
        # SMPP receiver that was on stays on.
        options = dict(entry.options)
        if CONF_SMPP in options:
            smpp = dict(options[CONF_SMPP] or {})
            enabled = bool(smpp.pop(CONF_SMPP_ENABLED, False))
            options[CONF_SMPP] = smpp
        else:
            enabled = False
        options.setdefault(CONF_RECEIVE, RECEIVE_SMPP if enabled else RECEIVE_NONE)
        hass.config_entries.async_update_entry(entry, options=options, minor_version=3)
        LOGGER.debug("Entry %s migrated to version %s.3", entry.title, CONFIG_VERSION)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmscConfigEntry) -> bool:
    """Connect to the service, read the balance and set up the entities."""
    try:
        client = create_client(hass, entry.data)
    except ValidationError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="invalid_config",
            translation_placeholders={"field": field_name(err.field), "rule": err.rule},
        ) from err
    coordinator = SmscBalanceCoordinator(hass, entry)
    tracker = MessageTracker(hass, entry)
    pages = HassPageStore(hass, entry.entry_id)
    runner = create_runner(hass, entry.entry_id, client, pages)
    entry.runtime_data = SmscData(
        client=client,
        balance=coordinator,
        tracker=tracker,
        runner=runner,
        settings=_settings(entry),
    )
    await coordinator.async_config_entry_first_refresh()

    await tracker.async_load()
    entry.async_on_unload(tracker.async_shutdown)

    @callback
    def update_low_balance_issue() -> None:
        _async_update_low_balance_issue(hass, entry)

    update_low_balance_issue()
    entry.async_on_unload(coordinator.async_add_listener(update_low_balance_issue))
    entry.async_on_unload(lambda: ir.async_delete_issue(hass, DOMAIN, _low_balance_issue(entry)))

    # The receiving channel the options choose: made before the entities, so that they see
    # it; started after them, so that nothing that arrives at once reaches an event entity not
    # listening yet. The page runner likewise: its pages resume once the page entity listens.
    await _async_make_channel(hass, entry, pages)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    await _async_start_channel(hass, entry)
    return True


async def _async_make_channel(
    hass: HomeAssistant, entry: SmscConfigEntry, pages: HassPageStore
) -> None:
    """The SMPP receiver, webhook or poller the options choose (not started yet)."""
    data = entry.runtime_data
    channel = receive_channel(entry.options)
    if channel != RECEIVE_WEBHOOK:
        ir.async_delete_issue(hass, DOMAIN, webhook_issue_id(entry.entry_id))
    if channel != RECEIVE_POLLING:
        # Replies that arrive by another way are not to be fetched again when polling comes
        # back: it starts afresh then, with what arrives from that moment.
        await pages.async_forget_cursor(POLLING_CURSOR)
    data.receiver = async_create_receiver(hass, entry) if channel == RECEIVE_SMPP else None
    data.webhook = async_create_webhook(hass, entry) if channel == RECEIVE_WEBHOOK else None
    data.poller = (
        SmscIncomingCoordinator(hass, entry, pages) if channel == RECEIVE_POLLING else None
    )


async def _async_start_channel(hass: HomeAssistant, entry: SmscConfigEntry) -> None:
    """Start the page runner, then the receiving channel. Both stop when the entry unloads or
    Home Assistant stops (entries are not unloaded then): the channel first, so that it feeds
    no closed runner."""
    data = entry.runtime_data
    receiver, hook, poller, runner = data.receiver, data.webhook, data.poller, data.runner
    stopped = False

    async def _async_stop(_event: Event | None = None) -> None:
        nonlocal stopped
        if stopped:
            return
        stopped = True
        if hook is not None:
            hook.async_unregister()
        if poller is not None:
            await poller.async_shutdown()
        if receiver is not None:
            await receiver.async_stop()
        await runner.close(drain=CLOSE_DRAIN)

    entry.async_on_unload(_async_stop)
    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _async_stop))

    await runner.start()
    if receiver is not None:
        await receiver.async_start()
    if hook is not None:
        hook.async_register()
    if poller is not None:
        # Polls whether or not an entity listens; the first poll in the background.
        entry.async_on_unload(poller.async_add_listener(lambda: None))
        entry.async_create_background_task(
            hass, poller.async_refresh(), f"{DOMAIN} first poll of incoming messages"
        )


async def async_unload_entry(hass: HomeAssistant, entry: SmscConfigEntry) -> bool:
    """Unload the entities; the follow-up and the issue go with the entry's unload callbacks."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SmscConfigEntry) -> None:
    """Forget the last message and the pages of a removed entry, and its cloudhook."""
    await async_remove_store(hass, entry.entry_id)
    await async_remove_page_store(hass, entry.entry_id)
    await async_delete_cloudhook(hass, webhook_options(entry.options))
    ir.async_delete_issue(hass, DOMAIN, webhook_issue_id(entry.entry_id))


def _settings(entry: SmscConfigEntry) -> dict[str, Any]:
    """What the loaded entry was set up with, beyond its credentials: options and recipients."""
    return {
        "options": dict(entry.options),
        "subentries": {
            subentry_id: (subentry.title, dict(subentry.data))
            for subentry_id, subentry in entry.subentries.items()
        },
    }


async def _async_update_listener(hass: HomeAssistant, entry: SmscConfigEntry) -> None:
    """Reload when the options or the recipients changed.

    Changes of the credentials come from the reauthentication and reconfigure flows, which
    reload the entry themselves.
    """
    if _settings(entry) != entry.runtime_data.settings:
        hass.config_entries.async_schedule_reload(entry.entry_id)


def _low_balance_issue(entry: SmscConfigEntry) -> str:
    return f"low_balance_{entry.entry_id}"


@callback
def _async_update_low_balance_issue(hass: HomeAssistant, entry: SmscConfigEntry) -> None:
    """Raise a repair issue while the balance is below the threshold of the options."""
    coordinator = entry.runtime_data.balance
    issue_id = _low_balance_issue(entry)
    if not coordinator.low_balance:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    assert coordinator.data is not None
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="low_balance",
        translation_placeholders={
            "account": entry.title,
            "balance": f"{coordinator.data.balance:.2f}",
            "currency": coordinator.currency or "",
            "threshold": f"{coordinator.low_balance_threshold:.2f}",
        },
    )
