"""Every write that touches more than one record, each in one transaction, called by pages
and admin alike. Each function validates what it writes (`full_clean`) and raises a
ValidationError keyed by the names of the form fields that collect its input, so a page can
show each message next to its field; nothing is written when it raises.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import (
    ROLES_OF,
    SINGLE_ROLES,
    Body,
    Candidate,
    Coverage,
    Election,
    EndReason,
    Evaluation,
    EvaluationRating,
    Inquiry,
    Membership,
    Organisation,
    Recall,
    ResearchVisit,
    Role,
    Term,
    Training,
    TrainingAttendance,
    inquiry_quorum,
    rules_of,
)


def _save(obj, by, **clean_kwargs):
    obj.full_clean(**clean_kwargs)
    obj._history_user = by
    obj.save()
    return obj


def _refuse(field, message):
    raise ValidationError({field: [message]})


def _errors_as(error, field, prefix=""):
    """Re-key a model's errors onto one form field, naming the record they concern."""
    messages = [f"{prefix}{message}" for message in error.messages]
    return ValidationError({field: messages})


# Organisations


@transaction.atomic
def organisation_create(*, community, name, set_up_on, courtyards, note="", by):
    """A new organisation, preparing, with its three bodies, covering `courtyards` of
    `community` from `set_up_on`."""
    courtyards = list(courtyards)
    if not courtyards:
        _refuse("courtyards", _("Choose at least one courtyard."))
    organisation = _save(
        Organisation(
            community=community,
            name=name,
            set_up_on=set_up_on,
            set_up_by=by,
            note=note,
            status=Organisation.Status.PREPARING,
        ),
        by,
    )
    organisation_ensure_bodies(organisation=organisation, by=by)
    for courtyard in courtyards:
        try:
            _save(
                Coverage(organisation=organisation, courtyard=courtyard, started_on=set_up_on),
                by,
            )
        except ValidationError as error:
            raise _errors_as(error, "courtyards", f"{courtyard.name}: ") from None
    return organisation


@transaction.atomic
def organisation_update(*, organisation, coverage=(), by):
    """Save an organisation's own facts (name, preparation date, note: the caller has set
    them on `organisation`) and the `coverage` rows added or changed with it, each
    validated and kept in the history under `by`. A row that breaks a rule (an overlap
    with another row of the same save, a courtyard of another community) is named by its
    courtyard under the form field "coverage"; nothing is written then."""
    _save(organisation, by)
    for row in coverage:
        row.organisation = organisation
        try:
            _save(row, by)
        except ValidationError as error:
            name = row.courtyard.name if row.courtyard_id else "?"
            raise _errors_as(error, "coverage", f"{name}: ") from None
    return organisation


def organisation_ensure_bodies(*, organisation, by):
    """Give the organisation each of its three bodies it does not have yet."""
    present = set(organisation.bodies.values_list("kind", flat=True))
    for kind in Body.Kind.values:
        if kind not in present:
            _save(Body(organisation=organisation, kind=kind), by)


@transaction.atomic
def organisation_establish(*, organisation, on, by):
    """Preparing → established. The council and the group must have been elected by then."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != Organisation.Status.PREPARING:
        _refuse(NON_FIELD_ERRORS, _("Only an organisation in preparation can be established."))
    for kind in Body.ELECTED:
        if not Term.objects.filter(
            body__organisation=organisation, body__kind=kind, started_on__lte=on
        ).exists():
            _refuse(
                "established_on",
                _("Record the election of the %(body)s first: it has no term by this date.")
                % {"body": Body.Kind(kind).label},
            )
    organisation.status = Organisation.Status.ESTABLISHED
    organisation.established_on = on
    organisation.established_by = by
    return _save(organisation, by)


@transaction.atomic
def organisation_accept(*, organisation, on, note="", by):
    """Established → accepted (验收合格)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != Organisation.Status.ESTABLISHED:
        _refuse(NON_FIELD_ERRORS, _("Only an established organisation can be accepted."))
    organisation.status = Organisation.Status.ACCEPTED
    organisation.accepted_on = on
    organisation.accepted_by = by
    organisation.acceptance_note = note
    return _save(organisation, by)


