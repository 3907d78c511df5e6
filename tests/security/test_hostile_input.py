"""Random and hostile values in the forms people fill in and in what the portal exports:
never a server error, always a message or an exact save, nothing stored in part, and no
text ever turning into an Excel formula."""

import io

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from councils.models import Person
from courtyards.models import Courtyard
from funds.models import Expenditure
from tests.funds.conftest import fund  # noqa: F401 (a project in courtyard A1)

HOSTILE_TEXT = st.one_of(
    st.text(max_size=250),
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example","点我")',
            "+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd",
            "１２３",
            "🏠🔥",
            "\x00",
            "\u202e反向",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "x" * 5000,
        ]
    ),
)
HOSTILE_NUMBER = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "１２０",
            "1e9",
            "-0.001",
            "NaN",
            "Infinity",
            "12.345",
            "",
            "一百",
            "9" * 40,
            "0x10",
            " 5 ",
        ]
    ),
)
HOSTILE_DATE = st.one_of(
    st.dates().map(str),
    st.sampled_from(["2026-02-30", "2026/13/01", "昨天", "", "0000-00-00", "2026-11-22T00:00"]),
)
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(amount=HOSTILE_NUMBER, payee=HOSTILE_TEXT, voucher=HOSTILE_TEXT, spent_on=HOSTILE_DATE)
def test_the_spending_form_answers_with_a_message_or_saves_exactly(
    people,
    geo,
    fund,  # noqa: F811
    login,
    amount,
    payee,
    voucher,
    spent_on,
):
    before = Expenditure.objects.count()
    response = login(people.community).post(
        reverse("funds:spend", args=[geo.courtyard_a1.pk]),
        {
            "project": fund.project.pk,
            "spent_on": spent_on,
            "amount": amount,
            "payee": payee,
            "payee_kind": "organisation",
            "voucher_number": voucher,
            "description": "测试",
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assert Expenditure.objects.count() == before
    else:
        saved = Expenditure.objects.latest("pk")
        assert saved.payee == payee.strip() and saved.voucher_number == voucher.strip()


@EXAMPLES
@given(name=HOSTILE_TEXT, phone=HOSTILE_TEXT, building=HOSTILE_TEXT, birth_year=HOSTILE_NUMBER)
def test_the_person_form_answers_with_a_message_or_saves_exactly(
    people, geo, login, name, phone, building, birth_year
):
    before = Person.objects.count()
    response = login(people.community).post(
        reverse("councils:person_add"),
        {
            "courtyard": geo.courtyard_a1.pk,
            "name": name,
            "gender": "female",
            "birth_year": birth_year,
            "phone": phone,
            "building": building,
            "unit": "",
            "political_status": "",
            "education": "",
            "occupation": "",
            "note": "",
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert response.context["form"].errors
        assert Person.objects.count() == before
    else:
        saved = Person.objects.latest("pk")
        assert saved.name == name.strip() and saved.phone == phone.strip()


FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "=1+1", "=cmd|' /C calc'!A0"]


def test_the_portals_own_exports_keep_formula_like_text_as_text(people, geo, login):
    Courtyard.objects.filter(pk=geo.courtyard_a1.pk).update(name=FORMULAS[0])
    response = login(people.street_a).get(reverse("courtyards:list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [row[3] for row in sheet.iter_rows(min_row=5)]
    hostile = [cell for cell in cells if str(cell.value).startswith("=")]
    assert [cell.value for cell in hostile] == [FORMULAS[0]]
    assert all(cell.data_type == "s" for cell in hostile)


def test_the_admins_excel_export_neutralises_formulas(people, geo, login):
    Courtyard.objects.filter(pk=geo.courtyard_a1.pk).update(name=FORMULAS[1])
    response = login(people.street_a).post(
        reverse("admin:courtyards_courtyard_export"),
        {"format": "0", "resource": "0", "courtyardresource_name": "on"},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "1+1" in values
    assert not any(str(value).startswith("=") for value in values)
