"""Generated organisations (one per two or three courtyards of a community), the people who
serve on their councils and groups over two terms, elections, trainings, and meetings with
motions.

Everything obeys the models' rules by construction (tests/councils/test_generate.py checks
it at a tiny scale): terms follow each other, a member of both terms ends the first on the
day the second starts, one convener and one leader per body at a time.
"""

import datetime
from dataclasses import dataclass, field

from councils.demo import GIVEN_FEMALE, GIVEN_MALE, OCCUPATIONS, SURNAMES, TERM_YEARS
from councils.models import (
    Body,
    Candidate,
    Coverage,
    Election,
    Meeting,
    Membership,
    Motion,
    Organisation,
    Person,
    Term,
    Training,
    TrainingAttendance,
)

ACCEPTANCE_NOTE = "组织机构健全，制度上墙，验收合格。"
HOUSEHOLDS_PER_REPRESENTATIVE = 200


def run(gen):
    organisations, plans = _organisations(gen)
    gen.insert(Organisation, organisations)
    bodies, coverage = [], []
    for organisation, (covered, _terms) in zip(organisations, plans, strict=True):
        for kind in Body.Kind.values:
            bodies.append(Body(organisation=organisation, kind=kind))
        coverage += [
            Coverage(organisation=organisation, courtyard=c, started_on=organisation.set_up_on)
            for c in covered
        ]
    gen.insert(Body, bodies)
    gen.insert(Coverage, coverage)
    body_of = {(b.organisation_id, b.kind): b for b in bodies}

    elected = _Elected()
    for organisation, (covered, starts) in zip(organisations, plans, strict=True):
        for kind, roles in _seats(gen.rng, covered).items():
            body = body_of[(organisation.pk, kind)]
            _elect_each_term(gen.rng, body, roles, covered, starts, elected)
    elected.insert(gen)
    gen.found.update(
        organisations=organisations,
        bodies=bodies,
        memberships=elected.memberships,
        coverage=coverage,
    )
    _trainings(gen)
    meetings(gen)


def _organisations(gen):
    """Unsaved organisations of two or three neighbouring courtyards each, with their plans
    (courtyards, start days of terms)."""
    organisations, plans = [], []
    by_community = {}
    for courtyard in gen.found["courtyards"]:
        by_community.setdefault(courtyard.community_id, []).append(courtyard)
    for community in gen.found["communities"]:
        courtyards = by_community.get(community.pk, [])
        index = 0
        while index < len(courtyards):
            size = gen.rng.choice([2, 2, 3, 3, 3])
            covered = courtyards[index : index + size]
            index += size
            organisation, plan = _organisation(gen.rng, gen.today, community, covered)
            organisations.append(organisation)
            plans.append(plan)
    return organisations, plans


def _seats(rng, covered):
    """The roles of each body's seats: a council sized by the households it represents."""
    households = sum(c.households for c in covered)
    council_seats = min(6, max(2, round(households / HOUSEHOLDS_PER_REPRESENTATIVE)))
    return {
        "council": ["convener"] + ["representative"] * (council_seats - 1),
        "group": ["leader", "deputy", "member"] + ["member"] * rng.randint(0, 1),
    }


@dataclass
class _Elected:
    """Everything the elections create, inserted in the order their keys allow."""

    people: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    elections: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    memberships: list = field(default_factory=list)

    def insert(self, gen):
        gen.insert(Person, self.people)
        gen.insert(Term, self.terms)
        for election in self.elections:
            election.term_id = election.term.pk
        gen.insert(Election, self.elections)
        for candidate in self.candidates:
            candidate.election_id = candidate.election.pk
            candidate.person_id = candidate.person.pk
        gen.insert(Candidate, self.candidates)
        for membership in self.memberships:
            membership.term_id = membership.term.pk
            membership.election_id = membership.election.pk
            membership.person_id = membership.person.pk
        gen.insert(Membership, self.memberships)


