"""Reads of the special fund, every figure computed by the database.

A report's rows are a queryset of units (streets, communities or courtyards) annotated with
correlated subqueries (`fund_figures`); its 合计 row aggregates the same allocations,
expenditures and income, narrowed to the same units (`fund_totals`). Both therefore add up
by construction, and the number of queries does not depend on the number of rows.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from courtyards.models import Community, Courtyard, Street
from funds.models import (
    ZERO,
    Allocation,
    Expenditure,
    FundRate,
    Income,
    MoneyField,
    Source,
    net_amount,
)
from portal.access import scope_of
from portal.roles import Level

MONEY_FIELD = MoneyField()

# How each kind of unit is reached from a record that belongs to a courtyard (income).
# Allocations and expenditures are reached through their own community instead
# (`fund_link`), so a community's own fund (社区本级, no courtyard) counts in its community,
# street and district, and in no courtyard.
LINKS = {
    "district": "courtyard__community__street__district",
    "street": "courtyard__community__street",
    "community": "courtyard__community",
    "courtyard": "courtyard",
}
OWN = "courtyard__isnull"  # a record of the community's own fund has no courtyard


def fund_link(link):
    """The lookup from an allocation or expenditure to the unit `link` reaches from income."""
    return link.removeprefix("courtyard__")


def _money(expression):
    return Coalesce(expression, Value(ZERO), output_field=MONEY_FIELD)


def _money_of(expression):
    """Arithmetic on money stays money (and exact cents on SQLite, see MoneyField)."""
    return ExpressionWrapper(expression, output_field=MONEY_FIELD)


def live_allocations(year):
    """The year's allocations that count: withdrawn ones do not."""
    return Allocation.objects.filter(year=year, withdrawn_on__isnull=True)


def fund_figures(year, link, own=False):
    """Annotations for a queryset of units reached from a record by `link` (see LINKS):
    allocated_district, allocated_street, allocated, spent, balance, income (all yuan) and
    execution (spent / allocated, for sorting; pages show it with the `percent` filter).
    `own`: only the community's own fund (社区本级) of community units, which has no income."""

    def total(queryset, expression, via=None):
        via = via or fund_link(link)
        rows = (
            queryset.filter(**{via: OuterRef("pk")})
            .order_by()
            .values(via)
            .annotate(total=expression)
            .values("total")
        )
        return _money(Subquery(rows, output_field=MONEY_FIELD))

    allocations = live_allocations(year)
    spending = Expenditure.objects.filter(year=year)
    if own:
        allocations, spending = allocations.filter(**{OWN: True}), spending.filter(**{OWN: True})
    return {
        "allocated_district": total(allocations.filter(source=Source.DISTRICT), Sum("amount")),
        "allocated_street": total(allocations.filter(source=Source.STREET), Sum("amount")),
        "spent": total(spending, net_amount()),
        "income": Value(ZERO, output_field=MONEY_FIELD)
        if own
        else total(Income.objects.of_year(year), net_amount(), via=link),
    }


def annotate_fund_figures(units, year, link, own=False):
    return (
        units.annotate(**fund_figures(year, link, own))
        .annotate(allocated=_money_of(F("allocated_district") + F("allocated_street")))
        .annotate(balance=_money_of(F("allocated") - F("spent")))
        .annotate(
            execution=Case(
                When(
                    allocated__gt=0,
                    then=Cast("spent", FloatField())
                    / NullIf(Cast("allocated", FloatField()), Value(0.0)),
                ),
                default=None,
                output_field=FloatField(),
            )
        )
    )


FIGURES = ["allocated_district", "allocated_street", "allocated", "spent", "income"]


@dataclass
class Figures:
    allocated_district: Decimal = ZERO
    allocated_street: Decimal = ZERO
    spent: Decimal = ZERO
    income: Decimal = ZERO

    @property
    def allocated(self):
        return self.allocated_district + self.allocated_street

    @property
    def balance(self):
        return self.allocated - self.spent


