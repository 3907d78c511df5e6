from django import template

from funds import formatting

register = template.Library()


@register.filter
def yuan(value):
    """1234.5 -> 1,234.50"""
    return formatting.yuan(value)


@register.filter
def wan(value):
    """Yuan shown in 万元: 123456.78 -> 12.35"""
    return formatting.wan(value)


@register.filter
def count(value):
    """Whole numbers with thousands separators, 120575 -> 120,575 (humanize's intcomma
    writes none under zh-hans)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def money(value, unit):
    """Yuan in the table's unit: "wan" (万元) or "yuan" (元)."""
    return formatting.wan(value) if unit == "wan" else formatting.yuan(value)


@register.simple_tag(takes_context=True)
def payee(context, expenditure):
    """The payee as this user may see it: organisations by name; individuals by name only
    for those who may see personal data, otherwise with the name masked (张**)."""
    return expenditure.payee_for(context["request"].user)
