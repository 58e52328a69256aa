"""Meeting pages: the list, scheduling and changes, answers, check-in, minutes, exports and feeds."""

import hashlib
import io

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from portal.core.actions_views import ActionFormMixin, ActionView, error_text
from portal.core.exports import xlsx_response
from portal.core.mail import absolute_url, request_base_url
from portal.core.masking import mask_email
from portal.core.mixins import FilteredListMixin
from portal.core.ratelimit import client_ip

from ..actions import meetings as actions
from ..calendar import feed_ics, ics_filename, meeting_ics
from ..choices import MeetingStatus, Rsvp
from ..filters import MeetingFilterSet, upcoming_first
from ..forms.meetings import (
    CancelForm,
    GuestCheckInForm,
    InvitationAddForm,
    MeetingForm,
    MeetingScheduleForm,
    MinutesForm,
    RsvpForm,
)
from ..models import Alliance, CalendarFeedToken, Invitation, Meeting
from ..selectors.meetings import (
    attendance_rate,
    can_manage,
    can_schedule,
    meeting_detail_queryset,
    meeting_list,
    user_invitation,
    user_meetings,
)


def _apply_errors(form, exc: ValidationError) -> None:
    """Put an action's refusals on the form's fields (unknown fields become form errors)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        if field == "reminder_offsets":
            target = "reminder_offsets_text"
        for error in errors:
            form.add_error(target, error)


class MeetingListView(LoginRequiredMixin, FilteredListMixin, ListView):
    """The meetings the user may see, upcoming first; `?format=xlsx` downloads the filter."""

    template_name = "alliances/meeting_list.html"
    paginate_by = 50
    filterset_class = MeetingFilterSet

    def get_base_queryset(self):
        return upcoming_first(meeting_list(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        return context


class MeetingDetailView(LoginRequiredMixin, DetailView):
    template_name = "alliances/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return meeting_detail_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        user = self.request.user
        invitations = list(meeting.invitations.all())
        manage = can_manage(user, meeting)
        if not manage:
            # A guest's address is personal data: only those who run the meeting see it whole
            # (the rows are shown, never saved).
            for invitation in invitations:
                invitation.guest_email = mask_email(invitation.guest_email)
        now = timezone.now()
        mine = user_invitation(meeting, user)
        context.update(
            invitations=invitations,
            can_manage=manage,
            my_invitation=mine,
            rate=attendance_rate(invitations),
            accepted=sum(1 for i in invitations if i.rsvp == Rsvp.ACCEPTED),
            declined=sum(1 for i in invitations if i.rsvp == Rsvp.DECLINED),
            attending=sum(i.attending_count for i in invitations if i.rsvp == Rsvp.ACCEPTED),
            attended=sum(1 for i in invitations if i.attended),
            can_answer=bool(
                mine and meeting.status == MeetingStatus.SCHEDULED and now < meeting.end_at
            ),
            rsvp_form=RsvpForm(
                initial={
                    "rsvp": mine.rsvp if mine and mine.rsvp != Rsvp.PENDING else Rsvp.ACCEPTED,
                    "attending_count": (
                        mine.attending_count if mine and mine.rsvp == Rsvp.ACCEPTED else 1
                    ),
                }
            ),
        )
        if manage:
            context.update(
                add_form=kwargs.get("add_form") or InvitationAddForm(),
                cancel_form=CancelForm(),
                checkin_url=absolute_url(
                    reverse("alliances:meeting-check-in", args=[meeting.checkin_token]),
                    request_base_url(self.request),
                ),
                can_record=meeting.status != MeetingStatus.CANCELLED and now >= meeting.start_at,
            )
        return context


def _alliance_for_schedule(request, pk) -> Alliance:
    alliance = get_object_or_404(Alliance, pk=pk)
    if not can_schedule(request.user, alliance):
        raise PermissionDenied
    return alliance


class MeetingFormMixin(ActionFormMixin):
    """A meeting's form page: the action's refusals go on the form's fields."""

    def apply_errors(self, form, exc: ValidationError) -> None:
        _apply_errors(form, exc)


