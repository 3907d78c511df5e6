"""What a user may do with one councils record, beyond the model permission of their role
(django-rules; views, templates and the admin ask `user.has_perm(name, record)`)."""

import rules

from portal.access import holds, role_of, scope_of
from portal.roles import Level, Role


@rules.predicate
def organised_within(user, record):
    """Organised by the user's own unit or one below it: a unit edits what it organised and
    only reads what the units above organised for it."""
    return type(record).objects.organised_within(user).filter(pk=record.pk).exists()


rules.add_perm("councils.edit_training", holds("councils.change_training") & organised_within)
rules.add_perm(
    "councils.edit_researchvisit", holds("councils.change_researchvisit") & organised_within
)


@rules.predicate
def oversees_meetings(user):
    """District and street staff (and superusers) oversee many courtyards' meetings: they
    read a register of them; community members record them from their courtyards' cards.
    Inspectors keep the cards' read-only view."""
    level = scope_of(user).level
    return level == Level.ALL or (
        level in (Level.DISTRICT, Level.STREET) and role_of(user) != Role.INSPECTOR
    )


rules.add_perm("councils.use_meeting_register", holds("councils.view_meeting") & oversees_meetings)
