"""A fund project names the council resolution that approved it: adopted, published, of
the courtyard's own council, taken before the project started."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils.services import meetings as meeting_services
from funds.models import Project
from tests.councils.conftest import council  # noqa: F401  (the fixture)
from tests.councils.factories import council_meeting, elect, organisation_for


def project(courtyard, **extra):
    return Project(
        courtyard=courtyard,
        year=2024,
        title="增设非机动车棚",
        category=Project.Category.REPAIRS,
        budget=Decimal("8000.00"),
        **extra,
    )


@pytest.fixture
def resolution(council):  # noqa: F811
    meeting = council_meeting(council.organisation)
    meeting_services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    return meeting.motions.get()


def test_an_adopted_published_resolution_of_the_courtyard_is_accepted(resolution, geo):
    project(geo.courtyard_a1, resolution=resolution).full_clean()


def test_a_draft_or_rejected_resolution_is_refused(council, geo):  # noqa: F811
    draft = council_meeting(council.organisation).motions.get()
    with pytest.raises(ValidationError) as error:
        project(geo.courtyard_a1, resolution=draft).full_clean()
    assert "resolution" in error.value.message_dict
    rejected = council_meeting(
        council.organisation,
        held_on=datetime.date(2024, 6, 1),
        motions=[{"title": "否决的议题", "votes_against": 3}],
    )
    meeting_services.meeting_publish(meeting=rejected, seen_version=rejected.version, by=None)
    with pytest.raises(ValidationError):
        project(geo.courtyard_a1, resolution=rejected.motions.get()).full_clean()


def test_another_courtyards_resolution_is_refused(resolution, geo):
    with pytest.raises(ValidationError) as error:
        project(geo.courtyard_a2, resolution=resolution).full_clean()
    assert "resolution" in error.value.message_dict


def test_a_resolution_after_the_start_is_refused(resolution, geo):
    with pytest.raises(ValidationError) as error:
        project(
            geo.courtyard_a1, resolution=resolution, started_on=datetime.date(2024, 5, 1)
        ).full_clean()
    assert "resolution" in error.value.message_dict


def test_the_project_form_offers_only_the_courtyards_resolutions(resolution, geo, people, login):
    other = organisation_for(geo.courtyard_b1)
    elect(other, "council", ["convener", "representative"])
    elsewhere = council_meeting(other)
    meeting_services.meeting_publish(meeting=elsewhere, seen_version=elsewhere.version, by=None)
    response = login(people.community).get(reverse("funds:project_add", args=[geo.courtyard_a1.pk]))
    choices = list(response.context["form"].fields["resolution"].queryset)
    assert choices == [resolution]


def test_the_project_page_and_the_public_page_name_the_resolution(
    resolution, geo, people, login, client
):
    cited = project(geo.courtyard_a1, resolution=resolution)
    cited.save()
    page = login(people.community).get(cited.get_absolute_url()).content.decode()
    assert "增设非机动车棚" in page and "2024-05-10" in page
    public = client.get(reverse("public_courtyard", args=[geo.courtyard_a1.pk]) + "?year=2024")
    link = reverse("councils:public_meeting", args=[resolution.meeting_id])
    assert link in public.content.decode()
