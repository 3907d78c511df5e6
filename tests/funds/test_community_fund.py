"""The community's own fund (社区本级): money paid directly to a community (seed 002: 20万元 a
year), its projects run by the residents' committee (seed 000) and their spending — recorded,
listed, held to its balance, scoped, reported and disclosed like a courtyard's."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from funds.models import Allocation, Expenditure, Project, Source
from tests.factories import CommunityFactory, CourtyardFactory
from tests.funds.factories import AllocationFactory, ExpenditureFactory, ProjectFactory
from tests.funds.test_import import confirm, upload, workbook

YEAR = 2026


def own_url(community, name="community_fund"):
    return f"{reverse(f'funds:{name}', args=[community.pk])}?year={YEAR}"


def admin_add(client, data):
    return client.post(reverse("admin:funds_allocation_add"), data)


@pytest.fixture
def own(geo):
    """锦里社区's own fund: 200,000 yuan from the district, a project of 60,000 yuan of its
    residents' committee, 15,000 paid to an organisation and 800 to a craftsman."""
    allocation = AllocationFactory(
        courtyard=None, community=geo.community_a1, amount=Decimal("200000.00")
    )
    project = ProjectFactory(
        courtyard=None,
        community=geo.community_a1,
        title="社区为民服务中心运行",
        budget=Decimal("60000.00"),
    )
    ExpenditureFactory(project=project, amount=Decimal("15000.00"), payee="乐龄居家养老服务中心")
    ExpenditureFactory(
        project=project,
        amount=Decimal("800.00"),
        payee="刘德明",
        payee_kind=Expenditure.PayeeKind.PERSON,
    )
    return project, allocation


def test_district_staff_record_a_community_allocation_and_it_is_listed(people, geo, login):
    client = login(people.district_staff)
    response = admin_add(
        client,
        {
            "community": geo.community_a1.pk,
            "year": YEAR,
            "source": Source.DISTRICT,
            "amount": "200000",
            "allocated_on": "2026-03-15",
            "document_number": "武民发〔2026〕9号",
        },
    )
    assert response.status_code == 302
    allocation = Allocation.objects.get()
    assert allocation.courtyard is None and allocation.community == geo.community_a1
    page = login(people.community).get(own_url(geo.community_a1))
    assert page.status_code == 200
    assert page.context["figures"].allocated == Decimal("200000.00")
    assert "武民发〔2026〕9号" in page.content.decode()
    assert "自筹收入" not in page.content.decode()  # a community's own fund raises none
    # and on the community's fund report, as its 社区本级 row
    report = login(people.street_a).get(
        reverse("funds:community", args=[geo.community_a1.pk]), {"year": YEAR}
    )
    assert "社区本级" in report.content.decode()
    assert report.context["report"].totals.allocated == Decimal("200000.00")


def test_a_courtyard_of_another_community_is_refused(people, geo, login):
    response = admin_add(
        login(people.district_staff),
        {
            "community": geo.community_a2.pk,
            "courtyard": geo.courtyard_a1.pk,
            "year": YEAR,
            "source": Source.DISTRICT,
            "amount": "500",
            "allocated_on": "2026-03-15",
        },
    )
    assert response.status_code == 200
    assert "院落不属于该社区" in response.content.decode()
    assert not Allocation.objects.exists()


def test_an_allocation_names_a_courtyard_or_a_community(people, geo, login):
    response = admin_add(
        login(people.district_staff),
        {"year": YEAR, "source": Source.DISTRICT, "amount": "500", "allocated_on": "2026-03-15"},
    )
    assert response.status_code == 200 and not Allocation.objects.exists()
    assert "请选择院落；社区本级资金请选择社区" in response.content.decode()


def spend(client, community, project, amount, voucher="社-001"):
    return client.post(
        reverse("funds:community_spend", args=[community.pk]) + f"?year={YEAR}",
        {
            "project": project.pk,
            "spent_on": "2026-06-01",
            "amount": amount,
            "payee": "社区文体协会",
            "payee_kind": "organisation",
            "voucher_number": voucher,
            "description": "活动支出",
        },
    )


def test_spending_beyond_the_community_balance_is_refused_in_chinese(people, geo, login):
    AllocationFactory(courtyard=None, community=geo.community_a1, amount=Decimal("3000.00"))
    AllocationFactory(courtyard=geo.courtyard_a1, amount=Decimal("90000.00"))  # not its money
    project = ProjectFactory(courtyard=None, community=geo.community_a1, budget=Decimal("9000.00"))
    client = login(people.community)
    response = spend(client, geo.community_a1, project, "3000.01")
    assert response.status_code == 200
    assert "超出社区本级可用余额：社区本级2026年度专项资金可用余额为3,000.00元。" in (
        response.content.decode()
    )
    assert not Expenditure.objects.exists()
    assert spend(client, geo.community_a1, project, "3000.00").status_code == 302
    expenditure = Expenditure.objects.get()
    assert expenditure.courtyard is None and expenditure.community == geo.community_a1
    page = client.get(own_url(geo.community_a1))
    assert page.context["figures"].balance == Decimal("0.00")
    # the courtyard's balance is untouched by the community's spending
    courtyard = client.get(reverse("funds:courtyard", args=[geo.courtyard_a1.pk]), {"year": YEAR})
    assert courtyard.context["figures"].balance == Decimal("90000.00")


