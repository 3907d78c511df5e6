import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

# Rules that test a record's state are asked through rules.has_perm, not user.has_perm,
# which lets any superuser through: see inspections/rules.py.
from inspections import selectors, services
from inspections.exports import bulletin_sheets
from inspections.forms import BulletinForm
from inspections.models import Bulletin, Campaign
from inspections.views.common import dated_filename
from portal.access import get_visible_or_404
from portal.excel import workbook_response
from portal.forms import apply_errors


def _bulletin(request, pk):
    return get_visible_or_404(
        Bulletin.objects.select_related("campaign__district", "published_by"),
        request.user,
        pk=pk,
    )


def _content(bulletin):
    content = selectors.bulletin_content(bulletin)
    return content, selectors.street_chart(content)


@login_required
@permission_required("inspections.view_bulletin", raise_exception=True)
def bulletin_list(request):
    bulletins = (
        Bulletin.objects.visible_to(request.user)
        .select_related("campaign")
        .order_by("-campaign__year", "-published_on", "-pk")
    )
    page = Paginator(bulletins, 30).get_page(request.GET.get("page"))
    return render(request, "inspections/bulletin_list.html", {"page": page})


@login_required
@require_POST
def bulletin_create(request, pk):
    """Generate the draft bulletin of a closed campaign."""
    campaign = get_visible_or_404(Campaign.objects.all(), request.user, pk=pk)
    if not request.user.has_perm("inspections.write_bulletin"):
        raise PermissionDenied
    try:
        bulletin = services.bulletin_create(campaign=campaign, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(campaign)
    messages.success(request, _("The draft bulletin is ready: check it, then publish it."))
    return redirect(bulletin)


@login_required
def bulletin_detail(request, pk):
    """The bulletin: a draft (its texts editable, its figures live) or as published."""
    bulletin = _bulletin(request, pk)
    editable = not bulletin.is_published and request.user.has_perm("inspections.write_bulletin")
    form = None
    if editable:
        form = BulletinForm(request.POST or None, instance=bulletin)
        if request.method == "POST" and form.is_valid():
            try:
                services.bulletin_update(bulletin=bulletin, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect(bulletin)
    elif request.method == "POST":
        raise PermissionDenied
    content, chart = _content(bulletin)
    return render(
        request,
        "inspections/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "campaign": bulletin.campaign,
            "content": content,
            "chart": chart,
            "form": form,
            "may_publish": rules.has_perm("inspections.publish_draft", request.user, bulletin),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def bulletin_publish(request, pk):
    bulletin = _bulletin(request, pk)
    if not rules.has_perm("inspections.publish_draft", request.user, bulletin):
        raise PermissionDenied
    try:
        services.bulletin_publish(bulletin=bulletin, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Published to every staff member of the district. It no longer changes.")
        )
    return redirect(bulletin)


@login_required
def bulletin_print(request, pk):
    """The bulletin as a document to print on A4."""
    bulletin = _bulletin(request, pk)
    content, chart = _content(bulletin)
    return render(
        request,
        "inspections/bulletin_print.html",
        {"bulletin": bulletin, "content": content, "chart": chart},
    )


@login_required
def bulletin_workbook(request, pk):
    bulletin = _bulletin(request, pk)
    content = selectors.bulletin_content(bulletin)
    return workbook_response(
        bulletin_sheets(content),
        filename=dated_filename(content["title"]),
        heading=content["title"],
        scope_label=content["campaign"]["district"],
    )
