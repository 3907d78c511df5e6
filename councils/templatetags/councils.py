from django import template

from councils.models import Role
from portal.access import mask_address, mask_phone

register = template.Library()


@register.filter
def phone_for(person, may_see):
    """The person's phone, masked unless the viewer may see personal data."""
    return person.phone if may_see else mask_phone(person.phone)


@register.filter
def address_for(person, may_see):
    """The person's building and unit, masked unless the viewer may see personal data."""
    return person.address if may_see else mask_address(person.address)


@register.filter
def per(whole, part):
    """whole/part rounded to a whole number, or an em dash when part is zero."""
    try:
        return f"{whole / part:.0f}" if part else "—"
    except (TypeError, ValueError):
        return "—"


@register.filter
def role_label(role):
    """The label of a Role value, or an em dash."""
    return Role(role).label if role in Role.values else "—"


@register.filter
def who(user):
    """A user's name in Chinese order, or "—"."""
    from portal.models import person_name

    return person_name(user) or "—"
