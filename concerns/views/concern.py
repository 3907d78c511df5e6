"""Intake of a concern and a concern's page: its facts, its timeline and the forms of the
steps the user may take now. Each step posts to its own address."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from concerns import forms, services
from concerns.models import Concern, ConcernPhoto
from concerns.rules import escalation_target
from portal.access import get_visible_or_404, mask_phone, may_see_personal_data
from portal.forms import apply_errors
from portal.uploads import attachment_response


def _files_not_kept(request, form):
    """A form that comes back cannot hold the files chosen (a browser does not refill a file
    input, as on the meeting form): say so beside the field, so none is lost unnoticed."""
    if request.FILES:
        form.add_error(
            "photos",
            _("Chosen files are not kept when the form comes back: choose the photos again."),
        )


@login_required
@permission_required("concerns.add_concern", raise_exception=True)
def concern_new(request):
    form = forms.ConcernForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                concern = services.concern_receive(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Received. Give the resident the tracking number %(number)s.")
                    % {"number": concern.number},
                )
                return redirect(concern)
        _files_not_kept(request, form)
    return render(request, "concerns/concern_form.html", {"form": form})


@dataclass(frozen=True)
class Step:
    """One step a user may take on a concern's page: its form, when it is offered, and the
    service that takes it."""

    name: str
    label: str
    form: type
    rule: str
    offered: object  # concern -> bool

    def run(self, concern, user, data):
        if self.name == "escalate":
            target = escalation_target(user) or _next_level(concern)
            return services.concern_escalate(concern, by=user, to_level=target, **data)
        service = getattr(services, f"concern_{self.name}")
        return service(concern, by=user, **data)


def _next_level(concern):
    order = services.LEVEL_ORDER
    return order[min(order.index(concern.level) + 1, len(order) - 1)]


STEPS = [
    Step(
        "classify",
        gettext_lazy("Classify"),
        forms.ClassifyForm,
        "concerns.act_on_concern",
        lambda c: c.is_open and not c.answered_at,
    ),
    Step(
        "answer",
        gettext_lazy("Answer the resident"),
        forms.AnswerForm,
        "concerns.act_on_concern",
        lambda c: c.is_open and c.routing and not c.answered_at,
    ),
    Step(
        "resolve",
        gettext_lazy("Record the resolution"),
        forms.ResolveForm,
        "concerns.act_on_concern",
        lambda c: c.is_open and c.answered_at,
    ),
    Step(
        "return_visit",
        gettext_lazy("Record the return visit"),
        forms.ReturnVisitForm,
        "concerns.act_on_concern",
        lambda c: c.resolved_at and not c.visited_at,
    ),
    Step(
        "escalate",
        gettext_lazy("Escalate"),
        forms.EscalateForm,
        "concerns.escalate_this_concern",
        lambda c: c.is_open,
    ),
    Step(
        "link",
        gettext_lazy("Link to a motion, rectification or project"),
        forms.LinkForm,
        "concerns.act_on_concern",
        lambda c: True,
    ),
    Step(
        "add_photos",
        gettext_lazy("Add photos"),
        forms.PhotosForm,
        "concerns.act_on_concern",
        lambda c: True,
    ),
    Step(
        "note",
        gettext_lazy("Add a note"),
        forms.NoteForm,
        "concerns.act_on_concern",
        lambda c: True,
    ),
]
STEPS_BY_NAME = {step.name: step for step in STEPS}


def _form(step, concern, user, data=None, files=None):
    if step.form is forms.LinkForm:
        return step.form(data, prefix=step.name, concern=concern, user=user)
    return step.form(data, files, prefix=step.name)


def _concern(request, pk):
    queryset = Concern.objects.select_related(
        "community__street",
        "courtyard",
        "received_by",
        "answered_by",
        "resolved_by",
        "motion__meeting__organisation",
        "rectification",
        "project",
    )
    return get_visible_or_404(queryset, request.user, pk=pk)


def _render(request, concern, bound_step=None, bound_form=None):
    """The page; after a refused step, that step's form comes back with its errors."""
    steps = [
        (
            step,
            bound_form if step is bound_step else _form(step, concern, request.user),
            reverse(f"concerns:{step.name}", args=[concern.pk]),
        )
        for step in STEPS
        if step is bound_step
        or (step.offered(concern) and request.user.has_perm(step.rule, concern))
    ]
    full_phone = may_see_personal_data(request.user)
    context = {
        "concern": concern,
        "events": concern.events.select_related("by", "from_officer", "to_officer"),
        "photos": concern.photos.select_related("uploaded_by"),
        "phone": concern.resident_phone if full_phone else mask_phone(concern.resident_phone),
        "steps": steps,
        "overdue": concern.is_overdue(),
        "escalates_to": Concern.Level(
            escalation_target(request.user) or _next_level(concern)
        ).label,
    }
    return render(request, "concerns/concern_detail.html", context)


@login_required
@permission_required("concerns.view_concern", raise_exception=True)
def concern_detail(request, pk):
    return _render(request, _concern(request, pk))


def _take_step(request, pk, name):
    concern = _concern(request, pk)
    step = STEPS_BY_NAME[name]
    if not request.user.has_perm(step.rule, concern):
        raise PermissionDenied
    form = _form(step, concern, request.user, request.POST, request.FILES)
    if form.is_valid():
        try:
            step.run(concern, request.user, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(concern)
    if "photos" in form.fields:
        _files_not_kept(request, form)
    concern.refresh_from_db()
    return _render(request, concern, step, form)


def _step_view(name):
    @login_required
    @permission_required("concerns.change_concern", raise_exception=True)
    @require_POST
    def view(request, pk):
        return _take_step(request, pk, name)

    view.__name__ = f"concern_{name}"
    return view


concern_classify = _step_view("classify")
concern_answer = _step_view("answer")
concern_resolve = _step_view("resolve")
concern_return_visit = _step_view("return_visit")
concern_note = _step_view("note")
concern_link = _step_view("link")
concern_add_photos = _step_view("add_photos")


@login_required
@permission_required("concerns.view_concern", raise_exception=True)
def concern_photo(request, pk):
    """A concern's photo, to users who may see the concern (another scope's: 404), served as
    every attachment of the portal is (portal.uploads.attachment_response)."""
    photo = get_visible_or_404(ConcernPhoto, request.user, pk=pk)
    return attachment_response(photo.file, photo.name)


@login_required
@permission_required("concerns.escalate_concern", raise_exception=True)
@require_POST
def concern_escalate(request, pk):
    return _take_step(request, pk, "escalate")
