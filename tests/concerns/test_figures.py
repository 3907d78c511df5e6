"""The figures of residents' concerns against a hand-counted fixture, their scope, their
query count, and where they show: the dashboard, the annual report and its workbook, and a
courtyard's public page (counts only)."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from concerns import services
from concerns.figures import concern_table, courtyard_counts
from concerns.models import Concern
from tests.concerns.factories import a_concern
from tests.portal.test_public_page import a_public_panel  # noqa: F401, F811

TODAY = date(2026, 11, 30)  # a Monday
S = Concern.Satisfaction


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


def _concern(by, community, received, routing, answered=None, resolved=None, visit=None, **kw):
    concern = a_concern(by, community, received_at=at(received), **kw)
    services.concern_classify(concern, by=by, routing=routing, at=at(received, 11))
    if answered:
        services.concern_answer(concern, by=by, answer="已联系电工上门", at=at(answered, 15))
    if resolved:
        services.concern_resolve(concern, by=by, resolution="更换灯管完毕", at=at(resolved, 16))
    if visit:
        services.concern_return_visit(concern, by=by, satisfaction=visit, at=at(resolved, 17))
    return concern


@pytest.fixture
def concerns(geo, people):
    """Hand-counted, as at Monday 30 November 2026:
    A1: c1 class 1 received Mon 2 March (due Tue 3), answered 3 March (on time, 1 working
        day), resolved, 满意; c2 the same day, answered Thu 5 March (late, 3 days), resolved,
        不满意; c3 received Fri 6 March class 2 (due Tue 10), answered the same day (0 days),
        resolved, 基本满意; c4 received Mon 23 November class 1 (due 24), not answered: late
        and overdue now.
    A2: c5 received Wed 25 November class 3 (due Mon 30 = today): not answered, not late yet;
        c6 received 15 December 2025 class 1, not answered: overdue now, not received in 2026.
    B1: c7 received Tue 3 March class 1 (due 4), answered 4 March (on time, 1 day), resolved,
        no return visit."""
    a1, a2, b1 = geo.community_a1, geo.community_a2, geo.community_b1
    by_a, by_b = people.street_a, people.street_b
    cy = geo.courtyard_a1
    d, done = date, date(2026, 3, 9)
    return [
        _concern(by_a, a1, d(2026, 3, 2), 1, d(2026, 3, 3), done, S.SATISFIED, courtyard=cy),
        _concern(by_a, a1, d(2026, 3, 2), 1, d(2026, 3, 5), done, S.DISSATISFIED, courtyard=cy),
        _concern(by_a, a1, d(2026, 3, 6), 2, d(2026, 3, 6), done, S.BASIC, courtyard=cy),
        _concern(by_a, a1, d(2026, 11, 23), 1),
        _concern(by_a, a2, d(2026, 11, 25), 3),
        _concern(by_a, a2, d(2025, 12, 15), 1),
        _concern(by_b, b1, d(2026, 3, 3), 1, d(2026, 3, 4), d(2026, 3, 5)),
    ]


def _shown(values):
    keys = ["received", "answered", "on_time_rate", "resolved", "resolved_rate", "visited"]
    keys += ["satisfied_rate", "average_days", "overdue_now"]
    return {key: values[key] for key in keys}


def rate(text):
    return Decimal(text)


def test_the_deadlines_are_as_counted_by_hand(concerns):
    assert [c.answer_due for c in concerns] == [
        date(2026, 3, 3),
        date(2026, 3, 3),
        date(2026, 3, 10),
        date(2026, 11, 24),
        date(2026, 11, 30),
        date(2025, 12, 16),
        date(2026, 3, 4),
    ]


def test_district_rows_are_streets_with_each_figure_counted_by_hand(concerns, people):
    table = concern_table(people.district_staff, 2026, today=TODAY)
    assert table.row_kind == "street"
    street_a, street_b = table.rows
    assert street_a["unit"].name == "浆洗街街道"
    assert street_a["on_time"] == 2 and street_a["late"] == 2
    assert _shown(street_a) == {
        "received": 5,
        "answered": 3,
        "on_time_rate": rate("0.5"),
        "resolved": 3,
        "resolved_rate": rate("0.6"),
        "visited": 3,
        "satisfied_rate": Decimal(2) / Decimal(3),
        "average_days": Decimal("1.3"),  # (1 + 3 + 0) / 3
        "overdue_now": 2,  # c4, and c6 of last year
    }
    assert _shown(street_b) == {
        "received": 1,
        "answered": 1,
        "on_time_rate": rate("1"),
        "resolved": 1,
        "resolved_rate": rate("1"),
        "visited": 0,
        "satisfied_rate": None,
        "average_days": Decimal("1.0"),
        "overdue_now": 0,
    }
    assert _shown(table.totals) == {
        "received": 6,
        "answered": 4,
        "on_time_rate": rate("0.6"),  # 3 / (3 + 2): from the parts, not the rows' rates
        "resolved": 4,
        "resolved_rate": Decimal(4) / Decimal(6),
        "visited": 3,
        "satisfied_rate": Decimal(2) / Decimal(3),
        "average_days": Decimal("1.3"),  # 5 / 4 = 1.25, rounded half up
        "overdue_now": 2,
    }


def test_a_street_sees_its_communities_only(concerns, people):
    table = concern_table(people.street_a, 2026, today=TODAY)
    by_name = {row["unit"].name: row for row in table.rows}
    assert set(by_name) == {"锦里社区", "洗面桥社区"}
    a1, a2 = by_name["锦里社区"], by_name["洗面桥社区"]
    assert (a1["received"], a1["resolved_rate"], a1["overdue_now"]) == (4, rate("0.75"), 1)
    assert (a2["received"], a2["answered"], a2["on_time_rate"]) == (1, 0, None)
    assert a2["average_days"] is None and a2["overdue_now"] == 1
    assert table.totals["received"] == 5


def test_a_community_member_has_one_row(concerns, people):
    table = concern_table(people.community, 2026, today=TODAY)
    assert [row["unit"].name for row in table.rows] == ["锦里社区"]
    assert table.totals["received"] == 4


def test_a_past_year_reads_as_at_31_december_without_overdue_now(concerns, people):
    table = concern_table(people.district_staff, 2025, today=TODAY)
    assert not table.running
    totals = table.totals
    assert (totals["received"], totals["late"], totals["on_time_rate"]) == (1, 1, rate("0"))
    assert totals["overdue_now"] is None and table.rows[0]["overdue_now"] is None


@pytest.mark.parametrize("size", [3, 30])
def test_the_query_count_does_not_grow_with_the_concerns(
    geo, people, size, django_assert_num_queries
):
    communities = [geo.community_a1, geo.community_a2, geo.community_b1]
    for i in range(size):
        received = date(2026, 3, 2 + i % 5)
        answered = received if i % 3 else None
        _concern(people.district_admin, communities[i % 3], received, 1 + i % 3, answered)
    # the user's role, the units, grouped counts, grouped (unit, received, answered) pairs,
    # the calendar
    with django_assert_num_queries(5):
        concern_table(people.district_staff, 2026, today=TODAY)


def test_a_courtyards_public_counts(concerns, geo):
    counts = courtyard_counts(geo.courtyard_a1, 2026, today=TODAY)
    assert {k: counts[k] for k in ("received", "answered", "resolved", "visited")} == {
        "received": 3,
        "answered": 3,
        "resolved": 3,
        "visited": 3,
    }
    assert counts["satisfied"] == 2
    assert counts["satisfied_rate"] is None and counts["rate_withheld"]  # under 5 visits


def _total(page, key):
    """The 合计 of a figure in the concerns' table of a page."""
    footer = page.split('id="concern-figures"', 1)[1].split("<tfoot>", 1)[1]
    return footer.split(f'data-figure="{key}">', 1)[1].split("<", 1)[0]


