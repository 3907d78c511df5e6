"""The meeting register, as district and street staff use it: each filter narrows to the
meetings it names, staff see only their scope, the totals add up, the export holds exactly
the filtered rows and names the filters, and the page's query count does not grow."""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from councils.services import meetings as services
from tests.councils.factories import council_meeting, elect, organisation_for

REGISTER = reverse("councils:meeting_register")
FIELDS = {"place": "院坝", "chair": "召集人", "recorder": "记录员", "agenda": "夏季纳凉"}


@dataclass
class Register:
    published: object  # A1, 2024-05-10, quorum, 1 motion adopted
    no_quorum: object  # A1, 2024-06-01, draft, 1 of 3 present, 2 motions, none adopted
    consultation: object  # A1, 2024-06-20, draft, open-air, 1 motion (consensus)
    second: object  # A2, 2024-07-15, published, quorum, 2 motions adopted
    other_street: object  # B1, 2024-05-20, draft, quorum, 1 motion adopted


def publish(meeting):
    return services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)


def consultation(organisation, held_on):
    return services.meeting_record(
        organisation=organisation,
        kind="consultation",
        minutes=services.Minutes(
            fields={**FIELDS, "held_on": held_on, "participants": "社区网格员"},
            motions=[{"title": "纳凉活动", "outcome": "consensus", "decision": "每周五晚"}],
            participants_count=20,
        ),
        by=None,
    )


def council_of(courtyard):
    organisation = organisation_for(courtyard)
    elect(organisation, "council", ["convener", "representative", "representative"])
    return organisation


@pytest.fixture
def register(council, geo):
    a1 = council.organisation
    two_motions = [
        {"title": "车位划线", "votes_for": 1},
        {"title": "绿化补种", "votes_for": 1},
    ]
    adopted_twice = [
        {"title": "楼道照明", "votes_for": 3, "decision": "更换声控灯"},
        {"title": "垃圾分类", "votes_for": 3, "decision": "设分类点"},
    ]
    return Register(
        published=publish(council_meeting(a1, held_on=datetime.date(2024, 5, 10))),
        no_quorum=council_meeting(
            a1, held_on=datetime.date(2024, 6, 1), present=1, motions=two_motions
        ),
        consultation=consultation(a1, datetime.date(2024, 6, 20)),
        second=publish(
            council_meeting(
                council_of(geo.courtyard_a2),
                held_on=datetime.date(2024, 7, 15),
                motions=adopted_twice,
            )
        ),
        other_street=council_meeting(
            council_of(geo.courtyard_b1), held_on=datetime.date(2024, 5, 20)
        ),
    )


def listed(response):
    """The meetings on the page, by their links, in the order shown."""
    return [meeting.pk for meeting in response.context["page"].object_list]


def ids(*meetings):
    return [meeting.pk for meeting in meetings]


# Who gets the register


def test_district_staff_see_every_street_newest_first(register, people, login):
    response = login(people.district_staff).get(REGISTER)
    assert response.status_code == 200
    r = register
    assert listed(response) == ids(
        r.second, r.consultation, r.no_quorum, r.other_street, r.published
    )


def test_street_staff_see_only_their_street(register, people, login):
    r = register
    assert listed(login(people.street_a).get(REGISTER)) == ids(
        r.second, r.consultation, r.no_quorum, r.published
    )
    assert listed(login(people.street_b).get(REGISTER)) == ids(r.other_street)


def test_another_streets_id_in_the_address_never_shows_its_meetings(register, geo, people, login):
    response = login(people.street_b).get(REGISTER, {"street": geo.street_a.pk})
    assert listed(response) == ids(register.other_street)
    assert "street" in response.context["form"].errors  # refused, named next to the field
    courtyard = login(people.street_b).get(REGISTER, {"courtyard": geo.courtyard_a1.pk})
    assert listed(courtyard) == ids(register.other_street)


def test_community_members_keep_their_cards_and_are_not_offered_the_register(
    register, people, login
):
    client = login(people.community)
    cards = client.get(reverse("councils:meetings"))
    assert cards.status_code == 200
    assert "courtyard-cards" in cards.content.decode()
    assert REGISTER not in cards.content.decode()  # neither in the navigation nor the page
    assert client.get(REGISTER).status_code == 403


@pytest.mark.parametrize("persona", ["district_admin", "district_staff", "street_a"])
def test_staff_opening_the_old_list_or_the_navigation_reach_the_register(persona, people, login):
    client = login(getattr(people, persona))
    response = client.get(reverse("councils:meetings"))
    assert response.status_code == 302 and response.url == REGISTER
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'href="{REGISTER}"' in dashboard
    assert f'href="{reverse("councils:meetings")}"' not in dashboard


# Each filter narrows


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"street": "street_a"}, ["second", "consultation", "no_quorum", "published"]),
        ({"community": "community_a2"}, ["second"]),
        ({"courtyard": "courtyard_a1"}, ["consultation", "no_quorum", "published"]),
        ({"body": "council"}, ["second", "no_quorum", "other_street", "published"]),
        ({"body": "none"}, ["consultation"]),
        ({"kind": "consultation"}, ["consultation"]),
        (
            {"held_from": "2024-05-20", "held_to": "2024-06-20"},
            ["consultation", "no_quorum", "other_street"],
        ),
        ({"status": "published"}, ["second", "published"]),
        ({"status": "draft"}, ["consultation", "no_quorum", "other_street"]),
        ({"quorum": "met"}, ["second", "other_street", "published"]),
        ({"quorum": "not_met"}, ["no_quorum"]),
        ({"q": "洗面桥"}, ["second"]),  # the courtyard's (and organisation's) name
        ({"q": "院坝"}, ["consultation"]),  # the place
        ({"q": "车棚"}, ["second", "no_quorum", "other_street", "published"]),  # agenda
    ],
)
def test_each_filter_narrows_to_what_it_names(register, geo, people, login, query, expected):
    values = {
        name: getattr(geo, value).pk if hasattr(geo, value) else value
        for name, value in query.items()
    }
    response = login(people.district_staff).get(REGISTER, values)
    assert listed(response) == ids(*(getattr(register, name) for name in expected))


