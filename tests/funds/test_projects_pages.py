"""The project list (budget against spending) and a project's page."""

import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.funds.factories import ExpenditureFactory, ProjectFactory

LIST = reverse("funds:projects")


def test_the_list_shows_budget_against_spending_with_totals(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, amount=Decimal("1000.00"))
    ProjectFactory(courtyard=geo.courtyard_b1, title="九眼桥绿化", budget=Decimal("500.00"))
    response = login(people.district_staff).get(LIST, {"year": 2026})
    projects = {p.title: p for p in response.context["page"]}
    assert projects["楼道照明维修"].spent == Decimal("1000.00")
    assert projects["楼道照明维修"].remaining == Decimal("2000.00")
    assert response.context["totals"] == {
        "budget": Decimal("3500.00"),
        "spent": Decimal("1000.00"),
        "remaining": Decimal("2500.00"),
    }


def test_the_list_filters_sorts_and_stays_in_scope(people, geo, fund, login):
    ProjectFactory(courtyard=geo.courtyard_b1, title="九眼桥绿化", category="greening")
    ProjectFactory(courtyard=geo.courtyard_a2, title="洗面桥巡逻", category="security")
    client = login(people.street_a)
    titles = [p.title for p in client.get(LIST, {"year": 2026}).context["page"]]
    assert sorted(titles) == ["楼道照明维修", "洗面桥巡逻"]
    filtered = client.get(LIST, {"year": 2026, "category": "security"}).context["page"]
    assert [p.title for p in filtered] == ["洗面桥巡逻"]
    searched = client.get(LIST, {"year": 2026, "q": "锦里12"}).context["page"]
    assert [p.title for p in searched] == ["楼道照明维修"]
    ordered = client.get(LIST, {"year": 2026, "sort": "-budget"}).context["page"]
    assert [p.title for p in ordered] == ["楼道照明维修", "洗面桥巡逻"]
    foreign = client.get(LIST, {"year": 2026, "street": geo.street_b.pk})
    assert "九眼桥绿化" not in foreign.content.decode()


def test_a_project_above_the_threshold_is_flagged_for_council_approval(people, geo, fund, login):
    page = login(people.community).get(LIST, {"year": 2026}).content.decode()
    assert "须议事会决议" not in page  # 3,000 yuan, threshold 5,000
    fund.project.budget = Decimal("5000.01")
    fund.project.save()
    page = login(people.community).get(LIST, {"year": 2026}).content.decode()
    assert "须议事会决议" in page
    detail = login(people.community).get(fund.project.get_absolute_url()).content.decode()
    assert "5,000.00" in detail and "议事会决议通过" in detail


def test_the_export_lists_the_filtered_projects_with_totals(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, amount=Decimal("1000.00"))
    response = login(people.community).get(LIST, {"year": 2026, "format": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[3][:6] == ("序号", "街道", "社区", "院落", "年度", "项目")
    assert rows[4][5] == "楼道照明维修" and rows[4][7] == "实施中"
    assert rows[-1][0] == "合计" and rows[-1][8:11] == (3000, 1000, 2000)


def test_a_project_page_lists_its_spending_and_answers_404_elsewhere(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, voucher_number="记-555")
    assert "记-555" in login(people.community).get(fund.project.get_absolute_url()).content.decode()
    assert login(people.street_b).get(fund.project.get_absolute_url()).status_code == 404


def test_the_lists_query_count_does_not_grow_with_the_data(people, geo, fund, grow, login):
    def count():
        with CaptureQueriesContext(connection) as queries:
            login(people.district_staff).get(LIST, {"year": 2026})
        return len(queries)

    small = count()
    grow()
    assert count() == small
