from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import MemberUnit

from ..actions.meetings import MAX_ATTENDING
from ..choices import MeetingKind, Rsvp
from ..models import Meeting
from ..offsets import format_offsets, parse_offsets
from ..selectors.meetings import meeting_stations

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class MeetingForm(forms.Form):
    """Schedule or change a meeting; the rules live in the actions, which name the wrong field."""

    kind = forms.ChoiceField(label=_("kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    start_at = forms.DateTimeField(
        label=_("starts"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    end_at = forms.DateTimeField(
        label=_("ends"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    station = forms.ModelChoiceField(
        label=_("station"), queryset=meeting_stations().none(), required=False
    )
    address = forms.CharField(label=_("address"), max_length=255, required=False)
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    reminder_offsets_text = forms.CharField(
        label=_("reminders before the meeting (e.g. 3d, 2h, 30m)"),
        required=False,
        help_text=_(
            "Days (d), hours (h) or minutes (m) before the start, e.g. “3d, 2h” for 3 days and "
            "2 hours; empty for the alliance's setting."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = meeting_stations(user)

    def clean_reminder_offsets_text(self):
        return parse_offsets(self.cleaned_data.get("reminder_offsets_text", ""))

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["reminder_offsets"] = data.pop("reminder_offsets_text")
        data.pop("units", None)
        data.pop("guests", None)
        return data

    @staticmethod
    def initial_from(meeting: Meeting) -> dict:
        offsets = meeting.reminder_offsets
        return {
            "kind": meeting.kind,
            "title": meeting.title,
            "start_at": meeting.start_at,
            "end_at": meeting.end_at,
            "station": meeting.station,
            "address": meeting.address,
            "online_url": meeting.online_url,
            "agenda": meeting.agenda,
            "reminder_offsets_text": format_offsets(offsets),
        }


class MeetingScheduleForm(MeetingForm):
    """A new meeting: which current members to invite, and guests from outside the alliance."""

    units = forms.ModelMultipleChoiceField(
        label=_("invited units"),
        queryset=MemberUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guests = forms.CharField(
        label=_("guests outside the alliance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: name, e-mail."),
    )

    def __init__(self, *args, alliance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = MemberUnit.objects.filter(
            memberships__alliance=alliance, memberships__left_on__isnull=True
        ).order_by("name")

    def clean_guests(self):
        guests = []
        validator = forms.EmailField()
        for line in self.cleaned_data.get("guests", "").splitlines():
            if not line.strip():
                continue
            name, _sep, email = line.replace("，", ",").rpartition(",")
            if not _sep:
                name, email = "", line
            try:
                email = validator.clean(email.strip())
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Write each guest as: name, e-mail (line “%(line)s”).") % {"line": line}
                ) from exc
            guests.append((name.strip(), email))
        return guests


class InvitationAddForm(forms.Form):
    unit = forms.CharField(label=_("unit (name or credit code)"), required=False, max_length=200)
    guest_name = forms.CharField(label=_("guest name"), required=False, max_length=100)
    guest_email = forms.EmailField(label=_("guest e-mail"), required=False)

    def clean_unit(self):
        text = self.cleaned_data.get("unit", "").strip()
        if not text:
            return None
        unit = (
            MemberUnit.objects.active()
            .filter(Q(credit_code=text.upper()) | Q(name=text))
            .order_by("pk")
            .first()
        )
        if unit is None:
            raise forms.ValidationError(_("No active unit has this name or credit code."))
        return unit


class RsvpForm(forms.Form):
    rsvp = forms.ChoiceField(
        label=_("answer"),
        choices=[(Rsvp.ACCEPTED, Rsvp.ACCEPTED.label), (Rsvp.DECLINED, Rsvp.DECLINED.label)],
    )
    attending_count = forms.IntegerField(
        label=_("people attending"), min_value=0, max_value=MAX_ATTENDING, required=False
    )


class GuestCheckInForm(forms.Form):
    """A guest without an account checks in with the e-mail address they were invited by."""

    email = forms.EmailField(label=_("your invitation's e-mail"), max_length=254)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 8}))
    decisions = forms.CharField(
        label=_("decisions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
