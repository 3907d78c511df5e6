from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.utils.translation import gettext_lazy as _

from courtyards.models import Community, Courtyard, District, Street
from courtyards.resources import CommunityResource, CourtyardResource, StreetResource
from portal.admin import PortalAdmin


@admin.register(District)
class DistrictAdmin(PortalAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def has_import_permission(self, request):
        return False


@admin.register(Street)
class StreetAdmin(PortalAdmin):
    list_display = ["name", "district", "code"]
    list_filter = [("district", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]
    autocomplete_fields = ["district"]
    list_select_related = ["district"]
    resource_classes = [StreetResource]


@admin.register(Community)
class CommunityAdmin(PortalAdmin):
    list_display = ["name", "street", "code", "address"]
    list_filter = [("street", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "street__name"]
    autocomplete_fields = ["street"]
    list_select_related = ["street"]
    resource_classes = [CommunityResource]


class OpenClosedFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(closed_on__isnull=True)
        if self.value() == "closed":
            return queryset.filter(closed_on__isnull=False)
        return queryset


@admin.register(Courtyard)
class CourtyardAdmin(PortalAdmin):
    list_display = [
        "name",
        "community",
        "street",
        "kind",
        "households",
        "residents",
        "buildings",
        "remediation",
        "is_open",
    ]
    list_filter = [
        ("community__street", RelatedOnlyFieldListFilter),
        ("community", RelatedOnlyFieldListFilter),
        "kind",
        "remediation",
        OpenClosedFilter,
    ]
    search_fields = ["name", "address", "community__name"]
    autocomplete_fields = ["community", "merged_into"]
    list_select_related = ["community__street"]
    resource_classes = [CourtyardResource]
    fieldsets = [
        (None, {"fields": ["community", "name", "address", "kind"]}),
        (_("Size"), {"fields": ["households", "residents", "buildings"]}),
        (_("Management"), {"fields": ["property_company", "owners_committee"]}),
        (_("Remediation"), {"fields": ["remediation", "remediation_year"]}),
        (_("Closing"), {"fields": ["closed_on", "closed_reason", "merged_into"]}),
    ]

    @admin.display(description=_("street"), ordering="community__street__name")
    def street(self, courtyard):
        return courtyard.community.street

    @admin.display(description=_("open"), boolean=True, ordering="closed_on")
    def is_open(self, courtyard):
        return courtyard.is_open
