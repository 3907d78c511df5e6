"""Notices: the list (received by my unit, issued by my unit), writing and issuing a
notice, a notice's page (its text; for the issuer, who has acknowledged it) and the unit's
acknowledgement (签收)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courtyards.models import District, Street
from notices import services
from notices.forms import AnswerForm, NoticeForm
from notices.models import Notice, Recipient
from notices.rules import issuing_unit
from notices.sources import SOURCES
from portal.access import get_visible_or_404, scope_of
from portal.forms import apply_errors
from portal.roles import Level


@login_required
@permission_required("notices.view_notice", raise_exception=True)
def notice_list(request):
    """The notices sent to the user's unit, those to acknowledge first. The district
    receives none: its staff go to the notices it issued."""
    if scope_of(request.user).level not in (Level.STREET, Level.COMMUNITY):
        return redirect("notices:issued")
    received = (
        Recipient.objects.of_users_unit(request.user)
        .select_related("notice__street", "notice__district", "answer")
        .order_by("acknowledged_at", "-notice__issued_at", "-pk")
    )
    page = Paginator(received, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for row in page:
        row.late = row.is_late(today)
        row.return_late = row.return_is_late(today)
    return render(request, "notices/list.html", {"page": page, **_tabs(request.user)})


@login_required
@permission_required("notices.add_notice", raise_exception=True)
def notice_issued_list(request):
    """The notices the user's unit wrote, drafts included, with how many units have
    acknowledged each and submitted its return. The system administrator, who has no unit,
    reads every notice."""
    unit = issuing_unit(request.user)
    if unit is not None:
        notices = Notice.objects.filter(district=unit[0], street=unit[1])
    elif scope_of(request.user).is_everything:
        notices = Notice.objects.all()
    else:
        raise PermissionDenied
    acknowledged = Q(recipients__acknowledged_at__isnull=False)
    answered = Q(recipients__answer__isnull=False)
    issued = (
        notices.select_related("street", "district")
        .annotate(
            units=Count("recipients"),
            acknowledged=Count("recipients", filter=acknowledged),
            answered=Count("recipients", filter=answered),
        )
        .order_by("-created_at", "-pk")  # a grouped query keeps no default order
    )
    page = Paginator(issued, 50).get_page(request.GET.get("page"))
    return render(request, "notices/issued.html", {"page": page, **_tabs(request.user)})


def _tabs(user):
    return {
        "receives": scope_of(user).level in (Level.STREET, Level.COMMUNITY),
        "issues": issuing_unit(user) is not None and user.has_perm("notices.add_notice"),
    }


@login_required
@permission_required("notices.add_notice", raise_exception=True)
def notice_new(request):
    unit = issuing_unit(request.user)
    if unit is None:
        raise PermissionDenied
    return _write(request, unit, None)


@login_required
@permission_required("notices.change_notice", raise_exception=True)
def notice_edit(request, pk):
    notice = get_visible_or_404(Notice, request.user, pk=pk)
    if notice.is_issued or not request.user.has_perm("notices.write_this_notice", notice):
        raise Http404
    return _write(request, (notice.district_id, notice.street_id), notice)


def _write(request, unit, notice):
    district_id, street_id = unit
    initial = {name: getattr(notice, name) for name in services.FIELDS} if notice else None
    form = NoticeForm(request.POST or None, initial=initial, street=street_id)
    if request.method == "POST" and form.is_valid():
        fields = {"audience": Notice.Audience.COMMUNITIES, **form.cleaned_data}
        try:
            notice = services.notice_write(
                by=request.user,
                district=District.objects.get(pk=district_id),
                street=Street.objects.get(pk=street_id) if street_id else None,
                notice=notice,
                **fields,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Check it, then issue it."))
            return redirect(notice)
    return render(request, "notices/form.html", {"form": form, "notice": notice})


def detailed_notice(user, pk):
    return get_visible_or_404(
        Notice.objects.select_related("district", "street", "created_by", "issued_by"),
        user,
        pk=pk,
    )


@login_required
@permission_required("notices.view_notice", raise_exception=True)
def notice_detail(request, pk):
    notice = detailed_notice(request.user, pk)
    return render(request, "notices/detail.html", detail_context(request.user, notice))


def detail_context(user, notice, answer_form=None):
    """What a notice's page shows: to the issuer, every unit's acknowledgement and return;
    to a unit it went to, its own row and its answer form."""
    writer = user.has_perm("notices.write_this_notice", notice)
    own = (
        Recipient.objects.filter(notice=notice)
        .of_users_unit(user)
        .select_related("acknowledged_by", "answer__submitted_by")
        .first()
    )
    fields = list(notice.fields.all()) if notice.asks_for_return else []
    context = {
        "notice": notice,
        "writer": writer,
        "own": own,
        "fields": fields,
        "may_acknowledge": own is not None
        and own.acknowledged_at is None
        and user.has_perm("notices.acknowledge", own),
        "recipients": None,
        "summary": None,
    }
    if writer and notice.is_issued:
        context.update(progress(notice))
    if own is not None and notice.asks_for_return:
        own.notice = notice
        context.update(answer_context(user, own, fields, answer_form))
    return context


def progress(notice):
    """Every unit's row with its acknowledgement and return, and the counts."""
    today = timezone.localdate()
    recipients = list(
        notice.recipients.select_related("street", "community__street", "acknowledged_by", "answer")
    )
    for row in recipients:
        row.notice = notice
        row.late = row.is_late(today)
        row.return_late = row.return_is_late(today)
    summary = {
        "units": len(recipients),
        "acknowledged": sum(1 for row in recipients if row.acknowledged_at),
        "late": sum(1 for row in recipients if row.late),
        "answered": sum(1 for row in recipients if row.answer_or_none),
        "returns_late": sum(1 for row in recipients if row.return_late),
    }
    return {"recipients": recipients, "summary": summary}


