"""What the fund adds to the shared pages: the dashboard, street, community and courtyard
pages, and the courtyard's public page for residents."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.funds.factories import ExpenditureFactory, IncomeFactory, ProjectFactory

PUBLIC = "public_courtyard"


def test_the_dashboard_shows_the_scopes_fund_this_year(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, amount=Decimal("1150.00"))
    page = login(people.district_staff).get(reverse("dashboard")).content.decode()
    assert "2026年度专项资金" in page and "0.46" in page and "0.12" in page  # 万元
    other = login(people.street_b).get(reverse("dashboard")).content.decode()
    assert "2026年度专项资金" in other and "0.46" not in other


def test_street_and_community_pages_show_their_own_figures(people, geo, fund, login):
    client = login(people.district_staff)
    street_page = client.get(geo.street_a.get_absolute_url()).content.decode()
    assert "本街道专项资金报表" in street_page and "0.46" in street_page
    community_page = client.get(geo.community_a2.get_absolute_url()).content.decode()
    assert "本社区专项资金报表" in community_page and "0.46" not in community_page


def test_the_courtyard_page_shows_balance_projects_and_latest_spending(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, amount=Decimal("600.00"), voucher_number="记-042")
    page = login(people.community).get(geo.courtyard_a1.get_absolute_url()).content.decode()
    for text in ["4,000.00", "楼道照明维修", "记-042", "登记支出"]:
        assert text in page
    street_view = login(people.street_a).get(geo.courtyard_a1.get_absolute_url()).content.decode()
    assert "4,000.00" in street_view and "登记支出" not in street_view


def test_an_account_without_fund_rights_gets_no_fund_panel(geo, fund, login):
    from tests.factories import UserFactory

    root_less = UserFactory(is_staff=True)
    assert login(root_less).get(reverse("dashboard")).status_code == 403


def test_residents_see_how_the_money_was_used_without_logging_in(geo, fund, client):
    ExpenditureFactory(
        project=fund.project,
        amount=Decimal("700.00"),
        payee="刘德明",
        payee_kind="person",
        description="刘德明师傅更换灯具",
    )
    ExpenditureFactory(project=fund.project, amount=Decimal("300.00"), payee="兴旺五金建材经营部")
    IncomeFactory(courtyard=geo.courtyard_a1, amount=Decimal("450.00"))
    response = client.get(reverse(PUBLIC, args=[geo.courtyard_a1.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in [
        "2026年度专项资金使用情况",
        "武民发",
        "楼道照明维修",
        "1,000.00",
        "450.00",
        "停车收费",
    ]:
        assert text in page
    for private in ["刘德明", "刘**", "兴旺五金", "更换灯具", "记-"]:
        assert private not in page


def test_the_public_page_shows_the_latest_year_unless_asked(geo, fund, client):
    ProjectFactory(courtyard=geo.courtyard_a1, year=2025, title="往年项目")
    url = reverse(PUBLIC, args=[geo.courtyard_a1.pk])
    assert "2026年度" in client.get(url).content.decode()
    assert "往年项目" in client.get(url, {"year": 2025}).content.decode()


def test_a_courtyard_without_fund_records_publishes_nothing(geo, client):
    assert client.get(reverse(PUBLIC, args=[geo.courtyard_a2.pk])).status_code == 404


def test_cancelled_projects_are_not_published(geo, fund, client):
    ProjectFactory(
        courtyard=geo.courtyard_a1,
        title="取消的项目",
        status="cancelled",
        ended_on=datetime.date(2026, 5, 1),
        cancel_reason="改由物业承担",
    )
    page = client.get(reverse(PUBLIC, args=[geo.courtyard_a1.pk])).content.decode()
    assert "取消的项目" not in page


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("shown_on", ["courtyard", "public", "street"])
def test_panel_query_counts_do_not_grow_with_the_data(
    people, geo, fund, grow, login, client, shown_on
):
    url = {
        "courtyard": geo.courtyard_a1.get_absolute_url(),
        "public": reverse(PUBLIC, args=[geo.courtyard_a1.pk]),
        "street": geo.street_a.get_absolute_url(),
    }[shown_on]
    visitor = (lambda: client) if shown_on == "public" else (lambda: login(people.district_staff))
    IncomeFactory(courtyard=geo.courtyard_a1)  # every panel shown at both sizes (own money too)
    small = _count(visitor(), url)
    grow()
    assert _count(visitor(), url) == small


def test_every_total_row_of_the_public_page_lines_up_with_its_header(geo, fund, client):
    from html.parser import HTMLParser

    class Columns(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.section = [], None

        def handle_starttag(self, tag, attrs):
            if tag in ("thead", "tfoot"):
                self.section = tag
            elif tag == "tr" and self.section:
                self.rows.append([self.section, 0])
            elif tag in ("td", "th") and self.section:
                self.rows[-1][1] += int(dict(attrs).get("colspan", 1))

        def handle_endtag(self, tag):
            if tag in ("thead", "tfoot"):
                self.section = None

    parser = Columns()
    parser.feed(
        client.get(reverse("public_courtyard", args=[geo.courtyard_a1.pk])).content.decode()
    )
    headers = [n for section, n in parser.rows if section == "thead"]
    totals = [n for section, n in parser.rows if section == "tfoot"]
    assert len(totals) == 2  # allocations and projects (no own money in this fixture)
    assert totals == headers
