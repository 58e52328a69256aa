"""`portal.core.decisions.decide()` on a real reviewed record (a join request): it decides a waiting
record once, and refuses what has been decided meanwhile, even when the caller's copy is stale."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from alliances.choices import JoinRequestStatus
from alliances.models import JoinRequest
from portal.core.decisions import decide, lock_undecided
from tests.factories import JoinRequestFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWERED = "This request has already been answered or withdrawn."


def _refusal(exc: pytest.ExceptionInfo) -> list[str]:
    return exc.value.message_dict["status"]


def test_decide_records_status_who_when_and_the_fields_in_the_database():
    request, staff = JoinRequestFactory(), StaffFactory()

    decided = decide(
        request, by=staff, status=JoinRequestStatus.DECLINED, decline_reason="名额已满"
    )

    row = JoinRequest.objects.get(pk=request.pk)
    assert (row.status, row.decided_by, row.decline_reason) == ("declined", staff, "名额已满")
    assert row.decided_at is not None and decided.decided_at == row.decided_at
    assert row.history.first().history_user == staff


def test_a_second_decision_is_refused_with_the_records_message_in_english_and_chinese():
    request, staff = JoinRequestFactory(), StaffFactory()
    decided = decide(request, by=staff, status=JoinRequestStatus.ACCEPTED)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decide(decided, by=UserFactory(), status=JoinRequestStatus.DECLINED)
    assert _refusal(refused) == [ANSWERED]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        decide(request, by=UserFactory(), status=JoinRequestStatus.WITHDRAWN)
    assert _refusal(refused) == ["该申请已被处理或已撤回。"]

    row = JoinRequest.objects.get(pk=request.pk)
    assert (row.status, row.decided_by) == ("accepted", staff)


def test_a_stale_copy_is_refused_because_the_row_is_read_again():
    request, first = JoinRequestFactory(), StaffFactory()
    held = JoinRequest.objects.get(pk=request.pk)  # someone's page loaded it while it was pending
    decide(request, by=first, status=JoinRequestStatus.ACCEPTED)  # someone else answered meanwhile
    assert held.status == "pending"  # the copy still says it waits

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        decide(held, by=StaffFactory(), status=JoinRequestStatus.DECLINED, decline_reason="晚了")
    assert _refusal(refused) == [ANSWERED]
    with translation.override("en"), pytest.raises(ValidationError):
        lock_undecided(held)

    row = JoinRequest.objects.get(pk=request.pk)
    assert (row.status, row.decided_by, row.decline_reason) == ("accepted", first, "")


def test_the_row_comes_from_the_queryset_given_and_is_read_for_update():
    request, staff = JoinRequestFactory(), StaffFactory()

    with CaptureQueriesContext(connection) as queries:
        decided = decide(
            request,
            by=staff,
            status=JoinRequestStatus.WITHDRAWN,
            queryset=JoinRequest.objects.select_related("alliance", "unit"),
        )
    read = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and 'FROM "alliances_joinrequest"' in q["sql"]
    ]
    assert len(read) == 1 and "alliances_alliance" in read[0] and "members_memberunit" in read[0]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in read[0]
    with CaptureQueriesContext(connection) as later:
        assert decided.alliance.pk == request.alliance_id and decided.unit.pk == request.unit_id
    assert len(later) == 0
