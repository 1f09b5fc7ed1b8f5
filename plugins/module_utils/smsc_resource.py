# Copyright (c) 2026, smsc-integrations contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One engine for the account's records (templates, sender names, operator templates).

A :class:`Resource` says what one kind of record is, with hooks: ``read`` (one request for
every record), ``wanted`` (the record a declaration asks for), ``create``, ``update`` and
``delete`` (each a :class:`Change`: the request, built - and so checked - before anything is
sent, and the record it leaves). :class:`Converger` does the rest the same way for every kind:
one read, the plan, check mode, the requests in order, failures part-way, and one result and
diff shape:

- every module: ``changed``; ``operations`` (what was done, or would be in check mode:
  ``{"operation": "create", "name": "alert"}``, with ``fields`` for an update); ``diff`` in diff
  mode;
- a module for one record (``template``, ``sender``, ``operator_template``): the record after
  the run under the resource's key (``template``...), V(null) when absent; the diff shows the
  record before and after;
- a module for a list (``templates``, ``senders``, in the manner of Ansible's network resource
  modules with ``config`` and ``state``): ``before`` and ``after`` (every record of the kind,
  sorted by name), ``gathered`` for ``state: gathered``; the diff shows the records by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, NoReturn

from .pysmsc.errors import SmscError, ValidationError
from .pysmsc.protocol.base import Operation
from .smsc_module import SmscModule

__all__ = [
    "LIST_STATES",
    "Change",
    "ChangeFailed",
    "Converger",
    "Resource",
    "config_argument_spec",
]

Record = dict[str, Any]
# states of the list modules, as Ansible's network resource modules name them
LIST_STATES = ("merged", "replaced", "overridden", "deleted", "gathered")


class ChangeFailed(Exception):
    """The service answered a change, but not with success (``extra`` goes in the result)."""

    def __init__(self, message: str, *, partly: bool = False, **extra: Any) -> None:
        super().__init__(message)
        self.partly = partly  # part of the change was made
        self.extra = extra


@dataclass
class Change:
    """One request that moves one record where it should be.

    ``after`` is the record the change leaves (V(None) once deleted); ``finish`` completes it
    from the request's result (the id of a new record) or raises :class:`ChangeFailed`.
    ``tolerated`` errors mean there was nothing to do after all (with ``tolerated_warning``);
    ``warning`` tells the user what to do next once the change is made; ``extra`` goes in the
    module's result.
    """

    operation: str
    name: str
    key: Any
    request: Operation[Any]
    after: Record | None
    fields: Sequence[str] = ()
    finish: Callable[[Record | None, Any], Record | None] | None = None
    tolerated: tuple[type[SmscError], ...] = ()
    tolerated_warning: str = ""
    warning: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"operation": self.operation, "name": self.name}
        if self.fields:
            entry["fields"] = list(self.fields)
        return entry


class Resource:
    """A kind of record of the account, and how to change it. Subclasses fill in the hooks."""

    #: the key of the record in a single-record module's result (``template``)
    result_key = ""
    #: the library's field names -> the options of one declaration (``message`` -> ``text``)
    fields: Mapping[str, str] = {}
    #: the fields ``update`` may change, compared between the record and the wanted one
    compared: Sequence[str] = ()
    #: result keys of the resource's own, with their values when no change sets them
    result_defaults: Mapping[str, Any] = {}

    def check(self, item: Mapping[str, Any]) -> None:
        """Check a declaration before anything is read or sent (raise ValidationError)."""

    def read(self) -> Operation[Sequence[Any]]:
        """The one request that reads every record of the kind."""
        raise NotImplementedError

    def view(self, found: Any) -> Record:
        """A record as modules return it, from what the library parsed."""
        raise NotImplementedError

    def key(self, name: Any) -> Any:
        """What identifies a record: two names with the same key are the same record."""
        return name

    def identity(self, item: Mapping[str, Any]) -> Any:
        """The name of a declaration or a record."""
        return item["name"]

    def wanted(
        self, item: Mapping[str, Any], current: Record | None, replace: bool
    ) -> Record | None:
        """The record ``item`` asks for, given the ``current`` one (None: there is none).

        ``replace``: options the declaration leaves unset take their defaults instead of
        keeping the current values. None: the declaration cannot be met (raise instead)."""
        raise NotImplementedError

    def differences(self, current: Record, wanted: Record) -> list[str]:
        return [name for name in self.compared if wanted.get(name) != current.get(name)]

    def create(self, item: Mapping[str, Any], wanted: Record) -> Change:
        raise NotImplementedError

    def update(
        self, item: Mapping[str, Any], current: Record, wanted: Record, fields: list[str]
    ) -> Change | None:
        raise NotImplementedError

    def delete(self, current: Record) -> Change:
        raise NotImplementedError

    def config(self, record: Record) -> Record:
        """A record as a declaration (``state: gathered``)."""
        raise NotImplementedError

    def sort_key(self, record: Record) -> Any:
        return str(self.identity(record)).lower()


