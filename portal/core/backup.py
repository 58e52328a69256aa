"""Back up and restore the database with the uploaded files, on PostgreSQL and on SQLite.

A backup is two files with one stem in `var/backups/`: the database (`portal-<time>.dump`, pg_dump's
custom format, or `portal-<time>.sqlite3`, a copy made with SQLite's backup API) and the uploaded
files (`portal-<time>.tar.gz`, the contents of MEDIA_ROOT).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
MEDIA_SUFFIX = ".tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    database: Path
    media: Path
    media_files: int


def default_directory() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(
            _("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s is not installed (Debian: apt-get install postgresql-client).")
            % {"tool": name}
        )
    return path


def _pg_arguments(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore and their environment (the password stays out of argv)."""
    args = []
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed (exit status %(status)d): %(error)s")
            % {
                "tool": Path(command[0]).name,
                "status": result.returncode,
                "error": result.stderr.strip(),
            }
        )


def _sqlite_path(db: dict[str, Any]) -> Path:
    name = str(db["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError(
            _("The SQLite database is in memory: there is no file to back up or restore.")
        )
    return Path(name)


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup_create(*, directory: Path | None = None, alias: str = "default") -> Backup:
    """Write the database and MEDIA_ROOT to `directory` under one time-stamped stem."""
    vendor = _vendor(alias)
    db = connections[alias].settings_dict
    directory = Path(directory or default_directory())
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / f"portal-{timezone.localtime():%Y%m%d-%H%M%S}"
    if vendor == "postgresql":
        database = stem.with_suffix(".dump")
        args, env = _pg_arguments(db)
        command = [_tool("pg_dump"), "--format=custom", f"--file={database}", *args, db["NAME"]]
        _run(command, env)
    else:
        database = stem.with_suffix(".sqlite3")
        source = _sqlite_path(db)
        if not source.exists():
            raise BackupError(_("The SQLite database %(path)s does not exist.") % {"path": source})
        # The backup API copies a consistent snapshot even while the portal writes.
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(database)) as dst:
            src.backup(dst)
    media = Path(f"{stem}{MEDIA_SUFFIX}")
    media_files = 0
    root = _media_root()
    with tarfile.open(media, "w:gz") as archive:
        if root.is_dir():
            for child in sorted(root.iterdir()):
                archive.add(child, arcname=child.name)
            media_files = sum(1 for p in root.rglob("*") if p.is_file())
    return Backup(database=database, media=media, media_files=media_files)


def backup_prune(*, directory: Path | None = None, keep_days: int) -> list[Path]:
    """Delete the backups (database file and its uploads archive) older than `keep_days` days from
    `directory`; the newest backup stays whatever its age, so a portal that stopped backing up still
    has one. Returns the files deleted."""
    directory = Path(directory or default_directory())
    if keep_days < 1 or not directory.is_dir():
        return []
    databases = sorted(
        (p for p in directory.glob("portal-*") if p.suffix in (".dump", ".sqlite3")),
        key=lambda p: p.stat().st_mtime,
    )
    cutoff = timezone.now().timestamp() - keep_days * 24 * 60 * 60
    deleted = []
    for database in databases[:-1]:
        if database.stat().st_mtime >= cutoff:
            continue
        for path in (database, media_archive_for(database)):
            if path.exists():
                path.unlink()
                deleted.append(path)
    return deleted


def _kind(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    return None


def media_archive_for(database: Path) -> Path:
    return database.with_name(database.stem + MEDIA_SUFFIX)


def _existing_tables(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        return connections[alias].introspection.table_names(cursor)


def backup_restore(*, path: Path, force: bool = False, alias: str = "default") -> Backup:
    """Put the database and the uploaded files of a backup back; refuses to overwrite unless `force`."""
    vendor = _vendor(alias)
    db = connections[alias].settings_dict
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no backup file %(path)s.") % {"path": path})
    kind = _kind(path)
    if kind is None:
        raise BackupError(
            _("%(path)s is neither a PostgreSQL dump (custom format) nor an SQLite database.")
            % {"path": path}
        )
    if kind != vendor:
        raise BackupError(
            _("%(path)s is a %(kind)s backup, but the portal is configured for %(vendor)s.")
            % {"path": path, "kind": kind, "vendor": vendor}
        )
    media = media_archive_for(path)
    if not media.is_file():
        raise BackupError(
            _("The uploaded files of this backup (%(path)s) are missing.") % {"path": media}
        )
    if not tarfile.is_tarfile(media):
        raise BackupError(_("%(path)s is not a tar archive.") % {"path": media})
    if not force:
        _refuse_to_overwrite(vendor, db, alias)

    if vendor == "postgresql":
        args, env = _pg_arguments(db)
        command = [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            *args,
            str(path),
        ]
        connections[alias].close()
        _run(command, env)
    else:
        target = _sqlite_path(db)
        connections[alias].close()
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)

    root = _media_root()
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(media, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        # The "data" filter refuses absolute paths, `..`, links out of the folder and devices.
        archive.extractall(root, filter="data")
    return Backup(database=path, media=media, media_files=len(members))


def _refuse_to_overwrite(vendor: str, db: dict[str, Any], alias: str) -> None:
    if vendor == "sqlite":
        target = _sqlite_path(db)
        exists = target.exists() and target.stat().st_size > 0
        tables = _existing_tables(alias) if exists else []
        where = str(target)
    else:
        tables = _existing_tables(alias)
        where = str(db["NAME"])
    if tables:
        raise BackupError(
            _(
                "The database %(name)s is not empty (%(count)d tables): restoring would replace it. "
                "Run again with --force (make restore FILE=… FORCE=1) if that is what you want."
            )
            % {"name": where, "count": len(tables)}
        )
    root = _media_root()
    if root.is_dir() and any(root.iterdir()):
        raise BackupError(
            _(
                "MEDIA_ROOT (%(path)s) already holds files: restoring would write over them. "
                "Run again with --force (make restore FILE=… FORCE=1) if that is what you want."
            )
            % {"path": root}
        )
