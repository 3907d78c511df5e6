"""The figures a return's field can be filled in from (notices/sources.py), each against a
hand-counted fixture: 锦里社区 has 锦里12号院 (120 households) and 电力局宿舍 (80); 洗面桥社区
洗面桥3号院 (60); both in 浆洗街街道, whose figure is their sum."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from councils.models import Meeting
from funds.models import Source
from notices import services
from notices.sources import SOURCES, figure, notice_year
from tests.concerns.factories import a_concern
from tests.councils.factories import body_of, organisation_for
from tests.factories import CourtyardFactory
from tests.funds.factories import AllocationFactory, ExpenditureFactory, ProjectFactory


@pytest.fixture
def notice(geo, people):
    draft = services.notice_write(
        by=people.district_staff,
        district=geo.district,
        audience="communities",
        title="年度报表",
        text="请填报。",
        reply_by=None,
    )
    return services.notice_issue(draft, by=people.district_staff)


def figures(key, geo, notice):
    return (
        figure(key, geo.community_a1, notice),
        figure(key, geo.community_a2, notice),
        figure(key, geo.street_a, notice),
    )


def test_households_and_courtyards_count_open_courtyards(geo, notice):
    closed = CourtyardFactory(community=geo.community_a1, households=999)
    closed.closed_on, closed.closed_reason = datetime.date(2024, 1, 1), "demolished"
    closed.save(update_fields=["closed_on", "closed_reason"])
    assert figures("households", geo, notice) == ("200", "60", "260")
    assert figures("courtyards", geo, notice) == ("2", "1", "3")


def test_council_meetings_count_this_years_council_meetings(geo, notice):
    organisation = organisation_for(geo.courtyard_a1)
    year = notice_year(notice)

    def meeting(kind, held_on):
        Meeting.objects.create(
            organisation=organisation,
            kind=kind,
            body=body_of(organisation, kind) if kind == "council" else None,
            held_on=held_on,
            place="议事室",
            chair="召集人",
            recorder="记录员",
        )

    meeting("council", datetime.date(year, 3, 1))
    meeting("council", datetime.date(year, 6, 1))
    meeting("council", datetime.date(year - 1, 6, 1))  # last year
    meeting("consultation", datetime.date(year, 6, 1))  # a 坝坝会, not the council
    assert figures("council_meetings", geo, notice) == ("2", "0", "2")


def test_fund_figures_are_this_years_allocated_and_spent(geo, notice):
    year = notice_year(notice)
    AllocationFactory(courtyard=geo.courtyard_a1, year=year, amount=Decimal("3600.00"))
    AllocationFactory(
        courtyard=geo.courtyard_a2, year=year, amount=Decimal("1000.50"), source=Source.STREET
    )
    AllocationFactory(courtyard=geo.courtyard_a1, year=year - 1, amount=Decimal("500.00"))
    project = ProjectFactory(courtyard=geo.courtyard_a1, year=year, budget=Decimal("3000"))
    ExpenditureFactory(
        project=project, amount=Decimal("1200.00"), spent_on=datetime.date(year, 4, 1)
    )
    assert figures("fund_allocated", geo, notice) == ("3600", "1000.5", "4600.5")
    assert figures("fund_spent", geo, notice) == ("1200", "0", "1200")


def test_concerns_received_count_this_years_concerns(geo, people, notice):
    a_concern(people.community, geo.community_a1)
    a_concern(people.community, geo.community_a1)
    old = a_concern(people.community, geo.community_a1)
    type(old).objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert figures("concerns_received", geo, notice) == ("2", "0", "2")


def test_every_source_has_a_label_and_a_definition():
    for source in SOURCES.values():
        assert str(source.label) and len(str(source.definition)) > 10
