"""The fund report: figures per street, community and courtyard, drill-down, scope, the
chart, the print view, the unit and the Excel export."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from funds.models import Source
from tests.funds.conftest import fill
from tests.funds.factories import AllocationFactory, ExpenditureFactory, IncomeFactory

REPORT = reverse("funds:report")


def street_url(geo, name="street_a"):
    return reverse("funds:street", args=[getattr(geo, name).pk])


def community_url(geo, name="community_a1"):
    return reverse("funds:community", args=[getattr(geo, name).pk])


@pytest.fixture
def spent(fund):
    ExpenditureFactory(project=fund.project, amount=Decimal("1150.00"))
    IncomeFactory(courtyard=fund.project.courtyard, amount=Decimal("600.00"))
    AllocationFactory(
        courtyard=fund.project.courtyard.community.courtyards.exclude(
            pk=fund.project.courtyard_id
        ).get(),
        amount=Decimal("400.00"),
    )
    return fund


def rows_by_name(response):
    return {row.name: row for row in response.context["rows"]}


def test_district_staff_see_each_street_with_its_figures(people, geo, spent, login):
    response = login(people.district_staff).get(REPORT, {"year": 2026})
    rows = rows_by_name(response)
    assert set(rows) == {"浆洗街街道", "望江路街道"}
    street = rows["浆洗街街道"]
    assert street.allocated_district == Decimal("4000.00")  # 3,600 + 400 (电力局宿舍)
    assert street.allocated_street == Decimal("1000.00")
    assert street.spent == Decimal("1150.00")
    assert street.balance == Decimal("3850.00")
    assert street.income == Decimal("600.00")
    assert rows["望江路街道"].allocated == Decimal("0.00")
    page = response.content.decode()
    assert "2026年度专项资金" in page and "23.0%" in page


def test_the_totals_row_is_the_sum_of_the_rows(people, geo, spent, login):
    response = login(people.district_staff).get(REPORT, {"year": 2026})
    rows, totals = response.context["rows"], response.context["report"].totals
    for figure in ["allocated_district", "allocated_street", "spent", "income"]:
        assert getattr(totals, figure) == sum(getattr(row, figure) for row in rows)
    assert totals.balance == sum(row.balance for row in rows)


def test_the_report_drills_down_to_communities_and_courtyards(people, geo, spent, login):
    client = login(people.district_staff)
    communities = rows_by_name(client.get(street_url(geo), {"year": 2026}))
    assert set(communities) == {"锦里社区", "洗面桥社区"}
    assert communities["锦里社区"].allocated == Decimal("5000.00")
    courtyards = rows_by_name(client.get(community_url(geo), {"year": 2026}))
    assert set(courtyards) == {"锦里12号院", "电力局宿舍"}
    assert courtyards["锦里12号院"].spent == Decimal("1150.00")
    page = client.get(community_url(geo), {"year": 2026}).content.decode()
    assert reverse("funds:courtyard", args=[geo.courtyard_a1.pk]) in page


def test_another_year_shows_that_years_money(people, geo, spent, login):
    response = login(people.district_staff).get(REPORT, {"year": 2025})
    assert response.context["report"].totals.allocated == Decimal("0.00")
    assert "2025年度尚无拨付记录" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "url_of", "status"),
    [
        ("street_a", lambda geo: street_url(geo), 200),
        ("street_a", lambda geo: street_url(geo, "street_b"), 404),
        ("street_b", lambda geo: community_url(geo), 404),
        ("community", lambda geo: community_url(geo), 200),
        ("community", lambda geo: community_url(geo, "community_a2"), 404),
        ("inspector", lambda geo: community_url(geo, "community_b1"), 200),
    ],
)
def test_each_persona_reaches_only_their_scope(people, geo, fund, login, persona, url_of, status):
    assert login(getattr(people, persona)).get(url_of(geo)).status_code == status


def test_street_staff_start_from_their_streets_communities(people, geo, spent, login):
    response = login(people.street_b).get(REPORT)
    assert set(rows_by_name(response)) == {"九眼桥社区"}
    assert response.context["report"].totals.allocated == Decimal("0.00")


def test_a_community_member_starts_from_their_courtyards(people, geo, spent, login):
    response = login(people.community).get(REPORT)
    assert set(rows_by_name(response)) == {"锦里12号院", "电力局宿舍"}
    assert response.context["report"].totals.spent == Decimal("1150.00")


def test_an_account_without_a_role_is_refused_and_a_visitor_sent_to_log_in(people, client, login):
    assert login(people.no_role).get(REPORT).status_code == 403
    response = client.get(REPORT)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_streets_and_communities_are_shown_in_wan_and_courtyards_in_yuan(people, geo, spent, login):
    client = login(people.district_staff)
    assert "0.50" in client.get(REPORT, {"year": 2026}).content.decode()  # 5,000 yuan
    assert "5,000.00" in client.get(REPORT, {"year": 2026, "unit": "yuan"}).content.decode()
    page = client.get(community_url(geo), {"year": 2026}).content.decode()
    assert "4,600.00" in page and "金额单位：元" in page


def test_rows_sort_on_the_server(people, geo, login):
    fill(geo.courtyard_b1)
    AllocationFactory(courtyard=geo.courtyard_a1, amount=Decimal("9000.00"))
    client = login(people.district_staff)
    names = [
        r.name for r in client.get(REPORT, {"year": 2026, "sort": "-allocated"}).context["rows"]
    ]
    assert names == ["浆洗街街道", "望江路街道"]
    names = [r.name for r in client.get(REPORT, {"year": 2026, "sort": "-spent"}).context["rows"]]
    assert names == ["望江路街道", "浆洗街街道"]
    names = [r.name for r in client.get(REPORT, {"year": 2026, "sort": "bogus"}).context["rows"]]
    assert set(names) == {"浆洗街街道", "望江路街道"}


def test_the_chart_is_inline_svg_scaled_to_the_largest_bar(people, geo, spent, login):
    response = login(people.district_staff).get(REPORT, {"year": 2026})
    bars = re.findall(r'width="([\d.]+)"[^>]*><title>([^<]+?) · ', str(response.context["chart"]))
    widths = [float(width) for width, _label in bars]
    assert max(widths) == 640 - 130 - 90  # the largest bar fills the plot
    assert [float(w) for w, label in bars if label == "望江路街道"] == [0.0, 0.0]
    page = response.content.decode()
    assert "<svg" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]


def test_the_print_view_adds_the_print_stylesheet(people, geo, fund, login):
    page = login(people.district_staff).get(REPORT, {"print": "1"}).content.decode()
    assert "funds/print-view.css" in page and "Ctrl+P" in page


def test_the_excel_export_holds_the_scope_rows_and_totals(people, geo, spent, login):
    response = login(people.street_a).get(REPORT, {"year": 2026, "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3] == (
        "序号",
        "社区",
        "区级拨付（元）",
        "街道拨付（元）",
        "拨付合计（元）",
        "已支出（元）",
        "结余（元）",
        "执行率",
        "自筹收入（元）",
    )
    body = {row[1]: row for row in rows[4:-1]}
    assert set(body) == {"锦里社区", "洗面桥社区"}
    assert body["锦里社区"][4] == 5000 and body["锦里社区"][5] == 1150
    assert rows[-1][0] == "合计" and rows[-1][4] == 5000
    assert "浆洗街街道" in rows[1][0]
    income = list(book.worksheets[1].iter_rows(values_only=True))
    assert income[-1][0] == "合计" and income[-1][2] == 600


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("persona", "url_of"),
    [
        ("district_staff", lambda geo: REPORT),
        ("district_staff", lambda geo: street_url(geo)),
        ("street_a", lambda geo: REPORT),
        ("street_a", lambda geo: community_url(geo)),
        ("community", lambda geo: REPORT),
        ("community", lambda geo: reverse("funds:courtyard", args=[geo.courtyard_a1.pk])),
    ],
)
def test_report_query_counts_do_not_grow_with_the_data(
    people, geo, fund, grow, login, persona, url_of
):
    url = url_of(geo)
    small = _queries(login(getattr(people, persona)), url, {"year": 2026})
    grow()
    assert _queries(login(getattr(people, persona)), url, {"year": 2026}) == small
    assert small <= 16


def test_the_excel_exports_query_count_does_not_grow_with_the_data(people, geo, fund, grow, login):
    def count():
        client = login(people.district_staff)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(REPORT, {"year": 2026, "format": "xlsx"})
            b"".join(response.streaming_content)
        return len(queries)

    small = count()
    grow()
    assert count() == small


def test_withdrawn_allocations_do_not_count_in_reports(people, geo, fund, login):
    AllocationFactory(
        courtyard=geo.courtyard_b1,
        source=Source.STREET,
        amount=Decimal("700.00"),
        withdrawn_on="2026-05-01",
        withdrawn_reason="重复下达",
    )
    rows = rows_by_name(login(people.district_staff).get(REPORT, {"year": 2026}))
    assert rows["望江路街道"].allocated == Decimal("0.00")
