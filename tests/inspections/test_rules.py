"""The object rules (inspections/rules.py) give, for every persona, the answers the former
permission functions gave: each rule against each state of its record."""

import pytest
import rules

from inspections.models import Bulletin, Inspection, Rectification
from tests.factories import UserFactory

PERSONAS = [
    "district_admin",
    "district_staff",
    "street_a",
    "street_b",
    "community",
    "inspector",
    "member",
    "outsider",
    "no_role",
    "superuser",
]
CAMPAIGN_STATES = ["planned", "under_way", "closed"]
RECTIFICATION_STATES = ["open", "in_progress", "done", "verified"]
DISTRICT = {"district_admin", "district_staff", "superuser"}
RECORDERS = DISTRICT | {"inspector", "member", "outsider"}
LOCAL = DISTRICT | {"street_a", "street_b", "community"}
NOBODY = set()

# rule -> state of its record -> the personas it allows (what the former functions answered)
EXPECTED = {
    "manage_campaign": {"planned": DISTRICT, "under_way": DISTRICT, "closed": DISTRICT},
    "record_visit": {"planned": NOBODY, "under_way": RECORDERS, "closed": NOBODY},
    "edit_visit": {"planned": NOBODY, "under_way": RECORDERS, "closed": DISTRICT},
    "add_problem": {"planned": RECORDERS, "under_way": RECORDERS, "closed": NOBODY},
    "add_photo": {"planned": NOBODY, "under_way": RECORDERS, "closed": DISTRICT},
    "report_progress": {"open": LOCAL, "in_progress": LOCAL, "done": NOBODY, "verified": NOBODY},
    "verify": {"open": NOBODY, "in_progress": NOBODY, "done": RECORDERS, "verified": NOBODY},
    "write_bulletin": {None: DISTRICT},
    "publish_draft": {"draft": DISTRICT, "published": NOBODY},
}


@pytest.fixture
def personas(insp, people):
    found = {name: getattr(people, name, None) for name in PERSONAS}
    found.update(
        member=insp.member,
        outsider=insp.outsider,
        superuser=UserFactory(username="root", is_superuser=True, is_staff=True),
    )
    return found


def record_of(insp, rule, state):
    """The record the rule is asked about, in the given state (unsaved: rules read fields)."""
    campaign = insp.a1.campaign
    if rule in ("manage_campaign", "record_visit"):
        campaign.status = state
        return campaign
    if rule in ("edit_visit", "add_problem", "add_photo"):
        campaign.status = state
        return Inspection(assignment=insp.a1)
    if rule in ("report_progress", "verify"):
        return Rectification(status=state)
    if rule == "publish_draft":
        return Bulletin(campaign=campaign, status=state)
    return None


def cases():
    for rule, states in EXPECTED.items():
        for state in states:
            yield rule, state


@pytest.mark.parametrize(("rule", "state"), list(cases()))
def test_each_rule_answers_as_before(insp, personas, rule, state):
    allowed = EXPECTED[rule][state]
    record = record_of(insp, rule, state)
    for name, user in personas.items():
        args = (record,) if record is not None else ()
        # The rule itself, as the callers that depend on a record's state ask it.
        assert rules.has_perm(f"inspections.{rule}", user, *args) is (name in allowed), name
        # Through Django: the same answers, except that any active superuser is let through.
        expected = name in allowed or name == "superuser"
        assert user.has_perm(f"inspections.{rule}", *args) is expected, name
