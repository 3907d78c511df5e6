import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory


def attempt(client, password):
    return client.post(
        reverse("login"), {"username": "jd_test", "password": password}, REMOTE_ADDR="10.0.0.8"
    )


@pytest.fixture
def account(db):
    return UserFactory(username="jd_test")


def test_a_wrong_password_is_answered_in_chinese(account):
    response = attempt(Client(), "wrong-password")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_out_even_with_the_right_one(account):
    client = Client()
    for _ in range(5):
        attempt(client, "wrong-password")
    response = attempt(client, "secret-password-1")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "30" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_earlier_failures(account):
    client = Client()
    for _ in range(3):
        attempt(client, "wrong-password")
    assert attempt(client, "secret-password-1").status_code == 302
    assert not AccessAttempt.objects.filter(username="jd_test").exists()


def test_a_refusal_is_logged_with_who_and_what(people, login, caplog):
    with caplog.at_level("INFO", logger="portal.security"):
        response = login(people.street_a).get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert "user=jd_a path=/admin/auth/user/" in caplog.text
