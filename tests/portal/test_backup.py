"""A backup restores into an empty database with every record and history row."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from courtyards.models import Courtyard
from portal.backup import back_up

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def postgres_url(name):
    settings_dict = connection.settings_dict
    host, port = settings_dict["HOST"] or "localhost", settings_dict["PORT"] or 5432
    return f"postgres://{settings_dict['USER']}@{host}:{port}/{name}"


@pytest.fixture
def empty_database(tmp_path):
    """The DATABASE_URL of a new, empty database of the same kind as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg2

    settings_dict = connection.settings_dict
    name = f"portal_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        password=settings_dict["PASSWORD"],
    )
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    yield postgres_url(name)
    admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


def restore(folder, database_url, media_root):
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update({"DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)})
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_every_record_history_row_and_file(
    geo, people, tmp_path, settings, empty_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "councils").mkdir(parents=True)
    (settings.MEDIA_ROOT / "councils" / "minutes.pdf").write_bytes(b"%PDF-1.7 signed minutes")
    geo.courtyard_a1.households = 130
    geo.courtyard_a1.save()

    manifest = back_up(tmp_path / "backup")
    assert manifest["rows"]["courtyards_courtyard"] == Courtyard.objects.count()
    assert manifest["rows"]["courtyards_historicalcourtyard"] == Courtyard.history.count() >= 5

    restored_media = tmp_path / "restored" / "media"
    result = restore(tmp_path / "backup", empty_database, restored_media)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "恢复完成" in result.stdout
    assert (restored_media / "councils" / "minutes.pdf").read_bytes() == b"%PDF-1.7 signed minutes"


def test_a_restore_refuses_a_database_that_is_not_empty(geo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    back_up(tmp_path / "backup")
    if connection.vendor == "sqlite":
        target = tmp_path / "busy.sqlite3"
        back_up(tmp_path / "again")  # any non-empty database will do
        (tmp_path / "again" / "database.sqlite3").rename(target)
        url = f"sqlite:///{target}"
    else:
        url = postgres_url(connection.settings_dict["NAME"])
    result = restore(tmp_path / "backup", url, tmp_path / "restored")
    assert result.returncode != 0
    assert "目标数据库不是空的" in result.stderr
