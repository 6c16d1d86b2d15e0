"""The admin site works for administrators: every list page with search and filters, and
the framework's detail pages with their inlines."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory, make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_every_list_page_answers_with_a_search(admin_client, framework, model):
    make_assessment(framework)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "L1"}).status_code == 200


def test_indicator_page_shows_its_items_inline(admin_client, framework):
    indicator = framework.indicators.get(code="L1P8")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    body = admin_client.get(url).content.decode()
    assert "L1P8.1" in body and "L1P8.2" in body


def test_framework_cannot_be_edited_in_the_admin(admin_client, framework):
    url = reverse("admin:indicators_framework_change", args=[framework.pk])
    response = admin_client.post(url, {"title_zh": "改"})
    assert response.status_code == 403
    framework.refresh_from_db()
    assert framework.title_zh != "改"


def test_assessors_cannot_enter_the_admin(client):
    client.force_login(UserFactory(role=Role.ASSESSOR))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_admin_forms_report_constraint_violations_as_field_errors(admin_client, framework):
    from assessments.models import Community
    from tests.factories import make_community

    community = make_community()
    url = reverse("admin:assessments_community_change", args=[community.pk])
    response = admin_client.post(
        url,
        {
            "name": community.name,
            "region": community.region_id,
            "households": 500,
            "residents": 10,
            "area_type": "urban",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Community.objects.get(pk=community.pk).residents == 250


def test_admin_refuses_a_region_for_a_non_official(admin_client):
    from tests.factories import region_chain

    user = UserFactory(role=Role.ASSESSOR)
    street = region_chain()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = admin_client.post(
        url,
        {
            "username": user.username,
            "role": "assessor",
            "region": street.pk,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.region is None


def test_a_region_added_in_the_admin_gets_its_path_and_links(admin_client):
    from assessments.models import Region
    from tests.factories import region_chain

    district = region_chain().parent
    url = reverse("admin:assessments_region_add")
    response = admin_client.post(
        url, {"code": "999999001", "name_zh": "新街道", "level": "street", "parent": district.pk}
    )
    assert response.status_code == 302
    street = Region.objects.get(code="999999001")
    assert street.path == f"{district.path}999999001/"
    assert (street.city, street.district) == (district.city, district)

    wrong = admin_client.post(
        url, {"code": "999999002", "name_zh": "错", "level": "city", "parent": district.pk}
    )
    assert wrong.status_code == 200 and wrong.context["adminform"].form.errors
    assert not Region.objects.filter(code="999999002").exists()


def test_administrators_use_the_admin_by_their_role_alone(client, framework):
    """An administrator who is not a superuser holds no Django permissions, yet may use the
    admin: rights follow the role. An official with the staff flag set by hand may not."""
    make_assessment(framework)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, is_staff=True))
    assert client.get(reverse("admin:assessments_assessment_changelist")).status_code == 200
    assert client.get(reverse("admin:scoring_scorecard_changelist")).status_code == 200
    client.force_login(UserFactory(role=Role.OFFICIAL, is_staff=True))
    assert client.get(reverse("admin:assessments_assessment_changelist")).status_code == 403
