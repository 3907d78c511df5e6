"""The meeting admin screens: scoped, read-only where the pages apply the rules, a draft's
wording correctable, proxies masked for roles that may not see personal data."""

import pytest
from django.urls import reverse

from councils.models import Meeting
from councils.services import meetings as services
from tests.councils.factories import council_meeting, elect, organisation_for

MODELS = ["meeting", "motion", "attendance", "attachment", "revision", "objection"]


@pytest.fixture
def elsewhere(geo):
    organisation = organisation_for(geo.courtyard_b1)
    elect(organisation, "council", ["convener", "representative"])
    return council_meeting(organisation)


@pytest.mark.parametrize("model", MODELS)
def test_each_screen_lists_for_staff_and_hides_other_streets(
    records, elsewhere, people, login, model
):
    client = login(people.street_a)
    assert client.get(reverse(f"admin:councils_{model}_changelist")).status_code == 200
    url = reverse("admin:councils_meeting_change", args=[elsewhere.pk])
    assert client.get(url).status_code == 404


def test_meetings_are_recorded_on_the_pages_not_added_here(council, people, login):
    response = login(people.district_admin).get(reverse("admin:councils_meeting_add"))
    assert response.status_code == 403


def test_a_draft_wording_is_corrected_and_outdates_an_open_page_form(council, people, login):
    meeting = council_meeting(council.organisation)
    client = login(people.street_a)
    url = reverse("admin:councils_meeting_change", args=[meeting.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields) == {"start_time", "place", "chair", "recorder", "agenda", "minutes"}
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(place="社区活动室", _seen_version=meeting.history.latest().history_id)
    for prefix in ("attendance", "motions", "attachments", "revisions"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    changed = Meeting.objects.get()
    assert changed.place == "社区活动室" and changed.version == meeting.version + 1


def test_a_published_meeting_is_read_only_here(council, people, login):
    meeting = council_meeting(council.organisation)
    services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    url = reverse("admin:councils_meeting_change", args=[meeting.pk])
    form = login(people.street_a).get(url).context["adminform"].form
    assert set(form.fields) == set()


def test_proxies_are_masked_for_district_staff(council, people, login):
    import datetime

    meeting = services.meeting_record(
        organisation=council.organisation,
        kind="meeting",
        minutes=services.Minutes(
            fields={
                "held_on": datetime.date(2024, 5, 10),
                "place": "院坝",
                "chair": "召集人",
                "recorder": "记录员",
                "households_by_proxy": 1,
                "proxies": "3栋2单元501 由女儿代理",
            },
            households_present=70,
        ),
        by=None,
    )
    url = reverse("admin:councils_meeting_change", args=[meeting.pk])
    assert "3栋2单元501" not in login(people.district_staff).get(url).content.decode()
    assert "3栋2单元501" in login(people.street_a).get(url).content.decode()
    page = login(people.district_staff).get(meeting.get_absolute_url()).content.decode()
    assert "3栋2单元501" not in page
