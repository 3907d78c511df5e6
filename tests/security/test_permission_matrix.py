"""Every URL the project serves, requested as every persona, answers as it should.

The URLs come from the resolver, so a new view cannot escape: a pattern that neither the
admin rules below nor PAGES cover fails the test until someone states who may see it.
Objects come from the demo district; "own" is an object the persona's scope covers, "other"
one it does not (another scope's object must answer 404, never 403 or 200).

Admin URLs are also POSTed to, as every persona, with what a hand-made request would send
(an empty form, a past version's form, a delete confirmation, a bulk action, an import
confirmation): the answer is the permission's, and a POST refused changes nothing. Each POST
runs in a savepoint rolled back afterwards, so the superuser's deletes leave the demo whole.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from courtyards.models import Community, Courtyard, Street
from funds.models import Allocation, Expenditure, Income, OwnExpenditure, Project
from portal.access import may_use_back_office, users_visible_to
from portal.access import visible as visible_to
from portal.models import ExportJob
from reminders.models import Reminder

PERSONAS = {
    "anonymous": None,
    "district_admin": "qu_admin",
    "district_staff": "qu_staff",
    "street_a": "jd_jiangxijie",
    "street_b": "jd_wangjianglu",
    "community": "sq_changshouyuan",
    "inspector": "ducha",
    "superuser": "admin",
}
LOGIN = "login"  # stands for "redirect to a login page"


@dataclass(frozen=True)
class Page:
    """A non-admin URL: which records fill its argument and what each persona gets."""

    objects: object = None  # a model, or a function returning the queryset to pick from
    anonymous: object = LOGIN  # a status, or LOGIN
    role: object = 200  # a status for every persona with a role, or {persona: status}
    public: bool = False  # the same for everyone: no "another scope" to check

    def queryset(self):
        return (
            self.objects()
            if callable(self.objects) and not isinstance(self.objects, type)
            else self.objects._default_manager.all()
        )

    def expected(self, persona):
        if persona == "anonymous":
            return self.anonymous
        return self.role.get(persona, 200) if isinstance(self.role, dict) else self.role


RECORDS_IN_COMMUNITY = {p: 403 for p in PERSONAS} | {"community": 200, "superuser": 200}
ONLY_THE_SUPERUSER = {p: 404 for p in PERSONAS} | {"superuser": 200}


def superusers_export():
    """A written export the system administrator asked for: nobody else may open it."""
    job = ExportJob.objects.filter(user__username="admin", status=ExportJob.Status.DONE).first()
    if job is None:
        job = ExportJob(
            user=get_user_model().objects.get(username="admin"),
            kind="annual_workbook",
            title="2026年度报告工作簿",
            scope="全部",
            status=ExportJob.Status.DONE,
            filename="2026年度报告.xlsx",
        )
        job.file.save("matrix.xlsx", ContentFile(b"PK"), save=False)
        job.save()
    return ExportJob.objects.filter(pk=job.pk)


def superusers_reminder():
    """A reminder of the system administrator: nobody else may open it."""
    admin = get_user_model().objects.get(username="admin")
    reminder, _created = Reminder.objects.get_or_create(
        user=admin,
        kind=Reminder.Kind.CONCERN_DUE,
        object_id=1,
        defaults={"subject": "2026-浆洗街-0001", "path": "/", "due_on": "2026-12-01"},
    )
    return Reminder.objects.filter(pk=reminder.pk)


PAGES = {
    "dashboard": Page(),
    "login": Page(anonymous=200, role=302),
    "logout": Page(anonymous=405, role=405),
    "public_courtyard": Page(
        lambda: Courtyard.objects.filter(fund_allocations__isnull=False).distinct(),
        anonymous=200,
        public=True,
    ),
    "public_community": Page(
        lambda: Community.objects.filter(
            pk__in=Allocation.objects.filter(courtyard__isnull=True).values("community")
        ),
        anonymous=200,
        public=True,
    ),
    "courtyards:list": Page(),
    # the portal's import pages (portal/imports.py): the model's add permission
    "courtyards:courtyard_import": Page(role={"inspector": 403}),
    "courtyards:courtyard_import_template": Page(role={"inspector": 403}),
    "funds:expenditure_import": Page(role=RECORDS_IN_COMMUNITY),
    "funds:expenditure_import_template": Page(role=RECORDS_IN_COMMUNITY),
    "funds:income_import": Page(role=RECORDS_IN_COMMUNITY),
    "funds:income_import_template": Page(role=RECORDS_IN_COMMUNITY),
    "courtyards:courtyard": Page(Courtyard),
    # courtyards.add_courtyard / change_courtyard: every role but the inspectors
    "courtyards:courtyard_add": Page(role={"inspector": 403}),
    "courtyards:courtyard_edit": Page(Courtyard, role={"inspector": 403}),
    "courtyards:community": Page(Community),
    "courtyards:street": Page(Street),
    "annual_report": Page(role={"community": 403, "inspector": 403}),
    "health": Page(anonymous=200, public=True),
    "favicon": Page(anonymous=301, role=301, public=True),  # to the portal's icon
    "funds:report": Page(),
    "funds:street": Page(Street),
    "funds:community": Page(Community),
    "funds:courtyard": Page(Courtyard),
    "funds:community_fund": Page(Community),
    "funds:community_spend": Page(Community, role=RECORDS_IN_COMMUNITY),
    "funds:community_project_add": Page(Community, role=RECORDS_IN_COMMUNITY),
    "funds:projects": Page(),
    "funds:project": Page(Project),
    "funds:expenditure": Page(Expenditure),
    "funds:receipt": Page(lambda: Expenditure.objects.exclude(receipt="")),
    "funds:spend": Page(Courtyard, role=RECORDS_IN_COMMUNITY),
    "funds:income_add": Page(Courtyard, role=RECORDS_IN_COMMUNITY),
    "funds:project_add": Page(Courtyard, role=RECORDS_IN_COMMUNITY),
    "funds:project_edit": Page(
        lambda: Project.objects.filter(status__in=["planned", "in_progress"]),
        role=RECORDS_IN_COMMUNITY,
    ),
    "funds:expenditure_reverse": Page(
        lambda: Expenditure.objects.filter(reverses__isnull=True, reversed_by__isnull=True),
        role=RECORDS_IN_COMMUNITY,
    ),
    "funds:income_reverse": Page(
        lambda: Income.objects.filter(reverses__isnull=True, reversed_by__isnull=True),
        role=RECORDS_IN_COMMUNITY,
    ),
    "funds:own_money": Page(Courtyard),
    "funds:own_spend": Page(Courtyard, role=RECORDS_IN_COMMUNITY),
    "funds:own_reverse": Page(
        lambda: OwnExpenditure.objects.filter(reverses__isnull=True, reversed_by__isnull=True),
        role=RECORDS_IN_COMMUNITY,
    ),
    "funds:own_receipt": Page(lambda: OwnExpenditure.objects.exclude(receipt="")),
    "funds:generate": Page(
        role={p: 403 for p in PERSONAS} | {"district_admin": 200, "superuser": 200}
    ),
    "funds:allocations": Page(),
    # recorded by the district and the streets (funds.add_allocation, change_allocation)
    "funds:allocation_add": Page(role={"community": 403, "inspector": 403}),
    "funds:allocation_import": Page(role={"community": 403, "inspector": 403}),
    "funds:allocation_import_template": Page(role={"community": 403, "inspector": 403}),
    # street money, which street staff correct too (funds.correct_allocation)
    "funds:allocation_edit": Page(
        lambda: Allocation.objects.filter(source="street"),
        role={"community": 403, "inspector": 403},
    ),
    # 我的导出: everyone's own list; a job and its file only for the one who asked
    "export_list": Page(),
    "export_job": Page(lambda: superusers_export(), role=ONLY_THE_SUPERUSER),
    "export_file": Page(lambda: superusers_export(), role=ONLY_THE_SUPERUSER),
    # 提醒: everyone's own inbox; a reminder opens (and goes to its page) only for its user
    "reminders:inbox": Page(),
    "reminders:open": Page(
        lambda: superusers_reminder(), role={p: 404 for p in PERSONAS} | {"superuser": 302}
    ),
    "reminders:read_all": Page(role=405),
}

# Apps whose pages depend on more than geography (inspection groups, publication, the
# state of an organisation) keep a matrix of their own over a purpose-built world, with the
# same personas; each delegated URL name must be requested there.
DELEGATED = {
    "councils": "tests/councils/test_permission_matrix.py",
    "inspections": "tests/inspections/test_permission_matrix.py",
    "concerns": "tests/concerns/test_permission_matrix.py",
    "notices": "tests/notices/test_permission_matrix.py",
    "assessments": "tests/assessments/test_permission_matrix.py",
    "commendations": "tests/commendations/test_permission_matrix.py",
}


def delegated_names():
    root = Path(__file__).resolve().parents[2]
    names = set()
    for path in DELEGATED.values():
        names |= set(re.findall(r'"(\w+:\w+)"', (root / path).read_text(encoding="utf-8")))
    return names


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


SCOPED = {}  # (model, user) -> (own, other): a model's pair is asked for on each of its URLs


def scoped_objects(everything, user):
    """From a queryset (or model): (an object the user's scope covers, one it does not),
    either possibly None."""
    if isinstance(everything, type):
        key = (everything, user.pk)
        if key not in SCOPED:
            SCOPED[key] = _scoped_objects(everything, user)
        return SCOPED[key]
    return _scoped_objects(everything, user)


def _scoped_objects(everything, user):
    if isinstance(everything, type):
        everything = everything._default_manager.all()
    model = everything.model
    if model is get_user_model():
        visible = users_visible_to(user).filter(pk__in=everything.values("pk"))
    elif hasattr(model, "scope_lookups"):
        visible = visible_to(everything, user)
    else:
        return everything.order_by("pk").first(), None
    own = visible.order_by("pk").first()
    other = everything.exclude(pk__in=visible.values("pk")).order_by("pk").first()
    return own, other


def admin_expectations(model, model_admin, user):
    """What each admin URL of this model should answer this user: from the user's model
    permissions (the groups the data migrations gave their role); whether a screen offers
    adding, Excel import or export at all is the admin's own choice."""
    request = RequestFactory().get("/")
    request.user = user
    offers = {
        action: getattr(model_admin, f"has_{action}_permission", lambda _request: False)(request)
        for action in ("add", "import", "export", "delete")
    }
    opts = model._meta
    can = {
        action: user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "add", "change", "delete")
    }
    reads = 200 if can["view"] or can["change"] else 403
    imports = can["add"] and offers["import"]
    may_change = getattr(model_admin, "has_change_permission", lambda *_args: False)
    return {
        # the group's permission, and the screen's rule for the record (a closed campaign)
        "can_change": lambda obj: can["change"] and may_change(request, obj),
        "changelist": reads,
        "add": 200 if can["add"] and offers["add"] else 403,
        "change": reads,
        "history": reads,
        "simple_history": reads,
        "delete": 200 if can["delete"] and offers["delete"] else 403,
        "import": 200 if imports else 403,
        "import_template": 200 if imports else 403,
        "process_import": 405,  # GET is never allowed; the POST check is below
        "export": 200 if can["view"] and offers["export"] else 403,
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


def attach_receipts(settings):
    """Records the demo does not make but some URLs need: a receipt scan in each community."""
    import tempfile

    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    for community in Community.objects.all():
        expenditure = Expenditure.objects.filter(courtyard__community=community).first()
        if expenditure is not None:
            expenditure.receipt.save("收据.pdf", ContentFile(b"%PDF-1.7 receipt"), save=True)
        spending = OwnExpenditure.objects.filter(courtyard__community=community).first()
        if spending is not None:
            spending.receipt.save("收据.pdf", ContentFile(b"%PDF-1.7 receipt"), save=True)


def object_arguments(obj, action):
    if action == "simple_history":
        return [obj.pk, obj.history.order_by("history_id").first().history_id]
    return [obj.pk]


@dataclass(frozen=True)
class Post:
    """What a hand-made POST to an admin URL sends, and the statuses that may answer it
    (None: any but a server error). `changes` says the POST may change the record (a
    permitted save, the superuser's delete); otherwise the record must stay exactly as it
    was."""

    data: dict
    expected: object = None
    changes: bool = False


def refused_unless(allowed, data, permitted_statuses=(200, 302)):
    return Post(data, permitted_statuses if allowed else 403, changes=allowed)


def _version_form(model, obj, expectations):
    """A past version's form, POSTed back: a revert. Never saves, for any role."""
    if obj is None:
        return Post({}, (403, 404))
    fields = {
        f.attname: "" if getattr(obj, f.attname) is None else str(getattr(obj, f.attname))
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key
    }
    return Post(fields, 403)


def _action(model, obj, expectations):
    """The bulk delete action, confirmed, on the persona's own record."""
    data = {"action": "delete_selected", "_selected_action": [obj.pk] if obj else [], "post": "yes"}
    allowed = expectations["delete"] == 200
    return Post(data, (200, 302) if expectations["changelist"] == 200 else 403, changes=allowed)


POSTS = {
    "changelist": _action,
    "add": lambda m, o, e: refused_unless(e["add"] == 200, {}, (200,)),
    "change": lambda m, o, e: refused_unless(e["can_change"](o), {}),
    "history": lambda m, o, e: Post({}, e["history"]),
    "simple_history": _version_form,
    "delete": lambda m, o, e: refused_unless(e["delete"] == 200, {"post": "yes"}),
    "import": lambda m, o, e: refused_unless(e["import"] == 200, {}, (200,)),
    "process_import": lambda m, o, e: refused_unless(
        e["import"] == 200,
        {"import_file_name": "../../etc/passwd", "original_file_name": "x.xlsx", "format": "0"},
        (200, 302, 400),
    ),
    "import_template": lambda m, o, e: Post({}, e["import_template"]),
    "export": lambda m, o, e: refused_unless(  # one record: the permission is the point
        e["export"] == 200,
        {"format": "0", "resource": "0", "export_items": [o.pk] if o else []},
        (200,),
    ),
    "password_change": lambda m, o, e: refused_unless(e["password_change"] == 200, {}, (200,)),
}


def snapshot(model, obj):
    if obj is None:
        return model._default_manager.count()
    row = list(model._default_manager.filter(pk=obj.pk).values())
    history = obj.history.count() if hasattr(obj, "history") else None
    return model._default_manager.count(), row, history


def check_post(client, url, post, model, obj, failures, label):
    before = snapshot(model, obj)
    savepoint = transaction.savepoint()
    try:
        response = client.post(url, post.data)
        after = snapshot(model, obj)
    except Exception as error:  # a server error: name it and go on with the others
        failures.append(f"{label}: POST {url} raised {error!r}")
        return
    finally:
        transaction.savepoint_rollback(savepoint)
    status = response.status_code
    expected = post.expected
    statuses = expected if isinstance(expected, tuple) else (expected,)
    if status >= 500 or (expected is not None and status not in statuses):
        failures.append(f"{label}: POST {url} answered {status}, expected {expected}")
    if not post.changes and after != before:
        failures.append(f"{label}: POST {url} answered {status} and changed the record")


def check_outside_back_office(client, user, route, name, registry, failures, label):
    """A signed-in role without the back office (portal.access.may_use_back_office): every
    admin address answers 403, the login page included, and a POST changes nothing."""
    if name in ADMIN_SITE_PAGES:
        check(client, fill(route), 403, failures, label)
        return
    model, model_admin = registry[re.match(r"admin:(\w+?)_(\w+?)_(\w+)$", name).group(1, 2)]
    action = re.match(r"admin:(\w+?)_(\w+?)_(\w+)$", name).group(3)
    expectations = admin_expectations(model, model_admin, user)
    if action not in POSTS:
        check(client, fill(route, 1, 1), 403, failures, label)
        return
    own, _other = scoped_objects(model, user)
    if re.search(r"<path:object_id>|<id>|\(\[\^/\]\+\)", route):
        url = fill(route, *object_arguments(own, action)) if own is not None else fill(route, 1, 1)
    else:
        url = fill(route)
    check(client, url, 403, failures, label)
    post = POSTS[action](model, own, expectations)
    check_post(client, url, Post(post.data, 403), model, own, failures, label)


def check_view_on_site(client, user, registry, failures, persona):
    """/admin/r/<content type>/<id>/: the record's page for one the persona may see in the
    admin, 404 for one outside the scope exactly as for a missing one."""
    for model, model_admin in registry.values():
        if not hasattr(model, "get_absolute_url"):
            continue
        ct = ContentType.objects.get_for_model(model).pk
        missing = reverse("admin:view_on_site", args=[ct, 10**9])
        if user is None:
            check(client, missing, LOGIN, failures, f"{persona} view_on_site")
            continue
        if not may_use_back_office(user):  # no back office: 403, whatever the record
            own, _other = scoped_objects(model, user)
            url = reverse("admin:view_on_site", args=[ct, own.pk if own else 10**9])
            check(client, url, 403, failures, f"{persona} view_on_site (no back office)")
            continue
        check(client, missing, 404, failures, f"{persona} view_on_site (missing)")
        own, other = scoped_objects(model, user)
        reads = admin_expectations(model, model_admin, user)["changelist"] == 200
        if own is not None:
            url = reverse("admin:view_on_site", args=[ct, own.pk])
            check(client, url, 302 if reads else 404, failures, f"{persona} view_on_site")
        if other is not None:
            url = reverse("admin:view_on_site", args=[ct, other.pk])
            check(client, url, 404, failures, f"{persona} view_on_site (other)")


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore:The 'get_valid_export_item_pks:DeprecationWarning")
def test_every_url_answers_each_persona_as_it_should(settings):
    SCOPED.clear()
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
    failures, uncovered, missing = [], [], []
    delegated = delegated_names()
    attach_receipts(settings)

    for route, name in walk(get_resolver()):
        if name == "admin:view_on_site":
            for persona, client in clients.items():
                check_view_on_site(client, users.get(persona), registry, failures, persona)
            continue
        if route.startswith("admin/") and name is None:
            continue  # redirects to the object's change page, which applies the scope
        if route.startswith("admin/^(?P<app_label>"):
            continue  # app indexes list only the models a user may see (their URLs below)
        if name and name.split(":")[0] in DELEGATED:
            if name not in delegated:
                uncovered.append(f"{name} {route} (not in {DELEGATED[name.split(':')[0]]})")
            continue
        admin_url = re.match(r"admin:(\w+?)_(\w+?)_(\w+)$", name or "")
        known = name in PAGES or name in ADMIN_SITE_PAGES
        if not known and not (admin_url and admin_url.group(1, 2) in registry):
            uncovered.append(f"{name} {route}")
            continue
        for persona, client in clients.items():
            user = users.get(persona)
            label = f"{persona} {name}"
            if name not in PAGES and user is not None and not may_use_back_office(user):
                check_outside_back_office(client, user, route, name, registry, failures, label)
                continue
            if name in PAGES:
                page = PAGES[name]
                expected = page.expected(persona)
                own, other = None, None
                if page.objects is not None:
                    if user is None or page.public:
                        own = page.queryset().order_by("pk").first()
                    else:
                        own, other = scoped_objects(page.queryset(), user)
                    if own is None:
                        missing.append(f"{name}: no record for {persona}")
                        continue
                check(client, fill(route, *([own.pk] if own else [])), expected, failures, label)
                if other is not None:
                    other_expected = 403 if expected == 403 else 404
                    check(
                        client, fill(route, other.pk), other_expected, failures, f"{label} (other)"
                    )
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
                    response = client.post(fill(route, 1, 1), {"post": "yes"})
                    if response.status_code != 302 or "login" not in response["Location"]:
                        failures.append(f"{label}: POST answered {response.status_code}")
                    continue
                expectations = admin_expectations(model, model_admin, user)
                expected = expectations.get(action)
                if expected is None:
                    uncovered.append(f"{name} {route}")
                    continue
                if not re.search(r"<path:object_id>|<id>|\(\[\^/\]\+\)", route):
                    check(client, fill(route), expected, failures, label)
                    own, _other = scoped_objects(model, user)
                    post = POSTS[action](model, own, expectations)
                    check_post(client, fill(route), post, model, own, failures, label)
                    continue
                own, other = scoped_objects(model, user)
                if own is not None:
                    url = fill(route, *object_arguments(own, action))
                    check(client, url, expected, failures, label)
                    post = POSTS[action](model, own, expectations)
                    check_post(client, url, post, model, own, failures, label)
                if other is not None:
                    url = fill(route, *object_arguments(other, action))
                    check(client, url, 404, failures, f"{label} (other)")
                    post = Post(POSTS[action](model, other, expectations).data, 404)
                    check_post(client, url, post, model, other, failures, f"{label} (other)")

    assert uncovered == [], "URLs missing from the permission matrix:\n" + "\n".join(
        sorted(set(uncovered))
    )
    assert failures == [], "\n".join(failures)
    assert missing == [], "records the matrix needs but the demo lacks:\n" + "\n".join(missing)