def answer_context(user, own, fields, answer_form=None):
    """The unit's answer form, filled in with its answer or, for the fields taken from the
    records, the figures the portal holds; with each such field's figure and definition."""
    answer = own.answer_or_none
    figures = services.prefill(own, fields)
    if answer_form is None:
        values = answer.values if answer else {}
        initial = {
            f"field_{field.pk}": values.get(str(field.pk), figures.get(str(field.pk), ""))
            for field in fields
        }
        answer_form = AnswerForm(initial=initial, fields=fields, template=bool(own.notice.template))
    for field in fields:
        bound = answer_form[f"field_{field.pk}"]
        bound.figure = figures.get(str(field.pk))
        bound.source = SOURCES.get(field.source)
        bound.changed = answer is not None and answer.changed(field.pk)
    return {
        "answer": answer,
        "answer_form": answer_form,
        "answer_rows": [answer_form[f"field_{field.pk}"] for field in fields],
        "may_answer": user.has_perm("notices.answer", own),
        "return_late": own.return_is_late(),
    }


@login_required
@permission_required("notices.change_notice", raise_exception=True)
@require_POST
def notice_issue(request, pk):
    notice = get_visible_or_404(Notice, request.user, pk=pk)
    if not request.user.has_perm("notices.write_this_notice", notice):
        raise Http404
    try:
        services.notice_issue(notice, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The notice is issued."))
    return redirect(notice)


@login_required
@permission_required("notices.change_recipient", raise_exception=True)
@require_POST
def notice_acknowledge(request, pk):
    notice = get_visible_or_404(Notice, request.user, pk=pk)
    own = Recipient.objects.filter(notice=notice).of_users_unit(request.user).first()
    if own is None or not request.user.has_perm("notices.acknowledge", own):
        raise Http404
    try:
        services.notice_acknowledge(own, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Acknowledged."))
    return redirect(notice)
