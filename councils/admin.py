"""Admin screens for the councils records: scoped, with history and Excel.

Single-record edits happen here (names, notes, dates to correct, people, trainings, legacy
terms and memberships). The steps that write several records at once (an election with its
memberships, a recall vote that ends a membership, an evaluation with its results, the
organisation's status path) are recorded on the pages, through councils.services, and are
read-only here."""

from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

from councils import services
from councils.models import (
    Attachment,
    Attendance,
    Body,
    Candidate,
    Coverage,
    DistrictRules,
    Election,
    Evaluation,
    EvaluationRating,
    Inquiry,
    Meeting,
    Membership,
    Motion,
    Objection,
    Organisation,
    Person,
    Recall,
    ResearchVisit,
    Revision,
    Term,
    Training,
    TrainingAttendance,
)
from councils.resources import (
    MembershipResource,
    OrganisationResource,
    PersonResource,
    TrainingResource,
)
from portal.access import mask_address, mask_phone, may_see_personal_data
from portal.admin import PortalAdmin, ReadOnlyInline, ScopedAdminMixin


class ExportOnly:
    def has_import_permission(self, request):
        return False


class NoExcel(ExportOnly):
    def has_export_permission(self, request):
        return False


class RecordedOnPages:
    """Written by a page's workflow (councils.services): read here, never added."""

    page_note = _("Recorded on the organisation's page, which applies the rules.")

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        editable = set(getattr(self, "editable_fields", ()))
        return [f.name for f in self.model._meta.fields if f.name not in editable]


