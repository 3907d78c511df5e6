"""Generated residents' concerns (民情诉求): about 20 a courtyard a year, over the report year
and the running year to this day, each with its timeline.

Numbers are `<year>-<street>-<sequence>` in the order received, as
`concerns.services.next_number` gives them, so a concern received later in the portal takes
the next one. Deadlines come from the district's setting (`deadlines_for`) and calendar
(`concerns.workdays`). A committee account of each community receives, classifies and
makes the return visit; an account of the street (of the district for a concern escalated
to it) answers and resolves. Most are answered within the deadline, about one in ten after
it, a few never (still open past their deadline); a step that would fall on today or later
is not taken yet, so the last days' concerns are open. Most return visits are 满意, some
基本满意, a few 不满意. A duty roster names each community's account on the working days a
fortnight either side of today.

Everything obeys the models' rules by construction (tests/portal/test_generate.py checks
it at a tiny scale)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from concerns.demo import ANSWERS, RAISED
from concerns.models import Concern, ConcernEvent, DutyRoster
from concerns.services import deadlines_for, street_short_name
from concerns.workdays import working_days_adder
from portal.generate import BENCH_COMMUNITY, BENCH_STREET
from portal.roles import Role

PER_COURTYARD_YEAR = 20  # 10 to 30 a courtyard, 600,000 a year for the city
STREETS_PER_BATCH = 10  # memory stays flat at city scale
Channel, Category, Kind = Concern.Channel, Concern.Category, ConcernEvent.Kind
CHANNELS = {
    Channel.STATION: 30,
    Channel.HOME_VISIT: 20,
    Channel.PHONE: 20,
    Channel.BOX: 5,
    Channel.COUNCIL: 10,
    Channel.ONLINE: 15,
}
CATEGORIES = {
    Category.SANITATION: 20,
    Category.REPAIRS: 30,
    Category.SAFETY: 10,
    Category.NEIGHBOURS: 12,
    Category.PARKING: 15,
    Category.POLICY: 8,
    Category.OTHER: 5,
}
SATISFACTION = {
    Concern.Satisfaction.SATISFIED: 80,
    Concern.Satisfaction.BASIC: 15,
    Concern.Satisfaction.DISSATISFIED: 5,
}
RESOLUTION = "已处理完毕，居民确认。"
ESCALATION = "涉及多个院落，需上级统筹。"
NEVER_ANSWERED = 0.005  # left unanswered whatever their age
LATE = 0.1


def run(gen):
    first = datetime.date(gen.year, 1, 1)
    yesterday = gen.today - datetime.timedelta(days=1)
    spans = [
        (start, end)
        for start, end in (
            (first, datetime.date(gen.year, 12, 31)),
            (datetime.date(gen.today.year, 1, 1), yesterday),
        )
        if start <= end
    ]
    plan = _Plan(
        gen=gen,
        add=working_days_adder(first, gen.today),
        deadlines={d.pk: deadlines_for(d) for d in gen.found["districts"]},
        receivers=_community_accounts(gen),
        answerers=_street_accounts(gen),
    )
    streets = gen.found["streets"]
    communities_of, yards_of = {}, {}
    for community in gen.found["communities"]:
        communities_of.setdefault(community.street_id, []).append(community)
    for courtyard in gen.found["courtyards"]:
        yards_of.setdefault(courtyard.community_id, []).append(courtyard)
    for start in range(0, len(streets), STREETS_PER_BATCH):
        concerns, events = [], []
        for street in streets[start : start + STREETS_PER_BATCH]:
            received = [
                (_received_at(gen.rng, span), community, courtyard)
                for community in communities_of.get(street.pk, [])
                for courtyard in yards_of.get(community.pk, [])
                for span in spans
                for _n in range(_how_many(gen.rng, span))
            ]
            received.sort(key=lambda row: row[0])
            sequences = {}
            for received_at, community, courtyard in received:
                year = received_at.year
                sequences[year] = sequences.get(year, 0) + 1
                number = f"{year}-{street_short_name(street)}-{sequences[year]:04d}"
                concern = plan.concern(street, community, courtyard, received_at)
                concern.number, concern.sequence = number, sequences[year]
                concerns.append(concern)
                events += plan.timeline(concern)
        gen.insert(Concern, concerns)
        for event in events:
            event.concern_id = event.concern.pk
        gen.insert(ConcernEvent, events)
    _roster(gen, plan)


def _community_accounts(gen):
    """{community pk: a committee member's account}: bench_community for the first."""
    first, *others = gen.found["communities"]
    accounts = gen.accounts(
        Role.COMMUNITY_MEMBER,
        others,
        username=lambda community: f"sq_{community.code}",
        name="社区居委会成员",
    )
    return accounts | {first.pk: get_user_model().objects.get(username=BENCH_COMMUNITY)}


def _street_accounts(gen):
    """{street pk: a street staff account}: bench_street for the first."""
    first, *others = gen.found["streets"]
    accounts = gen.accounts(
        Role.STREET_STAFF, others, username=lambda street: f"jd_{street.code}", name="街道工作人员"
    )
    return accounts | {first.pk: get_user_model().objects.get(username=BENCH_STREET)}


def _how_many(rng, span):
    """About PER_COURTYARD_YEAR a year, in proportion for the running year's days."""
    start, end = span
    share = ((end - start).days + 1) / 365
    return round(rng.randint(PER_COURTYARD_YEAR // 2, PER_COURTYARD_YEAR * 3 // 2) * share)


def _received_at(rng, span):
    start, end = span
    day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
    return _at(day, rng.randint(8, 16), rng.randrange(60))


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _minutes(rng, low, high):
    return datetime.timedelta(minutes=rng.randint(low, high))


class _Plan:
    """What happens to each concern, step by step, drawn from the generator's random."""

    def __init__(self, *, gen, add, deadlines, receivers, answerers):
        self.gen, self.rng, self.add = gen, gen.rng, add
        self.deadlines, self.receivers, self.answerers = deadlines, receivers, answerers
        # the timeline's labels, translated once (get_FOO_display() costs a lookup in the
        # choices and a translation for every line)
        self.labels = {
            choices: {value: str(label) for value, label in choices.choices}
            for choices in (Channel, Concern.Routing, Concern.Level, Concern.Satisfaction)
        }

    def concern(self, street, community, courtyard, received_at):
        rng, today = self.rng, self.gen.today
        category = rng.choices(list(CATEGORIES), weights=CATEGORIES.values())[0]
        anonymous = rng.random() < 0.15
        concern = Concern(
            community=community,
            courtyard=courtyard if rng.random() < 0.9 else None,
            channel=rng.choices(list(CHANNELS), weights=CHANNELS.values())[0],
            category=category,
            text=rng.choice(RAISED[category]),
            anonymous=anonymous,
            resident_name=""
            if anonymous
            else rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(["大爷", "阿姨", "女士", "先生"]),
            resident_phone=""
            if anonymous
            else f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            received_at=received_at,
            received_by=self.receivers[community.pk],
        )
        received_on = received_at.date()
        # Received in the last two days: some still wait to be classified.
        if (today - received_on).days > 2 or rng.random() < 0.7:
            concern.routing = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        days = self.deadlines[street.district_id].days_for(concern.routing or 1)
        concern.answer_due = self.add(received_on, days)
        if concern.routing and rng.random() < 0.1:
            concern.level = rng.choice([Concern.Level.STREET] * 4 + [Concern.Level.DISTRICT])
        answerer = (
            self.gen.found["staff"][street.district_id]
            if concern.level == Concern.Level.DISTRICT
            else self.answerers[street.pk]
        )
        self._answer(concern, answerer, days)
        return concern

    def _answer(self, concern, answerer, days):
        """Answered (within the deadline, or late), resolved and visited, each step only if
        its day is before today."""
        rng, add, today = self.rng, self.add, self.gen.today
        received_on = concern.received_at.date()
        roll = rng.random()
        if concern.routing is None or roll < NEVER_ANSWERED:
            return
        if roll < LATE:
            answered_on = add(concern.answer_due, rng.randint(1, 3))
        else:
            answered_on = add(received_on, rng.randint(0, days))
        if answered_on >= today:
            return
        concern.answered_at = (
            self._classified_at(concern) + _minutes(rng, 30, 180)
            if answered_on == received_on
            else _at(answered_on, rng.randint(9, 17), rng.randrange(60))
        )
        concern.answered_on = timezone.localdate(concern.answered_at)
        concern.answered_by, concern.answer = answerer, ANSWERS[concern.routing]
        if rng.random() >= 0.92:
            return
        resolved_on = add(answered_on, rng.randint(0, 10))
        if resolved_on >= today:
            return
        concern.resolved_at = (
            concern.answered_at + _minutes(rng, 30, 120)
            if resolved_on == answered_on
            else _at(resolved_on, rng.randint(9, 17), rng.randrange(60))
        )
        concern.resolved_by, concern.resolution = answerer, RESOLUTION
        visited_on = add(resolved_on, rng.randint(1, 3))
        if rng.random() >= 0.9 or visited_on >= today:
            return
        concern.visited_at = _at(visited_on, rng.randint(9, 17), rng.randrange(60))
        concern.visited_by = self.receivers[concern.community_id]
        concern.satisfaction = rng.choices(list(SATISFACTION), weights=SATISFACTION.values())[0]

    def _classified_at(self, concern):
        # derived from the time received rather than drawn, so that the answer and the
        # timeline read the same moment: 10 to 69 minutes after
        return concern.received_at + datetime.timedelta(minutes=10 + concern.received_at.minute)

    def timeline(self, concern):
        """The events concerns.services writes for the steps the concern has taken."""
        receiver = concern.received_by
        events = [
            ConcernEvent(
                concern=concern,
                kind=Kind.RECEIVED,
                at=concern.received_at,
                by=receiver,
                text=self.labels[Channel][concern.channel],
            )
        ]
        if concern.routing:
            classified_at = self._classified_at(concern)
            events.append(
                ConcernEvent(
                    concern=concern,
                    kind=Kind.CLASSIFIED,
                    at=classified_at,
                    by=receiver,
                    text=self.labels[Concern.Routing][concern.routing],
                )
            )
            levels = {
                Concern.Level.COMMUNITY: [],
                Concern.Level.STREET: [Concern.Level.STREET],
                Concern.Level.DISTRICT: [Concern.Level.STREET, Concern.Level.DISTRICT],
            }[concern.level]
            for step, level in enumerate(levels, start=1):
                events.append(
                    ConcernEvent(
                        concern=concern,
                        kind=Kind.ESCALATED,
                        at=classified_at + datetime.timedelta(minutes=step),
                        # the community raises it to the street, the street to the district
                        by=receiver if step == 1 else self.answerers[concern.community.street_id],
                        text=f"{self.labels[Concern.Level][level]}：{ESCALATION}",
                    )
                )
        for kind, at, by, text in (
            (Kind.ANSWERED, concern.answered_at, concern.answered_by, concern.answer),
            (Kind.RESOLVED, concern.resolved_at, concern.resolved_by, concern.resolution),
            (
                Kind.RETURN_VISIT,
                concern.visited_at,
                concern.visited_by,
                self.labels[Concern.Satisfaction].get(concern.satisfaction),
            ),
        ):
            if at is not None:
                events.append(ConcernEvent(concern=concern, kind=kind, at=at, by=by, text=text))
        return events


def _roster(gen, plan):
    """Each community's account on duty on the working days a fortnight either side of
    today (its committee has one generated account)."""
    days, day = [], gen.today - datetime.timedelta(days=15)
    while (day := plan.add(day, 1)) <= gen.today + datetime.timedelta(days=14):
        days.append(day)
    gen.insert(
        DutyRoster,
        (
            DutyRoster(community=community, date=day, officer=plan.receivers[community.pk])
            for community in gen.found["communities"]
            for day in days
        ),
    )
