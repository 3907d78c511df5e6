"""Demo commendations: the round of the last two years, decided in March (浆洗街街道,
长寿苑社区, 锦里社区, groups, a representative and a worker honoured), the round of this
period open for nominations with a few from 浆洗街街道, and allowances paid this year to
the members of a 长寿苑社区 group from an allowances project of its courtyard's fund.

Idempotent: nothing is added when the district already has a round."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from commendations import services
from commendations.models import Kind, Round
from councils.models import Membership, Organisation
from courtyards.models import Community, Street
from funds.models import Project
from funds.selectors import available_balance
from funds.services import project_save

PLACES = {Kind.STREET: 2, Kind.COMMUNITY: 6, Kind.GROUP: 10, Kind.REPRESENTATIVE: 15,
          Kind.WORKER: 10}  # fmt: skip
REASONS = {
    Kind.STREET: "院落自治组织覆盖率高，议事会规范运行，专项资金使用公开透明。",
    Kind.COMMUNITY: "院落自治组织全覆盖，民情代表议事会按月召开，院务公开及时。",
    Kind.GROUP: "组织居民开展环境整治和夜间巡逻，院落面貌明显改善，居民满意度高。",
    Kind.REPRESENTATIVE: "经常走访居民收集意见，提出的议题多项被议事会采纳。",
    Kind.WORKER: "长期扎根院落，指导院落议事会规范议事，协调解决居民困难。",
}


def build(demo):
    district = demo.found["district"]
    if Round.objects.filter(district=district).exists():
        return
    users = get_user_model().objects
    qu_admin = users.get(username="qu_admin")
    jiangxijie_user = users.get(username="jd_jiangxijie")
    streets = {s.name: s for s in Street.objects.filter(district=district)}
    today = timezone.localdate()
    _decided_round(district, qu_admin, streets, today)
    _open_round(district, qu_admin, jiangxijie_user, streets["浆洗街街道"], today)
    _allowances(district, today)


def _category(round_, kind):
    return round_.categories.get(kind=kind)


def _nominate(round_, kind, street, nominee=None, by=None, **extra):
    return services.nominate(
        category=_category(round_, kind),
        by=by,
        street=street,
        nominee=nominee,
        reason=REASONS[kind],
        **extra,
    )


def _organisation(community):
    return (
        Organisation.objects.filter(community=community, status=Organisation.Status.ACCEPTED)
        .order_by("pk")
        .first()
    )


def _representative(street, skip=0):
    serving = Membership.objects.current().representatives()
    membership = (
        serving.filter(body__organisation__community__street=street)
        .select_related("person")
        .order_by("person__name", "pk")[skip : skip + 1]
    )
    return membership[0].person if membership else None


def _decided_round(district, qu_admin, streets, today):
    jiangxijie, huochenanzhan = streets["浆洗街街道"], streets["火车南站街道"]
    round_ = services.round_open(
        district=district,
        by=qu_admin,
        places=PLACES,
        title=f"{today.year - 2}—{today.year - 1}年度院落自治工作表彰",
        first_year=today.year - 2,
        last_year=today.year - 1,
        nominations_until=today,
        allowances_from_fund=False,
    )
    changshouyuan = Community.objects.get(street=huochenanzhan, name="长寿苑社区")
    jinli = Community.objects.get(street=jiangxijie, name="锦里社区")
    honoured = [
        _nominate(round_, Kind.STREET, None, jiangxijie, by=qu_admin),
        _nominate(round_, Kind.COMMUNITY, huochenanzhan, changshouyuan),
        _nominate(round_, Kind.COMMUNITY, jiangxijie, jinli),
        _nominate(
            round_, Kind.WORKER, jiangxijie, worker_name="王芳", worker_unit="锦里社区居委会"
        ),  # fmt: skip
    ]
    _nominate(round_, Kind.STREET, None, huochenanzhan, by=qu_admin)
    _nominate(
        round_,
        Kind.COMMUNITY,
        huochenanzhan,
        Community.objects.get(street=huochenanzhan, name="桐梓林社区"),
    )
    for community in (changshouyuan, jinli):
        organisation = _organisation(community)
        if organisation:
            honoured.append(_nominate(round_, Kind.GROUP, community.street, organisation))
    representative = _representative(huochenanzhan)
    if representative:
        honoured.append(_nominate(round_, Kind.REPRESENTATIVE, huochenanzhan, representative))
    decided_on = datetime.date(today.year, 3, 20)
    services.round_decide(
        round_=round_,
        by=qu_admin,
        honoured=[n.pk for n in honoured],
        decision_number=f"武委发〔{today.year}〕8号",
        decided_on=min(decided_on, today),
    )
    Round.objects.filter(pk=round_.pk).update(
        nominations_until=min(datetime.date(today.year, 2, 28), today)
    )


def _open_round(district, qu_admin, by, street, today):
    round_ = services.round_open(
        district=district,
        by=qu_admin,
        places=PLACES,
        title=f"{today.year}—{today.year + 1}年度院落自治工作表彰",
        first_year=today.year,
        last_year=today.year + 1,
        nominations_until=today + datetime.timedelta(days=30),
        allowances_from_fund=True,
    )
    _nominate(
        round_, Kind.COMMUNITY, street, Community.objects.get(street=street, name="洗面桥社区"),
        by=by,
    )  # fmt: skip
    organisation = _organisation(Community.objects.get(street=street, name="锦里社区"))
    if organisation:
        _nominate(round_, Kind.GROUP, street, organisation, by=by)
    representative = _representative(street, skip=1)
    if representative:
        _nominate(round_, Kind.REPRESENTATIVE, street, representative, by=by)
    _nominate(round_, Kind.WORKER, street, by=by, worker_name="李建军",
              worker_unit="洗面桥社区居委会")  # fmt: skip


def _allowances(district, today):
    """This year's allowances to a 长寿苑社区 group's members, from an allowances project of
    the first courtyard it covers, as far as that courtyard's fund allows."""
    community = Community.objects.get(street__district=district, name="长寿苑社区")
    organisation = _organisation(community)
    if organisation is None:
        return
    coverage = organisation.coverage.filter(ended_on__isnull=True).order_by("pk").first()
    members = list(
        Membership.objects.current()
        .group_members()
        .filter(body__organisation=organisation)
        .select_related("person")
        .order_by("pk")[:3]
    )
    amount = Decimal("300.00")
    budget = amount * 2 * len(members)
    if not coverage or not members:
        return
    if available_balance(coverage.courtyard_id, today.year) < budget:
        return
    project = Project(
        courtyard=coverage.courtyard,
        community=community,
        year=today.year,
        title="自治管理小组成员补贴",
        category=Project.Category.ALLOWANCES,
        budget=budget,
        status=Project.Status.IN_PROGRESS,
        started_on=datetime.date(today.year, 1, 1),
        description="经区里决定，从专项资金中向院落自治管理小组成员发放工作补贴。",
    )
    project_save(project=project, by=None)
    for half, (period, paid_on) in enumerate(
        [("1—6月", datetime.date(today.year, 7, 5)), ("7—12月", today)]
    ):
        if paid_on > today:
            continue
        for number, membership in enumerate(members, start=1):
            services.allowance_record(
                organisation=organisation,
                person=membership.person,
                project=project,
                by=None,
                amount=amount,
                period=f"{today.year}年{period}",
                paid_on=paid_on,
                voucher_number=f"补-{half + 1}{number:02d}",
            )
