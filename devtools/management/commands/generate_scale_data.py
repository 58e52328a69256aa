import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from devtools.scale import PRESETS, Generator


class Command(BaseCommand):
    help = _(
        "Fill the database with a generated network at the size of a district (DESIGN.md §7); "
        "deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="small")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, preset: str, seed: int, **options):
        from members.models import MemberUnit

        if MemberUnit.objects.filter(contact_email__endswith="@scale.example.org").exists():
            raise CommandError(
                _("This database already holds generated data; start from an empty database.")
            )
        started = time.monotonic()
        Generator(PRESETS[preset], seed=seed, log=self.stdout.write).run()
        self.stdout.write(
            _("Generated the %(preset)s preset in %(seconds).0f s.")
            % {"preset": preset, "seconds": time.monotonic() - started}
        )
