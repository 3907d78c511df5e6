"""Campaigns and the copy of their criteria (areas and items) each one scores."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from courtyards.models import District
from inspections.models.common import PERCENT, SCORE, Verdict, _is_staff_of, _staff_error
from inspections.models.criteria import CriteriaTemplate
from portal.access import RoleScopedQuerySet, ScopedQuerySet


class CampaignQuerySet(RoleScopedQuerySet):
    def for_inspector(self, user):
        # Groups are defined after campaigns (a group belongs to one).
        from inspections.models.groups import InspectionGroup, groups_of

        own = InspectionGroup.objects.filter(pk__in=groups_of(user)).values("campaign")
        return self.filter(Q(leader=user) | Q(pk__in=own))

    def for_local(self, user):
        return self.filter(results_published_on__isnull=False)


class Campaign(models.Model):
    """An inspection campaign (督查活动) of one district: a period, a leader, groups of
    staff and the courtyards and communities each group visits."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("campaign status", "Planned")
        UNDER_WAY = "under_way", _("Under way")
        CLOSED = "closed", pgettext_lazy("campaign status", "Closed")

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="inspection_campaigns",
        verbose_name=_("district"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leader"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    commend_threshold = models.DecimalField(
        _("commend from (per cent of full marks)"),
        default=90,
        help_text=_(
            "A visit scoring at least this share of full marks is suggested for commendation."
        ),
        **PERCENT,
    )
    criticise_threshold = models.DecimalField(
        _("criticise below (per cent of full marks)"),
        default=60,
        help_text=_("A visit scoring below this share of full marks is suggested for criticism."),
        **PERCENT,
    )
    min_ranked_courtyards = models.PositiveSmallIntegerField(
        _("courtyards needed for a street's ranking"),
        default=3,
        help_text=_(
            "A street with fewer inspected courtyards is listed in the bulletin but not ranked."
        ),
    )
    criteria_template = models.ForeignKey(
        CriteriaTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criteria copied from"),
    )
    notes = models.TextField(_("notes"), blank=True)
    closed_on = models.DateField(pgettext_lazy("campaign", "closed on"), null=True, blank=True)
    results_published_on = models.DateField(_("results published on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()
    scope_lookups = {
        "district": "district",
        "street": "district__streets",
        "community": "district__streets__communities",
    }

    class Meta:
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        ordering = ["-year", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "title"],
                name="campaign_title_unique_in_district",
                violation_error_message=_("This district already has a campaign of this title."),
            ),
            models.CheckConstraint(
                name="campaign_period_in_order",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="campaign_thresholds_in_order",
                condition=Q(criticise_threshold__gte=0)
                & Q(criticise_threshold__lt=F("commend_threshold"))
                & Q(commend_threshold__lte=100),
                violation_error_message=_(
                    "Thresholds must satisfy 0 ≤ criticise below < commend from ≤ 100."
                ),
            ),
            models.CheckConstraint(
                name="campaign_min_ranked_positive",
                condition=Q(min_ranked_courtyards__gte=1),
                violation_error_message=_("A street needs at least one inspected courtyard."),
            ),
            models.CheckConstraint(
                name="campaign_closed_has_date",
                condition=Q(status="closed", closed_on__isnull=False)
                | ~Q(status="closed") & Q(closed_on__isnull=True),
                violation_error_message=_("A closed campaign has a closing date, and only it."),
            ),
            models.CheckConstraint(
                name="campaign_published_only_when_closed",
                condition=Q(results_published_on__isnull=True) | Q(status="closed"),
                violation_error_message=_("Only a closed campaign publishes its results."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:campaign", args=[self.pk])

    @property
    def is_planned(self):
        return self.status == self.Status.PLANNED

    @property
    def is_under_way(self):
        return self.status == self.Status.UNDER_WAY

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The campaign cannot end before it starts.")
        if (
            self.year
            and self.starts_on
            and self.ends_on
            and self.year not in (self.starts_on.year, self.ends_on.year)
        ):
            errors["year"] = _("The year must be the year the campaign starts or ends in.")
        if (
            self.commend_threshold is not None
            and self.criticise_threshold is not None
            and not 0 <= self.criticise_threshold < self.commend_threshold <= 100
        ):
            errors["criticise_threshold"] = _(
                "Thresholds must satisfy 0 ≤ criticise below < commend from ≤ 100."
            )
        if self.leader_id and self.district_id and not _is_staff_of(self.leader, self.district_id):
            errors["leader"] = _staff_error()
        if (
            self.criteria_template_id
            and self.district_id
            and self.criteria_template.district_id != self.district_id
        ):
            errors["criteria_template"] = _("Choose a template of this campaign's district.")
        if errors:
            raise ValidationError(errors)

    def suggest(self, total, max_total):
        """The verdict the thresholds suggest for `total` out of `max_total` points."""
        rate = 100 * total / max_total if max_total else 0
        if rate >= self.commend_threshold:
            return Verdict.COMMEND
        if rate < self.criticise_threshold:
            return Verdict.CRITICISE
        return Verdict.PASS


class CampaignPartQuerySet(ScopedQuerySet):
    """Records that belong to a campaign are seen with their campaign."""

    campaign_lookup = "campaign"

    def visible_to(self, user):
        visible = Campaign.objects.visible_to(user).values("pk")
        return super().visible_to(user).filter(**{f"{self.campaign_lookup}__in": visible})


class ItemQuerySet(CampaignPartQuerySet):
    campaign_lookup = "area__campaign"


class CampaignArea(models.Model):
    """An area of a campaign's own copy of the criteria."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="areas", verbose_name=_("campaign")
    )
    name = models.CharField(_("area"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = CampaignPartQuerySet.as_manager()
    scope_lookups = {
        "district": "campaign__district",
        "street": "campaign__district__streets",
        "community": "campaign__district__streets__communities",
    }

    class Meta:
        verbose_name = _("campaign criteria area")
        verbose_name_plural = _("campaign criteria areas")
        ordering = ["campaign", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="campaignarea_name_unique_in_campaign",
                violation_error_message=_("This campaign already has an area of this name."),
            )
        ]

    def __str__(self):
        return self.name


class CampaignItem(models.Model):
    """An item of a campaign's criteria, with its maximum score. Items are fixed once the
    campaign has a visit (services and admin refuse changes)."""

    area = models.ForeignKey(
        CampaignArea, on_delete=models.PROTECT, related_name="items", verbose_name=_("area")
    )
    name = models.CharField(_("item"), max_length=200)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = ItemQuerySet.as_manager()
    scope_lookups = {
        "district": "area__campaign__district",
        "street": "area__campaign__district__streets",
        "community": "area__campaign__district__streets__communities",
    }

    class Meta:
        verbose_name = _("campaign criteria item")
        verbose_name_plural = _("campaign criteria items")
        ordering = ["area__position", "area", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="campaignitem_name_unique_in_area",
                violation_error_message=_("This area already has an item of this name."),
            ),
            models.CheckConstraint(
                name="campaignitem_max_score_positive",
                condition=Q(max_score__gt=0),
                violation_error_message=_("The maximum score must be above zero."),
            ),
        ]

    def __str__(self):
        return self.name
