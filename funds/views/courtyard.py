"""A courtyard's fund for a year: its figures, allocations, projects, spending and income,
and the forms community members use to record them. The forms for spending and projects
serve the community's own fund (社区本级, funds.views.community) as well: they take a
`holder`, the courtyard or the community."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from courtyards.models import Community, Courtyard
from funds.exports import AllocationSheet, ExpenditureSheet, IncomeSheet, ProjectListSheet
from funds.forms import ExpenditureForm, IncomeForm, ProjectForm
from funds.models import Allocation, Expenditure, Income, Project
from funds.selectors import (
    available_balance,
    courtyard_figures,
    income_by_kind,
    project_totals,
    projects_with_spending,
    years_with_records,
)
from funds.services import expenditure_add, income_record, project_save
from portal.access import get_visible_or_404
from portal.excel import workbook_response
from portal.forms import apply_errors
from portal.params import year_param


def visible_courtyard(request, pk):
    return get_visible_or_404(
        Courtyard.objects.select_related("community__street__district"), request.user, pk=pk
    )


def with_reversal_flags(entries):
    """Entries annotated with `has_reversal`, so that a list needs no query per row."""
    model = entries.model
    return entries.annotate(has_reversal=Exists(model.objects.filter(reverses=OuterRef("pk"))))


def fund_url(holder, year):
    """The fund page of a courtyard, or of a community's own fund, for the year."""
    if isinstance(holder, Community):
        return f"{reverse('funds:community_fund', args=[holder.pk])}?year={year}"
    return f"{reverse('funds:courtyard', args=[holder.pk])}?year={year}"


def holder_context(holder):
    """What the forms' templates show of the holder: its name, place and pages."""
    own = isinstance(holder, Community)
    community = holder if own else holder.community
    name = "community_fund" if own else "courtyard"
    return {
        "own": own,
        "courtyard": None if own else holder,
        "community": community,
        "street": community.street,
        "holder_name": _("%(community)s (community's own fund)") % {"community": community.name}
        if own
        else holder.name,
        "fund_page": reverse(f"funds:{name}", args=[holder.pk]),
        "project_add_page": reverse(
            "funds:community_project_add" if own else "funds:project_add", args=[holder.pk]
        ),
    }


@login_required
@permission_required("funds.view_allocation", raise_exception=True)
def courtyard_fund(request, pk):
    courtyard = visible_courtyard(request, pk)
    year = year_param(request)
    projects = projects_with_spending(
        Project.objects.filter(courtyard=courtyard, year=year)
        .select_related("courtyard__community__street")
        .order_by("title")
    )
    figures = courtyard_figures(courtyard, year)
    allocations = Allocation.objects.filter(courtyard=courtyard, year=year).order_by(
        "allocated_on", "pk"
    )
    expenditures = Expenditure.objects.filter(courtyard=courtyard, year=year).order_by(
        "spent_on", "pk"
    )
    income = Income.objects.filter(courtyard=courtyard).of_year(year).order_by("received_on", "pk")
    if request.GET.get("format") == "xlsx":
        heading = _("%(name)s · special fund %(year)s") % {"name": courtyard.name, "year": year}
        return workbook_response(
            [
                AllocationSheet(allocations, figures.allocated),
                ProjectListSheet(projects, project_totals(projects)),
                ExpenditureSheet(expenditures, figures.spent, request.user),
                IncomeSheet(income, figures.income),
            ],
            filename=f"{heading}.xlsx",
            heading=heading,
            scope_label=f"{courtyard.community.street.name} · {courtyard.community.name}",
        )
    return render(
        request,
        "funds/courtyard.html",
        {
            "courtyard": courtyard,
            "year": year,
            "years": years_with_records(request.user, year),
            "figures": figures,
            "allocations": allocations,
            "projects": projects,
            "project_totals": project_totals(projects),
            "expenditures": with_reversal_flags(expenditures.select_related("project")),
            "income": with_reversal_flags(income),
            "income_by_kind": income_by_kind(
                year, "courtyard", Courtyard.objects.filter(pk=courtyard.pk)
            ),
        },
    )


@login_required
@permission_required("funds.add_expenditure", raise_exception=True)
def expenditure_new(request, pk):
    return record_expenditure(request, visible_courtyard(request, pk))


def record_expenditure(request, holder):
    """The spending form of a courtyard or of a community's own fund (`holder`), found in
    the user's scope by the calling view."""
    year = year_param(request)
    form = ExpenditureForm(request.POST or None, request.FILES or None, holder=holder, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            expenditure = expenditure_add(expenditure=form.instance, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Expenditure recorded: voucher %(voucher)s.")
                % {"voucher": expenditure.voucher_number},
            )
            return redirect(fund_url(holder, year))
    own = isinstance(holder, Community)
    return render(
        request,
        "funds/expenditure_form.html",
        {
            **holder_context(holder),
            "year": year,
            "form": form,
            "balance": available_balance(None, year, holder.pk)
            if own
            else available_balance(holder.pk, year),
            "has_projects": form.fields["project"].queryset.exists(),
        },
    )


@login_required
@permission_required("funds.add_income", raise_exception=True)
def income_new(request, pk):
    courtyard = visible_courtyard(request, pk)
    form = IncomeForm(request.POST or None, courtyard=courtyard)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            income = income_record(courtyard=courtyard, by=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Income recorded."))
            return redirect(fund_url(courtyard, income.received_on.year))
    return render(request, "funds/income_form.html", {"courtyard": courtyard, "form": form})


@login_required
@permission_required("funds.add_project", raise_exception=True)
def project_new(request, pk):
    return new_project(request, visible_courtyard(request, pk))


def new_project(request, holder):
    """The project form of a courtyard or of a community's own fund (`holder`)."""
    form = ProjectForm(request.POST or None, holder=holder, initial={"year": year_param(request)})
    return _project_form(request, holder, form)


@login_required
@permission_required("funds.change_project", raise_exception=True)
def project_edit(request, pk):
    project = get_visible_or_404(
        Project.objects.select_related("courtyard", "community__street__district"),
        request.user,
        pk=pk,
    )
    form = ProjectForm(request.POST or None, instance=project, holder=project.holder)
    return _project_form(request, project.holder, form)


def _project_form(request, holder, form):
    if request.method == "POST" and form.is_valid():
        try:
            project = project_save(project=form.instance, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Project saved: %(title)s.") % {"title": project.title})
            return redirect(project)
    return render(request, "funds/project_form.html", {**holder_context(holder), "form": form})
