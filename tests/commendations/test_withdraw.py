"""Correcting and withdrawing a nomination before the decision: the nominating unit only,
while the round takes nominations; a withdrawal is recorded (who, when, why), not deleted,
frees the nominee to be nominated again and leaves the counts and the decision."""

import datetime

import pytest
from django.urls import reverse

from commendations.models import Kind, Nomination
from tests.commendations.conftest import category, decide, nominate
from tests.councils.factories import pdf_upload


@pytest.fixture
def nomination(round_, geo, people):
    return nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1,
                    reason="理由打错了")  # fmt: skip


def _edit(nomination):
    return reverse("commendations:nomination_edit", args=[nomination.pk])


def _withdraw(nomination):
    return reverse("commendations:nomination_withdraw", args=[nomination.pk])


def test_a_street_corrects_its_nominations_reason_and_material(nomination, round_, people,
                                                                login):  # fmt: skip
    client = login(people.street_a)
    page = client.get(round_.get_absolute_url())
    assert _edit(nomination) in page.text and _withdraw(nomination) in page.text
    assert "理由打错了" in client.get(_edit(nomination)).text
    response = client.post(_edit(nomination), {"reason": "  "})
    assert response.status_code == 200 and "推荐理由" in response.text
    response = client.post(
        _edit(nomination), {"reason": "议事会按月召开。", "evidence": pdf_upload("材料.pdf")}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.reason == "议事会按月召开。" and nomination.evidence_name == "材料.pdf"
    assert nomination.community_id is not None  # the nominee stays
    history = list(nomination.history.order_by("history_date"))
    assert [h.reason for h in history] == ["理由打错了", "议事会按月召开。"]
    assert history[-1].history_user == people.street_a


def test_a_withdrawal_is_recorded_and_frees_the_nominee(nomination, round_, geo, people,
                                                         login):  # fmt: skip
    client = login(people.street_a)
    response = client.post(_withdraw(nomination), {"reason": "推荐错了社区"})
    assert response.status_code == 302  # without the confirmation: refused, named
    assert "请勾选" in client.get(round_.get_absolute_url()).text
    assert Nomination.objects.get().status == Nomination.Status.NOMINATED
    assert client.get(_withdraw(nomination)).status_code == 405  # POST only
    client.post(_withdraw(nomination), {"reason": "推荐错了社区", "confirm": "1"})
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
    assert nomination.withdrawn_by == people.street_a and nomination.withdrawn_at
    assert nomination.withdrawal_reason == "推荐错了社区"
    assert nomination.history.count() == 2
    for persona in ("street_a", "district_staff"):
        page = login(getattr(people, persona)).get(round_.get_absolute_url()).text
        assert "已撤回的推荐" in page and "推荐错了社区" in page
        assert "0 个推荐 · 1 个名额" in page
    assert "推荐错了社区" not in login(people.street_b).get(round_.get_absolute_url()).text
    again = nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1)
    assert again.status == Nomination.Status.NOMINATED
    assert Nomination.objects.count() == 2


def test_a_withdrawn_nomination_is_left_out_of_the_decision(nomination, round_, geo, people,
                                                             login):  # fmt: skip
    login(people.street_a).post(_withdraw(nomination), {"confirm": "1"})
    again = nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1)
    form = login(people.district_admin).get(reverse("commendations:decide", args=[round_.pk]))
    assert f'value="{again.pk}"' in form.text and f'value="{nomination.pk}"' not in form.text
    decide(round_, people, [again, nomination])  # the withdrawn id is ignored
    nomination.refresh_from_db()
    again.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
    assert again.status == Nomination.Status.HONOURED
    roll = login(people.community).get(round_.get_absolute_url()).text
    assert "先进社区（1）" in roll  # the honour once, not the withdrawn nomination


@pytest.mark.parametrize("how", ["decided", "closed"])
def test_refused_once_decided_or_closed(how, nomination, round_, people, login):
    if how == "decided":
        decide(round_, people, [])
        expected = "已决定"
    else:
        round_.__class__.objects.filter(pk=round_.pk).update(
            nominations_until=datetime.date.today() - datetime.timedelta(days=1)
        )
        expected = "推荐已于"
    nomination.refresh_from_db()
    client = login(people.street_a)
    page = client.get(round_.get_absolute_url()).text
    assert _edit(nomination) not in page and _withdraw(nomination) not in page
    assert client.get(_edit(nomination)).status_code == 302
    client.post(_edit(nomination), {"reason": "改了"})
    response = client.post(_withdraw(nomination), {"confirm": "1"}, follow=True)
    assert expected in response.text
    after = Nomination.objects.get()
    assert (after.reason, after.status) == ("理由打错了", nomination.status)
    assert after.history.count() == nomination.history.count()


def test_another_street_meets_404_and_the_district_leaves_a_streets_alone(
    nomination, round_, geo, people, login
):
    for url in (_edit(nomination), _withdraw(nomination)):
        assert login(people.street_b).post(url, {"reason": "x", "confirm": "1"}).status_code == 404
        assert login(people.street_b).get(url).status_code in (404, 405)
        assert login(people.district_staff).post(url, {"confirm": "1"}).status_code == 403
    assert login(people.street_b).get(_edit(nomination)).status_code == 404
    assert Nomination.objects.get().status == Nomination.Status.NOMINATED
    own = nominate(round_, Kind.STREET, people.district_staff, None, geo.street_b)
    assert login(people.street_a).get(_edit(own)).status_code == 404
    client = login(people.district_admin)  # the district's own nomination
    assert client.post(_withdraw(own), {"confirm": "1"}).status_code == 302
    own.refresh_from_db()
    assert own.status == Nomination.Status.WITHDRAWN
    assert category(round_, Kind.STREET).nominations.standing().count() == 0
