"""Every page of the fund, for every persona: 200 where the role and scope reach, 403 where
the role may not, 404 for another scope's records, the login page for visitors.

The records live in courtyard A1 (锦里12号院, 锦里社区, 浆洗街街道); street B's staff and the
member of community A1 are the personas at the edge of the scope."""

import pytest
from django.urls import reverse

from tests.funds.factories import ExpenditureFactory, IncomeFactory

PERSONAS = ["district_admin", "district_staff", "street_a", "street_b", "community", "inspector"]
READ = dict.fromkeys(PERSONAS, 200)
IN_STREET_A = {**READ, "street_b": 404}
RECORD = {**dict.fromkeys(PERSONAS, 403), "community": 200}
GENERATE = {**dict.fromkeys(PERSONAS, 403), "district_admin": 200}
# allocations are recorded by the district and the streets (funds.add/change_allocation)
ALLOCATE = {**dict.fromkeys(PERSONAS, 403), "district_admin": 200, "district_staff": 200}
ALLOCATE_ANYWHERE = {**ALLOCATE, "street_a": 200, "street_b": 200}
ALLOCATE_IN_STREET_A = {**ALLOCATE, "street_a": 200, "street_b": 404}

PAGES = {
    "report": (lambda o: reverse("funds:report"), READ),
    "street": (lambda o: reverse("funds:street", args=[o.geo.street_a.pk]), IN_STREET_A),
    "community": (
        lambda o: reverse("funds:community", args=[o.geo.community_a1.pk]),
        IN_STREET_A,
    ),
    "courtyard": (
        lambda o: reverse("funds:courtyard", args=[o.geo.courtyard_a1.pk]),
        IN_STREET_A,
    ),
    "projects": (lambda o: reverse("funds:projects"), READ),
    "project": (lambda o: reverse("funds:project", args=[o.project.pk]), IN_STREET_A),
    "expenditure": (
        lambda o: reverse("funds:expenditure", args=[o.expenditure.pk]),
        IN_STREET_A,
    ),
    "spend": (lambda o: reverse("funds:spend", args=[o.geo.courtyard_a1.pk]), RECORD),
    "income_add": (lambda o: reverse("funds:income_add", args=[o.geo.courtyard_a1.pk]), RECORD),
    "project_add": (
        lambda o: reverse("funds:project_add", args=[o.geo.courtyard_a1.pk]),
        RECORD,
    ),
    "project_edit": (lambda o: reverse("funds:project_edit", args=[o.project.pk]), RECORD),
    "expenditure_reverse": (
        lambda o: reverse("funds:expenditure_reverse", args=[o.expenditure.pk]),
        RECORD,
    ),
    "income_reverse": (lambda o: reverse("funds:income_reverse", args=[o.income.pk]), RECORD),
    "generate": (lambda o: reverse("funds:generate"), GENERATE),
    "allocations": (lambda o: reverse("funds:allocations"), READ),
    "allocation_add": (lambda o: reverse("funds:allocation_add"), ALLOCATE_ANYWHERE),
    "allocation_add_courtyard": (
        lambda o: reverse("funds:allocation_add") + f"?courtyard={o.geo.courtyard_a1.pk}",
        ALLOCATE_IN_STREET_A,
    ),
    "allocation_add_community": (
        lambda o: reverse("funds:allocation_add") + f"?community={o.geo.community_a1.pk}",
        ALLOCATE_IN_STREET_A,
    ),
    "allocation_edit": (
        lambda o: reverse("funds:allocation_edit", args=[o.street_allocation.pk]),
        ALLOCATE_IN_STREET_A,
    ),
    # street staff do not correct the district's money (funds.correct_allocation)
    "allocation_edit_district": (
        lambda o: reverse("funds:allocation_edit", args=[o.district_allocation.pk]),
        {**ALLOCATE_IN_STREET_A, "street_a": 403},
    ),
}


class Records:
    def __init__(self, geo, fund):
        self.geo = geo
        self.project = fund.project
        self.street_allocation = fund.street
        self.district_allocation = fund.district
        self.expenditure = ExpenditureFactory(project=fund.project)
        self.income = IncomeFactory(courtyard=geo.courtyard_a1)


@pytest.mark.parametrize("name", PAGES)
def test_each_persona_gets_what_their_role_and_scope_allow(people, geo, fund, login, name):
    url_of, expected = PAGES[name]
    url = url_of(Records(geo, fund))
    got = {persona: login(getattr(people, persona)).get(url).status_code for persona in PERSONAS}
    assert got == expected


@pytest.mark.parametrize("name", PAGES)
def test_an_account_without_a_role_is_refused(people, geo, fund, login, name):
    url = PAGES[name][0](Records(geo, fund))
    assert login(people.no_role).get(url).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_visitors_are_sent_to_log_in(geo, fund, client, name):
    response = client.get(PAGES[name][0](Records(geo, fund)))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_community_member_cannot_record_in_another_community(people, geo, fund, login):
    client = login(people.community)
    for name in ["spend", "income_add", "project_add"]:
        assert client.get(reverse(f"funds:{name}", args=[geo.courtyard_a2.pk])).status_code == 404
    other = ExpenditureFactory(project__courtyard=geo.courtyard_a2)
    url = reverse("funds:expenditure_reverse", args=[other.pk])
    assert client.get(url).status_code == 404
