"""The demand loop (需求清单): raising, every step and who may take it, the board and a demand's page."""

import datetime
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook
from PIL import Image

from portal.notifications.models import NoticeDelivery, Notification
from services.actions import demands as actions
from services.actions.demands import TRANSITIONS
from services.choices import DemandStatus
from services.models import Demand, DemandAttachment, DemandDeadline, DemandEvent
from services.selectors.demands import EXPORT_HEADERS, demand_contacts
from tests.factories import (
    DemandCampaignFactory,
    DemandFactory,
    MemberUnitFactory,
    RegionFactory,
    SecretaryFactory,
    StaffFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

S = DemandStatus
BOARD = reverse("services:demand-list")
CREATE = reverse("services:demand-create")
TODAY = datetime.date(2026, 10, 12)


# --- files --------------------------------------------------------------------------------------


def pdf_file(name="申请材料.pdf", extra=b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + extra, "application/pdf"
    )


def png_file(name="现场照片.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def docx_file(name="情况说明.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


# --- the world ----------------------------------------------------------------------------------


@pytest.fixture
def world(region, staff_user, secretary_user):
    """新虹街道 with a grid, and 七宝镇; a raising unit, a handling unit and a stranger, with their people."""
    qibao = SubdistrictFactory(code="310112102", name="七宝镇", parent=region.parent)
    grid = RegionFactory(code="310112008001", name="第一网格", level="grid", parent=region)
    mine = MemberUnitFactory(name="申请单位", region=grid)
    handling = MemberUnitFactory(name="承办单位", region=region)
    far = MemberUnitFactory(name="七宝单位", region=qibao)
    users = {
        "staff": staff_user,
        "secretary": secretary_user,
        "other_secretary": SecretaryFactory(username="qibao-secretary", region=qibao),
        "contact": UserFactory(username="d-contact", unit=mine, phone="13900000001"),
        "colleague": UserFactory(username="d-colleague", unit=mine),
        "handler": UserFactory(username="d-handler", unit=handling),
        "other_contact": UserFactory(username="d-other", unit=far),
    }
    return {
        "region": region,
        "qibao": qibao,
        "grid": grid,
        "mine": mine,
        "handling": handling,
        "far": far,
        "users": users,
    }


def raise_demand(world, by="contact", **data):
    values = {"title": "融资对接", "description": "需要流动资金贷款。", "category": "financing"}
    values.update(data)
    return actions.demand_create(by=world["users"][by], data=values)


def moved_to(world, status, **extra) -> Demand:
    """A demand raised by the contact and taken by the staff to `status` through the real steps."""
    staff = world["users"]["staff"]
    demand = raise_demand(world, **extra)
    if status == S.SUBMITTED:
        return demand
    if status in {S.REJECTED}:
        return actions.demand_reject(demand=demand, by=staff, reason="不属于受理范围")
    if status == S.MERGED:
        target = raise_demand(world, title="同一问题")
        return actions.demand_merge(demand=demand, by=staff, into=target)
    demand = actions.demand_accept(demand=demand, by=staff)
    if status == S.ACCEPTED:
        return demand
    demand = actions.demand_assign(demand=demand, by=staff, assignee_unit=world["handling"])
    if status == S.ASSIGNED:
        return demand
    demand = actions.demand_start(demand=demand, by=world["users"]["handler"])
    if status == S.IN_PROGRESS:
        return demand
    demand = actions.demand_resolve(
        demand=demand, by=world["users"]["handler"], resolution="已对接银行"
    )
    if status == S.RESOLVED:
        return demand
    return actions.demand_rate(demand=demand, by=world["users"]["contact"], satisfaction=5)


# --- raising ------------------------------------------------------------------------------------


class TestRaise:
    def test_contact_raises_for_their_unit_with_its_region_and_their_contact(self, world):
        contact = world["users"]["contact"]
        demand = raise_demand(world)
        assert demand.unit == world["mine"] and demand.region == world["grid"]
        assert demand.source == "online" and demand.status == S.SUBMITTED
        assert demand.created_by == contact
        assert demand.contact_phone == "13900000001" and demand.contact_email == contact.email
        [event] = demand.events.all()
        assert event.kind == "created" and event.to_status == S.SUBMITTED and event.actor == contact
        assert demand.history.first().history_user == contact

    def test_contact_cannot_raise_for_another_unit(self, world):
        with pytest.raises(ValidationError) as exc:
            raise_demand(world, unit=world["far"])
        assert set(exc.value.message_dict) == {"unit"}
        assert not Demand.objects.exists()

    def test_secretary_enters_a_residents_demand_with_name_and_phone(self, world):
        with pytest.raises(ValidationError) as exc:
            raise_demand(world, by="secretary", source="grid")
        assert set(exc.value.message_dict) == {"contact_name", "contact_phone"}
        demand = raise_demand(
            world,
            by="secretary",
            source="grid",
            contact_name="王阿姨",
            contact_phone="13800001111",
            region=world["grid"],
        )
        assert demand.unit is None and demand.source == "grid" and demand.region == world["grid"]

    def test_secretary_region_defaults_to_theirs_and_must_lie_inside_it(self, world):
        demand = raise_demand(world, by="secretary", contact_name="李", contact_phone="1")
        assert demand.region == world["region"]
        with pytest.raises(ValidationError) as exc:
            raise_demand(
                world, by="secretary", contact_name="李", contact_phone="1", region=world["qibao"]
            )
        assert set(exc.value.message_dict) == {"region"}
        with pytest.raises(ValidationError) as exc:
            raise_demand(world, by="secretary", unit=world["far"], source="visit")
        assert set(exc.value.message_dict) == {"region"}

    def test_staff_enter_on_a_units_behalf_with_its_contact(self, world):
        demand = raise_demand(world, by="staff", unit=world["far"], source="hotline")
        assert demand.unit == world["far"] and demand.region == world["qibao"]
        assert demand.source == "hotline" and demand.contact_name == world["far"].contact_name

    def test_inactive_unit_and_nobody_without_a_role_raise_nothing(self, world):
        world["far"].status = "inactive"
        world["far"].save()
        with pytest.raises(ValidationError):
            raise_demand(world, by="staff", unit=world["far"], source="visit")
        nobody = UserFactory(username="norole", role="", unit=None)
        with pytest.raises(PermissionDenied):
            actions.demand_create(
                by=nobody, data={"title": "x", "description": "x", "category": "tax"}
            )

    def test_raised_in_an_open_campaign_it_counts_against_the_most_specific(
        self, world, time_machine
    ):
        time_machine.move_to(datetime.datetime(2026, 8, 1, 10, 0), tick=False)
        district = DemandCampaignFactory(title="全区征集")
        street = DemandCampaignFactory(title="新虹专项", region=world["region"])
        DemandCampaignFactory(title="七宝专项", region=world["qibao"])
        DemandCampaignFactory(
            title="已结束", opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 3, 31)
        )
        assert raise_demand(world).campaign == street
        assert raise_demand(
            world, by="staff", unit=world["far"], source="visit"
        ).campaign.title in {"七宝专项"}
        demand = raise_demand(world, campaign=district)
        assert demand.campaign == district and demand.source == "campaign"

    def test_a_campaign_closed_or_for_another_region_is_refused(self, world, time_machine):
        time_machine.move_to(datetime.datetime(2026, 8, 1, 10, 0), tick=False)
        closed = DemandCampaignFactory(
            opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 3, 31)
        )
        qibao = DemandCampaignFactory(region=world["qibao"])
        for campaign in (closed, qibao):
            with pytest.raises(ValidationError) as exc:
                raise_demand(world, campaign=campaign)
            assert set(exc.value.message_dict) == {"campaign"}

    def test_no_open_campaign_no_campaign(self, world, time_machine):
        time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0), tick=False)
        DemandCampaignFactory()
        assert raise_demand(world).campaign is None

    def test_attachments_are_checked_by_content_and_named_safely(self, world):
        demand = actions.demand_create(
            by=world["users"]["contact"],
            data={"title": "场地", "description": "需要场地", "category": "land_space"},
            attachments=[pdf_file("../../etc/申请 材料?.PDF"), png_file("photo.exe"), docx_file()],
        )
        names = sorted(demand.attachments.values_list("name", flat=True))
        assert names == ["photo.png", "情况说明.docx", "申请_材料.pdf"]
        stored = [a.file.name for a in demand.attachments.all()]
        assert all(
            re.fullmatch(rf"demands/{demand.pk}/[0-9a-f]{{32}}\.(pdf|png|docx)", n) for n in stored
        )

    def test_a_disguised_or_too_large_file_refuses_the_whole_demand(self, world, settings):
        fake = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        zip_without_office = io.BytesIO()
        with zipfile.ZipFile(zip_without_office, "w") as archive:
            archive.writestr("a.txt", "x")
        plain_zip = SimpleUploadedFile("表.xlsx", zip_without_office.getvalue())
        with pytest.raises(ValidationError) as exc:
            actions.demand_create(
                by=world["users"]["contact"],
                data={"title": "x", "description": "x", "category": "tax"},
                attachments=[fake, plain_zip],
            )
        messages = exc.value.message_dict["attachments"]
        assert len(messages) == 2 and "合同.pdf" in messages[0] and "表.xlsx" in messages[1]
        settings.DEMAND_ATTACHMENT_MAX_BYTES = 10
        with pytest.raises(ValidationError) as exc:
            actions.demand_create(
                by=world["users"]["contact"],
                data={"title": "x", "description": "x", "category": "tax"},
                attachments=[pdf_file()],
            )
        assert set(exc.value.message_dict) == {"attachments"}
        assert not Demand.objects.exists() and not DemandAttachment.objects.exists()

    def test_at_most_ten_attachments(self, world):
        demand = raise_demand(world)
        actions.demand_attachments_add(
            demand=demand, by=world["users"]["contact"], files=[pdf_file() for _ in range(9)]
        )
        with pytest.raises(ValidationError):
            actions.demand_attachments_add(
                demand=demand, by=world["users"]["contact"], files=[pdf_file(), pdf_file()]
            )
        with pytest.raises(PermissionDenied):
            actions.demand_attachments_add(
                demand=demand, by=world["users"]["other_contact"], files=[pdf_file()]
            )
        assert demand.attachments.count() == 9

    def test_the_secretaries_of_the_region_are_told_of_a_new_demand(self, world):
        raise_demand(world)
        assert Notification.objects.filter(user=world["users"]["secretary"]).count() == 1
        assert not Notification.objects.filter(user=world["users"]["other_secretary"]).exists()

    def test_correcting_is_for_the_raiser_or_a_handler_while_submitted(self, world):
        demand = raise_demand(world)
        demand = actions.demand_update(
            demand=demand, by=world["users"]["colleague"], data={"title": "融资对接（修改）"}
        )
        assert demand.title == "融资对接（修改）"
        with pytest.raises(PermissionDenied):
            actions.demand_update(demand=demand, by=world["users"]["handler"], data={"title": "x"})
        actions.demand_accept(demand=demand, by=world["users"]["secretary"])
        with pytest.raises(ValidationError) as exc:
            actions.demand_update(demand=demand, by=world["users"]["staff"], data={"title": "x"})
        assert set(exc.value.message_dict) == {"status"}


