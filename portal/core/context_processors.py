from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The navigation entries the signed-in user's role may use."""
    user = request.user
    items = [(_("Home"), reverse("home"), "house")]
    if user.is_authenticated and (user.is_district_staff or user.is_street_secretary):
        items.append((_("Dashboard"), reverse("dashboard"), "speedometer2"))
    items.append((_("Alliances"), reverse("alliances:list"), "people"))
    items.append((_("Org chart"), reverse("alliances:chart"), "diagram-3"))
    if user.is_authenticated and user.is_unit_contact and user.unit_id:
        items.append((_("My unit"), reverse("members:my-unit"), "building-check"))
    if user.is_authenticated:
        items.append((_("Units"), reverse("members:unit-list"), "buildings"))
    if user.is_authenticated and (
        user.is_district_staff or user.is_street_secretary or user.is_unit_contact
    ):
        items.append((_("Activities"), reverse("services:activity-list"), "calendar-check"))
    if user.is_authenticated:
        items.append((_("Meetings"), reverse("alliances:meeting-list"), "calendar-event"))
    if user.is_authenticated and (user.is_district_staff or user.is_unit_contact):
        items.append((_("Join requests"), reverse("alliances:join-request-list"), "person-plus"))
    if user.is_authenticated and (user.is_district_staff or user.is_street_secretary):
        items.append((_("Reports"), reverse("reports:list"), "graph-up"))
        items.append((_("Insight"), reverse("alliances:insight"), "lightbulb"))
        items.append((_("Registrations"), reverse("members:registration-list"), "inbox"))
    if user.is_authenticated and user.is_district_staff:
        items.append((_("Profile changes"), reverse("members:change-list"), "pencil"))
    items.append((_("Stations"), reverse("services:station-list"), "pin-map"))
    if user.is_authenticated:
        items.append((_("Resources"), reverse("services:resource-list"), "box-seam"))
        items.append((_("Projects"), reverse("services:project-list"), "kanban"))
    if user.is_authenticated and (
        user.is_district_staff or user.is_street_secretary or user.is_unit_contact
    ):
        items.append((_("Demands"), reverse("services:demand-list"), "megaphone"))
        items.append((_("Claims"), reverse("services:claim-list"), "arrow-left-right"))
    items.append((_("Regions"), reverse("regions:tree"), "geo-alt"))
    if not user.is_authenticated:
        items.append(
            (_("Register your unit"), reverse("members:registration-create"), "pencil-square")
        )
    if user.is_authenticated:
        items.append((_("API"), reverse("api-docs"), "code-slash"))
    if user.is_authenticated and user.is_district_staff:
        items.append((_("Administration"), reverse("admin:index"), "gear"))
    return {"nav_items": [{"label": label, "url": url, "icon": icon} for label, url, icon in items]}
