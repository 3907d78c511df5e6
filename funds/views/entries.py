"""One expenditure (with its receipt), and the reversing entries that correct an
expenditure or an income."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from funds.forms import IncomeReversalForm, ReversalForm
from funds.models import Expenditure, Income
from funds.services import check_reversal, expenditure_reverse, income_reverse
from funds.views.courtyard import fund_url, holder_context
from portal.access import get_visible_or_404
from portal.forms import apply_errors
from portal.uploads import attachment_response

RELATED = ("project", "courtyard", "community__street__district", "reverses")


def visible_expenditure(request, pk):
    return get_visible_or_404(Expenditure.objects.select_related(*RELATED), request.user, pk=pk)


@login_required
@permission_required("funds.view_expenditure", raise_exception=True)
def expenditure_detail(request, pk):
    expenditure = visible_expenditure(request, pk)
    reversal = Expenditure.objects.filter(reverses=expenditure).first()
    return render(
        request,
        "funds/expenditure.html",
        {"expenditure": expenditure, "reversal": reversal},
    )


@login_required
@permission_required("funds.view_expenditure", raise_exception=True)
def receipt(request, pk):
    return receipt_response(visible_expenditure(request, pk))


def receipt_response(payment):
    """The payment's receipt scan as a download, under the name it was uploaded with."""
    if not payment.receipt:
        raise Http404
    return attachment_response(
        payment.receipt, payment.receipt_name or f"{payment.voucher_number}.pdf"
    )


@login_required
@permission_required("funds.add_expenditure", raise_exception=True)
def expenditure_reversal(request, pk):
    expenditure = visible_expenditure(request, pk)
    form = ReversalForm.of(expenditure, request.POST or None)
    refusal = reversal_refusal(expenditure)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            expenditure_reverse(expenditure=expenditure, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The expenditure was reversed."))
            return redirect(fund_url(expenditure.holder, expenditure.year))
    return render(
        request,
        "funds/reversal_form.html",
        {
            **holder_context(expenditure.holder),
            "entry": expenditure,
            "year": expenditure.year,
            "form": form,
            "refusal": refusal,
        },
    )


@login_required
@permission_required("funds.add_income", raise_exception=True)
def income_reversal(request, pk):
    income = get_visible_or_404(
        Income.objects.select_related("courtyard__community__street__district"),
        request.user,
        pk=pk,
    )
    form = IncomeReversalForm(request.POST or None, initial={"received_on": income.received_on})
    refusal = reversal_refusal(income)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            income_reverse(income=income, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The income was reversed."))
            return redirect(fund_url(income.courtyard, income.year))
    return render(
        request,
        "funds/reversal_form.html",
        {
            **holder_context(income.courtyard),
            "entry": income,
            "year": income.year,
            "form": form,
            "refusal": refusal,
            "is_income": True,
        },
    )


def reversal_refusal(entry):
    """Why `entry` cannot be reversed, or None."""
    try:
        check_reversal(entry)
    except ValidationError as error:
        return error.messages[0]
    return None
