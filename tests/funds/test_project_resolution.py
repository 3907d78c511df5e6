"""A project above the district's approval threshold (5,000 yuan in the test rate) names the
resolution that approved it: adopted and published by the representatives' council or the
residents' meeting of the organisation covering the courtyard, not after the project began."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from councils.services import meetings as meeting_services
from funds.models import Project
from funds.services import project_save
from tests.councils.conftest import council  # noqa: F401 (the organisation of courtyard A1)
from tests.councils.factories import council_meeting, elect, organisation_for
from tests.funds.factories import FundRateFactory

MEETING_DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def rate(geo):
    return FundRateFactory(district=geo.district, approval_threshold=Decimal("5000.00"))


def published(meeting):
    return meeting_services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)


@pytest.fixture
def resolution(council, rate):  # noqa: F811
    meeting = published(council_meeting(council.organisation, held_on=MEETING_DAY))
    return meeting.motions.get()


def project(courtyard, budget, **fields):
    return Project(
        courtyard=courtyard,
        year=2026,
        title="增设非机动车棚",
        category=Project.Category.REPAIRS,
        budget=Decimal(budget),
        **fields,
    )


def test_a_project_above_the_threshold_is_refused_without_its_resolution(geo, rate, people):
    with pytest.raises(ValidationError) as error:
        project_save(project=project(geo.courtyard_a1, "5000.01"), by=people.community)
    assert error.value.message_dict["resolution"] == [
        "预算超过本区5,000.00元的审议门槛：请选择批准该项目的院落民情代表议事会或居民会议决议。"
    ]
    assert not Project.objects.exists()


def test_a_project_at_the_threshold_needs_no_resolution(geo, rate, people):
    project_save(project=project(geo.courtyard_a1, "5000.00"), by=people.community)
    assert Project.objects.get().resolution is None


def test_the_adopted_and_published_resolution_of_the_courtyards_council_approves_it(
    geo, resolution, people
):
    saved = project_save(
        project=project(
            geo.courtyard_a1, "8000", resolution=resolution, started_on=datetime.date(2026, 4, 1)
        ),
        by=people.community,
    )
    assert saved.resolution == resolution


def test_a_resolution_is_not_taken_after_the_project_started(geo, resolution, people):
    early = project(
        geo.courtyard_a1, "8000", resolution=resolution, started_on=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        project_save(project=early, by=people.community)
    assert error.value.message_dict["resolution"] == ["项目开工日期不能早于决议作出日期。"]


def test_another_courtyards_unadopted_or_unpublished_resolution_is_refused(
    geo,
    council,  # noqa: F811
    rate,
    people,
):
    other = organisation_for(geo.courtyard_b1)
    elect(other, "council", ["convener", "representative"])
    theirs = published(council_meeting(other, held_on=MEETING_DAY)).motions.get()
    rejected = published(
        council_meeting(
            council.organisation,
            held_on=MEETING_DAY,
            motions=[{"title": "增设车棚", "votes_for": 0, "votes_against": 3}],
        )
    ).motions.get()
    draft = council_meeting(council.organisation, held_on=MEETING_DAY).motions.get()
    for motion in (theirs, rejected, draft):
        with pytest.raises(ValidationError) as error:
            project_save(project=project(geo.courtyard_a1, "8000", resolution=motion), by=None)
        assert "须是覆盖本院落的自治组织" in error.value.message_dict["resolution"][0]
    assert not Project.objects.exists()


def test_the_project_form_offers_only_the_courtyards_resolutions_and_residents_see_them(
    geo, resolution, people, login, client
):
    page = (
        login(people.community)
        .get(reverse("funds:project_add", args=[geo.courtyard_a1.pk]))
        .content.decode()
    )
    assert "2026-03-10 院落民情代表议事会 · 增设非机动车棚" in page

    saved = project_save(project=project(geo.courtyard_a1, "8000", resolution=resolution), by=None)
    public = client.get(reverse("public_courtyard", args=[geo.courtyard_a1.pk]) + "?year=2026")
    assert "2026-03-10 院落民情代表议事会 · 增设非机动车棚" in public.content.decode()
    assert saved.resolution.meeting.get_absolute_url() not in public.content.decode()
