import factory
from django.contrib.auth import get_user_model

from courtyards.models import Community, Courtyard, District, Street
from portal.services import assign_role


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["name"]

    name = "武侯区"


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"第{n}街道")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"第{n}社区")


class CourtyardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Courtyard

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"{n}号院")
    kind = Courtyard.Kind.NO_PROPERTY_MANAGEMENT
    households = 100
    residents = 260
    buildings = 3


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-password-1")


def user_with_role(role, unit, **kwargs):
    user = UserFactory(**kwargs)
    assign_role(user=user, role=role, unit=unit)
    return user
