"""The demo's three lists: every demand state is there with a story that holds, and loading again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from devtools.demo.lists import DEMANDS, OFFERS, PROJECTS
from services.choices import DemandStatus, ProjectStatus
from services.models import Claim, Demand, DemandEvent, JointProject, ResourceOffer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


def test_every_demand_state_is_shown_and_each_has_the_history_that_leads_to_it(demo):
    assert set(Demand.objects.values_list("status", flat=True)) == set(DemandStatus.values)
    events = dict(Demand.objects.annotate(n=Count("events")).values_list("title", "n"))
    closed = Demand.objects.get(status=DemandStatus.CLOSED, satisfaction=5)
    assert events[closed.title] == 6  # raised, accepted, assigned, started, resolved, rated
    assert list(closed.events.values_list("to_status", flat=True)) == [
        "submitted",
        "accepted",
        "assigned",
        "in_progress",
        "resolved",
        "closed",
    ]
    assert closed.created_at < closed.accepted_at < closed.assigned_at < closed.resolved_at
    merged = Demand.objects.get(status=DemandStatus.MERGED)
    assert merged.merged_into.title == "研发用房扩租需求"
    assert Demand.objects.filter(is_overdue=True, status=DemandStatus.IN_PROGRESS).exists()
    assert Demand.objects.filter(campaign__isnull=False).count() == 4


def test_a_demand_became_a_project_and_projects_cover_the_board(demo):
    project = JointProject.objects.get(title="生物医药人才驿站共建")
    assert project.from_demand.title == "生物医药人才公寓申请"
    assert project.participants.filter(role="lead", unit=project.lead_unit).exists()
    assert {ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED} <= set(
        JointProject.objects.values_list("status", flat=True)
    )
    assert Claim.objects.filter(status="pending").count() == 2


def test_loading_again_adds_nothing(demo):
    counts = (
        ResourceOffer.objects.count(),
        Demand.objects.count(),
        DemandEvent.objects.count(),
        JointProject.objects.count(),
        Claim.objects.count(),
    )
    assert counts[:2] == (len(OFFERS), len(DEMANDS)) and counts[3] == len(PROJECTS)
    call_command("load_demo", stdout=StringIO())
    assert counts == (
        ResourceOffer.objects.count(),
        Demand.objects.count(),
        DemandEvent.objects.count(),
        JointProject.objects.count(),
        Claim.objects.count(),
    )
