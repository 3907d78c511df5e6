"""The people who serve: the list (with its Excel export), one person's record, adding and
editing them, and a member leaving."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from councils import services
from councils.exports import PeopleSheet, listed_people
from councils.forms import MembershipEndForm, PersonForm
from councils.models import Membership, Person
from councils.views.common import crumbs, personal, visible_membership
from portal import exports
from portal.access import get_visible_or_404, record_personal_data_access, scope_label
from portal.excel import workbook_response
from portal.forms import apply_errors
from portal.navigation import panels_for


@login_required
def person_list(request):
    people, form = listed_people(request)
    if request.GET.get("format") == "xlsx":
        return _export(request, people)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    record_personal_data_access(
        request, action="view", what=_("People serving"), records=len(page.object_list)
    )
    return render(
        request,
        "councils/person_list.html",
        {"form": form, "page": page, **personal(request)},
    )


def _export(request, people):
    """The list's workbook: written at once, or by the worker when it has more rows than
    BACKGROUND_EXPORT_ROWS (the user is sent to the job's page). Either way the export of
    personal data is recorded when it is asked for."""
    count = people.count()
    record_personal_data_access(request, action="export", what=_("People serving"), records=count)
    filename = _("People serving %(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    if count > settings.BACKGROUND_EXPORT_ROWS:
        query = request.GET.copy()
        query.pop("format", None)
        job = exports.start(
            request,
            "people",
            {"query": query.urlencode(), "filename": filename},
            title=_("People serving"),
            rows_total=count,
        )
        return redirect(job)
    return workbook_response(
        [PeopleSheet(people, request.user)],
        filename=filename,
        heading=_("People serving"),
        scope_label=scope_label(request.user),
    )


def _visible_person(request, pk):
    return get_visible_or_404(
        Person.objects.select_related("courtyard__community__street__district"),
        request.user,
        pk=pk,
    )


@login_required
def person_detail(request, pk):
    person = _visible_person(request, pk)
    return render(
        request,
        "councils/person_detail.html",
        {
            **personal(request),
            "person": person,
            "courtyard": person.courtyard,
            "community": person.courtyard.community,
            "street": person.courtyard.community.street,
            "district": person.courtyard.community.street.district,
            "memberships": Membership.objects.filter(person=person)
            .select_related("body__organisation", "term")
            .order_by("-started_on"),
            "trainings": person.trainings.order_by("-held_on"),
            "panels": panels_for("person", request, person),
        },
    )


@login_required
@permission_required("councils.add_person", raise_exception=True)
def person_add(request):
    initial = {}
    if request.GET.get("courtyard"):
        initial["courtyard"] = request.GET["courtyard"]
    form = PersonForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        person = form.save()
        messages.success(request, _("%(name)s is registered.") % {"name": person.name})
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = person.get_absolute_url()
        return redirect(target)
    return render(
        request, "councils/person_form.html", {"form": form, "title": _("Register a resident")}
    )


@login_required
@permission_required("councils.change_person", raise_exception=True)
def person_edit(request, pk):
    person = _visible_person(request, pk)
    form = PersonForm(request.POST or None, user=request.user, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(person)
    return render(
        request,
        "councils/person_form.html",
        {"form": form, "person": person, "title": _("Edit %(name)s") % {"name": person.name}},
    )


@login_required
@permission_required("councils.change_membership", raise_exception=True)
def membership_end(request, pk):
    membership = visible_membership(request, pk)
    organisation = membership.body.organisation
    if membership.ended_on is not None:
        messages.error(request, _("This membership has already ended."))
        return redirect(organisation)
    form = MembershipEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.membership_end(
                membership=membership,
                on=data["ended_on"],
                reason=data["end_reason"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has left the %(body)s; the seat shows as vacant.")
                % {"name": membership.person.name, "body": membership.body.get_kind_display()},
            )
            return redirect(organisation)
    return render(
        request,
        "councils/membership_end.html",
        {
            **crumbs(organisation),
            "form": form,
            "membership": membership,
            "title": _("%(name)s leaves") % {"name": membership.person.name},
        },
    )
