from django import template
from django.utils.html import format_html

from portal.models import person_name as _person_name
from portal.scope_cache import rows_rendered

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, numeric=False):
    """A <th> whose link sorts the table by `key`, toggling the direction."""
    current = context.get("sort", "")
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    descending = current == key
    params["sort"] = f"-{key}" if descending else key
    if current.lstrip("-") == key:
        marker = " ▼" if current.startswith("-") else " ▲"
        state = "descending" if current.startswith("-") else "ascending"
    else:
        marker, state = "", "none"
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a href="?{}">{}{}</a></th>',
        "num" if numeric else "",
        state,
        params.urlencode(),
        label,
        marker,
    )


@register.inclusion_tag("portal/_pager.html", takes_context=True)
def pager(context, page):
    """Previous, numbered pages (elided around the current one), next; keeps the filters."""
    paginator = page.paginator
    return {
        "request": context["request"],
        "page": page,
        "numbers": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": paginator.ELLIPSIS,
    }


@register.filter
def percent(part, whole):
    """part/whole as a percentage with one decimal, or an em dash when whole is zero."""
    try:
        return f"{100 * part / whole:.1f}%" if whole else "—"
    except (TypeError, ValueError):
        return "—"


@register.filter
def minutes(duration):
    """A timedelta in whole minutes."""
    return int(duration.total_seconds() // 60) if duration else 0


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def person_name(user):
    """An account as people know it: its holder's name, family name first."""
    return _person_name(user)


@register.simple_tag(takes_context=True)
def kept_rows(context, template_name, rows, **extra):
    """The table rows of `rows`, each rendered by `template_name` with `row`, its `number`
    and `extra`; kept by what they show (portal.scope_cache.rows_rendered)."""
    return rows_rendered(context.template.engine.get_template(template_name), rows, extra)
