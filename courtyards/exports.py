from django.utils.translation import gettext_lazy as _

from courtyards.models import Courtyard
from courtyards.selectors import courtyard_figures
from portal.excel import INTEGER, Column, Sheet


class CourtyardListSheet(Sheet):
    """The courtyard list as filtered on the page, one row per courtyard."""

    title = _("Courtyards")
    columns = [
        Column(_("No."), 6),
        Column(_("Street"), 14),
        Column(_("Community"), 14),
        Column(_("Courtyard"), 22),
        Column(_("Address"), 28),
        Column(_("Kind"), 18),
        Column(_("Households"), 10, INTEGER),
        Column(_("Residents"), 10, INTEGER),
        Column(_("Buildings"), 10, INTEGER),
        Column(_("Property management company"), 20),
        Column(_("Owners' committee"), 16),
        Column(_("Remediation"), 10),
        Column(_("Remediation year"), 10),
        Column(_("Closed on"), 12),
    ]

    def __init__(self, courtyards):
        self.courtyards = courtyards

    def rows(self):
        kinds = dict(Courtyard.Kind.choices)
        remediations = dict(Courtyard.Remediation.choices)
        values = self.courtyards.values_list(
            "community__street__name",
            "community__name",
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
            "closed_on",
        )
        for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
            (
                street,
                community,
                name,
                address,
                kind,
                households,
                residents,
                buildings,
                company,
                committee,
                remediation,
                year,
                closed_on,
            ) = row
            yield [
                number,
                street,
                community,
                name,
                address,
                str(kinds[kind]),
                households,
                residents,
                buildings,
                company,
                committee,
                str(remediations[remediation]),
                year,
                closed_on,
            ]

    def totals(self):
        figures = self.courtyards.aggregate(**courtyard_figures(open_only=False))
        return [
            _("Total"),
            "",
            "",
            "",
            "",
            "",
            figures["households"],
            figures["residents"],
            figures["buildings"],
            "",
            "",
            "",
            "",
            "",
        ]
