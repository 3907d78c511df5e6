"""The allocation pages (登记拨付 without the admin): the list of the user's scope with its
export, recording an allocation and correcting one, through the admin's service and
checks. The fund (tests/funds/conftest.py): courtyard A1 holds 3,600 yuan from the district
and 1,000 from its street for 2026."""

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from funds.models import Allocation, Source
from tests.funds.factories import AllocationFactory, ExpenditureFactory

ADD = reverse("funds:allocation_add")
LIST = reverse("funds:allocations")


def posted(**changes):
    return {
        "year": "2026",
        "source": "street",
        "amount": "2000.00",
        "allocated_on": "2026-04-01",
        "document_number": "浆街发〔2026〕8号",
        "note": "第二批",
        **changes,
    }


def saved_fields(allocation):
    return {
        f.name: getattr(allocation, f.attname)
        for f in Allocation._meta.fields
        if f.name not in ("id",)
    }


def test_street_staff_record_an_allocation_for_a_courtyard_of_their_street(geo, people, login):
    response = login(people.street_a).post(
        f"{ADD}?courtyard={geo.courtyard_a1.pk}", posted(courtyard=geo.courtyard_a1.pk)
    )
    allocation = Allocation.objects.get(document_number="浆街发〔2026〕8号")
    assert response.status_code == 302
    assert response.url == f"{reverse('funds:courtyard', args=[geo.courtyard_a1.pk])}?year=2026"
    assert (allocation.courtyard, allocation.community) == (geo.courtyard_a1, geo.community_a1)
    assert (allocation.source, allocation.amount) == (Source.STREET, Decimal("2000.00"))
    assert allocation.history.first().history_user == people.street_a


def test_the_page_saves_what_the_admin_saves(geo, people, login):
    data = posted(courtyard=geo.courtyard_a1.pk, source="district")
    login(people.district_admin).post(f"{ADD}?community={geo.community_a1.pk}", data)
    page = Allocation.objects.get()
    login(people.district_admin).post(
        reverse("admin:funds_allocation_add"), {**data, "community": geo.community_a1.pk}
    )
    admin = Allocation.objects.exclude(pk=page.pk).get()
    assert saved_fields(page) == saved_fields(admin)


def test_an_empty_courtyard_is_the_communitys_own_fund(geo, people, login):
    response = login(people.street_a).post(
        f"{ADD}?community={geo.community_a1.pk}", posted(courtyard="")
    )
    allocation = Allocation.objects.get()
    assert allocation.courtyard is None and allocation.community == geo.community_a1
    assert response.url.startswith(reverse("funds:community_fund", args=[geo.community_a1.pk]))


def test_a_zero_or_written_amount_is_refused_in_chinese_and_nothing_is_saved(geo, people, login):
    client = login(people.street_a)
    url = f"{ADD}?courtyard={geo.courtyard_a1.pk}"
    zero = client.post(url, posted(courtyard=geo.courtyard_a1.pk, amount="0"))
    text = client.post(url, posted(courtyard=geo.courtyard_a1.pk, amount="两千"))
    assert "请填写大于零的金额。" in zero.content.decode()
    assert "输入一个数字。" in text.content.decode()
    assert not Allocation.objects.exists()


