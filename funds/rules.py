"""What a user may do with one fund record they can see, beyond their role's model
permission (django-rules, autodiscovered; views and templates ask
`user.has_perm("funds.<rule>", record)`)."""

import rules

from funds.services import sources_for
from portal.access import holds


@rules.predicate
def records_source(user, allocation):
    """The allocation comes from a source the user records: street staff correct their
    street's own money, never the district's."""
    return allocation.source in sources_for(user)


rules.add_perm("funds.correct_allocation", holds("funds.change_allocation") & records_source)
