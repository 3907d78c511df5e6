"""Editing a courtyard's facts and adding a courtyard on the portal's own pages, as each
persona meets them: the same fields, scope, validation and history as the admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courtyards.models import Courtyard
from tests.factories import CommunityFactory, CourtyardFactory


def edit_url(courtyard):
    return reverse("courtyards:courtyard_edit", args=[courtyard.pk])


def form_data(courtyard, **changes):
    """What the edit page posts: the courtyard's current facts, with `changes`."""
    data = {
        "community": courtyard.community_id,
        "name": courtyard.name,
        "address": courtyard.address,
        "kind": courtyard.kind,
        "households": courtyard.households,
        "residents": courtyard.residents,
        "buildings": courtyard.buildings,
        "property_company": courtyard.property_company,
        "owners_committee": courtyard.owners_committee,
        "remediation": courtyard.remediation,
        "remediation_year": courtyard.remediation_year or "",
        "closed_on": "",
        "closed_reason": "",
        "merged_into": "",
    }
    return {**data, **changes}


def facts(courtyard):
    courtyard.refresh_from_db()
    return {f.attname: getattr(courtyard, f.attname) for f in Courtyard._meta.concrete_fields}


def test_a_community_member_edits_a_courtyard_of_their_community(people, geo, login):
    client = login(people.community)
    page = client.get(reverse("courtyards:courtyard", args=[geo.courtyard_a1.pk]))
    assert edit_url(geo.courtyard_a1) in page.content.decode()
    assert "admin/" not in page.content.decode().split("<main", 1)[-1]
    form = client.get(edit_url(geo.courtyard_a1))
    assert form.status_code == 200
    response = client.post(
        edit_url(geo.courtyard_a1),
        form_data(
            geo.courtyard_a1,
            households=135,
            residents=310,
            property_company="锦里物业",
            seen_version=form.context["form"]["seen_version"].value(),
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("courtyards:courtyard", args=[geo.courtyard_a1.pk])
    geo.courtyard_a1.refresh_from_db()
    assert (geo.courtyard_a1.households, geo.courtyard_a1.residents) == (135, 310)
    assert geo.courtyard_a1.property_company == "锦里物业"
    latest = geo.courtyard_a1.history.order_by("-history_id").first()
    assert latest.history_type == "~"
    assert latest.history_user == people.community
    shown = client.get(response.url).content.decode()
    assert "135" in shown and "锦里物业" in shown


@pytest.mark.parametrize("persona", ["street_a", "district_staff", "district_admin"])
def test_street_and_district_staff_edit_courtyards_in_their_scope(people, geo, login, persona):
    response = login(getattr(people, persona)).post(
        edit_url(geo.courtyard_a2), form_data(geo.courtyard_a2, buildings=4)
    )
    assert response.status_code == 302
    geo.courtyard_a2.refresh_from_db()
    assert geo.courtyard_a2.buildings == 4


def test_another_communitys_courtyard_is_not_found(people, geo, login):
    client = login(people.community)
    before = facts(geo.courtyard_a2)
    assert client.get(edit_url(geo.courtyard_a2)).status_code == 404
    response = client.post(edit_url(geo.courtyard_a2), form_data(geo.courtyard_a2, households=1))
    assert response.status_code == 404
    assert facts(geo.courtyard_a2) == before
    assert login(people.street_b).get(edit_url(geo.courtyard_a1)).status_code == 404


def test_an_inspector_may_not_edit_or_add(people, geo, login):
    client = login(people.inspector)
    before = facts(geo.courtyard_a1)
    assert client.get(edit_url(geo.courtyard_a1)).status_code == 403
    assert client.post(edit_url(geo.courtyard_a1), form_data(geo.courtyard_a1)).status_code == 403
    assert client.get(reverse("courtyards:courtyard_add")).status_code == 403
    assert facts(geo.courtyard_a1) == before
    page = client.get(reverse("courtyards:courtyard", args=[geo.courtyard_a1.pk]))
    assert edit_url(geo.courtyard_a1) not in page.content.decode()
    listing = client.get(reverse("courtyards:list")).content.decode()
    assert reverse("courtyards:courtyard_add") not in listing


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"households": "-5"}, "households", "确保该值大于或等于0"),
        ({"households": "五十"}, "households", "输入整数"),
        ({"residents": "10", "households": "120"}, "residents", "人数不能少于户数"),
        ({"name": ""}, "name", "这个字段是必填项"),
        ({"remediation": "done", "remediation_year": ""}, "remediation_year", "整治年份"),
        ({"closed_on": "2020-01-01"}, "closed_reason", None),
    ],
)
def test_wrong_input_is_named_in_chinese_and_changes_nothing(
    people, geo, login, changes, field, message
):
    client = login(people.community)
    before = facts(geo.courtyard_a1)
    response = client.post(edit_url(geo.courtyard_a1), form_data(geo.courtyard_a1, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    if message:
        assert message in " ".join(errors[field]), errors[field]
    page = response.content.decode()
    assert "error-summary" in page
    assert facts(geo.courtyard_a1) == before
    assert geo.courtyard_a1.history.count() == 1


def test_a_community_member_cannot_move_a_courtyard_to_another_community(people, geo, login):
    client = login(people.community)
    before = facts(geo.courtyard_a1)
    response = client.post(
        edit_url(geo.courtyard_a1),
        form_data(geo.courtyard_a1, community=geo.community_a2.pk),
    )
    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    assert facts(geo.courtyard_a1) == before


def test_a_save_after_someone_elses_is_refused(people, geo, login):
    client = login(people.community)
    seen = client.get(edit_url(geo.courtyard_a1)).context["form"]["seen_version"].value()
    login(people.street_a).post(
        edit_url(geo.courtyard_a1), form_data(geo.courtyard_a1, households=121)
    )
    response = client.post(
        edit_url(geo.courtyard_a1),
        form_data(geo.courtyard_a1, households=999, seen_version=seen),
    )
    assert response.status_code == 200
    assert "after you opened it" not in response.content.decode()
    assert "打开" in " ".join(response.context["form"].non_field_errors())
    geo.courtyard_a1.refresh_from_db()
    assert geo.courtyard_a1.households == 121


def test_a_courtyard_is_closed_as_merged_as_in_the_admin(people, geo, login):
    other = Courtyard.objects.get(name="电力局宿舍")
    response = login(people.community).post(
        edit_url(other),
        form_data(
            other,
            closed_on="2026-01-05",
            closed_reason="merged",
            merged_into=geo.courtyard_a1.pk,
        ),
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert not other.is_open and other.merged_into == geo.courtyard_a1


def test_the_community_choices_are_the_users_scope(people, geo, login):
    form = login(people.community).get(reverse("courtyards:courtyard_add")).context["form"]
    assert list(form.fields["community"].queryset) == [geo.community_a1]
    merged = set(form.fields["merged_into"].queryset)
    assert geo.courtyard_a2 not in merged and geo.courtyard_a1 in merged


def test_a_community_member_adds_a_courtyard_to_their_community(people, geo, login):
    client = login(people.community)
    listing = client.get(reverse("courtyards:list")).content.decode()
    assert reverse("courtyards:courtyard_add") in listing
    url = reverse("courtyards:courtyard_add") + f"?community={geo.community_a1.pk}"
    assert client.get(url).context["form"]["community"].value() == geo.community_a1.pk
    response = client.post(
        url,
        {
            "community": geo.community_a1.pk,
            "name": "锦里20号院",
            "kind": "old",
            "households": "40",
            "residents": "95",
            "buildings": "2",
            "remediation": "not_needed",
        },
    )
    assert response.status_code == 302
    courtyard = Courtyard.objects.get(name="锦里20号院")
    assert courtyard.community == geo.community_a1 and courtyard.households == 40
    assert courtyard.history.get().history_user == people.community
    assert response.url == courtyard.get_absolute_url()


def test_adding_a_courtyard_elsewhere_is_refused(people, geo, login):
    client = login(people.community)
    url = reverse("courtyards:courtyard_add")
    assert client.get(url + f"?community={geo.community_b1.pk}").status_code == 404
    response = client.post(
        url,
        {
            "community": geo.community_b1.pk,
            "name": "越权院",
            "kind": "old",
            "remediation": "not_needed",
        },
    )
    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    assert not Courtyard.objects.filter(name="越权院").exists()


def test_adding_a_duplicate_name_is_refused_in_chinese(people, geo, login):
    response = login(people.community).post(
        reverse("courtyards:courtyard_add"),
        {
            "community": geo.community_a1.pk,
            "name": "锦里12号院",
            "kind": "old",
            "households": "1",
            "residents": "1",
            "buildings": "1",
            "remediation": "not_needed",
        },
    )
    assert response.status_code == 200
    assert "该社区已有同名院落。" in response.content.decode()
    assert Courtyard.objects.filter(name="锦里12号院").count() == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_edit_page_runs_the_same_queries_whatever_the_data(people, geo, login):
    """The choices (communities, courtyards to merge into) are drawn in one query each."""
    client = login(people.street_a)
    url = edit_url(geo.courtyard_a1)
    client.get(url)  # caches that fill once (content types, session)
    small = _queries(client, url)
    for _ in range(3):
        community = CommunityFactory(street=geo.street_a)
        CourtyardFactory.create_batch(4, community=community)
    assert _queries(client, url) == small
    assert small <= 12
