"""Two years of the special fund for the demo district: the rate, district allocations
generated from it, street contributions, projects, expenditures (a few reversed), and the
courtyards' own income. Budgets stay within allocations and spending within budgets, so no
balance is ever negative.

Deterministic (one draw from `demo.rng` seeds a generator per year) and idempotent: a year
whose rate exists is left as it is.
"""

import datetime
import random
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from courtyards.models import Community, Courtyard
from funds.models import (
    Allocation,
    Expenditure,
    FundRate,
    Income,
    OwnExpenditure,
    Project,
    Source,
    approving_resolutions,
)
from funds.own_money import own_available
from funds.selectors import live_allocations
from funds.services import allocations_generate, own_expenditure_add

RATES = {  # years before the current one -> (households per unit, yuan per unit)
    1: (100, Decimal("2500.00")),
    0: (100, Decimal("2800.00")),
}
THRESHOLD = Decimal("5000.00")

PROJECTS = {
    Project.Category.SANITATION: ["院落保洁", "垃圾分类设施更新", "化粪池清掏", "楼道清洁"],
    Project.Category.SECURITY: ["夜间安全巡逻", "门卫值守补贴", "监控设备维护"],
    Project.Category.FIRE_SAFETY: ["消防器材更换", "电动车集中充电点", "消防通道整治"],
    Project.Category.ELDERLY_CARE: ["高龄老人探视慰问", "老年活动室运行", "老年助餐补贴"],
    Project.Category.ACTIVITIES: ["邻里节活动", "重阳节敬老活动", "院落文艺汇演", "亲子读书会"],
    Project.Category.REPAIRS: ["楼道照明维修", "雨污管道疏通", "院坝地面修补", "单元门禁维修"],
    Project.Category.GREENING: ["绿化补植", "花台改造"],
    Project.Category.OTHER: ["院务公开栏制作", "议事会办公用品"],
}
PAYEES = {
    Project.Category.SANITATION: ["武侯区洁美保洁服务社", "锦城环卫服务有限公司"],
    Project.Category.SECURITY: ["平安保安服务有限公司", "社区治安巡逻队"],
    Project.Category.FIRE_SAFETY: ["蜀安消防器材经营部", "成都安居电气工程有限公司"],
    Project.Category.ELDERLY_CARE: ["社区老年协会", "乐龄居家养老服务中心"],
    Project.Category.ACTIVITIES: ["社区文体协会", "锦里文化传播有限公司"],
    Project.Category.REPAIRS: ["兴旺五金建材经营部", "宏达水电安装队"],
    Project.Category.GREENING: ["青青园林绿化有限公司"],
    Project.Category.OTHER: ["锦江印务广告部", "文星办公用品店"],
}
CRAFTSMEN = ["刘德明", "王建华", "陈国强", "赵志刚", "杨秀兰"]
STREET_DOCUMENTS = "街财〔{year}〕{n}号"
INCOME_NOTES = {
    Income.Kind.PARKING: "停车管理费",
    Income.Kind.RENTAL: "闲置用房出租",
    Income.Kind.SELF_GOVERNANCE_FEE: "居民自治管理费",
    Income.Kind.DONATION: "驻区单位捐赠",
    Income.Kind.OTHER: "废旧物品回收",
}
CENT = Decimal("0.01")


def build(demo):
    district = demo.found["district"]
    base = demo.rng.random()
    today = timezone.localdate()
    for years_back, (households, yuan) in sorted(RATES.items(), reverse=True):
        year = today.year - years_back
        rate, created = FundRate.objects.get_or_create(
            district=district,
            year=year,
            defaults={
                "households_per_unit": households,
                "yuan_per_unit": yuan,
                "approval_threshold": THRESHOLD,
                "note": "区民政局、区财政局联合下达",
            },
        )
        if created:
            _build_year(random.Random(f"{base}:{year}"), rate, today)


