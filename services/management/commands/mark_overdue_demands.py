import datetime

from django.core.management.base import BaseCommand, CommandError

from services.actions.demands import demands_mark_overdue


class Command(BaseCommand):
    help = (
        "Flag open demands past their due date and remind their assignees (the daily beat task); "
        "safe to run again: nobody is reminded of a demand twice on one day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Run as of this day (YYYY-MM-DD) instead of today, e.g. to catch up."
        )

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {exc}") from exc
        result = demands_mark_overdue(today=today)
        self.stdout.write(" ".join(f"{name}={count}" for name, count in result.as_dict().items()))
