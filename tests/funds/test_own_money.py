"""A courtyard's own money (自筹资金): income it raised, spending of it approved by its
council, the balance, and the ledger.

Courtyard A1 (锦里12号院) received 1,000 yuan of parking income on 2026-02-01; its council
adopted and published a resolution on 2026-03-10 (tests.councils.conftest's organisation).
Today is 2026-11-22 (tests/funds/conftest.py)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from councils.services import meetings as meeting_services
from funds.models import Income, OwnExpenditure
from funds.own_money import own_balance
from funds.services import own_expenditure_add, own_expenditure_reverse
from tests.councils.conftest import council  # noqa: F401 (the organisation of courtyard A1)
from tests.councils.factories import council_meeting, elect, organisation_for
from tests.funds.factories import AllocationFactory, IncomeFactory
from tests.inspections.conftest import insp  # noqa: F401 (a campaign visiting courtyard A1)
from tests.inspections.factories import record

MEETING_DAY = datetime.date(2026, 3, 10)


def published(meeting):
    return meeting_services.meeting_publish(meeting=meeting, seen_version=meeting.version, by=None)


@pytest.fixture
def resolution(council):  # noqa: F811
    return published(council_meeting(council.organisation, held_on=MEETING_DAY)).motions.get()


@pytest.fixture
def parking(geo):
    return IncomeFactory(
        courtyard=geo.courtyard_a1,
        kind=Income.Kind.PARKING,
        amount=Decimal("1000.00"),
        received_on=datetime.date(2026, 2, 1),
    )


def spending(courtyard, resolution, amount, **fields):
    values = {
        "courtyard": courtyard,
        "spent_on": datetime.date(2026, 4, 1),
        "amount": Decimal(amount),
        "payee": "锦里保洁服务社",
        "voucher_number": "自-001",
        "description": "院落保洁",
        "resolution": resolution,
    } | fields
    return OwnExpenditure(**values)


def form_data(resolution, **fields):
    return {
        "spent_on": "2026-04-01",
        "amount": "300.00",
        "resolution": resolution.pk if resolution else "",
        "payee": "锦里保洁服务社",
        "payee_kind": "organisation",
        "voucher_number": "自-001",
        "description": "四月院落保洁",
    } | fields


def spend_url(courtyard):
    return reverse("funds:own_spend", args=[courtyard.pk])


def ledger_url(courtyard, year=2026):
    return reverse("funds:own_money", args=[courtyard.pk]) + f"?year={year}"


# Recording -----------------------------------------------------------------------------------


def test_a_community_member_records_own_money_spending_on_the_page(
    geo, people, login, resolution, parking
):
    client = login(people.community)
    page = client.get(spend_url(geo.courtyard_a1)).content.decode()
    assert "2026-03-10 院落民情代表议事会 · 增设非机动车棚" in page
    assert '<dd id="own-balance">1,000.00</dd>' in page

    response = client.post(spend_url(geo.courtyard_a1), form_data(resolution), follow=True)

    saved = OwnExpenditure.objects.get()
    assert (saved.courtyard, saved.year, saved.amount, saved.resolution) == (
        geo.courtyard_a1,
        2026,
        Decimal("300.00"),
        resolution,
    )
    assert saved.history.get().history_user == people.community
    assert response.redirect_chain[-1][0] == ledger_url(geo.courtyard_a1)
    page = response.content.decode()
    assert "已记录自筹资金支出：凭证号自-001。" in page
    assert '<dd id="own-balance">700.00</dd>' in page
    assert "四月院落保洁" in page


def test_spending_above_the_balance_is_refused_naming_it_and_nothing_is_saved(
    geo, people, login, resolution, parking
):
    response = login(people.community).post(
        spend_url(geo.courtyard_a1), form_data(resolution, amount="1000.01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "超出院落自筹资金余额：本院落2026-04-01可用的自筹资金余额为1,000.00元。"
    ]
    assert not OwnExpenditure.objects.exists()


def test_spending_dated_back_may_not_leave_a_later_spending_uncovered(
    geo, people, resolution, parking
):
    """600 spent in April leaves 400; 500 more dated in March would have been covered then,
    but leaves April's spending short: what is available in March is 400."""
    IncomeFactory(
        courtyard=geo.courtyard_a1, amount=Decimal("200.00"), received_on=datetime.date(2026, 6, 1)
    )
    own_expenditure_add(expenditure=spending(geo.courtyard_a1, resolution, "600"), by=None)
    backdated = spending(
        geo.courtyard_a1,
        resolution,
        "500",
        spent_on=datetime.date(2026, 3, 20),
        voucher_number="自-002",
    )
    with pytest.raises(ValidationError) as error:
        own_expenditure_add(expenditure=backdated, by=None)
    assert "可用的自筹资金余额为400.00元" in error.value.message_dict["amount"][0]
    assert OwnExpenditure.objects.count() == 1


