import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup`: the database file (.dump or .sqlite3) and the "
        ".tar.gz of uploaded files beside it. Refuses to overwrite a non-empty database "
        "unless --force."
    )

    # No system checks: a restore must run on a server whose database is still empty.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .dump or .sqlite3 file of the backup.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already has tables and write over MEDIA_ROOT.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, **options):
        try:
            restored = backup_restore(
                path=options["file"], force=options["force"], alias=options["database"]
            )
        except (BackupError, OSError, tarfile.TarError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("Database restored from %(path)s") % {"path": restored.database})
        self.stdout.write(
            _("Uploaded files restored from %(path)s (%(count)d files)")
            % {"path": restored.media, "count": restored.media_files}
        )
