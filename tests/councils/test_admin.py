"""The councils admin screens: scoped on every path, history, and the workflows kept on
the pages."""

import pytest
from django.urls import reverse

from councils.models import Body, Coverage, Membership, Organisation
from tests.councils.factories import PersonFactory, elect, organisation_for

MODELS = [
    "organisation",
    "body",
    "term",
    "membership",
    "person",
    "election",
    "evaluation",
    "inquiry",
    "recall",
    "training",
]


@pytest.fixture
def elsewhere(geo):
    """An organisation in street B, with a council."""
    organisation = organisation_for(geo.courtyard_b1)
    elect(organisation, "council", ["convener", "representative"])
    return organisation


@pytest.mark.parametrize("model", MODELS)
def test_street_staff_list_only_their_streets_records(records, elsewhere, people, login, model):
    response = login(people.street_a).get(reverse(f"admin:councils_{model}_changelist"))
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed, model
    assert all(_street_of(obj) == "浆洗街街道" for obj in listed), model


def _street_of(obj):
    for path in (
        "community",
        "organisation.community",
        "body.organisation.community",
        "courtyard.community",
    ):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        if target is not None:
            return target.street.name
    return obj.unit.street.name if hasattr(obj.unit, "street") else obj.unit.name


@pytest.mark.parametrize("view", ["change", "history"])
def test_another_scopes_records_answer_404_in_admin(elsewhere, people, login, view):
    membership = Membership.objects.filter(body__organisation=elsewhere).first()
    for model, obj in [
        ("organisation", elsewhere),
        ("membership", membership),
        ("person", membership.person),
        ("term", membership.term),
        ("election", membership.election),
    ]:
        url = reverse(f"admin:councils_{model}_{view}", args=[obj.pk])
        assert login(people.street_a).get(url).status_code == 404, model


def test_district_staff_read_people_but_cannot_change_them(records, people, login):
    client = login(people.district_staff)
    person = records.person
    url = reverse("admin:councils_person_change", args=[person.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"name": "改名", "courtyard": person.courtyard_id, "gender": "male"})
    person.refresh_from_db()
    assert person.name != "改名"


def test_nobody_but_a_superuser_may_delete(records, people, login):
    url = reverse("admin:councils_membership_delete", args=[records.council.member("leader").pk])
    assert login(people.district_admin).get(url).status_code == 403


def test_elections_evaluations_and_recalls_are_recorded_on_the_pages_only(records, people, login):
    client = login(people.street_a)
    for model in ("election", "evaluation", "recall", "inquiry", "body"):
        assert client.get(reverse(f"admin:councils_{model}_add")).status_code == 403, model
    election = records.council.council_election
    html = client.get(reverse("admin:councils_election_change", args=[election.pk])).content
    assert b'name="votes_cast"' not in html and b'name="note"' in html


