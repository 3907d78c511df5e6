"""Demo inspections: last year's campaign, closed with a published bulletin, and this
year's campaign under way, both recorded through the services as inspectors would.

Deterministic (drawn from demo.rng, dates from today) and idempotent: a campaign that
already exists is left as it is."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from courtyards.models import Courtyard
from inspections import services
from inspections.models import (
    Assignment,
    Campaign,
    CampaignItem,
    CriteriaArea,
    CriteriaItem,
    CriteriaTemplate,
    GroupMember,
    InspectionGroup,
)
from portal.roles import Role

CRITERIA = [
    (
        "院落自治运行情况",
        [
            ("自治组织健全，按期换届选举", 10),
            ("议事规则落实，会议记录完整", 10),
            ("开展民主评议，居务及时公开", 10),
            ("居民参与院落事务的程度", 10),
        ],
    ),
    (
        "社会管理创新",
        [("有特色做法和创新举措", 10), ("矛盾纠纷化解与为民服务", 10)],
    ),
    (
        "专项资金管理使用",
        [
            ("资金使用公开透明，群众知晓", 10),
            ("项目实施规范，台账完整", 10),
            ("自筹资金收支管理规范", 5),
        ],
    ),
    (
        "环境与安全",
        [("环境卫生整洁", 5), ("消防与治安安全", 5), ("道路与公共设施维护", 5)],
    ),
]

PROBLEMS = [
    "院落民情代表议事会会议记录不完整，部分决议未经表决",
    "专项资金使用情况未按规定在院落公示栏公开",
    "楼道堆放杂物，存在消防安全隐患",
    "自治管理小组成员分工不明确，未建立工作台账",
    "院落自治管理费收支未单独记账",
    "化粪池及下水管道堵塞，居民反映强烈",
    "民主评议未按年度开展",
    "院内电动自行车违规充电，未设集中充电点",
    "公共照明损坏未及时修复",
    "居务公开栏内容长期未更新",
]

PROGRESS = [
    "已召开院落议事会专题研究，明确整改责任人和时限。",
    "已完成一半整改内容，剩余部分正在推进。",
    "已联系街道相关科室协调解决，等待施工。",
]
DONE = [
    "已按要求整改完毕，整改前后照片存档备查。",
    "已补齐台账并在公示栏公开，居民代表签字确认。",
]

INSPECTORS = [
    ("ducha_wang", "王", "芳"),
    ("ducha_liu", "刘", "强"),
    ("ducha_zhou", "周", "敏"),
    ("ducha_sun", "孙", "涛"),
]


def build(demo):
    district = demo.found["district"]
    rng = demo.rng
    people = {"ducha": _user("ducha"), "qu_staff": _user("qu_staff"), "qu_admin": _user("qu_admin")}
    for username, last_name, first_name in INSPECTORS:
        people[username] = demo.login(
            username, last_name=last_name, first_name=first_name, role=Role.INSPECTOR, unit=district
        )
    template = _template(district)
    today = timezone.localdate()
    _closed_campaign(rng, district, template, people, today.year - 1)
    _campaign_under_way(rng, district, template, people, today)


def _user(username):
    return get_user_model().objects.get(username=username)


def _template(district):
    template, _created = CriteriaTemplate.objects.get_or_create(
        district=district,
        name="院落自治督查评分标准（2025年版）",
        defaults={"description": "满分100分。按区民政局院落自治督查工作方案制定。"},
    )
    for a_index, (area_name, items) in enumerate(CRITERIA, start=1):
        area, _created = CriteriaArea.objects.get_or_create(
            template=template, name=area_name, defaults={"position": a_index}
        )
        for i_index, (item_name, max_score) in enumerate(items, start=1):
            CriteriaItem.objects.get_or_create(
                area=area,
                name=item_name,
                defaults={"max_score": Decimal(max_score), "position": i_index},
            )
    return template


def _streets(district):
    return {street.name: street for street in district.streets.all()}


def _campaign(district, template, leader, **fields):
    campaign = Campaign(district=district, leader=leader, **fields)
    campaign.full_clean()
    campaign.save()
    services.campaign_copy_criteria(campaign=campaign, template=template, by=leader)
    return campaign


def _group(campaign, name, leader, members):
    group = InspectionGroup.objects.create(campaign=campaign, name=name, leader=leader)
    for member in members:
        GroupMember.objects.create(group=group, user=member)
    return group


def _assign(group, courtyards=(), communities=()):
    targets = []
    for courtyard in courtyards:
        targets.append(
            Assignment.objects.create(
                campaign=group.campaign,
                group=group,
                courtyard=courtyard,
                community=courtyard.community,
            )
        )
    for community in communities:
        targets.append(
            Assignment.objects.create(campaign=group.campaign, group=group, community=community)
        )
    return targets


def _sample_courtyards(rng, street, count, community_names=None):
    courtyards = Courtyard.objects.open().filter(community__street=street)
    if community_names:
        courtyards = courtyards.filter(community__name__in=community_names)
    courtyards = list(courtyards.order_by("pk"))
    return rng.sample(courtyards, min(count, len(courtyards)))


def _scores(rng, campaign, quality):
    scores = {}
    for item in _items(campaign):
        value = (quality + rng.uniform(-0.12, 0.12)) * float(item.max_score)
        value = round(value * 2) / 2
        scores[item.pk] = Decimal(str(min(max(value, 0), float(item.max_score))))
    return scores


def _items(campaign):
    return CampaignItem.objects.filter(area__campaign=campaign).order_by("pk")


def _visit(rng, target, day, recorder, *, quality=None, reinspection=""):
    campaign = target.campaign
    quality = quality if quality is not None else rng.uniform(0.5, 0.97)
    return services.inspection_record(
        assignment=target,
        visited_on=day,
        scores=_scores(rng, campaign, quality),
        findings=_findings(rng, quality),
        is_reinspection=bool(reinspection),
        reinspection_reason=reinspection,
        by=recorder,
    )


def _findings(rng, quality):
    if quality >= 0.88:
        return "自治组织运转规范，议事决策程序完整，专项资金使用公开透明，院落环境整洁。"
    if quality >= 0.65:
        return "自治组织基本健全，日常工作正常开展，部分台账资料有待完善。"
    return "自治组织作用发挥不明显，议事记录缺失，资金公开不及时，院落环境较差。"


def _problems(rng, visit, recorder, count, deadline_days):
    rectifications = []
    for problem in rng.sample(PROBLEMS, count):
        rectifications.append(
            services.rectification_create(
                inspection=visit,
                problem=problem,
                deadline=visit.visited_on + datetime.timedelta(days=deadline_days),
                by=recorder,
            )
        )
    return rectifications


def _follow_up(rng, rectification, community_user, verifier, *, stage, today):
    """Take a rectification to `stage`: "open", "progress", "done" or "verified"."""
    start = rectification.inspection.visited_on
    if stage == "open":
        return
    step = datetime.timedelta(days=rng.randint(5, 12))
    services.rectification_report(
        rectification=rectification,
        noted_on=min(start + step, today),
        text=rng.choice(PROGRESS),
        by=community_user,
    )
    if stage == "progress":
        return
    services.rectification_report(
        rectification=rectification,
        noted_on=min(start + 2 * step, today),
        text=rng.choice(DONE),
        done=True,
        by=community_user,
    )
    if stage == "done":
        return
    services.rectification_verify(
        rectification=rectification,
        accepted=True,
        note="经复查，整改到位。",
        verified_on=min(start + 3 * step, today),
        by=verifier,
    )


def _closed_campaign(rng, district, template, people, year):
    title = f"{year}年度院落自治工作督查"
    if Campaign.objects.filter(district=district, title=title).exists():
        return
    streets = _streets(district)
    campaign = _campaign(
        district,
        template,
        people["qu_staff"],
        year=year,
        title=title,
        starts_on=datetime.date(year, 10, 9),
        ends_on=datetime.date(year, 11, 20),
        min_ranked_courtyards=3,
        notes="由区民政局基层民主政治建设组领导带队，分三组深入全区各院落督查。",
    )
    targets = _closed_campaign_targets(rng, campaign, streets, people)
    services.campaign_start(campaign=campaign, by=people["qu_staff"])
    _closed_campaign_visits(rng, campaign, targets, year)
    services.campaign_close(
        campaign=campaign, closed_on=datetime.date(year, 11, 28), by=people["qu_staff"]
    )
    _published_bulletin(campaign, people, year)


def _closed_campaign_targets(rng, campaign, streets, people):
    """Three groups visiting the streets' sampled courtyards and first communities; returns
    (target, the group leader who records its visit) pairs."""
    plan = [
        ("第一督查组", "ducha", ["ducha_wang"], ["浆洗街街道", "望江路街道", "火车南站街道"]),
        ("第二督查组", "ducha_zhou", ["ducha_liu"], ["跳伞塔街道", "双楠街道"]),
        ("第三督查组", "qu_admin", ["ducha_sun"], ["红牌楼街道", "玉林街道"]),
    ]
    targets = []
    for name, leader, members, street_names in plan:
        group = _group(campaign, name, people[leader], [people[m] for m in members])
        for street_name in street_names:
            street = streets[street_name]
            count = 2 if street_name == "玉林街道" else 5  # too few to be ranked
            courtyards = _sample_courtyards(rng, street, count)
            community = street.communities.order_by("pk").first()
            for target in _assign(group, courtyards, [community]):
                targets.append((target, people[leader]))
    return targets


def _closed_campaign_visits(rng, campaign, targets, year):
    """A visit of every target, one verdict overruled, problems followed up to verification
    before the bulletin, and one re-inspection."""
    local = _user("qu_staff")
    before_bulletin = datetime.date(year, 12, 1)
    overruled = False
    for index, (target, recorder) in enumerate(targets):
        day = campaign.starts_on + datetime.timedelta(days=rng.randint(0, 35))
        quality = rng.uniform(0.55, 0.98)
        visit = _visit(rng, target, day, recorder, quality=quality)
        if not overruled and visit.suggested_verdict == "pass" and visit.rate < 70:
            services.inspection_update(
                inspection=visit,
                visited_on=visit.visited_on,
                scores={s.item_id: s.score for s in visit.scores.all()},
                findings=visit.findings + "专项资金台账缺失，经督查组集体研究给予通报批评。",
                final_verdict="criticise",
                verdict_reason="专项资金台账缺失，群众反映强烈，经督查组集体研究给予通报批评。",
                by=recorder,
            )
            visit.refresh_from_db()
            overruled = True
        if visit.rate < 75:
            problems = _problems(rng, visit, recorder, rng.randint(1, 2), deadline_days=30)
            for rectification in problems:
                stage = rng.choices(["verified", "progress", "open"], weights=[16, 2, 1])[0]
                _follow_up(rng, rectification, local, recorder, stage=stage, today=before_bulletin)
        if index == 3:
            services.inspection_record(
                assignment=target,
                visited_on=day + datetime.timedelta(days=10),
                scores=_scores(rng, campaign, min(quality + 0.1, 0.98)),
                findings="复查：前次督查指出的问题已基本整改。",
                is_reinspection=True,
                reinspection_reason="前次督查时自治管理小组组长不在，部分台账未能查阅",
                by=recorder,
            )


def _published_bulletin(campaign, people, year):
    """The closed campaign's bulletin, its texts written and published."""
    bulletin = services.bulletin_create(campaign=campaign, by=people["qu_staff"])
    services.bulletin_update(
        bulletin=bulletin,
        title=f"关于{year}年度院落自治工作督查情况的通报",
        number=f"武民督〔{year}〕5号",
        introduction=(
            "为进一步推进院落自治工作，按照年度工作安排，区民政局于10月至11月对全区院落自治"
            "工作开展了督查。现将督查情况通报如下。"
        ),
        requirements=bulletin.requirements,
        by=people["qu_staff"],
    )
    services.bulletin_publish(
        bulletin=bulletin, published_on=datetime.date(year, 12, 5), by=people["qu_staff"]
    )


