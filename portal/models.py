import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.access import ScopedQuerySet
from portal.roles import SCOPE_LEVEL, Level, Role


def person_name(user):
    """A person's name in Chinese order (family name first), or the login if unnamed."""
    if user is None:
        return ""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def _roles_at(level):
    return [role for role, role_level in SCOPE_LEVEL.items() if role_level == level]


class RoleAssignment(models.Model):
    """Binds a user to one role and the district, street or community that role covers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_assignment",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "courtyards.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    street = models.ForeignKey(
        "courtyards.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street"),
    )
    community = models.ForeignKey(
        "courtyards.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": ("district", "street__district", "community__street__district"),
        "street": ("street", "community__street"),
        "community": "community",
    }

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="roleassignment_scope_matches_role",
                condition=(
                    Q(
                        role__in=_roles_at(Level.DISTRICT),
                        district__isnull=False,
                        street__isnull=True,
                        community__isnull=True,
                    )
                    | Q(
                        role__in=_roles_at(Level.STREET),
                        district__isnull=True,
                        street__isnull=False,
                        community__isnull=True,
                    )
                    | Q(
                        role__in=_roles_at(Level.COMMUNITY),
                        district__isnull=True,
                        street__isnull=True,
                        community__isnull=False,
                    )
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.scope_unit}"

    @property
    def level(self):
        return SCOPE_LEVEL[self.role]

    @property
    def scope_unit(self):
        """The district, street or community this assignment covers."""
        return getattr(self, SCOPE_LEVEL[self.role])

    def clean(self):
        level = SCOPE_LEVEL.get(self.role)
        if level is None:
            return
        errors = {}
        for unit in (Level.DISTRICT, Level.STREET, Level.COMMUNITY):
            chosen = getattr(self, f"{unit}_id") is not None
            if unit == level and not chosen:
                errors[unit] = _("This role works within one %(unit)s: choose it.") % {
                    "unit": Level(unit).label
                }
            elif unit != level and chosen:
                errors[unit] = _("Leave this empty: this role works within one %(unit)s.") % {
                    "unit": Level(level).label
                }
        if errors:
            raise ValidationError(errors)


class PersonalDataAccess(models.Model):
    """Who saw or exported residents' personal data in bulk, when, and how much (PIPL): a
    list page or a file with phones and addresses in full."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed a list")
        EXPORT = "export", _("Exported a file")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="personal_data_accesses",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    what = models.CharField(_("what"), max_length=120)
    records = models.PositiveIntegerField(_("records"))
    path = models.CharField(_("address"), max_length=300)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        level: tuple(f"user__role_assignment__{lookup}" for lookup in lookups)
        if isinstance(lookups, tuple)
        else f"user__role_assignment__{lookups}"
        for level, lookups in RoleAssignment.scope_lookups.items()
    }

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self):
        return f"{person_name(self.user)} · {self.get_action_display()} · {self.what}"


def export_file_path(job, filename):
    """Files of export jobs live under MEDIA_ROOT/exports/ with random names; media is never
    served as such: only the job's own page hands its file to its requester."""
    return f"exports/{secrets.token_urlsafe(16)}.xlsx"


class ExportJob(models.Model):
    """A long export run by the background worker (portal/exports.py, docs/exports.md): who
    asked, for what and over which scope, how far it has come, and its file once written."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("export status", "Queued")
        RUNNING = "running", pgettext_lazy("export status", "Running")
        DONE = "done", pgettext_lazy("export status", "Done")
        FAILED = "failed", pgettext_lazy("export status", "Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("what"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    scope = models.CharField(_("scope"), max_length=120)
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    sheets_done = models.PositiveIntegerField(_("sheets written"), default=0)
    sheets_total = models.PositiveIntegerField(_("sheets"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=export_file_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("failure"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{person_name(self.user)} · {self.title}"

    def get_absolute_url(self):
        return reverse("export_job", args=[self.pk])

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self):
        """How far the job has come, in percent: by rows when their total is known, else by
        sheets written."""
        if self.status == self.Status.DONE:
            return 100
        if self.rows_total:
            return min(99, self.rows_done * 100 // self.rows_total)
        if self.sheets_total:
            return min(99, self.sheets_done * 100 // self.sheets_total)
        return 0


class KeptFigures(models.Model):
    """One community's figures of one set (the annual report's, the councils' of the day...)
    for one year, as at the report date: kept so that pages add up community rows instead
    of every record of their scope (portal/kept.py, docs/architecture.md).

    `version` is raised by every write that touches the community; the figures are fresh
    while `computed_version` equals it and `as_of` is the year's report date. A derived
    copy: deleted with its community, rebuilt at will (`manage.py rebuild_figures`)."""

    community = models.ForeignKey(
        "courtyards.Community",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("community"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("set of figures"), max_length=40)
    values = models.JSONField(_("figures"), default=dict, encoder=DjangoJSONEncoder)
    as_of = models.DateField(_("as at"), null=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    computed_version = models.IntegerField(_("version computed"), default=-1)
    computed_at = models.DateTimeField(_("computed at"), null=True)

    class Meta:
        verbose_name = _("kept figures")
        verbose_name_plural = _("kept figures")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "name"], name="one_kept_row_a_set_and_year"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.community_id}/{self.year}"
