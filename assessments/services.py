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


def _checked_measure(scheme, kind, measure, target):
    """(measure, target) as stored: a computed indicator's measure fits the units assessed
    and its target is above 0; a hand-scored one has neither."""
    if kind != Indicator.Kind.COMPUTED:
        return "", None
    info = BY_KEY.get(measure)
    if info is None or scheme.level not in info.levels:
        raise ValidationError({"measure": _("Choose a measure for the units assessed.")})
    if target is None or target <= 0:
        raise ValidationError({"target": _("The target must be more than 0.")})
    return measure, target


def indicator_add(area, *, title, weight, kind, measure="", target=None, guidance=""):
    _draft_only(area.scheme)
    measure, target = _checked_measure(area.scheme, kind, measure, target)
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


# Corrections while a draft. A draft is a working copy: removing an indicator removes its
# hand scores with it (history keeps both); nothing published is ever touched.


def scheme_edit(scheme, *, title, year, min_sample, level):
    """Correct a draft's title, year, minimum of organisations and units assessed. The units
    assessed change only while no score is entered and every computed indicator's measure
    fits the new units."""
    _draft_only(scheme)
    if level != scheme.level:
        indicators = Indicator.objects.filter(area__scheme=scheme)
        if Score.objects.filter(indicator__in=indicators).exists():
            raise ValidationError(
                {"level": _("Scores are entered: the units assessed can no longer change.")}
            )
        for indicator in indicators.filter(kind=Indicator.Kind.COMPUTED):
            if level not in BY_KEY[indicator.measure].levels:
                raise ValidationError(
                    {
                        "level": _("“%(indicator)s” is not computed for these units.")
                        % {"indicator": indicator.title}
                    }
                )
    scheme.title, scheme.year, scheme.min_sample, scheme.level = title, year, min_sample, level
    scheme.full_clean()
    scheme.save()
    return scheme


def area_rename(area, *, title):
    _draft_only(area.scheme)
    area.title = title
    area.full_clean()
    area.save()
    return area


def area_remove(area):
    """Remove an empty area of a draft; one holding indicators is refused."""
    _draft_only(area.scheme)
    count = area.indicators.count()
    if count:
        raise ValidationError(
            _(
                "“%(area)s” holds %(count)s indicators: remove them or move them to another "
                "area first."
            )
            % {"area": area.title, "count": count}
        )
    area.delete()


def indicator_edit(indicator, *, area, title, weight, measure="", target=None, guidance=""):
    """Correct a draft indicator: its title, weight, measure and target (computed) or
    guidance (hand-scored) and its area (another area of the same scheme). How it is scored
    stays: remove it and add another to change that."""
    scheme = indicator.area.scheme
    _draft_only(scheme)
    if area.scheme_id != scheme.pk:
        raise ValidationError({"area": _("Choose an area of this scheme.")})
    measure, target = _checked_measure(scheme, indicator.kind, measure, target)
    if not indicator.is_computed:
        top = indicator.scores.aggregate(top=Max("points"))["top"]
        if top is not None and top > weight:
            raise ValidationError(
                {
                    "weight": _(
                        "A unit already scored %(points)s points: the weight cannot be less."
                    )
                    % {"points": top}
                }
            )
    if area.pk != indicator.area_id:
        indicator.position = (area.indicators.aggregate(last=Max("position"))["last"] or 0) + 1
    indicator.area, indicator.title, indicator.weight = area, title, weight
    indicator.measure, indicator.target, indicator.guidance = measure, target, guidance
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_remove(indicator):
    """Remove a draft indicator and its hand scores (working copies)."""
    _draft_only(Scheme.objects.select_for_update().get(pk=indicator.area.scheme_id))
    for score in indicator.scores.all():
        score.delete()
    indicator.delete()


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