def own_funds(communities, year):
    """The communities annotated with the figures of their own fund (社区本级) for the year:
    the 社区本级 rows of a table of courtyards."""
    return annotate_fund_figures(communities, year, LINKS["community"], own=True)


def fund_totals(year, link, units, own=None):
    """The 合计 of the rows `annotate_fund_figures(units, year, link)` gives (and, when
    `own` names communities, of their `own_funds` rows): the same records, aggregated in
    three queries."""
    within = {f"{link}__in": units.order_by().values("pk")}
    fund_within = Q(**{f"{fund_link(link)}__in": units.order_by().values("pk")})
    if own is not None:
        fund_within |= Q(**{OWN: True, "community__in": own.order_by().values("pk")})
    allocated = (
        live_allocations(year)
        .filter(fund_within)
        .aggregate(
            district=_money(Sum("amount", filter=Q(source=Source.DISTRICT))),
            street=_money(Sum("amount", filter=Q(source=Source.STREET))),
        )
    )
    return Figures(
        allocated_district=allocated["district"],
        allocated_street=allocated["street"],
        spent=Expenditure.objects.filter(fund_within, year=year).total(),
        income=Income.objects.of_year(year).filter(**within).total(),
    )


def income_by_kind(year, link, units):
    """[(kind label, net amount)] for every kind, zero where nothing was received."""
    within = {f"{link}__in": units.order_by().values("pk")}
    amounts = dict(
        Income.objects.of_year(year)
        .filter(**within)
        .order_by()
        .values("kind")
        .annotate(total=net_amount())
        .values_list("kind", "total")
    )
    return [(label, amounts.get(kind, ZERO)) for kind, label in Income.Kind.choices]


def spending_by_category(year, link, units):
    """The year's spending (net) of the units (pks or a queryset, reached from a record by
    `link`, see LINKS) by their projects' category: ({unit pk: {category: yuan}}, {category:
    yuan} for the units together), in two grouped queries. Categories nothing was spent on
    are absent. An expenditure's year is its project's, as for `fund_figures`' "spent"."""
    link = fund_link(link)
    spending = Expenditure.objects.filter(year=year, **{f"{link}__in": units}).order_by()
    by_unit = {}
    for unit, category, total in (
        spending.values(link, "project__category")
        .annotate(total=net_amount())
        .values_list(link, "project__category", "total")
    ):
        by_unit.setdefault(unit, {})[category] = total
    together = dict(
        spending.values("project__category")
        .annotate(total=net_amount())
        .values_list("project__category", "total")
    )
    return by_unit, together


def courtyard_figures(courtyard, year):
    """The year's figures of one courtyard, in one query."""
    row = annotate_fund_figures(Courtyard.objects.filter(pk=courtyard.pk), year, "courtyard")
    values = row.values("allocated_district", "allocated_street", "spent", "income").get()
    return Figures(**values)


def held_by_ids(courtyard_id, community_id=None):
    """The lookup of a holder's records by keys: the courtyard's, or (no courtyard) the
    community's own fund (社区本级)."""
    if courtyard_id is not None:
        return {"courtyard_id": courtyard_id}
    return {"community_id": community_id, "courtyard__isnull": True}


def own_figures(community, year):
    """The year's figures of the community's own fund (社区本级), in one query."""
    values = (
        own_funds(Community.objects.filter(pk=community.pk), year)
        .values("allocated_district", "allocated_street", "spent", "income")
        .get()
    )
    return Figures(**values)


def available_balance(courtyard_id, year, community_id=None):
    """What the courtyard (or, with no courtyard, the community's own fund) may still spend
    in the year: allocated minus spent (income is the courtyard's own money, reported beside
    the fund but never spent through it)."""
    held = held_by_ids(courtyard_id, community_id)
    allocated = (
        live_allocations(year).filter(**held).aggregate(total=_money(Sum("amount")))["total"]
    )
    spent = Expenditure.objects.filter(year=year, **held).total()
    return allocated - spent