class MeetingCreateView(LoginRequiredMixin, MeetingFormMixin, View):
    """Schedule a meeting of an alliance; `?copy=<id>` starts from the last meeting of the series."""

    template_name = "alliances/meeting_form.html"
    success_message = gettext_lazy(
        "Meeting %(title)s was scheduled; the invitations are on their way."
    )

    def _previous(self, request, alliance):
        copy = request.GET.get("copy") or request.POST.get("previous")
        if not copy or not str(copy).isdigit():
            return None
        return (
            Meeting.objects.filter(alliance=alliance, pk=copy)
            .select_related("alliance", "station")
            .prefetch_related("invitations__unit")
            .first()
        )

    def get(self, request, pk):
        alliance = _alliance_for_schedule(request, pk)
        previous = self._previous(request, alliance)
        form = MeetingScheduleForm(user=request.user, alliance=alliance)
        if previous is not None:
            initial = actions.meeting_series_initial(previous)
            form.initial = MeetingForm.initial_from(
                Meeting(**{k: v for k, v in initial.items() if k not in {"units", "previous"}})
            )
            form.initial["units"] = [u.pk for u in initial["units"]]
        else:
            form.initial["units"] = [u.pk for u in form.fields["units"].queryset]
            form.initial["kind"] = (
                "quarterly_forum" if alliance.meeting_cadence == "quarterly" else "regular"
            )
        return self._render(request, alliance, form, previous)

    def post(self, request, pk):
        self.alliance = _alliance_for_schedule(request, pk)
        self.previous = self._previous(request, self.alliance)
        form = MeetingScheduleForm(request.POST, user=request.user, alliance=self.alliance)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def perform(self, form):
        return actions.meeting_schedule(
            alliance=self.alliance,
            organizer=self.request.user,
            units=form.cleaned_data["units"],
            guests=form.cleaned_data["guests"],
            previous=self.previous,
            base_url=request_base_url(self.request),
            **form.action_kwargs(),
        )

    def get_message_data(self, meeting):
        return {"title": meeting.title}

    def form_invalid(self, form):
        return self._render(self.request, self.alliance, form, self.previous, status=400)

    def _render(self, request, alliance, form, previous, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "alliance": alliance, "previous": previous},
            status=status,
        )


def _managed_meeting(request, pk) -> Meeting:
    meeting = get_object_or_404(meeting_detail_queryset(request.user), pk=pk)
    if not can_manage(request.user, meeting):
        raise PermissionDenied
    return meeting


class MeetingUpdateView(LoginRequiredMixin, MeetingFormMixin, View):
    template_name = "alliances/meeting_form.html"
    success_message = gettext_lazy("The meeting was saved; invitees have been told.")

    def get(self, request, pk):
        meeting = _managed_meeting(request, pk)
        form = MeetingForm(initial=MeetingForm.initial_from(meeting), user=request.user)
        return render(
            request,
            self.template_name,
            {"form": form, "alliance": meeting.alliance, "meeting": meeting},
        )

    def post(self, request, pk):
        self.meeting = _managed_meeting(request, pk)
        form = MeetingForm(request.POST, user=request.user)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def perform(self, form):
        actions.meeting_update(
            meeting=self.meeting,
            by=self.request.user,
            base_url=request_base_url(self.request),
            **form.action_kwargs(),
        )
        return self.meeting

    def form_invalid(self, form):
        meeting = self.meeting
        return render(
            self.request,
            self.template_name,
            {"form": form, "alliance": meeting.alliance, "meeting": meeting},
            status=400,
        )


