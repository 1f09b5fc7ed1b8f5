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
  the run under the resource's key (``template``...), null when absent; the diff shows the
  record before and after;
- a module for a list (``templates``, ``senders``, in the manner of Ansible's network resource
  modules with ``config`` and ``state``): ``before`` and ``after`` (every record of the kind,
  sorted by name), ``gathered`` for ``state: gathered``; the diff shows the records by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, NoReturn

from .pysmsc.errors import SmscError, ValidationError
from .pysmsc.protocol import Operation
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

    ``after`` is the record the change leaves (None once deleted); ``finish`` completes it
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
    fields: ClassVar[Mapping[str, str]] = {}
    #: the fields ``update`` may change, compared between the record and the wanted one
    compared: Sequence[str] = ()
    #: result keys of the resource's own, with their values when no change sets them
    result_defaults: ClassVar[Mapping[str, Any]] = {}
    #: the options of one declaration: the single-record module's argument spec, and that of
    #: each item of the list module's ``config``
    options: ClassVar[Mapping[str, Any]] = {}

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
        keeping the current values. None: nothing is wanted of the record. A declaration that
        cannot be met raises ValidationError."""
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
        self._guard(self.resource.check, item)
        self._read()
        current = self._find(item)
        changes: list[Change] = []
        if present:
            change = self._converge(item, current, replace=False)
            changes = [change] if change is not None else []
        elif current is not None:
            changes = [self._guard(self.resource.delete, current)]
        self._apply(changes, name=self.resource.identity(item))

    def many(self, config: Sequence[Mapping[str, Any]] | None, state: str) -> NoReturn:
        """A module for a list, in the manner of Ansible's network resource modules: every
        declaration is checked before the one read, and every change planned (and so checked)
        before the first is sent."""
        items = list(config or [])
        for index, item in enumerate(items):
            self._guard(self.resource.check, item, index=index)
        self._distinct(items)
        self._read()
        if state == "gathered":
            records = sorted(self.records, key=self.resource.sort_key)
            self.smsc.exit(
                changed=False,
                operations=[],
                gathered=[self.resource.config(record) for record in records],
            )
        if state == "deleted":
            named = {self._key(item) for item in items}
            doomed = [r for r in self.records if not items or self._key(r) in named]
            changes = [self._guard(self.resource.delete, record) for record in doomed]
        else:
            changes = self._plan(items, replace=state in ("replaced", "overridden"))
            if state == "overridden":
                declared = {self._key(item) for item in items if _present(item)}
                doomed = [r for r in self.records if self._key(r) not in declared]
                changes += [self._guard(self.resource.delete, record) for record in doomed]
        # Deletions first: they free names that later changes may take.
        changes.sort(key=lambda change: change.after is not None)
        self._apply(changes, name=None)

    # -- planning ----------------------------------------------------------------------------

    def _read(self) -> None:
        found = self.smsc.run(self.resource.read())
        self.records = [self.resource.view(item) for item in found]

    def _key(self, item: Mapping[str, Any]) -> Any:
        return self.resource.key(self.resource.identity(item))

    def _find(self, item: Mapping[str, Any]) -> Record | None:
        key = self._key(item)
        return next((r for r in self.records if self._key(r) == key), None)

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

    def _plan(self, items: Sequence[Mapping[str, Any]], replace: bool) -> list[Change]:
        changes = []
        for index, item in enumerate(items):
            current = self._find(item)
            if not _present(item):
                if current is not None:
                    changes.append(self._guard(self.resource.delete, current, index=index))
                continue
            change = self._converge(item, current, replace=replace, index=index)
            if change is not None:
                changes.append(change)
        return changes

    def _converge(
        self,
        item: Mapping[str, Any],
        current: Record | None,
        *,
        replace: bool,
        index: int | None = None,
    ) -> Change | None:
        resource = self.resource
        wanted = self._guard(resource.wanted, item, current, replace, index=index)
        if wanted is None:
            return None
        if current is None:
            return self._guard(resource.create, item, wanted, index=index)
        fields = resource.differences(current, wanted)
        if not fields:
            return None
        return self._guard(resource.update, item, current, wanted, fields, index=index)

    def _guard(self, hook: Callable[..., Any], *args: Any, index: int | None = None) -> Any:
        """Call ``hook``; bad input fails the module naming the option as the user wrote it
        (``text``, or ``config[2].text`` for the declaration ``index`` of a list)."""
        try:
            return hook(*args)
        except ValidationError as exc:
            error = exc
        name = self.resource.fields.get(error.field, error.field)
        if index is not None:
            name = f"config[{index}].{name}"
        return self.smsc.fail_validation(ValidationError(name, error.rule))

    # -- applying ----------------------------------------------------------------------------

    def _apply(self, changes: list[Change], *, name: Any) -> NoReturn:
        """Make the changes in order (none in check mode), then exit with the result."""
        before = list(self.records)
        done: list[Change] = []
        extra = dict(self.resource.result_defaults)
        for change in changes:
            extra.update(change.extra)
            if self.smsc.check_mode or self._run(change, done, before, name):
                done.append(change)
                self._record(change)
        result: dict[str, Any] = {
            "changed": bool(done),
            "operations": [change.entry() for change in done],
            **extra,
            **self._state(before, name),
        }
        if done and self.smsc.diff_mode:
            result["diff"] = self._diff(before, name)
        self.smsc.exit(**result)

    def _run(self, change: Change, done: list[Change], before: list[Record], name: Any) -> bool:
        """Send ``change``; False when a tolerated error says there was nothing to do."""
        try:
            result = self.smsc.execute(change.request)
        except SmscError as exc:
            if not isinstance(exc, change.tolerated):
                self._fail(change, done, before, name, exc)
            if change.tolerated_warning:
                self.smsc.warn(change.tolerated_warning)
            return False
        if change.finish is not None:
            try:
                change.after = change.finish(change.after, result)
            except ChangeFailed as exc:
                self._fail(change, done, before, name, exc)
        if change.warning:
            self.smsc.warn(change.warning)
        return True

    def _fail(
        self,
        change: Change,
        done: list[Change],
        before: list[Record],
        name: Any,
        problem: SmscError | ChangeFailed,
    ) -> NoReturn:
        """Fail part-way: what was done before, the operation that failed, the records now."""
        partly = isinstance(problem, ChangeFailed) and problem.partly
        result: dict[str, Any] = {
            "changed": bool(done) or partly,
            "operations": [c.entry() for c in done],
            "failed_operation": change.entry(),
            **self._state(before, name),
        }
        if isinstance(problem, ChangeFailed):
            self.smsc.module.fail_json(msg=self.smsc.scrub(str(problem)), **result, **problem.extra)
        else:
            self.smsc.fail_error(problem, sends=change.request.request.sends_message, **result)
        raise AssertionError("fail_json exits")  # pragma: no cover

    def _record(self, change: Change) -> None:
        """Put the record ``change`` leaves into the current records."""
        self.records = [r for r in self.records if self._key(r) != change.key]
        if change.after is not None:
            self.records.append(change.after)

    def _state(self, before: list[Record], name: Any) -> dict[str, Any]:
        """A single record's module: the record now; a list module: the records before and
        now, sorted by name."""
        if name is not None:
            return {self.resource.result_key: self._named(self.records, name)}
        sort = self.resource.sort_key
        return {"before": sorted(before, key=sort), "after": sorted(self.records, key=sort)}

    def _named(self, records: list[Record], name: Any) -> Record | None:
        key = self.resource.key(name)
        return next((r for r in records if self._key(r) == key), None)

    def _diff(self, before: list[Record], name: Any) -> dict[str, Any]:
        if name is not None:
            return {
                "before": self._named(before, name) or {},
                "after": self._named(self.records, name) or {},
            }

        def by_name(records: list[Record]) -> dict[str, Record]:
            return {str(self.resource.identity(r)): r for r in records}

        return {"before": by_name(before), "after": by_name(self.records)}


def _present(item: Mapping[str, Any]) -> bool:
    return item.get("state", "present") != "absent"
