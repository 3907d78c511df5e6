"""The concerns pages: intake, a concern's page and its steps, the duty officer's list, the
roster and handover, the register with its filters and its export."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.utils import timezone

from concerns import services
from concerns.models import Concern, ConcernEvent
from portal.roles import Role
from tests.concerns.factories import a_concern
from tests.factories import user_with_role


@pytest.fixture
def concern(geo, people):
    return a_concern(people.community, geo.community_a1, courtyard=geo.courtyard_a1)


def intake(geo, **fields):
    return {
        "community": geo.community_a1.pk,
        "courtyard": geo.courtyard_a1.pk,
        "channel": "home_visit",
        "category": "sanitation",
        "text": "垃圾桶满了没人清",
        "resident_name": "李桂芳",
        "resident_phone": "13900001111",
        **fields,
    }


def test_a_community_member_receives_a_concern(geo, people, login):
    response = login(people.community).post("/concerns/new/", intake(geo))
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/concerns/{concern.pk}/"
    assert concern.number.startswith(f"{timezone.localdate().year}-浆洗街-")
    assert concern.received_by == people.community


def test_intake_offers_only_the_users_communities(geo, people, login):
    page = login(people.community).get("/concerns/new/").content.decode()
    assert "锦里社区" in page and "九眼桥社区" not in page
    response = login(people.community).post(
        "/concerns/new/", intake(geo, community=geo.community_b1.pk)
    )
    assert response.status_code == 200 and not Concern.objects.exists()


def test_intake_shows_the_rules_errors(geo, people, login):
    response = login(people.street_a).post(
        "/concerns/new/", intake(geo, community=geo.community_a2.pk)
    )
    assert response.status_code == 200
    assert "院落须属于所选社区" in response.content.decode()
    response = login(people.community).post("/concerns/new/", intake(geo, resident_name=""))
    assert "请填写居民姓名" in response.content.decode()


def test_an_anonymous_concern_from_the_form(geo, people, login):
    login(people.community).post("/concerns/new/", intake(geo, anonymous="on"))
    assert Concern.objects.get().resident_name == ""


def test_the_steps_through_the_pages(concern, people, login):
    client = login(people.community)
    base = f"/concerns/{concern.pk}"
    assert "分类" in client.get(f"{base}/").content.decode()
    assert client.post(f"{base}/classify/", {"classify-routing": "1"}).status_code == 302
    assert client.post(f"{base}/answer/", {"answer-answer": "已联系"}).status_code == 302
    assert client.post(f"{base}/resolve/", {"resolve-resolution": "已清运"}).status_code == 302
    visit = {"return_visit-satisfaction": "satisfied", "return_visit-text": "很快"}
    assert client.post(f"{base}/return-visit/", visit).status_code == 302
    assert client.post(f"{base}/note/", {"note-text": "归档"}).status_code == 302
    concern.refresh_from_db()
    assert concern.status == "visited"
    page = client.get(f"{base}/").content.decode()
    assert "已清运" in page and "归档" in page
    assert "用时0个工作日" in page  # answered the day it was received


def test_a_refused_step_comes_back_with_its_error(concern, people, login):
    response = login(people.community).post(
        f"/concerns/{concern.pk}/answer/", {"answer-answer": "已联系"}
    )
    assert response.status_code == 200
    assert "请先对诉求分类" in response.content.decode()


def test_escalation_from_the_page_moves_who_acts(concern, people, login):
    client = login(people.community)
    client.post(f"/concerns/{concern.pk}/escalate/", {"escalate-reason": "需街道协调"})
    concern.refresh_from_db()
    assert concern.level == "street"
    assert client.post(f"/concerns/{concern.pk}/note/", {"note-text": "x"}).status_code == 403
    street = login(people.street_a)
    street.post(f"/concerns/{concern.pk}/escalate/", {"escalate-reason": "跨部门"})
    concern.refresh_from_db()
    assert concern.level == "district"
    district = login(people.district_staff)
    district.post(f"/concerns/{concern.pk}/classify/", {"classify-routing": "3"})
    concern.refresh_from_db()
    assert concern.routing == 3


def test_personal_data_is_masked_for_district_staff(concern, people, login):
    shown = login(people.district_staff).get(f"/concerns/{concern.pk}/").content.decode()
    assert "138****5678" in shown and "13812345678" not in shown
    listed = login(people.district_staff).get("/concerns/").content.decode()
    assert "138****5678" in listed and "13812345678" not in listed
    full = login(people.community).get(f"/concerns/{concern.pk}/").content.decode()
    assert "13812345678" in full


def test_the_duty_officer_sees_the_open_concerns_after_handover(geo, people, login):
    today = timezone.localdate()
    yesterday = timezone.now() - timedelta(days=1)
    concern = a_concern(people.community, geo.community_a1, received_at=yesterday)
    tomorrow_officer = user_with_role(Role.COMMUNITY_MEMBER, geo.community_a1, username="sq_b")
    client = login(people.community)
    for day, officer in ((today - timedelta(days=1), people.community), (today, tomorrow_officer)):
        response = client.post(
            f"/concerns/roster/{geo.community_a1.pk}/",
            {"date": day.isoformat(), "officer": officer.pk},
        )
        assert response.status_code == 302
    response = client.post(
        f"/concerns/roster/{geo.community_a1.pk}/handover/",
        {"day": (today - timedelta(days=1)).isoformat(), "note": "已上门"},
    )
    assert response.status_code == 302
    event = concern.events.get(kind=ConcernEvent.Kind.HANDED_OVER)
    assert event.to_officer == tomorrow_officer
    mine = login(tomorrow_officer).get("/concerns/mine/").content.decode()
    assert concern.number in mine
    assert concern.number not in login(people.community).get("/concerns/mine/").content.decode()


def test_the_roster_refuses_an_officer_of_another_community(geo, people, login):
    other = user_with_role(Role.COMMUNITY_MEMBER, geo.community_a2, username="sq_a2")
    response = login(people.street_a).post(
        f"/concerns/roster/{geo.community_a1.pk}/",
        {"date": date(2026, 12, 7).isoformat(), "officer": other.pk},
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()


@pytest.fixture
def several(geo, people):
    a1 = [a_concern(people.community, geo.community_a1, category="parking") for _ in range(3)]
    a2 = a_concern(people.street_a, geo.community_a2, channel="online")
    b1 = a_concern(people.street_b, geo.community_b1)
    services.concern_classify(a1[0], by=people.community, routing=2)
    return {"a1": a1, "a2": a2, "b1": b1}


def _numbers(page):
    return {c.number for c in page.context["page"]}


def test_register_filters(several, people, login):
    client = login(people.street_a)
    assert len(_numbers(client.get("/concerns/"))) == 4
    assert len(_numbers(client.get("/concerns/", {"category": "parking"}))) == 3
    assert _numbers(client.get("/concerns/", {"channel": "online"})) == {several["a2"].number}
    assert len(_numbers(client.get("/concerns/", {"status": "classified"}))) == 1
    assert len(_numbers(client.get("/concerns/", {"routing": "2"}))) == 1
    assert len(_numbers(client.get("/concerns/", {"overdue": "no"}))) == 4
    assert _numbers(client.get("/concerns/", {"q": several["a2"].number})) == {several["a2"].number}
    today = timezone.localdate().isoformat()
    assert len(_numbers(client.get("/concerns/", {"received_from": today}))) == 4
    assert _numbers(client.get("/concerns/", {"community": several["b1"].community_id})) == set(
        c.number for c in [*several["a1"], several["a2"]]
    )  # another street's community narrows nothing


def test_register_overdue_filter(several, people, login):
    Concern.objects.filter(pk=several["a2"].pk).update(answer_due=date(2020, 1, 1))
    rows = _numbers(login(people.street_a).get("/concerns/", {"overdue": "yes"}))
    assert rows == {several["a2"].number}


def test_the_export_holds_exactly_the_listed_rows_with_masked_phones(several, people, login):
    client = login(people.district_staff)
    listed = _numbers(client.get("/concerns/", {"category": "parking"}))
    response = client.get("/concerns/", {"category": "parking", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    numbers = {row[1] for row in cells if row[1] and str(row[1]).count("-") == 2}
    assert numbers == listed
    phones = {row[7] for row in cells if row[1] in listed}
    assert phones == {"138****5678"}


def test_the_register_and_its_export_leave_an_audit_line_for_full_phones(several, people, login):
    from portal.models import PersonalDataAccess

    login(people.street_a).get("/concerns/", {"format": "xlsx"})
    login(people.district_staff).get("/concerns/", {"format": "xlsx"})
    line = PersonalDataAccess.objects.get()
    assert (line.user, line.action, line.records) == (people.street_a, "export", 4)


def test_the_navigation_offers_concerns_to_those_who_see_them(geo, people, login):
    assert "民情诉求" in login(people.community).get("/").content.decode()
    assert "民情诉求" not in login(people.inspector).get("/").content.decode()
