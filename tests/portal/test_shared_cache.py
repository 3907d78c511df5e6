"""With Redis, as in production (REDIS_URL), every worker on every host reads the same kept
figures and the same versions of what changed: a save served by one host is counted by the
next request on another, with no stale window.

These tests need a Redis server (`redis-server`, Debian package redis-server); `.ci/run`
starts one. Elsewhere they are skipped when none answers."""

import os
import uuid
from contextlib import contextmanager

import pytest
from django.core.cache import CacheHandler, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import scope_cache
from tests.factories import CourtyardFactory

REDIS_URL = os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_caches(settings):
    """The portal's three caches on Redis, under a prefix of this test's own (the SQLite and
    PostgreSQL runs share one server in CI)."""
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.ConnectionError:
        if os.getenv("CI"):
            pytest.fail(f"CI needs a Redis server at {REDIS_URL}")
        pytest.skip(f"no Redis server at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}-{name}",
        }
        for name in ("default", "figures", "pages")
    }
    yield
    for key in server.scan_iter(f"{prefix}-*"):
        server.delete(key)


@contextmanager
def on_host(handler):
    """Serve as another application host would: its own cache connections, nothing of this
    process's but the shared server."""
    own = scope_cache.caches
    scope_cache.caches = handler
    try:
        yield
    finally:
        scope_cache.caches = own


def _dashboard(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboard")).content.decode()
    return page, len(queries)


def test_figures_counted_on_one_host_serve_the_other(redis_caches, people, login):
    host_b = CacheHandler()
    _page, computing = _dashboard(login(people.street_a))
    with on_host(host_b):
        _page, served = _dashboard(login(people.street_a))
    assert served < computing


def test_a_save_on_one_host_is_counted_at_once_on_the_other(redis_caches, people, geo, login):
    host_b = CacheHandler()
    colleague = login(people.community)
    with on_host(host_b):
        before, _queries = _dashboard(colleague)
        _dashboard(colleague)  # kept on host B's side too
    assert "锦里新院" not in before
    CourtyardFactory(community=geo.community_a1, name="锦里新院")  # saved through host A
    with on_host(host_b):
        after, _queries = _dashboard(colleague)
    assert "锦里新院" in after


def test_the_versions_are_raised_in_redis_not_on_a_host(redis_caches, geo):
    key = f"version:figures:street:{geo.street_a.pk}"  # 锦里社区's street
    before = caches["figures"].get(key)
    CourtyardFactory(community=geo.community_a1)
    assert caches["figures"].get(key) > (before or 0)


def test_deploy_check_asks_for_a_shared_cache_while_figures_are_kept(settings):
    from portal.checks import shared_cache_check

    settings.REDIS_URL = ""
    assert [w.id for w in shared_cache_check(None)] == ["portal.W002"]
    settings.FIGURES_CACHE_SECONDS = 0
    assert shared_cache_check(None) == []
    settings.FIGURES_CACHE_SECONDS = 300
    settings.REDIS_URL = REDIS_URL
    assert shared_cache_check(None) == []