@transaction.atomic
def organisation_dissolve(*, organisation, on, reason, by):
    """Dissolved on `on`: its members leave that day, its terms end the day before and its
    courtyards are free to join another organisation from that day."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.is_open:
        _refuse(NON_FIELD_ERRORS, _("This organisation is already dissolved."))
    if Recall.objects.pending().filter(organisation=organisation).exists():
        _refuse("dissolved_on", _("A recall awaits its vote: record the vote first."))
    terms = Term.objects.filter(body__organisation=organisation)
    if terms.filter(started_on__gte=on).exists():
        _refuse("dissolved_on", _("A term starts on or after this date."))
    members = Membership.objects.filter(body__organisation=organisation, ended_on__isnull=True)
    if members.filter(started_on__gt=on).exists():
        _refuse("dissolved_on", _("Someone started serving after this date."))
    if Coverage.objects.filter(organisation=organisation, started_on__gt=on).exists():
        _refuse("dissolved_on", _("A courtyard joined the organisation after this date."))
    organisation.status = Organisation.Status.DISSOLVED
    organisation.dissolved_on = on
    organisation.dissolved_by = by
    organisation.dissolved_reason = reason
    _save(organisation, by)
    for membership in members:
        _end(membership, on, EndReason.DISSOLVED, by)
    for term in terms.filter(ends_on__gte=on):
        term.ends_on = on - datetime.timedelta(days=1)
        _save(term, by)
    for coverage in Coverage.objects.filter(organisation=organisation, ended_on__isnull=True):
        coverage.ended_on = on
        _save(coverage, by)
    return organisation


# Elections and memberships


def _current_term(body, day):
    return (
        Term.objects.filter(body=body, started_on__lte=day, ends_on__gte=day)
        .order_by("-started_on")
        .first()
    )


def _end(membership, on, reason, by, note=""):
    membership.ended_on = on
    membership.end_reason = reason
    if note:
        membership.note = note
    _save(membership, by)
    if reason != EndReason.RECALLED:
        # A recall motion against someone who has left cannot be voted on any more.
        Recall.objects.pending().filter(membership=membership).update(outcome=Recall.Outcome.LAPSED)
    return membership


def _check_candidates(body, candidates, votes_cast):
    people = [candidate["person"] for candidate in candidates]
    if not candidates:
        _refuse("candidates", _("Enter at least one candidate."))
    if len({person.pk for person in people}) != len(people):
        _refuse("candidates", _("A person appears twice among the candidates."))
    elected = [candidate for candidate in candidates if candidate["elected"]]
    if not elected:
        _refuse("candidates", _("Mark who was elected."))
    allowed = ROLES_OF[body.kind]
    for candidate in candidates:
        name = candidate["person"].name
        if votes_cast is not None and candidate["votes"] > votes_cast:
            _refuse(
                "candidates",
                _("%(name)s cannot receive more votes than were cast.") % {"name": name},
            )
        if candidate["elected"] and candidate.get("role") not in allowed:
            _refuse(
                "candidates",
                _("Give %(name)s a role of the %(body)s.")
                % {"name": name, "body": body.get_kind_display()},
            )
        if candidate["elected"] and candidate["votes"] == 0:
            _refuse("candidates", _("%(name)s received no vote.") % {"name": name})
    for role in SINGLE_ROLES:
        if sum(1 for candidate in elected if candidate["role"] == role) > 1:
            _refuse(
                "candidates",
                _("Only one person can be %(role)s.") % {"role": Role(role).label},
            )
    return elected


@transaction.atomic
def election_record(
    *,
    body,
    kind,
    method,
    held_on,
    eligible_voters,
    votes_cast,
    candidates,
    term_started_on=None,
    term_ends_on=None,
    seats=None,
    note="",
    by,
):
    """Record an election and, in the same step, the memberships of those elected.

    `candidates`: dicts with person, votes, elected and role (for those elected).
    A general election opens the next term (starting on `term_started_on`, by default the
    day of the election) and ends the previous term's memberships the day it starts,
    bringing the previous term's end forward if the election is early. A by-election fills
    vacancies of the term running on the day it is held; its members serve from that day.
    """
    body = _electing_body(body, held_on)
    elected = _check_candidates(body, candidates, votes_cast)
    if kind == Election.Kind.GENERAL:
        term = _open_term(body, held_on, term_started_on, term_ends_on, seats, len(elected), by)
        serving_from = term.started_on
    else:
        term = _term_with_vacancies(body, held_on, elected)
        serving_from = held_on
    election = _save(
        Election(
            body=body,
            term=term,
            kind=kind,
            method=method,
            held_on=held_on,
            eligible_voters=eligible_voters,
            votes_cast=votes_cast,
            note=note,
        ),
        by,
    )
    _save_results(election, candidates, elected, serving_from, by)
    return election


def _electing_body(body, held_on):
    """The body, locked until the election is recorded, if it may hold one on `held_on`."""
    body = Body.objects.select_for_update().select_related("organisation").get(pk=body.pk)
    if not body.is_elected:
        _refuse("body", _("Only the council and the group are elected."))
    if not body.organisation.is_open:
        _refuse(NON_FIELD_ERRORS, _("This organisation is dissolved."))
    if held_on > timezone.localdate():
        _refuse("held_on", _("This date lies in the future."))
    return body


def _save_results(election, candidates, elected, serving_from, by):
    """Every candidate's votes, and a membership for each person elected."""
    for candidate in candidates:
        _save_for(
            candidate,
            Candidate(
                election=election,
                person=candidate["person"],
                votes=candidate["votes"],
                elected=candidate["elected"],
                role=candidate["role"] if candidate["elected"] else "",
            ),
            by,
        )
    for candidate in elected:
        _save_for(
            candidate,
            Membership(
                body=election.body,
                term=election.term,
                person=candidate["person"],
                role=candidate["role"],
                started_on=serving_from,
                election=election,
            ),
            by,
        )


