"""A small network with a known third quarter of 2026, and readers for a report's files."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl

from alliances.models import Alliance
from members.models import MemberUnit
from services.models import Demand, JointProject
from tests.factories import (
    ActivityFactory,
    AllianceFactory,
    DemandFactory,
    JointProjectFactory,
    MembershipFactory,
    MemberUnitFactory,
    ServiceStationFactory,
)

from .conftest import Streets, at


@dataclass
class Network:
    streets: Streets
    alliance: Alliance
    member: MemberUnit


def small_network(streets: Streets) -> Network:
    """One alliance, three units, five activities, five demands, two projects.

    Q3 2026: 3 activities (30 + 20 + 50 = 100 participants), 4 demands collected of which 3
    resolved (75.0 %), 125,000.50 yuan of new contracts. Q2: 1 activity, 2 demands, 1 resolved.
    """
    alliance = AllianceFactory(name="生物医药产业党建联盟", founded_on=datetime.date(2024, 3, 1))
    member = MemberUnitFactory(name="张江药谷公司", region=streets.s1, key_target=True)
    MemberUnitFactory(name="陆家嘴金融公司", region=streets.s2, org_covered=False)
    MemberUnitFactory(name="泉东物业", region=streets.g1, party_org_type="none", org_covered=False)
    MembershipFactory(
        alliance=alliance, unit=member, role="lead", joined_on=datetime.date(2024, 3, 1)
    )
    day = datetime.date
    station = ServiceStationFactory(region=streets.s1, operator=member)
    for held_on, region, participants, kind in (
        (day(2026, 7, 8), streets.s1, 30, "party_lecture"),
        (day(2026, 8, 18), streets.g1, 20, "volunteer_service"),
        (day(2026, 9, 28), streets.s2, 50, "party_lecture"),
        (day(2026, 5, 5), streets.s1, 12, "salon"),
        (day(2026, 10, 2), streets.s1, 99, "salon"),
    ):
        ActivityFactory(
            held_on=held_on,
            region=region,
            participant_count=participants,
            party_member_count=participants // 5,
            activity_type=kind,
            alliance=alliance,
            station=station if region == streets.s1 else None,
        )
    for created, region, status, resolved in (
        (at(2026, 7, 2), streets.s1, "resolved", at(2026, 7, 12)),
        (at(2026, 8, 2), streets.s1, "closed", at(2026, 8, 4)),
        (at(2026, 8, 20), streets.s2, "resolved", at(2026, 9, 1)),
        (at(2026, 9, 10), streets.s2, "in_progress", None),
        (at(2026, 4, 10), streets.s1, "resolved", at(2026, 4, 20)),
        (at(2026, 6, 10), streets.s2, "submitted", None),
    ):
        demand = DemandFactory(
            unit=member, region=region, status=status, resolved_at=resolved, satisfaction=None
        )
        Demand.objects.filter(pk=demand.pk).update(created_at=created)
    for created, amount in ((at(2026, 7, 20), "100000.00"), (at(2026, 9, 2), "25000.50")):
        project = JointProjectFactory(
            alliance=alliance, lead_unit=member, contract_amount=Decimal(amount)
        )
        JointProject.objects.filter(pk=project.pk).update(created_at=created)
    return Network(streets=streets, alliance=alliance, member=member)


def read_xlsx(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content), data_only=True)


def sheet_rows(sheet) -> list[tuple]:
    """The sheet's rows without their trailing empty cells."""
    rows = []
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        rows.append(tuple(values))
    return rows


def figure_row(sheet, label: str) -> tuple:
    """The row of the figures table whose first cell is `label`."""
    for row in sheet_rows(sheet):
        if row and row[0] == label:
            return row
    raise AssertionError(f"{label!r} not in sheet {sheet.title!r}")
