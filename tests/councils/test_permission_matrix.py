"""Every councils page, as every persona meets it: 200 where the role and the scope allow,
403 for a role without the permission, 404 for a record of another scope, and the login
page for anonymous visitors. A new view that forgets a check fails here."""

import datetime

import pytest
from django.urls import reverse

from councils import services

PERSONAS = [
    "district_admin",
    "district_staff",
    "street_a",
    "street_b",
    "community",
    "inspector",
    "no_role",
    "anonymous",
]


def codes(*values):
    return dict(zip(PERSONAS, values, strict=True))


#                district_admin, district_staff, street_a, street_b, community, inspector,
#                no_role, anonymous
LIST = codes(200, 200, 200, 200, 200, 200, 200, 302)
READ = codes(200, 200, 200, 404, 200, 200, 404, 302)
EDIT = codes(200, 403, 200, 404, 200, 403, 403, 302)  # district staff and inspectors read
ADD_UNSCOPED = codes(200, 403, 200, 200, 200, 403, 403, 302)
STEP = codes(200, 200, 200, 404, 200, 403, 403, 302)  # change_organisation: district staff too
TRAINING_ADD = codes(200, 200, 200, 200, 200, 403, 403, 302)
TRAINING_EDIT = codes(200, 200, 200, 404, 200, 403, 403, 302)
# research visits are the district's and the streets' work: communities have no part in them
RESEARCH_LIST = codes(200, 200, 200, 200, 403, 200, 403, 302)
RESEARCH_READ = codes(200, 200, 200, 404, 403, 200, 403, 302)
RESEARCH_ADD = codes(200, 200, 200, 200, 403, 403, 403, 302)
RESEARCH_EDIT = codes(200, 200, 200, 404, 403, 403, 403, 302)
MEETINGS = codes(200, 200, 200, 200, 200, 200, 403, 302)  # who holds view_meeting
# district and street staff are sent from the courtyards' cards to the meeting register
MEETING_CARDS = codes(302, 302, 302, 302, 200, 200, 403, 302)
MEETING_REGISTER = codes(200, 200, 200, 200, 403, 403, 403, 302)
MEETING_READ = codes(200, 200, 200, 404, 200, 200, 403, 302)  # no role: no view_meeting
PUBLIC = codes(200, 200, 200, 200, 200, 200, 200, 200)  # residents read without an account
MEETING_ADD = codes(200, 403, 200, 404, 200, 403, 403, 302)  # scoped by the courtyard


def pages(records, geo):
    organisation = records.council.organisation
    membership = records.council.member("leader")
    election = records.council.council_election
    research = services.research_visit_save(
        street=geo.street_a,
        visited_on=datetime.date(2026, 5, 12),
        topic="院落自治调研",
        led_by="副主任",
        streets=[],
        communities=[],
        courtyards=[geo.courtyard_a1],
        by=None,
    )
    meeting = records.meeting
    return [
        ("councils:meetings", [], MEETING_CARDS),
        ("councils:meeting_register", [], MEETING_REGISTER),
        ("councils:meeting_reports", [], MEETINGS),
        ("councils:public_meeting", [meeting.pk], PUBLIC),
        ("councils:meeting", [meeting.pk], MEETING_READ),
        ("councils:meeting_notice", [meeting.pk], MEETING_READ),
        ("councils:meeting_attachment", [meeting.attachments.get().pk], MEETING_READ),
        ("councils:meeting_edit", [meeting.pk], EDIT),
        ("councils:meeting_publish", [records.draft.pk], EDIT),
        ("councils:objection_add", [meeting.motions.get().pk], EDIT),
        ("councils:list", [], LIST),
        ("councils:people", [], LIST),
        ("councils:trainings", [], LIST),
        ("councils:representation", [], LIST),
        ("councils:organisation", [organisation.pk], READ),
        ("councils:election", [election.pk], READ),
        ("councils:evaluation", [records.evaluation.pk], READ),
        ("councils:inquiry", [records.inquiry.pk], READ),
        ("councils:recall", [records.recall.pk], READ),
        ("councils:person", [records.person.pk], READ),
        ("councils:training", [records.training.pk], READ),
        ("councils:organisation_dissolve", [organisation.pk], STEP),
        ("councils:organisation_edit", [organisation.pk], STEP),
        ("councils:election_add", [organisation.pk], EDIT),
        ("councils:membership_end", [membership.pk], EDIT),
        ("councils:evaluation_add", [organisation.pk], EDIT),
        ("councils:inquiry_add", [organisation.pk], EDIT),
        ("councils:inquiry_answer", [records.inquiry.pk], EDIT),
        ("councils:recall_add", [organisation.pk], EDIT),
        ("councils:recall_vote", [records.recall.pk], EDIT),
        ("councils:person_edit", [records.person.pk], EDIT),
        ("councils:person_add", [], ADD_UNSCOPED),
        ("councils:person_import", [], ADD_UNSCOPED),
        ("councils:person_import_template", [], ADD_UNSCOPED),
        ("councils:membership_import", [], ADD_UNSCOPED),
        ("councils:membership_import_template", [], ADD_UNSCOPED),
        ("councils:training_add", [], TRAINING_ADD),
        ("councils:training_edit", [records.training.pk], TRAINING_EDIT),
        ("councils:research", [], RESEARCH_LIST),
        ("councils:research_visit", [research.pk], RESEARCH_READ),
        ("councils:research_visit_add", [], RESEARCH_ADD),
        ("councils:research_visit_edit", [research.pk], RESEARCH_EDIT),
    ]


