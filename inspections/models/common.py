"""Helpers and constants shared by the inspections models."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.access import DISTRICT_ROLES, role_of, scope_of
from portal.roles import Role

# Who may lead a campaign or serve in an inspection group.
INSPECTION_STAFF_ROLES = {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF, Role.INSPECTOR}

SCORE = {"max_digits": 5, "decimal_places": 1}
TOTAL = {"max_digits": 6, "decimal_places": 1}
PERCENT = {"max_digits": 4, "decimal_places": 1}


class Verdict(models.TextChoices):
    COMMEND = "commend", _("Commend")
    PASS = "pass", _("Pass")
    CRITICISE = "criticise", _("Criticise")


def is_district_user(user):
    """District administrators and staff (and superusers): they run the inspections."""
    return scope_of(user).is_everything or role_of(user) in DISTRICT_ROLES


def points(value):
    """A score as people write it: 60, 7.5 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_staff_of(user, district_id):
    """Whether `user` holds a district-level role fit for inspection work in the district."""
    assignment = getattr(user, "role_assignment", None) if user else None
    return bool(
        assignment
        and assignment.role in INSPECTION_STAFF_ROLES
        and assignment.district_id == district_id
    )


def _staff_error():
    return _(
        "Choose a person with the inspector, district staff or district administrator role "
        "in this campaign's district."
    )


def _related_or_none(obj, name):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None
