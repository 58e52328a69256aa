"""/api/v1/meetings/: meetings with their invitations, answers, check-in, minutes and calendar files."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from alliances.actions import meetings as actions
from alliances.calendar import ics_filename, meeting_ics
from alliances.choices import Rsvp
from alliances.filters import MeetingFilterSet, upcoming_first
from alliances.models import Alliance, Invitation, Meeting
from alliances.selectors.meetings import (
    can_manage,
    meeting_list,
    meeting_stations,
)
from alliances.views.meetings import attendance_export
from members.models import MemberUnit
from portal.api.fields import OptionalUrlField, PageUrlField
from portal.api.renderers import ICS, XLSX, IcsRenderer, XlsxRenderer
from portal.api.steps import WRITE_ERRORS, step, write_schema
from portal.api.viewsets import HistoryActionMixin, ScopedModelViewSet, run_action
from portal.core.mail import absolute_url, request_base_url
from portal.core.masking import mask_email


class InvitationSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    # A plain string: an empty e-mail (a unit's invitation) is not a valid `format: email` default.
    guest_email = serializers.CharField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "meeting",
            "unit",
            "unit_name",
            "guest_name",
            "guest_email",
            "rsvp",
            "attending_count",
            "responded_at",
            "attended",
            "checked_in_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # A guest's address is personal data: only those who run the meeting see it whole.
        if self.context.get("mask_guest_email"):
            data["guest_email"] = mask_email(data["guest_email"])
        return data


class MeetingSerializer(serializers.ModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    organizer_name = serializers.CharField(source="organizer.__str__", read_only=True)
    invited_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    accepted_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    attended_count = serializers.IntegerField(read_only=True, default=None, allow_null=True)
    online_url = OptionalUrlField(label=Meeting._meta.get_field("online_url").verbose_name)
    url = PageUrlField("alliances:meeting-detail", portal_base_url=True)
    ics_url = PageUrlField(
        "alliances:meeting-ics",
        portal_base_url=True,
        help_text=_(
            "The meeting as an iCalendar file: one VEVENT, the UID and SEQUENCE of the feeds."
        ),
    )
    checkin_token = serializers.SerializerMethodField(
        help_text=_("Only for those who run the meeting.")
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "alliance",
            "alliance_name",
            "organizer",
            "organizer_name",
            "kind",
            "title",
            "start_at",
            "end_at",
            "station",
            "address",
            "online_url",
            "agenda",
            "status",
            "minutes",
            "decisions",
            "reminder_offsets",
            "previous",
            "uid",
            "sequence",
            "invited_count",
            "accepted_count",
            "attended_count",
            "url",
            "ics_url",
            "checkin_token",
        ]
        read_only_fields = fields

    def get_checkin_token(self, obj) -> str | None:
        request = self.context.get("request")
        if request is None or not can_manage(request.user, obj):
            return None
        return obj.checkin_token


class GuestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    email = serializers.EmailField()


class MeetingUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Meeting._meta.get_field("kind").choices)
    title = serializers.CharField(max_length=200)
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    station = serializers.PrimaryKeyRelatedField(
        queryset=meeting_stations(), required=False, allow_null=True
    )
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    online_url = serializers.URLField(
        required=False, allow_blank=True, allow_null=True, help_text=_('"" or null: none.')
    )
    agenda = serializers.CharField(required=False, allow_blank=True)
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=actions.MAX_REMINDER_OFFSET),
        required=False,
        allow_null=True,
        max_length=20,
        help_text=_("Minutes before the start; null for the alliance's offsets."),
    )


class MeetingCreateSerializer(MeetingUpdateSerializer):
    alliance = serializers.PrimaryKeyRelatedField(queryset=Alliance.objects.all())
    kind = serializers.ChoiceField(
        choices=Meeting._meta.get_field("kind").choices, required=False, default="regular"
    )
    units = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(),
        many=True,
        required=False,
        help_text=_("The invited units; by default all current members of the alliance."),
    )
    guests = GuestSerializer(many=True, required=False)
    previous = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class InvitationAddSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=MemberUnit.objects.all(), required=False, allow_null=True
    )
    guest_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    guest_email = serializers.EmailField(required=False, allow_blank=True)


class RsvpSerializer(serializers.Serializer):
    rsvp = serializers.ChoiceField(choices=[Rsvp.ACCEPTED, Rsvp.DECLINED])
    attending_count = serializers.IntegerField(
        min_value=0, max_value=actions.MAX_ATTENDING, required=False, allow_null=True
    )


class CheckInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)


class AttendanceSerializer(serializers.Serializer):
    invitation = serializers.IntegerField()
    attended = serializers.BooleanField()


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField()
    decisions = serializers.CharField(required=False, allow_blank=True, default="")
    attended = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_null=True,
        help_text=_("Ids of the invitations that attended; the others are marked absent."),
    )


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.CharField()


class MeetingViewSet(HistoryActionMixin, ScopedModelViewSet):
    """Alliance meetings: district staff and the lead unit's contacts schedule; invited units answer and check in."""

    queryset = Meeting.objects.all()
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    search_fields = ["title"]
    ordering_fields = ["start_at", "title"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        queryset = meeting_list(self.request.user)
        if self.action == "export_list":
            return (
                upcoming_first(queryset)
                if "ordering" not in self.request.query_params
                else queryset
            )
        if self.action == "list":
            # A row shows the station's id only: one join fewer than the browser's list.
            queryset = queryset.select_related(None).select_related("alliance", "organizer")
            if "ordering" not in self.request.query_params:
                return upcoming_first(queryset)
        return queryset.order_by("-start_at", "-id")

    def can_create(self, user) -> bool:
        return user.is_district_staff or bool(user.is_unit_contact and user.unit_id)

    def can_change(self, user, obj) -> bool:
        if self.action == "rsvp":
            return True  # the action checks that the caller's unit is invited
        return can_manage(user, obj)

    def get_output_queryset(self):
        return meeting_list(self.request.user)

    @write_schema(MeetingSerializer, status=201, request=MeetingCreateSerializer)
    def create(self, request, *args, **kwargs):
        """Schedule a meeting; invitations are mailed with an .ics file."""
        params = MeetingCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        guests = [(g.get("name", ""), g["email"]) for g in data.pop("guests", [])]
        meeting = run_action(
            actions.meeting_schedule,
            organizer=request.user,
            guests=guests,
            base_url=request_base_url(request),
            **data,
        )
        return self.respond(meeting, status=status.HTTP_201_CREATED)

    @write_schema(MeetingSerializer, request=MeetingUpdateSerializer)
    def update(self, request, *args, **kwargs):
        """Change or reschedule; invitees are mailed an updated .ics (same UID, higher SEQUENCE)."""
        meeting = self.get_object()
        params = MeetingUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        params.is_valid(raise_exception=True)
        meeting = run_action(
            actions.meeting_update,
            meeting=meeting,
            by=request.user,
            base_url=request_base_url(request),
            **params.validated_data,
        )
        return self.respond(meeting)

    @write_schema(MeetingSerializer, request=MeetingUpdateSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change some fields; invitees are told as for a full update."""
        return self.update(request, *args, partial=True, **kwargs)

    @step(input=CancelSerializer, output=MeetingSerializer)
    def cancel(self, request, meeting, reason):
        """Cancel the meeting; invitees get a METHOD:CANCEL .ics at once."""
        return actions.meeting_cancel(
            meeting=meeting, by=request.user, reason=reason, base_url=request_base_url(request)
        )

    @extend_schema(
        methods=["GET"], responses=InvitationSerializer(many=True), filters=False, request=None
    )
    @extend_schema(
        methods=["POST"],
        request=InvitationAddSerializer,
        responses={201: InvitationSerializer, **WRITE_ERRORS},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def invitations(self, request, pk=None):
        """GET: who is invited, their answers and attendance. POST: invite a `unit` or a guest."""
        meeting = self.get_object()
        if request.method == "GET":
            invitations = meeting.invitations.select_related("unit").order_by("id")
            masked = {"mask_guest_email": not can_manage(request.user, meeting)}
            return Response(InvitationSerializer(invitations, many=True, context=masked).data)
        params = InvitationAddSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        invitation = run_action(
            actions.invitation_add,
            meeting=meeting,
            by=request.user,
            base_url=request_base_url(request),
            unit=params.validated_data.get("unit"),
            guest_name=params.validated_data.get("guest_name", ""),
            guest_email=params.validated_data.get("guest_email", ""),
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @step(input=RsvpSerializer, output=InvitationSerializer)
    def rsvp(self, request, meeting, rsvp, attending_count=None):
        """Accept (with `attending_count`) or decline for the caller's unit."""
        invitation = None
        if request.user.unit_id:
            invitation = meeting.invitations.filter(unit_id=request.user.unit_id).first()
        if invitation is None:
            raise PermissionDenied(_("Your unit is not invited to this meeting."))
        return actions.invitation_rsvp(
            invitation=invitation, by=request.user, rsvp=rsvp, attending_count=attending_count
        )

    @step(
        input=CheckInSerializer,
        output=InvitationSerializer,
        detail=False,
        url_path="check-in",
        filterset_class=None,
    )
    def check_in(self, request, token):
        """Check in the caller's unit with the meeting's QR `token`, during the meeting window."""
        return actions.meeting_check_in(token=token, user=request.user)

    @step(input=AttendanceSerializer, output=InvitationSerializer)
    def attendance(self, request, meeting, invitation, attended):
        """Mark one invitation attended or not, by hand."""
        invited = meeting.invitations.filter(pk=invitation).first()
        if invited is None:
            raise ValidationError({"invitation": [_("This is not an invitation to this meeting.")]})
        return actions.attendance_mark(invitation=invited, by=request.user, attended=attended)

    @step(input=MinutesSerializer, output=MeetingSerializer)
    def minutes(self, request, meeting, minutes, decisions, attended=None):
        """Record the minutes and decisions (and optionally attendance) and mark the meeting held."""
        return actions.meeting_record_minutes(
            meeting=meeting,
            by=request.user,
            minutes=minutes,
            decisions=decisions,
            attended=attended,
        )

    @extend_schema(
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=_("XLSX workbook"))
        },
        description="The filtered list (same parameters as the list) as an XLSX workbook.",
        # The meeting's own attendance export is v1_meetings_export_retrieve.
        operation_id="v1_meetings_list_export",
    )
    @action(detail=False, url_path="export", pagination_class=None)
    def export_list(self, request):
        """Download the filtered list as XLSX."""
        return self.filterset_class.export_table.response(
            request=request, queryset=self.filter_queryset(self.get_queryset())
        )

    @extend_schema(
        request=None,
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description=_("Attendance list")),
        },
        filters=False,
    )
    @action(
        detail=True,
        renderer_classes=[XlsxRenderer, JSONRenderer],
        pagination_class=None,
    )
    def export(self, request, pk=None):
        """The attendance list (with the minutes) as XLSX; for those who run the meeting."""
        meeting = self.get_object()
        if not can_manage(request.user, meeting):
            raise PermissionDenied(_("Only those who run the meeting can export its attendance."))
        return attendance_export(meeting, request=request)

    @extend_schema(
        request=None,
        responses={(200, ICS): OpenApiResponse(OpenApiTypes.STR, description=_("iCalendar"))},
        filters=False,
    )
    @action(
        detail=True,
        renderer_classes=[IcsRenderer, JSONRenderer],
        pagination_class=None,
    )
    def ics(self, request, pk=None):
        """The meeting as an iCalendar file (same UID and SEQUENCE as the mailed ones)."""
        from django.http import HttpResponse

        meeting = self.get_object()
        response = HttpResponse(
            meeting_ics(meeting, base_url=request_base_url(request)),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{ics_filename(meeting)}"'
        return response

    @extend_schema(request=None, responses=CalendarFeedSerializer, filters=False)
    @action(detail=False, pagination_class=None, filterset_class=None)
    def calendar(self, request):
        """The caller's private calendar feed address (their unit's invitations and the meetings they run)."""
        feed = actions.calendar_feed_for(user=request.user)
        return Response({"url": absolute_url(feed.get_absolute_url(), request_base_url(request))})
