"""The annual report: every figure against a hand count, totals that add up, the narrative,
scope, the workbook and query counts.

The world (on top of tests/conftest.py's district, with `today` fixed at 2026-11-22):
- courtyards (tests/conftest.py): 锦里12号院 (A1, old compound, 120 households), 电力局宿舍
  (A1, work unit, 80, remediated in 2020), 洗面桥3号院 (A2, old, 60), 九眼桥花园 (B1,
  managed estate, 300).
- organisations: 锦里12号院 (A1, street A) with a council of 3 and a group of 3; 九眼桥花园
  (B1, street B) with a council of 2 and a group of 1; both accepted in 2023. 洗面桥3号院
  (A2) has one in preparation, which does not count.
- established, not accepted, and closed (`established_and_closed`): 洗面桥5号院 (A2, old,
  70 households, remediated in 2026) with an organisation established in May 2026 and not
  accepted, council of 2 and group of 2; 九眼桥7号院 (B1, old, 40, remediated in 2026),
  covered by 九眼桥花园's organisation since 2023 and closed on 2026-09-30 (its coverage row
  stays open, as closing a courtyard leaves it); 洗面桥3号院's remediation in progress and
  九眼桥花园's planned.
- 2026 special fund: A1 3,600 (district) + 1,000 (street), 1,200 spent; B1 9,000 (district),
  500 of its own income; the community's own fund (社区本级) of 洗面桥社区 (street A) 200,000
  (district), 30,000 spent.
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
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from councils import services as council_services
from councils.models import Membership, Organisation, Person, Training, TrainingAttendance
from courtyards.models import Courtyard
from funds.models import Project, Source
from inspections import services as inspection_services
from portal.reports.figures import BY_KEY, PER_UNIT, SUMMED, annual_report
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
from tests.test_typography import half_width_punctuation

YEAR = 2026
PER_UNIT_KEYS = [figure.key for figure in PER_UNIT]
TODAY = datetime.date(YEAR, 11, 22)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def accepted_organisation(courtyard, council_roles, group_roles, also=()):
    """An organisation of `courtyard` (and the courtyards `also`), accepted in 2023."""
    organisation = organisation_for(courtyard, *also)
    elect(organisation, "council", council_roles, courtyard=courtyard)
    elect(organisation, "group", group_roles, courtyard=courtyard)
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


def established_and_closed(geo):
    """Issue 18, findings 1, 2 and 8: an organisation established and not yet accepted, a
    courtyard closed during the year whose coverage row stays open, and remediation. Returns
    the organisation covering the closed courtyard (九眼桥花园's)."""
    fifth = CourtyardFactory(
        community=geo.community_a2,
        name="洗面桥5号院",
        households=70,
        residents=180,
        remediation=Courtyard.Remediation.DONE,
        remediation_year=YEAR,
    )
    established = organisation_for(fifth, set_up_on=datetime.date(YEAR, 3, 1))
    on = datetime.date(YEAR, 4, 20)
    elect(established, "council", ["convener", "representative"], held_on=on)
    elect(established, "group", ["leader", "member"], held_on=on)
    council_services.organisation_establish(
        organisation=established, on=datetime.date(YEAR, 5, 10), by=None
    )

    closing = CourtyardFactory(
        community=geo.community_b1,
        name="九眼桥7号院",
        households=40,
        residents=100,
        remediation=Courtyard.Remediation.DONE,
        remediation_year=YEAR,
    )
    b1 = accepted_organisation(
        geo.courtyard_b1, ["convener", "representative"], ["leader"], also=[closing]
    )
    closing.closed_on = datetime.date(YEAR, 9, 30)
    closing.closed_reason = Courtyard.ClosedReason.DEMOLISHED
    closing.save()

    Courtyard.objects.filter(pk=geo.courtyard_a2.pk).update(
        remediation=Courtyard.Remediation.IN_PROGRESS
    )
    Courtyard.objects.filter(pk=geo.courtyard_b1.pk).update(
        remediation=Courtyard.Remediation.PLANNED
    )
    return b1


@pytest.fixture
def world(geo, people, council, insp):  # noqa: F811
    established_and_closed(geo)
    organisation_for(geo.courtyard_a2)  # in preparation: not counted

    AllocationFactory(courtyard=geo.courtyard_a1, year=YEAR, amount=Decimal("3600.00"))
    AllocationFactory(
        courtyard=geo.courtyard_a1, year=YEAR, source=Source.STREET, amount=Decimal("1000.00")
    )
    project = ProjectFactory(courtyard=geo.courtyard_a1, year=YEAR, budget=Decimal("3000.00"))
    ExpenditureFactory(project=project, amount=Decimal("1200.00"))
    AllocationFactory(courtyard=geo.courtyard_b1, year=YEAR, amount=Decimal("9000.00"))
    IncomeFactory(courtyard=geo.courtyard_b1, amount=Decimal("500.00"))

    # Finding 5, the community's own fund (社区本级): 洗面桥社区 (community A2, street A) is
    # paid 200,000 by the district; its residents' committee's project spends 30,000.
    AllocationFactory(
        courtyard=None, community=geo.community_a2, year=YEAR, amount=Decimal("200000.00")
    )
    own_project = ProjectFactory(
        courtyard=None, community=geo.community_a2, year=YEAR, budget=Decimal("60000.00")
    )
    ExpenditureFactory(project=own_project, amount=Decimal("30000.00"))

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

    own_money(geo, council.organisation)
    return geo


def own_money(geo, organisation):
    """Own money (自筹资金, issue 18 finding 6): A1 raised 1,000 yuan of parking fees in 2025;
    its council's 2026-04-08 meeting (published here) approves spending it: 300 on
    2026-05-01, and 120 on 2026-06-01, reversed on 2026-06-02. (B1's 500 of 2026 income above
    is not spent.)"""
    from councils.models import Meeting
    from councils.services import meetings as meeting_services
    from funds.models import OwnExpenditure
    from funds.services import own_expenditure_add, own_expenditure_reverse

    IncomeFactory(
        courtyard=geo.courtyard_a1,
        amount=Decimal("1000.00"),
        received_on=datetime.date(2025, 10, 1),
    )
    meeting = Meeting.objects.get(organisation=organisation, held_on=datetime.date(YEAR, 4, 8))
    meeting_services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)
    resolution = meeting.motions.get(outcome="adopted")
    for number, (day, amount) in enumerate([((5, 1), "300.00"), ((6, 1), "120.00")], start=1):
        spent = own_expenditure_add(
            expenditure=OwnExpenditure(
                courtyard=geo.courtyard_a1,
                spent_on=datetime.date(YEAR, *day),
                amount=Decimal(amount),
                payee="锦里保洁服务社",
                voucher_number=f"自-{number}",
                description="院落保洁",
                resolution=resolution,
            ),
            by=None,
        )
    own_expenditure_reverse(
        expenditure=spent,
        by=None,
        spent_on=datetime.date(YEAR, 6, 2),
        voucher_number="自-2-R",
        reason="重复录入",
    )