# --- the loop -----------------------------------------------------------------------------------


class TestLoop:
    def test_the_whole_loop_records_each_step(self, world, time_machine):
        time_machine.move_to(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC), tick=False)
        DemandDeadline.objects.update_or_create(category="financing", defaults={"due_days": 20})
        staff, handler, contact = (world["users"][k] for k in ("staff", "handler", "contact"))
        demand = raise_demand(world)
        demand = actions.demand_accept(
            demand=demand, by=world["users"]["secretary"], comment="受理"
        )
        assert demand.status == S.ACCEPTED and demand.accepted_at
        demand = actions.demand_assign(demand=demand, by=staff, assignee_unit=world["handling"])
        assert demand.status == S.ASSIGNED and demand.due_on == TODAY + datetime.timedelta(days=20)
        demand = actions.demand_start(demand=demand, by=handler)
        assert demand.status == S.IN_PROGRESS
        demand = actions.demand_progress(demand=demand, by=handler, comment="已联系三家银行")
        assert demand.status == S.IN_PROGRESS
        demand = actions.demand_resolve(demand=demand, by=handler, resolution="获批贷款 200 万元")
        assert demand.status == S.RESOLVED and demand.resolved_at and demand.resolution
        demand = actions.demand_rate(demand=demand, by=contact, satisfaction=5, comment="很满意")
        assert demand.status == S.CLOSED and demand.satisfaction == 5 and demand.rated_at
        assert demand.closed_at and demand.satisfaction_comment == "很满意"
        events = list(demand.events.values_list("kind", "from_status", "to_status"))
        assert events == [
            ("created", "", "submitted"),
            ("accepted", "submitted", "accepted"),
            ("assigned", "accepted", "assigned"),
            ("started", "assigned", "in_progress"),
            ("progress", "in_progress", "in_progress"),
            ("resolved", "in_progress", "resolved"),
            ("rated", "resolved", "closed"),
        ]
        assert demand.events.get(kind="assigned").comment == "→ 承办单位 · 2026-11-01"
        assert demand.events.get(kind="rated").comment == "★ 5/5\n很满意"

    def test_without_a_deadline_row_the_default_days_apply(self, world, time_machine):
        time_machine.move_to(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC), tick=False)
        DemandDeadline.objects.filter(category="financing").delete()
        demand = moved_to(world, S.ASSIGNED)
        assert demand.due_on == TODAY + datetime.timedelta(days=15)

    @pytest.mark.parametrize("status", S.values)
    def test_every_step_the_table_does_not_allow_is_refused_and_saves_nothing(self, world, status):
        staff = world["users"]["staff"]
        demand = moved_to(world, status)
        # Staff who raised it and are its assignee: every role, so only the state can refuse.
        Demand.objects.filter(pk=demand.pk).update(created_by=staff, assignee=staff)
        demand.refresh_from_db()
        before = (demand.status, demand.updated_at, demand.events.count())
        params = {
            "reject": {"reason": "x"},
            "merge": {"into": raise_demand(world, title="另一个").pk},
            "assign": {"assignee_unit": world["handling"]},
            "progress": {"comment": "x"},
            "resolve": {"resolution": "x"},
            "rate": {"satisfaction": 4},
            "reopen": {"satisfaction": 1, "comment": "x"},
            "comment": {"comment": "x"},
        }
        refused = [name for name, rule in TRANSITIONS.items() if status not in rule.sources]
        assert refused, status
        for action in refused:
            with pytest.raises(ValidationError) as exc:
                actions.ACTIONS[action](demand=demand, by=staff, **params.get(action, {}))
            assert set(exc.value.message_dict) == {"status"}, action
            assert str(TRANSITIONS[action].refused) in exc.value.message_dict["status"][0]
            demand.refresh_from_db()
            assert (demand.status, demand.updated_at, demand.events.count()) == before, action

    def test_the_table_offers_every_status_a_way_on_or_none_when_finished(self):
        reachable = {rule.target for rule in TRANSITIONS.values() if rule.target}
        assert reachable == set(S.values) - {S.SUBMITTED}
        finished = {S.CLOSED, S.REJECTED, S.MERGED}
        for status in finished:
            assert [n for n, r in TRANSITIONS.items() if status in r.sources] == ["comment"]

    @pytest.mark.parametrize(
        ("role", "allowed"),
        [
            ("staff", ["accept", "reject", "merge", "comment"]),
            ("secretary", ["accept", "reject", "merge", "comment"]),
            ("other_secretary", []),
            ("contact", ["comment"]),
            ("colleague", ["comment"]),
            ("handler", []),
            ("other_contact", []),
        ],
    )
    def test_who_may_take_which_step_of_a_submitted_demand(self, world, role, allowed):
        demand = raise_demand(world)
        assert actions.demand_allowed_actions(world["users"][role], demand) == allowed

    def test_the_raiser_cannot_accept_and_the_handler_cannot_rate(self, world):
        demand = raise_demand(world)
        with pytest.raises(PermissionDenied):
            actions.demand_accept(demand=demand, by=world["users"]["contact"])
        with pytest.raises(PermissionDenied):
            actions.demand_accept(demand=demand, by=world["users"]["other_secretary"])
        resolved = moved_to(world, S.RESOLVED)
        for role in ("staff", "handler", "secretary"):
            with pytest.raises(PermissionDenied):
                actions.demand_rate(demand=resolved, by=world["users"][role], satisfaction=5)
        assert actions.demand_allowed_actions(world["users"]["colleague"], resolved) == [
            "rate",
            "reopen",
            "comment",
        ]

    def test_the_assignee_works_it_and_a_stranger_cannot(self, world):
        demand = moved_to(world, S.ASSIGNED)
        with pytest.raises(PermissionDenied):
            actions.demand_start(demand=demand, by=world["users"]["other_contact"])
        with pytest.raises(PermissionDenied):
            actions.demand_start(demand=demand, by=world["users"]["contact"])
        with pytest.raises(PermissionDenied):
            actions.demand_assign(
                demand=demand, by=world["users"]["handler"], assignee=world["users"]["handler"]
            )
        assert actions.demand_allowed_actions(world["users"]["handler"], demand) == [
            "start",
            "progress",
            "resolve",
            "comment",
        ]
        with pytest.raises(PermissionDenied):
            actions.demand_comment(demand=demand, by=world["users"]["other_contact"], comment="x")

    def test_reject_needs_a_reason_the_raiser_hears_it(self, world):
        demand = raise_demand(world)
        with pytest.raises(ValidationError) as exc:
            actions.demand_reject(demand=demand, by=world["users"]["staff"], reason="  ")
        assert set(exc.value.message_dict) == {"reason"}
        demand = actions.demand_reject(
            demand=demand, by=world["users"]["staff"], reason="属于司法程序"
        )
        assert demand.status == S.REJECTED and demand.resolution == "属于司法程序"
        note = Notification.objects.filter(user=world["users"]["contact"]).latest("id")
        assert note.url == demand.get_absolute_url() and gettext("Rejected") in note.title

    def test_merge_rules_and_duplicates_follow_the_demand(self, world):
        staff = world["users"]["staff"]
        first, second, third = (raise_demand(world, title=t) for t in ("甲", "乙", "丙"))
        with pytest.raises(ValidationError) as exc:
            actions.demand_merge(demand=first, by=staff, into=first)
        assert set(exc.value.message_dict) == {"into"}
        actions.demand_merge(demand=first, by=staff, into=second)
        with pytest.raises(ValidationError):
            actions.demand_merge(demand=third, by=staff, into=first)  # merged: not open
        far = raise_demand(world, by="staff", unit=world["far"], source="visit")
        with pytest.raises(ValidationError) as exc:
            actions.demand_merge(demand=third, by=world["users"]["secretary"], into=far)
        assert set(exc.value.message_dict) == {"into"}
        second = actions.demand_merge(demand=second, by=staff, into=third)
        first.refresh_from_db()
        assert first.merged_into == third and second.merged_into == third
        assert f"→ #{third.pk} 丙" in second.events.get(kind="merged").comment

    def test_assign_checks_the_assignee_and_the_date(self, world, time_machine):
        time_machine.move_to(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC), tick=False)
        staff = world["users"]["staff"]
        demand = moved_to(world, S.ACCEPTED)
        with pytest.raises(ValidationError) as exc:
            actions.demand_assign(demand=demand, by=staff)
        assert set(exc.value.message_dict) == {"assignee_unit"}
        with pytest.raises(ValidationError) as exc:
            actions.demand_assign(
                demand=demand,
                by=staff,
                assignee=world["users"]["other_secretary"],
                due_on=TODAY - datetime.timedelta(days=1),
            )
        assert set(exc.value.message_dict) == {"assignee", "due_on"}
        with pytest.raises(ValidationError) as exc:
            actions.demand_assign(
                demand=demand,
                by=staff,
                assignee_unit=world["far"],
                assignee=world["users"]["handler"],
            )
        assert set(exc.value.message_dict) == {"assignee"}
        demand = actions.demand_assign(demand=demand, by=staff, assignee=world["users"]["handler"])
        assert demand.assignee_unit == world["handling"]
        assert actions.demand_allowed_actions(world["users"]["handler"], demand)[0] == "start"

    def test_reassigning_with_a_later_date_clears_the_overdue_flag(self, world):
        demand = moved_to(world, S.IN_PROGRESS)
        Demand.objects.filter(pk=demand.pk).update(
            is_overdue=True, due_on=datetime.date(2020, 1, 1)
        )
        demand = actions.demand_assign(
            demand=demand,
            by=world["users"]["secretary"],
            assignee_unit=world["handling"],
            due_on=timezone.localdate() + datetime.timedelta(days=5),
        )
        assert demand.status == S.ASSIGNED and not demand.is_overdue

    def test_closing_clears_the_overdue_flag(self, world):
        demand = moved_to(world, S.RESOLVED)
        Demand.objects.filter(pk=demand.pk).update(is_overdue=True)
        demand = actions.demand_rate(demand=demand, by=world["users"]["contact"], satisfaction=3)
        assert not demand.is_overdue

    def test_a_low_rating_may_reopen_for_the_assignee(self, world):
        demand = moved_to(world, S.RESOLVED)
        with pytest.raises(ValidationError) as exc:
            actions.demand_reopen(
                demand=demand, by=world["users"]["contact"], satisfaction=3, comment="x"
            )
        assert set(exc.value.message_dict) == {"satisfaction"}
        with pytest.raises(ValidationError) as exc:
            actions.demand_reopen(
                demand=demand, by=world["users"]["contact"], satisfaction=1, comment=""
            )
        assert set(exc.value.message_dict) == {"comment"}
        demand = actions.demand_reopen(
            demand=demand, by=world["users"]["contact"], satisfaction=1, comment="资金仍未到位"
        )
        assert demand.status == S.IN_PROGRESS and demand.resolved_at is None
        assert demand.satisfaction is None and demand.due_on > timezone.localdate()
        event = demand.events.latest("id")
        assert event.kind == "reopened" and event.comment == "★ 1/5\n资金仍未到位"
        assert Notification.objects.filter(
            user=world["users"]["handler"],
            title__contains=gettext("Demand reopened by its raiser: %(title)s")
            % {"title": demand.title},
        ).exists()

    def test_a_handler_closes_an_unrated_demand_only_after_the_rating_days(
        self, world, time_machine
    ):
        time_machine.move_to(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC), tick=False)
        demand = moved_to(world, S.RESOLVED)
        staff = world["users"]["staff"]
        assert "close" not in actions.demand_allowed_actions(staff, demand)
        with pytest.raises(ValidationError) as exc:
            actions.demand_close(demand=demand, by=staff)
        assert "2026-10-19" in exc.value.message_dict["status"][0]
        time_machine.move_to(datetime.datetime(2026, 10, 19, 9, 1, tzinfo=datetime.UTC), tick=False)
        assert "close" in actions.demand_allowed_actions(staff, demand)
        demand = actions.demand_close(demand=demand, by=staff, comment="未评价，自动办结")
        assert demand.status == S.CLOSED and demand.satisfaction is None
        with pytest.raises(PermissionDenied):
            actions.demand_close(demand=moved_to(world, S.RESOLVED), by=world["users"]["handler"])

    def test_the_raiser_hears_of_each_step_and_the_actor_does_not(self, world):
        demand = moved_to(world, S.ASSIGNED)
        contact = world["users"]["contact"]
        titles = list(Notification.objects.filter(user=contact).values_list("title", flat=True))
        # Received, accepted, assigned (a unit contact of the raising unit also gets the receipt).
        assert len(titles) == 3
        assert not Notification.objects.filter(user=world["users"]["staff"]).exists()
        assert Notification.objects.filter(
            user=world["users"]["handler"], url=demand.get_absolute_url()
        ).exists()

    def test_comments_by_anyone_concerned_tell_the_others(self, world):
        demand = moved_to(world, S.ASSIGNED)
        Notification.objects.all().delete()
        actions.demand_comment(demand=demand, by=world["users"]["handler"], comment="请补充材料")
        assert set(Notification.objects.values_list("user__username", flat=True)) == {
            "d-contact",
            "d-colleague",
        }
        assert demand.events.latest("id").kind == "comment"

    def test_unknown_action_is_a_programming_error(self, world):
        with pytest.raises(ValueError):
            actions.demand_transition(
                demand=raise_demand(world), by=world["users"]["staff"], action="fly"
            )


