"""Writes on demands (需求清单 / 诉求): raise, then move through the loop 征集—汇总—处理—反馈.

Every change of a demand's state goes through `demand_transition`: the table of what may happen from
which state and who may do it (TRANSITIONS) is a `portal.core.workflow.Workflow`, whose `transition()`
locks the row, checks state and role, saves and records a DemandEvent; then the people concerned are
told. The named functions (`demand_accept`, `demand_assign` …) are its doors.

Who is who for a demand:
- a *handler*: district staff, or a street secretary whose region holds the demand's region;
- the *assignee*: the assigned user, or a contact of the assigned (handling) unit;
- the *raiser*: the user who entered it, or a contact of the unit that raised it.
"""

from __future__ import annotations

import datetime
import os
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from members.choices import UnitStatus
from portal.accounts.selectors import (
    region_handlers,
    regions_handlers,
    unit_contacts,
    unit_contacts_by_unit,
)
from portal.core.mail import absolute_url, send_after_commit
from portal.core.outbox import mails_store
from portal.core.workflow import Transition, Workflow, transition
from portal.core.workflow import step as _t
from portal.notifications.actions import tell
from portal.notifications.choices import NoticeKind
from portal.notifications.notices import notice_store

from ..choices import (
    DEFAULT_DUE_DAYS,
    DEMAND_OPEN_STATUSES,
    DemandEventKind,
    DemandSource,
    DemandStatus,
)
from ..models import (
    Demand,
    DemandAttachment,
    DemandCampaign,
    DemandDeadline,
    DemandEvent,
    DemandOverdueNotice,
)

if TYPE_CHECKING:
    from portal.accounts.models import User

S = DemandStatus

# A resolved demand waits this many days for its raiser's rating before a handler may close it.
RATING_DAYS = 7
# Ratings at or below this may reopen the demand instead of closing it.
REOPEN_MAX_SATISFACTION = 2
MAX_ATTACHMENTS = 10
# Detected type → the extension the stored file gets (never the one the client sent).
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}

CREATE_FIELDS = (
    "title",
    "description",
    "category",
    "source",
    "unit",
    "contact_name",
    "contact_phone",
    "contact_email",
    "region",
    "campaign",
)
# What may still be corrected while a demand waits to be accepted.
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "contact_name",
    "contact_phone",
    "contact_email",
)

HANDLER, ASSIGNEE, RAISER = "handler", "assignee", "raiser"
EVERYONE = frozenset({HANDLER, ASSIGNEE, RAISER})


def _refusal(rule: Transition, demand: Demand) -> str:
    state = _("This demand is “%(status)s”.") % {"status": demand.get_status_display()}
    return f"{rule.refused} {state}"


_STEPS: dict[str, Transition] = {
    "accept": _t(
        {S.SUBMITTED},
        S.ACCEPTED,
        {HANDLER},
        DemandEventKind.ACCEPTED,
        gettext_lazy("Only a submitted demand can be accepted."),
    ),
    "reject": _t(
        {S.SUBMITTED, S.ACCEPTED},
        S.REJECTED,
        {HANDLER},
        DemandEventKind.REJECTED,
        gettext_lazy("Only a submitted or accepted demand can be rejected."),
    ),
    "merge": _t(
        {S.SUBMITTED, S.ACCEPTED},
        S.MERGED,
        {HANDLER},
        DemandEventKind.MERGED,
        gettext_lazy("Only a submitted or accepted demand can be merged into another."),
    ),
    "assign": _t(
        {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS},
        S.ASSIGNED,
        {HANDLER},
        DemandEventKind.ASSIGNED,
        gettext_lazy("Only an accepted demand, or one being handled, can be assigned."),
    ),
    "start": _t(
        {S.ASSIGNED},
        S.IN_PROGRESS,
        {ASSIGNEE, HANDLER},
        DemandEventKind.STARTED,
        gettext_lazy("Work can only start on an assigned demand."),
    ),
    "progress": _t(
        {S.ASSIGNED, S.IN_PROGRESS},
        None,
        {ASSIGNEE, HANDLER},
        DemandEventKind.PROGRESS,
        gettext_lazy("Progress can only be reported on a demand being handled."),
    ),
    "resolve": _t(
        {S.ASSIGNED, S.IN_PROGRESS},
        S.RESOLVED,
        {ASSIGNEE, HANDLER},
        DemandEventKind.RESOLVED,
        gettext_lazy("Only a demand being handled can be resolved."),
    ),
    "rate": _t(
        {S.RESOLVED},
        S.CLOSED,
        {RAISER},
        DemandEventKind.RATED,
        gettext_lazy("Only a resolved demand can be rated."),
    ),
    "reopen": _t(
        {S.RESOLVED},
        S.IN_PROGRESS,
        {RAISER},
        DemandEventKind.REOPENED,
        gettext_lazy("Only a resolved demand can be reopened."),
    ),
    "close": _t(
        {S.RESOLVED},
        S.CLOSED,
        {HANDLER},
        DemandEventKind.CLOSED,
        gettext_lazy("Only a resolved demand can be closed."),
    ),
    "comment": _t(
        set(S.values), None, EVERYONE, DemandEventKind.COMMENT, gettext_lazy("Comment refused.")
    ),
}
# The loop (portal.core.workflow): from which states, for whom, recorded as which event.
TRANSITIONS = Workflow(_STEPS, refusal=_refusal)

