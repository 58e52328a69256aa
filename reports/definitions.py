"""What each indicator is called and how it is shown: one table for the page, the XLSX and the PDF.

The definitions in words are in docs/reports.md; the queries in `indicators.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from alliances.choices import MeetingCadence, MembershipRole
from members.choices import UnitType
from services.choices import ActivityType, DemandCategory, StationKind

# How a figure is written: a whole number, a percentage (one decimal), yuan (a string with two
# decimals in the JSON), days (one decimal), a rating from 1 to 5 (one decimal).
COUNT = "count"
PERCENT = "percent"
AMOUNT = "amount"
DAYS = "days"
SCORE = "score"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str = COUNT


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    key_label: str
    columns: tuple[Column, ...]
    # The choices whose labels name the rows; None for rows by street (named by the region).
    choices: type[models.TextChoices] | None = None
    chart: str = "bar"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...]
    breakdowns: tuple[Breakdown, ...] = field(default_factory=tuple)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


STREET = _("Street or town")

SECTIONS: tuple[Section, ...] = (
    Section(
        "network",
        _("Network"),
        (
            Figure("alliances_active", _("Active alliances")),
            Figure("member_units", _("Member units")),
            Figure("memberships", _("Memberships")),
            Figure("units_joined", _("Joined")),
            Figure("units_left", _("Left")),
        ),
        (
            Breakdown(
                "by_role",
                _("Memberships by role"),
                _("Role"),
                (Column("count", _("Memberships")),),
                choices=MembershipRole,
                chart="pie",
            ),
            Breakdown(
                "by_unit_type",
                _("Member units by type"),
                _("Unit type"),
                (Column("count", _("Member units")),),
                choices=UnitType,
                chart="pie",
            ),
        ),
    ),
    Section(
        "coverage",
        _("Coverage"),
        (
            Figure("units", _("Units")),
            Figure("party_orgs", _("Units with a party organization")),
            Figure("org_covered", _("Organization-covered units")),
            Figure("org_coverage", _("Organization coverage"), PERCENT),
            Figure("work_covered", _("Work-covered units")),
            Figure("work_coverage", _("Work coverage"), PERCENT),
            Figure("key_targets", _("Key-target units")),
            Figure("key_targets_covered", _("Key-target units covered")),
            Figure("key_target_coverage", _("Key-target coverage"), PERCENT),
            Figure("party_members", _("Party members")),
        ),
    ),
    Section(
        "activities",
        _("Activities"),
        (
            Figure("count", _("Activities held")),
            Figure("participants", _("Participants (人次)")),
            Figure("party_members", _("Party members among the participants")),
        ),
        (
            Breakdown(
                "by_type",
                _("Activities by type"),
                _("Type"),
                (
                    Column("count", _("Activities")),
                    Column("participants", _("Participants")),
                    Column("party_members", _("Party members")),
                ),
                choices=ActivityType,
            ),
            Breakdown(
                "by_street",
                _("Activities by street"),
                STREET,
                (
                    Column("count", _("Activities")),
                    Column("participants", _("Participants")),
                    Column("party_members", _("Party members")),
                ),
            ),
        ),
    ),
    Section(
        "meetings",
        _("Meetings"),
        (
            Figure("planned", _("Meetings planned by cadence")),
            Figure("held", _("Meetings held")),
            Figure("held_rate", _("Held against plan"), PERCENT),
            Figure("invited", _("Invitations")),
            Figure("attended", _("Invitations attended")),
            Figure("attendance_rate", _("Attendance rate"), PERCENT),
            Figure("minutes_filed", _("Minutes filed")),
            Figure("minutes_on_time", _("Minutes filed within 2 days")),
            Figure("minutes_on_time_rate", _("Minutes on time"), PERCENT),
        ),
        (
            Breakdown(
                "by_cadence",
                _("Meetings by cadence"),
                _("Cadence"),
                (
                    Column("alliances", _("Active alliances")),
                    Column("planned", _("Planned")),
                    Column("held", _("Held")),
                ),
                choices=MeetingCadence,
            ),
        ),
    ),
    Section(
        "demands",
        _("Demands"),
        (
            Figure("collected", _("Demands collected")),
            Figure("resolved", _("Demands resolved")),
            Figure("resolution_rate", _("Resolution rate"), PERCENT),
            Figure("median_days", _("Median days to resolve"), DAYS),
            Figure("overdue", _("Overdue")),
            Figure("average_satisfaction", _("Average satisfaction"), SCORE),
        ),
        (
            Breakdown(
                "by_category",
                _("Demands by category"),
                _("Category"),
                (
                    Column("collected", _("Collected")),
                    Column("resolved", _("Resolved")),
                    Column("resolution_rate", _("Resolution rate"), PERCENT),
                    Column("overdue", _("Overdue")),
                ),
                choices=DemandCategory,
            ),
            Breakdown(
                "by_street",
                _("Demands by street"),
                STREET,
                (
                    Column("collected", _("Collected")),
                    Column("resolved", _("Resolved")),
                    Column("resolution_rate", _("Resolution rate"), PERCENT),
                    Column("overdue", _("Overdue")),
                ),
            ),
        ),
    ),
    Section(
        "projects",
        _("Joint projects"),
        (
            Figure("new", _("New projects")),
            Figure("completed", _("Completed projects")),
            Figure(
                "contract_amount", _("Contract amount of new projects (合作金额, yuan)"), AMOUNT
            ),
            Figure("claims_made", _("Claims made")),
            Figure("claims_accepted", _("Claims accepted")),
        ),
    ),
    Section(
        "stations",
        _("Service stations"),
        (
            Figure("stations", _("Open stations")),
            Figure("activities_hosted", _("Activities hosted at stations")),
        ),
        (
            Breakdown(
                "by_kind",
                _("Stations by kind"),
                _("Kind"),
                (Column("count", _("Stations")),),
                choices=StationKind,
                chart="pie",
            ),
        ),
    ),
)

SECTION_BY_KEY = {section.key: section for section in SECTIONS}

# The figures at the top of a report and of the dashboard: (section, figure).
HEADLINE = (
    ("network", "member_units"),
    ("coverage", "org_coverage"),
    ("activities", "count"),
    ("activities", "participants"),
    ("meetings", "held"),
    ("demands", "collected"),
    ("demands", "resolution_rate"),
    ("projects", "contract_amount"),
)


def figure_definition(section: str, key: str) -> Figure:
    return SECTION_BY_KEY[section].figure(key)
