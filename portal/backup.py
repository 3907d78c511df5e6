"""Backup and restore of the database and uploaded files (see docs/operations.md).

PostgreSQL goes through pg_dump/pg_restore in custom format; the embedded SQLite database
through SQLite's online backup. A manifest records how many rows each table held, so a
restore can prove it brought every record and history row back.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

DUMP_NAME = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def row_counts():
    """{table: rows} for every table of the installed apps."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_environment(database):
    environment = dict(os.environ)
    environment.update(
        {
            "PGHOST": str(database.get("HOST") or ""),
            "PGPORT": str(database.get("PORT") or ""),
            "PGUSER": str(database.get("USER") or ""),
            "PGPASSWORD": str(database.get("PASSWORD") or ""),
            "PGDATABASE": str(database["NAME"]),
        }
    )
    return {key: value for key, value in environment.items() if value != ""}


def back_up(target):
    """Write the database, the media files and a manifest into the folder `target`."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    database = connection.settings_dict
    vendor = connection.vendor
    dump = target / DUMP_NAME[vendor]
    if vendor == "postgresql":
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
            env=_pg_environment(database),
            check=True,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as copy:
            connection.connection.backup(copy)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname=".")
    manifest = {
        "created": timezone.now().isoformat(),
        "vendor": vendor,
        "database": DUMP_NAME[vendor],
        "rows": row_counts(),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def restore(source):
    """Load a backup folder into the configured (empty) database and media folder, and
    return the tables whose row counts differ from the manifest (empty when all is back)."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    database = connection.settings_dict
    if manifest["vendor"] != connection.vendor:
        raise ValueError(
            _("The backup is of a %(backup)s database, the target is %(target)s.")
            % {"backup": manifest["vendor"], "target": connection.vendor}
        )
    if connection.introspection.table_names():
        raise ValueError(_("The target database is not empty: restore only into a new database."))
    dump = source / manifest["database"]
    if connection.vendor == "postgresql":
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={database['NAME']}",
                str(dump),
            ],
            env=_pg_environment(database),
            check=True,
        )
    else:
        connection.close()
        shutil.copyfile(dump, database["NAME"])
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz") as archive:
        archive.extractall(media, filter="data")
    restored = row_counts()
    return {
        table: (rows, restored.get(table))
        for table, rows in manifest["rows"].items()
        if restored.get(table) != rows
    }
