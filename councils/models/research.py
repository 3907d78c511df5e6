"""Research visits (调研): the district's or a street office's staff go to streets,
communities and courtyards to see how self-governance runs. The annual report counts the
places visited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.access import ScopedQuerySet, scope_of
from portal.roles import Level


class ResearchVisitQuerySet(ScopedQuerySet):
    # District users see their district's visits; street staff see their own office's visits
    # and the district's visits to places in their street.
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.level == Level.STREET:
            places = (
                Q(street=scope.pk)
                | Q(streets=scope.pk)
                | Q(communities__street=scope.pk)
                | Q(courtyards__community__street=scope.pk)
            )
            return self.filter(pk__in=ResearchVisit.objects.filter(places).values("pk"))
        return super().visible_to(user)

    def organised_within(self, user):
        """Visits organised by the user's office or an office below it."""
        scope = scope_of(user)
        if scope.is_everything:
            return self
        if scope.level == Level.DISTRICT:
            return self.filter(Q(district=scope.pk) | Q(street__district=scope.pk))
        if scope.level == Level.STREET:
            return self.filter(street=scope.pk)
        return self.none()

    def in_year(self, year):
        return self.filter(
            visited_on__gte=datetime.date(year, 1, 1), visited_on__lte=datetime.date(year, 12, 31)
        )


class ResearchVisit(models.Model):
    district = models.ForeignKey(
        "courtyards.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="research_visits_organised",
        verbose_name=_("organised by the district"),
    )
    street = models.ForeignKey(
        "courtyards.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="research_visits_organised",
        verbose_name=_("organised by the street"),
    )
    visited_on = models.DateField(pgettext_lazy("research", "visited on"))
    topic = models.CharField(pgettext_lazy("research", "topic"), max_length=120)
    led_by = models.CharField(
        _("led by"), max_length=60, help_text=_("Office and post, e.g. 区民政局分管副局长.")
    )
    staff = models.PositiveSmallIntegerField(
        _("staff taking part"), default=1, help_text=_("Head count of the visiting staff.")
    )
    streets = models.ManyToManyField(
        "courtyards.Street",
        related_name="research_visits",
        verbose_name=_("streets visited"),
        blank=True,
    )
    communities = models.ManyToManyField(
        "courtyards.Community",
        related_name="research_visits",
        verbose_name=_("communities visited"),
        blank=True,
    )
    courtyards = models.ManyToManyField(
        "courtyards.Courtyard",
        related_name="research_visits",
        verbose_name=_("courtyards visited"),
        blank=True,
    )
    findings = models.TextField(pgettext_lazy("research", "findings"), blank=True)
    history = HistoricalRecords(m2m_fields=[streets, communities, courtyards])

    objects = ResearchVisitQuerySet.as_manager()
    scope_lookups = {"district": ("district", "street__district")}

    class Meta:
        verbose_name = _("research visit")
        verbose_name_plural = _("research visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="research_organised_by_one_office",
                condition=Q(district__isnull=False, street__isnull=True)
                | Q(district__isnull=True, street__isnull=False),
                violation_error_message=_(
                    "A research visit is organised by the district or by one street office."
                ),
            ),
            models.CheckConstraint(
                name="research_staff_positive",
                condition=Q(staff__gte=1),
                violation_error_message=_("At least one member of staff takes part."),
            ),
        ]
        indexes = [models.Index(fields=["visited_on"])]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("councils:research_visit", args=[self.pk])

    @property
    def office(self):
        return self.street or self.district

    def places_outside_office(self, streets, communities, courtyards):
        """Those of the places named that lie outside the organising office's area."""
        if self.street_id:
            return (
                [s for s in streets if s.pk != self.street_id]
                + [c for c in communities if c.street_id != self.street_id]
                + [c for c in courtyards if c.community.street_id != self.street_id]
            )
        return (
            [s for s in streets if s.district_id != self.district_id]
            + [c for c in communities if c.street.district_id != self.district_id]
            + [c for c in courtyards if c.community.street.district_id != self.district_id]
        )

    def check_places(self, streets, communities, courtyards):
        """Refuse a visit that names no place, or (once its office is known) a place outside
        the office's area."""
        if not (streets or communities or courtyards):
            raise ValidationError(
                {"courtyards": _("Name at least one street, community or courtyard visited.")}
            )
        if self.district_id is None and self.street_id is None:
            return
        outside = self.places_outside_office(streets, communities, courtyards)
        if outside:
            raise ValidationError(
                {
                    "courtyards": _("%(places)s lie outside the organising office's area.")
                    % {"places": "、".join(str(place) for place in outside)}
                }
            )

    def clean(self):
        if (self.district_id is None) == (self.street_id is None):
            raise ValidationError(
                {"street": _("Choose the organising office: the district or one street.")}
            )
        if self.visited_on and self.visited_on > timezone.localdate():
            raise ValidationError({"visited_on": _("This date lies in the future.")})
