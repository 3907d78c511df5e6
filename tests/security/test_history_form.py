"""The admin's history screens only show: a version's form cannot be saved back, by any role,
so no edit escapes the change form and the services' rules (issue 16, finding 1)."""

import pytest
from django.urls import reverse

from courtyards.models import Courtyard


def version_url(courtyard):
    first = courtyard.history.order_by("history_id").first()
    return reverse(
        "admin:courtyards_courtyard_simple_history", args=[courtyard.pk, first.history_id]
    )


def revert_form(courtyard):
    return {
        "community": courtyard.community_id,
        "name": courtyard.name,
        "address": courtyard.address,
        "kind": courtyard.kind,
        "households": 999,
        "residents": 5000,
        "buildings": courtyard.buildings,
        "remediation": courtyard.remediation,
    }


@pytest.mark.parametrize(
    "persona", ["inspector", "district_staff", "street_a", "district_admin", "superuser"]
)
def test_a_post_to_a_version_saves_nothing_whatever_the_role(people, geo, login, persona):
    from tests.factories import UserFactory

    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True)
        if persona == "superuser"
        else getattr(people, persona)
    )
    courtyard = geo.courtyard_a1
    response = login(user).post(version_url(courtyard), revert_form(courtyard))
    assert response.status_code == 403
    courtyard.refresh_from_db()
    assert courtyard.households == 120
    assert courtyard.history.count() == 1


def test_a_version_is_shown_read_only(people, geo, login):
    response = login(people.street_a).get(version_url(geo.courtyard_a1))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="households"' not in page and 'name="name"' not in page
    assert "120" in page


def test_refusing_the_post_is_logged(people, geo, login, caplog):
    with caplog.at_level("INFO", logger="portal.security"):
        login(people.inspector).post(version_url(geo.courtyard_a1), revert_form(geo.courtyard_a1))
    assert "user=ducha" in caplog.text and "method=POST" in caplog.text
    assert Courtyard.objects.get(pk=geo.courtyard_a1.pk).households == 120
