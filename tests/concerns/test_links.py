"""A concern linked to what settles it (issue 21 point 4): the council's motion it was put
to, shown both ways; a fund project; each link a line of the timeline; only records of the
concern's own community, and never another street's."""

from django.urls import reverse

from concerns.models import ConcernEvent
from tests.concerns.factories import a_concern
from tests.councils.factories import council_meeting, elect, organisation_for
from tests.funds.factories import ProjectFactory


def motion_in(courtyard):
    organisation = organisation_for(courtyard)
    elect(organisation, "council", ["convener", "representative"])
    return council_meeting(organisation).motions.get()


def test_a_concern_put_to_the_council_shows_on_both_pages(geo, people, login):
    concern = a_concern(people.community, geo.community_a1, courtyard=geo.courtyard_a1)
    motion = motion_in(geo.courtyard_a1)
    project = ProjectFactory(courtyard=geo.courtyard_a1)
    client = login(people.community)
    page = client.get(concern.get_absolute_url())
    assert motion.title in page.text  # offered in the link form
    response = client.post(
        reverse("concerns:link", args=[concern.pk]),
        {"link-motion": motion.pk, "link-project": project.pk},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.motion == motion and concern.project == project
    lines = ConcernEvent.objects.filter(concern=concern, kind="linked")
    assert lines.count() == 2
    assert concern.history.first().history_user == people.community
    page = client.get(concern.get_absolute_url()).text
    assert reverse("councils:meeting", args=[motion.meeting_id]) in page
    assert reverse("funds:project", args=[project.pk]) in page
    meeting = client.get(reverse("councils:meeting", args=[motion.meeting_id])).text
    assert concern.number in meeting


def test_another_streets_motion_is_refused_in_chinese(geo, people, login):
    concern = a_concern(people.street_a, geo.community_a1)
    theirs = motion_in(geo.courtyard_b1)
    response = login(people.street_a).post(
        reverse("concerns:link", args=[concern.pk]), {"link-motion": theirs.pk}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.text
    concern.refresh_from_db()
    assert concern.motion is None
    assert not ConcernEvent.objects.filter(kind="linked").exists()


def test_the_service_refuses_another_communitys_record(geo, people):
    import pytest
    from django.core.exceptions import ValidationError

    from concerns import services

    concern = a_concern(people.street_a, geo.community_a1)
    project = ProjectFactory(courtyard=geo.courtyard_a2)
    with pytest.raises(ValidationError) as error:
        services.concern_link(concern, by=people.street_a, project=project)
    assert "project" in error.value.message_dict