def _campaign_under_way(rng, district, template, people, today):
    starts_on = today - datetime.timedelta(days=40)
    title = f"{starts_on.year}年院落自治专项督查"
    if Campaign.objects.filter(district=district, title=title).exists():
        return
    streets = _streets(district)
    campaign = _campaign(
        district,
        template,
        people["qu_staff"],
        year=starts_on.year,
        title=title,
        starts_on=starts_on,
        ends_on=today + datetime.timedelta(days=30),
        commend_threshold=Decimal("90"),
        criticise_threshold=Decimal("65"),
        min_ranked_courtyards=3,
        notes="重点督查专项资金管理使用和上年度通报问题的整改情况。",
    )
    first = _group(campaign, "第一督查组", people["ducha"], [people["ducha_wang"]])
    second = _group(
        campaign, "第二督查组", people["ducha_zhou"], [people["ducha_liu"], people["ducha_sun"]]
    )
    railway = streets["火车南站街道"]
    changshou = railway.communities.get(name="长寿苑社区")
    first_targets = _assign(
        first,
        _sample_courtyards(rng, railway, 4, ["长寿苑社区"])
        + _sample_courtyards(rng, railway, 3, ["桐梓林社区", "倪家桥社区"]),
        [changshou],
    )
    second_targets = _assign(
        second,
        _sample_courtyards(rng, streets["跳伞塔街道"], 4)
        + _sample_courtyards(rng, streets["双楠街道"], 4),
    )
    services.campaign_start(campaign=campaign, by=people["qu_staff"])

    member = _user_or_none("sq_changshouyuan")
    for targets, recorder in [
        (first_targets, people["ducha"]),
        (second_targets, people["ducha_zhou"]),
    ]:
        for index, target in enumerate(targets[: len(targets) // 2 + 1]):
            day = starts_on + datetime.timedelta(days=rng.randint(1, 30))
            in_changshou = target.community_id == changshou.pk and target.courtyard_id
            quality = rng.uniform(0.5, 0.7) if in_changshou and index == 0 else None
            visit = _visit(rng, target, day, recorder, quality=quality)
            if visit.rate < 80 or (in_changshou and index == 0):
                for number, rectification in enumerate(
                    _problems(rng, visit, recorder, 2, deadline_days=15)
                ):
                    stage = ["open", "progress", "done"][(index + number) % 3]
                    reporter = member if in_changshou and member else people["qu_staff"]
                    _follow_up(rng, rectification, reporter, recorder, stage=stage, today=today)


def _user_or_none(username):
    return get_user_model().objects.filter(username=username).first()
