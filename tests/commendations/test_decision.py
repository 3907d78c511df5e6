"""The district's decision: within each category's places, with its 文号 and date; the
round is then frozen."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commendations.models import Kind, Nomination, Round
from tests.commendations.conftest import category, decide, nominate


@pytest.fixture
def nominations(round_, geo, people):
    return [
        nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1),
        nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a2),
        nominate(round_, Kind.COMMUNITY, people.street_b, geo.street_b, geo.community_b1),
    ]


def _data(round_, ticked, number="武委发〔2026〕8号", day="2026-01-05"):
    field = f"category_{category(round_, Kind.COMMUNITY).pk}"
    return {field: [n.pk for n in ticked], "decision_number": number, "decided_on": day}


def test_more_than_the_places_is_refused(round_, nominations, people, login):
    client = login(people.district_admin)
    response = client.post(
        reverse("commendations:decide", args=[round_.pk]), _data(round_, nominations[:2])
    )
    assert response.status_code == 200
    assert "先进社区：最多表彰 1 个，已勾选 2 个。" in response.text
    round_.refresh_from_db()
    assert not round_.is_decided
    assert set(Nomination.objects.values_list("status", flat=True)) == {"nominated"}


def test_a_decision_without_its_document_number_is_refused(round_, nominations, people, login):
    client = login(people.district_admin)
    response = client.post(
        reverse("commendations:decide", args=[round_.pk]), _data(round_, nominations[:1], number="")
    )
    assert "请填写表彰决定的文号。" in response.text
    round_.refresh_from_db()
    assert not round_.is_decided


def test_the_decision_honours_the_ticked_and_freezes_the_round(round_, nominations, geo, people,
                                                               login):  # fmt: skip
    client = login(people.district_admin)
    response = client.post(
        reverse("commendations:decide", args=[round_.pk]), _data(round_, nominations[:1])
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.DECIDED
    assert round_.decision_number == "武委发〔2026〕8号"
    assert round_.decided_by == people.district_admin
    statuses = dict(Nomination.objects.values_list("community__name", "status"))
    assert statuses == {"锦里社区": "honoured", "洗面桥社区": "not_honoured",
                        "九眼桥社区": "not_honoured"}  # fmt: skip
    page = client.get(round_.get_absolute_url()).text
    assert "表彰名单" in page and "武委发〔2026〕8号" in page
    # Frozen: no more nominations, no second decision.
    with pytest.raises(ValidationError, match="已作出表彰决定"):
        nominate(round_, Kind.WORKER, people.street_a, geo.street_a, worker_name="王芳",
                 worker_unit="锦里社区居委会")  # fmt: skip
    nominate_url = reverse("commendations:nominate", args=[round_.pk])
    assert login(people.street_a).get(nominate_url).status_code == 403
    again = client.post(
        reverse("commendations:decide", args=[round_.pk]), _data(round_, nominations[1:2])
    )
    assert again.status_code == 302
    assert Nomination.objects.get(community=geo.community_a2).status == "not_honoured"
    with pytest.raises(ValidationError):
        decide(round_, people, nominations[1:2])


def test_the_honour_roll_reaches_every_unit_of_the_district(round_, nominations, people, login):
    decide(round_, people, nominations[:1])
    for persona in ("street_b", "community", "district_staff"):
        page = login(getattr(people, persona)).get(round_.get_absolute_url()).text
        assert "锦里社区" in page, persona
    community_page = login(people.community).get(round_.get_absolute_url()).text
    assert "洗面桥社区" not in community_page  # not honoured: the community reads the roll only
    street_b_page = login(people.street_b).get(round_.get_absolute_url()).text
    assert "九眼桥社区" in street_b_page  # its own nomination, not honoured
    assert "洗面桥社区" not in street_b_page
