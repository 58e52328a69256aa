from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal.accounts.demo import load_accounts
from portal.regions.demo import load_regions


class Command(BaseCommand):
    help = "Load the demo network from the seed articles and one account per role (idempotent)."

    def handle(self, *args, **options):
        created, updated = load_regions()
        self.stdout.write(
            _("Regions: %(created)d created, %(updated)d corrected.")
            % {"created": created, "updated": updated}
        )
        self.stdout.write(_("Demo accounts (user name / password / role):"))
        for account, _created in load_accounts():
            self.stdout.write(f"  {account.username:<10} {account.password:<20} {account.role}")
