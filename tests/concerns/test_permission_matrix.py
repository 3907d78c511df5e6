"""What every persona meets on every concerns page (the security matrix delegates the
concerns pages here): a role without the permission gets 403, another scope's concern or
community 404, and a step the concern's level does not let the user take 403."""

import pytest
from django.urls import reverse

from tests.concerns.factories import a_concern, a_photo

PERSONAS = [
    "district_admin",
    "district_staff",
    "street_a",
    "street_b",
    "community",
    "inspector",
    "no_role",
]
ALL_VIEW = {
    "district_admin": 200,
    "district_staff": 200,
    "street_a": 200,
    "street_b": 200,
    "community": 200,
    "inspector": 403,
    "no_role": 403,
}
IN_SCOPE = {**ALL_VIEW, "street_b": 404}
RECEIVE = {**ALL_VIEW, "district_admin": 403, "district_staff": 403}
# The streets' registers are imported by the streets and the district (concerns.import_concern).
IMPORT = {**ALL_VIEW, "community": 403}
# A step posted empty: the form comes back (200) to those who may take it.
STEP = {**IN_SCOPE, "district_admin": 403, "district_staff": 403}

GETS = {
    "concerns:register": (None, ALL_VIEW),
    "concerns:new": (None, RECEIVE),
    "concerns:mine": (None, ALL_VIEW),
    "concerns:import": (None, IMPORT),
    "concerns:import_template": (None, IMPORT),
    "concerns:detail": ("concern", IN_SCOPE),
    # a photo is served to whoever may see its concern (portal.uploads.attachment_response)
    "concerns:photo": ("photo", IN_SCOPE),
    "concerns:roster": ("community", IN_SCOPE),
}
POSTS = {
    "concerns:classify": ("concern", STEP),
    "concerns:answer": ("concern", STEP),
    "concerns:resolve": ("concern", STEP),
    "concerns:return_visit": ("concern", STEP),
    "concerns:note": ("concern", STEP),
    "concerns:escalate": ("concern", STEP),
    "concerns:link": ("concern", STEP),
    "concerns:add_photos": ("concern", STEP),
    "concerns:handover": ("community", STEP),
}


@pytest.fixture
def world(geo, people):
    concern = a_concern(people.community, geo.community_a1, photos=[a_photo()])
    return {
        "concern": concern.pk,
        "photo": concern.photos.get().pk,
        "community": geo.community_a1.pk,
    }


def _url(name, target, world):
    return reverse(name, args=[world[target]] if target else [])


@pytest.mark.parametrize("name", sorted(GETS))
def test_every_persona_on_every_page(name, world, people, login):
    target, expected = GETS[name]
    met = {
        p: login(getattr(people, p)).get(_url(name, target, world)).status_code for p in PERSONAS
    }
    assert met == expected


@pytest.mark.parametrize("name", sorted(POSTS))
def test_every_persona_on_every_step(name, world, people, login):
    target, expected = POSTS[name]
    met = {
        p: login(getattr(people, p)).post(_url(name, target, world)).status_code for p in PERSONAS
    }
    assert met == expected


@pytest.mark.parametrize("name", sorted(POSTS))
def test_steps_only_take_a_post(name, world, people, login):
    target, _expected = POSTS[name]
    assert login(people.community).get(_url(name, target, world)).status_code == 405


def test_the_district_acts_once_escalated_to_it(world, people, login):
    from concerns import services
    from concerns.models import Concern

    concern = Concern.objects.get(pk=world["concern"])
    services.concern_escalate(concern, by=people.street_a, to_level="district", reason="跨部门")
    url = reverse("concerns:note", args=[concern.pk])
    assert login(people.district_staff).post(url).status_code == 200
    assert login(people.community).post(url).status_code == 403
