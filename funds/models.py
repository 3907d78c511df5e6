"""The special fund (公共服务和社会管理专项资金): the district's yearly rate, allocations from
district and street finance, the projects the fund pays for, their expenditures and the
courtyard's own income.

Income belongs to a courtyard. Allocations, projects and expenditures belong to a community
and, most of them, to one of its courtyards (the finest unit: it carries the households the
rate is computed from); one without a courtyard is the community's own fund (社区本级, seed
000: projects run by the residents' committee; seed 002: paid directly to the community).
Everything adds up to community, street and district by aggregation.
Amounts are Decimal yuan, always positive: a correction is a separate reversing entry that
names the entry it cancels (`reverses`) and counts negatively in every sum, so the history
of what was recorded is never edited.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from courtyards.models import Community, Courtyard, District
from funds.formatting import mask_name, yuan
from portal.access import ScopedQuerySet, may_see_personal_data
from portal.params import FIRST_YEAR, LAST_YEAR  # the portal's one range of years
from portal.uploads import upload_path, validate_attachment

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}

COURTYARD_SCOPE = {
    "district": "courtyard__community__street__district",
    "street": "courtyard__community__street",
    "community": "courtyard__community",
}
# Allocations, projects and expenditures: reached through their community, so a courtyard's
# records and the community's own (社区本级, no courtyard) are scoped alike.
COMMUNITY_SCOPE = {
    "district": "community__street__district",
    "street": "community__street",
    "community": "community",
}


CENT = Decimal("0.01")


class MoneyField(models.DecimalField):
    """Yuan with two decimals. Values read from the database are exact cents on every
    backend: SQLite computes sums in floating point (2833268.25000001), which this
    rounds back to the cent, so figures compare and add up exactly."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MONEY["max_digits"])
        kwargs.setdefault("decimal_places", MONEY["decimal_places"])
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return Decimal(value).quantize(CENT)


def money_field(verbose_name, **kwargs):
    return MoneyField(verbose_name, **kwargs)


def year_field():
    return models.PositiveSmallIntegerField(_("year"))


def year_in_range(name):
    return models.CheckConstraint(
        name=f"{name}_year_in_range",
        condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
        violation_error_message=_("Enter a year between 2000 and 2100."),
    )


def amount_positive(name, field="amount"):
    return models.CheckConstraint(
        name=f"{name}_{field}_positive",
        condition=Q(**{f"{field}__gt": 0}),
        violation_error_message=_("Amounts are positive: a correction is a reversing entry."),
    )


def check_year(year, errors):
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("Enter a year between 2000 and 2100.")


def check_amount(amount, errors, field="amount"):
    if amount is not None and amount <= 0:
        errors[field] = _("Enter an amount above zero.")


class Source(models.TextChoices):
    DISTRICT = "district", _("District finance")
    STREET = "street", _("Street finance")


