"""A concern linked to what settles it (issue 21 point 4): the council's motion it was put
to, shown both ways; a fund project; each link a line of the timeline; only records of the
concern's own community, and never another street's."""

import datetime

from django.urls import reverse
from django.utils import timezone

from concerns.models import ConcernEvent
from tests.concerns.factories import a_concern
from tests.councils.factories import council_meeting, elect, organisation_for
from tests.factories import CourtyardFactory
from tests.funds.factories import ProjectFactory


def motion_in(courtyard, held_on=None):
    organisation = organisation_for(courtyard)
    elect(organisation, "council", ["convener", "representative"])
    meeting = council_meeting(organisation, held_on=held_on or timezone.localdate())
    return meeting.motions.get()


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


def offered_motions(client, concern):
    steps = client.get(concern.get_absolute_url()).context["steps"]
    form = next(form for step, form, _action in steps if step.name == "link")
    return set(form.fields["motion"].queryset)


def test_only_motions_since_the_concern_of_its_courtyard_are_offered(geo, people, login):
    """Hundreds of a community's motions would make a list no one can choose from."""
    from councils.models import Motion

    today = timezone.localdate()
    motion = motion_in(geo.courtyard_a1)
    earlier = council_meeting(
        motion.meeting.organisation, held_on=today - datetime.timedelta(days=30)
    ).motions.get()
    next_door = CourtyardFactory(community=geo.community_a1, name="锦里14号院")
    neighbours = motion_in(next_door)
    concern = a_concern(people.community, geo.community_a1, courtyard=geo.courtyard_a1)
    assert offered_motions(login(people.community), concern) == {motion}
    assert Motion.objects.filter(pk__in=[earlier.pk, neighbours.pk]).count() == 2
    anywhere = a_concern(people.community, geo.community_a1)  # no courtyard named
    assert offered_motions(login(people.community), anywhere) == {motion, neighbours}
