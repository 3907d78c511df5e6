"""Opening a round, nominating, deciding, and recording allowances. Views find the records
in the user's scope first (portal.access); these functions keep the domain's rules: a
round takes nominations until its date and until it is decided; the decision honours at
most each category's places, needs its 文号 and freezes the round; an allowance is a
special-fund expenditure, so the fund's balance rule refuses one the fund cannot pay."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.models import Scheme
from assessments.selectors import published_ranking
from commendations.models import Allowance, Category, Kind, Nomination, Round
from councils.models import Body, Membership, Person
from funds import services as funds_services
from funds.models import Expenditure, Project

NOMINEE_FIELD = {
    Kind.STREET: "nominee_street",
    Kind.COMMUNITY: "community",
    Kind.GROUP: "organisation",
    Kind.REPRESENTATIVE: "person",
}
# The honours an assessment scheme can propose units for, by what the scheme assesses.
ASSESSED_FOR = {Kind.STREET: "streets", Kind.COMMUNITY: "communities", Kind.GROUP: "organisations"}


def proposing_schemes(category, street):
    """The published assessments of the nominating unit (`street`, or the district) for the
    round's years that rank the units `category` honours."""
    round_ = category.round
    if category.kind not in ASSESSED_FOR:
        return Scheme.objects.none()
    return Scheme.objects.published().filter(
        district=round_.district_id,
        street=street,
        level=ASSESSED_FOR[category.kind],
        year__gte=round_.first_year,
        year__lte=round_.last_year,
    )


@transaction.atomic
def propose_from_assessment(*, category, scheme, by, street, count):
    """Nominate for `category` the `count` units `scheme` ranks best (at most the category's
    places), leaving out those already nominated for it; each nomination gives its rank and
    total as the reason and the scheme as its source. Units not ranked (too few
    organisations) are not proposed."""
    if not 1 <= count <= category.places:
        raise ValidationError(
            _("Propose between 1 and %(places)s: the places of this honour.")
            % {"places": category.places}
        )
    field = NOMINEE_FIELD[category.kind]
    taken = set(category.nominations.standing().values_list(f"{field}_id", flat=True))
    results = published_ranking(scheme)
    best = [r for r in results if r.rank is not None][:count]
    ranked = [r for r in best if r.subject_id not in taken]
    if not ranked:
        raise ValidationError(
            _("Every unit this assessment ranks is already nominated for this honour.")
        )
    return [
        nominate(
            category=category,
            by=by,
            street=street,
            nominee=result.subject,
            reason=_(
                "Ranked %(rank)s of %(count)s with %(total)s points in the assessment “%(scheme)s”."
            )
            % {"rank": result.rank, "count": len(results), "total": result.total, "scheme": scheme},
            source=_("Assessment scheme “%(scheme)s”") % {"scheme": scheme},
        )
        for result in ranked
    ]


@transaction.atomic
def round_open(*, district, by, places, **fields):
    """A new round and its categories: `places` maps a kind to its places (0 leaves the
    category out)."""
    round_ = Round(district=district, **fields)
    round_.full_clean()
    if not any(places.values()):
        raise ValidationError(_("Give at least one category a number of places."))
    round_._history_user = by
    round_.save()
    for kind in Kind.values:
        if places.get(kind):
            category = Category(round=round_, kind=kind, places=places[kind])
            category._history_user = by
            category.save()
    return round_


def check_open(round_, today=None):
    if round_.is_decided:
        raise ValidationError(_("This round is decided: its nominations no longer change."))
    if not round_.accepts_nominations(today):
        raise ValidationError(
            _("Nominations for this round closed on %(day)s.")
            % {"day": date_format(round_.nominations_until, "Y-m-d")}
        )


@transaction.atomic
def nominate(*, category, by, street, reason, nominee=None, worker_name="", worker_unit="",
             evidence=None, source=""):  # fmt: skip
    """Nominate `nominee` (or a worker by name and unit) for `category` on behalf of
    `street` (None: the district). `source` says where a proposal came from (for example
    an assessment's ranking); the assessment app can create proposals through here."""
    round_ = Round.objects.select_for_update().get(pk=category.round_id)
    check_open(round_)
    nomination = Nomination(
        category=category,
        street=street,
        reason=reason.strip(),
        worker_name=worker_name.strip(),
        worker_unit=worker_unit.strip(),
        source=source,
        created_by=by,
    )
    if category.kind != Kind.WORKER:
        setattr(nomination, NOMINEE_FIELD[category.kind], nominee)
    if evidence:
        nomination.evidence = evidence
        nomination.evidence_name = evidence.name[:200]
    _check_nominee(nomination, category)
    nomination.full_clean()
    nomination._history_user = by
    nomination.save()
    return nomination


def _check_nominee(nomination, category):
    errors = {}
    if category.kind == Kind.WORKER:
        if not nomination.worker_name:
            errors["worker_name"] = _("Enter the worker's name.")
        if not nomination.worker_unit:
            errors["worker_unit"] = _("Enter the unit the worker works in.")
    elif nomination.nominee is None:
        errors["nominee"] = _("Choose whom you nominate.")
    if not nomination.reason:
        errors["reason"] = _("Say why you nominate them.")
    if errors:
        raise ValidationError(errors)


def _lock_standing(nomination):
    """The nomination again, its round locked; refused once the round is decided or closed,
    or the nomination withdrawn."""
    check_open(Round.objects.select_for_update().get(pk=nomination.category.round_id))
    nomination = Nomination.objects.select_related("category").get(pk=nomination.pk)
    if nomination.is_withdrawn:
        raise ValidationError(_("This nomination is already withdrawn."))
    return nomination


