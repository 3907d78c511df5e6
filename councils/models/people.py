"""The residents who serve on a courtyard's council or group."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models.organisations import community_scope
from portal.access import ScopedQuerySet, mask_address, mask_phone

PHONE = RegexValidator(
    r"^[0-9][0-9-]{6,19}$",
    _("Enter a phone number of digits (a mobile number or a landline with its area code)."),
)
MIN_AGE = 18


class Person(models.Model):
    """A resident who serves (or served). Phone, building and unit are personal data:
    shown in full only where `portal.access.may_see_personal_data` allows."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class PoliticalStatus(models.TextChoices):
        PARTY_MEMBER = "party_member", _("CPC member")
        PROBATIONARY = "probationary", _("CPC probationary member")
        LEAGUE_MEMBER = "league_member", _("Communist Youth League member")
        OTHER_PARTY = "other_party", _("Member of a democratic party")
        MASSES = "masses", _("Ordinary citizen")

    class Education(models.TextChoices):
        PRIMARY = "primary", _("Primary school or below")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary or vocational")
        COLLEGE = "college", _("Junior college")
        BACHELOR = "bachelor", _("Bachelor's degree")
        POSTGRADUATE = "postgraduate", _("Postgraduate")

    courtyard = models.ForeignKey(
        "courtyards.Courtyard",
        on_delete=models.PROTECT,
        related_name="council_people",
        verbose_name=_("courtyard lived in"),
    )
    name = models.CharField(_("full name"), max_length=40)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[PHONE])
    building = models.CharField(
        _("building"), max_length=20, blank=True, help_text=_("For example 3栋.")
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("For example 2单元."))
    political_status = models.CharField(
        _("political status"), max_length=16, choices=PoliticalStatus.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("occupation"), max_length=50, blank=True, help_text=_("For example 退休职工.")
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_lookups = community_scope("courtyard__")
    personal_fields = ("phone", "building", "unit")

    class Meta:
        verbose_name = _("person serving")
        verbose_name_plural = _("people serving")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="person_birth_year_plausible",
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                violation_error_message=_("Enter a year of birth after 1900."),
            ),
        ]
        indexes = [
            models.Index(fields=["courtyard", "name"]),
            models.Index(fields=["name", "id"]),  # the listed order
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:person", args=[self.pk])

    @property
    def address(self):
        """Building and unit within the courtyard, as people write them: 3栋2单元."""
        return "".join(part for part in (self.building, self.unit) if part)

    def phone_for(self, user_may_see):
        return self.phone if user_may_see else mask_phone(self.phone)

    def address_for(self, user_may_see):
        return self.address if user_may_see else mask_address(self.address)

    def clean(self):
        errors = {}
        this_year = timezone.localdate().year
        if self.birth_year and not 1900 <= self.birth_year <= this_year - MIN_AGE:
            errors["birth_year"] = _(
                "Enter a year between 1900 and %(year)s: people who serve are adults."
            ) % {"year": this_year - MIN_AGE}
        if self.courtyard_id and not self.courtyard.is_open and self._state.adding:
            errors["courtyard"] = _("This courtyard has been closed.")
        if errors:
            raise ValidationError(errors)
