"""Who may see and act on a concern: the scope, the role's grants and the concern's level."""

import pytest

from concerns import services
from concerns.models import Concern
from tests.concerns.factories import a_concern


@pytest.fixture
def concern(geo, people):
    return a_concern(people.community, geo.community_a1)


def test_each_scope_sees_its_own_concerns(people, concern):
    for persona in ("district_admin", "district_staff", "street_a", "community"):
        assert concern in Concern.objects.visible_to(getattr(people, persona)), persona
    for persona in ("street_b", "no_role"):
        assert not Concern.objects.visible_to(getattr(people, persona)).exists(), persona


def test_inspectors_hold_no_concern_permission(people):
    assert not people.inspector.has_perm("concerns.view_concern")
    assert not people.inspector.has_perm("concerns.add_concern")


def test_community_and_street_act_until_it_goes_to_the_district(people, concern):
    def acting():
        return {
            persona
            for persona in ("district_admin", "district_staff", "street_a", "community")
            if getattr(people, persona).has_perm("concerns.act_on_concern", concern)
        }

    assert acting() == {"street_a", "community"}
    services.concern_escalate(concern, by=people.community, to_level="street", reason="协调")
    assert acting() == {"street_a"}
    services.concern_escalate(concern, by=people.street_a, to_level="district", reason="跨部门")
    assert acting() == {"district_admin", "district_staff"}


def test_who_may_escalate(people, concern):
    assert people.community.has_perm("concerns.escalate_this_concern", concern)
    assert people.street_a.has_perm("concerns.escalate_this_concern", concern)
    assert not people.district_staff.has_perm("concerns.escalate_this_concern", concern)
    services.concern_escalate(concern, by=people.community, to_level="street", reason="协调")
    assert not people.community.has_perm("concerns.escalate_this_concern", concern)
    assert people.street_a.has_perm("concerns.escalate_this_concern", concern)


def test_only_district_administrators_edit_the_calendar(people):
    assert people.district_admin.has_perm("concerns.change_calendarday")
    assert people.district_admin.has_perm("concerns.change_responsedeadlines")
    for persona in ("district_staff", "street_a", "community", "inspector"):
        assert not getattr(people, persona).has_perm("concerns.change_calendarday"), persona
