"""Excel import and export of streets, communities and courtyards, with Chinese headers
(portal.importing reads the files; portal.import_cells the cells)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from courtyards.models import Community, Courtyard, District, Street
from portal.import_cells import ChoiceWidget, IntegerWidget, TextWidget
from portal.importing import ScopedForeignKeyWidget, ScopedResource


class StreetResource(ScopedResource):
    district = fields.Field(
        attribute="district", column_name=_("District"), widget=ScopedForeignKeyWidget(District)
    )
    name = fields.Field(attribute="name", column_name=_("Street"), widget=TextWidget())
    code = fields.Field(attribute="code", column_name=_("Division code"), widget=TextWidget())

    class Meta:
        model = Street
        fields = ["district", "name", "code"]
        import_id_fields = ["district", "name"]


class CommunityResource(ScopedResource):
    street = fields.Field(
        attribute="street", column_name=_("Street"), widget=ScopedForeignKeyWidget(Street)
    )
    name = fields.Field(attribute="name", column_name=_("Community"), widget=TextWidget())
    code = fields.Field(attribute="code", column_name=_("Division code"), widget=TextWidget())
    address = fields.Field(
        attribute="address", column_name=_("Office address"), widget=TextWidget()
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
    name = fields.Field(attribute="name", column_name=_("Courtyard"), widget=TextWidget())
    address = fields.Field(attribute="address", column_name=_("Address"), widget=TextWidget())
    kind = fields.Field(
        attribute="kind", column_name=_("Kind"), widget=ChoiceWidget(Courtyard.Kind.choices)
    )
    households = fields.Field(
        attribute="households", column_name=_("Households"), widget=IntegerWidget(units=["户"])
    )
    residents = fields.Field(
        attribute="residents", column_name=_("Residents"), widget=IntegerWidget(units=["人"])
    )
    buildings = fields.Field(
        attribute="buildings",
        column_name=_("Buildings"),
        widget=IntegerWidget(units=["栋", "幢", "座"]),
    )
    property_company = fields.Field(
        attribute="property_company",
        column_name=_("Property management company"),
        widget=TextWidget(),
    )
    owners_committee = fields.Field(
        attribute="owners_committee",
        column_name=_("Owners' committee"),
        widget=TextWidget(),
    )
    remediation = fields.Field(
        attribute="remediation",
        column_name=_("Remediation"),
        widget=ChoiceWidget(Courtyard.Remediation.choices),
    )
    remediation_year = fields.Field(
        attribute="remediation_year",
        column_name=_("Remediation year"),
        widget=IntegerWidget(units=["年"]),
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
