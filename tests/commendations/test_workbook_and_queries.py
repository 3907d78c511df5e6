"""The honour roll as a workbook (one sheet 表彰名单), read back; the round page's query
count does not grow with the nominations."""

import io

import openpyxl
import pytest
from django.urls import reverse

from commendations.models import Kind
from tests.commendations.conftest import decide, nominate, open_round
from tests.factories import CommunityFactory


def test_the_honour_roll_workbook_reads_back(round_, geo, people, login):
    honoured = [
        nominate(
            round_,
            Kind.COMMUNITY,
            people.street_a,
            geo.street_a,
            geo.community_a1,
            reason="议事规范，公开及时。",
        ),  # fmt: skip
        nominate(
            round_,
            Kind.WORKER,
            people.street_a,
            geo.street_a,
            worker_name="王芳",
            worker_unit="锦里社区居委会",
        ),  # fmt: skip
    ]
    url = reverse("commendations:round_workbook", args=[round_.pk])
    assert login(people.street_a).get(url).status_code == 404  # not decided yet
    decide(round_, people, honoured)
    response = login(people.street_b).get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["表彰名单"]
    rows = list(book.active.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "序号")
    body = [row for row in rows[header + 1 :] if isinstance(row[0], int)]
    assert [row[1:4] for row in body] == [
        ("先进社区", "锦里社区", "浆洗街街道"),
        ("先进工作者", "王芳（锦里社区居委会）", "浆洗街街道"),
    ]
    assert body[0][6] == "议事规范，公开及时。"
    assert any("武委发〔2026〕8号" in str(row[0]) for row in rows[header:] if row[0])


# Session, user, role assignment, the round, its categories, its nominations (one query
# with every name joined), the messages and the navigation's reminders count.
ROUND_PAGE_QUERIES = 8


@pytest.mark.parametrize("persona", ["district_admin", "street_a", "community"])
@pytest.mark.parametrize("size", [1, 5])
def test_the_round_page_runs_the_same_queries_for_1_and_5_nominations(
    size, persona, geo, people, login, django_assert_num_queries
):
    round_ = open_round(geo, people, title=f"表彰{size}")
    communities = [geo.community_a1] + [
        CommunityFactory(street=geo.street_a, name=f"新社区{n}") for n in range(size - 1)
    ]
    honoured = [
        nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, community)
        for community in communities
    ]
    round_.categories.filter(kind=Kind.COMMUNITY).update(places=5)
    decide(round_, people, honoured)
    client = login(getattr(people, persona))
    with django_assert_num_queries(ROUND_PAGE_QUERIES):
        response = client.get(round_.get_absolute_url())
    assert ("新社区3" in response.text) == (size == 5)