def _elect_each_term(rng, body, roles, covered, starts, elected):
    """A term per start day, each with its general election; about 60% of the members of a
    term are elected again to the next."""
    previous = []
    for number, start in enumerate(starts, start=1):
        later = starts[number] if number < len(starts) else None
        term = Term(
            body=body,
            number=number,
            started_on=start,
            ends_on=(later or _years_later(start, TERM_YEARS)) - datetime.timedelta(1),
            seats=len(roles),
        )
        eligible = rng.randint(60, 400) if body.kind == "council" else rng.randint(20, 60)
        cast = rng.randint(eligible // 2 + 1, eligible)
        election = Election(
            body=body,
            term=term,
            kind="general",
            method=rng.choice(["open", "households", "representatives"]),
            held_on=start,
            eligible_voters=eligible,
            votes_cast=cast,
        )
        elected.terms.append(term)
        elected.elections.append(election)
        kept = [p for p in previous if rng.random() < 0.6][: len(roles)]
        serving = kept + [_person(rng, rng.choice(covered)) for _ in range(len(roles) - len(kept))]
        elected.people += serving[len(kept) :]
        for person, role in zip(serving, roles, strict=True):
            elected.candidates.append(
                Candidate(
                    election=election,
                    person=person,
                    votes=rng.randint(cast // 2 + 1, cast),
                    elected=True,
                    role=role,
                )
            )
            elected.memberships.append(
                Membership(
                    body=body,
                    term=term,
                    person=person,
                    role=role,
                    started_on=start,
                    ended_on=later,
                    end_reason="term_ended" if later else "",
                    election=election,
                )
            )
        previous = serving


def _organisation(rng, today, community, covered):
    """An unsaved organisation and (its courtyards, the start days of its terms)."""
    set_up = today - datetime.timedelta(days=rng.randint(365 * 4, 365 * 7))
    first = set_up + datetime.timedelta(days=rng.randint(20, 60))
    second = _years_later(first, TERM_YEARS)
    roll = rng.random()
    status = "accepted" if roll > 0.1 else ("established" if roll > 0.04 else "preparing")
    starts = [] if status == "preparing" else [first, second]
    established = first + datetime.timedelta(days=3) if starts else None
    accepted = established + datetime.timedelta(days=45) if status == "accepted" else None
    name = f"{covered[0].name}等{len(covered)}个院落联合自治组织"
    organisation = Organisation(
        community=community,
        name=name,
        status=status,
        set_up_on=set_up,
        established_on=established,
        accepted_on=accepted,
        acceptance_note=ACCEPTANCE_NOTE if accepted else "",
    )
    return organisation, (covered, starts)


def _person(rng, courtyard):
    female = rng.random() < 0.5
    return Person(
        courtyard=courtyard,
        name=rng.choice(SURNAMES) + rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
        gender="female" if female else "male",
        birth_year=rng.randint(1945, 1990),
        phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
        building=f"{rng.randint(1, max(1, courtyard.buildings))}栋",
        unit=f"{rng.randint(1, 4)}单元",
        political_status=rng.choice(["party_member", "masses", "masses", "league_member"]),
        education=rng.choice(["junior", "senior", "college", "bachelor"]),
        occupation=rng.choice(OCCUPATIONS),
    )


def _trainings(gen):
    """Two sessions a year per community, one per street, for the last two years."""
    rng = gen.rng
    by_community = {}
    for membership in gen.found["memberships"]:
        by_community.setdefault(membership.person.courtyard.community_id, []).append(membership)
    trainings, attendance = [], []
    for year in (gen.year - 1, gen.year):
        for street in gen.found["streets"]:
            trainings.append(_training(rng, year, street=street, others=rng.randint(20, 80)))
        for community in gen.found["communities"]:
            for _session in range(2):
                training = _training(rng, year, community=community)
                trainings.append(training)
                day = training.held_on
                pool = list(
                    {
                        m.person_id: m.person
                        for m in by_community.get(community.pk, [])
                        if m.started_on <= day and (m.ended_on is None or m.ended_on > day)
                    }.values()
                )
                attendance += [
                    TrainingAttendance(training=training, person=person)
                    for person in rng.sample(pool, min(len(pool), 10))
                ]
    gen.insert(Training, trainings)
    for row in attendance:
        row.training_id = row.training.pk
    gen.insert(TrainingAttendance, attendance)


def _training(rng, year, *, street=None, community=None, others=0):
    return Training(
        street=street,
        community=community,
        held_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        topic=rng.choice(["议事规则培训", "院落自治工作培训", "专项资金使用培训", "民主评议培训"]),
        organiser=(street or community).name,
        place="社区活动室",
        other_attendees=others,
    )


MEETINGS_PER_COURTYARD = 15  # 450,000 meetings for the city's 30,000 courtyards
MEETING_KINDS = ["council"] * 5 + ["group"] * 3 + ["meeting", "joint"]
MOTIONS = ["院落停车管理办法", "楼道照明维修", "专项资金使用方案", "院落保洁安排", "消防通道整治"]
CHUNK = 1000  # organisations per batch: memory stays flat at city scale


def meetings(gen):
    """Meetings of every established organisation since its first term, one or two motions
    each, most published; no attendance rows (the counts are on the meeting)."""
    seats = {}
    for membership in gen.found["memberships"]:
        seats.setdefault(membership.body_id, set()).add(membership.role)
    serving = {}
    for membership in gen.found["memberships"]:
        if membership.ended_on is None:
            serving[membership.body_id] = serving.get(membership.body_id, 0) + 1
    bodies = {}
    for body in gen.found["bodies"]:
        bodies[(body.organisation_id, body.kind)] = body
    covered = {}
    for coverage in gen.found["coverage"]:
        covered.setdefault(coverage.organisation_id, []).append(coverage.courtyard)
    organisations = [o for o in gen.found["organisations"] if o.established_on]
    # {organisation: [(day, motion pk)]}: what a project above the threshold may name.
    resolutions = gen.found["resolutions"] = {}
    for start in range(0, len(organisations), CHUNK):
        planned = []
        for organisation in organisations[start : start + CHUNK]:
            yards = covered[organisation.pk]
            for _n in range(MEETINGS_PER_COURTYARD * len(yards)):
                planned.append(_meeting(gen, organisation, yards, bodies, serving))
        gen.insert(Meeting, planned)
        motions = []
        for meeting in planned:
            for number in range(1, gen.rng.choice([2, 2, 3])):
                motions.append(_motion(gen.rng, meeting, number))
        gen.insert(Motion, motions)
        for motion in motions:
            meeting = motion.meeting
            if (
                motion.outcome == "adopted"
                and meeting.status == "published"
                and meeting.kind in ("council", "meeting")
            ):
                resolutions.setdefault(meeting.organisation_id, []).append(
                    (meeting.held_on, motion.pk)
                )


def _meeting(gen, organisation, yards, bodies, serving):
    from councils.models.meetings import notice_end

    rng, today = gen.rng, gen.today
    first = organisation.established_on
    held = first + datetime.timedelta(days=rng.randint(0, max(0, (today - first).days - 10)))
    kind = rng.choice(MEETING_KINDS)
    body = bodies[(organisation.pk, kind)] if kind != "joint" else None
    if kind == "meeting":
        members = sum(yard.households for yard in yards)
    elif kind == "joint":
        members = 0
    else:
        members = serving.get(body.pk, 3)
    present = rng.randint(members // 2 + 1, members) if members else rng.randint(3, 6)
    fields = {
        "organisation": organisation,
        "kind": kind,
        "body": body,
        "held_on": held,
        "place": "院落议事室",
        "chair": "召集人",
        "recorder": "民情代表",
        "agenda": "讨论院落公共事务。",
        "minutes": "与会人员充分讨论，形成决议。",
        "participants": "业委会主任、物业公司经理、社区居委会主任" if kind == "joint" else "",
        "members": members,
        "present": present,
        "quorum": present * 2 > members if kind != "joint" else None,
    }
    published = held + datetime.timedelta(days=rng.randint(1, 7))
    if published < today and rng.random() < 0.85:
        fields.update(
            status="published",
            published_on=published,
            published_at=datetime.datetime.combine(published, datetime.time(9), datetime.UTC),
            published_after_days=(published - held).days,
            notice_ends_on=notice_end(published, 7),
        )
    return Meeting(**fields)


def _motion(rng, meeting, number):
    voters = meeting.present
    adopted = rng.random() < 0.8
    votes_for = rng.randint(voters // 2 + 1, voters) if adopted else rng.randint(0, voters // 2)
    against = rng.randint(0, voters - votes_for)
    return Motion(
        meeting=meeting,
        number=number,
        title=rng.choice(MOTIONS),
        voters=voters,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=rng.randint(0, voters - votes_for - against),
        outcome="adopted" if adopted else "rejected",
        decision="同意。" if adopted else "",
        carried_out_by="院落自治管理小组" if adopted else "",
    )


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
