"""Generating a year's district allocations: a preview first, then confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from funds.forms import GenerateForm
from funds.models import FundRate
from funds.selectors import PlanAction, allocation_plan
from funds.services import allocations_generate


@login_required
@permission_required("funds.generate_allocation", raise_exception=True)
def generate(request):
    data = request.POST if request.method == "POST" else request.GET
    form = GenerateForm(data or None, user=request.user)
    if not data and form.fields["district"].queryset.count() == 1:
        form = GenerateForm(
            {
                "district": form.fields["district"].queryset.get().pk,
                "year": form.fields["year"].initial,
            },
            user=request.user,
        )
    rate = plan = None
    if form.is_valid():
        rate = (
            FundRate.objects.visible_to(request.user)
            .select_related("district")
            .filter(district=form.cleaned_data["district"], year=form.cleaned_data["year"])
            .first()
        )
    if rate is not None and request.method == "POST":
        try:
            result = allocations_generate(
                rate=rate,
                by=request.user,
                document_number=form.cleaned_data["document_number"],
                expected=request.POST.get("fingerprint", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _report(request, result)
            return redirect(f"{reverse('funds:report')}?year={rate.year}")
    if rate is not None:
        plan = allocation_plan(rate)
    return render(
        request,
        "funds/generate.html",
        {"form": form, "rate": rate, "plan": plan, "actions": PlanAction},
    )


def _report(request, result):
    messages.success(
        request,
        _(
            "District allocations for %(year)s: %(created)d created, %(updated)d updated, "
            "%(withdrawn)d withdrawn, %(unchanged)d unchanged."
        )
        % {
            "year": result.plan.rate.year,
            "created": len(result.created),
            "updated": len(result.updated),
            "withdrawn": len(result.withdrawn),
            "unchanged": len(result.unchanged),
        },
    )
    if result.locked:
        messages.warning(
            request,
            ngettext(
                "Not changed because spending has been recorded against it: %(names)s.",
                "Not changed because spending has been recorded against them: %(names)s.",
                len(result.locked),
            )
            % {"names": "、".join(f"{row.community}{row.courtyard}" for row in result.locked)},
        )
