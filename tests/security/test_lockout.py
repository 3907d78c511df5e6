"""Login lockout behind the reverse proxy (issue 16, finding 3): the client's address comes
from the trusted proxy, a lockout holds an account from one address only, and an address that
guesses at many accounts is stopped. And an over-long username is an ordinary failure
(finding 6)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.lockout import client_ip
from tests.factories import UserFactory

PROXY = "10.0.0.1"
PASSWORD = "secret-password-1"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.PROXY_COUNT = 1


def attempt(username, password, client_address, *, forwarded=None, url="login"):
    return Client().post(
        reverse(url),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded or client_address,
    )


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.7", "203.0.113.9", "192.0.2.7"),  # no proxy: the header is ignored
        (1, PROXY, "203.0.113.9", "203.0.113.9"),
        (1, PROXY, "10.9.9.9, 203.0.113.9", "203.0.113.9"),  # a forged entry on the left
        (2, PROXY, "10.9.9.9, 203.0.113.9, 172.16.0.2", "203.0.113.9"),
        (1, PROXY, "", PROXY),  # not through the proxy
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_wrong_passwords_from_elsewhere_do_not_lock_the_real_user_out():
    UserFactory(username="qu_admin")
    for _ in range(5):
        attempt("qu_admin", "wrong-password", "203.0.113.9")
    assert attempt("qu_admin", PASSWORD, "203.0.113.9").status_code == 429  # the attacker
    assert attempt("qu_admin", PASSWORD, "10.1.2.3").status_code == 302  # the real user
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


@pytest.mark.django_db
def test_a_forged_forwarded_address_locks_nobody_else_out():
    UserFactory(username="qu_admin")
    for _ in range(5):
        attempt("qu_admin", "wrong-password", None, forwarded="10.1.2.3, 203.0.113.9")
    assert attempt("qu_admin", PASSWORD, "10.1.2.3").status_code == 302


@pytest.mark.django_db
def test_an_address_guessing_at_many_accounts_is_stopped(settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 20
    names = [f"jd_{n}" for n in range(6)]
    for name in names:
        UserFactory(username=name)
    for name in names[:5]:
        for _ in range(4):  # one short of each account's own limit
            attempt(name, "wrong-password", "203.0.113.9")
    assert attempt(names[5], PASSWORD, "203.0.113.9").status_code == 429
    assert attempt(names[5], PASSWORD, "10.1.2.3").status_code == 302


@pytest.mark.django_db
def test_a_few_mistakes_from_a_shared_office_address_lock_nothing():
    for name in ("jd_a", "jd_b", "jd_c"):
        UserFactory(username=name)
        for _ in range(3):
            attempt(name, "wrong-password", "10.1.2.3")
    assert attempt("jd_c", PASSWORD, "10.1.2.3").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["login", "admin:login"])
def test_an_overlong_username_is_an_ordinary_failed_login(url):
    response = attempt("x" * 300, "wrong-password", "203.0.113.9", url=url)
    assert response.status_code == 200
    assert {len(a.username) for a in AccessAttempt.objects.all()} == {255}


def test_deploy_check_asks_for_the_proxy_count_behind_a_proxy(settings):
    from portal.checks import proxy_count_check

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PROXY_COUNT = 0
    assert [w.id for w in proxy_count_check(None)] == ["portal.W001"]
    settings.PROXY_COUNT = 1
    assert proxy_count_check(None) == []
