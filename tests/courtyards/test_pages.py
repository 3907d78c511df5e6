"""The dashboard, street, community, courtyard and list pages, as each persona sees them."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CommunityFactory, CourtyardFactory, StreetFactory
from tests.kept import settle


def test_anonymous_visitors_are_sent_to_the_login_page(geo, client):
    for url in [
        reverse("dashboard"),
        reverse("courtyards:list"),
        reverse("courtyards:courtyard", args=[geo.courtyard_a1.pk]),
        reverse("courtyards:street", args=[geo.street_a.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_login_page_is_in_chinese(client, db):
    response = client.get(reverse("login"))
    assert "登录" in response.content.decode()
    assert "院落自治管理平台" in response.content.decode()


def test_district_staff_see_every_street_with_totals(people, geo, login):
    response = login(people.district_staff).get(reverse("dashboard"))
    page = response.content.decode()
    assert "浆洗街街道" in page and "望江路街道" in page
    assert response.context["totals"]["households"] == 120 + 80 + 60 + 300
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["浆洗街街道"].communities_count == 2
    assert rows["浆洗街街道"].courtyards_count == 3
    assert rows["浆洗街街道"].remediated == 1
    assert rows["望江路街道"].managed == 1


def test_the_totals_row_equals_the_sum_of_the_rows(people, geo, login):
    response = login(people.district_staff).get(reverse("dashboard"))
    rows = list(response.context["rows"])
    totals = response.context["totals"]
    for figure in ["courtyards_count", "households", "residents", "buildings", "remediated"]:
        assert totals[figure] == sum(getattr(row, figure) for row in rows)
    assert totals["communities_count"] == sum(row.communities_count for row in rows)


def test_street_staff_see_only_their_streets_communities(people, geo, login):
    response = login(people.street_a).get(reverse("dashboard"))
    page = response.content.decode()
    assert "锦里社区" in page and "洗面桥社区" in page
    assert "九眼桥社区" not in page and "望江路街道" not in page
    assert response.context["totals"]["households"] == 260


def test_a_community_member_sees_their_courtyards(people, geo, login):
    response = login(people.community).get(reverse("dashboard"))
    page = response.content.decode()
    assert "锦里12号院" in page and "电力局宿舍" in page
    assert "洗面桥3号院" not in page


def test_a_user_without_a_role_is_told_to_ask_for_one(people, login):
    response = login(people.no_role).get(reverse("dashboard"))
    assert response.status_code == 403
    assert "尚未分配角色" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("street_a", "courtyard_a1", "courtyard_b1"),
        ("street_b", "courtyard_b1", "courtyard_a1"),
        ("community", "courtyard_a1", "courtyard_a2"),
    ],
)
def test_another_scopes_courtyard_is_not_found(people, geo, login, persona, own, other):
    client = login(getattr(people, persona))
    assert client.get(getattr(geo, own).get_absolute_url()).status_code == 200
    response = client.get(getattr(geo, other).get_absolute_url())
    assert response.status_code == 404
    assert getattr(geo, other).name not in response.content.decode()


def test_street_and_community_pages_answer_404_outside_the_scope(people, geo, login):
    client = login(people.street_a)
    assert client.get(geo.street_a.get_absolute_url()).status_code == 200
    assert client.get(geo.street_b.get_absolute_url()).status_code == 404
    assert client.get(geo.community_a2.get_absolute_url()).status_code == 200
    assert client.get(geo.community_b1.get_absolute_url()).status_code == 404
    member = login(people.community)
    assert member.get(geo.community_a2.get_absolute_url()).status_code == 404


def test_the_street_page_lists_its_communities_with_figures(people, geo, login):
    response = login(people.district_staff).get(geo.street_a.get_absolute_url())
    assert {row.name for row in response.context["rows"]} == {"锦里社区", "洗面桥社区"}
    assert response.context["totals"]["courtyards_count"] == 3


def test_the_courtyard_profile_shows_its_figures(people, geo, login):
    response = login(people.community).get(geo.courtyard_a1.get_absolute_url())
    page = response.content.decode()
    assert "锦里12号院" in page and "无物管老式院落" in page and "120" in page
    assert "浆洗街街道" in page  # breadcrumbs along the hierarchy


def test_the_list_filters_by_kind_and_searches(people, geo, login):
    client = login(people.district_staff)
    response = client.get(reverse("courtyards:list"), {"kind": "work_unit"})
    assert [c.name for c in response.context["page"]] == ["电力局宿舍"]
    response = client.get(reverse("courtyards:list"), {"q": "九眼桥"})
    assert [c.name for c in response.context["page"]] == ["九眼桥花园"]


def test_the_list_ignores_another_streets_id_in_the_filter(people, geo, login):
    response = login(people.street_a).get(reverse("courtyards:list"), {"street": geo.street_b.pk})
    names = [c.name for c in response.context["page"]]
    assert "九眼桥花园" not in names
    assert sorted(names) == ["洗面桥3号院", "电力局宿舍", "锦里12号院"]
    assert response.context["form"].errors["street"]


def test_the_list_sorts_on_the_server(people, geo, login):
    response = login(people.district_staff).get(reverse("courtyards:list"), {"sort": "-households"})
    assert [c.households for c in response.context["page"]] == [300, 120, 80, 60]


def test_the_excel_export_holds_only_the_scope(people, geo, login):
    response = login(people.street_a).get(reverse("courtyards:list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:4] == ("序号", "街道", "社区", "院落")
    names = [row[3] for row in rows[4:-1]]
    assert sorted(names) == ["洗面桥3号院", "电力局宿舍", "锦里12号院"]
    assert rows[-1][0] == "合计" and rows[-1][6] == 260
    assert "浆洗街街道" in rows[1][0]


def _dashboard_queries(client):
    settle(client, reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["district_staff", "street_a", "community"])
def test_the_dashboards_query_count_does_not_grow_with_the_data(
    people, geo, login, persona, monkeypatch
):
    client = login(getattr(people, persona))
    small = _dashboard_queries(client)
    for street in [geo.street_a, geo.street_b, StreetFactory(district=geo.district)]:
        for _ in range(3):
            community = CommunityFactory(street=street)
            CourtyardFactory.create_batch(4, community=community)
    CourtyardFactory.create_batch(5, community=geo.community_a1)
    client = login(getattr(people, persona))
    assert _dashboard_queries(client) == small
    # The dashboard's own queries; the panels apps add are pinned by the apps' own tests.
    monkeypatch.setattr("portal.reports.pages.panels_for", lambda *args: [])
    assert _dashboard_queries(login(getattr(people, persona))) <= 9


def test_the_top_bar_names_the_user_family_name_first(people, login):
    people.street_a.last_name, people.street_a.first_name = "张", "卫东"
    people.street_a.save()
    page = login(people.street_a).get(reverse("dashboard")).content.decode()
    assert "张卫东" in page and "街道工作人员" in page
