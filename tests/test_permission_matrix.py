"""The permission matrix: every route of the site and the API, every role of DESIGN.md §4.

`API` and `PAGES` map each URL pattern (in the normal form of `route_key`) to the status every role
gets for every method it answers; `EXEMPT` lists the patterns left out, each with its reason.
`test_every_route_is_in_the_matrix` fails for a route that is in neither table, so a new endpoint
cannot ship without a decision about who may use it. Unsafe requests send an invalid body (`{}`,
or a valid one where the row says so): a permitted role gets 400/200 with form errors (or the
action's own refusal), a refused one 401/403/404 or the sign-in redirect, and for every status that
is not a success the database must be unchanged. Every request runs in a savepoint that is rolled
back, so the world is the same for each of them. The world is built once per test function.

The scope tests below check that the lists (API and pages) hold exactly the rows of a role's scope.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from alliances.actions.meetings import invitation_checkin_token
from portal.accounts.actions import api_token_create
from portal.core.masking import mask_phone
from tests.auth import api_key_for
from tests.factories import (
    ActivityFactory,
    AllianceFactory,
    ClaimFactory,
    DemandCampaignFactory,
    DemandFactory,
    InvitationFactory,
    JoinRequestFactory,
    JointProjectFactory,
    MeetingFactory,
    MembershipFactory,
    MemberUnitFactory,
    ProjectParticipantFactory,
    ResourceOfferFactory,
    SecretaryFactory,
    ServiceCategoryFactory,
    ServiceStationFactory,
    StaffFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The columns of every row below, in this order.
ROLES = (
    "anonymous",
    "inactive",  # a deactivated account (district staff before)
    "staff",  # district staff
    "secretary",  # street secretary of region A, where the world's objects live
    "far_secretary",  # street secretary of region B, a sibling street
    "lead",  # unit contact of the alliance's lead unit (region A)
    "contact",  # unit contact of a member unit of the alliance (region A)
    "other_contact",  # unit contact of a unit in region B that belongs to no alliance
)


# --- the world ------------------------------------------------------------------------------------


def build_world() -> dict:
    from alliances.models import CalendarFeedToken
    from members.models import Registration, UnitChange
    from portal.notifications.models import NoticeDelivery, Notification
    from reports.choices import ReportScope
    from reports.models import QuarterlyReport
    from services.models import ActivityPhoto, DemandAttachment, DemandDeadline, ProjectMilestone

    region = SubdistrictFactory(
        code="310112008", name="新虹街道", parent__code="310112", parent__name="闵行区"
    )
    far = SubdistrictFactory(code="310112009", name="华漕镇", parent=region.parent)
    lead_unit = MemberUnitFactory(name="牵头单位", region=region)
    mine = MemberUnitFactory(name="本单位", region=region)
    fellow = MemberUnitFactory(name="同盟单位", region=region)
    stranger = MemberUnitFactory(name="无关单位", region=far)
    alliance = AllianceFactory(name="生物医药产业党建联盟", lead_unit=lead_unit)
    for unit in (lead_unit, mine, fellow):
        MembershipFactory(alliance=alliance, unit=unit)
    left_unit = MemberUnitFactory(name="退出单位", region=far)
    ended = MembershipFactory(
        alliance=alliance,
        unit=left_unit,
        joined_on=datetime.date(2025, 1, 1),
        left_on=datetime.date(2026, 1, 1),
    )

    users = {
        "staff": StaffFactory(username="m-staff"),
        "inactive": StaffFactory(username="m-inactive", is_active=False),
        "secretary": SecretaryFactory(username="m-secretary", region=region),
        "far_secretary": SecretaryFactory(username="m-far-secretary", region=far),
        "lead": UserFactory(username="m-lead", unit=lead_unit),
        "contact": UserFactory(username="m-contact", unit=mine),
        "other_contact": UserFactory(username="m-other", unit=stranger),
    }
    staff = users["staff"]
    category = ServiceCategoryFactory(name="矩阵测试服务")
    station = ServiceStationFactory(name="新虹党群服务站", region=region, operator=mine)
    far_station = ServiceStationFactory(name="华漕党群服务站", region=far)
    private_station = ServiceStationFactory(
        name="内部服务点", region=region, operator=mine, is_public=False
    )
    activity = ActivityFactory(
        title="联盟活动", region=region, alliance=alliance, organizer=mine, recorded_by=staff
    )
    far_activity = ActivityFactory(title="华漕活动", region=far, recorded_by=staff)
    photo = ActivityPhoto.objects.create(
        activity=activity, image=ContentFile(b"\x89PNG\r\n", name="photo.png")
    )
    meeting = MeetingFactory(alliance=alliance, organizer=staff, title="联盟例会")
    invitation = InvitationFactory(meeting=meeting, unit=mine)
    guest = InvitationFactory(meeting=meeting, unit=None, guest_email="guest.wang@example.org")
    other_meeting = MeetingFactory(organizer=staff, title="别的联盟例会")
    join_request = JoinRequestFactory(alliance=alliance, unit=stranger)
    demand = DemandFactory(unit=mine, title="本单位诉求")
    far_demand = DemandFactory(unit=stranger, title="无关单位诉求")
    attachment = DemandAttachment.objects.create(
        demand=demand,
        name="说明.txt",
        uploaded_by=users["contact"],
        file=ContentFile(b"text", name="note.txt"),
    )
    offer = ResourceOfferFactory(unit=mine, title="共享会议室")
    project = JointProjectFactory(alliance=alliance, lead_unit=lead_unit, title="共建项目")
    ProjectParticipantFactory(project=project, unit=lead_unit, role="lead")
    proposed = JointProjectFactory(lead_unit=stranger, status="proposed", title="拟议项目")
    milestone = ProjectMilestone.objects.create(
        project=project, title="启动", due_on=datetime.date(2026, 12, 1)
    )
    claim = ClaimFactory(project=project, unit=mine)
    far_claim = ClaimFactory(project=proposed, unit=stranger)
    campaign = DemandCampaignFactory(title="专项征集")
    DemandDeadline.objects.update_or_create(category="financing", defaults={"due_days": 20})
    registration = Registration.objects.create(
        name="上海新虹示范科技有限公司",
        credit_code="91310112MA1FL0XX0X",
        unit_type="private_enterprise",
        region=region,
        address="闵行区申长路 1 号",
        contact_name="王联络",
        contact_phone="13912345678",
        contact_email="wang@example.org",
        status="submitted",
    )
    far_registration = Registration.objects.create(
        name="华漕示范有限公司",
        credit_code="91310112MA1FL0YY1Y",
        unit_type="private_enterprise",
        region=far,
        address="闵行区华漕路 1 号",
        contact_name="李联络",
        contact_phone="13912345679",
        contact_email="li@example.org",
        status="submitted",
    )
    change = UnitChange.objects.create(
        unit=mine,
        name="本单位（新名）",
        unit_type="private_enterprise",
        requested_by=users["contact"],
    )
    notification = Notification.objects.create(user=users["contact"], title="会议提醒")
    other_notification = Notification.objects.create(user=users["other_contact"], title="别人的")
    notice_delivery = NoticeDelivery.objects.create(
        kind="meeting_reminder", notice_key="m", user=users["contact"], channel="sms", text="提醒"
    )
    district_report = QuarterlyReport.objects.create(
        scope=ReportScope.DISTRICT, year=2026, quarter=3
    )
    alliance_report = QuarterlyReport.objects.create(
        scope=ReportScope.ALLIANCE, alliance=alliance, year=2026, quarter=3
    )
    alliance_report.xlsx.save("report.xlsx", ContentFile(b"PK"), save=False)
    alliance_report.pdf.save("report.pdf", ContentFile(b"%PDF-"), save=True)
    contact_token = api_token_create(user=users["contact"], name="看板")[0]
    user_feed = CalendarFeedToken.objects.create(user=users["contact"])
    alliance_feed = CalendarFeedToken.objects.create(alliance=alliance)
    return {
        "region": region,
        "far": far,
        "lead_unit": lead_unit,
        "mine": mine,
        "fellow": fellow,
        "stranger": stranger,
        "left_unit": left_unit,
        "alliance": alliance,
        "ended_membership": ended,
        "membership": mine.memberships.get(),
        "lead_membership": lead_unit.memberships.get(),
        "fellow_membership": fellow.memberships.get(),
        "users": users,
        "category": category,
        "station": station,
        "far_station": far_station,
        "private_station": private_station,
        "activity": activity,
        "far_activity": far_activity,
        "photo": photo,
        "meeting": meeting,
        "other_meeting": other_meeting,
        "invitation": invitation,
        "guest": guest,
        "join_request": join_request,
        "demand": demand,
        "far_demand": far_demand,
        "attachment": attachment,
        "offer": offer,
        "project": project,
        "proposed": proposed,
        "milestone": milestone,
        "claim": claim,
        "far_claim": far_claim,
        "campaign": campaign,
        "registration": registration,
        "far_registration": far_registration,
        "change": change,
        "notification": notification,
        "notice_delivery": notice_delivery,
        "other_notification": other_notification,
        "district_report": district_report,
        "alliance_report": alliance_report,
        "user_feed": user_feed,
        "contact_token": contact_token,
        "alliance_feed": alliance_feed,
        "keys": {},  # API keys by role, made by `api_as`
    }


@pytest.fixture
def world(db):
    return build_world()


def api_as(world, role) -> APIClient:
    """An API client that authenticates as `role` with a token (the one place tokens are made)."""
    client = APIClient()
    if role != "anonymous":
        key = world["keys"].get(role)
        if key is None:
            key = world["keys"][role] = api_key_for(world["users"][role])
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def page_as(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


# --- routes -------------------------------------------------------------------------------------

SAFE = ("get",)
UNSAFE = ("post", "put", "patch", "delete")


def route_key(pattern: str) -> str:
    """`api/v1/^units/(?P<pk>[^/.]+)/$` and `units/<int:pk>/` both become `…units/<pk>/`."""
    key = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", pattern)
    key = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", key)
    return key.replace("^", "").replace("$", "").replace("\\", "")


def declared_methods(callback) -> set[str] | None:
    """The methods a view answers (None for a plain function, which the matrix cannot inspect)."""
    if getattr(callback, "actions", None):  # a DRF viewset route
        # DRF adds "head" to a route's actions at its first GET: the same with or without it.
        return set(callback.actions) - {"head"}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return None
    return {m for m in (*SAFE, *UNSAFE) if hasattr(view_class, m)}


def enumerate_routes(resolver=None, prefix: str = ""):
    """(key, callback) for every URL pattern below `resolver`."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from enumerate_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield route_key(prefix + str(entry.pattern)), entry.callback


