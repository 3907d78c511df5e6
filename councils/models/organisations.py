"""The self-governance organisation of one or more courtyards (院落自治组织), the courtyards
it covers, and its three bodies."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.constraints import NoOverlap
from portal.access import ScopedQuerySet


def community_scope(prefix=""):
    """scope_lookups for a model that reaches a Community through `prefix`."""
    return {
        "district": f"{prefix}community__street__district",
        "street": f"{prefix}community__street",
        "community": f"{prefix}community",
    }


def _recorded_by(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class OrganisationQuerySet(ScopedQuerySet):
    def open(self):
        """Not dissolved (preparing, established or accepted)."""
        return self.filter(dissolved_on__isnull=True)

    def established_on(self, day):
        """Established (建立, 已成立) in the sense of the annual report: established on or
        before `day` and not dissolved by then, accepted (已验收) ones included."""
        return self.filter(established_on__lte=day).exclude(dissolved_on__lte=day)

    def accepted_on(self, day):
        """Of those, accepted (验收合格) on or before `day` and not dissolved by then."""
        return self.filter(accepted_on__lte=day).exclude(dissolved_on__lte=day)


class Organisation(models.Model):
    """院落自治组织. Its path: preparing (组建) → established (成立) → accepted (验收合格);
    it may be dissolved from any state, with a date and a reason."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        ESTABLISHED = "established", _("Established")
        ACCEPTED = "accepted", _("Accepted")
        DISSOLVED = "dissolved", _("Dissolved")

    community = models.ForeignKey(
        "courtyards.Community",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("community"),
    )
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PREPARING
    )
    set_up_on = models.DateField(_("preparation started on"))
    set_up_by = _recorded_by(_("preparation recorded by"))
    established_on = models.DateField(_("established on"), null=True, blank=True)
    established_by = _recorded_by(_("establishment recorded by"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = _recorded_by(_("acceptance recorded by"))
    acceptance_note = models.TextField(_("acceptance opinion"), blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolved_by = _recorded_by(_("dissolution recorded by"))
    dissolved_reason = models.CharField(_("reason for dissolution"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()
    scope_lookups = community_scope()

    class Meta:
        verbose_name = _("self-governance organisation")
        verbose_name_plural = _("self-governance organisations")
        ordering = ["community__street__code", "community__name", "name"]
        permissions = [("accept_organisation", _("Can record the acceptance of an organisation"))]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="organisation_name_unique_in_community",
                violation_error_message=_(
                    "This community already has an organisation of this name."
                ),
            ),
            models.CheckConstraint(
                name="organisation_status_matches_dates",
                condition=Q(
                    status="preparing",
                    established_on__isnull=True,
                    accepted_on__isnull=True,
                    dissolved_on__isnull=True,
                )
                | Q(
                    status="established",
                    established_on__isnull=False,
                    accepted_on__isnull=True,
                    dissolved_on__isnull=True,
                )
                | Q(
                    status="accepted",
                    established_on__isnull=False,
                    accepted_on__isnull=False,
                    dissolved_on__isnull=True,
                )
                | Q(status="dissolved", dissolved_on__isnull=False),
                violation_error_message=_(
                    "The status does not match the dates of establishment, acceptance and "
                    "dissolution."
                ),
            ),
            models.CheckConstraint(
                name="organisation_accepted_after_established",
                condition=Q(accepted_on__isnull=True)
                | Q(established_on__isnull=False, accepted_on__gte=F("established_on")),
                violation_error_message=_(
                    "An organisation is accepted on or after the day it was established."
                ),
            ),
            models.CheckConstraint(
                name="organisation_established_after_set_up",
                condition=Q(established_on__isnull=True) | Q(established_on__gte=F("set_up_on")),
                violation_error_message=_(
                    "An organisation is established on or after the day its preparation began."
                ),
            ),
            models.CheckConstraint(
                name="organisation_dissolved_after_steps",
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=F("set_up_on"))
                & (Q(established_on__isnull=True) | Q(dissolved_on__gte=F("established_on")))
                & (Q(accepted_on__isnull=True) | Q(dissolved_on__gte=F("accepted_on"))),
                violation_error_message=_(
                    "An organisation is dissolved after the steps it went through."
                ),
            ),
            models.CheckConstraint(
                name="organisation_dissolved_has_reason",
                condition=Q(dissolved_on__isnull=True, dissolved_reason="")
                | Q(dissolved_on__isnull=False) & ~Q(dissolved_reason=""),
                violation_error_message=_(
                    "A dissolved organisation needs both a date and a reason."
                ),
            ),
        ]
        indexes = [models.Index(fields=["community", "dissolved_on"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:organisation", args=[self.pk])

    @property
    def is_open(self):
        return self.dissolved_on is None

    def clean(self):
        errors = {}
        today = timezone.localdate()
        for field in ("set_up_on", "established_on", "accepted_on", "dissolved_on"):
            day = getattr(self, field)
            if day and day > today:
                errors[field] = _("This date lies in the future.")
        if self.established_on and self.set_up_on and self.established_on < self.set_up_on:
            errors["established_on"] = _(
                "An organisation is established on or after the day its preparation began."
            )
        if self.accepted_on and not self.established_on:
            errors["accepted_on"] = _("Record the establishment before the acceptance.")
        elif self.accepted_on and self.accepted_on < self.established_on:
            errors["accepted_on"] = _(
                "An organisation is accepted on or after the day it was established."
            )
        if self.dissolved_on and not self.dissolved_reason:
            errors["dissolved_reason"] = _("Say why the organisation was dissolved.")
        if errors:
            raise ValidationError(errors)


class CoverageQuerySet(ScopedQuerySet):
    def on(self, day):
        """Coverage in force on `day`."""
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )

    def open(self):
        return self.filter(ended_on__isnull=True)


class Coverage(models.Model):
    """A courtyard covered by an organisation, from `started_on` until `ended_on` (the
    first day it is no longer covered). A courtyard has at most one open coverage, so it
    belongs to at most one open organisation; dissolving an organisation ends its coverage."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="coverage",
        verbose_name=_("organisation"),
    )
    courtyard = models.ForeignKey(
        "courtyards.Courtyard",
        on_delete=models.PROTECT,
        related_name="council_coverage",
        verbose_name=_("courtyard"),
    )
    started_on = models.DateField(_("covered from"))
    ended_on = models.DateField(_("covered until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CoverageQuerySet.as_manager()
    scope_lookups = community_scope("organisation__")

    class Meta:
        verbose_name = _("courtyard covered")
        verbose_name_plural = _("courtyards covered")
        ordering = ["organisation", "courtyard__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["courtyard"],
                condition=Q(ended_on__isnull=True),
                name="coverage_one_open_organisation_per_courtyard",
                violation_error_message=_(
                    "This courtyard already belongs to an organisation that has not been dissolved."
                ),
            ),
            models.CheckConstraint(
                name="coverage_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                violation_error_message=_("Coverage cannot end before it starts."),
            ),
            NoOverlap(
                name="coverage_no_overlap_per_courtyard",
                fields=["courtyard"],
                start="started_on",
                end="ended_on",
                violation_error_message=_(
                    "This courtyard was covered by an organisation during these dates."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.courtyard}"

    def clean(self):
        # The organisation may be unsaved yet (an admin inline on its add page).
        organisation = (
            self.organisation if self.organisation_id or _set(self, "organisation") else None
        )
        errors = {}
        if self.courtyard_id and organisation is not None:
            if self.courtyard.community_id != organisation.community_id:
                errors["courtyard"] = _(
                    "An organisation covers courtyards of its own community only."
                )
            elif not organisation.is_open and self.ended_on is None:
                errors["courtyard"] = _("A dissolved organisation covers no courtyard any more.")
        if self.courtyard_id and not self.courtyard.is_open and self.ended_on is None:
            errors["courtyard"] = _("This courtyard has been closed.")
        if errors:
            raise ValidationError(errors)


def _set(instance, field):
    """Whether a foreign key holds an object, saved or not."""
    return instance._meta.get_field(field).is_cached(instance)


class Body(models.Model):
    """One of the organisation's three bodies. The residents' meeting is every household of
    the courtyards covered: it has no terms or members here, only meetings (next module).
    The council and the group have terms and members."""

    class Kind(models.TextChoices):
        RESIDENTS_MEETING = "meeting", _("Residents' meeting")
        COUNCIL = "council", _("Representatives' council")
        GROUP = "group", _("Self-management group")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("body"), max_length=16, choices=Kind.choices)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("organisation__")

    ELECTED = (Kind.COUNCIL, Kind.GROUP)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["organisation", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                name="body_one_of_each_kind_per_organisation",
                violation_error_message=_("The organisation already has this body."),
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_kind_display()}"

    @property
    def is_elected(self):
        return self.kind in self.ELECTED