def test_spending_without_a_resolution_is_refused(geo, people, login, resolution, parking):
    response = login(people.community).post(
        spend_url(geo.courtyard_a1), form_data(None, amount="100")
    )
    assert response.context["form"].errors["resolution"] == ["这个字段是必填项。"]
    assert not OwnExpenditure.objects.exists()


def test_a_resolution_not_the_courtyards_or_taken_after_the_spending_is_refused(
    geo,
    people,
    council,  # noqa: F811
    resolution,
    parking,
):
    other = organisation_for(geo.courtyard_b1)
    elect(other, "council", ["convener", "representative"])
    theirs = published(council_meeting(other, held_on=MEETING_DAY)).motions.get()
    draft = council_meeting(council.organisation, held_on=MEETING_DAY).motions.get()
    rejected = published(
        council_meeting(
            council.organisation,
            held_on=MEETING_DAY,
            motions=[{"title": "收取停车管理费", "votes_for": 0, "votes_against": 3}],
        )
    ).motions.get()
    for motion in (theirs, draft, rejected):
        with pytest.raises(ValidationError) as error:
            own_expenditure_add(
                expenditure=spending(geo.courtyard_a1, motion, "100"), by=people.community
            )
        assert "须是覆盖本院落的自治组织" in error.value.message_dict["resolution"][0]
    early = spending(geo.courtyard_a1, resolution, "100", spent_on=datetime.date(2026, 3, 9))
    with pytest.raises(ValidationError) as error:
        own_expenditure_add(expenditure=early, by=people.community)
    assert error.value.message_dict["resolution"] == [
        "支出日期不能早于批准该支出的决议作出日期（2026-03-10）。"
    ]
    assert not OwnExpenditure.objects.exists()


def test_the_form_refuses_a_future_date_and_a_repeated_voucher(
    geo, people, login, resolution, parking
):
    client = login(people.community)
    client.post(spend_url(geo.courtyard_a1), form_data(resolution))
    again = client.post(spend_url(geo.courtyard_a1), form_data(resolution, amount="10"))
    assert again.context["form"].errors["voucher_number"] == ["该凭证号在本院落本年度已使用。"]
    future = client.post(
        spend_url(geo.courtyard_a1),
        form_data(resolution, spent_on="2026-11-23", voucher_number="自-009"),
    )
    assert future.context["form"].errors["spent_on"] == ["日期不能晚于今天。"]
    assert OwnExpenditure.objects.count() == 1


# Reversal ------------------------------------------------------------------------------------


