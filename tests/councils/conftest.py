"""A working organisation for courtyard A1 (锦里12号院, 120 households): council of a
convener and two representatives, group of a leader, a deputy and a member, elected on
2023-03-01, established 2023-03-15, accepted 2023-06-01."""

import datetime
from dataclasses import dataclass

import pytest

from councils import services
from councils.models import Membership
from tests.councils.factories import elect, organisation_for


@dataclass
class Council:
    organisation: object
    council_election: object
    group_election: object

    def member(self, role):
        return Membership.objects.get(
            body__organisation=self.organisation, role=role, ended_on__isnull=True
        )

    def members(self, role):
        return Membership.objects.filter(
            body__organisation=self.organisation, role=role, ended_on__isnull=True
        ).order_by("pk")


@pytest.fixture
def council(geo):
    organisation = organisation_for(geo.courtyard_a1)
    council_election = elect(
        organisation, "council", ["convener", "representative", "representative"]
    )
    group_election = elect(organisation, "group", ["leader", "deputy", "member"])
    services.organisation_establish(
        organisation=organisation, on=datetime.date(2023, 3, 15), by=None
    )
    services.organisation_accept(
        organisation=organisation, on=datetime.date(2023, 6, 1), note="验收合格", by=None
    )
    organisation.refresh_from_db()
    return Council(organisation, council_election, group_election)
