"""Who enters the back office (the admin): district administrators, district and street
staff, superusers. Community members and inspectors work in the portal's pages only: no
Administration link, and the portal's 403 page at every admin address."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from portal.roles import Role, sync_staff_flags
from portal.services import assign_role
from tests.factories import CourtyardFactory, UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LINK = 'href="/admin/"'
# (persona, may enter the back office)
PERSONAS = [
    ("district_admin", True),
    ("district_staff", True),
    ("street_a", True),
    ("community", False),
    ("inspector", False),
    ("no_role", False),
]
# A model page every role with a view permission opens in the admin.
MODEL_PAGE = "/admin/courtyards/courtyard/"


@pytest.mark.parametrize(("persona", "enters"), PERSONAS)
def test_the_administration_link_and_the_admin_follow_the_role(people, login, persona, enters):
    client = login(getattr(people, persona))

    assert (ADMIN_LINK in client.get("/").content.decode()) is enters
    expected = 200 if enters else 403
    assert client.get("/admin/").status_code == expected
    if persona != "no_role":
        assert client.get(MODEL_PAGE).status_code == expected


@pytest.mark.parametrize("persona", ["community", "inspector"])
def test_a_refused_account_gets_the_portals_403_page_not_the_admin_login(people, login, persona):
    client = login(getattr(people, persona))

    for address in ("/admin/", "/admin/login/", MODEL_PAGE, "/admin/councils/person/"):
        response = client.get(address)
        assert response.status_code == 403, address
        page = response.content.decode()
        assert "无权访问" in page
        assert 'name="password"' not in page


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(MODEL_PAGE)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_superuser_without_a_role_enters(login):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert login(root).get("/admin/").status_code == 200


def test_is_staff_follows_the_role_when_it_changes(geo):
    user = UserFactory()
    assign_role(user=user, role=Role.STREET_STAFF, unit=geo.street_a)
    user.refresh_from_db()
    assert user.is_staff

    assign_role(user=user, role=Role.COMMUNITY_MEMBER, unit=geo.community_a1)
    user.refresh_from_db()
    assert not user.is_staff


def test_the_role_sync_brings_existing_accounts_in_line(people):
    """Accounts made when every role was staff lose the flag at the next migrate."""
    User = get_user_model()
    User.objects.update(is_staff=True)

    sync_staff_flags(apps)

    staff = set(User.objects.filter(is_staff=True).values_list("username", flat=True))
    assert staff == {"qu_admin", "qu_staff", "jd_a", "jd_b"}


def test_a_community_member_sees_no_link_into_the_admin_on_a_courtyard_page(people, login, geo):
    courtyard = CourtyardFactory(community=geo.community_a1)
    member_page = login(people.community).get(f"/courtyards/{courtyard.pk}/").content.decode()
    street_page = login(people.street_a).get(f"/courtyards/{courtyard.pk}/").content.decode()

    assert "/admin/" not in member_page
    assert f"/courtyards/{courtyard.pk}/edit/" in member_page  # the portal's page edits it
    assert 'href="/admin/"' in street_page  # street staff keep the back office
