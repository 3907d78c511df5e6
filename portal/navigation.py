"""The navigation bar and the sections apps add to shared pages.

Each app's AppConfig may declare:
- `nav_items`: NavItem entries for the top bar, shown to users holding their permission;
- `header_links`: HeaderLink entries beside the user's name, each with a count of what
  awaits the user (the reminders' inbox);
- `panels`: for a page name ("courtyard", "community", "street", "dashboard",
  "organisation", "person" (a council organisation's and a person's pages), "public",
  "public_community"), dotted paths of functions `(request, obj) -> dict | None`; a dict
  carries the panel's `template` and its context, None leaves the panel out. "public" and
  "public_community" panels are shown to anonymous residents and must never carry
  personal data; a "public" panel with `"publishes": False` is shown only beside others
  and does not by itself make a courtyard's page exist.
Apps plug into the portal here instead of the portal's views importing each app.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None
    rule: object = None  # or a function of the user, from portal.access

    def visible_to(self, user):
        if not user.is_authenticated:
            return False
        if self.rule is not None:
            return self.rule(user)
        return self.permission is None or user.has_perm(self.permission)


def nav_items_for(user):
    return [
        item
        for config in apps.get_app_configs()
        for item in getattr(config, "nav_items", ())
        if item.visible_to(user)
    ]


@dataclass(frozen=True)
class HeaderLink:
    """A link beside the user's name for the roles in `roles`, with a count. `count` is the
    dotted path of a function returning an expression over a RoleAssignment; it is annotated
    as `name` on the role query every page makes, so the count costs no query of its own."""

    name: str
    label: str
    url_name: str
    roles: frozenset
    count: str


@cache
def _header_links():
    return [
        link for config in apps.get_app_configs() for link in getattr(config, "header_links", ())
    ]


def header_counts():
    """{name: expression} to annotate on the role query (portal.access.assignment_of)."""
    return {link.name: import_string(link.count)() for link in _header_links()}


def header_links_for(assignment):
    """[(link, count)] of the links the assignment's role is shown."""
    if assignment is None:
        return []
    return [
        (link, getattr(assignment, link.name))
        for link in _header_links()
        if assignment.role in link.roles
    ]


def panels_for(page, request, obj):
    panels = []
    for config in apps.get_app_configs():
        for dotted in getattr(config, "panels", {}).get(page, ()):
            panel = import_string(dotted)(request, obj)
            if panel is not None:
                panels.append(panel)
    return panels
