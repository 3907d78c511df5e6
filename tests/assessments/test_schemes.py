"""A street's scheme on its communities: points, ranking with a minimum of organisations,
publication refused while a hand score is missing, freezing, the workbook, bad input in
Chinese, scope, and query counts at two sizes."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Indicator, Result, Scheme, Score
from tests.assessments.builders import YEAR, day, meeting, organisation, scheme
from tests.concerns.factories import a_photo
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

INDICATORS = [
    ("议事会议召开", "20", "meetings", "2"),  # A1 2.50 → 20; A2 2.00 → 20
    ("决议按时公开", "30", "decisions_on_time", "100"),  # A1 60% → 18; A2 100% → 30
    ("居民满意度测评", "50"),
]


@pytest.fixture
def street_scheme(world, geo, people):
    return scheme(people.street_a, geo.district, geo.street_a, indicators=INDICATORS)


def manual(made):
    return Indicator.objects.get(area__scheme=made, kind="manual")


def score_all(made, people, geo, a1="40", a2="45"):
    indicator = manual(made)
    services.score_enter(indicator, geo.community_a1, points=Decimal(a1), by=people.street_a)
    services.score_enter(indicator, geo.community_a2, points=Decimal(a2), by=people.street_a)


def totals(table):
    return [(row.name, row.total, row.rank) for row in table.rows]


def test_points_follow_the_rule_and_the_ranking_puts_the_best_first(street_scheme, people, geo):
    score_all(street_scheme, people, geo)
    table = selectors.scoring_table(street_scheme)
    assert totals(table) == [
        ("洗面桥社区", Decimal("95.00"), 1),
        ("锦里社区", Decimal("78.00"), 2),
    ]
    a1 = table.rows[1]
    assert [cell.points for cell in a1.cells] == [Decimal("20.00"), Decimal("18.00"), 40]
    assert table.full_marks == Decimal("100.00")


def test_a_unit_with_too_few_organisations_is_scored_but_not_ranked(street_scheme, people, geo):
    Scheme.objects.filter(pk=street_scheme.pk).update(min_sample=2)
    street_scheme.refresh_from_db()
    score_all(street_scheme, people, geo)
    table = selectors.scoring_table(street_scheme)
    assert totals(table) == [
        ("锦里社区", Decimal("78.00"), 1),
        ("洗面桥社区", Decimal("95.00"), None),
    ]
    page = services_page(people, street_scheme, "ranking")
    assert "1 个院落自治组织，少于参与排名所需的 2 个" in page


def services_page(people, made, name):
    from django.test import Client

    client = Client()
    client.force_login(people.street_a)
    return client.get(reverse(f"assessments:{name}", args=[made.pk])).content.decode()


def test_equal_totals_share_a_rank_and_the_next_rank_is_skipped():
    rows = [
        selectors.Row(None, name, organisations, total=Decimal(total))
        for name, organisations, total in [
            ("甲", 3, "80"),
            ("乙", 3, "90"),
            ("丙", 3, "80"),
            ("丁", 3, "70"),
            ("戊", 0, "99"),
        ]
    ]
    selectors.rank(rows, minimum=1)
    assert [(row.name, row.rank) for row in rows] == [
        ("乙", 1),
        ("甲", 2),
        ("丙", 2),
        ("丁", 4),
        ("戊", None),
    ]


def test_publishing_with_a_hand_score_missing_is_refused_naming_unit_and_indicator(
    street_scheme, people, geo, login
):
    services.score_enter(
        manual(street_scheme), geo.community_a1, points=Decimal("40"), by=people.street_a
    )
    response = login(people.street_a).post(
        reverse("assessments:publish", args=[street_scheme.pk]), {"confirm": "1"}, follow=True
    )
    assert "洗面桥社区尚未对“居民满意度测评”评分。" in response.content.decode()
    street_scheme.refresh_from_db()
    assert not street_scheme.is_published
    assert not Result.objects.exists()


def test_publishing_needs_the_confirmation(street_scheme, people, geo, login):
    score_all(street_scheme, people, geo)
    response = login(people.street_a).post(
        reverse("assessments:publish", args=[street_scheme.pk]), follow=True
    )
    assert "请勾选确认" in response.content.decode()
    street_scheme.refresh_from_db()
    assert not street_scheme.is_published


def test_published_results_do_not_move_when_the_records_change(
    street_scheme, people, geo, login, world
):
    score_all(street_scheme, people, geo)
    response = login(people.street_a).post(
        reverse("assessments:publish", args=[street_scheme.pk]), {"confirm": "1"}, follow=True
    )
    assert "考评结果已发布" in response.content.decode()
    street_scheme.refresh_from_db()
    # Later: A1 publishes three more decisions on time, and a new organisation meets.
    meeting(world["org1"], day(7, 1), published_after=1, decisions=3)
    meeting(organisation(geo.community_a2, "新组织"), day(7, 2))
    table = selectors.scoring_table(street_scheme)
    assert totals(table) == [
        ("洗面桥社区", Decimal("95.00"), 1),
        ("锦里社区", Decimal("78.00"), 2),
    ]
    assert [(r.community, r.total, r.rank) for r in selectors.published_ranking(street_scheme)] == [
        (geo.community_a2, Decimal("95.00"), 1),
        (geo.community_a1, Decimal("78.00"), 2),
    ]
    with pytest.raises(ValidationError):
        services.score_enter(
            manual(street_scheme), geo.community_a1, points=Decimal("1"), by=people.street_a
        )
    computed = Score.objects.get(indicator__measure="decisions_on_time", community=geo.community_a1)
    assert (computed.value, computed.sample, computed.points) == (
        Decimal("60.00"),
        5,
        Decimal("18.00"),
    )


def test_the_published_ranking_of_a_draft_is_empty(street_scheme):
    assert selectors.published_ranking(street_scheme) == []


def test_the_workbook_holds_the_ranking_and_the_definitions(street_scheme, people, geo, login):
    score_all(street_scheme, people, geo)
    services.scheme_publish(street_scheme, by=people.street_a)
    response = login(people.street_a).get(reverse("assessments:workbook", args=[street_scheme.pk]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["考评结果", "指标说明"]
    rows = [list(row) for row in book["考评结果"].iter_rows(min_row=4, values_only=True)]
    assert rows[0][:4] == ["序号", "名次", "考评对象", "计入的自治组织数"]
    assert rows[0][4].startswith("议事会议召开")
    assert rows[1][:8] == [1, 1, "洗面桥社区", 1, 20, 30, 45, 95]
    assert rows[2][:8] == [2, 2, "锦里社区", 2, 20, 18, 40, 78]
    definitions = [row for row in book["指标说明"].iter_rows(min_row=5, values_only=True)]
    assert definitions[0][1] == "议事会议召开"
    assert "会后7天内向居民公开的比例" in definitions[1][5]
    assert definitions[2][3] == "人工评分"


def prefixed(**fields):
    return {f"indicator-{name}": value for name, value in fields.items()}


def test_bad_indicators_are_refused_in_chinese_and_nothing_is_stored(street_scheme, people, login):
    client = login(people.street_a)
    area = street_scheme.areas.get()
    url = reverse("assessments:indicator_add", args=[street_scheme.pk])
    before = Indicator.objects.count()
    page = client.post(
        url,
        prefixed(area=area.pk, title="x", weight="十分", kind="computed", measure="meetings",
                 target="0"),
    ).content.decode()  # fmt: skip
    assert "请输入数字，例如10或7.5。" in page
    assert "目标值必须大于0。" in page
    page = client.post(
        url, prefixed(area=area.pk, title="x", weight="5", kind="computed", target="3")
    ).content.decode()
    assert "请选择本指标由平台计算的内容。" in page
    assert Indicator.objects.count() == before


def test_a_hand_score_above_the_weight_is_refused(street_scheme, people, geo, login):
    indicator = manual(street_scheme)
    prefix = f"s{geo.community_a1.pk}-i{indicator.pk}"
    page = login(people.street_a).post(
        reverse("assessments:scores", args=[street_scheme.pk]), {f"{prefix}-points": "60"}
    )
    assert "最多50.00分" in page.content.decode()
    assert not Score.objects.exists()


def test_a_hand_score_keeps_its_note_and_evidence(street_scheme, people, geo, login):
    indicator = manual(street_scheme)
    client = login(people.street_a)
    prefix = f"s{geo.community_a1.pk}-i{indicator.pk}"
    response = client.post(
        reverse("assessments:scores", args=[street_scheme.pk]),
        {
            f"{prefix}-points": "42.5",
            f"{prefix}-note": "入户测评满意率85%",
            f"{prefix}-evidence": a_photo("测评表.png"),
        },
    )
    assert response.status_code == 302
    score = Score.objects.get(community=geo.community_a1)
    assert (score.points, score.note, score.scored_by) == (
        Decimal("42.50"),
        "入户测评满意率85%",
        people.street_a,
    )
    evidence = client.get(reverse("assessments:evidence", args=[score.pk]))
    assert evidence["Content-Type"] == "image/png"
    assert (
        login(people.street_b).get(reverse("assessments:evidence", args=[score.pk])).status_code
        == 404
    )


def test_another_streets_scheme_is_404(street_scheme, people, login):
    client = login(people.street_b)
    for name in ["detail", "scores", "ranking", "print", "workbook"]:
        url = reverse(f"assessments:{name}", args=[street_scheme.pk])
        assert client.get(url).status_code == 404, name


def test_the_list_shows_the_years_schemes_in_scope(street_scheme, people, login):
    page = login(people.street_a).get(reverse("assessments:list") + f"?year={YEAR}")
    assert street_scheme.title in page.content.decode()
    other = login(people.street_b).get(reverse("assessments:list") + f"?year={YEAR}")
    assert street_scheme.title not in other.content.decode()


def _grow(geo, extra):
    for n in range(extra):
        community = CommunityFactory(street=geo.street_a, name=f"新社区{n}")
        organisation(community, f"新社区{n}自治组织")


# Queries of each page whatever the number of units: the session, the user and their role,
# the scheme, its areas and indicators, the units, and for the scoring and ranking pages
# one or two grouped queries per measure, the organisations counted and the hand scores.
QUERIES = {"detail": 8, "scores": 14, "ranking": 14}


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("extra", [0, 4])
def test_query_counts_do_not_grow_with_the_units(
    name, extra, street_scheme, people, geo, login, django_assert_num_queries
):
    _grow(geo, extra)
    client = login(people.street_a)
    url = reverse(f"assessments:{name}", args=[street_scheme.pk])
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url).status_code == 200
