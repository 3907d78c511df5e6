from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import ScopedQuerySet


class District(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    code = models.CharField(_("division code"), max_length=12, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "pk",
        "street": "streets",
        "community": "streets__communities",
    }

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code", "name"]

    def __str__(self):
        return self.name


class Street(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="streets", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=50)
    code = models.CharField(_("division code"), max_length=12, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"district": "district", "street": "pk", "community": "communities"}

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="street_name_unique_in_district",
                violation_error_message=_("This district already has a street of this name."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("courtyards:street", args=[self.pk])


class Community(models.Model):
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("street")
    )
    name = models.CharField(_("name"), max_length=50)
    code = models.CharField(_("division code"), max_length=12, blank=True)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"district": "street__district", "street": "street", "community": "pk"}

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["street__code", "street__name", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="community_name_unique_in_street",
                violation_error_message=_("This street already has a community of this name."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("courtyards:community", args=[self.pk])


class CourtyardQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)


class Courtyard(models.Model):
    class Kind(models.TextChoices):
        NO_PROPERTY_MANAGEMENT = "old", _("Old compound without property management")
        WORK_UNIT = "work_unit", _("Work-unit compound")
        MANAGED_ESTATE = "managed", _("Managed estate")

    class Remediation(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not needed")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    class ClosedReason(models.TextChoices):
        MERGED = "merged", _("Merged into another courtyard")
        DEMOLISHED = "demolished", _("Demolished")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="courtyards", verbose_name=_("community")
    )
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    households = models.PositiveIntegerField(_("households"), default=0)
    residents = models.PositiveIntegerField(_("residents"), default=0)
    buildings = models.PositiveIntegerField(_("buildings"), default=0)
    property_company = models.CharField(
        _("property management company"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty when the courtyard has no property management."),
    )
    owners_committee = models.CharField(
        _("owners' committee"),
        max_length=100,
        blank=True,
        help_text=_("Name of the owners' committee or family committee, if there is one."),
    )
    remediation = models.CharField(
        _("remediation"), max_length=16, choices=Remediation.choices, default=Remediation.NOT_NEEDED
    )
    remediation_year = models.PositiveSmallIntegerField(
        _("remediation year"), null=True, blank=True
    )
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("A courtyard that merges or is demolished is closed, never deleted."),
    )
    closed_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=ClosedReason.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    history = HistoricalRecords()

    objects = CourtyardQuerySet.as_manager()
    scope_lookups = {
        "district": "community__street__district",
        "street": "community__street",
        "community": "community",
    }

    class Meta:
        verbose_name = _("courtyard")
        verbose_name_plural = _("courtyards")
        ordering = ["community__street__code", "community__street__name", "community__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="courtyard_name_unique_in_community",
                violation_error_message=_("This community already has a courtyard of this name."),
            ),
            models.CheckConstraint(
                name="courtyard_remediation_done_has_year",
                condition=~Q(remediation="done") | Q(remediation_year__isnull=False),
                violation_error_message=_("A finished remediation needs its year."),
            ),
            models.CheckConstraint(
                name="courtyard_closed_has_reason",
                condition=Q(closed_on__isnull=True, closed_reason="")
                | Q(closed_on__isnull=False) & ~Q(closed_reason=""),
                violation_error_message=_("A closed courtyard needs both a date and a reason."),
            ),
            models.CheckConstraint(
                name="courtyard_merged_only_when_merged",
                condition=Q(merged_into__isnull=True) | Q(closed_reason="merged"),
                violation_error_message=_("Only a merged courtyard names the one it merged into."),
            ),
        ]
        indexes = [models.Index(fields=["community", "closed_on"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("courtyards:courtyard", args=[self.pk])

    @property
    def is_open(self):
        return self.closed_on is None

    @property
    def has_property_management(self):
        return bool(self.property_company)

    def clean(self):
        errors = {}
        if self.remediation == self.Remediation.DONE and self.remediation_year is None:
            errors["remediation_year"] = _("A finished remediation needs its year.")
        this_year = timezone.localdate().year
        if self.remediation_year and not 1949 <= self.remediation_year <= this_year + 1:
            errors["remediation_year"] = _("Enter a year between 1949 and next year.")
        if self.closed_on and not self.closed_reason:
            errors["closed_reason"] = _("Say why the courtyard was closed.")
        if self.closed_reason and not self.closed_on:
            errors["closed_on"] = _("Enter the date the courtyard was closed.")
        if self.closed_on and self.closed_on > timezone.localdate():
            errors["closed_on"] = _("A courtyard cannot be closed on a future date.")
        if self.merged_into_id and self.closed_reason != self.ClosedReason.MERGED:
            errors["merged_into"] = _("Only a merged courtyard names the one it merged into.")
        if self.merged_into_id and self.merged_into_id == self.pk:
            errors["merged_into"] = _("A courtyard cannot merge into itself.")
        if self.residents and self.households and self.residents < self.households:
            errors["residents"] = _("Residents cannot be fewer than households.")
        if errors:
            raise ValidationError(errors)
