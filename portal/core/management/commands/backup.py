from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.backup import BackupError, backup_create, backup_prune, default_directory


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (MEDIA_ROOT) into var/backups/."

    # No system checks: a restore must run on a server whose database is still empty.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help=f"Folder to write the backup into (default: {default_directory()}).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP_DAYS,
            help="Then delete backups older than this many days, keeping the newest "
            "(default BACKUP_KEEP_DAYS; 0 keeps all).",
        )

    def handle(self, *args, **options):
        try:
            backup = backup_create(directory=options["dir"], alias=options["database"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Database: %(path)s") % {"path": backup.database})
        self.stdout.write(
            _("Uploaded files: %(path)s (%(count)d files)")
            % {"path": backup.media, "count": backup.media_files}
        )
        for path in backup_prune(directory=options["dir"], keep_days=options["keep"]):
            self.stdout.write(_("Deleted the old backup %(path)s") % {"path": path})