def _build_year(rng, rate, today):
    year = rate.year
    last_day = min(today, datetime.date(year, 12, 31))

    def day(start_month=1):
        first = datetime.date(year, start_month, 1)
        if first > last_day:
            first = datetime.date(year, 1, 1)
        return first + datetime.timedelta(days=rng.randint(0, (last_day - first).days))

    allocations_generate(
        rate=rate, by=None, document_number=f"武民发〔{year}〕8号", today=datetime.date(year, 3, 15)
    )
    courtyards = list(
        Courtyard.objects.filter(community__street__district=rate.district, closed_on=None)
        .select_related("community__street")
        .order_by("pk")
    )
    street_numbers = {}
    street_allocations = []
    for courtyard in courtyards:
        if courtyard.kind == Courtyard.Kind.MANAGED_ESTATE or rng.random() > 0.7:
            continue
        number = street_numbers.setdefault(courtyard.community.street_id, len(street_numbers) + 1)
        street_allocations.append(
            Allocation(
                year=year,
                courtyard=courtyard,
                community_id=courtyard.community_id,
                source=Source.STREET,
                amount=Decimal(rng.randrange(800, 3001, 100)),
                allocated_on=datetime.date(year, 4, rng.randint(1, 28)),
                document_number=STREET_DOCUMENTS.format(year=year, n=10 + number),
                note="街道配套资金",
            )
        )
    bulk_create_with_history(street_allocations, Allocation)

    allocated = dict(
        live_allocations(year)
        .filter(courtyard__in=courtyards)
        .order_by()
        .values("courtyard")
        .annotate(total=Sum("amount"))
        .values_list("courtyard", "total")
    )
    projects, plans = [], []
    for courtyard in courtyards:
        available = allocated.get(courtyard.pk, Decimal(0))
        if not available:
            continue
        categories = rng.sample(list(PROJECTS), k=rng.randint(1, 3))
        budget_total = (available * Decimal(rng.uniform(0.75, 1.0))).quantize(Decimal(10))
        shares = [rng.uniform(1, 3) for _category in categories]
        for category, share in zip(categories, shares, strict=True):
            budget = max(
                Decimal(100), (budget_total * Decimal(share / sum(shares))).quantize(Decimal(10))
            )
            budget = min(budget, available)
            available -= budget
            if budget <= 0:
                break
            past = year < today.year
            status = (
                Project.Status.DONE
                if past or rng.random() < 0.3
                else rng.choice([Project.Status.IN_PROGRESS, Project.Status.PLANNED])
            )
            started = day()
            ended = day(started.month) if status == Project.Status.DONE else None
            if ended and ended < started:
                started, ended = ended, started
            resolution = None
            if budget > THRESHOLD:
                # above the threshold a council resolution approves it; without one the
                # courtyard keeps to the threshold
                resolution = (
                    approving_resolutions(courtyard)
                    .filter(meeting__held_on__year=year, meeting__held_on__lte=started)
                    .order_by("meeting__held_on", "pk")
                    .first()
                )
                if resolution is None:
                    budget = THRESHOLD
            project = Project(
                courtyard=courtyard,
                community_id=courtyard.community_id,
                year=year,
                title=rng.choice(PROJECTS[category]),
                category=category,
                budget=budget,
                status=status,
                started_on=started if status != Project.Status.PLANNED else None,
                ended_on=ended,
                description="经院落民情代表议事会讨论通过。",
                resolution=resolution,
            )
            projects.append(project)
            share_spent = (
                0
                if status == Project.Status.PLANNED
                else rng.uniform(0.85, 1.0)
                if status == Project.Status.DONE
                else rng.uniform(0.4, 0.9)
            )
            plans.append((project, (budget * Decimal(share_spent)).quantize(CENT)))
    bulk_create_with_history(projects, Project)

    expenditures, reversals = [], []
    vouchers = {}
    for project, target in plans:
        if target <= 0:
            continue
        parts = rng.randint(1, 4)
        amounts = _split(rng, target, parts)
        start = project.started_on or datetime.date(year, 1, 1)
        for amount in amounts:
            vouchers[project.courtyard_id] = vouchers.get(project.courtyard_id, 0) + 1
            person = project.category == Project.Category.REPAIRS and rng.random() < 0.3
            spent_on = start + datetime.timedelta(
                days=rng.randint(0, max(0, (last_day - start).days))
            )
            if project.ended_on and spent_on > project.ended_on:
                spent_on = project.ended_on
            expenditures.append(
                Expenditure(
                    project=project,
                    courtyard_id=project.courtyard_id,
                    community_id=project.community_id,
                    year=year,
                    spent_on=spent_on,
                    amount=amount,
                    payee=rng.choice(CRAFTSMEN) if person else rng.choice(PAYEES[project.category]),
                    payee_kind=Expenditure.PayeeKind.PERSON
                    if person
                    else Expenditure.PayeeKind.ORGANISATION,
                    voucher_number=f"{year}-{vouchers[project.courtyard_id]:03d}",
                    description=f"{project.title}支出",
                )
            )
    expenditures = bulk_create_with_history(expenditures, Expenditure)
    # A few entries recorded twice by mistake, each cancelled by a reversing entry.
    for original in rng.sample(expenditures, k=min(6, len(expenditures))):
        vouchers[original.courtyard_id] += 1
        duplicate = Expenditure(
            project=original.project,
            courtyard_id=original.courtyard_id,
            community_id=original.community_id,
            year=year,
            spent_on=original.spent_on,
            amount=original.amount,
            payee=original.payee,
            payee_kind=original.payee_kind,
            voucher_number=f"{year}-{vouchers[original.courtyard_id]:03d}",
            description=f"{original.description}（重复录入）",
        )
        reversals.append(duplicate)
    duplicates = bulk_create_with_history(reversals, Expenditure)
    bulk_create_with_history(
        [
            Expenditure(
                project=duplicate.project,
                courtyard_id=duplicate.courtyard_id,
                community_id=duplicate.community_id,
                year=year,
                spent_on=duplicate.spent_on,
                amount=duplicate.amount,
                payee=duplicate.payee,
                payee_kind=duplicate.payee_kind,
                voucher_number=f"{duplicate.voucher_number}-冲",
                description="重复录入，红字冲销",
                reverses=duplicate,
            )
            for duplicate in duplicates
        ],
        Expenditure,
    )

    income = []
    for courtyard in courtyards:
        old = courtyard.kind == Courtyard.Kind.NO_PROPERTY_MANAGEMENT
        kinds = []  # (kind, lowest, highest quarterly amount)
        if not old or rng.random() < 0.3:
            kinds.append((Income.Kind.PARKING, 300, 2500 if old else 4000))
        if rng.random() < 0.2:
            kinds.append((Income.Kind.RENTAL, 300, 1500))
        if rng.random() < 0.3:
            kinds.append((Income.Kind.SELF_GOVERNANCE_FEE, 200, 1000))
        if rng.random() < 0.05:
            kinds.append((Income.Kind.DONATION, 500, 5000))
        for kind, lowest, highest in kinds:
            for quarter in range(1, 5):
                received = datetime.date(year, quarter * 3, 28)
                if received > last_day or (kind == Income.Kind.DONATION and quarter > 1):
                    break
                income.append(
                    Income(
                        courtyard=courtyard,
                        received_on=received,
                        kind=kind,
                        amount=Decimal(rng.randrange(lowest, highest + 1, 50)),
                        note=f"第{quarter}季度{INCOME_NOTES[kind]}",
                    )
                )
    bulk_create_with_history(income, Income)
    _own_spending(income, last_day)
    _build_community_fund(rate, last_day)


