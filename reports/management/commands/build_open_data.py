from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports.opendata import open_data_build


class Command(BaseCommand):
    help = "Write the public datasets (open data: stations, alliances, figures per street and quarter) as CSV and JSON now."

    def handle(self, *args, **options):
        for entry in open_data_build():
            self.stdout.write(
                _("%(title)s: %(rows)d rows (CSV %(csv)d bytes, JSON %(json)d bytes)")
                % {"title": entry["title"], "rows": entry["rows"], **entry["sizes"]}
            )
