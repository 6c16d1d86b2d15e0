"""API tokens: the services that make and revoke them, their status in Python and in a
query, the ``create_api_token`` command and the admin's read-only list with its revoke
action."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role
from accounts.tokens import (
    MAX_LIFETIME_DAYS,
    TOKEN_PREFIX,
    TokenStatus,
    api_token_create,
    api_token_revoke,
    may_manage_tokens,
    token_authenticate,
    token_hash,
    token_list,
    token_status,
)
from common.errors import NotAllowedError, ValidationFailed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(role=Role.ADMINISTRATOR, is_staff=True)


# -- making and revoking ---------------------------------------------------------------------


def test_a_new_token_keeps_only_the_hash_of_its_secret(admin_user):
    user = UserFactory()
    _token, secret = api_token_create(actor=admin_user, user=user, name="city platform")
    assert secret.startswith(TOKEN_PREFIX) and len(secret) > 40
    stored = ApiToken.objects.get()
    assert stored.key_hash == token_hash(secret) and secret not in stored.key_hash
    assert stored.prefix == secret[:12]
    assert (stored.user, stored.created_by, stored.name) == (user, admin_user, "city platform")
    _other, second = api_token_create(actor=admin_user, user=user, name="city platform")
    assert second != secret


@pytest.mark.parametrize(
    ("name", "expires_in", "fields"),
    [
        ("", None, ["name"]),
        ("x" * 101, None, ["name"]),
        ("ok", timedelta(seconds=-1), ["expires_at"]),
        ("ok", timedelta(days=MAX_LIFETIME_DAYS + 1), ["expires_at"]),
        (" ", timedelta(days=-1), ["name", "expires_at"]),
    ],
)
def test_a_bad_name_or_expiry_is_refused_at_its_field(admin_user, name, expires_in, fields):
    expires = timezone.now() + expires_in if expires_in is not None else None
    with pytest.raises(ValidationFailed) as refused:
        api_token_create(actor=admin_user, user=UserFactory(), name=name, expires_at=expires)
    assert [p.field for p in refused.value.problems] == fields
    assert ApiToken.objects.count() == 0


def test_no_token_for_a_deactivated_user(admin_user):
    with pytest.raises(ValidationFailed) as refused:
        api_token_create(actor=admin_user, user=UserFactory(is_active=False), name="x")
    assert [p.field for p in refused.value.problems] == ["user"]


@pytest.mark.parametrize("role", [Role.ASSESSOR, Role.OFFICIAL])
def test_only_administrators_make_and_revoke_tokens(admin_user, role):
    someone = UserFactory(role=role)
    with pytest.raises(NotAllowedError):
        api_token_create(actor=someone, user=someone, name="mine")
    token, _secret = api_token_create(actor=admin_user, user=someone, name="theirs")
    with pytest.raises(NotAllowedError):
        api_token_revoke(actor=someone, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not may_manage_tokens(someone)
    assert may_manage_tokens(admin_user)
    assert not may_manage_tokens(UserFactory(role=Role.ADMINISTRATOR, is_active=False))


def test_revoking_twice_keeps_the_first_revocation(admin_user):
    token, secret = api_token_create(actor=None, user=UserFactory(), name="x")
    first = api_token_revoke(actor=admin_user, token=token)
    second = api_token_revoke(actor=None, token=token)
    assert second.revoked_at == first.revoked_at and second.revoked_by == admin_user
    assert token_authenticate(secret) is None


# -- status ----------------------------------------------------------------------------------


def test_the_status_in_python_and_in_a_query_agree(admin_user):
    now = timezone.now()
    user, gone = UserFactory(), UserFactory()
    made = {
        "active": api_token_create(actor=None, user=user, name="a")[0],
        "active_expiring": api_token_create(
            actor=None, user=user, name="b", expires_at=now + timedelta(days=1)
        )[0],
        "expired": api_token_create(
            actor=None, user=user, name="c", expires_at=now + timedelta(days=1)
        )[0],
        "revoked": api_token_create(actor=None, user=user, name="d")[0],
        "revoked_and_expired": api_token_create(
            actor=None, user=user, name="e", expires_at=now + timedelta(days=1)
        )[0],
        "user_gone": api_token_create(actor=None, user=gone, name="f")[0],
    }
    past = now - timedelta(minutes=1)
    ApiToken.objects.filter(pk__in=[made["expired"].pk, made["revoked_and_expired"].pk]).update(
        expires_at=past
    )
    api_token_revoke(actor=None, token=made["revoked"])
    api_token_revoke(actor=None, token=made["revoked_and_expired"])
    gone.is_active = False
    gone.save()
    expected = {
        "active": "active",
        "active_expiring": "active",
        "expired": "expired",
        "revoked": "revoked",
        "revoked_and_expired": "revoked",
        "user_gone": "revoked",
    }
    for key, token in made.items():
        token = ApiToken.objects.select_related("user").get(pk=token.pk)
        assert token_status(token) == expected[key], key
    for status in TokenStatus.values:
        listed = {t.pk for t in token_list(status=status)}
        assert listed == {made[k].pk for k, s in expected.items() if s == status}, status
    assert token_list(status="bogus").count() == len(made)


def test_the_list_searches_user_names(admin_user):
    wang = UserFactory(username="wang", first_name="伟", last_name="王")
    api_token_create(actor=None, user=wang, name="a")
    api_token_create(actor=None, user=UserFactory(username="li"), name="b")
    assert [t.name for t in token_list(search="WAN")] == ["a"]
    assert [t.name for t in token_list(search="王")] == ["a"]
    assert [t.name for t in token_list(search="li")] == ["b"]


def test_a_secret_authenticates_and_notes_its_use_once_a_minute():
    token, secret = api_token_create(actor=None, user=UserFactory(), name="x")
    assert token.last_used_at is None
    found = token_authenticate(secret)
    assert found == token and found.last_used_at is not None
    first = ApiToken.objects.get().last_used_at
    token_authenticate(secret)
    assert ApiToken.objects.get().last_used_at == first
    earlier = timezone.now() - timedelta(seconds=61)
    ApiToken.objects.update(last_used_at=earlier)
    token_authenticate(secret)
    noted = ApiToken.objects.get().last_used_at
    assert noted is not None and noted > earlier + timedelta(seconds=60)


@pytest.mark.parametrize("secret", ["", "scp_", "nope", "scp_" + "x" * 200, "Bearer scp_x"])
def test_unknown_secrets_authenticate_nobody(secret):
    api_token_create(actor=None, user=UserFactory(), name="x")
    assert token_authenticate(secret) is None


# -- the command -----------------------------------------------------------------------------


def test_the_command_prints_a_token_that_works():
    user = UserFactory(username="city-platform", role=Role.OFFICIAL)
    out = StringIO()
    call_command("create_api_token", "city-platform", "--expires-days", "30", stdout=out)
    secret = out.getvalue().strip()
    assert "\n" not in secret
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.created_by) == (user, "command line", None)
    assert token.expires_at is not None
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    answer = client.get("/api/v1/me/")
    assert answer.status_code == 200
    assert answer.json()["username"] == "city-platform"


def test_the_command_names_the_token():
    UserFactory(username="u")
    call_command("create_api_token", "u", "--name", "nightly export", stdout=StringIO())
    assert ApiToken.objects.get().name == "nightly export"
    assert ApiToken.objects.get().expires_at is None


def run_from_command_line(monkeypatch, *args: str) -> int:
    """Run the command as manage.py does (errors on stderr, an exit status)."""
    # manage.py closes the connections when a command ends; the test's transaction stays.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    command = load_command_class(get_commands()["create_api_token"], "create_api_token")
    with pytest.raises(SystemExit) as ended:
        command.run_from_argv(["manage.py", "create_api_token", *args])
    return int(ended.value.code)


@pytest.mark.parametrize(
    "args",
    [
        ("nobody",),
        ("u", "--expires-days", "abc"),
        ("u", "--expires-days", "0"),
        ("u", "--expires-days", "-5"),
        ("u", "--expires-days", "99999999999999999999"),
        ("u", "--expires-days", str(MAX_LIFETIME_DAYS + 1)),
        ("u", "--name", " "),
        ("gone",),
    ],
)
def test_the_command_fails_with_one_line(monkeypatch, capsys, args):
    UserFactory(username="u")
    UserFactory(username="gone", is_active=False)
    assert run_from_command_line(monkeypatch, *args) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("CommandError: "), captured.err
    assert ApiToken.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("create_api_token", *args, stdout=StringIO())


# -- the admin -------------------------------------------------------------------------------


@pytest.fixture
def admin_site_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_admin_lists_tokens_read_only(admin_site_client, admin_user):
    token, secret = api_token_create(actor=admin_user, user=UserFactory(username="wang"), name="p")
    changelist = reverse("admin:accounts_apitoken_changelist")
    body = admin_site_client.get(changelist).content.decode()
    assert token.prefix in body and "wang" in body
    assert secret not in body and token.key_hash not in body
    assert admin_site_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    change = admin_site_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert change.status_code == 200
    assert token.key_hash not in change.content.decode()
    assert 'name="name"' not in change.content.decode()  # shown, not editable
    posted = admin_site_client.post(
        reverse("admin:accounts_apitoken_change", args=[token.pk]), {"name": "changed"}
    )
    assert posted.status_code == 403
    token.refresh_from_db()
    assert token.name == "p"
    delete = reverse("admin:accounts_apitoken_delete", args=[token.pk])
    assert admin_site_client.get(delete).status_code == 403


def test_the_admin_filters_by_status(admin_site_client):
    api_token_create(actor=None, user=UserFactory(), name="kept")
    ended, _ = api_token_create(actor=None, user=UserFactory(), name="ended")
    api_token_revoke(actor=None, token=ended)
    changelist = reverse("admin:accounts_apitoken_changelist")
    shown = admin_site_client.get(changelist, {"status": "revoked"}).context["cl"].result_list
    assert [t.name for t in shown] == ["ended"]
    shown = admin_site_client.get(changelist, {"status": "bogus"}).context["cl"].result_list
    assert {t.name for t in shown} == {"kept", "ended"}


def test_the_admin_action_revokes_the_selected_tokens(admin_site_client, admin_user):
    chosen, _ = api_token_create(actor=None, user=UserFactory(), name="chosen")
    other, _ = api_token_create(actor=None, user=UserFactory(), name="other")
    answer = admin_site_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [chosen.pk]},
        follow=True,
    )
    assert answer.status_code == 200
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert chosen.revoked_at is not None and chosen.revoked_by == admin_user
    assert other.revoked_at is None
