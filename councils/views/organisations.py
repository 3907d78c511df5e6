"""Organisations: the list, one organisation's page, setting one up and its status steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import services
from councils.exports import OrganisationListSheet
from councils.forms import (
    AcceptForm,
    CommunityChoiceForm,
    DissolveForm,
    EstablishForm,
    OrganisationEditForm,
    OrganisationFilter,
    OrganisationForm,
    coverage_formset,
)
from councils.models import Organisation
from councils.selectors import organisation_state, organisations_with_state
from councils.views.common import crumbs, personal, visible_organisation
from courtyards.models import Community, Courtyard
from portal.access import get_visible_or_404, scope_label
from portal.excel import workbook_response
from portal.forms import Rows, apply_errors, error_summary
from portal.listing import Sorting
from portal.navigation import panels_for

ORGANISATION_SORTING = Sorting(
    allowed={
        "name": "name",
        "community": "community__name",
        "status": "status",
        "courtyards": "courtyards_covered",
        "households": "households_covered",
        "representatives": "representatives",
        "group": "group_members",
        "term": "council_term_ends_on",
    },
    default="community",
)
FIGURES = ["courtyards_covered", "households_covered", "representatives", "group_members"]


@login_required
def organisation_list(request):
    filters = OrganisationFilter(
        request, organisations_with_state(request.user).select_related("community__street")
    )
    organisations = filters.qs
    organisations, sort = ORGANISATION_SORTING.apply(organisations, request)
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            [OrganisationListSheet(organisations)],
            filename=_("Organisations %(date)s.xlsx") % {"date": timezone.localdate().isoformat()},
            heading=_("Self-governance organisations"),
            scope_label=scope_label(request.user),
        )
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "councils/organisation_list.html",
        {
            "form": filters.form,
            "page": page,
            "sort": sort,
            "totals": _totals(organisations),
        },
    )


def _totals(organisations):
    """The 合计 row: one aggregate over the listed organisations' figures (aliases differ
    from the annotations' names, which Django cannot aggregate into themselves)."""
    sums = organisations.aggregate(**{f"sum_{name}": Sum(name) for name in FIGURES})
    return {name: sums[f"sum_{name}"] or 0 for name in FIGURES}


@login_required
def organisation_detail(request, pk):
    organisation = visible_organisation(request, pk)
    return render(
        request,
        "councils/organisation_detail.html",
        {
            **crumbs(organisation),
            **personal(request),
            "state": organisation_state(organisation),
            "panels": panels_for("organisation", request, organisation),
        },
    )


@login_required
@permission_required("councils.add_organisation", raise_exception=True)
def organisation_add(request):
    """Set up an organisation for courtyards of one community: ?courtyard= or ?community=
    says which; without either the page first asks for the community."""
    community, preselected = _community_for(request)
    if community is None:
        chooser = CommunityChoiceForm(request.GET or None, user=request.user)
        return render(request, "councils/organisation_choose_community.html", {"form": chooser})
    form = OrganisationForm(
        request.POST or None,
        user=request.user,
        community=community,
        initial={
            "set_up_on": timezone.localdate(),
            "courtyards": [preselected] if preselected else [],
            "name": _("%(courtyard)s self-governance organisation")
            % {"courtyard": preselected.name}
            if preselected
            else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                community=community, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The organisation is set up: now record its elections."))
            return redirect(organisation)
    return render(
        request,
        "councils/organisation_form.html",
        {
            "form": form,
            "community": community,
            "street": community.street,
            "district": community.street.district,
        },
    )


@login_required
@permission_required("councils.change_organisation", raise_exception=True)
def organisation_edit(request, pk):
    """The organisation's own facts and, for those who change coverage, the courtyards it
    covers (what its admin change form offered). Its steps have their own pages."""
    organisation = visible_organisation(request, pk)
    data = request.POST or None
    form = OrganisationEditForm(data, instance=organisation, prefix="organisation")
    coverage = None
    if request.user.has_perm("councils.change_coverage"):
        extra = 1 if request.user.has_perm("councils.add_coverage") else 0
        coverage = coverage_formset(extra)(
            data, instance=organisation, prefix="coverage", user=request.user
        )
    coverage_errors = []
    # Both are judged, so every error shows at once.
    valid = all([form.is_valid(), coverage is None or coverage.is_valid()])
    if request.method == "POST" and valid:
        try:
            services.organisation_update(
                organisation=form.save(commit=False),
                coverage=coverage.save(commit=False) if coverage is not None else (),
                by=request.user,
            )
        except ValidationError as error:
            coverage_errors = apply_errors(form, error, separate=("coverage",))
        else:
            messages.success(request, _("Saved."))
            return redirect(organisation)
    rows = [Rows(coverage, _coverage_caption, "coverage")] if coverage is not None else []
    return render(
        request,
        "councils/organisation_edit.html",
        {
            **crumbs(organisation),
            "form": form,
            "coverage": coverage,
            "coverage_errors": coverage_errors,
            "summary": error_summary(
                form, *rows, extra=[(message, "coverage") for message in coverage_errors]
            ),
            "title": _("Edit %(name)s") % {"name": organisation.name},
        },
    )


def _coverage_caption(number, row):
    courtyard = row.instance.courtyard if row.instance.courtyard_id else None
    return courtyard.name if courtyard else _("Courtyard %(number)s") % {"number": number}


def _community_for(request):
    params = request.GET
    if params.get("courtyard"):
        courtyard = get_visible_or_404(
            Courtyard.objects.select_related("community__street__district"),
            request.user,
            pk=params["courtyard"],
        )
        return courtyard.community, courtyard
    if params.get("community"):
        community = get_visible_or_404(
            Community.objects.select_related("street__district"),
            request.user,
            pk=params["community"],
        )
        return community, None
    return None, None


def _step(request, pk, *, form_class, service, title, allowed, initial_field):
    organisation = visible_organisation(request, pk)
    if not allowed(organisation):
        messages.error(request, _("This step does not apply to the organisation in its state."))
        return redirect(organisation)
    form = form_class(request.POST or None, initial={initial_field: timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            service(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect(organisation)
    return render(
        request,
        "councils/step_form.html",
        {**crumbs(organisation), "form": form, "title": title},
    )


@login_required
@permission_required("councils.change_organisation", raise_exception=True)
def organisation_establish(request, pk):
    return _step(
        request,
        pk,
        form_class=EstablishForm,
        service=lambda *, established_on, **kw: services.organisation_establish(
            on=established_on, **kw
        ),
        title=_("Record the establishment"),
        allowed=lambda o: o.status == Organisation.Status.PREPARING,
        initial_field="established_on",
    )


@login_required
@permission_required("councils.accept_organisation", raise_exception=True)
def organisation_accept(request, pk):
    return _step(
        request,
        pk,
        form_class=AcceptForm,
        service=lambda *, accepted_on, acceptance_note, **kw: services.organisation_accept(
            on=accepted_on, note=acceptance_note, **kw
        ),
        title=_("Record the acceptance"),
        allowed=lambda o: o.status == Organisation.Status.ESTABLISHED,
        initial_field="accepted_on",
    )


@login_required
@permission_required("councils.change_organisation", raise_exception=True)
def organisation_dissolve(request, pk):
    return _step(
        request,
        pk,
        form_class=DissolveForm,
        service=lambda *, dissolved_on, dissolved_reason, **kw: services.organisation_dissolve(
            on=dissolved_on, reason=dissolved_reason, **kw
        ),
        title=_("Record the dissolution"),
        allowed=lambda o: o.is_open,
        initial_field="dissolved_on",
    )
