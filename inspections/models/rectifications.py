"""Rectifications of problems found on a visit, and their progress notes."""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from courtyards.models import Community
from inspections.models.groups import groups_of
from inspections.models.visits import Inspection
from portal.access import RoleScopedQuerySet, ScopedQuerySet
from portal.uploads import upload_path, validate_attachment


class RectificationQuerySet(RoleScopedQuerySet):
    def for_inspector(self, user):
        return self.filter(inspection__assignment__group__in=groups_of(user))

    def for_local(self, user):
        return self  # the responsible community and its street act on it at once

    def unfinished(self):
        """Not yet verified as rectified."""
        return self.exclude(status=Rectification.Status.VERIFIED)

    def overdue_condition(self, prefix=""):
        """Q for "overdue" as of today: still open or in progress past its deadline."""
        return Q(
            **{
                f"{prefix}status__in": Rectification.LATE_STATUSES,
                f"{prefix}deadline__lt": timezone.localdate(),
            }
        )

    def overdue(self):
        return self.filter(self.overdue_condition())

    def with_overdue(self):
        """Annotates `is_overdue`, computed from today's date by the database."""
        return self.annotate(
            is_overdue=Case(
                When(self.overdue_condition(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )


class Rectification(models.Model):
    """A problem found in a visit, to be rectified (整改) by the responsible community by a
    deadline. The community reports progress; an inspector verifies and closes it.
    Overdue is never stored: it follows the calendar (see `with_overdue`)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("rectification status", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("rectification status", "In progress")
        DONE = "done", _("Reported done")
        VERIFIED = "verified", _("Verified")

    # Statuses in which a passed deadline makes the item overdue: the community still owes
    # the work. "Reported done" waits on the inspectors, not on the community.
    LATE_STATUSES = [Status.OPEN, Status.IN_PROGRESS]

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("visit"),
    )
    problem = models.TextField(_("problem"))
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="inspection_rectifications",
        verbose_name=_("responsible community"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RectificationQuerySet.as_manager()
    scope_lookups = {
        "district": "community__street__district",
        "street": "community__street",
        "community": "community",
    }

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        permissions = [("verify_rectification", _("Can verify a rectification"))]
        constraints = [
            models.CheckConstraint(
                name="rectification_verified_has_who_and_when",
                condition=Q(status="verified", verified_by__isnull=False, verified_on__isnull=False)
                | ~Q(status="verified") & Q(verified_by__isnull=True, verified_on__isnull=True),
                violation_error_message=_(
                    "A verified rectification records who verified it and when, and only it does."
                ),
            )
        ]
        indexes = [models.Index(fields=["community", "status", "deadline"])]

    def __str__(self):
        return self.problem[:40]

    def get_absolute_url(self):
        return reverse("inspections:rectification", args=[self.pk])

    def overdue_on(self, day):
        """Whether the item is overdue on `day`: the Python twin of
        RectificationQuerySet.overdue_condition (querysets annotate `is_overdue` instead)."""
        return self.status in self.LATE_STATUSES and self.deadline < day


class NoteQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(rectification__in=Rectification.objects.visible_to(user).values("pk"))


class ProgressNote(models.Model):
    """One entry of a rectification's timeline: progress or completion reported by the
    community, or the inspectors' verification (accepted or sent back)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        DONE = "done", _("Reported done")
        RETURNED = "returned", _("Sent back")
        VERIFIED = "verified", _("Verified")

    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.PROTECT,
        related_name="notes",
        verbose_name=_("rectification"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("note"))
    evidence = models.FileField(
        _("evidence"),
        upload_to=upload_path,
        validators=[validate_attachment],
        blank=True,
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = NoteQuerySet.as_manager()
    scope_lookups = {
        "district": "rectification__community__street__district",
        "street": "rectification__community__street",
        "community": "rectification__community",
    }

    class Meta:
        verbose_name = _("rectification note")
        verbose_name_plural = _("rectification notes")
        ordering = ["rectification", "noted_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.noted_on:%Y-%m-%d}"
