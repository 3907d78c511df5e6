"""Admin screens of the inspections app: scoped, with history and Excel export.

Lists, change pages and foreign-key choices go through each model's `visible_to`, so the
role rules (an inspector sees only their groups' visits) hold here as on the pages. Visits
are recorded and rectifications followed up on the pages, which run the services; here
they are listed, exported and, within the rules, corrected.
"""

import rules
from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inspections import selectors, services
from inspections.forms import StaffChoiceField
from inspections.models import (
    Assignment,
    Bulletin,
    Campaign,
    CampaignArea,
    CampaignItem,
    CriteriaArea,
    CriteriaItem,
    CriteriaTemplate,
    GroupMember,
    Inspection,
    InspectionGroup,
    InspectionPhoto,
    ProgressNote,
    Rectification,
    Score,
    is_district_user,
)
from inspections.resources import (
    AssignmentResource,
    CampaignResource,
    CriteriaItemResource,
    InspectionResource,
    RectificationResource,
)
from portal.admin import PortalAdmin, ReadOnlyInline, ScopedAdminMixin
from portal.models import person_name

STAFF_FIELDS = {"leader", "user"}


class VisibleMixin(ScopedAdminMixin):
    """Scoped as every admin screen is; people to choose as leaders or members are the
    inspection staff the user may manage."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in STAFF_FIELDS:
            kwargs["queryset"] = selectors.staff_to_choose(request.user)
            kwargs["form_class"] = StaffChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ViewOnlyInline(ReadOnlyInline):
    """Read-only, and not even changeable: the parent's form is saved without these rows'
    formset (they are recorded on the pages, through the services)."""

    def has_change_permission(self, request, obj=None):
        return False


class InspectionsAdmin(VisibleMixin, PortalAdmin):
    importable = False  # records are made on the pages, through the services

    def has_import_permission(self, request):
        return self.importable and super().has_import_permission(request)


# --- Criteria ----------------------------------------------------------------------------


class CriteriaAreaInline(VisibleMixin, admin.TabularInline):
    model = CriteriaArea
    fields = ["name", "position"]
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(CriteriaTemplate)
class CriteriaTemplateAdmin(InspectionsAdmin):
    list_display = ["name", "district", "retired_on"]
    list_filter = [("district", RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    inlines = [CriteriaAreaInline]

    def has_export_permission(self, request):
        return False


class CriteriaItemInline(VisibleMixin, admin.TabularInline):
    model = CriteriaItem
    fields = ["name", "max_score", "position"]
    extra = 0
    can_delete = False


@admin.register(CriteriaArea)
class CriteriaAreaAdmin(InspectionsAdmin):
    list_display = ["name", "template", "position"]
    list_filter = [("template", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "template__name"]
    list_select_related = ["template"]
    inlines = [CriteriaItemInline]

    def has_export_permission(self, request):
        return False


@admin.register(CriteriaItem)
class CriteriaItemAdmin(InspectionsAdmin):
    list_display = ["name", "area", "template", "max_score", "position"]
    list_filter = [("area__template", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "area__name"]
    list_select_related = ["area__template"]
    resource_classes = [CriteriaItemResource]
    importable = True

    @admin.display(description=_("criteria template"), ordering="area__template__name")
    def template(self, item):
        return item.area.template


# --- Campaigns ---------------------------------------------------------------------------


class CampaignAreaInline(VisibleMixin, admin.TabularInline):
    model = CampaignArea
    fields = ["name", "position"]
    extra = 0
    show_change_link = True
    can_delete = False

    def has_change_permission(self, request, obj=None):
        locked = obj is not None and services.criteria_locked(obj)
        return not locked and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        locked = obj is not None and services.criteria_locked(obj)
        return not locked and super().has_add_permission(request, obj)


class CampaignAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        template = data.get("criteria_template")
        if self.instance.pk is None and template is not None:
            try:  # refused here, with the form, rather than when the campaign is saved
                services.check_template(template)
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Campaign)
class CampaignAdmin(InspectionsAdmin):
    form = CampaignAdminForm
    list_display = ["title", "year", "district", "status", "starts_on", "ends_on", "leader_name"]
    list_filter = ["status", "year", ("district", RelatedOnlyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["district", "leader"]
    resource_classes = [CampaignResource]
    inlines = [CampaignAreaInline]
    fieldsets = [
        (None, {"fields": ["district", "year", "title", "starts_on", "ends_on", "leader"]}),
        (_("Scoring"), {"fields": ["criteria_template", "commend_threshold"]}),
        (None, {"fields": ["criticise_threshold", "min_ranked_courtyards", "notes"]}),
        (_("Status"), {"fields": ["status", "closed_on", "results_published_on"]}),
    ]

    @admin.display(description=_("leader"), ordering="leader__last_name")
    def leader_name(self, campaign):
        return person_name(campaign.leader)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "closed_on", "results_published_on"]
        if obj is not None:
            readonly += ["district", "criteria_template"]
            if services.criteria_locked(obj):
                readonly += ["commend_threshold", "criticise_threshold"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "criteria_template" in form.base_fields:
            field = form.base_fields["criteria_template"]
            field.queryset = field.queryset.filter(retired_on__isnull=True)
            field.help_text = _("Its areas and items are copied into the campaign.")
        return form

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:  # as the portal's page does: saved with its criteria copied, or not at all
            services.campaign_create(campaign=obj, template=obj.criteria_template, by=request.user)


class CampaignItemInline(VisibleMixin, admin.TabularInline):
    model = CampaignItem
    fields = ["name", "max_score", "position"]
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        locked = obj is not None and services.criteria_locked(obj.campaign)
        return not locked and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        locked = obj is not None and services.criteria_locked(obj.campaign)
        return not locked and super().has_add_permission(request, obj)


@admin.register(CampaignArea)
class CampaignAreaAdmin(InspectionsAdmin):
    """A campaign's own copy of the criteria; fixed once the campaign has a visit."""

    list_display = ["name", "campaign", "position"]
    list_filter = [("campaign", RelatedOnlyFieldListFilter)]
    list_select_related = ["campaign"]
    inlines = [CampaignItemInline]

    def has_change_permission(self, request, obj=None):
        locked = obj is not None and services.criteria_locked(obj.campaign)
        return not locked and super().has_change_permission(request, obj)

    def has_export_permission(self, request):
        return False


