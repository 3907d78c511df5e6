"""Every URL the project serves, requested as every persona, answers as it should.

The URLs come from the resolver, so a new view cannot escape: a pattern that neither the
admin rules below nor PAGES cover fails the test until someone states who may see it.
Objects come from the demo district; "own" is an object the persona's scope covers, "other"
one it does not (another scope's object must answer 404, never 403 or 200).
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from courtyards.models import Community, Courtyard, Street
from portal.access import restrict, scope_of, users_visible_to
from portal.models import RoleAssignment

PERSONAS = {
    "anonymous": None,
    "district_admin": "qu_admin",
    "district_staff": "qu_staff",
    "street_a": "jd_jiangxijie",
    "street_b": "jd_wangjianglu",
    "community": "sq_changshouyuan",
    "inspector": "ducha",
}
LOGIN = "login"  # stands for "redirect to a login page"


@dataclass(frozen=True)
class Page:
    """A non-admin URL: how to fill its arguments and what each persona gets."""

    model: type | None  # the model whose pk fills the URL, if any
    anonymous: object  # status or LOGIN
    role: object  # status for a logged-in persona with a role (own object)
    other: object = 404  # status for an object outside the persona's scope


PAGES = {
    "dashboard": Page(None, LOGIN, 200),
    "login": Page(None, 200, 302),
    "logout": Page(None, 405, 405),
    "public_courtyard": Page(Courtyard, 404, 404, 404),  # nothing published in this matrix yet
    "courtyards:list": Page(None, LOGIN, 200),
    "courtyards:courtyard": Page(Courtyard, LOGIN, 200),
    "courtyards:community": Page(Community, LOGIN, 200),
    "courtyards:street": Page(Street, LOGIN, 200),
}

ADMIN_SITE_PAGES = {
    "admin:index": 200,
    "admin:login": 302,
    "admin:logout": 405,
    "admin:password_change": 200,
    "admin:password_change_done": 200,
    "admin:jsi18n": 200,
    "admin:autocomplete": 403,  # without its parameters
}


def walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(p for p in [namespace, pattern.namespace] if p) or None
            yield from walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


def fill(route, *values):
    """Put values into a route's converters / regex groups, in order."""
    values = iter(values)
    route = re.sub(r"<[^>]+>", lambda _m: str(next(values)), route)
    route = re.sub(r"\^?\(\?P<\w+>[^)]*\)|\(\[\^/\]\+\)", lambda _m: str(next(values)), route)
    return "/" + route.replace("^", "").replace("$", "")


def scoped_objects(model, user):
    """(an object the user's scope covers, one it does not), either possibly None."""
    if model is get_user_model():
        visible = users_visible_to(user)
        everything = model.objects.all()
    elif hasattr(model, "scope_lookups"):
        visible = restrict(model._default_manager.all(), scope_of(user))
        everything = model._default_manager.all()
    else:
        return model._default_manager.first(), None
    own = visible.order_by("pk").first()
    other = everything.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    return own, other


def admin_expectations(model, model_admin, user):
    """What each admin URL of this model should answer this user: from the user's model
    permissions (the groups the data migrations gave their role), not from the admin."""
    opts = model._meta
    can = {
        action: user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "add", "change", "delete")
    }
    reads = 200 if can["view"] or can["change"] else 403
    adds = can["add"] and model is not RoleAssignment  # roles are given on the account page
    return {
        "changelist": reads,
        "add": 200 if adds else 403,
        "change": reads,
        "history": reads,
        "simple_history": reads,
        "delete": 200 if can["delete"] else 403,
        "import": 200 if can["add"] else 403,
        "import_template": 200 if can["add"] else 403,
        "process_import": 405,  # GET is never allowed; the POST check is below
        "export": 200 if can["view"] else 403,
        "password_change": 200 if can["change"] else 403,
    }


def check(client, url, expected, failures, label):
    response = client.get(url)
    status = response.status_code
    if expected == LOGIN:
        ok = status == 302 and "login" in response.get("Location", "")
    else:
        ok = status == expected
    if not ok:
        failures.append(f"{label}: GET {url} answered {status}, expected {expected}")


def object_arguments(obj, action):
    if action == "simple_history":
        return [obj.pk, obj.history.order_by("history_id").first().history_id]
    return [obj.pk]


@pytest.mark.django_db
def test_every_url_answers_each_persona_as_it_should(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise; responses are unaffected
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    users = {p: get_user_model().objects.get(username=u) for p, u in PERSONAS.items() if u}
    clients = {persona: Client() for persona in PERSONAS}
    for persona, user in users.items():
        clients[persona].force_login(user)
    registry = {
        (model._meta.app_label, model._meta.model_name): (model, model_admin)
        for model, model_admin in admin.site._registry.items()
    }
    failures, uncovered = [], []

    for route, name in walk(get_resolver()):
        if name == "admin:view_on_site" or (route.startswith("admin/") and name is None):
            continue  # redirects to the object's page or change page, which apply the scope
        if route.startswith("admin/^(?P<app_label>"):
            continue  # app indexes list only the models a user may see (their URLs below)
        admin_url = re.match(r"admin:(\w+?)_(\w+?)_(\w+)$", name or "")
        known = name in PAGES or name in ADMIN_SITE_PAGES
        if not known and not (admin_url and admin_url.group(1, 2) in registry):
            uncovered.append(f"{name} {route}")
            continue
        for persona, client in clients.items():
            user = users.get(persona)
            label = f"{persona} {name}"
            if name in PAGES:
                page = PAGES[name]
                own, other = None, None
                if page.model is not None:
                    if user is None:
                        own = page.model._default_manager.order_by("pk").first()
                    else:
                        own, other = scoped_objects(page.model, user)
                    if own is None:
                        continue
                expected = page.anonymous if user is None else page.role
                check(client, fill(route, *([own.pk] if own else [])), expected, failures, label)
                if other is not None:
                    check(client, fill(route, other.pk), page.other, failures, f"{label} (other)")
            elif name in ADMIN_SITE_PAGES:
                expected = ADMIN_SITE_PAGES[name]
                if user is None:
                    # the admin's logout sends a visitor to the admin index, which asks to log in
                    expected = {"admin:login": 200, "admin:logout": 302}.get(name, LOGIN)
                check(client, fill(route), expected, failures, label)
            else:
                model, model_admin = registry[admin_url.group(1, 2)]
                action = admin_url.group(3)
                if user is None:
                    check(client, fill(route, 1, 1), LOGIN, failures, label)
                    continue
                expected = admin_expectations(model, model_admin, user).get(action)
                if expected is None:
                    uncovered.append(f"{name} {route}")
                    continue
                if not re.search(r"<path:object_id>|<id>|\(\[\^/\]\+\)", route):
                    check(client, fill(route), expected, failures, label)
                    if (
                        action == "process_import"
                        and admin_expectations(model, model_admin, user)["import"] != 200
                    ):
                        status = client.post(fill(route), {}).status_code
                        if status != 403:
                            failures.append(f"{label}: POST {fill(route)} answered {status}")
                    continue
                own, other = scoped_objects(model, user)
                if own is not None:
                    check(
                        client,
                        fill(route, *object_arguments(own, action)),
                        expected,
                        failures,
                        label,
                    )
                if other is not None:
                    check(
                        client,
                        fill(route, *object_arguments(other, action)),
                        404,
                        failures,
                        f"{label} (other)",
                    )

    assert uncovered == [], "URLs missing from the permission matrix:\n" + "\n".join(
        sorted(set(uncovered))
    )
    assert failures == [], "\n".join(failures)