# --- mail ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_raiser_gets_real_mail_with_a_link_to_the_demand(client, world, smtp_server):
    demand = raise_demand(world)
    received = smtp_server.wait_for(1)
    assert {m["To"] for m in received} == {"d-contact@example.org, d-colleague@example.org"}
    client.force_login(world["users"]["secretary"])
    response = client.post(
        reverse("services:demand-action", args=[demand.pk, "accept"]), {"comment": "已受理"}
    )
    assert response.status_code == 302
    message = smtp_server.wait_for(2)[1]
    assert message["To"] == "d-contact@example.org, d-colleague@example.org"
    body = message.get_content()
    assert f"http://testserver/services/demands/{demand.pk}/" in body and "已受理" in body
    assert demand.title in message["Subject"]


@pytest.mark.django_db(transaction=True)
def test_a_residents_contact_address_is_mailed_without_a_link(world, smtp_server):
    demand = raise_demand(
        world,
        by="secretary",
        contact_name="王阿姨",
        contact_email="wang@example.org",
        contact_phone="",
    )
    [receipt] = smtp_server.wait_for(1)
    assert receipt["To"] == "wang@example.org"
    assert f"/services/demands/{demand.pk}/" not in receipt.get_content()


# --- pages --------------------------------------------------------------------------------------


