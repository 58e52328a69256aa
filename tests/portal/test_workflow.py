"""`portal.core.workflow.transition()` on a real record (a demand, with a small table of its own): it
takes a step only from the step's states and for those the app lets through, reads the row again
under a lock, saves with the history's user and leaves the event to the app."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.core.workflow import Transition, Workflow, step, transition
from services.models import Demand, DemandEvent
from tests.factories import DemandFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ONLY_SUBMITTED = "Only a submitted demand can be accepted."
STAFF = "staff"

TABLE = Workflow(
    {
        "accept": step({"submitted"}, "accepted", {STAFF}, "accepted", ONLY_SUBMITTED),
        "comment": step({"submitted", "accepted"}, None, {STAFF}, "comment", "No comments."),
        "reject": step({"submitted", "accepted"}, "rejected", {STAFF}, "rejected", "Too late."),
    }
)


def staff_only(demand: Demand, by, name: str) -> None:
    if not by.is_district_staff:
        raise PermissionDenied("Only district staff.")


def events_by(by):
    """The app's event hook: a DemandEvent by `by`, with what `apply` returned as its comment."""

    def write(demand: Demand, rule: Transition, source: str, applied) -> DemandEvent:
        return DemandEvent.objects.create(
            demand=demand,
            kind=rule.event,
            from_status=source,
            to_status=demand.status,
            actor=by,
            comment=applied or "",
        )

    return write


def accept(demand, by, **kwargs):
    kwargs.setdefault("check_role", staff_only)
    kwargs.setdefault("event", events_by(by))
    return transition(demand, kwargs.pop("workflow", TABLE), "accept", by=by, **kwargs)


def row(demand: Demand) -> Demand:
    return Demand.objects.get(pk=demand.pk)


def test_a_step_sets_the_target_saves_with_the_history_user_and_records_the_event():
    demand, staff = DemandFactory(), StaffFactory()

    def apply(locked, rule):
        locked.accepted_at = timezone.now()
        return "收到"

    moved = accept(demand, staff, apply=apply)

    saved = row(demand)
    assert (saved.status, moved.source, moved.record.status) == (
        "accepted",
        "submitted",
        "accepted",
    )
    assert saved.accepted_at is not None
    assert saved.history.first().history_user == staff
    event = saved.events.get()
    assert moved.event == event
    assert (event.kind, event.from_status, event.to_status, event.actor, event.comment) == (
        "accepted",
        "submitted",
        "accepted",
        staff,
        "收到",
    )


def test_a_step_from_another_state_is_refused_on_the_field_with_the_tables_text():
    demand = DemandFactory(status="rejected")
    before = (row(demand).updated_at, demand.history.count())
    applied = []

    with pytest.raises(ValidationError) as refused:
        accept(demand, StaffFactory(), apply=lambda locked, rule: applied.append(rule))

    assert refused.value.message_dict == {"status": [ONLY_SUBMITTED]}
    assert applied == [] and not demand.events.exists()
    assert (row(demand).status, row(demand).updated_at, demand.history.count()) == (
        "rejected",
        *before,
    )


def test_the_workflow_may_word_the_refusal_from_the_record():
    table = Workflow(
        TABLE, refusal=lambda rule, demand: f"{rule.refused} ({demand.status})", field="status"
    )
    with pytest.raises(ValidationError) as refused:
        accept(DemandFactory(status="closed"), StaffFactory(), workflow=table)
    assert refused.value.message_dict == {"status": [f"{ONLY_SUBMITTED} (closed)"]}


def test_someone_the_app_does_not_let_through_is_refused_and_nothing_is_saved():
    demand = DemandFactory()

    with pytest.raises(PermissionDenied):
        accept(demand, UserFactory())

    assert row(demand).status == "submitted" and not demand.events.exists()


def test_the_state_is_checked_before_the_role_unless_the_workflow_puts_roles_first():
    demand, outsider = DemandFactory(status="closed"), UserFactory()
    with pytest.raises(ValidationError):
        accept(demand, outsider)
    with pytest.raises(PermissionDenied):
        accept(demand, outsider, workflow=Workflow(TABLE, roles_first=True))