def _term_with_vacancies(body, held_on, elected):
    """The term a by-election fills: the one running on its day, with a vacant seat for each
    person elected (and the convener's or leader's seat vacant if one is elected to it)."""
    term = _current_term(body, held_on)
    if term is None:
        _refuse(
            "held_on",
            _("No term of this body runs on this date: record a general election."),
        )
    serving = Membership.objects.filter(term=term).serving_on(held_on)
    vacancies = term.seats - serving.count()
    if len(elected) > vacancies:
        _refuse(
            "candidates",
            _("Only %(count)s seats are vacant on this date.") % {"count": vacancies},
        )
    taken = set(serving.filter(role__in=SINGLE_ROLES).values_list("role", flat=True))
    for candidate in elected:
        if candidate["role"] in taken:
            _refuse(
                "candidates",
                _("The %(role)s's seat is not vacant.") % {"role": Role(candidate["role"]).label},
            )
    return term


def _save_for(candidate, record, by):
    """Save a record made for a candidate; its errors name the candidate."""
    try:
        _save(record, by)
    except ValidationError as error:
        raise _errors_as(error, "candidates", f"{candidate['person'].name}: ") from None


def _open_term(body, held_on, started_on, ends_on, seats, elected_count, by):
    """The next term of `body`, ending the previous term's memberships the day it starts."""
    started_on = started_on or held_on
    if started_on < held_on:
        _refuse("term_started_on", _("A term starts on or after the day of its election."))
    if seats is None or seats < 1:
        _refuse("seats", _("Enter how many seats the body has in this term."))
    if elected_count > seats:
        _refuse(
            "candidates",
            _("More people are elected than the term has seats (%(seats)s).") % {"seats": seats},
        )
    if ends_on is None:
        years = rules_of(body.organisation).term_years  # the district's (docs/rules.md)
        ends_on = _years_later(started_on, years) - datetime.timedelta(days=1)
    if ends_on < started_on:
        _refuse("term_ends_on", _("A term cannot end before it starts."))
    previous = Term.objects.filter(body=body).order_by("-started_on").first()
    if previous is not None:
        if started_on <= previous.started_on:
            _refuse(
                "term_started_on",
                _("The new term must start after term %(number)s began (%(date)s).")
                % {"number": previous.number, "date": previous.started_on.isoformat()},
            )
        if previous.ends_on >= started_on:  # an early election
            previous.ends_on = started_on - datetime.timedelta(days=1)
            _save(previous, by)
    for membership in Membership.objects.filter(body=body, ended_on__isnull=True):
        if membership.started_on > started_on:
            _refuse(
                "term_started_on",
                _("%(name)s started serving after this date.") % {"name": membership.person},
            )
        _end(membership, started_on, EndReason.TERM_ENDED, by)
    term = Term(
        body=body,
        number=(previous.number + 1) if previous else 1,
        started_on=started_on,
        ends_on=ends_on,
        seats=seats,
    )
    try:
        return _save(term, by)
    except ValidationError as error:
        raise _errors_as(error, "term_started_on") from None


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def membership_end(*, membership, on, reason, note="", by):
    """A member leaves (resigned, moved away, deceased): the membership is closed with the
    date and the reason, never deleted; the seat shows as vacant until a by-election."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        _refuse(NON_FIELD_ERRORS, _("This membership has already ended."))
    if on < membership.started_on:
        _refuse("ended_on", _("A membership cannot end before it starts."))
    return _end(membership, on, reason, by, note=note)


# Evaluation, inquiry, recall


@transaction.atomic
def evaluation_record(
    *,
    organisation,
    year,
    held_on,
    evaluators,
    group_satisfied,
    group_basically,
    group_dissatisfied,
    ratings,
    note="",
    by,
):
    """The yearly democratic evaluation of the group and each member, with results computed
    by the evaluation rule (councils.models.supervision.evaluation_result).

    `ratings`: dicts with membership, satisfied, basically and dissatisfied."""
    evaluation = Evaluation(
        organisation=organisation,
        year=year,
        held_on=held_on,
        evaluators=evaluators,
        group_satisfied=group_satisfied,
        group_basically=group_basically,
        group_dissatisfied=group_dissatisfied,
        note=note,
    )
    evaluation.compute_results()
    _save(evaluation, by)
    # Judge each member by the records as they stand, not as the caller last read them.
    current = Membership.objects.select_related("body", "person").in_bulk(
        [rating["membership"].pk for rating in ratings]
    )
    for rating in ratings:
        row = EvaluationRating(
            evaluation=evaluation,
            membership=current[rating["membership"].pk],
            satisfied=rating["satisfied"],
            basically=rating["basically"],
            dissatisfied=rating["dissatisfied"],
        )
        row.compute_result()
        try:
            _save(row, by)
        except ValidationError as error:
            raise _errors_as(error, "ratings", f"{rating['membership'].person}: ") from None
    return evaluation


def representatives_serving(organisation, day):
    return (
        Membership.objects.representatives()
        .filter(body__organisation=organisation)
        .serving_on(day)
        .count()
    )


@transaction.atomic
def inquiry_raise(*, organisation, raised_on, representatives, target=None, question, by):
    """An inquiry signed by at least one fifth of the representatives serving that day."""
    serving = representatives_serving(organisation, raised_on)
    if serving == 0:
        _refuse("raised_on", _("No representative was serving on this date."))
    if representatives > serving:
        _refuse(
            "representatives",
            _("Only %(count)s representatives were serving on this date.") % {"count": serving},
        )
    quorum = inquiry_quorum(serving)
    if representatives < quorum:
        _refuse(
            "representatives",
            _(
                "An inquiry needs at least one fifth of the %(serving)s representatives "
                "serving: %(quorum)s signatures."
            )
            % {"serving": serving, "quorum": quorum},
        )
    return _save(
        Inquiry(
            organisation=organisation,
            raised_on=raised_on,
            representatives=representatives,
            target=target,
            question=question,
        ),
        by,
    )


@transaction.atomic
def inquiry_answer(*, inquiry, answered_on, answer, answered_by="", accepted=None, by):
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    inquiry.answered_on = answered_on
    inquiry.answer = answer
    inquiry.answered_by = answered_by
    inquiry.accepted = accepted
    return _save(inquiry, by)


@transaction.atomic
def recall_move(*, membership, moved_on, moved_by, reason, decided_by, by):
    """A recall motion against a member serving on the day it is made."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("body__organisation", "person")
        .get(pk=membership.pk)
    )
    return _save(
        Recall(
            organisation=membership.body.organisation,
            membership=membership,
            moved_on=moved_on,
            moved_by=moved_by,
            reason=reason,
            decided_by=decided_by,
        ),
        by,
    )