def test_a_reversal_on_the_page_restores_the_balance(geo, people, login, resolution, parking):
    original = own_expenditure_add(
        expenditure=spending(geo.courtyard_a1, resolution, "1000"), by=None
    )
    assert own_balance(geo.courtyard_a1.pk) == Decimal("0.00")
    client = login(people.community)
    response = client.post(
        reverse("funds:own_reverse", args=[original.pk]),
        {"spent_on": "2026-04-02", "voucher_number": "自-001-R", "reason": "重复录入"},
        follow=True,
    )
    reversal = OwnExpenditure.objects.get(reverses=original)
    assert (reversal.amount, reversal.resolution, reversal.description) == (
        Decimal("1000.00"),
        resolution,
        "重复录入",
    )
    assert own_balance(geo.courtyard_a1.pk) == Decimal("1000.00")
    assert '<dd id="own-balance">1,000.00</dd>' in response.content.decode()
    again = client.get(reverse("funds:own_reverse", args=[original.pk]))
    assert "该记录已被冲销。" in again.content.decode()
    # the money is available again from the reversal's day
    own_expenditure_add(
        expenditure=spending(
            geo.courtyard_a1,
            resolution,
            "1000",
            voucher_number="自-002",
            spent_on=datetime.date(2026, 4, 2),
        ),
        by=None,
    )


def test_a_reversal_is_not_dated_before_the_spending(geo, resolution, parking):
    original = own_expenditure_add(
        expenditure=spending(geo.courtyard_a1, resolution, "100"), by=None
    )
    with pytest.raises(ValidationError) as error:
        own_expenditure_reverse(
            expenditure=original,
            by=None,
            spent_on=datetime.date(2026, 3, 31),
            voucher_number="自-001-R",
            reason="错录",
        )
    assert error.value.message_dict["spent_on"] == ["冲销日期不能早于原记录日期。"]


# Who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "ledger", "spend"),
    [
        ("district_admin", 200, 403),
        ("street_a", 200, 403),
        ("street_b", 404, 403),
        ("community", 200, 200),
        ("inspector", 200, 403),
    ],
)
def test_who_opens_the_ledger_and_records_spending(geo, people, login, persona, ledger, spend):
    client = login(getattr(people, persona))
    assert client.get(ledger_url(geo.courtyard_a1)).status_code == ledger
    assert client.get(spend_url(geo.courtyard_a1)).status_code == spend


def test_another_streets_ledger_and_entries_are_not_found(geo, people, login, resolution, parking):
    entry = own_expenditure_add(expenditure=spending(geo.courtyard_a1, resolution, "100"), by=None)
    street_b, member = login(people.street_b), login(people.community)
    assert street_b.get(ledger_url(geo.courtyard_a1)).status_code == 404
    assert street_b.get(ledger_url(geo.courtyard_a1) + "&format=xlsx").status_code == 404
    assert member.get(ledger_url(geo.courtyard_b1)).status_code == 404
    assert member.post(spend_url(geo.courtyard_b1), form_data(resolution)).status_code == 404
    outsider = login(people.street_b)
    assert outsider.get(reverse("funds:own_reverse", args=[entry.pk])).status_code == 403
    assert OwnExpenditure.objects.count() == 1


def test_the_courtyards_fund_page_leads_to_the_ledger(geo, people, login):
    page = login(people.inspector).get(reverse("funds:courtyard", args=[geo.courtyard_a1.pk]))
    assert ledger_url(geo.courtyard_a1) in page.content.decode()


def test_individual_payees_are_masked_for_roles_without_personal_data(
    geo, people, login, resolution, parking
):
    own_expenditure_add(
        expenditure=spending(
            geo.courtyard_a1, resolution, "80", payee="刘德明", payee_kind="person"
        ),
        by=None,
    )
    assert "刘德明" in login(people.community).get(ledger_url(geo.courtyard_a1)).content.decode()
    page = login(people.inspector).get(ledger_url(geo.courtyard_a1)).content.decode()
    assert "刘德明" not in page and "刘**" in page


# The ledger, its workbook and the public page -------------------------------------------------


