"""The portal's API token pages: administrators list, create and revoke tokens; everyone
else is refused (403), anonymous visitors are sent to the login page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, Role
from accounts.tokens import api_token_create, api_token_revoke, token_authenticate
from tests.factories import UserFactory, region_chain

pytestmark = pytest.mark.django_db

LIST = reverse("tokens:list")
NEW = reverse("tokens:new")


@pytest.fixture
def admin_user():
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True, first_name="明", last_name="李")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def revoke_url(token: ApiToken) -> str:
    return reverse("tokens:revoke", args=[token.pk])


def others() -> dict[str, object]:
    street = region_chain("济南市", "历下区", "解放路街道")
    return {
        "assessor": UserFactory(role=Role.ASSESSOR),
        "official_province": UserFactory(role=Role.OFFICIAL),
        "official_city": UserFactory(role=Role.OFFICIAL, region=street.city),
        "deactivated_administrator": UserFactory(role=Role.ADMINISTRATOR, is_active=False),
    }


# -- who may open the pages ------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, admin_user):
    token, _secret = api_token_create(actor=None, user=admin_user, name="x")
    for url in (LIST, NEW, revoke_url(token)):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("login"))
    assert client.post(revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_only_administrators_open_the_token_pages(client, admin_user):
    token, _secret = api_token_create(actor=None, user=admin_user, name="x")
    for role, user in others().items():
        client.force_login(user)
        for url in (LIST, NEW, revoke_url(token)):
            status = client.get(url).status_code
            # a deactivated user's session is no session at all
            wanted = 302 if role == "deactivated_administrator" else 403
            assert status == wanted, (role, url)
        answer = client.post(NEW, {"user": user.pk, "name": "mine", "expires_at": ""})
        assert answer.status_code in (302, 403)
        assert client.post(revoke_url(token)).status_code in (302, 403)
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_menu_links_to_the_tokens_for_administrators_only(client, admin_client):
    assert f'href="{LIST}"' in admin_client.get(reverse("home")).content.decode()
    client.force_login(others()["official_province"])
    assert f'href="{LIST}"' not in client.get(reverse("home")).content.decode()


# -- the list --------------------------------------------------------------------------------


@pytest.fixture
def mixed(admin_user):
    """One token of each status, for users 王 and 张."""
    wang = UserFactory(username="wang", first_name="伟", last_name="王", role=Role.OFFICIAL)
    zhang = UserFactory(username="zhang", role=Role.ASSESSOR)
    gone = UserFactory(username="gone", role=Role.ASSESSOR)
    active, _ = api_token_create(actor=admin_user, user=wang, name="济南市平台")
    expiring, _ = api_token_create(
        actor=None, user=zhang, name="old", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    revoked, _ = api_token_create(actor=admin_user, user=zhang, name="leaked")
    api_token_revoke(actor=admin_user, token=revoked)
    orphan, _ = api_token_create(actor=admin_user, user=gone, name="left")
    gone.is_active = False
    gone.save()
    return {"active": active, "expired": expiring, "revoked": revoked, "orphan": orphan}


def names(answer) -> list[str]:
    return [token.name for token, _status in answer.context["rows"]]


def test_the_list_shows_every_token_with_its_status(admin_client, admin_user, mixed):
    answer = admin_client.get(LIST)
    assert answer.status_code == 200
    assert names(answer) == ["left", "leaked", "old", "济南市平台"]
    statuses = {token.name: str(status) for token, status in answer.context["rows"]}
    assert statuses == {
        "left": "revoked",
        "leaked": "revoked",
        "old": "expired",
        "济南市平台": "active",
    }
    body = answer.content.decode()
    assert f"<code>{mixed['active'].prefix}…</code>" in body
    assert "王伟" in body and "李明" in body  # the user, and who made the token
    assert "命令行" in body or "command line" in body  # made with create_api_token
    # only the active token has a revoke link
    assert re.findall(r'href="/accounts/tokens/(\d+)/revoke/"', body) == [str(mixed["active"].pk)]
    assert 'class="grid phone-cards tokens"' in body


@pytest.mark.parametrize(
    ("status", "expected"),
    [("active", ["济南市平台"]), ("expired", ["old"]), ("revoked", ["left", "leaked"])],
)
def test_the_list_filters_by_status(admin_client, mixed, status, expected):
    assert names(admin_client.get(LIST, {"status": status})) == expected


def test_the_list_searches_by_user(admin_client, mixed):
    assert names(admin_client.get(LIST, {"q": "wan"})) == ["济南市平台"]
    assert names(admin_client.get(LIST, {"q": "王"})) == ["济南市平台"]
    assert names(admin_client.get(LIST, {"q": "zhang", "status": "revoked"})) == ["leaked"]
    empty = admin_client.get(LIST, {"q": "nobody"})
    assert names(empty) == []
    assert "没有符合" in empty.content.decode() or "No token matches" in empty.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"status": "bogus"}, {"status": "\x00"}, {"q": "x" * 5000}, {"page": "²"}, {"page": "999"}],
)
def test_odd_filter_values_never_break_the_list(admin_client, mixed, params):
    assert admin_client.get(LIST, params).status_code == 200


def test_the_list_is_paginated_and_keeps_its_filters(admin_client, admin_user):
    from accounts.tokens_views import PAGE_SIZE

    for n in range(PAGE_SIZE + 3):
        api_token_create(actor=None, user=admin_user, name=f"t{n}")
    first = admin_client.get(LIST, {"status": "active"})
    assert len(first.context["rows"]) == PAGE_SIZE
    assert "status=active&amp;page=2" in first.content.decode()
    second = admin_client.get(LIST, {"status": "active", "page": "2"})
    assert names(second) == ["t2", "t1", "t0"]


def test_the_list_costs_the_same_queries_for_5_or_30_tokens(
    admin_client, admin_user, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(LIST).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for _ in range(n):
            user = UserFactory(role=Role.OFFICIAL)
            token, _secret = api_token_create(actor=admin_user, user=user, name="t")
            api_token_revoke(actor=admin_user, token=token)

    add(5)
    five = count()
    add(25)
    with django_assert_num_queries(five):
        admin_client.get(LIST)


# -- creating --------------------------------------------------------------------------------


def test_the_form_offers_active_users_only(admin_client):
    active = UserFactory(username="active-one")
    gone = UserFactory(username="gone-one", is_active=False)
    body = admin_client.get(NEW).content.decode()
    assert f'value="{active.pk}"' in body and f'value="{gone.pk}"' not in body
    for days in ("", "30", "90", "365"):
        assert f'<option value="{days}"' in body


def test_creating_a_token_shows_its_secret_once(admin_client, admin_user):
    wang = UserFactory(username="wang", role=Role.OFFICIAL)
    answer = admin_client.post(NEW, {"user": wang.pk, "name": "  济南市平台 ", "expires_at": "90"})
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.created_by) == (wang, "济南市平台", admin_user)
    assert token.expires_at is not None
    lifetime = token.expires_at - timezone.now()
    assert timedelta(days=89, hours=23) < lifetime <= timedelta(days=90)
    secret = answer.context["secret"]
    assert token_authenticate(secret) == token
    body = answer.content.decode()
    assert body.count(secret) == 3  # the field and the two example calls
    assert f'curl -H "Authorization: Bearer {secret}" {settings.SITE_URL}/api/v1/' in body
    assert "不会再次显示" in body or "will not be shown again" in body
    assert 'src="/static/js/token-copy.js"' in body
    assert "<script>" not in body  # no inline script: works under a strict CSP
    assert "data-copy=" in body and " hidden>" in body  # the button appears with scripts only
    # the list never shows the secret again
    assert secret not in admin_client.get(LIST).content.decode()


def test_a_token_that_never_expires(admin_client):
    user = UserFactory()
    answer = admin_client.post(NEW, {"user": user.pk, "name": "nightly export", "expires_at": ""})
    assert answer.status_code == 200
    assert ApiToken.objects.get().expires_at is None


def test_refusals_show_at_their_fields_in_chinese(admin_client):
    user = UserFactory()
    answer = admin_client.post(NEW, {"user": user.pk, "name": "   ", "expires_at": "90"})
    assert answer.status_code == 200
    form = answer.context["form"]
    assert list(form.errors) == ["name"]
    assert ApiToken.objects.count() == 0
    assert 'id="id_name-errors"' in answer.content.decode()


def test_refusals_show_in_english_for_an_english_user(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user = UserFactory()
    answer = admin_client.post(NEW, {"user": user.pk, "name": "x" * 101, "expires_at": "30"})
    assert answer.context["form"].errors["name"] == ["A name has at most 100 characters."]
    answer = admin_client.post(NEW, {"user": user.pk, "name": "", "expires_at": "30"})
    assert answer.context["form"].errors["name"] == [
        "Give the token a name, e.g. the system that uses it."
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"user": "", "name": "a", "expires_at": ""},
        {"user": "99999999999999999999", "name": "a", "expires_at": ""},
        {"user": "²", "name": "a", "expires_at": ""},
        {"user": "USER", "name": "a", "expires_at": "7"},
        {"user": "GONE", "name": "a", "expires_at": ""},
    ],
)
def test_bad_choices_are_field_errors_not_tokens(admin_client, data):
    user = UserFactory()
    gone = UserFactory(is_active=False)
    data = {k: {"USER": str(user.pk), "GONE": str(gone.pk)}.get(v, v) for k, v in data.items()}
    answer = admin_client.post(NEW, data)
    assert answer.status_code == 200
    assert answer.context["form"].errors
    assert ApiToken.objects.count() == 0


# -- revoking --------------------------------------------------------------------------------


def test_revoking_asks_first_then_revokes(admin_client, admin_user):
    token, secret = api_token_create(actor=None, user=UserFactory(), name="leaked")
    page = admin_client.get(revoke_url(token))
    assert page.status_code == 200
    assert f'action="{revoke_url(token)}"' in page.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None, "a GET changes nothing"
    answer = admin_client.post(revoke_url(token), follow=True)
    assert answer.redirect_chain == [(LIST, 302)]
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin_user
    assert token_authenticate(secret) is None
    assert "leaked" in answer.content.decode()  # the message names the token


def test_revoking_a_revoked_token_changes_nothing(admin_client, admin_user):
    token, _secret = api_token_create(actor=None, user=UserFactory(), name="x")
    first = api_token_revoke(actor=None, token=token)
    page = admin_client.get(revoke_url(token))
    assert page.status_code == 200
    assert f'action="{revoke_url(token)}"' not in page.content.decode()
    admin_client.post(revoke_url(token))
    token.refresh_from_db()
    assert token.revoked_at == first.revoked_at and token.revoked_by is None


@pytest.mark.parametrize("pk", ["99999", "99999999999999999999"])
def test_revoking_an_unknown_token_is_a_404(admin_client, pk):
    assert admin_client.get(f"/accounts/tokens/{pk}/revoke/").status_code == 404
    assert admin_client.post(f"/accounts/tokens/{pk}/revoke/").status_code == 404