@transaction.atomic
def nomination_amend(*, nomination, by, reason, evidence=None):
    """Correct the reason and, when given, replace the supporting material. The nominee
    stays: to nominate someone else, withdraw and nominate again."""
    nomination = _lock_standing(nomination)
    nomination.reason = (reason or "").strip()
    if not nomination.reason:
        raise ValidationError({"reason": _("Say why you nominate them.")})
    if evidence:
        nomination.evidence = evidence
        nomination.evidence_name = evidence.name[:200]
    nomination.full_clean()
    nomination._history_user = by
    nomination.save()
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination, by, reason=""):
    """Withdraw a nomination before the decision: kept, with who withdrew it, when and why;
    no longer counted against places nor decided on, and its nominee may be nominated
    again."""
    nomination = _lock_standing(nomination)
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.withdrawn_by, nomination.withdrawn_at = by, timezone.now()
    nomination.withdrawal_reason = (reason or "").strip()
    nomination._history_user = by
    nomination.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason"])
    return nomination


@transaction.atomic
def round_decide(*, round_, by, honoured, decision_number, decided_on):
    """Record the district's decision: `honoured` are the ids of the nominations honoured;
    every other nomination of the round is not honoured. Refused beyond a category's
    places and without a 文号; the round is then frozen."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.is_decided:
        raise ValidationError(_("This round is already decided."))
    errors = {}
    decision_number = (decision_number or "").strip()
    if not decision_number:
        errors["decision_number"] = _("Enter the document number (文号) of the decision.")
    if decided_on is None:
        errors["decided_on"] = _("Enter the date of the decision.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("The date of the decision cannot be in the future.")
    honoured = set(honoured)
    nominations = (
        Nomination.objects.filter(category__round=round_).standing().select_related("category")
    )
    by_category = {}
    for nomination in nominations:
        if nomination.pk in honoured:
            by_category.setdefault(nomination.category, []).append(nomination)
    for category, chosen in by_category.items():
        if len(chosen) > category.places:
            errors[f"category_{category.pk}"] = _(
                "%(category)s: at most %(places)s may be honoured; %(chosen)s are ticked."
            ) % {"category": category, "places": category.places, "chosen": len(chosen)}
    if errors:
        raise ValidationError(errors)
    for nomination in nominations:
        nomination.status = (
            Nomination.Status.HONOURED
            if nomination.pk in honoured
            else Nomination.Status.NOT_HONOURED
        )
        nomination._history_user = by
        nomination.save(update_fields=["status"])
    round_.status = Round.Status.DECIDED
    round_.decision_number, round_.decided_on, round_.decided_by = decision_number, decided_on, by
    round_.full_clean()
    round_._history_user = by
    round_.save()
    return round_


# Allowances ------------------------------------------------------------------------------


def allowing_round(district_id, year):
    """The district's round whose decision pays allowances from the fund in `year`."""
    return (
        Round.objects.filter(
            district=district_id,
            allowances_from_fund=True,
            first_year__lte=year,
            last_year__gte=year,
        )
        .order_by("-last_year", "-pk")
        .first()
    )


def group_members(organisation):
    """The people who serve or served on the organisation's self-management group."""
    members = Membership.objects.filter(
        body__organisation=organisation, body__kind=Body.Kind.GROUP
    ).values("person")
    return Person.objects.filter(pk__in=members).order_by("name", "pk")


def allowance_projects(organisation):
    """The projects an allowance to the organisation's members may be paid from: projects
    of the category "allowances" of a courtyard the organisation covers, or of its
    community's own fund, that accept spending."""
    covered = organisation.coverage.values("courtyard")
    return (
        Project.objects.filter(
            category=Project.Category.ALLOWANCES,
            status__in=[Project.Status.PLANNED, Project.Status.IN_PROGRESS],
        )
        .filter(
            Q(courtyard__in=covered)
            | Q(community=organisation.community_id, courtyard__isnull=True)
        )
        .select_related("courtyard", "community")
        .order_by("-year", "title")
    )


@transaction.atomic
def allowance_record(*, organisation, person, project, by, amount, period, paid_on,
                     voucher_number):  # fmt: skip
    """Pay `person`, a member of the organisation's group, from `project`'s fund. The
    expenditure goes through funds.services.expenditure_record, which refuses an amount
    above the fund's available balance or the project's budget."""
    errors = {}
    if not group_members(organisation).filter(pk=person.pk).exists():
        errors["person"] = _("%(name)s is not a member of this organisation's group.") % {
            "name": person.name
        }
    round_ = allowing_round(organisation.community.street.district_id, project.year)
    if round_ is None:
        errors["project"] = _(
            "The district has not decided to pay allowances from the special fund in %(year)s."
        ) % {"year": project.year}
    if not allowance_projects(organisation).filter(pk=project.pk).exists():
        errors["project"] = _(
            "Choose an allowances project of a courtyard this organisation covers, or of its "
            "community's own fund."
        )
    if not (period or "").strip():
        errors["period"] = _("Say which period the allowance is for.")
    if errors:
        raise ValidationError(errors)
    expenditure = funds_services.expenditure_record(
        project=project,
        by=by,
        spent_on=paid_on,
        amount=amount,
        payee=person.name,
        payee_kind=Expenditure.PayeeKind.PERSON,
        voucher_number=voucher_number,
        description=_("Allowance to a group member, %(period)s") % {"period": period.strip()},
    )
    allowance = Allowance(
        organisation=organisation,
        person=person,
        round=round_,
        period=period.strip(),
        expenditure=expenditure,
    )
    allowance.full_clean()
    allowance._history_user = by
    allowance.save()
    return allowance