def config_argument_spec(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options of a list module: ``config`` (a list of declarations) and ``state``."""
    return {
        "config": {"type": "list", "elements": "dict", "options": dict(options)},
        "state": {"type": "str", "choices": list(LIST_STATES), "default": "merged"},
    }


class Converger:
    """Brings the records of one :class:`Resource` to what a module declares."""

    def __init__(self, smsc: SmscModule, resource: Resource) -> None:
        self.smsc = smsc
        self.resource = resource
        self.records: list[Record] = []

    # -- the two kinds of module -------------------------------------------------------------

    def single(self, item: Mapping[str, Any], present: bool = True) -> NoReturn:
        """A module for one record: ``present`` creates or updates it, else deletes it."""
        self._check([item], prefix="")
        current = self._read_one(item)
        changes = []
        if present:
            change = self._converge(item, current, replace=False, prefix="")
            changes = [change] if change is not None else []
        elif current is not None:
            changes = [self._plan(self.resource.delete, current, prefix="")]
        self._apply(changes, prefix="", single=True, name=self.resource.identity(item))

    def many(self, config: Sequence[Mapping[str, Any]] | None, state: str) -> NoReturn:
        """A module for a list, in the manner of Ansible's network resource modules."""
        items = list(config or [])
        self._check(items, prefix="config")
        self._distinct(items)
        self.records = [self.resource.view(found) for found in self.smsc.run(self.resource.read())]
        if state == "gathered":
            records = sorted(self.records, key=self.resource.sort_key)
            self.smsc.exit(
                changed=False,
                operations=[],
                gathered=[self.resource.config(record) for record in records],
            )
        changes: list[Change] = []
        if state == "deleted":
            named = {self._key(item) for item in items}
            changes = [
                self._plan(self.resource.delete, record, prefix="config")
                for record in self.records
                if not items or self._key(record) in named
            ]
        else:
            replace = state in ("replaced", "overridden")
            declared = set()
            for index, item in enumerate(items):
                current = self._find(item)
                if item.get("state", "present") == "absent":
                    if current is not None:
                        changes.append(self._plan(self.resource.delete, current, index=index))
                    continue
                declared.add(self._key(item))
                change = self._converge(item, current, replace=replace, index=index)
                if change is not None:
                    changes.append(change)
            if state == "overridden":
                changes += [
                    self._plan(self.resource.delete, record, prefix="config")
                    for record in self.records
                    if self._key(record) not in declared
                ]
        # Deletions first: they free names that later changes may take.
        changes.sort(key=lambda change: change.after is not None)
        self._apply(changes, prefix="config", single=False)

    # -- planning ----------------------------------------------------------------------------

    def _key(self, item: Mapping[str, Any]) -> Any:
        return self.resource.key(self.resource.identity(item))

    def _find(self, item: Mapping[str, Any]) -> Record | None:
        key = self._key(item)
        return next((r for r in self.records if self._key(r) == key), None)

    def _read_one(self, item: Mapping[str, Any]) -> Record | None:
        self.records = [self.resource.view(found) for found in self.smsc.run(self.resource.read())]
        return self._find(item)

    def _check(self, items: Sequence[Mapping[str, Any]], prefix: str) -> None:
        for index, item in enumerate(items):
            self._guard(self.resource.check, item, prefix=prefix, index=index)

    def _distinct(self, items: Sequence[Mapping[str, Any]]) -> None:
        seen: dict[Any, int] = {}
        for index, item in enumerate(items):
            key = self._key(item)
            if key in seen:
                self.smsc.fail_validation(
                    ValidationError(
                        f"config[{index}].name",
                        f"{self.resource.identity(item)!r} is declared twice "
                        f"(also config[{seen[key]}])",
                    )
                )
            seen[key] = index

    def _converge(
        self,
        item: Mapping[str, Any],
        current: Record | None,
        *,
        replace: bool,
        prefix: str = "config",
        index: int | None = None,
    ) -> Change | None:
        resource = self.resource
        wanted = self._guard(resource.wanted, item, current, replace, prefix=prefix, index=index)
        if wanted is None:
            return None
        if current is None:
            return self._guard(resource.create, item, wanted, prefix=prefix, index=index)
        fields = resource.differences(current, wanted)
        if not fields:
            return None
        return self._guard(resource.update, item, current, wanted, fields, prefix=prefix, index=index)

    def _plan(
        self,
        hook: Callable[..., Change],
        *args: Any,
        prefix: str = "config",
        index: int | None = None,
    ) -> Change:
        return self._guard(hook, *args, prefix=prefix, index=index)

    def _guard(
        self, hook: Callable[..., Any], *args: Any, prefix: str, index: int | None = None
    ) -> Any:
        """Call ``hook``; bad input fails the module naming the option as the user wrote it."""
        try:
            return hook(*args)
        except ValidationError as exc:
            error = exc
        name = self.resource.fields.get(error.field, error.field)
        if prefix and index is not None:
            name = f"{prefix}[{index}].{name}"
        self.smsc.fail_validation(ValidationError(name, error.rule))

    # -- applying ----------------------------------------------------------------------------

    def _apply(
        self, changes: list[Change], *, prefix: str, single: bool, name: Any = None
    ) -> NoReturn:
        before = list(self.records)
        done: list[Change] = []
        extra = dict(self.resource.result_defaults)
        for change in changes:
            extra.update(change.extra)
            if self.smsc.check_mode or self._run(change, done, before, single, name):
                done.append(change)
                self._record(change)
        self._exit(done, before, single, name, extra)

    def _run(
        self, change: Change, done: list[Change], before: list[Record], single: bool, name: Any
    ) -> bool:
        """Send ``change``; False when a tolerated error says there was nothing to do."""
        smsc = self.smsc
        sends = change.request.request.sends_message
        try:
            result = smsc.execute(change.request)
            if change.finish is not None:
                change.after = change.finish(change.after, result)
            if change.warning:
                smsc.warn(change.warning)
            return True
        except ChangeFailed as exc:
            failed = exc
            error = None
        except SmscError as exc:
            if isinstance(exc, change.tolerated):
                if change.tolerated_warning:
                    smsc.warn(change.tolerated_warning)
                return False
            error, failed = exc, None
        operations = [c.entry() for c in done]
        partial = {
            "changed": bool(done) or bool(failed and failed.partly),
            "operations": operations,
            "failed_operation": change.entry(),
        }
        partial.update(self._state(before, single, name))
        if failed is not None:
            smsc.module.fail_json(msg=smsc.scrub(str(failed)), **partial, **failed.extra)
        assert error is not None
        smsc.fail_error(error, sends=sends, **partial)

    def _record(self, change: Change) -> None:
        """Put the record ``change`` leaves into the current records."""
        key = change.key
        self.records = [r for r in self.records if self._key(r) != key]
        if change.after is not None:
            self.records.append(change.after)

    def _state(self, before: list[Record], single: bool, name: Any) -> dict[str, Any]:
        if single:
            key = self.resource.key(name)
            after = next((r for r in self.records if self._key(r) == key), None)
            return {self.resource.result_key: after}
        sort = self.resource.sort_key
        return {
            "before": sorted(before, key=sort),
            "after": sorted(self.records, key=sort),
        }

    def _exit(
        self,
        done: list[Change],
        before: list[Record],
        single: bool,
        name: Any,
        extra: dict[str, Any],
    ) -> NoReturn:
        result: dict[str, Any] = {
            "changed": bool(done),
            "operations": [change.entry() for change in done],
        }
        result.update(extra)
        result.update(self._state(before, single, name))
        if done and self.smsc.diff_mode:
            result["diff"] = self._diff(before, single, name)
        self.smsc.exit(**result)

    def _diff(self, before: list[Record], single: bool, name: Any) -> dict[str, Any]:
        if single:
            key = self.resource.key(name)
            old = next((r for r in before if self._key(r) == key), None)
            new = next((r for r in self.records if self._key(r) == key), None)
            return {"before": old or {}, "after": new or {}}

        def by_name(records: list[Record]) -> dict[str, Record]:
            return {str(self.resource.identity(r)): r for r in records}

        return {"before": by_name(before), "after": by_name(self.records)}

