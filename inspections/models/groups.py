"""Inspection groups and their members."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from inspections.models.campaigns import Campaign
from inspections.models.common import _is_staff_of, _related_or_none, _staff_error
from portal.access import RoleScopedQuerySet, ScopedQuerySet
from portal.models import person_name


class GroupQuerySet(RoleScopedQuerySet):
    def for_inspector(self, user):
        return self.filter(pk__in=groups_of(user))


class InspectionGroup(models.Model):
    """An inspection group (督查组): a leader and members, and the targets it visits."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="groups", verbose_name=_("campaign")
    )
    name = models.CharField(_("name"), max_length=50)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_inspection_groups",
        verbose_name=_("group leader"),
    )
    history = HistoricalRecords()

    objects = GroupQuerySet.as_manager()
    scope_lookups = {
        "district": "campaign__district",
        "street": "campaign__district__streets",
        "community": "campaign__district__streets__communities",
    }

    class Meta:
        verbose_name = _("inspection group")
        verbose_name_plural = _("inspection groups")
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="inspectiongroup_name_unique_in_campaign",
                violation_error_message=_("This campaign already has a group of this name."),
            )
        ]

    def __str__(self):
        return f"{self.campaign} · {self.name}"

    def clean(self):
        if (
            self.leader_id
            and self.campaign_id
            and not _is_staff_of(self.leader, self.campaign.district_id)
        ):
            raise ValidationError({"leader": _staff_error()})


class MemberQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return (
            super()
            .visible_to(user)
            .filter(group__in=InspectionGroup.objects.visible_to(user).values("pk"))
        )


class GroupMember(models.Model):
    group = models.ForeignKey(
        InspectionGroup,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("inspection group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspection_memberships",
        verbose_name=pgettext_lazy("inspection group", "member"),
    )
    history = HistoricalRecords()

    objects = MemberQuerySet.as_manager()
    scope_lookups = {"district": "group__campaign__district"}

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                name="groupmember_unique_in_group",
                violation_error_message=_("This person is already a member of the group."),
            )
        ]

    def __str__(self):
        return person_name(self.user)

    def clean(self):
        group = _related_or_none(self, "group")
        if group is None or not self.user_id:
            return
        if not _is_staff_of(self.user, group.campaign.district_id):
            raise ValidationError({"user": _staff_error()})
        elsewhere = (
            GroupMember.objects.filter(group__campaign_id=group.campaign_id, user_id=self.user_id)
            .exclude(group_id=group.pk)
            .select_related("group")
            .first()
        )
        if elsewhere:
            raise ValidationError(
                {
                    "user": _("This person already serves in %(group)s of this campaign.")
                    % {"group": elsewhere.group.name}
                }
            )


def groups_of(user):
    """Primary keys of the groups a user serves in: as leader or member of the group, or
    as leader of its campaign."""
    return InspectionGroup.objects.filter(
        Q(leader=user) | Q(memberships__user=user) | Q(campaign__leader=user)
    ).values("pk")