def test_the_totals_count_meetings_and_motions_by_hand(register, people, login):
    totals = login(people.district_staff).get(REGISTER).context["totals"]
    # meetings: 5; published: first and second; quorum: all but no_quorum and the
    # consultation (quorum does not apply); motions 1+2+1+2+1, adopted 1+0+0+2+1
    assert totals == {"meetings": 5, "published": 2, "quorum_met": 3, "motions": 7, "adopted": 4}
    street_b = login(people.street_b).get(REGISTER, {"status": "draft"}).context["totals"]
    assert street_b == {"meetings": 1, "published": 0, "quorum_met": 1, "motions": 1, "adopted": 1}


def test_the_page_shows_the_totals_above_the_table(register, people, login):
    page = login(people.district_staff).get(REGISTER, {"status": "published"}).content.decode()
    assert page.index('data-total="meetings">2<') < page.index("<table")
    assert 'data-total="motions">3<' in page and 'data-total="adopted">3<' in page


def test_paging_shows_page_numbers_and_keeps_the_filters(council, people, login):
    for n in range(51):
        council_meeting(
            council.organisation, held_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
        )
    page = login(people.district_staff).get(REGISTER, {"status": "draft"}).content.decode()
    assert 'aria-current="page">1<' in page
    assert "?status=draft&amp;page=2" in page and 'aria-label="第2页"' in page


# The export


def exported(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_the_export_holds_exactly_the_filtered_rows_and_names_the_filters(
    register, geo, people, login
):
    query = {"street": geo.street_a.pk, "status": "draft", "held_from": "2024-01-01"}
    client = login(people.district_staff)
    shown = listed(client.get(REGISTER, query))
    rows = exported(client.get(REGISTER, {**query, "format": "xlsx"}))
    assert "街道：浆洗街街道" in rows[2][0]
    assert "状态：草稿" in rows[2][0] and "会议日期从：2024-01-01" in rows[2][0]
    header = rows[3]
    assert header[:3] == ("序号", "会议日期", "街道")
    table = [row for row in rows[4:] if isinstance(row[0], int)]
    assert len(table) == len(shown) == 2
    dates = [row[1].date() for row in table]
    assert dates == [datetime.date(2024, 6, 20), datetime.date(2024, 6, 1)]
    total = next(row for row in rows if row[0] == "合计")
    assert total[-2:] == (3, 0)  # motions, adopted
    assert any(row[0] and "2 次会议" in str(row[0]) for row in rows[-2:])


def test_an_export_by_street_staff_holds_only_their_street(register, geo, people, login):
    rows = exported(login(people.street_b).get(REGISTER, {"format": "xlsx"}))
    assert [row[2] for row in rows[4:] if isinstance(row[0], int)] == ["望江路街道"]


# Query count


@pytest.mark.parametrize("size", [3, 30])
def test_the_register_runs_a_fixed_number_of_queries(
    size, council, people, login, django_assert_num_queries
):
    for n in range(size):
        council_meeting(
            council.organisation, held_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
        )
    client = login(people.district_staff)
    client.get(REGISTER)
    with django_assert_num_queries(REGISTER_QUERIES):
        assert client.get(REGISTER, {"status": "draft"}).status_code == 200


# session, user, role assignment and permissions; totals, page count, page rows; the
# street, community and courtyard choices (the same at 3 and at 30 meetings)
REGISTER_QUERIES = 11


def test_values_it_cannot_use_are_named_in_chinese_and_narrow_nothing(register, people, login):
    response = login(people.district_staff).get(
        REGISTER,
        {
            "held_from": "2024-13-45",
            "courtyard": "abc",
            "page": "x",
            "sort": "bogus",
            "q": "x" * 81,
        },
    )
    assert response.status_code == 200
    assert len(listed(response)) == 5
    errors = response.context["form"].errors
    assert set(errors) == {"held_from", "courtyard", "q"}
    assert "有效的日期" in str(errors["held_from"]) and "有效的日期" in response.content.decode()


def test_a_long_register_is_exported_by_the_worker_with_the_same_rows(
    register, geo, people, login, settings, monkeypatch
):
    """More meetings than BACKGROUND_EXPORT_ROWS: the export becomes a job (docs/exports.md)
    whose file holds what the immediate export holds, filters named, in the page's order."""
    from django.core.management import call_command

    from portal.models import ExportJob

    monkeypatch.setattr(  # the worker would close the test's own connection on PostgreSQL
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    query = {"street": geo.street_a.pk, "held_from": "2024-01-01", "sort": "held"}
    client = login(people.district_staff)
    at_once = exported(client.get(REGISTER, {**query, "format": "xlsx"}))
    settings.BACKGROUND_EXPORT_ROWS = 2
    response = client.get(REGISTER, {**query, "format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.rows_total) == ("meeting_register", 4)
    call_command("db_worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    from_job = list(load_workbook(job.file.path).active.iter_rows(values_only=True))
    assert [row for n, row in enumerate(from_job) if n != 1] == [
        row for n, row in enumerate(at_once) if n != 1
    ]
