"""Records that move through states (a demand's loop, a project's statuses): one table of the steps
each state allows and who may take them, and the one way to take a step — `transition()`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import QuerySet

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Transition:
    """One step of a workflow: from any of `sources` to `target` (None: the state stays, as for a
    note in the timeline), for whoever holds one of `roles` (the app's names), recorded as `event`
    (the app's event kind); `refused` is the text when the record is in another state."""

    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    event: str
    refused: Any


def step(
    sources: Iterable[str], target: str | None, roles: Iterable[str], event: str, refused: Any
) -> Transition:
    """A Transition from plain iterables (the table reads better without `frozenset` on each line)."""
    return Transition(frozenset(sources), target, frozenset(roles), event, refused)


class Workflow(Mapping[str, Transition]):
    """The named steps of one state field (`field`, "status" by default), in the order pages offer them.

    `refusal(step, record)` words the error on `field` when the record's state is not among the step's
    sources (by default the step's `refused` text). `unknown` is the error on `field` for a step the
    table does not hold (a value from a form or a request); without it such a name is a programming
    error (ValueError). `roles_first` checks the role before the state: someone who may not act at
    all learns that, not the record's state.
    """

    def __init__(
        self,
        steps: Mapping[str, Transition],
        *,
        field: str = "status",
        refusal: Callable[[Transition, Any], str] | None = None,
        unknown: Any = None,
        roles_first: bool = False,
    ) -> None:
        self._steps = dict(steps)
        self.field = field
        self._refusal = refusal
        self.unknown = unknown
        self.roles_first = roles_first

    def __getitem__(self, name: str) -> Transition:
        return self._steps[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    def allowed(self, state: str) -> list[str]:
        """The names of the steps a record in `state` allows (whoever takes them), in table order."""
        return [name for name, rule in self._steps.items() if state in rule.sources]

    def targets(self, state: str) -> tuple[str, ...]:
        """The states a record in `state` can move to, in table order."""
        found = (self._steps[name].target for name in self.allowed(state))
        return tuple(dict.fromkeys(target for target in found if target is not None))

    def refusal(self, rule: Transition, record: Any) -> str:
        """The text refusing `rule` to `record` in its present state (in the language of the moment)."""
        if self._refusal is not None:
            return str(self._refusal(rule, record))
        return str(rule.refused)


@dataclass(frozen=True)
class Moved(Generic[M]):
    """What `transition()` did: the row as saved, the state it left, the event the app recorded."""

    record: M
    source: str
    event: Any


def transition(
    record: M,
    workflow: Workflow,
    name: str,
    *,
    by: Any,
    check_role: Callable[[M, Any, str], None] | None = None,
    apply: Callable[[M, Transition], Any] | None = None,
    event: Callable[[M, Transition, str, Any], Any] | None = None,
    fields: Sequence[str] | None = None,
    locked: bool = False,
    queryset: QuerySet | None = None,
    of: tuple[str, ...] = (),
) -> Moved[M]:
    """Take the step `name` of `workflow` on `record` as `by`, in one transaction:

    1. read the row again with `select_for_update` (from `queryset`, which says what to join; `of`
       what to lock) — the caller's copy may be stale; `locked=True` when the caller has just read
       `record` for update in its own transaction;
    2. refuse (ValidationError on the workflow's field, the table's text) unless the state is one of
       the step's sources, and call `check_role(row, by, name)`, which raises PermissionDenied
       (the order is the workflow's `roles_first`);
    3. `apply(row, step)`: the step's own rules and changes; it raises ValidationError before it
       changes anything, and what it returns is handed to `event`;
    4. when the step has a target: set it, the history's user (`by`), and save — `fields` and the
       state (and `updated_at`) only, or the whole row when `fields` is None;
    5. `event(row, step, source, applied)` writes the app's event row; its result is `Moved.event`.

    It runs in the caller's transaction when there is one (no savepoint of its own: nothing is
    written before the checks pass, and an action costs the queries it did before), else in a
    transaction of its own. Telling people stays with the app, after this returns and inside that
    transaction (mail goes through the outbox).
    """
    if name not in workflow and workflow.unknown is None:
        raise ValueError(f"Unknown step of {type(record).__name__}: {name}")
    field = workflow.field
    using = queryset.db if queryset is not None else router.db_for_write(type(record))
    within = transaction.get_connection(using).in_atomic_block
    with nullcontext() if within else transaction.atomic(using=using):
        if not locked:
            rows = type(record)._default_manager.all() if queryset is None else queryset
            record = rows.select_for_update(of=of).get(pk=record.pk)
        if workflow.roles_first and check_role is not None:
            check_role(record, by, name)
        if name not in workflow:
            raise ValidationError({field: str(workflow.unknown)})
        rule = workflow[name]
        source = getattr(record, field)
        if source not in rule.sources:
            raise ValidationError({field: workflow.refusal(rule, record)})
        if not workflow.roles_first and check_role is not None:
            check_role(record, by, name)
        applied = apply(record, rule) if apply is not None else None
        if rule.target is not None:
            setattr(record, field, rule.target)
            if by is not None:
                record._history_user = by
            if fields is None:
                record.save()
            else:
                update = [field, *fields]
                if any(f.name == "updated_at" for f in record._meta.concrete_fields):
                    update.append("updated_at")
                record.save(update_fields=update)
        written = event(record, rule, source, applied) if event is not None else None
    return Moved(record, source, written)
