"""Admin Excel import/export of the inspections app, with Chinese column headers.

Visits and rectifications are exported only: they are recorded through the pages, which
compute totals and verdicts. Criteria items can be imported, to fill a template from a
spreadsheet (areas must exist first)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import fields

from inspections.models import (
    Assignment,
    Campaign,
    CriteriaArea,
    CriteriaItem,
    Inspection,
    Rectification,
    Verdict,
)
from portal.import_cells import ChoiceWidget, DecimalWidget, IntegerWidget, TextWidget
from portal.importing import ScopedForeignKeyWidget, ScopedResource
from portal.models import person_name


class CriteriaItemResource(ScopedResource):
    template = fields.Field(
        attribute="area__template__name", column_name=_("Criteria template"), readonly=True
    )
    area = fields.Field(
        attribute="area",
        column_name=_("Area"),
        widget=ScopedForeignKeyWidget(
            CriteriaArea, parent_column=_("Criteria template"), parent_field="template__name"
        ),
    )
    name = fields.Field(attribute="name", column_name=_("Scoring item"), widget=TextWidget())
    max_score = fields.Field(
        attribute="max_score", column_name=_("Maximum score"), widget=DecimalWidget(units=["分"])
    )
    position = fields.Field(attribute="position", column_name=_("Order"), widget=IntegerWidget())

    class Meta:
        model = CriteriaItem
        fields = ["template", "area", "name", "max_score", "position"]
        import_id_fields = ["area", "name"]


class CampaignResource(ScopedResource):
    year = fields.Field(attribute="year", column_name=_("Year"), readonly=True)
    title = fields.Field(attribute="title", column_name=_("Title"), readonly=True)
    starts_on = fields.Field(attribute="starts_on", column_name=_("Starts on"), readonly=True)
    ends_on = fields.Field(attribute="ends_on", column_name=_("Ends on"), readonly=True)
    leader = fields.Field(column_name=_("Leader"), readonly=True)
    status = fields.Field(
        attribute="status",
        column_name=_("Status"),
        widget=ChoiceWidget(Campaign.Status.choices),
        readonly=True,
    )
    closed_on = fields.Field(
        attribute="closed_on", column_name=pgettext_lazy("campaign", "Closed on"), readonly=True
    )

    class Meta:
        model = Campaign
        fields = ["year", "title", "starts_on", "ends_on", "leader", "status", "closed_on"]

    def dehydrate_leader(self, campaign):
        return person_name(campaign.leader)


class AssignmentResource(ScopedResource):
    campaign = fields.Field(attribute="campaign__title", column_name=_("Campaign"), readonly=True)
    group = fields.Field(attribute="group__name", column_name=_("Group"), readonly=True)
    street = fields.Field(
        attribute="community__street__name", column_name=_("Street"), readonly=True
    )
    community = fields.Field(attribute="community__name", column_name=_("Community"), readonly=True)
    courtyard = fields.Field(attribute="courtyard__name", column_name=_("Courtyard"), readonly=True)

    class Meta:
        model = Assignment
        fields = ["campaign", "group", "street", "community", "courtyard"]


class InspectionResource(ScopedResource):
    campaign = fields.Field(
        attribute="assignment__campaign__title", column_name=_("Campaign"), readonly=True
    )
    group = fields.Field(attribute="assignment__group__name", column_name=_("Group"), readonly=True)
    street = fields.Field(
        attribute="assignment__community__street__name", column_name=_("Street"), readonly=True
    )
    community = fields.Field(
        attribute="assignment__community__name", column_name=_("Community"), readonly=True
    )
    target = fields.Field(column_name=_("Target"), readonly=True)
    visited_on = fields.Field(attribute="visited_on", column_name=_("Visited on"), readonly=True)
    is_reinspection = fields.Field(column_name=_("Re-inspection"), readonly=True)
    total = fields.Field(attribute="total", column_name=_("Total score"), readonly=True)
    max_total = fields.Field(attribute="max_total", column_name=_("Full marks"), readonly=True)
    suggested_verdict = fields.Field(
        attribute="suggested_verdict",
        column_name=_("Suggested verdict"),
        widget=ChoiceWidget(Verdict.choices),
        readonly=True,
    )
    final_verdict = fields.Field(
        attribute="final_verdict",
        column_name=_("Final verdict"),
        widget=ChoiceWidget(Verdict.choices),
        readonly=True,
    )
    verdict_reason = fields.Field(
        attribute="verdict_reason", column_name=_("Reason for the verdict"), readonly=True
    )
    findings = fields.Field(attribute="findings", column_name=_("Findings"), readonly=True)

    class Meta:
        model = Inspection
        fields = [
            "campaign",
            "group",
            "street",
            "community",
            "target",
            "visited_on",
            "is_reinspection",
            "total",
            "max_total",
            "suggested_verdict",
            "final_verdict",
            "verdict_reason",
            "findings",
        ]

    def dehydrate_target(self, inspection):
        return inspection.assignment.target_name

    def dehydrate_is_reinspection(self, inspection):
        return str(_("Yes")) if inspection.is_reinspection else str(_("No"))


class RectificationResource(ScopedResource):
    street = fields.Field(
        attribute="community__street__name", column_name=_("Street"), readonly=True
    )
    community = fields.Field(
        attribute="community__name", column_name=_("Responsible community"), readonly=True
    )
    target = fields.Field(column_name=_("Target"), readonly=True)
    problem = fields.Field(attribute="problem", column_name=_("Problem"), readonly=True)
    deadline = fields.Field(attribute="deadline", column_name=_("Deadline"), readonly=True)
    status = fields.Field(
        attribute="status",
        column_name=_("Status"),
        widget=ChoiceWidget(Rectification.Status.choices),
        readonly=True,
    )
    overdue = fields.Field(column_name=_("Overdue"), readonly=True)
    verified_on = fields.Field(attribute="verified_on", column_name=_("Verified on"), readonly=True)

    class Meta:
        model = Rectification
        fields = [
            "street",
            "community",
            "target",
            "problem",
            "deadline",
            "status",
            "overdue",
            "verified_on",
        ]

    def dehydrate_target(self, rectification):
        return rectification.inspection.assignment.target_name

    def dehydrate_overdue(self, rectification):
        overdue = getattr(rectification, "is_overdue", None)
        if overdue is None:
            overdue = rectification.overdue_on(timezone.localdate())
        return str(_("Yes")) if overdue else ""