def project_spent(project_id):
    return Expenditure.objects.filter(project_id=project_id).total()


# Reports ---------------------------------------------------------------------------------


@dataclass
class FundReport:
    year: int
    row_kind: str  # "street", "community" or "courtyard": what each row is
    link: str
    units: object  # the unannotated queryset of the rows' units
    rows: object  # the units annotated with their figures
    totals: Figures
    income_by_kind: list
    street: Street | None = None
    community: Community | None = None
    own_rows: list = field(default_factory=list)  # 社区本级 rows of a table of courtyards


REPORT_SORTS = {
    "name": "name",
    "allocated": "allocated",
    "district": "allocated_district",
    "street": "allocated_street",
    "spent": "spent",
    "balance": "balance",
    "execution": "execution",
    "income": "income",
}


def report_units(user, street=None, community=None):
    """The rows of a report: the units one level below the page's unit (the user's scope
    when no street or community is given), narrowed to what the user may see."""
    if community is not None:
        units = Courtyard.objects.visible_to(user).filter(community=community)
        return "courtyard", units.select_related("community")
    if street is not None:
        return "community", Community.objects.visible_to(user).filter(street=street)
    level = scope_of(user).level
    if level in (Level.ALL, Level.DISTRICT):
        return "street", Street.objects.visible_to(user).select_related("district")
    if level == Level.STREET:
        return "community", Community.objects.visible_to(user).select_related("street")
    return "courtyard", Courtyard.objects.visible_to(user).select_related("community")


def report_own_funds(user, row_kind, community=None):
    """The communities whose own fund (社区本级) a table of courtyards adds as rows: the
    page's community, or the community member's; None for tables of streets or communities,
    whose rows already hold it."""
    if row_kind != "courtyard":
        return None
    communities = Community.objects.visible_to(user)
    return communities.filter(pk=community.pk) if community is not None else communities


def fund_report(user, year, *, street=None, community=None, sort="name"):
    row_kind, units = report_units(user, street=street, community=community)
    link = LINKS[row_kind]
    own = report_own_funds(user, row_kind, community)
    ordering = REPORT_SORTS.get(sort.lstrip("-"), "name")
    descending = sort.startswith("-")
    rows = annotate_fund_figures(units, year, link)
    if sort == "name":
        pass  # the hierarchy's own order (division codes, then names)
    elif ordering == "name":
        rows = rows.order_by("-name", "-pk")
    else:
        expression = F(ordering)
        rows = rows.order_by(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_first=True),
            "name",
            "pk",
        )
    return FundReport(
        year=year,
        row_kind=row_kind,
        link=link,
        units=units,
        rows=rows,
        totals=fund_totals(year, link, units, own),
        income_by_kind=income_by_kind(year, link, units),
        street=street,
        community=community,
        own_rows=[] if own is None else list(own_funds(own, year).order_by("code", "name")),
    )


def years_with_records(user, current):
    """Years offered in year pickers: those with a rate or an allocation in scope, and the
    current year."""
    years = set(
        Allocation.objects.visible_to(user).order_by().values_list("year", flat=True).distinct()
    )
    years |= set(
        FundRate.objects.visible_to(user).order_by().values_list("year", flat=True).distinct()
    )
    years.add(current)
    return sorted(years, reverse=True)


# Projects --------------------------------------------------------------------------------


def projects_with_spending(projects):
    """Projects annotated with spent (net), remaining and the approval threshold of their
    district's rate for the year (None when no rate is set)."""
    threshold = FundRate.objects.filter(
        district=OuterRef("courtyard__community__street__district"), year=OuterRef("year")
    ).values("approval_threshold")[:1]
    # A subquery per project, not a join grouped over the whole table: a page of 50 projects
    # sums the spending of those 50 only.
    spent = (
        Expenditure.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=net_amount())
        .values("total")
    )
    return projects.annotate(
        spent=_money(Subquery(spent, output_field=MONEY_FIELD)),
        threshold=Subquery(threshold, output_field=MONEY_FIELD),
    ).annotate(remaining=_money_of(F("budget") - F("spent")))


