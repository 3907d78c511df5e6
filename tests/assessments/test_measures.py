"""Every measure against a small world counted by hand (the counts are in the comments):
communities A1 (锦里社区) and A2 (洗面桥社区) of street A, B1 (九眼桥社区) of street B, for 2025
(report date 31 December 2025)."""

from decimal import Decimal

import pytest

from assessments.measures import BY_KEY, MEASURES, organisations_counted
from tests.assessments.builders import YEAR, concern, day, rectification, training, visit_of
from tests.funds.factories import AllocationFactory, ExpenditureFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def compute(key, level, ids, year=YEAR):
    return BY_KEY[key].compute(level, ids, year)


def test_organisations_counted_are_those_established_and_not_dissolved(world, geo):
    counted = organisations_counted(
        "communities", [geo.community_a1.pk, geo.community_a2.pk, geo.community_b1.pk], YEAR
    )
    assert counted == {geo.community_a1.pk: 2, geo.community_a2.pk: 1, geo.community_b1.pk: 0}


def test_meetings_per_organisation(world, geo):
    # A1: 3 (org1 in 2025) + 1 (org2) + 1 (org3, dissolved later) = 5 meetings / 2 = 2.50;
    # A2: 2 / 1; B1: no organisation, no value. Street A: 7 / 3; organisation org1: 3.
    values = compute("meetings", "communities", [geo.community_a1.pk, geo.community_a2.pk,
                                                 geo.community_b1.pk])  # fmt: skip
    assert values == {
        geo.community_a1.pk: (Decimal("2.50"), 2),
        geo.community_a2.pk: (Decimal("2.00"), 1),
        geo.community_b1.pk: (None, 0),
    }
    assert compute("meetings", "streets", [geo.street_a.pk]) == {
        geo.street_a.pk: (Decimal("2.33"), 3)
    }
    organisations = compute("meetings", "organisations", [world["org1"].pk, world["org2"].pk])
    assert organisations == {
        world["org1"].pk: (Decimal("3.00"), 1),
        world["org2"].pk: (Decimal("1.00"), 1),
    }


def test_decisions_published_on_time(world, geo):
    # A1: decided 2 + 1 + 1 (org2) + 1 (org3) = 5, on time 2 + 1 = 3: 60%. A2: 1 of 1.
    values = compute(
        "decisions_on_time", "communities", [geo.community_a1.pk, geo.community_a2.pk,
                                             geo.community_b1.pk],
    )  # fmt: skip
    assert values == {
        geo.community_a1.pk: (Decimal("60.00"), 5),
        geo.community_a2.pk: (Decimal("100.00"), 1),
        geo.community_b1.pk: (None, 0),
    }
    assert compute("decisions_on_time", "streets", [geo.street_a.pk]) == {
        geo.street_a.pk: (Decimal("66.67"), 6)
    }
    assert compute("decisions_on_time", "organisations", [world["org1"].pk, world["org2"].pk]) == {
        world["org1"].pk: (Decimal("66.67"), 3),
        world["org2"].pk: (Decimal("0.00"), 1),
    }


def test_rectifications_done_by_their_deadline(geo, people):
    staff = people.district_staff
    visit = visit_of(geo.district, geo.courtyard_a1, staff)
    a1, a2 = geo.community_a1, geo.community_a2
    rectification(visit, a1, day(3, 1), status="verified", done_on=day(2, 20), by=staff)  # on time
    rectification(visit, a1, day(4, 1), status="done", done_on=day(4, 5), by=staff)  # late
    rectification(visit, a1, day(5, 1), by=staff)  # open past its deadline
    # reported done in time, then sent back: not done now
    rectification(visit, a1, day(6, 1), status="in_progress", done_on=day(5, 20), by=staff)
    rectification(visit, a1, day(2, 1, YEAR + 1), by=staff)  # due next year: left out
    rectification(visit, a2, day(7, 1), status="verified", done_on=day(7, 1), by=staff)
    ids = [a1.pk, a2.pk, geo.community_b1.pk]
    assert compute("rectifications_on_time", "communities", ids) == {
        a1.pk: (Decimal("25.00"), 4),
        a2.pk: (Decimal("100.00"), 1),
        geo.community_b1.pk: (None, 0),
    }
    assert compute("rectifications_on_time", "streets", [geo.street_a.pk]) == {
        geo.street_a.pk: (Decimal("40.00"), 5)
    }