# --- Groups and targets ------------------------------------------------------------------


class GroupMemberInline(VisibleMixin, admin.TabularInline):
    model = GroupMember
    fields = ["user"]
    extra = 0
    can_delete = False


class AssignmentInline(VisibleMixin, admin.TabularInline):
    model = Assignment
    fk_name = "group"
    fields = ["courtyard", "community"]
    autocomplete_fields = ["courtyard", "community"]
    extra = 0
    can_delete = False


@admin.register(InspectionGroup)
class InspectionGroupAdmin(InspectionsAdmin):
    list_display = ["name", "campaign", "leader_name"]
    list_filter = [("campaign", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "campaign__title"]
    list_select_related = ["campaign", "leader"]
    inlines = [GroupMemberInline, AssignmentInline]

    @admin.display(description=_("group leader"), ordering="leader__last_name")
    def leader_name(self, group):
        return person_name(group.leader)

    def get_readonly_fields(self, request, obj=None):
        return ["campaign"] if obj is not None else []

    def has_export_permission(self, request):
        return False


@admin.register(Assignment)
class AssignmentAdmin(InspectionsAdmin):
    list_display = ["target", "kind", "community", "street", "group", "campaign"]
    list_filter = [
        ("campaign", RelatedOnlyFieldListFilter),
        ("group", RelatedOnlyFieldListFilter),
        ("community__street", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["courtyard__name", "community__name"]
    list_select_related = ["campaign", "group__campaign", "community__street", "courtyard"]
    autocomplete_fields = ["courtyard", "community"]
    resource_classes = [AssignmentResource]
    fields = ["group", "courtyard", "community"]

    @admin.display(description=_("target"))
    def target(self, assignment):
        return assignment.target_name

    @admin.display(description=_("kind"))
    def kind(self, assignment):
        return _("Community") if assignment.is_community else _("Courtyard")

    @admin.display(description=_("street"), ordering="community__street__name")
    def street(self, assignment):
        return assignment.community.street


# --- Visits ------------------------------------------------------------------------------


class ScoreInline(ViewOnlyInline):
    model = Score
    fields = ["item", "score", "max_score", "remark"]


class PhotoInline(ViewOnlyInline):
    model = InspectionPhoto
    fields = ["original_name", "caption", "uploaded_by", "uploaded_at"]


class VerdictFilter(admin.SimpleListFilter):
    title = _("final verdict")
    parameter_name = "verdict"

    def lookups(self, request, model_admin):
        from inspections.models import Verdict

        return Verdict.choices

    def queryset(self, request, queryset):
        return queryset.filter(final_verdict=self.value()) if self.value() else queryset


@admin.register(Inspection)
class InspectionAdmin(InspectionsAdmin):
    """Visits are recorded on the pages; here they are listed, exported, and their
    findings and verdict corrected (scores are corrected on the visit's page)."""

    list_display = [
        "target",
        "street",
        "group",
        "visited_on",
        "total",
        "final_verdict",
        "is_reinspection",
    ]
    list_filter = [
        ("assignment__campaign", RelatedOnlyFieldListFilter),
        ("assignment__group", RelatedOnlyFieldListFilter),
        ("assignment__community__street", RelatedOnlyFieldListFilter),
        VerdictFilter,
        "is_reinspection",
    ]
    search_fields = ["assignment__courtyard__name", "assignment__community__name"]
    list_select_related = [
        "assignment__courtyard",
        "assignment__community__street",
        "assignment__group",
        "assignment__campaign",
    ]
    date_hierarchy = "visited_on"
    resource_classes = [InspectionResource]
    inlines = [ScoreInline, PhotoInline]
    fields = [
        "assignment",
        "visited_on",
        "is_reinspection",
        "reinspection_reason",
        "total",
        "max_total",
        "suggested_verdict",
        "final_verdict",
        "verdict_reason",
        "findings",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = [
        "assignment",
        "visited_on",
        "is_reinspection",
        "reinspection_reason",
        "total",
        "max_total",
        "suggested_verdict",
        "recorded_by",
        "recorded_at",
    ]

    @admin.display(description=_("target"))
    def target(self, inspection):
        return inspection.assignment.target_name

    @admin.display(description=_("street"), ordering="assignment__community__street__name")
    def street(self, inspection):
        return inspection.assignment.community.street

    @admin.display(description=_("inspection group"), ordering="assignment__group__name")
    def group(self, inspection):
        return inspection.assignment.group.name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            # Not user.has_perm: a superuser too corrects no visit of a planned campaign.
            return rules.has_perm("inspections.edit_visit", request.user, obj)
        return super().has_change_permission(request, obj)


# --- Rectification -----------------------------------------------------------------------


class NoteInline(ViewOnlyInline):
    model = ProgressNote
    fields = ["noted_on", "kind", "text", "evidence_name", "author"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(queryset.overdue_condition())
        return queryset


@admin.register(Rectification)
class RectificationAdmin(InspectionsAdmin):
    """Rectifications are added on a visit's page and followed up on their own page; here
    district staff may correct the problem's wording, the community or the deadline."""

    list_display = ["short_problem", "community", "street", "deadline", "status", "overdue"]
    list_filter = [
        "status",
        OverdueFilter,
        ("inspection__assignment__campaign", RelatedOnlyFieldListFilter),
        ("community__street", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["problem", "community__name", "inspection__assignment__courtyard__name"]
    list_select_related = ["community__street", "inspection__assignment__courtyard"]
    resource_classes = [RectificationResource]
    inlines = [NoteInline]
    fields = [
        "inspection",
        "problem",
        "community",
        "deadline",
        "status",
        "created_by",
        "verified_by",
        "verified_on",
    ]
    readonly_fields = ["inspection", "status", "created_by", "verified_by", "verified_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue()

    @admin.display(description=_("problem"))
    def short_problem(self, rectification):
        return str(rectification)

    @admin.display(description=_("street"), ordering="community__street__name")
    def street(self, rectification):
        return rectification.community.street

    @admin.display(description=_("overdue"), boolean=True, ordering="is_overdue")
    def overdue(self, rectification):
        return rectification.is_overdue

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and (
            obj.status == Rectification.Status.VERIFIED or not is_district_user(request.user)
        ):
            return False
        return super().has_change_permission(request, obj)


@admin.register(ProgressNote)
class ProgressNoteAdmin(InspectionsAdmin):
    list_display = ["rectification", "kind", "noted_on", "author"]
    list_filter = ["kind"]
    list_select_related = ["rectification", "author"]
    fields = ["rectification", "kind", "noted_on", "text", "evidence_name", "author"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return False


# --- Bulletin ----------------------------------------------------------------------------


@admin.register(Bulletin)
class BulletinAdmin(InspectionsAdmin):
    """Bulletins are generated and published on the campaign's pages; a draft's texts may
    be edited here. A published bulletin is read-only: it records what it said."""

    list_display = ["title", "number", "campaign", "status", "published_on"]
    list_filter = ["status"]
    search_fields = ["title", "number"]
    list_select_related = ["campaign"]
    fields = [
        "campaign",
        "title",
        "number",
        "introduction",
        "requirements",
        "status",
        "published_on",
        "published_by",
    ]
    readonly_fields = ["campaign", "status", "published_on", "published_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_export_permission(self, request):
        return False
