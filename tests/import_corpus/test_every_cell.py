"""Every import the portal offers, with one good row whose cells are blanked or filled with
nonsense one at a time: the row imports or is refused with Chinese messages naming its
column; it never fails with an exception (which the page could only call a system
error), and no message carries English."""

import re

import pytest
import tablib

from councils.resources import MembershipResource, PersonResource
from courtyards.resources import CommunityResource, CourtyardResource, StreetResource
from funds.resources import AllocationResource, ExpenditureResource, IncomeResource
from inspections.resources import CriteriaItemResource
from tests.councils.test_import import MEMBERSHIP_HEADERS, PERSON_HEADERS, membership_row
from tests.councils.test_import import person_row as good_person
from tests.courtyards.test_import import HEADERS as COURTYARD_HEADERS
from tests.courtyards.test_import import good_row as good_courtyard
from tests.funds.test_community_fund import ALLOCATION_HEADERS, allocation_row
from tests.funds.test_import import EXPENDITURE_HEADERS, INCOME_HEADERS, spending

INCOME = ["浆洗街街道", "锦里社区", "锦里12号院", "2026-03-31", "停车收费", 1800, "一季度", ""]

IMPORTS = {
    "street": (
        StreetResource,
        "district_admin",
        ["区", "街道", "区划代码"],
        ["武侯区", "新街道", "510107099"],
        (),
    ),
    "community": (
        CommunityResource,
        "district_admin",
        ["街道", "社区", "区划代码", "办公地址"],
        ["浆洗街街道", "新社区", "510107001099", "浆洗街1号"],
        (),
    ),
    "courtyard": (CourtyardResource, "street_a", COURTYARD_HEADERS, good_courtyard(), ()),
    "person": (PersonResource, "community", PERSON_HEADERS, good_person(), ()),
    "membership": (
        MembershipResource,
        "community",
        MEMBERSHIP_HEADERS,
        membership_row("赵德明", 离任日期="2023-09-01", 离任原因="辞职"),
        ("council", "people_to_appoint"),
    ),
    "expenditure": (ExpenditureResource, "community", EXPENDITURE_HEADERS, spending(), ("fund",)),
    "income": (IncomeResource, "community", INCOME_HEADERS, INCOME, ("fund",)),
    "allocation": (AllocationResource, "district_staff", ALLOCATION_HEADERS, allocation_row(), ()),
    "criteria item": (
        CriteriaItemResource,
        "district_staff",
        ["评分标准模板", "评分领域", "评分项", "满分", "排序"],
        ["2026年评分标准", "自治运行", "居务公开", 10, 3],
        ("criteria_template",),
    ),
}
NONSENSE = [None, "", "  ", "？？", "五十", "-1", "2025-13-45", 1e15, "x" * 300]


def cases():
    for name, (_resource, _persona, headers, _row, _needs) in IMPORTS.items():
        for column in range(len(headers)):
            yield pytest.param(name, column, id=f"{name}-{headers[column]}")


@pytest.mark.parametrize(("name", "column"), list(cases()))
def test_no_cell_makes_an_import_fail_with_an_exception(name, column, request, people):
    resource_class, persona, headers, row, needs = IMPORTS[name]
    for fixture in needs:
        request.getfixturevalue(fixture)
    user = getattr(people, persona)
    good = resource_class(user=user).import_data(
        tablib.Dataset(list(row), headers=headers), dry_run=True
    )
    assert not good.problems, good.problems
    for value in NONSENSE:
        cells = list(row)
        cells[column] = value
        result = resource_class(user=user).import_data(
            tablib.Dataset(cells, headers=headers), dry_run=True
        )
        assert not result.base_errors and not result.error_rows, (value, result.problems)
        for problem in result.problems:
            assert problem.row == "第2行" and problem.column, (value, problem)
            english = re.findall(r"[A-Za-z]{3,}", problem.message.replace("x" * 300, ""))
            assert not english, (value, problem)