# A1: 300 spent in 2026 (120 more reversed); balances at 2026-11-22: A1 1,000 − 300, B1 500.
OWN_MONEY = {"own_spent": Decimal("300.00"), "own_balance": Decimal("1200.00")}


def test_own_money_figures_match_the_hand_count(world, people):
    report = annual_report(people.district_staff, YEAR)
    assert {key: report.overview[key] for key in OWN_MONEY} == OWN_MONEY
    rows = {row["unit"].name: row for row in report.rows}
    assert (rows["浆洗街街道"]["own_spent"], rows["浆洗街街道"]["own_balance"]) == (
        Decimal("300.00"),
        Decimal("700.00"),
    )
    assert (rows["望江路街道"]["own_spent"], rows["望江路街道"]["own_balance"]) == (
        Decimal("0.00"),
        Decimal("500.00"),
    )
    # at the end of 2025: A1's parking fees, nothing spent yet
    assert (report.previous["own_spent"], report.previous["own_balance"]) == (
        Decimal("0.00"),
        Decimal("1000.00"),
    )
    keys = [figure.key for figure in PER_UNIT]
    assert keys[keys.index("income") + 1 : keys.index("income") + 3] == ["own_spent", "own_balance"]
    assert BY_KEY["own_balance"].definition


DISTRICT = {
    # open: the four of tests/conftest.py and 洗面桥5号院; 九眼桥7号院 closed on 09-30
    "courtyard_count": 5,
    "old_courtyard_count": 3,  # 锦里12号院, 洗面桥3号院, 洗面桥5号院
    "households": 120 + 80 + 60 + 300 + 70,
    # 锦里12号院's and 九眼桥花园's (accepted), 洗面桥5号院's (established only)
    "organisations_established": 3,
    "organisations_accepted": 2,
    "courtyards_covered": 3,  # 锦里12号院, 九眼桥花园, 洗面桥5号院 (not the closed one)
    "old_courtyards_covered": 2,  # 锦里12号院, 洗面桥5号院
    "households_covered": 120 + 300 + 70,
    "group_members": 3 + 1 + 2,  # of those three organisations
    "representatives": 3 + 2 + 2,
    "remediated_in_year": 1,  # 洗面桥5号院 (九眼桥7号院's is closed)
    "remediation_in_progress": 1,  # 洗面桥3号院
    "remediation_planned": 1,  # 九眼桥花园
    "allocated_district": Decimal("212600.00"),  # with 洗面桥社区's own 200,000
    "allocated_street": Decimal("1000.00"),
    "allocated": Decimal("213600.00"),
    "spent": Decimal("31200.00"),  # with 洗面桥社区's own 30,000
    "balance": Decimal("182400.00"),
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
    assert report.overview["old_coverage"] == Decimal(2) / Decimal(3)
    assert report.overview["coverage"] == Decimal("0.6")
    assert report.overview["execution"] == Decimal("31200") / Decimal("213600")


def test_covered_courtyards_are_open_ones_and_no_rate_exceeds_one(world, people):
    """九眼桥社区 had one open courtyard and, counting the closed one, two covered: 200.0%."""
    report = annual_report(people.district_staff, YEAR)
    b = next(row for row in report.rows if row["unit"].name == "望江路街道")
    assert (b["courtyard_count"], b["courtyards_covered"], b["coverage"]) == (1, 1, 1)
    assert (b["households"], b["households_covered"]) == (300, 300)
    assert b["old_coverage"] is None  # no old compound left open in street B
    for row in [*report.rows, report.totals]:
        assert row["courtyards_covered"] <= row["courtyard_count"]
        assert row["old_courtyards_covered"] <= row["old_courtyard_count"]
    # Last year's report date (2025-12-31): 九眼桥7号院 was open and covered then.
    assert report.previous["courtyard_count"] == 6
    assert report.previous["courtyards_covered"] == 3
    assert report.previous["organisations_established"] == 2


def test_what_the_register_holds_only_as_it_is_now_is_left_out_of_past_years(world, people):
    report = annual_report(people.district_staff, YEAR)
    assert report.previous["remediation_in_progress"] is None
    assert report.previous["remediation_planned"] is None
    assert report.previous["remediated_in_year"] == 0
    assert report.change("remediation_planned") is None


def test_each_street_row_matches_the_hand_count(world, people):
    rows = {row["unit"].name: row for row in annual_report(people.district_staff, YEAR).rows}
    a, b = rows["浆洗街街道"], rows["望江路街道"]
    assert (a["organisations_established"], a["group_members"], a["representatives"]) == (2, 5, 5)
    assert (b["organisations_established"], b["group_members"], b["representatives"]) == (1, 1, 2)
    assert (a["organisations_accepted"], b["organisations_accepted"]) == (1, 1)
    assert (a["courtyard_count"], a["old_courtyard_count"], a["households"]) == (4, 3, 330)
    assert (a["courtyards_covered"], a["old_courtyards_covered"], a["households_covered"]) == (
        2,
        2,
        190,
    )
    assert (a["old_coverage"], a["coverage"]) == (Decimal(2) / Decimal(3), Decimal("0.5"))
    assert (a["remediated_in_year"], a["remediation_in_progress"]) == (1, 1)
    assert (b["remediated_in_year"], b["remediation_planned"]) == (0, 1)
    # A: A1's 4,600 − 1,200, plus 洗面桥社区's own fund 200,000 − 30,000; B: B1's 9,000.
    assert (a["balance"], b["balance"]) == (Decimal("173400.00"), Decimal("9000.00"))
    assert (a["allocated"], a["spent"], b["allocated"], b["income"]) == (
        Decimal("204600.00"),
        Decimal("31200.00"),
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
    assert report.totals["spent"] == Decimal("31200.00")
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
    # One population in the first sentence: the three organisations established, and the
    # people serving in them.
    assert narrative.startswith(
        "2026年，全区共建立自治组织3个（其中已验收2个），涉及3个居民院落、490户；"
        "无物管老式院落3个，已覆盖2个，覆盖率66.7%（全部5个院落覆盖率60.0%）。"
        "上述自治组织共有自治管理小组成员6人，民情代表7人。"
        "全年完成院落整治1个，正在整治1个，计划整治1个。"
    )
    for text in [
        "共投入专项资金21.36万元",
        "区级21.26万元",
        "街道0.10万元",
        "已使用3.12万元",
        "结余18.24万元",
        # B1's 500 of 2026; A1 spent 300 of its own money; 1,000 − 300 + 500 remain
        "各院落自筹资金0.05万元，支出自筹资金0.03万元，自筹资金结余0.12万元。",
        "培训3场次",
        "培训67人次",
        "开展调研2次，深入街道2个、社区3个、院落3个",
        "全年召开会议1次，其中民情代表议事会会议1次，表决通过决议1项",
        "抽调4名同志分成2个督查组",
        "督查院落3个、社区3个",
        "通报表扬院落2个",
        "批评院落1个",
    ]:
        assert text in narrative
    assert narrative in page.content.decode()
    assert half_width_punctuation(narrative) == []


def test_street_staff_get_their_street_only(world, people, login):
    response = login(people.street_a).get(reverse("annual_report"), {"year": YEAR})
    report = response.context["report"]
    assert report.row_kind == "community"
    assert {row["unit"].name for row in report.rows} == {"锦里社区", "洗面桥社区"}
    assert report.overview["allocated"] == Decimal("204600.00")
    assert report.above == {"training_sessions": 1, "training_attendees": 20}
    assert report.overview["training_sessions"] == 2
    page = response.content.decode()
    assert "望江路街道" not in page and "九眼桥" not in page
    assert response.context["narrative"].startswith(
        "2026年，浆洗街街道共建立自治组织2个（其中已验收1个），涉及2个居民院落、190户；"
        "无物管老式院落3个，已覆盖2个，覆盖率66.7%（全部4个院落覆盖率50.0%）。"
        "上述自治组织共有自治管理小组成员5人，民情代表5人。"
    )


def test_last_years_narrative_states_only_what_is_known_of_it(world, people, login):
    page = login(people.district_staff).get(reverse("annual_report"), {"year": YEAR - 1})
    narrative = page.context["narrative"]
    assert "全年完成院落整治0个。" in narrative and "正在整治" not in narrative


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


SHEETS = ["总览", "分街道", "分社区", "院落明细", "自治组织", "专项资金", "督查结果", "民情诉求"]


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
    assert values["院落自治组织"] == 3 and values["区、街两级投入合计"] == pytest.approx(21.36)
    assert (values["其中已验收"], values["户数"], values["覆盖户数"]) == (2, 630, 490)
    assert values["无物管老式院落"] == 3 and values["专项资金结余"] == pytest.approx(18.24)
    assert values["老式院落覆盖率"] == pytest.approx(2 / 3)
    assert values["全部院落覆盖率"] == pytest.approx(0.6)
    assert values["本年完成整治院落"] == 1
    assert overview.freeze_panes == "A5"
    streets = book["分街道"]
    rows = list(streets.iter_rows(min_row=5, values_only=True))
    assert [row[1] for row in rows] == ["浆洗街街道", "望江路街道", "区本级", None]
    totals = rows[-1]
    established = 2 + PER_UNIT_KEYS.index("organisations_established")
    assert headers(streets)[established] == "院落自治组织（个）"
    assert totals[0] == "合计" and isinstance(totals[established], int)
    assert totals[established] == 3
    courtyards = book["院落明细"]
    last = list(courtyards.iter_rows(min_row=5, values_only=True))[-1]
    assert last[0] == "合计" and last[9] == Decimal("212600") and last[11] == Decimal("31200")
    own = [row for row in courtyards.iter_rows(min_row=5, values_only=True) if row[3] == "社区本级"]
    assert [(row[2], row[9], row[11]) for row in own] == [("洗面桥社区", 200000, 30000)]
    assert courtyards["J5"].number_format == "#,##0.00"
    assert book["督查结果"].max_row == 4 + 3


def test_the_street_and_community_sheets_add_up_to_the_same_totals(world, people, login):
    """The 分街道 rows come from the report, the 分社区 rows are read while writing."""
    _response, book = workbook(login(people.district_staff))
    by_street = list(book["分街道"].iter_rows(min_row=5, values_only=True))
    by_community = list(book["分社区"].iter_rows(min_row=5, values_only=True))
    assert sorted(row[2] for row in by_community[:-3]) == sorted(
        ["锦里社区", "洗面桥社区", "九眼桥社区"]
    )
    # The streets' own sessions and the district's, each on its 本级 row.
    assert [row[1] for row in by_community[-3:-1]] == ["街道本级", "区本级"]
    # Every summed figure (the rates excepted): the 合计 rows agree, and each is its rows' sum.
    summed = [n for n, key in enumerate(PER_UNIT_KEYS) if key in SUMMED]
    for rows, first in ((by_street, 2), (by_community, 3)):
        for column in (first + n for n in summed):
            assert rows[-1][column] == pytest.approx(sum(row[column] or 0 for row in rows[:-1]))
    assert [by_street[-1][2 + n] for n in summed] == [by_community[-1][3 + n] for n in summed]
    courtyards = {row[2]: row[3 + PER_UNIT_KEYS.index("courtyard_count")] for row in by_community}
    assert courtyards["锦里社区"] == 2 and courtyards["九眼桥社区"] == 1


@pytest.mark.parametrize("persona", ["district_staff", "street_a"])
def test_the_community_sheet_names_each_communitys_street(world, people, login, persona):
    _response, book = workbook(login(getattr(people, persona)))
    sheet = book["分社区"]
    assert headers(sheet)[:3] == ["序号", "街道", "社区"]
    assert sheet.print_title_cols == "$A:$C"
    streets = {row[2]: row[1] for row in sheet_rows(sheet) if isinstance(row[0], int)}
    expected = {"锦里社区": "浆洗街街道", "洗面桥社区": "浆洗街街道", "九眼桥社区": "望江路街道"}
    assert streets == {c: s for c, s in expected.items() if c in streets}
    assert len(streets) == (3 if persona == "district_staff" else 2)


ORGANISATION_HEADERS = [
    "序号",
    "街道",
    "社区",
    "院落自治组织",
    "覆盖院落（个）",
    "覆盖户数（户）",
    "成立日期",
    "验收日期",
    "状态",
    "民情代表（人）",
    "召集人",
    "自治管理小组成员（人）",
    "组长",
    "本届任期至",
    "本年会议（次）",
]


def test_the_organisations_sheet_has_one_row_per_organisation_and_no_personal_data(
    world,
    people,
    login,
    council,  # noqa: F811
):
    """It listed every person serving, with phones and addresses for some roles: now one
    row per organisation, the same for every role, naming its convener and group leader
    only (public office holders, posted on the notice board)."""
    _response, staff_book = workbook(login(people.district_staff))
    _response, admin_book = workbook(login(people.district_admin))
    staff, admin = staff_book["自治组织"], admin_book["自治组织"]
    assert headers(staff) == headers(admin) == ORGANISATION_HEADERS
    assert [row for row in sheet_rows(staff)] == [row for row in sheet_rows(admin)]
    rows = {row[3]: row for row in sheet_rows(admin) if isinstance(row[0], int)}
    assert sorted(rows) == sorted(
        ["锦里12号院自治组织", "洗面桥3号院自治组织", "洗面桥5号院自治组织", "九眼桥花园自治组织"]
    )
    a1 = dict(zip(ORGANISATION_HEADERS, rows["锦里12号院自治组织"], strict=True))
    assert a1["召集人"] == council.member("convener").person.name
    assert a1["组长"] == council.member("leader").person.name
    assert (a1["民情代表（人）"], a1["自治管理小组成员（人）"], a1["本年会议（次）"]) == (3, 3, 1)
    assert (a1["覆盖院落（个）"], a1["覆盖户数（户）"], a1["状态"]) == (1, 120, "已验收")
    assert a1["验收日期"].date() == datetime.date(2023, 6, 1)
    assert a1["本届任期至"].date() == council.council_election.term.ends_on
    assert rows["洗面桥3号院自治组织"][8] == "筹备中"
    assert rows["洗面桥5号院自治组织"][8] == "已成立"
    # 九眼桥7号院 closed on 2026-09-30: 九眼桥花园's organisation covers 九眼桥花园 only.
    b1 = dict(zip(ORGANISATION_HEADERS, rows["九眼桥花园自治组织"], strict=True))
    assert (b1["覆盖院落（个）"], b1["覆盖户数（户）"]) == (1, 300)
    # Nobody else's name, and no phone, anywhere in the sheet.
    office_holders = set(
        Membership.objects.filter(role__in=["convener", "leader"]).values_list(
            "person__name", flat=True
        )
    )
    cells = {value for row in admin.iter_rows(values_only=True) for value in row if value}
    for person in Person.objects.all():
        assert (person.name in cells) == (person.name in office_holders), person.name
        assert not person.phone or person.phone not in cells


def test_the_building_unit_is_headed_unit_of_a_building_not_unit_of_measure(world, people, login):
    """Issue 18, finding 8: the building-unit column read 单位. Since issue 15 the 自治组织
    sheet has one row per organisation (no addresses); the register it points to heads it
    楼栋, 单元. 单位 heads only the overview's unit of measure."""
    client = login(people.district_admin)
    _response, book = workbook(client)
    for sheet in book.worksheets:
        expected = ["单位"] if sheet.title == "总览" else []
        assert [h for h in headers(sheet) if h and "单位" in h] == expected, sheet.title
    response = client.get(reverse("councils:people"), {"format": "xlsx"})
    register = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert "楼栋" in headers(register) and "单元" in headers(register)


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
    # 30 adding up the kept community rows of two years (portal/kept.py) and 31 more
    # computing them (here: every row is new), the concerns' table's among them
    assert before[0] <= 61


@pytest.mark.parametrize(("persona", "pinned"), [("district_staff", 24), ("street_a", 16)])
def test_the_page_adds_up_kept_rows_in_a_fixed_number_of_queries(
    world, people, login, persona, pinned
):
    client = login(getattr(people, persona))
    queries(client)  # computes and keeps the rows
    caches["figures"].clear()
    assert queries(client) == pinned
    grow(world)
    queries(client)
    caches["figures"].clear()
    assert queries(client) == pinned


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


# The workbook made to be printed and reconciled ----------------------------------------------


@pytest.fixture
def reconciling(world):
    """The world, and: division codes that order the communities otherwise than their names;
    a courtyard closed during the year after it had money, its organisation dissolved after
    a meeting; a courtyard closed the year before with nothing in this one; projects in
    every street, spending in two categories (one entry reversed); an organisation
    preparing with a council that met; and district money whose 万元, rounded to two
    decimals, would not add up (0.4849 + 0.9049 = 1.3898: 0.48 + 0.90 is not 1.39)."""
    geo = world
    for community, code in [
        (geo.community_a1, "001001"),
        (geo.community_a2, "001002"),
        (geo.community_b1, "002001"),
    ]:
        community.code = code
        community.save()
    closed = CourtyardFactory(
        community=geo.community_a1, name="锦里18号院", households=40, residents=90
    )
    AllocationFactory(courtyard=closed, year=YEAR, amount=Decimal("1249.00"))
    AllocationFactory(courtyard=closed, year=YEAR, source=Source.STREET, amount=Decimal("333.33"))
    cleared = ProjectFactory(courtyard=closed, year=YEAR, budget=Decimal("500.00"))
    ExpenditureFactory(project=cleared, amount=Decimal("111.11"))
    IncomeFactory(courtyard=closed, amount=Decimal("22.22"))
    # Its organisation met in February and was dissolved in June: the overview counts the
    # meeting, not the organisation.
    gone = accepted_organisation(closed, ["convener", "representative"], ["leader"])
    council_meeting(gone, held_on=datetime.date(YEAR, 2, 2))
    council_services.organisation_dissolve(
        organisation=gone, on=datetime.date(YEAR, 6, 30), reason="院落拆除", by=None
    )
    closed.closed_on = datetime.date(YEAR, 8, 31)
    closed.closed_reason = Courtyard.ClosedReason.DEMOLISHED
    closed.save()
    CourtyardFactory(
        community=geo.community_b1,
        name="九眼桥旧院",
        closed_on=datetime.date(YEAR - 1, 5, 1),
        closed_reason=Courtyard.ClosedReason.DEMOLISHED,
    )
    AllocationFactory(courtyard=geo.courtyard_b1, year=YEAR, amount=Decimal("49.00"))
    greening = ProjectFactory(
        courtyard=geo.courtyard_b1,
        year=YEAR,
        budget=Decimal("800.00"),
        category=Project.Category.GREENING,
    )
    ExpenditureFactory(project=greening, amount=Decimal("300.00"))
    wrong = ExpenditureFactory(project=greening, amount=Decimal("55.55"))
    ExpenditureFactory(project=greening, amount=Decimal("55.55"), reverses=wrong)
    ProjectFactory(courtyard=geo.courtyard_a2, year=YEAR, budget=Decimal("700.00"))

    # A2's organisation, still preparing, elected its council and met: the overview counts
    # its representatives and meeting, not the organisation or the courtyard it covers.
    preparing = Organisation.objects.get(coverage__courtyard=geo.courtyard_a2)
    elect(preparing, "council", ["convener", "representative"])
    council_meeting(preparing, held_on=datetime.date(YEAR, 3, 3))
    return geo


def sheet_rows(sheet):
    """The rows below the header row, 合计 included."""
    return list(sheet.iter_rows(min_row=5, values_only=True))


def table_rows(sheet):
    """The rows of the table, 合计 (and 其中) included, without the notes under it."""
    rows = sheet_rows(sheet)
    while rows and not any(value not in (None, "") for value in rows[-1][1:]):
        rows.pop()  # a note (in the first column only) or the blank row above the notes
    return rows


def headers(sheet):
    return [cell.value for cell in sheet[4]]


def label(key):
    return str(BY_KEY[key].label)


PERSONAS = ["district_admin", "street_a"]
TITLE_COLUMNS = {
    "总览": "$A:$A",
    "分街道": "$A:$B",
    "分社区": "$A:$C",
    "院落明细": "$A:$D",
    "自治组织": "$A:$D",
    "专项资金": "$A:$B",  # 序号, 街道; for street staff 序号, 街道, 社区
    "督查结果": "$A:$E",
    "民情诉求": "$A:$B",
}


@pytest.mark.parametrize(
    ("persona", "title"),
    [
        ("district_admin", "武侯区2026年度院落自治工作报告"),
        ("street_a", "浆洗街街道2026年度院落自治工作报告"),
    ],
)
def test_every_sheet_prints_a4_landscape_one_page_wide_with_titles_header_and_footer(
    world, people, login, persona, title
):
    _response, book = workbook(login(getattr(people, persona)))
    assert book.properties.title == title
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), sheet.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows == "$4:$4", sheet.title
        columns = TITLE_COLUMNS[sheet.title]
        if persona == "street_a" and sheet.title in ("专项资金", "民情诉求"):
            columns = "$A:$C"
        assert sheet.print_title_cols == columns, sheet.title
        assert sheet.oddHeader.center.text == title
        assert sheet.oddHeader.right.text == "&A"  # the sheet's name
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
        assert sheet["A1"].value == f"{title} · {sheet.title}"


def printed_width(text):
    """Column-width units: a CJK character prints as wide as two digits."""
    return sum(2 if ord(character) > 0x2E7F else 1 for character in str(text))


def test_every_header_is_shown_whole(world, people, login):
    """Headers such as 区级财政投入（万元） were clipped to 区级财政投入(万."""
    _response, book = workbook(login(people.district_admin))
    for sheet in book.worksheets:
        lines = (sheet.row_dimensions[4].height or 15) // 15
        for cell in sheet[4]:
            room = sheet.column_dimensions[cell.column_letter].width - 0.5
            assert printed_width(cell.value) <= room * lines, (sheet.title, cell.value)
            if printed_width(cell.value) > room:
                assert cell.alignment.wrap_text, (sheet.title, cell.value)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_column_adds_up_to_its_total_row_and_to_the_overview(
    reconciling, people, login, persona
):
    _response, book = workbook(login(getattr(people, persona)))
    overview = {row[0]: row[2] for row in sheet_rows(book["总览"])}
    for title, first in [("分街道", 2), ("分社区", 3)]:
        *rows, total = sheet_rows(book[title])
        assert total[0] == "合计"
        for column, figure in enumerate(PER_UNIT, start=first):
            if figure.kind == "rate":
                continue
            # What Excel's SUM of the column gives, to the cent of a 万元's hundredth.
            added = sum(row[column] or 0 for row in rows)
            assert added == pytest.approx(total[column], abs=1e-9), (title, figure.key)
            assert total[column] == pytest.approx(overview[label(figure.key)], abs=1e-9)

    courtyards = book["院落明细"]
    *rows, total = sheet_rows(courtyards)
    money = {
        "区级拨付（元）": "allocated_district",
        "街道拨付（元）": "allocated_street",
        "已支出（元）": "spent",
        "自筹收入（元）": "income",
    }
    for header in [*money, "户数", "人数"]:
        column = headers(courtyards).index(header)
        assert sum(row[column] or 0 for row in rows) == pytest.approx(total[column], abs=1e-6)
        if header in money:
            assert total[column] / 10000 == pytest.approx(overview[label(money[header])])

    # The fund by category: every column adds up, and the categories to the spent column.
    fund = book["专项资金"]
    *rows, total = table_rows(fund)
    categories = [f"{category}（万元）" for category in Project.Category.labels]
    spent, allocated, balance = "专项资金支出（万元）", "区、街两级投入合计（万元）", "结余（万元）"
    column = {header: n for n, header in enumerate(headers(fund))}
    for header in [*categories, spent, allocated, balance]:
        added = sum(row[column[header]] for row in rows)
        assert added == pytest.approx(total[column[header]], abs=1e-9), header
    for row in [*rows, total]:
        by_category = sum(row[column[header]] for header in categories)
        assert by_category == pytest.approx(row[column[spent]], abs=1e-9)
        assert row[column[balance]] == pytest.approx(
            row[column[allocated]] - row[column[spent]], abs=1e-9
        )
    assert total[column[spent]] == pytest.approx(overview[label("spent")], abs=1e-9)
    assert total[column[allocated]] == pytest.approx(overview[label("allocated")], abs=1e-9)

    # The organisations: their meetings are the overview's; the established ones (the
    # first row "of which", accepted or not) its organisations, courtyards and households
    # covered and people; the accepted ones (the second) its organisations accepted.
    organisations = book["自治组织"]
    *rows, total, established, accepted = table_rows(organisations)
    column = {header: n for n, header in enumerate(headers(organisations))}
    assert (total[0], established[0], accepted[0]) == ("合计", "其中", "其中")
    assert (established[column["状态"]], accepted[column["状态"]]) == (
        "已成立（含已验收）",
        "已验收",
    )
    assert total[column["院落自治组织"]] == len(rows)
    for header in ["覆盖院落（个）", "覆盖户数（户）", "民情代表（人）", "自治管理小组成员（人）"]:
        assert sum(row[column[header]] for row in rows) == total[column[header]], header
    assert total[column["本年会议（次）"]] == sum(row[column["本年会议（次）"]] for row in rows)
    assert total[column["本年会议（次）"]] == overview[label("meetings_held")]
    counted = [row for row in rows if row[column["状态"]] in ("已成立", "已验收")]
    figures = {
        "院落自治组织": "organisations_established",
        "覆盖院落（个）": "courtyards_covered",
        "覆盖户数（户）": "households_covered",
        "民情代表（人）": "representatives",
        "自治管理小组成员（人）": "group_members",
    }
    for header, key in figures.items():
        assert established[column[header]] == overview[label(key)], header
        if header != "院落自治组织":
            assert established[column[header]] == sum(row[column[header]] for row in counted)
    assert established[column["院落自治组织"]] == len(counted)
    assert accepted[column["院落自治组织"]] == overview[label("organisations_accepted")]
    # Not only the established ones: the world has people and meetings elsewhere too.
    assert len(counted) < len(rows)
    assert total[column["民情代表（人）"]] > established[column["民情代表（人）"]]
    assert total[column["本年会议（次）"]] > sum(row[column["本年会议（次）"]] for row in counted)


def test_money_in_wan_is_stored_exact_and_shown_with_two_decimals(reconciling, people, login):
    _response, book = workbook(login(people.district_admin))
    streets = book["分街道"]
    column = 2 + PER_UNIT_KEYS.index("allocated_district")
    values = [row[column] for row in sheet_rows(streets)]
    assert values == [
        pytest.approx(20.4849),  # 洗面桥社区's own 200,000 (社区本级) counts in street A
        pytest.approx(0.9049),
        0,  # 区本级: the district's own trainings, no money
        pytest.approx(21.3898),
    ]
    assert streets.cell(row=5, column=column + 1).number_format == "#,##0.00"
    overview = {row[0]: row[2] for row in sheet_rows(book["总览"])}
    assert overview[label("allocated_district")] == pytest.approx(21.3898)


def test_a_courtyard_closed_during_the_year_is_listed_with_its_money_and_marked(
    reconciling, people, login
):
    _response, book = workbook(login(people.district_admin))
    sheet = book["院落明细"]
    column = {header: n for n, header in enumerate(headers(sheet))}
    rows = {row[column["院落"]]: row for row in sheet_rows(sheet)[:-1]}
    closed = rows["锦里18号院"]
    assert closed[column["状态"]] == "已撤销 2026-08-31"
    assert (closed[column["户数"]], closed[column["人数"]]) == (None, None)
    assert (closed[column["区级拨付（元）"]], closed[column["已支出（元）"]]) == (
        1249,
        pytest.approx(111.11),
    )
    assert rows["锦里12号院"][column["状态"]] == "正常"
    assert "九眼桥旧院" not in rows  # closed before the year, with nothing in it
    # Closed with its coverage row open: covered no more.
    assert rows["九眼桥7号院"][column["状态"]] == "已撤销 2026-09-30"
    assert rows["九眼桥7号院"][column["院落自治组织"]] == "无"
    # The courtyards on the register are those the overview counts.
    overview = {row[0]: row[2] for row in sheet_rows(book["总览"])}
    open_rows = [row for row in rows.values() if row[column["状态"]] == "正常"]
    assert len(open_rows) == overview[label("courtyard_count")] == 5


def test_organisations_are_listed_with_their_status_on_the_report_date(reconciling, people, login):
    _response, book = workbook(login(people.district_admin))
    sheet = book["自治组织"]
    column = {header: n for n, header in enumerate(headers(sheet))}
    rows = {row[3]: row for row in table_rows(sheet)[:-3]}
    assert list(rows) == [
        "锦里12号院自治组织",
        "锦里18号院自治组织",
        "洗面桥3号院自治组织",
        "洗面桥5号院自治组织",
        "九眼桥花园自治组织",
    ]
    gone, preparing = rows["锦里18号院自治组织"], rows["洗面桥3号院自治组织"]
    assert gone[column["状态"]] == "已解散 2026-06-30"
    assert (gone[column["本年会议（次）"]], gone[column["民情代表（人）"]]) == (1, 0)
    assert (gone[column["召集人"]], gone[column["覆盖院落（个）"]]) == (None, 0)
    assert preparing[column["状态"]] == "筹备中"
    assert (preparing[column["成立日期"]], preparing[column["验收日期"]]) == (None, None)
    assert (preparing[column["民情代表（人）"]], preparing[column["本年会议（次）"]]) == (2, 1)
    assert preparing[column["召集人"]] and preparing[column["组长"]] is None
    # Last year's workbook reads them as they were then.
    _response, last_year = workbook(login(people.district_admin), YEAR - 1)
    statuses = {row[3]: row[column["状态"]] for row in table_rows(last_year["自治组织"])[:-3]}
    assert statuses["锦里18号院自治组织"] == "已验收"
    assert "洗面桥5号院自治组织" not in statuses  # set up in 2026


def test_the_fund_sheet_shows_the_year_s_spending_by_category(reconciling, people, login):
    _response, book = workbook(login(people.street_a))
    sheet = book["专项资金"]
    categories = [f"{category}（万元）" for category in Project.Category.labels]
    assert headers(sheet) == [
        "序号",
        "街道",
        "社区",
        *categories,
        "专项资金支出（万元）",
        "区、街两级投入合计（万元）",
        "结余（万元）",
    ]
    column = {header: n for n, header in enumerate(headers(sheet))}
    *rows, total = table_rows(sheet)
    assert [row[2] for row in rows] == ["锦里社区", "洗面桥社区"]  # street A's communities
    jinli = rows[0]
    # 1,200.00 in world's sanitation project and 111.11 in the closed courtyard's.
    assert jinli[column["环境卫生（万元）"]] == pytest.approx(0.131111, abs=1e-9)
    assert jinli[column["绿化美化（万元）"]] == 0
    assert jinli[column["区、街两级投入合计（万元）"]] == pytest.approx(0.618233, abs=1e-9)
    assert sheet.cell(row=5, column=4).number_format == "#,##0.00"
    assert total[0] == "合计"
    notes = [row[0] for row in sheet_rows(sheet)[len(rows) + 1 :] if row[0]]
    assert notes == ["注：各项目的预算和支出见项目台账，请从“项目”（/funds/projects/）导出。"]

    _response, book = workbook(login(people.district_admin))
    sheet = book["专项资金"]
    rows = {row[1]: row for row in table_rows(sheet)}
    # 300.00 spent on greening, and 55.55 spent and reversed.
    assert rows["望江路街道"][column["绿化美化（万元）"] - 1] == pytest.approx(0.03, abs=1e-9)


def first_appearances(rows, column):
    seen = []
    for row in rows:
        if row[column] not in seen:
            seen.append(row[column])
    return seen


def test_every_sheet_lists_streets_and_communities_in_one_order(reconciling, people, login):
    """Street by division code, then community by division code, then courtyard name."""
    _response, book = workbook(login(people.district_admin))
    streets = [row[1] for row in sheet_rows(book["分街道"]) if isinstance(row[0], int)]
    communities = [row[2] for row in sheet_rows(book["分社区"]) if isinstance(row[0], int)]
    assert streets == ["浆洗街街道", "望江路街道"]
    assert communities == ["锦里社区", "洗面桥社区", "九眼桥社区"]
    assert [row[1] for row in sheet_rows(book["专项资金"]) if isinstance(row[0], int)] == streets
    courtyards = [row[3] for row in sheet_rows(book["院落明细"])[:-1]]
    for title, street_column in [
        ("院落明细", 1),
        ("自治组织", 1),
        ("督查结果", 2),
    ]:
        rows = [row for row in sheet_rows(book[title]) if isinstance(row[0], int)]
        listed = first_appearances(rows, street_column)
        assert listed == [street for street in streets if street in listed], title
        listed = first_appearances(rows, street_column + 1)
        assert listed == [c for c in communities if c in listed], title
        if title != "自治组织":
            listed = first_appearances(rows, street_column + 2)
            assert listed == [c for c in courtyards if c in listed], title


def test_the_offices_own_rows_are_named_for_their_level(world, people, login):
    def own_rows(book, title):
        return [row[1] for row in sheet_rows(book[title])[:-1] if not isinstance(row[0], int)]

    _response, district = workbook(login(people.district_admin))
    assert own_rows(district, "分街道") == ["区本级"]
    assert own_rows(district, "分社区") == ["街道本级", "区本级"]
    _response, street = workbook(login(people.street_a))
    assert own_rows(street, "分社区") == ["街道本级"]


def test_each_app_declares_its_figures_and_the_report_places_every_one():
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.module_loading import import_string

    from portal.figures import declared_figures, figures_in_order
    from portal.reports.figures import FIGURES, ORDER

    declared = declared_figures()
    assert [figure.key for figure in FIGURES] == ORDER and set(declared) == set(ORDER)
    assert declared["income"] in import_string(apps.get_app_config("funds").annual_figures)
    # A figure declared but not placed would silently vanish from every table.
    with pytest.raises(ImproperlyConfigured):
        figures_in_order(ORDER[:-1])