class FundRate(models.Model):
    """The district's rate for a year: about `yuan_per_unit` yuan per `households_per_unit`
    households (每X户约Y元).

    A courtyard's entitlement is households / X × Y, rounded half up to the whole yuan (see
    `entitlement`; the database computes the same figure with `entitlement_expression`).
    """

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="fund_rates", verbose_name=_("district")
    )
    year = year_field()
    households_per_unit = models.PositiveIntegerField(
        _("households per unit"), help_text=_("X in “about Y yuan per X households”.")
    )
    yuan_per_unit = money_field(
        _("yuan per unit"), help_text=_("Y in “about Y yuan per X households”.")
    )
    approval_threshold = money_field(
        _("approval threshold (yuan)"),
        default=ZERO,
        help_text=_(
            "A project whose budget is above this amount needs an approving resolution of "
            "the courtyard's representatives' council."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "district",
        "street": "district__streets",
        "community": "district__streets__communities",
    }

    class Meta:
        verbose_name = _("fund rate")
        verbose_name_plural = _("fund rates")
        ordering = ["district__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year"],
                name="fundrate_one_per_district_and_year",
                violation_error_message=_("This district already has a rate for this year."),
            ),
            year_in_range("fundrate"),
            models.CheckConstraint(
                name="fundrate_households_per_unit_positive",
                condition=Q(households_per_unit__gt=0),
                violation_error_message=_("The number of households per unit must be above zero."),
            ),
            amount_positive("fundrate", "yuan_per_unit"),
            models.CheckConstraint(
                name="fundrate_threshold_not_negative",
                condition=Q(approval_threshold__gte=0),
                violation_error_message=_("The approval threshold cannot be negative."),
            ),
        ]

    def __str__(self):
        return _("%(district)s %(year)s: %(yuan)s yuan per %(households)s households") % {
            "district": self.district,
            "year": self.year,
            "yuan": self.yuan_per_unit,
            "households": self.households_per_unit,
        }

    def clean(self):
        errors = {}
        check_year(self.year, errors)
        if self.households_per_unit is not None and self.households_per_unit <= 0:
            errors["households_per_unit"] = _("Enter a number of households above zero.")
        check_amount(self.yuan_per_unit, errors, "yuan_per_unit")
        if self.approval_threshold is not None and self.approval_threshold < 0:
            errors["approval_threshold"] = _("The approval threshold cannot be negative.")
        if errors:
            raise ValidationError(errors)

    @property
    def _cents(self):
        return int(self.yuan_per_unit * 100)

    def entitlement(self, households):
        """households / X × Y in whole yuan, rounded half up (0.5 yuan and more rounds up).

        Integer arithmetic in cents, so that the database (`entitlement_expression`) and
        Python compute exactly the same figure: floor((2·h·Y¢ + 100·X) / (200·X)).
        """
        x = self.households_per_unit
        return Decimal((2 * households * self._cents + 100 * x) // (200 * x))

    def entitlement_expression(self, households="households"):
        """The database's version of `entitlement` over a households column."""
        x = self.households_per_unit
        big = models.BigIntegerField()
        return models.ExpressionWrapper(
            (
                models.functions.Cast(households, big) * models.Value(2 * self._cents, big)
                + models.Value(100 * x, big)
            )
            / models.Value(200 * x, big),
            output_field=big,
        )


class CourtyardRecordQuerySet(ScopedQuerySet):
    def of_year(self, year):
        return self.filter(year=year)

    def held_by(self, holder):
        """The records of a courtyard, or the community's own (社区本级) for a community."""
        return self.filter(**holder_lookup(holder))


def holder_lookup(holder, prefix=""):
    """The lookup that finds a holder's records: a courtyard's, or a community's own
    (those of the community with no courtyard)."""
    if isinstance(holder, Community):
        return {f"{prefix}community": holder, f"{prefix}courtyard__isnull": True}
    return {f"{prefix}courtyard": holder}


class HeldByCommunity(models.Model):
    """What allocations, projects and expenditures share: a community, and a courtyard of
    that community unless the record is the community's own (社区本级)."""

    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("community"),
        help_text=_("Filled in from the courtyard when one is named."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_community()
        super().save(*args, **kwargs)

    @property
    def holder(self):
        """The courtyard, or the community for its own fund."""
        return self.courtyard if self.courtyard_id else self.community

    @property
    def is_community_level(self):
        return self.courtyard_id is None

    @property
    def holder_name(self):
        return holder_name(self)

    @property
    def fund_url(self):
        """The fund page of the record's holder (without the year)."""
        if self.courtyard_id:
            return reverse("funds:courtyard", args=[self.courtyard_id])
        return reverse("funds:community_fund", args=[self.community_id])

    @property
    def spend_url(self):
        if self.courtyard_id:
            return reverse("funds:spend", args=[self.courtyard_id])
        return reverse("funds:community_spend", args=[self.community_id])

    def fill_community(self):
        if self.courtyard_id and not self.community_id:
            self.community_id = self.courtyard.community_id

    def clean_fields(self, exclude=None):
        self.fill_community()
        super().clean_fields(exclude)

    def check_community(self, errors):
        if not self.community_id:
            errors["community"] = _(
                "Name the courtyard, or the community for the community's own fund."
            )
        if (
            self.courtyard_id
            and self.community_id
            and self.courtyard.community_id != self.community_id
        ):
            errors["courtyard"] = _("The courtyard belongs to another community.")


class Allocation(HeldByCommunity):
    """Money given to a courtyard, or to a community's own fund (社区本级, no courtyard), for a
    year by district or street finance.

    District allocations computed from the rate carry that `rate` (at most one per courtyard
    and year, see `funds.services.allocations_generate`); others are entered by hand. An
    allocation made in error is withdrawn with a date and a reason, never deleted. Only a
    courtyard's allocations are computed from the rate.
    """

    year = year_field()
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_allocations",
        verbose_name=_("courtyard"),
        help_text=_("Leave empty for the community's own fund (社区本级)."),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    amount = money_field(_("amount (yuan)"))
    allocated_on = models.DateField(_("date"))
    document_number = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_("e.g. 武民发〔2026〕12号")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    rate = models.ForeignKey(
        FundRate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("computed from rate"),
    )
    households = models.PositiveIntegerField(
        _("households counted"),
        null=True,
        blank=True,
        help_text=_("The courtyard's households when the amount was computed from the rate."),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = CourtyardRecordQuerySet.as_manager()
    # where its money counts (portal/kept.py): not wherever its district's rate applies
    kept_placed_by = ("community", "courtyard")
    scope_lookups = COMMUNITY_SCOPE

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-year", "courtyard__name", "allocated_on", "pk"]
        permissions = [
            ("generate_allocation", _("Can generate a year's district allocations from the rate"))
        ]
        constraints = [
            amount_positive("allocation"),
            year_in_range("allocation"),
            models.UniqueConstraint(
                fields=["courtyard", "year"],
                condition=Q(rate__isnull=False),
                name="allocation_computed_once_per_courtyard_and_year",
                violation_error_message=_(
                    "This courtyard already has an allocation computed from the rate for this year."
                ),
            ),
            models.CheckConstraint(
                name="allocation_computed_only_for_courtyards",
                condition=Q(rate__isnull=True) | Q(courtyard__isnull=False),
                violation_error_message=_(
                    "Only a courtyard's allocations are computed from the rate."
                ),
            ),
            models.CheckConstraint(
                name="allocation_computed_only_by_district",
                condition=Q(rate__isnull=True) | Q(source="district"),
                violation_error_message=_("Only district allocations are computed from the rate."),
            ),
            models.CheckConstraint(
                name="allocation_withdrawn_has_reason",
                condition=Q(withdrawn_on__isnull=True, withdrawn_reason="")
                | Q(withdrawn_on__isnull=False) & ~Q(withdrawn_reason=""),
                violation_error_message=_("A withdrawn allocation needs both a date and a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["courtyard", "year"]),
            models.Index(fields=["community", "year"]),
        ]

    def __str__(self):
        return _("%(courtyard)s %(year)s %(source)s %(amount)s yuan") % {
            "courtyard": holder_name(self),
            "year": self.year,
            "source": self.get_source_display(),
            "amount": self.amount,
        }

    @property
    def is_withdrawn(self):
        return self.withdrawn_on is not None

    def clean(self):
        errors = {}
        check_year(self.year, errors)
        check_amount(self.amount, errors)
        if self.withdrawn_on and not self.withdrawn_reason:
            errors["withdrawn_reason"] = _("Say why the allocation is withdrawn.")
        if self.withdrawn_reason and not self.withdrawn_on:
            errors["withdrawn_on"] = _("Enter the date the allocation is withdrawn.")
        if self.rate_id and self.source != Source.DISTRICT:
            errors["source"] = _("Only district allocations are computed from the rate.")
        if self.rate_id and self.year and self.rate.year != self.year:
            errors["year"] = _("The year must be the rate's year.")
        if self.rate_id and self.community_id and not self.courtyard_id:
            errors["courtyard"] = _("Only a courtyard's allocations are computed from the rate.")
        self.check_community(errors)
        if errors:
            raise ValidationError(errors)


class Project(HeldByCommunity):
    """A public-service or social-management project a courtyard's fund, or the community's
    own (社区本级, run by the residents' committee), pays for."""

    class Category(models.TextChoices):
        SANITATION = "sanitation", _("Sanitation")
        SECURITY = "security", _("Security patrols")
        FIRE_SAFETY = "fire_safety", _("Fire safety")
        ELDERLY_CARE = "elderly_care", _("Elderly care")
        ACTIVITIES = "activities", _("Cultural and social activities")
        REPAIRS = "repairs", _("Small repairs")
        GREENING = "greening", _("Greening")
        # Allowances paid to self-management group members where the district decides so
        # (commendations.Allowance records each payment's person and period).
        ALLOWANCES = "allowances", _("Allowances to self-management group members")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("project status", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("project status", "In progress")
        DONE = "done", pgettext_lazy("project status", "Done")
        CANCELLED = "cancelled", pgettext_lazy("project status", "Cancelled")

    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_projects",
        verbose_name=_("courtyard"),
        help_text=_("Empty for a project of the community's own fund (社区本级)."),
    )
    year = year_field()
    title = models.CharField(pgettext_lazy("fund project", "title"), max_length=100)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    budget = money_field(_("budget (yuan)"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("When it was done or cancelled.")
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    resolution = models.ForeignKey(
        "councils.Motion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_projects",
        verbose_name=_("approving resolution"),
        help_text=_(
            "The resolution of the courtyard's representatives' council or residents' meeting "
            "that approved the project; required when the budget is above the district's "
            "approval threshold."
        ),
    )
    history = HistoricalRecords()

    objects = CourtyardRecordQuerySet.as_manager()
    scope_lookups = COMMUNITY_SCOPE

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "courtyard__name", "title"]
        constraints = [
            amount_positive("project", "budget"),
            year_in_range("project"),
            models.UniqueConstraint(
                fields=["courtyard", "year", "title"],
                name="project_title_unique_in_courtyard_and_year",
                violation_error_message=_(
                    "This courtyard already has a project of this title in this year."
                ),
            ),
            models.UniqueConstraint(
                fields=["community", "year", "title"],
                condition=Q(courtyard__isnull=True),
                name="project_title_unique_in_community_fund_and_year",
                violation_error_message=_(
                    "The community's own fund already has a project of this title in this year."
                ),
            ),
            models.CheckConstraint(
                name="project_ended_has_end_date",
                condition=~Q(status__in=["done", "cancelled"]) | Q(ended_on__isnull=False),
                violation_error_message=_("A finished or cancelled project needs its end date."),
            ),
            models.CheckConstraint(
                name="project_cancelled_has_reason",
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                violation_error_message=_("A cancelled project needs a reason."),
            ),
            models.CheckConstraint(
                name="project_ends_after_start",
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                violation_error_message=_("A project cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.year}）"

    def get_absolute_url(self):
        return reverse("funds:project", args=[self.pk])

    @property
    def accepts_spending(self):
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    def clean(self):
        errors = {}
        check_year(self.year, errors)
        check_amount(self.budget, errors, "budget")
        ended = self.status in (self.Status.DONE, self.Status.CANCELLED)
        if ended and not self.ended_on:
            errors["ended_on"] = _("Enter the date the project was finished or cancelled.")
        if self.status == self.Status.CANCELLED and not self.cancel_reason:
            errors["cancel_reason"] = _("Say why the project was cancelled.")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("A project cannot end before it starts.")
        self._check_title(errors)
        self.check_community(errors)
        self._check_resolution(errors)
        if errors:
            raise ValidationError(errors)

    def _check_title(self, errors):
        if not (self.title and self.community_id and self.year):
            return
        same = Project.objects.filter(
            community_id=self.community_id,
            courtyard_id=self.courtyard_id,
            year=self.year,
            title=self.title,
        ).exclude(pk=self.pk)
        if self.courtyard_id is None:
            if same.filter(courtyard__isnull=True).exists():
                errors["title"] = _(
                    "The community's own fund already has a project of this title in this year."
                )
        elif same.exists():
            errors["title"] = _("This courtyard already has a project of this title in this year.")

    def approval_threshold(self):
        """The district's approval threshold for the project's year, or None without a rate."""
        return (
            FundRate.objects.filter(
                district__streets__communities__courtyards=self.courtyard_id, year=self.year
            )
            .values_list("approval_threshold", flat=True)
            .first()
        )

    def _check_resolution(self, errors):
        if self.community_id and not self.courtyard_id:
            # The community's own projects are run by the residents' committee (seed 000):
            # no courtyard council approves them, so none is named nor required.
            if self.resolution_id:
                errors["resolution"] = _(
                    "A project of the community's own fund is decided by the residents' "
                    "committee: it names no courtyard resolution."
                )
            return
        if not (self.courtyard_id and self.year):
            return
        if self.resolution_id is None:
            threshold = self.approval_threshold() if self.budget else None
            if threshold is not None and self.budget > threshold:
                errors["resolution"] = _(
                    "The budget is above the district's approval threshold of %(threshold)s "
                    "yuan: name the resolution of the representatives' council or the "
                    "residents' meeting that approved the project."
                ) % {"threshold": yuan(threshold)}
            return
        if not approving_resolutions(self.courtyard_id).filter(pk=self.resolution_id).exists():
            errors["resolution"] = _(
                "The resolution must be adopted and published by the representatives' council "
                "or the residents' meeting of an organisation covering this courtyard."
            )
        elif self.started_on and self.resolution.meeting.held_on > self.started_on:
            errors["resolution"] = _("The project cannot start before the resolution was taken.")


def holder_name(record):
    """A record's courtyard, or "<community> 社区本级" for the community's own fund."""
    if record.courtyard_id:
        return str(record.courtyard)
    return _("%(community)s (community's own fund)") % {"community": record.community}


def approving_resolutions(courtyard=None):
    """The resolutions a project may name: adopted motions of published meetings of the
    representatives' council or the residents' meeting; for a `courtyard`, those of an
    organisation that covered it on the day of the meeting."""
    from councils.models import Coverage, Meeting, Motion

    motions = Motion.objects.filter(
        outcome=Motion.Outcome.ADOPTED,
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__kind__in=[Meeting.Kind.COUNCIL, Meeting.Kind.RESIDENTS_MEETING],
    )
    if courtyard is None:
        return motions
    meeting_day = OuterRef("meeting__held_on")
    covering = Coverage.objects.filter(
        courtyard=courtyard,
        organisation=OuterRef("meeting__organisation"),
        started_on__lte=meeting_day,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=meeting_day))
    return motions.filter(Exists(covering))


class EntryQuerySet(CourtyardRecordQuerySet):
    def originals(self):
        return self.filter(reverses__isnull=True)

    def total(self):
        """The net amount: entries minus the reversing entries that cancel them."""
        return self.aggregate(total=net_amount())["total"]


class IncomeQuerySet(EntryQuerySet):
    def of_year(self, year):
        return self.filter(received_on__year=year)


def net_amount(prefix=""):
    """Sum of entries, reversing entries counted negatively (0 when there are none)."""
    money = MoneyField()
    return Coalesce(
        Sum(
            Case(
                When(**{f"{prefix}reverses__isnull": True}, then=F(f"{prefix}amount")),
                default=-F(f"{prefix}amount"),
                output_field=money,
            )
        ),
        models.Value(ZERO),
        output_field=money,
    )


class Entry(models.Model):
    """What expenditures and income share: a positive amount that is never edited; a
    correction is a new entry whose `reverses` names the one it cancels, in full."""

    amount = money_field(_("amount (yuan)"))
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
        help_text=_("Set on a reversing entry: the entry it cancels."),
    )

    objects = EntryQuerySet.as_manager()
    scope_lookups = COURTYARD_SCOPE

    class Meta:
        abstract = True

    @property
    def is_reversal(self):
        return self.reverses_id is not None

    @property
    def is_reversed(self):
        try:
            return self.reversed_by is not None
        except self.DoesNotExist:
            return False

    @property
    def signed_amount(self):
        return -self.amount if self.is_reversal else self.amount


class Payment(Entry):
    """What a spending of the special fund and of own money share: a dated payment to a
    payee, under a voucher number unique in its year, with an optional receipt scan."""

    class PayeeKind(models.TextChoices):
        ORGANISATION = "organisation", pgettext_lazy("payee kind", "Organisation")
        PERSON = "person", _("Individual")

    year = year_field()
    spent_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=100)
    payee_kind = models.CharField(
        _("payee is"),
        max_length=12,
        choices=PayeeKind.choices,
        default=PayeeKind.ORGANISATION,
        help_text=_("The names of individuals are personal data and are never published."),
    )
    voucher_number = models.CharField(
        _("voucher number"),
        max_length=40,
        help_text=_("Unique within the courtyard and year."),
    )
    description = models.CharField(pgettext_lazy("expenditure", "summary"), max_length=200)
    receipt = models.FileField(
        _("receipt scan"),
        upload_to=upload_path,
        validators=[validate_attachment],
        blank=True,
        help_text=_("PDF or image (JPEG, PNG, WebP)."),
    )
    receipt_name = models.CharField(_("receipt file name"), max_length=200, blank=True)
    # Masked for roles that may not see personal data (portal.access); only an individual
    # payee is personal, but no role filters, searches or sorts by the one and not the other.
    personal_fields = ("payee",)

    class Meta:
        abstract = True

    def __str__(self):
        return _("Voucher %(voucher)s · %(amount)s yuan") % {
            "voucher": self.voucher_number,
            "amount": self.signed_amount,
        }

    def payee_for(self, user):
        """The payee as `user` may see it: an individual's name only with the right to
        personal data, otherwise masked (张**); organisations by name."""
        if self.payee_kind == self.PayeeKind.PERSON and not may_see_personal_data(user):
            return mask_name(self.payee)
        return self.payee

    def check_dates(self, errors):
        """A spending is not dated in the future, and a reversal not before what it cancels."""
        if self.reverses_id and self.reverses.reverses_id:
            errors["reverses"] = _("A reversing entry cannot itself be reversed.")
        if self.spent_on and self.spent_on > timezone.localdate():
            errors["spent_on"] = _("The date cannot be in the future.")
        elif self.reverses_id and self.spent_on and self.spent_on < self.reverses.spent_on:
            errors["spent_on"] = _("A reversing entry cannot be dated before the entry it cancels.")


class Expenditure(HeldByCommunity, Payment):
    """Money paid out of a courtyard's fund, or the community's own, for one of its projects.

    `community`, `courtyard` and `year` repeat the project's, so that the balance, the voucher
    numbering and the scope need no join; the services set them from the project.
    """

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="expenditures", verbose_name=_("project")
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_expenditures",
        verbose_name=_("courtyard"),
    )
    history = HistoricalRecords()
    scope_lookups = COMMUNITY_SCOPE

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            amount_positive("expenditure"),
            year_in_range("expenditure"),
            models.UniqueConstraint(
                fields=["courtyard", "year", "voucher_number"],
                name="expenditure_voucher_unique_in_courtyard_and_year",
                violation_error_message=_(
                    "This voucher number is already used in this courtyard and year."
                ),
            ),
            models.UniqueConstraint(
                fields=["community", "year", "voucher_number"],
                condition=Q(courtyard__isnull=True),
                name="expenditure_voucher_unique_in_community_fund_and_year",
                violation_error_message=_(
                    "This voucher number is already used in the community's own fund this year."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["community", "year"]),
            models.Index(fields=["project", "spent_on"]),
            models.Index(fields=["spent_on", "id"]),  # the listed order
        ]

    def get_absolute_url(self):
        return reverse("funds:expenditure", args=[self.pk])

    def fill_community(self):
        super().fill_community()
        if self.project_id and not self.community_id:
            self.community_id = self.project.community_id

    def clean(self):
        errors = {}
        check_year(self.year, errors)
        check_amount(self.amount, errors)
        if self.project_id and self.courtyard_id and self.project.courtyard_id != self.courtyard_id:
            errors["project"] = _("The project belongs to another courtyard.")
        elif self.project_id and self.project.community_id != self.community_id:
            errors["project"] = _("The project belongs to another community.")
        if self.project_id and self.year and self.project.year != self.year:
            errors["project"] = _("The project belongs to another year.")
        self._check_voucher(errors)
        self.check_dates(errors)
        if errors:
            raise ValidationError(errors)

    def _check_voucher(self, errors):
        if not (self.voucher_number and self.community_id and self.year):
            return
        same = Expenditure.objects.filter(
            community_id=self.community_id, year=self.year, voucher_number=self.voucher_number
        ).exclude(pk=self.pk)
        if self.courtyard_id:
            if same.filter(courtyard_id=self.courtyard_id).exists():
                errors["voucher_number"] = _(
                    "This voucher number is already used in this courtyard and year."
                )
        elif same.filter(courtyard__isnull=True).exists():
            errors["voucher_number"] = _(
                "This voucher number is already used in the community's own fund this year."
            )


class Income(Entry):
    """Money a courtyard raises itself (停车、房屋出租、自治管理费、捐赠): reported beside the fund,
    never spent through it."""

    class Kind(models.TextChoices):
        PARKING = "parking", _("Parking")
        RENTAL = "rental", _("Room rental")
        SELF_GOVERNANCE_FEE = "fee", _("Self-governance fee")
        DONATION = "donation", _("Donation")
        OTHER = "other", _("Other")

    courtyard = models.ForeignKey(
        Courtyard, on_delete=models.PROTECT, related_name="fund_income", verbose_name=_("courtyard")
    )
    received_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = IncomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("income")
        ordering = ["-received_on", "-pk"]
        constraints = [amount_positive("income")]
        indexes = [
            models.Index(fields=["courtyard", "received_on"]),
            models.Index(fields=["received_on", "id"]),  # the listed order
        ]

    def __str__(self):
        return _("%(kind)s %(date)s · %(amount)s yuan") % {
            "kind": self.get_kind_display(),
            "date": self.received_on,
            "amount": self.signed_amount,
        }

    @property
    def year(self):
        return self.received_on.year if self.received_on else None

    def clean(self):
        errors = {}
        check_amount(self.amount, errors)
        if self.received_on and not FIRST_YEAR <= self.received_on.year <= LAST_YEAR:
            errors["received_on"] = _("Enter a date between 2000 and 2100.")
        if self.reverses_id and self.reverses.reverses_id:
            errors["reverses"] = _("A reversing entry cannot itself be reversed.")
        if self.received_on and self.received_on > timezone.localdate():
            errors["received_on"] = _("The date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class OwnExpenditureQuerySet(EntryQuerySet):
    def of_year(self, year):
        return self.filter(spent_on__year=year)


class OwnExpenditure(Payment):
    """Money a courtyard pays out of its own money (自筹资金: the income above), approved by
    its representatives' council or residents' meeting.

    Every spending names the resolution that approved it (docs/funds.md, "A courtyard's own
    money"); the balance check (own income − own spending) is the services'. `year` is the
    date's, for the voucher numbering.
    """

    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        related_name="own_expenditures",
        verbose_name=_("courtyard"),
    )
    resolution = models.ForeignKey(
        "councils.Motion",
        on_delete=models.PROTECT,
        related_name="own_expenditures",
        verbose_name=_("approving resolution"),
        help_text=_(
            "The resolution of the courtyard's representatives' council or residents' meeting "
            "that approved this spending, taken on or before its date."
        ),
    )
    history = HistoricalRecords()

    objects = OwnExpenditureQuerySet.as_manager()

    class Meta:
        verbose_name = _("own-money expenditure")
        verbose_name_plural = _("own-money expenditures")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            amount_positive("ownexpenditure"),
            year_in_range("ownexpenditure"),
            models.UniqueConstraint(
                fields=["courtyard", "year", "voucher_number"],
                name="ownexpenditure_voucher_unique_in_courtyard_and_year",
                violation_error_message=_(
                    "This voucher number is already used in this courtyard and year."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["courtyard", "spent_on"]),
            models.Index(fields=["spent_on", "id"]),  # the listed order
        ]

    def clean(self):
        if self.spent_on:
            self.year = self.spent_on.year
        errors = {}
        check_amount(self.amount, errors)
        self.check_dates(errors)
        if self.spent_on and not FIRST_YEAR <= self.spent_on.year <= LAST_YEAR:
            errors["spent_on"] = _("Enter a date between 2000 and 2100.")
        if self._voucher_taken():
            errors["voucher_number"] = _(
                "This voucher number is already used in this courtyard and year."
            )
        self._check_resolution(errors)
        if errors:
            raise ValidationError(errors)

    def _voucher_taken(self):
        return bool(
            self.voucher_number
            and self.courtyard_id
            and self.year
            and OwnExpenditure.objects.filter(
                courtyard_id=self.courtyard_id, year=self.year, voucher_number=self.voucher_number
            )
            .exclude(pk=self.pk)
            .exists()
        )

    def _check_resolution(self, errors):
        if not self.courtyard_id or self.resolution_id is None:
            return  # a missing resolution is the field's own "required" error
        if not approving_resolutions(self.courtyard_id).filter(pk=self.resolution_id).exists():
            errors["resolution"] = _(
                "The resolution must be adopted and published by the representatives' council "
                "or the residents' meeting of an organisation covering this courtyard."
            )
        elif self.spent_on and self.resolution.meeting.held_on > self.spent_on:
            errors["resolution"] = _(
                "The spending cannot be dated before the resolution that approved it (%(day)s)."
            ) % {"day": self.resolution.meeting.held_on.isoformat()}