@transaction.atomic
def recall_vote(*, recall, voted_on, entitled_voters, votes_for, votes_against, votes_abstain, by):
    """The vote on a recall motion. By the recall rule it passes when more than half of all
    entitled voters vote for it; a passed recall ends the membership the day of the vote, in
    the same transaction, and the seat shows as vacant until a by-election fills it."""
    recall = Recall.objects.select_for_update().select_related("membership").get(pk=recall.pk)
    if recall.outcome != Recall.Outcome.PENDING:
        _refuse(NON_FIELD_ERRORS, _("This recall has already been decided."))
    recall.voted_on = voted_on
    recall.entitled_voters = entitled_voters
    recall.votes_for = votes_for
    recall.votes_against = votes_against
    recall.votes_abstain = votes_abstain
    recall.outcome = Recall.outcome_of(entitled_voters, votes_for)
    _save(recall, by)
    if recall.outcome == Recall.Outcome.PASSED:
        _end(recall.membership, voted_on, EndReason.RECALLED, by)
    return recall


# Trainings


@transaction.atomic
def training_save(*, training=None, people, by, **fields):
    """Create or update a training session and set who attended (people who serve, living
    within the organising unit and serving that day)."""
    training = training or Training()
    for name, value in fields.items():
        setattr(training, name, value)
    _save(training, by)
    wanted = {person.pk: person for person in people}
    present = {row.person_id: row for row in training.attendance.all()}
    for person_id, row in present.items():
        if person_id not in wanted:
            row._history_user = by
            row.delete()  # a correction of the list; the history keeps the row
    for person_id, person in wanted.items():
        if person_id not in present:
            try:
                _save(TrainingAttendance(training=training, person=person), by)
            except ValidationError as error:
                raise _errors_as(error, "people") from None
    return training


# Research visits


@transaction.atomic
def research_visit_save(*, visit=None, streets, communities, courtyards, by, **fields):
    """Create or update a research visit and the places it went to, all within the
    organising office: its district, or its own street."""
    visit = visit or ResearchVisit()
    for name, value in fields.items():
        setattr(visit, name, value)
    _save(visit, by)  # rolled back below if the places are wrong
    visit.check_places(streets, communities, courtyards)
    visit.streets.set(streets)
    visit.communities.set(communities)
    visit.courtyards.set(courtyards)
    return visit
