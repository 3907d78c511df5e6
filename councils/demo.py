"""Demo organisations for most courtyards of the demo district: the people who serve,
their elections and terms (two terms for some), trainings, and in 长寿苑社区 (the demo
community member's) a full set of workflows: evaluations with a member flagged, inquiries,
a passed recall whose seat stands vacant, and a by-election.

The showcase goes through councils.services, as the pages do; the rest of the district is
planned the same way and written in bulk. Idempotent: a district that already has
organisations is left as it is."""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from councils import demo_meetings, services
from councils.models import (
    Body,
    Candidate,
    Coverage,
    Election,
    Membership,
    Organisation,
    Person,
    Recall,
    Term,
)
from courtyards.models import Community, Courtyard

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN_MALE = [
    "建国", "国强", "志明", "德福", "永康", "文华", "长生", "树林", "正刚", "家旺",
    "明亮", "海军", "振华", "庆丰", "宝山", "俊杰", "伟", "强", "军", "勇",
]  # fmt: skip
GIVEN_FEMALE = [
    "秀英", "桂芳", "玉兰", "淑珍", "丽华", "凤英", "素琴", "秀兰", "春梅", "美玲",
    "晓燕", "红梅", "丽娟", "慧敏", "静", "敏", "芳", "霞", "萍", "英",
]  # fmt: skip
OCCUPATIONS = [
    "退休职工", "退休职工", "退休教师", "个体经营者", "社区志愿者",
    "企业职工", "退役军人", "退休医生", "自由职业", "物业从业人员",
]  # fmt: skip
SHOWCASE = "长寿苑社区"
TERM_YEARS = 3
ACCEPTANCE_NOTE = "组织机构健全，制度上墙，验收合格。"


def build(demo):
    rng = random.Random(demo.rng.getrandbits(32))  # one draw, whatever happens below
    district = demo.found["district"]
    if Organisation.objects.filter(community__street__district=district).exists():
        return
    by = get_user_model().objects.filter(username="admin").first()
    builder = _Builder(rng, by, timezone.localdate())
    bulk = _Bulk(by)
    for community in Community.objects.filter(street__district=district).order_by("code"):
        showcase = community.name == SHOWCASE
        for courtyards in _groups(rng, community):
            plan = builder.plan(community, courtyards, showcase)
            if showcase:
                builder.record(plan)
            else:
                bulk.add(plan)
    bulk.save()
    builder.workflows(Community.objects.get(street__district=district, name=SHOWCASE))
    builder.trainings(district)
    builder.research_visits(district)
    demo_meetings.build(
        rng,
        by,
        builder.today,
        district,
        Community.objects.get(street__district=district, name=SHOWCASE),
    )


def _groups(rng, community):
    """Most open courtyards of the community, small neighbours grouped in one organisation."""
    courtyards = list(Courtyard.objects.open().filter(community=community).order_by("name"))
    groups, pending = [], []
    for courtyard in courtyards:
        if rng.random() < 0.12:
            continue  # not organised yet
        pending.append(courtyard)
        if sum(c.households for c in pending) >= 90 or len(pending) == 3:
            groups.append(pending)
            pending = []
    if pending:
        groups.append(pending)
    return groups


@dataclass
class ElectionPlan:
    kind: str
    held_on: datetime.date
    method: str
    eligible: int
    cast: int
    elected: list  # (person, role, votes)
    losers: list  # (person, votes)


@dataclass
class OrganisationPlan:
    community: object
    courtyards: list
    name: str
    set_up_on: datetime.date
    status: str
    terms: list = field(default_factory=list)  # [ElectionPlan council, ElectionPlan group]

    @property
    def established_on(self):
        return self.terms[0][0].held_on + datetime.timedelta(days=3) if self.terms else None


