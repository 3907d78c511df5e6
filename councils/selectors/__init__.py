"""Reads with figures, each computed by the database, each scoped to the requesting user.

The definitions the annual report relies on (all "on a day D"):
- an organisation is *established* on D when it was accepted (验收) on or before D and not
  dissolved on or before D;
- a courtyard is *covered* on D when an organisation established on D covers it that day;
- a person *serves* on D when their membership started on or before D and has not ended
  by D (ended_on empty or after D); representatives include conveners, group members
  include leaders and deputies; people are counted per seat held, in every open
  organisation (also one still preparing, whose bodies are elected);
- *training sessions* of a year are those held that year and organised by the user's unit
  or a unit below it; *attendees* are person-times (人次): the people who serve recorded
  by name, plus the head count of others;
- the *representation rule*: one representative per 50–200 households. For each
  organisation, the households of the courtyards it covers on D divided by its
  representatives serving on D; every courtyard it covers is outside the rule when that
  figure is below 50 or above 200, or when it has no representative. Courtyards without an
  organisation are not listed (they are counted as not covered).
"""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from councils.models import (
    ROLES_OF,
    SINGLE_ROLES,
    Body,
    Coverage,
    Election,
    Evaluation,
    EvaluationRating,
    Inquiry,
    Membership,
    Organisation,
    Person,
    Recall,
    ResearchVisit,
    Role,
    Term,
    Training,
    TrainingAttendance,
)
from courtyards.models import Community, Courtyard, Street

HOUSEHOLDS_PER_REPRESENTATIVE = (50, 200)


def _today(on):
    return on or timezone.localdate()


# The annual report's figures


def organisations_established(user, on=None):
    return Organisation.objects.visible_to(user).established_on(_today(on))


def _established_coverage(on):
    return Coverage.objects.on(on).filter(organisation__in=Organisation.objects.established_on(on))


def courtyards_covered(user, on=None):
    on = _today(on)
    return Courtyard.objects.visible_to(user).filter(
        Exists(_established_coverage(on).filter(courtyard=OuterRef("pk")))
    )


def representatives_serving(user, on=None):
    return Membership.objects.visible_to(user).serving_on(_today(on)).representatives()


def group_members_serving(user, on=None):
    return Membership.objects.visible_to(user).serving_on(_today(on)).group_members()


def trainings_in_year(user, year):
    return Training.objects.organised_within(user).in_year(year)


def training_figures(user, year):
    """{"sessions", "named", "others", "attendees"} for the sessions of `year`, in one
    query: named attendees are counted per session, then summed with the head counts."""
    named = (
        TrainingAttendance.objects.filter(training=OuterRef("pk"))
        .order_by()
        .values("training")
        .annotate(total=Count("pk"))
        .values("total")
    )
    figures = (
        trainings_in_year(user, year)
        .annotate(named_here=Coalesce(Subquery(named, output_field=IntegerField()), 0))
        .aggregate(
            sessions=Count("pk"),
            others=Coalesce(Sum("other_attendees"), 0),
            named=Coalesce(Sum("named_here"), 0),
        )
    )
    figures["attendees"] = figures["named"] + figures["others"]
    return figures


def council_figures(user, on=None):
    """The counts of the district and street pages, for the user's whole scope."""
    on = _today(on)
    return {
        "organisations_established": organisations_established(user, on).count(),
        "organisations_open": Organisation.objects.visible_to(user).open().count(),
        "courtyards_covered": courtyards_covered(user, on).count(),
        "representatives": representatives_serving(user, on).count(),
        "group_members": group_members_serving(user, on).count(),
        "outside_rule": courtyards_outside_representation_rule(user, on).count(),
    }


# The representation rule


def _open_courtyard(on, prefix="courtyard__"):
    return Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": on})


