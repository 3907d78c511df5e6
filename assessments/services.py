"""Writing a scheme (its areas and indicators), scoring by hand and publishing. Views check
scope and the object rules first (assessments/rules.py); these check the domain's rules:
a published scheme does not change; a hand score lies between 0 and the indicator's weight;
publishing needs every hand-scored indicator scored for every unit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments import selectors
from assessments.measures import BY_KEY
from assessments.models import Area, Indicator, Result, Scheme, Score


def _draft_only(scheme):
    if scheme.is_published:
        raise ValidationError(_("A published scheme cannot be changed."))


def scheme_create(*, by, district, street=None, year, title, level, min_sample):
    scheme = Scheme(
        district=district,
        street=street,
        year=year,
        title=title,
        level=level,
        min_sample=min_sample,
        created_by=by,
    )
    scheme.full_clean()
    scheme.save()
    return scheme


def area_add(scheme, *, title):
    _draft_only(scheme)
    last = Area.objects.filter(scheme=scheme).aggregate(last=Max("position"))["last"] or 0
    area = Area(scheme=scheme, title=title, position=last + 1)
    area.full_clean()
    area.save()
    return area


def indicator_add(area, *, title, weight, kind, measure="", target=None, guidance=""):
    _draft_only(area.scheme)
    if kind == Indicator.Kind.COMPUTED:
        info = BY_KEY.get(measure)
        if info is None or area.scheme.level not in info.levels:
            raise ValidationError({"measure": _("Choose a measure for the units assessed.")})
        if target is None or target <= 0:
            raise ValidationError({"target": _("The target must be more than 0.")})
    else:
        measure, target = "", None
    last = area.indicators.aggregate(last=Max("position"))["last"] or 0
    indicator = Indicator(
        area=area,
        title=title,
        weight=weight,
        kind=kind,
        measure=measure,
        target=target,
        guidance=guidance,
        position=last + 1,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def score_enter(indicator, subject, *, points, note="", evidence=None, by):
    """Enter or change a hand score of `subject` (a unit the scheme assesses)."""
    scheme = Scheme.objects.select_for_update().get(pk=indicator.area.scheme_id)
    _draft_only(scheme)
    if indicator.is_computed:
        raise ValidationError(_("A computed indicator is not scored by hand."))
    if points < 0 or points > indicator.weight:
        raise ValidationError(
            {
                "points": _("Points lie between 0 and the indicator's weight (%(weight)s).")
                % {"weight": indicator.weight}
            }
        )
    lookup = {scheme.subject_field: subject}
    score = Score.objects.filter(indicator=indicator, **lookup).first()
    score = score or Score(indicator=indicator, **lookup)
    score.points, score.note, score.scored_by, score.scored_at = points, note, by, timezone.now()
    if evidence is not None:
        score.evidence, score.evidence_name = evidence, evidence.name[:255]
    score.full_clean()
    score.save()
    return score


@transaction.atomic
def scheme_publish(scheme, *, by, today=None):
    """Freeze the scheme: each computed indicator's value and points and each unit's total
    and rank are written now, and read from then on."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    _draft_only(scheme)
    table = selectors.scoring_table(scheme, today)
    if not table.indicators:
        raise ValidationError(_("Add at least one indicator before publishing."))
    if not table.rows:
        raise ValidationError(_("There is no unit to assess."))
    missing = [
        _("%(unit)s has no score for “%(indicator)s”.")
        % {"unit": row.name, "indicator": indicator.title}
        for row, indicator in table.missing
    ]
    if missing:
        raise ValidationError(missing)
    field, now = scheme.subject_field, timezone.now()
    computed, results = [], []
    for position, row in enumerate(table.rows, start=1):
        for cell in row.cells:
            if cell.indicator.is_computed:
                computed.append(
                    Score(
                        indicator=cell.indicator,
                        value=cell.value,
                        sample=cell.counted,
                        points=cell.points,
                        scored_by=by,
                        scored_at=now,
                        **{field: row.subject},
                    )
                )
        results.append(
            Result(
                scheme=scheme,
                name=row.name,
                organisations=row.organisations,
                total=row.total,
                rank=row.rank,
                position=position,
                **{field: row.subject},
            )
        )
    bulk_create_with_history(computed, Score, default_user=by)
    bulk_create_with_history(results, Result, default_user=by)
    scheme.status, scheme.published_at, scheme.published_by = Scheme.Status.PUBLISHED, now, by
    scheme.save()
    return scheme
