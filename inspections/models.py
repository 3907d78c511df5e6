"""Inspections (督查): campaigns, inspection groups and their targets, scoring criteria,
visits with scores and verdicts, rectification follow-up and the district bulletin.

Who sees what goes beyond geography here, and lives in each queryset's `visible_to`
(built on portal.access), so that pages, admin screens and exports share it:

- district administrators and staff see everything of their district;
- inspectors see the campaigns they take part in, and only their own groups' targets,
  visits and rectifications (the campaign's leader sees all of that campaign's);
- street staff and community members see visit results about their street or community
  only once the campaign has published them (with its bulletin); they see the
  rectifications their communities are responsible for at once, since they must act on
  them; published bulletins are read by everyone in the district.

Multi-model writes are in `services.py`, figures in `selectors.py`; see docs/inspections.md
for the rules (verdict thresholds, re-inspection, overdue, the bulletin's freeze).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from courtyards.models import Community, Courtyard, District
from portal.access import ScopedQuerySet, role_of, scope_of
from portal.models import person_name
from portal.roles import Role
from portal.uploads import upload_path, validate_attachment

DISTRICT_ROLES = {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF}
# Who may lead a campaign or serve in an inspection group.
INSPECTION_STAFF_ROLES = {Role.DISTRICT_ADMIN, Role.DISTRICT_STAFF, Role.INSPECTOR}

SCORE = {"max_digits": 5, "decimal_places": 1}
TOTAL = {"max_digits": 6, "decimal_places": 1}
PERCENT = {"max_digits": 4, "decimal_places": 1}


class Verdict(models.TextChoices):
    COMMEND = "commend", _("Commend")
    PASS = "pass", _("Pass")
    CRITICISE = "criticise", _("Criticise")


class RuleQuerySet(ScopedQuerySet):
    """A scoped queryset whose visibility also depends on the role: geography first
    (portal.access), then `for_inspector` or `for_local` (street staff and community
    members) narrow further. District roles and superusers see their whole scope."""

    def visible_to(self, user):
        queryset = super().visible_to(user)
        if scope_of(user).is_everything:
            return queryset
        role = role_of(user)
        if role in DISTRICT_ROLES:
            return queryset
        if role == Role.INSPECTOR:
            return queryset.for_inspector(user)
        if role in (Role.STREET_STAFF, Role.COMMUNITY_MEMBER):
            return queryset.for_local(user)
        return queryset.none()

    def for_inspector(self, user):
        return self.none()

    def for_local(self, user):
        return self.none()


def is_district_user(user):
    """District administrators and staff (and superusers): they run the inspections."""
    return scope_of(user).is_everything or role_of(user) in DISTRICT_ROLES


def groups_of(user):
    """Primary keys of the groups a user serves in: as leader or member of the group, or
    as leader of its campaign."""
    return InspectionGroup.objects.filter(
        Q(leader=user) | Q(memberships__user=user) | Q(campaign__leader=user)
    ).values("pk")


def points(value):
    """A score as people write it: 60, 7.5 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_staff_of(user, district_id):
    """Whether `user` holds a district-level role fit for inspection work in the district."""
    assignment = getattr(user, "role_assignment", None) if user else None
    return bool(
        assignment
        and assignment.role in INSPECTION_STAFF_ROLES
        and assignment.district_id == district_id
    )


def _staff_error():
    return _(
        "Choose a person with the inspector, district staff or district administrator role "
        "in this campaign's district."
    )


# --- Criteria templates ------------------------------------------------------------------


class CriteriaQuerySet(RuleQuerySet):
    def for_inspector(self, user):
        return self


