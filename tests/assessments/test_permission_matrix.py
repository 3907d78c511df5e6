"""What every persona meets on every assessments page (the security matrix delegates them
here): without the permission 403; a scheme outside the user's reach 404; a draft only to
the unit drawing it up; a published street scheme to the district, the street and its
communities; inspectors nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Area, Indicator, Scheme
from tests.assessments.builders import scheme
from tests.concerns.factories import a_photo

PERSONAS = [
    "district_admin",
    "district_staff",
    "street_a",
    "street_b",
    "community",
    "inspector",
    "no_role",
]
NO_ROLE = {"inspector": 403, "no_role": 403}
EVERYONE = {"district_admin": 200, "district_staff": 200, "street_a": 200, "street_b": 200,
            "community": 200, **NO_ROLE}  # fmt: skip
WRITERS = {**EVERYONE, "community": 403}
# Street A's published scheme on its communities: street B does not see it.
PUBLISHED = {**EVERYONE, "street_b": 404}
# Street A's draft: only street A.
DRAFT = {**PUBLISHED, "district_admin": 404, "district_staff": 404, "community": 404}
# The district's draft on streets: only the district.
DISTRICT_DRAFT = {**DRAFT, "district_admin": 200, "district_staff": 200, "street_a": 404}
# Posted to street A's draft: the form comes back (200) or the ranking (302) for street A;
# others who hold the permission do not find the draft.
ADD = {**DRAFT, "community": 403}
PUBLISH = {**ADD, "street_a": 302}
# Removing from street A's draft without ticking the box: back to the scheme (302), nothing
# removed. Correcting street A's published scheme: street A is told it no longer changes
# (302); those who only read it do not find the correction pages.
REMOVE = PUBLISH
PUBLISHED_EDIT = {**ADD, "street_a": 302}

GETS = {
    "assessments:list": (None, EVERYONE),
    "assessments:new": (None, WRITERS),
    "assessments:detail": ("published", PUBLISHED),
    "assessments:scores": ("draft", DRAFT),
    "assessments:ranking": ("published", PUBLISHED),
    "assessments:print": ("published", PUBLISHED),
    "assessments:workbook": ("published", PUBLISHED),
    "assessments:evidence": ("evidence", PUBLISHED),
    "assessments:scheme_edit": ("draft", ADD),
    "assessments:area_edit": ("draft_area", ADD),
    "assessments:indicator_edit": ("draft_indicator", ADD),
}
MORE_GETS = [
    ("assessments:detail", "draft", DRAFT),
    ("assessments:detail", "district_draft", DISTRICT_DRAFT),
    ("assessments:scheme_edit", "published", PUBLISHED_EDIT),
    ("assessments:indicator_edit", "published_indicator", PUBLISHED_EDIT),
]
POSTS = {
    "assessments:area_add": ("draft", ADD),
    "assessments:indicator_add": ("draft", ADD),
    "assessments:publish": ("draft", PUBLISH),
    "assessments:area_remove": ("draft_area", REMOVE),
    "assessments:indicator_remove": ("draft_indicator", REMOVE),
}


@pytest.fixture
def world(geo, people):
    street_a = people.street_a
    published = scheme(street_a, geo.district, geo.street_a, indicators=[("走访评议", "10")])
    indicator = Indicator.objects.get(area__scheme=published)
    for community in (geo.community_a1, geo.community_a2):
        made = services.score_enter(
            indicator, community, points=Decimal("8"), evidence=a_photo(), by=street_a
        )
    services.scheme_publish(published, by=street_a)
    draft = scheme(street_a, geo.district, geo.street_a, indicators=[("走访评议", "10")])
    district_draft = scheme(
        people.district_staff, geo.district, level="streets", indicators=[("走访评议", "10")]
    )
    return {
        "published": published.pk,
        "draft": draft.pk,
        "district_draft": district_draft.pk,
        "evidence": made.pk,
        "draft_area": Area.objects.get(scheme=draft).pk,
        "draft_indicator": Indicator.objects.get(area__scheme=draft).pk,
        "published_indicator": indicator.pk,
    }


def _url(name, target, world):
    return reverse(name, args=[world[target]] if target else [])


def _met(login, people, url, method="get"):
    return {p: getattr(login(getattr(people, p)), method)(url).status_code for p in PERSONAS}


@pytest.mark.parametrize("name", sorted(GETS))
def test_every_persona_on_every_page(name, world, people, login):
    target, expected = GETS[name]
    assert _met(login, people, _url(name, target, world)) == expected


@pytest.mark.parametrize(("name", "target", "expected"), MORE_GETS)
def test_drafts_are_seen_by_their_unit_only(name, target, expected, world, people, login):
    assert _met(login, people, _url(name, target, world)) == expected


@pytest.mark.parametrize("name", sorted(POSTS))
def test_every_persona_on_every_step(name, world, people, login):
    target, expected = POSTS[name]
    assert _met(login, people, _url(name, target, world), "post") == expected
    assert not Scheme.objects.get(pk=world["draft"]).is_published  # no confirmation given
    assert Indicator.objects.filter(pk=world["draft_indicator"]).exists()


@pytest.mark.parametrize("name", sorted(POSTS))
def test_steps_only_take_a_post(name, world, people, login):
    target, _expected = POSTS[name]
    assert login(people.street_a).get(_url(name, target, world)).status_code == 405


def test_nobody_else_enters_hand_scores(world, people, login, geo):
    url = reverse("assessments:scores", args=[world["published"]])
    for persona in ["street_a", "district_staff", "community"]:
        assert login(getattr(people, persona)).post(url).status_code == 404, persona
