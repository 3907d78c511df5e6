"""Assessment schemes: the list, a new scheme, the scheme's page (areas and indicators,
added while a draft), the scoring page, the ranking with publication, the print view, the
workbook and a hand score's evidence. Who does what: docs/assessments.md."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.exports import definitions_sheet, results_sheet
from assessments.forms import AreaForm, IndicatorEditForm, IndicatorForm, SchemeForm, ScoreForm
from assessments.measures import report_date
from assessments.models import Area, Indicator, Scheme, Score
from assessments.rules import owning_unit
from courtyards.models import District, Street
from portal.access import get_visible_or_404, scope_label
from portal.excel import workbook_response
from portal.forms import apply_errors
from portal.params import year_param
from portal.uploads import attachment_response

SCHEME_RELATED = ("district", "street", "created_by", "published_by")


def _scheme(request, pk):
    return get_visible_or_404(Scheme.objects.select_related(*SCHEME_RELATED), request.user, pk=pk)


@login_required
@permission_required("assessments.view_scheme", raise_exception=True)
def scheme_list(request):
    year = year_param(request)
    schemes = (
        Scheme.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("district", "street")
        .order_by("street__code", "-created_at", "-pk")
    )
    return render(
        request,
        "assessments/list.html",
        {
            "schemes": schemes,
            "year": year,
            "may_create": owning_unit(request.user) is not None
            and request.user.has_perm("assessments.add_scheme"),
        },
    )


@login_required
@permission_required("assessments.add_scheme", raise_exception=True)
def scheme_new(request):
    unit = owning_unit(request.user)
    if unit is None:
        raise PermissionDenied
    district_id, street_id = unit
    form = SchemeForm(request.POST or None, street=street_id)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(
                by=request.user,
                district=District.objects.get(pk=district_id),
                street=Street.objects.get(pk=street_id) if street_id else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The scheme is saved as a draft: add its areas."))
            return redirect(scheme)
    return render(request, "assessments/new.html", {"form": form})


def _detail(request, scheme, area_form=None, indicator_form=None):
    areas = selectors.areas_of(scheme)
    writer = request.user.has_perm("assessments.write_this_scheme", scheme)
    if writer:
        area_form = area_form or AreaForm(prefix="area")
        indicator_form = indicator_form or IndicatorForm(
            areas=areas, level=scheme.level, prefix="indicator"
        )
    return render(
        request,
        "assessments/detail.html",
        {
            "scheme": scheme,
            "areas": areas,
            "full_marks": selectors.full_marks(areas),
            "writer": writer,
            "area_form": area_form if writer else None,
            "indicator_form": indicator_form if writer and areas else None,
            "report_date": report_date(scheme.year),
        },
    )


@login_required
@permission_required("assessments.view_scheme", raise_exception=True)
def scheme_detail(request, pk):
    return _detail(request, _scheme(request, pk))


def _writable(request, pk, rule="assessments.write_this_scheme"):
    scheme = _scheme(request, pk)
    if not request.user.has_perm(rule, scheme):
        raise Http404
    return scheme


@login_required
@permission_required("assessments.change_scheme", raise_exception=True)
@require_POST
def area_add(request, pk):
    scheme = _writable(request, pk)
    form = AreaForm(request.POST, prefix="area")
    if form.is_valid():
        try:
            services.area_add(scheme, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The area is added."))
            return redirect(scheme)
    return _detail(request, scheme, area_form=form)


@login_required
@permission_required("assessments.change_scheme", raise_exception=True)
@require_POST
def indicator_add(request, pk):
    scheme = _writable(request, pk)
    areas = {str(area.pk): area for area in scheme.areas.all()}
    form = IndicatorForm(request.POST, areas=areas.values(), level=scheme.level, prefix="indicator")
    if form.is_valid():
        data = dict(form.cleaned_data)
        area = areas[data.pop("area")]
        area.scheme = scheme
        try:
            services.indicator_add(area, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The indicator is added."))
            return redirect(scheme)
    return _detail(request, scheme, indicator_form=form)


# Corrections while a draft: the unit that drew the scheme up (anyone else: 404); once
# published it is told the scheme no longer changes.

SCHEME_PATH = tuple(f"scheme__{name}" for name in SCHEME_RELATED)


def _own(request, scheme):
    if not request.user.has_perm("assessments.own_this_scheme", scheme):
        raise Http404
    if scheme.is_published:
        messages.error(request, _("A published scheme cannot be changed."))
        return False
    return True


def _correct(request, scheme, form, heading, removal=None):
    return render(
        request,
        "assessments/correct.html",
        {"scheme": scheme, "form": form, "heading": heading, "removal": removal},
    )


def _saved(request, form, change, done):
    """Run the service `change` on a valid form; True (with `done` shown) once saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        change(**form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return False
    messages.success(request, done)
    return True


@login_required
@permission_required("assessments.change_scheme", raise_exception=True)
def scheme_edit(request, pk):
    scheme = _scheme(request, pk)
    if not _own(request, scheme):
        return redirect(scheme)
    fields = ("title", "year", "level", "min_sample")
    form = SchemeForm(
        request.POST or None,
        street=scheme.street_id,
        initial={name: getattr(scheme, name) for name in fields},
    )
    edited = Scheme.objects.get(pk=scheme.pk)
    if _saved(request, form, partial(services.scheme_edit, edited), _("The scheme is corrected.")):
        return redirect(scheme)
    return _correct(request, scheme, form, _("Correct the scheme"))


def _area(request, pk):
    area = get_visible_or_404(Area.objects.select_related(*SCHEME_PATH), request.user, pk=pk)
    return area, _own(request, area.scheme)


@login_required
@permission_required("assessments.change_area", raise_exception=True)
def area_edit(request, pk):
    area, draft = _area(request, pk)
    if not draft:
        return redirect(area.scheme)
    form = AreaForm(request.POST or None, initial={"title": area.title})
    if _saved(request, form, partial(services.area_rename, area), _("The area is renamed.")):
        return redirect(area.scheme)
    area.refresh_from_db(fields=["title"])
    removal = {
        "url": reverse("assessments:area_remove", args=[area.pk]),
        "text": _("Only an area without indicators can be removed."),
        "confirm": _("Remove the area “%(area)s”") % {"area": area.title},
    }
    return _correct(request, area.scheme, form, _("Correct the area"), removal)


@login_required
@permission_required("assessments.change_area", raise_exception=True)
@require_POST
def area_remove(request, pk):
    area, draft = _area(request, pk)
    if draft:
        _remove(request, partial(services.area_remove, area), _("The area is removed."))
    return redirect(area.scheme)


def _remove(request, remove, done):
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm the removal."))
        return
    try:
        remove()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)