@pytest.fixture
def books(geo, resolution, parking):
    """2025: 300 of donations; 2026: parking 1,000 (02-01), cleaning 250 (04-01), a repair by
    an individual 120 (04-01), rental 400 (05-01), the cleaning reversed (05-02)."""
    IncomeFactory(
        courtyard=geo.courtyard_a1,
        kind=Income.Kind.DONATION,
        amount=Decimal("300.00"),
        received_on=datetime.date(2025, 9, 1),
    )
    cleaning = own_expenditure_add(
        expenditure=spending(geo.courtyard_a1, resolution, "250"), by=None
    )
    own_expenditure_add(
        expenditure=spending(
            geo.courtyard_a1,
            resolution,
            "120",
            payee="王建华",
            payee_kind="person",
            voucher_number="自-002",
            description="修补院坝",
        ),
        by=None,
    )
    IncomeFactory(
        courtyard=geo.courtyard_a1,
        kind=Income.Kind.RENTAL,
        amount=Decimal("400.00"),
        received_on=datetime.date(2026, 5, 1),
        note="闲置用房出租",
    )
    own_expenditure_reverse(
        expenditure=cleaning,
        by=None,
        spent_on=datetime.date(2026, 5, 2),
        voucher_number="自-001-R",
        reason="重复录入",
    )
    return geo


def test_the_ledger_runs_the_balance_from_what_earlier_years_left(books, people, login):
    response = login(people.community).get(ledger_url(books.courtyard_a1))
    ledger = response.context["ledger"]
    assert ledger.opening == Decimal("300.00")
    assert [(row.day.isoformat(), row.income, row.spent, row.balance) for row in ledger.rows] == [
        ("2026-02-01", Decimal("1000.00"), None, Decimal("1300.00")),
        ("2026-04-01", None, Decimal("250.00"), Decimal("1050.00")),
        ("2026-04-01", None, Decimal("120.00"), Decimal("930.00")),
        ("2026-05-01", Decimal("400.00"), None, Decimal("1330.00")),
        ("2026-05-02", None, Decimal("-250.00"), Decimal("1580.00")),
    ]
    assert (ledger.income, ledger.spent, ledger.closing) == (
        Decimal("1400.00"),
        Decimal("120.00"),
        Decimal("1580.00"),
    )
    last_year = login(people.community).get(ledger_url(books.courtyard_a1, 2025)).context["ledger"]
    assert (last_year.opening, last_year.closing) == (Decimal("0.00"), Decimal("300.00"))


