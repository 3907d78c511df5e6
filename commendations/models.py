"""Commendations (表彰) and allowances (补贴): the district's incentive mechanism (seed 000,
section (三) 三位一体的激励机制: a commendation every two years of advanced streets,
communities, self-management groups and workers; problem (四): group members who get no
allowance lose heart).

A round (轮次) is opened by the district with its categories and the places each has; the
district nominates streets, a street nominates its own communities, organisations,
representatives and workers, each with the reason; the district's decision (文号, date)
marks the honoured nominations and freezes the round. Allowances paid to group members
are expenditures of the special fund (funds.Expenditure, project category "allowances");
`Allowance` names the person, the organisation and the period each one was for.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from courtyards.models import Community, District, Street
from portal.access import ScopedQuerySet, scope_of
from portal.params import FIRST_YEAR, LAST_YEAR
from portal.roles import Level
from portal.uploads import upload_path, validate_attachment

DISTRICT_SCOPE = {
    "district": "district",
    "street": "district__streets",
    "community": "district__streets__communities",
}


class RoundQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=Round.Status.OPEN)

    def decided(self):
        return self.filter(status=Round.Status.DECIDED)


class Round(models.Model):
    """A commendation round of a district (e.g. the biennial 社区工作总结会)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for nominations")
        DECIDED = "decided", _("Decided")

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="commendation_rounds",
        verbose_name=_("district"),
    )
    title = models.CharField(
        _("title of the round"), max_length=200, help_text=_("e.g. 2025—2026年度院落自治工作表彰")
    )
    first_year = models.PositiveSmallIntegerField(_("first year covered"))
    last_year = models.PositiveSmallIntegerField(_("last year covered"))
    nominations_until = models.DateField(_("nominations open until"))
    allowances_from_fund = models.BooleanField(
        _("allowances paid from the special fund"),
        default=False,
        help_text=_(
            "The district decides that self-management group members are paid an allowance "
            "from the special fund during the years this round covers."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decision_number = models.CharField(
        _("decision document number"),
        max_length=60,
        blank=True,
        help_text=_("文号, e.g. 武委发〔2026〕8号"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision recorded by"),
    )
    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()
    scope_lookups = DISTRICT_SCOPE

    class Meta:
        verbose_name = _("commendation round")
        verbose_name_plural = _("commendation rounds")
        ordering = ["-last_year", "-pk"]
        permissions = [("decide_round", _("Can record the decision of a commendation round"))]
        constraints = [
            models.CheckConstraint(
                name="round_years_in_order",
                condition=Q(first_year__lte=F("last_year"))
                & Q(first_year__gte=FIRST_YEAR, last_year__lte=LAST_YEAR),
                violation_error_message=_(
                    "The years covered run from the first year to the last, between 2000 and 2100."
                ),
            ),
            models.CheckConstraint(
                name="round_decided_has_number_and_date",
                condition=Q(status="open", decided_on__isnull=True)
                | Q(status="decided", decided_on__isnull=False) & ~Q(decision_number=""),
                violation_error_message=_(
                    "A decided round has a document number and a date of decision."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("commendations:round", args=[self.pk])

    @property
    def is_decided(self):
        return self.status == self.Status.DECIDED

    @property
    def years_label(self):
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}—{self.last_year}"

    def accepts_nominations(self, today=None):
        return not self.is_decided and (today or timezone.localdate()) <= self.nominations_until

    def clean(self):
        errors = {}
        for field in ("first_year", "last_year"):
            year = getattr(self, field)
            if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
                errors[field] = _("Enter a year between 2000 and 2100.")
        if (
            "last_year" not in errors
            and self.first_year
            and self.last_year
            and self.first_year > self.last_year
        ):
            errors["last_year"] = _("The last year covered cannot come before the first.")
        if errors:
            raise ValidationError(errors)


class Kind(models.TextChoices):
    """What a category honours; its label is the title of the honour."""

    STREET = "street", _("Advanced street")
    COMMUNITY = "community", _("Advanced community")
    GROUP = "group", _("Advanced self-management group")
    REPRESENTATIVE = "representative", _("Outstanding representative")
    WORKER = "worker", _("Advanced worker")


UNIT_KINDS = (Kind.STREET, Kind.COMMUNITY, Kind.GROUP)  # honoured units, shown publicly


class Category(models.Model):
    """One honour of a round and how many may receive it."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="categories", verbose_name=_("round")
    )
    kind = models.CharField(_("honour"), max_length=16, choices=Kind.choices)
    places = models.PositiveSmallIntegerField(
        _("places"), help_text=_("How many may be honoured in this category.")
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {level: f"round__{path}" for level, path in DISTRICT_SCOPE.items()}

    class Meta:
        verbose_name = _("commendation category")
        verbose_name_plural = _("commendation categories")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind"],
                name="category_once_per_round",
                violation_error_message=_("This round already has this category."),
            ),
            models.CheckConstraint(
                name="category_places_positive",
                condition=Q(places__gt=0),
                violation_error_message=_("A category has at least one place."),
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def nominated_by_district(self):
        """Streets are nominated by the district; everything else by the streets."""
        return self.kind == Kind.STREET


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The district sees every nomination of its rounds; a street its own nominations
        and, as everyone in the district, the honoured ones (the honour roll is published);
        a community only the honour roll."""
        scope = scope_of(user)
        if scope.is_everything:
            return self
        honoured = Q(status=Nomination.Status.HONOURED)
        if scope.level == Level.DISTRICT:
            return self.filter(category__round__district=scope.pk)
        if scope.level == Level.STREET:
            return self.filter(category__round__district__streets=scope.pk).filter(
                Q(street=scope.pk) | honoured
            )
        if scope.level == Level.COMMUNITY:
            return self.filter(category__round__district__streets__communities=scope.pk).filter(
                honoured
            )
        return self.none()

    def honoured(self):
        return self.filter(status=Nomination.Status.HONOURED)

    def standing(self):
        """The nominations not withdrawn: those counted against places and decided on."""
        return self.exclude(status=Nomination.Status.WITHDRAWN)

    def with_names(self):
        return self.select_related(
            "category__round__district",
            "street",
            "nominee_street",
            "community__street",
            "organisation__community__street",
            "person__courtyard__community__street",
        )


class Nomination(models.Model):
    """A unit or person put forward for a category, with the reason. Exactly one nominee
    field is filled, the one the category's kind names (a worker by name and unit)."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        HONOURED = "honoured", _("Honoured")
        NOT_HONOURED = "not_honoured", _("Not honoured")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("category"),
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by the street"),
        help_text=_("Empty when the district nominates."),
    )
    nominee_street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendation_nominations",
        verbose_name=_("street nominated"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendation_nominations",
        verbose_name=_("community nominated"),
    )
    organisation = models.ForeignKey(
        "councils.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendation_nominations",
        verbose_name=_("organisation nominated"),
    )
    person = models.ForeignKey(
        "councils.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendation_nominations",
        verbose_name=_("representative nominated"),
    )
    worker_name = models.CharField(_("worker's name"), max_length=40, blank=True)
    worker_unit = models.CharField(_("worker's unit"), max_length=100, blank=True)
    reason = models.TextField(_("reason for the nomination"))
    evidence = models.FileField(
        _("supporting material"),
        upload_to=upload_path,
        validators=[validate_attachment],
        blank=True,
        help_text=_("Optional. PDF or image (JPEG, PNG, WebP)."),
    )
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    source = models.CharField(
        _("proposed from"),
        max_length=200,
        blank=True,
        help_text=_("Where a proposal came from, e.g. the ranking of a year-end assessment."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOMINATED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    created_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)
    history = HistoricalRecords()

    objects = NominationQuerySet.as_manager()
    scope_lookups = {level: f"category__round__{path}" for level, path in DISTRICT_SCOPE.items()}

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["category", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", field],
                condition=~Q(status="withdrawn"),  # a withdrawn nominee may be nominated again
                name=f"nominated_once_{field}",
                violation_error_message=_("This is already nominated in this category."),
            )
            for field in ("nominee_street", "community", "organisation", "person")
        ]

    def __str__(self):
        return f"{self.category} · {self.nominee_name}"

    @property
    def nominee(self):
        return self.nominee_street or self.community or self.organisation or self.person

    @property
    def nominee_name(self):
        if self.category.kind == Kind.WORKER:
            return f"{self.worker_name}（{self.worker_unit}）"
        return self.nominee.name if self.nominee else ""

    @property
    def nominee_public_name(self):
        """The unit's name as the public page shows it; None for a person."""
        if self.category.kind not in UNIT_KINDS:
            return None
        return self.nominee_name

    @property
    def nominee_street_name(self):
        """The street the nominee belongs to."""
        if self.nominee_street_id:
            return self.nominee_street.name
        if self.community_id:
            return self.community.street.name
        if self.organisation_id:
            return self.organisation.community.street.name
        if self.person_id:
            return self.person.courtyard.community.street.name
        return self.street.name if self.street_id else ""

    @property
    def nominee_community(self):
        if self.community_id:
            return self.community
        if self.organisation_id:
            return self.organisation.community
        if self.person_id:
            return self.person.courtyard.community
        return None

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    @property
    def nominator_name(self):
        return self.street.name if self.street_id else self.category.round.district.name


class Allowance(models.Model):
    """An allowance (补贴) paid to a member of a self-management group: the person, their
    organisation and the period, and the special-fund expenditure that paid it."""

    organisation = models.ForeignKey(
        "councils.Organisation",
        on_delete=models.PROTECT,
        related_name="allowances",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "councils.Person",
        on_delete=models.PROTECT,
        related_name="allowances",
        verbose_name=_("group member"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="allowances",
        verbose_name=_("allowed by the round"),
    )
    period = models.CharField(_("period paid for"), max_length=40, help_text=_("e.g. 2026年1—6月"))
    expenditure = models.OneToOneField(
        "funds.Expenditure",
        on_delete=models.PROTECT,
        related_name="allowance",
        verbose_name=_("expenditure"),
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {
        "district": "organisation__community__street__district",
        "street": "organisation__community__street",
        "community": "organisation__community",
    }

    class Meta:
        verbose_name = _("allowance")
        verbose_name_plural = _("allowances")
        ordering = ["-expenditure__spent_on", "-pk"]

    def __str__(self):
        return f"{self.person} · {self.period}"
