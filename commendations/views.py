"""Commendations: the rounds, a round's page (categories, nominations with their reasons,
counts against places; after the decision the honour roll, printable and as a workbook),
opening a round, nominating, deciding, and recording an allowance paid to a group member."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commendations import services
from commendations.exports import HonourRollSheet
from commendations.forms import (
    AllowanceForm,
    CategoryChoiceForm,
    DecisionForm,
    NominationAmendForm,
    NominationForm,
    RoundForm,
    WithdrawForm,
)
from commendations.models import Nomination, Round
from councils.models import Organisation
from courtyards.models import District
from portal.access import assignment_of, get_visible_or_404, scope_label, scope_of
from portal.excel import workbook_response
from portal.forms import apply_errors
from portal.roles import Level
from portal.uploads import attachment_response


@login_required
@permission_required("commendations.view_round", raise_exception=True)
def round_list(request):
    rounds = Round.objects.visible_to(request.user).select_related("district")
    page = Paginator(rounds, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "commendations/round_list.html",
        {"page": page, "may_open": _opens_rounds(request.user)},
    )


def _opens_rounds(user):
    """A round is the district's: its offices open them; the system administrator has none."""
    return user.has_perm("commendations.add_round") and scope_of(user).level == Level.DISTRICT


@login_required
@permission_required("commendations.add_round", raise_exception=True)
def round_new(request):
    if not _opens_rounds(request.user):
        raise PermissionDenied
    scope = scope_of(request.user)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in RoundForm.Meta.fields}
        try:
            round_ = services.round_open(
                district=District.objects.get(pk=scope.pk),
                by=request.user,
                places=form.places(),
                **fields,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The round is open for nominations."))
            return redirect(round_)
    return render(request, "commendations/round_form.html", {"form": form})


def _visible_round(request, pk):
    return get_visible_or_404(
        Round.objects.select_related("district", "decided_by"), request.user, pk=pk
    )


def _categories_with_rows(round_, user):
    """The round's categories, each with the standing nominations the user sees (`rows`,
    each marked `may_amend`), the withdrawn ones (`withdrawn`) and, after the decision, the
    honoured ones (`honoured`). Two queries whatever the numbers."""
    categories = list(round_.categories.all())
    nominations = (
        Nomination.objects.visible_to(user)
        .filter(category__round=round_)
        .with_names()
        .order_by("category", "pk")
    )
    by_category = {category.pk: category for category in categories}
    for category in categories:
        category.round = round_
        category.rows, category.withdrawn = [], []
    amends = user.has_perm("commendations.add_nomination") and round_.accepts_nominations()
    for nomination in nominations:
        category = by_category[nomination.category_id]
        nomination.category = category
        if nomination.is_withdrawn:
            category.withdrawn.append(nomination)
            continue
        nomination.may_amend = amends and user.has_perm(
            "commendations.amend_nomination", nomination
        )
        category.rows.append(nomination)
    for category in categories:
        category.honoured = [n for n in category.rows if n.status == Nomination.Status.HONOURED]
        category.may_nominate = user.has_perm("commendations.nominate", category)
    return categories


@login_required
@permission_required("commendations.view_round", raise_exception=True)
def round_detail(request, pk):
    round_ = _visible_round(request, pk)
    categories = _categories_with_rows(round_, request.user)
    return render(
        request,
        "commendations/round_detail.html",
        {
            "round": round_,
            "categories": categories,
            "may_nominate": any(category.may_nominate for category in categories),
            "may_decide": request.user.has_perm("commendations.decide", round_),
            "sees_all": scope_of(request.user).level in (Level.ALL, Level.DISTRICT),
            # after the decision a community reads the honour roll only
            "sees_nominations": scope_of(request.user).level != Level.COMMUNITY,
        },
    )


@login_required
@permission_required("commendations.view_round", raise_exception=True)
def round_workbook(request, pk):
    round_ = _visible_round(request, pk)
    if not round_.is_decided:
        raise Http404
    honoured = (
        Nomination.objects.filter(category__round=round_)
        .honoured()
        .with_names()
        .order_by("category", "pk")
    )
    return workbook_response(
        [HonourRollSheet(round_, honoured)],
        filename=_("Honour roll %(title)s.xlsx") % {"title": round_.title},
        heading=round_.title,
        scope_label=scope_label(request.user),
    )


def _nominating_street(user):
    return assignment_of(user).street if scope_of(user).level == Level.STREET else None


@login_required
@permission_required("commendations.add_nomination", raise_exception=True)
def nominate(request, pk):
    """Two steps on one address: choose the honour (?category=), then whom and why."""
    round_ = _visible_round(request, pk)
    categories = _nominable_categories(request.user, round_)
    chosen = request.POST.get("category") or request.GET.get("category")
    category = next((c for c in categories if str(c.pk) == chosen), None)
    if chosen and category is None:
        raise Http404  # another round's category, or an honour the user does not nominate for
    if category is None:
        chooser = CategoryChoiceForm(categories=categories)
        return render(
            request, "commendations/nominate_choose.html", {"round": round_, "form": chooser}
        )
    street = _nominating_street(request.user)
    form = NominationForm(
        request.POST or None, request.FILES or None, category=category, street=street
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.nominate(
                category=category, by=request.user, street=street, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The nomination is recorded."))
            return redirect(round_)
    schemes = services.proposing_schemes(category, street)
    return render(
        request,
        "commendations/nominate.html",
        {"round": round_, "category": category, "form": form, "schemes": schemes},
    )


def _nominable_categories(user, round_):
    """The round's honours the user nominates for; refused when there are none."""
    if not user.has_perm("commendations.nominate_in_round", round_):
        raise PermissionDenied
    categories = [c for c in round_.categories.all() if _may_nominate(user, c, round_)]
    if not categories:
        raise PermissionDenied
    return categories


@login_required
@permission_required("commendations.add_nomination", raise_exception=True)
@require_POST
def propose(request, pk):
    """Nominate the best-ranked units of one of the user's unit's published assessments."""
    round_ = _visible_round(request, pk)
    categories = _nominable_categories(request.user, round_)
    category = next((c for c in categories if str(c.pk) == request.POST.get("category")), None)
    street = _nominating_street(request.user)
    if category is None:
        raise Http404
    schemes = services.proposing_schemes(category, street)
    scheme = schemes.filter(pk=request.POST.get("scheme") or 0).first()
    if scheme is None:
        raise Http404  # another unit's assessment, a draft, or one ranking other units
    try:
        proposed = services.propose_from_assessment(
            category=category,
            scheme=scheme,
            by=request.user,
            street=street,
            count=_number(request.POST.get("count", "")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = "、".join(str(n.nominee) for n in proposed)
        messages.success(request, _("Nominated from the assessment: %(names)s.") % {"names": names})
    return redirect(round_)


def _number(value):
    """A whole number typed by the user; 0 (refused by the service, named) for anything else."""
    return int(value) if value.isdigit() else 0


def _may_nominate(user, category, round_):
    category.round = round_
    return user.has_perm("commendations.nominate", category)


@login_required
@permission_required("commendations.view_nomination", raise_exception=True)
def nomination_evidence(request, pk):
    nomination = get_visible_or_404(Nomination, request.user, pk=pk)
    if not nomination.evidence:
        raise Http404
    return attachment_response(nomination.evidence, nomination.evidence_name)


def _own_nomination(request, pk):
    """The user's unit's nomination: another street's is not found, the district's or
    another unit's it sees is refused."""
    nomination = get_visible_or_404(
        Nomination.objects.select_related("category__round__district"), request.user, pk=pk
    )
    if not request.user.has_perm("commendations.amend_nomination", nomination):
        raise PermissionDenied
    return nomination


@login_required
@permission_required("commendations.add_nomination", raise_exception=True)
def nomination_edit(request, pk):
    """Correct a nomination's reason and material while the round takes nominations."""
    nomination = _own_nomination(request, pk)
    round_ = nomination.category.round
    try:
        services.check_open(round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(round_)
    initial = {"reason": nomination.reason}
    form = NominationAmendForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_amend(nomination=nomination, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The nomination is corrected."))
            return redirect(round_)
    return render(
        request,
        "commendations/nomination_edit.html",
        {"round": round_, "nomination": nomination, "form": form},
    )


@login_required
@permission_required("commendations.add_nomination", raise_exception=True)
@require_POST
def nomination_withdraw(request, pk):
    """Withdraw a nomination (confirmed, with an optional reason); it is kept, greyed."""
    nomination = _own_nomination(request, pk)
    round_ = nomination.category.round
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect(round_)
    try:
        services.nomination_withdraw(
            nomination=nomination, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The nomination of %(name)s is withdrawn.") % {"name": nomination.nominee_name},
        )
    return redirect(round_)


@login_required
@permission_required("commendations.decide_round", raise_exception=True)
def round_decide(request, pk):
    round_ = _visible_round(request, pk)
    if not request.user.has_perm("commendations.decide", round_):
        messages.error(request, _("This round is already decided."))
        return redirect(round_)
    categories = _categories_with_rows(round_, request.user)
    form = DecisionForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_decide(
                round_=round_,
                by=request.user,
                honoured=form.honoured(),
                decision_number=form.cleaned_data["decision_number"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded; the honour roll is published."))
            return redirect(round_)
    return render(
        request,
        "commendations/decide.html",
        {"round": round_, "categories": categories, "form": form},
    )


@login_required
@permission_required("commendations.add_allowance", raise_exception=True)
def allowance_new(request, pk):
    organisation = get_visible_or_404(
        Organisation.objects.select_related("community__street"), request.user, pk=pk
    )
    form = AllowanceForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.allowance_record(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The allowance is recorded as a special-fund expenditure."))
            return redirect(organisation)
    return render(
        request,
        "commendations/allowance_form.html",
        {"organisation": organisation, "form": form},
    )
