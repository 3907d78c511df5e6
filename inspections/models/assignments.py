"""Assignments: the courtyards and communities each group visits."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from courtyards.models import Community, Courtyard
from inspections.models.campaigns import Campaign
from inspections.models.common import _related_or_none
from inspections.models.groups import InspectionGroup, groups_of
from portal.access import RoleScopedQuerySet


class AssignmentQuerySet(RoleScopedQuerySet):
    def for_inspector(self, user):
        return self.filter(group__in=groups_of(user))


class Assignment(models.Model):
    """A target a group is to visit: a courtyard, or a community itself (its residents'
    committee) when `courtyard` is empty. `community` is always filled (for a courtyard, its
    community), and a target belongs to one group per campaign."""

    # what its visit counts for (portal/kept.py): its place, not its campaign's whole district
    kept_placed_by = ("community", "courtyard")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("campaign")
    )
    group = models.ForeignKey(
        InspectionGroup,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("inspection group"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="inspection_assignments",
        verbose_name=_("community"),
        help_text=_("For a courtyard, filled in from the courtyard."),
        blank=True,
    )
    courtyard = models.ForeignKey(
        Courtyard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_assignments",
        verbose_name=_("courtyard"),
        help_text=_("Leave empty to inspect the community itself."),
    )
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()
    scope_lookups = {
        "district": "campaign__district",
        "street": "community__street",
        "community": "community",
    }

    class Meta:
        verbose_name = _("inspection target")
        verbose_name_plural = _("inspection targets")
        ordering = ["group", "community__street__code", "community__name", "courtyard__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "courtyard"],
                condition=Q(courtyard__isnull=False),
                name="assignment_courtyard_once_per_campaign",
                violation_error_message=_("This courtyard is already a target of this campaign."),
            ),
            models.UniqueConstraint(
                fields=["campaign", "community"],
                condition=Q(courtyard__isnull=True),
                name="assignment_community_once_per_campaign",
                violation_error_message=_("This community is already a target of this campaign."),
            ),
        ]

    def __str__(self):
        return self.target_name

    @property
    def target_name(self):
        if self.courtyard_id:
            return self.courtyard.name
        return self.community.name if self.community_id else ""  # a form still being filled

    @property
    def is_community(self):
        return self.courtyard_id is None

    DERIVED = {"campaign", "community"}

    def _derive(self):
        """The campaign follows from the group, a courtyard's community from the courtyard:
        forms need not carry them."""
        group = _related_or_none(self, "group")
        if group is not None and group.campaign_id:
            self.campaign_id = group.campaign_id
        courtyard = _related_or_none(self, "courtyard")
        if courtyard is not None and not self.community_id:
            self.community_id = courtyard.community_id

    def clean_fields(self, exclude=None):
        self._derive()
        super().clean_fields(exclude)

    def validate_constraints(self, exclude=None):
        # Derived fields are checked even when the form leaves them out.
        super().validate_constraints(set(exclude or ()) - self.DERIVED)

    def clean(self):
        self._derive()
        courtyard = _related_or_none(self, "courtyard")
        errors = {}
        if courtyard is not None:
            if self.community_id != courtyard.community_id:
                errors["courtyard"] = _("This courtyard belongs to another community.")
            if not courtyard.is_open:
                errors["courtyard"] = _("This courtyard is closed: it cannot be inspected.")
        if self.pk:
            before = Assignment.objects.filter(pk=self.pk).values(
                "group_id", "community_id", "courtyard_id"
            )[0]
            moved = before != {
                "group_id": self.group_id,
                "community_id": self.community_id,
                "courtyard_id": self.courtyard_id,
            }
            if moved and self.inspections.exists():
                errors["__all__"] = _("This target has been visited: it can no longer change.")
        if not self.community_id:
            errors["community"] = _("Choose a courtyard or a community.")
        elif self.campaign_id:
            campaign = Campaign.objects.only("district_id").get(pk=self.campaign_id)
            in_district = Community.objects.filter(
                pk=self.community_id, street__district_id=campaign.district_id
            ).exists()
            if not in_district:
                errors["community"] = _("Choose a community of this campaign's district.")
        if errors:
            raise ValidationError(errors)
