"""Generated districts, streets, communities and courtyards, and the benchmark's logins."""

from courtyards.demo import ESTATES, PROPERTY_COMPANIES, WORK_UNITS
from courtyards.models import Community, Courtyard, District, Street
from portal.generate import (
    BENCH_COMMUNITY,
    BENCH_DISTRICT_ADMIN,
    BENCH_STREET,
    BENCH_SUPERUSER,
)
from portal.roles import Role

DISTRICT_NAMES = "武侯锦江青羊金牛成华龙泉青白新都温江双流郫都新津都江简阳彭州"
ROADS = "东南西北中新老红青金玉锦蜀华光明桂林文武和平安康"


def run(gen):
    scale, rng = gen.scale, gen.rng
    districts = gen.insert(
        District,
        (
            District(name=f"{DISTRICT_NAMES[2 * i : 2 * i + 2]}区", code=f"5101{i + 1:02d}")
            for i in range(scale.districts)
        ),
    )
    streets = []
    for district in districts:
        for s in range(scale.streets_per_district):
            streets.append(
                Street(
                    district=district,
                    name=f"{district.name[:2]}{_road(rng, s)}{s + 1}街道",
                    code=f"{district.code}{s + 1:03d}",
                )
            )
    gen.insert(Street, streets)
    communities = []
    for district in districts:
        own = [street for street in streets if street.district_id == district.pk]
        for c in range(scale.communities_per_district):
            street = own[c % len(own)]
            communities.append(
                Community(
                    street=street,
                    name=f"{street.name.removesuffix('街道')}第{c + 1}社区",
                    code=f"{street.code}{c + 1:03d}",
                    address=f"{street.name}{rng.randint(1, 200)}号",
                )
            )
    gen.insert(Community, communities)
    courtyards = []
    for community in communities:
        for n in range(scale.courtyards_per_community):
            courtyards.append(_courtyard(rng, community, n))
    gen.insert(Courtyard, courtyards)
    gen.found.update(
        districts=districts, streets=streets, communities=communities, courtyards=courtyards
    )
    gen.found["staff"] = {
        district.pk: gen.user(
            f"qu_{district.code}", role=Role.DISTRICT_STAFF, unit=district, name="区工作人员"
        )
        for district in districts
    }
    gen.user(BENCH_SUPERUSER, superuser=True, name="市管理员")
    gen.user(BENCH_DISTRICT_ADMIN, role=Role.DISTRICT_ADMIN, unit=districts[0], name="区管理员")
    gen.user(BENCH_STREET, role=Role.STREET_STAFF, unit=streets[0], name="街道工作人员")
    gen.user(
        BENCH_COMMUNITY, role=Role.COMMUNITY_MEMBER, unit=communities[0], name="社区居委会成员"
    )


def _road(rng, index):
    return ROADS[index % len(ROADS)] + ROADS[(index * 7 + 3) % len(ROADS)]


def _courtyard(rng, community, n):
    roll = rng.random()
    road = community.name[2:4]
    if roll < 0.6:
        kind, name = Courtyard.Kind.NO_PROPERTY_MANAGEMENT, f"{road}{n + 1}号院"
    elif roll < 0.8:
        kind, name = Courtyard.Kind.WORK_UNIT, f"{rng.choice(WORK_UNITS)}{n + 1}号院"
    else:
        kind, name = Courtyard.Kind.MANAGED_ESTATE, f"{rng.choice(ESTATES)}{n + 1}期"
    households = rng.randint(30, 480)
    remediation = rng.choices(
        list(Courtyard.Remediation), weights=[2, 2, 1, 5] if kind == "old" else [6, 1, 1, 2]
    )[0]
    return Courtyard(
        community=community,
        name=name,
        address=f"{road}路{rng.randint(1, 300)}号",
        kind=kind,
        households=households,
        residents=int(households * rng.uniform(2.2, 3.1)),
        buildings=max(1, households // rng.randint(24, 60)),
        property_company=rng.choice(PROPERTY_COMPANIES) if kind == "managed" else "",
        owners_committee=f"{name}业主委员会" if kind == "managed" else "",
        remediation=remediation,
        remediation_year=rng.randint(2012, 2025) if remediation == "done" else None,
    )
