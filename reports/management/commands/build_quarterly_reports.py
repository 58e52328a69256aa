from django.core.management.base import BaseCommand, CommandError

from alliances.models import Alliance
from reports.actions import quarter_scopes, quarterly_report_build, report_deliveries_send
from reports.periods import Quarter


class Command(BaseCommand):
    help = (
        "Build the quarterly reports of a quarter (default: the one just ended) for the district "
        "and every active alliance, as the beat task does, and mail them to their subscribers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "quarter", nargs="?", help="e.g. 2026Q3; default: the quarter just ended"
        )
        parser.add_argument(
            "--alliance", type=int, action="append", help="only this alliance (id); repeatable"
        )
        parser.add_argument("--district", action="store_true", help="only the district report")
        parser.add_argument("--no-mail", action="store_true", help="build without mailing")

    def handle(self, *args, quarter=None, alliance=None, district=False, no_mail=False, **options):
        try:
            period = Quarter.parse(quarter) if quarter else Quarter.last_completed()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if alliance:
            scopes = list(Alliance.objects.filter(pk__in=alliance).order_by("name"))
            if len(scopes) != len(set(alliance)):
                raise CommandError(f"No alliance with id in {sorted(set(alliance))}")
        elif district:
            scopes = [None]
        else:
            scopes = quarter_scopes()
        for scope in scopes:
            report = quarterly_report_build(quarter=period, alliance=scope)
            again = f" (built again, {report.build_count} times)" if report.build_count > 1 else ""
            line = f"{period} {report.file_stem}: {report.build_seconds:.2f} s{again}"
            if not no_mail:
                sent = report_deliveries_send(report=report)
                line += f", mailed {sent.sent}, failed {sent.failed}"
            self.stdout.write(line)