def test_the_dashboard_shows_the_figures_and_a_new_concern_at_once(geo, people, login):
    client = login(people.street_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="concern-figures"' in page
    a_concern(people.street_a, geo.community_a1)
    page = client.get(reverse("dashboard")).content.decode()
    assert _total(page, "received") == "1"


def test_the_inspector_sees_no_concern_figures(geo, people, login):
    page = login(people.inspector).get(reverse("dashboard")).content.decode()
    assert 'id="concern-figures"' not in page


def test_the_workbook_has_a_sheet_of_concerns_with_the_totals(concerns, people, login):
    response = login(people.district_admin).get(
        reverse("annual_report"), {"year": 2026, "format": "xlsx"}
    )
    book = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert "民情诉求" in book.sheetnames
    cells = [row for row in book["民情诉求"].iter_rows(values_only=True)]
    header = next(row for row in cells if row and row[0] == "序号")
    totals = next(row for row in cells if row and row[0] == "合计")
    received = header.index(next(h for h in header if h and h.startswith("受理")))
    units = [row[1] for row in cells[cells.index(header) + 1 : cells.index(totals)]]
    assert units == [row["unit"].name for row in concern_table(people.district_admin, 2026).rows]
    assert totals[received] == 6


def test_the_concerns_counts_alone_publish_no_courtyard(concerns, geo, client):
    url = reverse("public_courtyard", args=[geo.courtyard_a1.pk])
    assert client.get(url).status_code == 404


def test_the_public_page_shows_counts_and_nothing_about_a_resident(
    concerns,
    geo,
    client,
    a_public_panel,  # noqa: F811
):
    page = client.get(reverse("public_courtyard", args=[geo.courtyard_a1.pk])).content.decode()
    section = page.split('id="public-concerns"', 1)[1].split("</section>", 1)[0]
    year = timezone.localdate().year
    if year == 2026:
        assert "<dd>3</dd>" in section  # received, answered, resolved
    private = ["王秀英", "13812345678", "5678", "楼道灯坏了", "已联系电工上门", "更换灯管完毕"]
    for text in [*private, "-浆洗街-"]:  # nor a tracking number
        assert text not in page