class ServingFilter(admin.SimpleListFilter):
    """Memberships open (serving) or ended."""

    title = _("serving")
    parameter_name = "serving"

    def lookups(self, request, model_admin):
        return [("yes", _("Serving")), ("no", _("Left"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class CoveredFilter(ServingFilter):
    title = _("covered now")
    parameter_name = "covered"

    def lookups(self, request, model_admin):
        return [("yes", _("Covered")), ("no", _("No longer covered"))]


# Organisations


class CoverageInline(ScopedAdminMixin, admin.TabularInline):
    model = Coverage
    extra = 0
    can_delete = False
    fields = ["courtyard", "started_on", "ended_on"]
    autocomplete_fields = ["courtyard"]


@admin.register(Organisation)
class OrganisationAdmin(ExportOnly, PortalAdmin):
    list_display = [
        "name",
        "community",
        "street",
        "status",
        "set_up_on",
        "established_on",
        "accepted_on",
        "dissolved_on",
    ]
    list_filter = [
        ("community__street", RelatedOnlyFieldListFilter),
        ("community", RelatedOnlyFieldListFilter),
        "status",
    ]
    search_fields = ["name", "community__name", "coverage__courtyard__name"]
    autocomplete_fields = ["community"]
    list_select_related = ["community__street"]
    resource_classes = [OrganisationResource]
    inlines = [CoverageInline]
    status_fields = [
        "status",
        "established_on",
        "established_by",
        "accepted_on",
        "accepted_by",
        "acceptance_note",
        "dissolved_on",
        "dissolved_by",
        "dissolved_reason",
        "set_up_by",
    ]
    fieldsets = [
        (None, {"fields": ["community", "name", "set_up_on", "note", "page_link"]}),
        (
            _("Establishment and acceptance (recorded on the organisation's page)"),
            {"fields": status_fields},
        ),
    ]

    @admin.display(description=_("street"), ordering="community__street__name")
    def street(self, organisation):
        return organisation.community.street

    @admin.display(description=_("page"))
    def page_link(self, organisation):
        if not organisation.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', organisation.get_absolute_url(), _("Open the page")
        )

    def get_readonly_fields(self, request, obj=None):
        fixed = ["page_link", *self.status_fields]
        return [*fixed, "community"] if obj else fixed

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_up_by = request.user
        super().save_model(request, obj, form, change)
        services.organisation_ensure_bodies(organisation=obj, by=request.user)


@admin.register(Coverage)
class CoverageAdmin(NoExcel, PortalAdmin):
    """Which organisation covered which courtyard when; edited on the organisation."""

    list_display = ["courtyard", "organisation", "started_on", "ended_on"]
    list_filter = [("organisation__community", RelatedOnlyFieldListFilter), CoveredFilter]
    search_fields = ["courtyard__name", "organisation__name"]
    list_select_related = ["courtyard", "organisation"]
    readonly_fields = ["organisation", "courtyard", "started_on", "ended_on"]

    def has_add_permission(self, request):
        return False


@admin.register(Body)
class BodyAdmin(NoExcel, PortalAdmin):
    list_display = ["organisation", "kind"]
    list_filter = ["kind"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation"]

    def has_add_permission(self, request):
        return False


# Terms and memberships


@admin.register(Term)
class TermAdmin(NoExcel, PortalAdmin):
    list_display = ["organisation", "body_kind", "number", "started_on", "ends_on", "seats"]
    list_filter = ["body__kind", ("body__organisation__community", RelatedOnlyFieldListFilter)]
    search_fields = ["body__organisation__name"]
    autocomplete_fields = ["body"]
    list_select_related = ["body__organisation"]

    @admin.display(description=_("organisation"), ordering="body__organisation__name")
    def organisation(self, term):
        return term.body.organisation

    @admin.display(description=_("body"), ordering="body__kind")
    def body_kind(self, term):
        return term.body.get_kind_display()

    def get_readonly_fields(self, request, obj=None):
        return ["body"] if obj else []


class MembershipForm(forms.ModelForm):
    """The body is always the term's: set from it, and validated with it (the database
    rule "one role per person per body at a time" needs it)."""

    class Meta:
        model = Membership
        fields = ["term", "person", "role", "started_on", "ended_on", "end_reason", "note"]

    def _post_clean(self):
        term = self.cleaned_data.get("term") or getattr(self.instance, "term", None)
        if term is not None:
            self.instance.body = term.body
        super()._post_clean()

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        # Without a term there is no body to check: the form already says the term is missing.
        return exclusions - {"body"} if self.instance.body_id is not None else exclusions


@admin.register(Membership)
class MembershipAdmin(PortalAdmin):
    form = MembershipForm
    list_display = [
        "person",
        "organisation",
        "body_kind",
        "term",
        "role",
        "started_on",
        "ended_on",
        "end_reason",
    ]
    list_filter = [
        ServingFilter,
        "body__kind",
        "role",
        "end_reason",
        ("body__organisation__community", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["person__name", "body__organisation__name"]
    autocomplete_fields = ["term", "person"]
    list_select_related = ["person", "body__organisation", "term"]
    resource_classes = [MembershipResource]
    readonly_fields = ["election"]

    @admin.display(description=_("organisation"), ordering="body__organisation__name")
    def organisation(self, membership):
        return membership.body.organisation

    @admin.display(description=_("body"), ordering="body__kind")
    def body_kind(self, membership):
        return membership.body.get_kind_display()

    @admin.display(description=_("page"))
    def page_link(self, membership):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("councils:membership_end", args=[membership.pk]),
            _("Record leaving on the page"),
        )

    def get_readonly_fields(self, request, obj=None):
        # An open membership is ended on the page (which also lapses a pending recall);
        # here the dates of records already closed can be corrected.
        if obj is None:
            return self.readonly_fields
        if obj.ended_on is None:
            ending = ["page_link"] if request.user.has_perm("councils.change_membership") else []
            return [*ending, *self.readonly_fields, "term", "ended_on", "end_reason"]
        return [*self.readonly_fields, "term"]


# People


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """The history's "changes" column, with personal data masked."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "phone":
            return mask_phone(value)
        if change.field in Person.personal_fields:
            return mask_address(value)
        return super().prepare_delta_change_value(change, value)


@admin.register(Person)
class PersonAdmin(PortalAdmin):
    """Phone, building and unit in full only for users who may see personal data; others
    get masked read-only values, in the list, the form, the history and the export."""

    list_filter = [
        ("courtyard__community", RelatedOnlyFieldListFilter),
        "gender",
        "political_status",
        "education",
    ]
    search_fields = ["name", "phone"]  # by phone only for those who see it (PortalAdmin)
    autocomplete_fields = ["courtyard"]
    list_select_related = ["courtyard__community"]
    resource_classes = [PersonResource]
    personal_columns = ["address"]  # building and unit, for the audit of bulk access
    full_fields = [
        "courtyard",
        "name",
        "gender",
        "birth_year",
        "phone",
        "building",
        "unit",
        "political_status",
        "education",
        "occupation",
        "note",
    ]

    def get_list_display(self, request):
        personal = (
            ["phone", "address"]
            if may_see_personal_data(request.user)
            else ["masked_phone", "masked_address"]
        )
        return ["name", "courtyard", "gender", "birth_year", *personal, "political_status"]

    def get_fields(self, request, obj=None):
        if may_see_personal_data(request.user):
            return self.full_fields
        return [
            "masked_phone" if name == "phone" else "masked_address" if name == "building" else name
            for name in self.full_fields
            if name != "unit"
        ]

    def get_readonly_fields(self, request, obj=None):
        if may_see_personal_data(request.user):
            return []
        return ["masked_phone", "masked_address"]

    def get_historical_record_context_helper(self, request, historical_record):
        if may_see_personal_data(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskedHistoryHelper(self.model, historical_record)

    @admin.display(description=_("phone"))
    def masked_phone(self, person):
        return mask_phone(person.phone) or "—"

    @admin.display(description=_("building and unit"))
    def masked_address(self, person):
        return mask_address(person.address) or "—"

    @admin.display(description=_("building and unit"))
    def address(self, person):
        return person.address or "—"


# Elections, supervision


class CandidateInline(ScopedAdminMixin, admin.TabularInline):
    model = Candidate
    extra = 0
    can_delete = False
    fields = ["person", "votes", "elected", "role"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Election)
class ElectionAdmin(RecordedOnPages, NoExcel, PortalAdmin):
    list_display = ["held_on", "organisation", "body", "kind", "method", "votes_cast"]
    list_filter = ["kind", "method", "body__kind"]
    search_fields = ["body__organisation__name"]
    list_select_related = ["body__organisation", "term"]
    inlines = [CandidateInline]
    editable_fields = ["note"]
    date_hierarchy = "held_on"

    @admin.display(description=_("organisation"), ordering="body__organisation__name")
    def organisation(self, election):
        return election.body.organisation


class RatingInline(ScopedAdminMixin, admin.TabularInline):
    model = EvaluationRating
    extra = 0
    can_delete = False
    fields = ["membership", "satisfied", "basically", "dissatisfied", "result"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(RecordedOnPages, NoExcel, PortalAdmin):
    list_display = ["organisation", "year", "held_on", "evaluators", "group_result"]
    list_filter = ["year", "group_result"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation"]
    inlines = [RatingInline]
    editable_fields = ["note"]


@admin.register(Inquiry)
class InquiryAdmin(NoExcel, PortalAdmin):
    """Raised on the page (which counts the signatures); the answer may be corrected here."""

    list_display = ["organisation", "raised_on", "representatives", "target", "answered_on"]
    list_filter = ["accepted"]
    search_fields = ["organisation__name", "question"]
    list_select_related = ["organisation", "target__person"]
    readonly_fields = ["organisation", "raised_on", "representatives", "target", "question"]

    def has_add_permission(self, request):
        return False


@admin.register(Recall)
class RecallAdmin(RecordedOnPages, NoExcel, PortalAdmin):
    list_display = ["membership", "organisation", "moved_on", "voted_on", "outcome"]
    list_filter = ["outcome", "decided_by"]
    search_fields = ["organisation__name", "membership__person__name"]
    list_select_related = ["organisation", "membership__person"]
    editable_fields = ["moved_by", "reason"]


# Trainings


class AttendanceInline(ScopedAdminMixin, admin.TabularInline):
    model = TrainingAttendance
    extra = 1
    autocomplete_fields = ["person"]

    def has_delete_permission(self, request, obj=None):
        # Taking a name off the list corrects it (the history keeps the row); whoever may
        # change the training may correct it.
        return request.user.has_perm("councils.change_training")


class OrganisedWithinAdmin:
    """Sessions and visits organised above the user's unit are theirs to read, not to
    change (as on the portal's own pages)."""

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and not self.model.objects.organised_within(request.user).filter(pk=obj.pk).exists()
        ):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Training)
class TrainingAdmin(OrganisedWithinAdmin, ExportOnly, PortalAdmin):
    list_display = ["held_on", "topic", "unit", "organiser", "named", "other_attendees"]
    list_filter = [("street", RelatedOnlyFieldListFilter)]
    search_fields = ["topic", "organiser"]
    autocomplete_fields = ["district", "street", "community"]
    list_select_related = ["district", "street", "community"]
    date_hierarchy = "held_on"
    resource_classes = [TrainingResource]
    inlines = [AttendanceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(named=Count("attendance"))

    @admin.display(description=_("people who serve present"), ordering="named")
    def named(self, training):
        return training.named

    @admin.display(description=_("organised by"))
    def unit(self, training):
        return training.unit

    def get_changeform_initial_data(self, request):
        return {"held_on": timezone.localdate(), **super().get_changeform_initial_data(request)}


class ResearchVisitAdminForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        office = ResearchVisit(
            district=cleaned_data.get("district"), street=cleaned_data.get("street")
        )
        office.check_places(
            *[cleaned_data.get(name) or [] for name in ("streets", "communities", "courtyards")]
        )
        return cleaned_data


@admin.register(ResearchVisit)
class ResearchVisitAdmin(OrganisedWithinAdmin, NoExcel, PortalAdmin):
    form = ResearchVisitAdminForm
    list_display = ["visited_on", "topic", "office", "led_by", "staff"]
    list_filter = [("street", RelatedOnlyFieldListFilter)]
    search_fields = ["topic", "led_by", "findings"]
    autocomplete_fields = ["district", "street", "streets", "communities", "courtyards"]
    list_select_related = ["district", "street"]
    date_hierarchy = "visited_on"

    @admin.display(description=_("organised by"))
    def office(self, visit):
        return visit.office


# Meetings: recorded on the meeting pages (councils.services.meetings), which apply the
# quorum and vote rules and keep revisions. Here staff read them; a draft's wording may be
# corrected, and a decision's follow-up marked done.


class MaskedProxiesHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        if change.field == "proxies":
            return mask_address(value)
        return super().prepare_delta_change_value(change, value)


class MeetingAttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["membership", "present", "absence_reason"]


class MotionInline(ReadOnlyInline):
    model = Motion
    fields = ["number", "title", "votes_for", "votes_against", "votes_abstain", "outcome"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["name", "uploaded_at", "uploaded_by"]


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ["number", "made_at", "made_by", "reason", "changes"]


DRAFT_WORDING = ["start_time", "place", "chair", "recorder", "agenda", "minutes"]


@admin.register(Meeting)
class MeetingAdmin(NoExcel, PortalAdmin):
    list_display = ["held_on", "organisation", "kind", "status", "present", "members", "quorum"]
    list_filter = ["kind", "status", "quorum"]
    search_fields = ["organisation__name", "place"]
    list_select_related = ["organisation"]
    date_hierarchy = "held_on"
    inlines = [MeetingAttendanceInline, MotionInline, AttachmentInline, RevisionInline]

    def has_add_permission(self, request):
        return False  # the meeting form fills the roll and applies the rules

    def get_fields(self, request, obj=None):
        fields = [f.name for f in self.model._meta.fields if f.name not in ("id", "version")]
        if not may_see_personal_data(request.user):
            fields = ["masked_proxies" if name == "proxies" else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        editable = DRAFT_WORDING if obj is not None and not obj.is_published else []
        return [name for name in self.get_fields(request, obj) if name not in editable]

    def save_model(self, request, obj, form, change):
        # An edit here outdates a meeting form opened on the pages: they compare versions.
        obj.version += 1
        super().save_model(request, obj, form, change)

    def get_historical_record_context_helper(self, request, historical_record):
        if may_see_personal_data(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskedProxiesHelper(self.model, historical_record)

    @admin.display(description=_("proxies"))
    def masked_proxies(self, meeting):
        return mask_address(meeting.proxies) or "—"


@admin.register(Motion)
class MotionAdmin(RecordedOnPages, NoExcel, PortalAdmin):
    list_display = ["title", "meeting", "outcome", "carried_out_by", "due_on", "done_on"]
    list_filter = ["outcome", "meeting__kind"]
    search_fields = ["title", "meeting__organisation__name"]
    list_select_related = ["meeting__organisation"]
    editable_fields = ["done_on"]  # the follow-up; the decision itself changes on the page


@admin.register(Attendance)
class AttendanceAdmin(RecordedOnPages, NoExcel, PortalAdmin):
    list_display = ["membership", "meeting", "present", "absence_reason"]
    list_filter = ["present"]
    search_fields = ["membership__person__name", "meeting__organisation__name"]
    list_select_related = ["membership__person", "meeting__organisation"]


@admin.register(Attachment)
class AttachmentAdmin(RecordedOnPages, NoExcel, PortalAdmin):
    list_display = ["name", "meeting", "uploaded_at", "uploaded_by", "open_link"]
    search_fields = ["name", "meeting__organisation__name"]
    list_select_related = ["meeting__organisation", "uploaded_by"]

    @admin.display(description=_("file"))
    def open_link(self, attachment):
        return format_html('<a href="{}">{}</a>', attachment.get_absolute_url(), attachment.name)


@admin.register(Revision)
class RevisionAdmin(RecordedOnPages, NoExcel, PortalAdmin):
    list_display = ["meeting", "number", "made_at", "made_by", "reason"]
    search_fields = ["reason", "meeting__organisation__name"]
    list_select_related = ["meeting__organisation", "made_by"]


@admin.register(Objection)
class ObjectionAdmin(RecordedOnPages, NoExcel, PortalAdmin):
    list_display = ["motion", "received_on", "recorded_by"]
    search_fields = ["motion__title", "summary"]
    list_select_related = ["motion", "recorded_by"]


@admin.register(DistrictRules)
class DistrictRulesAdmin(NoExcel, PortalAdmin):
    """The district's rules (docs/rules.md): a district without a row has the defaults,
    each with its source in the field's help text."""

    list_display = [
        "district",
        "households_per_representative_min",
        "households_per_representative_max",
        "term_years",
        "quorum_percent",
        "adoption_percent",
        "notice_days",
    ]
    list_select_related = ["district"]
    fieldsets = [
        (None, {"fields": ["district"]}),
        (
            _("Courtyard representatives"),
            {
                "fields": [
                    "households_per_representative_min",
                    "households_per_representative_max",
                    "term_years",
                ]
            },
        ),
        (_("Residents' meeting"), {"fields": ["quorum_percent", "adoption_percent"]}),
        (_("Publication"), {"fields": ["notice_days"]}),
    ]
