"""Recording an election (which creates the term's memberships in the same step) and
reading one back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import services
from councils.forms import CANDIDATE_ROWS, ElectionForm, candidate_formset
from councils.models import Body, Election
from councils.views.common import crumbs, personal, visible_organisation
from portal.access import get_visible_or_404
from portal.forms import apply_errors

MAX_ROWS = 60


@login_required
@permission_required("councils.add_election", raise_exception=True)
def election_add(request, pk):
    """?body=council|group chooses the body; ?rows=N offers more candidate rows."""
    organisation = visible_organisation(request, pk)
    kind = request.GET.get("body", Body.Kind.COUNCIL)
    if kind not in Body.ELECTED:
        raise Http404
    body = Body.objects.get(organisation=organisation, kind=kind)
    if not organisation.is_open:
        messages.error(request, _("This organisation is dissolved."))
        return redirect(organisation)
    rows = _candidate_rows(request)
    has_term = body.terms.exists()
    form = ElectionForm(
        request.POST or None,
        initial={
            "kind": Election.Kind.BY_ELECTION if has_term else Election.Kind.GENERAL,
            "held_on": timezone.localdate(),
            "method": Election.Method.HOUSEHOLDS,
        },
    )
    candidates = candidate_formset(
        body=body, user=request.user, data=request.POST or None, rows=rows
    )
    candidate_errors = []
    if request.method == "POST" and form.is_valid() and candidates.is_valid():
        try:
            election = _record(request, body, form.cleaned_data, candidates)
        except ValidationError as error:
            candidate_errors = apply_errors(form, error, separate=["candidates"])
        else:
            messages.success(
                request,
                _("The election is recorded: %(count)s people now serve on the %(body)s.")
                % {
                    "count": election.memberships.count(),
                    "body": body.get_kind_display(),
                },
            )
            return redirect(organisation)
    return render(
        request,
        "councils/election_form.html",
        {
            **crumbs(organisation),
            "body": body,
            "form": form,
            "candidates": candidates,
            "candidate_errors": candidate_errors,
            "more_rows": min(MAX_ROWS, rows + CANDIDATE_ROWS),
            "no_people": not candidates.people.exists(),
        },
    )


def _candidate_rows(request):
    try:
        return min(MAX_ROWS, max(CANDIDATE_ROWS, int(request.GET.get("rows", CANDIDATE_ROWS))))
    except ValueError:
        return CANDIDATE_ROWS


def _record(request, body, data, candidates):
    return services.election_record(
        body=body,
        kind=data["kind"],
        method=data["method"],
        held_on=data["held_on"],
        eligible_voters=data["eligible_voters"],
        votes_cast=data["votes_cast"],
        candidates=candidates.candidates(),
        term_started_on=data["term_started_on"],
        term_ends_on=data["term_ends_on"],
        seats=data["seats"],
        note=data["note"],
        by=request.user,
    )


@login_required
def election_detail(request, pk):
    election = get_visible_or_404(
        Election.objects.select_related("body__organisation__community__street__district", "term"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "councils/election_detail.html",
        {
            **crumbs(election.body.organisation),
            **personal(request),
            "election": election,
            "candidates": election.candidates.select_related("person__courtyard"),
        },
    )
