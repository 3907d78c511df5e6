"""Criteria templates: the areas and items a campaign scores, kept for reuse."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from courtyards.models import District
from inspections.models.common import SCORE
from portal.access import RoleScopedQuerySet


class CriteriaQuerySet(RoleScopedQuerySet):
    def for_inspector(self, user):
        return self


class CriteriaTemplate(models.Model):
    """A reusable set of scoring criteria (评分标准). A campaign copies it, so that later
    edits of the template never change past results."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="inspection_criteria",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    retired_on = models.DateField(
        _("retired on"),
        null=True,
        blank=True,
        help_text=_("A template no longer offered for new campaigns is retired, not deleted."),
    )
    history = HistoricalRecords()

    objects = CriteriaQuerySet.as_manager()
    scope_lookups = {"district": "district"}

    class Meta:
        verbose_name = _("criteria template")
        verbose_name_plural = _("criteria templates")
        ordering = ["district", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="criteriatemplate_name_unique_in_district",
                violation_error_message=_("This district already has a template of this name."),
            )
        ]

    def __str__(self):
        return self.name


class CriteriaArea(models.Model):
    template = models.ForeignKey(
        CriteriaTemplate,
        on_delete=models.PROTECT,
        related_name="areas",
        verbose_name=_("criteria template"),
    )
    name = models.CharField(_("area"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = CriteriaQuerySet.as_manager()
    scope_lookups = {"district": "template__district"}

    class Meta:
        verbose_name = _("criteria area")
        verbose_name_plural = _("criteria areas")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "name"],
                name="criteriaarea_name_unique_in_template",
                violation_error_message=_("This template already has an area of this name."),
            )
        ]

    def __str__(self):
        return f"{self.template} · {self.name}"


class CriteriaItem(models.Model):
    area = models.ForeignKey(
        CriteriaArea, on_delete=models.PROTECT, related_name="items", verbose_name=_("area")
    )
    name = models.CharField(_("item"), max_length=200)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = CriteriaQuerySet.as_manager()
    scope_lookups = {"district": "area__template__district"}

    class Meta:
        verbose_name = _("criteria item")
        verbose_name_plural = _("criteria items")
        ordering = ["area", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="criteriaitem_name_unique_in_area",
                violation_error_message=_("This area already has an item of this name."),
            ),
            models.CheckConstraint(
                name="criteriaitem_max_score_positive",
                condition=Q(max_score__gt=0),
                violation_error_message=_("The maximum score must be above zero."),
            ),
        ]

    def __str__(self):
        return self.name