def project_totals(projects):
    """The 合计 of a project list: budgets and net spending over the same projects."""
    budget = projects.order_by().aggregate(total=_money(Sum("budget")))["total"]
    spent = Expenditure.objects.filter(project__in=projects.order_by().values("pk")).total()
    return {"budget": budget, "spent": spent, "remaining": budget - spent}


def allocation_totals(allocations):
    """The 合计 of an allocation list, in one query: the money in force (withdrawn
    allocations are listed, not counted) and how many were withdrawn."""
    in_force = Q(withdrawn_on__isnull=True)
    return allocations.order_by().aggregate(
        amount=_money(Sum("amount", filter=in_force)),
        in_force=Count("pk", filter=in_force),
        withdrawn=Count("pk", filter=~in_force),
    )


# Generating the district's allocations ---------------------------------------------------


class PlanAction:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    WITHDRAW = "withdraw"
    LOCKED = "locked"


@dataclass
class PlanRow:
    courtyard_id: int
    street: str
    community: str
    courtyard: str
    is_open: bool
    households: int
    entitlement: Decimal
    allocation_id: int | None
    current: Decimal | None
    withdrawn: bool
    spent: Decimal
    action: str
    community_id: int | None = None


@dataclass
class PlanGroup:
    """A street or a community of the plan, with its subtotals (computed by the database)."""

    key: int
    name: str
    households: int
    entitlement: Decimal
    rows: list = field(default_factory=list)
    groups: list = field(default_factory=list)


