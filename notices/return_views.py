"""Returns (报表) on notices: the issuer sets the fields of a draft's return, each unit it
goes to answers on the notice's page, and the issuer downloads the answers gathered into
one workbook. The templates and filled-in templates are served only to those who may see
them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notices import services
from notices.exports import FieldDefinitionsSheet, GatheredReturnsSheet
from notices.forms import AnswerForm, ReturnFieldFormSet, ReturnForm
from notices.models import Answer, Notice, Recipient
from notices.views import detail_context, detailed_notice, progress
from notices.workbooks import workbook_download
from portal.access import get_visible_or_404
from portal.excel import workbook_response
from portal.forms import Rows, apply_errors, error_summary

FIELD_NAMES = ("label", "kind", "choices", "required", "source")


def _written_draft(user, pk):
    notice = get_visible_or_404(Notice, user, pk=pk)
    if notice.is_issued or not user.has_perm("notices.write_this_notice", notice):
        raise Http404
    return notice


@login_required
@permission_required("notices.change_notice", raise_exception=True)
def return_edit(request, pk):
    """The return a draft asks for: the day it is due, a template, the fields in order."""
    notice = _written_draft(request.user, pk)
    form = ReturnForm(
        request.POST or None, request.FILES or None, initial={"returns_by": notice.returns_by}
    )
    initial = [{name: getattr(f, name) for name in FIELD_NAMES} for f in notice.fields.all()]
    formset = ReturnFieldFormSet(request.POST or None, initial=initial, prefix="fields")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.return_write(
                notice,
                by=request.user,
                returns_by=form.cleaned_data["returns_by"],
                fields=_ordered_fields(formset),
                template=form.cleaned_data["template"],
                drop_template=form.cleaned_data["drop_template"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The return is saved with the draft."))
            return redirect(notice)
    summary = error_summary(form, Rows(formset, _caption))
    return render(
        request,
        "notices/return_form.html",
        {"notice": notice, "form": form, "formset": formset, "summary": summary},
    )


def _caption(number, _row):
    return _("Field %(number)s") % {"number": number}


def _ordered_fields(formset):
    """The fields kept (not deleted), in the order given; those without a number last."""
    return [
        {name: form.cleaned_data[name] for name in FIELD_NAMES} for form in formset.ordered_forms
    ]


@login_required
@permission_required("notices.add_answer", raise_exception=True)
@require_POST
def answer(request, pk):
    """A unit's return, or its correction, posted from the notice's page."""
    notice = detailed_notice(request.user, pk)
    own = Recipient.objects.filter(notice=notice).of_users_unit(request.user).first()
    if (
        own is None
        or not notice.asks_for_return
        or not request.user.has_perm("notices.answer", own)
    ):
        raise Http404
    fields = list(notice.fields.all())
    form = AnswerForm(request.POST, request.FILES, fields=fields, template=bool(notice.template))
    if form.is_valid():
        try:
            services.answer_save(
                own,
                by=request.user,
                values=form.answer_values(),
                file=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your unit's return is submitted."))
            return redirect(notice)
    context = detail_context(request.user, notice, answer_form=form)
    return render(request, "notices/detail.html", context)


@login_required
@permission_required("notices.view_answer", raise_exception=True)
def returns_workbook(request, pk):
    """下载汇总表: every unit's return in one workbook, for the issuer."""
    notice = detailed_notice(request.user, pk)
    if not (
        notice.is_issued
        and notice.asks_for_return
        and request.user.has_perm("notices.write_this_notice", notice)
    ):
        raise Http404
    recipients = progress(notice)["recipients"]
    for row in recipients:
        status = _("Submitted") if row.answer_or_none else _("Not submitted")
        row.return_status_label = f"{status}（{_('Late')}）" if row.return_late else status
    fields = list(notice.fields.all())
    heading = _("%(title)s · returns") % {"title": notice.title}
    return workbook_response(
        [GatheredReturnsSheet(notice, recipients, fields), FieldDefinitionsSheet(fields)],
        filename=f"{heading}.xlsx",
        heading=heading,
        scope_label=notice.issuer.name,
    )


@login_required
@permission_required("notices.view_notice", raise_exception=True)
def return_template(request, pk):
    """The notice's return template, for anyone who sees the notice."""
    notice = get_visible_or_404(Notice, request.user, pk=pk)
    if not notice.template:
        raise Http404
    return workbook_download(notice.template, _("%(title)s · template") % {"title": notice.title})


@login_required
@permission_required("notices.view_answer", raise_exception=True)
def answer_file(request, pk):
    """A unit's filled-in template: for the issuer and for the unit itself."""
    found = get_visible_or_404(
        Answer.objects.select_related("recipient__street", "recipient__community"),
        request.user,
        pk=pk,
    )
    notice = get_visible_or_404(Notice, request.user, pk=found.recipient.notice_id)
    writer = request.user.has_perm("notices.write_this_notice", notice)
    if not found.file or not (writer or found.recipient.is_for(request.user)):
        raise Http404
    return workbook_download(found.file, f"{notice.title} · {found.recipient.unit.name}")
