"""Random and hostile values in the courtyard form and import: never a 500, a clear message,
nothing stored in part."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from courtyards.models import Courtyard
from portal.roles import Role
from tests.courtyards.test_import import HEADERS
from tests.factories import CommunityFactory, StreetFactory, user_with_role

HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example","点我")',
            "+1+1",
            "@SUM(A1)",
            "１２３号院",
            "🏠院落",
            "\x00空字符",
            "\u202e反向",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "院" * 81,
            "",
        ]
    ),
)
HOSTILE_NUMBER = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from(["１２０", "1e9", "-0", "NaN", "12.5", "", "一百", "9" * 40]),
)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def street_staff_client():
    """A logged-in street-staff client and the community they may add courtyards to."""
    street = StreetFactory(name="浆洗街街道")
    community = CommunityFactory(street=street, name="锦里社区")
    client = Client()
    client.force_login(user_with_role(Role.STREET_STAFF, street))
    return client, community


class CourtyardFormUnderHostileInput(TestCase):
    @FAST
    @given(
        name=HOSTILE_TEXT, address=HOSTILE_TEXT, households=HOSTILE_NUMBER, residents=HOSTILE_NUMBER
    )
    def test_the_admin_form_answers_with_a_message_or_saves_exactly(
        self, name, address, households, residents
    ):
        client, community = street_staff_client()
        response = client.post(
            reverse("admin:courtyards_courtyard_add"),
            {
                "community": community.pk,
                "name": name,
                "address": address,
                "kind": "old",
                "households": households,
                "residents": residents,
                "buildings": 1,
                "remediation": "not_needed",
            },
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert response.context["adminform"].form.errors
            assert not Courtyard.objects.exists()
        else:
            saved = Courtyard.objects.get()
            assert saved.name == name.strip() and saved.address == address.strip()


class CourtyardImportUnderHostileInput(TestCase):
    @FAST
    @given(name=HOSTILE_TEXT, households=HOSTILE_NUMBER, year=HOSTILE_NUMBER)
    def test_an_import_never_fails_with_a_server_error_or_half_writes(self, name, households, year):
        book = Workbook()
        book.active.append(HEADERS)
        book.active.append(
            [
                "浆洗街街道",
                "锦里社区",
                "好院",
                "",
                "无物管老式院落",
                10,
                30,
                1,
                "",
                "",
                "无需整治",
                "",
            ]
        )
        name = ILLEGAL_CHARACTERS_RE.sub("", name)  # an .xlsx cannot hold control characters
        book.active.append(
            [
                "浆洗街街道",
                "锦里社区",
                name,
                "",
                "无物管老式院落",
                households,
                30,
                1,
                "",
                "",
                "已完成",
                year,
            ]
        )
        content = io.BytesIO()
        book.save(content)
        client, _community = street_staff_client()
        response = client.post(
            reverse("admin:courtyards_courtyard_import"),
            {
                "import_file": SimpleUploadedFile("院落.xlsx", content.getvalue()),
                "format": "0",
                "resource": "0",
            },
        )
        assert response.status_code == 200
        assert not Courtyard.objects.exists()  # a preview never writes
        result = response.context.get("result")
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            assert response.context.get("confirm_form") is None
