"""Property: in no admin screen can a role that sees personal data masked narrow or order the
rows by a personal field, whatever it puts in the address (issue 16, finding 2).

For every admin whose model holds personal fields, or reaches them through up to two
relations, hypothesis builds query strings from lookups on those fields (with values taken
from the real data: phone prefixes, building numbers, surnames), searches and sort orders.
Each answer must be a refusal (400, 403, the admin's "?e=1") or list exactly the rows, in
the same order, that it lists once every personal field in the database has been replaced.
"""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from councils.models import Meeting, Person
from funds.models import Expenditure
from portal.access import personal_fields
from tests.councils.conftest import council  # noqa: F401 (people serving in A1)
from tests.councils.factories import PersonFactory, council_meeting
from tests.funds.factories import ExpenditureFactory, ProjectFactory

MASKED = ["district_staff", "inspector"]
LOOKUPS = [
    "",
    "__exact",
    "__iexact",
    "__contains",
    "__icontains",
    "__startswith",
    "__istartswith",
    "__endswith",
    "__regex",
    "__iregex",
    "__in",
    "__gt",
    "__lt",
    "__isnull",
]


def personal_paths(model, depth=2, seen=()):
    """Lookup paths from `model` to personal fields, through up to `depth` relations."""
    paths = sorted(personal_fields(model))
    if depth == 0:
        return paths
    for field in model._meta.get_fields():
        related = field.related_model
        if not field.is_relation or related is None or related in seen:
            continue
        if related.__module__.startswith("django.") or related.__name__.startswith("Historical"):
            continue
        paths += [f"{field.name}__{path}" for path in personal_paths(related, depth - 1, (model,))]
    return paths


ADMINS = sorted(
    ((model, personal_paths(model)) for model in admin.site._registry if personal_paths(model)),
    key=lambda item: item[0]._meta.label,
)


def test_the_property_covers_the_screens_with_personal_data():
    labels = {model._meta.label for model, _paths in ADMINS}
    assert {"councils.Person", "funds.Expenditure", "councils.Meeting"} <= labels
    assert {"councils.Membership", "councils.Attendance", "funds.Project"} <= labels


@pytest.fixture
def world(geo, council, people):  # noqa: F811
    PersonFactory(courtyard=geo.courtyard_a1, phone="18937852907", building="12栋", unit="3单元")
    PersonFactory(courtyard=geo.courtyard_b1, phone="13908765432", building="3栋", unit="1单元")
    project = ProjectFactory(courtyard=geo.courtyard_a1, budget=Decimal("3000.00"))
    ExpenditureFactory(project=project, payee="刘德华", payee_kind="person")
    ExpenditureFactory(project=project, payee="张学友", payee_kind="person")
    ExpenditureFactory(project=project, payee="锦里保洁服务社")
    meeting = council_meeting(council.organisation)
    Meeting.objects.filter(pk=meeting.pk).update(proxies="3栋2单元501 由女儿代理")
    values = set()
    for phone, building, unit in Person.objects.values_list("phone", "building", "unit"):
        values |= {phone[:n] for n in (1, 3, 4, 7)} | {phone, building, unit, building[:1]}
    values |= {"刘", "张", "刘德华", "3栋", "女儿"}
    return sorted(v for v in values if v)


def replace_personal_data():
    Person.objects.update(phone="10000000000", building="0栋", unit="0单元")
    Expenditure.objects.update(payee="某某")
    Meeting.objects.update(proxies="")


def listed(response):
    return [obj.pk for obj in response.context["cl"].result_list]


def refused(response):
    if response.status_code in (400, 403):
        return True
    return response.status_code == 302 and response["Location"].endswith("?e=1")


def check(client, url, params):
    response = client.get(url, params)
    if refused(response):
        return
    assert response.status_code == 200, (url, params, response.status_code)
    before = listed(response)
    sid = transaction.savepoint()
    try:
        replace_personal_data()
        after = listed(client.get(url, params))
    finally:
        transaction.savepoint_rollback(sid)
    assert before == after, f"{url}?{params} narrows or orders by personal data"


QUERY = st.fixed_dictionaries(
    {
        "admin": st.sampled_from(range(len(ADMINS))),
        "persona": st.sampled_from(MASKED),
        "path": st.integers(min_value=0, max_value=1000),
        "lookup": st.sampled_from(LOOKUPS),
        "value": st.integers(min_value=0, max_value=1000),
        "noise": st.text(max_size=4),
        "kind": st.sampled_from(["lookup", "lookup", "search", "order"]),
        "order": st.integers(min_value=-12, max_value=12),
    }
)
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(query=QUERY)
@example(
    query={
        "admin": next(i for i, (m, _p) in enumerate(ADMINS) if m is Person),
        "persona": "district_staff",
        "path": 0,  # building, the first personal path of Person
        "lookup": "__startswith",
        "value": 0,
        "noise": "",
        "kind": "lookup",
        "order": 0,
    }
)
@example(
    query={
        "admin": next(i for i, (m, _p) in enumerate(ADMINS) if m is Expenditure),
        "persona": "inspector",
        "path": 0,
        "lookup": "__startswith",
        "value": 0,
        "noise": "刘",
        "kind": "lookup",
        "order": 0,
    }
)
def test_a_masked_role_cannot_narrow_rows_by_a_personal_field(world, people, login, query):
    model, paths = ADMINS[query["admin"]]
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client = login(getattr(people, query["persona"]))
    value = query["noise"] or world[query["value"] % len(world)]
    if query["kind"] == "lookup":
        path = paths[query["path"] % len(paths)] + query["lookup"]
        if query["lookup"] == "__isnull":
            value = "1" if query["value"] % 2 else "0"
        params = {path: value}
    elif query["kind"] == "search":
        params = {"q": value}
    else:
        params = {"o": f"{'-' if query['order'] < 0 else ''}{abs(query['order'])}"}
    check(client, url, params)
