from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.regions.actions import DIVISIONS_EDITION, regions_load


class Command(BaseCommand):
    help = (
        "Load the official divisions of a province or city (310000, 440100 …) down to its streets "
        "and towns, from the National Bureau of Statistics' codes shipped with the portal. "
        "Idempotent: run it again after an upgrade to pick up renamed streets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "code", help="A province or city code: 310000 (上海市), 440100 (广州市)."
        )

    def handle(self, *args, code, **options):
        try:
            result = regions_load(code=code)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _(
                "Regions of %(code)s (statistical division codes, %(edition)s edition): "
                "%(created)d created, %(renamed)d renamed, %(unchanged)d already there."
            )
            % {
                "code": code,
                "edition": DIVISIONS_EDITION,
                "created": len(result.created),
                "renamed": len(result.renamed),
                "unchanged": result.unchanged,
            }
        )
        for region in result.renamed:
            self.stdout.write(
                _("Renamed: %(code)s %(name)s") % {"code": region.code, "name": region.name}
            )
