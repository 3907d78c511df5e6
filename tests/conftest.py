"""Shared fixtures: a small district with two streets, and one persona per role.

Street A (浆洗街街道) has communities A1 and A2; street B (望江路街道) has B1. Each community
has courtyards; the community member works in A1.
"""

from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from courtyards.models import Courtyard
from portal.roles import Role
from tests.factories import (
    CommunityFactory,
    CourtyardFactory,
    DistrictFactory,
    StreetFactory,
    UserFactory,
    user_with_role,
)


@pytest.fixture(autouse=True)
def _fast_and_simple_settings(settings, tmp_path_factory):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"  # never the project's
    for cache in caches.all():  # a test's database is rolled back without raising a version
        cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class Geo:
    district: object
    street_a: object
    street_b: object
    community_a1: object
    community_a2: object
    community_b1: object
    courtyard_a1: object
    courtyard_a2: object
    courtyard_b1: object


@pytest.fixture
def migrate_to(transactional_db):
    """Migrates the test database to the given nodes (the latest ones when none are given)
    and returns the apps of that state. Afterwards the whole schema goes back to the latest
    migrations whatever the test did, so apps that depend on the nodes (concerns on councils,
    say) are not left without their columns for the tests that follow."""

    def migrate(targets=None):
        executor = MigrationExecutor(connection)
        targets = targets or executor.loader.graph.leaf_nodes()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate
    migrate()


@pytest.fixture
def geo(db):
    district = DistrictFactory(name="武侯区")
    street_a = StreetFactory(district=district, name="浆洗街街道", code="001")
    street_b = StreetFactory(district=district, name="望江路街道", code="002")
    community_a1 = CommunityFactory(street=street_a, name="锦里社区")
    community_a2 = CommunityFactory(street=street_a, name="洗面桥社区")
    community_b1 = CommunityFactory(street=street_b, name="九眼桥社区")
    courtyard_a1 = CourtyardFactory(community=community_a1, name="锦里12号院", households=120)
    CourtyardFactory(
        community=community_a1,
        name="电力局宿舍",
        kind=Courtyard.Kind.WORK_UNIT,
        households=80,
        remediation=Courtyard.Remediation.DONE,
        remediation_year=2020,
    )
    courtyard_a2 = CourtyardFactory(community=community_a2, name="洗面桥3号院", households=60)
    courtyard_b1 = CourtyardFactory(
        community=community_b1,
        name="九眼桥花园",
        households=300,
        kind=Courtyard.Kind.MANAGED_ESTATE,
        property_company="嘉宝物业",
    )
    return Geo(
        district,
        street_a,
        street_b,
        community_a1,
        community_a2,
        community_b1,
        courtyard_a1,
        courtyard_a2,
        courtyard_b1,
    )


@dataclass
class Personas:
    district_admin: object
    district_staff: object
    street_a: object
    street_b: object
    community: object
    inspector: object
    no_role: object


@pytest.fixture
def people(geo):
    return Personas(
        district_admin=user_with_role(Role.DISTRICT_ADMIN, geo.district, username="qu_admin"),
        district_staff=user_with_role(Role.DISTRICT_STAFF, geo.district, username="qu_staff"),
        street_a=user_with_role(Role.STREET_STAFF, geo.street_a, username="jd_a"),
        street_b=user_with_role(Role.STREET_STAFF, geo.street_b, username="jd_b"),
        community=user_with_role(Role.COMMUNITY_MEMBER, geo.community_a1, username="sq_a1"),
        inspector=user_with_role(Role.INSPECTOR, geo.district, username="ducha"),
        no_role=UserFactory(username="nobody"),
    )


@pytest.fixture
def login():
    """login(user) -> a test client logged in as that user."""

    def _login(user):
        client = Client()
        client.force_login(user)
        return client

    return _login