@dataclass
class AllocationPlan:
    rate: FundRate
    streets: list
    households: int
    entitlement: Decimal
    rows: list

    def of(self, action):
        return [row for row in self.rows if row.action == action]

    @property
    def summary(self):
        """How many courtyards each action concerns, in the order pages list them."""
        return {
            action: len(self.of(action))
            for action in (
                PlanAction.NEW,
                PlanAction.UPDATE,
                PlanAction.WITHDRAW,
                PlanAction.UNCHANGED,
                PlanAction.LOCKED,
            )
        }

    @property
    def locked(self):
        return self.of(PlanAction.LOCKED)

    @property
    def changes(self):
        return [
            row
            for row in self.rows
            if row.action in (PlanAction.NEW, PlanAction.UPDATE, PlanAction.WITHDRAW)
        ]

    @property
    def fingerprint(self):
        """Identifies what confirming would do; the confirmation must match the preview."""
        rate = self.rate
        text = f"{rate.pk}:{rate.households_per_unit}:{rate.yuan_per_unit}|" + "|".join(
            f"{row.courtyard_id}:{row.entitlement}:{row.action}" for row in self.changes
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def _classify(entitlement, allocation_id, current, withdrawn, spent):
    if allocation_id is None:
        return PlanAction.NEW if entitlement > 0 else None
    if spent > 0:
        unchanged = (entitlement > 0 and not withdrawn and entitlement == current) or (
            entitlement == 0 and withdrawn
        )
        return PlanAction.UNCHANGED if unchanged else PlanAction.LOCKED
    if entitlement == 0:
        return PlanAction.UNCHANGED if withdrawn else PlanAction.WITHDRAW
    if withdrawn or entitlement != current:
        return PlanAction.UPDATE
    return PlanAction.UNCHANGED


def allocation_plan(rate):
    """What generating the year's district allocations from `rate` would do, courtyard by
    courtyard, with households and entitlements subtotalled by community and street.

    Open courtyards are entitled to `rate.entitlement(households)`; a closed courtyard to
    nothing. Courtyards entitled to nothing and holding no computed allocation are left out.
    """
    courtyards = _entitled_courtyards(rate)
    rows = _plan_values(rate, courtyards)
    by_street = _subtotals(courtyards, "community__street")
    by_community = _subtotals(courtyards, "community")
    overall = courtyards.aggregate(h=Sum("counted"), e=Sum("entitled"))

    streets, plan_rows = [], []
    for values in rows:
        street_id, community_id, row = _plan_row(values)
        _file_under_groups(streets, row, street_id, community_id, by_street, by_community)
        plan_rows.append(row)
    return AllocationPlan(
        rate=rate,
        streets=streets,
        households=overall["h"] or 0,
        entitlement=Decimal(overall["e"] or 0),
        rows=plan_rows,
    )


def _entitled_courtyards(rate):
    """The district's courtyards with the households counted (none once closed) and what
    `rate` entitles them to."""
    return (
        Courtyard.objects.filter(community__street__district=rate.district)
        .annotate(
            counted=Case(
                When(closed_on__isnull=True, then=F("households")),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .annotate(entitled=rate.entitlement_expression("counted"))
    )


def _plan_values(rate, courtyards):
    """The courtyards the plan lists, in street and community order, each with its computed
    allocation of the year (if any) and what it has spent; the tuples `_plan_row` reads."""
    generated = Allocation.objects.filter(
        courtyard=OuterRef("pk"), year=rate.year, rate__isnull=False
    )
    spent = (
        Expenditure.objects.filter(courtyard=OuterRef("pk"), year=rate.year)
        .order_by()
        .values("courtyard")
        .annotate(total=net_amount())
        .values("total")
    )
    return (
        courtyards.annotate(
            allocation_id=Subquery(generated.values("pk")[:1]),
            current=Subquery(generated.values("amount")[:1], output_field=MONEY_FIELD),
            withdrawn_on=Subquery(generated.values("withdrawn_on")[:1]),
            spent=_money(Subquery(spent, output_field=MONEY_FIELD)),
        )
        .filter(Q(entitled__gt=0) | Q(allocation_id__isnull=False))
        .order_by(
            "community__street__code",
            "community__street__name",
            "community__street_id",
            "community__code",
            "community__name",
            "community_id",
            "name",
        )
        .values_list(
            "pk",
            "community__street_id",
            "community__street__name",
            "community_id",
            "community__name",
            "name",
            "closed_on",
            "counted",
            "entitled",
            "allocation_id",
            "current",
            "withdrawn_on",
            "spent",
        )
    )


def _subtotals(courtyards, group_by):
    """(households, entitlement) of the courtyards by street or community key."""
    return {
        key: (households or 0, Decimal(entitled or 0))
        for key, households, entitled in courtyards.order_by()
        .values(group_by)
        .annotate(h=Sum("counted"), e=Sum("entitled"))
        .values_list(group_by, "h", "e")
    }


def _plan_row(values):
    """The plan's row of one courtyard, with the keys of its street and community."""
    (
        pk,
        street_id,
        street_name,
        community_id,
        community_name,
        name,
        closed_on,
        households,
        entitled,
        allocation_id,
        current,
        withdrawn_on,
        spent_amount,
    ) = values
    entitlement = Decimal(entitled)
    row = PlanRow(
        courtyard_id=pk,
        street=street_name,
        community=community_name,
        courtyard=name,
        is_open=closed_on is None,
        households=households,
        entitlement=entitlement,
        allocation_id=allocation_id,
        current=current,
        withdrawn=withdrawn_on is not None,
        spent=spent_amount,
        action=_classify(
            entitlement, allocation_id, current, withdrawn_on is not None, spent_amount
        ),
        community_id=community_id,
    )
    return street_id, community_id, row


def _file_under_groups(streets, row, street_id, community_id, by_street, by_community):
    """Put `row` in its community's group within its street's, opening each group with its
    subtotals when its first row comes (rows come in street, then community order)."""
    if not streets or streets[-1].key != street_id:
        streets.append(PlanGroup(street_id, row.street, *by_street[street_id]))
    street_group = streets[-1]
    if not street_group.groups or street_group.groups[-1].key != community_id:
        street_group.groups.append(
            PlanGroup(community_id, row.community, *by_community[community_id])
        )
    street_group.groups[-1].rows.append(row)