class MeetingCancelView(LoginRequiredMixin, ActionView):
    success_message = gettext_lazy("The meeting was cancelled; invitees have been told.")
    follow_next = False

    def get_object(self):
        return _managed_meeting(self.request, self.kwargs["pk"])

    def perform(self, meeting, form):
        form = CancelForm(self.request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        actions.meeting_cancel(
            meeting=meeting,
            by=self.request.user,
            reason=reason,
            base_url=request_base_url(self.request),
        )


class InvitationAddView(LoginRequiredMixin, ActionView):
    form_class = InvitationAddForm
    success_message = gettext_lazy("The invitation was sent.")
    follow_next = False

    def get_object(self):
        return _managed_meeting(self.request, self.kwargs["pk"])

    def perform(self, meeting, form):
        actions.invitation_add(
            meeting=meeting,
            by=self.request.user,
            unit=form.cleaned_data["unit"],
            guest_name=form.cleaned_data["guest_name"],
            guest_email=form.cleaned_data["guest_email"],
            base_url=request_base_url(self.request),
        )


def _invitation(request, pk) -> Invitation:
    return get_object_or_404(
        Invitation.objects.restrict(request.user).select_related("meeting", "meeting__alliance"),
        pk=pk,
    )


class InvitationView(LoginRequiredMixin, ActionView):
    """A step on one invitation, back on its meeting's page."""

    follow_next = False

    def get_object(self):
        return _invitation(self.request, self.kwargs["pk"])

    def get_fallback_url(self):
        return self.object.meeting


class InvitationRemoveView(InvitationView):
    success_message = gettext_lazy("The invitation was withdrawn.")

    def perform(self, invitation, form):
        actions.invitation_remove(invitation=invitation, by=self.request.user)


class InvitationRsvpView(InvitationView):
    form_class = RsvpForm
    follow_next = True

    def perform(self, invitation, form):
        # The answer and the way back name the invitation as the action returns it.
        self.object = actions.invitation_rsvp(
            invitation=invitation,
            by=self.request.user,
            rsvp=form.cleaned_data["rsvp"],
            attending_count=form.cleaned_data["attending_count"],
        )

    def get_success_message(self, result) -> str:
        return _("Your answer was saved: %(answer)s.") % {"answer": self.object.get_rsvp_display()}


class InvitationAttendanceView(InvitationView):
    def perform(self, invitation, form):
        attended = self.request.POST.get("attended") in {"1", "true", "on"}
        actions.attendance_mark(invitation=invitation, by=self.request.user, attended=attended)


class MeetingMinutesView(LoginRequiredMixin, MeetingFormMixin, View):
    template_name = "alliances/meeting_minutes.html"
    success_message = gettext_lazy("The minutes were saved and the meeting marked held.")

    def _context(self, meeting, form):
        return {"meeting": meeting, "form": form, "invitations": list(meeting.invitations.all())}

    def get(self, request, pk):
        meeting = _managed_meeting(request, pk)
        form = MinutesForm(initial={"minutes": meeting.minutes, "decisions": meeting.decisions})
        return render(request, self.template_name, self._context(meeting, form))

    def post(self, request, pk):
        self.meeting = _managed_meeting(request, pk)
        form = MinutesForm(request.POST)
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def perform(self, form):
        attended = [int(v) for v in self.request.POST.getlist("attended") if v.isdigit()]
        actions.meeting_record_minutes(
            meeting=self.meeting,
            by=self.request.user,
            minutes=form.cleaned_data["minutes"],
            decisions=form.cleaned_data["decisions"],
            attended=attended,
        )
        return self.meeting

    def form_invalid(self, form):
        return render(
            self.request, self.template_name, self._context(self.meeting, form), status=400
        )


def attendance_rows(meeting: Meeting):
    for invitation in meeting.invitations.all():
        yield [
            invitation.unit.name if invitation.unit_id else invitation.guest_name,
            invitation.unit.credit_code if invitation.unit_id else invitation.guest_email,
            invitation.get_rsvp_display(),
            invitation.attending_count,
            _("yes") if invitation.attended else _("no"),
            invitation.checked_in_at,
        ]


ATTENDANCE_HEADERS = [
    gettext_lazy("invitee"),
    gettext_lazy("credit code / e-mail"),
    gettext_lazy("answer"),
    gettext_lazy("people attending"),
    gettext_lazy("attended"),
    gettext_lazy("checked in"),
]


def attendance_export(meeting: Meeting, *, request):
    """The attendance list as XLSX, with the minutes and decisions below it."""
    return xlsx_response(
        request=request,
        filename=f"meeting-{meeting.pk}-attendance",
        sheet_title=_("Attendance"),
        headers=ATTENDANCE_HEADERS,
        rows=attendance_rows(meeting),
        trailer=[[], [_("minutes"), meeting.minutes], [_("decisions"), meeting.decisions]],
    )


class MeetingExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return attendance_export(_managed_meeting(request, pk), request=request)


class MeetingIcsView(LoginRequiredMixin, View):
    def get(self, request, pk):
        meeting = get_object_or_404(meeting_detail_queryset(request.user), pk=pk)
        response = HttpResponse(
            meeting_ics(meeting, base_url=request_base_url(request)),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{ics_filename(meeting)}"'
        return response


class MeetingQrView(LoginRequiredMixin, View):
    """The check-in QR code as SVG, for the organizer to show or print."""

    def get(self, request, pk):
        meeting = _managed_meeting(request, pk)
        url = absolute_url(
            reverse("alliances:meeting-check-in", args=[meeting.checkin_token]),
            request_base_url(request),
        )
        # A standalone SVG document (served to an <img>) needs its xmlns, which svg_inline() omits.
        svg = io.BytesIO()
        segno.make(url, error="m").save(svg, kind="svg", xmldecl=False, scale=6, border=2)
        response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
        response["Cache-Control"] = "private, no-store"
        return response


def _check_in_page(request, meeting, *, status=200, **context):
    return render(
        request, "alliances/meeting_check_in.html", {"meeting": meeting, **context}, status=status
    )


class MeetingCheckInView(View):
    """The QR code's address. A signed-in unit contact who opens it during the meeting checks their
    unit in; a visitor who is not signed in gets a form for the e-mail a guest was invited by."""

    def _meeting(self, token) -> Meeting:
        meeting = Meeting.objects.filter(checkin_token=token).select_related("alliance").first()
        if meeting is None:
            raise Http404
        return meeting

    def _guest_form(self, request, meeting, form, *, status=200, error=""):
        return _check_in_page(
            request,
            meeting,
            status=status,
            guest_form=form,
            error=error,
            closed=actions.checkin_refusal(meeting),
        )

    def get(self, request, token):
        meeting = self._meeting(token)
        if not request.user.is_authenticated:
            return self._guest_form(request, meeting, GuestCheckInForm())
        try:
            invitation = actions.meeting_check_in(token=token, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            message = error_text(exc) if isinstance(exc, ValidationError) else str(exc)
            return _check_in_page(
                request,
                meeting,
                error=message,
                status=403 if isinstance(exc, PermissionDenied) else 400,
            )
        return _check_in_page(request, meeting, invitation=invitation)

    def post(self, request, token):
        """A guest's e-mail: checked in, or one neutral refusal (rate-limited per client address)."""
        meeting = self._meeting(token)
        form = GuestCheckInForm(request.POST)
        if not form.is_valid():
            return self._guest_form(request, meeting, form, status=400)
        try:
            invitation = actions.meeting_guest_check_in(
                token=token, email=form.cleaned_data["email"], ip=client_ip(request)
            )
        except actions.GuestCheckInLimited:
            message = _("Too many check-in attempts from your address; try again later.")
            return self._guest_form(request, meeting, form, status=429, error=message)
        except ValidationError as exc:
            return self._guest_form(request, meeting, form, status=400, error=error_text(exc))
        return _check_in_page(request, meeting, invitation=invitation)


class InvitationCheckInView(View):
    """A guest's personal link from the invitation mail: opened during the meeting, it checks them
    in (again: nothing changes); before, it says when check-in opens. A forged link is 404."""

    def get(self, request, token):
        try:
            invitation = actions.invitation_link_check_in(token=token)
        except Invitation.DoesNotExist as exc:
            raise Http404 from exc
        except ValidationError as exc:
            meeting = actions.invitation_for_checkin_link(token).meeting
            return _check_in_page(request, meeting, error=error_text(exc), status=400)
        return _check_in_page(request, invitation.meeting, invitation=invitation)


def _feed_response(request, content: bytes, etag_source: str, last_modified) -> HttpResponse:
    etag = '"' + hashlib.sha256(etag_source.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "private, max-age=300"
    return response


def _feed(request, meetings, name: str):
    meetings = list(meetings.select_related("station").order_by("start_at", "id"))
    last = max((m.updated_at for m in meetings), default=None)
    source = "|".join(f"{m.pk}:{m.sequence}:{m.updated_at.isoformat()}" for m in meetings)
    content = feed_ics(meetings, name=name, base_url=request_base_url(request))
    return _feed_response(request, content, f"{name}|{source}", last)


class UserCalendarFeedView(View):
    """A user's meetings (invitations of their unit and the meetings they organize): no login, a secret address."""

    def get(self, request, token):
        feed = get_object_or_404(
            CalendarFeedToken.objects.select_related("user"), token=token, user__isnull=False
        )
        if not feed.user.is_active:
            raise Http404
        return _feed(request, user_meetings(feed.user), _("My alliance meetings"))


class AllianceCalendarFeedView(View):
    """All meetings of one alliance: a secret address for district staff and its lead unit."""

    def get(self, request, token):
        feed = get_object_or_404(
            CalendarFeedToken.objects.select_related("alliance"),
            token=token,
            alliance__isnull=False,
        )
        return _feed(request, feed.alliance.meetings.all(), feed.alliance.name)


class CalendarSettingsView(LoginRequiredMixin, View):
    """The user's feed address, and a button that renews it (the old address stops working)."""

    template_name = "alliances/meeting_calendar.html"

    def get(self, request):
        feed = actions.calendar_feed_for(user=request.user)
        return render(
            request,
            self.template_name,
            {"feed_url": absolute_url(feed.get_absolute_url(), request_base_url(request))},
        )

    def post(self, request):
        actions.calendar_feed_regenerate(by=request.user, user=request.user)
        messages.success(
            request, _("Your calendar address was renewed; the old one no longer works.")
        )
        return redirect("alliances:meeting-calendar")


class AllianceCalendarRegenerateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        alliance = _alliance_for_schedule(request, pk)
        actions.calendar_feed_regenerate(by=request.user, alliance=alliance)
        messages.success(
            request, _("The alliance's calendar address was renewed; the old one no longer works.")
        )
        return redirect(alliance)
