"""One JSON error shape on every API path, in the request's language: domain errors mapped
in one place, unknown paths, oversized bodies, unexpected failures and refused hosts; never
an HTML page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from rest_framework import exceptions

from accounts.api.views import MeView
from accounts.models import Role
from common.api.errors import api_exception_handler, split_answer_path
from common.errors import ConflictError, NotAllowedError, Problem, ValidationFailed
from config import views as config_views
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def assert_error_shape(answer, status: int, code: str) -> dict:
    assert answer.status_code == status
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code and body["message"]
    return body


# -- language --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "message"),
    [
        ("en", "Authentication credentials were not provided."),
        ("en-US,en;q=0.9", "Authentication credentials were not provided."),
        (None, "身份认证信息未提供。"),
        ("zh-CN,zh;q=0.9", "身份认证信息未提供。"),
        ("fr-FR", "身份认证信息未提供。"),  # a language the portal does not speak
    ],
)
def test_messages_follow_accept_language_with_chinese_by_default(client, accept, message):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    body = assert_error_shape(client.get(ME, **headers), 401, "not_authenticated")
    assert body["message"] == message


def test_the_portals_own_messages_speak_english_when_asked(client):
    answer = client.get(ME, HTTP_AUTHORIZATION="Bearer scp_wrong", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error_shape(answer, 401, "authentication_failed")
    assert body["message"] == "The token is unknown, expired or revoked."
    answer = client.get(ME, HTTP_AUTHORIZATION="Bearer", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["message"] == "Send the token as: Authorization: Bearer <token>."


def test_the_language_switch_of_the_portal_wins_over_the_header(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(ME, HTTP_ACCEPT_LANGUAGE="zh-CN").json()
    assert body["message"] == "Authentication credentials were not provided."


def test_pages_stay_chinese_whatever_the_browser_asks(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="zh-hans">' in page.content.decode()


# -- unknown paths, methods, hosts -----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/no-such-thing/", "/api/v2/", "/api/", "/api/v1/me/extra/", "/api/v1/me/%00/"],
)
def test_an_unknown_api_path_is_a_json_404(client, path):
    body = assert_error_shape(client.get(path, HTTP_ACCEPT_LANGUAGE="en"), 404, "not_found")
    assert body["message"] == "Not found." and body["details"] == []


def test_an_unknown_api_path_answers_in_chinese_by_default(client):
    assert client.get("/api/v1/no-such-thing/").json()["message"] == "未找到。"


def test_an_unknown_page_outside_the_api_is_still_html(client):
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("text/html")


def test_a_method_the_endpoint_does_not_take_is_a_json_405(api_client_for):
    answer = api_client_for(UserFactory()).delete(ME, HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error_shape(answer, 405, "method_not_allowed")
    assert body["message"] == 'Method "DELETE" not allowed.'


def test_a_refused_host_is_a_json_400(client):
    answer = client.get(ME, HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error_shape(answer, 400, "bad_request")
    assert body["message"] == "The request could not be read."


def test_django_403_and_400_handlers_answer_json_on_api_paths_only(rf: RequestFactory):
    api = rf.get("/api/v1/anything/")
    page = rf.get("/anything/")
    denied = config_views.permission_denied(api, PermissionDenied())
    assert (denied.status_code, denied["Content-Type"]) == (403, "application/json")
    assert config_views.permission_denied(page, PermissionDenied())["Content-Type"].startswith(
        "text/html"
    )
    bad = config_views.bad_request(api, Exception())
    assert (bad.status_code, bad["Content-Type"]) == (400, "application/json")


# -- request size ----------------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.API_MAX_BODY_BYTES = 1024 * 1024
    return settings.API_MAX_BODY_BYTES


def test_a_body_larger_than_the_limit_is_a_json_413(api_client_for, small_limit):
    client = api_client_for(UserFactory(role=Role.ADMINISTRATOR))
    body = b'"' + b"x" * small_limit + b'"'
    answer = client.generic(
        "POST", ME, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    error = assert_error_shape(answer, 413, "too_large")
    assert error["message"] == "The request is larger than 1 MB."


def test_a_body_within_the_limit_reaches_the_endpoint(api_client_for, small_limit):
    client = api_client_for(UserFactory(role=Role.ADMINISTRATOR))
    answer = client.generic("POST", ME, b"x" * small_limit, content_type="application/json")
    assert answer.status_code == 405  # reached the view, which takes no POST


def test_a_content_length_that_is_not_a_number_is_a_json_400(client):
    answer = client.generic("POST", ME, b"{}", content_type="application/json",
                            CONTENT_LENGTH="12abc", HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    error = assert_error_shape(answer, 400, "bad_request")
    assert error["message"] == "The Content-Length header is not a number."


def test_the_limit_applies_to_the_api_only(client, small_limit):
    answer = client.post("/accounts/login/", {"username": "x" * small_limit, "password": "y"})
    assert answer.status_code != 413


# -- unexpected failures ---------------------------------------------------------------------


def test_an_unexpected_failure_is_a_json_500_on_an_api_path(monkeypatch):
    def broken(self, request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(MeView, "get", broken)
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    answer = client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    body = assert_error_shape(answer, 500, "server_error")
    assert body["message"] == "Something went wrong on the server; try again."
    assert "a bug" not in answer.content.decode()


def test_an_unexpected_failure_on_a_page_is_the_html_500_page(rf: RequestFactory):
    answer = config_views.server_error(rf.get("/"))
    assert answer.status_code == 500 and answer["Content-Type"].startswith("text/html")


# -- domain errors, mapped in one place ------------------------------------------------------


def handled(exc: Exception):
    return api_exception_handler(exc, {})


def test_a_validation_failure_is_a_400_naming_item_field_indicator_and_community():
    answer = handled(
        ValidationFailed(
            Problem("分母必须大于 0。", "L1P8.1.denominator", subject="370102001001"),
            Problem("备注太长。", "L1P8.note"),
            Problem("请选择。", "L2P1.1"),
            Problem("名称必填。", "name"),
            Problem("总体问题。"),
        )
    )
    assert answer.status_code == 400
    assert answer.data["code"] == "invalid"
    assert answer.data["details"] == [
        {
            "message": "分母必须大于 0。",
            "item": "L1P8.1",
            "field": "denominator",
            "community": "370102001001",
        },
        {"message": "备注太长。", "indicator": "L1P8"},
        {"message": "请选择。", "item": "L2P1.1"},
        {"message": "名称必填。", "field": "name"},
        {"message": "总体问题。"},
    ]


def test_one_problem_is_also_the_message():
    answer = handled(ValidationFailed.at("L1P8.1.numerator", "分子不能为负。"))
    assert answer.data["message"] == "分子不能为负。"


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotAllowedError("不可以。"), 403, "forbidden"),
        (ConflictError("已被他人修改。"), 409, "conflict"),
        (Http404(), 404, "not_found"),
        (PermissionDenied(), 403, "permission_denied"),
        (exceptions.Throttled(wait=7), 429, "throttled"),
    ],
)
def test_errors_map_to_their_statuses(error, status, code):
    answer = handled(error)
    assert answer.status_code == status
    assert answer.data["code"] == code and answer.data["message"]


def test_a_throttled_answer_says_when_to_retry():
    assert handled(exceptions.Throttled(wait=7))["Retry-After"] == "7"


def test_nested_serializer_errors_are_flattened_to_dotted_fields():
    error = exceptions.ValidationError(
        {
            "answers": {"L1P8.1": {"denominator": ["必须大于 0。"]}},
            "items": [{}, {"code": ["未知。"]}],
            "non_field_errors": ["整体不对。"],
        }
    )
    answer = handled(error)
    assert answer.status_code == 400 and answer.data["code"] == "invalid"
    fields = [(d.get("field"), d["message"]) for d in answer.data["details"]]
    assert fields == [
        ("answers.L1P8.1.denominator", "必须大于 0。"),
        ("items.1.code", "未知。"),
        (None, "整体不对。"),
    ]


def test_an_exception_the_handler_does_not_know_is_left_to_django():
    assert handled(RuntimeError("a bug")) is None


@pytest.mark.parametrize(
    ("path", "split"),
    [
        ("L1P8.1.denominator", ("L1P8.1", "denominator")),
        ("L1P8.note", ("L1P8", "note")),
        ("L1P8.1", ("L1P8.1", None)),
        ("L3P1.1.na", ("L3P1.1", "na")),
        ("L1P7.2.not_applicable", ("L1P7.2", "not_applicable")),
    ],
)
def test_answer_paths_split_into_item_and_field(path, split):
    assert split_answer_path(path) == split
