"""Proposals ranked from the assessment (issue 22 point 2): a street nominates the
best-ranked communities of its published assessment for 先进社区 in one step, each with its
rank and total as the reason; another street's assessment is not offered nor accepted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from commendations.models import Kind, Nomination
from tests.assessments.builders import organisation, scheme
from tests.commendations.conftest import category


@pytest.fixture
def published(geo, people):
    """浆洗街街道's published assessment of its communities: 锦里社区 first, 洗面桥社区 second
    (each has an organisation, so both are ranked)."""
    organisation(geo.community_a1, "锦里12号院自治组织")
    organisation(geo.community_a2, "洗面桥3号院自治组织")
    made = scheme(people.street_a, geo.district, geo.street_a, indicators=[("议事规范", "10")])
    indicator = made.areas.get().indicators.get()
    for community, points in ((geo.community_a1, 9), (geo.community_a2, 6)):
        assessment_services.score_enter(
            indicator, community, points=Decimal(points), note="查阅台账", by=people.street_a
        )
    assessment_services.scheme_publish(made, by=people.street_a)
    return made


def test_a_street_nominates_its_best_ranked_community_from_its_assessment(
    round_, published, geo, people, login
):
    client = login(people.street_a)
    communities = category(round_, Kind.COMMUNITY)
    page = client.get(
        reverse("commendations:nominate", args=[round_.pk]), {"category": communities.pk}
    ).text
    assert "按考评结果推荐" in page and published.title in page

    response = client.post(
        reverse("commendations:propose", args=[round_.pk]),
        {"category": communities.pk, "scheme": published.pk, "count": "1"},
        follow=True,
    )
    assert "已按考评结果推荐：锦里社区。" in response.text
    nomination = Nomination.objects.get()  # one place: the first only
    assert nomination.community == geo.community_a1
    assert nomination.street == geo.street_a
    assert "第1名" in nomination.reason and "9.00" in nomination.reason
    assert published.title in nomination.source

    again = client.post(
        reverse("commendations:propose", args=[round_.pk]),
        {"category": communities.pk, "scheme": published.pk, "count": "1"},
        follow=True,
    )
    assert "考评排名的单位均已被推荐" in again.text
    assert Nomination.objects.count() == 1

    too_many = client.post(
        reverse("commendations:propose", args=[round_.pk]),
        {"category": communities.pk, "scheme": published.pk, "count": "2"},
        follow=True,
    )
    assert "推荐名次应在1至1之间" in too_many.text
    assert Nomination.objects.count() == 1


def test_another_streets_assessment_is_neither_offered_nor_accepted(
    round_, published, people, login
):
    client = login(people.street_b)
    communities = category(round_, Kind.COMMUNITY)
    page = client.get(
        reverse("commendations:nominate", args=[round_.pk]), {"category": communities.pk}
    ).text
    assert published.title not in page
    response = client.post(
        reverse("commendations:propose", args=[round_.pk]),
        {"category": communities.pk, "scheme": published.pk, "count": "1"},
    )
    assert response.status_code == 404
    assert not Nomination.objects.exists()


def test_a_draft_assessment_proposes_nothing(round_, geo, people, login):
    draft = scheme(people.street_a, geo.district, geo.street_a, indicators=[("议事规范", "10")])
    communities = category(round_, Kind.COMMUNITY)
    response = login(people.street_a).post(
        reverse("commendations:propose", args=[round_.pk]),
        {"category": communities.pk, "scheme": draft.pk},
    )
    assert response.status_code == 404
    assert (
        login(people.street_a).get(reverse("commendations:propose", args=[round_.pk])).status_code
        == 405
    )
