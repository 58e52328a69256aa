"""Records that someone reviews (claims, join requests, registrations, profile changes): who decided,
when, and the one way to decide one — re-read under a lock, refused unless it still waits."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

D = TypeVar("D", bound="Decision")


def decision_columns(related_name: str) -> tuple[models.ForeignKey, models.DateTimeField]:
    """`decided_by` (reverse name `related_name`) and `decided_at`, for a model to declare where its
    columns stood (their order is the admin's and the history's) and with the reverse name it had:
    `decided_by, decided_at = decision_columns("claims_decided")`."""
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
    )
    return decided_by, models.DateTimeField(_("decided"), null=True, blank=True)


class Decision(models.Model):
    """A reviewed record: it waits in `undecided_status` until someone decides it (`decide()`).

    A subclass has a `status` field and names `undecided_status` (the status it waits in) and
    `already_decided` (the error on `status` when it no longer waits).
    """

    undecided_status: ClassVar[str]
    already_decided: ClassVar[str]

    decided_by, decided_at = decision_columns("%(app_label)s_%(class)s_decided")

    class Meta:
        abstract = True


def required_reason(reason: str | None, message: str) -> str:
    """The reason stripped, or a ValidationError on `reason` with `message` when there is none."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def lock_undecided(record: D, *, queryset: QuerySet | None = None, of: tuple[str, ...] = ()) -> D:
    """`record` read again and locked (from `queryset`, which says what to join; `of` what to lock,
    by default every row read), or a ValidationError on `status` when it has been decided meanwhile.

    Call it inside the transaction that records the decision; the instance the caller holds may be
    stale, so only the row read here counts.
    """
    model = type(record)
    rows = model._default_manager.all() if queryset is None else queryset
    locked = rows.select_for_update(of=of).get(pk=record.pk)
    if locked.status != model.undecided_status:
        # In the language of the moment, as `gettext` in an action would say it.
        raise ValidationError({"status": str(model.already_decided)})
    return locked


def record_decision(obj: models.Model, *, by, status: str, **fields: Any) -> models.Model:
    """Set the status, who decided and when (and `fields`), and save only those columns."""
    obj.status = status
    obj.decided_by = by
    obj.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = by
    update = ["status", "decided_by", "decided_at", *fields]
    if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
        update.append("updated_at")
    obj.save(update_fields=update)
    return obj


def decide(
    record: D,
    *,
    by,
    status: str,
    queryset: QuerySet | None = None,
    of: tuple[str, ...] = (),
    **fields: Any,
) -> D:
    """Decide `record` (`lock_undecided`, then `record_decision`) in one transaction; returns the row
    as saved. An action that must do more between the lock and the record calls the two itself."""
    with transaction.atomic():
        locked = lock_undecided(record, queryset=queryset, of=of)
        return record_decision(locked, by=by, status=status, **fields)
