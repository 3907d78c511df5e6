"""A believable district: the streets named in the bureau's report, their communities and
courtyards, and one demo login per role."""

from courtyards.models import Community, Courtyard, District, Street
from portal.roles import Role

STREETS = {
    "浆洗街街道": [
        "锦里社区",
        "洗面桥社区",
        "浆洗街社区",
        "文庙西街社区",
        "七道堰社区",
        "蜀汉路社区",
    ],
    "望江路街道": [
        "望江社区",
        "致民路社区",
        "玉林东路社区",
        "共和路社区",
        "九眼桥社区",
        "新南门社区",
        "锦江苑社区",
    ],
    "火车南站街道": ["长寿苑社区", "桐梓林社区", "倪家桥社区", "科华社区", "火车南站社区"],
    "跳伞塔街道": [
        "跳伞塔社区",
        "棕北社区",
        "玉林北路社区",
        "科华北路社区",
        "磨子桥社区",
        "电信路社区",
        "南台社区",
        "新生路社区",
    ],
    "双楠街道": ["双楠社区", "大石西路社区", "广福桥社区", "龙爪社区", "小天竺社区", "置信路社区"],
    "红牌楼街道": [
        "红牌楼社区",
        "佳灵路社区",
        "太平园社区",
        "高升桥社区",
        "果堰社区",
        "新光社区",
        "红牌楼南社区",
        "晋吉社区",
        "机投社区",
    ],
    "玉林街道": ["玉林社区", "黉门街社区", "芳草社区", "玉林西路社区", "肖家河社区"],
}

OLD_NAMES = ["{road}{n}号院", "{road}{n}号大院", "{road}老院子", "{road}{n}号楼院"]
WORK_UNITS = [
    "电力局宿舍",
    "川棉一厂宿舍",
    "省建三公司宿舍",
    "铁路局宿舍",
    "邮电宿舍",
    "粮食局宿舍",
    "机械厂宿舍",
    "卫校宿舍",
    "交通局宿舍",
    "二轻局宿舍",
    "商业局宿舍",
    "水电五局宿舍",
]
ESTATES = [
    "锦绣花园",
    "紫荆苑",
    "清水河畔",
    "南苑小区",
    "桂花园",
    "金桂苑",
    "碧云天",
    "阳光家园",
    "蓝天花园",
    "锦城佳苑",
    "翠苑",
    "望江名门",
]
PROPERTY_COMPANIES = [
    "嘉宝物业",
    "万科物业",
    "保利物业",
    "新希望物业",
    "蓝光物业",
    "本地物业服务公司",
]


def build(demo):
    rng = demo.rng
    district, _created = District.objects.get_or_create(name="武侯区", defaults={"code": "510107"})
    for s_index, (street_name, community_names) in enumerate(STREETS.items(), start=1):
        street, _created = Street.objects.get_or_create(
            district=district, name=street_name, defaults={"code": f"510107{s_index:03d}"}
        )
        road = street_name.removesuffix("街道")
        for c_index, community_name in enumerate(community_names, start=1):
            community, _created = Community.objects.get_or_create(
                street=street,
                name=community_name,
                defaults={
                    "code": f"{street.code}{c_index:03d}",
                    "address": f"{road}{rng.randint(1, 200)}号",
                },
            )
            for courtyard in _courtyards(rng, road, community):
                Courtyard.objects.get_or_create(
                    community=community, name=courtyard.pop("name"), defaults=courtyard
                )
    demo.found["district"] = district

    streets = {street.name: street for street in district.streets.all()}
    community = Community.objects.get(name="长寿苑社区", street=streets["火车南站街道"])
    demo.login("admin", last_name="系统", first_name="管理员", superuser=True)
    demo.login(
        "qu_admin", last_name="王", first_name="建国", role=Role.DISTRICT_ADMIN, unit=district
    )
    demo.login(
        "qu_staff", last_name="李", first_name="红梅", role=Role.DISTRICT_STAFF, unit=district
    )
    demo.login(
        "jd_jiangxijie",
        last_name="张",
        first_name="卫东",
        role=Role.STREET_STAFF,
        unit=streets["浆洗街街道"],
    )
    demo.login(
        "jd_wangjianglu",
        last_name="刘",
        first_name="晓燕",
        role=Role.STREET_STAFF,
        unit=streets["望江路街道"],
    )
    demo.login(
        "sq_changshouyuan",
        last_name="陈",
        first_name="秀英",
        role=Role.COMMUNITY_MEMBER,
        unit=community,
    )
    demo.login("ducha", last_name="赵", first_name="明", role=Role.INSPECTOR, unit=district)


def _courtyards(rng, road, community):
    """A few to a few dozen courtyards, mostly old compounds without property management."""
    names = set()
    for _index in range(rng.randint(4, 18)):
        roll = rng.random()
        if roll < 0.6:
            kind = Courtyard.Kind.NO_PROPERTY_MANAGEMENT
            name = rng.choice(OLD_NAMES).format(road=road, n=rng.randint(1, 120))
        elif roll < 0.8:
            kind = Courtyard.Kind.WORK_UNIT
            name = rng.choice(WORK_UNITS)
        else:
            kind = Courtyard.Kind.MANAGED_ESTATE
            name = rng.choice(ESTATES)
        if name in names:
            continue
        names.add(name)
        households = rng.randint(30, 480)
        remediation = rng.choices(
            list(Courtyard.Remediation), weights=[2, 2, 1, 5] if kind == "old" else [6, 1, 1, 2]
        )[0]
        yield {
            "name": name,
            "address": f"{road}{rng.randint(1, 300)}号",
            "kind": kind,
            "households": households,
            "residents": int(households * rng.uniform(2.2, 3.1)),
            "buildings": max(1, households // rng.randint(24, 60)),
            "property_company": rng.choice(PROPERTY_COMPANIES) if kind == "managed" else "",
            "owners_committee": f"{name}业主委员会"
            if kind == "managed" and rng.random() < 0.7
            else ("家委会" if kind == "work_unit" and rng.random() < 0.4 else ""),
            "remediation": remediation,
            "remediation_year": rng.randint(2012, 2025) if remediation == "done" else None,
        }
