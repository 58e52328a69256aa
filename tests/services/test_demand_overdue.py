"""The daily overdue job: flags, one "overdue" event, and reminders at most once per demand and day."""

import datetime
import io

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from portal.notifications.models import Notification
from services.actions.demands import demands_mark_overdue
from services.models import Demand, DemandEvent, DemandOverdueNotice
from services.tasks import mark_overdue_demands
from tests.factories import DemandFactory, StaffFactory, SubdistrictFactory
from tests.services.test_demands import world

pytestmark = pytest.mark.django_db

__all__ = ["world"]

MONDAY = datetime.datetime(2026, 10, 12, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Shanghai
TODAY = datetime.date(2026, 10, 12)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def demand(world, **fields):
    values = {"unit": world["mine"], "region": world["grid"], "status": "assigned"}
    values.update(fields)
    return DemandFactory(**values)


@pytest.fixture
def overdue(world):
    """Three demands past due (to the handling unit, to its contact by name, and unassigned in the
    street), and four that are not: due today, closed, not yet due but flagged, and never given a date."""
    handler = world["users"]["handler"]
    return {
        "unit": demand(world, title="单位承办", assignee_unit=world["handling"], due_on=YESTERDAY),
        "person": demand(
            world,
            title="个人承办",
            assignee=handler,
            assignee_unit=world["handling"],
            due_on=TODAY - datetime.timedelta(days=5),
        ),
        "nobody": demand(world, title="无人承办", status="accepted", due_on=YESTERDAY),
        "today": demand(world, title="今天到期", assignee_unit=world["handling"], due_on=TODAY),
        "closed": demand(world, title="已办结", status="closed", due_on=YESTERDAY),
        "flagged": demand(
            world, title="已延期", due_on=TODAY + datetime.timedelta(days=3), is_overdue=True
        ),
        "undated": demand(world, title="未定期限", status="submitted"),
    }


def flags() -> set[str]:
    return set(Demand.objects.filter(is_overdue=True).values_list("title", flat=True))


def test_the_sweep_flags_open_demands_past_due_with_one_event(overdue, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    result = demands_mark_overdue()
    assert (result.marked, result.cleared, result.reminded) == (3, 1, 3)
    assert flags() == {"单位承办", "个人承办", "无人承办"}
    events = DemandEvent.objects.filter(kind="overdue")
    assert sorted(events.values_list("demand__title", flat=True)) == [
        "个人承办",
        "单位承办",
        "无人承办",
    ]
    assert {e.actor_id for e in events} == {None}
    again = demands_mark_overdue()
    assert (again.marked, again.cleared, again.reminded, again.mails) == (0, 0, 0, 0)
    assert DemandEvent.objects.filter(kind="overdue").count() == 3


def test_reminders_go_to_the_assignee_else_the_unit_else_the_street(world, overdue, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    demands_mark_overdue()
    notices = dict(Notification.objects.values_list("user__username", "url"))
    # The handling unit's contact has two (by unit and by name): one digest.
    assert set(notices) == {"d-handler", "secretary-user"}
    assert notices["d-handler"] == "/services/demands/?overdue=true"
    assert notices["secretary-user"] == overdue["nobody"].get_absolute_url()
    assert DemandOverdueNotice.objects.filter(sent_on=TODAY).count() == 3


def test_without_a_secretary_the_district_staff_are_reminded(world, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    lonely = SubdistrictFactory(code="310112999", name="无书记街道", parent=world["region"].parent)
    demand(world, region=lonely, status="accepted", due_on=YESTERDAY)
    other_staff = StaffFactory(username="second-staff")
    demands_mark_overdue()
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "staff-user",
        other_staff.username,
    }


@pytest.mark.django_db(transaction=True)
def test_real_mail_once_a_day_and_again_the_next_day(world, overdue, smtp_server, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    assert demands_mark_overdue().mails == 2
    first = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in first) == ["d-handler@example.org", "secretary-user@example.org"]
    digest = next(m for m in first if m["To"] == "d-handler@example.org").get_content()
    assert "单位承办" in digest and "个人承办" in digest
    assert f"/services/demands/{overdue['person'].pk}/" in digest

    assert demands_mark_overdue().mails == 0
    assert len(smtp_server.wait_for(3, timeout=0.5)) == 2

    time_machine.move_to(MONDAY + datetime.timedelta(days=1), tick=False)
    result = demands_mark_overdue()
    assert (result.marked, result.reminded, result.mails) == (1, 4, 2)  # 今天到期 is overdue now
    assert len(smtp_server.wait_for(4)) == 4
    assert DemandEvent.objects.filter(kind="overdue").count() == 4


def test_a_lost_race_for_the_days_notices_sends_nothing_twice(overdue, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    # Another sweep already claimed one demand's notice today: this one claims only the rest.
    DemandOverdueNotice.objects.create(demand=overdue["unit"], sent_on=TODAY)
    result = demands_mark_overdue()
    assert result.reminded == 2
    assert DemandOverdueNotice.objects.filter(sent_on=TODAY).count() == 3


def test_the_sweep_works_in_bulk(
    world, time_machine, django_assert_num_queries, django_capture_on_commit_callbacks
):
    time_machine.move_to(MONDAY, tick=False)
    for i in range(3):
        demand(world, title=f"少{i}", assignee_unit=world["handling"], due_on=YESTERDAY)
    demand(world, title="街道", status="accepted", due_on=YESTERDAY)
    # Flag (select, update, events, clear), notices already sent, overdue rows, claims,
    # the units' contacts, the secretaries, notifications, the outbox's one INSERT; and the
    # savepoints around them. (The outbox's sending runs after the commit, outside the count.)
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(15) as few:
        demands_mark_overdue()
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    time_machine.move_to(MONDAY + datetime.timedelta(days=1), tick=False)
    for i in range(40):
        demand(world, title=f"多{i}", assignee_unit=world["handling"], due_on=YESTERDAY)
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(len(few.captured_queries)),
    ):
        demands_mark_overdue()
    assert len(mail.outbox) == 2


def test_the_command_and_the_task_run_the_sweep(overdue, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    out = io.StringIO()
    call_command("mark_overdue_demands", "--date", "2026-10-12", stdout=out)
    assert out.getvalue().strip() == "marked=3 cleared=1 reminded=3 mails=2"
    assert mark_overdue_demands() == {"marked": 0, "cleared": 0, "reminded": 0, "mails": 0}
    with pytest.raises(Exception, match="--date"):
        call_command("mark_overdue_demands", "--date", "yesterday")


def test_the_beat_runs_it_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["mark-overdue-demands"]
    assert entry["task"] == "services.tasks.mark_overdue_demands"
    assert entry["schedule"] == crontab(hour=8, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


@pytest.mark.django_db(transaction=True)
def test_the_reminders_wait_in_the_outbox_while_the_mail_server_is_down(
    world, overdue, smtp_server, settings, time_machine
):
    from portal.core.outbox import mail_send
    from portal.notifications.models import OutgoingMail
    from tests.helpers import free_port
    from tests.notifications.test_mail_outbox import use_smtp

    time_machine.move_to(MONDAY, tick=False)
    use_smtp(settings, free_port())
    result = demands_mark_overdue()
    assert (result.reminded, result.mails) == (3, 2)
    # The first send found the server away; the run left the other mail for the next one.
    kept = OutgoingMail.objects.filter(status="pending")
    assert sorted(m.attempts for m in kept) == [0, 1]
    assert sorted(m.recipients[0] for m in kept) == [
        "d-handler@example.org",
        "secretary-user@example.org",
    ]
    use_smtp(settings, smtp_server.port)
    time_machine.move_to(MONDAY + datetime.timedelta(minutes=2), tick=False)
    assert mail_send().sent == 2
    assert sorted(m["To"] for m in smtp_server.wait_for(2)) == [
        "d-handler@example.org",
        "secretary-user@example.org",
    ]
    assert mail_send().sent == 0
