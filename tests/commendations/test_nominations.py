"""Nominating: a street nominates its own communities, organisations, representatives and
workers, the district its streets; never another street's, never after the round closes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commendations.models import Kind, Nomination, Round
from tests.commendations.conftest import category, nominate, open_round
from tests.councils.factories import pdf_upload


def _nominate_url(round_, kind):
    return (
        reverse("commendations:nominate", args=[round_.pk])
        + f"?category={category(round_, kind).pk}"
    )


def test_a_street_nominates_its_community_with_a_reason(round_, geo, people, login):
    client = login(people.street_a)
    url = _nominate_url(round_, Kind.COMMUNITY)
    page = client.get(url)
    assert "锦里社区" in page.text and "九眼桥社区" not in page.text
    response = client.post(
        url,
        {
            "category": category(round_, Kind.COMMUNITY).pk,
            "nominee": geo.community_a1.pk,
            "reason": "院落自治组织全覆盖，议事规范。",
            "evidence": pdf_upload("事迹材料.pdf"),
        },
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.community == geo.community_a1
    assert nomination.street == geo.street_a
    assert nomination.status == Nomination.Status.NOMINATED
    detail = client.get(round_.get_absolute_url())
    assert "院落自治组织全覆盖，议事规范。" in detail.text
    assert "1 个推荐 · 1 个名额" in detail.text
    evidence = client.get(reverse("commendations:evidence", args=[nomination.pk]))
    assert evidence.status_code == 200


def test_a_street_cannot_nominate_another_streets_community(round_, geo, people, login):
    client = login(people.street_b)
    response = client.post(
        _nominate_url(round_, Kind.COMMUNITY),
        {"category": category(round_, Kind.COMMUNITY).pk, "nominee": geo.community_a1.pk,
         "reason": "很好"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.text
    assert not Nomination.objects.exists()


def test_another_streets_nomination_is_not_found(round_, geo, people, login):
    nomination = nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1,
                          evidence=pdf_upload())  # fmt: skip
    evidence = reverse("commendations:evidence", args=[nomination.pk])
    assert login(people.street_b).get(evidence).status_code == 404
    assert login(people.community).get(evidence).status_code == 404  # not honoured (yet)
    assert login(people.district_staff).get(evidence).status_code == 200
    page = login(people.street_b).get(round_.get_absolute_url())
    assert "院落自治工作成效明显" not in page.text


def test_streets_are_nominated_by_the_district_only(round_, geo, people, login):
    street_category = category(round_, Kind.STREET)
    url = _nominate_url(round_, Kind.STREET)
    assert login(people.street_a).get(url).status_code == 404  # not among a street's honours
    assert login(people.district_staff).get(url).status_code == 200
    community_url = _nominate_url(round_, Kind.COMMUNITY)
    assert login(people.district_staff).get(community_url).status_code == 404
    response = login(people.district_staff).post(
        url, {"category": street_category.pk, "nominee": geo.street_b.pk, "reason": "成效显著"}
    )
    assert response.status_code == 302
    assert Nomination.objects.get().nominee_street == geo.street_b


def test_a_worker_is_nominated_by_name_and_unit(round_, geo, people, login):
    client = login(people.street_a)
    url = _nominate_url(round_, Kind.WORKER)
    empty = client.post(url, {"category": category(round_, Kind.WORKER).pk, "reason": "好"})
    assert "这个字段是必填项" in empty.text
    client.post(url, {"category": category(round_, Kind.WORKER).pk, "worker_name": "王芳",
                      "worker_unit": "锦里社区居委会", "reason": "长期扎根院落"})  # fmt: skip
    assert Nomination.objects.get().nominee_name == "王芳（锦里社区居委会）"


def test_representatives_and_groups_of_the_street(round_, org, geo, people, login):
    client = login(people.street_a)
    representatives = client.get(_nominate_url(round_, Kind.REPRESENTATIVE)).text
    assert org.representative.name in representatives
    assert org.member.name not in representatives  # a group member is no representative
    groups = client.get(_nominate_url(round_, Kind.GROUP)).text
    assert org.organisation.name in groups
    assert (
        org.organisation.name
        not in login(people.street_b).get(_nominate_url(round_, Kind.GROUP)).text
    )


def test_the_same_unit_is_nominated_once(round_, geo, people):
    nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1)
    with pytest.raises(ValidationError, match="已被推荐"):
        nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1)


def test_nominations_close_on_their_date(geo, people, login):
    round_ = open_round(geo, people)
    Round.objects.filter(pk=round_.pk).update(
        nominations_until=datetime.date.today() - datetime.timedelta(days=1)
    )
    round_.refresh_from_db()
    with pytest.raises(ValidationError, match="推荐已于"):
        nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1)
    assert login(people.street_a).get(_nominate_url(round_, Kind.COMMUNITY)).status_code == 403


def test_a_community_member_does_not_nominate(round_, people, login):
    assert login(people.community).get(_nominate_url(round_, Kind.COMMUNITY)).status_code == 403


def test_the_round_form_opens_a_round_with_its_categories(geo, people, login):
    client = login(people.district_admin)
    data = {"title": "2027年度表彰", "first_year": 2027, "last_year": 2026,
            "nominations_until": "2027-03-01", "places_street": 2, "places_community": 0,
            "places_group": 5, "places_representative": 0, "places_worker": 0}  # fmt: skip
    refused = client.post(reverse("commendations:round_new"), data)
    assert "截止年度不能早于起始年度" in refused.text
    assert not Round.objects.exists()
    client.post(reverse("commendations:round_new"), {**data, "last_year": 2028})
    round_ = Round.objects.get()
    assert sorted(round_.categories.values_list("kind", flat=True)) == ["group", "street"]
