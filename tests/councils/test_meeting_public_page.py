"""居务公开: published decisions on the courtyard's public page, for residents without an
account; drafts, names and personal data never appear; 404 when nothing is published."""

import pytest
from django.urls import reverse

from councils.services import meetings as services
from tests.councils.factories import council_meeting

# the courtyard, three here (meetings, motions, revisions), the fund panel's three years
# and the own-money panel's two (its latest spending and income: none, so no more reads)
QUERIES = 9  # with the concerns' counts (one aggregate) and the honours (one)


def public(client, courtyard):
    return client.get(reverse("public_courtyard", args=[courtyard.pk]))


def publish(meeting):
    return services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)


def test_a_courtyard_with_only_drafts_answers_404(council, geo, client):
    council_meeting(council.organisation)
    assert public(client, geo.courtyard_a1).status_code == 404


def test_published_decisions_appear_newest_first_without_names(council, geo, client):
    import datetime

    older = council_meeting(
        council.organisation,
        held_on=datetime.date(2024, 3, 1),
        motions=[{"title": "修缮化粪池", "votes_for": 3, "decision": "同意修缮"}],
    )
    newer = council_meeting(
        council.organisation,
        held_on=datetime.date(2024, 6, 1),
        motions=[{"title": "增设车棚", "votes_for": 3, "decision": "同意增设"}],
    )
    council_meeting(
        council.organisation,
        held_on=datetime.date(2024, 7, 1),
        motions=[{"title": "草稿议题", "votes_for": 3}],
    )
    publish(older), publish(newer)
    response = public(client, geo.courtyard_a1)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("增设车棚") < page.index("修缮化粪池")
    assert "草稿议题" not in page
    for membership in council.members("representative"):
        assert membership.person.name not in page
        assert membership.person.phone not in page
    assert council.member("convener").person.name not in page
    assert "出差" not in page  # reasons for absence are not published


def test_objections_show_as_a_count(council, geo, client):
    import datetime

    meeting = publish(council_meeting(council.organisation))
    motion = meeting.motions.get()
    services.objection_record(
        motion=motion, received_on=datetime.date.today(), summary="王某反对：挡住通道", by=None
    )
    page = public(client, geo.courtyard_a1).content.decode()
    assert "王某" not in page
    assert '<td class="num" data-label="异议数">1</td>' in page


def test_another_courtyard_does_not_show_these_decisions(council, geo, client):
    publish(council_meeting(council.organisation))
    assert public(client, geo.courtyard_b1).status_code == 404


def test_an_unpublished_meeting_is_not_public(council, client):
    meeting = council_meeting(council.organisation)
    assert client.get(meeting.get_absolute_url()).status_code == 302  # to the login page
    public_url = reverse("councils:public_meeting", args=[meeting.pk])
    assert client.get(public_url).status_code == 404
    publish(meeting)
    page = client.get(public_url).content.decode()
    assert "增设非机动车棚" in page
    assert council.member("convener").person.name not in page


def test_one_published_meeting_is_read_in_three_queries(council, client, django_assert_num_queries):
    meeting = publish(council_meeting(council.organisation))
    with django_assert_num_queries(3):  # the meeting, its motions, its revisions
        client.get(reverse("councils:public_meeting", args=[meeting.pk]))


@pytest.mark.parametrize("meetings", [1, 4])
def test_the_public_page_runs_a_fixed_number_of_queries(
    council, geo, client, django_assert_num_queries, meetings
):
    import datetime

    for n in range(meetings):
        publish(council_meeting(council.organisation, held_on=datetime.date(2024, 1, 1 + n)))
    public(client, geo.courtyard_a1)  # warm caches
    with django_assert_num_queries(QUERIES):
        assert public(client, geo.courtyard_a1).status_code == 200