def _indicator(request, pk):
    related = tuple(f"area__{path}" for path in SCHEME_PATH)
    indicator = get_visible_or_404(
        Indicator.objects.select_related("area", *related), request.user, pk=pk
    )
    return indicator, _own(request, indicator.area.scheme)


@login_required
@permission_required("assessments.change_indicator", raise_exception=True)
def indicator_edit(request, pk):
    indicator, draft = _indicator(request, pk)
    scheme = indicator.area.scheme
    if not draft:
        return redirect(scheme)
    areas = {str(area.pk): area for area in scheme.areas.all()}
    fields = ("title", "weight", "measure", "target", "guidance")
    initial = {name: getattr(indicator, name) for name in fields}
    form = IndicatorEditForm(
        request.POST or None,
        areas=areas.values(),
        level=scheme.level,
        kind=indicator.kind,
        initial={**initial, "area": str(indicator.area_id)},
    )

    def change(area, **data):
        services.indicator_edit(indicator, area=areas[area], **data)

    if _saved(request, form, change, _("The indicator is corrected.")):
        return redirect(scheme)
    return _correct(request, scheme, form, _("Correct the indicator"), _removal(indicator))


def _removal(indicator):
    return {
        "url": reverse("assessments:indicator_remove", args=[indicator.pk]),
        "text": _(
            "Removing the indicator also removes the hand scores entered for it: a draft is "
            "a working copy, and nothing published is touched. The history keeps both."
        ),
        "confirm": _("Remove the indicator “%(indicator)s” and its draft scores")
        % {"indicator": Indicator.objects.get(pk=indicator.pk).title},
    }


@login_required
@permission_required("assessments.change_indicator", raise_exception=True)
@require_POST
def indicator_remove(request, pk):
    indicator, draft = _indicator(request, pk)
    if draft:
        remove = partial(services.indicator_remove, indicator)
        _remove(request, remove, _("The indicator and its draft scores are removed."))
    return redirect(indicator.area.scheme)


