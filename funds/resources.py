"""Excel import and export of the fund's records, with Chinese headers.

Expenditures, income and allocations by hand are imported as new records only (never
updates: entries are never edited, allocations are corrected in their screen). Each
expenditure row passes the same balance and budget checks as a form, cumulatively within
the file, under the courtyard's lock; one bad row rejects the file with its row and column
named (see portal.importing).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields

from courtyards.models import Community, Courtyard
from funds.models import Allocation, Expenditure, Income, Project, Source
from funds.services import (
    allocation_save,
    check_allocation,
    check_expenditure,
    expenditure_add,
    income_add,
    lock_holder,
)
from portal.import_cells import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    TextWidget,
    clean_text,
    is_blank,
)
from portal.importing import ScopedForeignKeyWidget, ScopedResource

STREET = _("Street")
COMMUNITY = _("Community")
COURTYARD = _("Courtyard")
YEAR = _("Year")


def street_field(prefix="courtyard__"):
    """The street column; records of the community's own fund (社区本级) have no courtyard,
    so allocations, projects and expenditures name it from their community (prefix "")."""
    return fields.Field(
        attribute=f"{prefix}community__street__name", column_name=STREET, readonly=True
    )


def community_field(prefix="courtyard__"):
    return fields.Field(attribute=f"{prefix}community__name", column_name=COMMUNITY, readonly=True)


def courtyard_field():
    return fields.Field(
        attribute="courtyard",
        column_name=COURTYARD,
        widget=ScopedForeignKeyWidget(
            Courtyard, parent_column=COMMUNITY, parent_field="community__name"
        ),
    )


class ProjectWidget(ScopedForeignKeyWidget):
    """A project named by its title, in the row's courtyard (and community) and year."""

    CONTEXT = [
        (COURTYARD, "courtyard__name"),
        (COMMUNITY, "courtyard__community__name"),
        (YEAR, "year"),
    ]

    def __init__(self, **kwargs):
        super().__init__(Project, field="title", **kwargs)

    def lookup_fields(self):
        return ["title"] + [field for _column, field in self.CONTEXT]

    def names(self, value, row):
        names = {"title": clean_text(str(value))}
        for column, field in self.CONTEXT:
            cell = row.get(str(column)) if row else None
            if is_blank(cell):
                continue
            if field == "year":
                try:
                    cell = YEAR_CELL.clean(cell)
                except ValueError:
                    continue  # the year column reports its own error
            names[field] = clean_text(str(cell))
        return names


YEAR_CELL = IntegerWidget(units=["年", "年度"])


class EntryResource(ScopedResource):
    """What expenditure, income and allocation imports share: always new rows, saved by
    the service."""

    service = None

    class Meta(ScopedResource.Meta):
        force_init_instance = True

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        type(self).service(instance, self.user)
        self.after_save_instance(instance, row, **kwargs)

    def relabel(self, error):
        return ValidationError(
            {self._column_label(key): value for key, value in error.message_dict.items()}
        )


class ExpenditureResource(EntryResource):
    street = street_field("")
    community = community_field("")
    courtyard = courtyard_field()
    year = fields.Field(attribute="year", column_name=YEAR, widget=YEAR_CELL)
    project = fields.Field(attribute="project", column_name=_("Project"), widget=ProjectWidget())
    spent_on = fields.Field(attribute="spent_on", column_name=_("Date"), widget=DateWidget())
    amount = fields.Field(
        attribute="amount", column_name=_("Amount (yuan)"), widget=DecimalWidget(units=["元"])
    )
    payee = fields.Field(attribute="payee", column_name=_("Payee"), widget=TextWidget())
    payee_kind = fields.Field(
        attribute="payee_kind",
        column_name=_("Payee is"),
        widget=ChoiceWidget(Expenditure.PayeeKind.choices),
    )
    voucher_number = fields.Field(
        attribute="voucher_number", column_name=_("Voucher number"), widget=TextWidget()
    )
    description = fields.Field(
        attribute="description", column_name=_("Description"), widget=TextWidget()
    )
    reverses = fields.Field(
        attribute="reverses__voucher_number", column_name=_("Reverses voucher"), readonly=True
    )

    @staticmethod
    def service(instance, user):
        expenditure_add(expenditure=instance, by=user)

    class Meta(EntryResource.Meta):
        model = Expenditure
        fields = [
            "street",
            "community",
            "courtyard",
            "year",
            "project",
            "spent_on",
            "amount",
            "payee",
            "payee_kind",
            "voucher_number",
            "description",
            "reverses",
        ]
        import_id_fields = ["courtyard", "year", "voucher_number"]

    def dehydrate_payee(self, expenditure):
        return expenditure.payee_for(self.user)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        # Rows are checked one after another within the file's transaction: each sees the
        # rows above it, so a file cannot overdraw a courtyard in several smaller rows.
        lock_holder(instance.project)
        try:
            check_expenditure(instance)
        except ValidationError as error:
            raise self.relabel(error) from None


