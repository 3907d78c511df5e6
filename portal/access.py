"""Who may see what: the one place that narrows every queryset reaching a user.

A user's scope is the district, street or community their role covers (superusers see
everything, anonymous and unassigned users nothing). Each scoped model declares
`scope_lookups`: for each level, the lookup (or a tuple of lookups, any of which may
match) from the model to that level's primary key.
Views, admin screens, reports and exports call `visible_to(user)` or `get_visible_or_404`
and never filter by scope themselves.
"""

from dataclasses import dataclass

import rules
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404

from portal.roles import Level, Role


@dataclass(frozen=True)
class Scope:
    level: str
    pk: int | None = None

    @property
    def is_everything(self):
        return self.level == Level.ALL


EVERYTHING = Scope(Level.ALL)
NOTHING = Scope(Level.NONE)


def assignment_of(user):
    """The user's RoleAssignment or None, fetched once per request-bound user object."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_portal_assignment"):
        from portal.models import RoleAssignment
        from portal.navigation import header_counts

        user._portal_assignment = (
            RoleAssignment.objects.select_related(
                "district", "street__district", "community__street"
            )
            .annotate(**header_counts())
            .filter(user=user)
            .first()
        )
    return user._portal_assignment


def everyone():
    """A user who sees every record, never saved: for figures kept for every community."""
    from django.contrib.auth import get_user_model

    return get_user_model()(is_superuser=True, is_active=True)


def role_of(user):
    assignment = assignment_of(user)
    return Role(assignment.role) if assignment else None


def scope_of(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    assignment = assignment_of(user)
    if assignment is None:
        return NOTHING
    return Scope(assignment.level, getattr(assignment, f"{assignment.level}_id"))


def restrict(queryset, scope):
    """Narrow a queryset of a scoped model to what `scope` covers."""
    if scope.level == Level.ALL:
        return queryset
    lookups = queryset.model.scope_lookups.get(scope.level) if scope.level != Level.NONE else None
    if lookups is None:
        return queryset.none()
    if isinstance(lookups, str):
        lookups = (lookups,)
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{lookup: scope.pk})
    return queryset.filter(condition)


def users_visible_to(user):
    """Accounts a user may manage: those whose role lies within the user's scope."""
    from django.contrib.auth import get_user_model

    from portal.models import RoleAssignment

    users = get_user_model()._default_manager.all()
    if scope_of(user).is_everything:
        return users
    return users.filter(role_assignment__in=RoleAssignment.objects.visible_to(user))


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What the user may see: the geographic scope. A model whose rule is more than
        geography (inspection groups, publication) overrides this, starting from super()."""
        return restrict(self, scope_of(user))


# District roles see their whole scope of records whose rule is more than geography.
DISTRICT_ROLES = {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF}
LOCAL_ROLES = {Role.STREET_STAFF, Role.COMMUNITY_MEMBER}


class RoleScopedQuerySet(ScopedQuerySet):
    """A scoped queryset whose visibility also depends on the role. portal.access decides:
    geography first, then district roles (and superusers) see their whole scope, inspectors
    and local staff (street staff, community members) what the model's queryset narrows to
    with `for_inspector` and `for_local`, anyone else nothing. A model's queryset only
    supplies that narrowing for inspectors and for local staff."""

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if scope_of(user).is_everything:
            return queryset
        role = role_of(user)
        if role in DISTRICT_ROLES:
            return queryset
        if role == Role.INSPECTOR:
            return queryset.for_inspector(user)
        if role in LOCAL_ROLES:
            return queryset.for_local(user)
        return queryset.none()

    def for_inspector(self, user):
        return self.none()

    def for_local(self, user):
        return self.none()


def holds(permission):
    """A django-rules predicate: the user's role carries this model permission. Object
    rules (<app>/rules.py) start from it, so one name answers "may this user do this with
    this record"."""
    return rules.predicate(lambda user: user.has_perm(permission), name=f"holds {permission}")


def visible(queryset, user):
    """The part of any queryset the user may see, by its model's own rule."""
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return restrict(queryset, scope_of(user))


def with_openable(queryset, user):
    """Marks each record `openable`: whether the user may open its page. A page can name
    records outside the user's scope (the other streets a research visit went to); those
    are named, not linked."""
    shown = visible(queryset.model._default_manager.all(), user)
    return queryset.annotate(openable=Exists(shown.filter(pk=OuterRef("pk"))))


def get_visible_or_404(queryset, user, **lookup):
    """The object matching `lookup` if the user may see it; 404 otherwise, so that another
    scope's records are indistinguishable from records that do not exist."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return visible(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError):
        raise Http404 from None


def scope_label(user):
    """Names what the user's scope covers, for page headers and exported files."""
    from django.utils.translation import gettext as _

    scope = scope_of(user)
    if scope.is_everything:
        return _("All districts")
    if scope.level == Level.NONE:
        return _("No scope")
    return str(assignment_of(user).scope_unit)


# Residents' phone numbers and addresses (PIPL): shown in full, in pages, admin and exports,
# only to the roles that work with the people concerned; everyone else sees them masked.
PERSONAL_DATA_ROLES = {Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_MEMBER}


def may_see_personal_data(user):
    return scope_of(user).is_everything or role_of(user) in PERSONAL_DATA_ROLES


def personal_fields(model):
    """The fields of `model` that hold personal data (its `personal_fields`): masked for the
    users `may_see_personal_data` refuses, and never a way for them to filter, search or
    sort its rows."""
    return frozenset(getattr(model, "personal_fields", ()))


def touches_personal_data(model, path):
    """Whether a lookup path (`phone__startswith`, `person__building`, `-payee`) reads a
    personal field of `model` or of a model it reaches through relations."""
    for part in str(path).lstrip("-").split(LOOKUP_SEP):
        if part in personal_fields(model):
            return True
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup or transform: the path ends here
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


def mask_phone(phone):
    """138****1234: the first three and last four digits of a mobile number stay."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if len(digits) < 7:
        return "****" if digits else ""
    return f"{digits[:3]}****{digits[-4:]}"


def mask_address(address):
    """锦里路12号3栋2单元 → 锦里路**号*栋*单元: the numbers and letters that locate a home
    are hidden, the words that say what kind of place it is stay."""
    return "".join(
        "*" if ch.isdigit() or (ch.isascii() and ch.isalpha()) else ch for ch in str(address or "")
    )


# The annual report and its workbook: the bureau's and the streets' offices.
ANNUAL_REPORT_ROLES = {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF, Role.STREET_STAFF}


def may_read_annual_report(user):
    return scope_of(user).is_everything or role_of(user) in ANNUAL_REPORT_ROLES


# The back office (the admin at /admin/): district administrators, and the district's and
# streets' staff, who still have records only the admin edits or imports (docs/backoffice.md).
# Community members and inspectors do all their work in the portal's pages.
BACK_OFFICE_ROLES = {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF, Role.STREET_STAFF}


def may_use_back_office(user):
    """Whether the user may enter the admin. The one place that decides: the admin site asks
    it, templates read it from the context processor, and `is_staff` is kept equal to it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or role_of(user) in BACK_OFFICE_ROLES


def record_personal_data_access(request, *, action, what, records):
    """Keep a line in the audit of bulk personal data access, when the user was shown phones
    and addresses in full (those who see them masked leave no line)."""
    from portal.models import PersonalDataAccess

    if not may_see_personal_data(request.user):
        return
    PersonalDataAccess.objects.create(
        user=request.user,
        action=action,
        what=str(what)[:120],
        records=records,
        path=request.get_full_path()[:300],
    )