def test_another_streets_courtyard_is_not_found_nor_accepted(geo, people, login):
    client = login(people.street_a)
    assert client.get(f"{ADD}?courtyard={geo.courtyard_b1.pk}").status_code == 404
    assert client.get(f"{ADD}?community={geo.community_b1.pk}").status_code == 404
    # a courtyard of street B slipped into the form of a community of street A
    response = client.post(
        f"{ADD}?community={geo.community_a1.pk}", posted(courtyard=geo.courtyard_b1.pk)
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert not Allocation.objects.exists()


def test_street_staff_are_offered_only_their_streets_money(geo, people, login):
    client = login(people.street_a)
    page = client.get(f"{ADD}?courtyard={geo.courtyard_a1.pk}").content.decode()
    assert 'value="street"' in page and 'value="district"' not in page
    client.post(f"{ADD}?courtyard={geo.courtyard_a1.pk}", posted(source="district"))
    assert not Allocation.objects.exists()


def test_without_a_place_the_page_asks_for_the_community_of_the_scope(geo, people, login):
    page = login(people.street_a).get(ADD).content.decode()
    assert geo.community_a1.name in page and geo.community_b1.name not in page


def test_a_correction_goes_through_the_service(fund, geo, people, login):
    client = login(people.street_a)
    url = reverse("funds:allocation_edit", args=[fund.street.pk])
    data = posted(courtyard=geo.courtyard_a1.pk, amount="1200.00", allocated_on="2026-03-01")
    assert client.post(url, data).status_code == 302
    fund.street.refresh_from_db()
    assert fund.street.amount == Decimal("1200.00")
    # once the courtyard has spent, the money is no longer moved: the service says so
    ExpenditureFactory(project=fund.project, amount=Decimal("100.00"))
    response = client.post(url, {**data, "amount": "900.00"})
    assert "已支出" in response.content.decode()
    fund.street.refresh_from_db()
    assert fund.street.amount == Decimal("1200.00")


def test_withdrawing_needs_a_reason_and_keeps_the_record(fund, geo, people, login):
    client = login(people.street_a)
    url = reverse("funds:allocation_edit", args=[fund.street.pk])
    data = posted(courtyard=geo.courtyard_a1.pk, amount="1000.00", withdrawn_on="2026-05-01")
    response = client.post(url, data)
    assert "请填写撤回原因。" in response.content.decode()
    client.post(url, {**data, "withdrawn_reason": "重复登记"})
    fund.street.refresh_from_db()
    assert fund.street.is_withdrawn and fund.street.withdrawn_reason == "重复登记"


def test_an_allocation_computed_from_the_rate_keeps_its_money(fund, geo, people, login):
    computed = AllocationFactory(
        courtyard=geo.courtyard_a2, rate=fund.rate, households=80, amount=Decimal("2400.00")
    )
    client = login(people.district_admin)
    url = reverse("funds:allocation_edit", args=[computed.pk])
    page = client.get(url).content.decode()
    assert 'name="amount"' not in page and 'name="document_number"' in page
    client.post(url, {"allocated_on": "2026-03-02", "document_number": "新文号", "amount": "1"})
    computed.refresh_from_db()
    assert computed.document_number == "新文号" and computed.amount == Decimal("2400.00")


def test_the_list_shows_the_scope_and_totals_money_in_force(fund, geo, people, login):
    AllocationFactory(courtyard=geo.courtyard_b1, amount=Decimal("700.00"))
    AllocationFactory(
        courtyard=geo.courtyard_a2,
        amount=Decimal("500.00"),
        withdrawn_on="2026-04-01",
        withdrawn_reason="错拨",
    )
    response = login(people.street_a).get(LIST, {"year": 2026})
    page = response.content.decode()
    assert geo.courtyard_b1.name not in page
    assert response.context["page"].paginator.count == 3
    assert response.context["totals"]["amount"] == Decimal("4600.00")
    assert reverse("funds:allocation_edit", args=[fund.street.pk]) in page
    # street staff do not correct the district's money
    assert reverse("funds:allocation_edit", args=[fund.district.pk]) not in page


def test_the_export_holds_exactly_the_filtered_rows(fund, geo, people, login):
    AllocationFactory(courtyard=geo.courtyard_a2, source=Source.STREET, amount=Decimal("300"))
    response = login(people.district_staff).get(
        LIST, {"year": 2026, "source": "street", "format": "xlsx"}
    )
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    header = rows.index(next(r for r in rows if r[0] == "序号"))
    body = rows[header + 1 : -1]
    assert sorted(row[3] for row in body) == sorted([geo.courtyard_a1.name, geo.courtyard_a2.name])
    assert {row[6] for row in body} == {"街道财政"}
    assert rows[-1][0] == "合计" and rows[-1][8] == 1300
