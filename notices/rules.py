"""Who may act on one notice (django-rules, autodiscovered): the unit that wrote it writes
and issues it; each unit it went to acknowledges its own row."""

import rules

from portal.access import assignment_of, holds, scope_of
from portal.roles import Level


def issuing_unit(user):
    """The (district id, street id or None) a user issues notices as, or None."""
    scope = scope_of(user)
    if scope.level == Level.DISTRICT:
        return scope.pk, None
    if scope.level == Level.STREET:
        street = assignment_of(user).street
        return street.district_id, street.pk
    return None


@rules.predicate
def written_by_users_unit(user, notice):
    return issuing_unit(user) == (notice.district_id, notice.street_id)


@rules.predicate
def sent_to_users_unit(user, recipient):
    return recipient.is_for(user)


rules.add_perm("notices.write_this_notice", holds("notices.change_notice") & written_by_users_unit)
rules.add_perm("notices.acknowledge", holds("notices.change_recipient") & sent_to_users_unit)
rules.add_perm("notices.answer", holds("notices.add_answer") & sent_to_users_unit)