def routes() -> dict:
    found = {}
    for key, callback in enumerate_routes():
        if key.startswith(EXEMPT_PREFIXES):
            continue
        found.setdefault(key, callback)
    return found


# --- rows and requests -------------------------------------------------------------------------

LOGIN = "L"  # a redirect to the sign-in page
CHANGE_ALLOWED = {"200", "201", "202", "204", "302"}  # only these may leave the database changed


@dataclass
class R:
    """One route's row: the objects its placeholders name, and per method the statuses per role.

    A placeholder is filled from `at`: a key of the world (its primary key), a callable of the world,
    or a literal. `<pk>` is filled from the first positional argument.
    """

    pk: object = None
    get: str | None = None
    post: str | None = None
    put: str | None = None
    patch: str | None = None
    delete: str | None = None
    at: dict = field(default_factory=dict)
    path: str | None = None  # a concrete path, where the pattern's placeholders are not all ids
    # The body of unsafe requests: `{}` unless the view validates the body before the action asks
    # who may act; there a valid body is needed to see the refusal.
    data: dict | None = None

    def methods(self) -> dict[str, list[str]]:
        codes = {m: getattr(self, m) for m in (*SAFE, *UNSAFE)}
        return {m: c.split() for m, c in codes.items() if c is not None}

    def resolve(self, world, key: str) -> tuple[str, list]:
        values = {"pk": self.pk, **self.at}
        objects = []

        def fill(match):
            value = values[match.group(1)]
            if callable(value):
                return str(value(world))
            if isinstance(value, str) and value in world:
                objects.append(world[value])
                return str(world[value].pk)
            return str(value)

        return "/" + re.sub(r"<(\w+)>", fill, self.path or key), objects

    def body(self) -> dict:
        return dict(self.data or {})


