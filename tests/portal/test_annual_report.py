"""The annual report: every figure against a hand count, totals that add up, the narrative,
scope, the workbook and query counts.

The world (on top of tests/conftest.py's district, with `today` fixed at 2026-11-22):
- organisations: 锦里12号院 (A1, street A) with a council of 3 and a group of 3; 九眼桥花园
  (B1, street B) with a council of 2 and a group of 1; both accepted in 2023. 洗面桥3号院
  (A2) has one in preparation, which does not count.
- 2026 special fund: A1 3,600 (district) + 1,000 (street), 1,200 spent; B1 9,000 (district),
  500 of its own income.
- 2026 trainings: the district's (40 people by head count), street A's (20), community
  A1's (5 by head count + 2 by name).
- A 2026 campaign, closed with its bulletin published: A1 scores 100 (commended), A2 50
  (criticised), B1 90 (commended); 4 staff in 2 groups.
- meetings of A1's organisation: a 2026 council meeting adopting one motion of two, and a
  2025 council meeting.
- 2026 research visits: the district's to street A and to B1; street A's to community A1 and
  to A1 and A2 (and a 2025 visit of street A to A2).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from councils import services as council_services
from councils.models import Training, TrainingAttendance
from funds.models import Source
from inspections import services as inspection_services
from portal.annual.figures import PER_UNIT, SUMMED, annual_report
from tests.councils.conftest import council  # noqa: F401 (the A1 organisation)
from tests.councils.factories import PersonFactory, council_meeting, elect, organisation_for
from tests.factories import CommunityFactory, CourtyardFactory, StreetFactory
from tests.funds.factories import (
    AllocationFactory,
    ExpenditureFactory,
    IncomeFactory,
    ProjectFactory,
)
from tests.inspections.conftest import insp  # noqa: F401 (the 2026 campaign)
from tests.inspections.factories import record

YEAR = 2026
PER_UNIT_KEYS = [figure.key for figure in PER_UNIT]
TODAY = datetime.date(YEAR, 11, 22)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def accepted_organisation(courtyard, council_roles, group_roles):
    organisation = organisation_for(courtyard)
    elect(organisation, "council", council_roles)
    elect(organisation, "group", group_roles)
    council_services.organisation_establish(
        organisation=organisation, on=datetime.date(2023, 3, 15), by=None
    )
    council_services.organisation_accept(
        organisation=organisation, on=datetime.date(2023, 6, 1), note="验收合格", by=None
    )
    return organisation


def training(on, other_attendees, **organiser):
    return Training.objects.create(
        held_on=on, topic="院落自治业务培训", other_attendees=other_attendees, **organiser
    )


def research(office, level, streets=(), communities=(), courtyards=(), on=None):
    council_services.research_visit_save(
        **{level: office},
        visited_on=on or datetime.date(YEAR, 6, 1),
        topic="院落自治调研",
        led_by="分管领导",
        staff=2,
        streets=list(streets),
        communities=list(communities),
        courtyards=list(courtyards),
        by=None,
    )


@pytest.fixture
def world(geo, people, council, insp):  # noqa: F811
    accepted_organisation(geo.courtyard_b1, ["convener", "representative"], ["leader"])
    organisation_for(geo.courtyard_a2)  # in preparation: not counted

    AllocationFactory(courtyard=geo.courtyard_a1, year=YEAR, amount=Decimal("3600.00"))
    AllocationFactory(
        courtyard=geo.courtyard_a1, year=YEAR, source=Source.STREET, amount=Decimal("1000.00")
    )
    project = ProjectFactory(courtyard=geo.courtyard_a1, year=YEAR, budget=Decimal("3000.00"))
    ExpenditureFactory(project=project, amount=Decimal("1200.00"))
    AllocationFactory(courtyard=geo.courtyard_b1, year=YEAR, amount=Decimal("9000.00"))
    IncomeFactory(courtyard=geo.courtyard_b1, amount=Decimal("500.00"))

    training(datetime.date(YEAR, 3, 10), 40, district=geo.district)
    training(datetime.date(YEAR, 4, 10), 20, street=geo.street_a)
    own = training(datetime.date(YEAR, 5, 10), 5, community=geo.community_a1)
    for person in PersonFactory.create_batch(2, courtyard=geo.courtyard_a1):
        TrainingAttendance.objects.create(training=own, person=person)
    training(datetime.date(YEAR - 1, 6, 1), 99, district=geo.district)  # last year's

    council_meeting(
        council.organisation,
        held_on=datetime.date(YEAR, 4, 8),
        motions=[
            {"title": "增设非机动车棚", "votes_for": 3, "decision": "同意增设"},
            {"title": "收取停车管理费", "votes_for": 1, "votes_against": 2},
        ],
    )
    council_meeting(council.organisation, held_on=datetime.date(YEAR - 1, 9, 1))

    research(geo.district, "district", streets=[geo.street_a], courtyards=[geo.courtyard_b1])
    research(
        geo.street_a,
        "street",
        communities=[geo.community_a1],
        courtyards=[geo.courtyard_a1, geo.courtyard_a2],
    )
    research(
        geo.street_a, "street", courtyards=[geo.courtyard_a2], on=datetime.date(YEAR - 1, 5, 1)
    )

    record(insp.a1, 60, 20, 20, by=people.inspector)
    record(insp.a2, 30, 10, 10, by=people.inspector)
    record(insp.b1, 60, 20, 10, by=insp.outsider)
    inspection_services.campaign_close(campaign=insp.campaign, by=people.district_staff)
    bulletin = inspection_services.bulletin_create(campaign=insp.campaign, by=people.district_staff)
    inspection_services.bulletin_publish(bulletin=bulletin, by=people.district_staff)
    return geo


DISTRICT = {
    "courtyard_count": 4,
    "organisations_established": 2,
    "courtyards_covered": 2,
    "group_members": 4,
    "representatives": 5,
    "allocated_district": Decimal("12600.00"),
    "allocated_street": Decimal("1000.00"),
    "allocated": Decimal("13600.00"),
    "spent": Decimal("1200.00"),
    "income": Decimal("500.00"),
    "training_sessions": 3,
    "training_attendees": 67,
    "meetings_held": 1,
    "council_meetings": 1,
    "resolutions_adopted": 1,
    "research_visits": 2,
    "streets_researched": 2,
    "communities_researched": 3,
    "courtyards_researched": 3,
    "courtyards_inspected": 3,
    "communities_inspected": 3,
    "commended": 2,
    "criticised": 1,
    "inspection_staff": 4,
    "inspection_groups": 2,
}


def test_every_district_figure_matches_the_hand_count(world, people):
    report = annual_report(people.district_staff, YEAR)
    assert {key: report.overview[key] for key in DISTRICT} == DISTRICT
    assert report.overview["coverage"] == Decimal("0.5")
    assert report.overview["execution"] == Decimal("1200") / Decimal("13600")


def test_each_street_row_matches_the_hand_count(world, people):
    rows = {row["unit"].name: row for row in annual_report(people.district_staff, YEAR).rows}
    a, b = rows["浆洗街街道"], rows["望江路街道"]
    assert (a["organisations_established"], a["group_members"], a["representatives"]) == (1, 3, 3)
    assert (b["organisations_established"], b["group_members"], b["representatives"]) == (1, 1, 2)
    assert (a["allocated"], a["spent"], b["allocated"], b["income"]) == (
        Decimal("4600.00"),
        Decimal("1200.00"),
        Decimal("9000.00"),
        Decimal("500.00"),
    )
    assert (a["training_sessions"], a["training_attendees"]) == (2, 27)
    assert (a["meetings_held"], a["council_meetings"], a["resolutions_adopted"]) == (1, 1, 1)
    assert (b["meetings_held"], b["resolutions_adopted"]) == (0, 0)
    assert (a["communities_researched"], a["courtyards_researched"]) == (2, 2)
    assert (b["communities_researched"], b["courtyards_researched"]) == (1, 1)
    assert (a["courtyards_inspected"], a["commended"], a["criticised"]) == (2, 1, 1)
    assert (b["courtyards_inspected"], b["commended"]) == (1, 1)


@pytest.mark.parametrize(
    ("persona", "above"),
    [
        ("district_staff", {"training_sessions": 1, "training_attendees": 40}),
        ("street_a", {"training_sessions": 1, "training_attendees": 20}),
    ],
)
def test_the_totals_equal_the_rows_plus_what_the_office_itself_organised(
    world, people, persona, above
):
    report = annual_report(getattr(people, persona), YEAR)
    assert report.above == above
    assert report.totals["spent"] == Decimal("1200.00")
    for key in SUMMED:
        assert report.totals[key] == sum(row[key] for row in report.rows) + report.above.get(key, 0)


def test_last_years_figures_stand_beside_this_years(world, people):
    report = annual_report(people.district_staff, YEAR)
    assert report.previous["organisations_established"] == 2
    assert report.previous["allocated"] == Decimal("0")
    assert report.previous["training_sessions"] == 1
    assert report.previous["meetings_held"] == 1
    assert report.change("training_sessions") == 2


def test_the_narrative_states_the_figures_of_the_table(world, people, login):
    page = login(people.district_staff).get(reverse("annual_report"), {"year": YEAR})
    narrative = page.context["narrative"]
    assert narrative.startswith("2026年,全区共建立自治组织2个(涉及2个居民院落")
    for text in [
        "自治管理小组成员4人",
        "民情代表5人",
        "共投入专项资金1.36万元",
        "区级1.26万元",
        "街道0.10万元",
        "已使用0.12万元",
        "自筹资金0.05万元",
        "培训3场次",
        "培训67人次",
        "开展调研2次,深入街道2个、社区3个、院落3个",
        "全年召开会议1次,其中民情代表议事会会议1次,表决通过决议1项",
        "抽调4名同志分成2个督查组",
        "督查院落3个、社区3个",
        "通报表扬院落2个",
        "批评院落1个",
    ]:
        assert text in narrative
    assert narrative in page.content.decode()


def test_street_staff_get_their_street_only(world, people, login):
    response = login(people.street_a).get(reverse("annual_report"), {"year": YEAR})
    report = response.context["report"]
    assert report.row_kind == "community"
    assert {row["unit"].name for row in report.rows} == {"锦里社区", "洗面桥社区"}
    assert report.overview["allocated"] == Decimal("4600.00")
    assert report.above == {"training_sessions": 1, "training_attendees": 20}
    assert report.overview["training_sessions"] == 2
    page = response.content.decode()
    assert "望江路街道" not in page and "九眼桥" not in page
    assert response.context["narrative"].startswith("2026年,浆洗街街道共建立自治组织1个")


@pytest.mark.parametrize("persona", ["community", "inspector", "no_role"])
def test_roles_outside_the_district_and_street_offices_are_refused(world, people, login, persona):
    client = login(getattr(people, persona))
    assert client.get(reverse("annual_report")).status_code == 403
    assert client.get(reverse("annual_report"), {"format": "xlsx"}).status_code == 403


def test_the_year_can_be_switched_and_is_kept_within_range(world, people, login):
    client = login(people.district_staff)
    assert client.get(reverse("annual_report"), {"year": 2025}).context["report"].year == 2025
    assert client.get(reverse("annual_report"), {"year": 2999}).context["report"].year == YEAR
    assert client.get(reverse("annual_report"), {"year": "abc"}).context["report"].year == YEAR


def workbook(client, year=YEAR):
    response = client.get(reverse("annual_report"), {"year": year, "format": "xlsx"})
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(b"".join(response.streaming_content)))


SHEETS = ["总览", "分街道", "分社区", "院落明细", "自治组织", "专项资金", "督查结果"]


def test_the_workbook_has_its_sheets_headers_types_and_totals(world, people, login):
    response, book = workbook(login(people.district_staff))
    assert "%E6%AD%A6%E4%BE%AF%E5%8C%BA" in response["Content-Disposition"]  # 武侯区
    assert book.sheetnames == SHEETS
    overview = book["总览"]
    assert "武侯区" in overview["A2"].value
    assert [cell.value for cell in overview[4]] == [
        "指标",
        "单位",
        "本年",
        "上年",
        "增减",
        "统计口径",
    ]
    values = {row[0]: row[2] for row in overview.iter_rows(min_row=5, values_only=True)}
    assert values["院落自治组织"] == 2 and values["区、街两级投入合计"] == pytest.approx(1.36)
    assert overview.freeze_panes == "A5"
    streets = book["分街道"]
    rows = list(streets.iter_rows(min_row=5, values_only=True))
    assert [row[1] for row in rows] == ["浆洗街街道", "望江路街道", "上级组织", None]
    totals = rows[-1]
    assert totals[0] == "合计" and isinstance(totals[3], int) and totals[3] == 2
    courtyards = book["院落明细"]
    last = list(courtyards.iter_rows(min_row=5, values_only=True))[-1]
    assert last[0] == "合计" and last[8] == Decimal("12600") and last[10] == Decimal("1200")
    assert courtyards["I5"].number_format == "#,##0.00"
    assert book["督查结果"].max_row == 4 + 3


def test_the_street_and_community_sheets_add_up_to_the_same_totals(world, people, login):
    """The 分街道 rows come from the report, the 分社区 rows are read while writing."""
    _response, book = workbook(login(people.district_staff))
    by_street = list(book["分街道"].iter_rows(min_row=5, values_only=True))
    by_community = list(book["分社区"].iter_rows(min_row=5, values_only=True))
    assert sorted(row[1] for row in by_community[:-2]) == sorted(
        ["锦里社区", "洗面桥社区", "九眼桥社区"]
    )
    assert by_community[-2][1] == "上级组织"
    # Every summed figure (the rates excepted): the 合计 rows agree, and each is its rows' sum.
    columns = [n + 2 for n, key in enumerate(PER_UNIT_KEYS) if key in SUMMED]
    for rows in (by_street, by_community):
        for column in columns:
            assert rows[-1][column] == pytest.approx(sum(row[column] or 0 for row in rows[:-1]))
    assert [by_street[-1][c] for c in columns] == [by_community[-1][c] for c in columns]
    courtyards = {row[1]: row[2 + PER_UNIT_KEYS.index("courtyard_count")] for row in by_community}
    assert courtyards["锦里社区"] == 2 and courtyards["九眼桥社区"] == 1


def test_phones_and_addresses_are_in_the_workbook_only_for_roles_that_may_see_them(
    world, people, login
):
    _response, staff_book = workbook(login(people.district_staff))
    _response, admin_book = workbook(login(people.district_admin))
    staff_headers = [cell.value for cell in staff_book["自治组织"][4]]
    admin_headers = [cell.value for cell in admin_book["自治组织"][4]]
    assert "联系电话" not in staff_headers and "楼栋" not in staff_headers
    assert "联系电话" in admin_headers and "楼栋" in admin_headers
    assert staff_book["自治组织"].max_row == admin_book["自治组织"].max_row == 4 + 9


def test_a_street_workbook_holds_nothing_of_another_street(world, people, login):
    _response, book = workbook(login(people.street_a))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and ("望江路" in v or "九眼桥" in v) for v in row)


def grow(geo):
    """More streets, communities, courtyards, organisations and money in every scope."""
    for street in [geo.street_a, geo.street_b, StreetFactory(district=geo.district)]:
        community = CommunityFactory(street=street)
        for courtyard in CourtyardFactory.create_batch(3, community=community):
            organisation = accepted_organisation(
                courtyard, ["convener", "representative"], ["leader", "member"]
            )
            council_meeting(organisation, held_on=datetime.date(YEAR, 5, 6))
            AllocationFactory(courtyard=courtyard, year=YEAR, amount=Decimal("100.00"))
            IncomeFactory(courtyard=courtyard, amount=Decimal("10.00"))
        training(datetime.date(YEAR, 6, 1), 3, community=community)
        research(street, "street", communities=[community], courtyards=[courtyard])


def queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("annual_report"), {"year": YEAR, **params})
        if params:
            b"".join(response.streaming_content)
    return len(captured)


@pytest.mark.parametrize("persona", ["district_staff", "street_a"])
def test_query_counts_of_the_page_and_the_workbook_do_not_grow_with_the_data(
    world, people, login, persona
):
    client = login(getattr(people, persona))
    before = (queries(client), queries(client, format="xlsx"))
    grow(world)
    assert (queries(client), queries(client, format="xlsx")) == before
    assert before[0] <= 24


def test_the_command_writes_the_workbook_for_an_account(world, people, tmp_path):
    target = tmp_path / "年报.xlsx"
    call_command(
        "annual_report", "--year", str(YEAR), "--user", "qu_staff", "--output", str(target)
    )
    assert load_workbook(target).sheetnames == SHEETS


def test_the_command_refuses_an_account_that_may_not_read_the_report(world, people):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="无权"):
        call_command("annual_report", "--user", "sq_a1", "--output", "/dev/null")