def test_fund_execution_rate(geo):
    a1 = geo.community_a1
    AllocationFactory(courtyard=geo.courtyard_a1, year=YEAR, amount=Decimal("1000.00"))
    AllocationFactory(courtyard=None, community=a1, source="street", year=YEAR,
                      amount=Decimal("500.00"))  # fmt: skip
    AllocationFactory(courtyard=geo.courtyard_a1, year=YEAR, amount=Decimal("300.00"),
                      withdrawn_on=day(5, 1), withdrawn_reason="重复拨付")  # fmt: skip
    AllocationFactory(courtyard=geo.courtyard_a1, year=YEAR + 1, amount=Decimal("999.00"))
    project = ProjectFactory(courtyard=geo.courtyard_a1, year=YEAR)
    ExpenditureFactory(project=project, amount=Decimal("600.00"), spent_on=day(4, 1))
    ExpenditureFactory(project=project, amount=Decimal("150.00"), spent_on=day(5, 1))
    wrong = ExpenditureFactory(project=project, amount=Decimal("100.00"), spent_on=day(6, 1))
    ExpenditureFactory(project=project, amount=Decimal("100.00"), reverses=wrong,
                       spent_on=day(6, 2))  # fmt: skip
    # A1: spent 600 + 150 + 100 − 100 = 750 of 1,000 + 500 allocated (2 allocations): 50%.
    ids = [a1.pk, geo.community_a2.pk]
    assert compute("fund_execution", "communities", ids) == {
        a1.pk: (Decimal("50.00"), 2),
        geo.community_a2.pk: (None, 0),
    }
    assert compute("fund_execution", "streets", [geo.street_a.pk, geo.street_b.pk]) == {
        geo.street_a.pk: (Decimal("50.00"), 2),
        geo.street_b.pk: (None, 0),
    }


def test_concerns_answered_on_time(geo, people):
    a1, a2, by = geo.community_a1, geo.community_a2, people.community
    concern(by, a1, day(3, 1), due=day(3, 3), answered=day(3, 2))  # on time
    concern(by, a1, day(3, 5), due=day(3, 6), answered=day(3, 9))  # late
    concern(by, a1, day(12, 20), due=day(12, 22))  # not answered, past due: late
    concern(by, a1, day(12, 31), due=day(1, 2, YEAR + 1))  # still within its deadline
    concern(by, a1, day(6, 1, YEAR - 1), due=day(6, 2, YEAR - 1))  # received in 2024
    concern(by, a2, day(6, 1), due=day(6, 2), answered=day(6, 2))  # on time
    ids = [a1.pk, a2.pk, geo.community_b1.pk]
    assert compute("concerns_on_time", "communities", ids) == {
        a1.pk: (Decimal("33.33"), 3),
        a2.pk: (Decimal("100.00"), 1),
        geo.community_b1.pk: (None, 0),
    }
    assert compute("concerns_on_time", "streets", [geo.street_a.pk]) == {
        geo.street_a.pk: (Decimal("50.00"), 4)
    }


def test_training_attendance_per_organisation(world, geo):
    training(day(4, 1), [geo.courtyard_a1, geo.courtyard_a1, geo.courtyard_a2, geo.courtyard_b1],
             street=geo.street_a)  # fmt: skip
    training(day(4, 1, YEAR - 1), [geo.courtyard_a1], district=geo.district)  # 2024
    ids = [geo.community_a1.pk, geo.community_a2.pk, geo.community_b1.pk]
    # A1: 2 attendances / 2 organisations; A2: 1 / 1; B1: 1 attendance, no organisation.
    assert compute("training", "communities", ids) == {
        geo.community_a1.pk: (Decimal("1.00"), 2),
        geo.community_a2.pk: (Decimal("1.00"), 1),
        geo.community_b1.pk: (None, 0),
    }
    assert compute("training", "streets", [geo.street_a.pk, geo.street_b.pk]) == {
        geo.street_a.pk: (Decimal("1.00"), 3),
        geo.street_b.pk: (None, 0),
    }


def test_every_measure_has_a_definition_and_the_levels_it_serves():
    for measure in MEASURES:
        assert str(measure.definition) and str(measure.label) and measure.levels
