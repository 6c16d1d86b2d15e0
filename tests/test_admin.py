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


def round_form(round_, **changes):
    data = {
        "name": round_.name,
        "framework": round_.framework_id,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "submission_deadline": "2026-12-15",
        "review_deadline": "2026-12-31",
        "status": round_.status,
        "evidence_required": "on",
        "grade_bands": "",
    }
    return {**data, **changes}


def test_admin_round_form_shows_bad_grade_bands_at_their_field(admin_client, framework):
    from assessments.models import Round
    from tests.factories import make_round

    round_ = make_round(framework)
    url = reverse("admin:assessments_round_change", args=[round_.pk])
    response = admin_client.post(url, round_form(round_, grade_bands='[{"grade": "A"}]'))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["grade_bands"]
    assert Round.objects.get(pk=round_.pk).grade_bands is None
    duplicate = make_round(framework)
    response = admin_client.post(url, round_form(round_, name=duplicate.name))
    assert response.context["adminform"].form.errors["name"]


def test_admin_region_recode_repaths_instead_of_copying(admin_client):
    from assessments.models import Region
    from tests.factories import region_chain

    street = region_chain()
    district = street.parent
    url = reverse("admin:assessments_region_change", args=[district.pk])
    response = admin_client.post(
        url,
        {
            "code": "379999",
            "name_zh": district.name_zh,
            "name_en": "",
            "parent": district.parent_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Region.objects.filter(pk=district.pk, code="379999").exists()
    assert Region.objects.count() == 4
    street.refresh_from_db()
    assert street.path.endswith("/379999/" + street.code + "/")


def test_admin_keeps_the_assessors_of_an_approved_assessment(admin_client, framework, spec):
    from assessments import services
    from assessments.models import Assessment
    from tests.factories import full_answers, make_round

    admin = UserFactory(role=Role.ADMINISTRATOR)
    assessor = UserFactory(role=Role.ASSESSOR)
    assessment = make_assessment(
        framework, round=make_round(framework, evidence_required=False), assessors=(assessor,)
    )
    services.answers_save(actor=admin, assessment=assessment, values=full_answers(spec))
    services.assessment_submit(actor=admin, assessment=assessment)
    services.assessment_approve(actor=admin, assessment=assessment)
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "assessors" not in form.fields, "shown read-only"
    other = UserFactory(role=Role.ASSESSOR)
    admin_client.post(url, {"assessors": [other.pk]})
    assert list(Assessment.objects.get(pk=assessment.pk).assessors.all()) == [assessor]


def test_admin_community_form_goes_through_the_service(admin_client):
    from assessments.models import Community
    from tests.factories import region_chain

    street = region_chain()
    url = reverse("admin:assessments_community_add")
    fields = {
        "code": "370102001099",
        "name": "新社区",
        "region": street.pk,
        "households": 10,
        "residents": 20,
        "area_type": "urban",
        "is_active": "on",
    }
    assert admin_client.post(url, fields).status_code == 302
    community = Community.objects.get(code="370102001099")
    assert (community.city_id, community.district_id) == (street.city_id, street.district_id)
    again = admin_client.post(url, {**fields, "name": "另一个"})
    assert again.context["adminform"].form.errors["code"]