def test_community_members_register_a_project_of_their_own_fund(people, geo, login):
    """No courtyard council approves a project of the residents' committee: above the
    district's threshold it needs no resolution, and the form offers none."""
    client = login(people.community)
    form = client.get(own_url(geo.community_a1, "community_project_add"))
    assert "resolution" not in form.context["form"].fields
    response = client.post(
        own_url(geo.community_a1, "community_project_add"),
        {"year": YEAR, "title": "社区为民服务中心运行", "category": "elderly_care",
         "budget": "60000", "status": "planned"},
    )  # fmt: skip
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.courtyard, project.community) == (None, geo.community_a1)
    assert "社区为民服务中心运行" in client.get(own_url(geo.community_a1)).content.decode()


@pytest.mark.parametrize("persona", ["street_b", "community"])
def test_another_scopes_community_level_records_are_not_found(people, geo, login, persona):
    """Street B's staff do not see street A's community; 锦里社区's member not 洗面桥社区."""
    community = geo.community_a2 if persona == "community" else geo.community_a1
    AllocationFactory(courtyard=None, community=community, amount=Decimal("1000.00"))
    project = ProjectFactory(courtyard=None, community=community)
    expenditure = ExpenditureFactory(project=project)
    client = login(getattr(people, persona))
    pages = [
        own_url(community),
        reverse("funds:project", args=[project.pk]),
        reverse("funds:expenditure", args=[expenditure.pk]),
    ]
    if persona == "community":  # street staff may not record spending at all (403)
        pages += [
            own_url(community, "community_spend"),
            own_url(community, "community_project_add"),
        ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    assert not Allocation.objects.visible_to(getattr(people, persona)).exists()


def test_the_funds_report_counts_it_in_its_community_and_every_total(people, geo, own, login):
    AllocationFactory(courtyard=geo.courtyard_b1, amount=Decimal("1000.00"))
    district = login(people.district_staff).get(reverse("funds:report"), {"year": YEAR})
    rows = {row.name: row for row in district.context["rows"]}
    assert rows["浆洗街街道"].allocated == Decimal("200000.00")
    assert rows["浆洗街街道"].spent == Decimal("15800.00")
    totals = district.context["report"].totals
    assert (totals.allocated, totals.spent) == (Decimal("201000.00"), Decimal("15800.00"))
    street = login(people.street_a).get(reverse("funds:report"), {"year": YEAR})
    rows = {row.name: row for row in street.context["rows"]}
    assert rows["锦里社区"].balance == Decimal("184200.00")
    assert rows["洗面桥社区"].allocated == Decimal("0.00")
    # a community's page: its courtyards, then its 社区本级 row; the total is both
    page = login(people.community).get(reverse("funds:report"), {"year": YEAR})
    report = page.context["report"]
    assert [row.allocated for row in report.own_rows] == [Decimal("200000.00")]
    assert report.totals.allocated == sum(r.allocated for r in page.context["rows"]) + Decimal(
        "200000.00"
    )
    xlsx = {"year": YEAR, "format": "xlsx"}
    response = login(people.community).get(reverse("funds:report"), xlsx)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    lines = {row[1]: row for row in book.worksheets[0].iter_rows(values_only=True) if row[1]}
    assert lines["锦里社区（社区本级）"][4] == 200000


def test_the_dashboard_panel_of_the_community_counts_it(people, geo, own, login):
    page = login(people.community).get(reverse("courtyards:community", args=[geo.community_a1.pk]))
    panel = next(p for p in page.context["panels"] if p["template"] == "funds/panels/scope.html")
    assert panel["figures"].allocated == Decimal("200000.00")


@pytest.mark.parametrize("model", ["allocation", "project", "expenditure"])
def test_admin_lists_name_the_community_level_records_as_its_own_fund(
    people, geo, own, login, model
):
    page = login(people.district_staff).get(reverse(f"admin:funds_{model}_changelist"))
    rows = page.content.decode().split('class="field-courtyard_or_own')[1:]
    cells = [row.split("</t")[0] for row in rows]  # a <td>, or the <th> linking the row
    assert cells and all("社区本级" in cell for cell in cells)


def test_the_public_community_page_shows_its_fund_and_no_payee(geo, own):
    page = Client().get(reverse("public_community", args=[geo.community_a1.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for shown in ["锦里社区", "社区为民服务中心运行", "200,000.00", "15,800.00"]:
        assert shown in text
    # nor a self-raised income card: a community's own fund raises none
    for hidden in ["刘德明", "刘**", "乐龄居家养老服务中心", "活动支出", "自筹收入"]:
        assert hidden not in text


def test_a_community_with_nothing_published_has_no_public_page(geo):
    assert Client().get(reverse("public_community", args=[geo.community_a2.pk])).status_code == 404
    assert Client().get(reverse("public_community", args=[99999])).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(geo):
    for community in [geo.community_a1, *CommunityFactory.create_batch(3, street=geo.street_a)]:
        AllocationFactory(courtyard=None, community=community, amount=Decimal("5000.00"))
        project = ProjectFactory(courtyard=None, community=community, budget=Decimal("4000.00"))
        ExpenditureFactory.create_batch(4, project=project, amount=Decimal("100.00"))
        for courtyard in CourtyardFactory.create_batch(2, community=community):
            AllocationFactory(courtyard=courtyard)


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("community", "community_fund"),
        ("community", "community_spend"),
        ("street_a", "community_fund"),
        (None, "public"),
    ],
)
def test_query_counts_of_the_new_pages_do_not_grow_with_the_data(
    people, geo, own, login, persona, name
):
    if name == "public":
        url = reverse("public_community", args=[geo.community_a1.pk])
    else:
        url = own_url(geo.community_a1, name)

    def client():
        return login(getattr(people, persona)) if persona else Client()

    small = _count(client(), url)
    _grow(geo)
    assert _count(client(), url) == small
    assert small <= 16


def test_the_migration_keeps_every_existing_allocation_a_courtyards(migrate_to):
    """0005 gives each record its courtyard's community (history rows too); nothing
    becomes the community's own fund."""
    old = migrate_to([("funds", "0004_listed_order_indexes")])
    district = old.get_model("courtyards", "District").objects.create(name="武侯区", code="510107")
    street = old.get_model("courtyards", "Street").objects.create(district=district, name="浆洗街")
    community = old.get_model("courtyards", "Community").objects.create(street=street, name="锦里")
    courtyard = old.get_model("courtyards", "Courtyard").objects.create(
        community=community, name="锦里12号院", households=120, kind="old"
    )
    old.get_model("funds", "Allocation").objects.create(
        year=YEAR,
        courtyard=courtyard,
        source="district",
        amount=Decimal("3600.00"),
        allocated_on=datetime.date(YEAR, 3, 1),
    )
    migrate_to()
    allocation = Allocation.objects.get()
    assert (allocation.courtyard_id, allocation.community_id) == (courtyard.pk, community.pk)


ALLOCATION_HEADERS = [
    "街道",
    "社区",
    "院落",
    "年度",
    "资金来源",
    "金额（元）",
    "日期",
    "文号",
    "核定户数",
    "撤回日期",
    "备注",
]


def allocation_row(courtyard="", community="锦里社区", source="区级财政", amount="200,000元"):
    return [
        "浆洗街街道",
        community,
        courtyard,
        "2026年",
        source,
        amount,
        "2026-03-15",
        "武民发〔2026〕9号",
        "",
        "",
        "社区本级",
    ]


def import_allocations(client, *rows):
    return upload(client, "allocation", workbook(ALLOCATION_HEADERS, *rows))


def test_an_allocation_row_with_a_community_and_no_courtyard_imports_as_its_own_fund(
    people, geo, login
):
    client = login(people.district_staff)
    preview = import_allocations(
        client, allocation_row(), allocation_row("锦里12号院", amount=3600)
    )
    assert preview.context["confirm"], preview.content.decode()
    response = confirm(client, "allocation", preview)
    assert response.status_code == 302
    own = Allocation.objects.get(courtyard__isnull=True)
    assert (own.community, own.amount) == (geo.community_a1, Decimal("200000.00"))
    assert Allocation.objects.get(courtyard=geo.courtyard_a1).community == geo.community_a1
    assert own.history.first().history_user == people.district_staff


@pytest.mark.parametrize(
    ("persona", "bad_row", "column", "message"),
    [
        ("district_staff", allocation_row("九眼桥花园"), "院落", "找不到"),
        ("street_a", allocation_row(), "资金来源", "无权登记该来源的拨付"),
        ("street_b", allocation_row(source="街道财政"), "社区", "找不到"),
    ],
)
def test_a_bad_allocation_row_rejects_the_file(
    people, geo, login, persona, bad_row, column, message
):
    response = import_allocations(login(getattr(people, persona)), bad_row)
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid] == [2]
    assert column in invalid[0].error_dict, invalid[0].error_dict
    assert message in response.content.decode()
    assert not Allocation.objects.exists()
