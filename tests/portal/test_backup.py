"""`make backup` / `make restore`: a network backed up and restored into a fresh database comes back
whole, every table with as many rows as before, the uploaded files with it.

Each test runs on the database it is for; the CI runs the suite on SQLite and on PostgreSQL.
pg_dump reads the database from another connection, so the rows must be committed: transaction=True.
"""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import (
    ActivityFactory,
    AllianceFactory,
    DemandFactory,
    MembershipFactory,
    MemberUnitFactory,
    SubdistrictFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The commands speak the site's language, Chinese; the messages are matched in it.

# Decided at collection, so that the other database's test does not even set up (and flush) one.
ENGINE = settings.DATABASES["default"]["ENGINE"]

PHOTO = b"\xff\xd8\xff\xe0 not really a jpeg \x00\x01"


def build_network() -> None:
    region = SubdistrictFactory()
    units = MemberUnitFactory.create_batch(3, region=region)
    alliance = AllianceFactory(lead_unit=units[0])
    for unit in units:
        MembershipFactory(alliance=alliance, unit=unit)
    ActivityFactory(region=region, alliance=alliance)
    DemandFactory(unit=units[1])


def write_media(root: Path) -> None:
    (root / "activities" / "2026").mkdir(parents=True)
    (root / "activities" / "2026" / "photo.jpg").write_bytes(PHOTO)
    (root / "demands").mkdir()
    (root / "demands" / "合同.pdf").write_bytes(b"%PDF-1.4 contract")


def model_tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def counts_here() -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in model_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            result[table] = cursor.fetchone()[0]
    return result


def manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    """Run manage.py as `make backup` / `make restore` do, against another database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_same_media(source: Path, restored: Path) -> None:
    files = sorted(p.relative_to(source) for p in source.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(restored) for p in restored.rglob("*") if p.is_file())
    for name in files:
        assert (restored / name).read_bytes() == (source / name).read_bytes()


@pytest.mark.skipif(
    ENGINE != "django.db.backends.sqlite3",
    reason="the SQLite backup; the PostgreSQL one is tested in the other CI run",
)
def test_sqlite_backup_restores_every_table_and_the_uploads_into_a_fresh_database(tmp_path):
    build_network()
    # The suite's database lives in memory: copy it to a file that the command can back up.
    source = tmp_path / "portal.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(source)) as target:
        connection.connection.backup(target)
    media = tmp_path / "media"
    write_media(media)

    made = manage(
        "backup",
        "--dir",
        str(tmp_path / "backups"),
        database_url=f"sqlite:///{source}",
        media_root=media,
    )
    assert made.returncode == 0, made.stderr
    dump = next((tmp_path / "backups").glob("portal-*.sqlite3"))
    archive = dump.with_name(dump.stem + ".tar.gz")
    assert str(dump) in made.stdout and str(archive) in made.stdout

    fresh = tmp_path / "fresh" / "portal.sqlite3"
    restored_media = tmp_path / "restored-media"
    done = manage(
        "restore", str(dump), database_url=f"sqlite:///{fresh}", media_root=restored_media
    )
    assert done.returncode == 0, done.stderr
    with translation.override(settings.LANGUAGE_CODE):  # the command speaks the site's language
        told = gettext("Uploaded files restored from %(path)s (%(count)d files)")
    assert told % {"path": archive, "count": 2} in done.stdout

    expected = counts_here()
    with closing(sqlite3.connect(fresh)) as restored:
        got = {
            table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in model_tables()
        }
    assert got == expected
    assert expected["members_memberunit"] >= 3 and expected["alliances_membership"] == 3
    assert expected["services_activity"] == 1 and expected["services_demand"] == 1
    assert_same_media(media, restored_media)

    # The archive of uploads is not a database: a clear message, nothing touched.
    with pytest.raises(CommandError, match="既不是 PostgreSQL 转储文件"):
        call_command("restore", str(archive))


def _pg_connect(dbname: str):
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


def _pg_url(dbname: str) -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{dbname}"


@pytest.mark.skipif(
    ENGINE != "django.db.backends.postgresql",
    reason="needs PostgreSQL (pg_dump); the CI's second run uses it",
)
def test_postgresql_backup_restores_every_table_and_the_uploads_into_a_fresh_database(
    tmp_path, settings, monkeypatch
):
    from psycopg import sql

    build_network()
    media = tmp_path / "media"
    write_media(media)
    settings.MEDIA_ROOT = media
    call_command("backup", dir=tmp_path / "backups")
    dump = next((tmp_path / "backups").glob("portal-*.dump"))
    assert dump.read_bytes().startswith(b"PGDMP")

    # The suite's database has tables: no restore over it without --force.
    with pytest.raises(CommandError, match="不为空"):
        call_command("restore", str(dump))

    fresh = f"portal_restore_{uuid.uuid4().hex[:12]}"
    with _pg_connect("postgres") as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    try:
        restored_media = tmp_path / "restored-media"
        done = manage("restore", str(dump), database_url=_pg_url(fresh), media_root=restored_media)
        assert done.returncode == 0, done.stderr
        with _pg_connect(fresh) as restored:
            got = {
                table: restored.execute(
                    sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()[0]
                for table in model_tables()
            }
    finally:
        with _pg_connect("postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh))
            )
    expected = counts_here()
    assert got == expected
    assert expected["members_memberunit"] >= 3 and expected["alliances_membership"] == 3
    assert expected["services_activity"] == 1 and expected["services_demand"] == 1
    assert_same_media(media, restored_media)

    # Without pg_dump on the PATH the command says what is missing.
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="未安装 pg_dump"):
        call_command("backup", dir=tmp_path / "backups")


def test_old_backups_are_pruned_after_keep_days_but_never_the_newest(tmp_path):
    from portal.core.backup import backup_prune

    day = 24 * 60 * 60
    now = time.time()
    made = {}
    for name, age in (("old", 10), ("older", 20), ("recent", 2)):
        database = tmp_path / f"portal-2026{age:04d}-000000.dump"
        media = tmp_path / f"portal-2026{age:04d}-000000.tar.gz"
        for path in (database, media):
            path.write_bytes(b"x")
            os.utime(path, (now - age * day, now - age * day))
        made[name] = (database, media)
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("kept")
    deleted = backup_prune(directory=tmp_path, keep_days=7)
    assert sorted(deleted) == sorted([*made["old"], *made["older"]])
    assert all(p.exists() for p in made["recent"]) and unrelated.exists()
    assert backup_prune(directory=tmp_path, keep_days=0) == []
    # Alone and old, the newest backup stays.
    for path in made["recent"]:
        os.utime(path, (now - 90 * day, now - 90 * day))
    assert backup_prune(directory=tmp_path, keep_days=7) == []
