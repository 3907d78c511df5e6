"""Training sessions (培训) for the people who serve, organised by the district, a street or
a community. Attendees are counted in person-times (人次): the people who serve, recorded by
name, plus a head count of others (staff, community workers)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models.organisations import community_scope
from portal.access import ScopedQuerySet, scope_of

TRAINING_SCOPE = {
    # A district's training is seen in all of the district, a street's in all of the street.
    "district": ("district", "street__district", "community__street__district"),
    "street": ("street", "community__street", "district__streets"),
    "community": ("community", "street__communities", "district__streets__communities"),
}


# Sessions organised within a scope (for figures that add up across streets), as opposed
# to the sessions visible in it (which include those organised above it).
ORGANISED_WITHIN = {
    "district": ("district", "street__district", "community__street__district"),
    "street": ("street", "community__street"),
    "community": ("community",),
}


class TrainingQuerySet(ScopedQuerySet):
    def organised_within(self, user):
        """Sessions organised by the user's unit or the units below it: each session counts
        in exactly one district, street or community, so the figures of the streets add up
        to the district's."""
        scope = scope_of(user)
        if scope.is_everything:
            return self
        lookups = ORGANISED_WITHIN.get(scope.level)
        if not lookups:
            return self.none()
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{lookup: scope.pk})
        return self.filter(condition)

    def in_year(self, year):
        return self.filter(
            held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31)
        )


class Training(models.Model):
    district = models.ForeignKey(
        "courtyards.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_trainings",
        verbose_name=_("organised by the district"),
    )
    street = models.ForeignKey(
        "courtyards.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_trainings",
        verbose_name=_("organised by the street"),
    )
    community = models.ForeignKey(
        "courtyards.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_trainings",
        verbose_name=_("organised by the community"),
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=120)
    organiser = models.CharField(
        _("organiser"), max_length=60, help_text=_("For example 区民政局基层政权科.")
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    attendees = models.ManyToManyField(
        "councils.Person",
        through="TrainingAttendance",
        related_name="trainings",
        verbose_name=_("attendees who serve"),
        blank=True,
    )
    other_attendees = models.PositiveIntegerField(
        _("other attendees"),
        default=0,
        help_text=_("Head count of staff and others not recorded by name."),
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = TrainingQuerySet.as_manager()
    scope_lookups = TRAINING_SCOPE

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="training_organised_by_one_unit",
                condition=Q(district__isnull=False, street__isnull=True, community__isnull=True)
                | Q(district__isnull=True, street__isnull=False, community__isnull=True)
                | Q(district__isnull=True, street__isnull=True, community__isnull=False),
                violation_error_message=_(
                    "A training is organised by one district, street or community."
                ),
            )
        ]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("councils:training", args=[self.pk])

    @property
    def unit(self):
        return self.community or self.street or self.district

    @property
    def unit_key(self):
        """ "community:7", "street:3" or "district:1": the organising unit as forms name it."""
        for level in ("community", "street", "district"):
            if getattr(self, f"{level}_id"):
                return f"{level}:{getattr(self, f'{level}_id')}"
        return ""

    def covers_person(self, person):
        """Whether `person` lives within the unit that organised the training."""
        community = person.courtyard.community
        if self.community_id:
            return community.pk == self.community_id
        if self.street_id:
            return community.street_id == self.street_id
        return community.street.district_id == self.district_id

    def clean(self):
        units = [self.district_id, self.street_id, self.community_id]
        if sum(unit is not None for unit in units) != 1:
            raise ValidationError(
                {
                    "community": _(
                        "Choose exactly one organising unit: the district, a street or a community."
                    )
                }
            )
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError({"held_on": _("This date lies in the future.")})


class TrainingAttendance(models.Model):
    """A person who serves, present at a training session."""

    training = models.ForeignKey(
        Training,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("training session"),
    )
    person = models.ForeignKey(
        "councils.Person",
        on_delete=models.PROTECT,
        related_name="training_attendance",
        verbose_name=_("person"),
    )
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    # Names are seen where the person lives, whoever organised the session.
    scope_lookups = community_scope("person__courtyard__")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["training", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "person"],
                name="attendance_once_per_person",
                violation_error_message=_("This person is already recorded as present."),
            )
        ]

    def __str__(self):
        return f"{self.training} · {self.person}"

    def clean(self):
        if not (self.training_id and self.person_id):
            return
        if not self.training.covers_person(self.person):
            raise ValidationError(
                {
                    "person": _("%(person)s lives outside the unit that organised the training.")
                    % {"person": self.person}
                }
            )
        if not self.person.memberships.serving_on(self.training.held_on).exists():
            raise ValidationError(
                {
                    "person": _("%(person)s was not serving on the day of the training.")
                    % {"person": self.person}
                }
            )
