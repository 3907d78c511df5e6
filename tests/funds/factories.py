import datetime
from decimal import Decimal

import factory

from funds.models import Allocation, Expenditure, FundRate, Income, Project, Source
from tests.factories import CourtyardFactory, DistrictFactory

YEAR = 2026


class FundRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundRate

    district = factory.SubFactory(DistrictFactory)
    year = YEAR
    households_per_unit = 100
    yuan_per_unit = Decimal("3000.00")
    approval_threshold = Decimal("5000.00")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    year = YEAR
    courtyard = factory.SubFactory(CourtyardFactory)
    source = Source.DISTRICT
    amount = Decimal("1000.00")
    allocated_on = datetime.date(YEAR, 3, 1)
    document_number = factory.Sequence(lambda n: f"武民发〔{YEAR}〕{n}号")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    courtyard = factory.SubFactory(CourtyardFactory)
    year = YEAR
    title = factory.Sequence(lambda n: f"院落环境整治{n}")
    category = Project.Category.SANITATION
    budget = Decimal("1000.00")
    status = Project.Status.IN_PROGRESS


class ExpenditureFactory(factory.django.DjangoModelFactory):
    """Stored directly, without the balance check: use funds.services in tests of rules."""

    class Meta:
        model = Expenditure

    project = factory.SubFactory(ProjectFactory)
    courtyard = factory.SelfAttribute("project.courtyard")
    year = factory.SelfAttribute("project.year")
    spent_on = datetime.date(YEAR, 4, 1)
    amount = Decimal("100.00")
    payee = "锦里保洁服务社"
    voucher_number = factory.Sequence(lambda n: f"记-{n:04d}")
    description = "院落保洁"


class IncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Income

    courtyard = factory.SubFactory(CourtyardFactory)
    received_on = datetime.date(YEAR, 5, 1)
    kind = Income.Kind.PARKING
    amount = Decimal("200.00")
