"""Who may call the API and how: tokens for machines (Authorization: Bearer), sessions with
CSRF for the browser, throttles per client, and ``GET /api/v1/me/`` saying who is calling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken, Role
from accounts.tokens import api_token_create, api_token_revoke
from tests.factories import UserFactory, region_chain

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def assert_refused_401(answer, code: str = "authentication_failed") -> dict:
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/json"
    assert answer["WWW-Authenticate"] == 'Bearer realm="api"'
    body = answer.json()
    assert body["code"] == code and body["message"] and body["details"] == []
    return body


@pytest.fixture
def official():
    street = region_chain("济南市", "历下区", "解放路街道")
    return UserFactory(
        username="jinan", role=Role.OFFICIAL, region=street.city, first_name="伟", last_name="王"
    )


# -- GET /api/v1/me/ -------------------------------------------------------------------------


def test_me_names_the_user_the_token_and_its_expiry(official):
    expires = timezone.now() + timedelta(days=30)
    token, secret = api_token_create(
        actor=None, user=official, name="Jinan city platform", expires_at=expires
    )
    answer = bearer(secret).get(ME)
    assert answer.status_code == 200
    body = answer.json()
    assert body == {
        "id": official.pk,
        "username": "jinan",
        "display_name": "王伟",
        "role": "official",
        "region": {"id": official.region.pk, "code": official.region.code, "name": "济南市"},
        "auth": "token",
        "token": {
            "name": "Jinan city platform",
            "prefix": token.prefix,
            "expires_at": body["token"]["expires_at"],
        },
    }
    assert body["token"]["expires_at"].startswith(timezone.localtime(expires).date().isoformat())


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.ASSESSOR, Role.OFFICIAL])
def test_every_role_reads_me_with_a_token_that_never_expires(api_client_for, role):
    user = UserFactory(role=role)
    body = api_client_for(user).get(ME).json()
    assert (body["id"], body["role"], body["region"]) == (user.pk, role, None)
    assert body["token"] == {"name": "tests", "prefix": body["token"]["prefix"], "expires_at": None}


def test_me_with_a_session_says_session(client, official):
    client.force_login(official)
    body = client.get(ME).json()
    assert body["auth"] == "session" and body["token"] is None
    assert body["username"] == "jinan" and body["region"]["code"] == official.region.code


def test_me_is_read_only(api_client_for, official):
    answer = api_client_for(official).post(ME, {}, format="json")
    assert answer.status_code == 405
    assert answer.json()["code"] == "method_not_allowed"


def test_me_costs_one_query_with_a_token(official, django_assert_num_queries):
    _token, secret = api_token_create(actor=None, user=official, name="x")
    client = bearer(secret)
    client.get(ME)  # notes the last use
    with django_assert_num_queries(1):  # the token with its user and region
        assert client.get(ME).status_code == 200


# -- tokens ----------------------------------------------------------------------------------


def test_a_valid_token_works_and_notes_its_last_use_once_a_minute(official):
    token, secret = api_token_create(actor=None, user=official, name="x")
    client = bearer(secret)
    assert client.get(ME).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)
    assert client.get(ME).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first, "not written again within the minute"
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert client.get(ME).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_an_unknown_token_is_refused():
    api_token_create(actor=None, user=UserFactory(), name="x")
    assert_refused_401(bearer("scp_" + "A" * 43).get(ME))


def test_a_revoked_token_is_refused(official):
    token, secret = api_token_create(actor=None, user=official, name="x")
    api_token_revoke(actor=None, token=token)
    assert_refused_401(bearer(secret).get(ME))


def test_an_expired_token_is_refused(official):
    token, secret = api_token_create(
        actor=None, user=official, name="x", expires_at=timezone.now() + timedelta(days=1)
    )
    assert bearer(secret).get(ME).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused_401(bearer(secret).get(ME))


def test_a_deactivated_users_token_is_refused(official):
    _token, secret = api_token_create(actor=None, user=official, name="x")
    official.is_active = False
    official.save()
    assert_refused_401(bearer(secret).get(ME))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer a b", "bearer  scp_x scp_y", "Bearer caf\xe9", "Bearer \x00"],
)
def test_a_malformed_header_is_refused(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert_refused_401(client.get(ME))


@pytest.mark.parametrize("header", ["", "Basic dXNlcjpwdw==", "Token abc"])
def test_no_bearer_token_is_asked_for_one(header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    assert_refused_401(client.get(ME), code="not_authenticated")


def test_a_bad_token_is_refused_even_beside_a_session(client, official):
    """A machine that sends a token means the token: a wrong one is never ignored."""
    client.force_login(official)
    answer = client.get(ME, HTTP_AUTHORIZATION="Bearer scp_wrong")
    assert_refused_401(answer)


# -- sessions and CSRF -----------------------------------------------------------------------


def test_a_session_reads_without_csrf(official):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(official)
    assert browser.get(ME).status_code == 200


def test_a_session_write_needs_the_csrf_token(official):
    """``/api/v1/me/`` takes no writes (405), so a 403 for a POST without the CSRF token
    shows the check comes first, and the 405 with it shows the token is accepted."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(official)
    refused = browser.post(ME, {}, content_type="application/json")
    assert refused.status_code == 403
    body = refused.json()
    assert body["code"] == "permission_denied" and "CSRF" in body["message"]
    browser.get("/")  # any page with a form sets the CSRF cookie
    csrf = browser.cookies[settings.CSRF_COOKIE_NAME].value
    answer = browser.post(ME, {}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert answer.status_code == 405


def test_a_token_write_needs_no_csrf_token(official):
    _token, secret = api_token_create(actor=None, user=official, name="x")
    machine = Client(enforce_csrf_checks=True)
    answer = machine.post(
        ME, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert answer.status_code == 405


# -- throttling ------------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    """DRF reads the rates into the class attribute when it is imported."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "token": "3/minute"}
    )


def assert_throttled(answer) -> None:
    assert answer.status_code == 429
    assert 0 < int(answer["Retry-After"]) <= 60
    body = answer.json()
    assert body["code"] == "throttled" and body["message"] and body["details"] == []


def test_anonymous_clients_are_throttled_by_address(low_rates):
    client = APIClient()
    assert [client.get("/api/v1/").status_code for _ in range(2)] == [200, 200]
    assert_throttled(client.get("/api/v1/"))
    elsewhere = APIClient(REMOTE_ADDR="10.1.2.3")
    assert elsewhere.get("/api/v1/").status_code == 200


def test_each_token_has_its_own_budget(low_rates, official):
    _a, first = api_token_create(actor=None, user=official, name="a")
    _b, second = api_token_create(actor=None, user=official, name="b")
    one, two = bearer(first), bearer(second)
    assert [one.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    assert_throttled(one.get(ME))
    assert [two.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    assert_throttled(two.get(ME))


def test_a_token_is_not_held_to_the_anonymous_budget(low_rates, official):
    _token, secret = api_token_create(actor=None, user=official, name="x")
    anonymous = APIClient()
    for _ in range(2):
        anonymous.get("/api/v1/")
    assert_throttled(anonymous.get("/api/v1/"))
    assert bearer(secret).get("/api/v1/").status_code == 200


def test_the_throttled_answer_speaks_english_when_asked(low_rates):
    client = APIClient()
    for _ in range(2):
        client.get("/api/v1/")
    answer = client.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert_throttled(answer)
    assert answer.json()["message"].startswith("Request was throttled.")
    assert "请求" in client.get("/api/v1/").json()["message"]


# -- guessing tokens -------------------------------------------------------------------------


def test_an_address_guessing_tokens_is_throttled_before_any_look_up(
    settings, official, django_assert_num_queries
):
    settings.API_TOKEN_FAILURES_PER_MINUTE = 3
    _token, secret = api_token_create(actor=None, user=official, name="real")
    for n in range(3):
        assert_refused_401(bearer(f"scp_wrong{n}").get(ME))
    with django_assert_num_queries(0):
        answer = bearer("scp_wrong-again").get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 0
    assert answer.json()["code"] == "throttled"
    # the address waits out the minute, whatever it sends
    assert bearer(secret).get(ME).status_code == 429
    other = bearer(secret).get(ME, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_good_tokens_do_not_count_as_guesses(settings, official):
    settings.API_TOKEN_FAILURES_PER_MINUTE = 2
    _token, secret = api_token_create(actor=None, user=official, name="real")
    for _ in range(5):
        assert bearer(secret).get(ME).status_code == 200
    assert_refused_401(bearer("scp_wrong").get(ME))