def test_an_apply_hook_that_refuses_leaves_the_row_as_it_was():
    demand = DemandFactory()

    def refuse(locked, rule):
        raise ValidationError({"comment": "Say why."})

    with pytest.raises(ValidationError) as refused:
        accept(demand, StaffFactory(), apply=refuse)

    assert refused.value.message_dict == {"comment": ["Say why."]}
    assert row(demand).status == "submitted" and not demand.events.exists()


def test_a_stale_copy_is_refused_because_the_row_is_read_again():
    demand, first = DemandFactory(), StaffFactory()
    held = Demand.objects.get(pk=demand.pk)  # someone's page loaded it while it was submitted
    accept(demand, first)  # someone else accepted it meanwhile
    assert held.status == "submitted"

    with pytest.raises(ValidationError) as refused:
        accept(held, StaffFactory())

    assert refused.value.message_dict == {"status": [ONLY_SUBMITTED]}
    assert demand.events.count() == 1


def test_the_row_is_read_for_update_from_the_queryset_given():
    demand, staff = DemandFactory(), StaffFactory()

    with CaptureQueriesContext(connection) as queries:
        moved = accept(
            demand, staff, queryset=Demand.objects.select_related("region"), of=("self",)
        )
    read = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and 'FROM "services_demand"' in q["sql"]
    ]
    assert len(read) == 1 and "regions_region" in read[0]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in read[0]
    with CaptureQueriesContext(connection) as later:
        assert moved.record.region.pk == demand.region_id
    assert len(later) == 0


def test_a_row_the_caller_has_locked_is_not_read_again():
    demand, staff = DemandFactory(), StaffFactory()
    locked = Demand.objects.select_for_update().get(pk=demand.pk)

    with CaptureQueriesContext(connection) as queries:
        moved = accept(locked, staff, locked=True)

    assert moved.record is locked and row(demand).status == "accepted"
    assert not [q for q in queries if q["sql"].startswith("SELECT")]


def test_fields_name_the_columns_saved_beside_the_state():
    demand, staff = DemandFactory(title="原标题"), StaffFactory()

    def apply(locked, rule):
        locked.accepted_at = timezone.now()
        locked.title = "不会保存"

    accept(demand, staff, apply=apply, fields=["accepted_at"])

    saved = row(demand)
    assert (saved.status, saved.title) == ("accepted", "原标题")
    assert saved.accepted_at is not None and saved.updated_at > demand.updated_at


def test_a_step_without_a_target_keeps_the_state_and_saves_nothing_but_its_event():
    demand, staff = DemandFactory(), StaffFactory()
    before = (row(demand).updated_at, demand.history.count())

    moved = transition(
        demand,
        TABLE,
        "comment",
        by=staff,
        check_role=staff_only,
        apply=lambda locked, rule: "请补充材料",
        event=events_by(staff),
    )

    assert (row(demand).updated_at, demand.history.count()) == before
    assert (moved.event.from_status, moved.event.to_status, moved.event.comment) == (
        "submitted",
        "submitted",
        "请补充材料",
    )


def test_an_unknown_step_is_a_programming_error_unless_the_workflow_words_it():
    demand = DemandFactory()
    with pytest.raises(ValueError):
        transition(demand, TABLE, "fly", by=StaffFactory())
    table = Workflow(TABLE, unknown="Choose a step.")
    with pytest.raises(ValidationError) as refused:
        transition(demand, table, "fly", by=StaffFactory())
    assert refused.value.message_dict == {"status": ["Choose a step."]}


def test_the_table_says_what_each_state_allows_and_where_it_leads():
    assert list(TABLE) == ["accept", "comment", "reject"]
    assert TABLE.allowed("accepted") == ["comment", "reject"]
    assert TABLE.targets("submitted") == ("accepted", "rejected")
    assert TABLE.targets("closed") == () and TABLE.allowed("closed") == []
