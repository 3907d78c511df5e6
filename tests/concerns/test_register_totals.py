"""The register's totals (received, answered, resolved, overdue or answered late,
dissatisfied) are those of the rows it lists, for every filter and every reader, after each
step of a concern taken on its page, and as the days pass. Narrowed by place and lateness
only, they are added up from each community's kept totals (concerns.selectors)."""

import datetime

import pytest
from django.utils import timezone

from concerns import services
from concerns.models import Concern
from tests.concerns.factories import a_concern
from tests.concerns.test_pages import intake

FILTERS = [
    {},
    {"overdue": "yes"},
    {"overdue": "no"},
    {"street": "street_a"},
    {"community": "community_a1"},
    {"community": "community_a1", "overdue": "yes"},
    {"category": "parking"},  # counted from the rows
    {"overdue": "late"},  # a value the filter cannot take narrows nothing
]


@pytest.fixture
def register(geo, people, login):
    a1 = [a_concern(people.community, geo.community_a1, category="parking") for _ in range(3)]
    a2 = a_concern(people.street_a, geo.community_a2, channel="online")
    a_concern(people.street_b, geo.community_b1)
    for concern in (a1[0], a1[1], a2):
        services.concern_classify(concern, by=people.street_a, routing=1)
    # due before it was received: overdue, and late whenever answered (written before
    # anything is kept, as no page would)
    Concern.objects.filter(pk=a1[1].pk).update(answer_due=datetime.date(2020, 1, 1))
    return {"a1": a1, "a2": a2}


def _params(geo, wanted):
    """The filters, with the places named by their fixture's name given by their pk."""
    places = {"street", "community"}
    return {
        key: getattr(geo, value).pk if key in places else value for key, value in wanted.items()
    }


def _shown_and_counted(client, params):
    """The totals the register shows, and what counting the rows it lists gives."""
    page = client.get("/concerns/", params)
    rows = list(page.context["page"].paginator.object_list)
    counted = {
        "received": len(rows),
        "answered": sum(row.answered_at is not None for row in rows),
        "resolved": sum(row.resolved_at is not None for row in rows),
        "overdue": sum(row.overdue_value for row in rows),
        "dissatisfied": sum(row.satisfaction == Concern.Satisfaction.DISSATISFIED for row in rows),
    }
    shown = {
        key: int(page.content.decode().split(f'data-total="{key}">')[1].split("<")[0])
        for key in counted
    }
    return shown, counted


def _assert_totals_match_the_rows(geo, people, login):
    for persona in ("street_a", "district_staff", "community"):
        client = login(getattr(people, persona))
        for wanted in FILTERS:
            shown, counted = _shown_and_counted(client, _params(geo, wanted))
            assert shown == counted, (persona, wanted)


def test_the_totals_follow_each_step_taken_on_the_concerns_page(register, geo, people, login):
    _assert_totals_match_the_rows(geo, people, login)
    client = login(people.community)
    late, visited = register["a1"][1], register["a1"][0]
    client.post(f"/concerns/{late.pk}/answer/", {"answer-answer": "已联系"})
    base = f"/concerns/{visited.pk}"
    client.post(f"{base}/answer/", {"answer-answer": "已联系"})
    client.post(f"{base}/resolve/", {"resolve-resolution": "已修好"})
    client.post(f"{base}/return-visit/", {"return_visit-satisfaction": "dissatisfied"})
    shown, _counted = _shown_and_counted(login(people.street_a), {})
    assert shown == {"received": 4, "answered": 2, "resolved": 1, "overdue": 1, "dissatisfied": 1}
    _assert_totals_match_the_rows(geo, people, login)
    assert client.post("/concerns/new/", intake(geo)).status_code == 302
    shown, _counted = _shown_and_counted(login(people.street_a), {})
    assert shown["received"] == 5


def test_a_concern_left_unanswered_past_its_deadline_counts_as_overdue_the_next_day(
    register, geo, people, login, monkeypatch
):
    client = login(people.street_a)
    before, _counted = _shown_and_counted(client, {"overdue": "yes"})
    assert before["received"] == 1
    due = Concern.objects.get(pk=register["a2"].pk).answer_due
    monkeypatch.setattr(timezone, "localdate", lambda *args: due + datetime.timedelta(days=1))
    after, counted = _shown_and_counted(client, {"overdue": "yes"})
    assert after == counted
    assert after["received"] == 4  # every concern of the street, none answered
    _assert_totals_match_the_rows(geo, people, login)
