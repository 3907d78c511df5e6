"""What every persona meets on every commendations page (the security matrix delegates them
here): without the permission 403; another street's nomination or organisation 404. The
district administrator opens rounds and decides; district staff and streets nominate;
community members read; inspectors have nothing here."""

import pytest
from django.urls import reverse

from commendations.models import Kind
from tests.commendations.conftest import decide, nominate, open_round
from tests.councils.factories import pdf_upload

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
READERS = {"district_admin": 200, "district_staff": 200, "street_a": 200, "street_b": 200,
           "community": 200, **NO_ROLE}  # fmt: skip
ADMIN_ONLY = {**{p: 403 for p in PERSONAS}, "district_admin": 200}
NOMINATORS = {**READERS, "community": 403}
# Street A's nomination of its community, not yet decided.
OWN_NOMINATION = {**READERS, "street_b": 404, "community": 404}
# Correcting street A's own nomination: the district sees it but may not touch it.
OWN_STREET_ONLY = {**{p: 403 for p in PERSONAS}, "street_a": 200, "street_b": 404,
                   "community": 403}  # fmt: skip
# Organisation of community A1: allowances are recorded by street and community staff.
ALLOWANCES = {"district_admin": 403, "district_staff": 403, "street_a": 200, "street_b": 404,
              "community": 200, **NO_ROLE}  # fmt: skip

GETS = {
    "commendations:list": (None, READERS),
    "commendations:round_new": (None, ADMIN_ONLY),
    "commendations:round": ("open", READERS),
    "commendations:round_workbook": ("decided", READERS),
    "commendations:nominate": ("open", NOMINATORS),
    "commendations:decide": ("open", ADMIN_ONLY),
    "commendations:evidence": ("nomination", OWN_NOMINATION),
    "commendations:nomination_edit": ("nomination", OWN_STREET_ONLY),
    "commendations:allowance_new": ("organisation", ALLOWANCES),
}


@pytest.fixture
def world(org, geo, people):
    open_ = open_round(geo, people)
    nomination = nominate(open_, Kind.COMMUNITY, people.street_a, geo.street_a,
                          geo.community_a1, evidence=pdf_upload())  # fmt: skip
    decided = open_round(geo, people, title="2023—2024年度表彰")
    decide(decided, people, [
        nominate(decided, Kind.COMMUNITY, people.street_a, geo.street_a, geo.community_a1)
    ])  # fmt: skip
    return {
        "open": open_.pk,
        "decided": decided.pk,
        "nomination": nomination.pk,
        "organisation": org.organisation.pk,
    }


@pytest.mark.parametrize("name", sorted(GETS))
def test_every_persona_on_every_page(name, world, people, login):
    target, expected = GETS[name]
    url = reverse(name, args=[world[target]] if target else [])
    met = {p: login(getattr(people, p)).get(url).status_code for p in PERSONAS}
    assert met == expected


def test_the_navigation_shows_commendations_to_those_who_may_read_them(people, login):
    shown = {p: "表彰" in login(getattr(people, p)).get(reverse("dashboard")).text
             for p in ("district_admin", "street_a", "community", "inspector")}  # fmt: skip
    assert shown == {"district_admin": True, "street_a": True, "community": True,
                     "inspector": False}  # fmt: skip


# A proposal naming no honour: refused for those who may not nominate, not found for the rest
# (tests/commendations/test_proposals.py walks a real one).
PROPOSE = {**{p: 404 for p in PERSONAS}, "community": 403, **NO_ROLE}


def test_every_persona_proposing_from_an_assessment(world, people, login):
    url = reverse("commendations:propose", args=[world["open"]])
    met = {p: login(getattr(people, p)).post(url).status_code for p in PERSONAS}
    assert met == PROPOSE


# Withdrawing street A's nomination without the confirmation: street A is told (and sent
# back to the round), nothing changes; another street meets 404; the rest 403.
WITHDRAW = {**{p: 403 for p in PERSONAS}, "street_a": 302, "street_b": 404}


def test_every_persona_withdrawing_a_nomination(world, people, login):
    url = reverse("commendations:nomination_withdraw", args=[world["nomination"]])
    met = {p: login(getattr(people, p)).post(url).status_code for p in PERSONAS}
    assert met == WITHDRAW
    assert login(people.street_a).get(url).status_code == 405
