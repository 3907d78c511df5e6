"""Admin screens narrow to the user's scope on every path."""

import pytest
from django.urls import reverse

from courtyards.models import Courtyard


def changelist(client, **params):
    return client.get(reverse("admin:courtyards_courtyard_changelist"), params)


def test_street_staff_list_only_their_streets_courtyards(people, geo, login):
    response = changelist(login(people.street_a))
    listed = {c.name for c in response.context["cl"].result_list}
    assert listed == {"锦里12号院", "电力局宿舍", "洗面桥3号院"}


def test_a_filter_naming_another_street_shows_nothing_of_it(people, geo, login):
    response = changelist(
        login(people.street_a), **{"community__street__id__exact": geo.street_b.pk}
    )
    assert geo.courtyard_b1 not in response.context["cl"].result_list
    assert "九眼桥花园" not in response.content.decode()


def test_list_filter_choices_stay_within_the_scope(people, geo, login):
    page = changelist(login(people.street_a)).content.decode()
    assert "洗面桥社区" in page
    assert "九眼桥社区" not in page and "望江路街道" not in page


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_another_scopes_courtyard_answers_404_in_admin(people, geo, login, view):
    url = reverse(f"admin:courtyards_courtyard_{view}", args=[geo.courtyard_b1.pk])
    assert login(people.street_a).get(url).status_code == 404


def test_a_post_to_another_scopes_courtyard_changes_nothing(people, geo, login):
    url = reverse("admin:courtyards_courtyard_change", args=[geo.courtyard_b1.pk])
    response = login(people.street_a).post(url, {"name": "改名", "community": geo.community_a1.pk})
    assert response.status_code == 404
    geo.courtyard_b1.refresh_from_db()
    assert geo.courtyard_b1.name == "九眼桥花园"


def test_a_courtyard_cannot_be_added_to_another_streets_community(people, geo, login):
    response = login(people.street_a).post(
        reverse("admin:courtyards_courtyard_add"),
        {
            "community": geo.community_b1.pk,
            "name": "越界院落",
            "kind": "old",
            "households": 10,
            "residents": 20,
            "buildings": 1,
            "remediation": "not_needed",
        },
    )
    assert response.status_code == 200
    assert "community" in response.context["adminform"].form.errors
    assert not Courtyard.objects.filter(name="越界院落").exists()


def test_editing_a_courtyard_records_who_changed_it(people, geo, login):
    client = login(people.street_a)
    url = reverse("admin:courtyards_courtyard_change", args=[geo.courtyard_a1.pk])
    data = {
        "community": geo.community_a1.pk,
        "name": "锦里12号院",
        "address": "锦里路12号",
        "kind": "old",
        "households": 130,
        "residents": 300,
        "buildings": 3,
        "remediation": "not_needed",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    latest = geo.courtyard_a1.history.first()
    assert latest.households == 130
    assert latest.history_user == people.street_a
    history_page = client.get(
        reverse("admin:courtyards_courtyard_history", args=[geo.courtyard_a1.pk])
    )
    assert "jd_a" in history_page.content.decode()


def test_autocomplete_offers_only_communities_in_scope(people, geo, login):
    response = login(people.street_a).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "courtyards",
            "model_name": "courtyard",
            "field_name": "community",
            "term": "社区",
        },
    )
    found = {item["text"] for item in response.json()["results"]}
    assert found == {"锦里社区", "洗面桥社区"}


def test_nobody_but_a_superuser_may_delete(people, geo, login):
    url = reverse("admin:courtyards_courtyard_delete", args=[geo.courtyard_a1.pk])
    assert login(people.district_admin).get(url).status_code == 403
    assert Courtyard.objects.filter(pk=geo.courtyard_a1.pk).exists()


def test_an_inspector_neither_reads_nor_edits_in_the_admin(people, geo, login):
    client = login(people.inspector)
    assert changelist(client).status_code == 403
    url = reverse("admin:courtyards_courtyard_change", args=[geo.courtyard_a1.pk])
    response = client.post(
        url,
        {
            "community": geo.community_a1.pk,
            "name": "改名",
            "kind": "old",
            "households": 1,
            "residents": 1,
            "buildings": 1,
            "remediation": "not_needed",
        },
    )
    assert response.status_code == 403
    geo.courtyard_a1.refresh_from_db()
    assert geo.courtyard_a1.name == "锦里12号院"
    # The portal's pages: the courtyard is read there, and not edited.
    assert client.get(f"/courtyards/{geo.courtyard_a1.pk}/").status_code == 200
    assert client.get(f"/courtyards/{geo.courtyard_a1.pk}/edit/").status_code == 403


def test_street_staff_cannot_manage_accounts(people, login):
    assert login(people.street_a).get(reverse("admin:auth_user_changelist")).status_code == 403


def test_a_district_administrator_cannot_make_a_superuser(people, geo, login):
    client = login(people.district_admin)
    page = client.get(reverse("admin:auth_user_change", args=[people.street_a.pk])).content.decode()
    assert "is_superuser" not in page and "user_permissions" not in page


def test_the_admin_export_holds_only_the_scope(people, geo, login):
    import io

    from openpyxl import load_workbook

    response = login(people.street_a).post(
        reverse("admin:courtyards_courtyard_export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"courtyardresource_{f}": "on"
                for f in ["street", "community", "name", "households"]
            },
        },
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    names = {row[2] for row in rows[1:]}
    assert names == {"锦里12号院", "电力局宿舍", "洗面桥3号院"}  # street A's, not 九眼桥花园
