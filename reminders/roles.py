"""Who is reminded: the roles of each level of a thing's units. Kept apart from the
services so the app's configuration can name them before models load."""

from portal.roles import Level, Role

ROLES_AT = {
    Level.COMMUNITY: {Role.COMMUNITY_MEMBER},
    Level.STREET: {Role.STREET_STAFF},
    Level.DISTRICT: {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF},
}
REMINDED_ROLES = frozenset().union(*ROLES_AT.values())
