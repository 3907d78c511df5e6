"""The page that generates a year's district allocations: preview, confirmation, refusals."""

from decimal import Decimal

from django.urls import reverse

from funds.models import Allocation
from tests.funds.factories import ExpenditureFactory, FundRateFactory, ProjectFactory

URL = reverse("funds:generate")


def preview(client, geo, year=2026):
    return client.get(URL, {"year": year, "district": geo.district.pk})


def confirm(client, response, **extra):
    rate = response.context["rate"]
    return client.post(
        URL,
        {
            "year": rate.year,
            "district": rate.district_id,
            "document_number": "武民发〔2026〕8号",
            "fingerprint": response.context["plan"].fingerprint,
            **extra,
        },
    )


def test_the_preview_shows_entitlements_and_totals_and_saves_nothing(people, geo, login):
    FundRateFactory(district=geo.district)  # 3,000 yuan per 100 households
    response = preview(login(people.district_admin), geo)
    page = response.content.decode()
    for text in ["锦里12号院", "3,600.00", "浆洗街街道", "7,800.00", "16,800.00", "1.68", "560"]:
        assert text in page
    assert not Allocation.objects.exists()


def test_the_district_administrators_own_district_is_previewed_at_once(people, geo, login):
    FundRateFactory(district=geo.district)
    response = login(people.district_admin).get(URL)
    assert response.context["plan"] is not None


def test_confirming_creates_the_allocations_once(people, geo, login):
    FundRateFactory(district=geo.district)
    client = login(people.district_admin)
    response = confirm(client, preview(client, geo))
    assert response.status_code == 302
    assert Allocation.objects.count() == 4
    assert set(Allocation.objects.values_list("document_number", flat=True)) == {
        "武民发〔2026〕8号"
    }
    page = client.get(response.url).content.decode()
    assert "新建4笔" in page
    again = preview(client, geo)
    assert "确认不会产生任何变化" in again.content.decode()
    confirm(client, again)
    assert Allocation.objects.count() == 4


def test_a_stale_preview_is_not_confirmed(people, geo, login):
    FundRateFactory(district=geo.district)
    client = login(people.district_admin)
    shown = preview(client, geo)
    geo.courtyard_a2.households = 90
    geo.courtyard_a2.save()
    response = confirm(client, shown)
    assert response.status_code == 200
    assert "预览后数据已发生变化" in response.content.decode()
    assert not Allocation.objects.exists()


def test_allocations_with_spending_are_named_and_kept(people, geo, login):
    FundRateFactory(district=geo.district)
    client = login(people.district_admin)
    confirm(client, preview(client, geo))
    ExpenditureFactory(project=ProjectFactory(courtyard=geo.courtyard_a1), amount=Decimal("5.00"))
    geo.courtyard_a1.households = 150
    geo.courtyard_a1.save()
    shown = preview(client, geo)
    assert "已从拨付中支出" in shown.content.decode()
    response = confirm(client, shown)
    page = client.get(response.url).content.decode()
    assert "以下院落已有支出，拨付未作调整：锦里社区锦里12号院" in page
    assert Allocation.objects.get(courtyard=geo.courtyard_a1).amount == Decimal("3600.00")


def test_without_a_rate_the_page_says_to_set_one(people, geo, login):
    page = preview(login(people.district_admin), geo).content.decode()
    assert "尚未设定2026年度标准" in page


def test_only_district_administrators_generate(people, geo, login):
    FundRateFactory(district=geo.district)
    for persona in ["district_staff", "street_a", "community", "inspector"]:
        client = login(getattr(people, persona))
        assert preview(client, geo).status_code == 403
        assert client.post(URL, {"year": 2026, "district": geo.district.pk}).status_code == 403
    assert not Allocation.objects.exists()


def test_the_previews_query_count_does_not_grow_with_the_courtyards(people, geo, grow, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    FundRateFactory(district=geo.district)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert preview(login(people.district_admin), geo).status_code == 200
        return len(queries)

    small = count()
    grow()
    assert count() == small
