"""The register and the duty officer's list run the same number of queries whatever the
number of concerns (pinned at two sizes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.concerns.factories import a_concern

# session, account, role, permissions, filter choices, rows, totals (which count the rows
# for the paging too), the audit line; narrowed by place and lateness only, the totals are
# the kept rows of the communities in scope (two queries: the communities, their rows).
PINNED = {"/concerns/": 11, "/concerns/?overdue=no&category=repairs": 10}


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", PINNED)
def test_the_register_does_not_grow_with_the_rows(geo, people, login, path):
    client = login(people.street_a)
    a_concern(people.street_a, geo.community_a1)
    client.get(path)  # caches that fill once per process, kept totals computed
    small = _queries(client, path)
    for community in (geo.community_a1, geo.community_a2) * 10:
        a_concern(people.street_a, community, courtyard=community.courtyards.first())
    client.get(path)  # the kept totals of the two communities computed again
    assert _queries(client, path) == small
    assert small == PINNED[path]


def test_the_duty_officers_list_does_not_grow_with_the_rows(geo, people, login):
    from django.utils import timezone

    from concerns.services import roster_set

    roster_set(
        by=people.community,
        community=geo.community_a1,
        date=timezone.localdate(),
        officer=people.community,
    )
    client = login(people.community)
    a_concern(people.community, geo.community_a1)
    client.get("/concerns/mine/")
    small = _queries(client, "/concerns/mine/")
    for _ in range(15):
        a_concern(people.community, geo.community_a1, courtyard=geo.courtyard_a1)
    assert _queries(client, "/concerns/mine/") == small
