"""Phones and addresses in full only for the roles that work with the people concerned:
district administrators, street staff and community members within their scope. District
staff and inspectors see them masked on pages and in the admin, and exports leave them out."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

PHONE, MASKED_PHONE = "13812345678", "138****5678"
ADDRESS, MASKED_ADDRESS = "12栋3单元", "**栋*单元"


@pytest.fixture
def person(council):
    person = council.member("convener").person
    person.phone, person.building, person.unit = PHONE, "12栋", "3单元"
    person.save()
    return person


@pytest.mark.parametrize(
    ("persona", "full"),
    [
        ("district_admin", True),
        ("street_a", True),
        ("community", True),
        ("district_staff", False),
        ("inspector", False),
    ],
)
def test_pages_show_phone_and_address_in_full_only_to_roles_that_need_them(
    person, council, people, login, persona, full
):
    client = login(getattr(people, persona))
    for url in [
        council.organisation.get_absolute_url(),
        person.get_absolute_url(),
        reverse("councils:people"),
        reverse("courtyards:courtyard", args=[person.courtyard_id]),
    ]:
        html = client.get(url).content.decode()
        assert (PHONE in html) == full, url
        assert (ADDRESS in html) == full, url
        if not full:
            assert MASKED_PHONE in html and MASKED_ADDRESS in html, url


def _rows(response):
    content = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_the_people_export_leaves_the_columns_out_for_roles_that_may_not_see_them(
    person, people, login
):
    full = _rows(login(people.street_a).get(reverse("councils:people"), {"format": "xlsx"}))
    assert "联系电话" in full[3] and "楼栋" in full[3]
    assert PHONE in full[4] + full[5] + full[6] + full[7] + full[8] + full[9]
    masked = _rows(login(people.district_staff).get(reverse("councils:people"), {"format": "xlsx"}))
    assert "联系电话" not in masked[3] and "楼栋" not in masked[3] and "单元" not in masked[3]
    assert not any(PHONE in str(cell) for row in masked for cell in row)
    assert len(masked[4]) == len(full[4]) - 3


def test_the_admin_list_and_form_mask_for_those_who_may_not_see(person, people, login):
    client = login(people.district_staff)
    listing = client.get(reverse("admin:councils_person_changelist")).content.decode()
    assert PHONE not in listing and MASKED_PHONE in listing
    form = client.get(reverse("admin:councils_person_change", args=[person.pk]))
    html = form.content.decode()
    assert PHONE not in html and MASKED_PHONE in html and MASKED_ADDRESS in html
    assert 'name="phone"' not in html


def test_the_admin_form_shows_and_edits_them_for_those_who_may(person, people, login):
    html = (
        login(people.street_a)
        .get(reverse("admin:councils_person_change", args=[person.pk]))
        .content.decode()
    )
    assert 'name="phone"' in html and PHONE in html


def test_the_admin_history_masks_changed_phones(person, people, login):
    person.phone = "13900001111"
    person.save()
    url = reverse("admin:councils_person_history", args=[person.pk])
    masked = login(people.district_staff).get(url).content.decode()
    assert "13900001111" not in masked and "139****1111" in masked
    assert PHONE not in masked
    assert "13900001111" in login(people.district_admin).get(url).content.decode()
    version = person.history.first().history_id
    old = login(people.district_staff).get(
        reverse("admin:councils_person_simple_history", args=[person.pk, version])
    )
    assert "13900001111" not in old.content.decode()


def test_the_admin_export_leaves_the_columns_out(person, people, login):
    response = login(people.district_staff).post(
        reverse("admin:councils_person_export"),
        {"format": "0", "resource": "0", "personresource_name": "on"},
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "联系电话" not in rows[0]
    assert not any(PHONE in str(cell) for row in rows for cell in row)


def test_searching_by_phone_is_only_for_those_who_may_see_it(person, people, login):
    url = reverse("admin:councils_person_changelist")
    assert person in login(people.street_a).get(url, {"q": PHONE}).context["cl"].result_list
    assert not login(people.district_staff).get(url, {"q": PHONE}).context["cl"].result_list


@pytest.mark.parametrize(
    ("address", "masked"),
    [("12栋3单元", "**栋*单元"), ("锦里路12号A座", "锦里路**号*座"), ("", "")],
)
def test_addresses_keep_the_kind_of_place_and_hide_the_numbers(address, masked):
    from portal.access import mask_address

    assert mask_address(address) == masked
