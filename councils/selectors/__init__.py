"""Reads with figures, each computed by the database, each scoped to the requesting user.

The definitions the annual report relies on (all "on a day D"):
- an organisation is *established* (建立, 已成立) on D when it was established on or before
  D and not dissolved on or before D, accepted (已验收) ones included; it is *accepted* on D
  when it was accepted on or before D and not dissolved;
- a courtyard is *covered* on D when it is open on D (not closed on or before D) and an
  organisation established on D covers it that day: covered courtyards are a subset of the
  open ones whatever the coverage rows say (closing a courtyard does not end its coverage
  row); *old compounds* are the open courtyards without property management
  (Courtyard.Kind.NO_PROPERTY_MANAGEMENT, 无物管老式院落), the programme's subject;
- a person *serves* on D when their membership started on or before D and has not ended
  by D (ended_on empty or after D); representatives include conveners, group members
  include leaders and deputies; the figures count people per seat held in the
  organisations established on D, the population the organisations' figure counts (one
  still preparing elects its bodies, but is not yet counted);
- *training sessions* of a year are those held that year and organised by the user's unit
  or a unit below it; *attendees* are person-times (人次): the people who serve recorded
  by name, plus the head count of others;
- the *representation rule* is the district's own, and off unless it sets one
  (`DistrictRules.households_per_representative_min/max`, docs/rules.md): seed 002's
  "每50-200户选举一名居民代表" is for the community's residents' representatives, not for
  courtyard councils. For each organisation, the households of the courtyards it covers on
  D divided by its representatives serving on D; where its district sets a band, every
  courtyard it covers is outside the rule when that figure is below the band or above it,
  or when it has no representative. Courtyards without an organisation are not listed
  (they are counted as not covered); without a band nothing is outside.
"""

from dataclasses import dataclass
from itertools import islice

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
from django.db.models.query import ModelIterable
from django.utils import timezone

