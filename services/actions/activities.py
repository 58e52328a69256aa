"""Writes on the activity log: record and correct activities, add and remove their photos.

Photos go through the default storage (the file system here, object storage in production). A photo is
accepted when Pillow reads it as an image, it is not larger than `ACTIVITY_PHOTO_MAX_BYTES`, and the
activity keeps at most `MAX_PHOTOS`. Photos of a form that was refused for another reason wait as
*pending photos* under `pending/<user id>/` until the corrected form takes them (or a day passes).
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.core.scoping import CHANGE

from ..choices import MAX_PHOTOS
from ..models import Activity, ActivityPhoto

if TYPE_CHECKING:
    from portal.accounts.models import User

# Pillow's format name → the extension a stored photo gets (never the one the client sent).
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
ACTIVITY_FIELDS = (
    "title",
    "activity_type",
    "held_on",
    "station",
    "place",
    "region",
    "alliance",
    "organizer",
    "project",
    "participant_count",
    "party_member_count",
    "description",
)
PENDING_ROOT = "pending"
PENDING_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|gif|webp)$")


def can_record_activities(user) -> bool:
    """District staff and street secretaries (bound to a region) log activities."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_district_staff or (user.is_street_secretary and user.region_id))
    )


def photo_name(photo: File) -> str:
    return str(getattr(photo, "name", "") or _("photo")).rsplit("/", 1)[-1]


def photo_check(photo: File) -> str:
    """The extension under which `photo` is stored; a ValidationError names the file and what is wrong."""
    name = photo_name(photo)
    limit = settings.ACTIVITY_PHOTO_MAX_BYTES
    if photo.size is not None and photo.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a photo may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(photo.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        photo.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            _("“%(name)s” is not a photo: choose a JPEG, PNG, GIF or WebP image.") % {"name": name},
            code="invalid_image",
        )
    return PHOTO_FORMATS[image_format]


def photo_without_metadata(photo: File, extension: str) -> File:
    """`photo` turned upright and saved again without its metadata (EXIF: the phone's location,
    its make, the time), so that a published photo says no more than its pixels. GIFs, which
    carry no EXIF and may be animated, are kept as they are."""
    if extension == "gif":
        photo.seek(0)
        return photo
    image_format = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[extension]
    photo.seek(0)
    with Image.open(photo) as image:
        upright = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
        upright.save(out, format=image_format, **options)
    photo.seek(0)
    return ContentFile(out.getvalue(), name=photo_name(photo))


def photos_check(photos: Sequence[File], *, existing: int = 0) -> list[str]:
    """Check every photo (each refused one is named) and the number per activity; the extensions."""
    errors: list[ValidationError] = []
    extensions = []
    for photo in photos:
        try:
            extensions.append(photo_check(photo))
        except ValidationError as exc:
            errors.append(exc)
    if existing + len(photos) > MAX_PHOTOS:
        errors.append(too_many_photos(existing))
    if errors:
        raise ValidationError({"photos": errors})
    return extensions


def too_many_photos(existing: int) -> ValidationError:
    if existing:
        message = _(
            "An activity keeps at most %(max)d photos; it has %(existing)d, so add at most %(left)d."
        ) % {"max": MAX_PHOTOS, "existing": existing, "left": max(MAX_PHOTOS - existing, 0)}
    else:
        message = _("An activity keeps at most %(max)d photos.") % {"max": MAX_PHOTOS}
    return ValidationError(message, code="too_many_photos")


def _project_refusals(project, by: User) -> list[str]:
    """Why an activity cannot belong to `project`: one the user cannot see, or not under way or done."""
    from ..models import JointProject
    from ..selectors.projects import linkable_projects

    if not linkable_projects(by).filter(pk=project.pk).exists():
        if JointProject.objects.restrict(by).filter(pk=project.pk).exists():
            return [_("Only a claimed, running or completed project can have activities.")]
        return [_("There is no such project.")]
    return []


