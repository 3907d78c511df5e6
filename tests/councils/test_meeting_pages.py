"""The pages for the people who enter minutes: the list of their courtyards, the form with
the attendance checklist and the motions, the meeting page, publishing and revising."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Meeting, Motion, Revision
from councils.services import meetings as services
from tests.councils.factories import body_of, council_meeting, pdf_upload
from tests.kept import settle

DAY = datetime.date(2024, 5, 10)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form_data(council, *, present=(True, True, False), motions=(), extra=None, version=None):
    roll = list(services.roll(body_of(council.organisation, "council"), DAY))
    data = {
        "held_on": DAY.isoformat(),
        "start_time": "19:30",
        "place": "院落议事室",
        "chair": "召集人",
        "recorder": "记录员",
        "agenda": "1. 车棚 2. 绿化",
        "minutes": "会议讨论了车棚和绿化。",
        "attendance-TOTAL_FORMS": str(len(roll)),
        "attendance-INITIAL_FORMS": str(len(roll)),
        "motions-TOTAL_FORMS": str(max(len(motions), 2)),
        "motions-INITIAL_FORMS": "0",
    }
    if version is not None:
        data["version"] = str(version)
    for i, membership in enumerate(roll):
        data[f"attendance-{i}-membership"] = str(membership.pk)
        if present[i]:
            data[f"attendance-{i}-present"] = "on"
        else:
            data[f"attendance-{i}-absence_reason"] = "出差"
    for i, motion in enumerate(motions):
        for key, value in motion.items():
            data[f"motions-{i}-{key}"] = str(value)
    data.update(extra or {})
    return data


TWO_MOTIONS = (
    {"title": "增设非机动车棚", "votes_for": 2, "decision": "同意在3栋旁增设车棚"},
    {"title": "更换绿化", "votes_for": 1, "votes_against": 1, "decision": "暂缓"},
)


def add_url(geo, kind="council"):
    return (
        reverse("councils:meeting_add")
        + f"?courtyard={geo.courtyard_a1.pk}&kind={kind}&on={DAY.isoformat()}"
    )


def test_the_list_shows_my_courtyards_with_their_last_meeting(council, geo, people, login):
    council_meeting(council.organisation)
    response = login(people.community).get(reverse("councils:meetings"))
    assert response.status_code == 200
    assert "锦里12号院" in response.content.decode()
    assert "2024-05-10" in response.content.decode()
    public = reverse("public_courtyard", args=[geo.courtyard_a1.pk])
    assert public not in response.content.decode()  # only a draft: nothing public yet


def test_the_form_lists_the_members_serving_that_day(council, geo, people, login):
    response = login(people.community).get(add_url(geo))
    page = response.content.decode()
    for membership in council.members("representative"):
        assert membership.person.name in page
    assert council.member("leader").person.name not in page  # the group, not the council


def test_a_member_records_a_meeting_with_two_motions_and_an_attachment(
    council, geo, people, login, media
):
    client = login(people.community)
    data = form_data(council, motions=TWO_MOTIONS, extra={"attachments": pdf_upload()})
    response = client.post(add_url(geo), data)
    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get()
    assert response.url == meeting.get_absolute_url()
    assert (meeting.present, meeting.members, meeting.quorum) == (2, 3, True)
    assert meeting.status == "draft" and meeting.recorded_by == people.community
    outcomes = list(meeting.motions.order_by("number").values_list("outcome", flat=True))
    assert outcomes == ["adopted", "rejected"]
    assert meeting.attachments.count() == 1
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "增设非机动车棚" in page and "签字纪要.pdf" in page


def test_votes_above_those_present_are_refused_next_to_the_motions(council, geo, people, login):
    client = login(people.community)
    motions = ({"title": "增设非机动车棚", "votes_for": 2, "votes_against": 1},)
    response = client.post(add_url(geo), form_data(council, motions=motions))
    assert response.status_code == 200
    assert response.context["motion_errors"]
    assert "增设非机动车棚" in response.context["motion_errors"][0]
    assert not Meeting.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused_by_its_content(council, geo, people, login, media):
    client = login(people.community)
    fake = pdf_upload("纪要.pdf", b"<html>not a pdf</html>")
    response = client.post(
        add_url(geo), form_data(council, motions=TWO_MOTIONS, extra={"attachments": fake})
    )
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert not Meeting.objects.exists()


def test_a_future_date_is_refused_next_to_the_field(council, geo, people, login):
    data = form_data(council, motions=TWO_MOTIONS)
    data["held_on"] = "2999-01-01"
    response = login(people.community).post(add_url(geo), data)
    assert response.context["form"].errors["held_on"]
    assert not Meeting.objects.exists()


def test_a_ticked_outsider_is_not_saved_and_the_days_roll_is_shown(council, geo, people, login):
    data = form_data(council, motions=TWO_MOTIONS)
    data["attendance-0-membership"] = str(council.member("leader").pk)
    response = login(people.community).post(add_url(geo), data)
    assert response.status_code == 200
    assert [item["anchor"] for item in response.context["summary"]] == ["attendance"]
    listed = {row.initial["membership"] for row in response.context["attendance"]}
    assert listed == {m.pk for m in council.members("convener") | council.members("representative")}
    assert not Meeting.objects.exists()


def test_the_second_of_two_people_editing_a_draft_is_refused(council, geo, people, login):
    meeting = council_meeting(council.organisation)
    url = reverse("councils:meeting_edit", args=[meeting.pk])
    motion = meeting.motions.get()
    edit = {"motions-0-id": motion.pk, "motions-0-title": motion.title, "motions-0-votes_for": 3}

    def post(client, place):
        data = form_data(council, present=(True, True, True), version=meeting.version)
        data.update(edit, place=place)
        data["motions-TOTAL_FORMS"], data["motions-INITIAL_FORMS"] = "1", "1"
        return client.post(url, data)

    first, second = login(people.community), login(people.street_a)
    assert post(first, "第一人").status_code == 302
    response = post(second, "第二人")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Meeting.objects.get().place == "第一人"


def test_publishing_then_revising_keeps_a_revision(council, geo, people, login):
    meeting = council_meeting(council.organisation)
    client = login(people.community)
    url = reverse("councils:meeting_publish", args=[meeting.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": meeting.version}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_published and meeting.published_by == people.community
    motion = meeting.motions.get()
    data = form_data(council, present=(True, True, True), version=meeting.version)
    data.update(
        {
            "motions-TOTAL_FORMS": "1",
            "motions-INITIAL_FORMS": "1",
            "motions-0-id": motion.pk,
            "motions-0-title": motion.title,
            "motions-0-votes_for": 3,
            "motions-0-decision": "同意增设两处车棚",
        }
    )
    edit = reverse("councils:meeting_edit", args=[meeting.pk])
    response = client.post(edit, data)
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = client.post(edit, {**data, "reason": "更正决议内容"})
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert revision.reason == "更正决议内容" and "同意增设两处车棚" in revision.changes
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "更正决议内容" in page


def test_an_attachment_is_served_inside_the_scope_only(council, people, login, media):
    meeting = council_meeting(council.organisation, files=[pdf_upload()])
    url = meeting.attachments.get().get_absolute_url()
    response = login(people.community).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert login(people.street_b).get(url).status_code == 404


def test_an_objection_is_recorded_and_counted(council, people, login):
    meeting = council_meeting(council.organisation)
    services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    motion = Motion.objects.get()
    url = reverse("councils:objection_add", args=[motion.pk])
    client = login(people.community)
    response = client.post(
        url, {"received_on": datetime.date.today().isoformat(), "summary": "车棚挡住消防通道"}
    )
    assert response.status_code == 302
    assert motion.objections.count() == 1


def test_the_reports_count_meetings_and_idle_councils(council, geo, people, login):
    council_meeting(council.organisation)
    response = login(people.district_admin).get(
        reverse("councils:meeting_reports"), {"start": "2024-01-01", "end": "2024-12-31"}
    )
    assert response.status_code == 200
    assert response.context["totals"]["meetings"] == 1
    assert response.context["timely_totals"]["decisions"] == 1
    assert [c.name for c in response.context["idle"]] == ["锦里12号院"]  # no meeting lately


def test_a_council_is_idle_until_it_meets_and_while_its_last_meeting_is_months_old(
    council, geo, people
):
    from councils.selectors.meetings import courtyards_without_council_meeting
    from councils.services import organisation_dissolve

    def idle(on):
        listed = courtyards_without_council_meeting(people.district_admin, 3, on)
        return {c.name: c.last_council for c in listed}

    assert idle(datetime.date(2024, 6, 1)) == {"锦里12号院": None}  # never met
    council_meeting(council.organisation, held_on=datetime.date(2024, 5, 10))
    assert idle(datetime.date(2024, 6, 1)) == {}  # met three weeks ago
    assert idle(datetime.date(2024, 8, 10)) == {}  # three months ago to the day
    assert idle(datetime.date(2024, 8, 11)) == {"锦里12号院": datetime.date(2024, 5, 10)}
    organisation_dissolve(
        organisation=council.organisation, on=datetime.date(2024, 8, 1), reason="院落拆迁", by=None
    )
    assert idle(datetime.date(2024, 8, 11)) == {}  # no organisation any more to meet


@pytest.mark.parametrize("size", [1, 3])
def test_the_list_and_meeting_pages_run_a_fixed_number_of_queries(
    council, geo, people, login, media, django_assert_num_queries, size
):
    from tests.councils.factories import elect, organisation_for
    from tests.factories import CourtyardFactory

    for n in range(size):
        meeting = council_meeting(
            council.organisation,
            held_on=datetime.date(2024, 5, 1 + n),
            motions=[{"title": f"议题{i}", "votes_for": 3} for i in range(size)],
            files=[pdf_upload() for _ in range(size)],
        )
    meeting = services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    for n in range(size):
        other = organisation_for(CourtyardFactory(community=geo.community_a1, name=f"新院{n}"))
        elect(other, "council", ["convener", "representative"])
    client = login(people.community)
    client.get(reverse("councils:meetings"))
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("councils:meetings")).status_code == 200
    with django_assert_num_queries(MEETING_QUERIES):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    with django_assert_num_queries(FORM_QUERIES):
        assert client.get(reverse("councils:meeting_edit", args=[meeting.pk])).status_code == 200
    reports = {}
    for unit in REPORT_QUERIES:
        settle(client, reverse("councils:meeting_reports"), {"by": unit})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("councils:meeting_reports"), {"by": unit})
        assert response.status_code == 200
        reports[unit] = len(captured)
    assert reports == REPORT_QUERIES


LIST_QUERIES = 7
MEETING_QUERIES = 12  # + the residents' concerns put to its motions
FORM_QUERIES = 11
# This year so far by street or community adds up the kept community rows; by courtyard the
# meetings are counted from the records.
REPORT_QUERIES = {"street": 13, "community": 11, "courtyard": 11}


def test_hostile_values_are_refused_without_an_error_page(council, geo, people, login):
    client = login(people.community)
    data = form_data(council, motions=TWO_MOTIONS)
    data["motions-0-votes_for"] = "-5"
    response = client.post(add_url(geo), data)
    assert response.status_code == 200
    assert response.context["motions"].forms[0].errors["votes_for"]
    data = form_data(council, motions=TWO_MOTIONS)
    data["attendance-0-membership"] = "x"
    assert client.post(add_url(geo), data).status_code == 200
    data = form_data(council, motions=TWO_MOTIONS)
    data["motions-TOTAL_FORMS"] = "junk"
    assert client.post(add_url(geo), data).status_code == 200
    assert not Meeting.objects.exists()


def test_another_streets_courtyard_is_not_found(council, geo, people, login):
    assert login(people.street_b).get(add_url(geo)).status_code == 404
    from courtyards.models import Courtyard

    uncovered = Courtyard.objects.get(name="电力局宿舍")  # in A1, without an organisation
    url = reverse("councils:meeting_add") + f"?courtyard={uncovered.pk}"
    assert login(people.community).get(url).status_code == 404


def test_per_courtyard_a_meeting_counts_for_the_courtyards_covered_that_day(council, geo, people):
    from councils.selectors.meetings import meetings_held

    council_meeting(council.organisation, held_on=datetime.date(2024, 5, 10))
    second = council_meeting(council.organisation, held_on=datetime.date(2024, 7, 1))
    services.meeting_publish(meeting=second, seen_version=second.version, by=None)
    rows, totals = meetings_held(
        people.district_admin, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "courtyard"
    )
    figures = {row.name: (row.meetings, row.council_meetings, row.published) for row in rows}
    assert figures["锦里12号院"] == (2, 2, 1)
    assert figures["九眼桥花园"] == (0, 0, 0)
    assert totals["meetings"] == 2
    rows, totals = meetings_held(
        people.district_admin, datetime.date(2024, 6, 1), datetime.date(2024, 12, 31), "street"
    )
    assert {row.name: row.meetings for row in rows} == {"浆洗街街道": 1, "望江路街道": 0}


# One date, a roll that follows it, motions added, an error summary: nothing typed is lost.

EARLIER = datetime.date(2024, 2, 1)


def end_one_representative(council):
    """The last representative leaves on 2024-03-01: three members serve on EARLIER, two on
    DAY."""
    leaving = council.members("representative").last()
    leaving.ended_on, leaving.end_reason = datetime.date(2024, 3, 1), "moved_away"
    leaving.save()
    return leaving


def test_the_form_has_one_date_whose_members_are_listed(council, geo, people, login):
    leaving = end_one_representative(council)
    response = login(people.community).get(add_url(geo))
    page = response.content.decode()
    assert page.count('name="held_on"') == 1 and 'name="on"' not in page
    assert f'value="{DAY.isoformat()}"' in page
    assert leaving.person.name not in page
    fragment = login(people.community).get(add_url(geo) + f"&part=roll&on={EARLIER}")
    assert [t.name for t in fragment.templates][0] == "councils/_meeting_roll.html"
    assert leaving.person.name in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_showing_another_days_members_keeps_everything_typed(council, geo, people, login):
    leaving = end_one_representative(council)
    data = form_data(council, present=(True, False), motions=TWO_MOTIONS)
    data.update({"held_on": EARLIER.isoformat(), "refresh": "1", "place": "新的地点"})
    response = login(people.community).post(add_url(geo), data)
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert response.context["summary"] == []
    rows = {row.initial["membership"]: row.initial for row in response.context["attendance"]}
    assert len(rows) == 3 and leaving.pk in rows
    absent = council.members("representative").first()
    assert (rows[absent.pk]["present"], rows[absent.pk]["absence_reason"]) == (False, "出差")
    page = response.content.decode()
    for typed in ("新的地点", EARLIER.isoformat(), "增设非机动车棚", "同意在3栋旁增设车棚"):
        assert typed in page
    assert "error-summary" not in page


def test_saving_with_only_the_date_changed_says_so_once_then_saves(council, geo, people, login):
    end_one_representative(council)
    client = login(people.community)
    data = form_data(council, present=(True, True), motions=TWO_MOTIONS)
    data["held_on"] = EARLIER.isoformat()
    response = client.post(add_url(geo), data)
    assert response.status_code == 200 and not Meeting.objects.exists()
    (notice,) = response.context["summary"]
    assert notice["anchor"] == "attendance" and "2024-02-01" in notice["message"]
    assert len(response.context["attendance"].forms) == 3
    data.update(
        {
            "attendance-TOTAL_FORMS": "3",
            "attendance-INITIAL_FORMS": "3",
            **{
                f"attendance-{i}-{key}": value
                for i, row in enumerate(response.context["attendance"])
                for key, value in (("membership", row.initial["membership"]), ("present", "on"))
            },
        }
    )
    assert client.post(add_url(geo), data).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.held_on, meeting.members, meeting.present) == (EARLIER, 3, 3)


def test_adding_a_motion_without_javascript_keeps_everything_typed(council, geo, people, login):
    data = form_data(council, present=(True, True, False), motions=TWO_MOTIONS)
    data.update({"add_motion": "1", "agenda": "车棚、绿化、停车"})
    response = login(people.community).post(add_url(geo), data)
    assert response.status_code == 200 and not Meeting.objects.exists()
    motions = response.context["motions"]
    assert len(motions.forms) == 3 and motions.total_form_count() == 3
    assert [row["title"].value() for row in motions] == ["增设非机动车棚", "更换绿化", None]
    page = response.content.decode()
    assert "车棚、绿化、停车" in page and "error-summary" not in page
    assert "出差" in page  # the absent member's reason


def test_the_error_summary_lists_each_error_linked_to_its_field(council, geo, people, login):
    client = login(people.community)
    data = form_data(council, motions=TWO_MOTIONS)
    data.update({"place": "", "motions-1-votes_for": "-5"})
    response = client.post(add_url(geo), data)
    summary = response.context["summary"]
    assert [item["anchor"] for item in summary] == ["id_place", "id_motions-1-votes_for"]
    assert summary[1]["label"] == "议题2 · 赞成票"
    page = response.content.decode()
    assert "请修改以下2处错误" in page
    assert 'href="#id_place"' in page and 'href="#id_motions-1-votes_for"' in page
    motions = ({"title": "增设非机动车棚", "votes_for": 3},)  # more than the 2 present
    response = client.post(add_url(geo), form_data(council, motions=motions))
    (item,) = response.context["summary"]
    assert item["anchor"] == "motions" and "增设非机动车棚" in item["message"]
    assert 'href="#motions"' in response.content.decode()


def test_each_absence_reason_has_a_visible_label_naming_the_member(council, geo, people, login):
    page = login(people.community).get(add_url(geo)).content.decode()
    for i, membership in enumerate(services.roll(body_of(council.organisation, "council"), DAY)):
        label = f'<label for="id_attendance-{i}-absence_reason">'
        assert f"{label}缺席原因（{membership.person.name}）" in page
    assert "visually-hidden" not in page


def test_the_community_dashboard_offers_to_record_a_meeting(council, geo, people, login):
    from tests.councils.factories import organisation_for
    from tests.factories import CourtyardFactory

    client = login(people.community)
    page = client.get(reverse("dashboard")).content.decode()
    straight = f"{reverse('councils:meeting_add')}?courtyard={geo.courtyard_a1.pk}"
    assert f'href="{straight}">记录会议</a>' in page  # their one courtyard with a council
    assert "<dt>社区数</dt>" not in page
    organisation_for(CourtyardFactory(community=geo.community_a1, name="新院"))
    page = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("councils:meetings")}">记录会议</a>' in page  # they pick one
    street = login(people.street_a).get(reverse("dashboard")).content.decode()
    assert "<dt>社区数</dt>" in street and "记录会议</a>" not in street
