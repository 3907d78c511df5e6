"""Generated special fund for the last two years: a rate per district, an allocation
computed from it for every courtyard, street contributions for half of them, projects,
expenditures within each project's budget, the courtyards' own income, and each
community's own allocation (社区本级)."""

import datetime
from decimal import Decimal

from funds.demo import COMMUNITY_ALLOCATION, PAYEES, PROJECTS, THRESHOLD
from funds.models import Allocation, Expenditure, FundRate, Income, Project

RATE = (100, Decimal("2800.00"))  # households per unit, yuan per unit
PROJECTS_PER_COURTYARD_YEAR = 1.5  # 3 projects and 15 expenditures per courtyard over 2 years
EXPENDITURES_PER_PROJECT = 5


def run(gen):
    # The steps draw from gen.rng in this order: reordering them changes what a seed gives.
    years = (gen.year - 1, gen.year)
    rates = _rates(gen.found["districts"], years)
    gen.insert(FundRate, rates.values())
    allocations, projects = _allocations_and_projects(gen, rates, years)
    _approve(gen, projects)
    gen.insert(Allocation, allocations + _community_allocations(gen.found["communities"], years))
    gen.insert(Project, projects)
    gen.insert(Expenditure, _expenditures(gen.rng, projects))
    gen.insert(Income, _income(gen.rng, gen.found["courtyards"], years))


def _rates(districts, years):
    """The rate of each district and year, by (district pk, year)."""
    return {
        (district.pk, year): FundRate(
            district=district,
            year=year,
            households_per_unit=RATE[0],
            yuan_per_unit=RATE[1],
            approval_threshold=THRESHOLD,
            note="区民政局、区财政局联合下达",
        )
        for district in districts
        for year in years
    }


def _allocations_and_projects(gen, rates, years):
    """Each courtyard's allocations and projects of each year: the district's allocation
    computed from the rate, the street's for about half, and one or two projects sharing
    the district's amount."""
    rng = gen.rng
    district_of = {street.pk: street.district_id for street in gen.found["streets"]}
    street_of = {c.pk: c.street_id for c in gen.found["communities"]}
    allocations, projects = [], []
    for courtyard in gen.found["courtyards"]:
        district = district_of[street_of[courtyard.community_id]]
        for year in years:
            rate = rates[(district, year)]
            amount = rate.entitlement(courtyard.households)
            allocations.append(
                Allocation(
                    year=year,
                    courtyard=courtyard,
                    community_id=courtyard.community_id,
                    source="district",
                    amount=amount,
                    allocated_on=datetime.date(year, 3, 15),
                    document_number=f"武民发〔{year}〕8号",
                    rate=rate,
                    households=courtyard.households,
                )
            )
            street = _street_allocation(rng, courtyard, year)
            if street is not None:
                allocations.append(street)
            projects += _projects(rng, courtyard, year, amount)
    return allocations, projects


def _community_allocations(communities, years):
    """Each community's own fund (社区本级): the district's 200,000 yuan a year paid directly
    to the community (seed 002). No projects: it keeps the generator cheap."""
    return [
        Allocation(
            year=year,
            community_id=community.pk,
            source="district",
            amount=COMMUNITY_ALLOCATION,
            allocated_on=datetime.date(year, 3, 15),
            document_number=f"武民发〔{year}〕9号",
            note="社区本级",
        )
        for community in communities
        for year in years
    ]


def _street_allocation(rng, courtyard, year):
    """The street's contribution, for about half of the courtyards (None for the others)."""
    street_amount = Decimal(rng.randrange(800, 3001, 100))
    if rng.random() >= 0.5:
        return None
    return Allocation(
        year=year,
        courtyard=courtyard,
        community_id=courtyard.community_id,
        source="street",
        amount=street_amount,
        allocated_on=datetime.date(year, 4, rng.randint(1, 28)),
        document_number=f"街财〔{year}〕{rng.randint(10, 99)}号",
        note="街道配套资金",
    )


def _projects(rng, courtyard, year, amount):
    """One or two finished projects of different categories, sharing `amount`."""
    count = 1 if rng.random() < 0.5 else 2
    categories = rng.sample(list(PROJECTS), count)
    projects = []
    for category in categories:
        budget = (amount / count).quantize(Decimal("1"))
        projects.append(
            Project(
                courtyard=courtyard,
                community_id=courtyard.community_id,
                year=year,
                title=rng.choice(PROJECTS[category]),
                category=category,
                budget=max(budget, Decimal(100)),
                status="done",
                started_on=datetime.date(year, 4, 1),
                ended_on=datetime.date(year, 11, 30),
                description="经院落民情代表议事会讨论通过。",
            )
        )
    return projects


def _expenditures(rng, projects):
    """EXPENDITURES_PER_PROJECT expenditures of each project, vouchers numbered per
    courtyard and year."""
    expenditures, vouchers = [], {}
    for project in projects:
        # Each of the project's expenditures is at most a fifth of its budget: within budget.
        share = (project.budget / EXPENDITURES_PER_PROJECT / 2).quantize(Decimal("0.01"))
        for _n in range(EXPENDITURES_PER_PROJECT):
            key = (project.courtyard_id, project.year)
            vouchers[key] = vouchers.get(key, 0) + 1
            expenditures.append(
                Expenditure(
                    project=project,
                    courtyard_id=project.courtyard_id,
                    community_id=project.community_id,
                    year=project.year,
                    spent_on=datetime.date(project.year, rng.randint(4, 11), rng.randint(1, 28)),
                    amount=share + Decimal(rng.randint(0, int(share))),
                    payee=rng.choice(PAYEES[project.category]),
                    voucher_number=f"{project.year}-{vouchers[key]:03d}",
                    description=f"{project.title}支出",
                )
            )
    return expenditures


def _income(rng, courtyards, years):
    """One income of each courtyard and year (parking, rental or fees)."""
    income = []
    for courtyard in courtyards:
        for year in years:
            kind = rng.choice(["parking", "rental", "fee"])
            income.append(
                Income(
                    courtyard=courtyard,
                    received_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    kind=kind,
                    amount=Decimal(rng.randrange(500, 20001, 50)),
                    note="季度收入",
                )
            )
    return income


def _approve(gen, projects):
    """A project above the approval threshold names an adopted, published resolution of its
    organisation taken before it started; without one its budget stays at the threshold."""
    resolutions = gen.found.get("resolutions", {})
    organisation_of = {c.courtyard_id: c.organisation_id for c in gen.found["coverage"]}
    for project in projects:
        if project.budget <= THRESHOLD:
            continue
        taken = [
            pk
            for day, pk in resolutions.get(organisation_of.get(project.courtyard.pk), [])
            if day <= project.started_on
        ]
        if taken:
            project.resolution_id = gen.rng.choice(taken)
        else:
            project.budget = THRESHOLD