def fingerprint(objects) -> tuple:
    """Row counts of every table of the portal's apps (history included) and the named rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in TABLES))
        counts = cursor.fetchone()
    rows = [type(o)._base_manager.filter(pk=o.pk).values().first() for o in objects]
    return counts, [sorted(row.items()) if row else None for row in rows]


def portal_tables() -> list[str]:
    labels = {"accounts", "regions", "members", "alliances", "services", "notifications", "reports"}
    return [
        connection.ops.quote_name(m._meta.db_table)
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in labels and not m._meta.proxy
    ]


TABLES: list[str] = []


def status_of(response) -> str:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return str(response.status_code)


def call(client, method: str, url: str, objects, api: bool, data=None) -> tuple[str, bool]:
    """The status `client` gets, and whether the request left the database changed (rolled back).

    `objects` None: the database is not watched (a safe method, or a status that may change it).
    """
    cache.clear()  # rate limits count per test; the matrix makes many requests
    watch = objects is not None
    with transaction.atomic():
        before = fingerprint(objects) if watch else None
        if api:
            unsafe = method in UNSAFE
            kwargs = {"format": "json"} if unsafe else {}
            response = getattr(client, method)(url, data if unsafe else None, **kwargs)
        else:
            response = getattr(client, method)(url, data if method == "post" else None)
        changed = watch and fingerprint(objects) != before
        transaction.set_rollback(True)
    return status_of(response), changed


def clients_for(world, api: bool) -> dict:
    made = {}
    for role in ROLES:
        client = api_as(world, role) if api else page_as(Client(), world, role)
        client.raise_request_exception = False
        made[role] = client
    return made


def run_matrix(world, table: dict, api: bool) -> list[str]:
    if not TABLES:
        TABLES.extend(portal_tables())
    clients = clients_for(world, api)
    problems = []
    for key, rows in table.items():
        for row in rows if isinstance(rows, list) else [rows]:
            url, objects = row.resolve(world, key)
            for method, expected in row.methods().items():
                assert len(expected) == len(ROLES), f"{key} {method}: {len(expected)} columns"
                for role, want in zip(ROLES, expected, strict=True):
                    body = row.body() if method in UNSAFE else None
                    watch = method in UNSAFE and want not in CHANGE_ALLOWED
                    got, changed = call(
                        clients[role], method, url, objects if watch else None, api, body
                    )
                    where = f"{method.upper()} {url} as {role}"
                    if got != want:
                        problems.append(f"{where}: expected {want}, got {got}")
                    elif changed and want not in CHANGE_ALLOWED:
                        problems.append(f"{where}: refused with {got} but changed the database")
    return problems


# --- the tables -----------------------------------------------------------------------------------

# Left out by prefix: the Django admin (its own permission system, tested in tests/portal/test_admin.py)
# and static and media files.
EXEMPT_PREFIXES = ("admin/", "static/")

EXEMPT = {
    "accounts/login/": "django.contrib.auth: public by design (the sign-in form)",
    "accounts/logout/": "django.contrib.auth: signs out whoever asks",
    "accounts/password_change/": "django.contrib.auth: login_required, the user's own password",
    "accounts/password_change/done/": "django.contrib.auth: login_required, a confirmation page",
    "accounts/password_reset/": "public by design, rate-limited (portal.accounts.security)",
    "accounts/password_reset/done/": "django.contrib.auth: public confirmation page",
    "accounts/reset/<uidb64>/<token>/": "django.contrib.auth: public, guarded by the signed token",
    "accounts/reset/done/": "django.contrib.auth: public confirmation page",
    "i18n/setlang/": "Django's language switch: public, changes only the visitor's cookie",
    "healthz": "liveness probe for the load balancer: public, no data (tests/portal/test_health.py)",
    "readyz": "readiness probe: public, no data (tests/portal/test_health.py)",
    "metrics": "Prometheus: by address (METRICS_ALLOWED_IPS) or bearer token, not by role; a 404 "
    "otherwise (tests/portal/test_metrics.py)",
    "api/schema/": "the OpenAPI document: public by design (tests/portal/test_schema.py)",
    "api/docs/": "Swagger UI over the schema: public by design",
    "api/v1/<format>": "format suffix of the API root: the same view as api/v1/",
    "api/v1/regions.<format>/?": "format suffix: the same view as api/v1/regions/",
    "api/v1/regions/tree.<format>/?": "format suffix: the same view as api/v1/regions/tree/",
    "api/v1/regions/import.<format>/?": "format suffix: the same view as api/v1/regions/import/",
    "api/v1/regions/<pk>.<format>/?": "format suffix: the same view as api/v1/regions/<pk>/",
    "api/v1/regions/<pk>/history.<format>/?": "format suffix: the same view as …/history/",
}

# Browser pages. Columns: anonymous, inactive, staff, secretary, far_secretary, lead, contact,
# other_contact (see ROLES). "L" is a redirect to the sign-in page; a deactivated account is signed
# out by Django, so it is treated like an anonymous visitor.
PAGES = {
    "": R(get="200 200 200 200 200 200 200 200"),
    "dashboard/": R(get="L L 200 200 200 403 403 403"),
    # Public, for anyone; the world has built no open data yet, so a dataset file is not there.
    "open-data/": R(get="200 200 200 200 200 200 200 200"),
    "open-data/<slug>.<fmt>": R(
        get="404 404 404 404 404 404 404 404", at={"slug": "stations", "fmt": "csv"}
    ),
    "accounts/exports/": R(get="L L 200 403 403 403 403 403"),
    # An activity's photo for those who may read the activity (tests/portal/test_media.py).
    "media/<path>": R(
        get="L L 200 200 200 200 200 404", at={"path": lambda world: world["photo"].image.name}
    ),
    "regions/": R(get="200 200 200 200 200 200 200 200"),
    "regions/new/": R(get="L L 200 403 403 403 403 403", post="L L 200 403 403 403 403 403"),
    "regions/import/": R(get="L L 200 403 403 403 403 403", post="L L 400 403 403 403 403 403"),
    "regions/import/template/": R(get="L L 200 403 403 403 403 403"),
    "regions/<pk>/": R("region", get="200 200 200 200 200 200 200 200"),
    "regions/<pk>/edit/": R(
        "region", get="L L 200 403 403 403 403 403", post="L L 200 403 403 403 403 403"
    ),
    "alliances/": R(get="200 200 200 200 200 200 200 200"),
    "alliances/chart/": R(get="200 200 200 200 200 200 200 200"),
    "alliances/new/": R(get="L L 200 403 403 403 403 403", post="L L 200 403 403 403 403 403"),
    "alliances/insight/": R(get="L L 200 200 200 403 403 403"),
    "alliances/insight/<kind>.xlsx": R(
        get="L L 200 200 200 403 403 403", at={"kind": "connectors"}
    ),
    "alliances/join-requests/": R(get="L L 200 200 200 200 200 200"),
    "alliances/join-requests/<pk>/accept/": R("join_request", post="L L 302 404 404 302 404 404"),
    "alliances/join-requests/<pk>/decline/": R(
        "join_request", get="L L 200 404 404 200 404 404", post="L L 400 404 404 400 404 404"
    ),
    "alliances/join-requests/<pk>/withdraw/": R("join_request", post="L L 403 403 403 403 404 302"),
    "alliances/meetings/": R(get="L L 200 200 200 200 200 200"),
    "alliances/meetings/calendar/": R(
        get="L L 200 200 200 200 200 200", post="L L 302 302 302 302 302 302"
    ),
    "alliances/meetings/<pk>/": R("meeting", get="L L 200 200 200 200 200 404"),
    "alliances/meetings/<pk>/edit/": R(
        "meeting", get="L L 200 403 403 200 403 404", post="L L 400 403 403 400 403 404"
    ),
    "alliances/meetings/<pk>/cancel/": R("meeting", post="L L 302 403 403 302 403 404"),
    "alliances/meetings/<pk>/invite/": R("meeting", post="L L 302 403 403 302 403 404"),
    "alliances/meetings/<pk>/minutes/": R(
        "meeting", get="L L 200 403 403 200 403 404", post="L L 400 403 403 400 403 404"
    ),
    "alliances/meetings/<pk>/attendance.xlsx": R("meeting", get="L L 200 403 403 200 403 404"),
    "alliances/meetings/<pk>/meeting.ics": R("meeting", get="L L 200 200 200 200 200 404"),
    "alliances/meetings/<pk>/qr.svg": R("meeting", get="L L 200 403 403 200 403 404"),
    # Not signed in: the guests' e-mail form (the world's meeting is ahead: it says when it opens).
    "alliances/meetings/check-in/<token>/": R(
        get="200 200 403 403 403 400 400 400",
        post="400 400 400 400 400 400 400 400",
        at={"token": lambda w: w["meeting"].checkin_token},
    ),
    # A guest's personal link (no sign-in); the world's meeting is ahead, so it is refused with when.
    "alliances/invitations/check-in/<token>/": R(
        get="400 400 400 400 400 400 400 400",
        at={"token": lambda w: invitation_checkin_token(w["guest"])},
    ),
    "alliances/invitations/<pk>/rsvp/": R(
        "invitation", post="L L 302 403 403 403 302 404", data={"rsvp": "accepted"}
    ),
    "alliances/invitations/<pk>/attendance/": R("invitation", post="L L 302 403 403 302 403 404"),
    "alliances/invitations/<pk>/remove/": R("invitation", post="L L 302 403 403 302 403 404"),
    "alliances/calendar/alliance/<token>.ics": R(
        get="200 200 200 200 200 200 200 200", at={"token": lambda w: w["alliance_feed"].token}
    ),
    "alliances/calendar/<token>.ics": R(
        get="200 200 200 200 200 200 200 200", at={"token": lambda w: w["user_feed"].token}
    ),
    "alliances/<pk>/": R("alliance", get="200 200 200 200 200 200 200 200"),
    "alliances/<pk>/meetings/new/": R(
        "alliance", get="L L 200 403 403 200 403 403", post="L L 400 403 403 400 403 403"
    ),
    "alliances/<pk>/calendar/renew/": R("alliance", post="L L 302 403 403 302 403 403"),
    "alliances/<pk>/join/": R("alliance", post="L L 403 403 403 302 302 302"),
    "alliances/<pk>/edit/": R(
        "alliance", get="L L 200 403 403 403 403 403", post="L L 200 403 403 403 403 403"
    ),
    "alliances/<pk>/end/": R("alliance", post="L L 302 403 403 403 403 403"),
    "alliances/<pk>/members/add/": R("alliance", post="L L 302 403 403 403 403 403"),
    "alliances/<pk>/members/candidates/": R("alliance", get="L L 200 403 403 403 403 403"),
    "alliances/memberships/<pk>/end/": R("membership", post="L L 302 403 403 403 403 403"),
    "alliances/memberships/<pk>/leave/": R(
        "membership", get="L L 403 403 403 403 200 404", post="L L 403 403 403 403 302 404"
    ),
    "services/stations/": R(get="200 200 200 200 200 200 200 200"),
    "services/stations/new/": R(
        get="L L 200 200 200 403 403 403", post="L L 200 200 200 403 403 403"
    ),
    "services/stations/<pk>/": [
        R("station", get="200 200 200 200 200 200 200 200"),
        # Not public: its operator's contacts, staff and secretaries.
        R("private_station", get="404 404 200 200 200 404 200 404"),
    ],
    "services/stations/<pk>/edit/": R(
        "station", get="L L 200 200 404 403 403 403", post="L L 200 200 404 403 403 403"
    ),
    "services/stations/<pk>/close/": R(
        "station", get="L L 200 200 404 403 403 403", post="L L 302 302 404 403 403 403"
    ),
    "services/stations/<pk>/reopen/": R("station", post="L L 302 302 404 403 403 403"),
    "services/catalogue/": R(get="L L 200 403 403 403 403 403", post="L L 400 403 403 403 403 403"),
    "services/catalogue/<pk>/edit/": R(
        "category", get="L L 200 403 403 403 403 403", post="L L 200 403 403 403 403 403"
    ),
    "services/catalogue/<pk>/active/": R("category", post="L L 302 403 403 403 403 403"),
    "services/activities/": R(get="L L 200 200 200 200 200 200"),
    "services/activities/new/": R(
        get="L L 200 200 200 403 403 403", post="L L 400 400 400 403 403 403"
    ),
    "services/activities/<pk>/": R("activity", get="L L 200 200 200 200 200 404"),
    "services/activities/<pk>/edit/": R(
        "activity", get="L L 200 200 403 403 403 404", post="L L 400 400 403 403 403 404"
    ),
    "services/activities/<pk>/photos/<photo_pk>/delete/": R(
        "activity", post="L L 302 302 403 403 403 404", at={"photo_pk": "photo"}
    ),
    "services/resources/": R(get="L L 200 200 200 200 200 200"),
    "services/resources/new/": R(
        get="L L 200 403 403 200 200 200", post="L L 200 403 403 200 200 200"
    ),
    "services/resources/<pk>/": R("offer", get="L L 200 200 200 200 200 200"),
    "services/resources/<pk>/edit/": R(
        "offer", get="L L 200 403 403 404 200 404", post="L L 200 403 403 404 200 404"
    ),
    "services/resources/<pk>/withdraw/": R("offer", post="L L 302 403 403 404 302 404"),
    "services/resources/<pk>/restore/": R("offer", post="L L 302 403 403 404 302 404"),
    "services/projects/": R(get="L L 200 200 200 200 200 200"),
    "services/projects/new/": R(
        get="L L 200 200 200 200 403 403", post="L L 400 400 400 400 403 403"
    ),
    "services/projects/<pk>/": [
        R("project", get="L L 200 200 200 200 200 200"),
        # Proposed: staff, secretaries and the units it belongs to.
        R("proposed", get="L L 200 200 200 404 404 200"),
    ],
    "services/projects/<pk>/edit/": R(
        "project", get="L L 200 200 403 200 403 403", post="L L 400 400 403 400 403 403"
    ),
    "services/projects/<pk>/transition/": R(
        "project", post="L L 302 302 403 302 403 403", data={"status": "in_progress"}
    ),
    "services/projects/<pk>/progress/": R(
        "project", post="L L 302 302 403 302 403 403", data={"progress": 50, "comment": "过半"}
    ),
    "services/projects/<pk>/amounts/": R("project", post="L L 302 302 403 302 403 403"),
    "services/projects/<pk>/milestones/": R(
        "project",
        post="L L 302 302 403 302 403 403",
        data={"title": "验收", "due_on": "2026-12-20"},
    ),
    "services/projects/<pk>/milestones/<milestone_pk>/done/": R(
        "project", post="L L 302 302 403 302 403 403", at={"milestone_pk": "milestone"}
    ),
    "services/projects/<pk>/claim/": R(
        "project",
        post="L L 400 403 403 400 400 302",
        data={"role": "participant", "message": "愿意参加"},
    ),
    "services/projects/<pk>/invite/": R("project", post="L L 400 400 400 400 400 400"),
    "services/projects/<pk>/request-resource/": R("project", post="L L 400 400 400 400 400 400"),
    "services/demands/<pk>/project/": R(
        "demand", get="L L 200 200 404 404 403 404", post="L L 400 400 404 404 403 404"
    ),
    "services/demands/<pk>/claim/": R(
        "demand", get="L L 403 403 403 200 200 200", post="L L 403 403 403 302 400 302"
    ),
    "services/demands/<pk>/request-resource/": R(
        "demand", get="L L 200 200 403 403 403 403", post="L L 400 400 403 403 403 403"
    ),
    "services/claims/": R(get="L L 200 200 200 200 200 200"),
    "services/claims/<pk>/accept/": R("claim", post="L L 302 302 404 302 403 404"),
    "services/claims/<pk>/decline/": R(
        "claim",
        get="L L 200 200 404 200 403 404",
        post="L L 302 302 404 302 403 404",
        data={"reason": "不合适"},
    ),
    "services/claims/<pk>/withdraw/": R("claim", post="L L 302 403 404 403 302 404"),
    "services/demands/": R(get="L L 200 200 200 200 200 200"),
    "services/demands/new/": R(
        get="L L 200 200 200 200 200 200", post="L L 400 400 400 400 400 400"
    ),
    "services/demands/deadlines/": R(
        get="L L 200 403 403 403 403 403", post="L L 400 403 403 403 403 403"
    ),
    "services/demands/<pk>/": R("demand", get="L L 200 200 404 404 200 404"),
    "services/demands/<pk>/edit/": R(
        "demand", get="L L 200 200 404 404 200 404", post="L L 400 400 404 404 400 404"
    ),
    "services/demands/<pk>/attachments/": R("demand", post="L L 302 302 404 404 302 404"),
    "services/demands/<pk>/attachments/<attachment_id>/": R(
        "demand", get="L L 200 200 404 404 200 404", at={"attachment_id": "attachment"}
    ),
    "services/demands/<pk>/<action>/": [
        R("demand", post="L L 302 302 404 404 403 404", path="services/demands/<pk>/accept/"),
        R(
            "demand",
            post="L L 302 302 404 404 403 404",
            path="services/demands/<pk>/reject/",
            data={"reason": "不属实"},
        ),
        R("demand", post="L L 400 400 404 404 400 404", path="services/demands/<pk>/merge/"),
        R("demand", post="L L 400 400 404 404 400 404", path="services/demands/<pk>/assign/"),
        R("demand", post="L L 400 400 404 404 400 404", path="services/demands/<pk>/start/"),
        R("demand", post="L L 400 400 404 404 400 404", path="services/demands/<pk>/progress/"),
        R("demand", post="L L 400 400 404 404 400 404", path="services/demands/<pk>/resolve/"),
        R("demand", post="L L 400 400 404 404 400 404", path="services/demands/<pk>/rate/"),
        R("demand", post="L L 400 400 404 404 400 404", path="services/demands/<pk>/reopen/"),
        R("demand", post="L L 400 400 404 404 400 404", path="services/demands/<pk>/close/"),
        R(
            "demand",
            post="L L 302 302 404 404 302 404",
            path="services/demands/<pk>/comment/",
            data={"comment": "补充说明"},
        ),
    ],
    "services/campaigns/": R(get="L L 200 200 200 200 200 200"),
    "services/campaigns/new/": R(
        get="L L 200 403 403 403 403 403", post="L L 400 403 403 403 403 403"
    ),
    "services/campaigns/<pk>/": R("campaign", get="L L 200 200 200 200 200 200"),
    "services/campaigns/<pk>/edit/": R(
        "campaign", get="L L 200 403 403 403 403 403", post="L L 400 403 403 403 403 403"
    ),
    "notifications/<pk>/read/": R(
        "notification", get="405 405 405 405 405 405 405 405", post="L L 404 404 404 404 302 404"
    ),
    "notifications/read-all/": R(
        get="405 405 405 405 405 405 405 405", post="L L 302 302 302 302 302 302"
    ),
    # One's own notice settings: every signed-in user, for themselves only.
    # The delivery log: district staff only.
    "notifications/deliveries/": R(get="L L 200 403 403 403 403 403"),
    "notifications/preferences/": R(
        get="L L 200 200 200 200 200 200", post="L L 302 302 302 302 302 302"
    ),
    "reports/": R(get="L L 200 200 200 200 200 200"),
    "reports/build/": R(post="L L 302 403 403 403 403 403"),
    "reports/subscriptions/": R(
        get="L L 200 403 403 403 403 403", post="L L 302 403 403 403 403 403"
    ),
    "reports/<pk>/": R("alliance_report", get="L L 200 200 200 200 200 404"),
    "reports/<pk>/rebuild/": R("alliance_report", post="L L 302 403 403 403 403 403"),
    "reports/<pk>/xlsx/": R("alliance_report", get="L L 200 200 200 200 200 404"),
    "reports/<pk>/pdf/": R("alliance_report", get="L L 200 200 200 200 200 404"),
    "units/": R(get="L L 200 200 200 200 200 200"),
    "units/new/": R(get="L L 200 403 403 403 403 403", post="L L 200 403 403 403 403 403"),
    "units/import/": R(get="L L 200 403 403 403 403 403", post="L L 200 403 403 403 403 403"),
    "units/import/template/": R(get="L L 200 403 403 403 403 403"),
    "units/<pk>/": R("fellow", get="L L 200 200 200 200 200 404"),
    "units/<pk>/edit/": R(
        "fellow", get="L L 200 403 403 403 403 403", post="L L 200 403 403 403 403 403"
    ),
    "units/<pk>/deactivate/": R("fellow", post="L L 302 403 403 403 403 403"),
    "units/<pk>/join/": R("fellow", post="L L 400 403 403 403 403 403"),
    "my-unit/": R(get="L L 403 403 403 302 302 302"),
    "my-unit/edit/": R(get="L L 403 403 403 200 200 200", post="L L 403 403 403 400 400 400"),
    "units/<pk>/contacts/invite/": R("mine", post="L L 400 403 403 403 400 403"),
    "changes/": R(get="L L 200 403 403 403 403 403"),
    "changes/<pk>/approve/": R("change", post="L L 302 403 403 403 403 403"),
    "changes/<pk>/reject/": R("change", post="L L 302 403 403 403 403 403"),
    # Each user's own API tokens.
    "accounts/tokens/": R(get="L L 200 200 200 200 200 200", post="L L 200 200 200 200 200 200"),
    "accounts/tokens/<pk>/revoke/": R("contact_token", post="L L 404 404 404 404 302 404"),
    "register/": R(get="200 200 200 200 200 200 200 200", post="400 400 400 400 400 400 400 400"),
    "register/sent/": R(get="200 200 200 200 200 200 200 200"),
    "register/confirm/<token>/": R(
        get="302 302 302 302 302 302 302 302",
        at={"token": lambda w: w["registration"].confirm_token},
    ),
    "register/status/<token>/": R(
        get="200 200 200 200 200 200 200 200",
        at={"token": lambda w: w["registration"].status_token},
    ),
    "registrations/": R(get="L L 200 200 200 403 403 403"),
    "registrations/<pk>/": R("registration", get="L L 200 200 404 403 403 403"),
    "registrations/<pk>/approve/": R("registration", post="L L 302 302 404 403 403 403"),
    "registrations/<pk>/reject/": R("registration", post="L L 400 400 404 403 403 403"),
}

# The API, same columns. A deactivated user's token is refused (401) even where anonymous visitors
# may read: a credential that does not work is an error, not a way to be anonymous.
API = {
    "api/v1/auth/token/": R(post="400 400 400 400 400 400 400 400"),
    "api/v1/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/auth/tokens/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 400 400 400 400 400"
    ),
    "api/v1/auth/tokens/<pk>/": R("contact_token", delete="401 401 404 404 404 404 204 404"),
    "api/v1/regions/": R(
        get="200 401 200 200 200 200 200 200", post="401 401 400 403 403 403 403 403"
    ),
    "api/v1/regions/tree/": R(get="200 401 200 200 200 200 200 200"),
    "api/v1/regions/<pk>/": R(
        "region",
        get="200 401 200 200 200 200 200 200",
        put="401 401 400 403 403 403 403 403",
        patch="401 401 200 403 403 403 403 403",
        delete="401 401 409 403 403 403 403 403",
    ),
    "api/v1/regions/<pk>/history/": R("region", get="401 401 200 403 403 403 403 403"),
    "api/v1/alliances/": R(
        get="200 401 200 200 200 200 200 200", post="401 401 400 403 403 403 403 403"
    ),
    "api/v1/alliances/export/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/alliances/<pk>/": R(
        "alliance",
        get="200 401 200 200 200 200 200 200",
        put="401 401 400 403 403 403 403 403",
        patch="401 401 200 403 403 403 403 403",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/alliances/<pk>/end/": R("alliance", post="401 401 200 403 403 403 403 403"),
    "api/v1/alliances/<pk>/history/": R("alliance", get="401 401 200 403 403 403 403 403"),
    "api/v1/alliances/<pk>/tree/": R("alliance", get="200 401 200 200 200 200 200 200"),
    "api/v1/memberships/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 403 403 403 403 403"
    ),
    "api/v1/memberships/<pk>/": R(
        "membership",
        get="401 401 200 200 200 200 200 404",
        put="401 401 200 403 403 403 403 404",
        patch="401 401 200 403 403 403 403 404",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/memberships/<pk>/end/": R("membership", post="401 401 200 403 403 403 403 404"),
    "api/v1/memberships/<pk>/history/": R("membership", get="401 401 200 403 403 403 403 403"),
    "api/v1/memberships/<pk>/leave/": R("membership", post="401 401 403 403 403 403 200 404"),
    "api/v1/meetings/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 403 403 400 400 400"
    ),
    "api/v1/meetings/calendar/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/meetings/check-in/": R(post="401 401 400 400 400 400 400 400"),
    "api/v1/meetings/export/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/meetings/<pk>/": R(
        "meeting",
        get="401 401 200 200 200 200 200 404",
        put="401 401 400 403 403 400 403 404",
        patch="401 401 200 403 403 200 403 404",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/meetings/<pk>/attendance/": R("meeting", post="401 401 400 403 403 400 403 404"),
    "api/v1/meetings/<pk>/cancel/": R("meeting", post="401 401 200 403 403 200 403 404"),
    "api/v1/meetings/<pk>/export/": R("meeting", get="401 401 200 403 403 200 403 404"),
    "api/v1/meetings/<pk>/history/": R("meeting", get="401 401 200 403 403 403 403 403"),
    "api/v1/meetings/<pk>/ics/": R("meeting", get="401 401 200 200 200 200 200 404"),
    "api/v1/meetings/<pk>/invitations/": R(
        "meeting", get="401 401 200 200 200 200 200 404", post="401 401 400 403 403 400 403 404"
    ),
    "api/v1/meetings/<pk>/minutes/": R("meeting", post="401 401 400 403 403 400 403 404"),
    "api/v1/meetings/<pk>/rsvp/": R(
        "meeting", post="401 401 403 403 403 403 200 404", data={"rsvp": "accepted"}
    ),
    "api/v1/join-requests/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 403 403 400 400 400"
    ),
    "api/v1/join-requests/<pk>/": R("join_request", get="401 401 200 200 200 200 404 200"),
    "api/v1/join-requests/<pk>/accept/": R("join_request", post="401 401 200 403 403 200 404 403"),
    "api/v1/join-requests/<pk>/decline/": R("join_request", post="401 401 400 403 403 400 404 403"),
    "api/v1/join-requests/<pk>/history/": R("join_request", get="401 401 200 403 403 403 403 403"),
    "api/v1/join-requests/<pk>/withdraw/": R(
        "join_request", post="401 401 403 403 403 403 404 200"
    ),
    "api/v1/my-unit/": R(
        get="401 401 403 403 403 200 200 200",
        put="401 401 403 403 403 405 405 405",
        patch="401 401 403 403 403 200 200 200",
    ),
    "api/v1/my-unit/contacts/": R(
        get="401 401 403 403 403 200 200 200", post="401 401 403 403 403 400 400 400"
    ),
    "api/v1/units/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 403 403 403 403 403"
    ),
    "api/v1/units/export/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/units/import/": R(post="401 401 415 403 403 403 403 403"),
    "api/v1/regions/import/": R(post="401 401 415 403 403 403 403 403"),
    "api/v1/units/<pk>/": R(
        "fellow",
        get="401 401 200 200 200 200 200 404",
        put="401 401 400 403 403 403 403 404",
        patch="401 401 200 403 403 403 403 404",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/units/<pk>/history/": R("fellow", get="401 401 200 403 403 403 403 403"),
    "api/v1/registrations/": R(
        get="401 401 200 200 200 403 403 403", post="400 401 400 400 400 400 400 400"
    ),
    "api/v1/registrations/export/": R(get="401 401 200 200 200 403 403 403"),
    "api/v1/registrations/confirm/": R(post="400 401 400 400 400 400 400 400"),
    "api/v1/registrations/<pk>/": R("registration", get="401 401 200 200 404 403 403 403"),
    "api/v1/registrations/<pk>/approve/": R("registration", post="401 401 200 200 404 403 403 403"),
    "api/v1/registrations/<pk>/reject/": R("registration", post="401 401 400 400 404 403 403 403"),
    "api/v1/unit-changes/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/unit-changes/<pk>/": R("change", get="401 401 200 404 404 404 200 404"),
    "api/v1/unit-changes/<pk>/approve/": R("change", post="401 401 400 403 403 403 403 403"),
    "api/v1/unit-changes/<pk>/reject/": R("change", post="401 401 400 403 403 403 403 403"),
    "api/v1/stations/": R(
        get="200 401 200 200 200 200 200 200", post="401 401 400 400 400 403 403 403"
    ),
    "api/v1/stations/export/": R(get="401 401 200 200 200 403 403 403"),
    "api/v1/stations/geojson/": R(get="200 401 200 200 200 200 200 200"),
    "api/v1/stations/<pk>/": [
        R(
            "station",
            get="200 401 200 200 200 200 200 200",
            put="401 401 400 400 403 403 403 403",
            patch="401 401 200 200 403 403 403 403",
            delete="401 401 405 405 405 405 405 405",
        ),
        R("private_station", get="404 401 200 200 200 404 200 404"),
    ],
    "api/v1/stations/<pk>/close/": R("station", post="401 401 200 200 403 403 403 403"),
    "api/v1/stations/<pk>/history/": R("station", get="401 401 200 403 403 403 403 403"),
    "api/v1/stations/<pk>/reopen/": R("station", post="401 401 400 400 403 403 403 403"),
    "api/v1/service-categories/": R(
        get="200 401 200 200 200 200 200 200", post="401 401 400 403 403 403 403 403"
    ),
    "api/v1/service-categories/<pk>/": R(
        "category",
        get="200 401 200 200 200 200 200 200",
        put="401 401 400 403 403 403 403 403",
        patch="401 401 200 403 403 403 403 403",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/service-categories/<pk>/history/": R("category", get="401 401 200 403 403 403 403 403"),
    "api/v1/activities/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 400 400 403 403 403"
    ),
    "api/v1/activities/export/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/activities/totals/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/activities/<pk>/": R(
        "activity",
        get="401 401 200 200 200 200 200 404",
        put="401 401 400 400 403 403 403 404",
        patch="401 401 400 400 403 403 403 404",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/activities/<pk>/photos/": R("activity", post="401 401 415 415 403 403 403 404"),
    "api/v1/activities/<pk>/history/": R("activity", get="401 401 200 403 403 403 403 403"),
    "api/v1/resources/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 403 403 400 400 400"
    ),
    "api/v1/resources/export/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/resources/<pk>/": R(
        "offer",
        get="401 401 200 200 200 200 200 200",
        put="401 401 400 403 403 403 400 403",
        patch="401 401 200 403 403 403 200 403",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/resources/<pk>/history/": R("offer", get="401 401 200 403 403 403 403 403"),
    "api/v1/resources/<pk>/restore/": R("offer", post="401 401 400 403 403 403 400 403"),
    "api/v1/resources/<pk>/withdraw/": R("offer", post="401 401 200 403 403 403 200 403"),
    "api/v1/projects/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 400 400 400 403 403"
    ),
    "api/v1/projects/counts/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/projects/export/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/projects/from-demand/": R(post="401 401 400 400 400 400 400 400"),
    "api/v1/projects/<pk>/": [
        R(
            "project",
            get="401 401 200 200 200 200 200 200",
            put="401 401 400 400 400 400 400 400",
            patch="401 401 200 200 403 200 403 403",
            delete="401 401 405 405 405 405 405 405",
        ),
        R("proposed", get="401 401 200 200 200 404 404 200"),
    ],
    "api/v1/projects/<pk>/events/": R("project", get="401 401 200 200 200 200 200 200"),
    "api/v1/projects/<pk>/history/": R("project", get="401 401 200 403 403 403 403 403"),
    "api/v1/projects/<pk>/milestones/": R(
        "project",
        get="401 401 200 200 200 200 200 200",
        post="401 401 201 201 403 201 403 403",
        data={"title": "验收", "due_on": "2026-12-20"},
    ),
    "api/v1/projects/<pk>/participants/": R("project", get="401 401 200 200 200 200 200 200"),
    "api/v1/projects/<pk>/progress/": R(
        "project", post="401 401 200 200 403 200 403 403", data={"progress": 50, "comment": "过半"}
    ),
    # The owners only, as on the page: the units suggested reach beyond a contact's scope.
    "api/v1/projects/<pk>/suggestions/": R("project", get="401 401 200 200 403 200 403 403"),
    "api/v1/projects/<pk>/transition/": R(
        "project", post="401 401 200 200 403 200 403 403", data={"status": "in_progress"}
    ),
    "api/v1/claims/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 400 400 400 400 400"
    ),
    "api/v1/claims/<pk>/": R("claim", get="401 401 200 200 404 200 200 404"),
    "api/v1/claims/<pk>/accept/": R("claim", post="401 401 200 200 404 200 403 404"),
    "api/v1/claims/<pk>/decline/": R(
        "claim", post="401 401 200 200 404 200 403 404", data={"reason": "不合适"}
    ),
    "api/v1/claims/<pk>/history/": R("claim", get="401 401 200 403 403 403 403 403"),
    "api/v1/claims/<pk>/withdraw/": R("claim", post="401 401 200 403 404 403 200 404"),
    "api/v1/demands/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 400 400 400 400 400"
    ),
    "api/v1/demands/counts/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/demands/export/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/demands/<pk>/": R(
        "demand",
        get="401 401 200 200 404 404 200 404",
        put="401 401 400 400 404 404 400 404",
        patch="401 401 200 200 404 404 200 404",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/demands/<pk>/accept/": R("demand", post="401 401 200 200 404 404 403 404"),
    "api/v1/demands/<pk>/attachments/": R("demand", post="401 401 415 415 404 404 415 404"),
    "api/v1/demands/<pk>/assign/": R("demand", post="401 401 400 400 404 404 403 404"),
    "api/v1/demands/<pk>/close/": R("demand", post="401 401 400 400 404 404 403 404"),
    "api/v1/demands/<pk>/comment/": R(
        "demand", post="401 401 200 200 404 404 200 404", data={"comment": "补充说明"}
    ),
    "api/v1/demands/<pk>/events/": R("demand", get="401 401 200 200 404 404 200 404"),
    "api/v1/demands/<pk>/history/": R("demand", get="401 401 200 403 403 403 403 403"),
    "api/v1/demands/<pk>/merge/": R("demand", post="401 401 400 400 404 404 403 404"),
    "api/v1/demands/<pk>/progress/": R("demand", post="401 401 400 400 404 404 403 404"),
    "api/v1/demands/<pk>/rate/": R("demand", post="401 401 403 403 404 404 400 404"),
    "api/v1/demands/<pk>/reject/": R(
        "demand", post="401 401 200 200 404 404 403 404", data={"reason": "不属实"}
    ),
    "api/v1/demands/<pk>/reopen/": R("demand", post="401 401 403 403 404 404 400 404"),
    "api/v1/demands/<pk>/resolve/": R("demand", post="401 401 400 400 404 404 403 404"),
    "api/v1/demands/<pk>/start/": R("demand", post="401 401 400 400 404 404 403 404"),
    "api/v1/demands/<pk>/suggestions/": R("demand", get="401 401 200 200 404 404 403 404"),
    "api/v1/demand-campaigns/": R(
        get="401 401 200 200 200 200 200 200", post="401 401 400 403 403 403 403 403"
    ),
    "api/v1/demand-campaigns/<pk>/": R(
        "campaign",
        get="401 401 200 200 200 200 200 200",
        put="401 401 400 403 403 403 403 403",
        patch="401 401 200 403 403 403 403 403",
        delete="401 401 405 405 405 405 405 405",
    ),
    "api/v1/demand-campaigns/<pk>/history/": R("campaign", get="401 401 200 403 403 403 403 403"),
    "api/v1/demand-deadlines/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/notifications/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/notice-deliveries/": R(get="401 401 200 403 403 403 403 403"),
    "api/v1/notice-deliveries/<pk>/": R("notice_delivery", get="401 401 200 403 403 403 403 403"),
    "api/v1/notice-preferences/": R(
        get="401 401 200 200 200 200 200 200", put="401 401 200 200 200 200 200 200"
    ),
    "api/v1/notifications/read-all/": R(post="401 401 200 200 200 200 200 200"),
    "api/v1/notifications/<pk>/": R("notification", get="401 401 404 404 404 404 200 404"),
    "api/v1/notifications/<pk>/read/": R("notification", post="401 401 404 404 404 404 200 404"),
    "api/v1/reports/": R(get="401 401 200 200 200 200 200 200"),
    "api/v1/reports/<pk>/": R("alliance_report", get="401 401 200 200 200 200 200 404"),
    "api/v1/activities/<pk>/photos/<photo_id>/": R(
        "activity", delete="401 401 400 400 403 403 403 404", at={"photo_id": "photo"}
    ),
    "api/v1/projects/<pk>/milestones/<milestone_id>/done/": R(
        "project", post="401 401 200 200 403 200 403 403", at={"milestone_id": "milestone"}
    ),
    "api/v1/demands/<pk>/attachments/<attachment_id>/": R(
        "demand", get="401 401 200 200 404 404 200 404", at={"attachment_id": "attachment"}
    ),
    "api/v1/demand-deadlines/<category>/": R(
        get="401 401 200 200 200 200 200 200",
        put="401 401 400 403 403 403 403 403",
        patch="401 401 200 403 403 403 403 403",
        at={"category": "financing"},
    ),
    # Anything else under /api/v1/ is the API's own 404, whatever the method.
    "api/v1/.*": R(
        get="404 401 404 404 404 404 404 404",
        post="404 401 404 404 404 404 404 404",
        put="404 401 404 404 404 404 404 404",
        patch="404 401 404 404 404 404 404 404",
        delete="404 401 404 404 404 404 404 404",
        path="api/v1/no-such-endpoint/",
    ),
}


# --- the tests ----------------------------------------------------------------------------------


def test_every_route_is_in_the_matrix():
    found = routes()
    listed = {**PAGES, **API}
    problems = [
        f"not in the matrix: {key}" for key in found if key not in listed and key not in EXEMPT
    ]
    problems += [f"no such route any more: {key}" for key in [*listed, *EXEMPT] if key not in found]
    problems += [f"both in the matrix and exempt: {key}" for key in listed if key in EXEMPT]
    for key, rows in listed.items():
        declared = declared_methods(found[key]) if key in found else None
        if declared is None:
            continue
        if key in PAGES:  # the site's forms only GET and POST; Django's PUT on a form view is POST
            declared &= {"get", "post"}
        rows = rows if isinstance(rows, list) else [rows]
        tested = set().union(*(row.methods() for row in rows))
        if tested != declared:
            problems.append(
                f"{key}: the view answers {sorted(declared)}, the matrix has {sorted(tested)}"
            )
    assert not problems, "\n".join(problems)


def test_pages_answer_every_role_as_the_matrix_says(world):
    problems = run_matrix(world, PAGES, api=False)
    assert not problems, "\n".join(problems)


def test_the_api_answers_every_role_as_the_matrix_says(world):
    problems = run_matrix(world, API, api=True)
    assert not problems, "\n".join(problems)


# --- scoped lists -------------------------------------------------------------------------------

ALL_SIGNED_IN = ("staff", "secretary", "far_secretary", "lead", "contact", "other_contact")


def everyone(*keys):
    return dict.fromkeys(ALL_SIGNED_IN, set(keys))


# list name: (API path, page path or None, the world keys each signed-in role sees; a role left out
# is refused the list, which the matrix above checks).
SCOPED_LISTS = {
    "units": (
        "/api/v1/units/",
        "/units/",
        {
            **everyone("lead_unit", "mine", "fellow", "stranger", "left_unit"),
            "lead": {"lead_unit", "mine", "fellow"},
            "contact": {"lead_unit", "mine", "fellow"},
            "other_contact": {"stranger"},
        },
    ),
    "memberships": (
        "/api/v1/memberships/",
        None,
        {
            **everyone("lead_membership", "membership", "fellow_membership", "ended_membership"),
            "other_contact": set(),
        },
    ),
    "join requests": (
        "/api/v1/join-requests/",
        "/alliances/join-requests/",
        {**everyone("join_request"), "contact": set()},
    ),
    "meetings": (
        "/api/v1/meetings/",
        "/alliances/meetings/",
        {
            **everyone("meeting", "other_meeting"),
            "lead": {"meeting"},
            "contact": {"meeting"},
            "other_contact": set(),
        },
    ),
    "stations": (
        "/api/v1/stations/",
        "/services/stations/",
        {
            **everyone("station", "far_station", "private_station"),
            "lead": {"station", "far_station"},
            "other_contact": {"station", "far_station"},
        },
    ),
    "activities": (
        "/api/v1/activities/",
        "/services/activities/",
        {
            **everyone("activity", "far_activity"),
            "lead": {"activity"},
            "contact": {"activity"},
            "other_contact": set(),
        },
    ),
    "resource offers": ("/api/v1/resources/", "/services/resources/", everyone("offer")),
    "demands": (
        "/api/v1/demands/",
        "/services/demands/",
        {
            "staff": {"demand", "far_demand"},
            "secretary": {"demand"},
            "far_secretary": {"far_demand"},
            "lead": set(),
            "contact": {"demand"},
            "other_contact": {"far_demand"},
        },
    ),
    "projects": (
        "/api/v1/projects/",
        "/services/projects/",
        {**everyone("project", "proposed"), "lead": {"project"}, "contact": {"project"}},
    ),
    "claims": (
        "/api/v1/claims/",
        "/services/claims/",
        {
            "staff": {"claim", "far_claim"},
            "secretary": {"claim"},
            "far_secretary": {"far_claim"},
            "lead": {"claim"},
            "contact": {"claim"},
            "other_contact": {"far_claim"},
        },
    ),
    "registrations": (
        "/api/v1/registrations/",
        "/registrations/",
        {
            "staff": {"registration", "far_registration"},
            "secretary": {"registration"},
            "far_secretary": {"far_registration"},
        },
    ),
    "unit changes": (
        "/api/v1/unit-changes/",
        None,
        {**everyone(), "staff": {"change"}, "contact": {"change"}},
    ),
    "notifications": (
        "/api/v1/notifications/",
        None,
        {**everyone(), "contact": {"notification"}, "other_contact": {"other_notification"}},
    ),
    "reports": (
        "/api/v1/reports/",
        "/reports/",
        {
            **everyone("district_report", "alliance_report"),
            "lead": {"alliance_report"},
            "contact": {"alliance_report"},
            "other_contact": set(),
        },
    ),
}


def test_scoped_lists_hold_exactly_the_rows_of_each_roles_scope(world):
    problems = []
    for name, (api_path, page_path, scopes) in SCOPED_LISTS.items():
        for role, keys in scopes.items():
            expected = {world[key].pk for key in keys}
            response = api_as(world, role).get(api_path, {"page_size": 100})
            got = (
                {row["id"] for row in response.json()["results"]}
                if response.status_code == 200
                else None
            )
            if got != expected:
                problems.append(f"API {name} as {role}: expected {expected}, got {got}")
            if page_path is None:
                continue
            response = page_as(Client(), world, role).get(page_path)
            got = (
                {o.pk for o in response.context["object_list"]}
                if response.status_code == 200
                else None
            )
            if got != expected:
                problems.append(f"page {name} as {role}: expected {expected}, got {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("role", "shown"),
    [("staff", True), ("lead", True), ("secretary", False), ("contact", False)],
)
def test_a_guests_e_mail_is_masked_for_those_who_do_not_run_the_meeting(client, world, role, shown):
    """DESIGN §4: personal data is masked outside its scope; a guest's address is the organizers'."""
    meeting = world["meeting"]
    rows = api_as(world, role).get(f"/api/v1/meetings/{meeting.pk}/invitations/").json()
    emails = {row["guest_email"] for row in rows if row["unit"] is None}
    assert emails == {"guest.wang@example.org" if shown else "g***@example.org"}
    page = page_as(client, world, role).get(meeting.get_absolute_url()).content.decode()
    assert ("guest.wang@example.org" in page) is shown
    assert ("g***@example.org" in page) is not shown


def test_token_lists_hold_only_the_users_own_tokens(world):
    token = world["contact_token"]
    for role in ALL_SIGNED_IN:
        body = api_as(world, role).get("/api/v1/auth/tokens/").json()
        rows = body["results"] if isinstance(body, dict) else body
        assert (token.pk in {row["id"] for row in rows}) is (role == "contact"), role
        page = page_as(Client(), world, role).get("/accounts/tokens/")
        assert (token.prefix in page.content.decode()) is (role == "contact"), role


# The units whose contact details each role reads whole; the other units it sees come masked.
UNMASKED = {
    "staff": {"lead_unit", "mine", "fellow", "stranger"},
    "secretary": {"lead_unit", "mine", "fellow"},
    "far_secretary": {"stranger"},
    "lead": {"lead_unit"},
    "contact": {"mine"},
    "other_contact": {"stranger"},
}


def test_contact_details_are_whole_only_inside_the_scope(world):
    """DESIGN §4: secretaries read the whole network, contact details only inside their region."""
    problems = []
    for role, whole in UNMASKED.items():
        client = api_as(world, role)
        for key in ("lead_unit", "mine", "fellow", "stranger"):
            unit = world[key]
            response = client.get(f"/api/v1/units/{unit.pk}/")
            if response.status_code != 200:
                continue  # out of the role's scope: the matrix checks the 404
            shown = response.json()["contact_phone"]
            phone = unit.contact_phone
            if shown != (phone if key in whole else mask_phone(phone)):
                problems.append(f"{role} reads {key}'s phone {phone} as {shown}")
    assert not problems, "\n".join(problems)
