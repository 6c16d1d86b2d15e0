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