def _score_forms(request, table, scorer):
    """{(row index, indicator pk): ScoreForm} for every hand-scored cell, bound on POST."""
    forms = {}
    if not scorer:
        return forms
    for index, row in enumerate(table.rows):
        for cell in row.cells:
            if cell.indicator.is_computed:
                continue
            score = cell.score
            forms[(index, cell.indicator.pk)] = ScoreForm(
                request.POST or None,
                request.FILES or None,
                prefix=f"s{row.subject.pk}-i{cell.indicator.pk}",
                indicator=cell.indicator,
                unit_name=row.name,
                initial={"points": score.points, "note": score.note} if score else None,
            )
            cell.form = forms[(index, cell.indicator.pk)]
    return forms


@login_required
@permission_required("assessments.view_scheme", raise_exception=True)
def scheme_scores(request, pk):
    scheme = _scheme(request, pk)
    scorer = request.user.has_perm("assessments.score_this_scheme", scheme)
    if request.method == "POST" and not scorer:
        raise Http404
    table = selectors.scoring_table(scheme)
    forms = _score_forms(request, table, scorer)
    if request.method == "POST":
        if all(form.is_valid() for form in forms.values()) and _save_scores(request, table, forms):
            messages.success(request, _("The scores are saved."))
            return redirect("assessments:scores", pk=scheme.pk)
        messages.error(request, _("Some scores were not saved: see the marked fields."))
    return render(
        request,
        "assessments/scores.html",
        {
            "scheme": scheme,
            "table": table,
            "scorer": scorer,
            "report_date": report_date(scheme.year),
        },
    )


def _save_scores(request, table, forms):
    """Save every hand score entered, all or none."""
    try:
        with transaction.atomic():
            for (index, _pk), form in forms.items():
                data = form.cleaned_data
                if data["points"] is None:
                    continue
                try:
                    services.score_enter(
                        form.indicator,
                        table.rows[index].subject,
                        points=data["points"],
                        note=data["note"],
                        evidence=data["evidence"],
                        by=request.user,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                    raise
    except ValidationError:
        return False
    return True


@login_required
@permission_required("assessments.view_scheme", raise_exception=True)
def scheme_ranking(request, pk):
    scheme = _scheme(request, pk)
    table = selectors.scoring_table(scheme)
    return render(
        request,
        "assessments/ranking.html",
        {
            "scheme": scheme,
            "table": table,
            "may_publish": request.user.has_perm("assessments.write_this_scheme", scheme),
            "report_date": report_date(scheme.year),
        },
    )


@login_required
@permission_required("assessments.change_scheme", raise_exception=True)
@require_POST
def scheme_publish(request, pk):
    scheme = _writable(request, pk)
    if not request.POST.get("confirm"):
        messages.error(
            request, _("Tick the box to confirm: once published the results no longer change.")
        )
        return redirect("assessments:ranking", pk=scheme.pk)
    try:
        services.scheme_publish(scheme, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The results are published and frozen."))
    return redirect("assessments:ranking", pk=scheme.pk)


@login_required
@permission_required("assessments.view_scheme", raise_exception=True)
def scheme_print(request, pk):
    scheme = _scheme(request, pk)
    return render(
        request,
        "assessments/print.html",
        {
            "scheme": scheme,
            "table": selectors.scoring_table(scheme),
            "report_date": report_date(scheme.year),
        },
    )


@login_required
@permission_required("assessments.view_scheme", raise_exception=True)
def scheme_workbook(request, pk):
    scheme = _scheme(request, pk)
    table = selectors.scoring_table(scheme)
    return workbook_response(
        [results_sheet(table), definitions_sheet(table)],
        filename=f"{scheme.year}-{scheme.title}.xlsx",
        heading=scheme.title,
        scope_label=scope_label(request.user),
    )


@login_required
@permission_required("assessments.view_score", raise_exception=True)
def score_evidence(request, pk):
    """A hand score's evidence, to users who may see its scheme (another scope's: 404)."""
    score = get_visible_or_404(Score, request.user, pk=pk)
    if not score.evidence:
        raise Http404
    return attachment_response(score.evidence, score.evidence_name)
