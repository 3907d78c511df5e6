"""Admin changelists are narrowed only by the filters a screen declares (issue 16, findings 2
and 6): a role that sees personal data masked cannot recover it through lookups in the
address, search or sorting, and no lookup typed into the address makes a server error."""

from decimal import Decimal

import pytest
from django.urls import reverse

from councils.models import Person
from tests.councils.factories import PersonFactory
from tests.funds.factories import ExpenditureFactory, ProjectFactory

PHONE = "18937852907"
MASKED = ["district_staff"]  # inspectors, masked too, have no back office (403)
FULL = ["district_admin", "street_a"]

people_url = reverse("admin:councils_person_changelist")
spending_url = reverse("admin:funds_expenditure_changelist")


@pytest.fixture
def person(geo):
    return PersonFactory(courtyard=geo.courtyard_a1, phone=PHONE, building="12栋", unit="3单元")


@pytest.fixture
def payees(geo):
    project = ProjectFactory(courtyard=geo.courtyard_a1, budget=Decimal("3000.00"))
    return [
        ExpenditureFactory(project=project, payee="刘德华", payee_kind="person"),
        ExpenditureFactory(project=project, payee="张学友", payee_kind="person"),
        ExpenditureFactory(project=project, payee="锦里保洁服务社"),
    ]


def rows(response):
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize("persona", MASKED)
@pytest.mark.parametrize(
    "query",
    [
        {"phone__startswith": "1893"},
        {"phone__regex": "^189"},
        {"phone__contains": "7852"},
        {"building__contains": "12"},
        {"unit__exact": "3单元"},
        {"phone": PHONE},
    ],
)
def test_masked_roles_cannot_filter_people_by_phone_or_address(
    people, person, login, persona, query
):
    response = login(getattr(people, persona)).get(people_url, {"id__exact": person.pk, **query})
    assert response.status_code == 400


@pytest.mark.parametrize("persona", MASKED)
def test_masked_roles_cannot_narrow_individual_payees(people, payees, login, persona):
    client = login(getattr(people, persona))
    assert client.get(spending_url, {"payee__startswith": "刘"}).status_code == 400
    assert client.get(spending_url, {"payee__contains": "德"}).status_code == 400
    listed = client.get(spending_url, {"q": "刘"})
    assert listed.status_code == 200 and rows(listed) == []


@pytest.mark.parametrize("persona", MASKED)
def test_masked_roles_cannot_sort_by_a_personal_field(people, payees, login, persona):
    """Sorted by payee, masked names would still give away their order (刘 < 张)."""
    client = login(getattr(people, persona))
    cl = client.get(spending_url).context["cl"]
    column = next(i for i, c in enumerate(cl.list_display) if callable(c))
    for order in (str(column), f"-{column}"):
        response = client.get(spending_url, {"o": order})
        assert "payee" not in str(response.context["cl"].queryset.query.order_by)
        assert cl.list_display[column] not in response.context["cl"].sortable_by


@pytest.mark.parametrize("persona", FULL)
def test_roles_that_see_personal_data_search_and_sort_by_it(people, person, payees, login, persona):
    client = login(getattr(people, persona))
    assert rows(client.get(people_url, {"q": PHONE})) == [person]
    cl = client.get(spending_url).context["cl"]
    column = next(i for i, c in enumerate(cl.list_display) if callable(c))
    response = client.get(spending_url, {"o": str(column)})
    assert [e.payee for e in rows(response)] == sorted(e.payee for e in payees)


@pytest.mark.parametrize("persona", [*MASKED, *FULL])
def test_declared_filters_keep_working(people, person, login, persona, geo):
    client = login(getattr(people, persona))
    community = {"courtyard__community__id__exact": geo.community_a1.pk}
    response = client.get(people_url, {"gender__exact": "female", **community})
    assert response.status_code == 200 and rows(response) == [person]


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (people_url, {"name__regex": "("}),
        (people_url, {"name__iregex": "["}),
        (people_url, {"birth_year__gt": "1950"}),
        (spending_url, {"amount__gt": "1e999999"}),
        (spending_url, {"spent_on__year__gt": "99999999999"}),
        (spending_url, {"spent_on__gte": "2026-01-01"}),
        (reverse("admin:courtyards_courtyard_changelist"), {"households__gt": "100"}),
        (reverse("admin:auth_user_changelist"), {"username__regex": "("}),
    ],
)
def test_lookups_no_screen_declares_are_refused_for_every_role(people, person, login, url, query):
    assert login(people.district_admin).get(url, query).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"held_on__year": "9999"},
        {"held_on__year": "9999", "held_on__month": "12"},
        {"held_on__year": "0"},
        {"held_on__year": "2026", "held_on__month": "13"},
    ],
)
def test_a_date_hierarchy_out_of_range_is_a_wrong_filter_not_an_error(people, login, query):
    url = reverse("admin:councils_training_changelist")
    response = login(people.district_admin).get(url, query)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_a_date_hierarchys_own_bounds_cannot_be_typed_in(people, login):
    url = reverse("admin:councils_training_changelist")
    assert login(people.district_admin).get(url, {"held_on__gte": "2026-01-01"}).status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        reverse("admin:courtyards_courtyard_changelist") + "?kind__exact=%00",
        reverse("admin:councils_person_changelist") + "?q=%00",
        reverse("admin:autocomplete")
        + "?term=%00&app_label=courtyards&model_name=courtyard&field_name=community",
        "/courtyards/?q=a%00b",
    ],
)
def test_a_nul_byte_in_the_query_string_is_a_bad_request(people, login, path):
    response = login(people.district_admin).get(path)
    assert response.status_code == 400
    assert "请求" in response.content.decode()


def test_a_nul_byte_in_a_form_is_still_answered_by_the_form(people, login, geo):
    response = login(people.street_a).post(
        reverse("admin:councils_person_add"),
        {"courtyard": geo.courtyard_a1.pk, "name": "a\x00b", "gender": "female"},
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not Person.objects.filter(name__contains="a").exists()


HOSTILE_PARAMETERS = [
    {"p": "abc"},
    {"p": "99999"},
    {"o": "abc.-x.99"},
    {"q": "x" * 5000},
    {"q": "' OR 1=1 --"},
    {"_facets": "1"},
    {"all": ""},
    {"e": "1"},
    {"_to_field": "password"},
]


def test_no_changelist_answers_hostile_parameters_with_a_server_error(
    people, person, payees, login
):
    from django.contrib import admin

    failures = []
    for persona in ("district_admin",):
        client = login(getattr(people, persona))
        for model in admin.site._registry:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            for params in HOSTILE_PARAMETERS:
                status = client.get(url, params).status_code
                if status >= 500:
                    failures.append(f"{persona} {url} {params}: {status}")
    assert failures == []
