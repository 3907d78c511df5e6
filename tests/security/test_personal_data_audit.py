"""Bulk views and exports of personal data leave a line in the audit; masked ones do not."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from councils.models import Person
from portal.models import PersonalDataAccess
from tests.councils.conftest import council  # noqa: F401 (people serving in A1)


def test_a_community_member_listing_people_is_recorded(people, council, login):  # noqa: F811
    login(people.community).get(reverse("councils:people"))
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.action, entry.records) == (people.community, "view", 6)
    assert entry.path == reverse("councils:people")


def test_an_export_with_phones_is_recorded_as_an_export(people, council, login):  # noqa: F811
    login(people.street_a).get(reverse("councils:people"), {"format": "xlsx"})
    assert PersonalDataAccess.objects.get().action == "export"


def test_those_who_see_masked_data_leave_no_line(people, council, login):  # noqa: F811
    login(people.district_staff).get(reverse("councils:people"))
    login(people.district_staff).get(reverse("councils:people"), {"format": "xlsx"})
    assert not PersonalDataAccess.objects.exists()


def test_the_annual_workbook_carries_no_phones_and_leaves_no_line(people, council, login):  # noqa: F811
    """Its 自治组织 sheet listed everyone serving, with phones for administrators: it now
    names the convener and the group leader only, for every role, as the pages do."""
    response = login(people.district_admin).get(reverse("annual_report"), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    }
    phones = Person.objects.exclude(phone="").values_list("phone", flat=True)
    assert phones and not cells & set(phones)
    assert not PersonalDataAccess.objects.exists()


def test_district_administrators_read_the_audit_of_their_district_only(people, council, login):  # noqa: F811
    login(people.street_a).get(reverse("councils:people"))
    admin = login(people.district_admin)
    response = admin.get(reverse("admin:portal_personaldataaccess_changelist"))
    assert response.status_code == 200 and "jd_a" in response.content.decode()
    assert (
        login(people.street_a)
        .get(reverse("admin:portal_personaldataaccess_changelist"))
        .status_code
        == 403
    )
