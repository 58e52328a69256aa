from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from devtools.demo.accounts import load_accounts
from devtools.demo.activities import load_activities
from devtools.demo.alliances import load_alliances, load_memberships
from devtools.demo.lists import load_lists
from devtools.demo.meetings import load_meetings
from devtools.demo.regions import load_regions
from devtools.demo.stations import load_stations
from devtools.demo.units import load_units
from portal.core.outbox import enqueue_after_commit
from reports.actions import quarter_scopes, quarterly_report_build
from reports.models import QuarterlyReport
from reports.periods import Quarter
from reports.tasks import build_quarterly_reports

REPORTS = ("queue", "build", "skip")


class Command(BaseCommand):
    help = "Load the demo network from the seed articles and one account per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reports",
            choices=REPORTS,
            default="queue",
            help=(
                "Last quarter's reports when there are none yet: queue them for the worker "
                "(default; `make run` starts one), build them now, or skip them."
            ),
        )

    @transaction.atomic
    def handle(self, *args, **options):
        # Each step needs the one before: units sit in regions, alliances have lead units and
        # regions, memberships join units to alliances, and the unit contact speaks for a unit.
        created, updated = load_regions()
        self.stdout.write(
            _("Regions: %(created)d created, %(updated)d corrected.")
            % {"created": created, "updated": updated}
        )
        created, updated = load_units()
        self.stdout.write(
            _("Member units: %(created)d created, %(updated)d corrected.")
            % {"created": created, "updated": updated}
        )
        created, updated = load_alliances()
        self.stdout.write(
            _("Alliances: %(created)d created, %(updated)d corrected.")
            % {"created": created, "updated": updated}
        )
        created, ended = load_memberships()
        self.stdout.write(
            _("Memberships: %(created)d created, %(ended)d of them already ended.")
            % {"created": created, "ended": ended}
        )
        created, updated = load_stations()
        self.stdout.write(
            _("Service stations: %(created)d created, %(updated)d corrected.")
            % {"created": created, "updated": updated}
        )
        accounts = load_accounts()
        self.stdout.write(
            _("Demo accounts: %(created)d created.")
            % {"created": sum(created for _account, created in accounts)}
        )
        # Activities last: they are held at the demo stations and recorded by the demo accounts.
        created, updated = load_activities()
        self.stdout.write(
            _("Activities: %(created)d created, %(updated)d corrected.")
            % {"created": created, "updated": updated}
        )
        offers, demands, projects = load_lists()
        self.stdout.write(
            _(
                "Resource offers, demands and joint projects: %(offers)d, %(demands)d and "
                "%(projects)d created."
            )
            % {"offers": offers, "demands": demands, "projects": projects}
        )
        held, scheduled = load_meetings()
        self.stdout.write(
            _("Meetings: %(held)d held and %(scheduled)d scheduled or cancelled created.")
            % {"held": held, "scheduled": scheduled}
        )
        self._reports(options["reports"])
        self.stdout.write(_("Demo accounts (user name / password / role):"))
        for account, _created in accounts:
            self.stdout.write(f"  {account.username:<10} {account.password:<20} {account.role}")

    def _reports(self, how: str) -> None:
        quarter = Quarter.last_completed()
        if (
            how == "skip"
            or QuarterlyReport.objects.filter(year=quarter.year, quarter=quarter.quarter).exists()
        ):
            return
        if how == "build":
            for alliance in quarter_scopes():
                quarterly_report_build(quarter=quarter, alliance=alliance)
            self.stdout.write(_("Reports of %(quarter)s: built.") % {"quarter": quarter.label})
        else:
            enqueue_after_commit(build_quarterly_reports, str(quarter))
            self.stdout.write(
                _("Reports of %(quarter)s: queued for the worker.") % {"quarter": quarter.label}
            )
