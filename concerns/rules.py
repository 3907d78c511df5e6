"""What a user may do with one concern they can see, beyond their role's model permission
(django-rules, autodiscovered; views and templates ask `user.has_perm("concerns.<rule>",
concern)`). Each level acts on the concerns that sit at its level: community members on
those not escalated, street staff on those of the community and the street, the district
on those escalated to it."""

import rules

from concerns.models import Concern
from portal.access import holds, role_of, scope_of
from portal.roles import Role

ACTS_ON = {
    Role.COMMUNITY_MEMBER: {Concern.Level.COMMUNITY},
    Role.STREET_STAFF: {Concern.Level.COMMUNITY, Concern.Level.STREET},
    Role.DISTRICT_ADMIN: {Concern.Level.DISTRICT},
    Role.DISTRICT_STAFF: {Concern.Level.DISTRICT},
}
# The level each role escalates to: the one above its own.
ESCALATES_TO = {
    Role.COMMUNITY_MEMBER: Concern.Level.STREET,
    Role.STREET_STAFF: Concern.Level.DISTRICT,
}


def escalation_target(user):
    return ESCALATES_TO.get(role_of(user))


@rules.predicate
def at_users_level(user, concern):
    if scope_of(user).is_everything:
        return True
    return concern.level in ACTS_ON.get(role_of(user), set())


@rules.predicate
def may_escalate_further(user, concern):
    target = escalation_target(user)
    if scope_of(user).is_everything:
        return concern.level != Concern.Level.DISTRICT
    order = [choice for choice, _ in Concern.Level.choices]
    return target is not None and order.index(concern.level) < order.index(target)


rules.add_perm("concerns.act_on_concern", holds("concerns.change_concern") & at_users_level)
rules.add_perm(
    "concerns.escalate_this_concern",
    holds("concerns.escalate_concern") & at_users_level & may_escalate_further,
)
