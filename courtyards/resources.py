from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from courtyards.models import Community, Courtyard, District, Street
from portal.importing import ScopedForeignKeyWidget, ScopedResource


class ChoiceLabelWidget(widgets.Widget):
    """Reads and writes a choice by its label as people type it (老式院落), not its code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        text = str(value).strip()
        for code, label in self.choices:
            if text in (str(label), code):
                return code
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": text, "choices": "、".join(str(label) for _code, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class StreetResource(ScopedResource):
    district = fields.Field(
        attribute="district", column_name=_("District"), widget=ScopedForeignKeyWidget(District)
    )
    name = fields.Field(attribute="name", column_name=_("Street"), widget=widgets.CharWidget())
    code = fields.Field(
        attribute="code", column_name=_("Division code"), widget=widgets.CharWidget()
    )

    class Meta:
        model = Street
        fields = ["district", "name", "code"]
        import_id_fields = ["district", "name"]


class CommunityResource(ScopedResource):
    street = fields.Field(
        attribute="street", column_name=_("Street"), widget=ScopedForeignKeyWidget(Street)
    )
    name = fields.Field(attribute="name", column_name=_("Community"), widget=widgets.CharWidget())
    code = fields.Field(
        attribute="code", column_name=_("Division code"), widget=widgets.CharWidget()
    )
    address = fields.Field(
        attribute="address", column_name=_("Office address"), widget=widgets.CharWidget()
    )

    class Meta:
        model = Community
        fields = ["street", "name", "code", "address"]
        import_id_fields = ["street", "name"]


class CourtyardResource(ScopedResource):
    street = fields.Field(
        attribute="community__street__name", column_name=_("Street"), readonly=True
    )
    community = fields.Field(
        attribute="community",
        column_name=_("Community"),
        widget=ScopedForeignKeyWidget(
            Community, parent_column=_("Street"), parent_field="street__name"
        ),
    )
    name = fields.Field(attribute="name", column_name=_("Courtyard"), widget=widgets.CharWidget())
    address = fields.Field(
        attribute="address", column_name=_("Address"), widget=widgets.CharWidget()
    )
    kind = fields.Field(
        attribute="kind", column_name=_("Kind"), widget=ChoiceLabelWidget(Courtyard.Kind.choices)
    )
    households = fields.Field(
        attribute="households", column_name=_("Households"), widget=widgets.IntegerWidget()
    )
    residents = fields.Field(
        attribute="residents", column_name=_("Residents"), widget=widgets.IntegerWidget()
    )
    buildings = fields.Field(
        attribute="buildings", column_name=_("Buildings"), widget=widgets.IntegerWidget()
    )
    property_company = fields.Field(
        attribute="property_company",
        column_name=_("Property management company"),
        widget=widgets.CharWidget(),
    )
    owners_committee = fields.Field(
        attribute="owners_committee",
        column_name=_("Owners' committee"),
        widget=widgets.CharWidget(),
    )
    remediation = fields.Field(
        attribute="remediation",
        column_name=_("Remediation"),
        widget=ChoiceLabelWidget(Courtyard.Remediation.choices),
    )
    remediation_year = fields.Field(
        attribute="remediation_year",
        column_name=_("Remediation year"),
        widget=widgets.IntegerWidget(),
    )

    class Meta:
        model = Courtyard
        fields = [
            "street",
            "community",
            "name",
            "address",
            "kind",
            "households",
            "residents",
            "buildings",
            "property_company",
            "owners_committee",
            "remediation",
            "remediation_year",
        ]
        import_id_fields = ["community", "name"]
