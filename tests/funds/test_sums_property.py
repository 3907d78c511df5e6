"""On any data, a report's totals equal the sum of its rows at every level, and each level's
row equals the total of the level below it (district → street → community → courtyard)."""

import datetime
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courtyards.models import Courtyard
from funds.models import Allocation, Expenditure, Income, Project, Source
from funds.selectors import FIGURES, fund_report

cents = st.integers(min_value=1, max_value=50_000_000).map(lambda c: Decimal(c) / 100)

entry = st.tuples(cents, st.booleans())  # amount, reversed
courtyard_records = st.fixed_dictionaries(
    {
        "allocations": st.lists(
            st.tuples(st.sampled_from(Source.values), cents, st.booleans()), max_size=3
        ),
        "expenditures": st.lists(entry, max_size=4),
        "income": st.lists(
            st.tuples(st.sampled_from(Income.Kind.values), cents, st.booleans()), max_size=3
        ),
        "year": st.sampled_from([2025, 2026]),
    }
)


def _record(courtyard, records, sequence):
    for source, amount, withdrawn in records["allocations"]:
        Allocation.objects.create(
            year=records["year"],
            courtyard=courtyard,
            source=source,
            amount=amount,
            allocated_on=datetime.date(records["year"], 2, 1),
            withdrawn_on=datetime.date(records["year"], 3, 1) if withdrawn else None,
            withdrawn_reason="撤回" if withdrawn else "",
        )
    if records["expenditures"]:
        project = Project.objects.create(
            courtyard=courtyard,
            year=records["year"],
            title=f"项目{next(sequence)}",
            category="repairs",
            budget=Decimal("1.00"),
        )
    for amount, reversed_ in records["expenditures"]:
        fields = {
            "project": project,
            "courtyard": courtyard,
            "year": records["year"],
            "spent_on": datetime.date(records["year"], 4, 1),
            "amount": amount,
            "payee": "某单位",
            "description": "支出",
        }
        original = Expenditure.objects.create(voucher_number=f"V{next(sequence)}", **fields)
        if reversed_:
            Expenditure.objects.create(
                voucher_number=f"V{next(sequence)}", reverses=original, **fields
            )
    for kind, amount, reversed_ in records["income"]:
        fields = {"courtyard": courtyard, "kind": kind, "amount": amount}
        original = Income.objects.create(received_on=datetime.date(records["year"], 5, 1), **fields)
        if reversed_:
            Income.objects.create(
                received_on=datetime.date(records["year"], 6, 1), reverses=original, **fields
            )


def _assert_adds_up(report):
    rows = list(report.rows)
    for figure in FIGURES:
        assert getattr(report.totals, figure) == sum(
            (getattr(row, figure) for row in rows), Decimal("0.00")
        ), figure
    assert report.totals.balance == sum((row.balance for row in rows), Decimal("0.00"))
    assert report.totals.income == sum(amount for _label, amount in report.income_by_kind)
    return {row.pk: row for row in rows}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.lists(courtyard_records, min_size=1, max_size=8), placement=st.data())
def test_totals_equal_the_sum_of_rows_at_every_level(people, geo, data, placement):
    courtyard_pool = list(Courtyard.objects.filter(community__street__district=geo.district))
    sequence = iter(range(10_000))
    with transaction.atomic():
        for records in data:
            courtyard = placement.draw(st.sampled_from(courtyard_pool))
            _record(courtyard, records, sequence)
        user = people.district_staff
        for year in (2025, 2026):
            district = fund_report(user, year)
            streets = _assert_adds_up(district)
            for street in (geo.street_a, geo.street_b):
                street_report = fund_report(user, year, street=street)
                communities = _assert_adds_up(street_report)
                for figure in FIGURES:
                    assert getattr(street_report.totals, figure) == getattr(
                        streets[street.pk], figure
                    )
                for community in street.communities.all():
                    community_report = fund_report(user, year, community=community)
                    _assert_adds_up(community_report)
                    for figure in FIGURES:
                        assert getattr(community_report.totals, figure) == getattr(
                            communities[community.pk], figure
                        )
        transaction.set_rollback(True)
