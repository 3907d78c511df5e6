"""Terms and members of an organisation's bodies, recorded on the organisation's page
rather than in the admin: a term recorded without its election (one that began before the
portal; a new term starts with a general election) and a member added to a body's term.
Leaving is `people.membership_end`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from councils.forms.terms import MembershipForm, TermForm
from councils.models import Body
from councils.views.common import crumbs, visible_organisation


def _open_body(request, pk):
    """The organisation (in scope, else 404) and its elected body named by ?body=."""
    organisation = visible_organisation(request, pk)
    kind = request.GET.get("body")
    if kind not in Body.ELECTED:
        raise Http404
    body = organisation.bodies.filter(kind=kind).first()
    if body is None:
        raise Http404
    return organisation, body


def _saved(request, form):
    form.instance._history_user = request.user
    return form.save()


@login_required
@permission_required("councils.add_term", raise_exception=True)
def term_add(request, pk):
    organisation, body = _open_body(request, pk)
    if not organisation.is_open:
        messages.error(request, _("This step does not apply to the organisation in its state."))
        return redirect(organisation)
    form = TermForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        term = _saved(request, form)
        messages.success(request, _("%(term)s is recorded.") % {"term": term.label})
        return redirect(organisation)
    return render(
        request,
        "councils/term_form.html",
        {
            **crumbs(organisation),
            "form": form,
            "body": body,
            "title": _("Record a term of the %(body)s") % {"body": body.get_kind_display()},
        },
    )


@login_required
@permission_required("councils.add_membership", raise_exception=True)
def membership_add(request, pk):
    organisation, body = _open_body(request, pk)
    if not organisation.is_open:
        messages.error(request, _("This step does not apply to the organisation in its state."))
        return redirect(organisation)
    form = MembershipForm(request.POST or None, body=body, user=request.user)
    if request.method == "POST" and form.is_valid():
        membership = _saved(request, form)
        messages.success(
            request,
            _("%(name)s serves on the %(body)s as %(role)s.")
            % {
                "name": membership.person.name,
                "body": body.get_kind_display(),
                "role": membership.get_role_display(),
            },
        )
        return redirect(organisation)
    return render(
        request,
        "councils/membership_form.html",
        {
            **crumbs(organisation),
            "form": form,
            "body": body,
            "has_terms": form.fields["term"].queryset.exists(),
            "title": _("Add a member to the %(body)s") % {"body": body.get_kind_display()},
        },
    )
