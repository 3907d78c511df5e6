"""Assessment schemes (考评方案): a district or a street assesses its streets, communities or
courtyard organisations for a year against weighted indicators, grouped by area. An
indicator is computed from the portal's own records (assessments/measures.py) or scored by
hand with a note and evidence. Publishing writes each indicator's score and each subject's
result (total and rank) once: later changes to the records do not move them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from councils.models import Organisation
from courtyards.models import Community, District, Street
from portal.access import DISTRICT_ROLES, ScopedQuerySet, assignment_of, role_of, scope_of
from portal.roles import Level
from portal.uploads import upload_path, validate_attachment

POINTS = {"max_digits": 7, "decimal_places": 2}


class Subjects(models.TextChoices):
    """What a scheme assesses."""

    STREETS = "streets", pgettext_lazy("units assessed", "Streets")
    COMMUNITIES = "communities", pgettext_lazy("units assessed", "Communities")
    ORGANISATIONS = "organisations", pgettext_lazy("units assessed", "Courtyard organisations")


# The field of a score or a result that names its subject, per level.
SUBJECT_FIELD = {
    Subjects.STREETS: "street",
    Subjects.COMMUNITIES: "community",
    Subjects.ORGANISATIONS: "organisation",
}


class SchemeQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(status=Scheme.Status.PUBLISHED)

    def visible_to(self, user):
        """The district's offices see the district's schemes and its streets' published ones;
        a street its own (drafts too) and the district's published ones; a community member
        the published schemes of its street and the district's on communities. Inspectors
        see none."""
        scope = scope_of(user)
        if scope.is_everything:
            return self
        if scope.level == Level.DISTRICT and role_of(user) in DISTRICT_ROLES:
            return self.filter(district=scope.pk).filter(
                Q(street__isnull=True) | Q(status=Scheme.Status.PUBLISHED)
            )
        if scope.level == Level.STREET:
            street = assignment_of(user).street
            districts = Q(street__isnull=True, district=street.district_id)
            return self.filter(Q(street=street.pk) | (districts & Q(status="published")))
        if scope.level == Level.COMMUNITY:
            street = assignment_of(user).community.street
            own_street = Q(street=street.pk)
            districts = Q(
                street__isnull=True, district=street.district_id, level=Subjects.COMMUNITIES
            )
            return self.published().filter(own_street | districts)
        return self.none()


class Scheme(models.Model):
    """考评方案: one unit's assessment of the units below it for a year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drawn up by the street"),
        help_text=_("Empty when the district draws it up."),
    )
    year = models.PositiveSmallIntegerField(_("year assessed"))
    title = models.CharField(_("title"), max_length=120)
    level = models.CharField(_("units assessed"), max_length=16, choices=Subjects.choices)
    min_sample = models.PositiveSmallIntegerField(
        _("organisations needed to be ranked"),
        default=1,
        help_text=_(
            "A unit with fewer courtyard organisations established by the end of the year is "
            "scored and listed but not ranked."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("drawn up by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("drawn up at"), default=timezone.now)
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("results published by"),
    )
    history = HistoricalRecords()

    objects = SchemeQuerySet.as_manager()
    scope_lookups = {
        "district": "district",
        "street": ("street", "district__streets"),
        "community": ("street__communities", "district__streets__communities"),
    }

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="scheme_assesses_units_below_its_owner",
                condition=Q(street__isnull=True, level__in=["streets", "communities"])
                | Q(street__isnull=False, level__in=["communities", "organisations"]),
                violation_error_message=_(
                    "The district assesses streets or communities; a street its communities "
                    "or courtyard organisations."
                ),
            ),
            models.CheckConstraint(
                name="scheme_published_is_complete",
                condition=Q(status="draft", published_at__isnull=True, published_by__isnull=True)
                | Q(status="published", published_at__isnull=False, published_by__isnull=False),
                violation_error_message=_(
                    "A published scheme records when and by whom; a draft neither."
                ),
            ),
            models.CheckConstraint(
                name="scheme_year_in_range",
                condition=Q(year__gte=2000, year__lte=2100),
                violation_error_message=_("The year lies between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.pk])

    @property
    def owner(self):
        return self.street or self.district

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def subject_field(self):
        return SUBJECT_FIELD[self.level]


class BelowSchemeQuerySet(models.QuerySet):
    """Areas, indicators, scores and results are seen with their scheme."""

    scheme_path = "scheme"

    def visible_to(self, user):
        schemes = Scheme.objects.visible_to(user).values("pk")
        return self.filter(**{f"{self.scheme_path}__in": schemes})


class AreaQuerySet(BelowSchemeQuerySet):
    scheme_path = "scheme"


class IndicatorQuerySet(BelowSchemeQuerySet):
    scheme_path = "area__scheme"


class ScoreQuerySet(BelowSchemeQuerySet):
    scheme_path = "indicator__area__scheme"


def _scope_below(prefix):
    return {level: _prefixed(prefix, lookups) for level, lookups in Scheme.scope_lookups.items()}


def _prefixed(prefix, lookups):
    if isinstance(lookups, str):
        return f"{prefix}{lookups}"
    return tuple(f"{prefix}{lookup}" for lookup in lookups)


class Area(models.Model):
    """A group of indicators (考评内容), e.g. 组织建设, 议事公开."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="areas", verbose_name=_("scheme")
    )
    title = models.CharField(_("area title"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    history = HistoricalRecords()

    objects = AreaQuerySet.as_manager()
    scope_lookups = _scope_below("scheme__")

    class Meta:
        verbose_name = _("assessment area")
        verbose_name_plural = _("assessment areas")
        ordering = ["scheme", "position", "pk"]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    """One indicator (考评指标) worth `weight` points: computed by a measure against a
    target (points = weight × min(value / target, 1)), or scored by hand."""

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed from the portal's records")
        MANUAL = "manual", _("Scored by hand")

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("area")
    )
    title = models.CharField(_("indicator"), max_length=120)
    weight = models.DecimalField(_("weight (points)"), **POINTS)
    kind = models.CharField(_("how it is scored"), max_length=16, choices=Kind.choices)
    measure = models.CharField(_("measure"), max_length=40, blank=True)
    target = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    guidance = models.TextField(_("scoring guidance"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()
    scope_lookups = _scope_below("area__scheme__")

    class Meta:
        verbose_name = _("assessment indicator")
        verbose_name_plural = _("assessment indicators")
        ordering = ["area__position", "area", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="indicator_weight_positive",
                condition=Q(weight__gt=0),
                violation_error_message=_("The weight must be more than 0 points."),
            ),
            models.CheckConstraint(
                name="indicator_kind_matches_measure",
                condition=Q(kind="computed", target__gt=0) & ~Q(measure="")
                | Q(kind="manual", measure="", target__isnull=True),
                violation_error_message=_(
                    "A computed indicator names its measure and a target above 0; a hand-scored "
                    "one neither."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_computed(self):
        return self.kind == self.Kind.COMPUTED


class SubjectMixin(models.Model):
    """A score or a result names its subject: a street, a community or an organisation."""

    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("street"),
    )  # fmt: skip
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("community"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("self-governance organisation"),
    )  # fmt: skip

    class Meta:
        abstract = True

    @property
    def subject_id(self):
        return self.street_id or self.community_id or self.organisation_id

    @property
    def subject(self):
        return self.street or self.community or self.organisation


ONE_SUBJECT = (
    Q(street__isnull=False, community__isnull=True, organisation__isnull=True)
    | Q(street__isnull=True, community__isnull=False, organisation__isnull=True)
    | Q(street__isnull=True, community__isnull=True, organisation__isnull=False)
)


class Score(SubjectMixin):
    """An indicator's score for one subject: entered by hand (points, note, evidence) while
    the scheme is a draft; for a computed indicator written with its value at publication."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="scores", verbose_name=_("indicator")
    )
    value = models.DecimalField(
        _("value computed"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    sample = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    points = models.DecimalField(_("points scored"), **POINTS)
    note = models.TextField(_("scoring note"), blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to=upload_path, validators=[validate_attachment], blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("scored by"),
    )  # fmt: skip
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ScoreQuerySet.as_manager()
    scope_lookups = _scope_below("indicator__area__scheme__")

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        ordering = ["indicator", "pk"]
        constraints = [
            models.CheckConstraint(
                name="score_names_one_subject",
                condition=ONE_SUBJECT,
                violation_error_message=_("A score is for one unit."),
            ),
            models.CheckConstraint(
                name="score_points_not_negative",
                condition=Q(points__gte=0),
                violation_error_message=_("Points cannot be negative."),
            ),
            models.UniqueConstraint(fields=["indicator", "street"], name="score_once_street"),
            models.UniqueConstraint(fields=["indicator", "community"], name="score_once_community"),
            models.UniqueConstraint(
                fields=["indicator", "organisation"], name="score_once_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.subject}"


class Result(SubjectMixin):
    """A subject's result as published: its total and its rank (none when it has too few
    organisations), with the name it had then. Written once, at publication."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="results", verbose_name=_("scheme")
    )
    name = models.CharField(_("unit assessed"), max_length=200)
    organisations = models.PositiveIntegerField(_("organisations counted"))
    total = models.DecimalField(_("total points"), **POINTS)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    position = models.PositiveIntegerField(_("order in the ranking"), default=0)
    history = HistoricalRecords()

    objects = AreaQuerySet.as_manager()
    scope_lookups = _scope_below("scheme__")

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["scheme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                name="result_names_one_subject",
                condition=ONE_SUBJECT,
                violation_error_message=_("A result is for one unit."),
            ),
        ]

    def __str__(self):
        return f"{self.scheme} · {self.name}"
