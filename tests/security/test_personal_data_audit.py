"""Bulk views and exports of personal data leave a line in the audit; masked ones do not."""

from django.urls import reverse

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


def test_the_annual_workbook_with_phones_is_recorded(people, council, login):  # noqa: F811
    login(people.district_admin).get(reverse("annual_report"), {"format": "xlsx"})
    entry = PersonalDataAccess.objects.get()
    assert (entry.action, entry.records) == ("export", 6)


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
