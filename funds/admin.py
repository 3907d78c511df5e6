"""Admin screens of the special fund: scoped, with history and Excel.

Every save goes through funds.services. Validation that depends on other records (the
balance, the budget, spending against an allocation) runs in the form's `_post_clean`
after taking the courtyard's row lock: the admin wraps the whole request in one
transaction, so the lock holds from the check until the save. Nothing financial is deleted,
and entries are never edited: an expenditure only takes a receipt scan afterwards.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from funds.formatting import yuan
from funds.forms import resolution_choices, resolution_label
from funds.models import (
    Allocation,
    Expenditure,
    FundRate,
    Income,
    OwnExpenditure,
    Project,
    approving_resolutions,
)
from funds.resources import (
    AllocationResource,
    ExpenditureResource,
    IncomeResource,
    ProjectResource,
)
from funds.selectors import projects_with_spending
from funds.services import (
    allocation_save,
    attach_receipt,
    check_allocation,
    check_expenditure,
    check_own_expenditure,
    check_project,
    expenditure_add,
    income_add,
    lock_courtyard,
    lock_holder,
    own_expenditure_add,
    project_save,
    sources_for,
)
from portal.access import visible
from portal.admin import PortalAdmin

COURTYARD_FILTERS = [
    ("courtyard__community__street", RelatedOnlyFieldListFilter),
    ("courtyard__community", RelatedOnlyFieldListFilter),
]
COURTYARD_RELATED = ["courtyard__community__street"]
# Allocations, projects and expenditures: a courtyard's or the community's own (社区本级).
COMMUNITY_FILTERS = [
    ("community__street", RelatedOnlyFieldListFilter),
    ("community", RelatedOnlyFieldListFilter),
]
COMMUNITY_RELATED = ["community__street", "courtyard"]


class FundAdmin(PortalAdmin):
    """Nothing financial is ever deleted, not even by a superuser."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user
        return form


class CheckedForm:
    """A model form whose instance, once valid on its own, passes a service check under the
    courtyard's lock (the admin's request transaction keeps the lock until the save).

    The community may be left empty when a courtyard is named (the model fills it in); a
    community without a courtyard is the community's own fund (社区本级)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "community" in self.fields:
            self.fields["community"].required = False

    def service_check(self):
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.service_check()
        except ValidationError as error:
            self._update_errors(error)


class AllocationForm(CheckedForm, forms.ModelForm):
    def service_check(self):
        if self.instance.pk:
            lock_holder(Allocation.objects.get(pk=self.instance.pk))
        lock_holder(self.instance)
        check_allocation(self.instance, by=self.request_user)


class ProjectForm(CheckedForm, forms.ModelForm):
    def service_check(self):
        lock_holder(self.instance)
        check_project(self.instance)


class ExpenditureForm(CheckedForm, forms.ModelForm):
    def service_check(self):
        if self.instance.pk:
            return  # a recorded entry only takes a receipt scan
        lock_holder(self.instance.project)
        check_expenditure(self.instance)


class CourtyardOrOwnColumn:
    """The column "courtyard" of allocations, projects and expenditures: 社区本级 for the
    community's own fund, where an empty courtyard would show as "-"."""

    @admin.display(description=_("courtyard"), ordering="courtyard__name")
    def courtyard_or_own(self, record):
        return record.courtyard or _("Community's own fund")


def payee_column(request):
    """The payee as `request.user` may see it (individuals masked without the right); one
    callable per request, so that field lists and read-only lists name the same one."""
    if not hasattr(request, "_funds_payee_column"):
        request._funds_payee_column = _payee_column(request)
    return request._funds_payee_column


def _payee_column(request):
    @admin.display(description=_("payee"), ordering="payee")
    def payee(expenditure):
        return expenditure.payee_for(request.user)

    return payee


@admin.register(FundRate)
class FundRateAdmin(FundAdmin):
    list_display = ["district", "year", "households_per_unit", "yuan_per_unit", "threshold"]
    list_filter = ["year", ("district", RelatedOnlyFieldListFilter)]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]

    @admin.display(description=_("approval threshold (yuan)"), ordering="approval_threshold")
    def threshold(self, rate):
        return yuan(rate.approval_threshold)

    def has_import_permission(self, request):
        return False


class WithdrawnFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("no", _("In force")), ("yes", _("Withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(withdrawn_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(withdrawn_on__isnull=False)
        return queryset


@admin.register(Allocation)
class AllocationAdmin(CourtyardOrOwnColumn, FundAdmin):
    list_display = [
        "courtyard_or_own",
        "community",
        "year",
        "source",
        "amount",
        "allocated_on",
        "document_number",
        "computed",
        "in_force",
    ]
    list_filter = ["year", "source", *COMMUNITY_FILTERS, WithdrawnFilter]
    list_select_related = COMMUNITY_RELATED
    search_fields = ["courtyard__name", "community__name", "document_number"]
    autocomplete_fields = ["community", "courtyard"]
    resource_classes = [AllocationResource]
    fields = [
        "community",
        "courtyard",
        "year",
        "source",
        "amount",
        "allocated_on",
        "document_number",
        "note",
        "rate",
        "households",
        "withdrawn_on",
        "withdrawn_reason",
    ]

    form = AllocationForm

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.rate_id:
            # Computed from the rate: only the generator changes these.
            return [
                "community",
                "courtyard",
                "year",
                "source",
                "amount",
                "rate",
                "households",
                "withdrawn_on",
                "withdrawn_reason",
            ]
        return ["rate", "households"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "source":
            allowed = sources_for(request.user)
            kwargs["choices"] = [c for c in db_field.choices if c[0] in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        allocation_save(allocation=obj, by=request.user)

    @admin.display(description=_("computed from the rate"), boolean=True)
    def computed(self, allocation):
        return allocation.rate_id is not None

    @admin.display(description=_("in force"), boolean=True, ordering="withdrawn_on")
    def in_force(self, allocation):
        return not allocation.is_withdrawn


@admin.register(Project)
class ProjectAdmin(CourtyardOrOwnColumn, FundAdmin):
    list_display = [
        "title",
        "courtyard_or_own",
        "community",
        "year",
        "category",
        "status",
        "budget",
        "spent",
    ]
    list_filter = ["year", "category", "status", *COMMUNITY_FILTERS]
    list_select_related = COMMUNITY_RELATED
    search_fields = ["title", "courtyard__name", "community__name"]
    autocomplete_fields = ["community", "courtyard"]
    resource_classes = [ProjectResource]

    form = ProjectForm

    def get_queryset(self, request):
        return projects_with_spending(super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "resolution":
            # the scope's approving resolutions (the model checks the courtyard's own), in one
            # chain of filters: combining querysets with & joins the meetings twice
            field.queryset = resolution_choices(visible(approving_resolutions(), request.user))
            field.label_from_instance = resolution_label
        return field

    @admin.display(description=_("spent (yuan)"), ordering="spent")
    def spent(self, project):
        return yuan(project.spent)

    def save_model(self, request, obj, form, change):
        project_save(project=obj, by=request.user)

    def has_import_permission(self, request):
        return False


class ReversalFilter(admin.SimpleListFilter):
    title = pgettext_lazy("kind of money record", "entry")
    parameter_name = "entry"

    def lookups(self, request, model_admin):
        return [("original", _("Entries")), ("reversal", _("Reversing entries"))]

    def queryset(self, request, queryset):
        if self.value() == "original":
            return queryset.filter(reverses__isnull=True)
        if self.value() == "reversal":
            return queryset.filter(reverses__isnull=False)
        return queryset


class EntryAdmin(FundAdmin):
    """Entries are added, never edited: corrections are reversing entries, recorded from
    the entry's page in the portal."""

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount (yuan)"), ordering="amount")
    def signed(self, entry):
        return yuan(entry.signed_amount)

    @admin.display(description=_("reversing entry"), boolean=True)
    def is_reversal(self, entry):
        return entry.is_reversal


@admin.register(Expenditure)
class ExpenditureAdmin(CourtyardOrOwnColumn, EntryAdmin):
    list_display = [
        "voucher_number",
        "spent_on",
        "courtyard_or_own",
        "project",
        "payee",
        "signed",
        "is_reversal",
    ]
    list_filter = ["year", *COMMUNITY_FILTERS, "payee_kind", ReversalFilter]
    list_select_related = [*COMMUNITY_RELATED, "project"]
    search_fields = ["voucher_number", "project__title", "courtyard__name", "description"]
    autocomplete_fields = ["project"]
    resource_classes = [ExpenditureResource]
    add_fields = [
        "project",
        "spent_on",
        "amount",
        "payee",
        "payee_kind",
        "voucher_number",
        "description",
        "receipt",
    ]

    form = ExpenditureForm

    def has_change_permission(self, request, obj=None):
        # "change" only attaches a receipt scan; every other field stays as recorded.
        return request.user.has_perm("funds.change_expenditure") and (
            obj is None or not obj.is_reversal
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [
            "community",
            "courtyard",
            "year",
            "project",
            "spent_on",
            "amount",
            payee_column(request),
            "payee_kind",
            "voucher_number",
            "description",
            "reverses",
            "portal_page",
            "receipt",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f for f in self.get_fields(request, obj) if f != "receipt"]

    def get_list_display(self, request):
        return [payee_column(request) if f == "payee" else f for f in self.list_display]

    @admin.display(description=_("in the portal"))
    def portal_page(self, expenditure):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("funds:expenditure", args=[expenditure.pk]),
            _("Open the entry (to reverse it)"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            attach_receipt(expenditure=obj, receipt=obj.receipt, by=request.user)
        else:
            expenditure_add(expenditure=obj, by=request.user)


@admin.register(Income)
class IncomeAdmin(EntryAdmin):
    list_display = ["received_on", "courtyard", "kind", "signed", "note", "is_reversal"]
    list_filter = [*COURTYARD_FILTERS, "kind", ReversalFilter]
    list_select_related = COURTYARD_RELATED
    search_fields = ["courtyard__name", "note"]
    autocomplete_fields = ["courtyard"]
    resource_classes = [IncomeResource]
    fields = ["courtyard", "received_on", "kind", "amount", "note", "reverses"]
    readonly_fields = ["reverses"]

    def save_model(self, request, obj, form, change):
        income_add(income=obj, by=request.user)


class OwnExpenditureForm(CheckedForm, forms.ModelForm):
    def service_check(self):
        lock_courtyard(self.instance.courtyard_id)
        check_own_expenditure(self.instance)


@admin.register(OwnExpenditure)
class OwnExpenditureAdmin(EntryAdmin):
    """Own-money spending: added through the balance check, never edited; reversed from the
    courtyard's own-money ledger in the portal."""

    list_display = [
        "voucher_number",
        "spent_on",
        "courtyard",
        "payee",
        "signed",
        "resolution",
        "is_reversal",
    ]
    list_filter = ["year", *COURTYARD_FILTERS, "payee_kind", ReversalFilter]
    list_select_related = [*COURTYARD_RELATED, "resolution"]
    search_fields = ["voucher_number", "courtyard__name", "description"]
    autocomplete_fields = ["courtyard"]
    form = OwnExpenditureForm
    add_fields = [
        "courtyard",
        "spent_on",
        "amount",
        "resolution",
        "payee",
        "payee_kind",
        "voucher_number",
        "description",
        "receipt",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return [
            "courtyard",
            "year",
            "spent_on",
            "amount",
            "resolution",
            payee_column(request),
            "payee_kind",
            "voucher_number",
            "description",
            "reverses",
            "receipt",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def get_list_display(self, request):
        return [payee_column(request) if f == "payee" else f for f in self.list_display]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "resolution":  # as ProjectAdmin's
            field.queryset = resolution_choices(visible(approving_resolutions(), request.user))
            field.label_from_instance = resolution_label
        return field

    def has_import_permission(self, request):
        return False  # recorded one by one, each naming its resolution

    def save_model(self, request, obj, form, change):
        own_expenditure_add(expenditure=obj, by=request.user)