OWN_SPENDING = [  # (share of the own money then held, payee, summary)
    (Decimal("0.4"), "武侯区洁美保洁服务社", "院落公共区域保洁（自筹资金）"),
    (Decimal("0.3"), "兴旺五金建材经营部", "停车区地面划线及车挡（自筹资金）"),
]


def _own_spending(income, last_day):
    """Two spendings of their own money, each approved by a resolution of the year, for the
    first courtyard of each community with parking income and such a resolution; recorded
    through the service, so the balance check applies."""
    parking = {}
    for entry in income:
        if entry.kind == Income.Kind.PARKING:
            parking.setdefault(entry.courtyard, []).append(entry.received_on)
    communities = set()
    for courtyard, days in parking.items():
        if courtyard.community_id in communities:
            continue
        first = min(days)
        resolution = (
            approving_resolutions(courtyard)
            .filter(meeting__held_on__year=first.year, meeting__held_on__lte=last_day)
            .select_related("meeting")
            .order_by("meeting__held_on", "pk")
            .first()
        )
        if resolution is not None:
            communities.add(courtyard.community_id)
            _two_spendings(courtyard, resolution, max(first, resolution.meeting.held_on), last_day)


def _two_spendings(courtyard, resolution, day, last_day):
    for number, (share, payee, summary) in enumerate(OWN_SPENDING, start=1):
        on = min(day + datetime.timedelta(days=30 * (number - 1)), last_day)
        amount = (own_available(courtyard.pk, on) * share).quantize(Decimal(10))
        if amount <= 0:
            return
        own_expenditure_add(
            expenditure=OwnExpenditure(
                courtyard=courtyard,
                spent_on=on,
                amount=amount,
                payee=payee,
                voucher_number=f"自{on.year}-{number:03d}",
                description=summary,
                resolution=resolution,
            ),
            by=None,
        )


