"""Visits (inspections) with their scores and photos."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inspections.models.assignments import Assignment
from inspections.models.campaigns import CampaignItem
from inspections.models.common import SCORE, TOTAL, Verdict
from inspections.models.groups import groups_of
from portal.access import RoleScopedQuerySet, ScopedQuerySet
from portal.uploads import upload_path, validate_attachment


class InspectionQuerySet(RoleScopedQuerySet):
    def for_inspector(self, user):
        return self.filter(assignment__group__in=groups_of(user))

    def for_local(self, user):
        return self.filter(assignment__campaign__results_published_on__isnull=False)

    def current(self):
        """The visit that counts for each target: its latest (a re-inspection supersedes
        the visits before it; those stay on record)."""
        later = Inspection.objects.filter(
            assignment=models.OuterRef("assignment"), pk__gt=models.OuterRef("pk")
        )
        return self.filter(~models.Exists(later))


class Inspection(models.Model):
    """A visit (督查记录) of one target: a score per item, the total and suggested verdict
    (computed by services.py), the final verdict, findings and photos."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspection target"),
    )
    visited_on = models.DateField(_("visited on"))
    is_reinspection = models.BooleanField(
        _("re-inspection"),
        default=False,
        help_text=_("A target is visited once per campaign unless a re-inspection is marked."),
    )
    reinspection_reason = models.CharField(
        _("reason for re-inspection"), max_length=200, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    total = models.DecimalField(_("total score"), **TOTAL)
    max_total = models.DecimalField(_("full marks"), **TOTAL)
    suggested_verdict = models.CharField(
        _("suggested verdict"), max_length=16, choices=Verdict.choices
    )
    final_verdict = models.CharField(_("final verdict"), max_length=16, choices=Verdict.choices)
    verdict_reason = models.TextField(
        _("reason for the final verdict"),
        blank=True,
        help_text=_("Required when the final verdict differs from the suggested one."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = InspectionQuerySet.as_manager()
    scope_lookups = {
        "district": "assignment__campaign__district",
        "street": "assignment__community__street",
        "community": "assignment__community",
    }

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(is_reinspection=False),
                name="inspection_one_first_visit_per_target",
                violation_error_message=_(
                    "This target has already been visited in this campaign; mark a re-inspection."
                ),
            ),
            models.CheckConstraint(
                name="inspection_reinspection_has_reason",
                condition=Q(is_reinspection=False) | ~Q(reinspection_reason=""),
                violation_error_message=_("A re-inspection needs its reason."),
            ),
            models.CheckConstraint(
                name="inspection_total_within_full_marks",
                condition=Q(max_total__gt=0) & Q(total__gte=0) & Q(total__lte=F("max_total")),
                violation_error_message=_("The total must lie between zero and full marks."),
            ),
            models.CheckConstraint(
                name="inspection_overruled_verdict_has_reason",
                condition=Q(final_verdict=F("suggested_verdict")) | ~Q(verdict_reason=""),
                violation_error_message=_(
                    "A final verdict that differs from the suggested one needs a reason."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "visited_on"]),
            models.Index(fields=["visited_on", "id"]),  # the listed order
        ]

    def __str__(self):
        return f"{self.assignment.target_name} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("inspections:visit", args=[self.pk])

    def clean(self):
        if (
            self.final_verdict
            and self.suggested_verdict
            and self.final_verdict != self.suggested_verdict
            and not self.verdict_reason.strip()
        ):
            raise ValidationError({"verdict_reason": verdict_reason_error(self.suggested_verdict)})

    @property
    def rate(self):
        """The total as a percentage of full marks."""
        return 100 * self.total / self.max_total if self.max_total else 0

    @property
    def is_overruled(self):
        return self.final_verdict != self.suggested_verdict


def verdict_reason_error(suggested):
    return _("The suggested verdict is “%(suggested)s”: say why the final verdict differs.") % {
        "suggested": Verdict(suggested).label
    }


class ScoreQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(inspection__in=Inspection.objects.visible_to(user).values("pk"))


class Score(models.Model):
    """One item's score in a visit. The item's maximum is copied onto the row so that the
    database itself checks 0 ≤ score ≤ maximum."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="scores", verbose_name=_("visit")
    )
    item = models.ForeignKey(
        CampaignItem, on_delete=models.PROTECT, related_name="scores", verbose_name=_("item")
    )
    score = models.DecimalField(_("score"), **SCORE)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    remark = models.CharField(_("remark"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScoreQuerySet.as_manager()
    scope_lookups = {
        "district": "inspection__assignment__campaign__district",
        "street": "inspection__assignment__community__street",
        "community": "inspection__assignment__community",
    }

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["inspection", "item__area__position", "item__position", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"],
                name="score_once_per_item",
                violation_error_message=_("This item already has a score in this visit."),
            ),
            models.CheckConstraint(
                name="score_within_bounds",
                condition=Q(score__gte=0) & Q(score__lte=F("max_score")),
                violation_error_message=_("A score lies between zero and the item's maximum."),
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.score}"


class PhotoQuerySet(ScoreQuerySet):
    pass


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="photos", verbose_name=_("visit")
    )
    file = models.FileField(_("file"), upload_to=upload_path, validators=[validate_attachment])
    original_name = models.CharField(_("file name"), max_length=255)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = PhotoQuerySet.as_manager()
    scope_lookups = Score.scope_lookups

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["inspection", "pk"]

    def __str__(self):
        return self.caption or self.original_name

    def get_absolute_url(self):
        return reverse("inspections:photo", args=[self.pk])