def organisations_with_representation(on, organisations=None):
    """Organisations annotated with the households of the open courtyards they cover on `on`
    and their representatives serving that day: the rule is judged once per organisation,
    never once per courtyard it covers (which repeated both sums for every courtyard)."""
    households = (
        Coverage.objects.on(on)
        .filter(_open_courtyard(on), organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(total=Sum("courtyard__households"))
        .values("total")
    )
    representatives = (
        Membership.objects.serving_on(on)
        .representatives()
        .filter(body__organisation=OuterRef("pk"))
        .order_by()
        .values("body__organisation")
        .annotate(total=Count("pk"))
        .values("total")
    )
    organisations = Organisation.objects.all() if organisations is None else organisations
    return organisations.annotate(
        households_covered=Coalesce(Subquery(households, output_field=IntegerField()), 0),
        representatives=Coalesce(Subquery(representatives, output_field=IntegerField()), 0),
    )


def _coverage_outside_rule(on, user):
    """Coverage in force on `on` of open courtyards whose organisation is outside the rule
    (only the user's organisations are judged: the work follows the scope, not the city)."""
    visible = Organisation.objects.visible_to(user)
    outside = organisations_with_representation(on, visible).filter(_outside_rule()).values("pk")
    return Coverage.objects.on(on).filter(_open_courtyard(on), organisation__in=outside)


def _coverage_with_representation(on):
    """Coverage in force on `on`, each row with its organisation's households covered and
    representatives serving (read from the organisation's judgement)."""
    judged = organisations_with_representation(on).filter(pk=OuterRef("organisation"))
    return (
        Coverage.objects.on(on)
        .filter(_open_courtyard(on))
        .annotate(
            households_covered=Subquery(judged.values("households_covered")[:1]),
            representatives=Subquery(judged.values("representatives")[:1]),
        )
    )


def _outside_rule():
    low, high = HOUSEHOLDS_PER_REPRESENTATIVE
    return (
        Q(representatives=0)
        | Q(households_covered__lt=low * F("representatives"))
        | Q(households_covered__gt=high * F("representatives"))
    )


def courtyards_outside_representation_rule(user, on=None):
    """Coverage rows (one per courtyard) whose organisation is outside 50–200 households per
    representative on `on`, with `households_covered` and `representatives` annotated."""
    on = _today(on)
    visible = Organisation.objects.visible_to(user)
    outside = organisations_with_representation(on, visible).filter(_outside_rule()).values("pk")
    return (
        _coverage_with_representation(on)
        .filter(organisation__in=outside)
        .filter(pk__in=Coverage.objects.visible_to(user).values("pk"))
        .select_related("courtyard__community__street", "organisation")
        .order_by("courtyard__community__street__code", "courtyard__community__name", "pk")
    )


# People


def people_with_roles(user, on=None):
    """People visible to the user, each with the role they hold on `on` in a council
    (`council_role`) and in a group (`group_role`), empty when none."""
    on = _today(on)

    def role_in(kind):
        return Subquery(
            Membership.objects.serving_on(on)
            .filter(person=OuterRef("pk"), body__kind=kind)
            .values("role")[:1]
        )

    return (
        Person.objects.visible_to(user)
        .select_related("courtyard__community__street")
        .annotate(council_role=role_in(Body.Kind.COUNCIL), group_role=role_in(Body.Kind.GROUP))
    )


# Tables by street and by community


def _count(queryset, group_lookup, count="pk"):
    """A Subquery counting `queryset` rows per `group_lookup` = the outer row."""
    counted = (
        queryset.filter(**{group_lookup: OuterRef("pk")})
        .order_by()
        .values(group_lookup)
        .annotate(total=Count(count, distinct=count != "pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _unit_figures(prefix, on, user, names=None):
    """Annotations for streets (prefix "community__street") or communities ("community"):
    the figures named in `names` (all of FIGURE_NAMES when None)."""
    outside = _coverage_outside_rule(on, user)
    figures = {
        "organisations_established": _count(Organisation.objects.established_on(on), prefix),
        "organisations_open": _count(Organisation.objects.open(), prefix),
        "courtyards_covered": _count(
            _established_coverage(on), f"courtyard__{prefix}", count="courtyard"
        ),
        "representatives": _count(
            Membership.objects.serving_on(on).representatives(), f"body__organisation__{prefix}"
        ),
        "group_members": _count(
            Membership.objects.serving_on(on).group_members(), f"body__organisation__{prefix}"
        ),
        "outside_rule": _count(outside, f"courtyard__{prefix}"),
    }
    return {name: figures[name] for name in names or FIGURE_NAMES}


def streets_with_council_figures(user, on=None, names=None):
    return (
        Street.objects.visible_to(user)
        .select_related("district")
        .annotate(**_unit_figures("community__street", _today(on), user, names))
    )


def communities_with_council_figures(user, street=None, on=None, names=None):
    communities = Community.objects.visible_to(user).select_related("street")
    if street is not None:
        communities = communities.filter(street=street)
    return communities.annotate(**_unit_figures("community", _today(on), user, names))


FIGURE_NAMES = [
    "organisations_established",
    "organisations_open",
    "courtyards_covered",
    "representatives",
    "group_members",
    "outside_rule",
]


def totals_of(rows):
    """The 合计 row of a table of streets or communities: the sum of the rows, added up from
    the rows themselves (evaluating the queryset the page then reuses): a second aggregate
    query would compute every figure again."""
    return {name: sum(getattr(row, name) for row in rows) for name in FIGURE_NAMES}


def outside_rule_preview(user, count, on=None, **narrow):
    """The first `count` courtyards outside the representation rule and how many there
    are in all, in one query (a window count on each row)."""
    rows = list(
        courtyards_outside_representation_rule(user, on)
        .filter(**narrow)
        .annotate(total=Window(Count("pk")))[:count]
    )
    return rows, (rows[0].total if rows else 0)


# One organisation


def organisations_with_state(user, on=None):
    """Organisations with what the community page shows of each: courtyards and households
    covered, representatives and group members serving, and the end of the current term."""
    on = _today(on)
    households = (
        Coverage.objects.on(on)
        .filter(organisation=OuterRef("pk"))
        .values("organisation")
        .annotate(total=Sum("courtyard__households"))
        .values("total")
    )
    term_end = (
        Term.objects.filter(body__organisation=OuterRef("pk"), body__kind=Body.Kind.COUNCIL)
        .order_by("-started_on")
        .values("ends_on")[:1]
    )
    return (
        Organisation.objects.visible_to(user)
        .select_related("community")
        .annotate(
            courtyards_covered=_count(Coverage.objects.on(on), "organisation", count="courtyard"),
            households_covered=Coalesce(Subquery(households, output_field=IntegerField()), 0),
            representatives=_count(
                Membership.objects.serving_on(on).representatives(), "body__organisation"
            ),
            group_members=_count(
                Membership.objects.serving_on(on).group_members(), "body__organisation"
            ),
            council_term_ends_on=Subquery(term_end),
        )
    )


@dataclass
class BodyState:
    body: object
    term: object  # the current term, or None
    members: list  # memberships serving today, in roll order
    vacancies: int
    single_role_vacant: str  # the label of a vacant convener/leader seat, or ""
    term_overdue: bool


@dataclass
class OrganisationState:
    organisation: object
    courtyards: list
    bodies: list  # BodyState for the council and the group
    terms: list  # every term of the council and group, newest first, with .members
    elections: list
    evaluations: list
    inquiries: list
    recalls: list
    flagged: list  # ratings of members flagged for recall in the latest evaluation


def organisation_state(organisation, on=None):
    """Everything the organisation's page and the courtyard panel show, in a fixed number
    of queries whatever the size of the history."""
    on = _today(on)
    organisation = Organisation.objects.select_related(
        "community", "set_up_by", "established_by", "accepted_by", "dissolved_by"
    ).get(pk=organisation.pk)
    courtyards = list(
        Coverage.objects.filter(organisation=organisation)
        .select_related("courtyard")
        .order_by("ended_on", "courtyard__name")
    )
    bodies = {
        body.kind: body
        for body in Body.objects.filter(organisation=organisation, kind__in=Body.ELECTED)
    }
    terms, memberships = _terms_with_members(organisation, on)
    states = [
        _body_state(bodies[kind], terms, memberships, on) for kind in Body.ELECTED if kind in bodies
    ]
    evaluations = list(
        Evaluation.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=EvaluationRating.objects.select_related("membership__person"),
            )
        )
        .order_by("-year")
    )
    flagged = (
        [rating for rating in evaluations[0].ratings.all() if rating.flagged_for_recall]
        if evaluations
        else []
    )
    return OrganisationState(
        organisation=organisation,
        courtyards=courtyards,
        bodies=states,
        terms=terms,
        elections=list(
            Election.objects.filter(body__organisation=organisation)
            .select_related("body", "term")
            .order_by("-held_on", "-pk")
        ),
        evaluations=evaluations,
        inquiries=list(
            Inquiry.objects.filter(organisation=organisation).select_related("target__person")
        ),
        recalls=list(
            Recall.objects.filter(organisation=organisation).select_related(
                "membership__person", "membership__body"
            )
        ),
        flagged=flagged,
    )


def _terms_with_members(organisation, on):
    """The organisation's terms, each with `serving` (a count on `on`) and `members` (all
    who served in it), and all its memberships in roll order."""
    terms = list(
        Term.objects.filter(body__organisation=organisation)
        .select_related("body")
        .annotate(
            serving=Count(
                "memberships",
                filter=Q(memberships__started_on__lte=on)
                & (Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gt=on)),
            )
        )
        .order_by("body__kind", "-started_on")
    )
    memberships = list(
        Membership.objects.filter(body__organisation=organisation)
        .select_related("person__courtyard", "term", "body")
        .in_roll_order()
    )
    by_term = {}
    for membership in memberships:
        by_term.setdefault(membership.term_id, []).append(membership)
    for term in terms:
        term.members = by_term.get(term.pk, [])
    return terms, memberships


def _body_state(body, terms, memberships, on):
    current = next((t for t in terms if t.body_id == body.pk and t.started_on <= on), None)
    serving = [m for m in memberships if m.body_id == body.pk and m.is_serving_on(on)]
    single = next(role for role in ROLES_OF[body.kind] if role in SINGLE_ROLES)
    single_vacant = current is not None and not any(m.role == single for m in serving)
    return BodyState(
        body=body,
        term=current,
        members=serving,
        vacancies=max(0, current.seats - current.serving) if current else 0,
        single_role_vacant=Role(single).label if single_vacant else "",
        term_overdue=bool(current and current.ends_on < on),
    )


# Research visits


def places_researched(visits):
    """Querysets of the streets, communities and courtyards `visits` went to. A visit to a
    courtyard is also a visit to its community and street, and one to a community a visit
    to its street: each place counts once however it was reached."""
    courtyards = Courtyard.objects.filter(pk__in=visits.values("courtyards"))
    communities = Community.objects.filter(
        Q(pk__in=visits.values("communities")) | Q(pk__in=courtyards.values("community"))
    )
    streets = Street.objects.filter(
        Q(pk__in=visits.values("streets")) | Q(pk__in=communities.values("street"))
    )
    return streets, communities, courtyards


def research_figures(user, year):
    """{"visits", "staff", "streets", "communities", "courtyards"}: the visits of `year`
    organised by the user's office or those below it, and the places in the user's scope
    visited that year by anyone."""
    visits = ResearchVisit.objects.in_year(year)
    organised = visits.organised_within(user).aggregate(
        visits=Count("pk"), staff=Coalesce(Sum("staff"), 0)
    )
    streets, communities, courtyards = places_researched(visits)
    return {
        **organised,
        "streets": streets.visible_to(user).count(),
        "communities": communities.visible_to(user).count(),
        "courtyards": courtyards.visible_to(user).count(),
    }
