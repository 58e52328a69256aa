from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from portal.core.actions_views import redirect_back
from portal.core.forms import apply_validation_error
from portal.core.masking import mask_phone
from portal.core.mixins import DistrictStaffRequiredMixin, FilteredListMixin

from .actions import notification_mark_read, notifications_mark_all_read
from .filters import NoticeDeliveryFilterSet
from .forms import NoticePreferencesForm
from .notices import notice_preferences, notice_preferences_set
from .selectors import notice_delivery_list


@require_POST
@login_required
def mark_read(request, pk: int):
    """Mark one notification read and go back (to `next` or the home page)."""
    notification_mark_read(user=request.user, notification_id=pk)
    return redirect_back(request, "home")


@require_POST
@login_required
def mark_all_read(request):
    """Mark all of the user's notifications read and go back."""
    notifications_mark_all_read(user=request.user)
    return redirect_back(request, "home")


class NoticePreferencesView(LoginRequiredMixin, View):
    """The signed-in user's channels per kind of notice, their mobile number and WeCom user id."""

    template_name = "notifications/preferences.html"

    def _page(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "phone_masked": mask_phone(request.user.phone)},
            status=status,
        )

    def get(self, request):
        form = NoticePreferencesForm(
            preferences=notice_preferences(request.user),
            initial={"wecom_userid": request.user.wecom_userid},
        )
        return self._page(request, form)

    def post(self, request):
        form = NoticePreferencesForm(request.POST, preferences=notice_preferences(request.user))
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                notice_preferences_set(
                    user=request.user,
                    preferences=form.preferences(),
                    # An empty field keeps the number on file (the page never shows it in full).
                    phone=phone or None,
                    wecom_userid=form.cleaned_data["wecom_userid"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your notice settings are saved."))
                return redirect("notifications:preferences")
        return self._page(request, form, status=400)


class NoticeDeliveryListView(
    LoginRequiredMixin, DistrictStaffRequiredMixin, FilteredListMixin, ListView
):
    """The notice delivery log: what went (or waits, or failed) to whom on which channel."""

    template_name = "notifications/delivery_log.html"
    paginate_by = 50
    filterset_class = NoticeDeliveryFilterSet
    context_object_name = "deliveries"

    def get_base_queryset(self):
        return notice_delivery_list()