def page(client, world, role):
    client.force_login(world["users"][role])
    return client


@pytest.fixture
def board(world):
    """Five demands: the contact's two, a resident's in the grid, one in 七宝, one assigned to 承办单位."""
    staff = world["users"]["staff"]
    mine = raise_demand(world, title="我的融资需求")
    mine_done = moved_to(world, S.CLOSED, title="我的已办结")
    resident = raise_demand(
        world,
        by="secretary",
        title="居民诉求",
        source="grid",
        contact_name="王",
        contact_phone="13800001111",
        region=world["grid"],
    )
    far = raise_demand(world, by="staff", unit=world["far"], source="visit", title="七宝诉求")
    assigned = actions.demand_assign(
        demand=actions.demand_accept(demand=far, by=staff),
        by=staff,
        assignee_unit=world["handling"],
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    return {"mine": mine, "mine_done": mine_done, "resident": resident, "assigned": assigned}


def rows(response) -> set[str]:
    assert response.status_code == 200
    return {d.title for d in response.context["demands"]}


class TestBoard:
    @pytest.mark.parametrize(
        ("role", "expected"),
        [
            ("staff", {"我的融资需求", "我的已办结", "居民诉求", "七宝诉求"}),
            ("secretary", {"我的融资需求", "我的已办结", "居民诉求"}),
            ("other_secretary", {"七宝诉求"}),
            ("contact", {"我的融资需求", "我的已办结"}),
            ("handler", {"七宝诉求", "我的已办结"}),
            ("other_contact", {"七宝诉求"}),
        ],
    )
    def test_each_role_sees_its_scope(self, client, world, board, role, expected):
        assert rows(page(client, world, role).get(BOARD)) == expected

    def test_anonymous_and_roleless_users_are_kept_out(self, client, world):
        assert client.get(BOARD).status_code == 302
        client.force_login(UserFactory(username="norole2", role="", unit=None))
        assert client.get(BOARD).status_code == 403

    def test_filters_and_status_tabs(self, client, world, board):
        page(client, world, "staff")
        assert rows(client.get(BOARD, {"status": "submitted"})) == {"我的融资需求", "居民诉求"}
        assert rows(client.get(BOARD, {"due_soon": "true"})) == {"七宝诉求"}
        assert rows(client.get(BOARD, {"region": "310112102"})) == {"七宝诉求"}
        assert rows(client.get(BOARD, {"q": str(board["resident"].pk)})) == {"居民诉求"}
        assert rows(client.get(BOARD, {"assignee_unit": world["handling"].pk})) == {
            "七宝诉求",
            "我的已办结",
        }
        response = client.get(BOARD, {"category": "financing", "source": "online"})
        assert rows(response) == {"我的融资需求", "我的已办结"}
        tabs = {t["value"]: t["count"] for t in response.context["status_tabs"]}
        assert tabs[""] == 2 and tabs["submitted"] == 1 and tabs["closed"] == 1
        html = response.content.decode()
        assert 'data-testid="status-count-closed">1<' in html
        bad = client.get(BOARD, {"overdue": "perhaps", "campaign": str(10**30)})
        assert bad.status_code == 200 and not bad.context["demands"]
        assert set(bad.context["filter"].errors) == {"overdue", "campaign"}

    def test_unit_contacts_choose_raised_or_assigned(self, client, world, board):
        board_as_handler = page(client, world, "handler")
        assert rows(board_as_handler.get(BOARD, {"mine": "assigned"})) == {"七宝诉求", "我的已办结"}
        assert rows(board_as_handler.get(BOARD, {"mine": "raised"})) == set()
        assert 'data-testid="mine-tabs"' in board_as_handler.get(BOARD).content.decode()

    def test_overdue_filter(self, client, world, board):
        Demand.objects.filter(pk=board["assigned"].pk).update(due_on=datetime.date(2020, 1, 1))
        page(client, world, "staff")
        assert rows(client.get(BOARD, {"overdue": "true"})) == {"七宝诉求"}
        assert "七宝诉求" not in rows(client.get(BOARD, {"overdue": "false"}))

    def test_accept_inline_with_htmx_swaps_the_row(self, client, world, board):
        page(client, world, "secretary")
        html = client.get(BOARD).content.decode()
        assert f'hx-post="/services/demands/{board["mine"].pk}/accept/"' in html
        url = reverse("services:demand-action", args=[board["mine"].pk, "accept"])
        response = client.post(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        row = response.content.decode()
        assert row.lstrip().startswith("<tr") and 'data-status="accepted"' in row
        assert "inline-accept" not in row
        # Again: refused, the row says why and nothing changes.
        again = client.post(url, HTTP_HX_REQUEST="true").content.decode()
        assert 'data-testid="row-error"' in again
        assert board["mine"].events.filter(kind="accepted").count() == 1

    def test_a_step_the_user_may_not_take_with_htmx_is_said_in_the_row(self, client, world, board):
        page(client, world, "contact")
        url = reverse("services:demand-action", args=[board["mine"].pk, "accept"])
        response = client.post(url, HTTP_HX_REQUEST="true")
        assert (
            response.status_code == 200 and 'data-testid="row-error"' in response.content.decode()
        )
        assert client.post(url).status_code == 403
        board["mine"].refresh_from_db()
        assert board["mine"].status == S.SUBMITTED

    def test_full_page_post_without_htmx_redirects_back(self, client, world, board):
        page(client, world, "staff")
        url = reverse("services:demand-action", args=[board["mine"].pk, "accept"])
        response = client.post(url, {"next": BOARD + "?status=submitted"})
        assert response.status_code == 302 and response["Location"] == BOARD + "?status=submitted"
        other = reverse("services:demand-action", args=[board["resident"].pk, "accept"])
        response = client.post(other, {"next": "https://evil.example/"})
        assert response["Location"] == board["resident"].get_absolute_url()

    def test_an_illegal_step_from_the_page_is_a_form_error_and_saves_nothing(
        self, client, world, board
    ):
        page(client, world, "staff")
        demand = board["mine"]
        response = client.post(
            reverse("services:demand-action", args=[demand.pk, "resolve"]), {"resolution": "x"}
        )
        assert response.status_code == 400
        assert str(TRANSITIONS["resolve"].refused) in response.content.decode()
        demand.refresh_from_db()
        assert demand.status == S.SUBMITTED and demand.events.count() == 1
        response = client.post(
            reverse("services:demand-action", args=[demand.pk, "reject"]), {"reason": ""}
        )
        assert response.status_code == 400
        assert response.context["bound_action"] == "reject"
        assert "reason" in response.context["action_forms"][1]["form"].errors

    def test_steps_are_post_only_and_unknown_steps_are_not_found(self, client, world, board):
        page(client, world, "staff")
        pk = board["mine"].pk
        assert client.get(reverse("services:demand-action", args=[pk, "accept"])).status_code == 405
        assert client.post(f"/services/demands/{pk}/fly/").status_code == 404

    def test_out_of_scope_demands_are_not_found(self, client, world, board):
        page(client, world, "other_contact")
        pk = board["mine"].pk
        assert client.get(reverse("services:demand-detail", args=[pk])).status_code == 404
        assert (
            client.post(
                reverse("services:demand-action", args=[pk, "comment"]), {"comment": "x"}
            ).status_code
            == 404
        )

    def test_the_board_needs_the_same_queries_for_few_and_many_rows(
        self, client, world, board, django_assert_num_queries
    ):
        page(client, world, "secretary")
        # Session, user, the secretary's region, count, rows, counts per status, campaign choices, the
        # region filter's choices.
        with django_assert_num_queries(8):
            client.get(BOARD)
        for i in range(20):
            DemandFactory(
                unit=world["mine"],
                region=world["grid"],
                title=f"批量{i}",
                created_by=world["users"]["contact"],
            )
        with django_assert_num_queries(8):
            response = client.get(BOARD)
        assert len(response.context["demands"]) == 23

    def test_export_is_the_filtered_board_with_formulas_neutralised(self, client, world, board):
        raise_demand(world, title='=HYPERLINK("http://evil")')
        page(client, world, "secretary")
        response = client.get(BOARD, {"format": "xlsx", "status": "submitted"})
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        values = list(sheet.values)
        assert values[0] == tuple(str(h) for h in EXPORT_HEADERS)
        assert values[0][2] == gettext("title")
        titles = {row[2] for row in values[1:]}
        assert titles == {"我的融资需求", "居民诉求", '\'=HYPERLINK("http://evil")'}
        resident = next(row for row in values[1:] if row[2] == "居民诉求")
        assert resident[8] == "13800001111" and resident[9] == "第一网格"


class TestDemandPage:
    @pytest.mark.parametrize("status", S.values)
    def test_the_page_of_a_demand_in_any_state_opens_for_each_side(self, client, world, status):
        demand = moved_to(world, status)
        for role in (
            "staff",
            "contact",
            "handler"
            if status not in {"submitted", "accepted", "rejected", "merged"}
            else "secretary",
        ):
            response = page(client, world, role).get(demand.get_absolute_url())
            assert response.status_code == 200, (role, status)
            assert (
                f'data-testid="demand-status">{demand.get_status_display()}<'
                in response.content.decode()
            )

    def test_the_raiser_sees_the_rating_form_and_no_handling_steps(self, client, world):
        demand = moved_to(world, S.RESOLVED)
        response = page(client, world, "colleague").get(demand.get_absolute_url())
        assert response.status_code == 200
        names = [f["name"] for f in response.context["action_forms"]]
        assert names == ["rate", "reopen", "comment"]
        html = response.content.decode()
        assert 'data-testid="action-rate"' in html and 'data-testid="action-accept"' not in html
        assert 'data-testid="rating-wait"' in html
        assert len(response.context["events"]) == 5

    def test_handlers_see_the_steps_the_project_button_and_suggestions(self, client, world):
        demand = moved_to(world, S.ACCEPTED)
        response = page(client, world, "secretary").get(demand.get_absolute_url())
        html = response.content.decode()
        names = [f["name"] for f in response.context["action_forms"]]
        assert names == ["reject", "merge", "assign", "comment"]
        assert f'href="/services/demands/{demand.pk}/project/"' in html
        assert 'data-testid="suggestions"' in html
        assert response.context["contacts"]["contact_phone"] == "13900000001"
        assert "history" not in response.context
        staff_page = page(client, world, "staff").get(demand.get_absolute_url())
        assert staff_page.context["history"]

    def test_the_handling_unit_does_not_see_suggestions_or_the_project_button(self, client, world):
        demand = moved_to(world, S.ASSIGNED)
        html = page(client, world, "handler").get(demand.get_absolute_url()).content.decode()
        assert 'data-testid="suggestions"' not in html and "demand-to-project" not in html
        assert 'data-testid="action-start"' in html

    def test_contact_details_are_masked_outside_the_scope(self, world):
        demand = raise_demand(world)
        assert demand_contacts(user=world["users"]["other_contact"], demand=demand) == {
            "contact_name": "测" + "*" * (len(demand.contact_name) - 1),
            "contact_phone": "139****0001",
            "contact_email": "d***@example.org",
        }
        assert (
            demand_contacts(user=world["users"]["handler"], demand=demand)["contact_phone"]
            == "139****0001"
        )
        assert (
            demand_contacts(user=world["users"]["staff"], demand=demand)["contact_phone"]
            == "13900000001"
        )

    def test_raise_from_the_page_with_attachments(self, client, world):
        page(client, world, "contact")
        form = client.get(CREATE).context["form"]
        assert "unit" not in form.fields and "source" not in form.fields
        response = client.post(
            CREATE,
            {
                "title": "招聘需求",
                "category": "talent",
                "description": "需要 5 名研发人员",
                "attachments": [pdf_file(), png_file()],
            },
        )
        demand = Demand.objects.get(title="招聘需求")
        assert response.status_code == 302 and response["Location"] == demand.get_absolute_url()
        assert demand.attachments.count() == 2 and demand.unit == world["mine"]
        refused = client.post(
            CREATE,
            {
                "title": "x",
                "category": "tax",
                "description": "x",
                "attachments": [SimpleUploadedFile("a.pdf", b"no")],
            },
        )
        assert refused.status_code == 400 and "attachments" in refused.context["form"].errors
        assert not Demand.objects.filter(title="x").exists()

    def test_staff_enter_for_a_unit_by_name_from_the_page(self, client, world):
        page(client, world, "staff")
        response = client.post(
            CREATE,
            {
                "unit": "七宝单位",
                "title": "用地",
                "category": "land_space",
                "description": "x",
                "source": "visit",
            },
        )
        assert response.status_code == 302
        assert Demand.objects.get(title="用地").unit == world["far"]

    def test_attachments_are_served_only_within_the_scope(self, client, world):
        demand = actions.demand_create(
            by=world["users"]["contact"],
            data={"title": "场地", "description": "x", "category": "land_space"},
            attachments=[pdf_file("申请.pdf")],
        )
        attachment = demand.attachments.get()
        url = reverse("services:demand-attachment", args=[demand.pk, attachment.pk])
        response = page(client, world, "secretary").get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "attachment;" in response["Content-Disposition"]
        assert page(client, world, "other_contact").get(url).status_code == 404
        add = reverse("services:demand-attachment-add", args=[demand.pk])
        page(client, world, "colleague").post(add, {"attachments": [docx_file()]})
        assert demand.attachments.count() == 2

    def test_edit_while_submitted(self, client, world):
        demand = raise_demand(world)
        url = reverse("services:demand-update", args=[demand.pk])
        page(client, world, "contact")
        response = client.post(
            url,
            {
                "title": "新标题",
                "category": "tax",
                "description": "x",
                "contact_name": "张",
                "contact_phone": "1",
                "contact_email": "",
            },
        )
        assert response.status_code == 302
        demand.refresh_from_db()
        assert demand.title == "新标题" and demand.category == "tax"
        actions.demand_accept(demand=demand, by=world["users"]["staff"])
        assert client.get(url).status_code == 403

    def test_rate_from_the_page(self, client, world):
        demand = moved_to(world, S.RESOLVED)
        page(client, world, "contact")
        url = reverse("services:demand-action", args=[demand.pk, "rate"])
        assert client.post(url, {"satisfaction": "9"}).status_code == 400
        assert client.post(url, {"satisfaction": "4", "comment": "不错"}).status_code == 302
        demand.refresh_from_db()
        assert demand.status == S.CLOSED and demand.satisfaction == 4


class TestCampaignsAndDeadlines:
    def test_staff_open_a_campaign_others_may_not(self, client, world):
        url = reverse("services:campaign-create")
        for role in ("secretary", "contact"):
            assert page(client, world, role).get(url).status_code == 403
        page(client, world, "staff")
        response = client.post(
            url,
            {
                "title": "四季度征集",
                "theme": "x",
                "opens_on": "2026-10-01",
                "closes_on": "2026-09-01",
            },
        )
        assert response.status_code == 400 and "closes_on" in response.context["form"].errors
        response = client.post(
            url,
            {
                "title": "四季度征集",
                "opens_on": "2026-10-01",
                "closes_on": "2026-12-31",
                "region": world["region"].pk,
            },
        )
        assert response.status_code == 302
        campaign = world["region"].demand_campaigns.get()
        assert campaign.created_by == world["users"]["staff"]
        edit = reverse("services:campaign-update", args=[campaign.pk])
        client.post(
            edit, {"title": "四季度专项征集", "opens_on": "2026-10-01", "closes_on": "2026-12-31"}
        )
        campaign.refresh_from_db()
        assert campaign.title == "四季度专项征集" and campaign.region is None

    def test_the_campaign_page_shows_its_counts(self, client, world, time_machine):
        time_machine.move_to(datetime.datetime(2026, 8, 1, 10, 0), tick=False)
        campaign = DemandCampaignFactory(title="三季度征集")
        moved_to(world, S.CLOSED)
        moved_to(world, S.RESOLVED)
        raise_demand(world)
        raise_demand(world, by="staff", unit=world["far"], source="campaign")
        response = page(client, world, "staff").get(campaign.get_absolute_url())
        counts = response.context["counts"]
        assert counts["collected"] == 4 and counts["resolved"] == 2
        assert str(counts["resolution_rate"]) == "50.0"
        html = response.content.decode()
        assert 'data-testid="count-rate">50.0%<' in html
        listing = page(client, world, "secretary").get(reverse("services:campaign-list"))
        [row] = listing.context["campaigns"]
        assert (row.collected, row.resolved) == (3, 2)  # the secretary's scope: not 七宝

    def test_staff_set_the_deadlines_and_assignments_follow(self, client, world, time_machine):
        time_machine.move_to(datetime.datetime(2026, 10, 12, 9, 0, tzinfo=datetime.UTC), tick=False)
        url = reverse("services:demand-deadlines")
        assert page(client, world, "secretary").get(url).status_code == 403
        page(client, world, "staff")
        data = dict.fromkeys(
            DemandDeadline._meta.get_field("category").choices
            and dict(DemandDeadline._meta.get_field("category").choices),
            10,
        )
        data["financing"] = 3
        assert client.post(url, {**data, "tax": 0}).status_code == 400
        assert client.post(url, data).status_code == 302
        assert DemandDeadline.objects.get(category="financing").due_days == 3
        demand = moved_to(world, S.ASSIGNED)
        assert demand.due_on == TODAY + datetime.timedelta(days=3)


def test_nav_has_demands_for_the_three_roles(client, world):
    for role, shown in (("staff", True), ("secretary", True), ("contact", True)):
        html = page(client, world, role).get("/").content.decode()
        assert (f'href="{BOARD}"' in html) == shown


def test_staff_user_factory_is_a_handler_everywhere(world):
    demand = raise_demand(world)
    assert actions.is_handler(StaffFactory(username="another-staff"), demand)
    assert DemandEvent.objects.filter(demand=demand).count() == 1


def test_a_demands_steps_reach_the_raising_unit_by_sms_too(world, settings):
    settings.SMS_PROVIDER = "aliyun"
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "id"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "secret"
    settings.ALIYUN_SMS_SIGN_NAME = "联盟门户"
    settings.SMS_TEMPLATE_CODES = {"default": "SMS_1"}
    demand = raise_demand(world)
    actions.demand_accept(demand=demand, by=world["users"]["staff"])
    rows = NoticeDelivery.objects.filter(user=world["users"]["contact"], channel="sms")
    assert rows.exists() and {r.kind for r in rows} == {"demand_step"}
    assert all(r.status == "pending" and r.text.startswith("需求“") for r in rows)
    # The colleague without a mobile number: recorded, not sent.
    colleague = NoticeDelivery.objects.filter(user=world["users"]["colleague"], channel="sms")
    assert {r.last_error for r in colleague} == {"no address on this channel"}
