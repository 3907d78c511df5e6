"""A courtyard's own money (自筹资金): its ledger (income and spending by date with the running
balance, per year, and its workbook), recording a spending and reversing one, the receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.forms import OwnExpenditureForm, ReversalForm
from funds.models import Income, OwnExpenditure
from funds.own_money import OwnMoneyLedgerSheet, own_available, own_balance, own_ledger
from funds.services import own_expenditure_add, own_expenditure_reverse
from funds.views.courtyard import visible_courtyard
from funds.views.entries import receipt_response, reversal_refusal
from portal.access import get_visible_or_404
from portal.excel import workbook_response
from portal.forms import apply_errors
from portal.params import year_param


def ledger_url(courtyard, year):
    return f"{reverse('funds:own_money', args=[courtyard.pk])}?year={year}"


def _years(courtyard, current):
    """The years with own-money entries, and the current one."""
    years = set(Income.objects.filter(courtyard=courtyard).dates("received_on", "year").order_by())
    years |= set(
        OwnExpenditure.objects.filter(courtyard=courtyard).dates("spent_on", "year").order_by()
    )
    return sorted({day.year for day in years} | {current}, reverse=True)


@login_required
@permission_required("funds.view_ownexpenditure", raise_exception=True)
def ledger(request, pk):
    courtyard = visible_courtyard(request, pk)
    year = year_param(request)
    book = own_ledger(courtyard, year)
    if request.GET.get("format") == "xlsx":
        heading = _("%(name)s · own money %(year)s") % {"name": courtyard.name, "year": year}
        return workbook_response(
            [OwnMoneyLedgerSheet(book, request.user)],
            filename=f"{heading}.xlsx",
            heading=heading,
            scope_label=f"{courtyard.community.street.name} · {courtyard.community.name}",
        )
    return render(
        request,
        "funds/own_money.html",
        {
            "courtyard": courtyard,
            "year": year,
            "years": _years(courtyard, year),
            "ledger": book,
            "balance": own_balance(courtyard.pk),
        },
    )


@login_required
@permission_required("funds.add_ownexpenditure", raise_exception=True)
def spend(request, pk):
    courtyard = visible_courtyard(request, pk)
    form = OwnExpenditureForm(request.POST or None, request.FILES or None, courtyard=courtyard)
    if request.method == "POST" and form.is_valid():
        try:
            spending = own_expenditure_add(expenditure=form.instance, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Own-money spending recorded: voucher %(voucher)s.")
                % {"voucher": spending.voucher_number},
            )
            return redirect(ledger_url(courtyard, spending.year))
    return render(
        request,
        "funds/own_money_form.html",
        {
            "courtyard": courtyard,
            "year": timezone.localdate().year,
            "form": form,
            "balance": own_available(courtyard.pk, timezone.localdate()),
            "has_resolutions": form.fields["resolution"].queryset.exists(),
        },
    )


def visible_spending(request, pk):
    return get_visible_or_404(
        OwnExpenditure.objects.select_related(
            "courtyard__community__street__district", "resolution__meeting"
        ),
        request.user,
        pk=pk,
    )


@login_required
@permission_required("funds.add_ownexpenditure", raise_exception=True)
def reversal(request, pk):
    spending = visible_spending(request, pk)
    form = ReversalForm.of(spending, request.POST or None)
    refusal = reversal_refusal(spending)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            own_expenditure_reverse(expenditure=spending, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The spending was reversed."))
            return redirect(ledger_url(spending.courtyard, form.cleaned_data["spent_on"].year))
    return render(
        request,
        "funds/own_money_reversal.html",
        {
            "entry": spending,
            "courtyard": spending.courtyard,
            "year": spending.year,
            "form": form,
            "refusal": refusal,
        },
    )


@login_required
@permission_required("funds.view_ownexpenditure", raise_exception=True)
def receipt(request, pk):
    return receipt_response(visible_spending(request, pk))
