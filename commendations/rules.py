"""Who may act on one round or category (django-rules, autodiscovered): the district
nominates streets, a street its own units and people, while the round is open; the
district administrator decides an open round; the nominating unit corrects or withdraws
its own nominations."""

import rules

from commendations.models import Kind
from portal.access import holds, scope_of
from portal.roles import Level


def nominating_level(user):
    """The level a user nominates at: the district (and a system administrator) or a street."""
    level = scope_of(user).level
    if level in (Level.ALL, Level.DISTRICT):
        return Level.DISTRICT
    if level == Level.STREET:
        return Level.STREET
    return None


@rules.predicate
def nominates_this_kind(user, category):
    level = nominating_level(user)
    if level is None:
        return False
    by_district = category.kind == Kind.STREET
    return (level == Level.DISTRICT) == by_district


@rules.predicate
def round_takes_nominations(_user, category):
    return category.round.accepts_nominations()


@rules.predicate
def round_is_open(_user, round_):
    return not round_.is_decided


@rules.predicate
def nominates_in_round(user, round_):
    return nominating_level(user) is not None and round_.accepts_nominations()


@rules.predicate
def nominated_by_own_unit(user, nomination):
    """The street's own nomination, or the district's own (one without a street)."""
    level = nominating_level(user)
    if level == Level.STREET:
        return nomination.street_id == scope_of(user).pk
    return level == Level.DISTRICT and nomination.street_id is None


rules.add_perm(
    "commendations.nominate",
    holds("commendations.add_nomination") & nominates_this_kind & round_takes_nominations,
)
rules.add_perm(
    "commendations.nominate_in_round",
    holds("commendations.add_nomination") & nominates_in_round,
)
rules.add_perm("commendations.decide", holds("commendations.decide_round") & round_is_open)
# Correcting or withdrawing a nomination: the nominating unit only; the round being open
# is checked by commendations.services (refused with a message naming why).
rules.add_perm(
    "commendations.amend_nomination",
    holds("commendations.add_nomination") & nominated_by_own_unit,
)
