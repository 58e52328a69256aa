"""Pages of the activity log: the phone form, the lists with totals and export, an activity's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from portal.core.actions_views import ActionView
from portal.core.history import history_entries
from portal.core.mixins import FilteredListMixin

from ..actions.activities import (
    activity_create,
    activity_photo_remove,
    activity_update,
    activity_validate,
    can_record_activities,
    pending_photo_url,
    pending_photos_discard,
    pending_photos_open,
    pending_photos_stash,
    photo_check,
    too_many_photos,
)
from ..choices import MAX_PHOTOS
from ..filters.activities import ActivityFilterSet
from ..forms.activities import ActivityForm
from ..models import Activity
from ..selectors.activities import (
    activity_can_change,
    activity_detail,
    activity_list,
    activity_totals,
)


class ActivityListView(LoginRequiredMixin, FilteredListMixin, ListView):
    """Activities in the user's scope, filtered; totals of the whole filter; `?format=xlsx` downloads it."""

    template_name = "services/activity_list.html"
    paginate_by = 50
    filterset_class = ActivityFilterSet

    def get_base_queryset(self):
        return activity_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = activity_totals(self.object_list)
        context["can_record"] = can_record_activities(self.request.user)
        return context


class ActivityDetailView(LoginRequiredMixin, DetailView):
    template_name = "services/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self):
        return activity_detail(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["photos"] = list(self.object.photos.all())
        context["can_change"] = activity_can_change(user=user, activity=self.object)
        if user.is_district_staff:
            context["history"] = history_entries(self.object, limit=50)
        return context


class ActivityFormView(LoginRequiredMixin, View):
    """The form to record (or correct) an activity with its photos.

    Photos that passed their checks survive a refused form: they wait in the storage as pending photos,
    shown as thumbnails, and the next submission (which sends their tokens back) attaches them.
    """

    template_name = "services/activity_form.html"
    activity: Activity | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_record_activities(request.user):
            raise PermissionDenied(_("Only district staff and street secretaries log activities."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_form(ActivityForm(user=request.user, instance=self.activity))

    def post(self, request, *args, **kwargs):
        user = request.user
        form = ActivityForm(request.POST, user=user, instance=self.activity)
        pending = pending_photos_open(by=user, tokens=request.POST.getlist("pending_photos"))
        try:
            accepted, photo_errors = [], []
            for upload in request.FILES.getlist("photos"):
                try:
                    photo_check(upload)
                except ValidationError as exc:
                    photo_errors.extend(exc.messages)
                else:
                    accepted.append(upload)
            photos = [file for _token, file in pending] + accepted
            if form.is_valid() and not photo_errors:
                try:
                    activity = self.save(form.cleaned_data, photos)
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        if field in {"photos", "remove_photos"}:
                            photo_errors.extend(errors)
                        else:
                            form.add_error(field if field in form.fields else None, errors)
                else:
                    pending_photos_discard(by=user, tokens=[token for token, _file in pending])
                    messages.success(request, self.success_message(activity))
                    return redirect(activity)
            elif form.is_valid():
                # Name the other fields' mistakes too, not only the photos'.
                try:
                    activity_validate(by=user, data=form.cleaned_data, activity=self.activity)
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
            room = MAX_PHOTOS - self.kept_photo_count() - len(pending)
            if len(accepted) > room:
                accepted = accepted[: max(room, 0)]
                if str(too_many_photos(0).messages[0]) not in photo_errors:
                    photo_errors.append(too_many_photos(0).messages[0])
            tokens = [token for token, _file in pending] + pending_photos_stash(
                by=user, photos=accepted
            )
        finally:
            for _token, file in pending:
                file.close()
        return self.render_form(form, tokens=tokens, photo_errors=photo_errors, status=400)

    def save(self, data, photos) -> Activity:
        return activity_create(by=self.request.user, data=data, photos=photos)

    def kept_photo_count(self) -> int:
        return 0

    def success_message(self, activity: Activity) -> str:
        return _("Activity “%(title)s” was logged.") % {"title": activity.title}

    def render_form(self, form, *, tokens=(), photo_errors=(), status=200):
        user = self.request.user
        for name in form.errors:
            if name in form.fields:
                widget = form.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        context = {
            "form": form,
            "activity": self.activity,
            "pending_photos": [
                {"token": token, "url": pending_photo_url(by=user, token=token)} for token in tokens
            ],
            "photo_errors": photo_errors,
            "max_photos": MAX_PHOTOS,
            "max_bytes": settings.ACTIVITY_PHOTO_MAX_BYTES,
            "existing_photos": list(self.activity.photos.all()) if self.activity else [],
            "removed_photo_ids": {
                int(pk) for pk in self.request.POST.getlist("remove_photos") if pk.isdigit()
            },
        }
        return render(self.request, self.template_name, context, status=status)


class ActivityCreateView(ActivityFormView):
    pass


class ActivityUpdateView(ActivityFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.activity = get_object_or_404(activity_detail(user=request.user), pk=kwargs["pk"])
            if not activity_can_change(user=request.user, activity=self.activity):
                raise PermissionDenied(_("You may not change this activity."))
        return super().dispatch(request, *args, **kwargs)

    def save(self, data, photos) -> Activity:
        return activity_update(
            activity=self.activity,
            by=self.request.user,
            data=data,
            add_photos=photos,
            remove_photo_ids=self.removed_ids(),
        )

    def removed_ids(self) -> list[int]:
        return [int(pk) for pk in self.request.POST.getlist("remove_photos") if pk.isdigit()]

    def kept_photo_count(self) -> int:
        removed = set(self.removed_ids())
        return sum(1 for photo in self.activity.photos.all() if photo.pk not in removed)

    def success_message(self, activity: Activity) -> str:
        return _("Activity “%(title)s” was saved.") % {"title": activity.title}


class ActivityPhotoDeleteView(LoginRequiredMixin, ActionView):
    """Take one photo off an activity (from the activity's page)."""

    success_message = gettext_lazy("The photo was removed.")
    follow_next = False

    def get_queryset(self):
        return activity_detail(user=self.request.user)

    def perform(self, activity, form):
        activity_photo_remove(
            activity=activity, by=self.request.user, photo_id=self.kwargs["photo_pk"]
        )
