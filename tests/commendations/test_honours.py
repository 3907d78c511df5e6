"""Honours on the pages of what was honoured: street, community, courtyard (its
organisation), organisation and person pages show units and people; the public pages show
honoured units only."""

import pytest
from django.test import Client
from django.urls import reverse

from commendations.models import Kind
from tests.commendations.conftest import decide, nominate


@pytest.fixture
def decided(round_, org, geo, people):
    honoured = [
        nominate(round_, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1),
        nominate(round_, Kind.GROUP, people.street_a, geo.street_a, org.organisation),
        nominate(round_, Kind.REPRESENTATIVE, people.street_a, geo.street_a, org.representative),
        nominate(
            round_,
            Kind.WORKER,
            people.street_a,
            geo.street_a,
            worker_name="王芳",
            worker_unit="锦里社区居委会",
        ),  # fmt: skip
    ]
    nominate(round_, Kind.COMMUNITY, people.street_b, geo.street_b, geo.community_b1)
    return decide(round_, people, honoured)


def test_the_community_page_shows_its_honours(decided, org, geo, people, login):
    page = login(people.community).get(geo.community_a1.get_absolute_url()).text
    assert "获得表彰" in page
    assert "先进社区" in page and "先进自治管理小组" in page
    assert org.representative.name in page  # people by name on internal pages
    assert "武委发〔2026〕8号" in page
    other = login(people.street_b).get(geo.community_b1.get_absolute_url()).text
    assert "获得表彰" not in other  # nominated, not honoured


def test_the_street_and_courtyard_pages_show_their_honours(decided, org, geo, people, login):
    street = login(people.street_a).get(geo.street_a.get_absolute_url()).text
    assert "王芳（锦里社区居委会）" in street and "锦里社区" in street
    courtyard = login(people.street_a).get(geo.courtyard_a1.get_absolute_url()).text
    assert org.organisation.name in courtyard and "先进自治管理小组" in courtyard
    organisation = login(people.community).get(org.organisation.get_absolute_url()).text
    assert "先进自治管理小组" in organisation
    person = login(people.community).get(org.representative.get_absolute_url()).text
    assert "优秀民情代表" in person


def test_the_public_community_page_shows_honoured_units_only(decided, org, geo):
    page = Client().get(reverse("public_community", args=[geo.community_a1.pk]))
    assert page.status_code == 200
    assert "先进社区" in page.text and org.organisation.name in page.text
    assert org.representative.name not in page.text
    assert "优秀民情代表" not in page.text and "王芳" not in page.text
    assert org.representative.phone not in page.text
    # A community honoured for nothing publishes nothing.
    assert Client().get(reverse("public_community", args=[geo.community_b1.pk])).status_code == 404


def test_the_inspector_sees_no_commendation(decided, geo, people, login):
    page = login(people.inspector).get(geo.community_a1.get_absolute_url())
    assert "获得表彰" not in page.text