def test_the_workbook_holds_exactly_the_ledgers_rows(books, people, login):
    """Opened by an inspector, who may not read individuals' names."""
    response = login(people.inspector).get(ledger_url(books.courtyard_a1) + "&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if any(row)]
    table = [(row[0], row[2], row[3], row[4], row[7], row[8], row[9]) for row in rows]
    assert table[:6] == [
        (1, "收入", "停车收费", None, 1000, None, 1300),
        (2, "支出", "锦里保洁服务社", "自-001", None, 250, 1050),
        (3, "支出", "王**", "自-002", None, 120, 930),
        (4, "收入", "房屋出租", None, 400, None, 1330),
        (5, "支出", "锦里保洁服务社", "自-001-R", None, -250, 1580),
        ("合计", None, None, None, 1400, 120, 1580),
    ]
    assert rows[6][0] == "注：以前年度结转余额：300.00元。"
    assert len(rows) == 7
    assert rows[1][6] == "2026-03-10 院落民情代表议事会 · 增设非机动车棚"


def test_the_public_page_discloses_own_money_without_naming_individuals(books, client):
    response = client.get(reverse("public_courtyard", args=[books.courtyard_a1.pk]))
    page = response.content.decode()
    assert "2026年院落自筹资金收支" in page
    assert "锦里保洁服务社" in page and "王建华" not in page and "王**" not in page
    assert "<td>个人</td>" in page
    assert "修补院坝" not in page  # a payment's summary may name people
    panel = next(p for p in response.context["panels"] if "own_money" in p["template"])
    assert (panel["income"], panel["spent"], panel["balance"]) == (
        Decimal("1400.00"),
        Decimal("120.00"),
        Decimal("1580.00"),
    )
    assert [line["signed_amount"] for line in panel["spending"]] == [
        Decimal("250.00"),
        Decimal("120.00"),
        Decimal("-250.00"),
    ]


# Query counts and demo data -------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


def _more_books(geo, resolution, grow):
    """grow()'s records everywhere, and 20 more own-money entries in courtyard A1."""
    grow()
    for n in range(10):
        IncomeFactory(
            courtyard=geo.courtyard_a1,
            amount=Decimal("50.00"),
            received_on=datetime.date(2026, 6, 1 + n),
        )
        own_expenditure_add(
            expenditure=spending(
                geo.courtyard_a1,
                resolution,
                "20",
                voucher_number=f"自-1{n:02d}",
                spent_on=datetime.date(2026, 7, 1 + n),
                payee_kind="person" if n % 2 else "organisation",
            ),
            by=None,
        )


def test_the_ledger_and_its_workbook_run_the_pinned_queries_at_two_sizes(
    books, people, login, grow, resolution
):
    client = login(people.inspector)
    url = ledger_url(books.courtyard_a1)
    small = (_queries(client, url), _queries(client, url + "&format=xlsx"))
    _more_books(books, resolution, grow)
    assert (_queries(client, url), _queries(client, url + "&format=xlsx")) == small
    assert small == (14, 10)


def test_the_public_page_runs_the_same_queries_at_two_sizes(books, client, grow, resolution):
    AllocationFactory(courtyard=books.courtyard_a1, year=2026)  # the fund's panel at both sizes
    url = reverse("public_courtyard", args=[books.courtyard_a1.pk])
    small = _queries(client, url)
    _more_books(books, resolution, grow)
    assert _queries(client, url) == small


@pytest.mark.django_db
def test_the_demo_has_a_courtyard_spending_its_parking_income_on_approved_spendings():
    from django.core.management import call_command

    call_command("seed_demo", "--force")
    spent = OwnExpenditure.objects.filter(courtyard__fund_income__kind=Income.Kind.PARKING)
    courtyard = spent.values_list("courtyard", flat=True).first()
    assert OwnExpenditure.objects.filter(courtyard=courtyard).count() >= 2
    for entry in OwnExpenditure.objects.select_related("resolution__meeting"):
        assert entry.resolution.meeting.held_on <= entry.spent_on
        assert own_balance(entry.courtyard_id) >= 0
    count = OwnExpenditure.objects.count()
    call_command("seed_demo", "--force")
    assert OwnExpenditure.objects.count() == count


def test_an_inspector_goes_from_a_visit_of_the_courtyard_to_its_ledger(
    geo,
    people,
    login,
    insp,  # noqa: F811
):
    """自筹资金收支管理规范 is one of the criteria: the visit page links the ledger."""
    visit = record(insp.a1, 60, 20, 20, by=people.inspector)
    page = login(people.inspector).get(reverse("inspections:visit", args=[visit.pk]))
    link = reverse("funds:own_money", args=[geo.courtyard_a1.pk])
    assert f'href="{link}?year={visit.visited_on.year}"' in page.content.decode()


def test_the_public_page_lists_own_income_once_under_own_money(books, client):
    """The special fund's panel leaves own income to the own-money panel, which shows it
    with what was spent of it; listed twice, residents would read two incomes."""
    AllocationFactory(courtyard=books.courtyard_a1, year=2026)
    response = client.get(reverse("public_courtyard", args=[books.courtyard_a1.pk]))
    page = response.content.decode()
    assert page.count("自治管理费") == 1
    fund = next(
        p for p in response.context["panels"] if p["template"] == "funds/panels/public.html"
    )
    assert "income_by_kind" not in fund
