"""Who may act on one scheme (django-rules, autodiscovered): the unit that drew it up (the
district's offices, or the street's staff) writes it while a draft, scores it by hand and
publishes it. Everyone else who sees it reads it."""

import rules

from portal.access import assignment_of, holds, role_of, scope_of
from portal.roles import Level, Role

OWNER_ROLES = {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF, Role.STREET_STAFF}


def owning_unit(user):
    """The (district id, street id or None) a user draws schemes up as, or None."""
    if role_of(user) not in OWNER_ROLES:
        return None
    scope = scope_of(user)
    if scope.level == Level.DISTRICT:
        return scope.pk, None
    if scope.level == Level.STREET:
        street = assignment_of(user).street
        return street.district_id, street.pk
    return None


@rules.predicate
def drawn_up_by_users_unit(user, scheme):
    return owning_unit(user) == (scheme.district_id, scheme.street_id)


@rules.predicate
def is_draft(user, scheme):
    return not scheme.is_published


rules.add_perm(
    "assessments.write_this_scheme",
    holds("assessments.change_scheme") & drawn_up_by_users_unit & is_draft,
)
rules.add_perm(
    "assessments.score_this_scheme",
    holds("assessments.change_score") & drawn_up_by_users_unit & is_draft,
)
# The unit that drew the scheme up, published or not: corrections answer it with a message
# once published (services refuse them), everyone else does not find them (404).
rules.add_perm(
    "assessments.own_this_scheme",
    holds("assessments.change_scheme") & drawn_up_by_users_unit,
)
