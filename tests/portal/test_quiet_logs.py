import logging

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse


def test_a_refusal_logs_one_info_line_with_who_and_where_and_no_traceback(people, login, caplog):
    path = reverse("admin:auth_user_changelist")
    with caplog.at_level(logging.INFO):
        response = login(people.street_a).get(path)
    assert response.status_code == 403
    about_it = [record for record in caplog.records if path in record.getMessage()]
    assert [(r.name, r.levelname) for r in about_it] == [("portal.security", "INFO")]
    assert "user=jd_a" in about_it[0].getMessage()
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    assert "Traceback" not in caplog.text


def test_favicon_ico_leads_to_the_portal_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.svg")
    assert finders.find("favicon.svg")


def test_every_page_names_its_icon(client):
    page = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}"' in page