from councils.models import (
    ROLES_OF,
    SINGLE_ROLES,
    Body,
    Coverage,
    DistrictRules,
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
from courtyards.models import Community, Courtyard, District, Street
from portal.access import everyone
from portal.kept import add_up, report_date


def _today(on):
    return on or timezone.localdate()


# The annual report's figures


def organisations_established(user, on=None):
    return Organisation.objects.visible_to(user).established_on(_today(on))


def courtyard_open_on(on, prefix=""):
    """Courtyards not closed on or before `on` (`prefix` leads from the rows to them)."""
    return Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": on})


def coverage_in_force(on):
    """Coverage rows in force on `on` whose organisation is established then (joined, not
    `organisation__in=<subquery>`, which PostgreSQL evaluates over the whole city)."""
    return (
        Coverage.objects.on(on)
        .filter(organisation__established_on__lte=on)
        .exclude(organisation__dissolved_on__lte=on)
    )


def established_coverage(on):
    """Coverage in force on `on` of courtyards open on `on` by organisations established
    on `on`: a closed courtyard is covered no more, whatever its coverage row says."""
    return coverage_in_force(on).filter(courtyard_open_on(on, "courtyard__"))


def is_covered(on, among=None):
    """An EXISTS on courtyards: covered on `on` by an organisation established then (whether
    the courtyard itself is open is the caller's to ask). `among` (courtyards) bounds the
    coverage looked at: PostgreSQL hashes the EXISTS once, over the whole city unless told
    which courtyards can be asked."""
    coverage = coverage_in_force(on).filter(courtyard=OuterRef("pk"))
    if among is not None:
        coverage = coverage.filter(courtyard__in=among)
    return Exists(coverage)


def covered_on(on):
    """A condition on courtyards: open on `on` and covered then, as `established_coverage`
    says."""
    return courtyard_open_on(on) & Q(is_covered(on))


def courtyards_covered(user, on=None):
    on = _today(on)
    return Courtyard.objects.visible_to(user).filter(covered_on(on))


def serving_in_established(on):
    """Memberships serving on `on` in organisations established on `on`."""
    return Membership.objects.serving_on(on).filter(
        body__organisation__in=Organisation.objects.established_on(on)
    )


def representatives_serving(user, on=None):
    return serving_in_established(_today(on)).visible_to(user).representatives()


def group_members_serving(user, on=None):
    return serving_in_established(_today(on)).visible_to(user).group_members()


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
    courtyards = Courtyard.objects.visible_to(user).filter(courtyard_open_on(on))
    old = courtyards.filter(kind=Courtyard.Kind.NO_PROPERTY_MANAGEMENT)
    return {
        "organisations_established": organisations_established(user, on).count(),
        "organisations_accepted": Organisation.objects.visible_to(user).accepted_on(on).count(),
        "organisations_open": Organisation.objects.visible_to(user).open().count(),
        "courtyards_open": courtyards.count(),
        "courtyards_covered": courtyards_covered(user, on).count(),
        "old_courtyards": old.count(),
        "old_courtyards_covered": old.filter(covered_on(on)).count(),
        "representatives": representatives_serving(user, on).count(),
        "group_members": group_members_serving(user, on).count(),
        "outside_rule": courtyards_outside_representation_rule(user, on).count(),
    }


# The representation rule


def _open_courtyard(on, prefix="courtyard__"):
    return courtyard_open_on(on, prefix)


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


def _band(bound, district="community__street__district"):
    """The district's households per representative, `min` or `max`; NULL: no rule."""
    return Subquery(
        DistrictRules.objects.filter(district=OuterRef(district)).values(
            f"households_per_representative_{bound}"
        )[:1]
    )


def organisations_judged(on, organisations=None):
    """Organisations with their households and representatives (as
    `organisations_with_representation`) and their district's band (`band_min`,
    `band_max`, NULL where the district sets none)."""
    return organisations_with_representation(on, organisations).annotate(
        band_min=_band("min"), band_max=_band("max")
    )


def _coverage_outside_rule(on, user):
    """Coverage in force on `on` of open courtyards whose organisation is outside its
    district's rule (only the user's organisations are judged: the work follows the scope,
    not the city)."""
    visible = Organisation.objects.visible_to(user)
    outside = organisations_judged(on, visible).filter(_outside_rule()).values("pk")
    return Coverage.objects.on(on).filter(_open_courtyard(on), organisation__in=outside)


def _coverage_with_representation(on):
    """Coverage in force on `on`, each row with its organisation's households covered,
    representatives serving and district's band (read from the organisation's judgement)."""
    judged = organisations_judged(on).filter(pk=OuterRef("organisation"))
    return (
        Coverage.objects.on(on)
        .filter(_open_courtyard(on))
        .annotate(
            households_covered=Subquery(judged.values("households_covered")[:1]),
            representatives=Subquery(judged.values("representatives")[:1]),
            band_min=Subquery(judged.values("band_min")[:1]),
            band_max=Subquery(judged.values("band_max")[:1]),
        )
    )


def _outside_rule():
    """Outside the district's band; nothing is outside where the district sets none."""
    return Q(band_min__isnull=False) & (
        Q(representatives=0)
        | Q(households_covered__lt=F("band_min") * F("representatives"))
        | Q(households_covered__gt=F("band_max") * F("representatives"))
    )


def courtyards_with_representation(user, on=None):
    """Coverage rows (one per open courtyard covered on `on`) of the user's scope, with
    `households_covered`, `representatives`, `band_min` and `band_max` annotated: the
    households per representative, shown as information where no rule applies."""
    on = _today(on)
    return (
        _coverage_with_representation(on)
        .filter(pk__in=Coverage.objects.visible_to(user).values("pk"))
        .select_related("courtyard__community__street", "organisation")
        .order_by("courtyard__community__street__code", "courtyard__community__name", "pk")
    )


def courtyards_outside_representation_rule(user, on=None):
    """The rows of `courtyards_with_representation` whose organisation is outside its
    district's households per representative; none where the district sets no band."""
    on = _today(on)
    visible = Organisation.objects.visible_to(user)
    outside = organisations_judged(on, visible).filter(_outside_rule()).values("pk")
    return courtyards_with_representation(user, on).filter(organisation__in=outside)


def representation_bands(user):
    """The districts of the user's scope that set households per representative, each
    with `households_per_representative_min/max`: empty when none does (no rule)."""
    return list(
        DistrictRules.objects.filter(
            district__in=District.objects.visible_to(user),
            households_per_representative_min__isnull=False,
        )
        .select_related("district")
        .order_by("district__code", "district__name")
    )


def _band_set(district):
    """Whether the unit's district sets households per representative."""
    return Exists(
        DistrictRules.objects.filter(
            district=OuterRef(district), households_per_representative_min__isnull=False
        )
    )


# People


def people_with_roles(user, on=None):
    """People visible to the user, each with the role they hold on `on` in a council
    (`council_role`) and in a group (`group_role`), None when none; `serving` (an alias to
    filter on) says whether they hold either.

    The roles are not annotated but read as the rows are fetched, in one query for the
    page's 50 or for each 2,000 rows of an export: the count, the filters and the order ask
    no subquery per person, and the roles are read for the rows shown only."""
    day = _today(on)
    serving = Membership.objects.serving_on(day).filter(body__kind__in=ROLE_KINDS)
    people = (
        Person.objects.visible_to(user)
        .select_related("courtyard__community__street")
        .alias(serving=Exists(serving.filter(person=OuterRef("pk"))))
    )
    people._iterable_class = _with_roles_on(day)  # kept by every queryset made from it
    return people


ROLE_KINDS = (Body.Kind.COUNCIL, Body.Kind.GROUP)


def _with_roles_on(day):
    """How a queryset of people yields its rows: in chunks (`chunk_size`: 100 for a list or
    a page, 2,000 as an export streams), each chunk given its roles on `day` at once."""

    class PeopleWithRoles(ModelIterable):
        def __iter__(self):
            people = super().__iter__()
            while chunk := list(islice(people, self.chunk_size)):
                roles = roles_held(chunk, day)
                for person in chunk:
                    person.council_role = roles.get((person.pk, Body.Kind.COUNCIL))
                    person.group_role = roles.get((person.pk, Body.Kind.GROUP))
                yield from chunk

    return PeopleWithRoles


def roles_held(people, day):
    """{(person pk, body kind): role} for the councils and groups the people serve in on
    `day`, in one query. Serving in two bodies of a kind, a person is given the role in the
    first of them in the memberships' own order (Membership.Meta.ordering: by body, the
    latest first), as the subquery per person it replaces did."""
    held = (
        Membership.objects.serving_on(day)
        .filter(person__in=[person.pk for person in people], body__kind__in=ROLE_KINDS)
        .order_by("person", "body__kind", "body", "-started_on", "pk")
        .values_list("person", "body__kind", "role")
    )
    roles = {}
    for person, kind, role in held:
        roles.setdefault((person, kind), role)
    return roles


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
    open_courtyards = Courtyard.objects.filter(courtyard_open_on(on))
    old = {"kind": Courtyard.Kind.NO_PROPERTY_MANAGEMENT}
    figures = {
        "organisations_established": _count(Organisation.objects.established_on(on), prefix),
        "organisations_accepted": _count(Organisation.objects.accepted_on(on), prefix),
        "organisations_open": _count(Organisation.objects.open(), prefix),
        "courtyards_open": _count(open_courtyards, prefix),
        "courtyards_covered": _count(
            established_coverage(on), f"courtyard__{prefix}", count="courtyard"
        ),
        "old_courtyards": _count(open_courtyards.filter(**old), prefix),
        "old_courtyards_covered": _count(
            established_coverage(on).filter(courtyard__kind=old["kind"]),
            f"courtyard__{prefix}",
            count="courtyard",
        ),
        "representatives": _count(
            serving_in_established(on).representatives(), f"body__organisation__{prefix}"
        ),
        "group_members": _count(
            serving_in_established(on).group_members(), f"body__organisation__{prefix}"
        ),
        "outside_rule": _count(outside, f"courtyard__{prefix}"),
    }
    return {name: figures[name] for name in names or FIGURE_NAMES}


def streets_with_council_figures(user, on=None, names=None):
    """Streets with their figures, and `band_set`: whether their district sets households
    per representative (without it, `outside_rule` is no rule's count and is not shown)."""
    return (
        Street.objects.visible_to(user)
        .select_related("district")
        .annotate(
            **_unit_figures("community__street", _today(on), user, names),
            band_set=_band_set("district"),
        )
    )


def communities_with_council_figures(user, street=None, on=None, names=None):
    communities = Community.objects.visible_to(user).select_related("street")
    if street is not None:
        communities = communities.filter(street=street)
    return communities.annotate(
        **_unit_figures("community", _today(on), user, names),
        band_set=_band_set("street__district"),
    )


def kept_unit_figures(pks, year):
    """{community pk: its FIGURE_NAMES as at the report date of `year`}: the councils' set
    of kept figures (AppConfig.kept_figures, portal/kept.py)."""
    rows = (
        Community.objects.filter(pk__in=pks)
        .annotate(**_unit_figures("community", report_date(year), everyone()))
        .values("pk", *FIGURE_NAMES)
    )
    return {row.pop("pk"): row for row in rows}


def kept_council_rows(user, unit):
    """The streets (`unit` "street") or communities the user may see, each with its
    FIGURE_NAMES as at today added up from the kept community rows, and `band_set` (as
    `streets_with_council_figures`, without computing them from the records)."""
    communities = Community.objects.visible_to(user)
    if unit == "community":
        units = communities.select_related("street").annotate(
            band_set=_band_set("street__district")
        )
    else:
        units = (
            Street.objects.visible_to(user)
            .select_related("district")
            .annotate(band_set=_band_set("district"))
        )
    return add_up("councils", list(units), communities, FIGURE_NAMES)


FIGURE_NAMES = [
    "organisations_established",
    "organisations_accepted",
    "organisations_open",
    "courtyards_open",
    "courtyards_covered",
    "old_courtyards",
    "old_courtyards_covered",
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