ACTION_LABELS = {
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "merge": gettext_lazy("Merge into another"),
    "assign": gettext_lazy("Assign"),
    "start": gettext_lazy("Start work"),
    "progress": gettext_lazy("Report progress"),
    "resolve": gettext_lazy("Resolve"),
    "rate": gettext_lazy("Rate"),
    "reopen": gettext_lazy("Reopen"),
    "close": gettext_lazy("Close"),
    "comment": gettext_lazy("Comment"),
}

WHO_REFUSED = {
    HANDLER: gettext_lazy(
        "Only district staff and the secretaries of the demand's street can do this."
    ),
    ASSIGNEE: gettext_lazy(
        "Only the handling unit or person, or the demand's handlers, can do this."
    ),
    RAISER: gettext_lazy("Only whoever raised the demand can rate its resolution."),
}


# --- who is who ---------------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_handler(user, demand: Demand) -> bool:
    """District staff, or a street secretary whose region holds the demand's region."""
    if not _active(user):
        return False
    if user.is_district_staff:
        return True
    if user.is_street_secretary and user.region_id:
        return demand.region.path.startswith(user.region.path)
    return False


def is_assignee(user, demand: Demand) -> bool:
    if not _active(user):
        return False
    if demand.assignee_id is not None and demand.assignee_id == user.pk:
        return True
    return bool(
        user.is_unit_contact
        and user.unit_id
        and demand.assignee_unit_id is not None
        and demand.assignee_unit_id == user.unit_id
    )


def is_raiser(user, demand: Demand) -> bool:
    if not _active(user):
        return False
    if demand.created_by_id is not None and demand.created_by_id == user.pk:
        return True
    return bool(
        user.is_unit_contact
        and user.unit_id
        and demand.unit_id is not None
        and demand.unit_id == user.unit_id
    )


def roles_of(user, demand: Demand) -> set[str]:
    roles = set()
    if is_handler(user, demand):
        roles.add(HANDLER)
    if is_assignee(user, demand):
        roles.add(ASSIGNEE)
    if is_raiser(user, demand):
        roles.add(RAISER)
    return roles


def can_raise_demands(user) -> bool:
    """Staff and secretaries (for anyone in their region), unit contacts (for their unit)."""
    if not _active(user):
        return False
    return bool(
        user.is_district_staff
        or (user.is_street_secretary and user.region_id)
        or (user.is_unit_contact and user.unit_id)
    )


def can_handle_demands(user) -> bool:
    """Whether `user` handles demands at all (the board's full view, campaigns, deadlines)."""
    return _active(user) and bool(
        user.is_district_staff or (user.is_street_secretary and user.region_id)
    )


def close_allowed_from(demand: Demand) -> datetime.datetime | None:
    """When a handler may close the resolved `demand` without its rating."""
    if demand.resolved_at is None:
        return None
    return demand.resolved_at + datetime.timedelta(days=RATING_DAYS)


def demand_allowed_actions(user, demand: Demand, *, now=None) -> list[str]:
    """The actions `user` may take on `demand` now, in the order of TRANSITIONS (no queries)."""
    roles = roles_of(user, demand)
    if not roles:
        return []
    allowed = []
    for name, rule in TRANSITIONS.items():
        if demand.status in rule.sources and roles & rule.roles:
            if name == "close" and not _close_due(demand, now=now):
                continue
            allowed.append(name)
    return allowed


def demand_can_edit(user, demand: Demand) -> bool:
    return demand.status == S.SUBMITTED and bool(roles_of(user, demand) & {HANDLER, RAISER})


def _close_due(demand: Demand, *, now=None) -> bool:
    allowed_from = close_allowed_from(demand)
    return allowed_from is None or (now or timezone.now()) >= allowed_from


# --- deadlines and campaigns --------------------------------------------------------------------


def due_days_for(category: str) -> int:
    """Days from assignment to the due date for a category (staff set them; else the default)."""
    days = DemandDeadline.objects.filter(category=category).values_list("due_days", flat=True)
    return next(iter(days), DEFAULT_DUE_DAYS)


def open_campaigns(*, region, today: datetime.date | None = None) -> list[DemandCampaign]:
    """Collection campaigns open today for a demand in `region`: the most specific first."""
    today = today or timezone.localdate()
    campaigns = DemandCampaign.objects.filter(
        opens_on__lte=today, closes_on__gte=today
    ).select_related("region")
    fitting = [
        c
        for c in campaigns
        if c.region_id is None or (region is not None and region.path.startswith(c.region.path))
    ]
    fitting.sort(
        key=lambda c: (-(c.region.depth if c.region_id else -1), -c.opens_on.toordinal(), -c.pk)
    )
    return fitting