class IncomeResource(EntryResource):
    street = street_field()
    community = community_field()
    courtyard = courtyard_field()
    received_on = fields.Field(attribute="received_on", column_name=_("Date"), widget=DateWidget())
    kind = fields.Field(
        attribute="kind", column_name=_("Kind"), widget=ChoiceWidget(Income.Kind.choices)
    )
    amount = fields.Field(
        attribute="amount", column_name=_("Amount (yuan)"), widget=DecimalWidget(units=["元"])
    )
    note = fields.Field(attribute="note", column_name=_("Note"), widget=TextWidget())
    reverses = fields.Field(
        attribute="reverses_id", column_name=_("Reverses entry no."), readonly=True
    )

    @staticmethod
    def service(instance, user):
        income_add(income=instance, by=user)

    class Meta(EntryResource.Meta):
        model = Income
        fields = [
            "street",
            "community",
            "courtyard",
            "received_on",
            "kind",
            "amount",
            "note",
            "reverses",
        ]
        import_id_fields = ["courtyard", "received_on", "kind", "amount", "note"]


class AllocationResource(EntryResource):
    """Allocations by hand (district or street money), a courtyard's or, with the 院落 column
    left empty, the community's own fund (社区本级): always new rows, each checked as the
    admin's form checks it (the sources the user may record). Allocations computed from the
    rate are generated, never imported; their households column is export only."""

    street = street_field("")
    community = fields.Field(
        attribute="community",
        column_name=COMMUNITY,
        widget=ScopedForeignKeyWidget(Community, parent_column=STREET, parent_field="street__name"),
    )
    courtyard = courtyard_field()
    year = fields.Field(attribute="year", column_name=YEAR, widget=YEAR_CELL)
    source = fields.Field(
        attribute="source", column_name=_("Source"), widget=ChoiceWidget(Source.choices)
    )
    amount = fields.Field(
        attribute="amount", column_name=_("Amount (yuan)"), widget=DecimalWidget(units=["元"])
    )
    allocated_on = fields.Field(
        attribute="allocated_on", column_name=_("Date"), widget=DateWidget()
    )
    document_number = fields.Field(
        attribute="document_number", column_name=_("Document number"), widget=TextWidget()
    )
    households = fields.Field(
        attribute="households", column_name=_("Households counted"), readonly=True
    )
    withdrawn_on = fields.Field(
        attribute="withdrawn_on", column_name=_("Withdrawn on"), widget=DateWidget(), readonly=True
    )
    note = fields.Field(attribute="note", column_name=_("Note"), widget=TextWidget())

    @staticmethod
    def service(instance, user):
        allocation_save(allocation=instance, by=user)

    class Meta(EntryResource.Meta):
        model = Allocation
        fields = [
            "street",
            "community",
            "courtyard",
            "year",
            "source",
            "amount",
            "allocated_on",
            "document_number",
            "households",
            "withdrawn_on",
            "note",
        ]
        import_id_fields = [
            "community",
            "courtyard",
            "year",
            "source",
            "amount",
            "allocated_on",
            "document_number",
        ]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        lock_holder(instance)
        try:
            check_allocation(instance, by=self.user)
        except ValidationError as error:
            raise self.relabel(error) from None


class ProjectResource(ScopedResource):
    """Export only: projects are registered on their pages or in their screen."""

    street = street_field("")
    community = community_field("")
    courtyard = fields.Field(attribute="courtyard__name", column_name=COURTYARD)
    year = fields.Field(attribute="year", column_name=YEAR)
    title = fields.Field(attribute="title", column_name=_("Project"))
    category = fields.Field(
        attribute="category",
        column_name=_("Category"),
        widget=ChoiceWidget(Project.Category.choices),
    )
    budget = fields.Field(
        attribute="budget", column_name=_("Budget (yuan)"), widget=DecimalWidget()
    )
    status = fields.Field(
        attribute="status",
        column_name=_("Status"),
        widget=ChoiceWidget(Project.Status.choices),
    )
    started_on = fields.Field(
        attribute="started_on", column_name=_("Started on"), widget=DateWidget()
    )
    ended_on = fields.Field(attribute="ended_on", column_name=_("Ended on"), widget=DateWidget())

    class Meta:
        model = Project
        fields = [
            "street",
            "community",
            "courtyard",
            "year",
            "title",
            "category",
            "budget",
            "status",
            "started_on",
            "ended_on",
        ]
