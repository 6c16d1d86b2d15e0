"""Login throttling per user and address, a log line per failure, session lifetimes,
and logging out by GET."""

from __future__ import annotations

import logging
import time

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.security import SESSION_STARTED_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"


def attempt(client, username, password, address="10.0.0.1", url="login"):
    return client.post(
        reverse(url) if url == "login" else url,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_that_user_at_that_address(client, settings, caplog):
    UserFactory(username="wang", role=Role.ASSESSOR)
    caplog.set_level(logging.WARNING, logger="portal.security")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wang", "wrong").status_code == 200
    locked = attempt(client, "wang", "wrong")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert attempt(client, "wang", PASSWORD).status_code == 429, "even the right password"
    failures = [r.getMessage() for r in caplog.records if "failed login" in r.getMessage()]
    assert len(failures) >= settings.AXES_FAILURE_LIMIT
    assert "'wang'" in failures[0] and "10.0.0.1" in failures[0]

    assert attempt(client, "wang", PASSWORD, address="10.0.0.2").status_code == 302
    UserFactory(username="li", role=Role.ASSESSOR)
    assert attempt(client, "li", PASSWORD).status_code == 302, "another user at that address"


@pytest.mark.parametrize("url", ["login", "/admin/login/"])
def test_a_user_name_of_any_length_is_refused_politely_and_recorded_cut(client, url):
    from axes.models import AccessAttempt

    answer = attempt(client, "长" * 5000, "wrong", url=url)
    assert answer.status_code == 200  # the form again, never a server error
    (recorded,) = AccessAttempt.objects.values_list("username", flat=True)
    assert recorded == "长" * 150


def test_the_admin_login_is_throttled_too(client, settings):
    UserFactory(username="boss", role=Role.ADMINISTRATOR, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "boss", "wrong", url=reverse("admin:login"))
    assert attempt(client, "boss", PASSWORD, url=reverse("admin:login")).status_code == 429


def test_a_success_resets_the_count(client, settings):
    UserFactory(username="zhao", role=Role.ASSESSOR)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "zhao", "wrong")
    assert attempt(client, "zhao", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "zhao", "wrong").status_code == 200


def test_idle_sessions_end_after_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_every_session_ends_twelve_hours_after_login(client, settings):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    UserFactory(username="liu", role=Role.ASSESSOR)
    assert attempt(client, "liu", PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.get(reverse("home")).status_code == 200, "eleven hours and a bit: still in"
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302, "signed out for good"


def test_logout_by_get_asks_to_confirm_and_post_logs_out(client):
    user = UserFactory(username="chen", role=Role.OFFICIAL, last_name="陈", first_name="静")
    client.force_login(user)
    page = client.get(reverse("logout"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "陈静" in body and 'method="post"' in body
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("logout")).status_code == 302, "signed out: to the login page"


def test_the_client_address_behind_a_proxy(rf, settings):
    from accounts.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "10.9.9.9"
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "5.6.7.8"