COMMUNITY_ALLOCATION = Decimal("200000.00")  # seed 002: 20万元 a year per community
COMMUNITY_PROJECT = ("社区为民服务中心运行", Project.Category.ELDERLY_CARE, Decimal("60000.00"))


def _build_community_fund(rate, last_day):
    """The first community's own fund (社区本级) for the year: the district's 200,000 yuan
    paid directly to the community (seed 002), and one project of its residents' committee
    with two payments."""
    community = (
        Community.objects.filter(street__district=rate.district)
        .order_by("street__code", "code", "pk")
        .first()
    )
    if community is None:
        return
    year = rate.year
    Allocation(
        year=year,
        community=community,
        source=Source.DISTRICT,
        amount=COMMUNITY_ALLOCATION,
        allocated_on=datetime.date(year, 3, 15),
        document_number=f"武民发〔{year}〕9号",
        note="社区公共服务和社会管理专项资金（社区本级）",
    ).save()
    title, category, budget = COMMUNITY_PROJECT
    project = Project(
        community=community,
        year=year,
        title=title,
        category=category,
        budget=budget,
        status=Project.Status.IN_PROGRESS,
        started_on=datetime.date(year, 1, 1),
        description="社区居委会组织实施。",
    )
    project.save()
    for number, month in enumerate((3, 6), start=1):
        spent_on = min(datetime.date(year, month, 28), last_day)
        Expenditure(
            project=project,
            community=community,
            year=year,
            spent_on=spent_on,
            amount=Decimal("15000.00"),
            payee="乐龄居家养老服务中心",
            voucher_number=f"社{year}-{number:03d}",
            description=f"{title}支出",
        ).save()


def _split(rng, total, parts):
    """`total` split into `parts` positive amounts with cents that add up exactly."""
    if parts == 1 or total < Decimal(parts):
        return [total]
    weights = [rng.uniform(1, 3) for _part in range(parts)]
    amounts = [(total * Decimal(w / sum(weights))).quantize(CENT) for w in weights[:-1]]
    amounts.append(total - sum(amounts))
    return [amount for amount in amounts if amount > 0]