def test_an_organisation_added_in_admin_gets_its_bodies_and_courtyards(geo, people, login):
    response = login(people.street_a).post(
        reverse("admin:councils_organisation_add"),
        {
            "community": geo.community_a1.pk,
            "name": "后台组建的组织",
            "set_up_on": "2023-01-01",
            "note": "",
            "coverage-TOTAL_FORMS": "1",
            "coverage-INITIAL_FORMS": "0",
            "coverage-MIN_NUM_FORMS": "0",
            "coverage-MAX_NUM_FORMS": "1000",
            "coverage-0-courtyard": geo.courtyard_a1.pk,
            "coverage-0-started_on": "2023-01-01",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.bodies.count() == 3
    assert organisation.set_up_by == people.street_a
    assert Coverage.objects.get().courtyard == geo.courtyard_a1


def test_a_courtyard_of_another_community_is_refused_in_the_admin_inline(geo, people, login):
    response = login(people.street_a).post(
        reverse("admin:councils_organisation_add"),
        {
            "community": geo.community_a1.pk,
            "name": "跨社区组织",
            "set_up_on": "2023-01-01",
            "coverage-TOTAL_FORMS": "1",
            "coverage-INITIAL_FORMS": "0",
            "coverage-MIN_NUM_FORMS": "0",
            "coverage-MAX_NUM_FORMS": "1000",
            "coverage-0-courtyard": geo.courtyard_a2.pk,
            "coverage-0-started_on": "2023-01-01",
        },
    )
    assert response.status_code == 200
    assert "院落自治组织只能覆盖本社区的院落" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_legacy_membership_added_in_admin_takes_its_body_from_the_term(
    council, geo, people, login
):
    term = council.council_election.term
    person = PersonFactory(courtyard=geo.courtyard_a1)
    data = {
        "term": term.pk,
        "person": person.pk,
        "role": "representative",
        "started_on": "2023-03-01",
        "ended_on": "2023-09-01",
        "end_reason": "resigned",
        "note": "纸质档案补录",
    }
    client = login(people.street_a)
    response = client.post(reverse("admin:councils_membership_add"), data)
    assert response.status_code == 302
    membership = Membership.objects.get(person=person)
    assert membership.body == term.body
    # a second, overlapping role in the same body is refused with the database's rule
    response = client.post(
        reverse("admin:councils_membership_add"), {**data, "started_on": "2023-05-01"}
    )
    assert response.status_code == 200
    assert "此人在这段时间已在该机构任职" in response.content.decode()


def test_an_open_membership_is_ended_on_its_page_not_in_admin(council, people, login):
    membership = council.member("leader")
    html = (
        login(people.street_a)
        .get(reverse("admin:councils_membership_change", args=[membership.pk]))
        .content.decode()
    )
    assert 'name="ended_on"' not in html
    assert reverse("councils:membership_end", args=[membership.pk]) in html


def test_training_attendance_is_kept_in_admin_with_history(records, people, login):
    training = records.training
    response = login(people.street_a).get(
        reverse("admin:councils_training_change", args=[training.pk])
    )
    assert response.status_code == 200
    assert records.council.member("leader").person.name in response.content.decode()


def test_changes_record_who_made_them(records, people, login):
    person = records.person
    client = login(people.street_a)
    url = reverse("admin:councils_person_change", args=[person.pk])
    response = client.post(
        url,
        {
            "courtyard": person.courtyard_id,
            "name": person.name,
            "gender": person.gender,
            "birth_year": "1960",
            "phone": "13800000000",
            "building": "1栋",
            "unit": "1单元",
            "political_status": "",
            "education": "",
            "occupation": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert person.history.first().history_user == people.street_a
    assert person.history.first().birth_year == 1960


def test_bodies_are_listed_but_not_added(council, people, login):
    response = login(people.street_a).get(reverse("admin:councils_body_changelist"))
    assert set(response.context["cl"].result_list) == set(
        Body.objects.filter(organisation=council.organisation)
    )


def test_organisations_and_trainings_export_with_chinese_headers(records, people, login):
    import io

    from openpyxl import load_workbook

    client = login(people.street_a)
    for model, fields, header in [
        ("organisation", ["name", "status"], "院落自治组织"),
        ("training", ["topic", "named"], "培训主题"),
    ]:
        response = client.post(
            reverse(f"admin:councils_{model}_export"),
            {"format": "0", "resource": "0", **{f"{model}resource_{f}": "on" for f in fields}},
        )
        assert response.status_code == 200, model
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert header in rows[0], rows[0]
        assert len(rows) == 2, model


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("district_admin", 200),
        ("district_staff", 200),
        ("street_b", 200),
        # community members and inspectors work in the portal's pages only (docs/backoffice.md)
        ("community", 403),
        ("inspector", 403),
        ("no_role", 403),
    ],
)
def test_every_councils_admin_list_opens_for_each_role(records, people, login, persona, expected):
    client = login(getattr(people, persona))
    for model in [*MODELS, "coverage"]:
        response = client.get(reverse(f"admin:councils_{model}_changelist"))
        assert response.status_code == expected, model
    if persona == "street_b":
        response = client.get(reverse("admin:councils_coverage_changelist"))
        assert not response.context["cl"].result_list
