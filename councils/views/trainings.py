"""Training sessions: the year's list with its figures, one session, recording one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from councils import services
from councils.forms import TrainingForm
from councils.models import Membership, Person, Training
from councils.selectors import training_figures, trainings_in_year
from councils.views.common import personal
from portal.access import get_visible_or_404, scope_of
from portal.forms import apply_errors
from portal.params import year_param
from portal.roles import Level


@login_required
def training_list(request):
    """The sessions of a year organised within the user's scope, with the year's figures
    (sessions and person-times); sessions organised above the scope are listed apart."""
    year = year_param(request)
    sessions = (
        trainings_in_year(request.user, year)
        .select_related("district", "street", "community")
        .annotate(named=Count("attendance"))
        .order_by("-held_on", "-pk")
    )
    above = (
        Training.objects.visible_to(request.user)
        .in_year(year)
        .exclude(pk__in=trainings_in_year(request.user, year).values("pk"))
        .order_by("-held_on")
    )
    this_year = timezone.localdate().year
    return render(
        request,
        "councils/training_list.html",
        {
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "page": Paginator(sessions, 50).get_page(request.GET.get("page")),
            "figures": training_figures(request.user, year),
            "above": above,
        },
    )


def _visible_training(request, pk):
    return get_visible_or_404(
        Training.objects.select_related("district", "street", "community"),
        request.user,
        pk=pk,
    )


@login_required
def training_detail(request, pk):
    training = _visible_training(request, pk)
    attendance = training.attendance.visible_to(request.user).select_related("person__courtyard")
    return render(
        request,
        "councils/training_detail.html",
        {
            **personal(request),
            "training": training,
            "attendance": attendance.order_by("person__courtyard__name", "person__name"),
            "named_total": training.attendance.count(),
            "may_edit": request.user.has_perm("councils.edit_training", training),
        },
    )


def _people_to_tick(user):
    """People serving today whom a user can tick by name: those of the user's community.
    Larger trainings record named attendees in Administration, where a search finds them."""
    if scope_of(user).level != Level.COMMUNITY:
        return Person.objects.none()
    serving = Membership.objects.current().values("person")
    return (
        Person.objects.visible_to(user)
        .filter(pk__in=serving)
        .select_related("courtyard")
        .order_by("courtyard__name", "name")
    )


def _save(request, training=None):
    people = _people_to_tick(request.user)
    if training is not None:
        # keep those already recorded (outside the ticking list too) as they are
        people = people | Person.objects.filter(pk__in=training.attendance.values("person"))
    initial = {"held_on": timezone.localdate(), "other_attendees": 0}
    if training is not None:
        initial = {
            "unit": training.unit_key,
            "held_on": training.held_on,
            "topic": training.topic,
            "organiser": training.organiser,
            "place": training.place,
            "other_attendees": training.other_attendees,
            "note": training.note,
            "people": list(training.attendance.values_list("person", flat=True)),
        }
    form = TrainingForm(request.POST or None, user=request.user, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = data.pop("unit")
        chosen = data.pop("people")
        try:
            training = services.training_save(
                training=training, people=chosen, by=request.user, **unit, **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The training session is recorded."))
            return redirect(training)
    return render(
        request,
        "councils/training_form.html",
        {
            "form": form,
            "training": training,
            "can_tick": people.exists(),
            "title": _("Edit the training session") if training else _("Record a training session"),
        },
    )


@login_required
@permission_required("councils.add_training", raise_exception=True)
def training_add(request):
    return _save(request)


@login_required
@permission_required("councils.change_training", raise_exception=True)
def training_edit(request, pk):
    training = _visible_training(request, pk)
    if not request.user.has_perm("councils.edit_training", training):
        raise PermissionDenied  # organised above the user's unit: theirs to read, not to edit
    return _save(request, training)