def meeting_add_url(geo):
    return reverse("councils:meeting_add") + f"?courtyard={geo.courtyard_a1.pk}"


def client_for(persona, people, login, client):
    return client if persona == "anonymous" else login(getattr(people, persona))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_answers_each_persona_as_the_matrix_says(
    records, geo, people, login, client, persona
):
    visitor = client_for(persona, people, login, client)
    wrong = []
    for name, args, expected in pages(records, geo):
        response = visitor.get(reverse(name, args=args))
        if response.status_code != expected[persona]:
            wrong.append((name, response.status_code, expected[persona]))
        if expected[persona] == 302:
            to = (
                reverse("login") if persona == "anonymous" else reverse("councils:meeting_register")
            )
            assert response.url.startswith(to)
    draft = visitor.get(reverse("councils:public_meeting", args=[records.draft.pk]))
    if draft.status_code != 404:
        wrong.append(("councils:public_meeting (draft)", draft.status_code, 404))
    response = visitor.get(meeting_add_url(geo))
    if response.status_code != MEETING_ADD[persona]:
        wrong.append(("councils:meeting_add", response.status_code, MEETING_ADD[persona]))
    assert wrong == []


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ["councils:term_add", "councils:membership_add"])
def test_terms_and_members_are_added_as_the_matrix_says(
    council, people, login, client, persona, name
):
    """Recorded by those who add terms and memberships (district staff and inspectors read)."""
    url = reverse(name, args=[council.organisation.pk]) + "?body=council"
    response = client_for(persona, people, login, client).get(url)
    assert response.status_code == EDIT[persona]


def test_setting_up_an_organisation_is_scoped_by_the_courtyard(geo, people, login):
    url = reverse("councils:organisation_add") + f"?courtyard={geo.courtyard_a1.pk}"
    assert login(people.community).get(url).status_code == 200
    assert login(people.street_b).get(url).status_code == 404
    assert login(people.district_staff).get(url).status_code == 403


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("street_a", 302), ("district_staff", 302), ("community", 403), ("street_b", 404)],
)
def test_only_streets_and_the_district_record_an_acceptance(
    council, geo, people, login, persona, expected
):
    # the council is accepted already: those allowed are sent back to its page
    url = reverse("councils:organisation_accept", args=[council.organisation.pk])
    assert login(getattr(people, persona)).get(url).status_code == expected


def test_a_post_to_another_scopes_organisation_changes_nothing(council, people, login):
    url = reverse("councils:organisation_dissolve", args=[council.organisation.pk])
    response = login(people.street_b).post(
        url, {"dissolved_on": "2025-01-01", "dissolved_reason": "越权"}
    )
    assert response.status_code == 404
    council.organisation.refresh_from_db()
    assert council.organisation.is_open


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("community", 302), ("street_a", 302), ("inspector", 403), ("street_b", 404)],
)
def test_establishing_is_for_those_who_change_organisations_within_their_scope(
    council, people, login, persona, expected
):
    # the council is accepted already: those allowed are sent back to its page
    url = reverse("councils:organisation_establish", args=[council.organisation.pk])
    assert login(getattr(people, persona)).get(url).status_code == expected
