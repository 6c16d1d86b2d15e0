"""Every admin page opens for an administrator, on real demo objects, and stays up under
odd query parameters: list, add, change, delete confirmation and history of every model."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.tokens import api_token_create
from assessments import services
from assessments.models import Assessment
from demo.seed import seed
from scoring.services import round_rescore_start

pytestmark = pytest.mark.django_db

ODD_VALUES = ("²", "99999999999999999999999", "\x00", "x" * 5000, "-1", "")
# Models whose rows only a failed login or an action elsewhere makes.
MAY_BE_EMPTY = {"accounts.loginrecord"}


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        seed(communities=12, log=lambda line: None)
        admin_user = User.objects.get(username="admin")
        submitted = Assessment.objects.filter(status="submitted").first()
        services.item_review_set(
            actor=admin_user,
            assessment=submitted,
            item_code="L1P1.1",
            status="rejected",
            comment="证明过期",
        )
        round_rescore_start(round=submitted.round)
    api_token_create(actor=admin_user, user=admin_user, name="walk")
    Client().post(reverse("login"), {"username": "admin", "password": "wrong"})
    return admin_user


def label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def test_every_admin_page_opens_on_real_objects(client, demo):
    client.force_login(demo)
    problems: list[str] = []
    walked: set[str] = set()

    def check(url: str, expected: int, **params: str) -> None:
        response = client.get(url, params)
        if response.status_code != expected:
            problems.append(f"{url} {params or ''}: {response.status_code}, expected {expected}")

    check(reverse("admin:index"), 200)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        request = client.get(reverse(f"{name}_changelist")).wsgi_request
        check(reverse(f"{name}_changelist"), 200)
        check(reverse(f"{name}_changelist"), 200, q="L1")
        check(reverse(f"{name}_add"), 200 if model_admin.has_add_permission(request) else 403)
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is None:
            if label(model) not in MAY_BE_EMPTY:
                problems.append(f"{label(model)}: the demo data has no object to open")
            continue
        walked.add(label(model))
        check(reverse(f"{name}_change", args=[obj.pk]), 200)
        check(reverse(f"{name}_history", args=[obj.pk]), 200)
        deletable = model_admin.has_delete_permission(request, obj)
        check(reverse(f"{name}_delete", args=[obj.pk]), 200 if deletable else 403)
    assert not problems, "\n".join(problems)
    assert {"assessments.assessment", "scoring.scorecard", "assessments.itemreview"} <= walked


def test_admin_lists_stay_up_under_odd_filter_values(client, demo):
    client.force_login(demo)
    failures = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        request = client.get(url).wsgi_request
        filters = [
            spec.parameter_name if hasattr(spec, "parameter_name") else spec
            for spec in model_admin.get_list_filter(request)
        ]
        names = ["q", "p", "o", *(f"{f}__exact" if isinstance(f, str) else f for f in filters)]
        for param in names:
            for value in ODD_VALUES:
                status = client.get(url, {param: value}).status_code
                if status >= 500:
                    failures.append(f"{label(model)} {param}={value[:20]!r}: {status}")
    assert not failures, "\n".join(failures)


def test_the_city_filter_lists_the_sixteen_cities(client, demo):
    client.force_login(demo)
    response = client.get(reverse("admin:assessments_community_changelist"))
    (city_filter,) = [
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "city"
    ]
    assert len(city_filter.lookup_choices) == 16


def test_grades_and_item_details_read_as_words(client, demo):
    from scoring.models import ScoreCard

    client.force_login(demo)
    card = ScoreCard.objects.exclude(rank=None).first()
    body = client.get(reverse("admin:scoring_scorecard_change", args=[card.pk])).content.decode()
    names = {band["code"]: band["name_zh"] for band in card.framework.grade_bands}
    assert names[card.grade] in body
    assert f">{card.grade}<" not in body
    assert "L1P8.1" in body and "<table>" in body and '"status"' not in body
    changelist = client.get(reverse("admin:scoring_scorecard_changelist")).content.decode()
    assert ">needs_improvement<" not in changelist and "待提升" in changelist
    assessment = client.get(
        reverse("admin:assessments_assessment_change", args=[card.assessment_id])
    ).content.decode()
    assert '{"numerator"' not in assessment and "%" in assessment


def test_admin_list_pages_run_a_fixed_number_of_queries(
    client, demo, django_capture_on_commit_callbacks
):
    client.force_login(demo)

    def counts() -> dict[str, int]:
        found = {}
        for model in admin.site._registry:
            opts = model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            found[label(model)] = len(queries)
        return found

    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        seed(communities=30, log=lambda line: None)
    after = counts()
    grown = {name: (before[name], after[name]) for name in before if after[name] != before[name]}
    assert not grown, grown


def test_a_refused_page_explains_itself_in_chinese(client, demo):
    client.force_login(demo)
    round_ = Assessment.objects.filter(status="approved").first().round
    response = client.get(reverse("admin:assessments_round_delete", args=[round_.pk]))
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
