"""The assessment page: scope per role, live preview, saving, conflicts, returns,
submission and a query count that does not grow with the data."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assessments import services
from assessments.models import Answer, AssessmentEvent
from scoring.engine import score
from tests.factories import (
    UserFactory,
    add_evidence_for_scored_items,
    full_answers,
    make_assessment,
    make_community,
    make_round,
    region_chain,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(framework):
    street_a, street_b = region_chain("济南市"), region_chain("青岛市")
    round_ = make_round(framework)
    assessor_a, assessor_b = UserFactory(role=Role.ASSESSOR), UserFactory(role=Role.ASSESSOR)
    a = make_assessment(
        framework,
        round=round_,
        community=make_community(street_a, "甲社区"),
        assessors=(assessor_a,),
    )
    b = make_assessment(
        framework,
        round=round_,
        community=make_community(street_b, "乙社区"),
        assessors=(assessor_b,),
    )
    return {
        "a": a,
        "b": b,
        "assessor_a": assessor_a,
        "assessor_b": assessor_b,
        "admin": UserFactory(role=Role.ADMINISTRATOR),
        "official_a": UserFactory(role=Role.OFFICIAL, region=street_a.city),
        "official_b": UserFactory(role=Role.OFFICIAL, region=street_b.city),
    }


def page_url(assessment):
    return reverse("assessments:page", args=[assessment.pk])


def save_url(assessment, code):
    return reverse("assessments:indicator-save", args=[assessment.pk, code])


def fields_of(assessment, **values):
    return {"version": assessment.version, **values}


@pytest.mark.parametrize(
    ("who", "status", "editable"),
    [
        ("assessor_a", 200, True),
        ("assessor_b", 404, False),
        ("admin", 200, True),
        ("official_a", 200, False),
        ("official_b", 404, False),
    ],
)
def test_each_role_sees_the_page_as_it_may(client, world, who, status, editable):
    client.force_login(world[who])
    response = client.get(page_url(world["a"]))
    assert response.status_code == status
    if status == 200:
        body = response.content.decode()
        assert ('data-score-for="total"' in body) and ('id="L1P8"' in body)
        assert ('name="L1P8.1.numerator"' in body) is True
        assert ("<fieldset disabled>" not in body) is editable
        for path in ("L1P2.2.checked", "L3P1.1.na", "L1P7.2.not_applicable", "L4P1.1.level"):
            assert f'name="{path}"' in body, path


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(page_url(world["a"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_preview_scores_what_is_typed_without_saving(client, world, spec):
    client.force_login(world["assessor_a"])
    url = reverse("assessments:indicator-preview", args=[world["a"].pk, "L1P8"])
    response = client.post(
        url,
        {"L1P8.1.numerator": "480", "L1P8.1.denominator": "1,000", "L1P8.2.baseline": "200000",
         "L1P8.2.actual": "170000"},
        **HTMX,
    )  # fmt: skip
    body = response.content.decode()
    assert re.search(r'data-score-for="L1P8" id="score-L1P8" hx-swap-oob="true">3.88<', body)
    assert re.search(r'id="score-total" hx-swap-oob="true">3.88<', body)
    assert "48.00%" in body and "120" in body, "the rate and what is still missing"
    assert not Answer.objects.exists()


def test_the_preview_reports_errors_at_their_fields(client, world):
    client.force_login(world["assessor_a"])
    url = reverse("assessments:indicator-preview", args=[world["a"].pk, "L1P8"])
    body = client.post(
        url, {"L1P8.1.numerator": "5", "L1P8.1.denominator": "0"}, **HTMX
    ).content.decode()
    assert re.search(r'id="errors-L1P8.1.denominator" hx-swap-oob="true"><p>[^<]+0', body)


def test_saving_an_indicator_stores_it_and_steps_the_version(client, world):
    client.force_login(world["assessor_a"])
    a = world["a"]
    response = client.post(
        save_url(a, "L1P8"),
        fields_of(
            a, **{"L1P8.1.numerator": "480", "L1P8.1.denominator": "1000", "L1P8.note": "台账"}
        ),
        **HTMX,
    )
    assert response.status_code == 200
    assert services.current_engine_answers(a) == {"L1P8.1": {"numerator": 480, "denominator": 1000}}
    a.refresh_from_db()
    assert a.version == 2
    body = response.content.decode()
    assert 'name="version" value="2" id="version-L1P8"' in body, "the saved form learns it"
    assert 'id="version-L2P1"' not in body, "the others keep the version they were loaded at"


def test_without_javascript_a_save_redirects_back_to_the_indicator(client, world):
    client.force_login(world["assessor_a"])
    a = world["a"]
    response = client.post(save_url(a, "L1P1"), fields_of(a, **{"L1P1.2.value": "true"}))
    assert response.status_code == 302 and response["Location"].endswith("#L1P1")


def test_invalid_input_keeps_what_was_typed_and_saves_nothing(client, world):
    client.force_login(world["assessor_a"])
    a = world["a"]
    response = client.post(
        save_url(a, "L1P8"),
        fields_of(a, **{"L1P8.1.numerator": "1200", "L1P8.1.denominator": "1000",
                        "L1P8.2.baseline": "abc", "L1P8.2.actual": "5"}),
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="1200"' in body and 'value="abc"' in body
    assert 'aria-invalid="true"' in body
    assert not Answer.objects.exists()


def test_a_stale_page_cannot_overwrite_and_says_whose_values_stand(client, world):
    a = world["a"]
    loaded = a.version
    other = world["admin"]
    other.last_name, other.first_name = "王", "审核"
    other.save()
    services.answers_save(
        actor=other, assessment=a, values={"L1P8.1": {"numerator": 700, "denominator": 1000}}
    )
    client.force_login(world["assessor_a"])
    response = client.post(
        save_url(a, "L1P8"),
        {"version": loaded, "L1P8.1.numerator": "480", "L1P8.1.denominator": "1000"},
        **HTMX,
    )
    body = response.content.decode()
    assert "王审核" in body and "700 / 1000" in body
    assert services.current_engine_answers(a)["L1P8.1"] == {"numerator": 700, "denominator": 1000}
    # Another indicator, which nobody else touched, still saves from the same page.
    saved = client.post(save_url(a, "L1P1"), {"version": loaded, "L1P1.2.value": "true"}, **HTMX)
    assert "hx-swap-oob" in saved.content.decode()
    assert services.current_engine_answers(a)["L1P1.2"] == {"value": True}


def test_own_evidence_and_saves_elsewhere_never_make_a_form_stale_but_others_edits_do(
    client, world
):
    a, assessor = world["a"], world["assessor_a"]
    loaded = a.version
    client.force_login(assessor)
    upload = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 ledger", content_type="application/pdf")
    services.evidence_add_file(actor=assessor, assessment=a, item_code="L1P8.1", upload=upload)
    services.answers_save(actor=world["admin"], assessment=a, values={"L1P1.2": {"value": False}})
    mine = client.post(
        save_url(a, "L1P8"),
        {"version": loaded, "L1P8.1.numerator": "480", "L1P8.1.denominator": "1000"},
        **HTMX,
    )
    assert services.current_engine_answers(a)["L1P8.1"] == {"numerator": 480, "denominator": 1000}
    assert 'id="version-L1P1"' not in mine.content.decode()
    stale = client.post(save_url(a, "L1P1"), {"version": loaded, "L1P1.2.value": "true"}, **HTMX)
    assert "save-status failed" in stale.content.decode()
    assert services.current_engine_answers(a)["L1P1.2"] == {"value": False}


def test_after_a_return_only_the_returned_indicators_open(client, world, spec):
    a, assessor, admin = world["a"], world["assessor_a"], world["admin"]
    services.answers_save(actor=assessor, assessment=a, values=full_answers(spec))
    add_evidence_for_scored_items(a, assessor, spec)
    services.assessment_submit(actor=assessor, assessment=a)
    services.assessment_return(actor=admin, assessment=a, reasons={"L1P8": "路灯数量有误"})
    client.force_login(assessor)
    body = client.get(page_url(a)).content.decode()
    assert "路灯数量有误" in body
    section = body[
        body.index('<section class="indicator card" id="L1P8"') : body.index('id="L2P1"')
    ]
    assert "<fieldset disabled>" not in section, "the returned indicator is open"
    assert body.count("<fieldset disabled>") == 23, "the 23 others are not"
    a.refresh_from_db()
    refused = client.post(save_url(a, "L2P1"), fields_of(a, **{"L2P1.1.count": "9"}))
    assert refused.status_code == 200 and "L2P1" in refused.content.decode()
    assert services.current_engine_answers(a)["L2P1.1"] != {"count": 9}


def test_submit_lists_what_is_missing_with_links(client, world):
    client.force_login(world["assessor_a"])
    a = world["a"]
    response = client.post(reverse("assessments:submit", args=[a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#item-L1P1.1"' in body and 'href="#item-L4P1.1"' in body
    a.refresh_from_db()
    assert a.status == "draft"


def test_a_submitted_assessment_is_read_only_to_its_assessor(client, world, spec):
    a, assessor = world["a"], world["assessor_a"]
    services.answers_save(actor=assessor, assessment=a, values=full_answers(spec))
    add_evidence_for_scored_items(a, assessor, spec)
    client.force_login(assessor)
    assert client.post(reverse("assessments:submit", args=[a.pk])).status_code == 302
    body = client.get(page_url(a)).content.decode()
    assert body.count("<fieldset disabled>") == 24
    a.refresh_from_db()
    client.post(save_url(a, "L1P1"), fields_of(a, **{"L1P1.2.value": "false"}))
    assert services.current_engine_answers(a)["L1P1.2"] == full_answers(spec)["L1P1.2"]


def test_the_page_runs_the_same_queries_however_much_it_holds(client, world, spec):
    a, b = world["a"], world["b"]
    assessor_b = world["assessor_b"]
    for n in range(3):
        services.answers_save(actor=assessor_b, assessment=b, values=full_answers(spec, seed=n))
    add_evidence_for_scored_items(b, assessor_b, spec)
    assert AssessmentEvent.objects.filter(assessment=b).count() > 60
    counts = []
    for assessment, user in ((a, world["assessor_a"]), (b, assessor_b)):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(assessment)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_history_page_lists_changes_in_words(client, world):
    a, assessor = world["a"], world["assessor_a"]
    services.answers_save(
        actor=assessor, assessment=a, values={"L1P8.1": {"numerator": 480, "denominator": 1000}}
    )
    services.answers_save(
        actor=assessor, assessment=a, values={"L1P8.1": {"numerator": 600, "denominator": 1000}}
    )
    client.force_login(assessor)
    body = client.get(reverse("assessments:history", args=[a.pk])).content.decode()
    assert "480 / 1000 (48.00%)" in body and "600 / 1000 (60.00%)" in body
    client.force_login(world["assessor_b"])
    assert client.get(reverse("assessments:history", args=[a.pk])).status_code == 404


def test_score_shown_matches_the_engine(client, world, spec):
    a, assessor = world["a"], world["assessor_a"]
    answers = full_answers(spec, quality=0.6)
    services.answers_save(actor=assessor, assessment=a, values=answers)
    client.force_login(assessor)
    body = client.get(page_url(a)).content.decode()
    expected = score(spec, answers).total_rounded
    assert f'id="score-total">{expected}<' in body
