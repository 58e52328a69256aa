"""The first install without the demo: the divisions of the district's city or province, the first
district staff account, and what to do next."""

import getpass
import os
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.choices import Role
from portal.regions.actions import regions_load


class Command(BaseCommand):
    help = (
        "First install: load the divisions of a province or city (--regions 310000), create the "
        "first district staff account (--username, --email; the password from SETUP_PASSWORD or "
        "asked twice), and print what to do next. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regions", help="A province or city code, e.g. 310000 (上海市).")
        parser.add_argument("--username", help="The first district staff account.")
        parser.add_argument(
            "--email", default="", help="Its e-mail (password reset links go there)."
        )

    def handle(self, *args, regions=None, username=None, email="", **options):
        if regions:
            try:
                result = regions_load(code=regions)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stdout.write(
                _("Regions: %(created)d created, %(unchanged)d already there.")
                % {
                    "created": len(result.created),
                    "unchanged": result.unchanged + len(result.renamed),
                }
            )
        if username:
            self._staff(username, email)
        self._next_steps()

    def _staff(self, username: str, email: str) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                _("The account %(name)s exists already; left as it is.") % {"name": username}
            )
            return
        password = os.environ.get("SETUP_PASSWORD") or self._ask_password()
        user = User(username=username, email=email, role=Role.DISTRICT_STAFF)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user.set_password(password)
        with transaction.atomic():
            user.save()
        self.stdout.write(_("District staff account %(name)s created.") % {"name": username})

    def _ask_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(
                _("Set SETUP_PASSWORD, or run the command in a terminal to type the password.")
            )
        first = getpass.getpass(_("Password: "))
        if first != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The two passwords differ."))
        return first

    def _next_steps(self) -> None:
        from portal.regions.models import Region

        base = settings.PORTAL_BASE_URL.rstrip("/")
        steps = [
            _("Sign in at %(url)s/accounts/login/ with the district staff account.")
            % {"url": base},
            _(
                "Regions: %(count)d in the tree; add communities and grids by XLSX under 地区 → 导入 (%(url)s/regions/import/)."
            )
            % {"count": Region.objects.count(), "url": base},
            _(
                "Accounts: create the street secretaries (one per street) and unit contacts in the admin (%(url)s/admin/accounts/user/)."
            )
            % {"url": base},
            _(
                "Units: import the member units by XLSX (%(url)s/members/units/import/), then create the alliances."
            )
            % {"url": base},
            _(
                "Mail: set EMAIL_URL so that invitations, reminders and password links are sent (docs/configuration.md)."
            ),
        ]
        self.stdout.write(_("Next:"))
        for number, step in enumerate(steps, start=1):
            self.stdout.write(f"  {number}. {step}")
