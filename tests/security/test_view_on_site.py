"""The admin's "view on site" redirect (/admin/r/<content type>/<id>/) applies the scope: a
record outside it answers exactly as a missing one, 404 (issue 16, finding 5)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from councils.models import Person
from courtyards.models import Courtyard, Street
from tests.councils.factories import PersonFactory


def view_on_site(model, pk):
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, pk])


def test_a_record_in_scope_redirects_to_its_page(people, geo, login):
    response = login(people.street_a).get(view_on_site(Courtyard, geo.courtyard_a1.pk))
    assert response.status_code == 302
    assert response["Location"] == geo.courtyard_a1.get_absolute_url()


@pytest.mark.parametrize("persona", ["street_a", "street_b"])
def test_another_scopes_record_answers_as_a_missing_one(people, geo, login, persona):
    client = login(getattr(people, persona))
    elsewhere = geo.courtyard_a1 if persona == "street_b" else geo.courtyard_b1
    other = PersonFactory(courtyard=elsewhere)
    for model, pk in [
        (Courtyard, elsewhere.pk),
        (Street, elsewhere.community.street.pk),
        (Person, other.pk),
    ]:
        assert client.get(view_on_site(model, pk)).status_code == 404
        assert client.get(view_on_site(model, 10**9)).status_code == 404


def test_a_model_the_role_may_not_see_answers_404(people, geo, login):
    from django.contrib.auth import get_user_model

    client = login(people.street_a)  # street staff manage no accounts
    assert client.get(view_on_site(get_user_model(), people.street_b.pk)).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[10**6, 1])).status_code == 404
    assert client.get(view_on_site(Courtyard, "x%00")).status_code in (400, 404)


@pytest.mark.parametrize("persona", ["community", "inspector"])
def test_roles_without_the_back_office_meet_403(people, geo, login, persona):
    client = login(getattr(people, persona))
    assert client.get(view_on_site(Courtyard, geo.courtyard_a1.pk)).status_code == 403


def test_outsiders_are_sent_to_log_in(geo, client):
    response = client.get(view_on_site(Courtyard, geo.courtyard_b1.pk))
    assert response.status_code == 302 and "login" in response["Location"]