class _Builder:
    """Plans believable organisations; records the showcase's through the services."""

    def __init__(self, rng, by, today):
        self.rng, self.by, self.today = rng, by, today
        self.names = set()

    def day_between(self, start, end):
        span = max(0, (end - start).days)
        return start + datetime.timedelta(days=self.rng.randint(0, span))

    def person(self, courtyard):
        """An unsaved resident of `courtyard`."""
        rng = self.rng
        gender = rng.choice([Person.Gender.FEMALE, Person.Gender.MALE])
        given = GIVEN_FEMALE if gender == Person.Gender.FEMALE else GIVEN_MALE
        for _attempt in range(20):
            name = rng.choice(SURNAMES) + rng.choice(given)
            if (courtyard.community_id, name) not in self.names:
                break
        self.names.add((courtyard.community_id, name))
        return Person(
            courtyard=courtyard,
            name=name,
            gender=gender,
            birth_year=rng.randint(1945, 1985),
            phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            building=f"{rng.randint(1, max(1, courtyard.buildings))}栋",
            unit=f"{rng.randint(1, 4)}单元",
            political_status=rng.choices(
                [c for c, _label in Person.PoliticalStatus.choices], weights=[5, 1, 1, 1, 6]
            )[0],
            education=rng.choices(
                [c for c, _label in Person.Education.choices], weights=[1, 4, 5, 3, 3, 1]
            )[0],
            occupation=rng.choice(OCCUPATIONS),
        )

    def plan(self, community, courtyards, showcase):
        rng, today = self.rng, self.today
        households = sum(c.households for c in courtyards)
        name = (
            f"{courtyards[0].name}院落自治组织"
            if len(courtyards) == 1
            else f"{courtyards[0].name}等{len(courtyards)}个院落联合自治组织"
        )
        plan = OrganisationPlan(
            community=community,
            courtyards=courtyards,
            name=name,
            set_up_on=self.day_between(
                today - datetime.timedelta(days=365 * 8), today - datetime.timedelta(days=400)
            ),
            status=Organisation.Status.ACCEPTED,
        )
        roll = rng.random()
        if roll < 0.04 and not showcase:
            plan.status = Organisation.Status.PREPARING  # nobody elected yet
            return plan
        if roll < 0.12 and not showcase:
            plan.status = Organisation.Status.ESTABLISHED  # acceptance pending
        # one representative per ~110 households, now and then too few or too many
        representatives = max(1, round(households / rng.choice([110, 110, 110, 60, 230])))
        council_roles = ["convener"] + ["representative"] * min(representatives - 1, 14)
        group_roles = ["leader", "deputy"] + ["member"] * rng.randint(1, 3)
        start = plan.set_up_on + datetime.timedelta(days=rng.randint(20, 60))
        starts = [start]
        while (nxt := _years_later(start, TERM_YEARS)) <= today - datetime.timedelta(days=14):
            start = nxt
            starts.append(start)
        council, group = [], []
        for start in starts[-2:]:  # two terms of history at most
            council = self.election(plan, "council", council_roles, start, council)
            group = self.election(plan, "group", group_roles, start, group)
            plan.terms.append((council, group))
            council, group = council.elected, group.elected
            council = [person for person, _role, _votes in council]
            group = [person for person, _role, _votes in group]
        return plan

    def election(self, plan, kind, roles, held_on, previous):
        """A general election: most of the previous members stand again and win."""
        rng = self.rng
        keep = [person for person in previous if rng.random() < 0.6][: len(roles)]
        people = keep + [
            self.person(rng.choice(plan.courtyards)) for _ in range(len(roles) - len(keep))
        ]
        rng.shuffle(people)
        eligible = rng.randint(60, 400) if kind == "council" else rng.randint(20, 60)
        cast = rng.randint(eligible // 2 + 1, eligible)
        return ElectionPlan(
            kind=kind,
            held_on=held_on,
            method=rng.choice(["open", "households", "households", "representatives"]),
            eligible=eligible,
            cast=cast,
            elected=[
                (person, role, rng.randint(cast // 2 + 1, cast))
                for person, role in zip(people, roles, strict=True)
            ],
            losers=[
                (self.person(rng.choice(plan.courtyards)), rng.randint(1, cast // 2))
                for _ in range(rng.randint(0, 2))
            ],
        )

    def save_person(self, person):
        if person.pk is None:
            person.full_clean()
            person._history_user = self.by
            person.save()
        return person

    def record(self, plan):
        """The plan, through the services a page would call."""
        organisation = services.organisation_create(
            community=plan.community,
            name=plan.name,
            set_up_on=plan.set_up_on,
            courtyards=plan.courtyards,
            by=self.by,
        )
        for number, elections in enumerate(plan.terms):
            for election in elections:
                services.election_record(
                    body=Body.objects.get(organisation=organisation, kind=election.kind),
                    kind="general",
                    method=election.method,
                    held_on=election.held_on,
                    eligible_voters=election.eligible,
                    votes_cast=election.cast,
                    candidates=[
                        {"person": self.save_person(p), "votes": v, "elected": True, "role": r}
                        for p, r, v in election.elected
                    ]
                    + [
                        {"person": self.save_person(p), "votes": v, "elected": False, "role": ""}
                        for p, v in election.losers
                    ],
                    seats=len(election.elected),
                    note="第一届选举" if number == 0 else "",
                    by=self.by,
                )
        if plan.status == Organisation.Status.PREPARING:
            return organisation
        services.organisation_establish(
            organisation=organisation, on=plan.established_on, by=self.by
        )
        if plan.status == Organisation.Status.ACCEPTED:
            services.organisation_accept(
                organisation=organisation,
                on=plan.established_on + datetime.timedelta(days=45),
                note=ACCEPTANCE_NOTE,
                by=self.by,
            )
        return organisation

    def workflows(self, community):
        """Evaluations, inquiries, a passed recall and a by-election in the showcase."""
        rng, today = self.rng, self.today
        last_evaluation = datetime.date(today.year - 1, 12, 1)
        latest_group_term = (
            Term.objects.filter(body__organisation=OuterRef("pk"), body__kind=Body.Kind.GROUP)
            .order_by("-started_on")
            .values("started_on")[:1]
        )
        # Those whose current terms began before last year's evaluation come first: the
        # flagged member, the recall and the by-election happen in them.
        organisations = sorted(
            Organisation.objects.filter(community=community, status="accepted")
            .annotate(term_start=Subquery(latest_group_term))
            .order_by("pk"),
            key=lambda organisation: organisation.term_start >= last_evaluation,
        )
        for index, organisation in enumerate(organisations):
            group = Membership.objects.filter(
                body__organisation=organisation, body__kind=Body.Kind.GROUP
            )
            for years_ago in (2, 1):
                held_on = datetime.date(today.year - years_ago, 12, 20)
                members = list(group.serving_on(held_on).select_related("person"))
                if not members:
                    continue
                evaluators = rng.randint(30, 80)
                ratings = []
                for position, membership in enumerate(members):
                    flagged = index == 0 and years_ago == 1 and position == len(members) - 1
                    dissatisfied = evaluators // 2 + 3 if flagged else rng.randint(0, 5)
                    satisfied = rng.randint(0, evaluators - dissatisfied)
                    ratings.append(
                        {
                            "membership": membership,
                            "satisfied": satisfied,
                            "basically": evaluators - dissatisfied - satisfied,
                            "dissatisfied": dissatisfied,
                        }
                    )
                satisfied = rng.randint(evaluators // 2 + 1, evaluators)
                services.evaluation_record(
                    organisation=organisation,
                    year=held_on.year,
                    held_on=held_on,
                    evaluators=evaluators,
                    group_satisfied=satisfied,
                    group_basically=evaluators - satisfied,
                    group_dissatisfied=0,
                    ratings=ratings,
                    note="院落居民会议民主评议",
                    by=self.by,
                )
        if not organisations:
            return
        first = organisations[0]
        serving = services.representatives_serving(first, today)
        leader = Membership.objects.current().get(body__organisation=first, role="leader")
        raised_on = max(today - datetime.timedelta(days=60), leader.started_on)
        inquiry = services.inquiry_raise(
            organisation=first,
            raised_on=raised_on,
            representatives=max(1, -(-serving // 5)),
            target=leader,
            question="院内停车收费标准和收支情况为何半年未公示？",
            by=self.by,
        )
        services.inquiry_answer(
            inquiry=inquiry,
            answered_on=min(today, raised_on + datetime.timedelta(days=10)),
            answer="收支明细已于本月张贴在院落公示栏，今后每季度公示一次。",
            answered_by=leader.person.name,
            accepted=True,
            by=self.by,
        )
        services.inquiry_raise(
            organisation=first,
            raised_on=today - datetime.timedelta(days=10),
            representatives=max(1, -(-serving // 5)),
            question="楼道堆放杂物清理进度如何？",
            by=self.by,
        )
        # The member flagged at last year's evaluation is recalled; the seat stays vacant.
        flagged = (
            Membership.objects.current()
            .filter(body__organisation=first, ratings__result="dissatisfied")
            .first()
        )
        if flagged is not None:
            recall = services.recall_move(
                membership=flagged,
                moved_on=today - datetime.timedelta(days=40),
                moved_by="民情代表联名提议",
                reason="民主评议中过半数参评人员不满意，长期不参加小组工作。",
                decided_by=Recall.Voters.RESIDENTS_MEETING,
                by=self.by,
            )
            services.recall_vote(
                recall=recall,
                voted_on=today - datetime.timedelta(days=30),
                entitled_voters=120,
                votes_for=78,
                votes_against=20,
                votes_abstain=6,
                by=self.by,
            )
        # In the second organisation a representative moved away and was replaced.
        if len(organisations) > 1:
            second = organisations[1]
            leaving = (
                Membership.objects.current()
                .filter(body__organisation=second, role="representative")
                .order_by("pk")
                .first()
            )
            if leaving is not None:
                left_on = max(leaving.started_on, today - datetime.timedelta(days=90))
                services.membership_end(
                    membership=leaving, on=left_on, reason="moved_away", by=self.by
                )
                courtyard = second.coverage.first().courtyard
                newcomer = self.save_person(self.person(courtyard))
                services.election_record(
                    body=leaving.body,
                    kind="by_election",
                    method="households",
                    held_on=left_on + datetime.timedelta(days=20),
                    eligible_voters=courtyard.households,
                    votes_cast=courtyard.households * 3 // 4 + 1,
                    candidates=[
                        {
                            "person": newcomer,
                            "votes": courtyard.households // 2 + 1,
                            "elected": True,
                            "role": "representative",
                        }
                    ],
                    by=self.by,
                )

    def trainings(self, district):
        rng, today = self.rng, self.today
        topics = [
            "院落自治组织议事规则培训",
            "民情代表履职能力培训",
            "院落公共服务和社会管理专项资金使用培训",
            "自治管理小组工作规则与财务公开培训",
            "院落矛盾纠纷调解实务培训",
        ]
        for years_ago in (2, 1, 0):
            year = today.year - years_ago
            last = min(today, datetime.date(year, 12, 31))
            held_on = self.day_between(datetime.date(year, 3, 1), last)
            people = self.sample_serving(
                Person.objects.filter(courtyard__community__street__district=district),
                held_on,
                40,
            )
            services.training_save(
                district=district,
                held_on=held_on,
                topic=rng.choice(topics),
                organiser="区民政局基层政权和社区建设科",
                place="区社区学院",
                other_attendees=rng.randint(20, 60),
                people=people,
                by=self.by,
            )
            for street in district.streets.order_by("code"):
                held_on = self.day_between(datetime.date(year, 3, 1), last)
                people = self.sample_serving(
                    Person.objects.filter(courtyard__community__street=street), held_on, 25
                )
                services.training_save(
                    street=street,
                    held_on=held_on,
                    topic=rng.choice(topics),
                    organiser=f"{street.name}办事处",
                    place=f"{street.name}社区服务中心",
                    other_attendees=rng.randint(5, 20),
                    people=people,
                    by=self.by,
                )

    def research_visits(self, district):
        """A few visits a year by the bureau to several streets, and by each street office
        to some of its communities and courtyards."""
        rng, today = self.rng, self.today
        topics = [
            "院落自治组织运行情况调研",
            "专项资金使用管理情况调研",
            "老旧院落治理创新调研",
            "民情代表履职情况调研",
        ]
        streets = list(district.streets.order_by("code"))
        for years_ago in (2, 1, 0):
            year = today.year - years_ago
            last = min(today, datetime.date(year, 12, 31))
            for _visit in range(2):
                visited = rng.sample(streets, 3)
                courtyards = [
                    rng.choice(list(Courtyard.objects.open().filter(community__street=street)))
                    for street in visited
                ]
                services.research_visit_save(
                    district=district,
                    visited_on=self.day_between(datetime.date(year, 3, 1), last),
                    topic=rng.choice(topics),
                    led_by="区民政局分管副局长",
                    staff=rng.randint(3, 6),
                    streets=visited,
                    communities=[],
                    courtyards=courtyards,
                    findings="各院落自治组织运转正常，议事规则上墙；部分院落专项资金公示不及时，已要求整改。",
                    by=self.by,
                )
            for street in rng.sample(streets, 4):
                communities = list(street.communities.order_by("code"))
                chosen = rng.sample(communities, min(2, len(communities)))
                candidates = list(Courtyard.objects.open().filter(community__in=chosen))
                courtyards = rng.sample(candidates, min(3, len(candidates)))
                services.research_visit_save(
                    street=street,
                    visited_on=self.day_between(datetime.date(year, 3, 1), last),
                    topic=rng.choice(topics),
                    led_by=f"{street.name}办事处分管副主任",
                    staff=rng.randint(2, 4),
                    streets=[],
                    communities=chosen,
                    courtyards=courtyards,
                    findings="院落议事会定期召开，居民参与度较高。",
                    by=self.by,
                )

    def sample_serving(self, people, day, count):
        serving = people.filter(
            pk__in=Membership.objects.serving_on(day).values("person")
        ).order_by("pk")
        chosen = list(serving.values_list("pk", flat=True))
        self.rng.shuffle(chosen)
        return list(Person.objects.filter(pk__in=chosen[:count]))


class _Bulk:
    """The same plans written in a few bulk inserts (with their history rows): the demo
    district has hundreds of organisations. The plans obey the rules by construction; the
    seed test checks them with full_clean."""

    def __init__(self, by):
        self.by = by
        self.plans = []

    def add(self, plan):
        self.plans.append(plan)

    def insert(self, model, objects):
        return bulk_create_with_history(objects, model, batch_size=500, default_user=self.by)

    def save(self):
        organisations = []
        for plan in self.plans:
            established = plan.established_on if plan.status != "preparing" else None
            accepted = (
                established + datetime.timedelta(days=45) if plan.status == "accepted" else None
            )
            organisations.append(
                Organisation(
                    community=plan.community,
                    name=plan.name,
                    status=plan.status,
                    set_up_on=plan.set_up_on,
                    set_up_by=self.by,
                    established_on=established,
                    established_by=self.by if established else None,
                    accepted_on=accepted,
                    accepted_by=self.by if accepted else None,
                    acceptance_note=ACCEPTANCE_NOTE if accepted else "",
                )
            )
        self.insert(Organisation, organisations)
        bodies, coverage = {}, []
        for plan, organisation in zip(self.plans, organisations, strict=True):
            for kind in Body.Kind.values:
                bodies[(organisation.pk, kind)] = Body(organisation=organisation, kind=kind)
            coverage += [
                Coverage(organisation=organisation, courtyard=c, started_on=plan.set_up_on)
                for c in plan.courtyards
            ]
        self.insert(Body, list(bodies.values()))
        self.insert(Coverage, coverage)

        people = {}
        for plan in self.plans:
            for elections in plan.terms:
                for election in elections:
                    for person, *_rest in election.elected + election.losers:
                        people[id(person)] = person
        self.insert(Person, list(people.values()))

        terms, elections, candidates, memberships = [], [], [], []
        for plan, organisation in zip(self.plans, organisations, strict=True):
            for kind_index, kind in enumerate(("council", "group")):
                body = bodies[(organisation.pk, kind)]
                planned = [pair[kind_index] for pair in plan.terms]
                for number, election in enumerate(planned, start=1):
                    later = planned[number] if number < len(planned) else None
                    term = Term(
                        body=body,
                        number=number,
                        started_on=election.held_on,
                        ends_on=(later.held_on if later else _years_later(election.held_on, 3))
                        - datetime.timedelta(days=1),
                        seats=len(election.elected),
                    )
                    record = Election(
                        body=body,
                        term=term,
                        kind="general",
                        method=election.method,
                        held_on=election.held_on,
                        eligible_voters=election.eligible,
                        votes_cast=election.cast,
                        note="第一届选举" if number == 1 else "",
                    )
                    terms.append(term)
                    elections.append(record)
                    for person, role, votes in election.elected:
                        candidates.append(
                            Candidate(
                                election=record, person=person, votes=votes, elected=True, role=role
                            )
                        )
                        memberships.append(
                            Membership(
                                body=body,
                                term=term,
                                person=person,
                                role=role,
                                started_on=election.held_on,
                                ended_on=later.held_on if later else None,
                                end_reason="term_ended" if later else "",
                                election=record,
                            )
                        )
                    candidates += [
                        Candidate(election=record, person=person, votes=votes)
                        for person, votes in election.losers
                    ]
        self.insert(Term, terms)
        for record in elections:
            record.term_id = record.term.pk
        self.insert(Election, elections)
        for candidate in candidates:
            candidate.election_id = candidate.election.pk
            candidate.person_id = candidate.person.pk
        self.insert(Candidate, candidates)
        for membership in memberships:
            membership.term_id = membership.term.pk
            membership.election_id = membership.election.pk
            membership.person_id = membership.person.pk
        self.insert(Membership, memberships)


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