class CriteriaTemplate(models.Model):
    """A reusable set of scoring criteria (评分标准). A campaign copies it, so that later
    edits of the template never change past results."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="inspection_criteria",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    retired_on = models.DateField(
        _("retired on"),
        null=True,
        blank=True,
        help_text=_("A template no longer offered for new campaigns is retired, not deleted."),
    )
    history = HistoricalRecords()

    objects = CriteriaQuerySet.as_manager()
    scope_lookups = {"district": "district"}

    class Meta:
        verbose_name = _("criteria template")
        verbose_name_plural = _("criteria templates")
        ordering = ["district", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="criteriatemplate_name_unique_in_district",
                violation_error_message=_("This district already has a template of this name."),
            )
        ]

    def __str__(self):
        return self.name


class CriteriaArea(models.Model):
    template = models.ForeignKey(
        CriteriaTemplate,
        on_delete=models.PROTECT,
        related_name="areas",
        verbose_name=_("criteria template"),
    )
    name = models.CharField(_("area"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = CriteriaQuerySet.as_manager()
    scope_lookups = {"district": "template__district"}

    class Meta:
        verbose_name = _("criteria area")
        verbose_name_plural = _("criteria areas")
        ordering = ["template", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "name"],
                name="criteriaarea_name_unique_in_template",
                violation_error_message=_("This template already has an area of this name."),
            )
        ]

    def __str__(self):
        return f"{self.template} · {self.name}"


class CriteriaItem(models.Model):
    area = models.ForeignKey(
        CriteriaArea, on_delete=models.PROTECT, related_name="items", verbose_name=_("area")
    )
    name = models.CharField(_("item"), max_length=200)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = CriteriaQuerySet.as_manager()
    scope_lookups = {"district": "area__template__district"}

    class Meta:
        verbose_name = _("criteria item")
        verbose_name_plural = _("criteria items")
        ordering = ["area", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="criteriaitem_name_unique_in_area",
                violation_error_message=_("This area already has an item of this name."),
            ),
            models.CheckConstraint(
                name="criteriaitem_max_score_positive",
                condition=Q(max_score__gt=0),
                violation_error_message=_("The maximum score must be above zero."),
            ),
        ]

    def __str__(self):
        return self.name


# --- Campaigns ---------------------------------------------------------------------------


class CampaignQuerySet(RuleQuerySet):
    def for_inspector(self, user):
        own = InspectionGroup.objects.filter(pk__in=groups_of(user)).values("campaign")
        return self.filter(Q(leader=user) | Q(pk__in=own))

    def for_local(self, user):
        return self.filter(results_published_on__isnull=False)


class Campaign(models.Model):
    """An inspection campaign (督查活动) of one district: a period, a leader, groups of
    staff and the courtyards and communities each group visits."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("campaign status", "Planned")
        UNDER_WAY = "under_way", _("Under way")
        CLOSED = "closed", pgettext_lazy("campaign status", "Closed")

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="inspection_campaigns",
        verbose_name=_("district"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("leader"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    commend_threshold = models.DecimalField(
        _("commend from (per cent of full marks)"),
        default=90,
        help_text=_(
            "A visit scoring at least this share of full marks is suggested for commendation."
        ),
        **PERCENT,
    )
    criticise_threshold = models.DecimalField(
        _("criticise below (per cent of full marks)"),
        default=60,
        help_text=_("A visit scoring below this share of full marks is suggested for criticism."),
        **PERCENT,
    )
    min_ranked_courtyards = models.PositiveSmallIntegerField(
        _("courtyards needed for a street's ranking"),
        default=3,
        help_text=_(
            "A street with fewer inspected courtyards is listed in the bulletin but not ranked."
        ),
    )
    criteria_template = models.ForeignKey(
        CriteriaTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criteria copied from"),
    )
    notes = models.TextField(_("notes"), blank=True)
    closed_on = models.DateField(pgettext_lazy("campaign", "closed on"), null=True, blank=True)
    results_published_on = models.DateField(_("results published on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CampaignQuerySet.as_manager()
    scope_lookups = {
        "district": "district",
        "street": "district__streets",
        "community": "district__streets__communities",
    }

    class Meta:
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        ordering = ["-year", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "title"],
                name="campaign_title_unique_in_district",
                violation_error_message=_("This district already has a campaign of this title."),
            ),
            models.CheckConstraint(
                name="campaign_period_in_order",
                condition=Q(ends_on__gte=F("starts_on")),
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="campaign_thresholds_in_order",
                condition=Q(criticise_threshold__gte=0)
                & Q(criticise_threshold__lt=F("commend_threshold"))
                & Q(commend_threshold__lte=100),
                violation_error_message=_(
                    "Thresholds must satisfy 0 ≤ criticise below < commend from ≤ 100."
                ),
            ),
            models.CheckConstraint(
                name="campaign_min_ranked_positive",
                condition=Q(min_ranked_courtyards__gte=1),
                violation_error_message=_("A street needs at least one inspected courtyard."),
            ),
            models.CheckConstraint(
                name="campaign_closed_has_date",
                condition=Q(status="closed", closed_on__isnull=False)
                | ~Q(status="closed") & Q(closed_on__isnull=True),
                violation_error_message=_("A closed campaign has a closing date, and only it."),
            ),
            models.CheckConstraint(
                name="campaign_published_only_when_closed",
                condition=Q(results_published_on__isnull=True) | Q(status="closed"),
                violation_error_message=_("Only a closed campaign publishes its results."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:campaign", args=[self.pk])

    @property
    def is_planned(self):
        return self.status == self.Status.PLANNED

    @property
    def is_under_way(self):
        return self.status == self.Status.UNDER_WAY

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The campaign cannot end before it starts.")
        if (
            self.year
            and self.starts_on
            and self.ends_on
            and self.year not in (self.starts_on.year, self.ends_on.year)
        ):
            errors["year"] = _("The year must be the year the campaign starts or ends in.")
        if (
            self.commend_threshold is not None
            and self.criticise_threshold is not None
            and not 0 <= self.criticise_threshold < self.commend_threshold <= 100
        ):
            errors["criticise_threshold"] = _(
                "Thresholds must satisfy 0 ≤ criticise below < commend from ≤ 100."
            )
        if self.leader_id and self.district_id and not _is_staff_of(self.leader, self.district_id):
            errors["leader"] = _staff_error()
        if (
            self.criteria_template_id
            and self.district_id
            and self.criteria_template.district_id != self.district_id
        ):
            errors["criteria_template"] = _("Choose a template of this campaign's district.")
        if errors:
            raise ValidationError(errors)

    def suggest(self, total, max_total):
        """The verdict the thresholds suggest for `total` out of `max_total` points."""
        rate = 100 * total / max_total if max_total else 0
        if rate >= self.commend_threshold:
            return Verdict.COMMEND
        if rate < self.criticise_threshold:
            return Verdict.CRITICISE
        return Verdict.PASS


class CampaignPartQuerySet(ScopedQuerySet):
    """Records that belong to a campaign are seen with their campaign."""

    campaign_lookup = "campaign"

    def visible_to(self, user):
        visible = Campaign.objects.visible_to(user).values("pk")
        return super().visible_to(user).filter(**{f"{self.campaign_lookup}__in": visible})


class ItemQuerySet(CampaignPartQuerySet):
    campaign_lookup = "area__campaign"


class CampaignArea(models.Model):
    """An area of a campaign's own copy of the criteria."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="areas", verbose_name=_("campaign")
    )
    name = models.CharField(_("area"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = CampaignPartQuerySet.as_manager()
    scope_lookups = {
        "district": "campaign__district",
        "street": "campaign__district__streets",
        "community": "campaign__district__streets__communities",
    }

    class Meta:
        verbose_name = _("campaign criteria area")
        verbose_name_plural = _("campaign criteria areas")
        ordering = ["campaign", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="campaignarea_name_unique_in_campaign",
                violation_error_message=_("This campaign already has an area of this name."),
            )
        ]

    def __str__(self):
        return self.name


class CampaignItem(models.Model):
    """An item of a campaign's criteria, with its maximum score. Items are fixed once the
    campaign has a visit (services and admin refuse changes)."""

    area = models.ForeignKey(
        CampaignArea, on_delete=models.PROTECT, related_name="items", verbose_name=_("area")
    )
    name = models.CharField(_("item"), max_length=200)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = ItemQuerySet.as_manager()
    scope_lookups = {
        "district": "area__campaign__district",
        "street": "area__campaign__district__streets",
        "community": "area__campaign__district__streets__communities",
    }

    class Meta:
        verbose_name = _("campaign criteria item")
        verbose_name_plural = _("campaign criteria items")
        ordering = ["area__position", "area", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="campaignitem_name_unique_in_area",
                violation_error_message=_("This area already has an item of this name."),
            ),
            models.CheckConstraint(
                name="campaignitem_max_score_positive",
                condition=Q(max_score__gt=0),
                violation_error_message=_("The maximum score must be above zero."),
            ),
        ]

    def __str__(self):
        return self.name


# --- Groups and their targets ------------------------------------------------------------


class GroupQuerySet(RuleQuerySet):
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


def _related_or_none(obj, name):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


class AssignmentQuerySet(RuleQuerySet):
    def for_inspector(self, user):
        return self.filter(group__in=groups_of(user))


class Assignment(models.Model):
    """A target a group is to visit: a courtyard, or a community itself (its residents'
    committee) when `courtyard` is empty. `community` is always filled (for a courtyard, its
    community), and a target belongs to one group per campaign."""

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


# --- Visits ------------------------------------------------------------------------------


class InspectionQuerySet(RuleQuerySet):
    def for_inspector(self, user):
        return self.filter(assignment__group__in=groups_of(user))

    def for_local(self, user):
        return self.filter(assignment__campaign__results_published_on__isnull=False)

    def current(self):
        """The visit that counts for each target: its latest (a re-inspection supersedes
        the visits before it; those stay on record)."""
        later = Inspection.objects.filter(
            assignment=models.OuterRef("assignment"), pk__gt=models.OuterRef("pk")
        )
        return self.filter(~models.Exists(later))


class Inspection(models.Model):
    """A visit (督查记录) of one target: a score per item, the total and suggested verdict
    (computed by services.py), the final verdict, findings and photos."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspection target"),
    )
    visited_on = models.DateField(_("visited on"))
    is_reinspection = models.BooleanField(
        _("re-inspection"),
        default=False,
        help_text=_("A target is visited once per campaign unless a re-inspection is marked."),
    )
    reinspection_reason = models.CharField(
        _("reason for re-inspection"), max_length=200, blank=True
    )
    findings = models.TextField(_("findings"), blank=True)
    total = models.DecimalField(_("total score"), **TOTAL)
    max_total = models.DecimalField(_("full marks"), **TOTAL)
    suggested_verdict = models.CharField(
        _("suggested verdict"), max_length=16, choices=Verdict.choices
    )
    final_verdict = models.CharField(_("final verdict"), max_length=16, choices=Verdict.choices)
    verdict_reason = models.TextField(
        _("reason for the final verdict"),
        blank=True,
        help_text=_("Required when the final verdict differs from the suggested one."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = InspectionQuerySet.as_manager()
    scope_lookups = {
        "district": "assignment__campaign__district",
        "street": "assignment__community__street",
        "community": "assignment__community",
    }

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(is_reinspection=False),
                name="inspection_one_first_visit_per_target",
                violation_error_message=_(
                    "This target has already been visited in this campaign; mark a re-inspection."
                ),
            ),
            models.CheckConstraint(
                name="inspection_reinspection_has_reason",
                condition=Q(is_reinspection=False) | ~Q(reinspection_reason=""),
                violation_error_message=_("A re-inspection needs its reason."),
            ),
            models.CheckConstraint(
                name="inspection_total_within_full_marks",
                condition=Q(max_total__gt=0) & Q(total__gte=0) & Q(total__lte=F("max_total")),
                violation_error_message=_("The total must lie between zero and full marks."),
            ),
            models.CheckConstraint(
                name="inspection_overruled_verdict_has_reason",
                condition=Q(final_verdict=F("suggested_verdict")) | ~Q(verdict_reason=""),
                violation_error_message=_(
                    "A final verdict that differs from the suggested one needs a reason."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "visited_on"]),
            models.Index(fields=["visited_on", "id"]),  # the listed order
        ]

    def __str__(self):
        return f"{self.assignment.target_name} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("inspections:visit", args=[self.pk])

    def clean(self):
        if (
            self.final_verdict
            and self.suggested_verdict
            and self.final_verdict != self.suggested_verdict
            and not self.verdict_reason.strip()
        ):
            raise ValidationError({"verdict_reason": verdict_reason_error(self.suggested_verdict)})

    @property
    def rate(self):
        """The total as a percentage of full marks."""
        return 100 * self.total / self.max_total if self.max_total else 0

    @property
    def is_overruled(self):
        return self.final_verdict != self.suggested_verdict


def verdict_reason_error(suggested):
    return _("The suggested verdict is “%(suggested)s”: say why the final verdict differs.") % {
        "suggested": Verdict(suggested).label
    }


class ScoreQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(inspection__in=Inspection.objects.visible_to(user).values("pk"))


class Score(models.Model):
    """One item's score in a visit. The item's maximum is copied onto the row so that the
    database itself checks 0 ≤ score ≤ maximum."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="scores", verbose_name=_("visit")
    )
    item = models.ForeignKey(
        CampaignItem, on_delete=models.PROTECT, related_name="scores", verbose_name=_("item")
    )
    score = models.DecimalField(_("score"), **SCORE)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    remark = models.CharField(_("remark"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = ScoreQuerySet.as_manager()
    scope_lookups = {
        "district": "inspection__assignment__campaign__district",
        "street": "inspection__assignment__community__street",
        "community": "inspection__assignment__community",
    }

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["inspection", "item__area__position", "item__position", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item"],
                name="score_once_per_item",
                violation_error_message=_("This item already has a score in this visit."),
            ),
            models.CheckConstraint(
                name="score_within_bounds",
                condition=Q(score__gte=0) & Q(score__lte=F("max_score")),
                violation_error_message=_("A score lies between zero and the item's maximum."),
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.score}"


class PhotoQuerySet(ScoreQuerySet):
    pass


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="photos", verbose_name=_("visit")
    )
    file = models.FileField(_("file"), upload_to=upload_path, validators=[validate_attachment])
    original_name = models.CharField(_("file name"), max_length=255)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = PhotoQuerySet.as_manager()
    scope_lookups = Score.scope_lookups

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["inspection", "pk"]

    def __str__(self):
        return self.caption or self.original_name

    def get_absolute_url(self):
        return reverse("inspections:photo", args=[self.pk])


# --- Rectification -----------------------------------------------------------------------


class RectificationQuerySet(RuleQuerySet):
    def for_inspector(self, user):
        return self.filter(inspection__assignment__group__in=groups_of(user))

    def for_local(self, user):
        return self  # the responsible community and its street act on it at once

    def unfinished(self):
        """Not yet verified as rectified."""
        return self.exclude(status=Rectification.Status.VERIFIED)

    def overdue_condition(self, prefix=""):
        """Q for "overdue" as of today: still open or in progress past its deadline."""
        return Q(
            **{
                f"{prefix}status__in": Rectification.LATE_STATUSES,
                f"{prefix}deadline__lt": timezone.localdate(),
            }
        )

    def overdue(self):
        return self.filter(self.overdue_condition())

    def with_overdue(self):
        """Annotates `is_overdue`, computed from today's date by the database."""
        return self.annotate(
            is_overdue=Case(
                When(self.overdue_condition(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )


class Rectification(models.Model):
    """A problem found in a visit, to be rectified (整改) by the responsible community by a
    deadline. The community reports progress; an inspector verifies and closes it.
    Overdue is never stored: it follows the calendar (see `with_overdue`)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("rectification status", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("rectification status", "In progress")
        DONE = "done", _("Reported done")
        VERIFIED = "verified", _("Verified")

    # Statuses in which a passed deadline makes the item overdue: the community still owes
    # the work. "Reported done" waits on the inspectors, not on the community.
    LATE_STATUSES = [Status.OPEN, Status.IN_PROGRESS]

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("visit"),
    )
    problem = models.TextField(_("problem"))
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="inspection_rectifications",
        verbose_name=_("responsible community"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = RectificationQuerySet.as_manager()
    scope_lookups = {
        "district": "community__street__district",
        "street": "community__street",
        "community": "community",
    }

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["deadline", "pk"]
        permissions = [("verify_rectification", _("Can verify a rectification"))]
        constraints = [
            models.CheckConstraint(
                name="rectification_verified_has_who_and_when",
                condition=Q(status="verified", verified_by__isnull=False, verified_on__isnull=False)
                | ~Q(status="verified") & Q(verified_by__isnull=True, verified_on__isnull=True),
                violation_error_message=_(
                    "A verified rectification records who verified it and when, and only it does."
                ),
            )
        ]
        indexes = [models.Index(fields=["community", "status", "deadline"])]

    def __str__(self):
        return self.problem[:40]

    def get_absolute_url(self):
        return reverse("inspections:rectification", args=[self.pk])

    def overdue_on(self, day):
        """Whether the item is overdue on `day`: the Python twin of
        RectificationQuerySet.overdue_condition (querysets annotate `is_overdue` instead)."""
        return self.status in self.LATE_STATUSES and self.deadline < day


class NoteQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(rectification__in=Rectification.objects.visible_to(user).values("pk"))


class ProgressNote(models.Model):
    """One entry of a rectification's timeline: progress or completion reported by the
    community, or the inspectors' verification (accepted or sent back)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        DONE = "done", _("Reported done")
        RETURNED = "returned", _("Sent back")
        VERIFIED = "verified", _("Verified")

    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.PROTECT,
        related_name="notes",
        verbose_name=_("rectification"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("note"))
    evidence = models.FileField(
        _("evidence"),
        upload_to=upload_path,
        validators=[validate_attachment],
        blank=True,
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = NoteQuerySet.as_manager()
    scope_lookups = {
        "district": "rectification__community__street__district",
        "street": "rectification__community__street",
        "community": "rectification__community",
    }

    class Meta:
        verbose_name = _("rectification note")
        verbose_name_plural = _("rectification notes")
        ordering = ["rectification", "noted_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.noted_on:%Y-%m-%d}"


# --- Bulletin ----------------------------------------------------------------------------


class BulletinQuerySet(RuleQuerySet):
    def published(self):
        return self.filter(status=Bulletin.Status.PUBLISHED)

    def for_inspector(self, user):
        return self.published()

    def for_local(self, user):
        return self.published()


class Bulletin(models.Model):
    """The district bulletin (督查通报) of a closed campaign. While a draft its figures are
    computed from the visits; publishing stores what it says in `snapshot`, from which the
    published page and workbook are rendered ever after."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    campaign = models.OneToOneField(
        Campaign, on_delete=models.PROTECT, related_name="bulletin", verbose_name=_("campaign")
    )
    number = models.CharField(
        _("document number"),
        max_length=50,
        blank=True,
        help_text=_("For example 武民督〔2026〕3号."),
    )
    title = models.CharField(_("title"), max_length=120)
    introduction = models.TextField(_("introduction"), blank=True)
    requirements = models.TextField(
        _("requirements"), blank=True, help_text=_("What streets and communities must do next.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    snapshot = models.JSONField(_("content as published"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = BulletinQuerySet.as_manager()
    scope_lookups = {
        "district": "campaign__district",
        "street": "campaign__district__streets",
        "community": "campaign__district__streets__communities",
    }

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-published_on", "-pk"]
        permissions = [("publish_bulletin", _("Can publish a bulletin"))]
        constraints = [
            models.CheckConstraint(
                name="bulletin_published_is_complete",
                condition=Q(
                    status="published",
                    published_on__isnull=False,
                    published_by__isnull=False,
                    snapshot__isnull=False,
                )
                | Q(
                    status="draft",
                    published_on__isnull=True,
                    published_by__isnull=True,
                    snapshot__isnull=True,
                ),
                violation_error_message=_(
                    "A published bulletin records its date, publisher and content; a draft none."
                ),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inspections:bulletin", args=[self.pk])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def clean(self):
        if self.pk and Bulletin.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists():
            raise ValidationError(_("A published bulletin cannot be changed."))
        campaign = _related_or_none(self, "campaign")
        if campaign is not None and not campaign.is_closed:
            raise ValidationError({"campaign": _("A bulletin is written for a closed campaign.")})