def _check(*, activity: Activity, by: User, creating: bool, changed: set[str]) -> None:
    """The rules of an activity beyond its fields' own, each refusal under the field it concerns."""
    errors: dict[str, list[str]] = {}
    if activity.station_id is None and not activity.place.strip():
        errors.setdefault("station", []).append(
            _("Choose the station, or name the place where it was held.")
        )
    if activity.station_id is not None and (creating or "station" in changed):
        if not activity.station.is_open:
            errors.setdefault("station", []).append(_("This station is closed."))
        elif by.is_street_secretary and not activity.station.region.path.startswith(by.region.path):
            errors.setdefault("station", []).append(
                _("This station is outside your region; name the place instead.")
            )
    if activity.region_id is None:
        errors.setdefault("region", []).append(_("Choose the region."))
    elif by.is_street_secretary and not activity.region.path.startswith(by.region.path):
        errors.setdefault("region", []).append(
            _("You can record activities only in %(region)s and the regions below it.")
            % {"region": by.region.name}
        )
    if activity.project_id is not None and (creating or "project" in changed):
        refusals = _project_refusals(activity.project, by)
        if refusals:
            errors["project"] = refusals
    if (
        activity.party_member_count is not None
        and activity.participant_count is not None
        and activity.party_member_count > activity.participant_count
    ):
        errors.setdefault("party_member_count", []).append(
            _("Party members among the participants cannot outnumber the participants.")
        )
    if (
        (creating or "held_on" in changed)
        and activity.held_on
        and activity.held_on > timezone.localdate()
    ):
        errors.setdefault("held_on", []).append(
            _("An activity is logged once it has been held; this date is in the future.")
        )
    try:
        activity.full_clean(validate_constraints=False, exclude=["recorded_by", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                if message not in errors.get(field, []):
                    errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


def _apply(activity: Activity, data: dict[str, Any]) -> set[str]:
    changed = set()
    for field in ACTIVITY_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field in {"place", "description", "title"}:
            value = (value or "").strip()
        model_field = Activity._meta.get_field(field)
        if model_field.is_relation:
            before, after = getattr(activity, model_field.attname), getattr(value, "pk", value)
        else:
            before, after = getattr(activity, field), value
        if before != after:
            changed.add(field)
        setattr(activity, field, value)
    if activity.region_id is None and activity.station_id is not None:
        activity.region = activity.station.region
        changed.add("region")
    return changed


def _store_photos(
    activity: Activity, photos: Sequence[File], extensions: Sequence[str], *, start: int
) -> list[ActivityPhoto]:
    """Save the photos' files and rows; a failure half-way removes the files already written."""
    saved: list[ActivityPhoto] = []
    try:
        for position, (photo, extension) in enumerate(zip(photos, extensions, strict=True), start):
            item = ActivityPhoto(activity=activity, position=position)
            clean = photo_without_metadata(photo, extension)
            item.image.save(f"{uuid.uuid4().hex}.{extension}", clean, save=False)
            item.save()
            saved.append(item)
    except Exception:
        for item in saved:
            item.image.delete(save=False)
        raise
    return saved


def activity_validate(*, by: User, data: dict[str, Any], activity: Activity | None = None) -> None:
    """Check `data` as `activity_create` (or, with `activity`, `activity_update`) would, saving nothing."""
    draft = Activity(recorded_by=by) if activity is None else Activity.objects.get(pk=activity.pk)
    changed = _apply(draft, data)
    _check(activity=draft, by=by, creating=activity is None, changed=changed)


@transaction.atomic
def activity_create(*, by: User, data: dict[str, Any], photos: Sequence[File] = ()) -> Activity:
    """Record an activity with its photos: all of it, or (with every refusal named) nothing."""
    if not can_record_activities(by):
        raise PermissionDenied(_("Only district staff and street secretaries record activities."))
    activity = Activity(recorded_by=by)
    changed = _apply(activity, data)
    errors: dict[str, list] = {}
    try:
        _check(activity=activity, by=by, creating=True, changed=changed)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        extensions = photos_check(photos)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    activity.save()
    _store_photos(activity, photos, extensions, start=0)
    return activity


def _locked_for_change(activity: Activity, by: User) -> Activity:
    if not can_record_activities(by):
        raise PermissionDenied(_("Only district staff and street secretaries correct activities."))
    locked = Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if locked is None or not Activity.objects.restrict(by, CHANGE).filter(pk=activity.pk).exists():
        raise PermissionDenied(_("You may not change this activity."))
    return locked


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by: User,
    data: dict[str, Any],
    add_photos: Sequence[File] = (),
    remove_photo_ids: Iterable[int] = (),
) -> Activity:
    """Correct an activity, add and remove photos; the count of photos is taken under the row's lock."""
    locked = _locked_for_change(activity, by)
    changed = _apply(locked, data)
    errors: dict[str, list] = {}
    try:
        _check(activity=locked, by=by, creating=False, changed=changed)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    remove_ids = {int(pk) for pk in remove_photo_ids}
    current = list(locked.photos.order_by("position", "id"))
    unknown = remove_ids - {photo.pk for photo in current}
    if unknown:
        errors["remove_photos"] = [
            ValidationError(_("This activity has no photo %(id)s.") % {"id": pk}, code="not_found")
            for pk in sorted(unknown)
        ]
    kept = [photo for photo in current if photo.pk not in remove_ids]
    try:
        extensions = photos_check(add_photos, existing=len(kept))
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    if changed:
        locked.save()
    removed = [photo for photo in current if photo.pk in remove_ids]
    if removed:
        ActivityPhoto.objects.filter(pk__in=[photo.pk for photo in removed]).delete()
        _delete_files_on_commit(photo.image.name for photo in removed)
    start = max((photo.position for photo in kept), default=-1) + 1
    _store_photos(locked, add_photos, extensions, start=start)
    return locked


def activity_photo_remove(*, activity: Activity, by: User, photo_id: int) -> Activity:
    """Take one photo off an activity (its file goes once the change is committed)."""
    return activity_update(activity=activity, by=by, data={}, remove_photo_ids=[photo_id])


def activity_photos_add(*, activity: Activity, by: User, photos: Sequence[File]) -> Activity:
    return activity_update(activity=activity, by=by, data={}, add_photos=photos)


# Pending photos: what a refused form had already uploaded, kept for the user's next try.


def _pending_dir(user: User) -> str:
    return f"{PENDING_ROOT}/{int(user.pk)}"


def pending_photos_stash(*, by: User, photos: Sequence[File]) -> list[str]:
    """Keep checked photos for `by`'s next submission; the tokens that name them in the form."""
    pending_photos_purge()
    tokens = []
    for photo in photos:
        extension = photo_check(photo)
        token = f"{uuid.uuid4().hex}.{extension}"
        default_storage.save(
            f"{_pending_dir(by)}/{token}", photo_without_metadata(photo, extension)
        )
        tokens.append(token)
    return tokens


def pending_photos_open(*, by: User, tokens: Iterable[str]) -> list[tuple[str, File]]:
    """The pending photos of `by` named by `tokens` (unknown or foreign tokens are left out)."""
    found = []
    for token in dict.fromkeys(tokens):
        if not PENDING_NAME.match(token or ""):
            continue
        path = f"{_pending_dir(by)}/{token}"
        if default_storage.exists(path):
            handle = default_storage.open(path, "rb")
            found.append((token, File(handle, name=token)))
    return found


def pending_photo_url(*, by: User, token: str) -> str:
    return default_storage.url(f"{_pending_dir(by)}/{token}")


def pending_photos_discard(*, by: User, tokens: Iterable[str]) -> None:
    """Delete pending photos once the activity that took them is committed."""
    names = [f"{_pending_dir(by)}/{t}" for t in tokens if PENDING_NAME.match(t or "")]
    _delete_files_on_commit(names)


def pending_photos_purge(*, older_than: timedelta | None = None) -> int:
    """Delete pending photos nobody came back for (older than ACTIVITY_PENDING_PHOTO_HOURS)."""
    age = older_than or timedelta(hours=settings.ACTIVITY_PENDING_PHOTO_HOURS)
    cutoff = timezone.now() - age
    removed = 0
    try:
        owners, _files = default_storage.listdir(PENDING_ROOT)
    except (FileNotFoundError, NotImplementedError):
        return 0
    for owner in owners:
        _dirs, files = default_storage.listdir(f"{PENDING_ROOT}/{owner}")
        for name in files:
            path = f"{PENDING_ROOT}/{owner}/{name}"
            try:
                stale = default_storage.get_modified_time(path) < cutoff
            except (FileNotFoundError, NotImplementedError):
                continue
            if stale:
                default_storage.delete(path)
                removed += 1
    return removed