def campaign_check(*, campaign: DemandCampaign, region, today: datetime.date | None = None) -> None:
    """Refuse a campaign that is not open today or does not cover the demand's region."""
    today = today or timezone.localdate()
    if not campaign.opens_on <= today <= campaign.closes_on:
        raise ValidationError(
            {
                "campaign": _(
                    "The collection “%(title)s” is not open today (%(opens)s to %(closes)s)."
                )
                % {
                    "title": campaign.title,
                    "opens": campaign.opens_on.isoformat(),
                    "closes": campaign.closes_on.isoformat(),
                }
            }
        )
    if campaign.region_id is not None and (
        region is None or not region.path.startswith(campaign.region.path)
    ):
        raise ValidationError(
            {
                "campaign": _("The collection “%(title)s” covers %(region)s only.")
                % {"title": campaign.title, "region": campaign.region.name}
            }
        )


# --- attachments --------------------------------------------------------------------------------


def attachment_max_bytes() -> int:
    return getattr(settings, "DEMAND_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def _sniff(upload: File) -> str | None:
    """The attachment's type read from its content: pdf, docx, xlsx, jpg or png, else None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
            return {"JPEG": "jpg", "PNG": "png"}.get(image_format)
        if head.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
        return None
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        zipfile.BadZipFile,
        OSError,
        SyntaxError,
        ValueError,
    ):
        return None
    finally:
        upload.seek(0)


def attachment_display_name(raw: str, extension: str) -> str:
    """A safe name for a file: its base name without path or odd characters, with its real extension."""
    base = os.path.basename(str(raw or "").replace("\\", "/"))
    stem = os.path.splitext(base)[0].replace("\x00", "")
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:
        stem = ""
    stem = stem.strip("._")[:80] or str(_("attachment"))
    return f"{stem}.{extension}"


def attachment_check(upload: File) -> str:
    """The extension under which `upload` is kept; a ValidationError names the file and the problem."""
    name = os.path.basename(str(getattr(upload, "name", "") or _("attachment")))[:100]
    limit = attachment_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; an attachment may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    extension = _sniff(upload)
    if extension is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, Word (.docx), Excel (.xlsx), JPEG or PNG file.")
            % {"name": name},
            code="invalid_type",
        )
    return extension


def attachments_check(uploads: Sequence[File], *, existing: int = 0) -> list[str]:
    """Check each file (every refusal named) and the number per demand; the extensions."""
    errors, extensions = [], []
    for upload in uploads:
        try:
            extensions.append(attachment_check(upload))
        except ValidationError as exc:
            errors.append(exc)
    if existing + len(uploads) > MAX_ATTACHMENTS:
        errors.append(
            ValidationError(
                _("A demand keeps at most %(max)d attachments.") % {"max": MAX_ATTACHMENTS},
                code="too_many",
            )
        )
    if errors:
        raise ValidationError({"attachments": errors})
    return extensions


def _store_attachments(
    demand: Demand, uploads: Sequence[File], extensions: Sequence[str], *, by
) -> list[DemandAttachment]:
    saved: list[DemandAttachment] = []
    try:
        for upload, extension in zip(uploads, extensions, strict=True):
            upload.seek(0)
            item = DemandAttachment(
                demand=demand,
                name=attachment_display_name(getattr(upload, "name", ""), extension),
                uploaded_by=by if _active(by) else None,
            )
            item.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
            item.save()
            saved.append(item)
    except Exception:
        for item in saved:
            item.file.delete(save=False)
        raise
    return saved


@transaction.atomic
def demand_attachments_add(
    *, demand: Demand, by: User, files: Sequence[File]
) -> list[DemandAttachment]:
    """Attach files to a demand that is still being worked on (anyone concerned with it may)."""
    locked = Demand.objects.select_for_update().get(pk=demand.pk)
    if not roles_of(by, locked):
        raise PermissionDenied(_("You cannot add files to this demand."))
    if locked.status in {S.CLOSED, S.REJECTED, S.MERGED}:
        raise ValidationError(
            {"attachments": _("This demand is finished; it takes no more files.")}
        )
    if not files:
        raise ValidationError({"attachments": _("Choose at least one file.")})
    extensions = attachments_check(files, existing=locked.attachments.count())
    return _store_attachments(locked, files, extensions, by=by)


# --- whom to tell -------------------------------------------------------------------------------


def raiser_users(demand: Demand) -> list[User]:
    """The accounts that raised the demand: whoever entered it and the raising unit's contacts."""
    users = []
    if demand.created_by_id and demand.created_by.is_active:
        users.append(demand.created_by)
    users.extend(u for u in unit_contacts([demand.unit_id]) if u.pk != demand.created_by_id)
    return users


def assignee_users(demand: Demand) -> list[User]:
    """The assigned person and the handling unit's contacts."""
    users = []
    if demand.assignee_id and demand.assignee.is_active:
        users.append(demand.assignee)
    users.extend(u for u in unit_contacts([demand.assignee_unit_id]) if u.pk != demand.assignee_id)
    return users


def _site_text(func) -> str:
    """`func()` in the site's language: notices and mail are Chinese, whoever's request caused them."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(func())


def _tell(
    *,
    demand: Demand,
    users: Sequence[User],
    template: str,
    title: str,
    context: dict[str, Any],
    base_url: str | None,
    extra_emails: Sequence[str] = (),
    mail: bool = True,
) -> None:
    """Tell `users` about `demand` (`tell`: a notification each, and one mail after the commit) and
    mail `extra_emails` that none of them has: a resident without an account gets the same news
    without a link they cannot open."""
    url = demand.get_absolute_url()
    context = {"demand": demand, "url": absolute_url(url, base_url), **context}
    template = f"services/email/{template}"
    told = tell(users, template, context, url, mail, title=title, body=demand.title, together=True)
    # The step on the told people's other channels (SMS, WeCom): one notice per step taken.
    notice_store(
        kind=NoticeKind.DEMAND_STEP,
        key=f"demand:{demand.pk}:{template}:{timezone.now().isoformat()}",
        users=told,
        context={**context, "step": title},
    )
    if not mail:
        return
    known = {user.email.strip().lower() for user in told if user.email}
    outsiders = list(
        dict.fromkeys(
            a.strip() for a in extra_emails if a.strip() and a.strip().lower() not in known
        )
    )
    if outsiders:
        send_after_commit(template=template, context={**context, "url": ""}, to=outsiders)


# --- raise and correct --------------------------------------------------------------------------


def _check_fields(data: dict[str, Any], allowed: Sequence[str], name: str) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"{name}() got unexpected fields: {sorted(unknown)}")


def _clean_text(data: dict[str, Any]) -> None:
    for name in ("title", "description", "contact_name", "contact_phone", "contact_email"):
        if isinstance(data.get(name), str):
            data[name] = data[name].strip()


@transaction.atomic
def demand_create(
    *,
    by: User | None,
    data: dict[str, Any],
    attachments: Sequence[File] = (),
    base_url: str | None = None,
    today: datetime.date | None = None,
) -> Demand:
    """Raise a demand: a unit contact for their unit; staff and secretaries for a unit or a resident.

    The region defaults to the unit's; a secretary's must lie in their region. When a collection
    campaign is open for the region, the demand counts against it (the raiser may pick one).
    `by` None is the system (the demo loader).
    """
    data = {k: v for k, v in data.items() if v is not None or k in {"unit", "campaign"}}
    _check_fields(data, CREATE_FIELDS, "demand_create")
    _clean_text(data)
    if by is not None and not can_raise_demands(by):
        raise PermissionDenied(_("You cannot raise demands."))
    errors: dict[str, list] = {}
    unit = data.get("unit")
    contact_raises = by is not None and by.is_unit_contact and not by.is_district_staff
    if contact_raises:
        if unit is not None and unit.pk != by.unit_id:
            errors.setdefault("unit", []).append(_("You can only raise demands for your own unit."))
        data["unit"] = unit = by.unit
        data["source"] = DemandSource.CAMPAIGN if data.get("campaign") else DemandSource.ONLINE
        for name, value in (
            ("contact_name", by.get_full_name() or by.username),
            ("contact_phone", by.phone),
            ("contact_email", by.email),
        ):
            if not data.get(name):
                data[name] = value
    if unit is not None and unit.status != UnitStatus.ACTIVE and not contact_raises:
        errors.setdefault("unit", []).append(_("Only active units raise demands."))
    if unit is not None:
        for name in ("contact_name", "contact_phone", "contact_email"):
            if not data.get(name):
                data[name] = getattr(unit, name, "") or ""
    if data.get("region") is None:
        if unit is not None:
            data["region"] = unit.region
        elif by is not None and by.is_street_secretary and by.region_id:
            data["region"] = by.region
    region = data.get("region")
    if region is None:
        errors.setdefault("region", []).append(_("Choose the region where the demand was raised."))
    elif (
        by is not None
        and by.is_street_secretary
        and not by.is_district_staff
        and not region.path.startswith(by.region.path)
    ):
        errors.setdefault("region", []).append(
            _("Choose a region inside %(region)s.") % {"region": by.region.name}
        )
    if unit is None:
        if not data.get("contact_name"):
            errors.setdefault("contact_name", []).append(
                _("Give the name of the resident who raised the demand.")
            )
        if not (data.get("contact_phone") or data.get("contact_email")):
            errors.setdefault("contact_phone", []).append(
                _("Give a phone number or an e-mail address to reach the resident.")
            )
    campaign = data.get("campaign")
    if campaign is not None and region is not None:
        try:
            campaign_check(campaign=campaign, region=region, today=today)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    elif campaign is None and region is not None:
        fitting = open_campaigns(region=region, today=today)
        data["campaign"] = fitting[0] if fitting else None
    try:
        extensions = attachments_check(attachments)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    demand = Demand(**data, created_by=by if _active(by) else None)
    try:
        demand.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if by is not None:
        demand._history_user = by
    demand.save()
    DemandEvent.objects.create(
        demand=demand,
        kind=DemandEventKind.CREATED,
        to_status=demand.status,
        actor=demand.created_by,
    )
    _store_attachments(demand, attachments, extensions, by=by)
    _tell(
        demand=demand,
        users=unit_contacts([demand.unit_id]),
        template="demand_received",
        title=_site_text(lambda: _("Demand received: %(title)s") % {"title": demand.title}),
        context={},
        base_url=base_url,
        extra_emails=[demand.contact_email] if demand.contact_email else [],
    )
    tell(
        region_handlers(demand.region),
        None,
        {},
        demand.get_absolute_url(),
        mail=False,
        title=_site_text(lambda: _("New demand: %(title)s") % {"title": demand.title}),
        body=demand.description[:500],
        exclude=by,
    )
    return demand


@transaction.atomic
def demand_update(*, demand: Demand, by: User, data: dict[str, Any]) -> Demand:
    """Correct a demand while it waits to be accepted (its raiser or a handler)."""
    data = dict(data)
    _check_fields(data, EDITABLE_FIELDS, "demand_update")
    _clean_text(data)
    locked = Demand.objects.select_for_update().get(pk=demand.pk)
    if not roles_of(by, locked) & {HANDLER, RAISER}:
        raise PermissionDenied(_("You cannot change this demand."))
    if locked.status != S.SUBMITTED:
        raise ValidationError(
            {"status": _("Only a demand that waits to be accepted can be changed.")}
        )
    for name, value in data.items():
        setattr(locked, name, value if value is not None else "")
    if locked.unit_id is None and not (locked.contact_phone or locked.contact_email):
        raise ValidationError(
            {"contact_phone": _("Give a phone number or an e-mail address to reach the resident.")}
        )
    locked.full_clean(validate_constraints=False)
    locked._history_user = by
    locked.save()
    return locked


# --- the loop -----------------------------------------------------------------------------------


def _required(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _satisfaction(value, *, maximum: int = 5) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        if maximum == 5:
            message = _("Rate the resolution from 1 to 5.")
        else:
            message = _("Only a rating of %(max)d or less can reopen the demand.") % {
                "max": maximum
            }
        raise ValidationError({"satisfaction": message})
    return value


def _apply_merge(demand: Demand, *, by: User, into=None, **_kw) -> str:
    if into is None:
        raise ValidationError({"into": _("Choose the demand to merge this one into.")})
    target_id = getattr(into, "pk", into)
    if target_id == demand.pk:
        raise ValidationError({"into": _("A demand cannot be merged into itself.")})
    target = Demand.objects.select_for_update().filter(pk=target_id).first()
    if target is None or not is_handler(by, target):
        raise ValidationError({"into": _("No demand you handle has this number.")})
    if target.status not in DEMAND_OPEN_STATUSES:
        raise ValidationError(
            {"into": _("A demand can only be merged into one that is still open.")}
        )
    # Duplicates of this demand follow it into the target: no chains of merges.
    Demand.objects.filter(merged_into=demand).update(merged_into=target)
    demand.merged_into = target
    return f"→ #{target.pk} {target.title}"


def _apply_assign(
    demand: Demand, *, by: User, assignee_unit=None, assignee=None, due_on=None, today, **_kw
) -> str:
    errors: dict[str, list] = {}
    if assignee_unit is None and assignee is None:
        raise ValidationError(
            {"assignee_unit": _("Name the handling unit, the person answerable, or both.")}
        )
    if assignee_unit is not None and assignee_unit.status != UnitStatus.ACTIVE:
        errors.setdefault("assignee_unit", []).append(_("Only an active unit can handle demands."))
    if assignee is not None:
        if not assignee.is_active:
            errors.setdefault("assignee", []).append(_("This account is deactivated."))
        elif assignee.is_district_staff:
            pass
        elif assignee.is_street_secretary and assignee.region_id:
            if not demand.region.path.startswith(assignee.region.path):
                errors.setdefault("assignee", []).append(
                    _("This secretary works for another region.")
                )
        elif assignee.is_unit_contact and assignee.unit_id:
            if assignee_unit is None:
                assignee_unit = assignee.unit
            elif assignee_unit.pk != assignee.unit_id:
                errors.setdefault("assignee", []).append(
                    _("This person speaks for another unit than the handling unit.")
                )
        else:
            errors.setdefault("assignee", []).append(_("This account cannot handle demands."))
    if due_on is None:
        due_on = today + datetime.timedelta(days=due_days_for(demand.category))
    elif due_on < today:
        errors.setdefault("due_on", []).append(_("The due date cannot be in the past."))
    if errors:
        raise ValidationError(errors)
    demand.assignee_unit = assignee_unit
    demand.assignee = assignee
    demand.due_on = due_on
    demand.assigned_at = timezone.now()
    names = [n for n in (getattr(assignee_unit, "name", ""), str(assignee or "")) if n]
    return f"→ {' · '.join(names)} · {due_on.isoformat()}"


def demand_role_check(*, demand: Demand, by: User, step: str) -> None:
    """PermissionDenied unless `by` is one of those who may take the step on `demand` at all.

    The API asks before it reads the request's body, so that someone who may not act learns that,
    not what was wrong with the body."""
    rule = TRANSITIONS[step]
    if not roles_of(by, demand) & rule.roles:
        wanted = next(w for w in (RAISER, ASSIGNEE, HANDLER) if w in rule.roles)
        raise PermissionDenied(WHO_REFUSED[wanted] if rule.roles != EVERYONE else _("No access."))


def _apply_step(
    locked: Demand,
    rule: Transition,
    *,
    action: str,
    by: User,
    comment: str,
    today: datetime.date,
    now: datetime.datetime,
    params: dict[str, Any],
) -> str:
    """The step's own rules and changes on the locked demand; the text of its timeline entry."""
    comment = (comment or "").strip()
    note = ""
    if action == "reject":
        comment = _required(params.get("reason") or comment, "reason", _("Give the reason."))
        locked.resolution = comment
        locked.closed_at = now
    elif action == "merge":
        note = _apply_merge(locked, by=by, **params)
        locked.closed_at = now
    elif action == "assign":
        note = _apply_assign(locked, by=by, today=today, **params)
    elif action == "accept":
        locked.accepted_at = now
    elif action in {"progress", "comment"}:
        comment = _required(comment, "comment", _("Write the note."))
    elif action == "resolve":
        resolution = _required(
            params.get("resolution"), "resolution", _("Describe how the demand was resolved.")
        )
        locked.resolution = resolution
        locked.resolved_at = now
        comment = comment or resolution
    elif action == "rate":
        locked.satisfaction = _satisfaction(params.get("satisfaction"))
        locked.satisfaction_comment = comment
        locked.rated_at = now
        locked.closed_at = now
        note = f"★ {locked.satisfaction}/5"
    elif action == "reopen":
        rating = _satisfaction(params.get("satisfaction"), maximum=REOPEN_MAX_SATISFACTION)
        comment = _required(comment, "comment", _("Say what is still missing."))
        # The next resolution is timed and rated afresh, with a fresh deadline for the assignee.
        locked.resolved_at = None
        locked.satisfaction = None
        locked.satisfaction_comment = ""
        locked.due_on = today + datetime.timedelta(days=due_days_for(locked.category))
        note = f"★ {rating}/5"
    elif action == "close":
        if not _close_due(locked, now=now):
            raise ValidationError(
                {
                    "status": _(
                        "The raiser has until %(date)s to rate the resolution; close it after that."
                    )
                    % {"date": timezone.localtime(close_allowed_from(locked)).strftime("%Y-%m-%d")}
                }
            )
        locked.closed_at = now
    status = rule.target or locked.status
    if status not in DEMAND_OPEN_STATUSES or (locked.due_on is not None and locked.due_on >= today):
        locked.is_overdue = False
    return "\n".join(part for part in (note, comment) if part)


def _demand_role_check(demand: Demand, by: User, action: str) -> None:
    demand_role_check(demand=demand, by=by, step=action)


def _demand_event(demand: Demand, rule: Transition, source: str, text: str, *, by: User):
    return DemandEvent.objects.create(
        demand=demand,
        kind=rule.event,
        from_status=source,
        to_status=demand.status,
        actor=by,
        comment=text,
    )


@transaction.atomic
def demand_transition(
    *,
    demand: Demand,
    by: User,
    action: str,
    comment: str = "",
    base_url: str | None = None,
    today: datetime.date | None = None,
    **params: Any,
) -> Demand:
    """Take `action` on `demand` as `by`: the one way a demand changes state (see TRANSITIONS), through
    `portal.core.workflow.transition` (the lock, the state, the role, the save, the event).

    An action the demand's state does not allow is a ValidationError on `status`; one that `by` may not
    take is PermissionDenied; nothing is saved either way. Those concerned are told afterwards.
    """
    if action not in TRANSITIONS:
        raise ValueError(f"Unknown demand action: {action}")
    today = today or timezone.localdate()
    now = timezone.now()
    moved = transition(
        demand,
        TRANSITIONS,
        action,
        by=by,
        check_role=_demand_role_check,
        apply=lambda locked, rule: _apply_step(
            locked, rule, action=action, by=by, comment=comment, today=today, now=now, params=params
        ),
        event=lambda locked, rule, source, text: _demand_event(locked, rule, source, text, by=by),
    )
    _tell_about(moved.record, event=moved.event, action=action, by=by, base_url=base_url)
    return moved.record


def _tell_about(demand: Demand, *, event: DemandEvent, action: str, by: User, base_url) -> None:
    """The raiser hears of every step; the assignee of an assignment, a reopening, a rating."""

    def others(users):
        return [u for u in users if u.pk != by.pk]

    kind = _site_text(event.get_kind_display)
    title = _site_text(lambda: _("%(title)s: %(what)s") % {"title": demand.title, "what": kind})
    context = {"event": event, "kind": kind, "status": _site_text(demand.get_status_display)}
    if action == "comment":
        tell(
            others([*raiser_users(demand), *assignee_users(demand)]),
            None,
            {},
            demand.get_absolute_url(),
            mail=False,
            title=title,
            body=event.comment[:500],
        )
        return
    if action != "rate" and action != "reopen":
        _tell(
            demand=demand,
            users=others(raiser_users(demand)),
            template="demand_update",
            title=title,
            context=context,
            base_url=base_url,
            extra_emails=[demand.contact_email] if demand.contact_email else [],
        )
    if action == "assign":
        _tell(
            demand=demand,
            users=others(assignee_users(demand)),
            template="demand_assigned",
            title=_site_text(
                lambda: _("Demand assigned to you: %(title)s") % {"title": demand.title}
            ),
            context=context,
            base_url=base_url,
        )
    elif action == "reopen":
        _tell(
            demand=demand,
            users=others(assignee_users(demand) or region_handlers(demand.region)),
            template="demand_reopened",
            title=_site_text(
                lambda: _("Demand reopened by its raiser: %(title)s") % {"title": demand.title}
            ),
            context=context,
            base_url=base_url,
        )
    elif action == "rate":
        _tell(
            demand=demand,
            users=others(assignee_users(demand)),
            template="demand_update",
            title=title,
            context=context,
            base_url=base_url,
            mail=False,
        )


def demand_accept(*, demand: Demand, by: User, comment: str = "", base_url=None) -> Demand:
    """Accept a submitted demand (a handler)."""
    return demand_transition(
        demand=demand, by=by, action="accept", comment=comment, base_url=base_url
    )


def demand_reject(*, demand: Demand, by: User, reason: str, base_url=None) -> Demand:
    """Reject a submitted or accepted demand with a reason, which its raiser is told."""
    return demand_transition(
        demand=demand, by=by, action="reject", reason=reason, base_url=base_url
    )


def demand_merge(
    *, demand: Demand, by: User, into: Demand | int | None, comment: str = "", base_url=None
) -> Demand:
    """Merge a duplicate into another open demand; the duplicate's raiser is told where it went."""
    return demand_transition(
        demand=demand, by=by, action="merge", into=into, comment=comment, base_url=base_url
    )


def demand_assign(
    *,
    demand: Demand,
    by: User,
    assignee_unit=None,
    assignee=None,
    due_on: datetime.date | None = None,
    comment: str = "",
    base_url=None,
    today: datetime.date | None = None,
) -> Demand:
    """Give the demand to a handling unit and/or person with a due date (by default the category's days)."""
    return demand_transition(
        demand=demand,
        by=by,
        action="assign",
        assignee_unit=assignee_unit,
        assignee=assignee,
        due_on=due_on,
        comment=comment,
        base_url=base_url,
        today=today,
    )


def demand_start(*, demand: Demand, by: User, comment: str = "", base_url=None) -> Demand:
    """The assignee starts work."""
    return demand_transition(
        demand=demand, by=by, action="start", comment=comment, base_url=base_url
    )


def demand_progress(*, demand: Demand, by: User, comment: str, base_url=None) -> Demand:
    """A progress note while the demand is being handled; its raiser is told."""
    return demand_transition(
        demand=demand, by=by, action="progress", comment=comment, base_url=base_url
    )


def demand_resolve(
    *, demand: Demand, by: User, resolution: str, comment: str = "", base_url=None
) -> Demand:
    """Resolved, with how: the raiser is asked to rate it."""
    return demand_transition(
        demand=demand,
        by=by,
        action="resolve",
        resolution=resolution,
        comment=comment,
        base_url=base_url,
    )


def demand_rate(
    *, demand: Demand, by: User, satisfaction: int, comment: str = "", base_url=None
) -> Demand:
    """The raiser rates the resolution (1–5), which closes the demand."""
    return demand_transition(
        demand=demand,
        by=by,
        action="rate",
        satisfaction=satisfaction,
        comment=comment,
        base_url=base_url,
    )


def demand_reopen(
    *, demand: Demand, by: User, satisfaction: int, comment: str, base_url=None, today=None
) -> Demand:
    """The raiser, unsatisfied (a rating of 2 or less), sends the demand back to the assignee."""
    return demand_transition(
        demand=demand,
        by=by,
        action="reopen",
        satisfaction=satisfaction,
        comment=comment,
        base_url=base_url,
        today=today,
    )


def demand_close(*, demand: Demand, by: User, comment: str = "", base_url=None) -> Demand:
    """A handler closes a resolved demand whose raiser has not rated it within RATING_DAYS."""
    return demand_transition(
        demand=demand, by=by, action="close", comment=comment, base_url=base_url
    )


def demand_comment(*, demand: Demand, by: User, comment: str, base_url=None) -> Demand:
    """A comment in the demand's timeline by anyone concerned with it."""
    return demand_transition(
        demand=demand, by=by, action="comment", comment=comment, base_url=base_url
    )


ACTIONS = {
    "accept": demand_accept,
    "reject": demand_reject,
    "merge": demand_merge,
    "assign": demand_assign,
    "start": demand_start,
    "progress": demand_progress,
    "resolve": demand_resolve,
    "rate": demand_rate,
    "reopen": demand_reopen,
    "close": demand_close,
    "comment": demand_comment,
}


# --- overdue ------------------------------------------------------------------------------------


@dataclass
class OverdueResult:
    marked: int = 0  # demands that became overdue (an "overdue" event each)
    cleared: int = 0  # flags taken off demands no longer overdue
    reminded: int = 0  # demands whose assignee was reminded today
    mails: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


CHUNK = 500


def _chunks(items: Sequence, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _mark(today: datetime.date, result: OverdueResult) -> None:
    """Flag open demands past their due date, with an "overdue" event the first time."""
    with transaction.atomic():
        # On PostgreSQL a second sweep waits here and then no longer sees the rows as unflagged.
        newly = list(
            Demand.objects.overdue(today)
            .filter(is_overdue=False)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", "status")
        )
        for chunk in _chunks(newly):
            Demand.objects.filter(pk__in=[pk for pk, _status in chunk]).update(is_overdue=True)
        DemandEvent.objects.bulk_create(
            [
                DemandEvent(
                    demand_id=pk, kind=DemandEventKind.OVERDUE, from_status=status, to_status=status
                )
                for pk, status in newly
            ],
            batch_size=CHUNK,
        )
        result.marked = len(newly)
        result.cleared = (
            Demand.objects.filter(is_overdue=True)
            .exclude(status__in=DEMAND_OPEN_STATUSES, due_on__lt=today)
            .update(is_overdue=False)
        )


def _overdue_recipients(demands: Sequence[Demand]) -> dict[int, list[User]]:
    """Whom to remind of each demand: the assignee, else the handling unit's contacts, else the
    handlers of its region (portal.accounts.selectors.region_handlers). A fixed number of queries."""
    contacts: dict[int, list[User]] = {}
    unit_ids = {d.assignee_unit_id for d in demands if d.assignee_unit_id}
    for chunk in _chunks(sorted(unit_ids)):
        contacts.update(unit_contacts_by_unit(chunk))
    result: dict[int, list[User]] = {}
    unhandled = []
    for demand in demands:
        if demand.assignee_id and demand.assignee.is_active:
            result[demand.pk] = [demand.assignee]
        elif contacts.get(demand.assignee_unit_id):
            result[demand.pk] = contacts[demand.assignee_unit_id]
        else:
            unhandled.append(demand)
    handlers = regions_handlers(demand.region for demand in unhandled)
    for demand in unhandled:
        result[demand.pk] = handlers[demand.region_id]
    return result


def _remind(
    today: datetime.date, result: OverdueResult, base_url: str | None
) -> list[EmailMessage]:
    """Claim today's notice for every overdue demand not yet reminded today; build the reminders."""
    from portal.notifications.models import Notification

    already = set(
        DemandOverdueNotice.objects.filter(sent_on=today).values_list("demand_id", flat=True)
    )
    demands = [
        d
        for d in Demand.objects.overdue(today)
        .select_related("assignee", "region")
        .order_by("due_on", "pk")
        if d.pk not in already
    ]
    if not demands:
        return []
    # The unique (demand, sent_on) pair is the claim: a sweep that loses any of it rolls back.
    DemandOverdueNotice.objects.bulk_create(
        [DemandOverdueNotice(demand=d, sent_on=today) for d in demands], batch_size=CHUNK
    )
    result.reminded = len(demands)
    recipients = _overdue_recipients(demands)
    by_user: dict[int, tuple[User, list[Demand]]] = {}
    for demand in demands:
        for user in recipients[demand.pk]:
            by_user.setdefault(user.pk, (user, []))[1].append(demand)
    notifications, messages = [], []
    with translation.override(settings.LANGUAGE_CODE):
        board = absolute_url(reverse("services:demand-list") + "?overdue=true", base_url)
        for user, items in by_user.values():
            if len(items) == 1:
                title = _("Overdue demand: %(title)s") % {"title": items[0].title}
                url = items[0].get_absolute_url()
            else:
                title = _("%(count)d demands are overdue") % {"count": len(items)}
                url = reverse("services:demand-list") + "?overdue=true"
            notifications.append(Notification(user=user, title=title[:200], body="", url=url[:500]))
            if not user.email:
                continue
            context = {
                "user": user,
                "today": today,
                "board_url": board,
                "demands": [
                    {
                        "demand": d,
                        "days": (today - d.due_on).days,
                        "url": absolute_url(d.get_absolute_url(), base_url),
                    }
                    for d in items
                ],
            }
            subject = " ".join(
                render_to_string("services/email/demand_overdue_subject.txt", context).split()
            )
            body = render_to_string("services/email/demand_overdue.txt", context)
            messages.append(EmailMessage(subject, body, None, [user.email]))
    Notification.objects.bulk_create(notifications, batch_size=CHUNK)
    return messages


def demands_mark_overdue(
    *, today: datetime.date | None = None, base_url: str | None = None
) -> OverdueResult:
    """The daily overdue sweep: flag open demands past due, and remind whoever must act, at most once
    per demand and calendar day (the DemandOverdueNotice row is written first; mail goes through
    the outbox). Safe to run again the same day: it then reminds nobody."""
    today = today or timezone.localdate()
    result = OverdueResult()
    _mark(today, result)
    for attempt in range(3):
        try:
            with transaction.atomic():
                messages = _remind(today, result, base_url)
                mails_store(messages)
            break
        except IntegrityError:
            # Another sweep claimed some of the same demands meanwhile: look again.
            result.reminded = 0
            if attempt == 2:
                raise
    result.mails = len(messages)
    return result
