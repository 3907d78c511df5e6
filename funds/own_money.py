"""Reads of a courtyard's own money (自筹资金): its income (funds.models.Income) and what it
spends of it (funds.models.OwnExpenditure), apart from the special fund.

Balance on a day = own income − own spending dated on or before it, reversing entries
counted negatively (`net_amount`). The ledger of a year starts from the balance carried
over from the years before. Writes are in funds.services.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, ExpressionWrapper, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.models import ZERO, Income, MoneyField, OwnExpenditure, net_amount
from portal.excel import DATE, YUAN, Column, Sheet

MONEY_FIELD = MoneyField()


def own_balance(courtyard_id, on=None):
    """Own income − own spending dated on or before `on` (today when not given)."""
    on = on or timezone.localdate()
    income = Income.objects.filter(courtyard_id=courtyard_id, received_on__lte=on).total()
    spent = OwnExpenditure.objects.filter(courtyard_id=courtyard_id, spent_on__lte=on).total()
    return income - spent


def own_available(courtyard_id, on):
    """What the courtyard may still spend on day `on` without its balance falling below zero
    on that day or any later day already recorded: the lowest running balance from `on` on
    (a spending dated back before later ones must leave them covered)."""
    lowest = balance = own_balance(courtyard_id, on)
    changes = {}
    for model, lookup, sign in (
        (Income, "received_on", 1),
        (OwnExpenditure, "spent_on", -1),
    ):
        rows = (
            model.objects.filter(courtyard_id=courtyard_id, **{f"{lookup}__gt": on})
            .order_by()
            .values(lookup)
            .annotate(total=net_amount())
            .values_list(lookup, "total")
        )
        for day, total in rows:
            changes[day] = changes.get(day, ZERO) + sign * total
    for day in sorted(changes):
        balance += changes[day]
        lowest = min(lowest, balance)
    return lowest


# The ledger --------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    day: datetime.date
    entry: object  # an Income or an OwnExpenditure, annotated with has_reversal
    income: Decimal | None
    spent: Decimal | None
    balance: Decimal = ZERO

    @property
    def is_income(self):
        return isinstance(self.entry, Income)


@dataclass
class Ledger:
    year: int
    opening: Decimal
    rows: list = field(default_factory=list)
    income: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def closing(self):
        return self.opening + self.income - self.spent


def _flagged(entries):
    model = entries.model
    return entries.annotate(has_reversal=Exists(model.objects.filter(reverses=OuterRef("pk"))))


def own_ledger(courtyard, year):
    """The year's own-money entries of `courtyard` by date (income before spending on the
    same day), each with the running balance, from the balance carried over from earlier
    years. Four queries whatever the number of entries."""
    opening = own_balance(courtyard.pk, datetime.date(year - 1, 12, 31))
    income = _flagged(Income.objects.filter(courtyard=courtyard, received_on__year=year))
    spending = _flagged(
        OwnExpenditure.objects.filter(courtyard=courtyard, spent_on__year=year).select_related(
            "resolution__meeting", "reverses"
        )
    )
    rows = [LedgerRow(e.received_on, e, e.signed_amount, None) for e in income]
    rows += [LedgerRow(e.spent_on, e, None, e.signed_amount) for e in spending]
    rows.sort(key=lambda row: (row.day, not row.is_income, row.entry.pk))
    ledger = Ledger(year=year, opening=opening, rows=rows)
    balance = opening
    for row in rows:
        balance += (row.income or ZERO) - (row.spent or ZERO)
        row.balance = balance
        ledger.income += row.income or ZERO
        ledger.spent += row.spent or ZERO
    return ledger


def resolution_text(motion):
    """2026-03-12 院落民情代表议事会 · 增设非机动车棚"""
    meeting = motion.meeting
    return f"{meeting.held_on:%Y-%m-%d} {meeting.get_kind_display()} · {motion.title}"


class OwnMoneyLedgerSheet(Sheet):
    """The ledger's rows as the page shows them; the balance carried over in a note."""

    title = _("Own money")
    title_columns = 2
    columns = [
        Column(_("No."), 6),
        Column(_("Date"), 12, DATE),
        Column(_("Entry"), 8),
        Column(_("Kind or payee"), 24),
        Column(_("Voucher number"), 14),
        Column(_("Summary"), 30),
        Column(_("Approving resolution"), 30),
        Column(_("Income (yuan)"), 14, YUAN),
        Column(_("Spending (yuan)"), 14, YUAN),
        Column(_("Balance (yuan)"), 14, YUAN),
    ]

    def __init__(self, ledger, user):
        self.ledger = ledger
        self.user = user

    def rows(self):
        for number, row in enumerate(self.ledger.rows, start=1):
            entry = row.entry
            if row.is_income:
                described = [_("Income"), entry.get_kind_display(), "", entry.note, ""]
            else:
                described = [
                    _("Spending"),
                    entry.payee_for(self.user),
                    entry.voucher_number,
                    entry.description,
                    resolution_text(entry.resolution),
                ]
            yield [number, row.day, *described, row.income, row.spent, row.balance]

    def totals(self):
        ledger = self.ledger
        return [_("Total"), *[""] * 6, ledger.income, ledger.spent, ledger.closing]

    def notes(self):
        return [
            _("Balance carried over from earlier years: %(yuan)s yuan.")
            % {"yuan": f"{self.ledger.opening:,.2f}"}
        ]


# Figures for reports ------------------------------------------------------------------------


def own_money_figures(year, link, on):
    """Annotations for a queryset of units reached from a record by `link` (see
    funds.selectors.LINKS): own_spent, the year's own spending, and own_balance, own income
    − own spending dated on or before `on` (yuan)."""

    def total(queryset):
        rows = (
            queryset.filter(**{link: OuterRef("pk")})
            .order_by()
            .values(link)
            .annotate(total=net_amount())
            .values("total")
        )
        return Subquery(rows, output_field=MONEY_FIELD)

    def money(expression):
        return Coalesce(expression, Value(ZERO), output_field=MONEY_FIELD)

    income = money(total(Income.objects.filter(received_on__lte=on)))
    spent = money(total(OwnExpenditure.objects.filter(spent_on__lte=on)))
    return {
        "own_spent": money(total(OwnExpenditure.objects.of_year(year))),
        "own_balance": ExpressionWrapper(income - spent, output_field=MONEY_FIELD),
    }
