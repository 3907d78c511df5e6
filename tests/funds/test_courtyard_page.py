"""A courtyard's fund page: its figures, lists, who sees which payee, and scope."""

from decimal import Decimal

from django.urls import reverse

from funds.models import Expenditure
from tests.funds.factories import AllocationFactory, ExpenditureFactory, IncomeFactory


def url(courtyard, year=2026):
    return f"{reverse('funds:courtyard', args=[courtyard.pk])}?year={year}"


def test_the_page_shows_the_years_figures_and_records(people, geo, fund, login):
    ExpenditureFactory(project=fund.project, amount=Decimal("600.00"), voucher_number="记-007")
    IncomeFactory(courtyard=geo.courtyard_a1, amount=Decimal("320.00"), note="一季度停车费")
    response = login(people.community).get(url(geo.courtyard_a1))
    figures = response.context["figures"]
    assert figures.allocated == Decimal("4600.00") and figures.balance == Decimal("4000.00")
    page = response.content.decode()
    for text in ["楼道照明维修", "记-007", "一季度停车费", "4,000.00", "登记支出", "停车收费"]:
        assert text in page


def test_reversed_and_reversing_entries_are_marked_and_counted_once(people, geo, fund, login):
    original = ExpenditureFactory(project=fund.project, amount=Decimal("600.00"))
    ExpenditureFactory(project=fund.project, amount=Decimal("600.00"), reverses=original)
    response = login(people.community).get(url(geo.courtyard_a1))
    flags = {e.pk: (e.has_reversal, e.is_reversal) for e in response.context["expenditures"]}
    assert flags[original.pk] == (True, False)
    assert response.context["figures"].spent == Decimal("0.00")
    page = response.content.decode()
    assert "已冲销" in page and "-600.00" in page


def test_a_withdrawn_allocation_is_listed_but_not_counted(people, geo, fund, login):
    AllocationFactory(
        courtyard=geo.courtyard_a1,
        amount=Decimal("999.00"),
        withdrawn_on="2026-04-01",
        withdrawn_reason="重复下达",
    )
    response = login(people.community).get(url(geo.courtyard_a1))
    assert "重复下达" in response.content.decode()
    assert response.context["figures"].allocated == Decimal("4600.00")


def test_individual_payees_are_masked_for_roles_without_personal_data(people, geo, fund, login):
    ExpenditureFactory(
        project=fund.project, payee="刘德明", payee_kind=Expenditure.PayeeKind.PERSON
    )
    ExpenditureFactory(project=fund.project, payee="兴旺五金建材经营部")
    member_page = login(people.community).get(url(geo.courtyard_a1)).content.decode()
    assert "刘德明" in member_page
    for persona in ["district_staff", "inspector"]:
        page = login(getattr(people, persona)).get(url(geo.courtyard_a1)).content.decode()
        assert "刘德明" not in page and "刘**" in page
        assert "兴旺五金建材经营部" in page


def test_another_scopes_courtyard_is_not_found(people, geo, fund, login):
    assert login(people.community).get(url(geo.courtyard_a2)).status_code == 404
    assert login(people.street_b).get(url(geo.courtyard_a1)).status_code == 404
    assert login(people.street_a).get(url(geo.courtyard_a1)).status_code == 200


def test_only_those_who_may_record_see_the_recording_buttons(people, geo, fund, login):
    assert "登记支出" not in login(people.street_a).get(url(geo.courtyard_a1)).content.decode()
    assert "登记支出" in login(people.community).get(url(geo.courtyard_a1)).content.decode()


def test_an_empty_year_says_what_to_do_next(people, geo, login):
    page = login(people.community).get(url(geo.courtyard_a1, 2024)).content.decode()
    assert "2024年度尚无拨付" in page and "请先登记项目" in page


def test_the_courtyards_workbook_has_its_four_tables_with_totals(people, geo, fund, login):
    import io

    from openpyxl import load_workbook

    original = ExpenditureFactory(
        project=fund.project, amount=Decimal("600.00"), payee="刘德明", payee_kind="person"
    )
    ExpenditureFactory(project=fund.project, amount=Decimal("600.00"), reverses=original)
    ExpenditureFactory(project=fund.project, amount=Decimal("250.00"))
    IncomeFactory(courtyard=geo.courtyard_a1, amount=Decimal("320.00"))
    response = login(people.inspector).get(url(geo.courtyard_a1) + "&format=xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [sheet.title for sheet in book.worksheets] == [
        "资金拨付",
        "项目",
        "支出明细",
        "自筹收入",
    ]
    allocations, projects, spending, income = (
        list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets
    )
    assert allocations[-1][4] == 4600
    assert projects[-1][8:10] == (3000, 250)
    assert [row[6] for row in spending[4:-1]] == [600, -600, 250]
    assert spending[-1][6] == 250
    assert "刘德明" not in str(spending) and "刘**" in str(spending)
    assert income[-1][4] == 320
