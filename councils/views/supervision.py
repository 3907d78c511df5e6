"""Democratic evaluation, inquiry and recall: recording each step and reading it back."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import services
from councils.forms import (
    EvaluationForm,
    InquiryAnswerForm,
    InquiryForm,
    RecallMotionForm,
    RecallVoteForm,
)
from councils.models import Evaluation, Inquiry, Membership, Recall
from councils.views.common import crumbs, personal, visible_organisation
from portal.access import get_visible_or_404
from portal.forms import apply_errors

SCOPED_ORGANISATION = "organisation__community__street__district"


def _day(value, default):
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _redirect_if_dissolved(request, organisation):
    if not organisation.is_open:
        messages.error(request, _("This organisation is dissolved."))
        return redirect(organisation)
    return None


# Evaluation


@login_required
@permission_required("councils.add_evaluation", raise_exception=True)
def evaluation_add(request, pk):
    """The rows are the group's members serving on ?on= (by default today), the day the
    evaluation is held."""
    organisation = visible_organisation(request, pk)
    if response := _redirect_if_dissolved(request, organisation):
        return response
    today = timezone.localdate()
    on = _day(request.GET.get("on"), today)
    members = (
        Membership.objects.serving_on(on)
        .group_members()
        .filter(body__organisation=organisation)
        .select_related("person")
        .in_roll_order()
    )
    form = EvaluationForm(
        request.POST or None,
        members=members,
        initial={"held_on": on, "year": on.year if on.month > 2 else on.year - 1},
    )
    rating_errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.evaluation_record(
                organisation=organisation,
                year=data["year"],
                held_on=data["held_on"],
                evaluators=data["evaluators"],
                group_satisfied=data["group_satisfied"],
                group_basically=data["group_basically"],
                group_dissatisfied=data["group_dissatisfied"],
                ratings=form.ratings(),
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            rating_errors = apply_errors(form, error, separate=["ratings"])
        else:
            messages.success(request, _("The evaluation is recorded."))
            return redirect(evaluation)
    return render(
        request,
        "councils/evaluation_form.html",
        {**crumbs(organisation), "form": form, "on": on, "rating_errors": rating_errors},
    )


@login_required
def evaluation_detail(request, pk):
    evaluation = get_visible_or_404(
        Evaluation.objects.select_related(SCOPED_ORGANISATION), request.user, pk=pk
    )
    return render(
        request,
        "councils/evaluation_detail.html",
        {
            **crumbs(evaluation.organisation),
            "evaluation": evaluation,
            "ratings": evaluation.ratings.select_related("membership__person").order_by(
                "membership__person__name"
            ),
        },
    )


# Inquiry


@login_required
@permission_required("councils.add_inquiry", raise_exception=True)
def inquiry_add(request, pk):
    organisation = visible_organisation(request, pk)
    if response := _redirect_if_dissolved(request, organisation):
        return response
    form = InquiryForm(
        request.POST or None,
        organisation=organisation,
        initial={"raised_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            inquiry = services.inquiry_raise(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The inquiry is recorded: record the answer when given."))
            return redirect(inquiry)
    return render(
        request,
        "councils/inquiry_form.html",
        {**crumbs(organisation), "form": form, "title": _("Record an inquiry")},
    )


def _visible_inquiry(request, pk):
    return get_visible_or_404(
        Inquiry.objects.select_related(SCOPED_ORGANISATION, "target__person", "target__body"),
        request.user,
        pk=pk,
    )


@login_required
def inquiry_detail(request, pk):
    inquiry = _visible_inquiry(request, pk)
    return render(
        request,
        "councils/inquiry_detail.html",
        {**crumbs(inquiry.organisation), "inquiry": inquiry},
    )


@login_required
@permission_required("councils.change_inquiry", raise_exception=True)
def inquiry_answer(request, pk):
    inquiry = _visible_inquiry(request, pk)
    accepted = {True: "yes", False: "no"}.get(inquiry.accepted, "")
    form = InquiryAnswerForm(
        request.POST or None,
        initial={
            "answered_on": inquiry.answered_on or timezone.localdate(),
            "answered_by": inquiry.answered_by,
            "answer": inquiry.answer,
            "accepted": accepted,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inquiry_answer(inquiry=inquiry, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The answer is recorded."))
            return redirect(inquiry)
    return render(
        request,
        "councils/inquiry_answer.html",
        {
            **crumbs(inquiry.organisation),
            "form": form,
            "inquiry": inquiry,
            "title": _("Record the answer"),
        },
    )


# Recall


@login_required
@permission_required("councils.add_recall", raise_exception=True)
def recall_add(request, pk):
    """?membership= preselects the member (from the members table or a flagged rating)."""
    organisation = visible_organisation(request, pk)
    if response := _redirect_if_dissolved(request, organisation):
        return response
    form = RecallMotionForm(
        request.POST or None,
        organisation=organisation,
        initial={
            "moved_on": timezone.localdate(),
            "membership": request.GET.get("membership"),
            "decided_by": Recall.Voters.RESIDENTS_MEETING,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            recall = services.recall_move(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The recall motion is recorded: record the vote when held.")
            )
            return redirect(recall)
    return render(
        request,
        "councils/recall_form.html",
        {**crumbs(organisation), "form": form, "title": _("Move a recall")},
    )


def _visible_recall(request, pk):
    return get_visible_or_404(
        Recall.objects.select_related(
            SCOPED_ORGANISATION, "membership__person", "membership__body", "membership__term"
        ),
        request.user,
        pk=pk,
    )


@login_required
def recall_detail(request, pk):
    recall = _visible_recall(request, pk)
    return render(
        request,
        "councils/recall_detail.html",
        {**crumbs(recall.organisation), **personal(request), "recall": recall},
    )


@login_required
@permission_required("councils.change_recall", raise_exception=True)
def recall_vote(request, pk):
    recall = _visible_recall(request, pk)
    if recall.outcome != Recall.Outcome.PENDING:
        messages.error(request, _("This recall has already been decided."))
        return redirect(recall)
    form = RecallVoteForm(request.POST or None, initial={"voted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            recall = services.recall_vote(recall=recall, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if recall.outcome == Recall.Outcome.PASSED:
                messages.success(
                    request,
                    _("The recall passed: %(name)s no longer serves; hold a by-election.")
                    % {"name": recall.membership.person.name},
                )
            else:
                messages.success(request, _("The recall failed: the member stays."))
            return redirect(recall)
    return render(
        request,
        "councils/recall_vote.html",
        {
            **crumbs(recall.organisation),
            "form": form,
            "recall": recall,
            "title": _("Record the vote"),
        },
    )
