"""Demo concerns: a year of what residents raised in every community of the demo district,
most answered within the 123 deadlines, a few late, a few still open past their deadline,
a few residents not satisfied; and a duty roster with handovers in 长寿苑社区, where two
committee members take turns (sq_changshouyuan and sq_changshouyuan2)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from concerns import services
from concerns.models import Concern
from concerns.workdays import add_working_days, is_working_day
from courtyards.models import Community, Street
from portal.models import RoleAssignment
from portal.roles import Role

Channel, Category = Concern.Channel, Concern.Category
Satisfaction = Concern.Satisfaction

RAISED = {
    Category.SANITATION: ["院内垃圾桶满了三天没人清运。", "化粪池反味，夏天尤其严重。"],
    Category.REPAIRS: ["3单元楼道灯坏了两周，晚上老人上下楼不安全。", "雨水管堵塞，下雨院子积水。"],
    Category.SAFETY: ["电动车在楼道里充电，担心起火。", "院墙有裂缝，怕下雨垮塌。"],
    Category.NEIGHBOURS: ["楼上漏水到楼下，两户协商不成。", "有住户在公共区域堆放杂物。"],
    Category.PARKING: ["外来车辆停在院内，消防通道被占。", "希望在院内划定非机动车停放区。"],
    Category.POLICY: ["想了解老旧院落改造的申请条件。", "咨询高龄补贴怎么办理。"],
    Category.OTHER: ["希望院内增设几张休息座椅。"],
}
ANSWERS = {
    1: "社区已联系街道城管科，三日内处理。",
    2: "已转交区住建局，专人将上门查看。",
    3: "已召集街道、住建、城管等部门现场协调，明确各方分工。",
}
CHANNELS = [Channel.STATION, Channel.HOME_VISIT, Channel.PHONE, Channel.BOX, Channel.COUNCIL]
DUTY_COMMUNITY = "长寿苑社区"


def build(demo):
    district = demo.found["district"]
    huochenanzhan = Street.objects.get(district=district, name="火车南站街道")
    duty_community = Community.objects.get(street=huochenanzhan, name=DUTY_COMMUNITY)
    demo.login(
        "jd_huochenanzhan",
        last_name="黄",
        first_name="志强",
        role=Role.STREET_STAFF,
        unit=huochenanzhan,
    )
    demo.login(
        "sq_changshouyuan2",
        last_name="周",
        first_name="丽",
        role=Role.COMMUNITY_MEMBER,
        unit=duty_community,
    )
    if Concern.objects.filter(community__street__district=district).exists():
        return  # built by an earlier run: running the demo twice changes nothing
    today = timezone.localdate()
    for community in Community.objects.filter(street__district=district).select_related(
        "street__district"
    ):
        receiver, street_staff = _accounts(community, district)
        count = 12 if community == duty_community else demo.rng.randint(2, 6)
        for _index in range(count):
            _concern(demo.rng, community, receiver, street_staff, today)
    _still_open(demo.rng, duty_community, today)
    _roster(duty_community, today)


def _accounts(community, district):
    """Who receives (a committee member of the community where the demo has one) and who
    answers for the street."""

    def account(**unit):
        found = RoleAssignment.objects.filter(**unit).select_related("user").first()
        return found.user if found else None

    district_staff = account(role=Role.DISTRICT_STAFF, district=district)
    street_staff = account(role=Role.STREET_STAFF, street=community.street) or district_staff
    receiver = account(role=Role.COMMUNITY_MEMBER, community=community) or street_staff
    return receiver, street_staff


def _at(day, hour):
    """That day at that hour, never later than now."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


def _receive(rng, community, receiver, received_on):
    category = rng.choice(list(RAISED))
    courtyards = list(community.courtyards.order_by("pk")[:12])
    return services.concern_receive(
        by=receiver,
        community=community,
        courtyard=rng.choice(courtyards) if courtyards else None,
        channel=rng.choice(CHANNELS),
        category=category,
        text=rng.choice(RAISED[category]),
        anonymous=rng.random() < 0.15,
        resident_name=rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(["大爷", "阿姨", "女士"]),
        resident_phone=f"138{rng.randint(10000000, 99999999)}",
        received_at=_at(received_on, rng.randint(9, 16)),
    )


def _still_open(rng, community, today):
    """What 我的待办 shows today: two concerns past their deadline, one not yet due and one
    received today, not yet classified."""
    receiver, _street_staff = _accounts(community, community.street.district)
    for working_days_ago, routing in ((6, 1), (4, 2), (1, 3), (0, None)):
        received_on = _working_days_before(today, working_days_ago)
        concern = _receive(rng, community, receiver, received_on)
        if routing:
            services.concern_classify(
                concern, by=receiver, routing=routing, at=_at(received_on, 17)
            )


def _working_days_before(day, n):
    while n:
        day -= timedelta(days=1)
        n -= is_working_day(day)
    return day


def _concern(rng, community, receiver, street_staff, today):
    received_on = today - timedelta(days=rng.randint(0, 364))
    concern = _receive(rng, community, receiver, received_on)
    routing = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
    services.concern_classify(concern, by=receiver, routing=routing, at=_at(received_on, 17))
    if rng.random() < 0.1:
        services.concern_escalate(
            concern,
            by=receiver,
            to_level=Concern.Level.STREET,
            reason="涉及多个院落，需街道统筹。",
            at=_at(received_on, 17),
        )
    late = rng.random() < 0.1
    answered_on = add_working_days(concern.answer_due, 2 if late else 0)
    if answered_on > today:
        return  # still open: overdue or not, as the calendar says
    services.concern_answer(
        concern, by=street_staff, answer=ANSWERS[routing], at=_at(answered_on, 11)
    )
    resolved_on = add_working_days(answered_on, rng.randint(1, 10))
    if resolved_on > today or rng.random() < 0.15:
        return
    services.concern_resolve(
        concern, by=street_staff, resolution="已处理完毕，居民确认。", at=_at(resolved_on, 15)
    )
    visited_on = add_working_days(resolved_on, 2)
    if visited_on > today:
        return
    satisfaction = rng.choices(
        [Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED],
        weights=[14, 4, 2],
    )[0]
    services.concern_return_visit(
        concern, by=receiver, satisfaction=satisfaction, at=_at(visited_on, 10)
    )


def _roster(community, today):
    """Two members take turns on working days, a month back and two weeks ahead; the past
    week's days are handed over."""
    members = [
        assignment.user
        for assignment in RoleAssignment.objects.filter(
            role=Role.COMMUNITY_MEMBER, community=community
        ).order_by("user__username")
    ]
    day, turn = today - timedelta(days=30), 0
    while day <= today + timedelta(days=14):
        if is_working_day(day):
            services.roster_set(by=members[0], community=community, date=day, officer=members[turn])
            turn = 1 - turn
        day += timedelta(days=1)
    for back in range(5, 0, -1):
        day = today - timedelta(days=back)
        if is_working_day(day):
            services.hand_over(
                community,
                day,
                by=services.officer_on(community, day) or members[0],
                note="已逐户回访，未办结事项移交次日值班人跟进。",
                at=_at(day, 18),
            )
