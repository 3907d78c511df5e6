"""A commendation round of the shared small district (tests/conftest.py), open for
nominations until a month from today, and a working organisation for courtyard A1
(锦里12号院): a council of a convener and a representative, a group of a leader and a
member, accepted."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from commendations import services
from commendations.models import Kind
from councils import services as council_services
from councils.models import Membership
from tests.councils.factories import elect, organisation_for

PLACES = {
    Kind.STREET: 1,
    Kind.COMMUNITY: 1,
    Kind.GROUP: 1,
    Kind.REPRESENTATIVE: 1,
    Kind.WORKER: 2,
}


@dataclass
class Org:
    organisation: object
    representative: object
    leader: object
    member: object


@pytest.fixture
def org(geo):
    organisation = organisation_for(geo.courtyard_a1)
    elect(organisation, "council", ["convener", "representative"])
    elect(organisation, "group", ["leader", "member"])
    council_services.organisation_establish(
        organisation=organisation, on=datetime.date(2023, 3, 15), by=None
    )
    council_services.organisation_accept(
        organisation=organisation, on=datetime.date(2023, 6, 1), note="验收合格", by=None
    )
    organisation.refresh_from_db()

    def person(role):
        return Membership.objects.get(body__organisation=organisation, role=role).person

    return Org(organisation, person("representative"), person("leader"), person("member"))


def open_round(geo, people, *, title="2025—2026年度院落自治工作表彰", allowances=True, days=30):
    today = timezone.localdate()
    return services.round_open(
        district=geo.district,
        by=people.district_admin,
        places=PLACES,
        title=title,
        first_year=today.year - 1,
        last_year=today.year,
        nominations_until=today + datetime.timedelta(days=days),
        allowances_from_fund=allowances,
    )


@pytest.fixture
def round_(geo, people):
    return open_round(geo, people)


def category(round_, kind):
    return round_.categories.get(kind=kind)


def nominate(round_, kind, by, street, nominee=None, **extra):
    return services.nominate(
        category=category(round_, kind),
        by=by,
        street=street,
        nominee=nominee,
        reason=extra.pop("reason", "院落自治工作成效明显，群众满意度高。"),
        **extra,
    )


def decide(round_, people, honoured, number="武委发〔2026〕8号"):
    return services.round_decide(
        round_=round_,
        by=people.district_admin,
        honoured=[n.pk for n in honoured],
        decision_number=number,
        decided_on=timezone.localdate(),
    )
