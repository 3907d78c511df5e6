"""The admin's import confirmation reads only a file this session's own dry run left: a
hand-made confirmation naming another file, someone else's upload or one already imported is
sent back with a message, never read and never a server error (issue 16, POST matrix)."""

import pytest
from django.urls import reverse

from courtyards.models import Courtyard
from tests.courtyards.test_import import good_row, upload, workbook

CONFIRM = reverse("admin:courtyards_courtyard_process_import")


def preview(client, name):
    return upload(client, workbook(good_row(name))).context["confirm_form"].initial


@pytest.mark.parametrize("name", ["../../etc/passwd", "passwd", "", "tmp_nothing_here"])
def test_a_confirmation_naming_a_file_of_no_dry_run_is_sent_back(people, geo, login, name):
    client = login(people.street_a)
    response = client.post(
        CONFIRM, {"import_file_name": name, "original_file_name": "x.xlsx", "format": "0"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:courtyards_courtyard_import")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["这次导入已不在等待确认：请重新选择文件。"]


def test_another_users_dry_run_cannot_be_confirmed(people, geo, login):
    pending = preview(login(people.street_a), "甲院")
    response = login(people.district_admin).post(CONFIRM, pending)
    assert response.status_code == 302
    assert not Courtyard.objects.filter(name="甲院").exists()


def test_a_dry_run_is_confirmed_once(people, geo, login):
    client = login(people.street_a)
    pending = preview(client, "甲院")
    assert client.post(CONFIRM, pending).status_code == 302
    assert Courtyard.objects.filter(name="甲院").count() == 1
    again = client.post(CONFIRM, pending)
    assert again["Location"] == reverse("admin:courtyards_courtyard_import")
    assert Courtyard.objects.filter(name="甲院").count() == 1


def test_roles_without_import_are_refused_first(people, geo, login):
    response = login(people.inspector).post(CONFIRM, {"import_file_name": "x"})
    assert response.status_code == 403
